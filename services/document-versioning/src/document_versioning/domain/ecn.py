"""Engineering change notices (seed 002). 工程部 publishes an ECN — a document
of type ECN with the subject ("ecn", ecn_id), tenant-wide internal material —
naming the affected part numbers or equipment models, the change and an
effective date. Documents find the orders it reaches by their equipment
lists and announce them (ecn.published). An order whose contract's goods
are not delivered yet goes to opportunity, which keeps the open ones (it
alone knows an opportunity's status) and gives each owner a 24 h
confirmation task; an order already delivered (domain/delivery.py) is listed
on the ECN as delivered — a retrofit notice, with no confirmation task.

Which equipment list decides for an opportunity: the signed contract in
force when it has one (that is what is being delivered), else the newest of
the latest versions of its documents that carry an equipment list
(proposal, quote, contract draft). Models match ignoring case and spaces."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from crm_shared.domain.errors import InvalidArgument, Validator
from crm_shared.roles import ADMIN, ECN_PUBLISHERS, ECN_READERS, FINANCE, REVIEWER, SYSTEM

from document_versioning.domain.delivery import ContractDelivery

PUBLISHERS = ECN_PUBLISHERS
READERS = ECN_READERS
# The orders an ECN reached name opportunities across the tenant: only the roles that
# see every opportunity read them; reps and managers follow their own through their tasks.
ORDER_READERS = (REVIEWER, ADMIN, FINANCE, SYSTEM)
SUBJECT = "ecn"
DOC_TYPE = "ECN"
MAX_MODELS = 200
MAX_MODEL = 100
MAX_NUMBER = 50
MAX_TITLE = 200
MAX_CHANGE = 4000
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class EquipmentSource:
    """One equipment list an opportunity has: a signed contract in force, or
    the latest version of one of its documents."""

    opportunity_id: str
    version_id: str
    doc_type: str
    models: tuple[str, ...]
    created_at: datetime
    contract_id: str = ""
    contract_label: str = ""
    in_force: bool = False


@dataclass(frozen=True)
class AffectedOrder:
    opportunity_id: str
    version_id: str
    doc_type: str
    models: tuple[str, ...]  # the affected models its list names, as the ECN spells them
    contract_id: str = ""
    contract_label: str = ""
    # The contract's goods as recorded when the ECN was published (domain/delivery.py).
    delivered_on: date | None = None
    accepted_on: date | None = None

    @property
    def delivered(self) -> bool:
        return self.delivered_on is not None or self.accepted_on is not None


@dataclass(frozen=True)
class EcnDraft:
    number: str
    title: str
    change: str
    effective_date: date
    affected_models: tuple[str, ...]


@dataclass(frozen=True)
class Ecn:
    ecn_id: str
    tenant_id: str
    number: str
    title: str
    change: str
    effective_date: date
    affected_models: tuple[str, ...]
    document_id: str
    version_id: str
    published_by: str
    published_at: datetime
    orders: tuple[AffectedOrder, ...] = ()


def as_seen_by(ecn: Ecn, role: str) -> Ecn:
    return ecn if role in ORDER_READERS else replace(ecn, orders=())


def model_key(model: str) -> str:
    return _SPACES.sub("", model).casefold()


def validate(*, number: str, title: str, change: str, effective_date: str, affected_models: Sequence[str]) -> EcnDraft:
    v = Validator()
    v.require("number", number.strip())
    v.require("title", title.strip())
    v.require("change", change.strip())
    for name, value, limit in (
        ("number", number, MAX_NUMBER),
        ("title", title, MAX_TITLE),
        ("change", change, MAX_CHANGE),
    ):
        if len(value) > limit:
            v.add(name, f"is longer than {limit} characters")
    day: date | None = None
    try:
        day = date.fromisoformat(effective_date.strip())
    except ValueError:
        v.add("effective_date", "must be an ISO date, e.g. 2026-12-15")
    models: list[str] = []
    seen: set[str] = set()
    if not affected_models:
        v.add("affected_models", "name at least one part number or model")
    elif len(affected_models) > MAX_MODELS:
        v.add("affected_models", f"at most {MAX_MODELS} models")
    else:
        for i, model in enumerate(affected_models):
            cleaned = model.strip()
            if not cleaned or len(cleaned) > MAX_MODEL:
                v.add(f"affected_models[{i}]", f"must be 1 to {MAX_MODEL} characters")
            elif model_key(cleaned) not in seen:
                seen.add(model_key(cleaned))
                models.append(cleaned)
    v.check()
    assert day is not None
    return EcnDraft(number.strip(), title.strip(), change.strip(), day, tuple(models))


def deciding_sources(sources: Iterable[EquipmentSource]) -> list[EquipmentSource]:
    """Per opportunity, the one list that decides (see the module's note)."""
    best: dict[str, EquipmentSource] = {}
    for s in sources:
        current = best.get(s.opportunity_id)
        if current is None or (s.in_force, s.created_at) > (current.in_force, current.created_at):
            best[s.opportunity_id] = s
    return [best[k] for k in sorted(best)]


def affected_orders(models: Sequence[str], sources: Iterable[EquipmentSource]) -> tuple[AffectedOrder, ...]:
    wanted = {model_key(m): m for m in models}
    orders = []
    for s in deciding_sources(sources):
        keys = {model_key(m) for m in s.models}
        hit = tuple(m for k, m in wanted.items() if k in keys)
        if hit:
            orders.append(
                AffectedOrder(s.opportunity_id, s.version_id, s.doc_type, hit, s.contract_id, s.contract_label)
            )
    return tuple(orders)


def with_deliveries(
    orders: Iterable[AffectedOrder], deliveries: Mapping[str, ContractDelivery]
) -> tuple[AffectedOrder, ...]:
    """The orders with their contract's delivery and acceptance days; a record counts only for an
    order of the opportunity it was recorded on."""
    marked = []
    for o in orders:
        found = deliveries.get(o.contract_id) if o.contract_id else None
        if found is not None and found.opportunity_id == o.opportunity_id:
            o = replace(o, delivered_on=found.delivered_on, accepted_on=found.accepted_on)
        marked.append(o)
    return tuple(marked)


def to_confirm(orders: Iterable[AffectedOrder]) -> tuple[AffectedOrder, ...]:
    """The orders whose owners confirm the change with the customer: not delivered yet."""
    return tuple(o for o in orders if not o.delivered)


def retrofits(orders: Iterable[AffectedOrder]) -> tuple[AffectedOrder, ...]:
    """The orders already delivered: the ECN lists them as a retrofit notice, no confirmation task."""
    return tuple(o for o in orders if o.delivered)


def check_id(name: str, value: str) -> str:
    if not value.strip() or len(value) > 64:
        raise InvalidArgument.field(name, "is required (at most 64 characters)")
    return value.strip()
