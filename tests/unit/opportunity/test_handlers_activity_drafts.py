"""Drafts (待补全) listed across customers: whose the caller sees, newest
first, in pages, each with its customer's name and what it lacks
(ActivityHandlers.drafts), on fakes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, PermissionDenied
from crm_shared.testing import DEFAULT_NOW
from opportunity.domain.customer import Customer
from opportunity.domain.rep import Rep
from opportunity.service_layer.activities import ActivityHandlers, CompleteVisit, LogActivity, PhotoUpload

from .fakes import fake_uow
from .test_handlers_activities import jpeg_taken

TENANT = "t"
REP, OTHER_REP = Caller(TENANT, "rep-1", "rep"), Caller(TENANT, "rep-2", "rep")
MANAGER = Caller(TENANT, "mgr-1", "manager")
HOME = (29.8683, 121.5440)


def customer(customer_id: str, name: str, owner_id: str, tenant_id: str = TENANT) -> Customer:
    return Customer(
        customer_id=customer_id,
        tenant_id=tenant_id,
        name=name,
        credit_code=None,
        phone=None,
        province="浙江省",
        city="宁波市",
        district="北仑区",
        owner_id=owner_id,
        created_at=DEFAULT_NOW,
        updated_at=DEFAULT_NOW,
        latitude=HOME[0],
        longitude=HOME[1],
    )


def setup():  # type: ignore[no-untyped-def]
    uow = fake_uow()
    for c in (
        customer("c-1", "宁波注塑机厂", "rep-1"),
        customer("c-2", "慈溪模具公司", "rep-1"),
        customer("c-3", "余姚五金", "rep-2"),
        customer("c-x", "别家租户的客户", "rep-1", tenant_id="other"),
    ):
        uow.customers.put(c)
    uow.reps.put(Rep(TENANT, "rep-1", "张伟", "华东", "mgr-1", "华东", True, DEFAULT_NOW))
    uow.reps.put(Rep(TENANT, "rep-2", "李娜", "华东", "mgr-2", "华东", True, DEFAULT_NOW))
    return uow, ActivityHandlers(lambda: uow, timedelta(minutes=30))


async def visit(uow, handlers: ActivityHandlers, caller: Caller, customer_id: str, summary: str):  # type: ignore[no-untyped-def]
    """A visit with nothing but its summary: a draft; the clock moves on a minute after it."""
    saved = (await handlers.log(caller, LogActivity(customer_id=customer_id, kind="visit", summary=summary))).activity
    uow.clock.advance(timedelta(minutes=1))
    return saved


async def test_a_rep_lists_their_drafts_of_every_customer_newest_first_with_name_and_what_is_missing() -> None:
    uow, handlers = setup()
    first = await visit(uow, handlers, REP, "c-1", "初访")
    second = await visit(uow, handlers, REP, "c-2", "复访")
    await visit(uow, handlers, OTHER_REP, "c-3", "别人的")
    await handlers.log(REP, LogActivity(customer_id="c-1", kind="call", summary="电话"))

    drafts, token = await handlers.drafts(REP)

    assert [(d.activity.activity_id, d.customer_name, d.rep_name) for d in drafts] == [
        (second.activity_id, "慈溪模具公司", "张伟"),
        (first.activity_id, "宁波注塑机厂", "张伟"),
    ]
    assert {check for check, _ in drafts[0].activity.violations} >= {"check_in", "photo", "needs"}
    assert token == ""


async def test_a_completed_draft_leaves_the_list() -> None:
    uow, handlers = setup()
    draft = await visit(uow, handlers, REP, "c-1", "初访")
    assert [d.activity.activity_id for d in (await handlers.drafts(REP))[0]] == [draft.activity_id]
    await handlers.submit(
        REP,
        CompleteVisit(
            customer_id="c-1",
            activity_id=draft.activity_id,
            check_in=HOME,
            photo=PhotoUpload(jpeg_taken(1)),
            needs="3 台注塑机",
            competitors="海天",
            next_follow_up_at=DEFAULT_NOW + timedelta(days=7),
        ),
    )
    assert (await handlers.drafts(REP))[0] == []


async def test_another_rep_sees_none_and_a_manager_sees_their_team_with_the_rep_named() -> None:
    uow, handlers = setup()
    mine = await visit(uow, handlers, REP, "c-1", "初访")
    theirs = await visit(uow, handlers, OTHER_REP, "c-3", "别人的")

    assert [d.activity.activity_id for d in (await handlers.drafts(OTHER_REP))[0]] == [theirs.activity_id]
    team = (await handlers.drafts(MANAGER))[0]
    assert [(d.activity.activity_id, d.activity.actor_id, d.rep_name) for d in team] == [
        (mine.activity_id, "rep-1", "张伟")
    ]
    tenant = (await handlers.drafts(Caller(TENANT, "admin", "admin")))[0]
    assert [d.activity.activity_id for d in tenant] == [theirs.activity_id, mine.activity_id]
    assert (await handlers.drafts(Caller("other", "admin", "admin")))[0] == []


async def test_pages_follow_the_token_without_repeats_or_gaps() -> None:
    uow, handlers = setup()
    saved = [await visit(uow, handlers, REP, f"c-{1 + i % 2}", f"第 {i} 次") for i in range(5)]

    seen, token, pages = [], "", 0
    while True:
        page, token = await handlers.drafts(REP, size=2, token=token)
        seen += [d.activity.activity_id for d in page]
        pages += 1
        if not token:
            break
    assert seen == [a.activity_id for a in reversed(saved)]
    assert pages == 3


@pytest.mark.parametrize("role", ["finance", "reviewer", "partner"])
async def test_only_who_may_complete_a_draft_lists_them(role: str) -> None:
    _uow, handlers = setup()
    with pytest.raises(PermissionDenied):
        await handlers.drafts(Caller(TENANT, "someone", role))


async def test_a_bad_page_size_or_token_names_its_field() -> None:
    _uow, handlers = setup()
    with pytest.raises(InvalidArgument, match="page_size"):
        await handlers.drafts(REP, size=-1)
    with pytest.raises(InvalidArgument, match="page_token"):
        await handlers.drafts(REP, token="not-a-token")
