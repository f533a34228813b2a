"""A visit failing its evidence is a draft; submitting it completes it as a
new chained entry (service_layer/activities.py), on fakes."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, NotFound
from crm_shared.testing import DEFAULT_NOW
from opportunity.domain.activity import GENESIS
from opportunity.domain.customer import Customer
from opportunity.service_layer.activities import ActivityHandlers, CompleteVisit, LogActivity, PhotoUpload
from PIL import ExifTags, Image

from .fakes import fake_uow

TENANT = "t"
REP = Caller(TENANT, "rep-1", "rep")
HOME, NEAR = (29.8683, 121.5440), (29.8705, 121.5460)  # ~300 m apart


def jpeg_taken(minutes_before_now: int) -> bytes:
    """A tiny JPEG whose EXIF DateTimeOriginal is that long before now, with its UTC offset."""
    exif = Image.Exif()
    taken = DEFAULT_NOW - timedelta(minutes=minutes_before_now)
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.OffsetTimeOriginal] = "+00:00"
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def setup():  # type: ignore[no-untyped-def]
    uow = fake_uow()
    uow.customers.put(
        Customer(
            customer_id="c-1",
            tenant_id=TENANT,
            name="宁波注塑机厂",
            credit_code=None,
            phone=None,
            province="浙江省",
            city="宁波市",
            district="北仑区",
            owner_id="rep-1",
            created_at=DEFAULT_NOW,
            updated_at=DEFAULT_NOW,
            latitude=HOME[0],
            longitude=HOME[1],
        )
    )
    return uow, ActivityHandlers(lambda: uow, timedelta(minutes=30))


async def draft_visit(handlers: ActivityHandlers):  # type: ignore[no-untyped-def]
    return await handlers.log(
        REP,
        LogActivity(customer_id="c-1", kind="visit", summary="拜访", check_in=NEAR, photo=PhotoUpload(jpeg_taken(10))),
    )


async def test_a_visit_without_needs_competitors_and_next_step_is_kept_as_a_draft_naming_them() -> None:
    uow, handlers = setup()
    draft = (await draft_visit(handlers)).activity
    assert (draft.state, draft.seq, draft.prev_hash) == ("draft", 1, GENESIS)
    assert [check for check, _ in draft.violations] == ["needs", "competitors", "next_follow_up_at"]
    assert draft.photo_id in uow.activities.photos
    assert uow.customers.rows[(TENANT, "c-1")].last_interaction_at == draft.occurred_at
    assert [e.activity_id for e in uow.events("activity.logged")] == [draft.activity_id]
    assert uow.committed


async def test_submitting_a_draft_with_what_it_lacked_completes_it_once() -> None:
    uow, handlers = setup()
    draft = (await draft_visit(handlers)).activity
    follow_up = DEFAULT_NOW + timedelta(days=7)
    completing = CompleteVisit(
        customer_id="c-1",
        activity_id=draft.activity_id,
        needs="3 台注塑机",
        competitors="海天报价低 8%",
        next_follow_up_at=follow_up,
    )
    done = (await handlers.submit(REP, completing)).activity
    assert (done.state, done.relation, done.refers_to, done.seq) == ("submitted", "completes", draft.activity_id, 2)
    assert (done.prev_hash, done.photo_id, done.violations) == (draft.hash, draft.photo_id, [])
    assert uow.customers.rows[(TENANT, "c-1")].next_follow_up_at == follow_up
    listed = await handlers.list(REP, "c-1")
    assert [(v.activity.activity_id, v.completed_by) for v in listed] == [
        (draft.activity_id, done.activity_id),
        (done.activity_id, ""),
    ]
    assert (await handlers.verify_chain(REP, "c-1")).intact
    with pytest.raises(FailedPrecondition):
        await handlers.submit(REP, completing)


async def test_a_submission_still_missing_evidence_stores_nothing() -> None:
    uow, handlers = setup()
    draft = (await draft_visit(handlers)).activity
    published = len(uow.published)
    with pytest.raises(FailedPrecondition) as refused:
        await handlers.submit(REP, CompleteVisit(customer_id="c-1", activity_id=draft.activity_id, needs="3 台"))
    assert [v.type for v in refused.value.violations] == ["competitors", "next_follow_up_at"]
    assert len(uow.activities.items(TENANT)) == 1 and len(uow.published) == published


async def test_only_a_visit_is_submitted_and_only_by_who_may_write_the_customer() -> None:
    _uow, handlers = setup()
    call = (await handlers.log(REP, LogActivity(customer_id="c-1", kind="call", summary="电话"))).activity
    with pytest.raises(FailedPrecondition) as refused:
        await handlers.submit(REP, CompleteVisit(customer_id="c-1", activity_id=call.activity_id))
    assert [v.type for v in refused.value.violations] == ["kind"]
    with pytest.raises(NotFound):
        await handlers.submit(Caller(TENANT, "rep-2", "rep"), CompleteVisit(customer_id="c-1", activity_id="x"))
