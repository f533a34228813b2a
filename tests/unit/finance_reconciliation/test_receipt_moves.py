"""The rules the receipt, held-receipt, write-off and waiver use cases ask of the domain, without a
database: which instalment a receipt names, a statement receipt's equipment, what refuses a reversal
or a rejection, how receipts and write-offs move an instalment, and the ledger entries they post."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from itertools import count

import pytest
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument
from finance_reconciliation.domain import ledger
from finance_reconciliation.domain.contract import EquipmentRow, FinanceContract
from finance_reconciliation.domain.plan import DUE, PAID, PARTLY_PAID, WAIVED, Instalment
from finance_reconciliation.domain.receipt import (
    HELD,
    MANUAL,
    RECORDED,
    REJECTED,
    REVERSED,
    STATEMENT,
    ReceiptInput,
    applied,
    check_not_matched,
    check_rejectable,
    check_reversible,
    from_statement,
    new_receipt,
    own_instalment,
    reversed_receipt,
    reviewed,
    with_version_equipment,
)
from finance_reconciliation.domain.settlement import (
    ACTIVE,
    check_currency,
    new_write_off,
    reversed_write_off,
    waived,
    written_off,
)
from finance_reconciliation.domain.settlement import REVERSED as WRITE_OFF_REVERSED

TODAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
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
    base = {"contract_id": "c", "contract_version_id": "v", "instalment_id": "i", "amount_minor": 4_000,
            "currency": "CNY", "paid_on": TODAY, "payer_name": "宁波华翔", "reference": "",
            "equipment": (), "source": STATEMENT, "statement_line_id": "line-1"}
    return ReceiptInput(**{**base, **kw})


def receipt(held: bool = False, **kw):  # type: ignore[no-untyped-def]
    return new_receipt(given(**kw), VERSION, INSTALMENT, receipt_id="r", tenant_id="t", lead_source="direct",
                       held=held, recorded_by="fin", recorded_at=NOW)


def ids():  # type: ignore[no-untyped-def]
    n = count(1)
    return lambda: f"p{next(n)}"


def test_a_statement_receipt_without_equipment_is_for_the_versions_own_and_a_manual_one_keeps_its_list() -> None:
    assert with_version_equipment(given(), VERSION).equipment == (("HX-450", 2),)
    assert with_version_equipment(given(), None).equipment == ()
    manual = given(source=MANUAL, statement_line_id="", equipment=(("X", 1),))
    assert with_version_equipment(manual, VERSION) is manual


def test_the_receipts_instalment_is_its_contracts_own_as_of_today() -> None:
    assert own_instalment(None, "c", TODAY) is None
    assert own_instalment(INSTALMENT, "other", TODAY) is None
    assert own_instalment(replace(INSTALMENT, state="not_due"), "c", TODAY).state == DUE  # type: ignore[union-attr]


def test_a_new_receipt_is_held_or_recorded_and_names_the_versions_opportunity() -> None:
    made = receipt()
    assert (made.status, made.opportunity_id, made.customer_id, made.reference, made.statement_line_id) == (
        RECORDED, "o", "cu", None, "line-1")
    assert receipt(held=True).status == HELD
    assert from_statement(made) and not from_statement(receipt(source=MANUAL, statement_line_id=""))


def test_receipts_and_reversals_move_the_instalments_paid_amount() -> None:
    part = applied(INSTALMENT, 4_000, TODAY)
    assert (part.paid_minor, part.state) == (4_000, PARTLY_PAID)
    assert applied(part, -4_000, TODAY).paid_minor == 0
    assert applied(part, 6_000, TODAY).state == PAID


def test_a_matched_reversed_or_rejected_receipt_is_not_reversed_and_only_a_held_one_is_rejected() -> None:
    check_not_matched(None)
    with pytest.raises(FailedPrecondition) as matched:
        check_not_matched("m1")
    assert [(v.type, v.subject) for v in matched.value.violations] == [("match", "m1")]
    made = receipt()
    check_reversible(made, "r")
    gone = reversed_receipt(made, by="fin", reason="错账", at=NOW)
    assert (gone.status, gone.reversed_by, gone.reversal_reason) == (REVERSED, "fin", "错账")
    with pytest.raises(FailedPrecondition):
        check_reversible(gone, "r")
    with pytest.raises(FailedPrecondition):
        check_rejectable(made, "r")
    held = receipt(held=True)
    check_rejectable(held, "r")
    refused = reviewed(held, release=False, by="fin", note="不是这家", at=NOW)
    assert refused.status == REJECTED
    with pytest.raises(FailedPrecondition):
        check_reversible(refused, "r")
    assert reviewed(held, release=True, by="fin", note="ok", at=NOW).status == RECORDED


def test_write_offs_and_waivers_move_the_instalment() -> None:
    with pytest.raises(InvalidArgument):
        check_currency(INSTALMENT, "USD")
    check_currency(INSTALMENT, "CNY")
    w = new_write_off(replace(INSTALMENT, paid_minor=9_000), write_off_id="w", receipt_id=None, amount_minor=1_000,
                      reason="手续费", written_by="fin", written_at=NOW)
    assert (w.status, w.currency, w.opportunity_id) == (ACTIVE, "CNY", "o")
    settled = written_off(replace(INSTALMENT, paid_minor=9_000), 1_000, TODAY)
    assert (settled.written_off_minor, settled.state) == (1_000, PAID)
    assert written_off(settled, -1_000, TODAY).state == PARTLY_PAID
    assert reversed_write_off(w, by="fin", reason="错", at=NOW).status == WRITE_OFF_REVERSED
    gone = waived(INSTALMENT, by="fin", reason="赠送", at=NOW)
    assert (gone.state, gone.waived_by, gone.waive_reason) == (WAIVED, "fin", "赠送")


def test_every_entry_balances_its_outside_side_and_its_instalment() -> None:
    made = receipt()
    entry = ledger.receipt_entry(made, entry_id="e", ids=ids(), applied_to="V3.2 到货款", posted_by="fin",
                                 posted_at=NOW)
    assert [(p.kind, p.instalment_id, p.amount_minor, p.reason) for p in entry] == [
        (ledger.RECEIPT, None, 4_000, "回款"), (ledger.ALLOCATION, "i", 4_000, "回款 → V3.2 到货款")]
    back = ledger.reversal_entry(made, entry_id="e2", ids=ids(), posted_by="fin", reason="错账", posted_at=NOW)
    assert [(p.kind, p.instalment_id, p.amount_minor) for p in back] == [
        (ledger.REVERSAL, None, -4_000), (ledger.REVERSAL, "i", -4_000)]
    w = new_write_off(INSTALMENT, write_off_id="w", receipt_id="r", amount_minor=500, reason="差额",
                      written_by="fin", written_at=NOW)
    off = ledger.write_off_entry(w, entry_id="w", ids=ids(), amount_minor=-500, posted_by="fin", reason="错",
                                 posted_at=NOW)
    assert [(p.kind, p.instalment_id, p.receipt_id, p.amount_minor) for p in off] == [
        (ledger.WRITE_OFF, None, "r", -500), (ledger.WRITE_OFF, "i", "r", -500)]
    assert {p.posting_id for p in entry} == {"p1", "p2"} and {p.entry_id for p in entry} == {"e"}
