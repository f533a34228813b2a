"""Finance's desk: importing a bank statement (every line of the file with
its outcome and the reason), the matching run and its suggestions to confirm
or reject (and confirmed matches to reverse), and receivables aging with the
rows more than 30 days overdue marked. What counts as a new line, a good
match or a red row is the gateway's answer; the pages only show it."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.session import Session, session
from web.templating import is_htmx, tr
from web.templating import render as render_page

router = APIRouter(prefix="/finance")

STATEMENTS_PAGE = 20
LINES_PAGE = 50
SUGGESTIONS_PAGE = 50
MATCHES_PAGE = 20
AGING_PAGE = 50
# The statement import's formats as the gateway names them ("" = it detects the format).
FORMATS = (("", "Detect from the file"), ("camt053", "CAMT.053 (XML)"), ("mt940", "MT940"),
           ("cn_bank", "Chinese bank CSV/xlsx export"))
GROUPS = (("customer", "Customer"), ("rep", "Sales rep"), ("region", "Region (大区)"), ("contract", "Contract"))
# The gateway's words for a report line's outcome, a line's status and a rule's kind, as users read them.
LABELS = {
    "outcome_labels": {"new": "New line", "known": "Imported before", "rejected": "Line rejected",
                       "held": "Line held"},
    "line_labels": {"unmatched": "Unmatched", "suggested": "Suggested", "matched": "Matched", "ignored": "Ignored"},
    "rule_labels": {"contract_ref": "Contract number in the remark", "payer_amount": "Payer and amount",
                    "amount_window": "Amount and due date"},
}
# The fields a refused file may be named by: the file itself, its name, its type.
FILE_FIELDS = ("file", "filename", "content", "content-type", "format")

SessionDep = Annotated[Session, Depends(session)]
GatewayDep = Annotated[GatewayClient, Depends(gateway)]


def render(request: Request, name: str, context: dict[str, Any], **kw: Any) -> HTMLResponse:
    return render_page(request, name, LABELS | context, **kw)


def file_errors(problem: GatewayProblem | None) -> list[str]:
    if problem is None:
        return []
    return [m for name in FILE_FIELDS for m in problem.field_errors(name)]


def evidence(match: dict[str, Any]) -> dict[str, Any]:
    """What the rule saw, from the match's JSON evidence (nothing if it is not an object)."""
    try:
        found = json.loads(match.get("evidence_json") or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


# --- statements ---------------------------------------------------------------------------------------------


async def _statements_page(
    request: Request, gw: GatewayClient, *, page_token: str = "", report: dict | None = None,
    problem: GatewayProblem | None = None, account: str = "", fmt: str = "", status_code: int = 200,
) -> HTMLResponse:
    listed = await gw.get("/v1/bank-statements", params={"page_size": STATEMENTS_PAGE, "page_token": page_token})
    return render(request, "finance/statements.html", {
        "statements": listed.get("statements", []), "next_token": listed.get("next_page_token", ""),
        "report": report, "problem": problem, "file_errors": file_errors(problem), "formats": FORMATS,
        "account": account, "format": fmt,
    }, status_code=status_code)


@router.get("/statements", response_class=HTMLResponse, include_in_schema=False)
async def statements(
    request: Request, s: SessionDep, gw: GatewayDep, page_token: Annotated[str, Query(max_length=512)] = "",
) -> HTMLResponse:
    return await _statements_page(request, gw, page_token=page_token)


@router.post("/statements", response_class=HTMLResponse, include_in_schema=False)
async def import_statement(
    request: Request,
    s: SessionDep,
    gw: GatewayDep,
    file: Annotated[UploadFile | None, File()] = None,
    account: Annotated[str, Form(max_length=64)] = "",
    format: Annotated[str, Form(max_length=20)] = "",
) -> HTMLResponse:
    """The file goes to the gateway as it is (its raw bytes, its name); the answer's report is shown line by line."""
    content = await file.read() if file is not None else b""
    filename = (file.filename or "") if file is not None else ""
    try:
        report = await gw.post("/v1/bank-statements/imports", content=content, batch=True,
                               params={"filename": filename, "account": account.strip(), "format": format})
    except GatewayProblem as exc:
        if exc.status >= 500:
            raise
        return await _statements_page(request, gw, problem=exc, account=account, fmt=format, status_code=exc.status)
    return await _statements_page(request, gw, report=report or {}, status_code=201)


@router.get("/statements/{statement_id}", response_class=HTMLResponse, include_in_schema=False)
async def statement_lines(
    request: Request, statement_id: str, s: SessionDep, gw: GatewayDep,
    status: Annotated[str, Query(max_length=20)] = "", page_token: Annotated[str, Query(max_length=512)] = "",
) -> HTMLResponse:
    listed = await gw.get("/v1/bank-statement-lines", params={
        "statement_id": statement_id, "status": status, "page_size": LINES_PAGE, "page_token": page_token})
    return render(request, "finance/lines.html", {
        "statement_id": statement_id, "lines": listed.get("lines", []), "status": status,
        "next_token": listed.get("next_page_token", ""),
    })


# --- matching -----------------------------------------------------------------------------------------------


async def _lines_by_id(gw: GatewayClient) -> dict[str, dict]:
    """The suggested lines (payer, remark, booking day), to show beside their suggestions."""
    listed = await gw.get("/v1/bank-statement-lines", params={"status": "suggested", "page_size": 200})
    return {line["line_id"]: line for line in listed.get("lines", [])}


async def _matching_page(
    request: Request, gw: GatewayClient, *, after: str = "", page_token: str = "", run: dict | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    suggested = await gw.get("/v1/matching/suggestions", params={"after": after, "limit": SUGGESTIONS_PAGE})
    confirmed = await gw.get("/v1/matching/matches", params={
        "status": "confirmed", "page_size": MATCHES_PAGE, "page_token": page_token})
    suggestions = suggested.get("suggestions", [])
    lines = await _lines_by_id(gw) if suggestions else {}
    return render(request, "finance/matching.html", {
        "suggestions": suggestions, "lines": lines, "evidence": evidence, "run": run,
        "next_after": suggestions[-1]["match_id"] if len(suggestions) == SUGGESTIONS_PAGE else "",
        "matches": confirmed.get("matches", []), "next_token": confirmed.get("next_page_token", ""),
    }, status_code=status_code)


@router.get("/matching", response_class=HTMLResponse, include_in_schema=False)
async def matching(
    request: Request, s: SessionDep, gw: GatewayDep, after: Annotated[str, Query(max_length=64)] = "",
    page_token: Annotated[str, Query(max_length=512)] = "",
) -> HTMLResponse:
    return await _matching_page(request, gw, after=after, page_token=page_token)


@router.post("/matching/runs", response_class=HTMLResponse, include_in_schema=False)
async def run_matching(request: Request, s: SessionDep, gw: GatewayDep) -> HTMLResponse:
    run = await gw.post("/v1/matching/runs", batch=True)
    return await _matching_page(request, gw, run=run or {})


def _row_answer(
    request: Request, template: str, match: dict, *, done: str, problem: GatewayProblem | None = None,
    reason: str = "", lines: dict | None = None,
) -> Response:
    """htmx: nothing (the row goes) with a flash, or the row again with the refusal beside it; a plain form: back."""
    if problem is None:
        if not is_htmx(request):
            return RedirectResponse("/finance/matching", status_code=303)
        return render(request, "finance/_done.html", {"message": tr(request, done)})
    if not is_htmx(request):
        return render(request, "errors/error.html", {"status": problem.status, "problem": problem},
                      status_code=problem.status)
    return render(request, template, {"m": match, "problem": problem, "reason": reason, "lines": lines or {},
                                      "evidence": evidence}, status_code=problem.status)


async def _match_action(gw: GatewayClient, match_id: str, action: str, body: dict | None) -> GatewayProblem | None:
    try:
        await gw.post(f"/v1/matching/matches/{match_id}/{action}", json=body)
    except GatewayProblem as exc:
        if exc.status >= 500:
            raise
        return exc
    return None


async def _suggestion(gw: GatewayClient, match_id: str) -> tuple[dict, dict]:
    """The suggestion as it stands (for its row shown again with a refusal), and its line."""
    listed = await gw.get("/v1/matching/suggestions", params={"limit": 500})
    found = next((m for m in listed.get("suggestions", []) if m.get("match_id") == match_id), None)
    if found is None:
        return {"match_id": match_id}, {}
    return found, await _lines_by_id(gw)


@router.post("/matching/matches/{match_id}/confirm", include_in_schema=False)
async def confirm_match(request: Request, match_id: str, s: SessionDep, gw: GatewayDep) -> Response:
    problem = await _match_action(gw, match_id, "confirm", None)
    match, lines = await _suggestion(gw, match_id) if problem else ({}, {})
    return _row_answer(request, "finance/_suggestion_row.html", match, done="Match confirmed: the receipts are recorded.",
                       problem=problem, lines=lines)


@router.post("/matching/matches/{match_id}/reject", include_in_schema=False)
async def reject_match(
    request: Request, match_id: str, s: SessionDep, gw: GatewayDep, reason: Annotated[str, Form()] = "",
) -> Response:
    problem = await _match_action(gw, match_id, "reject", {"reason": reason.strip()})
    match, lines = await _suggestion(gw, match_id) if problem else ({}, {})
    return _row_answer(request, "finance/_suggestion_row.html", match,
                       done="Suggestion rejected: the line is offered again.", problem=problem, reason=reason,
                       lines=lines)


@router.post("/matching/matches/{match_id}/reversal", include_in_schema=False)
async def reverse_match(
    request: Request, match_id: str, s: SessionDep, gw: GatewayDep, reason: Annotated[str, Form()] = "",
) -> Response:
    problem = await _match_action(gw, match_id, "reversal", {"reason": reason.strip()})
    match: dict = {"match_id": match_id}
    if problem:
        listed = await gw.get("/v1/matching/matches", params={"status": "confirmed", "page_size": 200})
        match = next((m for m in listed.get("matches", []) if m.get("match_id") == match_id), match)
    return _row_answer(request, "finance/_match_row.html", match,
                       done="Match reversed: its receipts are undone and the line is unmatched again.",
                       problem=problem, reason=reason)


# --- aging --------------------------------------------------------------------------------------------------


@router.get("/aging", response_class=HTMLResponse, include_in_schema=False)
async def aging(
    request: Request,
    s: SessionDep,
    gw: GatewayDep,
    as_of: Annotated[str, Query(max_length=10)] = "",
    group_by: Annotated[str, Query(max_length=20)] = "customer",
    page_token: Annotated[str, Query(max_length=512)] = "",
) -> HTMLResponse:
    problem: GatewayProblem | None = None
    answer: dict = {}
    try:
        answer = await gw.get("/v1/finance/aging", params={
            "as_of": as_of, "group_by": group_by, "page_size": AGING_PAGE, "page_token": page_token}) or {}
    except GatewayProblem as exc:
        if exc.status != 422:
            raise
        problem = exc
    base = "/finance/aging?" + urlencode({"as_of": as_of, "group_by": group_by})
    return render(request, "finance/aging.html", {
        "as_of": as_of, "group_by": group_by, "groups": GROUPS, "answer": answer, "rows": answer.get("rows", []),
        "totals": answer.get("totals", []), "next_token": answer.get("next_page_token", ""), "base": base,
        "problem": problem,
    }, status_code=422 if problem else 200)
