"""opportunity as a real process would run: gRPC, database, outbox to
JetStream, and consumers of lead.converted and approval.decided.

NATS lives for the whole session, so every test works in a tenant of its
own: events left over from other tests can never show up in its answers."""

from __future__ import annotations

from datetime import UTC

import grpc
import nats
import pytest

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import approval_pb2, lead_pb2, opportunity_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.opportunity.v1 import opportunity_pb2 as pb
from crm.opportunity.v1 import opportunity_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from crm_shared.events import subject_for, unpack
from crm_shared.grpc_errors import decode_rpc_error
from crm_shared.ids import new_id
from opportunity.adapters.orm.customers import customers
from opportunity.adapters.orm.opportunities import opportunities
from opportunity.bootstrap import build
from opportunity.config import Settings
from tests.integration.opportunity.test_customers import count, drained, publish, team
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


def stub(service) -> pb_grpc.OpportunityServiceStub:
    return pb_grpc.OpportunityServiceStub(service.channel)


async def next_for_tenant(sub, tenant: str) -> Envelope:
    while True:
        envelope = Envelope.FromString((await sub.next_msg(timeout=10)).data)
        if envelope.tenant_id == tenant:
            return envelope


async def test_create_get_list_with_access_rules_and_published_event(service, js, tenant: str) -> None:
    rep, rep2 = Caller(tenant, "rep-1", "rep"), Caller(tenant, "rep-2", "rep")
    manager, other_manager = Caller(tenant, "mgr-1", "manager"), Caller(tenant, "mgr-2", "manager")
    admin = Caller(tenant, "boss", "admin")
    finance, reviewer = Caller(tenant, "f", "finance"), Caller(tenant, "r", "reviewer")
    await team(service, js, tenant, "mgr-1", "rep-1", "rep-2")
    sub = await js.subscribe(
        "crm.opportunity.created", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
    )

    created = (
        await stub(service).CreateOpportunity(
            pb.CreateOpportunityRequest(
                customer_name="宁波注塑机厂",
                customer_credit_code="9133 0200 ma2a fk8x 1k",
                name="二期产线改造",
                amount=Money(amount_minor=12_000_000, currency="CNY"),
            ),
            metadata=rep.metadata(),
        )
    ).opportunity
    assert (created.stage, created.owner_id, created.customer_credit_code) == ("初步接触", "rep-1", CODE)
    assert created.amount.amount_minor == 12_000_000

    envelope = await next_for_tenant(sub, tenant)
    event = unpack(envelope, opportunity_pb2.OpportunityCreated)
    assert (event.opportunity_id, event.customer_id, event.owner_id) == (
        created.opportunity_id, created.customer_id, "rep-1"
    )

    # The same credit code attaches to the same customer; a manager may assign the owner.
    second = (
        await stub(service).CreateOpportunity(
            pb.CreateOpportunityRequest(customer_credit_code=CODE, name="备件年度框架", owner_id="rep-2"),
            metadata=manager.metadata(),
        )
    ).opportunity
    assert (second.customer_id, second.customer_name, second.owner_id) == (created.customer_id, "宁波注塑机厂", "rep-2")
    assert await count(service, customers, tenant) == 1

    # The manager's own opportunity, on a customer of the team.
    own = (
        await stub(service).CreateOpportunity(
            pb.CreateOpportunityRequest(customer_credit_code=CODE, name="经理直签"), metadata=manager.metadata()
        )
    ).opportunity

    get = pb.GetOpportunityRequest(opportunity_id=created.opportunity_id)
    for caller in (rep, manager, admin, finance, reviewer):
        assert (await stub(service).GetOpportunity(get, metadata=caller.metadata())).opportunity.name == "二期产线改造"
    # A manager of another team, a partner, another tenant: not found.
    for caller in (rep2, other_manager, Caller(tenant, "rep-1", "partner"), Caller("another-tenant", "mgr-1", "manager")):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub(service).GetOpportunity(get, metadata=caller.metadata())
        assert err.value.code() == grpc.StatusCode.NOT_FOUND

    async def listed(caller: Caller, **kw) -> list[str]:
        answer = await stub(service).ListOpportunities(pb.ListOpportunitiesRequest(**kw), metadata=caller.metadata())
        return [o.opportunity_id for o in answer.opportunities]

    everything = [created.opportunity_id, second.opportunity_id, own.opportunity_id]
    assert await listed(rep) == [created.opportunity_id]
    assert await listed(rep2) == [second.opportunity_id]
    assert await listed(manager) == everything
    for caller in (admin, finance, reviewer):
        assert await listed(caller) == everything
    # A manager sees no one else's team, even in the same tenant.
    assert await listed(other_manager) == []
    # The board's filters (a column's cards): owner, the owners' team and region, stage, status.
    assert await listed(manager, owner_id="rep-2") == [second.opportunity_id]
    assert await listed(manager, team="华东", region="浙江") == everything[:2]
    assert await listed(manager, team="华南") == []
    assert await listed(manager, stage="初步接触", status="open") == everything
    assert await listed(manager, status="won") == [] and await listed(manager, stage="谈判") == []
    assert await listed(other_manager, owner_id="rep-1") == []
    # One customer's opportunities (the customer page), still within the caller's scope.
    assert await listed(manager, customer_id=created.customer_id) == everything
    assert await listed(rep, customer_id=created.customer_id) == [created.opportunity_id]
    assert await listed(manager, customer_id="no-such-customer") == []
    # A partner's list waits for lead-routing's word on their distributor; this service knows no lead-routing.
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await listed(Caller(tenant, "p", "partner", organisation="dist-hz"))
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE
    assert await listed(Caller("another-tenant", "mgr-1", "manager")) == []
    other_get = pb.GetOpportunityRequest(opportunity_id=own.opportunity_id)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub(service).GetOpportunity(other_get, metadata=rep.metadata())
    assert err.value.code() == grpc.StatusCode.NOT_FOUND

    # Keyset paging.
    page = await stub(service).ListOpportunities(pb.ListOpportunitiesRequest(page_size=2), metadata=manager.metadata())
    assert [o.opportunity_id for o in page.opportunities] == everything[:2] and page.next_page_token
    rest = await stub(service).ListOpportunities(
        pb.ListOpportunitiesRequest(page_size=2, page_token=page.next_page_token), metadata=manager.metadata()
    )
    assert [o.opportunity_id for o in rest.opportunities] == everything[2:] and not rest.next_page_token

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub(service).CreateOpportunity(
            pb.CreateOpportunityRequest(customer_name="x", name="y", owner_id="rep-2"), metadata=rep.metadata()
        )
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    for read_only in (finance, reviewer):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub(service).CreateOpportunity(
                pb.CreateOpportunityRequest(customer_name="x", name="y"), metadata=read_only.metadata()
            )
        assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_bad_input_names_every_field_and_stores_nothing(service, tenant: str) -> None:
    manager = Caller(tenant, "mgr-1", "manager")
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub(service).CreateOpportunity(
            pb.CreateOpportunityRequest(
                customer_name=" ",
                customer_credit_code="91330200MA2AFK8X10",
                name="",
                amount=Money(amount_minor=-5, currency="USD"),
            ),
            metadata=manager.metadata(),
        )
    remote = decode_rpc_error(err.value)
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in remote.field_violations} == {
        "customer_name", "customer_credit_code", "name", "amount.amount_minor", "amount.currency"
    }
    listed = await stub(service).ListOpportunities(pb.ListOpportunitiesRequest(), metadata=manager.metadata())
    assert list(listed.opportunities) == []
    assert await count(service, customers, tenant) == 0
    assert await count(service, opportunities, tenant) == 0


def lead_converted(lead_id: str, **overrides) -> lead_pb2.LeadConverted:
    fields = dict(
        lead_id=lead_id,
        company_name="绍兴柯桥纺织机械有限公司",
        credit_code=OTHER_CODE,
        contact_name="王经理",
        phone="+8657585123456",
        province="浙江省",
        city="绍兴市",
        district="柯桥区",
        owner_id="rep-7",
        opportunity_name="织机升级",
        expected_amount=Money(amount_minor=50_000_000, currency="CNY"),
        source="展会扫码",
    )
    return lead_pb2.LeadConverted(**(fields | overrides))


async def test_lead_converted_creates_one_customer_and_opportunity_however_often_delivered(
    service, js, tenant: str
) -> None:
    manager = Caller(tenant, "mgr-1", "manager")
    await team(service, js, tenant, "mgr-1", "rep-7")
    lead_id = new_id()
    sub = await js.subscribe(
        "crm.opportunity.created", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
    )
    first = await publish(js, "lead.converted", tenant, lead_id, lead_converted(lead_id))
    # The same event again, past JetStream's de-duplication (the inbox must catch it) ...
    await js.publish(subject_for("lead.converted"), first.SerializeToString(), headers={"Nats-Msg-Id": new_id()})
    # ... and a second event about the same lead (the lead_id check must catch it).
    await publish(js, "lead.converted", tenant, lead_id, lead_converted(lead_id, opportunity_name="重复"))

    async def converted() -> list[pb.Opportunity]:
        answer = await stub(service).ListOpportunities(
            pb.ListOpportunitiesRequest(lead_id=lead_id), metadata=manager.metadata()
        )
        return list(answer.opportunities)

    found = await eventually(converted)
    await eventually(lambda: drained(js, "opportunity-lead-converted", "LEAD_ROUTING"))
    assert len(await converted()) == 1
    opp = found[0]
    assert (opp.name, opp.owner_id, opp.lead_id, opp.stage) == ("织机升级", "rep-7", lead_id, "初步接触")
    assert (opp.customer_credit_code, opp.amount.amount_minor) == (OTHER_CODE, 50_000_000)
    assert await count(service, customers, tenant) == 1
    assert await count(service, opportunities, tenant) == 1
    # The owner (a rep) sees it.
    got = await stub(service).GetOpportunity(
        pb.GetOpportunityRequest(opportunity_id=opp.opportunity_id), metadata=Caller(tenant, "rep-7", "rep").metadata()
    )
    assert got.opportunity.customer_name == "绍兴柯桥纺织机械有限公司"

    event = unpack(await next_for_tenant(sub, tenant), opportunity_pb2.OpportunityCreated)
    assert (event.opportunity_id, event.lead_id) == (opp.opportunity_id, lead_id)

    # Another lead of the same company: by credit code, then (no code) by phone.
    by_code, by_phone = new_id(), new_id()
    await publish(js, "lead.converted", tenant, by_code, lead_converted(by_code, phone=""))
    await publish(js, "lead.converted", tenant, by_phone, lead_converted(by_phone, credit_code="", company_name="柯桥纺机"))
    await eventually(lambda: drained(js, "opportunity-lead-converted", "LEAD_ROUTING"))
    listed = await stub(service).ListOpportunities(pb.ListOpportunitiesRequest(), metadata=manager.metadata())
    assert len(listed.opportunities) == 3
    assert {o.customer_id for o in listed.opportunities} == {opp.customer_id}
    assert await count(service, customers, tenant) == 1


async def test_approval_decided_is_recorded_and_published(service, js, tenant: str) -> None:
    manager = Caller(tenant, "mgr-1", "manager")
    opp = (
        await stub(service).CreateOpportunity(
            pb.CreateOpportunityRequest(customer_name="苏州精密钣金", name="机柜集采"), metadata=manager.metadata()
        )
    ).opportunity
    sub = await js.subscribe(
        "crm.opportunity.approval_recorded", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
    )

    def decided(approval_id: str, subject_type: str, subject_id: str, decision: str) -> approval_pb2.ApprovalDecided:
        return approval_pb2.ApprovalDecided(
            approval_id=approval_id, subject_type=subject_type, subject_id=subject_id,
            decision=decision, decided_by="boss-1", comment="同意",
        )

    approval_id = new_id()
    # Not ours and unknown: ignored without failing (the consumer goes on).
    for subject_type, subject_id in (("document", opp.opportunity_id), ("opportunity", new_id())):
        ignored = decided(new_id(), subject_type, subject_id, "approved")
        await publish(js, "approval.decided", tenant, subject_id, ignored)
    env = await publish(
        js, "approval.decided", tenant, approval_id, decided(approval_id, "opportunity", opp.opportunity_id, "approved")
    )
    await js.publish(subject_for("approval.decided"), env.SerializeToString(), headers={"Nats-Msg-Id": new_id()})

    async def approvals() -> list[pb.ApprovalDecision]:
        got = await stub(service).GetOpportunity(
            pb.GetOpportunityRequest(opportunity_id=opp.opportunity_id), metadata=manager.metadata()
        )
        return list(got.opportunity.approvals)

    await eventually(approvals)
    await eventually(lambda: drained(js, "opportunity-approval-decided", "APPROVAL"))
    recorded = await approvals()
    assert [(a.approval_id, a.decision, a.decided_by) for a in recorded] == [(approval_id, "approved", "boss-1")]
    assert recorded[0].decided_at.ToDatetime(tzinfo=UTC) == env.occurred_at.ToDatetime(tzinfo=UTC)

    event = unpack(await next_for_tenant(sub, tenant), opportunity_pb2.OpportunityApprovalRecorded)
    assert (event.opportunity_id, event.approval_id, event.decision) == (opp.opportunity_id, approval_id, "approved")
