"""Issue 11 on the opportunity's side, on fakes: a gate asks for an approval of
a given kind, approved and not stale; the subject lock refuses a change to a
field a pending request holds (409 naming it), and fails closed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, NotFound, Unavailable
from crm_shared.testing import DEFAULT_NOW
from opportunity.domain import pipeline as rules
from opportunity.domain.approval_lock import SubjectLock, changed_fields
from opportunity.domain.gate import ApprovalState, Gate, GateFacts, gate_from
from opportunity.domain.opportunity import Details, Opportunity, open_opportunity
from opportunity.domain.pipeline import Stage, define_pipeline, unmet
from opportunity.service_layer.opportunities import OpportunityHandlers

from .fakes import FakeGates, FakeLocks, fake_uow

TENANT = "t"
REP = Caller(TENANT, "rep-1", "rep")
OTHER_REP = Caller(TENANT, "rep-2", "rep")
CONTRACT_GATE = (Stage("合同签署", 90, "commit", Gate(approval_kinds=("contract",))),)


def opportunity(**overrides: object) -> tuple[Opportunity, object]:
    opened = open_opportunity(
        tenant_id=TENANT,
        opportunity_id="o-1",
        customer_id="c-1",
        now=DEFAULT_NOW,
        existing=None,
        customer_name="宁波注塑机厂",
        credit_code="",
        name="二期产线",
        amount_minor=80_000_000,
        currency="CNY",
        owner_id="rep-1",
    )
    return replace(opened.opportunity, **overrides), opened.customer


def test_an_approved_quote_does_not_satisfy_a_gate_asking_for_a_contract_approval() -> None:
    opp, _ = opportunity()
    quote_only = GateFacts(approvals={"quote": ApprovalState("a-1", "approved")})
    [violation] = unmet(opp, CONTRACT_GATE, quote_only)
    assert (violation.type, violation.subject) == ("approval", "contract")
    assert "合同审批" in violation.description and "missing" in violation.description
    assert unmet(opp, CONTRACT_GATE, GateFacts(approvals={"contract": ApprovalState("a-2", "approved")})) == []


@pytest.mark.parametrize(
    ("state", "said"),
    [
        (ApprovalState("a-2", "pending"), "pending"),
        (ApprovalState("a-2", "returned"), "pending"),
        (ApprovalState("a-2", "rejected"), "rejected"),
        (ApprovalState("a-2", "recalled"), "missing"),
        (ApprovalState("a-2", "voided"), "missing"),
        (ApprovalState("a-2", "approved", stale=True), "stale"),
    ],
)
def test_the_unmet_reason_says_whether_the_approval_is_missing_pending_rejected_or_stale(
    state: ApprovalState, said: str
) -> None:
    opp, _ = opportunity()
    [violation] = unmet(opp, CONTRACT_GATE, GateFacts(approvals={"contract": state}))
    assert f"contract: {said}" in violation.description
    assert "a-2" in violation.description


def test_gate_kinds_are_checked_and_the_old_requires_approval_asks_for_a_quote() -> None:
    with pytest.raises(InvalidArgument) as refused:
        define_pipeline(
            pipeline_id="p",
            tenant_id=TENANT,
            name="设备",
            product_line="",
            now=DEFAULT_NOW,
            stages=[Stage("签约", 90, "commit", Gate(approval_kinds=("contract", "boss_says_yes")))],
        )
    assert [v.field for v in refused.value.violations] == ["stages[0].gate.approval_kinds"]
    assert gate_from((), (), (), requires_approval=True).approval_kinds == ("quote",)
    assert gate_from((), (), ("contract",), requires_approval=True).approval_kinds == ("contract",)
    assert not gate_from().requires_approval
    kept = define_pipeline(
        pipeline_id="p",
        tenant_id=TENANT,
        name="设备",
        product_line="",
        now=DEFAULT_NOW,
        stages=[Stage("签约", 90, "commit", Gate(approval_kinds=("contract", "contract", "technical_proposal")))],
    )
    assert kept.stages[0].gate.approval_kinds == ("contract", "technical_proposal")
    assert rules.gate_needs(kept.stages)[1] == frozenset({"contract", "technical_proposal"})


def test_only_a_real_change_of_a_lockable_field_counts() -> None:
    opp, _ = opportunity()
    assert changed_fields(opp, replace(opp, amount_minor=opp.amount_minor)) == frozenset()
    assert changed_fields(opp, replace(opp, currency="USD")) == {"amount"}


def handlers_with(locks: FakeLocks):  # type: ignore[no-untyped-def]
    uow = fake_uow()
    opp, customer = opportunity()
    uow.customers.put(customer)
    uow.opportunities.put(opp)
    return uow, OpportunityHandlers(lambda: uow, FakeGates(), locks)


async def test_a_field_a_pending_approval_locks_is_refused_naming_the_approval_and_nothing_changes() -> None:
    locks = FakeLocks([SubjectLock("a-9", "quote", ("amount", "product_line"))])
    uow, handlers = handlers_with(locks)
    with pytest.raises(FailedPrecondition) as refused:
        await handlers.update(REP, "o-1", Details(amount_minor=60_000_000, name="二期产线（改）"))
    assert [(v.type, v.subject) for v in refused.value.violations] == [("approval_lock", "amount")]
    assert "a-9" in refused.value.message and "a-9" in refused.value.violations[0].description
    assert not uow.committed
    assert (await uow.opportunities.get(TENANT, "o-1")).amount_minor == 80_000_000  # type: ignore[union-attr]
    # Fields the request does not lock, or a locked one sent unchanged, still go through.
    changed = await handlers.update(REP, "o-1", Details(amount_minor=80_000_000, name="二期产线（改）"))
    assert (changed.opportunity.name, changed.opportunity.amount_minor) == ("二期产线（改）", 80_000_000)


async def test_approval_is_asked_only_for_a_real_change_in_scope_and_its_silence_changes_nothing() -> None:
    locks = FakeLocks(unavailable=True)
    uow, handlers = handlers_with(locks)
    await handlers.update(REP, "o-1", Details())
    await handlers.update(REP, "o-1", Details(amount_minor=80_000_000, name="二期产线"))  # the values it has
    assert locks.asked == []
    with pytest.raises(NotFound):
        await handlers.update(OTHER_REP, "o-1", Details(amount_minor=1))
    with pytest.raises(InvalidArgument) as bad:
        await handlers.update(REP, "o-1", Details(amount_minor=-5, expected_close_date="明天"))
    assert {v.field for v in bad.value.violations} == {"amount.amount_minor", "expected_close_date"}
    assert locks.asked == []
    with pytest.raises(Unavailable):
        await handlers.update(REP, "o-1", Details(amount_minor=1))
    assert locks.asked == ["o-1"]
    assert (await uow.opportunities.get(TENANT, "o-1")).amount_minor == 80_000_000  # type: ignore[union-attr]
