"""Reading approvals by person: the approver's inbox (their own pending
tasks, most urgent first, with the working time left before the SLA), the
requester's outbox, and a manager's team view (the requests of the reps
whose manager they are in the rep profiles; an admin sees the tenant's).
Partners hold no tasks and make no requests: the roles keep them out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import takewhile
from typing import Generic, TypeVar

from crm_shared.business_calendar import BusinessCalendar
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, Validator
from crm_shared.limits import MAX_ID
from crm_shared.paging import decode_key, decode_token, encode_key, encode_token, page_size
from crm_shared.roles import ADMIN, APPROVAL_INBOX_USERS, APPROVAL_REQUESTERS, APPROVAL_TEAM_VIEWERS, SYSTEM

from approval.adapters.report_repository import InboxAfter, InboxRow, RequestRow
from approval.domain import sla
from approval.domain.approval import STATUSES
from approval.domain.policy import KINDS
from approval.service_layer.uow import ApprovalUnitOfWork

UowFactory = Callable[[], ApprovalUnitOfWork]
MAX_FILTER = 100
T = TypeVar("T")


@dataclass(frozen=True)
class InboxItem:
    row: InboxRow
    working_minutes_left: int | None
    overdue: bool


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_page_token: str


def check_filters(kind: str, status: str = "", impact_scope: str = "", rep_id: str = "") -> None:
    v = Validator()
    if kind and kind not in KINDS:
        v.add("kind", f"must be one of {', '.join(KINDS)}")
    if status and status not in STATUSES:
        v.add("status", f"must be one of {', '.join(STATUSES)}")
    if len(impact_scope) > MAX_FILTER:
        v.add("impact_scope", f"is longer than {MAX_FILTER} characters")
    if len(rep_id) > MAX_ID:
        v.add("rep_id", f"is longer than {MAX_ID} characters")
    v.check()


def _inbox_after(token: str) -> InboxAfter | None:
    found = decode_key(token, arity=1)
    if found is None:
        return None
    (due,), task_id = found
    if due == "":
        return InboxAfter(True, None, task_id)
    try:
        at = datetime.fromisoformat(str(due))
        if at.tzinfo is None:
            raise ValueError("naive")
    except ValueError as exc:
        raise InvalidArgument.field("page_token", "is not a token this API issued") from exc
    return InboxAfter(False, at, task_id)


def _request_after(token: str) -> tuple[datetime, str] | None:
    return decode_token(token)


class InboxHandlers:
    def __init__(self, uow: UowFactory, calendar: BusinessCalendar | None = None) -> None:
        self.uow = uow
        self.calendar = calendar or BusinessCalendar()

    async def inbox(
        self, caller: Caller, *, size: int, token: str, kind: str, impact_scope: str, overdue_only: bool
    ) -> Page[InboxItem]:
        caller.require_role(*APPROVAL_INBOX_USERS)
        check_filters(kind, impact_scope=impact_scope)
        limit = page_size(size)
        after = _inbox_after(token)
        async with self.uow() as uow:
            now = uow.clock.now()
            rows = await uow.reports.inbox(
                caller.tenant_id, caller.user_id, kind=kind, impact_scope=impact_scope, dated_only=overdue_only,
                after=after, limit=limit + 1,
            )
        if overdue_only:
            # By deadline, the overdue ones come first: the page ends at the first that is not.
            rows = list(takewhile(lambda row: sla.overdue(row.due_at, now), rows))
        more = len(rows) > limit
        rows = rows[:limit]
        items = [
            InboxItem(row, sla.working_minutes_left(self.calendar, now, row.due_at), sla.overdue(row.due_at, now))
            for row in rows
        ]
        next_token = ""
        if more and rows:
            last = rows[-1]
            next_token = encode_key([last.due_at.isoformat() if last.due_at else ""], last.task_id)
        return Page(items, next_token)

    async def outbox(self, caller: Caller, *, size: int, token: str, kind: str, status: str) -> Page[RequestRow]:
        caller.require_role(*APPROVAL_REQUESTERS)
        check_filters(kind, status)
        return await self._requests(caller, [caller.user_id], size, token, kind, status)

    async def team(
        self, caller: Caller, *, size: int, token: str, kind: str, status: str, rep_id: str
    ) -> Page[RequestRow]:
        """A manager: their reps' requests (a rep outside the team reads as an empty team); an admin: anyone's."""
        caller.require_role(*APPROVAL_TEAM_VIEWERS, SYSTEM)
        check_filters(kind, status, rep_id=rep_id.strip())
        rep_id = rep_id.strip()
        requesters: list[str] | None
        if caller.role in (ADMIN, SYSTEM):
            requesters = [rep_id] if rep_id else None
        else:
            async with self.uow() as uow:
                team = await uow.reports.team_of(caller.tenant_id, caller.user_id)
            requesters = [r for r in team if r == rep_id] if rep_id else team
        return await self._requests(caller, requesters, size, token, kind, status)

    async def _requests(
        self, caller: Caller, requesters: list[str] | None, size: int, token: str, kind: str, status: str
    ) -> Page[RequestRow]:
        limit = page_size(size)
        after = _request_after(token)
        async with self.uow() as uow:
            now = uow.clock.now()
            rows = await uow.reports.requests_of(
                caller.tenant_id, requesters, kind=kind, status=status, after=after, limit=limit + 1
            )
        more = len(rows) > limit
        rows = [replace(r, overdue=sla.overdue(r.next_due_at, now)) for r in rows[:limit]]
        next_token = encode_token(rows[-1].requested_at, rows[-1].approval_id) if more and rows else ""
        return Page(rows, next_token)
