"""Fakes of document-versioning's repositories and blob store for the
service-layer tests, and a unit of work that, like the database, forgets
what a transaction wrote unless it commits (TransactionalUnitOfWork): a
repository told to fail mid-transaction then shows what a process dying
there leaves behind."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Collection, Iterable
from typing import Any, Self

from crm_shared.domain.errors import AlreadyExists
from crm_shared.testing import FakeUnitOfWork
from document_versioning.adapters.contract_repository import DraftFacts
from document_versioning.domain import ecn as ecn_rules
from document_versioning.domain.blob import StoredBlob
from document_versioning.domain.contract import SIGNED, Contract, ContractVersion
from document_versioning.domain.delivery import DeliveryRecord
from document_versioning.domain.document import Document, DocumentSummary, DocumentVersion
from document_versioning.domain.document_type import DocumentType
from document_versioning.domain.ecn import Ecn, EquipmentSource
from document_versioning.domain.snapshot import Snapshot


class Dying(RuntimeError):
    """What a repository told to fail raises: the process dies at that write."""


class TransactionalUnitOfWork(FakeUnitOfWork):
    """FakeUnitOfWork whose transactions roll back: on leaving without commit,
    every repository's rows (its dict, list and set attributes) and the events
    published are as they were on entering."""

    def __init__(self, **repositories: Any) -> None:
        super().__init__(**repositories)
        self._names = list(repositories)
        self._open: list[tuple[dict[str, dict[str, Any]], int]] = []

    def _rows(self) -> dict[str, dict[str, Any]]:
        return {
            name: {k: copy.deepcopy(v) for k, v in vars(getattr(self, name)).items() if type(v) in (dict, list, set)}
            for name in self._names
        }

    async def __aenter__(self) -> Self:
        self._open.append((self._rows(), len(self.published)))
        return await super().__aenter__()

    async def commit(self) -> None:
        await super().commit()
        self._open[-1] = (self._rows(), len(self.published))

    async def __aexit__(self, *exc: object) -> None:
        rows, published = self._open.pop()
        for name, saved in rows.items():
            vars(getattr(self, name)).update(saved)
        del self.published[published:]


class FakeDocuments:
    """Documents and versions by id; versions are only ever added."""

    def __init__(self) -> None:
        self.documents: dict[tuple[str, str], Document] = {}
        self.versions: dict[tuple[str, str], DocumentVersion] = {}

    async def add_document(self, document: Document) -> None:
        self.documents[(document.tenant_id, document.document_id)] = document

    async def get_document(self, tenant_id: str, document_id: str) -> Document | None:
        return self.documents.get((tenant_id, document_id))

    async def get_version(self, tenant_id: str, version_id: str) -> DocumentVersion | None:
        return self.versions.get((tenant_id, version_id))

    async def latest_version(self, tenant_id: str, document_id: str) -> DocumentVersion | None:
        return max(await self.list_versions(tenant_id, document_id), key=lambda v: v.version_number, default=None)

    async def list_versions(self, tenant_id: str, document_id: str, *, after_number: int = 0, limit=None):
        found = [v for v in self.versions.values() if (v.tenant_id, v.document_id) == (tenant_id, document_id)]
        found = sorted((v for v in found if v.version_number > after_number), key=lambda v: v.version_number)
        return found[:limit]

    async def list_documents(self, tenant_id, subject_type, subject_id, doc_type, *, after=None, limit=None):
        docs = [
            d
            for d in self.documents.values()
            if (d.tenant_id, d.subject_type, d.subject_id) == (tenant_id, subject_type, subject_id)
        ]
        return [DocumentSummary(d, 1, "") for d in docs][:limit]

    async def index_equipment(self, document: Document, version: DocumentVersion) -> None:
        return None  # FakeEcns reads the versions' equipment lists directly

    async def add_version(self, version: DocumentVersion) -> bool:
        if any(
            v.version_number == version.version_number
            for v in await self.list_versions(version.tenant_id, version.document_id)
        ):
            return False
        self.versions[(version.tenant_id, version.version_id)] = version
        return True


class FakeBlobRows:
    def __init__(self) -> None:
        self.rows: set[tuple[str, str]] = set()

    async def add(self, tenant_id: str, blob: StoredBlob, now=None) -> None:
        self.rows.add((tenant_id, blob.sha256))


class FakeBlobStore:
    def __init__(self) -> None:
        self.bytes: dict[tuple[str, str], bytes] = {}

    async def put_bytes(self, tenant_id: str, data: bytes) -> StoredBlob:
        sha = hashlib.sha256(data).hexdigest()
        self.bytes[(tenant_id, sha)] = data
        return StoredBlob(sha, len(data), "memory")

    async def read_bytes(self, tenant_id: str, sha256: str, max_bytes: int) -> bytes:
        return self.bytes[(tenant_id, sha256)]


class FakeTypes:
    def __init__(self) -> None:
        self.stored: dict[str, list[DocumentType]] = {}

    async def list(self, tenant_id: str) -> tuple[DocumentType, ...]:
        return tuple(self.stored.get(tenant_id, ()))

    async def lock_tenant(self, tenant_id: str) -> None:
        return None

    async def add(self, tenant_id: str, t: DocumentType, position: int) -> None:
        self.stored.setdefault(tenant_id, []).insert(position, t)

    async def update(self, tenant_id: str, t: DocumentType) -> None:
        rows = self.stored[tenant_id]
        rows[[r.code for r in rows].index(t.code)] = t


class FakeSnapshots:
    def __init__(self) -> None:
        self.rows: list[Snapshot] = []

    async def find(self, tenant_id, version_id, opportunity_id, purpose) -> Snapshot | None:
        key = (tenant_id, version_id, opportunity_id, purpose)
        return next((s for s in self.rows if (s.tenant_id, s.version_id, s.opportunity_id, s.purpose) == key), None)

    async def add(self, snapshot: Snapshot) -> bool:
        self.rows.append(snapshot)
        return True

    async def list_for(self, tenant_id, opportunity_id, purpose, *, before=None, limit=None) -> list[Snapshot]:
        return [s for s in reversed(self.rows) if s.opportunity_id == opportunity_id][:limit]


class FakeContracts:
    """Contracts and their reviewed versions; drafts are read from the documents fake.
    `die_at_save = n` makes the n-th save_version from now raise Dying (once)."""

    def __init__(self, documents: FakeDocuments, contracts: Iterable[Contract] = ()) -> None:
        self.docs = documents
        self.contracts: dict[tuple[str, str], Contract] = {(c.tenant_id, c.contract_id): c for c in contracts}
        self.cvs: dict[tuple[str, str], ContractVersion] = {}
        self.die_at_save = 0

    async def add(self, contract: Contract) -> None:
        if contract.contract_number and any(
            c.tenant_id == contract.tenant_id and c.contract_number == contract.contract_number
            for c in self.contracts.values()
        ):
            raise AlreadyExists(f"contract_number: {contract.contract_number} is another contract's number")
        self.contracts[(contract.tenant_id, contract.contract_id)] = contract

    async def get(self, tenant_id: str, contract_id: str) -> Contract | None:
        return self.contracts.get((tenant_id, contract_id))

    async def for_opportunity(self, tenant_id: str, opportunity_id: str, limit: int = 200) -> list[Contract]:
        return [c for c in self.contracts.values() if (c.tenant_id, c.opportunity_id) == (tenant_id, opportunity_id)]

    async def versions(self, tenant_id: str, contract_id: str) -> list[ContractVersion]:
        found = [cv for cv in self.cvs.values() if (cv.tenant_id, cv.contract_id) == (tenant_id, contract_id)]
        return sorted(found, key=lambda cv: (cv.submitted_at, cv.version_id))

    async def version(self, tenant_id: str, version_id: str) -> ContractVersion | None:
        return self.cvs.get((tenant_id, version_id))

    async def by_approval(self, tenant_id: str, approval_id: str) -> ContractVersion | None:
        return next((cv for cv in self._of(tenant_id) if cv.approval_id == approval_id), None)

    async def by_esign(self, tenant_id: str, provider: str, provider_document_id: str) -> ContractVersion | None:
        key = (provider, provider_document_id)
        return next((cv for cv in self._of(tenant_id) if (cv.esign_provider, cv.esign_document_id) == key), None)

    def _of(self, tenant_id: str) -> list[ContractVersion]:
        return [cv for cv in self.cvs.values() if cv.tenant_id == tenant_id]

    async def add_version(self, cv: ContractVersion) -> None:
        self.cvs[(cv.tenant_id, cv.version_id)] = cv

    async def save_version(self, cv: ContractVersion, *, was: str) -> bool:
        if self.die_at_save:
            self.die_at_save -= 1
            if not self.die_at_save:
                raise Dying("the process died storing a contract version")
        current = self.cvs.get((cv.tenant_id, cv.version_id))
        if current is None or current.state != was:
            return False
        others = [
            o for o in self._of(cv.tenant_id) if o.contract_id == cv.contract_id and o.version_id != cv.version_id
        ]
        # The partial unique index: one version in force per contract.
        assert not (cv.state == SIGNED and any(o.state == SIGNED for o in others)), "two versions in force"
        self.cvs[(cv.tenant_id, cv.version_id)] = cv
        return True

    async def in_force(
        self, tenant_id: str, opportunity_id: str = "", opportunity_ids: Collection[str] | None = None
    ) -> list[tuple[Contract, ContractVersion]]:
        found = []
        for cv in self._of(tenant_id):
            contract = self.contracts[(tenant_id, cv.contract_id)]
            if cv.state != SIGNED or (opportunity_id and contract.opportunity_id != opportunity_id):
                continue
            if opportunity_ids is not None and contract.opportunity_id not in opportunity_ids:
                continue
            found.append((contract, cv))
        return sorted(found, key=lambda pair: (-pair[1].signed_at.timestamp(), pair[1].version_id))

    async def draft(self, tenant_id: str, version_id: str) -> DraftFacts | None:
        version = self.docs.versions.get((tenant_id, version_id))
        return self._facts(version) if version else None

    async def draft_with_sha(self, tenant_id: str, contract_id: str, sha256: str) -> DraftFacts | None:
        found = [
            v
            for v in self.docs.versions.values()
            if v.tenant_id == tenant_id
            and v.sha256 == sha256
            and (self.docs.documents[(tenant_id, v.document_id)].subject_id == contract_id)
        ]
        newest = max(found, key=lambda v: (v.created_at, v.version_number), default=None)
        return self._facts(newest) if newest else None

    def _facts(self, v: DocumentVersion) -> DraftFacts:
        d = self.docs.documents[(v.tenant_id, v.document_id)]
        return DraftFacts(
            v.version_id,
            d.document_id,
            d.subject_type,
            d.subject_id,
            d.opportunity_id,
            v.version_number,
            v.sha256,
            v.fields,
        )


class FakeEcns:
    """ECNs by id, and the equipment lists read from the documents fake (the
    index by model computed on the fly). `asked` records each page of
    candidate opportunities asked for; `die_on_add` makes the next add raise."""

    def __init__(self, documents: FakeDocuments) -> None:
        self.docs = documents
        self.ecns: dict[tuple[str, str], Ecn] = {}
        self.asked: list[tuple[tuple[str, ...], str, int]] = []
        self.die_on_add = 0

    async def add(self, ecn: Ecn) -> bool:
        if self.die_on_add:
            self.die_on_add -= 1
            raise Dying("the process died storing the ECN")
        if any((e.tenant_id, e.number) == (ecn.tenant_id, ecn.number) for e in self.ecns.values()):
            return False  # the unique (tenant, number)
        self.ecns[(ecn.tenant_id, ecn.ecn_id)] = ecn
        return True

    async def get(self, tenant_id: str, ecn_id: str) -> Ecn | None:
        return self.ecns.get((tenant_id, ecn_id))

    async def number_taken(self, tenant_id: str, number: str) -> bool:
        return any(e.number == number for e in self.ecns.values() if e.tenant_id == tenant_id)

    async def list(self, tenant_id: str, limit: int = 200) -> list[Ecn]:
        return sorted((e for e in self.ecns.values() if e.tenant_id == tenant_id), key=lambda e: e.published_at)

    async def opportunities_listing(
        self, tenant_id: str, model_keys: Collection[str], *, after: str, limit: int
    ) -> list[str]:
        self.asked.append((tuple(model_keys), after, limit))
        found = {
            self.docs.documents[(tenant_id, v.document_id)].opportunity_id
            for v in self.docs.versions.values()
            if v.tenant_id == tenant_id
            and v.fields
            and {ecn_rules.model_key(e.model) for e in v.fields.equipment} & set(model_keys)
        }
        return sorted(o for o in found if o and o > after)[:limit]

    async def latest_equipment_lists(self, tenant_id: str, opportunity_ids: Collection[str]) -> list[EquipmentSource]:
        sources = []
        for d in self.docs.documents.values():
            if d.tenant_id != tenant_id or d.opportunity_id not in opportunity_ids:
                continue
            latest = await self.docs.latest_version(tenant_id, d.document_id)
            if latest is None or latest.fields is None or not latest.fields.equipment:
                continue
            sources.append(
                EquipmentSource(
                    d.opportunity_id,
                    latest.version_id,
                    d.doc_type,
                    tuple(e.model for e in latest.fields.equipment),
                    latest.created_at,
                    contract_id=d.subject_id if d.subject_type == "contract" else "",
                )
            )
        return sources


class FakeDeliveries:
    """The contracts' latest delivery records, per (tenant, contract, kind), written only over an older one."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str, str], DeliveryRecord] = {}

    async def put(self, record: DeliveryRecord) -> None:
        key = (record.tenant_id, record.contract_id, record.kind)
        if record.replaces(self.records.get(key)):
            self.records[key] = record

    async def of_contracts(self, tenant_id: str, contract_ids: Collection[str]) -> list[DeliveryRecord]:
        return [r for (t, c, _), r in sorted(self.records.items()) if t == tenant_id and c in contract_ids]
