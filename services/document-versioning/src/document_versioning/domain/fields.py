"""Structured fields of a proposal, quote or contract version: what the
diff compares field by field, what a signed contract tells finance, and
where an engineering change notice looks for affected equipment models.

Amounts are integer 分 with the version's one currency."""

from __future__ import annotations

from dataclasses import dataclass

# When an instalment falls due.
TRIGGERS = ("advance", "on_delivery", "on_acceptance", "retention")


@dataclass(frozen=True)
class Instalment:
    name: str  # e.g. "预付款"
    trigger: str  # one of TRIGGERS
    days: int  # days after the trigger
    percent_bp: int | None = None  # share of the total in basis points (10000 = 100%), or
    amount_minor: int | None = None  # a fixed amount in 分


@dataclass(frozen=True)
class EquipmentRow:
    model: str  # the part number or equipment model an ECN names
    description: str
    quantity: int
    unit_price_minor: int


@dataclass(frozen=True)
class VersionFields:
    currency: str = "CNY"
    total_minor: int | None = None
    instalments: tuple[Instalment, ...] = ()
    delivery_lead_time_days: int | None = None
    warranty_months: int | None = None
    equipment: tuple[EquipmentRow, ...] = ()
    # Where the fields came from: "uploader" (JSON beside the file), "xlsx", "docx", or "" (none).
    source: str = ""
