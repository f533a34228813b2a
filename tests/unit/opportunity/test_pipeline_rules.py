"""Pipelines as data and gate evaluation: every unmet requirement named,
skipped stages gated, backward moves free, won/lost/reopen, time per stage."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument
from opportunity.domain.gate import ApprovalState, gate_from
from opportunity.domain.opportunity import Details, apply_details, open_opportunity
from opportunity.domain.pipeline import (
    Gate,
    GateFacts,
    Stage,
    check_stages_kept,
    close,
    define_pipeline,
    enter,
    refuse_if_unmet,
    reopen,
    stages_entered,
    stages_to_win,
    unmet,
)
from opportunity.domain.stage_history import Stay, end_stay, time_per_stage

from tests.support.pipeline_seeds import CUSTOM_PARTS, EXPO, MACHINERY

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def quote(status: str, stale: bool = False) -> dict[str, ApprovalState]:
    """The latest quote approval (what a seed gate saying requires_approval asks for)."""
    return {"quote": ApprovalState("approval-1", status, stale)}


def pipeline_of(body: dict):
    return define_pipeline(
        pipeline_id="p-1",
        tenant_id="t",
        name=body["name"],
        product_line=body["product_line"],
        stages=[
            Stage(
                s["name"],
                s["probability"],
                s["forecast_category"],
                gate_from(
                    s["gate"]["required_fields"],
                    s["gate"]["required_documents"],
                    s["gate"].get("approval_kinds", ()),
                    s["gate"].get("requires_approval", False),
                ),
            )
            for s in body["stages"]
        ],
        now=NOW,
    )


def new_opportunity(pipeline, **overrides):
    opp = open_opportunity(
        tenant_id="t",
        opportunity_id="o-1",
        customer_id="c-1",
        now=NOW,
        existing=None,
        customer_name="宁波注塑机厂",
        credit_code="",
        name="二期产线改造",
        amount_minor=None,
        currency="CNY",
        owner_id="rep-1",
    ).opportunity
    return replace(enter(opp, pipeline, pipeline.stages[0].name, NOW), **overrides)


def test_seed_pipelines_are_valid_data() -> None:
    for body in (MACHINERY, CUSTOM_PARTS, EXPO):
        p = pipeline_of(body)
        assert [s.name for s in p.stages] == [s["name"] for s in body["stages"]]


def test_a_bad_definition_names_every_bad_field() -> None:
    with pytest.raises(InvalidArgument) as err:
        define_pipeline(
            pipeline_id="p",
            tenant_id="t",
            name="",
            product_line="",
            now=NOW,
            stages=[
                Stage("初步接触", 120, "maybe"),
                Stage("初步接触", 10, "pipeline", Gate(required_fields=("budget",), required_documents=("",))),
            ],
        )
    assert sorted(v.field for v in err.value.violations) == sorted(
        [
            "name",
            "stages[0].probability",
            "stages[0].forecast_category",
            "stages[1].name",
            "stages[1].gate.required_fields",
            "stages[1].gate.required_documents",
        ]
    )


def test_a_gate_asks_for_no_approval_about_a_partners_registration() -> None:
    for kind in ("partner_registration", "protection_extension"):
        with pytest.raises(InvalidArgument) as err:
            define_pipeline(
                pipeline_id="p",
                tenant_id="t",
                name="机械",
                product_line="",
                now=NOW,
                stages=[Stage("报价", 50, "pipeline", Gate(approval_kinds=(kind,)))],
            )
        assert [v.field for v in err.value.violations] == ["stages[0].gate.approval_kinds"]
    # A promotion (渠道推广申请) may still be about an opportunity.
    define_pipeline(
        pipeline_id="p",
        tenant_id="t",
        name="机械",
        product_line="",
        now=NOW,
        stages=[Stage("报价", 50, "pipeline", Gate(approval_kinds=("promotion",)))],
    )


def test_entering_a_stage_takes_its_probability_and_forecast_category() -> None:
    p = pipeline_of(MACHINERY)
    opp = new_opportunity(p)
    assert (opp.stage, opp.probability, opp.forecast_category, opp.product_line) == (
        "初步接触",
        10,
        "pipeline",
        "大型设备",
    )
    moved = enter(opp, p, "报价谈判", NOW)
    assert (moved.probability, moved.forecast_category) == (60, "best_case")


def test_skipping_forward_checks_every_skipped_gate_and_lists_every_requirement() -> None:
    p = pipeline_of(MACHINERY)
    opp = new_opportunity(p)
    entered = stages_entered(p, opp.stage, "合同签署")
    assert [s.name for s in entered] == ["需求确认", "方案提交", "报价谈判", "合同签署"]
    violations = unmet(opp, entered, GateFacts())
    assert [(v.type, v.subject) for v in violations] == [
        ("field", "decision_maker"),
        ("document", "客户需求分析文档"),
        ("field", "amount"),
        ("field", "expected_close_date"),
        ("approval", "quote"),
    ]
    with pytest.raises(FailedPrecondition) as err:
        refuse_if_unmet(opp, "合同签署", violations)
    assert len(err.value.violations) == 5


def test_a_gate_holds_once_fields_documents_and_approval_are_there() -> None:
    p = pipeline_of(MACHINERY)
    opp = replace(
        new_opportunity(p), decision_maker="李总", amount_minor=5_000_000, expected_close_date=date(2026, 12, 31)
    )
    entered = stages_entered(p, opp.stage, "合同签署")
    assert unmet(opp, entered, GateFacts(frozenset({"客户需求分析文档"}), quote("approved"))) == []
    pending = unmet(opp, entered, GateFacts(frozenset({"客户需求分析文档"}), quote("pending")))
    assert [(v.type, "审批中" in v.description) for v in pending] == [("approval", True)]
    rejected = unmet(opp, entered, GateFacts(frozenset({"客户需求分析文档"}), quote("rejected")))
    assert [v.type for v in rejected] == ["approval"]


def test_a_zero_amount_does_not_fill_the_amount_field() -> None:
    p = pipeline_of(EXPO)
    opp = replace(new_opportunity(p), stage="签订技术协议", amount_minor=0)
    assert [v.subject for v in unmet(opp, stages_entered(p, opp.stage, "付首期款"), GateFacts())] == ["amount"]


def test_backward_moves_have_no_gate_and_the_current_stage_is_refused() -> None:
    p = pipeline_of(CUSTOM_PARTS)
    opp = replace(new_opportunity(p), stage="客户测试")
    assert stages_entered(p, opp.stage, "方案设计") == ()
    with pytest.raises(FailedPrecondition):
        stages_entered(p, opp.stage, "客户测试")
    with pytest.raises(InvalidArgument) as err:
        stages_entered(p, opp.stage, "不存在的阶段")
    assert err.value.violations[0].field == "stage"


def test_lost_needs_a_reason_and_closed_opportunities_do_not_move_until_reopened() -> None:
    p = pipeline_of(EXPO)
    opp = new_opportunity(p)
    with pytest.raises(InvalidArgument) as err:
        close(opp, "lost", "  ", NOW)
    assert err.value.violations[0].field == "reason"
    lost = close(opp, "lost", "预算取消", NOW)
    assert (lost.status, lost.probability, lost.forecast_category, lost.close_reason) == (
        "lost",
        0,
        "closed",
        "预算取消",
    )
    with pytest.raises(FailedPrecondition):
        close(lost, "won", "", NOW)
    back = reopen(lost, p, NOW + timedelta(days=1))
    assert (back.status, back.stage, back.probability, back.close_reason) == ("open", "扫码留资", 5, "")
    ready = replace(back, amount_minor=38_000_000)
    won = close(ready, "won", "", NOW, pipeline=p, facts=GateFacts(documents=frozenset({"客户需求确认书", "技术协议"})))
    assert (won.status, won.probability) == ("won", 100)


def test_winning_passes_every_gate_from_the_current_stage_to_the_last() -> None:
    p = pipeline_of(MACHINERY)
    opp = new_opportunity(p)  # 初步接触, nothing filled, no documents, no approval
    with pytest.raises(FailedPrecondition) as err:
        close(opp, "won", "", NOW, pipeline=p, facts=GateFacts())
    assert [(v.type, v.subject) for v in err.value.violations] == [
        ("field", "decision_maker"),
        ("document", "客户需求分析文档"),
        ("field", "amount"),
        ("field", "expected_close_date"),
        ("approval", "quote"),
    ]
    # In the last stage the won stage's own gate still holds the deal: a rejected approval refuses.
    signing = replace(
        enter(opp, p, "合同签署", NOW), amount_minor=1, expected_close_date=date(2027, 1, 1), decision_maker="李总"
    )
    with pytest.raises(FailedPrecondition) as err:
        close(signing, "won", "", NOW, pipeline=p, facts=GateFacts(approvals=quote("rejected")))
    assert [(v.type, v.subject) for v in err.value.violations] == [("approval", "quote")]
    assert close(signing, "won", "", NOW, pipeline=p, facts=GateFacts(approvals=quote("approved"))).status == "won"
    # Losing has no gate.
    assert close(opp, "lost", "预算取消", NOW).status == "lost"
    assert [s.name for s in stages_to_win(p, "报价谈判")] == ["报价谈判", "合同签署"]
    assert [s.name for s in stages_to_win(p, "已删除的阶段")] == [s.name for s in p.stages]


def test_time_per_stage_adds_every_stay_and_counts_the_current_one_until_now() -> None:
    first = Stay("s1", "t", "o", "p", "需求确认", NOW, "rep-1", "placed")
    first = end_stay(first, NOW + timedelta(hours=5), "moved")
    second = end_stay(
        Stay("s2", "t", "o", "p", "方案设计", NOW + timedelta(hours=5), "rep-1", "moved"),
        NOW + timedelta(hours=6),
        "moved",
    )
    third = Stay("s3", "t", "o", "p", "需求确认", NOW + timedelta(hours=6), "rep-1", "moved")
    assert time_per_stage([first, second, third], NOW + timedelta(hours=8)) == [
        ("需求确认", 7 * 3600),
        ("方案设计", 3600),
    ]


def test_occupied_stages_cannot_be_removed() -> None:
    p = pipeline_of(EXPO)
    smaller = replace(p, stages=p.stages[1:])
    with pytest.raises(FailedPrecondition) as err:
        check_stages_kept(smaller, {"扫码留资", "付首期款"})
    assert [v.subject for v in err.value.violations] == ["扫码留资"]
    check_stages_kept(smaller, {"付首期款"})


def test_details_name_every_bad_field_and_change_only_what_is_given() -> None:
    p = pipeline_of(CUSTOM_PARTS)
    opp = new_opportunity(p, decision_maker="王工")
    with pytest.raises(InvalidArgument) as err:
        apply_details(opp, Details(amount_minor=-1, expected_close_date="2026-13-01", contract_end_date="明年"), NOW)
    assert sorted(v.field for v in err.value.violations) == [
        "amount.amount_minor",
        "contract_end_date",
        "expected_close_date",
    ]
    changed = apply_details(opp, Details(contract_end_date="2027-06-30", amount_minor=800_000), NOW)
    assert (changed.contract_end_date, changed.amount_minor, changed.decision_maker) == (
        date(2027, 6, 30),
        800_000,
        "王工",
    )
    assert apply_details(changed, Details(contract_end_date=""), NOW).contract_end_date is None


def test_reopening_in_a_stage_removed_since_is_a_precondition_not_a_bad_argument() -> None:
    p = pipeline_of(EXPO)
    lost = close(new_opportunity(p), "lost", "预算取消", NOW)
    renamed = replace(p, stages=(replace(p.stages[0], name="扫码"), *p.stages[1:]))
    with pytest.raises(FailedPrecondition) as err:
        reopen(lost, renamed, NOW)
    assert [(v.type, v.subject) for v in err.value.violations] == [("stage", "扫码留资")]
