"""Documents on subjects, their immutable versions with structured fields,
snapshots bound to an opportunity, and the tenant's document types
(document-versioning's DocumentVersioningService). Shape only here: every
rule (types, sums, access by subject) is the service's."""

import base64
from typing import Annotated, Literal

from crm.document_versioning.v1 import document_versioning_pb2 as pb
from crm_shared.limits import MAX_ID
from crm_shared.money import MAX_AMOUNT_MINOR
from crm_shared.paging import DEFAULT_PAGE_SIZE
from crm_shared.roles import (
    DOCUMENT_READERS,
    DOCUMENT_SNAPSHOTTERS,
    DOCUMENT_TYPE_EDITORS,
    DOCUMENT_TYPE_READERS,
    DOCUMENT_UPLOADERS,
)
from fastapi import APIRouter, Path, Query, Response
from pydantic import Field, StrictInt

from gateway.adapters.stubs import document_versioning
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import Base64, Reply, model_of, reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Id, PageSize, PageToken, Text
from gateway.problems import Problem

router = APIRouter(prefix="/v1")

SUBJECTS = Literal["opportunity", "customer", "contract", "ecn", "knowledge", "promotion_application"]
PURPOSES = Literal["submitted_for_approval", "shown_to_customer"]
PathId = Annotated[str, Path(max_length=MAX_ID)]
Amount = Annotated[StrictInt, Field(ge=0, le=MAX_AMOUNT_MINOR)]
Days = Annotated[StrictInt, Field(ge=0, le=3650)]


class InstalmentBody(Body):
    name: Text
    trigger: Annotated[str, Field(max_length=40, description="advance, on_delivery, on_acceptance or retention")]
    days: Days = 0
    percent_bp: (
        Annotated[StrictInt, Field(ge=0, le=10_000, description="share in basis points, 10000 = 100%")] | None
    ) = None
    amount_minor: Amount | None = None


class EquipmentRowBody(Body):
    model: Text
    description: Annotated[str, Field(max_length=1000)] = ""
    quantity: Annotated[StrictInt, Field(ge=1, le=1_000_000)]
    unit_price_minor: Amount


class VersionFieldsBody(Body):
    """Structured fields (amounts in 分); the service checks that they add up."""

    currency: Annotated[str, Field(max_length=3)] = "CNY"
    total_minor: Amount | None = None
    instalments: list[InstalmentBody] = Field(default_factory=list, max_length=20)
    delivery_lead_time_days: Days | None = None
    warranty_months: Annotated[StrictInt, Field(ge=0, le=240)] | None = None
    equipment: list[EquipmentRowBody] = Field(default_factory=list, max_length=1000)


class UploadVersion(Body):
    # Empty: a new document on (subject_type, subject_id) — or, as before subjects, on opportunity_id —
    # which needs doc_type (a tenant document type's code) and title. A new version of a document
    # leaves the filing fields empty (or repeats them).
    document_id: Id = ""
    subject_type: Literal["", "opportunity", "customer", "contract", "ecn", "knowledge", "promotion_application"] = ""
    subject_id: Id = ""
    opportunity_id: Id = ""
    doc_type: Text = ""
    title: Text = ""
    filename: Annotated[str, Field(max_length=255)]
    content_type: Annotated[str, Field(max_length=255)] = ""
    change_summary: Annotated[str, Field(max_length=2000)] = ""
    # None: extracted from an XLSX/DOCX in the recognised template, or none.
    fields: VersionFieldsBody | None = None
    content_base64: str


class CreateSnapshot(Body):
    opportunity_id: Id
    purpose: PURPOSES
    note: Annotated[str, Field(max_length=1000)] = ""


def decoded_content(content_base64: str) -> bytes:
    """A body's `content_base64` as bytes; 400 naming the field when it is not base64."""
    try:
        return base64.b64decode(content_base64, validate=True)
    except ValueError as exc:  # binascii.Error, or non-ASCII text
        raise Problem(
            400,
            "content_base64: is not valid base64",
            slug="invalid-argument",
            errors=[{"field": "content_base64", "description": "is not valid base64"}],
        ) from exc


class SaveDocumentType(Body):
    name: Text
    carries_fields: bool = False


@router.post(
    "/documents/versions",
    status_code=201,
    summary="Upload a new version (of a new or existing document), small files as base64",
    description="201 with the new version; 200 with `unchanged: true` and the document's latest version when the "
    "content (and fields) are the same as that version's (nothing new is stored).",
    dependencies=[allow(DOCUMENT_UPLOADERS)],
    response_model=reply(document_versioning.UploadVersion),
    responses={
        200: {
            "description": "Unchanged: the document's latest version",
            "model": reply(document_versioning.UploadVersion),
        }
    },
)
async def upload_version(body: UploadVersion, rpc: RpcDep, response: Response) -> dict:
    content = decoded_content(body.content_base64)
    fields = body.model_dump(exclude={"content_base64", "fields"})
    fields_json = body.fields.model_dump_json(exclude_none=True) if body.fields is not None else ""
    request = pb.UploadVersionRequest(**fields, fields_json=fields_json, content=content)
    answer = await rpc(document_versioning.UploadVersion, request)
    if answer.get("unchanged"):
        response.status_code = 200
    return answer


@router.get(
    "/documents",
    summary="Documents of a subject (opportunity_id alone: an opportunity's), oldest first",
    dependencies=[allow(DOCUMENT_READERS)],
    response_model=reply(document_versioning.ListDocuments),
)
async def list_documents(
    rpc: RpcDep,
    subject_type: Annotated[
        Literal["", "opportunity", "customer", "contract", "ecn", "knowledge", "promotion_application"], Query()
    ] = "",
    subject_id: Annotated[str, Query(max_length=MAX_ID)] = "",
    opportunity_id: Annotated[str, Query(max_length=MAX_ID)] = "",
    doc_type: Annotated[str, Query(max_length=200)] = "",
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    page_token: PageToken = "",
) -> dict:
    request = pb.ListDocumentsRequest(
        subject_type=subject_type,
        subject_id=subject_id,
        opportunity_id=opportunity_id,
        doc_type=doc_type,
        page_size=page_size,
        page_token=page_token,
    )
    return await rpc(document_versioning.ListDocuments, request)


# A document or version id is answered 404 to a role that may read none (the
# partner): whether the id exists is the service's to hide, not 403's to tell.
@router.get(
    "/documents/{document_id}/versions",
    summary="A document's versions, by number",
    response_model=reply(document_versioning.ListVersions),
)
async def list_versions(
    document_id: PathId, rpc: RpcDep, page_size: PageSize = DEFAULT_PAGE_SIZE, page_token: PageToken = ""
) -> dict:
    request = pb.ListVersionsRequest(document_id=document_id, page_size=page_size, page_token=page_token)
    return await rpc(document_versioning.ListVersions, request)


class VersionWithContent(Reply):
    """GetVersionResponse with its content as `content_base64`, present only when asked for."""

    version: model_of(pb.DocumentVersion.DESCRIPTOR) | None  # type: ignore[valid-type]
    content_base64: Base64 | None = None


@router.get(
    "/document-versions/{version_id}",
    summary="One version with its structured fields; its content (base64, up to 20 MiB) on request",
    response_model=VersionWithContent,
    response_model_exclude_unset=True,
)
async def get_version(version_id: PathId, rpc: RpcDep, include_content: bool = False) -> dict:
    request = pb.GetVersionRequest(version_id=version_id, include_content=include_content)
    answer = await rpc(document_versioning.GetVersion, request)
    content = answer.pop("content", "")
    return answer | ({"content_base64": content} if include_content else {})


@router.post(
    "/document-versions/{version_id}/snapshots",
    status_code=201,
    summary="Freeze a version for an opportunity: submitted for approval, or shown to the customer",
    description="201 with the snapshot; 200 with `existing: true` when this version was already frozen for the "
    "opportunity and purpose.",
    dependencies=[allow(DOCUMENT_SNAPSHOTTERS)],
    response_model=reply(document_versioning.CreateSnapshot),
    responses={200: {"description": "Already frozen", "model": reply(document_versioning.CreateSnapshot)}},
)
async def create_snapshot(version_id: PathId, body: CreateSnapshot, rpc: RpcDep, response: Response) -> dict:
    request = pb.CreateSnapshotRequest(version_id=version_id, **body.model_dump())
    answer = await rpc(document_versioning.CreateSnapshot, request)
    if answer.get("existing"):
        response.status_code = 200
    return answer


@router.get(
    "/opportunities/{opportunity_id}/document-snapshots",
    summary="Versions frozen for an opportunity, newest first",
    dependencies=[allow(DOCUMENT_READERS)],
    response_model=reply(document_versioning.ListSnapshots),
)
async def list_snapshots(
    opportunity_id: PathId,
    rpc: RpcDep,
    purpose: Annotated[Literal["", "submitted_for_approval", "shown_to_customer"], Query()] = "",
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    page_token: PageToken = "",
) -> dict:
    request = pb.ListSnapshotsRequest(
        opportunity_id=opportunity_id, purpose=purpose, page_size=page_size, page_token=page_token
    )
    return await rpc(document_versioning.ListSnapshots, request)


@router.get(
    "/document-types",
    summary="The tenant's document types (the seeded defaults until an admin saves one)",
    dependencies=[allow(DOCUMENT_TYPE_READERS)],
    response_model=reply(document_versioning.ListDocumentTypes),
)
async def list_document_types(rpc: RpcDep) -> dict:
    return await rpc(document_versioning.ListDocumentTypes, pb.ListDocumentTypesRequest())


@router.put(
    "/document-types/{code}",
    summary="Add a document type, or rename one (types are never removed: documents name them)",
    description="201 when the type is new, 200 when an existing one was saved.",
    dependencies=[allow(DOCUMENT_TYPE_EDITORS)],
    response_model=reply(document_versioning.SaveDocumentType),
    responses={201: {"description": "Added", "model": reply(document_versioning.SaveDocumentType)}},
)
async def save_document_type(
    code: Annotated[str, Path(max_length=100)], body: SaveDocumentType, rpc: RpcDep, response: Response
) -> dict:
    request = pb.SaveDocumentTypeRequest(code=code, name=body.name, carries_fields=body.carries_fields)
    answer = await rpc(document_versioning.SaveDocumentType, request)
    response.status_code = 201 if answer.get("created") else 200
    return answer
