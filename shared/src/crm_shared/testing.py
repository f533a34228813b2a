"""Fakes for handler unit tests (no database, no NATS): a unit of work that
records what it publishes and whether it committed, a dict-backed base for
fake repositories, and a subject access that answers from a table of grants.

    class FakeApprovals(FakeRepository[Approval]):
        id_field = "approval_id"

    uow = FakeUnitOfWork(FixedClock(NOW), approvals=FakeApprovals())
    handlers = ApprovalHandlers(lambda: uow, ...)
    await handlers.submit(caller, cmd)
    assert uow.committed and [e[0] for e in uow.published] == ["approval.requested"]

A handler opens its unit of work with `async with self.uow() as uow`, so the
factory may hand the same fake out every time: repositories keep their rows
between units of work, as a database would. Only what is committed counts
in a real one; a fake keeps everything, so assert `committed` (and
`published` lists what was recorded, committed or not)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Self, TypeVar

from google.protobuf.message import Message

from crm_shared.clock import Clock, FixedClock
from crm_shared.context import Caller
from crm_shared.db import ReadOnlyUnitOfWork
from crm_shared.domain.errors import NotFound, PermissionDenied, Unavailable

__all__ = ["DEFAULT_NOW", "FakeRepository", "FakeSubjectAccess", "FakeUnitOfWork"]

T = TypeVar("T")

# A Monday, 09:00 in Asia/Shanghai: business hours, a working day.
DEFAULT_NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


class FakeUnitOfWork:
    """What crm_shared.db.UnitOfWork offers a handler: `clock`, `publish`,
    `publish_many`, `commit`, and an async context manager; repositories
    are given as keyword arguments and become attributes."""

    def __init__(self, clock: Clock | None = None, **repositories: Any) -> None:
        self.clock = clock or FixedClock(DEFAULT_NOW)
        self.published: list[tuple[str, str, str, Message]] = []
        self.commits = 0
        self.entered = 0
        self.read_only = False
        for name, repository in repositories.items():
            setattr(self, name, repository)

    @property
    def committed(self) -> bool:
        return self.commits > 0

    def reading(self) -> Self:
        """Read-only until the unit of work is left: commit and publish raise,
        as on the real one (the same fake serves a test's later writes)."""
        self.read_only = True
        return self

    async def __aenter__(self) -> Self:
        self.entered += 1
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.read_only = False

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyUnitOfWork("the unit of work was opened with reading(); it cannot commit or publish")

    async def commit(self) -> None:
        self._writable()
        self.commits += 1

    async def publish(self, type_: str, tenant_id: str, aggregate_id: str, payload: Message) -> str:
        [event_id] = await self.publish_many([(type_, tenant_id, aggregate_id, payload)])
        return event_id

    async def publish_many(self, events: Sequence[tuple[str, str, str, Message]]) -> list[str]:
        self._writable()
        start = len(self.published)
        self.published += list(events)
        return [f"event-{n}" for n in range(start + 1, len(self.published) + 1)]

    def events(self, type_: str) -> list[Message]:
        """The payloads published of one type, in order."""
        return [payload for t, _, _, payload in self.published if t == type_]


class FakeRepository(Generic[T]):
    """Frozen dataclasses by (tenant_id, id); `id_field` names the id
    attribute. Subclasses add the queries of the repository they stand in for,
    over `items()`."""

    id_field: ClassVar[str] = "id"

    def __init__(self, items: Iterable[T] = ()) -> None:
        self.rows: dict[tuple[str, str], T] = {}
        for item in items:
            self.put(item)

    def key(self, item: T) -> tuple[str, str]:
        return item.tenant_id, getattr(item, self.id_field)

    def put(self, item: T) -> T:
        """Insert or replace (test set-up and updates)."""
        self.rows[self.key(item)] = item
        return item

    def items(self, tenant_id: str | None = None, **equal: Any) -> list[T]:
        """The rows, in insertion order, of a tenant and with the given attribute values."""
        return [
            item
            for (tenant, _), item in self.rows.items()
            if (tenant_id is None or tenant == tenant_id) and all(getattr(item, k) == v for k, v in equal.items())
        ]

    async def add(self, item: T) -> bool:
        """False when the id is taken, as an insert on a primary key would be."""
        if self.key(item) in self.rows:
            return False
        self.put(item)
        return True

    async def get(self, tenant_id: str, item_id: str) -> T | None:
        return self.rows.get((tenant_id, item_id))

    def update(self, tenant_id: str, item_id: str, **changes: Any) -> T:
        return self.put(replace(self.rows[(tenant_id, item_id)], **changes))


class FakeSubjectAccess:
    """crm_shared.subject_access.SubjectAccess answering from grants given with
    `allow` instead of asking opportunity; `asked` lists the checks made."""

    def __init__(self) -> None:
        self.grants: dict[tuple[str, str, str], bool] = {}  # (tenant, user, subject id) -> may write
        self.asked: list[tuple[str, str, bool]] = []  # (user, subject id, write)

    def allow(self, caller: Caller, subject_id: str, *, write: bool = True) -> None:
        self.grants[(caller.tenant_id, caller.user_id, subject_id)] = write

    async def require(
        self, caller: Caller, subject_type: str, subject_id: str, *, write: bool = False, missing: str = ""
    ) -> None:
        if caller.role == "system":
            return
        self.asked.append((caller.user_id, subject_id, write))
        writable = self.grants.get((caller.tenant_id, caller.user_id, subject_id))
        if writable is None:
            raise NotFound(missing or f"{subject_type} {subject_id} not found")
        if write and not writable:
            raise PermissionDenied(f"role {caller.role!r} may read this {subject_type} but not change it")

    async def close(self) -> None:
        return None


class FakePartnerCheck:
    """crm_shared.partner_check.PartnerCheck answering without lead-routing:
    the users in `refused` are partners of no current distributor
    (PermissionDenied), and with `away` lead-routing cannot be asked
    (Unavailable); `asked` lists the users asked about."""

    def __init__(self, refused: Iterable[str] = (), *, away: bool = False) -> None:
        self.refused = set(refused)
        self.away = away
        self.asked: list[str] = []

    async def require(self, caller: Caller) -> None:
        self.asked.append(caller.user_id)
        if self.away:
            raise Unavailable("lead-routing could not be asked about the caller's distributor (UNAVAILABLE)")
        if caller.user_id in self.refused:
            raise PermissionDenied(f"{caller.user_id} is not a user of an active distributor")

    async def close(self) -> None:
        return None
