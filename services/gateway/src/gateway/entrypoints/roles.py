"""Which roles may call which route. The lists are crm_shared.roles, the
ones the services check; the gateway declares them per route so that a
caller whose role may never call a route hears 403 before anything about its
body. Row access (whose lead, which opportunity) stays the services' alone."""

from __future__ import annotations

from typing import Annotated, Any

from crm_shared.roles import for_users
from fastapi import Depends, Request

from gateway.auth import Principal
from gateway.entrypoints.deps import current_principal
from gateway.problems import Problem


def allow(roles: tuple[str, ...]) -> Any:
    """`dependencies=[allow(ROUTING_MANAGERS)]`: only these roles (a
    crm_shared.roles list; `system` is no user's) may call the route. Route
    dependencies run before the body is validated, so another role gets 403
    whatever it sent."""
    allowed = for_users(roles)

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
