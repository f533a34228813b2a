"""The protection window of an approved registration, on a real database
(SQLite and PostgreSQL) and a clock the test moves: approval's decision
protects the customer's lead (a new one through the intake path, or the
manufacturer's lead the registration matched), reps see it partner-protected,
the distributor's colleagues see it and another distributor does not; the
reminders 7 and 1 days before the end are sent once each; an extension moves
the end; at the end without progress the registration lapses and the lead
goes back to the pool without its partner; a conversion keeps it the
distributor's and lead.converted names the partner."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from crm.events.v1 import lead_pb2
from crm.events.v1 import registration_pb2 as events
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.notification_pb2 import NotificationRequested
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.db import Database, outbox_table
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from crm_shared.events import unpack
from lead_routing.domain.distributor import Distributor, Territory
from lead_routing.domain.lead import LeadData
from lead_routing.domain.registration import LEAD, PENDING, UNDER_REVIEW, Conflict, Registration
from lead_routing.service_layer.intake import IntakeHandlers
from lead_routing.service_layer.leads import LeadHandlers
from lead_routing.service_layer.protection import Decided, ProtectionHandlers
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

from tests.support.infra import migrate

T = "tenant-p"
START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
ZHAO = Caller(T, "zhaolei", "partner", organisation="dist-hz")
QIAN = Caller(T, "qianfang", "partner", organisation="dist-hz")  # zhaolei's colleague
SUN = Caller(T, "sunli", "partner", organisation="dist-nb")
REP = Caller(T, "zhangwei", "rep")
MANAGER = Caller(T, "wangqiang", "manager")
ADMIN = Caller(T, "admin", "admin")


class FakeApprovals:
    """approval's SubmitApproval as lead-routing's client sees it."""

    def __init__(self) -> None:
        self.submitted: list[tuple[str, str, str, str, dict[str, str]]] = []

    async def latest(self, tenant_id, subject_type, subject_id, kind):  # type: ignore[no-untyped-def]
        return None

    async def submit(self, tenant_id, subject_type, subject_id, kind, reason, facts):  # type: ignore[no-untyped-def]
        self.submitted.append((subject_type, subject_id, kind, reason, facts))
        return f"appr-{len(self.submitted)}"


def distributor(distributor_id: str, users: tuple[str, ...], name: str) -> Distributor:
    return Distributor(
        tenant_id=T,
        distributor_id=distributor_id,
        name=name,
        credit_code="",
        territory=Territory(provinces=("浙江省",)),
        tier="金牌",
        contract_starts=date(2026, 1, 1),
        contract_ends=date(2027, 12, 31),
        users=users,
        channel_manager_id="wangqiang",
        active=True,
        version=1,
        updated_by="admin",
        created_at=START,
        updated_at=START,
    )


def registration(registration_id: str, *, conflicts: tuple[Conflict, ...] = (), **fields: object) -> Registration:
    values: dict[str, object] = {
        "registration_id": registration_id,
        "tenant_id": T,
        "distributor_id": "dist-hz",
        "registered_by": "zhaolei",
        "company_name": "杭州申达机电设备有限公司",
        "credit_code": "",
        "phone": "+8613800571234",
        "province": "浙江省",
        "city": "杭州市",
        "district": "余杭区",
        "industry": "机电设备",
        "contact_name": "陈经理",
        "contact_phone": "+8613800571234",
        "product_line": "数控机床",
        "models": ("VMC850",),
        "quantity": 2,
        "expected_amount": 38_000_000,  # 38万元
        "currency": "CNY",
        "expected_close_date": date(2027, 2, 1),
        "status": UNDER_REVIEW if conflicts else PENDING,
        "outcome": "under_review" if conflicts else "no_conflict",
        "conflicts": conflicts,
        "created_at": START,
        "updated_at": START,
        "approval_id": f"reg-appr-{registration_id}",
    }
    return Registration(**(values | fields))  # type: ignore[arg-type]


@pytest.fixture
async def world(database_url: str):
    await migrate("lead-routing", database_url)
    clock = FixedClock(START)
    db = Database(database_url, "lead-routing", clock)

    def uow() -> LeadRoutingUnitOfWork:
        return LeadRoutingUnitOfWork(db)

    async with uow() as u:
        await u.distributors.add(distributor("dist-hz", ("zhaolei", "qianfang"), "杭州华东机电贸易"))
        await u.distributors.add(distributor("dist-nb", ("sunli",), "宁波甬信设备"))
        await u.commit()
    approvals = FakeApprovals()
    world = World(uow, clock, ProtectionHandlers(uow, approvals, IntakeHandlers(uow)), approvals, db)  # type: ignore[arg-type]
    try:
        yield world
    finally:
        await db.dispose()


class World:
    def __init__(self, uow, clock: FixedClock, handlers: ProtectionHandlers, approvals: FakeApprovals, db) -> None:  # type: ignore[no-untyped-def]
        self.uow = uow
        self.clock = clock
        self.handlers = handlers
        self.approvals = approvals
        self.leads = LeadHandlers(uow)
        self.db = db
        self.seen = 0  # outbox rows read so far

    async def add(self, reg: Registration) -> None:
        async with self.uow() as u:
            await u.registrations.add(reg)
            await u.commit()

    async def decide(self, reg_id: str, decision: str, *, kind: str = "partner_registration", approval_id: str = "",
                     comment: str = "") -> None:  # fmt: skip
        async with self.uow() as u:
            made = Decided(approval_id or f"reg-appr-{reg_id}", reg_id, kind, decision, comment)
            await self.handlers.approval_decided(u, T, made)
            await u.commit()

    async def reg(self, reg_id: str) -> Registration:
        async with self.uow() as u:
            found = await u.registrations.get(T, reg_id)
        assert found is not None
        return found

    async def events(self) -> list[Envelope]:
        """The events published since the last call, in order."""
        async with self.uow() as u:
            rows = (
                await u.session.execute(sa.select(outbox_table.c.envelope).order_by(outbox_table.c.created_at))
            ).all()
        out = [Envelope.FromString(r.envelope) for r in rows[self.seen :]]
        self.seen = len(rows)
        return out


def notes(found: list[Envelope]) -> list[tuple[str, str]]:
    return [
        (unpack(e, NotificationRequested).recipient_id, unpack(e, NotificationRequested).kind)
        for e in found
        if e.type == "notification.requested"
    ]


async def test_an_approved_registration_protects_a_new_lead_until_it_lapses_back_to_the_pool(world: World) -> None:
    await world.add(registration("R1"))
    await world.events()
    await world.decide("R1", "approved", comment="同意报备")

    reg = await world.reg("R1")
    assert (reg.status, reg.decision, reg.decision_comment) == ("approved", "approved", "同意报备")
    assert reg.protected_from == START and reg.protected_until == START + timedelta(days=90)
    # the customer was unknown: a lead made through the intake path, as the partner typed it, in the pool
    lead = await world.leads.get(ADMIN, reg.lead_id)
    assert (lead.source, lead.created_by, lead.owner_id, lead.company_name) == (
        "伙伴报备",
        "zhaolei",
        None,
        "杭州申达机电设备有限公司",
    )
    assert (lead.partner_org_id, lead.partner_name, lead.registration_id) == ("dist-hz", "杭州华东机电贸易", "R1")
    assert lead.partner_protected and lead.protected_until == reg.protected_until
    # reps see it partner-protected; the distributor's colleague sees it, another distributor does not
    assert (await world.leads.get(REP, reg.lead_id)).partner_protected
    assert (await world.leads.get(QIAN, reg.lead_id)).registration_id == "R1"
    with pytest.raises(NotFound):
        await world.leads.get(SUN, reg.lead_id)
    listed, _ = await world.leads.list(QIAN, status="", size=50, token="")
    assert [x.lead_id for x in listed] == [reg.lead_id]
    assert (await world.leads.list(SUN, status="", size=50, token=""))[0] == []
    published = await world.events()
    assert [e.type for e in published if e.type.startswith(("lead.", "registration."))] == [
        "lead.created",
        "registration.approved",
    ]
    assert sorted(notes(published)) == [
        ("qianfang", "registration_approved"),
        ("wangqiang", "registration_approved"),
        ("zhaolei", "registration_approved"),
    ]
    # a second decision event changes nothing
    await world.decide("R1", "rejected")
    assert (await world.reg("R1")).status == "approved" and await world.events() == []

    # nothing is due 8 days before the end; 7 days before: the first reminder, once
    world.clock.advance(timedelta(days=82))
    assert await world.handlers.sweep() == 0
    world.clock.advance(timedelta(days=1, hours=1))
    assert await world.handlers.sweep() == 1
    first = await world.events()
    reminded = [unpack(e, events.RegistrationProtectionReminded) for e in first if e.type.endswith("reminded")]
    assert [r.days_before for r in reminded] == [7]
    assert sorted(notes(first)) == [
        ("qianfang", "protection_reminder"),
        ("wangqiang", "protection_reminder"),
        ("zhaolei", "protection_reminder"),
    ]
    assert await world.handlers.sweep() == 0 and await world.events() == []
    # 1 day before: the second, once
    world.clock.advance(timedelta(days=6))
    assert await world.handlers.sweep() == 1
    assert [unpack(e, events.RegistrationProtectionReminded).days_before for e in await world.events()
            if e.type.endswith("reminded")] == [1]  # fmt: skip
    assert (await world.reg("R1")).reminders_sent == (7, 1)
    assert await world.handlers.sweep() == 0

    # the end passes without the lead converting: lapsed, the lead back in the pool without its partner
    world.clock.advance(timedelta(days=1))
    assert await world.handlers.sweep() == 1
    assert (await world.reg("R1")).status == "lapsed"
    lead = await world.leads.get(ADMIN, reg.lead_id)
    assert (lead.partner_protected, lead.partner_org_id, lead.owner_id, lead.protected_until) == (False, "", None, None)
    assert lead.registration_id == "R1"  # which registration it came of stays known
    with pytest.raises(NotFound):  # no longer the distributor's
        await world.leads.get(ZHAO, reg.lead_id)
    lapsed = await world.events()
    assert [e.type for e in lapsed if e.type.startswith("registration.")] == ["registration.lapsed"]
    assert ("zhaolei", "protection_lapsed") in notes(lapsed)
    assert await world.handlers.sweep() == 0


async def test_a_registration_of_a_customer_in_the_pool_protects_that_lead_and_its_conversion_names_the_partner(
    world: World,
) -> None:
    intake = IntakeHandlers(world.uow)
    pool = (await intake.ingest(MANAGER, LeadData(company_name="宁波东海精工有限公司", phone="13905741234"))).lead
    conflict = Conflict(LEAD, "phone", pool.lead_id, "宁波东海精工有限公司")
    await world.add(registration("R2", conflicts=(conflict,), company_name="宁波东海精工有限公司"))
    await world.decide("R2", "approved")

    reg = await world.reg("R2")
    assert reg.lead_id == pool.lead_id  # no second lead
    lead = await world.leads.get(REP, pool.lead_id)
    assert lead.partner_protected and lead.partner_name == "杭州华东机电贸易"
    await world.events()

    converted = await world.leads.convert(MANAGER, pool.lead_id, "东海精工 数控机床", None)
    assert converted.partner_org_id == "dist-hz"
    published = await world.events()
    [event] = [unpack(e, lead_pb2.LeadConverted) for e in published if e.type == "lead.converted"]
    assert (event.partner_org_id, event.registration_id) == ("dist-hz", "R2")
    assert "registration.converted" in [e.type for e in published]
    assert (await world.reg("R2")).status == "converted"
    # the end passes: a converted registration does not lapse, the lead keeps its partner
    world.clock.advance(timedelta(days=91))
    assert await world.handlers.sweep() == 0
    assert (await world.leads.get(ADMIN, pool.lead_id)).partner_org_id == "dist-hz"


async def test_a_rejected_registration_says_why_and_protects_nothing(world: World) -> None:
    await world.add(registration("R3"))
    await world.decide("R3", "rejected", comment="客户已由直销跟进")
    reg = await world.reg("R3")
    assert (reg.status, reg.decision_comment, reg.lead_id, reg.protected_until) == (
        "rejected",
        "客户已由直销跟进",
        "",
        None,
    )
    assert "registration.rejected" in [e.type for e in await world.events()]


async def test_an_approved_extension_moves_the_end_and_the_reminders_run_again(world: World) -> None:
    await world.add(registration("R4"))
    await world.decide("R4", "approved")
    world.clock.advance(timedelta(days=84))
    assert await world.handlers.sweep() == 1  # the 7-day reminder
    before = await world.reg("R4")

    # only the registering distributor's partners ask; bounded days and a reason
    with pytest.raises(NotFound):
        await world.handlers.request_extension(SUN, "R4", 10, "客户招标推迟")
    with pytest.raises(PermissionDenied):
        await world.handlers.request_extension(REP, "R4", 10, "客户招标推迟")
    with pytest.raises(InvalidArgument) as bad:
        await world.handlers.request_extension(QIAN, "R4", 31, " ")
    assert {v.field for v in bad.value.violations} == {"days", "reason"}
    assert (await world.reg("R4")) == before  # nothing changed

    asked = await world.handlers.request_extension(QIAN, "R4", 20, "客户招标推迟到明年一月")
    assert (asked.status, asked.approval_id, asked.days) == ("pending", "appr-1", 20)
    [(subject_type, subject_id, kind, reason, facts)] = world.approvals.submitted
    assert (subject_type, subject_id, kind) == ("registration", "R4", "protection_extension")
    assert facts == {"金额": "380000", "渠道经理": "wangqiang", "分销商": "dist-hz", "申请人": "qianfang"}
    assert "杭州华东机电贸易" in reason and "20天" in reason
    with pytest.raises(FailedPrecondition):  # one at a time
        await world.handlers.request_extension(ZHAO, "R4", 5, "再延长")
    assert [x.status for x in await world.handlers.list_extensions(MANAGER, "R4")] == ["pending"]
    with pytest.raises(NotFound):
        await world.handlers.list_extensions(SUN, "R4")

    await world.decide("R4", "approved", kind="protection_extension", approval_id="appr-1", comment="同意延长")
    reg = await world.reg("R4")
    assert reg.protected_until == before.protected_until + timedelta(days=20)
    assert (reg.extensions, reg.extension_approval_id, reg.reminders_sent) == (1, "", ())
    lead = await world.leads.get(ADMIN, reg.lead_id)
    assert lead.protected_until == reg.protected_until
    [x] = await world.handlers.list_extensions(ZHAO, "R4")
    assert (x.status, x.decision_comment) == ("approved", "同意延长")
    assert "registration.extended" in [e.type for e in await world.events()]

    # the old end passes: still protected; the reminders come again before the new one
    world.clock.advance(timedelta(days=7))
    assert await world.handlers.sweep() == 0
    assert (await world.reg("R4")).status == "approved"
    world.clock.advance(timedelta(days=13))  # day 104 of 110
    assert await world.handlers.sweep() == 1
    assert (await world.reg("R4")).reminders_sent == (7,)


async def test_a_tenants_terms_set_the_window(world: World) -> None:
    with pytest.raises(PermissionDenied):
        await world.handlers.set_terms(MANAGER, 60, 15)
    with pytest.raises(InvalidArgument):
        await world.handlers.set_terms(ADMIN, 0, 400)
    assert (await world.handlers.terms(ZHAO)).protection_days == 90
    await world.handlers.set_terms(ADMIN, 60, 15)
    await world.add(registration("R5"))
    await world.decide("R5", "approved")
    assert (await world.reg("R5")).protected_until == START + timedelta(days=60)
    with pytest.raises(InvalidArgument):
        await world.handlers.request_extension(ZHAO, "R5", 16, "客户预算审批中")
