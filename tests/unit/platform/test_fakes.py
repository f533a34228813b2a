"""crm_shared.testing: the fake unit of work and repository base."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from crm.events.v1.notification_pb2 import NotificationRequested
from crm_shared.clock import FixedClock
from crm_shared.db import ReadOnlyUnitOfWork
from crm_shared.testing import FakeRepository, FakeUnitOfWork


@dataclass(frozen=True)
class Thing:
    thing_id: str
    tenant_id: str
    colour: str


class Things(FakeRepository[Thing]):
    id_field = "thing_id"


async def test_the_fake_unit_of_work_records_events_and_commits() -> None:
    clock = FixedClock(datetime(2026, 3, 2, 1, tzinfo=UTC))
    uow = FakeUnitOfWork(clock, things=Things())
    async with uow as opened:
        assert opened is uow and uow.clock.now() == clock.now()
        ids = await uow.publish_many([("a.b", "t", "x", NotificationRequested(kind="k"))])
        await uow.publish("c.d", "t", "y", NotificationRequested(kind="m"))
        assert not uow.committed
        await uow.commit()
    assert uow.committed and uow.entered == 1 and ids == ["event-1"]
    assert [(t, a) for t, _, a, _ in uow.published] == [("a.b", "x"), ("c.d", "y")]
    assert [p.kind for p in uow.events("c.d")] == ["m"]


async def test_the_fake_repository_keys_by_tenant_and_id() -> None:
    things = Things([Thing("1", "t", "red")])
    assert await things.get("t", "1") == Thing("1", "t", "red")
    assert await things.get("other", "1") is None
    assert not await things.add(Thing("1", "t", "blue"))
    assert await things.add(Thing("1", "other", "blue"))
    things.update("t", "1", colour="green")
    assert things.items("t") == [Thing("1", "t", "green")]
    assert things.items(colour="blue") == [Thing("1", "other", "blue")]


async def test_the_fake_subject_access_answers_like_the_real_one() -> None:
    from crm_shared.context import Caller
    from crm_shared.domain.errors import NotFound, PermissionDenied
    from crm_shared.testing import FakeSubjectAccess

    rep, reader = Caller("t", "rep-1", "rep"), Caller("t", "mgr-1", "manager")
    access = FakeSubjectAccess()
    access.allow(rep, "opp-1")
    access.allow(reader, "opp-1", write=False)
    await access.require(rep, "opportunity", "opp-1", write=True)
    await access.require(reader, "opportunity", "opp-1")
    await access.require(Caller("t", "opportunity", "system"), "opportunity", "anything", write=True)
    with pytest.raises(PermissionDenied):
        await access.require(reader, "opportunity", "opp-1", write=True)
    with pytest.raises(NotFound, match="document d-1 not found"):
        await access.require(Caller("other", "rep-1", "rep"), "opportunity", "opp-1", missing="document d-1 not found")
    assert access.asked[0] == ("rep-1", "opp-1", True) and len(access.asked) == 4


async def test_the_fake_unit_of_work_opened_for_reading_refuses_writes_until_left() -> None:
    uow = FakeUnitOfWork()
    async with uow.reading():
        with pytest.raises(ReadOnlyUnitOfWork):
            await uow.publish("notification.requested", "t1", "n1", NotificationRequested())
        with pytest.raises(ReadOnlyUnitOfWork):
            await uow.commit()
    async with uow:
        await uow.commit()
    assert uow.commits == 1 and uow.published == []
