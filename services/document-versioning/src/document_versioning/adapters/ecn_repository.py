"""SQL of engineering change notices, and the read-only queries an ECN is
matched with: the opportunities whose lists named an affected model (the
equipment_models index, a page at a time), then those opportunities' latest
equipment lists (the latest version of each of their documents, or their
contracts', that carries structured fields)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict
from datetime import date
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from sqlalchemy.ext.asyncio import AsyncSession

from document_versioning.adapters.orm import contracts, document_versions, documents, ecns, equipment_models
from document_versioning.domain.ecn import AffectedOrder, Ecn, EquipmentSource
from document_versioning.domain.fields import fields_from_json

# An order's delivery days, ISO dates in the ECN's JSON.
DAYS = ("delivered_on", "accepted_on")


def _ecn(row: Any) -> Ecn:
    m = dict(row._mapping)
    effective = m["effective_date"]
    return Ecn(
        ecn_id=m["ecn_id"],
        tenant_id=m["tenant_id"],
        number=m["number"],
        title=m["title"],
        change=m["change"],
        effective_date=effective if isinstance(effective, date) else date.fromisoformat(effective),
        affected_models=tuple(m["affected_models"]),
        document_id=m["document_id"],
        version_id=m["version_id"],
        published_by=m["published_by"],
        published_at=as_utc(m["published_at"]),
        orders=tuple(_order(o) for o in m["orders"]),
    )


def _order(stored: dict[str, Any]) -> AffectedOrder:
    """An order as stored in the ECN's JSON; those stored before deliveries were known have no days."""
    days = {k: date.fromisoformat(stored[k]) if stored.get(k) else None for k in DAYS}
    return AffectedOrder(**stored | {"models": tuple(stored["models"])} | days)


def _stored(order: AffectedOrder) -> dict[str, Any]:
    days = {k: getattr(order, k).isoformat() if getattr(order, k) else None for k in DAYS}
    return asdict(order) | {"models": list(order.models)} | days


class EcnRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, ecn: Ecn) -> bool:
        """False when its number was taken by a concurrent publication."""
        values = asdict(ecn)
        values["affected_models"] = list(ecn.affected_models)
        values["orders"] = [_stored(o) for o in ecn.orders]
        return await insert_unless_taken(self.session, sa.insert(ecns).values(**values))

    async def get(self, tenant_id: str, ecn_id: str) -> Ecn | None:
        row = (
            await self.session.execute(sa.select(ecns).where(ecns.c.tenant_id == tenant_id, ecns.c.ecn_id == ecn_id))
        ).first()
        return _ecn(row) if row else None

    async def number_taken(self, tenant_id: str, number: str) -> bool:
        found = await self.session.scalar(
            sa.select(sa.func.count()).where(ecns.c.tenant_id == tenant_id, ecns.c.number == number)
        )
        return bool(found)

    async def list(self, tenant_id: str, limit: int = 200) -> list[Ecn]:
        query = (
            sa.select(ecns)
            .where(ecns.c.tenant_id == tenant_id)
            .order_by(ecns.c.published_at.desc(), ecns.c.ecn_id)
            .limit(limit)
        )
        return [_ecn(r) for r in (await self.session.execute(query)).all()]

    async def opportunities_listing(
        self, tenant_id: str, model_keys: Collection[str], *, after: str, limit: int
    ) -> list[str]:
        """A page (by id, after `after`) of the opportunities some version of whose documents listed one
        of the models (domain/ecn.py model_key): an ECN's candidates, read from the index by model."""
        query = (
            sa.select(equipment_models.c.opportunity_id)
            .where(
                equipment_models.c.tenant_id == tenant_id,
                equipment_models.c.model_key.in_(list(model_keys)),
                equipment_models.c.opportunity_id > after,
            )
            .group_by(equipment_models.c.opportunity_id)
            .order_by(equipment_models.c.opportunity_id)
            .limit(limit)
        )
        return list((await self.session.scalars(query)).all())

    async def latest_equipment_lists(self, tenant_id: str, opportunity_ids: Collection[str]) -> list[EquipmentSource]:
        """The latest version of each of these opportunities' documents (their own or their contracts'),
        when it carries an equipment list."""
        latest = (
            sa.select(document_versions.c.document_id, sa.func.max(document_versions.c.version_number).label("n"))
            .join(documents, documents.c.document_id == document_versions.c.document_id)
            .where(
                document_versions.c.tenant_id == tenant_id,
                documents.c.tenant_id == tenant_id,
                documents.c.opportunity_id.in_(list(opportunity_ids)),
            )
            .group_by(document_versions.c.document_id)
            .subquery()
        )
        query = (
            sa.select(
                documents.c.opportunity_id,
                documents.c.doc_type,
                documents.c.subject_type,
                documents.c.subject_id,
                document_versions.c.version_id,
                document_versions.c.created_at,
                document_versions.c.fields,
            )
            .join(latest, latest.c.document_id == documents.c.document_id)
            .join(
                document_versions,
                sa.and_(
                    document_versions.c.document_id == latest.c.document_id,
                    document_versions.c.version_number == latest.c.n,
                ),
            )
            .outerjoin(
                contracts,
                sa.and_(
                    documents.c.subject_type == "contract",
                    contracts.c.tenant_id == tenant_id,
                    contracts.c.contract_id == documents.c.subject_id,
                ),
            )
            .where(
                documents.c.tenant_id == tenant_id,
                documents.c.opportunity_id != "",
                document_versions.c.fields.is_not(None),
                # An opportunity's own documents, and a contract's filed under the contract's own opportunity.
                sa.or_(
                    documents.c.subject_type == "opportunity",
                    sa.and_(
                        documents.c.subject_type == "contract",
                        contracts.c.opportunity_id == documents.c.opportunity_id,
                    ),
                ),
            )
        )
        sources = []
        for row in (await self.session.execute(query)).all():
            fields = fields_from_json(row.fields)
            if fields is None or not fields.equipment:
                continue
            sources.append(
                EquipmentSource(
                    opportunity_id=row.opportunity_id,
                    version_id=row.version_id,
                    doc_type=row.doc_type,
                    models=tuple(e.model for e in fields.equipment),
                    created_at=as_utc(row.created_at),
                    contract_id=row.subject_id if row.subject_type == "contract" else "",
                )
            )
        return sources
