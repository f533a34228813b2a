"""The customer master over real gRPC, a real database and real NATS:
customers, access through the rep projection, contacts and notes with
history, lead conversion exactly once, reassignment, dynamic attributes.

NATS lives for the whole session, so every test works in a tenant of its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import grpc
import nats
import pytest
import sqlalchemy as sa
from google.protobuf.message import Message

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import customer_pb2 as customer_events
from crm.events.v1 import finance_pb2, lead_pb2, rep_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.notification_pb2 import NotificationRequested
from crm.opportunity.v1 import customer_pb2 as pb
from crm.opportunity.v1 import customer_pb2_grpc as pb_grpc
from crm.opportunity.v1 import opportunity_pb2 as opp_pb
from crm.opportunity.v1 import opportunity_pb2_grpc as opp_grpc
from crm_shared.context import Caller
from crm_shared.events import make_envelope, subject_for, unpack
from crm_shared.grpc_errors import decode_rpc_error
from crm_shared.ids import new_id
from opportunity.adapters.orm.customers import contacts, customers
from opportunity.adapters.orm.reps import reps
from opportunity.bootstrap import build
from opportunity.config import Settings
from tests.support.infra import eventually, migrate, run_service

CODE = "91330200MA2AFK8X1K"
OTHER_CODE = "91440300MA5EXQ7P3B"


@pytest.fixture
async def service(nats_url: str, database_url: str):
    await migrate("opportunity", database_url)
    async with run_service(build, Settings, nats_url=nats_url, database_url=database_url) as running:
        yield running


@pytest.fixture
def tenant() -> str:
    return f"tenant-{new_id()}"


@pytest.fixture
async def js(nats_url: str):
    nc = await nats.connect(nats_url)
    yield nc.jetstream()
    await nc.close()


def stub(service) -> pb_grpc.CustomerServiceStub:
    return pb_grpc.CustomerServiceStub(service.channel)


async def publish(js, type_: str, tenant: str, aggregate_id: str, payload: Message) -> Envelope:
    env = make_envelope(type_, tenant, aggregate_id, payload, source="test", occurred_at=datetime.now(UTC))
    await js.publish(subject_for(type_), env.SerializeToString(), headers={"Nats-Msg-Id": env.event_id})
    return env


async def drained(js, durable: str, stream: str) -> bool:
    info = await js.consumer_info(stream, durable)
    return info.num_pending == 0 and info.num_ack_pending == 0


async def count(service, table: sa.Table, tenant: str) -> int:
    async with service.runtime.db.sessions() as session:
        return await session.scalar(sa.select(sa.func.count()).select_from(table).where(table.c.tenant_id == tenant))


async def team(service, js, tenant: str, manager: str, *reps: str, active: bool = True) -> None:
    """Announce rep profiles as lead-routing would and wait for the projection."""
    for rep in reps:
        profile = rep_pb2.RepProfileChanged(rep_id=rep, name=rep, team="华东", manager_id=manager, region="浙江",
                                            active=active)
        await publish(js, "rep.profile_changed", tenant, rep, profile)
    await eventually(lambda: drained(js, "opportunity-rep-profile-changed", "LEAD_ROUTING"))


async def create(service, caller: Caller, **fields) -> pb.Customer:
    base = dict(name="宁波注塑机厂", credit_code=CODE,
                location=pb.Location(province="浙江省", city="宁波市", district="北仑区",
                                     latitude=29.8683, longitude=121.5440))
    answer = await stub(service).CreateCustomer(pb.CreateCustomerRequest(**(base | fields)), metadata=caller.metadata())
    return answer.customer


async def refused(call, code: grpc.StatusCode):
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call
    assert err.value.code() == code, err.value.details()
    return decode_rpc_error(err.value)


async def test_customers_by_credit_code_with_access_through_the_rep_projection(service, js, tenant: str) -> None:
    rep1, rep2 = Caller(tenant, "rep-1", "rep"), Caller(tenant, "rep-2", "rep")
    manager, other_manager = Caller(tenant, "mgr-1", "manager"), Caller(tenant, "mgr-2", "manager")
    await team(service, js, tenant, "mgr-1", "rep-1", "rep-2")

    first = await create(service, rep1, value_tier="战略", tags=["注塑"], industry="机械制造", size_tier="中型",
                         cooperation_stage="合作中")
    assert (first.credit_code, first.owner_id, first.value_tier, first.tags) == (CODE, "rep-1", "战略", ["注塑"])
    assert first.location.latitude == pytest.approx(29.8683)
    second = await create(service, rep2, name="深圳精密", credit_code=OTHER_CODE)

    # One code, one customer per tenant: the error names the field.
    dup = await refused(create(service, rep2, name="重名", credit_code="9133 0200 ma2a fk8x 1k"),
                        grpc.StatusCode.ALREADY_EXISTS)
    assert "credit_code" in dup.message
    # ... but another tenant may have it.
    assert (await create(service, Caller("t-" + new_id(), "rep-1", "rep"))).credit_code == CODE
    bad = await refused(create(service, rep1, name="", credit_code="91330200MA2AFK8X10"),
                        grpc.StatusCode.INVALID_ARGUMENT)
    assert {v.field for v in bad.field_violations} == {"name", "credit_code"}

    async def listed(caller: Caller) -> list[str]:
        answer = await stub(service).ListCustomers(pb.ListCustomersRequest(), metadata=caller.metadata())
        return [c.customer_id for c in answer.customers]

    both = [first.customer_id, second.customer_id]
    assert await listed(rep1) == [first.customer_id]
    assert await listed(rep2) == [second.customer_id]
    assert await listed(manager) == both
    assert await listed(other_manager) == []
    for role in ("finance", "reviewer", "admin"):
        assert await listed(Caller(tenant, "x", role)) == both
    # A partner's list waits for lead-routing's word on their distributor; this service knows no lead-routing.
    await refused(listed(Caller(tenant, "zhaolei", "partner", organisation="dist-hz")), grpc.StatusCode.UNAVAILABLE)
    assert await listed(Caller("other-" + tenant, "mgr-1", "manager")) == []

    get = pb.GetCustomerRequest(customer_id=first.customer_id)
    for caller in (rep2, other_manager, Caller(tenant, "p", "partner"), Caller("other", "rep-1", "rep")):
        await refused(stub(service).GetCustomer(get, metadata=caller.metadata()), grpc.StatusCode.NOT_FOUND)
    assert (await stub(service).GetCustomer(get, metadata=manager.metadata())).customer.name == "宁波注塑机厂"

    # Finance reads but does not change; a rep may not give a customer away.
    update = pb.UpdateCustomerRequest(customer_id=first.customer_id, value_tier="重点")
    await refused(stub(service).UpdateCustomer(update, metadata=Caller(tenant, "f", "finance").metadata()),
                  grpc.StatusCode.PERMISSION_DENIED)
    updated = (await stub(service).UpdateCustomer(update, metadata=rep1.metadata())).customer
    assert (updated.value_tier, updated.industry) == ("重点", "机械制造")
    await refused(create(service, rep1, name="x", credit_code="91310000MA1FL4RG8T", owner_id="rep-2"),
                  grpc.StatusCode.PERMISSION_DENIED)
    # A manager may create for a rep of theirs, not for someone else's.
    made = await create(service, manager, name="x", credit_code="91310000MA1FL4RG8T", owner_id="rep-2")
    assert made.owner_id == "rep-2"
    taken = await refused(stub(service).UpdateCustomer(
        pb.UpdateCustomerRequest(customer_id=made.customer_id, credit_code=CODE), metadata=manager.metadata()
    ), grpc.StatusCode.ALREADY_EXISTS)
    assert "credit_code" in taken.message
    await refused(create(service, other_manager, name="y", credit_code="91110000MA01A2B3XJ", owner_id="rep-2"),
                  grpc.StatusCode.PERMISSION_DENIED)


async def test_an_older_rep_announcement_delivered_late_brings_nothing_back(service, js, tenant: str) -> None:
    # rep-1 moves from mgr-1's team to mgr-2's; the older announcement arrives after the newer one.
    moved = rep_pb2.RepProfileChanged(rep_id="rep-1", name="rep-1", team="华南", manager_id="mgr-2", region="广东",
                                      active=True)
    older = rep_pb2.RepProfileChanged(rep_id="rep-1", name="rep-1", team="华东", manager_id="mgr-1", region="浙江",
                                      active=True)
    now = datetime.now(UTC)
    for payload, at in ((moved, now), (older, now - timedelta(minutes=5))):
        env = make_envelope("rep.profile_changed", tenant, "rep-1", payload, source="test", occurred_at=at)
        await js.publish(subject_for("rep.profile_changed"), env.SerializeToString(),
                         headers={"Nats-Msg-Id": env.event_id})
    await eventually(lambda: drained(js, "opportunity-rep-profile-changed", "LEAD_ROUTING"))
    async with service.runtime.db.sessions() as session:
        row = (await session.execute(sa.select(reps.c.manager_id, reps.c.team, reps.c.updated_at).where(
            reps.c.tenant_id == tenant, reps.c.rep_id == "rep-1"))).one()
    assert (row.manager_id, row.team) == ("mgr-2", "华南")
    # The customer rep-1 owns is mgr-2's team's now, not mgr-1's.
    made = await create(service, Caller(tenant, "rep-1", "rep"))
    for manager, code in (("mgr-2", grpc.StatusCode.OK), ("mgr-1", grpc.StatusCode.NOT_FOUND)):
        try:
            await stub(service).GetCustomer(pb.GetCustomerRequest(customer_id=made.customer_id),
                                            metadata=Caller(tenant, manager, "manager").metadata())
            got = grpc.StatusCode.OK
        except grpc.aio.AioRpcError as err:
            got = err.code()
        assert got == code, manager


async def test_contacts_keep_every_version_and_notes_are_private_and_never_lost(service, js, tenant: str) -> None:
    rep1, rep2 = Caller(tenant, "rep-1", "rep"), Caller(tenant, "rep-2", "rep")
    manager = Caller(tenant, "mgr-1", "manager")
    await team(service, js, tenant, "mgr-1", "rep-1")
    customer = await create(service, rep1)
    cid = customer.customer_id

    added = (await stub(service).AddContact(
        pb.AddContactRequest(customer_id=cid, name="张总", title="采购经理", phone="13800138000",
                             purchase_role="采购", influence=3, personality="严谨型"),
        metadata=rep1.metadata(),
    )).contact
    changed = (await stub(service).UpdateContact(
        pb.UpdateContactRequest(customer_id=cid, contact_id=added.contact_id, title="副总经理",
                                phone="13900139000", purchase_role="决策人", influence=5),
        metadata=rep1.metadata(),
    )).contact
    assert (changed.version, changed.title, changed.phone) == (2, "副总经理", "+8613900139000")
    assert [(h.version, h.title, h.phone) for h in changed.history] == [
        (1, "采购经理", "+8613800138000"), (2, "副总经理", "+8613900139000")
    ]
    bad = await refused(stub(service).UpdateContact(
        pb.UpdateContactRequest(customer_id=cid, contact_id=added.contact_id, influence=9), metadata=rep1.metadata()
    ), grpc.StatusCode.INVALID_ARGUMENT)
    assert [v.field for v in bad.field_violations] == ["influence"]
    listed = await stub(service).ListContacts(pb.ListContactsRequest(customer_id=cid),
                                              metadata=Caller(tenant, "f", "finance").metadata())
    assert [len(c.history) for c in listed.contacts] == [2]

    note = (await stub(service).AddNote(pb.AddNoteRequest(customer_id=cid, text="客户孩子在宁波外国语学校"),
                                        metadata=rep1.metadata())).note
    edited = (await stub(service).EditNote(
        pb.EditNoteRequest(customer_id=cid, note_id=note.note_id, text="客户喜欢周末钓鱼"), metadata=rep1.metadata()
    )).note
    assert (edited.version, edited.text) == (2, "客户喜欢周末钓鱼")
    assert [h.text for h in edited.history] == ["客户孩子在宁波外国语学校", "客户喜欢周末钓鱼"]

    notes = pb.ListNotesRequest(customer_id=cid)
    for reader in (rep1, manager, Caller(tenant, "admin", "admin")):
        found = await stub(service).ListNotes(notes, metadata=reader.metadata())
        assert [n.text for n in found.notes] == ["客户喜欢周末钓鱼"]
    for outsider in (Caller(tenant, "f", "finance"), Caller(tenant, "r", "reviewer")):
        await refused(stub(service).ListNotes(notes, metadata=outsider.metadata()), grpc.StatusCode.PERMISSION_DENIED)
    await refused(stub(service).ListNotes(notes, metadata=rep2.metadata()), grpc.StatusCode.NOT_FOUND)
    # The manager reads but does not write or edit the rep's notes.
    await refused(stub(service).AddNote(pb.AddNoteRequest(customer_id=cid, text="x"), metadata=manager.metadata()),
                  grpc.StatusCode.PERMISSION_DENIED)
    # There is no RPC to delete a note.
    assert not any("Delete" in m.name for m in pb.DESCRIPTOR.services_by_name["CustomerService"].methods)


def lead_converted(lead_id: str, **overrides) -> lead_pb2.LeadConverted:
    fields = dict(
        lead_id=lead_id, company_name="绍兴柯桥纺织机械有限公司", credit_code=OTHER_CODE, contact_name="王经理",
        phone="+8657585123456", province="浙江省", city="绍兴市", district="柯桥区", owner_id="rep-7",
        opportunity_name="织机升级", expected_amount=Money(amount_minor=50_000_000, currency="CNY"),
        source="展会扫码", address="柯桥区齐贤街道 88 号", latitude=30.0890, longitude=120.4930,
        industry_tags=["纺织机械", "设备升级"],
    )
    return lead_pb2.LeadConverted(**(fields | overrides))


async def test_lead_converted_twice_makes_one_customer_and_attaches_by_phone(service, js, tenant: str) -> None:
    admin = Caller(tenant, "admin", "admin")
    lead_id = new_id()
    env = await publish(js, "lead.converted", tenant, lead_id, lead_converted(lead_id))
    # The very same envelope again, past JetStream's de-duplication window id.
    await js.publish(subject_for("lead.converted"), env.SerializeToString(), headers={"Nats-Msg-Id": new_id()})
    await eventually(lambda: drained(js, "opportunity-lead-converted", "LEAD_ROUTING"))

    listed = (await stub(service).ListCustomers(pb.ListCustomersRequest(), metadata=admin.metadata())).customers
    assert len(listed) == 1 and await count(service, customers, tenant) == 1
    customer = listed[0]
    assert (customer.credit_code, customer.owner_id, customer.location.address) == (OTHER_CODE, "rep-7", "柯桥区齐贤街道 88 号")
    assert (customer.location.latitude, customer.industry, list(customer.tags)) == (
        pytest.approx(30.0890), "纺织机械", ["纺织机械", "设备升级"]
    )
    people = (await stub(service).ListContacts(pb.ListContactsRequest(customer_id=customer.customer_id),
                                               metadata=admin.metadata())).contacts
    assert [(p.name, p.phone) for p in people] == [("王经理", "+8657585123456")]

    # Another lead of the same company without a code: attached by phone.
    by_phone = new_id()
    await publish(js, "lead.converted", tenant, by_phone,
                  lead_converted(by_phone, credit_code="", company_name="柯桥纺机", opportunity_name="备件"))
    await eventually(lambda: drained(js, "opportunity-lead-converted", "LEAD_ROUTING"))
    assert await count(service, customers, tenant) == 1
    assert await count(service, contacts, tenant) == 1
    opps = await opp_grpc.OpportunityServiceStub(service.channel).ListOpportunities(
        opp_pb.ListOpportunitiesRequest(), metadata=admin.metadata()
    )
    assert sorted(o.name for o in opps.opportunities) == ["备件", "织机升级"]
    assert {o.customer_id for o in opps.opportunities} == {customer.customer_id}


async def test_reassign_moves_everything_in_one_go_and_says_what_moved(service, js, tenant: str) -> None:
    rep1, manager = Caller(tenant, "rep-1", "rep"), Caller(tenant, "mgr-1", "manager")
    await team(service, js, tenant, "mgr-1", "rep-1", "rep-2", "rep-3")
    await team(service, js, tenant, "mgr-1", "rep-gone", active=False)
    sub = await js.subscribe("crm.customer.reassigned", ordered_consumer=True,
                             deliver_policy=nats.js.api.DeliverPolicy.NEW)
    notified = await js.subscribe("crm.notification.requested", ordered_consumer=True,
                                  deliver_policy=nats.js.api.DeliverPolicy.NEW)
    a = await create(service, rep1)
    b = await create(service, rep1, name="深圳精密", credit_code=OTHER_CODE)
    opps = opp_grpc.OpportunityServiceStub(service.channel)
    await opps.CreateOpportunity(opp_pb.CreateOpportunityRequest(customer_credit_code=CODE, name="二期"),
                                 metadata=rep1.metadata())
    await opps.CreateOpportunity(opp_pb.CreateOpportunityRequest(customer_credit_code=CODE, name="备件"),
                                 metadata=rep1.metadata())
    await opps.CreateOpportunity(opp_pb.CreateOpportunityRequest(customer_credit_code=OTHER_CODE, name="机柜"),
                                 metadata=rep1.metadata())
    await stub(service).AddNote(pb.AddNoteRequest(customer_id=a.customer_id, text="决策慢"), metadata=rep1.metadata())
    await stub(service).LogActivity(pb.LogActivityRequest(customer_id=a.customer_id, kind="call", summary="电话"),
                                    metadata=rep1.metadata())
    # Open and done tasks of the pipeline half (its table, migration 0003).
    async with service.runtime.db.engine.begin() as conn:
        for task_id, state in (("t-1", "open"), ("t-2", "done")):
            await conn.execute(sa.text(
                "INSERT INTO tasks (task_id, tenant_id, owner_id, customer_id, rule, title, due_at, state,"
                " created_at, key) VALUES (:id, :tenant, 'rep-1', :customer, 'manual', '回访', :now, :state, :now, :id)"
            ), dict(id=task_id, tenant=tenant, customer=a.customer_id, state=state, now=datetime.now(UTC)))

    reassign = pb.ReassignCustomerRequest(customer_id=a.customer_id, to_owner_id="rep-2")
    await refused(stub(service).ReassignCustomer(reassign, metadata=rep1.metadata()), grpc.StatusCode.PERMISSION_DENIED)
    await refused(stub(service).ReassignCustomer(
        pb.ReassignCustomerRequest(customer_id=a.customer_id, to_owner_id="rep-gone"), metadata=manager.metadata()
    ), grpc.StatusCode.FAILED_PRECONDITION)
    await refused(stub(service).ReassignCustomer(
        pb.ReassignCustomerRequest(customer_id=a.customer_id, to_owner_id="outsider"), metadata=manager.metadata()
    ), grpc.StatusCode.PERMISSION_DENIED)

    answer = await stub(service).ReassignCustomer(reassign, metadata=manager.metadata())
    assert answer.customer.owner_id == "rep-2"
    m = answer.moved
    assert (m.customers, m.opportunities, m.open_tasks, m.notes, m.activities) == (1, 2, 1, 1, 1)
    async with service.runtime.db.engine.connect() as conn:
        owners = dict((await conn.execute(sa.text(
            "SELECT task_id, owner_id FROM tasks WHERE tenant_id = :t"), dict(t=tenant))).all())
    assert owners == {"t-1": "rep-2", "t-2": "rep-1"}
    event = unpack(Envelope.FromString((await sub.next_msg(timeout=10)).data), customer_events.CustomerReassigned)
    assert (list(event.customer_ids), event.to_owner_id, event.opportunities) == ([a.customer_id], "rep-2", 2)
    while True:  # the timers of the pipeline half may notify too
        envelope = Envelope.FromString((await notified.next_msg(timeout=10)).data)
        told = unpack(envelope, NotificationRequested)
        if envelope.tenant_id == tenant and told.kind == "customer.reassigned":
            break
    assert (told.recipient_id, told.kind, told.subject_id) == ("rep-2", "customer.reassigned", a.customer_id)

    # The new owner has the customer and its history, but not rep-1's private notes;
    # rep-1 keeps reading (only) those, and nothing else of the customer.
    rep2 = Caller(tenant, "rep-2", "rep")
    notes = await stub(service).ListNotes(pb.ListNotesRequest(customer_id=a.customer_id), metadata=rep2.metadata())
    assert [n.text for n in notes.notes] == []
    notes = await stub(service).ListNotes(pb.ListNotesRequest(customer_id=a.customer_id), metadata=rep1.metadata())
    assert [n.text for n in notes.notes] == ["决策慢"]
    await refused(stub(service).GetCustomer(pb.GetCustomerRequest(customer_id=a.customer_id), metadata=rep1.metadata()),
                  grpc.StatusCode.NOT_FOUND)
    listed = await opps.ListOpportunities(opp_pb.ListOpportunitiesRequest(), metadata=rep1.metadata())
    assert [o.name for o in listed.opportunities] == ["机柜"]

    # rep-1 leaves: everything left goes to rep-3.
    handed = await stub(service).HandOverRep(pb.HandOverRepRequest(from_owner_id="rep-1", to_owner_id="rep-3"),
                                             metadata=manager.metadata())
    assert list(handed.customer_ids) == [b.customer_id]
    assert (handed.moved.customers, handed.moved.opportunities) == (1, 1)
    left = await stub(service).ListCustomers(pb.ListCustomersRequest(), metadata=rep1.metadata())
    assert list(left.customers) == []


async def test_purchases_and_service_requests_are_counted_from_events(service, js, tenant: str) -> None:
    admin = Caller(tenant, "admin", "admin")
    customer = await create(service, admin, owner_id="rep-1")
    opp = (await opp_grpc.OpportunityServiceStub(service.channel).CreateOpportunity(
        opp_pb.CreateOpportunityRequest(customer_credit_code=CODE, name="二期"), metadata=admin.metadata()
    )).opportunity
    for amount in (3_000_000, 2_000_000):
        receipt = finance_pb2.ReceiptRecorded(receipt_id=new_id(), opportunity_id=opp.opportunity_id,
                                              amount=Money(amount_minor=amount, currency="CNY"), status="recorded")
        await publish(js, "payment.receipt_recorded", tenant, receipt.receipt_id, receipt)
    for _ in range(3):
        request = customer_events.CustomerServiceRequested(request_id=new_id(), customer_id=customer.customer_id,
                                                           summary="设备报警")
        await publish(js, "customer.service_requested", tenant, customer.customer_id, request)

    async def attributes() -> tuple[int, int]:
        got = (await stub(service).GetCustomer(pb.GetCustomerRequest(customer_id=customer.customer_id),
                                               metadata=admin.metadata())).customer
        return got.purchase_total.amount_minor, got.service_request_count

    await eventually(lambda: _equals(attributes(), (5_000_000, 3)))


async def test_a_receipt_counts_once_from_release_to_reversal(service, js, tenant: str) -> None:
    admin = Caller(tenant, "admin", "admin")
    customer = await create(service, admin, owner_id="rep-1")
    opp = (await opp_grpc.OpportunityServiceStub(service.channel).CreateOpportunity(
        opp_pb.CreateOpportunityRequest(customer_credit_code=CODE, name="二期"), metadata=admin.metadata()
    )).opportunity

    def recorded(receipt_id: str, amount: int, status: str) -> finance_pb2.ReceiptRecorded:
        return finance_pb2.ReceiptRecorded(receipt_id=receipt_id, opportunity_id=opp.opportunity_id,
                                           amount=Money(amount_minor=amount, currency="CNY"), status=status)

    def reversed_(receipt_id: str, amount: int) -> finance_pb2.ReceiptReversed:
        return finance_pb2.ReceiptReversed(receipt_id=receipt_id, opportunity_id=opp.opportunity_id,
                                           amount=Money(amount_minor=amount, currency="CNY"), reason="退回")

    async def settle(expected: int) -> None:
        await eventually(lambda: drained(js, "opportunity-receipts", "FINANCE_RECONCILIATION"))
        got = (await stub(service).GetCustomer(pb.GetCustomerRequest(customer_id=customer.customer_id),
                                               metadata=admin.metadata())).customer
        assert got.purchase_total.amount_minor == expected

    held, kept, early, dropped = new_id(), new_id(), new_id(), new_id()
    await publish(js, "payment.receipt_recorded", tenant, held, recorded(held, 1_000_000, "held"))
    await publish(js, "payment.receipt_recorded", tenant, kept, recorded(kept, 300_000, "recorded"))
    await settle(300_000)  # a held receipt is not money yet
    # Released: announced again with status recorded; a second announcement of it (another event) adds nothing.
    for _ in range(2):
        await publish(js, "payment.receipt_recorded", tenant, held, recorded(held, 1_000_000, "recorded"))
    await settle(1_300_000)
    # Reversed twice over: taken back once.
    for _ in range(2):
        await publish(js, "payment.receipt_reversed", tenant, held, reversed_(held, 1_000_000))
    await settle(300_000)
    # A reversal seen before its recording, and a held receipt reversed then announced: never counted.
    await publish(js, "payment.receipt_reversed", tenant, early, reversed_(early, 50_000))
    await publish(js, "payment.receipt_recorded", tenant, early, recorded(early, 50_000, "recorded"))
    await publish(js, "payment.receipt_recorded", tenant, dropped, recorded(dropped, 70_000, "held"))
    await publish(js, "payment.receipt_reversed", tenant, dropped, reversed_(dropped, 70_000))
    await publish(js, "payment.receipt_recorded", tenant, dropped, recorded(dropped, 70_000, "recorded"))
    await settle(300_000)


async def _equals(value, expected) -> bool:
    return (await value) == expected
