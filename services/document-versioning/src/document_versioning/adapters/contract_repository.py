"""SQL of contracts and their reviewed and signed versions. Every query is
scoped by tenant; rows come back as domain types."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.domain.errors import AlreadyExists
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from document_versioning.adapters.orm import contract_versions, contracts, document_versions, documents
from document_versioning.domain import fields as field_rules
from document_versioning.domain.contract import SIGNED, Contract, ContractVersion
from document_versioning.domain.fields import VersionFields


def _utc(row: Any) -> dict[str, Any]:
    """SQLite hands datetimes back naive; everything stored is UTC."""
    return {k: as_utc(v) if isinstance(v, datetime) else v for k, v in row._mapping.items()}


@dataclass(frozen=True)
class DraftFacts:
    """What a contract needs of one document version (read-only over the document tables)."""

    version_id: str
    document_id: str
    subject_type: str
    subject_id: str
    # The opportunity the document was filed under (a contract's must be the contract's own).
    opportunity_id: str
    version_number: int
    sha256: str
    fields: VersionFields | None


def _contract(row: Any) -> Contract:
    m = _utc(row)
    return Contract(**{f.name: m[f.name] for f in fields(Contract)})


def _version(row: Any) -> ContractVersion:
    m = _utc(row)
    m["parties"] = tuple(m["parties"] or ())
    m["fields"] = field_rules.fields_from_dict(m["fields"])
    if isinstance(m["signed_on"], str):  # pragma: no cover - a driver giving dates as text
        m["signed_on"] = date.fromisoformat(m["signed_on"])
    return ContractVersion(**{f.name: m[f.name] for f in fields(ContractVersion)})


def _values(cv: ContractVersion) -> dict[str, Any]:
    values = {f.name: getattr(cv, f.name) for f in fields(ContractVersion)}
    values["parties"] = list(cv.parties)
    values["fields"] = field_rules.fields_as_dict(cv.fields)
    return values


class ContractRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, contract: Contract) -> None:
        """AlreadyExists naming contract_number when another contract of the tenant has the number
        (checked by the unique index, so two concurrent openings cannot both take it)."""
        try:
            async with self.session.begin_nested():
                await self.session.execute(sa.insert(contracts).values(**asdict(contract)))
        except IntegrityError as exc:
            if not contract.contract_number:
                raise
            raise AlreadyExists(f"contract_number: {contract.contract_number} is another contract's number") from exc

    async def get(self, tenant_id: str, contract_id: str) -> Contract | None:
        row = (
            await self.session.execute(
                sa.select(contracts).where(contracts.c.tenant_id == tenant_id, contracts.c.contract_id == contract_id)
            )
        ).first()
        return _contract(row) if row else None

    async def for_opportunity(self, tenant_id: str, opportunity_id: str, limit: int = 200) -> list[Contract]:
        query = (
            sa.select(contracts)
            .where(contracts.c.tenant_id == tenant_id, contracts.c.opportunity_id == opportunity_id)
            .order_by(contracts.c.created_at, contracts.c.contract_id)
            .limit(limit)
        )
        return [_contract(r) for r in (await self.session.execute(query)).all()]

    async def versions(self, tenant_id: str, contract_id: str) -> list[ContractVersion]:
        query = (
            sa.select(contract_versions)
            .where(contract_versions.c.tenant_id == tenant_id, contract_versions.c.contract_id == contract_id)
            .order_by(contract_versions.c.submitted_at, contract_versions.c.version_id)
        )
        return [_version(r) for r in (await self.session.execute(query)).all()]

    async def version(self, tenant_id: str, version_id: str) -> ContractVersion | None:
        return await self._one(contract_versions.c.version_id == version_id, tenant_id)

    async def by_approval(self, tenant_id: str, approval_id: str) -> ContractVersion | None:
        return await self._one(contract_versions.c.approval_id == approval_id, tenant_id)

    async def by_esign(self, tenant_id: str, provider: str, provider_document_id: str) -> ContractVersion | None:
        return await self._one(
            sa.and_(
                contract_versions.c.esign_provider == provider,
                contract_versions.c.esign_document_id == provider_document_id,
            ),
            tenant_id,
        )

    async def _one(self, condition: Any, tenant_id: str) -> ContractVersion | None:
        row = (
            await self.session.execute(
                sa.select(contract_versions).where(contract_versions.c.tenant_id == tenant_id, condition).limit(1)
            )
        ).first()
        return _version(row) if row else None

    async def add_version(self, cv: ContractVersion) -> None:
        await self.session.execute(sa.insert(contract_versions).values(**_values(cv)))

    async def save_version(self, cv: ContractVersion, *, was: str) -> bool:
        """Store a change; False when the row was no longer in state `was` (changed concurrently)."""
        values = _values(cv)
        for key in ("version_id", "tenant_id", "contract_id"):
            values.pop(key)
        result = await self.session.execute(
            sa.update(contract_versions)
            .where(
                contract_versions.c.tenant_id == cv.tenant_id,
                contract_versions.c.version_id == cv.version_id,
                contract_versions.c.state == was,
            )
            .values(**values)
        )
        return result.rowcount == 1  # type: ignore[attr-defined]

    async def in_force(
        self, tenant_id: str, opportunity_id: str = "", opportunity_ids: Collection[str] | None = None
    ) -> list[tuple[Contract, ContractVersion]]:
        """The signed versions in force of one opportunity, or of a page of them, newest signing first."""
        owners = sa.select(contracts.c.contract_id).where(contracts.c.tenant_id == tenant_id)
        if opportunity_id:
            owners = owners.where(contracts.c.opportunity_id == opportunity_id)
        if opportunity_ids is not None:
            owners = owners.where(contracts.c.opportunity_id.in_(list(opportunity_ids)))
        query = (
            sa.select(contract_versions)
            .where(
                contract_versions.c.tenant_id == tenant_id,
                contract_versions.c.state == SIGNED,
                contract_versions.c.contract_id.in_(owners),
            )
            .order_by(contract_versions.c.signed_at.desc(), contract_versions.c.version_id)
        )
        signed = [_version(r) for r in (await self.session.execute(query)).all()]
        if not signed:
            return []
        rows = await self.session.execute(
            sa.select(contracts).where(
                contracts.c.tenant_id == tenant_id, contracts.c.contract_id.in_({cv.contract_id for cv in signed})
            )
        )
        by_id = {c.contract_id: c for c in (_contract(r) for r in rows.all())}
        return [(by_id[cv.contract_id], cv) for cv in signed]

    async def draft(self, tenant_id: str, version_id: str) -> DraftFacts | None:
        return await self._draft(tenant_id, document_versions.c.version_id == version_id)

    async def draft_with_sha(self, tenant_id: str, contract_id: str, sha256: str) -> DraftFacts | None:
        """The newest version of the contract's documents with this content."""
        return await self._draft(
            tenant_id,
            sa.and_(
                documents.c.subject_type == "contract",
                documents.c.subject_id == contract_id,
                document_versions.c.sha256 == sha256,
            ),
        )

    async def _draft(self, tenant_id: str, condition: Any) -> DraftFacts | None:
        query = (
            sa.select(
                document_versions.c.version_id,
                document_versions.c.document_id,
                documents.c.subject_type,
                documents.c.subject_id,
                documents.c.opportunity_id,
                document_versions.c.version_number,
                document_versions.c.sha256,
                document_versions.c.fields,
            )
            .join(documents, documents.c.document_id == document_versions.c.document_id)
            .where(document_versions.c.tenant_id == tenant_id, documents.c.tenant_id == tenant_id, condition)
            .order_by(document_versions.c.created_at.desc(), document_versions.c.version_number.desc())
            .limit(1)
        )
        row = (await self.session.execute(query)).first()
        if row is None:
            return None
        return DraftFacts(
            row.version_id,
            row.document_id,
            row.subject_type,
            row.subject_id,
            row.opportunity_id,
            row.version_number,
            row.sha256,
            field_rules.fields_from_json(row.fields),
        )
