"""Policies as the business writes them: checked on save with every problem
named by its field (a formula's line and column), and chosen for a request:
the first by position whose criteria hold, else the kind's default, else the
built-in manager policy."""

from dataclasses import replace

import pytest
from approval.domain import facts as f
from approval.domain.policy import (
    ApproverRule,
    Policy,
    SlaRule,
    Stage,
    Step,
    as_written,
    check_policy,
)
from approval.domain.policy_choice import builtin_default, choose
from crm_shared.domain.errors import InvalidArgument

MANAGER = ApproverRule("manager")


def policy(
    policy_id: str = "p-1",
    *,
    position: int = 0,
    criteria: str = "",
    is_default: bool = False,
    stages: tuple[Stage, ...] | None = None,
    kind: str = "contract",
) -> Policy:
    return Policy(
        policy_id=policy_id,
        tenant_id="t-1",
        kind=kind,
        name=f"策略 {policy_id}",
        version=1,
        position=position,
        criteria=criteria,
        is_default=is_default,
        stages=stages if stages is not None else (Stage("s1", "上级", (Step("s1.a", "上级审批", MANAGER),)),),
    )


def violations(p: Policy, departments: dict[str, int] | None = None) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as caught:
        check_policy(as_written(p), departments or {})
    return {v.field: v.description for v in caught.value.violations}


def test_a_good_policy_passes_and_its_criteria_compile() -> None:
    compiled = check_policy(as_written(policy(criteria="金额>2*区域平均合同额")), {})
    assert compiled is not None and set(compiled.fields) == {"金额", "区域平均合同额"}


def test_a_formula_error_names_line_column_and_reason() -> None:
    found = violations(policy(criteria="金额>2*区域均价"))
    assert found["criteria"].startswith("line 1, column 6: unknown field") and "区域均价" in found["criteria"]


def test_criteria_must_be_a_condition() -> None:
    assert "criteria" in violations(policy(criteria="金额*2"))


def test_no_stages_and_an_empty_stage_are_refused() -> None:
    assert "stages" in violations(policy(stages=()))
    assert "stages[0].steps" in violations(policy(stages=(Stage("s1", "空", ()),)))


def test_k_may_not_exceed_the_people_a_rule_can_name() -> None:
    two = ApproverRule("department_members", "d-tech")
    step = Step("a", "技术评审", two, mode="k_of_n", k=3)
    found = violations(policy(stages=(Stage("s1", "评审", (step,)),)), {"d-tech": 2})
    assert found == {"stages[0].steps[0].k": "is more than the 2 approver(s) the rule can name"}
    check_policy(as_written(policy(stages=(Stage("s1", "评审", (replace(step, k=2),)),))), {"d-tech": 2})


def test_send_back_goes_to_an_earlier_stage_or_the_requester_only() -> None:
    first = Stage("s1", "一", (Step("a", "甲", MANAGER),))
    later = Stage("s2", "二", (Step("b", "乙", MANAGER, on_reject="send_back", send_back_to="s3"),))
    last = Stage("s3", "三", (Step("c", "丙", MANAGER),))
    assert "stages[1].steps[0].send_back_to" in violations(policy(stages=(first, later, last)))
    fine = replace(later, steps=(replace(later.steps[0], send_back_to="s1"),))
    check_policy(as_written(policy(stages=(first, fine, last))), {})
    to_itself = replace(later, steps=(replace(later.steps[0], send_back_to="s2"),))
    assert "stages[1].steps[0].send_back_to" in violations(policy(stages=(first, to_itself)))


def test_rules_modes_and_sla_are_checked_by_field() -> None:
    step = Step(
        "a",
        "财务",
        ApproverRule("role", "partner"),
        mode="quorum",
        sla=(SlaRule("涉及停产", 120, outcome="escalate"), SlaRule("涉及停产", 0, reminders=99, outcome="later")),
    )
    found = violations(policy(stages=(Stage("s1", "财务", (step,)), Stage("s1", "", (Step("a", "再", MANAGER),)))))
    assert {
        "stages[0].steps[0].approvers.value",
        "stages[0].steps[0].mode",
        "stages[0].steps[0].sla[0].target",
        "stages[0].steps[0].sla[1].impact",
        "stages[0].steps[0].sla[1].working_minutes",
        "stages[0].steps[0].sla[1].reminders",
        "stages[0].steps[0].sla[1].outcome",
        "stages[1].stage_id",
        "stages[1].name",
        "stages[1].steps[0].step_id",
    } <= set(found)


def test_a_department_rule_names_an_existing_department() -> None:
    step = Step("a", "技术部", ApproverRule("department_head", "d-missing"))
    assert "stages[0].steps[0].approvers.value" in violations(policy(stages=(Stage("s1", "技术", (step,)),)))


def test_the_default_policy_has_no_criteria() -> None:
    assert "criteria" in violations(policy(is_default=True, criteria="金额>1"))


def test_blank_ids_are_filled_in() -> None:
    written = as_written(policy(stages=(Stage("", "一", (Step("", "甲", MANAGER), Step("", "乙", MANAGER))),)))
    assert [s.step_id for s in written.stages[0].steps] == ["stage-1.step-1", "stage-1.step-2"]


def facts(amount_yuan: float, average_yuan: float | None, impact: str = "") -> dict[str, object]:
    avg = None if average_yuan is None else f.Average(int(average_yuan * 100), 1)
    return f.combine(
        f.SubjectFacts(amount_minor=int(amount_yuan * 100), region="浙江省"), {"impact_scope": impact}, avg
    )


def test_the_first_matching_policy_by_position_decides() -> None:
    big = policy("big", position=2, criteria="金额>2*区域平均合同额")
    impact = policy("impact", position=1, criteria='OR(影响范围="涉及停产",影响范围="影响交付")')
    default = policy("default", is_default=True)
    chosen = choose("t-1", "contract", [default, big, impact], facts(300_000, 100_000, "涉及停产"))
    assert chosen.policy.policy_id == "impact"
    assert [(t.policy_id, t.outcome) for t in chosen.tried] == [("impact", "matched"), ("big", "not_reached")]
    assert choose("t-1", "contract", [default, big, impact], facts(300_000, 100_000)).policy.policy_id == "big"


def test_nothing_matching_falls_to_the_kind_default_then_the_builtin() -> None:
    big = policy("big", criteria="金额>2*区域平均合同额")
    default = policy("default", is_default=True)
    small = facts(150_000, 100_000)
    chosen = choose("t-1", "contract", [big, default], small)
    assert chosen.policy.policy_id == "default" and [t.outcome for t in chosen.tried] == ["not_matched", "default"]
    builtin = choose("t-1", "contract", [big], small).policy
    assert builtin == builtin_default("t-1", "contract") and builtin.stages[0].steps[0].approvers.kind == "manager"
    # Another kind's policies are not tried.
    assert choose("t-1", "quote", [big, default], facts(900_000, 100_000)).policy.policy_id == "builtin-quote"


def test_an_erring_condition_does_not_hold() -> None:
    ratio = policy("ratio", criteria="金额/区域成交数>1")
    chosen = choose("t-1", "contract", [ratio], f.combine(f.SubjectFacts(amount_minor=100), {}, None))
    assert chosen.policy.policy_id == "builtin-contract"
    assert chosen.tried[0].outcome == "error" and "DIV" in chosen.tried[0].detail


def test_inactive_policies_are_never_chosen() -> None:
    gone = replace(policy("gone"), active=False)
    assert choose("t-1", "contract", [gone], facts(1, 1)).policy.policy_id == "builtin-contract"


def test_locked_fields_are_fields_opportunity_can_lock() -> None:
    assert violations(replace(policy(), locked_fields=("amount", "colour"))) == {
        "locked_fields[1]": "is not a field opportunity can lock; one of name, amount, expected_close_date, "
        "contract_end_date, product_line, decision_maker"
    }
    check_policy(as_written(replace(policy(), locked_fields=("amount", "product_line"))), {})
