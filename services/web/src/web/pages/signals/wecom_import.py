"""The 企业微信 chat-export import with its per-line report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse

from web.gateway import GatewayProblem
from web.pages.signals.common import Gateway, Signed, passes
from web.templating import render, tr

router = APIRouter()

MAX_IMPORT_BYTES = 20 * 1024 * 1024  # the gateway's bound: a bigger file is refused here without sending it


@router.get("/signals/import", response_class=HTMLResponse, include_in_schema=False)
async def import_page(request: Request, s: Signed) -> HTMLResponse:
    return render(request, "signals/import.html", {})


@router.post("/signals/import", response_class=HTMLResponse, include_in_schema=False)
async def import_chats(
    request: Request, s: Signed, gw: Gateway, file: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    content = await file.read(MAX_IMPORT_BYTES + 1) if file is not None else b""
    if len(content) > MAX_IMPORT_BYTES:
        too_big = GatewayProblem(status=413, title=tr(request, "The file is too large"), errors=[
            {"field": "file", "description": tr(request, "At most 20 MB per import; split the export.")}])
        return render(request, "signals/import.html", {"problem": too_big}, status_code=413)
    filename = (file.filename or "export.jsonl") if file is not None else "export.jsonl"
    try:
        report = await gw.post("/v1/conversations/wecom-import", batch=True,
                               files={"file": (filename, content, "application/x-ndjson")})
    except GatewayProblem as exc:
        if not passes(exc):
            raise
        if exc.status == 404 and not exc.errors:
            return render(request, "signals/import.html", {"unavailable": True}, status_code=404)
        return render(request, "signals/import.html", {"problem": exc}, status_code=exc.status)
    return render(request, "signals/import.html", {"report": report or {}, "filename": filename})
