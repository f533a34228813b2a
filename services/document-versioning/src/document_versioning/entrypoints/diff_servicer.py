"""gRPC servicer of DocumentDiffService: translates the request to the
diff handler and the diff to messages."""

from __future__ import annotations

import grpc
from crm.document_versioning.v1 import diff_pb2 as pb
from crm.document_versioning.v1 import diff_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from document_versioning.service_layer.diffs import DiffHandlers, Side, VersionDiff


def _side(side: Side) -> pb.DiffSide:
    v, t = side.version, side.text
    return pb.DiffSide(
        version_id=v.version_id,
        version_number=v.version_number,
        filename=v.filename,
        content_type=v.content_type,
        scanned=t.scanned,
        pages=t.pages,
        truncated=t.truncated,
        note=t.note,
        created_by=v.created_by,
        created_at=timestamp(v.created_at),
        change_summary=v.change_summary,
    )


def diff_message(diff: VersionDiff) -> pb.DiffVersionsResponse:
    return pb.DiffVersionsResponse(
        document_id=diff.document_id,
        from_version=_side(diff.older),
        to_version=_side(diff.newer),
        segments=[pb.TextSegment(op=s.op, text=s.text) for s in diff.text.segments],
        changes=[
            pb.TextChange(
                before=c.before,
                after=c.after,
                context_before=c.context_before,
                context_after=c.context_after,
                from_offset=c.from_offset,
                to_offset=c.to_offset,
                summary=c.summary,
            )
            for c in diff.text.changes
        ],
        field_changes=[
            pb.FieldChange(
                field=f.field,
                change=f.change,
                key=f.key,
                attribute=f.attribute,
                before=f.before,
                after=f.after,
                path=f.path,
            )
            for f in diff.fields
        ],
        text_complete=diff.text.complete and not diff.older.text.truncated and not diff.newer.text.truncated,
        html=diff.html,
    )


class DiffServicer(pb_grpc.DocumentDiffServiceServicer):
    def __init__(self, handlers: DiffHandlers) -> None:
        self.handlers = handlers

    async def DiffVersions(
        self, request: pb.DiffVersionsRequest, context: grpc.aio.ServicerContext
    ) -> pb.DiffVersionsResponse:
        diff = await self.handlers.diff(
            current_caller(), request.document_id, request.from_version_id, request.to_version_id, request.include_html
        )
        return diff_message(diff)
