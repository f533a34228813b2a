"""Field diff of two versions' structured fields (domain/fields.py): the
total and currency, each instalment (matched by name, else by trigger),
the lead time and warranty, and each equipment row (matched by model) —
added, removed, or changed in quantity, unit price or description.

Our own code rather than a generic deep diff: the structure is closed, and
matching rows by their business key is what makes "XK-300 added" read as
one row added instead of every later row shifted. Values are given as text
the apps show as is (amounts stay integer 分 in text form)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from document_versioning.domain.fields import EquipmentRow, Instalment, VersionFields

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class FieldChange:
    # "total_minor", "instalments", "equipment", ...; `key` names the row or instalment.
    field: str
    change: str  # ADDED, REMOVED or CHANGED
    key: str = ""
    attribute: str = ""  # within a row or instalment: "quantity", "unit_price_minor", "days", ...
    before: str = ""
    after: str = ""

    @property
    def path(self) -> str:
        path = f"{self.field}[{self.key}]" if self.key else self.field
        return f"{path}.{self.attribute}" if self.attribute else path


_SCALARS = ("currency", "total_minor", "delivery_lead_time_days", "warranty_months")
_INSTALMENT_ATTRIBUTES = ("name", "trigger", "days", "percent_bp", "amount_minor")
_EQUIPMENT_ATTRIBUTES = ("description", "quantity", "unit_price_minor")


def diff_fields(before: VersionFields | None, after: VersionFields | None) -> tuple[FieldChange, ...]:
    """Changes from `before` to `after`; a side without fields counts as empty."""
    a, b = before or VersionFields(), after or VersionFields()
    changes = [
        FieldChange(name, CHANGED, before=_text(getattr(a, name)), after=_text(getattr(b, name)))
        for name in _SCALARS
        if getattr(a, name) != getattr(b, name)
    ]
    by_name = _unique_names(a.instalments) and _unique_names(b.instalments)
    instalments_a, instalments_b = (_instalment_keys(side, by_name) for side in (a.instalments, b.instalments))
    changes += _rows("instalments", instalments_a, instalments_b, _INSTALMENT_ATTRIBUTES)
    changes += _rows("equipment", _keyed(a.equipment, _model), _keyed(b.equipment, _model), _EQUIPMENT_ATTRIBUTES)
    return tuple(changes)


def _rows(
    field: str, before: dict[str, object], after: dict[str, object], attributes: Iterable[str]
) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for key, row in before.items():
        if key not in after:
            changes.append(FieldChange(field, REMOVED, key=key, before=_describe(row, attributes)))
            continue
        for attribute in attributes:
            old, new = getattr(row, attribute), getattr(after[key], attribute)
            if old != new:
                changes.append(FieldChange(field, CHANGED, key, attribute, _text(old), _text(new)))
    changes += [
        FieldChange(field, ADDED, key=key, after=_describe(row, attributes))
        for key, row in after.items()
        if key not in before
    ]
    return changes


def _model(row: EquipmentRow) -> str:
    return row.model.strip()


def _unique_names(instalments: tuple[Instalment, ...]) -> bool:
    names = [i.name.strip() for i in instalments]
    return all(names) and len(set(names)) == len(names)


def _instalment_keys(instalments: tuple[Instalment, ...], by_name: bool) -> dict[str, Instalment]:
    """By name when both sides name theirs uniquely (预付款, 到货款 ...), else by trigger and position."""
    if by_name:
        return {i.name.strip(): i for i in instalments}
    counts: dict[str, int] = {}
    keyed = {}
    for instalment in instalments:
        counts[instalment.trigger] = counts.get(instalment.trigger, 0) + 1
        keyed[f"{instalment.trigger}#{counts[instalment.trigger]}"] = instalment
    return keyed


def _keyed(rows: Iterable[EquipmentRow], key: Callable[[EquipmentRow], str]) -> dict[str, EquipmentRow]:
    keyed: dict[str, EquipmentRow] = {}
    for row in rows:
        name, n = key(row), 1
        # The same model twice on one list (two configurations): the second is "model#2".
        while (name if n == 1 else f"{name}#{n}") in keyed:
            n += 1
        keyed[name if n == 1 else f"{name}#{n}"] = row
    return keyed


def _describe(row: object, attributes: Iterable[str]) -> str:
    return ", ".join(f"{a}={_text(getattr(row, a))}" for a in attributes if getattr(row, a) is not None)


def _text(value: object) -> str:
    return "" if value is None else str(value)
