"""Receipts (回款单) and the lock: a receipt names the contract version, the
instalment and the equipment list, and is refused, naming each failing
check, unless the version is the one in force, the instalment is due and
not paid, the equipment list is the version's and the amount is within the
overpayment tolerance. Money is integer 分."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, Validator, Violation
from crm_shared.money import check_amount

from finance_reconciliation.domain.contract import SUPERSEDED, FinanceContract, equipment_mismatch
from finance_reconciliation.domain.plan import FULL_BP, NOT_DUE, PAID, WAIVED, Instalment, restated

MANUAL = "manual"
STATEMENT = "statement"
SOURCES = (MANUAL, STATEMENT)
RECORDED = "recorded"
HELD = "held"
REJECTED = "rejected"
REVERSED = "reversed"
# The opportunity came from no lead (a rep's own customer): still tagged, so reports by channel add up.
DIRECT = "direct"
UPDATE_VERSION = "请先更新商机合同版本"

MAX_TEXT = 200
MAX_REFERENCE = 100
MAX_EQUIPMENT = 200
MAX_QUANTITY = 1_000_000
MAX_REASON = 500


@dataclass(frozen=True)
class Receipt:
    receipt_id: str
    tenant_id: str
    contract_id: str
    contract_version_id: str
    instalment_id: str
    opportunity_id: str
    customer_id: str
    amount_minor: int
    currency: str
    paid_on: date
    payer_name: str
    reference: str | None
    lead_source: str
    source: str
    statement_line_id: str | None
    status: str
    recorded_by: str
    recorded_at: datetime
    reversed_by: str | None = None
    reversal_reason: str = ""
    reversed_at: datetime | None = None
    # A held receipt's review (released → recorded, or rejected).
    reviewed_by: str | None = None
    review_note: str = ""
    reviewed_at: datetime | None = None


@dataclass(frozen=True)
class Tolerance:
    """How much more than the instalment's outstanding amount a receipt may
    bring: the larger of an absolute amount and a share; beyond it the
    receipt is refused, or held for review when hold is set."""

    over_minor: int = 0
    over_bp: int = 0
    hold: bool = False

    def allowed(self, outstanding_minor: int) -> int:
        return max(self.over_minor, outstanding_minor * self.over_bp // FULL_BP)

    def overridden(self, over_minor: int | None) -> Tolerance:
        """A matching rule's own over tolerance for one allocation, in 分, replaces the
        service's setting (None keeps it); what lies beyond it is still held or refused."""
        return self if over_minor is None else Tolerance(over_minor=over_minor, over_bp=0, hold=self.hold)


@dataclass(frozen=True)
class ReceiptInput:
    contract_id: str
    contract_version_id: str
    instalment_id: str
    amount_minor: int | None
    currency: str
    paid_on: date
    payer_name: str
    reference: str
    equipment: tuple[tuple[str, int], ...]
    source: str
    statement_line_id: str
    over_tolerance_minor: int | None = None


def parse_day(field: str, value: str, today: date) -> date:
    if not value.strip():
        return today
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidArgument.field(field, "must be an ISO date, e.g. 2026-12-01") from None
    if day > today:
        raise InvalidArgument.field(field, "is in the future")
    return day


def validate(cmd: ReceiptInput) -> None:
    """The request's own shape; the lock's checks are check_lock's."""
    v = Validator()
    v.require("contract_id", cmd.contract_id.strip())
    v.require("contract_version_id", cmd.contract_version_id.strip())
    v.require("instalment_id", cmd.instalment_id.strip())
    for name in ("contract_id", "contract_version_id", "instalment_id", "statement_line_id"):
        if len(getattr(cmd, name)) > 64:
            v.add(name, "is longer than 64 characters")
    check_amount(v, "amount", cmd.amount_minor, cmd.currency, required=True, positive=True, currencies=("CNY",))
    v.require("payer_name", cmd.payer_name.strip())
    if len(cmd.payer_name) > MAX_TEXT:
        v.add("payer_name", f"is longer than {MAX_TEXT} characters")
    if len(cmd.reference) > MAX_REFERENCE:
        v.add("reference", f"is longer than {MAX_REFERENCE} characters")
    if cmd.source not in SOURCES:
        v.add("source", f"must be one of {', '.join(SOURCES)}")
    elif cmd.source == STATEMENT and not cmd.statement_line_id.strip():
        v.add("statement_line_id", "is required for a receipt from a statement line")
    # The bank does not send an equipment list: a statement receipt without one is for the version's own.
    if not cmd.equipment and cmd.source != STATEMENT:
        v.add("equipment", "name the equipment list of the contract version")
    if cmd.over_tolerance_minor is not None:
        check_amount(v, "over_tolerance", cmd.over_tolerance_minor)
    if len(cmd.equipment) > MAX_EQUIPMENT:
        v.add("equipment", f"at most {MAX_EQUIPMENT} rows")
    for i, (model, quantity) in enumerate(cmd.equipment[:MAX_EQUIPMENT]):
        if not model.strip() or len(model) > MAX_TEXT:
            v.add(f"equipment[{i}].model", f"must be 1 to {MAX_TEXT} characters")
        if not 0 < quantity <= MAX_QUANTITY:
            v.add(f"equipment[{i}].quantity", f"must be between 1 and {MAX_QUANTITY}")
    v.check()


def check_lock(
    cmd: ReceiptInput,
    *,
    version: FinanceContract | None,
    in_force: FinanceContract | None,
    instalment: Instalment | None,
    tolerance: Tolerance,
) -> bool:
    """Every check of the lock at once: raises FailedPrecondition naming
    each that fails; else tells whether the receipt is held for review."""
    failed: list[Violation] = []
    current = f"在执行的版本为 {in_force.label}" if in_force else "该合同没有已签署的版本"
    if version is None:
        failed.append(
            Violation("contract_version", cmd.contract_version_id, f"{UPDATE_VERSION}: 该版本未签署，{current}")
        )
    elif version.status == SUPERSEDED:
        failed.append(
            Violation(
                "contract_version", cmd.contract_version_id, f"{UPDATE_VERSION}: {version.label} 已被替代，{current}"
            )
        )
    held = False
    if instalment is None or instalment.contract_version_id != cmd.contract_version_id:
        label = version.label if version else cmd.contract_version_id
        failed.append(Violation("instalment", cmd.instalment_id, f"is not an instalment of {label}'s payment plan"))
    elif instalment.state == WAIVED:
        failed.append(Violation("instalment", cmd.instalment_id, f"{instalment.name} is waived"))
    elif instalment.state == PAID:
        failed.append(Violation("instalment", cmd.instalment_id, f"{instalment.name} is already paid"))
    elif instalment.state == NOT_DUE:
        when = (
            f"is due on {instalment.due_on.isoformat()}"
            if instalment.due_on
            else f"waits for its trigger ({instalment.trigger})"
        )
        failed.append(Violation("instalment", cmd.instalment_id, f"{instalment.name} is not due: it {when}"))
    else:
        outstanding = instalment.outstanding_minor
        over = (cmd.amount_minor or 0) - outstanding
        if over > tolerance.allowed(outstanding):
            if tolerance.hold:
                held = True
            else:
                failed.append(
                    Violation(
                        "amount",
                        str(cmd.amount_minor),
                        f"exceeds the outstanding {outstanding} 分 of {instalment.name} by {over} 分 "
                        f"(tolerance {tolerance.allowed(outstanding)} 分)",
                    )
                )
    if version is not None:
        mismatch = equipment_mismatch(version, list(cmd.equipment))
        if mismatch:
            failed.append(Violation("equipment", cmd.contract_version_id, mismatch))
    if failed:
        raise FailedPrecondition("receipt refused: " + "; ".join(f"{f.type}: {f.description}" for f in failed), failed)
    return held


def check_line_room(line_id: str, line_minor: int, counted_minor: int, amount_minor: int) -> None:
    """A statement line's money is counted once: the live (recorded or held) receipts naming it, this one
    included, add up to at most the line's amount. A combined payment's receipts share the line; a second
    receipt for money already counted (a manual one naming a matched line, two confirms racing) is refused."""
    if counted_minor + amount_minor > line_minor:
        raise FailedPrecondition(
            f"statement line {line_id} has {line_minor} 分, {counted_minor} 分 of it already counted by receipts",
            [
                Violation(
                    "statement_line_id",
                    line_id,
                    f"only {max(line_minor - counted_minor, 0)} 分 of the line is not counted yet; "
                    f"this receipt is {amount_minor} 分",
                )
            ],
        )


def check_reason(reason: str, why: str = "say why the receipt is reversed", field: str = "reason") -> str:
    if not reason.strip():
        raise InvalidArgument.field(field, f"is required: {why}")
    if len(reason) > MAX_REASON:
        raise InvalidArgument.field(field, f"is longer than {MAX_REASON} characters")
    return reason.strip()


def check_review(receipt: Receipt, *, version: FinanceContract | None, instalment: Instalment | None) -> None:
    """Whether a held receipt may be released now: it is still held, its version is still the one
    in force and its instalment still takes money. Rejecting needs only that it is held."""
    failed = not_held(receipt)
    if not failed:
        if version is None or version.status == SUPERSEDED:
            failed.append(
                Violation(
                    "contract_version",
                    receipt.contract_version_id,
                    f"{UPDATE_VERSION}: the held receipt names a version no longer in force; reject it",
                )
            )
        if instalment is None or instalment.state in (WAIVED, PAID):
            state = instalment.state if instalment else "gone"
            failed.append(Violation("instalment", receipt.instalment_id, f"is {state} since; reject the receipt"))
    if failed:
        raise FailedPrecondition("release refused: " + "; ".join(f.description for f in failed), failed)


def not_held(receipt: Receipt) -> list[Violation]:
    if receipt.status == HELD:
        return []
    return [Violation("receipt", receipt.receipt_id, f"is {receipt.status}, not held for review")]


def with_version_equipment(given: ReceiptInput, version: FinanceContract | None) -> ReceiptInput:
    """The bank sends no equipment list: a statement receipt without one is for the version's own."""
    if version is not None and given.source == STATEMENT and not given.equipment:
        return replace(given, equipment=tuple((r.model, r.quantity) for r in version.equipment))
    return given


def own_instalment(instalment: Instalment | None, contract_id: str, today: date) -> Instalment | None:
    """The instalment the receipt names, as of today (a due date may have passed since it was stored);
    None when there is none or it belongs to another contract."""
    if instalment is None or instalment.contract_id != contract_id:
        return None
    return restated(instalment, today)


def new_receipt(
    given: ReceiptInput,
    version: FinanceContract,
    instalment: Instalment,
    *,
    receipt_id: str,
    tenant_id: str,
    lead_source: str,
    held: bool,
    recorded_by: str,
    recorded_at: datetime,
) -> Receipt:
    """A receipt that passed the lock: held for review when the lock says so, else recorded."""
    assert given.amount_minor is not None
    return Receipt(
        receipt_id=receipt_id,
        tenant_id=tenant_id,
        contract_id=given.contract_id,
        contract_version_id=version.version_id,
        instalment_id=instalment.instalment_id,
        opportunity_id=version.opportunity_id,
        customer_id=version.customer_id,
        amount_minor=given.amount_minor,
        currency=given.currency,
        paid_on=given.paid_on,
        payer_name=given.payer_name,
        reference=given.reference or None,
        lead_source=lead_source,
        source=given.source,
        statement_line_id=given.statement_line_id or None,
        status=HELD if held else RECORDED,
        recorded_by=recorded_by,
        recorded_at=recorded_at,
    )


def applied(instalment: Instalment, amount_minor: int, today: date) -> Instalment:
    """The instalment with a receipt's money applied (negative: taken back by a reversal), as of today."""
    return restated(replace(instalment, paid_minor=instalment.paid_minor + amount_minor), today)


def from_statement(receipt: Receipt) -> bool:
    """A receipt a statement match may have made (named by its line)."""
    return receipt.source == STATEMENT and bool(receipt.statement_line_id)


def check_not_matched(confirmed_match_id: str | None) -> None:
    """A receipt a confirmed match made is reversed with its match (ReverseMatch): reversed alone, the
    match would stay confirmed and its line matched while the money is gone."""
    if confirmed_match_id is not None:
        raise FailedPrecondition(
            f"the receipt came from statement match {confirmed_match_id}: reverse the match instead, "
            f"POST /v1/matching/matches/{confirmed_match_id}/reversal",
            [Violation("match", confirmed_match_id, "is confirmed; reversing it reverses this receipt")],
        )


def check_reversible(receipt: Receipt, asked_id: str) -> None:
    """A receipt is reversed once; a rejected one never took money."""
    if receipt.status in (REVERSED, REJECTED):
        by = receipt.reversed_by if receipt.status == REVERSED else receipt.reviewed_by
        raise FailedPrecondition(
            f"receipt {asked_id} is already {receipt.status}",
            [Violation("receipt", asked_id, f"was {receipt.status} by {by}")],
        )


def reversed_receipt(receipt: Receipt, *, by: str, reason: str, at: datetime) -> Receipt:
    return replace(receipt, status=REVERSED, reversed_by=by, reversal_reason=reason, reversed_at=at)


def check_rejectable(receipt: Receipt, asked_id: str) -> None:
    """Rejecting needs only that the receipt is still held."""
    failed = not_held(receipt)
    if failed:
        raise FailedPrecondition(f"receipt {asked_id} is not held for review", failed)


def reviewed(receipt: Receipt, *, release: bool, by: str, note: str, at: datetime) -> Receipt:
    """A held receipt after review: released (recorded, posted from now on) or rejected (never posted)."""
    return replace(
        receipt, status=RECORDED if release else REJECTED, reviewed_by=by, review_note=note, reviewed_at=at
    )
