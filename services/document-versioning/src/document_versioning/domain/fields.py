"""Structured fields of a proposal, quote or contract version: what the
diff compares field by field, what a signed contract tells finance, and
where an engineering change notice looks for affected equipment models.

Amounts are integer 分 with the version's one currency. `parse_fields`
reads the uploader's JSON (the dataclass names below); `validate_fields`
checks every rule and names each bad field (e.g. "fields.equipment[2].quantity")."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from crm_shared.domain.errors import Validator
from crm_shared.money import ACCEPTED_CURRENCIES, check_amount

# When an instalment falls due.
TRIGGERS = ("advance", "on_delivery", "on_acceptance", "retention")
SOURCES = ("uploader", "xlsx", "docx")
FULL_BP = 10_000  # 100% in basis points

MAX_FIELDS_JSON = 256 * 1024  # characters of the uploader's JSON
MAX_INSTALMENTS = 20
MAX_EQUIPMENT_ROWS = 1_000
MAX_QUANTITY = 1_000_000
MAX_DAYS = 3_650  # ten years of lead time, warranty or instalment days
MAX_WARRANTY_MONTHS = 240
MAX_TEXT = 200  # a model or an instalment's name
MAX_DESCRIPTION = 1_000
# Files larger than this are not opened for field extraction.
MAX_EXTRACT_BYTES = 20 * 1024 * 1024


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

    @property
    def line_minor(self) -> int:
        return self.quantity * self.unit_price_minor


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

    @property
    def equipment_total_minor(self) -> int:
        return sum(row.line_minor for row in self.equipment)

    def models(self) -> frozenset[str]:
        """The equipment models the version lists (what an ECN matches)."""
        return frozenset(row.model for row in self.equipment)


def _int(v: Validator, name: str, value: Any, *, low: int, high: int, required: bool = True) -> int | None:
    if value is None:
        if required:
            v.add(name, "is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        v.add(name, "must be a whole number")
        return None
    if not low <= value <= high:
        v.add(name, f"must be between {low} and {high}")
        return None
    return value


def _text(v: Validator, name: str, value: Any, limit: int, *, required: bool = True) -> str:
    if value is None or value == "":
        if required:
            v.add(name, "is required")
        return ""
    if not isinstance(value, str):
        v.add(name, "must be text")
        return ""
    if len(value.strip()) > limit:
        v.add(name, f"is longer than {limit} characters")
    elif required and not value.strip():
        v.add(name, "is required")
    return value.strip()


def _list(v: Validator, name: str, value: Any, limit: int) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        v.add(name, "must be a list")
        return []
    if len(value) > limit:
        v.add(name, f"has more than {limit} entries")
        return []
    return value


def _object(v: Validator, name: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        v.add(name, "must be an object")
        return {}
    return value


_KNOWN = {f for f in VersionFields.__dataclass_fields__ if f != "source"}


def parse_fields(text: str, *, prefix: str = "fields") -> VersionFields | None:
    """The uploader's JSON, checked (raises InvalidArgument naming each field); empty text: None."""
    if not text.strip():
        return None
    v = Validator()
    if len(text) > MAX_FIELDS_JSON:
        v.add(prefix, f"is longer than {MAX_FIELDS_JSON} characters of JSON")
        v.check()
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        v.add(prefix, f"is not valid JSON ({e.msg} at character {e.pos})")
        v.check()
        raise AssertionError from e  # unreachable: check raised
    data = _object(v, prefix, raw)
    for unknown in sorted(set(data) - _KNOWN):
        v.add(f"{prefix}.{unknown}", f"is not a field (known: {', '.join(sorted(_KNOWN))})")
    currency = data.get("currency", "CNY")
    if not isinstance(currency, str):
        v.add(f"{prefix}.currency", "must be text")
        currency = "CNY"
    instalments = []
    for i, item in enumerate(_list(v, f"{prefix}.instalments", data.get("instalments"), MAX_INSTALMENTS)):
        at = f"{prefix}.instalments[{i}]"
        obj = _object(v, at, item)
        if not obj:
            continue
        instalments.append(
            Instalment(
                name=_text(v, f"{at}.name", obj.get("name"), MAX_TEXT),
                trigger=_text(v, f"{at}.trigger", obj.get("trigger"), MAX_TEXT),
                days=_int(v, f"{at}.days", obj.get("days", 0), low=0, high=MAX_DAYS) or 0,
                percent_bp=_int(v, f"{at}.percent_bp", obj.get("percent_bp"), low=0, high=FULL_BP, required=False),
                amount_minor=_raw_amount(v, f"{at}.amount_minor", obj.get("amount_minor")),
            )
        )
    equipment = []
    for i, item in enumerate(_list(v, f"{prefix}.equipment", data.get("equipment"), MAX_EQUIPMENT_ROWS)):
        at = f"{prefix}.equipment[{i}]"
        obj = _object(v, at, item)
        if not obj:
            continue
        equipment.append(
            EquipmentRow(
                model=_text(v, f"{at}.model", obj.get("model"), MAX_TEXT),
                description=_text(v, f"{at}.description", obj.get("description", ""), MAX_DESCRIPTION, required=False),
                quantity=_int(v, f"{at}.quantity", obj.get("quantity"), low=1, high=MAX_QUANTITY) or 0,
                unit_price_minor=_raw_amount(v, f"{at}.unit_price_minor", obj.get("unit_price_minor"), required=True)
                or 0,
            )
        )
    fields = VersionFields(
        currency=currency,
        total_minor=_raw_amount(v, f"{prefix}.total_minor", data.get("total_minor")),
        instalments=tuple(instalments),
        delivery_lead_time_days=_int(
            v,
            f"{prefix}.delivery_lead_time_days",
            data.get("delivery_lead_time_days"),
            low=0,
            high=MAX_DAYS,
            required=False,
        ),
        warranty_months=_int(
            v,
            f"{prefix}.warranty_months",
            data.get("warranty_months"),
            low=0,
            high=MAX_WARRANTY_MONTHS,
            required=False,
        ),
        equipment=tuple(equipment),
        source="uploader",
    )
    v.check()  # shapes first: the sums below need whole numbers
    validate_fields(fields, prefix=prefix)
    return fields


def _raw_amount(v: Validator, name: str, value: Any, *, required: bool = False) -> int | None:
    if value is None:
        if required:
            v.add(name, "is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        v.add(name, "must be a whole number of 分")
        return None
    return value


def validate_fields(fields: VersionFields, *, prefix: str = "fields") -> None:
    """Every rule of a version's fields: amounts within crm_shared.money's bounds in an
    accepted currency, triggers known, the equipment rows adding up to the total and the
    instalments to 100% (all percentages) or to the total (amounts, or both kinds)."""
    v = Validator()
    check_amount(v, f"{prefix}.total", fields.total_minor, fields.currency, currencies=ACCEPTED_CURRENCIES)
    if fields.source and fields.source not in SOURCES:
        v.add(f"{prefix}.source", f"must be one of {', '.join(SOURCES)}")
    for i, row in enumerate(fields.equipment):
        at = f"{prefix}.equipment[{i}]"
        check_amount(v, f"{at}.unit_price", row.unit_price_minor)
        if not 1 <= row.quantity <= MAX_QUANTITY:
            v.add(f"{at}.quantity", f"must be between 1 and {MAX_QUANTITY}")
    if fields.equipment and fields.total_minor is not None and not v.violations:
        listed = fields.equipment_total_minor
        if listed != fields.total_minor:
            v.add(
                f"{prefix}.total_minor",
                f"is {fields.total_minor} but the equipment rows add up to {listed} (quantity × unit price, in 分)",
            )
    _check_instalments(v, fields, prefix)
    v.check()


def _check_instalments(v: Validator, fields: VersionFields, prefix: str) -> None:
    if not fields.instalments:
        return
    bad = False
    for i, inst in enumerate(fields.instalments):
        at = f"{prefix}.instalments[{i}]"
        if inst.trigger not in TRIGGERS:
            v.add(f"{at}.trigger", f"must be one of {', '.join(TRIGGERS)}")
        if (inst.percent_bp is None) == (inst.amount_minor is None):
            v.add(at, "needs exactly one of percent_bp and amount_minor")
            bad = True
        elif inst.amount_minor is not None:
            check_amount(v, at, inst.amount_minor, positive=True)
        elif not 0 < inst.percent_bp <= FULL_BP:  # type: ignore[operator]
            v.add(f"{at}.percent_bp", f"must be between 1 and {FULL_BP} (basis points, 10000 = 100%)")
            bad = True
    if bad:
        return
    percent = sum(i.percent_bp or 0 for i in fields.instalments)
    amounts = sum(i.amount_minor or 0 for i in fields.instalments)
    if amounts == 0:
        if percent != FULL_BP:
            v.add(f"{prefix}.instalments", f"add up to {percent / 100:g}%, not 100%")
        return
    if fields.total_minor is None:
        v.add(f"{prefix}.total_minor", "is required when an instalment is a fixed amount")
        return
    # Exact in integers: amounts + total × percent / 10000 == total.
    if amounts * FULL_BP + fields.total_minor * percent != fields.total_minor * FULL_BP:
        v.add(
            f"{prefix}.instalments",
            f"add up to {amounts} 分 plus {percent / 100:g}% of the total, not the total of {fields.total_minor} 分",
        )


def fields_as_dict(fields: VersionFields | None) -> dict[str, Any] | None:
    """For storage (a JSON column): the dataclass as plain data (None for no fields)."""
    return None if fields is None else asdict(fields)


def fields_from_dict(data: Mapping[str, Any] | None) -> VersionFields | None:
    """From storage (what fields_as_dict wrote; trusted, not re-validated). Keys
    missing from rows stored before a field was added take its default."""
    if data is None:
        return None
    plain = {
        k: data[k] for k in VersionFields.__dataclass_fields__ if k in data and k not in ("instalments", "equipment")
    }
    return VersionFields(
        **plain,
        instalments=tuple(Instalment(**i) for i in data.get("instalments", ())),
        equipment=tuple(EquipmentRow(**r) for r in data.get("equipment", ())),
    )


def fields_json(fields: VersionFields | None) -> str | None:
    """For storage in a text column: fields_as_dict as JSON."""
    data = fields_as_dict(fields)
    return None if data is None else json.dumps(data, ensure_ascii=False, sort_keys=True)


def fields_from_json(text: str | None) -> VersionFields | None:
    """From storage in a text column (what fields_json wrote)."""
    return fields_from_dict(json.loads(text)) if text else None
