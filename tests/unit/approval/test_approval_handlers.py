"""The approval use cases on fakes: a request is checked against its
subject's access and its document, stored and announced; a decision too."""

import pytest
from approval.domain.approval import Approval
from approval.service_layer.handlers import ApprovalHandlers, SubmitApproval
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from crm_shared.testing import FakeRepository, FakeSubjectAccess, FakeUnitOfWork

REP = Caller("t-1", "rep-1", "rep")
MANAGER = Caller("t-1", "mgr-1", "manager")


class FakeApprovals(FakeRepository[Approval]):
    id_field = "approval_id"

    async def pending_for(self, tenant_id: str, subject_type: str, subject_id: str) -> Approval | None:
        return next(
            iter(self.items(tenant_id, subject_type=subject_type, subject_id=subject_id, status="pending")), None
        )

    async def latest_for(self, tenant_id: str, subject_type: str, subject_id: str) -> Approval | None:
        found = self.items(tenant_id, subject_type=subject_type, subject_id=subject_id)
        return max(found, key=lambda a: (a.requested_at, a.approval_id), default=None)

    async def record_decision(self, decided: Approval) -> bool:
        current = await self.get(decided.tenant_id, decided.approval_id)
        if current is None or current.status != "pending":
            return False
        self.put(decided)
        return True


class FakeDocuments:
    def __init__(self, filed: dict[str, str]) -> None:
        self.filed = filed  # version id -> opportunity id

    async def opportunity_of(self, tenant_id: str, version_id: str) -> str | None:
        return self.filed.get(version_id)


@pytest.fixture
def world() -> tuple[ApprovalHandlers, FakeUnitOfWork, FakeSubjectAccess]:
    uow = FakeUnitOfWork(approvals=FakeApprovals())
    access = FakeSubjectAccess()
    access.allow(REP, "opp-1")
    access.allow(MANAGER, "opp-1", write=False)
    return ApprovalHandlers(lambda: uow, access, FakeDocuments({"v-1": "opp-1", "v-2": "opp-2"})), uow, access


async def test_a_request_is_stored_and_announced(world) -> None:
    handlers, uow, access = world
    approval = await handlers.submit(REP, SubmitApproval("opportunity", " opp-1 ", "v-1", "报价低于底价"))
    assert (approval.status, approval.subject_id, approval.requested_at) == ("pending", "opp-1", uow.clock.now())
    assert uow.committed and access.asked == [("rep-1", "opp-1", True)]
    [(type_, tenant, aggregate, event)] = uow.published
    assert (type_, tenant, aggregate) == ("approval.requested", "t-1", approval.approval_id)
    assert (event.subject_id, event.requested_by, event.document_version_id) == ("opp-1", "rep-1", "v-1")


async def test_a_second_request_or_another_opportunitys_document_is_refused(world) -> None:
    handlers, uow, _ = world
    with pytest.raises(InvalidArgument):
        await handlers.submit(REP, SubmitApproval("opportunity", "opp-1", "v-2"))
    first = await handlers.submit(REP, SubmitApproval("opportunity", "opp-1"))
    with pytest.raises(FailedPrecondition, match=first.approval_id):
        await handlers.submit(REP, SubmitApproval("opportunity", "opp-1"))
    assert [e[0] for e in uow.published] == ["approval.requested"]


async def test_who_may_not_see_the_subject_hears_not_found(world) -> None:
    handlers, uow, _ = world
    with pytest.raises(NotFound):
        await handlers.submit(Caller("t-1", "rep-2", "rep"), SubmitApproval("opportunity", "opp-1"))
    with pytest.raises(PermissionDenied):
        await handlers.submit(Caller("t-1", "fin-1", "finance"), SubmitApproval("opportunity", "opp-1"))
    assert not uow.published and not uow.committed


async def test_a_decision_is_recorded_once(world) -> None:
    handlers, uow, _ = world
    asked = await handlers.submit(REP, SubmitApproval("opportunity", "opp-1"))
    decided = await handlers.decide(MANAGER, asked.approval_id, "approve", " 同意 ")
    assert (decided.status, decided.decided_by, decided.comment) == ("approved", "mgr-1", "同意")
    assert (await handlers.latest(REP, "opportunity", "opp-1")) == decided
    assert [e[0] for e in uow.published] == ["approval.requested", "approval.decided"]
    assert uow.events("approval.decided")[0].decision == "approved"
    with pytest.raises(FailedPrecondition):
        await handlers.decide(MANAGER, asked.approval_id, "reject", "")
