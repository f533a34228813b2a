import base64
from typing import Annotated

from crm.document_versioning.v1 import document_versioning_pb2 as pb
from crm_shared.roles import DOCUMENT_READERS, DOCUMENT_UPLOADERS
from fastapi import APIRouter, Query, Response

from gateway.adapters.stubs import document_versioning
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import Base64, Reply, model_of, reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import UploadVersion
from gateway.problems import Problem

router = APIRouter(prefix="/v1")


@router.post(
    "/documents/versions",
    status_code=201,
    summary="Upload a new version (of a new or existing document)",
    description="201 with the new version; 200 with `unchanged: true` and the document's latest version when the "
    "content is the same as that version's (nothing new is stored).",
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
    try:
        content = base64.b64decode(body.content_base64, validate=True)
    except ValueError as exc:  # binascii.Error, or non-ASCII text
        raise Problem(
            400,
            "content_base64: is not valid base64",
            slug="invalid-argument",
            errors=[{"field": "content_base64", "description": "is not valid base64"}],
        ) from exc
    fields = body.model_dump(exclude={"content_base64"})
    answer = await rpc(document_versioning.UploadVersion, pb.UploadVersionRequest(**fields, content=content))
    if answer.get("unchanged"):
        response.status_code = 200
    return answer


@router.get(
    "/documents",
    summary="Documents of an opportunity",
    dependencies=[allow(DOCUMENT_READERS)],
    response_model=reply(document_versioning.ListDocuments),
)
async def list_documents(
    rpc: RpcDep,
    opportunity_id: Annotated[str, Query(max_length=64)] = "",
    doc_type: Annotated[str, Query(max_length=200)] = "",
) -> dict:
    request = pb.ListDocumentsRequest(opportunity_id=opportunity_id, doc_type=doc_type)
    return await rpc(document_versioning.ListDocuments, request)


# A document or version id is answered 404 to a role that may read none (the
# partner): whether the id exists is the service's to hide, not 403's to tell.
@router.get(
    "/documents/{document_id}/versions",
    summary="Every version of a document",
    response_model=reply(document_versioning.ListVersions),
)
async def list_versions(document_id: str, rpc: RpcDep) -> dict:
    return await rpc(document_versioning.ListVersions, pb.ListVersionsRequest(document_id=document_id))


class VersionWithContent(Reply):
    """GetVersionResponse with its content as `content_base64`, present only when asked for."""

    version: model_of(pb.DocumentVersion.DESCRIPTOR) | None  # type: ignore[valid-type]
    content_base64: Base64 | None = None


@router.get(
    "/document-versions/{version_id}",
    summary="One version; its content (base64) on request",
    response_model=VersionWithContent,
    response_model_exclude_unset=True,
)
async def get_version(version_id: str, rpc: RpcDep, include_content: bool = False) -> dict:
    request = pb.GetVersionRequest(version_id=version_id, include_content=include_content)
    answer = await rpc(document_versioning.GetVersion, request)
    content = answer.pop("content", "")
    return answer | ({"content_base64": content} if include_content else {})
