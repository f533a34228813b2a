"""Promotion programmes and applications over real gRPC, database and
JetStream, with approval played by a small in-process gRPC server: an
application commits with its event and is submitted to approval (kind
promotion, subject promotion_application, the facts); a submission lost while
approval was down is made by the job, and one that went through before a stop
is found again rather than asked twice; approval.decided settles it once; the
distributors' rows stay apart; listings page."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

import grpc
import nats
import pytest
from crm.approval.v1 import approval_pb2 as apb
from crm.approval.v1 import approval_pb2_grpc as apb_grpc
from crm.common.v1.common_pb2 import Money
from crm.events.v1 import approval_pb2 as approval_events
from crm.events.v1 import promotion_pb2 as events
from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import partner_pb2 as dpb
from crm.lead_routing.v1 import partner_pb2_grpc as dpb_grpc
from crm.lead_routing.v1 import promotion_pb2 as pb
from crm.lead_routing.v1 import promotion_pb2_grpc as pb_grpc
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.events import unpack
from crm_shared.grpc_errors import decode_rpc_error
from crm_shared.ids import new_id
from lead_routing.bootstrap import build
from lead_routing.config import Settings
from lead_routing.domain import registration as reg
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

from tests.integration.lead_routing.routing_helpers import QUIET_JOBS
from tests.integration.opportunity.test_customers import publish
from tests.support.infra import eventually, migrate, run_service

ADMIN = Caller("demo", "admin", "admin")
WANGQIANG = Caller("demo", "wangqiang", "manager")
ZHOUMIN = Caller("demo", "zhoumin", "manager")
ZHAOLEI = Caller("demo", "zhaolei", "partner", organisation="dist-hz")
SUNLI = Caller("demo", "sunli", "partner", organisation="dist-nb")
REP = Caller("demo", "zhangwei", "rep")


@dataclass
class FakeApproval(apb_grpc.ApprovalServiceServicer):
    """Approval as lead-routing sees it: submissions recorded, the latest of a subject answered."""

    down: bool = False
    submitted: list[apb.SubmitApprovalRequest] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # subject id -> approval id

    async def SubmitApproval(self, request, context):  # type: ignore[no-untyped-def]
        if self.down:
            await context.abort(grpc.StatusCode.UNAVAILABLE, "approval is down")
        self.submitted.append(request)
        self.ids[request.subject_id] = approval_id = new_id()
        return apb.SubmitApprovalResponse(approval=apb.ApprovalRequest(approval_id=approval_id, status="pending"))

    async def GetLatestApproval(self, request, context):  # type: ignore[no-untyped-def]
        if self.down:
            await context.abort(grpc.StatusCode.UNAVAILABLE, "approval is down")
        found = self.ids.get(request.subject_id)
        if not found:
            return apb.GetLatestApprovalResponse()
        return apb.GetLatestApprovalResponse(approval=apb.ApprovalRequest(approval_id=found, status="pending"))


@pytest.fixture
async def approval():
    server = grpc.aio.server()
    fake = FakeApproval()
    apb_grpc.add_ApprovalServiceServicer_to_server(fake, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    yield fake, f"127.0.0.1:{port}"
    await server.stop(0)


@pytest.fixture
def clock() -> FixedClock:
    from tests.integration.lead_routing.routing_helpers import clock as start

    return start()


@pytest.fixture
async def service(nats_url: str, database_url: str, approval, clock):
    await migrate("lead-routing", database_url)
    _, address = approval
    async with run_service(
        build,
        Settings,
        nats_url=nats_url,
        database_url=database_url,
        clock=clock,
        approval_addr=address,
        registration_submit_interval_s=3600.0,  # the test runs the job
        **QUIET_JOBS,
    ) as running:
        distributors = dpb_grpc.DistributorServiceStub(running.channel)
        for distributor_id, user, name in (("dist-hz", "zhaolei", "杭州恒通机电"), ("dist-nb", "sunli", "宁波甬达")):
            details = dpb.DistributorDetails(name=name, users=[user], channel_manager_id="wangqiang")
            request = dpb.CreateDistributorRequest(distributor_id=distributor_id, details=details)
            await distributors.CreateDistributor(request, metadata=ADMIN.metadata())
        yield running


@pytest.fixture
async def js(nats_url: str):
    nc = await nats.connect(nats_url)
    yield nc.jetstream()
    await nc.close()


def stub(service) -> pb_grpc.PromotionServiceStub:
    return pb_grpc.PromotionServiceStub(service.channel)


def code(err: pytest.ExceptionInfo) -> grpc.StatusCode:
    return err.value.code()


def terms(service, **changes) -> pb.ProgrammeTerms:
    today = (service.runtime.db.clock.now() + timedelta(hours=8)).date()
    base = {
        "name": "春季陈列支持",
        "conditions": "陈列样机不少于 2 台",
        "starts_on": (today - timedelta(days=5)).isoformat(),
        "ends_on": (today + timedelta(days=60)).isoformat(),
        "product_lines": ["数控机床"],
        "benefit": "support",
        "support_amount": Money(amount_minor=5_000_000, currency="CNY"),
    }
    return pb.ProgrammeTerms(**(base | changes))


async def published(service, by: Caller = WANGQIANG) -> pb.Programme:
    request = pb.CreateProgrammeRequest(terms=terms(service), status="published")
    return (await stub(service).CreateProgramme(request, metadata=by.metadata())).programme


async def approved_registration(service, distributor_id: str = "dist-hz", status: str = reg.APPROVED) -> str:
    """A registration as the registration flow leaves it once approved (stored directly: its flow is tested apart)."""
    now = service.runtime.db.clock.now()
    made = reg.Registration(
        registration_id=new_id(), tenant_id="demo", distributor_id=distributor_id, registered_by="zhaolei",
        company_name="杭州滨江智能装备有限公司", credit_code="", phone="13700000000", province="浙江省",
        city="杭州市", district="", industry="机电设备", contact_name="林经理", contact_phone="",
        product_line="数控机床", models=("VMC1160",), quantity=1, expected_amount=45_000_000, currency="CNY",
        expected_close_date=None, status=status, outcome=reg.NO_CONFLICT, conflicts=(), created_at=now,
        updated_at=now,
    )  # fmt: skip
    async with LeadRoutingUnitOfWork(service.runtime.db) as uow:
        await uow.registrations.add(made)
        await uow.commit()
    return made.registration_id


def for_deal(programme_id: str, registration_id: str, amount: int = 3_000_000) -> pb.SubmitApplicationRequest:
    return pb.SubmitApplicationRequest(
        programme_id=programme_id,
        registration_id=registration_id,
        amount_asked=Money(amount_minor=amount, currency="CNY"),
        note="陈列两台",
    )


async def submit(service, request: pb.SubmitApplicationRequest, by: Caller = ZHAOLEI) -> pb.Application:
    return (await stub(service).SubmitApplication(request, metadata=by.metadata())).application


async def get(service, application_id: str, by: Caller) -> pb.Application:
    request = pb.GetApplicationRequest(application_id=application_id)
    return (await stub(service).GetApplication(request, metadata=by.metadata())).application


async def test_an_application_is_submitted_to_approval_and_its_decision_recorded_once(service, approval, js) -> None:
    fake, _ = approval
    sub = await js.subscribe("crm.promotion.>", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW)
    programme = await published(service)
    reg_id = await approved_registration(service)
    app = await submit(service, for_deal(programme.programme_id, reg_id))
    assert (app.status, app.distributor_id, app.approval_id) == ("submitted", "dist-hz", "")  # a partner's view

    # approval was asked as lead-routing, with the facts its policy reads
    (asked,) = fake.submitted
    assert (asked.subject_type, asked.subject_id, asked.kind) == (
        "promotion_application",
        app.application_id,
        "promotion",
    )
    assert {f.name: f.value for f in asked.given} == {"金额": "30000", "渠道经理": "wangqiang", "分销商": "dist-hz",
                                                        "申请人": "zhaolei"}  # fmt: skip
    assert asked.reason == "杭州恒通机电 申报促销 春季陈列支持"
    recorded = await get(service, app.application_id, WANGQIANG)
    assert recorded.approval_id == fake.ids[app.application_id]

    seen = [Envelope.FromString((await sub.next_msg(timeout=10)).data) for _ in range(2)]
    assert [e.type for e in seen] == ["promotion.programme_changed", "promotion.application_submitted"]
    submitted = unpack(seen[1], events.PromotionApplicationSubmitted)
    assert (submitted.application_id, submitted.registration_id, submitted.amount_asked.amount_minor) == (
        app.application_id,
        reg_id,
        3_000_000,
    )

    # the decision, twice (a redelivery) and once for another request: settled once, with its public comment
    decided = approval_events.ApprovalDecided(
        approval_id=recorded.approval_id, subject_type="promotion_application", subject_id=app.application_id,
        decision="approved", decided_by="wangqiang", comment="同意支持 3 万元", kind="promotion",
        opinions=[approval_events.ApprovalOpinion(actor="wangqiang", decision="approved", comment="内部：上季度未达标")],
    )  # fmt: skip
    await publish(js, "approval.decided", "demo", recorded.approval_id, decided)
    await publish(js, "approval.decided", "demo", recorded.approval_id, decided)
    await publish(js, "approval.decided", "demo", "x", approval_events.ApprovalDecided(
        approval_id=new_id(), subject_type="promotion_application", subject_id=app.application_id,
        decision="rejected", comment="别的请求"))  # fmt: skip
    seen_by_partner = await eventually(lambda: _decided(service, app.application_id, ZHAOLEI), timeout=15)
    assert (seen_by_partner.decision, seen_by_partner.decision_comment) == ("approved", "同意支持 3 万元")
    assert seen_by_partner.approval_id == "" and seen_by_partner.HasField("decided_at")
    announced = unpack(Envelope.FromString((await sub.next_msg(timeout=10)).data), events.PromotionApplicationDecided)
    assert (announced.application_id, announced.decision, announced.comment) == (
        app.application_id,
        "approved",
        "同意支持 3 万元",
    )
    await asyncio.sleep(1.0)
    assert (await get(service, app.application_id, ADMIN)).status == "approved"
    with pytest.raises(nats.errors.TimeoutError):
        await sub.next_msg(timeout=1)  # decided once


async def _decided(service, application_id: str, by: Caller) -> pb.Application | None:
    found = await get(service, application_id, by)
    return found if found.status != "submitted" else None


async def test_a_submission_lost_while_approval_was_down_is_made_by_the_job_once(service, approval, clock) -> None:
    fake, _ = approval
    programme = await published(service)
    fake.down = True
    app = await submit(service, for_deal(programme.programme_id, await approved_registration(service)))
    assert (await get(service, app.application_id, ADMIN)).approval_id == ""  # waits; the partner was answered
    fake.down = False
    handlers = _handlers(service)
    await handlers.submit_lost()
    assert fake.submitted == []  # too fresh: the request may still be on its way
    clock.advance(timedelta(minutes=1))
    await handlers.submit_lost()
    assert [s.subject_id for s in fake.submitted] == [app.application_id]
    assert (await get(service, app.application_id, ADMIN)).approval_id == fake.ids[app.application_id]
    await handlers.submit_lost()
    assert len(fake.submitted) == 1

    # a submission that went through before a stop (approval has it, lead-routing did not record it): found again
    fake.down = True
    second = await submit(service, for_deal(programme.programme_id, await approved_registration(service)))
    fake.down = False
    fake.ids[second.application_id] = "apr-made-before-the-stop"
    clock.advance(timedelta(minutes=1))
    await handlers.submit_lost()
    assert len(fake.submitted) == 1
    assert (await get(service, second.application_id, ADMIN)).approval_id == "apr-made-before-the-stop"


def _handlers(service):  # type: ignore[no-untyped-def]
    """The service's own promotion handlers (the job's), with the service's approval client."""
    from crm_shared.grpc_client import Peer
    from lead_routing.adapters.approvals import Approvals
    from lead_routing.service_layer.promotions import PromotionHandlers

    settings = service.runtime.settings
    peer = Peer("approval", settings.approval_addr, timeout_s=5.0)
    return PromotionHandlers(lambda: LeadRoutingUnitOfWork(service.runtime.db), Approvals(peer))


async def test_what_a_partner_may_apply_for_and_who_sees_it(service, approval) -> None:
    programme = await published(service)
    pid = programme.programme_id
    ours, theirs = await approved_registration(service), await approved_registration(service, "dist-nb")
    pending = await approved_registration(service, status=reg.PENDING)
    # another distributor's registration is not found; a pending one is refused; beyond the support: by field
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await submit(service, for_deal(pid, theirs))
    assert code(err) == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await submit(service, for_deal(pid, pending))
    assert code(err) == grpc.StatusCode.FAILED_PRECONDITION
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await submit(service, for_deal(pid, ours, amount=5_000_001))
    assert code(err) == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in decode_rpc_error(err.value).field_violations} == {"amount_asked.amount_minor"}
    for caller in (ADMIN, WANGQIANG, REP):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await submit(service, for_deal(pid, ours), by=caller)
        assert code(err) == grpc.StatusCode.PERMISSION_DENIED
    app = await submit(service, for_deal(pid, ours))
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await submit(service, for_deal(pid, ours))
    assert code(err) == grpc.StatusCode.ALREADY_EXISTS
    theirs_app = await submit(service, for_deal(pid, theirs), by=SUNLI)

    # reads: the distributor's partner and channel manager, admins; nobody else (not found)
    for caller in (ZHAOLEI, WANGQIANG, ADMIN):
        assert (await get(service, app.application_id, caller)).application_id == app.application_id
    for caller in (SUNLI, ZHOUMIN):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await get(service, app.application_id, caller)
        assert code(err) == grpc.StatusCode.NOT_FOUND
    listing = pb_grpc.PromotionServiceStub(service.channel).ListApplications

    async def ids(by: Caller, **filters) -> list[str]:
        reply = await listing(pb.ListApplicationsRequest(**filters), metadata=by.metadata())
        return [a.application_id for a in reply.applications]

    assert await ids(ZHAOLEI) == [app.application_id]
    assert await ids(SUNLI) == [theirs_app.application_id]
    assert await ids(SUNLI, distributor_id="dist-hz") == []
    assert await ids(ZHOUMIN) == []
    assert await ids(WANGQIANG) == [theirs_app.application_id, app.application_id]  # newest first
    assert await ids(ADMIN, distributor_id="dist-hz") == [app.application_id]
    first = await listing(pb.ListApplicationsRequest(page_size=1), metadata=ADMIN.metadata())
    rest = await listing(
        pb.ListApplicationsRequest(page_size=1, page_token=first.next_page_token), metadata=ADMIN.metadata()
    )
    assert [a.application_id for a in (*first.applications, *rest.applications)] == [
        theirs_app.application_id,
        app.application_id,
    ]
    assert rest.next_page_token == ""


async def test_programmes_publishers_and_what_partners_see(service) -> None:
    programmes = stub(service)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await published(service, by=ZHOUMIN)  # a manager who is no distributor's channel manager
    assert code(err) == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as err:
        bad = pb.CreateProgrammeRequest(terms=terms(service, name="", benefit="gift"))
        await programmes.CreateProgramme(bad, metadata=ADMIN.metadata())
    assert {v.field for v in decode_rpc_error(err.value).field_violations} == {"terms.name", "terms.benefit"}
    draft = (
        await programmes.CreateProgramme(pb.CreateProgrammeRequest(terms=terms(service)), metadata=ADMIN.metadata())
    ).programme
    live = await published(service)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await programmes.GetProgramme(
            pb.GetProgrammeRequest(programme_id=draft.programme_id), metadata=ZHAOLEI.metadata()
        )
    assert code(err) == grpc.StatusCode.NOT_FOUND
    seen = await programmes.ListProgrammes(pb.ListProgrammesRequest(), metadata=ZHAOLEI.metadata())
    assert [p.programme_id for p in seen.programmes] == [live.programme_id]
    every = await programmes.ListProgrammes(pb.ListProgrammesRequest(), metadata=ZHOUMIN.metadata())
    assert [p.programme_id for p in every.programmes] == [live.programme_id, draft.programme_id]
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await submit(service, pb.SubmitApplicationRequest(
            programme_id=draft.programme_id, period_starts_on="2026-01-01", period_ends_on="2026-01-02",
            amount_asked=Money(amount_minor=100, currency="CNY")))  # fmt: skip
    assert code(err) == grpc.StatusCode.NOT_FOUND

    # closed: the partner still reads it (it may hold applications for it), and it takes no application
    changed = await programmes.UpdateProgramme(
        pb.UpdateProgrammeRequest(programme_id=live.programme_id, terms=live.terms, status="closed", version=1),
        metadata=WANGQIANG.metadata(),
    )
    assert (changed.programme.status, changed.programme.version) == ("closed", 2)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await programmes.UpdateProgramme(
            pb.UpdateProgrammeRequest(programme_id=live.programme_id, terms=live.terms, status="published", version=1),
            metadata=WANGQIANG.metadata(),
        )
    assert code(err) == grpc.StatusCode.ABORTED  # read before the close
    got = await programmes.GetProgramme(
        pb.GetProgrammeRequest(programme_id=live.programme_id), metadata=ZHAOLEI.metadata()
    )
    assert got.programme.status == "closed"
    closed = await programmes.ListProgrammes(pb.ListProgrammesRequest(status="closed"), metadata=ZHAOLEI.metadata())
    assert [p.programme_id for p in closed.programmes] == [live.programme_id]
    assert not (await programmes.ListProgrammes(pb.ListProgrammesRequest(), metadata=ZHAOLEI.metadata())).programmes
    starts = live.terms.starts_on
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await submit(service, pb.SubmitApplicationRequest(
            programme_id=live.programme_id, period_starts_on=starts, period_ends_on=starts,
            amount_asked=Money(amount_minor=100, currency="CNY")))  # fmt: skip
    assert code(err) == grpc.StatusCode.FAILED_PRECONDITION
