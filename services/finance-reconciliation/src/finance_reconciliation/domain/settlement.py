"""Settling an instalment without cash.

- A write-off: finance gives up the rest of an instalment that fell due (a
  short payment a matching rule accepted as settling, a bank fee, a customer
  who will not pay the last 分). It names the outstanding amount exactly, so a
  stale screen cannot write off more or less than what is owed; the
  instalment is then paid (paid + written off = amount). It is a ledger entry
  of kind write_off (+W on the write-off side, +W on the instalment) and is
  reversed by an entry of −W on both; the row keeps who, why and when.
- A waiver: the instalment is no longer owed at all (state waived, with who
  and why); no money moves, so nothing is posted; a waived instalment
  refuses receipts.

Both need the instalment's contract version still in force (a superseded
version's plan is closed and never edited) and an instalment not yet paid or
waived."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, Validator, Violation
from crm_shared.money import check_amount

from finance_reconciliation.domain.contract import SUPERSEDED, FinanceContract
from finance_reconciliation.domain.plan import NOT_DUE, PAID, WAIVED, Instalment, restated
from finance_reconciliation.domain.receipt import RECORDED, UPDATE_VERSION, Receipt

ACTIVE = "active"
REVERSED = "reversed"


@dataclass(frozen=True)
class WriteOff:
    write_off_id: str  # also the id of its ledger entry
    tenant_id: str
    instalment_id: str
    contract_id: str
    opportunity_id: str
    customer_id: str
    receipt_id: str | None
    amount_minor: int
    currency: str
    reason: str
    status: str
    written_by: str
    written_at: datetime
    reversed_by: str | None = None
    reversal_reason: str = ""
    reversed_at: datetime | None = None


def validate_amount(amount_minor: int | None, currency: str | None = None) -> None:
    v = Validator()
    check_amount(v, "amount", amount_minor, currency, required=True, positive=True)
    v.check()


def _open_violations(instalment: Instalment, version: FinanceContract | None) -> list[Violation]:
    failed = []
    if version is None or version.status == SUPERSEDED:
        failed.append(
            Violation(
                "contract_version",
                instalment.contract_version_id,
                f"{UPDATE_VERSION}: the instalment's version is no longer in force, its plan is closed",
            )
        )
    if instalment.state == WAIVED:
        failed.append(Violation("instalment", instalment.instalment_id, f"{instalment.name} is waived"))
    elif instalment.state == PAID:
        failed.append(Violation("instalment", instalment.instalment_id, f"{instalment.name} is already paid"))
    return failed


def check_write_off(
    instalment: Instalment,
    amount_minor: int,
    *,
    version: FinanceContract | None,
    receipt_id: str | None = None,
    receipt: Receipt | None = None,
) -> None:
    """Every failing check at once (FailedPrecondition); the instalment's state is as of today."""
    failed = _open_violations(instalment, version)
    if instalment.state == NOT_DUE:
        failed.append(
            Violation("instalment", instalment.instalment_id, f"{instalment.name} is not due: waive it instead")
        )
    if not failed and amount_minor != instalment.outstanding_minor:
        failed.append(
            Violation(
                "amount",
                str(amount_minor),
                f"a write-off settles {instalment.name}: it must be the outstanding {instalment.outstanding_minor} 分",
            )
        )
    if receipt_id is not None:
        if receipt is None or receipt.instalment_id != instalment.instalment_id:
            failed.append(Violation("receipt", receipt_id, f"is not a receipt of {instalment.name}"))
        elif receipt.status != RECORDED:
            failed.append(Violation("receipt", receipt_id, f"is {receipt.status}, not recorded"))
    if failed:
        raise FailedPrecondition("write-off refused: " + "; ".join(f.description for f in failed), failed)


def check_write_off_reversal(write_off: WriteOff) -> None:
    if write_off.status != ACTIVE:
        raise FailedPrecondition(
            f"write-off {write_off.write_off_id} is already reversed",
            [Violation("write_off", write_off.write_off_id, f"was reversed by {write_off.reversed_by}")],
        )


def check_waive(instalment: Instalment, version: FinanceContract | None) -> None:
    failed = _open_violations(instalment, version)
    if failed:
        raise FailedPrecondition("waiver refused: " + "; ".join(f.description for f in failed), failed)


def check_currency(instalment: Instalment, currency: str) -> None:
    """A write-off is in the instalment's own currency."""
    if currency != instalment.currency:
        raise InvalidArgument.field("amount.currency", f"must be the instalment's currency {instalment.currency}")


def new_write_off(
    instalment: Instalment,
    *,
    write_off_id: str,
    receipt_id: str | None,
    amount_minor: int,
    reason: str,
    written_by: str,
    written_at: datetime,
) -> WriteOff:
    return WriteOff(
        write_off_id=write_off_id,
        tenant_id=instalment.tenant_id,
        instalment_id=instalment.instalment_id,
        contract_id=instalment.contract_id,
        opportunity_id=instalment.opportunity_id,
        customer_id=instalment.customer_id,
        receipt_id=receipt_id,
        amount_minor=amount_minor,
        currency=instalment.currency,
        reason=reason,
        status=ACTIVE,
        written_by=written_by,
        written_at=written_at,
    )


def written_off(instalment: Instalment, amount_minor: int, today: date) -> Instalment:
    """The instalment with an amount written off (negative: a write-off reversed, owed again), as of today."""
    return restated(replace(instalment, written_off_minor=instalment.written_off_minor + amount_minor), today)


def reversed_write_off(write_off: WriteOff, *, by: str, reason: str, at: datetime) -> WriteOff:
    return replace(write_off, status=REVERSED, reversed_by=by, reversal_reason=reason, reversed_at=at)


def waived(instalment: Instalment, *, by: str, reason: str, at: datetime) -> Instalment:
    """No longer owed: the state says waived, with who and why; it then refuses receipts."""
    return replace(instalment, state=WAIVED, waived_by=by, waive_reason=reason, waived_at=at)
