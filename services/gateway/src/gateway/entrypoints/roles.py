"""Which roles may call which route. The services own these rules (each list
names the service constant it mirrors, and a test compares them); the
gateway declares them per route so that a caller whose role may never call
a route hears 403 before anything about its body. Row access (whose lead,
which opportunity) stays the services' alone."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from gateway.auth import Principal
from gateway.entrypoints.deps import current_principal
from gateway.problems import Problem

# lead-routing
LEAD_INTAKE = ("rep", "manager", "admin", "partner")  # LeadRoutingHandlers.ingest
LEAD_WORKERS = ("rep", "manager", "admin")  # import_leads, convert, lose; RoutingHandlers: list_pool, release, touch, explanation
REP_READERS = ("rep", "manager", "admin")  # list_reps
MANAGERS = ("manager", "admin")  # routing_handlers.MANAGERS; domain/reps.check_may_write
ADMINS = ("admin",)  # define_field
REPS = ("rep",)  # claim
# opportunity
OPPORTUNITY_CREATORS = ("rep", "manager", "admin")  # domain/model.CREATE_ROLES
MOVERS = ("rep", "manager", "admin")  # domain/pipeline.MOVERS
PIPELINE_EDITORS = ("manager", "admin")  # domain/pipeline.PIPELINE_EDITORS
PIPELINE_READERS = ("rep", "manager", "admin", "finance", "reviewer")  # pipeline_handlers.PIPELINE_READERS
CUSTOMER_WRITERS = ("rep", "manager", "admin")  # domain/access.WRITERS
NOTE_READERS = ("rep", "manager", "admin")  # domain/access.NOTE_READERS (writers: the same, own customers only)
REASSIGNERS = ("manager", "admin")  # domain/access.REASSIGNERS
# document-versioning
DOCUMENT_UPLOADERS = ("rep", "manager", "admin")  # domain/model.UPLOADERS
DOCUMENT_READERS = ("rep", "manager", "finance", "reviewer", "admin")  # domain/model.READERS
# approval
APPROVAL_REQUESTERS = ("rep", "manager", "admin")  # domain/model.REQUESTERS
APPROVAL_DECIDERS = ("manager", "reviewer", "admin")  # domain/model.DECIDERS
APPROVAL_READERS = ("rep", "manager", "finance", "reviewer", "admin")  # domain/model.READERS
# finance-reconciliation
PAYMENT_RECORDERS = ("finance", "admin")  # domain/access.RECORDERS
PAYMENT_READERS = ("finance", "admin", "manager", "rep")  # domain/access.READERS


def allow(*roles: str) -> Any:
    """`dependencies=[allow(*MANAGERS)]`: only these roles may call the route.
    Route dependencies run before the body is validated, so another role
    gets 403 whatever it sent."""
    allowed = frozenset(roles)

    async def role_allowed(principal: Annotated[Principal, Depends(current_principal)]) -> None:
        check_role(principal, allowed)

    role_allowed.roles = allowed  # type: ignore[attr-defined]
    return Depends(role_allowed)


def declared_roles(dependencies: Any) -> frozenset[str] | None:
    """The roles an `allow` among a route's dependencies names, else None."""
    for dependency in dependencies or ():
        roles = getattr(getattr(dependency, "dependency", None), "roles", None)
        if roles is not None:
            return roles
    return None


def check_role(principal: Principal, allowed: frozenset[str]) -> None:
    if principal.role not in allowed:
        raise Problem(
            403,
            f"role {principal.role!r} may not do this (allowed: {', '.join(sorted(allowed))})",
            slug="permission-denied",
        )


async def refusal_before_body(request: Request) -> Problem | None:
    """For a body FastAPI could not even parse (its dependencies never ran):
    the 401 or 403 the route's dependencies would have given, if any."""
    roles = declared_roles(getattr(request.scope.get("route"), "dependencies", None))
    if roles is None:
        return None
    try:
        check_role(await current_principal(request, None), roles)
    except Problem as problem:
        return problem
    return None
