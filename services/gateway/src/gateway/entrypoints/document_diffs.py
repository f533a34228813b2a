"""What changed between two versions of a document: the text diff and the
field diff as data (for the web and mobile apps to highlight), or as an HTML
page (?format=html). document-versioning decides who may read the versions;
a version the caller may not read is not found."""

from __future__ import annotations

import html
from typing import Annotated, Literal

from crm.document_versioning.v1 import diff_pb2 as pb
from crm_shared.limits import MAX_ID
from crm_shared.roles import DOCUMENT_READERS
from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse

from gateway.adapters.stubs import document_diff
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow

router = APIRouter(prefix="/v1")

# The page around the service's highlighted text (<ins>/<del>, already escaped).
_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;white-space:normal;line-height:1.6}}
ins{{background:#d8f5d0;text-decoration:none}}del{{background:#fadcdc}}</style></head>
<body><h1>{title}</h1>{notes}{body}</body></html>
"""


@router.get(
    "/documents/{document_id}/diff",
    summary="What changed between two versions of a document (text and fields)",
    description="`from` and `to` are version ids of the document. The answer has the text diff as segments "
    "(equal / insert / delete) and as changes with context, the field diff (price, terms, equipment rows) and "
    "whether either version is a scan without text. `format=html` answers an HTML page of the highlighted text.",
    dependencies=[allow(DOCUMENT_READERS)],
    response_model=reply(document_diff.DiffVersions),
    responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}},
)
async def diff_versions(
    document_id: Annotated[str, Path(max_length=MAX_ID)],
    rpc: RpcDep,
    from_version: Annotated[str, Query(alias="from", min_length=1, max_length=MAX_ID)],
    to_version: Annotated[str, Query(alias="to", min_length=1, max_length=MAX_ID)],
    format: Literal["json", "html"] = "json",
) -> object:
    request = pb.DiffVersionsRequest(
        document_id=document_id, from_version_id=from_version, to_version_id=to_version, include_html=True
    )
    answer = await rpc(document_diff.DiffVersions, request)
    if format == "html":
        older, newer = answer["from_version"], answer["to_version"]
        title = html.escape(f"V{older['version_number']} → V{newer['version_number']}")
        notes = "".join(
            f'<p class="note">V{side["version_number"]}: {html.escape(side["note"])}</p>'
            for side in (older, newer)
            if side["note"]
        )
        return HTMLResponse(_PAGE.format(title=title, notes=notes, body=answer["html"]))
    return answer
