"""gRPC servicer of DocumentContentService: translates the streams to
handler calls (service_layer/uploads.py) and back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc
from crm.document_versioning.v1 import content_pb2 as pb
from crm.document_versioning.v1 import content_pb2_grpc as pb_grpc
from crm_shared.domain.errors import DomainError, InvalidArgument
from crm_shared.grpc_server import current_caller

from document_versioning.domain.blob import CHUNK_BYTES
from document_versioning.entrypoints.document_versioning_servicer import header_from, version_message
from document_versioning.service_layer.uploads import ContentHandlers


async def _chunks(requests: AsyncIterator[pb.UploadContentRequest]) -> AsyncIterator[bytes]:
    async for request in requests:
        if request.WhichOneof("part") != "chunk":
            raise InvalidArgument.field("header", "comes once, in the first message; the others carry chunks")
        if len(request.chunk) > CHUNK_BYTES:
            raise InvalidArgument.field("chunk", f"is larger than {CHUNK_BYTES // 1024} KiB")
        yield request.chunk


# A refusal answered while the client is still sending can reach it as the stream's
# reset (INTERNAL) instead of the refusal: what is left of a small upload is read first.
DRAIN_BYTES = 4 * CHUNK_BYTES
DRAIN_S = 2.0


async def _drain(requests: AsyncIterator[pb.UploadContentRequest]) -> None:
    async def read() -> None:
        taken = 0
        async for request in requests:
            taken += request.ByteSize()
            if taken > DRAIN_BYTES:
                return

    try:
        await asyncio.wait_for(read(), DRAIN_S)
    except Exception:  # noqa: BLE001 - the refusal is what the client hears, whatever the rest of the stream does
        return


def _entity_tags(if_none_match: str) -> frozenset[str]:
    """The tags of an If-None-Match list (`"a", W/"b"` → {a, b}; `*` stays)."""
    return frozenset(t.strip().removeprefix("W/").strip('"') for t in if_none_match.split(",") if t.strip())


class DocumentContentServicer(pb_grpc.DocumentContentServiceServicer):
    def __init__(self, handlers: ContentHandlers) -> None:
        self.handlers = handlers

    async def UploadContent(
        self, request_iterator: AsyncIterator[pb.UploadContentRequest], context: grpc.aio.ServicerContext
    ) -> pb.UploadContentResponse:
        try:
            first = await anext(aiter(request_iterator), None)
            if first is None or first.WhichOneof("part") != "header":
                raise InvalidArgument.field("header", "must come first")
            if first.header.content:
                raise InvalidArgument.field("header.content", "must be empty: the content follows in chunks")
            stored = await self.handlers.upload(current_caller(), header_from(first.header), _chunks(request_iterator))
        except DomainError:
            await _drain(request_iterator)
            raise
        return pb.UploadContentResponse(
            version=version_message(stored.document, stored.version), unchanged=stored.unchanged
        )

    async def ReadContent(
        self, request: pb.ReadContentRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[pb.ReadContentResponse]:
        reading = await self.handlers.read(
            current_caller(),
            request.version_id,
            offset=request.offset,
            length=request.length if request.HasField("length") else None,
            suffix_length=request.suffix_length if request.HasField("suffix_length") else None,
            if_none_match=_entity_tags(request.if_none_match),
        )
        served = reading.range
        yield pb.ReadContentResponse(
            header=pb.ContentHeader(
                version=version_message(reading.document, reading.version),
                offset=served.start if served else 0,
                length=served.length if served else 0,
                not_modified=reading.not_modified,
                range_unsatisfiable=served is None,
            )
        )
        if reading.chunks is not None:
            async for chunk in reading.chunks:
                yield pb.ReadContentResponse(chunk=chunk)
