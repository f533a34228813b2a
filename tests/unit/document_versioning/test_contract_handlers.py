"""Contract use cases on fakes (service_layer/contracts.py): review from the
approval events, signing an approved draft, an amendment superseding it,
refused transitions changing nothing, and the signed PDF's version and the
signing committed together — a process dying between them leaves neither,
and a retry signs exactly once."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from crm_shared.testing import DEFAULT_NOW, FakeSubjectAccess
from document_versioning.domain.contract import Contract
from document_versioning.domain.document import VersionHeader
from document_versioning.domain.fields import parse_fields
from document_versioning.service_layer.contracts import ContractHandlers, SignedFile
from document_versioning.service_layer.versions import VersionHandlers

from tests.support.documents import PROPOSAL_VERSIONS
from tests.unit.document_versioning.fakes import (
    Dying,
    FakeBlobRows,
    FakeBlobStore,
    FakeContracts,
    FakeDeliveries,
    FakeDocuments,
    FakeEcns,
    FakeTypes,
    TransactionalUnitOfWork,
)

REP = Caller("t-1", "rep-1", "rep")
LEGAL = Caller("t-1", "chenjing", "reviewer")
CONTRACT = Contract("k-1", "t-1", "opp-1", "cust-1", "注塑机采购合同", "rep-1", DEFAULT_NOW)
TODAY = "2026-03-01"  # the day before DEFAULT_NOW


class FakeOpportunities:
    async def customer_of(self, caller: Caller, opportunity_id: str) -> str:
        return "cust-1"


@dataclass
class World:
    documents: FakeDocuments
    contracts: FakeContracts
    store: FakeBlobStore
    uow: TransactionalUnitOfWork
    handlers: ContractHandlers
    versions: VersionHandlers


@pytest.fixture
def world() -> World:
    documents = FakeDocuments()
    contracts = FakeContracts(documents, [CONTRACT])
    store = FakeBlobStore()
    uow = TransactionalUnitOfWork(
        documents=documents,
        blobs=FakeBlobRows(),
        document_types=FakeTypes(),
        contracts=contracts,
        ecns=FakeEcns(documents),
        deliveries=FakeDeliveries(),
    )
    access = FakeSubjectAccess()
    access.allow(REP, "opp-1")
    access.allow(LEGAL, "opp-1", write=False)
    versions = VersionHandlers(lambda: uow, access, store)
    handlers = ContractHandlers(lambda: uow, access, versions, FakeOpportunities(), ["fadada"])
    return World(documents, contracts, store, uow, handlers, versions)


async def draft(w: World, proposal: int = 0, document_id: str = "", text: bytes = b"%PDF draft") -> str:
    filing = (
        {"document_id": document_id}
        if document_id
        else {"subject_type": "contract", "subject_id": "k-1", "doc_type": "合同", "title": "注塑机采购合同"}
    )
    fields = parse_fields(PROPOSAL_VERSIONS[proposal].fields_json())
    stored = await w.versions.upload(REP, VersionHeader(filename="合同.pdf", fields=fields, **filing), text)
    return stored.version.version_id


async def review(w: World, version_id: str, approval_id: str, decision: str = "approved") -> None:
    """approval.requested then approval.decided, as the consumer hands them on (its uow commits)."""
    async with w.uow as uow:
        await w.handlers.approval_requested(uow, "t-1", approval_id, version_id)
        await uow.commit()
    async with w.uow as uow:
        await w.handlers.approval_decided(uow, "t-1", approval_id, decision)
        await uow.commit()


async def sign(w: World, version_id: str, label: str = "", pdf: bytes = b"%PDF signed", **kw):
    return await w.handlers.sign(
        LEGAL,
        "k-1",
        version_id,
        label=label,
        signed_on=kw.get("signed_on", TODAY),
        parties=kw.get("parties", ["宁波华翔注塑有限公司", "本公司"]),
        signed_file=SignedFile("合同-签署版.pdf", "application/pdf", pdf),
    )


async def signed_and_amended(w: World) -> tuple[str, str]:
    """V1 signed and in force; an amendment (the third proposal's terms) approved, not yet signed."""
    v1 = await draft(w)
    await review(w, v1, "a-1")
    await sign(w, v1)
    doc = w.documents.versions[("t-1", v1)].document_id
    v3 = await draft(w, 2, document_id=doc, text=b"%PDF amendment")
    await review(w, v3, "a-2")
    return v1, v3


def types(w: World) -> list[str]:
    return [t for t, *_ in w.uow.published]


async def test_an_approved_draft_is_signed_with_its_pdf_and_announced_in_one_transaction(world: World) -> None:
    w = world
    v1 = await draft(w)
    await review(w, v1, "a-1")
    before, commits = len(w.uow.published), w.uow.commits
    view = await sign(w, v1, "V3.2")
    assert view.state == "signed" and view.in_force is not None
    cv = view.in_force
    assert (cv.version_id, cv.label, cv.signed_via, cv.signed_by) == (v1, "V3.2", "upload", "chenjing")
    # The signed PDF is the document's next version, authored by the signer, named in the signing.
    signed_pdf = w.documents.versions[("t-1", cv.signed_version_id)]
    assert (signed_pdf.version_number, signed_pdf.created_by, signed_pdf.sha256) == (2, "chenjing", cv.signed_sha256)
    assert cv.fields == w.documents.versions[("t-1", v1)].fields  # the reviewed draft's fields, frozen
    # Its version_created and contract.signed were committed together, in one commit.
    assert types(w)[before:] == ["document.version_created", "contract.signed"] and w.uow.commits == commits + 1
    (event,) = w.uow.events("contract.signed")
    assert (event.label, event.version_number, event.customer_id) == ("V3.2", 1, "cust-1")
    assert event.total.amount_minor == PROPOSAL_VERSIONS[0].total_minor and len(event.instalments) == 3


async def test_an_amendment_signed_supersedes_the_version_in_force(world: World) -> None:
    w = world
    v1, v3 = await signed_and_amended(w)
    view = await sign(w, v3, pdf=b"%PDF amendment signed")
    states = {cv.version_id: cv for cv in view.versions}
    assert states[v1].state == "superseded" and states[v1].superseded_by_version_id == v3
    assert states[v3].state == "signed" and [cv.label for cv in view.versions] == ["V1", "V2"]
    assert [e.label for e in w.uow.events("contract.signed")] == ["V1", "V2"]
    (gone,) = w.uow.events("contract.superseded")
    assert (gone.label, gone.superseded_by_label, gone.version_id) == ("V1", "V2", v1)
    assert w.uow.events("contract.signed")[1].supersedes_version_id == v1


async def test_bad_transitions_are_refused_and_change_nothing(world: World) -> None:
    w = world
    v1 = await draft(w)

    def state() -> tuple:
        return (dict(w.contracts.cvs), len(w.documents.versions), len(w.uow.published), dict(w.store.bytes))

    before = state()
    with pytest.raises(InvalidArgument) as never_reviewed:  # nobody asked approval for it
        await sign(w, v1)
    assert "version_id" in str(never_reviewed.value.violations)
    assert state() == before
    async with w.uow as uow:
        await w.handlers.approval_requested(uow, "t-1", "a-1", v1)
        await uow.commit()
    under_review = state()
    with pytest.raises(FailedPrecondition):  # under review is not approved
        await sign(w, v1)
    # Another request's decision does not decide this one.
    async with w.uow as uow:
        await w.handlers.approval_decided(uow, "t-1", "a-other", "approved")
        await uow.commit()
    assert state() == under_review
    async with w.uow as uow:
        await w.handlers.approval_decided(uow, "t-1", "a-1", "rejected")
        await uow.commit()
    rejected = state()
    with pytest.raises(FailedPrecondition):
        await sign(w, v1)
    assert state() == rejected
    await review(w, v1, "a-2")  # a rejected draft may be asked again
    approved = state()
    with pytest.raises(PermissionDenied):  # the owning rep is not 法务
        await w.handlers.sign(
            REP,
            "k-1",
            v1,
            label="",
            signed_on=TODAY,
            parties=["甲方"],
            signed_file=SignedFile("a.pdf", "application/pdf", b"%PDF"),
        )
    for bad, field in (
        ({"label": "第一版"}, "label"),
        ({"signed_on": "2099-01-01"}, "signed_on"),
        ({"parties": []}, "parties"),
    ):
        with pytest.raises(InvalidArgument) as refused:
            await sign(w, v1, **bad)
        assert field in str(refused.value.violations)
    assert state() == approved  # nothing stored, not even the file's bytes
    # A new request for an approved draft does not put it back under review.
    async with w.uow as uow:
        await w.handlers.approval_requested(uow, "t-1", "a-3", v1)
        await uow.commit()
    assert state() == approved
    await sign(w, v1)
    signed = state()
    with pytest.raises(FailedPrecondition):  # signed already, with another file
        await sign(w, v1, pdf=b"%PDF another scan")
    with pytest.raises(FailedPrecondition):
        await w.handlers.send_for_esign(LEGAL, "k-1", v1, label="", provider="fadada", provider_document_id="F-1")
    assert state() == signed


async def test_dying_between_the_signed_pdf_and_the_signing_leaves_nothing_and_a_retry_signs_once(
    world: World,
) -> None:
    w = world
    v1 = await draft(w)
    await review(w, v1, "a-1")
    versions, published = len(w.documents.versions), len(w.uow.published)
    w.contracts.die_at_save = 1  # the signed PDF's version is written; the process dies at the signing
    with pytest.raises(Dying):
        await sign(w, v1)
    # No orphan version, no event, the contract version still approved.
    assert len(w.documents.versions) == versions and len(w.uow.published) == published
    assert w.contracts.cvs[("t-1", v1)].state == "approved"
    view = await sign(w, v1)
    assert view.state == "signed" and len(w.documents.versions) == versions + 1
    assert types(w)[published:] == ["document.version_created", "contract.signed"]
    # The same signing again (its answer lost on the way) is answered as it is: signed once.
    again = await sign(w, v1)
    assert again == view and len(w.documents.versions) == versions + 1 and len(w.uow.events("contract.signed")) == 1


async def test_dying_after_superseding_the_version_in_force_leaves_it_in_force(world: World) -> None:
    w = world
    v1, v3 = await signed_and_amended(w)
    versions, published = len(w.documents.versions), len(w.uow.published)
    w.contracts.die_at_save = 2  # V1 superseded, then the process dies signing V2
    with pytest.raises(Dying):
        await sign(w, v3, pdf=b"%PDF amendment signed")
    assert w.contracts.cvs[("t-1", v1)].state == "signed" and w.contracts.cvs[("t-1", v3)].state == "approved"
    assert len(w.documents.versions) == versions and len(w.uow.published) == published
    view = await sign(w, v3, pdf=b"%PDF amendment signed")
    assert view.in_force is not None and view.in_force.version_id == v3
    assert types(w)[published:] == ["document.version_created", "contract.superseded", "contract.signed"]


async def test_an_esignature_is_recorded_once_and_a_failed_one_changes_nothing(world: World) -> None:
    w = world
    v1 = await draft(w)
    await review(w, v1, "a-1")
    await w.handlers.send_for_esign(LEGAL, "k-1", v1, label="V2", provider="fadada", provider_document_id="FDD-1")
    doc = w.documents.versions[("t-1", v1)].document_id
    signed = await w.versions.upload(REP, VersionHeader(document_id=doc, filename="fadada.pdf"), b"%PDF e-signed")
    provider = Caller("t-1", "esign:fadada", "reviewer")

    async def callback(sha: str = signed.version.sha256):
        return await w.handlers.record_esignature(
            provider, provider="fadada", provider_document_id="FDD-1", signed_sha256=sha, signed_on=TODAY, parties=[]
        )

    with pytest.raises(InvalidArgument) as unknown:  # no version of the contract has that content
        await callback("0" * 64)
    assert "signed_sha256" in str(unknown.value.violations)
    published = len(w.uow.published)
    w.contracts.die_at_save = 1
    with pytest.raises(Dying):
        await callback()
    assert w.contracts.cvs[("t-1", v1)].state == "sent_for_signing" and len(w.uow.published) == published
    view = await callback()
    assert view.in_force is not None and view.in_force.signed_via == "esign:fadada"
    assert (await callback()) == view  # the provider's retry
    assert types(w)[published:] == ["contract.signed"]
