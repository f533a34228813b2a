"""Version headers, numbering, parents and immutability, and the one access
rule of documents, without I/O."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from crm_shared.domain.errors import InvalidArgument
from document_versioning.domain.access import ANY_WRITER, checked_subject, governing
from document_versioning.domain.document import (
    MAX_CONTENT_BYTES,
    VersionHeader,
    check_same_document,
    missing_document,
    new_document,
    next_version,
    normalise,
    rule_of,
    same_as_latest,
    validate_header,
)
from document_versioning.domain.document_type import DEFAULTS, DocumentType, check_given_fields, check_known, type_of
from document_versioning.domain.fields import VersionFields

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
HEADER = VersionHeader(
    subject_type="opportunity",
    subject_id="opp-1",
    doc_type="客户需求分析文档",
    title="绍兴柯桥 需求分析",
    filename="需求分析 v1.docx",
)


def fields(err: pytest.ExceptionInfo[InvalidArgument]) -> set[str]:
    return {v.field for v in err.value.violations}


def test_a_new_document_needs_a_subject_a_type_a_title_and_bytes() -> None:
    with pytest.raises(InvalidArgument) as err:
        validate_header(normalise(VersionHeader()), b"")
    assert fields(err) == {"opportunity_id", "doc_type", "title", "filename", "content"}
    with pytest.raises(InvalidArgument) as err:
        validate_header(normalise(replace(HEADER, subject_type="invoice")), b"x")
    assert fields(err) == {"subject_type"}
    # A contract's document need not name its opportunity: the contract's own decides (the handler asks).
    validate_header(normalise(replace(HEADER, subject_type="contract", subject_id="c-1")), b"x")
    with pytest.raises(InvalidArgument) as err:
        validate_header(normalise(replace(HEADER, change_summary="改" * 2001)), b"x" * (MAX_CONTENT_BYTES + 1))
    assert fields(err) == {"change_summary", "content"}
    validate_header(normalise(HEADER), b"x")


def test_only_an_opportunity_id_means_a_document_on_that_opportunity() -> None:
    header = normalise(VersionHeader(opportunity_id=" opp-1 ", doc_type="技术方案", title="方案", filename="a.pdf"))
    assert (header.subject_type, header.subject_id, header.opportunity_id) == ("opportunity", "opp-1", "opp-1")
    assert normalise(HEADER).opportunity_id == "opp-1"


def test_a_new_version_cannot_refile_its_document() -> None:
    document = new_document(document_id="d-1", tenant_id="t", created_by="rep-1", now=NOW, header=normalise(HEADER))
    check_same_document(document, VersionHeader(document_id="d-1", filename="v2.docx"))
    with pytest.raises(InvalidArgument) as err:
        check_same_document(document, VersionHeader(document_id="d-1", subject_id="opp-2", doc_type="合同"))
    assert fields(err) == {"subject_id", "doc_type"}


def test_versions_number_without_gaps_and_name_their_parent() -> None:
    document = new_document(document_id="d-1", tenant_id="t", created_by="rep-1", now=NOW, header=normalise(HEADER))
    first = next_version(
        document, None, version_id="v-1", created_by="rep-1", now=NOW, header=HEADER, sha256="a" * 64, size_bytes=3
    )
    second = next_version(
        document,
        first,
        version_id="v-2",
        created_by="mgr-1",
        now=NOW,
        header=replace(HEADER, change_summary=" 价格调整 "),
        sha256="b" * 64,
        size_bytes=4,
    )
    assert (first.version_number, first.parent_version_id) == (1, "")
    assert (second.version_number, second.parent_version_id, second.change_summary) == (2, "v-1", "价格调整")
    assert first.content_type == "application/octet-stream"
    with pytest.raises(AttributeError):
        first.version_number = 3  # type: ignore[misc]  # frozen: a version never changes


def test_the_same_bytes_and_fields_make_no_new_version() -> None:
    document = new_document(document_id="d-1", tenant_id="t", created_by="rep-1", now=NOW, header=normalise(HEADER))
    priced = VersionFields(total_minor=100)
    latest = next_version(
        document,
        None,
        version_id="v-1",
        created_by="r",
        now=NOW,
        header=replace(HEADER, fields=priced),
        sha256="a" * 64,
        size_bytes=3,
    )
    assert same_as_latest(latest, "a" * 64, None) and same_as_latest(latest, "a" * 64, priced)
    assert not same_as_latest(latest, "a" * 64, VersionFields(total_minor=200))
    assert not same_as_latest(latest, "b" * 64, None) and not same_as_latest(None, "a" * 64, None)


def test_which_subject_decides_a_documents_access() -> None:
    on_opportunity = governing("opportunity", "opp-1", "opp-1")
    assert (on_opportunity.subject_type, on_opportunity.subject_id) == ("opportunity", "opp-1")
    assert (governing("customer", "c-1", "").subject_type, governing("customer", "c-1", "").subject_id) == (
        "customer",
        "c-1",
    )
    # A contract follows its opportunity.
    contract = governing("contract", "k-1", "opp-7")
    assert (contract.subject_type, contract.subject_id) == ("opportunity", "opp-7")
    # ECNs and the knowledge base are tenant-wide: no subject is asked, roles decide.
    for tenant_wide in ("ecn", "knowledge"):
        rule = governing(tenant_wide, "x", "")
        assert not rule.asks_opportunity
        assert all(rule.may_read_role(r) for r in ("rep", "manager", "finance", "reviewer", "admin"))
        assert not rule.may_write_role("rep")
    for rule in (on_opportunity, contract, governing("ecn", "e", ""), governing("knowledge", "k", "")):
        assert not rule.may_read_role("partner") and not rule.may_write_role("partner")
    assert on_opportunity.may_write_role("rep") and not on_opportunity.may_write_role("finance")
    assert governing("ecn", "e", "").may_write_role("reviewer")
    assert governing("knowledge", "k", "").may_write_role("manager")


def test_a_new_documents_type_is_one_of_the_tenants() -> None:
    assert check_known("技术方案", DEFAULTS).carries_fields
    with pytest.raises(InvalidArgument) as err:
        check_known("proposal", DEFAULTS)
    assert fields(err) == {"doc_type"}


def test_a_documents_rule_is_its_subjects() -> None:
    document = new_document(document_id="d-1", tenant_id="t", created_by="u", now=NOW, header=HEADER)
    assert rule_of(document) == governing("opportunity", "opp-1", document.opportunity_id)
    assert missing_document("d-1") == "document d-1 not found"
    # A role that may write some document: the uploaders, ECN publishers, knowledge taggers, and partners (on
    # their promotion applications only).
    assert {"rep", "reviewer", "manager", "system", "partner"} <= set(ANY_WRITER)


def test_partners_read_and_write_documents_of_promotion_applications_only() -> None:
    application = governing("promotion_application", "app-1", "")
    # lead-routing is asked about the application itself (which distributor's it is).
    assert (application.subject_type, application.subject_id) == ("promotion_application", "app-1")
    assert application.may_read_role("partner") and application.may_write_role("partner")
    assert application.may_read_role("manager") and not application.may_write_role("finance")
    for subject in ("opportunity", "customer", "contract", "ecn", "knowledge"):
        rule = governing(subject, "x-1", "opp-1")
        assert not rule.may_read_role("partner") and not rule.may_write_role("partner"), subject


def test_a_listing_names_a_known_subject() -> None:
    assert checked_subject(" contract ", " k-1 ") == ("contract", "k-1")
    with pytest.raises(InvalidArgument) as err:
        checked_subject("invoice", " ")
    assert fields(err) == {"subject_type", "subject_id"}


def test_given_fields_only_on_a_type_that_carries_them() -> None:
    check_given_fields(DocumentType("客户需求分析文档", ""), None)
    check_given_fields(check_known("报价单", DEFAULTS), VersionFields(total_minor=100))
    with pytest.raises(InvalidArgument) as err:
        check_given_fields(check_known("客户需求分析文档", DEFAULTS), VersionFields(total_minor=100))
    assert fields(err) == {"fields"}
    # An existing document's type the tenant no longer lists stands, carrying no fields.
    assert type_of("报价单", DEFAULTS).carries_fields
    assert type_of("旧类型", DEFAULTS) == DocumentType("旧类型", "")
