"""The version, snapshot and document-type use cases on fakes: numbering and
parents, the same content again (nothing stored), fields extracted and
checked, access by subject, snapshots once per version and purpose."""

from dataclasses import replace

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, NotFound, PermissionDenied
from crm_shared.testing import DEFAULT_NOW, FakeSubjectAccess, FakeUnitOfWork
from document_versioning.domain.contract import Contract
from document_versioning.domain.document import VersionHeader
from document_versioning.domain.document_type import DEFAULTS
from document_versioning.domain.fields import parse_fields
from document_versioning.service_layer.document_types import DocumentTypeHandlers
from document_versioning.service_layer.snapshots import SnapshotHandlers
from document_versioning.service_layer.versions import VersionHandlers

from tests.support.documents import PROPOSAL_VERSIONS, XLSX
from tests.unit.document_versioning.fakes import (
    FakeBlobRows,
    FakeBlobStore,
    FakeContracts,
    FakeDocuments,
    FakeSnapshots,
    FakeTypes,
)

REP = Caller("t-1", "rep-1", "rep")
READER = Caller("t-1", "mgr-2", "manager")
REVIEWER = Caller("t-1", "rev-1", "reviewer")
ADMIN = Caller("t-1", "admin-1", "admin")
V1, V2, V3 = PROPOSAL_VERSIONS
# The contract a document may be filed on.
K1 = Contract("k-1", "t-1", "opp-1", "cust-1", "购销合同", "rep-1", DEFAULT_NOW)


class World:
    def __init__(self) -> None:
        self.documents, self.store, self.types = FakeDocuments(), FakeBlobStore(), FakeTypes()
        self.snapshot_rows = FakeSnapshots()
        self.uow = FakeUnitOfWork(
            documents=self.documents,
            blobs=FakeBlobRows(),
            document_types=self.types,
            snapshots=self.snapshot_rows,
            contracts=FakeContracts(self.documents, [K1]),
        )
        self.access = FakeSubjectAccess()
        self.access.allow(REP, "opp-1")
        self.access.allow(READER, "opp-1", write=False)
        self.versions = VersionHandlers(lambda: self.uow, self.access, self.store)
        self.snapshots = SnapshotHandlers(lambda: self.uow, self.access, self.versions)
        self.doc_types = DocumentTypeHandlers(lambda: self.uow)


@pytest.fixture
def world() -> World:
    return World()


def header(document_id: str = "", **fields) -> VersionHeader:
    new = {} if document_id else {"opportunity_id": "opp-1", "doc_type": "技术方案", "title": "注塑机改造技术方案"}
    return VersionHeader(document_id=document_id, **({"filename": "方案.docx"} | new | fields))


async def test_versions_are_numbered_chained_and_announced(world: World) -> None:
    first = await world.versions.upload(REP, header(fields=parse_fields(V1.fields_json())), V1.docx())
    doc = first.document.document_id
    second = await world.versions.upload(REP, header(doc, change_summary="降价"), V2.docx())
    assert (first.version.version_number, second.version.version_number) == (1, 2)
    assert second.version.parent_version_id == first.version.version_id
    assert (first.version.fields.source, second.version.fields.source) == ("uploader", "docx")
    created = world.uow.events("document.version_created")
    assert [
        (e.version_number, e.subject_type, e.subject_id, e.opportunity_id, e.previous_version_id) for e in created
    ] == [
        (1, "opportunity", "opp-1", "opp-1", ""),
        (2, "opportunity", "opp-1", "opp-1", first.version.version_id),
    ]
    assert created[1].previous_sha256 == first.version.sha256 and created[1].has_fields
    assert world.uow.commits == 2


async def test_the_same_content_again_stores_nothing(world: World) -> None:
    first = await world.versions.upload(REP, header(), b"%PDF v1")
    again = await world.versions.upload(REP, header(first.document.document_id), b"%PDF v1")
    assert again.unchanged and again.version == first.version
    assert len(world.uow.published) == 1 and len(world.documents.versions) == 1


async def test_an_extracted_sheet_that_does_not_add_up_is_refused(world: World) -> None:
    from tests.support.document_files import make_xlsx

    sheet = make_xlsx([["型号", "数量", "单价"], ["HX-280", 2, 100], ["合计", 999]])
    with pytest.raises(InvalidArgument) as err:
        await world.versions.upload(REP, header(filename="清单.xlsx", content_type=XLSX), sheet)
    assert "fields.total_minor" in {v.field for v in err.value.violations}
    assert not world.documents.versions and not world.uow.published


async def test_writing_needs_write_access_to_the_subject_and_reading_hides_the_rest(world: World) -> None:
    with pytest.raises(PermissionDenied):
        await world.versions.upload(READER, header(), b"%PDF")
    with pytest.raises(NotFound):
        await world.versions.upload(Caller("t-1", "rep-9", "rep"), header(), b"%PDF")
    with pytest.raises(PermissionDenied):
        await world.versions.upload(Caller("t-1", "p-1", "partner"), header(), b"%PDF")
    stored = await world.versions.upload(REP, header(), b"%PDF")
    version_id = stored.version.version_id
    assert (await world.versions.readable_version(READER, version_id))[1] == stored.version
    for outsider in (Caller("t-1", "rep-9", "rep"), Caller("t-1", "p-1", "partner"), Caller("t-2", "rep-1", "rep")):
        with pytest.raises(NotFound):
            await world.versions.readable_version(outsider, version_id)
    assert len(world.documents.versions) == 1 and len(world.uow.published) == 1


async def test_tenant_wide_material_is_read_by_internal_roles_and_written_by_its_writers(world: World) -> None:
    ecn = header(subject_type="ecn", subject_id="ecn-1", opportunity_id="", doc_type="ECN", title="ECN-2026-07")
    with pytest.raises(PermissionDenied):
        await world.versions.upload(REP, ecn, b"%PDF ecn")
    stored = await world.versions.upload(REVIEWER, ecn, b"%PDF ecn")
    # No subject is asked about tenant-wide material: the roles decide.
    assert stored.document.opportunity_id == "" and all(subject != "ecn-1" for _, subject, _ in world.access.asked)
    assert (await world.versions.readable_version(REP, stored.version.version_id))[0].subject_type == "ecn"
    with pytest.raises(NotFound):
        await world.versions.readable_version(Caller("t-1", "p-1", "partner"), stored.version.version_id)


async def test_a_snapshot_is_made_once_per_version_opportunity_and_purpose(world: World) -> None:
    stored = await world.versions.upload(REP, header(), b"%PDF v1")
    vid = stored.version.version_id
    snap, existing = await world.snapshots.create(REP, vid, "opp-1", "shown_to_customer", "演示")
    again, existing_again = await world.snapshots.create(REP, vid, "opp-1", "shown_to_customer")
    assert (existing, existing_again, again) == (False, True, snap)
    assert (snap.version_number, snap.sha256, snap.created_by) == (1, stored.version.sha256, "rep-1")
    assert [e.purpose for e in world.uow.events("document.snapshot_created")] == ["shown_to_customer"]
    with pytest.raises(InvalidArgument):
        await world.snapshots.create(REP, vid, "opp-2", "shown_to_customer")
    with pytest.raises(PermissionDenied):
        await world.snapshots.create(READER, vid, "opp-1", "submitted_for_approval")
    page, token = await world.snapshots.list_for(READER, "opp-1")
    assert ([s.snapshot_id for s in page], token) == ([snap.snapshot_id], "")


async def test_a_tenant_starts_with_the_defaults_and_keeps_them_when_adding_its_own(world: World) -> None:
    assert await world.doc_types.list_types(REP) == DEFAULTS
    with pytest.raises(PermissionDenied):
        await world.doc_types.save_type(REP, "图纸", "图纸", False)
    saved, created = await world.doc_types.save_type(ADMIN, " 图纸 ", "设备图纸", False)
    assert (saved.code, created) == ("图纸", True)
    renamed, created = await world.doc_types.save_type(ADMIN, "技术方案", "技术方案书", True)
    assert (renamed, created) == (replace(DEFAULTS[1], name="技术方案书"), False)
    types = await world.doc_types.list_types(REP)
    assert [t.code for t in types] == [t.code for t in DEFAULTS] + ["图纸"]
    with pytest.raises(InvalidArgument):
        await world.doc_types.save_type(ADMIN, "", "", False)


async def test_a_contracts_documents_follow_its_opportunity(world: World) -> None:
    filed = header(subject_type="contract", subject_id="k-1", doc_type="合同", title="购销合同 V1")
    # The contract's opportunity decides before any row is read: an outsider is told "not found" for
    # a contract with no documents (or none matching a filter) as for one with some.
    assert (await world.versions.list_documents(READER, "contract", "k-1", "")) == ([], "")
    with pytest.raises(NotFound):
        await world.versions.list_documents(Caller("t-1", "rep-9", "rep"), "contract", "k-1", "")
    with pytest.raises(NotFound):  # another rep may not see the contract's opportunity
        await world.versions.upload(Caller("t-1", "rep-9", "rep"), filed, b"%PDF contract")
    # Naming an opportunity of one's own does not file it there: the contract's opportunity decides.
    with pytest.raises(NotFound):
        await world.versions.upload(Caller("t-1", "rep-9", "rep"), replace(filed, opportunity_id="opp-9"), b"%PDF")
    with pytest.raises(InvalidArgument) as wrong:  # the owner is told which field is wrong
        await world.versions.upload(REP, replace(filed, opportunity_id="opp-9"), b"%PDF contract")
    assert "opportunity_id" in str(wrong.value.violations)
    with pytest.raises(NotFound):  # no such contract
        await world.versions.upload(REP, replace(filed, subject_id="k-404"), b"%PDF contract")
    assert world.uow.published == []
    stored = await world.versions.upload(REP, replace(filed, opportunity_id=""), b"%PDF contract")
    assert (stored.document.subject_type, stored.document.opportunity_id) == ("contract", "opp-1")

    page, token = await world.versions.list_documents(READER, "contract", "k-1", "")
    assert ([s.document.document_id for s in page], token) == ([stored.document.document_id], "")
    with pytest.raises(NotFound):
        await world.versions.list_documents(Caller("t-1", "rep-9", "rep"), "contract", "k-1", "")
    with pytest.raises(NotFound):  # no such contract
        await world.versions.list_documents(READER, "contract", "k-404", "")


async def test_a_partner_files_and_reads_material_on_their_promotion_application_only(world: World) -> None:
    partner, other = (
        Caller("t-1", "zhaolei", "partner", "", "dist-hz"),
        Caller("t-1", "sunli", "partner", "", "dist-nb"),
    )
    world.access.allow(partner, "app-1")  # lead-routing's answer: the application is dist-hz's
    on_application = header(
        opportunity_id="",
        subject_type="promotion_application",
        subject_id="app-1",
        doc_type="促销申报材料",
        title="门店陈列照片",
    )
    stored = await world.versions.upload(partner, on_application, b"%PDF photos")
    assert (stored.document.subject_type, stored.document.subject_id) == ("promotion_application", "app-1")
    assert world.access.asked[-1] == ("zhaolei", "app-1", True)
    listed, _ = await world.versions.list_documents(partner, "promotion_application", "app-1", "")
    assert [d.document.document_id for d in listed] == [stored.document.document_id]
    # Another distributor's partner: neither the application's documents nor its versions exist for them.
    with pytest.raises(NotFound):
        await world.versions.list_documents(other, "promotion_application", "app-1", "")
    with pytest.raises(NotFound):
        await world.versions.readable_version(other, stored.version.version_id)
    with pytest.raises(NotFound):
        await world.versions.upload(other, on_application, b"%PDF mine")
    # Every other subject stays closed to partners, by role, before anything is looked up.
    with pytest.raises(PermissionDenied):
        await world.versions.list_documents(partner, "opportunity", "opp-1", "")
    with pytest.raises(PermissionDenied):
        await world.versions.upload(partner, header(), b"%PDF")
