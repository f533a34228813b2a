"""The receipt rules without a database: a statement receipt's equipment list,
a rule's tolerance, write-offs and waivers, the ledger check with write-offs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument
from finance_reconciliation.domain import ledger
from finance_reconciliation.domain.contract import SUPERSEDED, EquipmentRow, FinanceContract
from finance_reconciliation.domain.plan import DUE, NOT_DUE, PAID, PARTLY_PAID, WAIVED, Instalment, restated
from finance_reconciliation.domain.receipt import (
    HELD,
    MANUAL,
    RECORDED,
    STATEMENT,
    Receipt,
    ReceiptInput,
    Tolerance,
    check_lock,
    check_review,
    validate,
)
from finance_reconciliation.domain.settlement import check_waive, check_write_off

TODAY = date(2026, 12, 2)
VERSION = FinanceContract(
    tenant_id="t", contract_id="c", version_id="v", signed_version_id="s", label="V3.2", opportunity_id="o",
    customer_id="cu", total_minor=10_000, currency="CNY", equipment=(EquipmentRow("HX-450", "注塑机", 2, 1),),
    terms=(), signed_on=TODAY, warranty_months=None,
)
INSTALMENT = Instalment(
    instalment_id="i", tenant_id="t", plan_id="p", contract_id="c", contract_version_id="v", opportunity_id="o",
    customer_id="cu", owner_id="rep", seq=1, name="到货款", trigger="advance", days=0, amount_minor=10_000,
    currency="CNY", due_on=TODAY, paid_minor=0, state=DUE,
)


def given(**kw) -> ReceiptInput:  # type: ignore[no-untyped-def]
    base = {"contract_id": "c", "contract_version_id": "v", "instalment_id": "i", "amount_minor": 10_000,
            "currency": "CNY", "paid_on": TODAY, "payer_name": "宁波华翔", "reference": "",
            "equipment": (("HX-450", 2),), "source": MANUAL, "statement_line_id": ""}
    return ReceiptInput(**{**base, **kw})


def test_only_a_statement_receipt_may_leave_the_equipment_list_out() -> None:
    validate(given(equipment=(), source=STATEMENT, statement_line_id="line-1"))
    with pytest.raises(InvalidArgument) as manual:
        validate(given(equipment=()))
    assert [v.field for v in manual.value.violations] == ["equipment"]
    with pytest.raises(InvalidArgument) as negative:
        validate(given(over_tolerance_minor=-1))
    assert [v.field for v in negative.value.violations] == ["over_tolerance.amount_minor"]


def test_a_rules_over_tolerance_replaces_the_setting_and_keeps_the_hold() -> None:
    setting = Tolerance(over_minor=0, over_bp=500, hold=True)  # 5%: 500 分 of 10_000
    assert setting.overridden(None) is setting
    rule = setting.overridden(20)
    assert (rule.allowed(10_000), rule.hold) == (20, True)
    assert check_lock(given(amount_minor=10_020), version=VERSION, in_force=VERSION, instalment=INSTALMENT,
                      tolerance=rule) is False
    # Beyond the rule's 20 分 the service's hold still applies.
    assert check_lock(given(amount_minor=10_021), version=VERSION, in_force=VERSION, instalment=INSTALMENT,
                      tolerance=rule) is True


def test_a_write_off_names_exactly_what_is_still_owed_on_an_instalment_that_fell_due() -> None:
    part = replace(INSTALMENT, paid_minor=9_000, state=PARTLY_PAID)
    check_write_off(part, 1_000, version=VERSION)
    for amount in (999, 1_001):
        with pytest.raises(FailedPrecondition) as wrong:
            check_write_off(part, amount, version=VERSION)
        assert [v.type for v in wrong.value.violations] == ["amount"]
    failures = {
        "not due": replace(INSTALMENT, state=NOT_DUE, due_on=None),
        "already paid": replace(INSTALMENT, paid_minor=10_000, state=PAID),
        "waived": replace(INSTALMENT, state=WAIVED),
    }
    for words, inst in failures.items():
        with pytest.raises(FailedPrecondition) as refused:
            check_write_off(inst, inst.outstanding_minor or 1, version=VERSION)
        assert words in refused.value.violations[0].description
    with pytest.raises(FailedPrecondition) as stale:
        check_write_off(part, 1_000, version=replace(VERSION, status=SUPERSEDED))
    assert stale.value.violations[0].type == "contract_version"


def test_written_off_and_paid_settle_the_instalment_together() -> None:
    settled = restated(replace(INSTALMENT, paid_minor=9_000, written_off_minor=1_000), TODAY)
    assert (settled.state, settled.outstanding_minor) == (PAID, 0)
    again = restated(replace(settled, written_off_minor=0), TODAY)
    assert again.state == PARTLY_PAID
    with pytest.raises(FailedPrecondition):
        check_waive(settled, VERSION)
    check_waive(again, VERSION)


def test_a_held_receipt_is_released_only_while_its_version_and_instalment_still_take_it() -> None:
    held = Receipt(
        receipt_id="r", tenant_id="t", contract_id="c", contract_version_id="v", instalment_id="i",
        opportunity_id="o", customer_id="cu", amount_minor=12_000, currency="CNY", paid_on=TODAY, payer_name="x",
        reference=None, lead_source="direct", source=MANUAL, statement_line_id=None, status=HELD, recorded_by="f",
        recorded_at=datetime(2026, 12, 2, tzinfo=UTC),
    )
    check_review(held, version=VERSION, instalment=INSTALMENT)
    with pytest.raises(FailedPrecondition) as twice:
        check_review(replace(held, status=RECORDED), version=VERSION, instalment=INSTALMENT)
    assert twice.value.violations[0].type == "receipt"
    with pytest.raises(FailedPrecondition) as both:
        check_review(held, version=replace(VERSION, status=SUPERSEDED), instalment=replace(INSTALMENT, state=WAIVED))
    assert [v.type for v in both.value.violations] == ["contract_version", "instalment"]


def test_the_ledger_check_finds_a_write_off_that_does_not_add_up() -> None:
    fine = ledger.Sums(entries={"e": (1_000, 1_000)}, instalments={"i": (9_000, 9_000)}, receipts={},
                       written_off={"i": (1_000, 1_000, 1_000)})
    assert ledger.problems(fine) == []
    stored_wrong = replace(fine, written_off={"i": (1_000, 0, 1_000)})
    assert ledger.problems(stored_wrong) == [
        "instalment i: write-off postings 1000 分, written off 0 分, active write-offs 1000 分"
    ]
    reversed_but_posted = replace(fine, written_off={"i": (1_000, 1_000, 0)})
    assert len(ledger.problems(reversed_but_posted)) == 1
