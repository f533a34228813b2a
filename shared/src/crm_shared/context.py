"""Who is calling: tenant, user, role and trace id, carried as gRPC metadata
from the gateway and held in context variables for the duration of a call."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from crm_shared.domain.errors import PermissionDenied

ROLES = ("rep", "manager", "finance", "reviewer", "admin", "partner", "system")

META_TENANT = "x-tenant-id"
META_USER = "x-user-id"
META_ROLE = "x-role"
META_TRACE = "x-trace-id"


@dataclass(frozen=True)
class Caller:
    tenant_id: str
    user_id: str
    role: str
    trace_id: str = ""

    def require_role(self, *roles: str) -> None:
        if self.role not in roles:
            raise PermissionDenied(f"role {self.role!r} may not do this; needs one of {', '.join(roles)}")

    def metadata(self) -> tuple[tuple[str, str], ...]:
        return (
            (META_TENANT, self.tenant_id),
            (META_USER, self.user_id),
            (META_ROLE, self.role),
            (META_TRACE, self.trace_id),
        )


trace_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("trace_id", default="")
caller_var: contextvars.ContextVar[Caller | None] = contextvars.ContextVar("caller", default=None)


def caller_from_metadata(metadata: dict[str, str]) -> Caller:
    tenant = metadata.get(META_TENANT, "")
    user = metadata.get(META_USER, "")
    role = metadata.get(META_ROLE, "")
    if not tenant or not user or role not in ROLES:
        raise PermissionDenied("missing or invalid caller metadata (x-tenant-id, x-user-id, x-role)")
    return Caller(tenant, user, role, metadata.get(META_TRACE, ""))
