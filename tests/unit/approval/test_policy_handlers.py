"""The policy and facts use cases on fakes: a save is checked against the
tenant's departments, versioned, and refused on a stale version or a second
default; the facts of a request merge the subject's, the given and the averages."""

from dataclasses import replace

import pytest
from approval.domain import facts as f
from approval.domain.facts import Average, SubjectFacts
from approval.domain.policy import ApproverRule, Policy, PolicyChange, Stage, Step
from approval.service_layer.facts import Facts
from approval.service_layer.policies import PolicyHandlers, choose_policy
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from crm_shared.testing import FakeSubjectAccess, FakeUnitOfWork

ADMIN = Caller("t-1", "admin", "admin")
MANAGER = Caller("t-1", "mgr-1", "manager")
REP = Caller("t-1", "rep-1", "rep")


class FakePolicies:
    def __init__(self) -> None:
        self.current: dict[tuple[str, str], Policy] = {}
        self.changes: list[PolicyChange] = []

    def _default_taken(self, policy: Policy) -> bool:
        return (
            policy.is_default
            and policy.active
            and any(
                p.is_default and p.active and p.kind == policy.kind and p.policy_id != policy.policy_id
                for (t, _), p in self.current.items()
                if t == policy.tenant_id
            )
        )

    async def add(self, policy: Policy, comment: str) -> bool:
        if self._default_taken(policy):
            return False
        self.current[(policy.tenant_id, policy.policy_id)] = policy
        self.changes.append(PolicyChange(policy, "created", comment, policy.updated_by, policy.updated_at))
        return True

    async def save(self, policy: Policy, *, before: int, action: str, comment: str) -> bool | None:
        if self.current[(policy.tenant_id, policy.policy_id)].version != before:
            return None
        if self._default_taken(policy):
            return False
        self.current[(policy.tenant_id, policy.policy_id)] = policy
        self.changes.append(PolicyChange(policy, action, comment, policy.updated_by, policy.updated_at))
        return True

    async def get(self, tenant_id: str, policy_id: str) -> Policy | None:
        return self.current.get((tenant_id, policy_id))

    async def of_kind(self, tenant_id: str, kind: str) -> list[Policy]:
        return [p for (t, _), p in self.current.items() if t == tenant_id and p.kind == kind and p.active]

    async def list(self, tenant_id: str, kind: str = "") -> list[Policy]:
        return [p for (t, _), p in self.current.items() if t == tenant_id and (not kind or p.kind == kind) and p.active]


class FakeDepartments:
    def __init__(self, sizes: dict[str, int]) -> None:
        self._sizes = sizes

    async def sizes(self, tenant_id: str) -> dict[str, int]:
        return dict(self._sizes)


class FakeAverages:
    def __init__(self, figures: dict[tuple[str, str], Average]) -> None:
        self.figures = figures

    async def of(self, tenant_id: str, region: str, product_line: str = "") -> Average:
        if product_line:
            return self.figures.get((region, product_line), Average(0, 0))
        pairs = [a for (r, _), a in self.figures.items() if r == region]
        return Average(sum(a.total_minor for a in pairs), sum(a.count for a in pairs))


class FakeSubjects:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str]] = []

    async def facts_of(self, tenant_id: str, subject_type: str, subject_id: str) -> SubjectFacts:
        self.asked.append((tenant_id, subject_type, subject_id))
        return SubjectFacts(amount_minor=50_000_000, region="浙江省", product_line="注塑机", customer_tier="重点")


def draft(**changes: object) -> Policy:
    step = Step("", "技术评审", ApproverRule("department_members", "d-tech"), mode="k_of_n", k=2)
    base = Policy("", "", "contract", "大额合同", 0, 1, "金额>2*区域平均合同额", False, (Stage("", "评审", (step,)),))
    return replace(base, **changes)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    averages = FakeAverages({("浙江省", "注塑机"): Average(40_000_000, 2)})
    return FakeUnitOfWork(policies=FakePolicies(), departments=FakeDepartments({"d-tech": 2}), averages=averages)


@pytest.fixture
def handlers(uow: FakeUnitOfWork) -> PolicyHandlers:
    return PolicyHandlers(lambda: uow, Facts(lambda: uow, FakeSubjects()), FakeSubjectAccess())


async def test_create_checks_against_the_departments_and_stamps_version_1(handlers: PolicyHandlers, uow) -> None:
    saved = await handlers.create(ADMIN, draft(), "大额订单预警")
    assert (saved.version, saved.tenant_id, saved.updated_by) == (1, "t-1", "admin") and uow.committed
    assert saved.stages[0].stage_id == "stage-1" and uow.policies.changes[0].comment == "大额订单预警"
    with pytest.raises(InvalidArgument) as caught:
        await handlers.create(ADMIN, draft(stages=(Stage("", "评审", (replace(saved.stages[0].steps[0], k=3),)),)), "")
    assert [v.field for v in caught.value.violations] == ["stages[0].steps[0].k"]


async def test_only_admins_write_and_managers_read(handlers: PolicyHandlers) -> None:
    with pytest.raises(PermissionDenied):
        await handlers.create(MANAGER, draft(), "")
    with pytest.raises(PermissionDenied):
        await handlers.list(REP)
    assert await handlers.list(MANAGER) == []


async def test_an_update_over_a_stale_version_or_to_another_kind_is_refused(handlers: PolicyHandlers) -> None:
    saved = await handlers.create(ADMIN, draft(), "")
    second = await handlers.update(ADMIN, saved.policy_id, 1, draft(criteria="金额>3*区域平均合同额"), "3倍")
    assert second.version == 2 and second.criteria == "金额>3*区域平均合同额"
    with pytest.raises(Conflict):
        await handlers.update(ADMIN, saved.policy_id, 1, draft(), "")
    with pytest.raises(InvalidArgument):
        await handlers.update(ADMIN, saved.policy_id, 2, draft(kind="quote"), "")
    deleted = await handlers.delete(ADMIN, saved.policy_id, "停用")
    assert deleted.version == 3 and not deleted.active
    with pytest.raises(NotFound):
        await handlers.get(MANAGER, saved.policy_id)


async def test_a_second_default_of_a_kind_is_refused(handlers: PolicyHandlers) -> None:
    default = draft(is_default=True, criteria="", name="默认")
    await handlers.create(ADMIN, default, "")
    with pytest.raises(FailedPrecondition):
        await handlers.create(ADMIN, default, "")
    await handlers.create(ADMIN, replace(default, kind="quote"), "")


async def test_facts_merge_the_subject_the_given_and_the_average(uow) -> None:
    subjects = FakeSubjects()
    facts = await Facts(lambda: uow, subjects).collect(
        REP, "contract", "opportunity", "o-1", {"impact_scope": "涉及停产"}
    )
    assert subjects.asked == [("t-1", "opportunity", "o-1")]
    assert facts[f.AMOUNT] == 500_000 and facts[f.AMOUNT_MINOR] == 50_000_000 and facts[f.IMPACT] == "涉及停产"
    assert facts[f.REGIONAL_AVERAGE] == 200_000 and facts[f.REGIONAL_WINS] == 2 and facts[f.CUSTOMER_TIER] == "重点"
    # A bad given fact is refused before opportunity is asked.
    with pytest.raises(InvalidArgument):
        await Facts(lambda: uow, subjects).collect(REP, "contract", "opportunity", "o-1", {"colour": "red"})
    assert len(subjects.asked) == 1


async def test_choose_policy_runs_the_saved_policies_over_the_facts(handlers: PolicyHandlers, uow) -> None:
    saved = await handlers.create(ADMIN, draft(), "")
    big = f.combine(SubjectFacts(amount_minor=50_000_001), {}, Average(25_000_000, 1))
    assert (await choose_policy(uow, "t-1", "contract", big)).policy_id == saved.policy_id
    small = f.combine(SubjectFacts(amount_minor=40_000_000), {}, Average(25_000_000, 1))
    assert (await choose_policy(uow, "t-1", "contract", small)).policy_id == "builtin-contract"
    run = await handlers.dry_run(
        MANAGER, "contract", {"amount_minor": 60_000_000, "region": "浙江省", "product_line": "注塑机"}
    )
    assert run.choice.policy.policy_id == saved.policy_id and run.facts[f.REGIONAL_AVERAGE] == 200_000


class NoProfiles:
    async def chain(self, tenant_id: str, rep_id: str, levels: int) -> dict:
        return {}


class NoDelegations:
    async def covering(self, tenant_id: str, users: list[str], now) -> dict:
        return {}


async def test_a_dry_run_of_a_partners_registration_names_the_channel_manager_and_the_tenants_deadline(
    uow,
) -> None:
    uow.profiles, uow.delegations = NoProfiles(), NoDelegations()
    handlers = PolicyHandlers(
        lambda: uow, Facts(lambda: uow, FakeSubjects()), FakeSubjectAccess(), review=lambda tenant_id: 3 * 480
    )
    given = {"金额": "510000", "渠道经理": "wangqiang", "分销商": "dist-hz", "申请人": "zhaolei"}
    run = await handlers.dry_run(MANAGER, "partner_registration", given, requester_id="lead-routing")
    policy = run.choice.policy
    assert policy.policy_id == "builtin-partner_registration" and "channel manager" in run.choice.reason
    assert policy.stages[0].steps[0].sla[0].working_minutes == 3 * 480
    # Nobody above wangqiang in the rep profiles: the second step falls back to admin, and says so.
    assert [s.approvers for s in run.steps] == [(("wangqiang", ""),), (("admin", ""),)]
    assert "found nobody" in run.steps[1].note
