"""A partner's deal registration decided through approval, both services
in-process over real gRPC and NATS: lead-routing (on SQLite and PostgreSQL)
submits the registration's request as itself with the facts naming the
channel manager; approval chooses the built-in policy, puts the task in the
channel manager's inbox with a deadline of the tenant's working days, and
asks lead-routing at every read who may see the registration."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import pytest
from approval.bootstrap import build as build_approval
from approval.config import Settings as ApprovalSettings
from approval.service_layer.uow import ApprovalUnitOfWork
from crm.approval.v1 import approval_pb2 as pb
from crm.approval.v1 import approval_pb2_grpc as pb_grpc
from crm.approval.v1 import inbox_pb2, inbox_pb2_grpc
from crm.common.v1.common_pb2 import Money
from crm.lead_routing.v1 import partner_access_pb2_grpc
from crm.lead_routing.v1 import registration_pb2 as reg_pb
from crm.lead_routing.v1 import registration_pb2_grpc as reg_grpc
from crm.opportunity.v1 import access_pb2
from crm_shared.business_calendar import BUSINESS_TZ, BusinessCalendar
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.convert import from_timestamp
from crm_shared.ids import new_id
from crm_shared.rep_profiles import RepProfile
from lead_routing.bootstrap import build as build_lead_routing
from lead_routing.config import Settings as LeadRoutingSettings
from lead_routing.domain.distributor import Distributor, Territory
from lead_routing.domain.promotion import Application
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

from tests.integration.gateway.conftest import nowhere
from tests.integration.lead_routing.routing_helpers import QUIET_JOBS
from tests.support.infra import HeldPort, RunningService, eventually, migrate, run_service

TENANT = "tenant-a"
ZHAOLEI = Caller(TENANT, "zhaolei", "partner", organisation="dist-hz")
SUNLI = Caller(TENANT, "sunli", "partner", organisation="dist-nb")
WANGQIANG = Caller(TENANT, "wangqiang", "manager")  # channel manager of dist-hz
LISI = Caller(TENANT, "lisi", "manager")  # another manager
REP = Caller(TENANT, "rep-1", "rep")
ADMIN = Caller(TENANT, "admin", "admin")
NOW = datetime.now(UTC)


def distributor(distributor_id: str, name: str, users: tuple[str, ...], manager: str) -> Distributor:
    return Distributor(
        tenant_id=TENANT,
        distributor_id=distributor_id,
        name=name,
        credit_code="",
        territory=Territory(provinces=("浙江省",)),
        tier="金牌",
        contract_starts=None,
        contract_ends=None,
        users=users,
        channel_manager_id=manager,
        active=True,
        version=1,
        updated_by="admin",
        created_at=NOW,
        updated_at=NOW,
    )


@dataclass
class Stack:
    leads: RunningService
    approval: RunningService

    @property
    def approvals(self) -> pb_grpc.ApprovalServiceStub:
        return pb_grpc.ApprovalServiceStub(self.approval.channel)

    async def register(self, partner: Caller, company: str, amount_yuan: int, phone: str) -> reg_pb.Registration:
        stub = reg_grpc.RegistrationServiceStub(self.leads.channel)
        customer = reg_pb.RegistrationInput(
            company_name=company,
            phone=phone,
            province="浙江省",
            city="杭州市",
            industry="机电设备",
            contact_name="陈经理",
            contact_phone=phone,
            product_line="数控机床",
            models=["VMC-850"],
            quantity=2,
            expected_amount=Money(amount_minor=amount_yuan * 100, currency="CNY"),
        )
        reply = await stub.SubmitRegistration(
            reg_pb.SubmitRegistrationRequest(customer=customer), metadata=partner.metadata()
        )
        return reply.registration

    async def approval_of(self, registration_id: str) -> str:
        async def submitted() -> str:
            async with LeadRoutingUnitOfWork(self.leads.runtime.db) as uow:
                reg = await uow.registrations.get(TENANT, registration_id)
            return reg.approval_id if reg else ""

        return await eventually(submitted, timeout=20)

    async def inbox(self, caller: Caller) -> list[inbox_pb2.InboxItem]:
        stub = inbox_pb2_grpc.ApprovalInboxServiceStub(self.approval.channel)
        return list((await stub.ListInbox(inbox_pb2.ListInboxRequest(), metadata=caller.metadata())).items)

    async def detail(self, approval_id: str, caller: Caller) -> pb.GetApprovalResponse:
        return await self.approvals.GetApproval(
            pb.GetApprovalRequest(approval_id=approval_id), metadata=caller.metadata()
        )

    async def approve(self, task_id: str, caller: Caller, comment: str) -> None:
        request = pb.ActOnTaskRequest(task_id=task_id, action=pb.TASK_ACTION_APPROVE, comment=comment)
        await self.approvals.ActOnTask(request, metadata=caller.metadata())

    async def access(self, asker: Caller, user: Caller, subject_type: str, subject_id: str):
        stub = partner_access_pb2_grpc.PartnerSubjectAccessServiceStub(self.leads.channel)
        request = access_pb2.CheckSubjectAccessRequest(
            tenant_id=user.tenant_id,
            user_id=user.user_id,
            role=user.role,
            organisation=user.organisation,
            subject_type=subject_type,
            subject_id=subject_id,
        )
        return await stub.CheckSubjectAccess(request, metadata=asker.metadata())


@pytest.fixture
def approval_clock(request: pytest.FixtureRequest) -> FixedClock | None:
    """Approval's clock: the real one, unless a test starts it at a moment of its own and moves it
    (parametrized indirectly with that moment)."""
    start = getattr(request, "param", None)
    return FixedClock(start) if start is not None else None


@pytest.fixture
async def stack(
    nats_url: str, database_url: str, tmp_path: Path, approval_clock: FixedClock | None
) -> AsyncIterator[Stack]:
    """lead-routing on the test's database, approval on its own SQLite file; each calls the other."""
    await migrate("lead-routing", database_url)
    approval_url = f"sqlite+aiosqlite:///{tmp_path / 'approval.db'}"
    await migrate("approval", approval_url)
    leads_port = HeldPort()
    async with (
        run_service(
            build_approval,
            ApprovalSettings,
            nats_url=nats_url,
            database_url=approval_url,
            opportunity_addr=nowhere(),
            lead_routing_addr=leads_port.address,
            clock=approval_clock,
            sla_interval_s=3600,  # the SLA job runs at start, then when a test runs it
        ) as approval,
        run_service(
            build_lead_routing,
            LeadRoutingSettings,
            nats_url=nats_url,
            database_url=database_url,
            grpc_port=leads_port.take(),
            approval_addr=approval.address,
            **QUIET_JOBS,
        ) as leads,
    ):
        async with LeadRoutingUnitOfWork(leads.runtime.db) as uow:
            assert await uow.distributors.add(distributor("dist-hz", "杭州机电", ("zhaolei",), "wangqiang"))
            assert await uow.distributors.add(distributor("dist-nb", "宁波五金", ("sunli",), "zhoumin"))
            await uow.commit()
        yield Stack(leads, approval)


async def refused(call) -> grpc.StatusCode:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call
    return err.value.code()


async def test_the_channel_manager_finds_a_registration_in_their_inbox_and_approves_it(stack: Stack) -> None:
    s = stack
    reg = await s.register(ZHAOLEI, "杭州精工机械有限公司", 490_000, "0571-88001234")
    assert reg.outcome == "no_conflict"
    approval_id = await s.approval_of(reg.registration_id)

    # In the channel manager's inbox, due in two working days (the built-in policy), nobody else's.
    [item] = [i for i in await s.inbox(WANGQIANG) if i.approval_id == approval_id]
    assert (item.kind, item.subject_type, item.subject_id) == (
        "partner_registration",
        "registration",
        reg.registration_id,
    )
    assert item.amount_minor == 49_000_000 and item.has_due
    started, due = from_timestamp(item.started_at, True), from_timestamp(item.due_at, True)
    assert started is not None and due is not None
    assert BusinessCalendar().working_time_between(started, due).total_seconds() == 2 * 8 * 3600
    assert not [i for i in await s.inbox(LISI) if i.approval_id == approval_id]

    got = await s.detail(approval_id, WANGQIANG)
    assert (got.approval.requested_by, got.approval.policy_id) == ("lead-routing", "builtin-partner_registration")
    assert [t.assignee for t in got.tasks] == ["wangqiang"]
    given = {f.name: f.value for f in got.approval.facts}
    assert {k: given.get(k) for k in ("渠道经理", "分销商", "申请人")} == {
        "渠道经理": "wangqiang",
        "分销商": "dist-hz",
        "申请人": "zhaolei",
    }

    # Who reads the request is lead-routing's answer about the registration, asked over gRPC:
    # another manager sees partner registrations; a rep does not (not found); a partner never reads approvals.
    assert (await s.detail(approval_id, LISI)).approval.approval_id == approval_id
    assert (await s.detail(approval_id, ADMIN)).approval.approval_id == approval_id
    assert await refused(s.detail(approval_id, REP)) == grpc.StatusCode.NOT_FOUND
    assert await refused(s.detail(approval_id, ZHAOLEI)) == grpc.StatusCode.PERMISSION_DENIED
    # Nobody submits a registration's request by hand, not even an admin.
    by_hand = pb.SubmitApprovalRequest(
        kind="partner_registration", subject_type="registration", subject_id=reg.registration_id
    )
    assert await refused(s.approvals.SubmitApproval(by_hand, metadata=ADMIN.metadata())) == (
        grpc.StatusCode.PERMISSION_DENIED
    )

    await s.approve(item.task_id, WANGQIANG, "客户信息核实无误")
    assert (await s.detail(approval_id, WANGQIANG)).approval.status == "approved"

    async def approved() -> bool:
        async with LeadRoutingUnitOfWork(s.leads.runtime.db) as uow:
            current = await uow.registrations.get(TENANT, reg.registration_id)
        return current is not None and current.status == "approved"

    # lead-routing hears approval.decided: the registration is approved for the partner.
    assert await eventually(approved, timeout=20)


async def test_from_50_wan_the_channel_managers_manager_decides_second(stack: Stack) -> None:
    s = stack
    async with ApprovalUnitOfWork(s.approval.runtime.db) as uow:
        await uow.profiles.put(RepProfile(TENANT, "wangqiang", "王强", "渠道部", "liuzong", "浙江省", True, NOW))
        await uow.commit()
    reg = await s.register(ZHAOLEI, "杭州重型装备有限公司", 510_000, "0571-88005678")
    approval_id = await s.approval_of(reg.registration_id)
    [first] = [i for i in await s.inbox(WANGQIANG) if i.approval_id == approval_id]
    await s.approve(first.task_id, WANGQIANG, "同意")
    [second] = [i for i in await s.inbox(Caller(TENANT, "liuzong", "manager")) if i.approval_id == approval_id]
    assert second.step_id == "channel-manager-manager"
    assert (await s.detail(approval_id, WANGQIANG)).approval.status == "pending"
    await s.approve(second.task_id, Caller(TENANT, "liuzong", "manager"), "同意")
    assert (await s.detail(approval_id, WANGQIANG)).approval.status == "approved"


async def test_lead_routing_says_who_may_see_a_registration(stack: Stack) -> None:
    s = stack
    reg = await s.register(ZHAOLEI, "杭州数控科技有限公司", 200_000, "0571-88009999")
    asker = Caller(TENANT, "document-versioning", "system")

    async def answer(user: Caller, subject_id: str = reg.registration_id) -> tuple[bool, bool, bool]:
        r = await s.access(asker, user, "registration", subject_id)
        return r.exists, r.readable, r.writable

    assert await answer(WANGQIANG) == (True, True, True)
    assert await answer(LISI) == (True, True, False)
    assert await answer(ZHAOLEI) == (True, True, False)
    assert await answer(SUNLI) == (True, False, False)  # another distributor's partner
    assert await answer(Caller(TENANT, "sunli", "partner", organisation="dist-hz")) == (True, False, False)
    assert await answer(REP) == (True, False, False)
    assert await answer(ADMIN, "no-such-registration") == (False, False, False)
    # Only services ask, about users of their own tenant.
    assert await refused(s.access(ADMIN, ADMIN, "registration", reg.registration_id)) == (
        grpc.StatusCode.PERMISSION_DENIED
    )
    other_tenant = Caller("tenant-b", "approval", "system")
    assert await refused(s.access(other_tenant, ADMIN, "registration", reg.registration_id)) == (
        grpc.StatusCode.INVALID_ARGUMENT
    )
    # Another tenant's registration does not exist for it.
    r = await s.access(other_tenant, Caller("tenant-b", "admin", "admin"), "registration", reg.registration_id)
    assert (r.exists, r.readable) == (False, False)


async def test_lead_routing_says_who_may_see_a_promotion_application(stack: Stack) -> None:
    s = stack
    application = Application(
        application_id=new_id(),
        tenant_id=TENANT,
        programme_id=new_id(),
        programme_name="Q4 数控机床推广",
        distributor_id="dist-hz",
        applicant_id="zhaolei",
        registration_id="",
        period_starts_on=None,
        period_ends_on=None,
        amount_asked_minor=5_000_000,
        currency="CNY",
        note="",
        status="submitted",
        approval_id="",
        decision="",
        decision_comment="",
        decided_at=None,
        created_at=NOW,
        updated_at=NOW,
        version=1,
    )
    async with LeadRoutingUnitOfWork(s.leads.runtime.db) as uow:
        await uow.promotion_applications.add(application)
        await uow.commit()
    asker = Caller(TENANT, "document-versioning", "system")

    async def answer(user: Caller) -> tuple[bool, bool, bool]:
        r = await s.access(asker, user, "promotion_application", application.application_id)
        return r.exists, r.readable, r.writable

    assert await answer(WANGQIANG) == (True, True, True)
    assert await answer(ZHAOLEI) == (True, True, True)  # the applicant's organisation attaches its material
    assert await answer(LISI) == (True, False, False)  # not the channel manager: applications are not theirs
    assert await answer(SUNLI) == (True, False, False)
    assert await answer(REP) == (True, False, False)


FRIDAY_EVENING = datetime(2026, 12, 4, 17, 0, tzinfo=BUSINESS_TZ)  # Friday 17:00 in Shanghai


@pytest.mark.parametrize("approval_clock", [FRIDAY_EVENING.astimezone(UTC)], indirect=True)
async def test_past_two_working_days_the_channel_manager_is_reminded_then_an_admin_takes_it(
    stack: Stack, approval_clock: FixedClock
) -> None:
    s, clock = stack, approval_clock
    reg = await s.register(ZHAOLEI, "杭州迟审机电有限公司", 300_000, "0571-88007777")
    approval_id = await s.approval_of(reg.registration_id)
    [item] = [i for i in await s.inbox(WANGQIANG) if i.approval_id == approval_id]
    # Two working days from Friday 17:00: an hour on Friday, Monday, seven hours on Tuesday.
    assert from_timestamp(item.due_at, True) == datetime(2026, 12, 8, 17, 0, tzinfo=BUSINESS_TZ)
    (sla,) = [j for j in s.approval.runtime.jobs if j.name == "approval-sla"]

    async def sla_history() -> list[str]:
        got = await s.detail(approval_id, ADMIN)
        return [h.action for h in got.history if h.action in ("sla_reminded", "escalated")]

    clock.advance(timedelta(days=4))  # Tuesday 17:00: due now
    await sla.run_once()
    [item] = [i for i in await s.inbox(WANGQIANG) if i.approval_id == approval_id]
    assert item.overdue and item.reminders == 1
    assert await sla_history() == ["sla_reminded"]

    clock.advance(timedelta(days=2))  # Thursday 17:00: as long again, and the channel manager did not decide
    await sla.run_once()
    assert await sla_history() == ["sla_reminded", "escalated"]
    assert not [i for i in await s.inbox(WANGQIANG) if i.approval_id == approval_id]
    [taken] = [i for i in await s.inbox(ADMIN) if i.approval_id == approval_id]
    assert taken.escalated and taken.original_assignee == "wangqiang"
