"""Who sees and changes which customers, opportunities, activities and tasks.

Org model: a rep sees what they own; a manager sees their own plus that of
the reps whose manager_id is them (from the reps projection); admin and the
system see the whole tenant; finance and reviewers read the whole tenant for
their work but change nothing and never read private notes; a partner sees
nothing in this service. Another tenant is never in scope (every query is
filtered by tenant_id first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import PermissionDenied

TENANT_WIDE = (roles.ADMIN, roles.SYSTEM)
READ_ONLY = (roles.FINANCE, roles.REVIEWER)
# Roles that may change customers, contacts, activities and tasks (within scope).
WRITERS = roles.CUSTOMER_WRITERS
# Roles that may move customers from one rep to another.
REASSIGNERS = roles.CUSTOMER_REASSIGNERS


@dataclass(frozen=True)
class Scope:
    """What a caller may see: owners within one tenant (None = the whole tenant)."""

    tenant_id: str
    owner_ids: frozenset[str] | None

    def covers(self, tenant_id: str, owner_id: str) -> bool:
        if tenant_id != self.tenant_id:
            return False
        return self.owner_ids is None or owner_id in self.owner_ids

    @property
    def is_empty(self) -> bool:
        return self.owner_ids is not None and not self.owner_ids


def scope_for(caller: Caller, team_of_manager: Iterable[str] = ()) -> Scope:
    """The caller's read scope. `team_of_manager` is the reps whose manager is
    the caller (ignored for other roles): pass `reps_managed_by(...)`."""
    if caller.role in TENANT_WIDE or caller.role in READ_ONLY:
        return Scope(caller.tenant_id, None)
    if caller.role == roles.MANAGER:
        return Scope(caller.tenant_id, frozenset({caller.user_id, *team_of_manager}))
    if caller.role == roles.REP:
        return Scope(caller.tenant_id, frozenset({caller.user_id}))
    return Scope(caller.tenant_id, frozenset())  # partner and anything unknown


def require_writer(caller: Caller) -> None:
    if caller.role not in WRITERS:
        raise PermissionDenied(f"role {caller.role!r} may read but not change customers or activities")


def require_in_scope(scope: Scope, tenant_id: str, owner_id: str, what: str = "customer") -> None:
    """Out-of-scope records are reported like missing ones would be by the
    caller (NotFound) — use `covers` for that; this is for writes on records
    the caller can see but may not change."""
    if not scope.covers(tenant_id, owner_id):
        raise PermissionDenied(f"this {what} belongs to another rep")


def resolve_owner(caller: Caller, requested: str, team_of_manager: Iterable[str] | None = None) -> str:
    """Who owns what the caller creates. Empty means the caller; a rep owns
    what they create; admin gives to anyone; a manager gives a customer to a
    rep of theirs (`team_of_manager`), and an opportunity to any rep (no team
    given: the README's "managers and admins may")."""
    owner = requested.strip() or caller.user_id
    if caller.role == roles.REP and owner != caller.user_id:
        raise PermissionDenied("a rep may only create what they own")
    if (
        caller.role == roles.MANAGER
        and team_of_manager is not None
        and owner != caller.user_id
        and owner not in set(team_of_manager)
    ):
        raise PermissionDenied(f"{owner} is not a rep of this manager")
    return owner


NOTE_READERS = roles.NOTE_READERS


def note_authors_readable(caller: Caller, team_of_manager: Iterable[str] = ()) -> frozenset[str] | None:
    """Whose private notes (个人作战笔记) the caller reads: a note follows its
    author, not the customer's owner — its author, the author's manager and
    admin read it, whoever owns the customer now (a new owner does not read
    the previous owner's notes; the author keeps reading theirs after
    handing the customer over). None means every author (admin). Never
    finance, reviewers, partners."""
    if caller.role == roles.ADMIN:
        return None
    if caller.role == roles.REP:
        return frozenset({caller.user_id})
    if caller.role == roles.MANAGER:
        return frozenset({caller.user_id, *team_of_manager})
    return frozenset()


def may_read_note(caller: Caller, author_id: str, team_of_manager: Iterable[str] = ()) -> bool:
    authors = note_authors_readable(caller, team_of_manager)
    return authors is None or author_id in authors


def may_write_note(caller: Caller, owner_id: str) -> bool:
    """Only the customer's owner writes new battle notes on it (a manager owning customers writes on theirs)."""
    return caller.role in NOTE_READERS and caller.user_id == owner_id


def may_edit_note(caller: Caller, author_id: str) -> bool:
    """Only its author edits a note (every earlier text is kept); nobody deletes one."""
    return caller.role in NOTE_READERS and caller.user_id == author_id
