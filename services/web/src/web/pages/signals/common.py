"""What the signals pages share: the session and gateway they are called with, and how a gateway's
refusal or a missing route is told apart from its failures."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.session import Session, session

Signed = Annotated[Session, Depends(session)]
Gateway = Annotated[GatewayClient, Depends(gateway)]


def passes(exc: GatewayProblem) -> bool:
    """Refusals a page shows itself; a 401 (sign in again) and the gateway's own failures go to the error page."""
    return exc.status != 401 and exc.status < 500


async def optional(call: Any, *, part: bool = False) -> tuple[Any, bool]:
    """The gateway's answer, or (None, False) when the route is not there (404) or not for this role (403).
    A `part` of a page (one settings area, one part of a customer's section) is also left empty when the
    service behind it fails or is not served yet (5xx): the rest of the page still shows."""
    try:
        return await call, True
    except GatewayProblem as exc:
        if exc.status in (403, 404) or (part and exc.status >= 500):
            return None, False
        raise
