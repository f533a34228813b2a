"""Rules that must hold on every path, over real gRPC, a real database
(SQLite, and PostgreSQL when TEST_DATABASE_URL is set) and real NATS:
money is bounded and every sum survives any stored amount; winning passes
the gates a stage move would; an activity never erases what it does not
replace; private notes follow their author, not the customer's owner."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import grpc
import nats
import pytest
import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm.opportunity.v1 import customer_pb2 as cpb
from crm.opportunity.v1 import customer_pb2_grpc as cpb_grpc
from crm.opportunity.v1 import opportunity_pb2 as opb
from crm.opportunity.v1 import opportunity_pb2_grpc as opb_grpc
from crm.opportunity.v1 import pipeline_pb2 as ppb
from crm.opportunity.v1 import pipeline_pb2_grpc as ppb_grpc
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.ids import new_id
from crm_shared.money import INT64_MAX, MAX_AMOUNT_MINOR
from opportunity.adapters.orm.customers import customers
from opportunity.adapters.orm.opportunities import opportunities
from opportunity.adapters.opportunity_repository import OpportunityRepository
from opportunity.bootstrap import build
from opportunity.config import Settings
from tests.integration.gateway.conftest import nowhere
from tests.integration.opportunity.test_customers import CODE, create, drained, publish, refused, team
from tests.support.infra import eventually, migrate, run_service

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def service(nats_url: str, database_url: str, clock: FixedClock):
    await migrate("opportunity", database_url)
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, clock=clock,
        # No approval service (nothing is locked; a gate needing an approval would be refused).
        document_versioning_addr=nowhere(), approval_addr="", gate_timeout_s=1.0,
    ) as running:
        yield running


@pytest.fixture
def tenant() -> str:
    return f"tenant-{new_id()}"


@pytest.fixture
async def js(nats_url: str):
    nc = await nats.connect(nats_url)
    yield nc.jetstream()
    await nc.close()


def cny(amount_minor: int) -> Money:
    return Money(amount_minor=amount_minor, currency="CNY")


def ts(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value)
    return out


async def pipeline(service, manager: Caller, *stages: ppb.Stage) -> ppb.Pipeline:
    stub = ppb_grpc.PipelineServiceStub(service.channel)
    return (await stub.CreatePipeline(ppb.CreatePipelineRequest(name=f"管道{new_id()[-4:]}", stages=list(stages)),
                                      metadata=manager.metadata())).pipeline


async def board(service, caller: Caller, pipeline_id: str) -> ppb.GetBoardResponse:
    stub = ppb_grpc.PipelineServiceStub(service.channel)
    return await stub.GetBoard(ppb.GetBoardRequest(pipeline_id=pipeline_id), metadata=caller.metadata())


# -- money ---------------------------------------------------------------------


async def test_amounts_are_bounded_and_the_board_survives_giants_already_stored(service, js, tenant: str) -> None:
    rep, manager = Caller(tenant, "rep-1", "rep"), Caller(tenant, "mgr-1", "manager")
    admin = Caller(tenant, "a", "admin")
    await team(service, js, tenant, "mgr-1", "rep-1")
    opps = opb_grpc.OpportunityServiceStub(service.channel)
    p = await pipeline(service, manager, ppb.Stage(name="初步接触", probability=50, forecast_category="pipeline"))

    def new(amount_minor: int) -> opb.CreateOpportunityRequest:
        return opb.CreateOpportunityRequest(
            customer_name=f"宁波注塑机厂{new_id()[-6:]}", name="二期", amount=cny(amount_minor), pipeline_id=p.pipeline_id
        )

    bad = await refused(opps.CreateOpportunity(new(INT64_MAX - 1), metadata=rep.metadata()),
                        grpc.StatusCode.INVALID_ARGUMENT)
    assert [v.field for v in bad.field_violations] == ["amount.amount_minor"]
    assert str(MAX_AMOUNT_MINOR) in bad.field_violations[0].description
    # At the bound is fine, and three of them add up exactly.
    made = [(await opps.CreateOpportunity(new(MAX_AMOUNT_MINOR), metadata=rep.metadata())).opportunity
            for _ in range(3)]
    column = (await board(service, admin, p.pipeline_id)).columns[0]
    assert (column.count, column.amount.amount_minor, column.weighted_amount.amount_minor) == (
        3, 3 * MAX_AMOUNT_MINOR, 3 * MAX_AMOUNT_MINOR * 50 // 100
    )
    bad = await refused(opps.UpdateOpportunity(
        opb.UpdateOpportunityRequest(opportunity_id=made[0].opportunity_id, amount=cny(MAX_AMOUNT_MINOR + 1)),
        metadata=rep.metadata(),
    ), grpc.StatusCode.INVALID_ARGUMENT)
    assert [v.field for v in bad.field_violations] == ["amount.amount_minor"]

    # Two rows stored before the bound existed, near the int64 limit: every board still answers.
    async with service.runtime.db.sessions() as session, session.begin():
        await session.execute(
            sa.update(opportunities)
            .where(opportunities.c.opportunity_id.in_([made[0].opportunity_id, made[1].opportunity_id]))
            .values(amount_minor=INT64_MAX - 1)
        )
    for caller in (manager, admin, rep):
        column = (await board(service, caller, p.pipeline_id)).columns[0]
        assert (column.count, column.amount.amount_minor, column.weighted_amount.amount_minor) == (
            3, INT64_MAX, INT64_MAX
        )
    got = await opps.GetOpportunity(opb.GetOpportunityRequest(opportunity_id=made[0].opportunity_id),
                                    metadata=rep.metadata())
    assert got.opportunity.amount.amount_minor == INT64_MAX - 1


# -- winning passes the gates --------------------------------------------------


FIELDS_PIPELINE = (
    ppb.Stage(name="初步接触", probability=10, forecast_category="pipeline"),
    ppb.Stage(name="需求确认", probability=25, forecast_category="pipeline",
              gate=ppb.Gate(required_fields=["decision_maker"])),
    ppb.Stage(name="报价谈判", probability=60, forecast_category="best_case",
              gate=ppb.Gate(required_fields=["amount", "expected_close_date"])),
)


async def test_winning_from_the_first_stage_answers_every_skipped_gate_and_changes_nothing(
    service, tenant: str
) -> None:
    rep, admin = Caller(tenant, "rep-1", "rep"), Caller(tenant, "a", "admin")
    p = await pipeline(service, Caller(tenant, "mgr-1", "manager"), *FIELDS_PIPELINE)
    stages = ppb_grpc.PipelineServiceStub(service.channel)
    opps = opb_grpc.OpportunityServiceStub(service.channel)
    opp = (await opps.CreateOpportunity(
        opb.CreateOpportunityRequest(customer_name="绍兴恒锐", name="注塑机自动化", pipeline_id=p.pipeline_id),
        metadata=rep.metadata(),
    )).opportunity

    won = ppb.CloseWonRequest(opportunity_id=opp.opportunity_id, reason="签约")
    refusal = await refused(stages.CloseWon(won, metadata=rep.metadata()), grpc.StatusCode.FAILED_PRECONDITION)
    assert [(v.type, v.subject) for v in refusal.precondition_violations] == [
        ("field", "decision_maker"), ("field", "amount"), ("field", "expected_close_date")
    ]
    after = (await opps.GetOpportunity(opb.GetOpportunityRequest(opportunity_id=opp.opportunity_id),
                                       metadata=rep.metadata())).opportunity
    assert (after.status, after.stage) == ("open", "初步接触")
    assert (await board(service, admin, p.pipeline_id)).won_count == 0
    history = await stages.GetStageHistory(ppb.GetStageHistoryRequest(opportunity_id=opp.opportunity_id),
                                           metadata=rep.metadata())
    assert [(s.stage, s.left_via) for s in history.stays] == [("初步接触", "")]

    # Filled in, the same win goes through and the board counts it.
    await opps.UpdateOpportunity(opb.UpdateOpportunityRequest(
        opportunity_id=opp.opportunity_id, decision_maker="采购总监 李总", amount=cny(38_000_000),
        expected_close_date="2027-03-31",
    ), metadata=rep.metadata())
    closed = (await stages.CloseWon(won, metadata=rep.metadata())).opportunity
    assert (closed.status, closed.probability) == ("won", 100)
    summary = await board(service, admin, p.pipeline_id)
    assert (summary.won_count, summary.won_amount.amount_minor) == (1, 38_000_000)


async def test_winning_in_the_last_stage_still_needs_its_gate_and_lost_needs_none(service, tenant: str) -> None:
    rep = Caller(tenant, "rep-1", "rep")
    stages = ppb_grpc.PipelineServiceStub(service.channel)
    opps = opb_grpc.OpportunityServiceStub(service.channel)
    p = await pipeline(service, Caller(tenant, "mgr-1", "manager"), *FIELDS_PIPELINE)
    opp = (await opps.CreateOpportunity(opb.CreateOpportunityRequest(
        customer_name="台州精工", name="模具", pipeline_id=p.pipeline_id, amount=cny(1_000_000),
        expected_close_date="2027-01-31", decision_maker="王总",
    ), metadata=rep.metadata())).opportunity
    await stages.MoveStage(ppb.MoveStageRequest(opportunity_id=opp.opportunity_id, stage="报价谈判"),
                           metadata=rep.metadata())
    # The amount is blanked after entering the last stage: the win is refused on it.
    await opps.UpdateOpportunity(opb.UpdateOpportunityRequest(opportunity_id=opp.opportunity_id, amount=cny(0)),
                                 metadata=rep.metadata())
    refusal = await refused(stages.CloseWon(ppb.CloseWonRequest(opportunity_id=opp.opportunity_id),
                                            metadata=rep.metadata()), grpc.StatusCode.FAILED_PRECONDITION)
    assert [(v.type, v.subject) for v in refusal.precondition_violations] == [("field", "amount")]
    lost = (await stages.CloseLost(ppb.CloseLostRequest(opportunity_id=opp.opportunity_id, reason="预算冻结"),
                                   metadata=rep.metadata())).opportunity
    assert lost.status == "lost"
    reopened = (await stages.Reopen(ppb.ReopenRequest(opportunity_id=opp.opportunity_id),
                                    metadata=rep.metadata())).opportunity
    assert (reopened.status, reopened.stage) == ("open", "报价谈判")
    await refused(stages.CloseWon(ppb.CloseWonRequest(opportunity_id=opp.opportunity_id), metadata=rep.metadata()),
                  grpc.StatusCode.FAILED_PRECONDITION)


async def test_winning_asks_the_document_gate_and_refuses_when_it_cannot(service, tenant: str) -> None:
    rep = Caller(tenant, "rep-1", "rep")
    stages = ppb_grpc.PipelineServiceStub(service.channel)
    p = await pipeline(
        service, Caller(tenant, "mgr-1", "manager"),
        ppb.Stage(name="扫码留资", probability=5, forecast_category="pipeline"),
        ppb.Stage(name="签订技术协议", probability=60, forecast_category="commit",
                  gate=ppb.Gate(required_documents=["技术协议"])),
    )
    opp = (await opb_grpc.OpportunityServiceStub(service.channel).CreateOpportunity(
        opb.CreateOpportunityRequest(customer_name="慈溪塑料", name="注塑机", pipeline_id=p.pipeline_id),
        metadata=rep.metadata(),
    )).opportunity
    # document-versioning cannot be reached: the win is not taken on trust.
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stages.CloseWon(ppb.CloseWonRequest(opportunity_id=opp.opportunity_id), metadata=rep.metadata())
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE
    assert (await board(service, Caller(tenant, "a", "admin"), p.pipeline_id)).won_count == 0


# -- activities do not erase what they do not replace ----------------------------


async def test_a_call_keeps_the_planned_follow_up_unless_it_replaces_or_clears_it(
    service, tenant: str, clock: FixedClock
) -> None:
    rep = Caller(tenant, "rep-1", "rep")
    stub = cpb_grpc.CustomerServiceStub(service.channel)
    customer = await create(service, rep)
    planned = NOW + timedelta(days=3)
    await stub.RescheduleFollowUp(cpb.RescheduleFollowUpRequest(
        customer_id=customer.customer_id, next_follow_up_at=ts(planned), reason="约好下周回访"), metadata=rep.metadata())

    async def plan() -> datetime | None:
        c = (await stub.GetCustomer(cpb.GetCustomerRequest(customer_id=customer.customer_id),
                                    metadata=rep.metadata())).customer
        return c.next_follow_up_at.ToDatetime(tzinfo=UTC) if c.HasField("next_follow_up_at") else None

    await stub.LogActivity(cpb.LogActivityRequest(customer_id=customer.customer_id, kind="call",
                                                  summary="电话确认样件进度"), metadata=rep.metadata())
    assert await plan() == planned
    later = NOW + timedelta(days=5)
    await stub.LogActivity(cpb.LogActivityRequest(customer_id=customer.customer_id, kind="call", summary="改期",
                                                  next_follow_up_at=ts(later)), metadata=rep.metadata())
    assert await plan() == later
    bad = await refused(stub.LogActivity(cpb.LogActivityRequest(
        customer_id=customer.customer_id, kind="call", summary="x", next_follow_up_at=ts(later + timedelta(days=1)),
        clear_follow_up=True,
    ), metadata=rep.metadata()), grpc.StatusCode.INVALID_ARGUMENT)
    assert [v.field for v in bad.field_violations] == ["clear_follow_up"]
    assert await plan() == later
    chain = await stub.ListActivities(cpb.ListActivitiesRequest(customer_id=customer.customer_id),
                                      metadata=rep.metadata())
    assert len(chain.activities) == 2  # the refused one stored nothing
    await stub.LogActivity(cpb.LogActivityRequest(customer_id=customer.customer_id, kind="call", summary="项目取消",
                                                  clear_follow_up=True), metadata=rep.metadata())
    assert await plan() is None


async def test_an_update_naming_only_the_address_keeps_the_rest_of_the_location(service, tenant: str) -> None:
    rep = Caller(tenant, "rep-1", "rep")
    stub = cpb_grpc.CustomerServiceStub(service.channel)
    customer = await create(service, rep)
    updated = (await stub.UpdateCustomer(cpb.UpdateCustomerRequest(
        customer_id=customer.customer_id, location=cpb.Location(address="北仑区大碶街道 88 号")),
        metadata=rep.metadata())).customer
    loc = updated.location
    assert (loc.province, loc.city, loc.district, loc.address, loc.latitude, loc.longitude) == (
        "浙江省", "宁波市", "北仑区", "北仑区大碶街道 88 号", pytest.approx(29.8683), pytest.approx(121.5440)
    )
    # "" clears one part on purpose; clear_coordinates removes the coordinates.
    updated = (await stub.UpdateCustomer(cpb.UpdateCustomerRequest(
        customer_id=customer.customer_id, location=cpb.Location(district=""), clear_coordinates=True),
        metadata=rep.metadata())).customer
    assert (updated.location.city, updated.location.district, updated.location.HasField("latitude")) == (
        "宁波市", "", False
    )
    async with service.runtime.db.sessions() as session:
        row = (await session.execute(sa.select(customers.c.address, customers.c.latitude)
                                     .where(customers.c.customer_id == customer.customer_id))).one()
    assert (row.address, row.latitude) == ("北仑区大碶街道 88 号", None)


# -- private notes follow their author ---------------------------------------------


async def test_private_notes_stay_with_their_author_after_a_reassignment(service, js, tenant: str) -> None:
    rep1, rep2, rep3 = (Caller(tenant, r, "rep") for r in ("rep-1", "rep-2", "rep-3"))
    manager, admin = Caller(tenant, "mgr-1", "manager"), Caller(tenant, "boss", "admin")
    other_manager = Caller(tenant, "mgr-2", "manager")
    await team(service, js, tenant, "mgr-1", "rep-1", "rep-2", "rep-3")
    stub = cpb_grpc.CustomerServiceStub(service.channel)
    customer = await create(service, rep1)
    cid = customer.customer_id
    mine = (await stub.AddNote(cpb.AddNoteRequest(customer_id=cid, text="李总私下说预算在 200 万以内"),
                               metadata=rep1.metadata())).note
    await stub.ReassignCustomer(cpb.ReassignCustomerRequest(customer_id=cid, to_owner_id="rep-2"),
                                metadata=manager.metadata())
    theirs = (await stub.AddNote(cpb.AddNoteRequest(customer_id=cid, text="新对接人是王工"),
                                 metadata=rep2.metadata())).note

    async def texts(caller: Caller) -> list[str]:
        found = await stub.ListNotes(cpb.ListNotesRequest(customer_id=cid), metadata=caller.metadata())
        return [n.text for n in found.notes]

    assert await texts(rep2) == ["新对接人是王工"]  # not the previous owner's note
    assert await texts(rep1) == ["李总私下说预算在 200 万以内"]  # the author keeps theirs
    assert await texts(manager) == ["李总私下说预算在 200 万以内", "新对接人是王工"]
    assert await texts(admin) == ["李总私下说预算在 200 万以内", "新对接人是王工"]
    await refused(stub.ListNotes(cpb.ListNotesRequest(customer_id=cid), metadata=rep3.metadata()),
                  grpc.StatusCode.NOT_FOUND)
    await refused(stub.ListNotes(cpb.ListNotesRequest(customer_id=cid), metadata=other_manager.metadata()),
                  grpc.StatusCode.NOT_FOUND)

    # The author edits theirs (history kept) after the hand-over; the new owner cannot touch it.
    edited = (await stub.EditNote(cpb.EditNoteRequest(customer_id=cid, note_id=mine.note_id, text="预算 180 万"),
                                  metadata=rep1.metadata())).note
    assert [h.text for h in edited.history] == ["李总私下说预算在 200 万以内", "预算 180 万"]
    await refused(stub.EditNote(cpb.EditNoteRequest(customer_id=cid, note_id=mine.note_id, text="x"),
                                metadata=rep2.metadata()), grpc.StatusCode.NOT_FOUND)
    await refused(stub.EditNote(cpb.EditNoteRequest(customer_id=cid, note_id=theirs.note_id, text="x"),
                                metadata=manager.metadata()), grpc.StatusCode.PERMISSION_DENIED)
    await refused(stub.EditNote(cpb.EditNoteRequest(customer_id=cid, note_id=theirs.note_id, text="x"),
                                metadata=rep1.metadata()), grpc.StatusCode.NOT_FOUND)
    # The previous owner cannot add notes to a customer no longer theirs.
    await refused(stub.AddNote(cpb.AddNoteRequest(customer_id=cid, text="x"), metadata=rep1.metadata()),
                  grpc.StatusCode.NOT_FOUND)


# -- a timer or consumer writes back only what it changed --------------------------


async def test_clearing_a_flag_on_a_stale_read_does_not_undo_a_reassignment_or_an_amount(
    service, js, tenant: str
) -> None:
    rep, manager = Caller(tenant, "rep-1", "rep"), Caller(tenant, "mgr-1", "manager")
    await team(service, js, tenant, "mgr-1", "rep-1", "rep-2")
    opps = opb_grpc.OpportunityServiceStub(service.channel)
    opp = (await opps.CreateOpportunity(opb.CreateOpportunityRequest(
        customer_name="嘉兴纺机", customer_credit_code=CODE, name="织机"), metadata=rep.metadata())).opportunity
    async with service.runtime.db.sessions() as session:
        stale = await OpportunityRepository(session).get(tenant, opp.opportunity_id)
    assert stale is not None
    # Meanwhile the rep fills the amount and the manager hands the customer to rep-2.
    await opps.UpdateOpportunity(opb.UpdateOpportunityRequest(opportunity_id=opp.opportunity_id, amount=cny(5_000_000)),
                                 metadata=rep.metadata())
    await cpb_grpc.CustomerServiceStub(service.channel).ReassignCustomer(
        cpb.ReassignCustomerRequest(customer_id=opp.customer_id, to_owner_id="rep-2"), metadata=manager.metadata())
    # A timer working on its earlier read raises a flag.
    async with service.runtime.db.sessions() as session, session.begin():
        await OpportunityRepository(session).save(
            replace(stale, flags=("no_activity_24h",), first_touch_due_at=None), before=stale
        )
    got = (await opps.GetOpportunity(opb.GetOpportunityRequest(opportunity_id=opp.opportunity_id),
                                     metadata=manager.metadata())).opportunity
    assert (got.owner_id, got.amount.amount_minor, list(got.flags)) == ("rep-2", 5_000_000, ["no_activity_24h"])


async def test_the_purchase_total_saturates_instead_of_failing_the_receipt_consumer(service, js, tenant: str) -> None:
    admin = Caller(tenant, "admin", "admin")
    customer = await create(service, admin, owner_id="rep-1")
    opp = (await opb_grpc.OpportunityServiceStub(service.channel).CreateOpportunity(
        opb.CreateOpportunityRequest(customer_credit_code=CODE, name="二期"), metadata=admin.metadata())).opportunity
    async with service.runtime.db.sessions() as session, session.begin():
        await session.execute(sa.update(customers).where(customers.c.customer_id == customer.customer_id)
                              .values(purchase_total_minor=INT64_MAX - 10))
    for amount in (MAX_AMOUNT_MINOR, INT64_MAX):  # the second is out of bounds: not counted
        receipt = finance_pb2.ReceiptRecorded(
            receipt_id=new_id(), opportunity_id=opp.opportunity_id, amount=cny(amount), status="recorded"
        )
        await publish(js, "payment.receipt_recorded", tenant, receipt.receipt_id, receipt)
    await eventually(lambda: drained(js, "opportunity-receipts", "FINANCE_RECONCILIATION"))
    got = (await cpb_grpc.CustomerServiceStub(service.channel).GetCustomer(
        cpb.GetCustomerRequest(customer_id=customer.customer_id), metadata=admin.metadata())).customer
    assert got.purchase_total.amount_minor == INT64_MAX


async def test_a_won_deal_cannot_be_emptied_afterwards_without_reopening_it(service, tenant: str) -> None:
    rep = Caller(tenant, "rep-1", "rep")
    stages = ppb_grpc.PipelineServiceStub(service.channel)
    opps = opb_grpc.OpportunityServiceStub(service.channel)
    p = await pipeline(service, Caller(tenant, "mgr-1", "manager"), *FIELDS_PIPELINE)
    opp = (await opps.CreateOpportunity(opb.CreateOpportunityRequest(
        customer_name="湖州电机", name="电机", pipeline_id=p.pipeline_id, amount=cny(2_000_000),
        expected_close_date="2027-01-31", decision_maker="周总",
    ), metadata=rep.metadata())).opportunity
    await stages.CloseWon(ppb.CloseWonRequest(opportunity_id=opp.opportunity_id), metadata=rep.metadata())
    await refused(opps.UpdateOpportunity(opb.UpdateOpportunityRequest(opportunity_id=opp.opportunity_id,
                                                                      amount=cny(0), decision_maker=""),
                                         metadata=rep.metadata()), grpc.StatusCode.FAILED_PRECONDITION)
    summary = await board(service, Caller(tenant, "a", "admin"), p.pipeline_id)
    assert (summary.won_count, summary.won_amount.amount_minor) == (1, 2_000_000)
    await stages.Reopen(ppb.ReopenRequest(opportunity_id=opp.opportunity_id), metadata=rep.metadata())
    changed = (await opps.UpdateOpportunity(opb.UpdateOpportunityRequest(
        opportunity_id=opp.opportunity_id, amount=cny(2_500_000)), metadata=rep.metadata())).opportunity
    assert changed.amount.amount_minor == 2_500_000


async def test_two_edits_of_one_contact_at_once_both_land_in_order(service, tenant: str) -> None:
    rep = Caller(tenant, "rep-1", "rep")
    stub = cpb_grpc.CustomerServiceStub(service.channel)
    customer = await create(service, rep)
    contact = (await stub.AddContact(cpb.AddContactRequest(customer_id=customer.customer_id, name="张总"),
                                     metadata=rep.metadata())).contact
    for i in range(5):
        await asyncio.gather(
            stub.UpdateContact(cpb.UpdateContactRequest(customer_id=customer.customer_id,
                                                        contact_id=contact.contact_id, title=f"副总{i}"),
                               metadata=rep.metadata()),
            stub.UpdateContact(cpb.UpdateContactRequest(customer_id=customer.customer_id,
                                                        contact_id=contact.contact_id, personality=f"严谨型{i}"),
                               metadata=rep.metadata()),
        )
    final = (await stub.ListContacts(cpb.ListContactsRequest(customer_id=customer.customer_id),
                                     metadata=rep.metadata())).contacts[0]
    assert (final.title, final.personality, final.version) == ("副总4", "严谨型4", 11)
    assert [h.version for h in final.history] == list(range(1, 12))


async def test_two_edits_of_one_note_at_once_both_stay_in_its_history(service, tenant: str) -> None:
    rep = Caller(tenant, "rep-1", "rep")
    stub = cpb_grpc.CustomerServiceStub(service.channel)
    customer = await create(service, rep)
    note = (await stub.AddNote(cpb.AddNoteRequest(customer_id=customer.customer_id, text="初稿"),
                               metadata=rep.metadata())).note
    for i in range(5):
        await asyncio.gather(*(
            stub.EditNote(cpb.EditNoteRequest(customer_id=customer.customer_id, note_id=note.note_id,
                                              text=f"第{i}轮-{side}"), metadata=rep.metadata())
            for side in ("甲", "乙")
        ))
    final = (await stub.ListNotes(cpb.ListNotesRequest(customer_id=customer.customer_id),
                                  metadata=rep.metadata())).notes[0]
    assert final.version == 11
    assert [h.version for h in final.history] == list(range(1, 12))
