"""contract.signed and contract.superseded as messages: everything finance
needs to build a payment plan (issue 13) from the fields frozen at signing."""

from __future__ import annotations

from crm.events.v1 import contract_pb2 as events

from document_versioning.domain.contract import Contract, ContractVersion
from document_versioning.domain.fields import VersionFields


def _fields_pb(fields: VersionFields | None) -> dict:
    if fields is None:
        return {}
    money = {"total": {"amount_minor": fields.total_minor or 0, "currency": fields.currency}}
    return {
        **money,
        "instalments": [
            events.SignedInstalment(
                name=i.name, trigger=i.trigger, days=i.days, percent_bp=i.percent_bp, amount_minor=i.amount_minor
            )
            for i in fields.instalments
        ],
        "equipment": [
            events.SignedEquipmentRow(
                model=e.model, description=e.description, quantity=e.quantity, unit_price_minor=e.unit_price_minor
            )
            for e in fields.equipment
        ],
    }


def signed_event(contract: Contract, cv: ContractVersion, number: int, supersedes: str) -> events.ContractSigned:
    fields = cv.fields
    extra = {}
    if fields is not None and fields.delivery_lead_time_days is not None:
        extra["delivery_lead_time_days"] = fields.delivery_lead_time_days
    if fields is not None and fields.warranty_months is not None:
        extra["warranty_months"] = fields.warranty_months
    return events.ContractSigned(
        contract_id=contract.contract_id,
        version_id=cv.version_id,
        signed_version_id=cv.signed_version_id,
        label=cv.label,
        version_number=number,
        customer_id=contract.customer_id,
        opportunity_id=contract.opportunity_id,
        signed_on=cv.signed_on.isoformat() if cv.signed_on else "",
        parties=list(cv.parties),
        signed_via=cv.signed_via,
        supersedes_version_id=supersedes,
        contract_number=contract.contract_number,
        **_fields_pb(fields),
        **extra,
    )


def superseded_event(contract: Contract, old: ContractVersion, by: ContractVersion) -> events.ContractSuperseded:
    return events.ContractSuperseded(
        contract_id=contract.contract_id,
        version_id=old.version_id,
        signed_version_id=old.signed_version_id,
        label=old.label,
        customer_id=contract.customer_id,
        opportunity_id=contract.opportunity_id,
        signed_on=old.signed_on.isoformat() if old.signed_on else "",
        superseded_by_version_id=by.version_id,
        superseded_by_label=by.label,
        contract_number=contract.contract_number,
        **_fields_pb(old.fields),
    )
