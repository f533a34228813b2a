"""Activities over real gRPC, database and NATS with a controllable clock:
visit evidence (seed 001), drafts completed by new entries, the hash chain
catching a row altered in the database, concurrent appends, follow-up moves,
and activity.logged carrying the opportunity's lead."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import grpc
import nats
import pytest
import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import lead_pb2, opportunity_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.opportunity.v1 import customer_pb2 as pb
from crm.opportunity.v1 import customer_pb2_grpc as pb_grpc
from crm.opportunity.v1 import opportunity_pb2 as opp_pb
from crm.opportunity.v1 import opportunity_pb2_grpc as opp_grpc
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.events import unpack
from crm_shared.grpc_errors import decode_rpc_error
from crm_shared.ids import new_id
from opportunity.adapters.orm.activities import activities
from opportunity.bootstrap import build
from opportunity.config import Settings
from tests.integration.opportunity.test_customers import drained, publish
from tests.support.infra import eventually, migrate, run_service
from tests.unit.opportunity.test_activities import FAR, HOME, NEAR, jpeg_with_exif

START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CODE = "91330200MA2AFK8X1K"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
async def service(nats_url: str, database_url: str, clock: FixedClock):
    await migrate("opportunity", database_url)
    async with run_service(build, Settings, nats_url=nats_url, database_url=database_url, clock=clock) as running:
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


def ts(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value)
    return out


async def customer(service, caller: Caller) -> pb.Customer:
    request = pb.CreateCustomerRequest(
        name="宁波注塑机厂", credit_code=CODE,
        location=pb.Location(province="浙江省", city="宁波市", latitude=HOME[0], longitude=HOME[1]),
    )
    return (await stub(service).CreateCustomer(request, metadata=caller.metadata())).customer


def visit(customer_id: str, now: datetime, **overrides) -> pb.LogActivityRequest:
    fields = dict(
        customer_id=customer_id, kind="visit", summary="拜访采购部",
        check_in=pb.CheckIn(latitude=NEAR[0], longitude=NEAR[1]),
        photo=jpeg_with_exif(now - timedelta(minutes=5)), photo_content_type="image/jpeg",
        needs="二期产线 3 台注塑机", competitors="海天报价低 8%",
        next_follow_up_at=ts(now + timedelta(days=7)),
    )
    return pb.LogActivityRequest(**(fields | overrides))


async def test_visit_evidence_cases_drafts_and_completion(service, tenant: str, clock: FixedClock) -> None:
    rep = Caller(tenant, "rep-1", "rep")
    cid = (await customer(service, rep)).customer_id
    now = clock.now()

    complete = (await stub(service).LogActivity(visit(cid, now), metadata=rep.metadata())).activity
    assert (complete.state, list(complete.violations)) == ("submitted", [])
    assert complete.photo_sha256 and complete.photo_id

    cases = {
        "too far": (visit(cid, now, check_in=pb.CheckIn(latitude=FAR[0], longitude=FAR[1])), ["check_in"]),
        "old photo": (visit(cid, now, photo=jpeg_with_exif(now - timedelta(hours=3))), ["photo"]),
        "16 days": (visit(cid, now, next_follow_up_at=ts(now + timedelta(days=16))), ["next_follow_up_at"]),
    }
    for name, (request, failed) in cases.items():
        drafted = (await stub(service).LogActivity(request, metadata=rep.metadata())).activity
        assert (drafted.state, [v.check for v in drafted.violations]) == ("draft", failed), name

    # Incomplete: no photo, no competitors, no follow-up -> 待补全 naming all three.
    request = visit(cid, now)
    for field in ("photo", "competitors", "next_follow_up_at"):
        request.ClearField(field)
    draft = (await stub(service).LogActivity(request, metadata=rep.metadata())).activity
    assert draft.state == "draft"
    assert [v.check for v in draft.violations] == ["photo", "competitors", "next_follow_up_at"]

    # Submitting without the missing evidence is refused, naming what is missing.
    clock.advance(timedelta(minutes=10))
    now = clock.now()
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub(service).SubmitActivity(
            pb.SubmitActivityRequest(customer_id=cid, activity_id=draft.activity_id, competitors="海天"),
            metadata=rep.metadata(),
        )
    remote = decode_rpc_error(err.value)
    assert remote.code == grpc.StatusCode.FAILED_PRECONDITION
    assert [v.type for v in remote.precondition_violations] == ["photo", "next_follow_up_at"]

    done = (await stub(service).SubmitActivity(
        pb.SubmitActivityRequest(
            customer_id=cid, activity_id=draft.activity_id, competitors="海天",
            photo=jpeg_with_exif(now - timedelta(minutes=2)), next_follow_up_at=ts(now + timedelta(days=3)),
        ),
        metadata=rep.metadata(),
    )).activity
    assert (done.state, done.relation, done.refers_to) == ("submitted", "completes", draft.activity_id)
    assert (done.needs, done.competitors) == ("二期产线 3 台注塑机", "海天")

    listed = (await stub(service).ListActivities(pb.ListActivitiesRequest(customer_id=cid),
                                                 metadata=rep.metadata())).activities
    assert [a.seq for a in listed] == [1, 2, 3, 4, 5, 6]
    by_id = {a.activity_id: a for a in listed}
    assert (by_id[draft.activity_id].state, by_id[draft.activity_id].completed_by) == ("draft", done.activity_id)
    # A draft is completed once.
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub(service).SubmitActivity(pb.SubmitActivityRequest(customer_id=cid, activity_id=draft.activity_id),
                                           metadata=rep.metadata())
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION

    photo = await stub(service).GetActivityPhoto(pb.GetActivityPhotoRequest(customer_id=cid, photo_id=done.photo_id),
                                                 metadata=rep.metadata())
    assert photo.content[:2] == b"\xff\xd8" and photo.sha256 == done.photo_sha256
    assert photo.taken_at.ToDatetime(tzinfo=UTC) == now - timedelta(minutes=2)

    got = (await stub(service).GetCustomer(pb.GetCustomerRequest(customer_id=cid), metadata=rep.metadata())).customer
    assert got.last_interaction_at.ToDatetime(tzinfo=UTC) == START
    assert got.next_follow_up_at.ToDatetime(tzinfo=UTC) == now + timedelta(days=3)

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub(service).LogActivity(visit(cid, now, photo=b"not an image"), metadata=rep.metadata())
    assert [v.field for v in decode_rpc_error(err.value).field_violations] == ["photo"]


async def test_chain_verifies_then_reports_a_row_altered_in_the_database(service, tenant: str) -> None:
    rep = Caller(tenant, "rep-1", "rep")
    cid = (await customer(service, rep)).customer_id
    logged = []
    for summary in ("电话沟通需求", "可协助申请固件升级", "发送报价单"):
        answer = await stub(service).LogActivity(pb.LogActivityRequest(customer_id=cid, kind="call", summary=summary),
                                                 metadata=rep.metadata())
        logged.append(answer.activity)
    # A correction is a new entry referring to the old one; the old one stays.
    fix = (await stub(service).LogActivity(
        pb.LogActivityRequest(customer_id=cid, kind="note", summary="更正:客户是二期项目",
                              corrects_activity_id=logged[0].activity_id),
        metadata=rep.metadata(),
    )).activity
    assert (fix.relation, fix.refers_to, fix.prev_hash) == ("corrects", logged[0].activity_id, logged[2].hash)

    verify = pb.VerifyActivityChainRequest(customer_id=cid)
    report = await stub(service).VerifyActivityChain(verify, metadata=Caller(tenant, "r", "reviewer").metadata())
    assert (report.intact, report.entries) == (True, 4)

    async with service.runtime.db.engine.begin() as conn:
        await conn.execute(
            sa.update(activities).where(activities.c.activity_id == logged[1].activity_id)
            .values(summary="承诺免费升级固件")
        )
    report = await stub(service).VerifyActivityChain(verify, metadata=rep.metadata())
    assert (report.intact, report.first_broken_activity_id, report.first_broken_seq) == (
        False, logged[1].activity_id, 2
    )


async def test_concurrent_appends_never_fork_the_chain(service, tenant: str) -> None:
    rep = Caller(tenant, "rep-1", "rep")
    cid = (await customer(service, rep)).customer_id
    await asyncio.gather(*(
        stub(service).LogActivity(pb.LogActivityRequest(customer_id=cid, kind="chat", summary=f"微信 {i}"),
                                  metadata=rep.metadata())
        for i in range(12)
    ))
    listed = (await stub(service).ListActivities(pb.ListActivitiesRequest(customer_id=cid),
                                                 metadata=rep.metadata())).activities
    assert [a.seq for a in listed] == list(range(1, 13))
    report = await stub(service).VerifyActivityChain(pb.VerifyActivityChainRequest(customer_id=cid),
                                                     metadata=rep.metadata())
    assert report.intact and report.entries == 12


async def test_moving_a_follow_up_more_than_three_times_is_flagged(service, tenant: str, clock: FixedClock) -> None:
    rep = Caller(tenant, "rep-1", "rep")
    cid = (await customer(service, rep)).customer_id
    now = clock.now()
    await stub(service).LogActivity(
        pb.LogActivityRequest(customer_id=cid, kind="call", summary="约下周拜访",
                              next_follow_up_at=ts(now + timedelta(days=2))),
        metadata=rep.metadata(),
    )
    for day in range(3, 7):
        moved = (await stub(service).RescheduleFollowUp(
            pb.RescheduleFollowUpRequest(customer_id=cid, next_follow_up_at=ts(now + timedelta(days=day)),
                                         reason="客户出差"),
            metadata=rep.metadata(),
        )).customer
        assert (moved.follow_up_moves, moved.follow_up_flagged) == (day - 2, day - 2 > 3)
    assert moved.next_follow_up_at.ToDatetime(tzinfo=UTC) == now + timedelta(days=6)


async def test_activity_logged_carries_the_lead_of_the_opportunity(service, js, tenant: str) -> None:
    lead_id = new_id()
    event = lead_pb2.LeadConverted(
        lead_id=lead_id, company_name="宁波注塑机厂", credit_code=CODE, owner_id="rep-1", opportunity_name="二期",
        expected_amount=Money(amount_minor=1_000_000, currency="CNY"), latitude=HOME[0], longitude=HOME[1],
    )
    await publish(js, "lead.converted", tenant, lead_id, event)
    await eventually(lambda: drained(js, "opportunity-lead-converted", "LEAD_ROUTING"))
    rep = Caller(tenant, "rep-1", "rep")
    opp = (await opp_grpc.OpportunityServiceStub(service.channel).ListOpportunities(
        opp_pb.ListOpportunitiesRequest(lead_id=lead_id), metadata=rep.metadata()
    )).opportunities[0]
    sub = await js.subscribe("crm.activity.logged", ordered_consumer=True,
                             deliver_policy=nats.js.api.DeliverPolicy.NEW)
    logged = (await stub(service).LogActivity(
        pb.LogActivityRequest(customer_id=opp.customer_id, opportunity_id=opp.opportunity_id, kind="call",
                              summary="首次电话"),
        metadata=rep.metadata(),
    )).activity
    assert logged.lead_id == lead_id
    while True:
        envelope = Envelope.FromString((await sub.next_msg(timeout=10)).data)
        if envelope.tenant_id == tenant:
            break
    got = unpack(envelope, opportunity_pb2.ActivityLogged)
    assert (got.activity_id, got.lead_id, got.opportunity_id, got.kind, got.actor_id) == (
        logged.activity_id, lead_id, opp.opportunity_id, "call", "rep-1"
    )
    assert got.occurred_at.ToDatetime(tzinfo=UTC) == START

    # Another customer's opportunity is refused.
    other = await stub(service).CreateCustomer(pb.CreateCustomerRequest(name="别家", credit_code="91440300MA5EXQ7P3B"),
                                               metadata=rep.metadata())
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub(service).LogActivity(
            pb.LogActivityRequest(customer_id=other.customer.customer_id, opportunity_id=opp.opportunity_id,
                                  kind="call", summary="x"),
            metadata=rep.metadata(),
        )
    assert [v.field for v in decode_rpc_error(err.value).field_violations] == ["opportunity_id"]
