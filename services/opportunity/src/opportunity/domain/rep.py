"""Reps as lead-routing last announced them (`rep.profile_changed`): the team
a manager's scope is made of, and who may receive customers handed over."""

from __future__ import annotations

from collections.abc import Iterable

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, PermissionDenied, Violation
from crm_shared.rep_profiles import RepProfile

# One rep profile for every service that keeps them (crm_shared.rep_profiles: the latest by event time).
Rep = RepProfile


def check_new_owner(caller: Caller, to_owner: str, team_of_manager: Iterable[str], rep: Rep | None) -> str:
    """Whom customers may be given to: a manager gives to themselves or a rep
    of theirs, admin to anyone; never to a rep no longer active (a rep the
    projection does not know yet may receive)."""
    to_owner = to_owner.strip()
    if not to_owner:
        raise InvalidArgument.field("to_owner_id", "is required")
    if caller.role == roles.MANAGER and to_owner != caller.user_id and to_owner not in set(team_of_manager):
        raise PermissionDenied(f"{to_owner} is not a rep of this manager")
    if rep is not None and not rep.active:
        raise FailedPrecondition(f"{to_owner} is no longer active", [Violation("rep", to_owner, "is not active")])
    return to_owner
