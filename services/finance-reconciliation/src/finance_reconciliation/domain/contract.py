"""The contract projection: each signed contract version as contract.signed
told it (document-versioning decides what is signed; this service never
asks it), and whether it is still in force (contract.superseded)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

IN_FORCE = "in_force"
SUPERSEDED = "superseded"
# The currency of an amount an event names without one (the product books CNY only).
CURRENCY = "CNY"


@dataclass(frozen=True)
class Term:
    """One payment term of the signed version, as signed."""

    name: str
    trigger: str  # advance | on_delivery | on_acceptance | retention
    days: int
    percent_bp: int | None = None
    amount_minor: int | None = None


@dataclass(frozen=True)
class EquipmentRow:
    model: str
    description: str
    quantity: int
    unit_price_minor: int


@dataclass(frozen=True)
class FinanceContract:
    """One signed version of a contract; keyed by (tenant_id, version_id)."""

    tenant_id: str
    contract_id: str
    version_id: str
    signed_version_id: str
    label: str
    opportunity_id: str
    customer_id: str
    total_minor: int
    currency: str
    equipment: tuple[EquipmentRow, ...]
    terms: tuple[Term, ...]
    signed_on: date
    warranty_months: int | None
    status: str = IN_FORCE
    superseded_by_version_id: str = ""
    supersedes_version_id: str = ""
    # 合同编号 (e.g. "HT2025-018"), the same for every version; "" when the contract has none.
    contract_number: str = ""


def dated_from(versions: Sequence[FinanceContract], opportunity_id: str) -> bool:
    """Whether delivery or acceptance recorded on `opportunity_id` dates the contract of these signed versions:
    only its own opportunity's record does; before any version is signed, finance has no opportunity to hold
    it to (opportunity checked the contract is the opportunity's when it was recorded)."""
    return not versions or versions[0].opportunity_id == opportunity_id


def equipment_key(rows: tuple[tuple[str, int], ...] | list[tuple[str, int]]) -> list[tuple[str, int]]:
    """An equipment list compared as models and quantities, in any order, a model named once."""
    merged: dict[str, int] = {}
    for model, quantity in rows:
        merged[model.strip()] = merged.get(model.strip(), 0) + quantity
    return sorted(merged.items())


def equipment_mismatch(contract: FinanceContract, given: list[tuple[str, int]]) -> str:
    """Empty when the list given is the version's; else what differs, in words."""
    expected = dict(equipment_key([(r.model, r.quantity) for r in contract.equipment]))
    got = dict(equipment_key(given))
    if expected == got:
        return ""
    parts = []
    missing = [f"{m}×{q}" for m, q in expected.items() if m not in got]
    extra = [f"{m}×{q}" for m, q in got.items() if m not in expected]
    changed = [f"{m} {got[m]} instead of {q}" for m, q in expected.items() if m in got and got[m] != q]
    if missing:
        parts.append("missing " + ", ".join(missing))
    if extra:
        parts.append("not in the version " + ", ".join(extra))
    if changed:
        parts.append(", ".join(changed))
    return f"is not {contract.label}'s equipment list: " + "; ".join(parts)
