"""Gated stage moves (service_layer/stage_moves.py) on fakes: facts asked
before the transaction, a move refused by a gate changes nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, FailedPrecondition, NotFound
from crm_shared.testing import DEFAULT_NOW
from opportunity.domain import pipeline as rules
from opportunity.domain.opportunity import Opportunity, open_opportunity
from opportunity.domain.pipeline import Gate, Pipeline, Stage
from opportunity.domain.rep import Rep
from opportunity.service_layer.stage_moves import StageMoveHandlers

from .fakes import FakeGates, fake_uow

TENANT = "t"
REP = Caller(TENANT, "rep-1", "rep")
PIPELINE = Pipeline(
    pipeline_id="p-1",
    tenant_id=TENANT,
    name="设备",
    product_line="注塑机",
    stages=(
        Stage("初步接触", 10, "pipeline"),
        Stage("需求确认", 30, "pipeline", Gate(required_fields=("amount",))),
        Stage("方案报价", 50, "best_case", Gate(required_documents=("报价单",))),
        Stage("商务谈判", 80, "commit", Gate(approval_kinds=("quote",))),
    ),
    created_at=DEFAULT_NOW,
    updated_at=DEFAULT_NOW,
)


def placed(**overrides: object) -> Opportunity:
    opened = open_opportunity(
        tenant_id=TENANT,
        opportunity_id="o-1",
        customer_id="c-1",
        now=DEFAULT_NOW,
        existing=None,
        customer_name="宁波注塑机厂",
        credit_code="",
        name="二期产线",
        amount_minor=None,
        currency="CNY",
        owner_id="rep-1",
    )
    return replace(rules.enter(opened.opportunity, PIPELINE, "初步接触", DEFAULT_NOW), **overrides)


def setup(gates: FakeGates, opp: Opportunity | None = None):  # type: ignore[no-untyped-def]
    uow = fake_uow()
    uow.pipelines.put(PIPELINE)
    uow.opportunities.put(opp or placed())
    opened = open_opportunity(
        tenant_id=TENANT,
        opportunity_id="x",
        customer_id="c-1",
        now=DEFAULT_NOW,
        existing=None,
        customer_name="宁波注塑机厂",
        credit_code="",
        name="x",
        amount_minor=None,
        currency="CNY",
        owner_id="rep-1",
    )
    uow.customers.put(opened.customer)
    return uow, StageMoveHandlers(lambda: uow, gates)


async def test_a_move_refused_by_the_gates_of_every_stage_entered_changes_nothing() -> None:
    gates = FakeGates()  # no documents, no approval
    uow, handlers = setup(gates)
    with pytest.raises(FailedPrecondition) as refused:
        await handlers.move(REP, "o-1", "方案报价")
    # The skipped stage's gate counts too, and every unmet requirement is named at once.
    assert [(v.type, v.subject) for v in refused.value.violations] == [("field", "amount"), ("document", "报价单")]
    assert gates.asked == [("o-1", frozenset({"报价单"}), frozenset())]
    assert (await uow.opportunities.get(TENANT, "o-1")) == placed()
    assert (uow.published, uow.opportunities.stay_rows, uow.committed) == ([], [], False)


async def test_a_move_whose_gates_hold_enters_the_stage_and_is_announced() -> None:
    uow, handlers = setup(FakeGates(documents=frozenset({"报价单"})), placed(amount_minor=1_000_000))
    moved = await handlers.move(REP, "o-1", "方案报价")
    assert (moved.opportunity.stage, moved.opportunity.probability, moved.opportunity.forecast_category) == (
        "方案报价",
        50,
        "best_case",
    )
    assert (await uow.opportunities.get(TENANT, "o-1")).stage == "方案报价"  # type: ignore[union-attr]
    [stay] = uow.opportunities.stay_rows
    assert (stay.stage, stay.entered_via, stay.entered_by) == ("方案报价", "moved", "rep-1")
    [event] = uow.events("opportunity.stage_changed")
    assert (event.from_stage, event.to_stage) == ("初步接触", "方案报价")
    assert uow.committed


async def test_a_pending_approval_does_not_open_an_approval_gate() -> None:
    uow, handlers = setup(
        FakeGates(documents=frozenset({"报价单"}), approval_status="pending"),
        placed(amount_minor=1_000_000, stage="方案报价"),
    )
    with pytest.raises(FailedPrecondition) as refused:
        await handlers.move(REP, "o-1", "商务谈判")
    [violation] = refused.value.violations
    assert (violation.type, "审批中" in violation.description) == ("approval", True)
    assert not uow.committed


async def test_a_move_backward_asks_no_other_service() -> None:
    gates = FakeGates()
    _uow, handlers = setup(gates, placed(stage="方案报价"))
    assert (await handlers.move(REP, "o-1", "初步接触")).opportunity.stage == "初步接触"
    assert gates.asked == []


async def test_an_opportunity_moved_while_its_gate_was_asked_is_not_moved_again() -> None:
    class MovingMeanwhile(FakeGates):
        async def facts(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            uow.opportunities.put(placed(stage="需求确认"))
            return await super().facts(*args, **kwargs)

    uow, handlers = setup(MovingMeanwhile(documents=frozenset({"报价单"})), placed(amount_minor=1_000_000))
    with pytest.raises(Conflict):
        await handlers.move(REP, "o-1", "方案报价")
    assert not uow.committed


async def test_another_reps_opportunity_reads_as_missing_and_a_manager_moves_their_teams() -> None:
    uow, handlers = setup(FakeGates())
    with pytest.raises(NotFound):
        await handlers.move(Caller(TENANT, "rep-2", "rep"), "o-1", "初步接触")
    uow.reps.put(Rep(TENANT, "rep-1", "张伟", "华东", "mgr-1", "华东", True, DEFAULT_NOW))
    uow.opportunities.put(placed(stage="方案报价"))
    assert (await handlers.move(Caller(TENANT, "mgr-1", "manager"), "o-1", "初步接触")).opportunity.stage == "初步接触"
