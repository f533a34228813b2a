"""Document content, streamed both ways (DocumentContentService).

Upload: POST /v1/documents/uploads with the file itself as the raw request
body (its Content-Type is the version's) and the version's metadata in the
query (filename, doc_type, subject…; structured fields as `fields_json`, up
to 8 KiB — larger lists come from the file's own XLSX/DOCX template). The
body is relayed as a gRPC client stream while it arrives, in chunks of at
most 1 MiB: the gateway never holds it whole, its body limit does not apply
(middleware.STREAMED_BODY_PATHS), and the service enforces its per-tenant
and per-type limits (413 naming the limit, nothing stored). Raw body rather
than multipart: a client sends the file as is, and nothing has to be parsed
on the way.

Download: GET /v1/document-versions/{version_id}/content streams the bytes
with the version's Content-Type, Content-Disposition (its filename, RFC 5987
for Chinese names), ETag "<sha256>" (If-None-Match → 304) and single byte
ranges (206 with Content-Range; 416 when the range starts past the end)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import quote

from crm.document_versioning.v1 import content_pb2 as pb
from crm.document_versioning.v1 import document_versioning_pb2 as versioning_pb
from crm_shared.context import Caller
from crm_shared.roles import DOCUMENT_CONTENT_UPLOADERS, DOCUMENT_READERS
from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import StreamingResponse

from gateway.adapters.backends import Backends, to_json
from gateway.adapters.stubs import document_content
from gateway.entrypoints.deps import current_caller
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.problems import PROBLEM_CONTENT, Problem

router = APIRouter(prefix="/v1")

CHUNK_BYTES = 1024 * 1024  # the service's largest chunk
MAX_FIELDS_JSON = 8 * 1024
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
_BEYOND = 2**62
# Bytes, documented as octet-stream; a version's answer carries its own content type (application/pdf, …).
ANY_BYTES = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


def _backends(request: Request) -> Backends:
    return request.app.state.backends


async def _relay(request: Request, header: versioning_pb.UploadVersionRequest) -> AsyncIterator[pb.UploadContentRequest]:
    """The header, then the body as it arrives, re-cut into chunks of at most 1 MiB."""
    yield pb.UploadContentRequest(header=header)
    pending = bytearray()
    async for part in request.stream():
        pending += part
        while len(pending) >= CHUNK_BYTES:
            yield pb.UploadContentRequest(chunk=bytes(pending[:CHUNK_BYTES]))
            del pending[:CHUNK_BYTES]
    if pending:
        yield pb.UploadContentRequest(chunk=bytes(pending))


@router.post(
    "/documents/uploads",
    status_code=201,
    summary="Upload a version's content, streamed (a new or an existing document)",
    description="The raw request body is the file (its Content-Type is the version's); the metadata is in the query. "
    "201 with the new version; 200 with `unchanged: true` and the latest version when the content is that "
    "version's. 413 past the tenant's limit for the document type (nothing is stored).",
    dependencies=[allow(DOCUMENT_CONTENT_UPLOADERS)],
    response_model=reply(document_content.UploadContent),
    responses={
        200: {"description": "Unchanged: the document's latest version", "model": reply(document_content.UploadContent)},
        413: {"description": "The content is larger than the tenant's limit for its document type", "content": PROBLEM_CONTENT},
        415: {"description": "A multipart form instead of the file itself", "content": PROBLEM_CONTENT},
    },
    openapi_extra={"requestBody": {"required": True, "content": ANY_BYTES}},
)
async def upload_content(
    request: Request,
    response: Response,
    caller: Annotated[Caller, Depends(current_caller)],
    filename: Annotated[str, Query(min_length=1, max_length=255)],
    document_id: Annotated[str, Query(max_length=64)] = "",
    subject_type: Annotated[str, Query(max_length=20)] = "",
    subject_id: Annotated[str, Query(max_length=64)] = "",
    opportunity_id: Annotated[str, Query(max_length=64)] = "",
    doc_type: Annotated[str, Query(max_length=100)] = "",
    title: Annotated[str, Query(max_length=200)] = "",
    change_summary: Annotated[str, Query(max_length=2000)] = "",
    fields_json: Annotated[str, Query(max_length=MAX_FIELDS_JSON)] = "",
    content_type: Annotated[str, Header(max_length=255)] = "application/octet-stream",
) -> dict:
    if content_type.strip().lower().startswith("multipart/"):
        # A browser form's body is not the file: refused rather than stored as a version.
        raise Problem(415, "content-type: send the file itself as the request body, not a multipart form",
                      errors=[{"field": "content-type", "description": "must be the file's type, not multipart"}])
    header = versioning_pb.UploadVersionRequest(
        document_id=document_id,
        subject_type=subject_type,
        subject_id=subject_id,
        opportunity_id=opportunity_id,
        doc_type=doc_type,
        title=title,
        filename=filename,
        content_type=content_type.strip(),
        change_summary=change_summary,
        fields_json=fields_json,
    )
    answer = to_json(
        await _backends(request).upload(
            document_content.UploadContent, _relay(request, header), caller
        )
    )
    if answer.get("unchanged"):
        response.status_code = 200
    return answer


def _requested_range(value: str) -> tuple[int, int | None, int | None] | None:
    """(offset, length, suffix_length) of a single `bytes=` range; None for
    no range, several or a malformed one (served whole, as RFC 9110 allows)."""
    match = _RANGE.fullmatch(value.strip())
    if not match:
        return None
    # Positions past any content (and past int64) mean "beyond the end": capped, never overflowing.
    first, last = (min(int(n), _BEYOND) if n else None for n in match.groups())
    if first is None and last is None:
        return None
    if first is None:
        return 0, None, last
    if last is None:
        return first, None, None
    if last < first:
        return None
    return first, last - first + 1, None


def _content_disposition(filename: str) -> str:
    """attachment; an ASCII fallback name and the real one per RFC 5987 (技术方案V3.pdf)."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in filename) or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@router.get(
    "/document-versions/{version_id}/content",
    summary="A version's content, streamed (ETag, If-None-Match, byte ranges)",
    description="The bytes with the version's Content-Type and filename. `ETag` is the sha256 in quotes; "
    "`If-None-Match` with it answers 304. One `Range: bytes=…` answers 206 with Content-Range, or 416 when it "
    "starts past the end; several ranges are served whole (200).",
    dependencies=[allow(DOCUMENT_READERS)],
    response_class=StreamingResponse,
    responses={
        200: {"description": "The content, with the version's own Content-Type", "content": ANY_BYTES},
        206: {"description": "The range asked for", "content": ANY_BYTES},
        304: {"description": "Not modified: If-None-Match named this content"},
        416: {"description": "The range starts past the end of the content", "content": PROBLEM_CONTENT},
    },
)
async def download_content(
    version_id: Annotated[str, Path(max_length=64)],
    request: Request,
    caller: Annotated[Caller, Depends(current_caller)],
    range_: Annotated[str, Header(alias="range", max_length=200)] = "",
    if_none_match: Annotated[str, Header(max_length=1000)] = "",
) -> Response:
    asked = _requested_range(range_) if range_ else None
    ask = pb.ReadContentRequest(version_id=version_id, if_none_match=if_none_match)
    if asked is not None:
        offset, length, suffix = asked
        ask.offset = offset
        if length is not None:
            ask.length = length
        if suffix is not None:
            ask.suffix_length = suffix
    stream = await _backends(request).download(document_content.ReadContent, ask, caller)
    header = stream.first.header
    version = header.version
    headers = {"ETag": f'"{version.sha256}"', "Accept-Ranges": "bytes", "Cache-Control": "private, no-cache"}
    if header.not_modified:
        stream.cancel()
        return Response(status_code=304, headers=headers)
    if header.range_unsatisfiable:
        stream.cancel()
        problem = Problem(416, f"range: starts past the end of the content ({version.size_bytes} bytes)",
                          slug="range-not-satisfiable")
        response = problem.response()
        response.headers.update(headers | {"Content-Range": f"bytes */{version.size_bytes}"})
        return response
    headers |= {"Content-Disposition": _content_disposition(version.filename), "Content-Length": str(header.length)}
    status = 200
    if asked is not None:
        status = 206
        headers["Content-Range"] = f"bytes {header.offset}-{header.offset + header.length - 1}/{version.size_bytes}"

    async def body() -> AsyncIterator[bytes]:
        async for message in stream.rest():
            yield message.chunk

    return StreamingResponse(body(), status_code=status, headers=headers,
                             media_type=version.content_type or "application/octet-stream")
