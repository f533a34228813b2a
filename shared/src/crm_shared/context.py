"""Who is calling: tenant, user, role and trace id. On the wire the caller
travels as a signed service token (crm_shared.identity) in the
`authorization` metadata, the trace id as `x-trace-id`; a service builds
the Caller from the verified token only and holds it in a context variable
for the duration of the call."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from crm_shared import identity
from crm_shared.domain.errors import PermissionDenied

ROLES = ("rep", "manager", "finance", "reviewer", "admin", "partner", "system")

META_TRACE = "x-trace-id"


@dataclass(frozen=True)
class Caller:
    tenant_id: str
    user_id: str
    role: str
    trace_id: str = ""
    # A partner's distributor organisation (the user directory's, named by the
    # token); empty for the manufacturer's own users and for services.
    organisation: str = ""

    def require_role(self, *roles: str) -> None:
        if self.role not in roles:
            raise PermissionDenied(f"role {self.role!r} may not do this; needs one of {', '.join(roles)}")

    def metadata(self) -> tuple[tuple[str, str], ...]:
        """The metadata of a call made as this caller: a fresh token signed
        as the deployable making the call (the one way every client signs)."""
        return ((identity.METADATA_KEY, identity.bearer(self)), (META_TRACE, self.trace_id))


trace_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("trace_id", default="")
caller_var: contextvars.ContextVar[Caller | None] = contextvars.ContextVar("caller", default=None)


def caller_from_metadata(metadata: dict[str, str]) -> Caller:
    """The Caller of a call from its verified service token; anything else in
    the metadata (e.g. x-tenant-id, x-role) is ignored. Raises
    identity.Unauthenticated."""
    claims = identity.verify_metadata(metadata)
    if claims["role"] not in ROLES:
        raise identity.Unauthenticated(f"invalid service token: unknown role {claims['role']!r}")
    organisation = claims.get("org", "")
    if not isinstance(organisation, str):
        raise identity.Unauthenticated("invalid service token: claim 'org' must be a string")
    return Caller(claims["tenant"], claims["sub"], claims["role"], metadata.get(META_TRACE, ""), organisation)
