"""Document types are tenant data: a code (what documents and stage gates
name), a display name, and whether its versions carry structured fields.
A tenant with none has the seeded defaults; its first own type keeps them."""

from __future__ import annotations

from dataclasses import dataclass

from crm_shared.domain.errors import InvalidArgument, Validator
from crm_shared.roles import DOCUMENT_TYPE_EDITORS, DOCUMENT_TYPE_READERS

from document_versioning.domain.fields import VersionFields, validate_fields

EDITORS = DOCUMENT_TYPE_EDITORS
READERS = DOCUMENT_TYPE_READERS
MAX_TYPES = 200
MAX_CODE = 100
MAX_NAME = 200


@dataclass(frozen=True)
class DocumentType:
    code: str
    name: str
    carries_fields: bool = False
    seeded: bool = False


# The stage gates (opportunity's pipelines) name these codes.
DEFAULTS: tuple[DocumentType, ...] = tuple(
    DocumentType(code, code, carries, seeded=True)
    for code, carries in (
        ("客户需求分析文档", False),
        ("技术方案", True),
        ("报价单", True),
        ("技术协议", True),
        ("合同", True),
        ("客户需求确认书", False),
        ("ECN", False),
        ("知识库", False),
        # A distributor's material for its promotion application (the partner portal's one document type).
        ("促销申报材料", False),
    )
)


def validate_type(code: str, name: str) -> DocumentType:
    v = Validator()
    v.require("code", code)
    v.require("name", name)
    if len(code.strip()) > MAX_CODE:
        v.add("code", f"is longer than {MAX_CODE} characters")
    if len(name.strip()) > MAX_NAME:
        v.add("name", f"is longer than {MAX_NAME} characters")
    v.check()
    return DocumentType(code.strip(), name.strip())


def check_known(doc_type: str, types: tuple[DocumentType, ...]) -> DocumentType:
    """The tenant's type named by a new document (field error naming doc_type otherwise)."""
    for t in types:
        if t.code == doc_type:
            return t
    v = Validator()
    codes = ", ".join(t.code for t in types[:20])
    v.add("doc_type", f"is not one of the tenant's document types ({codes}{', …' if len(types) > 20 else ''})")
    v.check()
    raise AssertionError  # unreachable


def type_of(code: str, types: tuple[DocumentType, ...]) -> DocumentType:
    """An existing document's type: the tenant's, or, when the tenant no longer lists it, one
    of that code that carries no fields."""
    return next((t for t in types if t.code == code), DocumentType(code, ""))


def check_given_fields(doc_type: DocumentType, fields: VersionFields | None) -> None:
    """Fields an uploader gives: only on a type that carries them, and valid."""
    if fields is None:
        return
    if not doc_type.carries_fields:
        raise InvalidArgument.field("fields", f"document type {doc_type.code} carries no structured fields")
    validate_fields(fields)


def check_room(count: int) -> None:
    if count >= MAX_TYPES:
        v = Validator()
        v.add("code", f"the tenant already has {MAX_TYPES} document types")
        v.check()
