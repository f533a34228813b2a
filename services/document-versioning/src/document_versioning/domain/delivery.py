"""Delivery and acceptance of a contract's goods as sales record them on the
opportunity (opportunity.delivery_recorded): the copy documents keeps so an
ECN can tell an order still to be delivered — its owner confirms the change
with the customer — from one whose goods are already out, a retrofit notice.

Per contract and kind, the record in force is the one recorded last, by the
time the opportunity recorded it (then its id): opportunity's own rule
(a later record corrects the date), and a late redelivery of an older record
brings nothing back. Either kind means delivered: goods are accepted only
once they are there, and an acceptance may be recorded alone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from crm_shared.domain.errors import Validator
from crm_shared.limits import MAX_ID

DELIVERY = "delivery"
ACCEPTANCE = "acceptance"
KINDS = (DELIVERY, ACCEPTANCE)


@dataclass(frozen=True)
class DeliveryRecord:
    """The latest record of one kind for a contract."""

    tenant_id: str
    contract_id: str
    kind: str
    opportunity_id: str
    happened_on: date
    delivery_id: str
    recorded_by: str
    recorded_at: datetime

    def replaces(self, stored: DeliveryRecord | None) -> bool:
        """Whether this record is in force over the stored one (recorded later; the same time, the larger id)."""
        return stored is None or (self.recorded_at, self.delivery_id) > (stored.recorded_at, stored.delivery_id)


@dataclass(frozen=True)
class ContractDelivery:
    """What an ECN says of an order's contract: the days its goods were delivered and accepted."""

    contract_id: str
    opportunity_id: str
    delivered_on: date | None = None
    accepted_on: date | None = None


def record_from(
    *,
    tenant_id: str,
    contract_id: str,
    kind: str,
    opportunity_id: str,
    on: str,
    delivery_id: str,
    recorded_by: str,
    recorded_at: datetime,
) -> DeliveryRecord:
    """The record an event announces; a malformed one is refused naming its fields (the event is parked)."""
    v = Validator()
    for name, value in (
        ("tenant_id", tenant_id),
        ("contract_id", contract_id),
        ("opportunity_id", opportunity_id),
        ("delivery_id", delivery_id),
    ):
        if not value.strip() or len(value) > MAX_ID:
            v.add(name, f"is required (at most {MAX_ID} characters)")
    if kind not in KINDS:
        v.add("kind", f"must be one of {', '.join(KINDS)}")
    day = date.min
    try:
        day = date.fromisoformat(on.strip())
    except ValueError:
        v.add("on", "must be a date as YYYY-MM-DD")
    v.check()
    return DeliveryRecord(
        tenant_id=tenant_id,
        contract_id=contract_id.strip(),
        kind=kind,
        opportunity_id=opportunity_id.strip(),
        happened_on=day,
        delivery_id=delivery_id,
        recorded_by=recorded_by,
        recorded_at=recorded_at,
    )


def by_contract(records: Iterable[DeliveryRecord]) -> dict[str, ContractDelivery]:
    """Per contract, its delivery and acceptance days (the latest record of each kind)."""
    latest: dict[tuple[str, str], DeliveryRecord] = {}
    for r in records:
        if r.replaces(latest.get((r.contract_id, r.kind))):
            latest[(r.contract_id, r.kind)] = r
    found: dict[str, ContractDelivery] = {}
    for (contract_id, kind), r in sorted(latest.items()):
        current = found.get(contract_id) or ContractDelivery(contract_id, r.opportunity_id)
        day = {"delivered_on" if kind == DELIVERY else "accepted_on": r.happened_on}
        found[contract_id] = replace(current, **day)
    return found
