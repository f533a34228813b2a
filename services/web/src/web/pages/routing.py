"""Routing rules (the sales director's): the active route list and scoring
formula, editors for both with the formula error shown where it is, the dry
run of a draft over today's open leads, saved versions and their activation.
Every rule is checked by lead-routing through the gateway; this page only
shows what it answers."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.session import Session, session
from web.templating import render

router = APIRouter()
ROUTE_FIELDS = ("route_id", "name", "condition", "rep_filter", "sla_hours", "cooldown_hours")
TARGET_KINDS = ("all", "team", "reps", "key_account", "pool")
# The gateway's formula errors say where: "line 1, column 61: unexpected end of formula".
POSITION = re.compile(r"line (\d+), column (\d+)")
MAX_FORM_ROUTES = 200  # the gateway refuses more; the form never builds more rows than this


@dataclass(frozen=True)
class Marked:
    """A formula's text split at the error's position, for showing it in place."""

    before: str
    at: str
    after: str
    line: int
    column: int
    message: str


def mark_error(text: str, message: str) -> Marked | None:
    found = POSITION.search(message)
    if not found:
        return None
    line, column = int(found.group(1)), int(found.group(2))
    lines = text.split("\n")
    offset = sum(len(x) + 1 for x in lines[: max(line - 1, 0)]) + max(column - 1, 0)
    offset = min(offset, len(text))
    return Marked(text[:offset], text[offset:offset + 1] or " ", text[offset + 1:], line, column,
                  message[found.end():].lstrip(": ") or message)


def errors_by_field(problem: GatewayProblem | None) -> dict[str, str]:
    return {str(e.get("field", "")): str(e.get("description", "")) for e in (problem.errors if problem else [])}


def routes_from_form(form: Any) -> list[dict[str, Any]]:
    """The route rows of the editor (fields routes-<i>-<name>) as the gateway's route list; a row marked
    for removal is left out. Numbers stay text when they are not numbers: the gateway names the field."""
    rows: list[dict[str, Any]] = []
    indexes = sorted({int(m.group(1)) for k in form if (m := re.fullmatch(r"routes-(\d+)-name", k))})
    for i in indexes[:MAX_FORM_ROUTES]:
        if form.get(f"routes-{i}-remove"):
            continue
        row: dict[str, Any] = {f: str(form.get(f"routes-{i}-{f}", "")).strip() for f in ROUTE_FIELDS}
        for f in ("sla_hours", "cooldown_hours"):
            row[f] = _number(row[f])
        row["auto_assign"] = bool(form.get(f"routes-{i}-auto_assign"))
        rep_ids = [r.strip() for r in re.split(r"[,，\s]+", str(form.get(f"routes-{i}-rep_ids", ""))) if r.strip()]
        row["target"] = {"kind": str(form.get(f"routes-{i}-target_kind", "all")),
                         "team": str(form.get(f"routes-{i}-target_team", "")).strip(), "rep_ids": rep_ids}
        rows.append(row)
    return rows


def _number(text: str) -> Any:
    if text == "":
        return 0.0
    try:
        return float(text)
    except ValueError:
        return text  # refused by the gateway, which names the field


async def _overview(gw: GatewayClient) -> dict[str, Any]:
    # Asked at once, not one after the other; the audit only as far as the page shows it.
    active, route_versions, formula_versions, audit = await asyncio.gather(
        gw.get("/v1/routing/active"),
        gw.get("/v1/routing/routes/versions"),
        gw.get("/v1/routing/formulas/versions"),
        gw.get("/v1/routing/audit", params={"page_size": 20}),
    )
    return {
        "active": active,
        "route_versions": route_versions.get("versions", [])[:20],
        "formula_versions": formula_versions.get("versions", [])[:20],
        "audit": audit.get("entries", [])[:20],
    }


Gw = Annotated[GatewayClient, Depends(gateway)]
Me = Annotated[Session, Depends(session)]


@router.get("/routing", response_class=HTMLResponse, include_in_schema=False)
async def overview(request: Request, s: Me, gw: Gw) -> HTMLResponse:
    return render(request, "routing/overview.html", await _overview(gw) | {"flash": request.query_params.get("saved")})


@router.post("/routing/{kind}/versions/{version}/activate", include_in_schema=False)
async def activate(request: Request, kind: str, version: int, s: Me, gw: Gw) -> Response:
    if kind not in ("routes", "formulas"):
        return render(request, "errors/error.html", {"status": 404}, status_code=404)
    try:
        await gw.post(f"/v1/routing/{kind}/versions/{version}/activate")
    except GatewayProblem as exc:
        if exc.status in (401, 403, 404):
            raise
        return render(request, "routing/overview.html", await _overview(gw) | {"problem": exc}, status_code=exc.status)
    return RedirectResponse(f"/routing?saved={kind}-{version}", status_code=303)


@router.get("/routing/formula", response_class=HTMLResponse, include_in_schema=False)
async def formula_editor(request: Request, s: Me, gw: Gw) -> HTMLResponse:
    active = await gw.get("/v1/routing/active")
    return render(request, "routing/formula.html", {"formula": active.get("formula", {}).get("formula", ""),
                                                     "comment": "", "marked": None, "result": None})


@router.post("/routing/formula", response_class=HTMLResponse, include_in_schema=False)
async def formula_submit(request: Request, s: Me, gw: Gw) -> Response:
    form = await request.form()
    text = str(form.get("formula", ""))
    comment = str(form.get("comment", ""))
    action = str(form.get("action", "dry-run"))
    ctx: dict[str, Any] = {"formula": text, "comment": comment, "marked": None, "result": None}
    try:
        if action == "save":
            saved = await gw.post("/v1/routing/formulas", json={"formula": text, "comment": comment})
            version = (saved or {}).get("version", {}).get("version", "")
            return _redirect(request, f"/routing?saved=formulas-{version}")
        ctx["result"] = await gw.post("/v1/routing/dry-run", json={"formula": text}, batch=True)
        ctx["result"]["leads"] = ctx["result"].get("leads", [])[:50]
    except GatewayProblem as exc:
        if exc.status in (401, 403, 404):
            raise
        ctx["problem"] = exc
        message = errors_by_field(exc).get("formula", exc.detail)
        ctx["marked"] = mark_error(text, message)
        return render(request, "routing/formula.html", ctx, block_name=_block(request, "editor"), status_code=exc.status)
    return render(request, "routing/formula.html", ctx, block_name=_block(request, "editor"))


@router.get("/routing/routes", response_class=HTMLResponse, include_in_schema=False)
async def routes_editor(request: Request, s: Me, gw: Gw) -> HTMLResponse:
    active = await gw.get("/v1/routing/active")
    return render(request, "routing/routes.html", {
        "routes": active.get("routes", {}).get("routes", []), "comment": "", "errors": {}, "result": None,
        "kinds": TARGET_KINDS,
    })


@router.get("/routing/routes/row", response_class=HTMLResponse, include_in_schema=False)
async def blank_row(request: Request, s: Me, index: int = 0) -> HTMLResponse:
    """One empty route row for the editor ("add a route")."""
    index = max(0, min(index, MAX_FORM_ROUTES - 1))
    return render(request, "routing/new_row.html", {"i": index, "route": {"target": {"kind": "all"}}, "errors": {},
                                                 "kinds": TARGET_KINDS})


@router.post("/routing/routes", response_class=HTMLResponse, include_in_schema=False)
async def routes_submit(request: Request, s: Me, gw: Gw) -> Response:
    form = await request.form()
    routes = routes_from_form(form)
    comment = str(form.get("comment", ""))
    action = str(form.get("action", "dry-run"))
    ctx: dict[str, Any] = {"routes": routes, "comment": comment, "errors": {}, "result": None, "kinds": TARGET_KINDS}
    try:
        if action == "save":
            saved = await gw.post("/v1/routing/routes", json={"routes": routes, "comment": comment})
            version = (saved or {}).get("version", {}).get("version", "")
            return _redirect(request, f"/routing?saved=routes-{version}")
        ctx["result"] = await gw.post("/v1/routing/dry-run", json={"routes": routes}, batch=True)
        ctx["result"]["leads"] = ctx["result"].get("leads", [])[:50]
    except GatewayProblem as exc:
        if exc.status in (401, 403, 404):
            raise
        ctx["problem"] = exc
        ctx["errors"] = errors_by_field(exc)
        ctx["marks"] = {f: mark_error(_route_text(routes, f), m) for f, m in ctx["errors"].items()}
        return render(request, "routing/routes.html", ctx, block_name=_block(request, "editor"), status_code=exc.status)
    return render(request, "routing/routes.html", ctx, block_name=_block(request, "editor"))


def _route_text(routes: list[dict[str, Any]], field: str) -> str:
    """The text of a field named like routes[2].condition, for marking the error's position in it."""
    found = re.fullmatch(r"routes\[(\d+)\]\.(\w+)", field)
    if not found or int(found.group(1)) >= len(routes):
        return ""
    return str(routes[int(found.group(1))].get(found.group(2), ""))


def _block(request: Request, name: str) -> str | None:
    return name if request.headers.get("hx-request") == "true" else None


def _redirect(request: Request, url: str) -> Response:
    if request.headers.get("hx-request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)

