"""The signals pages: anomaly flags for managers (with their evidence, and a
dismissal that needs a reason), the high-intent list, the signal settings
(keyword groups and dictionary, stage-hint rules, intent signals written in the
formula language, anomaly thresholds: each saved with the version it read), and
the 企业微信 chat-export import with its per-line report.

Every rule is the gateway's. A gateway without one of these routes yet answers
404: the page (or the settings area) then says it is not available, never an
error page."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.i18n import SHANGHAI
from web.pages.board import reps_of
from web.pages.routing import Marked, mark_error
from web.session import Session, session
from web.templating import is_htmx, render, tr

router = APIRouter()

Signed = Annotated[Session, Depends(session)]
Gateway = Annotated[GatewayClient, Depends(gateway)]

FLAG_STATES = ("open", "dismissed", "all")
# English msgids of the flag kinds the gateway names (an unknown kind is shown as the gateway wrote it).
FLAG_KINDS = {
    "stuck": "Stuck in a stage",
    "month_end": "Month-end bulk entry",
    "backdating": "Backdated records",
    "follow_up_moved": "Follow-up moved more than 3 times",
    "evidence_failures": "Visit evidence failures",
}
HIGH_INTENT_STATES = ("open", "all")
REPORT_ROLES = {"manager", "admin"}  # the conversion report is offered to these (the gateway decides)
SETTINGS_AREAS = ("tagging", "stage-hints", "intent", "anomalies")
SETTINGS_META = ("version", "updated_by", "updated_at")
SPLIT = re.compile(r"[\s,，、;；]+")
MAX_IMPORT_BYTES = 20 * 1024 * 1024  # the gateway's bound: a bigger file is refused here without sending it
MAX_FORM_ROWS = 200
EXTRA_SIGNAL_ROWS = 2  # empty rows the intent form offers for new signals


def _p(value: str) -> str:
    return quote(value, safe="")


def _words(text: str) -> list[str]:
    return [w for w in SPLIT.split(text.strip()) if w]


def _passes(exc: GatewayProblem) -> bool:
    """Refusals a page shows itself; a 401 (sign in again) and the gateway's own failures go to the error page."""
    return exc.status != 401 and exc.status < 500


async def optional(call: Any, *, part: bool = False) -> tuple[Any, bool]:
    """The gateway's answer, or (None, False) when the route is not there (404) or not for this role (403).
    A `part` of a page (one settings area, one part of a customer's section) is also left empty when the
    service behind it fails or is not served yet (5xx): the rest of the page still shows."""
    try:
        return await call, True
    except GatewayProblem as exc:
        if exc.status in (403, 404) or (part and exc.status >= 500):
            return None, False
        raise


def _field(name: str) -> str:
    """A problem's field as the form knows it: without the request location the gateway may put first."""
    for prefix in ("body.", "body/"):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):].lstrip("./")
    return name


def errors_under(problem: GatewayProblem | None, prefix: str) -> list[dict[str, str]]:
    """The problem's errors naming `prefix` or something inside it (`keyword_groups[2].words`)."""
    out = []
    for e in problem.errors if problem else []:
        f = _field(str(e.get("field", "")))
        if f == prefix or f.startswith((prefix + ".", prefix + "[")):
            out.append({"field": f, "description": str(e.get("description", "")),
                        "line": e.get("line"), "column": e.get("column")})
    return out


# --- anomaly flags ------------------------------------------------------------------------------------------


def _flags_query(state: str, kind: str, rep_id: str) -> dict[str, str]:
    return {"state": state, "kind": kind, "rep_id": rep_id}


async def _flags_page(
    request: Request, gw: GatewayClient, *, state: str = "open", kind: str = "", rep_id: str = "",
    problem: GatewayProblem | None = None, failed: str = "", reason: str = "", done: str = "",
    scanned: dict[str, Any] | None = None, status_code: int = 200,
) -> HTMLResponse:
    answer, available = await optional(gw.get("/v1/anomaly-flags", params=_flags_query(state, kind, rep_id)))
    items = list((answer or {}).get("items", []))
    return render(request, "signals/flags.html", {
        "items": items, "available": available, "state": state, "kind": kind, "rep_id": rep_id,
        "states": FLAG_STATES, "kinds": FLAG_KINDS, "problem": problem, "failed": failed, "reason": reason,
        "done": done, "scanned": scanned, "back": urlencode({k: v for k, v in _flags_query(state, kind, rep_id).items()
                                                             if v}),
    }, status_code=status_code)


@router.get("/signals/flags", response_class=HTMLResponse, include_in_schema=False)
async def flags(
    request: Request, s: Signed, gw: Gateway,
    state: Annotated[str, Query(max_length=20)] = "open",
    kind: Annotated[str, Query(max_length=50)] = "",
    rep_id: Annotated[str, Query(max_length=64)] = "",
    done: Annotated[str, Query(max_length=10)] = "",
) -> HTMLResponse:
    state = state if state in FLAG_STATES else "open"
    return await _flags_page(request, gw, state=state, kind=kind.strip(), rep_id=rep_id.strip(),
                             done=tr(request, "Flag dismissed.") if done == "dismissed" else "")


@router.post("/signals/flags/scan", response_class=HTMLResponse, include_in_schema=False)
async def scan(request: Request, s: Signed, gw: Gateway) -> HTMLResponse:
    try:
        counts = await gw.post("/v1/anomaly-flags/scan", batch=True)
    except GatewayProblem as exc:
        if not _passes(exc):
            raise
        return await _flags_page(request, gw, problem=exc, status_code=exc.status)
    return await _flags_page(request, gw, scanned=counts if isinstance(counts, dict) else {})


@router.post("/signals/flags/{flag_id}/dismiss", include_in_schema=False)
async def dismiss(
    request: Request, flag_id: str, s: Signed, gw: Gateway,
    reason: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        answer = await gw.post(f"/v1/anomaly-flags/{_p(flag_id)}/dismiss", json={"reason": reason.strip()})
    except GatewayProblem as exc:
        if not _passes(exc):
            raise
        if is_htmx(request):
            flag = {"flag_id": flag_id, "state": "open"}
            return render(request, "signals/flags.html", {"f": flag, "problem": exc, "failed": flag_id,
                                                          "reason": reason, "kinds": FLAG_KINDS},
                          block_name="dismiss_form", status_code=exc.status,
                          headers={"HX-Retarget": f"#dismiss-{flag_id}", "HX-Reswap": "outerHTML"})
        return await _flags_page(request, gw, problem=exc, failed=flag_id, reason=reason, status_code=exc.status)
    if not is_htmx(request):
        return RedirectResponse("/signals/flags?" + (back + "&" if back else "") + "done=dismissed", status_code=303)
    # The gateway answers the dismissed flag (who, when, the reason kept).
    flag = answer if isinstance(answer, dict) and answer.get("flag_id") else {
        "flag_id": flag_id, "state": "dismissed", "reason": reason.strip()}
    return render(request, "signals/flags.html", {"f": flag, "kinds": FLAG_KINDS, "done": tr(request, "Flag dismissed.")},
                  block_name="dismiss_form")


# --- high intent --------------------------------------------------------------------------------------------


@router.get("/signals/high-intent", response_class=HTMLResponse, include_in_schema=False)
async def high_intent(
    request: Request, s: Signed, gw: Gateway,
    state: Annotated[str, Query(max_length=10)] = "open",
    owner_id: Annotated[str, Query(max_length=64)] = "",
    team: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:
    state = state if state in HIGH_INTENT_STATES else "open"
    answer, available = await optional(gw.get("/v1/high-intents", params={
        "state": state, "owner_id": owner_id.strip(), "team": team.strip(),
    }))
    items = [i | {"signal_names": signal_names(i.get("signals"))} for i in (answer or {}).get("items", [])]
    return render(request, "signals/high_intent.html", {
        "items": items, "available": available, "state": state, "owner_id": owner_id, "team": team,
        "may_report": s.role in REPORT_ROLES,
    })


def signal_names(signals: Any) -> list[str]:
    """The signals of an episode as names (the gateway may list names or {name, ...} objects)."""
    out = []
    for sig in signals or []:
        name = sig.get("name", "") if isinstance(sig, dict) else str(sig)
        if name:
            out.append(name)
    return out


# --- high intent → won, per rep beside their team ----------------------------------------------------------


def _day(value: str) -> date | None:
    """A date typed into the report's filter; empty or malformed is no bound."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _percent(rate: Any) -> float:
    return round(float(rate or 0) * 100, 1)


def conversion_rows(reps: list[dict[str, Any]], teams: list[dict[str, Any]],
                    profiles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each rep's row beside their team's (the gateway's team is the rep's manager, as the rep profile says)."""
    profile = {p.get("rep_id"): p for p in profiles}
    team_of = {t.get("key", ""): t for t in teams}
    label = {p.get("manager_id"): p.get("team") for p in profiles if p.get("manager_id") and p.get("team")}
    rows = []
    for r in reps:
        p = profile.get(r.get("key"), {})
        manager = p.get("manager_id", "")
        team = team_of.get(manager) if manager else None
        rows.append({
            "rep_id": r.get("key", ""), "name": p.get("name") or r.get("key", ""), "entered": r.get("entered", 0),
            "won": r.get("won", 0), "percent": _percent(r.get("rate")), "team_key": manager,
            "team": label.get(manager) or manager, "team_percent": _percent(team.get("rate")) if team else None,
        })
    return sorted(rows, key=lambda row: (row["team"], -row["percent"], row["name"]))


@router.get("/signals/conversion", response_class=HTMLResponse, include_in_schema=False)
async def conversion(
    request: Request, s: Signed, gw: Gateway,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> HTMLResponse:
    from_day, to_day = _day(start), _day(end)
    # Whole Shanghai days, the last one included: [from 00:00, to+1 00:00).
    period = {k: datetime.combine(d, time(), SHANGHAI).isoformat() for k, d in (
        ("from", from_day), ("to", to_day + timedelta(days=1) if to_day else None)) if d}
    problem = None
    try:
        (by_rep, available), (by_team, _), profiles = await asyncio.gather(
            optional(gw.get("/v1/reports/intent-conversion", params=period | {"group_by": "rep"})),
            optional(gw.get("/v1/reports/intent-conversion", params=period | {"group_by": "team"})),
            reps_of(gw))
    except GatewayProblem as exc:
        if not _passes(exc):
            raise
        problem, by_rep, by_team, profiles, available = exc, None, None, [], True
    rows = conversion_rows((by_rep or {}).get("items", []), (by_team or {}).get("items", []), profiles)
    total = (by_rep or {}).get("total") or {}
    chart = {"labels": [r["name"] for r in rows], "rep": [r["percent"] for r in rows],
             "team": [r["team_percent"] for r in rows],
             "series": [tr(request, "The rep"), tr(request, "Their team")], "axis": tr(request, "Signed (%)")}
    return render(request, "signals/conversion.html", {
        "rows": rows, "total": total | {"percent": _percent(total.get("rate"))}, "chart": chart,
        "available": available, "problem": problem, "from_day": from_day.isoformat() if from_day else "",
        "to_day": to_day.isoformat() if to_day else "",
    }, status_code=problem.status if problem else 200)


# --- settings -----------------------------------------------------------------------------------------------


@dataclass
class Area:
    """One settings area as the form shows it: what the gateway answered (or the form's text after a refusal)."""

    key: str
    available: bool = True
    version: Any = None
    data: dict[str, Any] = field(default_factory=dict)
    form: dict[str, Any] = field(default_factory=dict)
    problem: GatewayProblem | None = None
    saved: bool = False


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()][:MAX_FORM_ROWS * 10]


def _pair(line: str) -> tuple[str, str]:
    for sep in (":", "：", "→", "->"):
        if sep in line:
            a, b = line.split(sep, 1)
            return a.strip(), b.strip()
    return line.strip(), ""


def tagging_form(data: dict[str, Any]) -> dict[str, str]:
    return {
        "keyword_groups": "\n".join(f"{g.get('tag', '')}: {', '.join(g.get('words') or [])}"
                                    for g in data.get("keyword_groups") or []),
        "dictionary": "\n".join(f"{d.get('word', '')}: {d['tag']}" if d.get("tag") else str(d.get("word", ""))
                                for d in data.get("dictionary") or []),
        "required_tags": ", ".join(data.get("required_tags") or []),
    }


def tagging_body(form: dict[str, str]) -> dict[str, Any]:
    groups = []
    for line in _lines(form.get("keyword_groups", "")):
        tag, words = _pair(line)
        groups.append({"tag": tag, "words": _words(words)})
    dictionary = []
    for line in _lines(form.get("dictionary", "")):
        word, tag = _pair(line)
        dictionary.append({"word": word, **({"tag": tag} if tag else {})})
    return {"keyword_groups": groups, "dictionary": dictionary, "required_tags": _words(form.get("required_tags", ""))}


def stage_hints_form(data: dict[str, Any]) -> dict[str, Any]:
    return {"auto_move": bool(data.get("auto_move")), "max_age_days": data.get("max_age_days", ""),
            "rules": "\n".join(f"{r.get('tag', '')}: {r.get('stage', '')}"
                               + (f" @{r['pipeline_id']}" if r.get("pipeline_id") else "") for r in data.get("rules") or [])}


def stage_hints_body(form: dict[str, Any]) -> dict[str, Any]:
    rules = []
    for line in _lines(form.get("rules", "")):
        tag, stage = _pair(line)
        stage, _, pipeline_id = stage.partition(" @")  # "报价: 报价谈判 @<pipeline id>": that pipeline only
        rules.append({"tag": tag, "stage": stage.strip(), **({"pipeline_id": pipeline_id.strip()} if pipeline_id else {})})
    # Blank: not sent, the gateway's default (14 days).
    age = str(form.get("max_age_days", "")).strip()
    return {"auto_move": bool(form.get("auto_move")), "rules": rules, **({"max_age_days": _number(age)} if age else {})}


def _number(text: Any) -> Any:
    """A number typed into a form as the number; anything else as typed (the gateway names the field)."""
    t = str(text).strip()
    if re.fullmatch(r"-?\d+", t):
        return int(t)
    if re.fullmatch(r"-?\d+\.\d*|-?\.\d+", t):
        return float(t)
    return t


def intent_form(data: dict[str, Any]) -> dict[str, Any]:
    rule = data.get("rule") or {}
    signals = [{"name": str(sig.get("name", "")), "condition": str(sig.get("condition", ""))}
               for sig in data.get("signals") or []]
    return {
        "signals": signals + [{"name": "", "condition": ""} for _ in range(EXTRA_SIGNAL_ROWS)],
        "min_signals": rule.get("min_signals", ""), "window_days": rule.get("window_days", ""),
        "rule_signals": ", ".join(rule.get("signals") or []),
        "proposal_hours": data.get("proposal_hours", ""),
        "proposal_doc_types": ", ".join(data.get("proposal_doc_types") or []),
    }


def intent_signals_from(form: Any) -> list[dict[str, str]]:
    """The signal rows of the form (signals-<i>-name / -condition), empty rows left out, in order."""
    rows = []
    for i in range(MAX_FORM_ROWS + EXTRA_SIGNAL_ROWS):
        name, condition = form.get(f"signals-{i}-name"), form.get(f"signals-{i}-condition")
        if name is None and condition is None:
            continue
        name, condition = str(name or "").strip(), str(condition or "").strip()
        if name or condition:
            rows.append({"name": name, "condition": condition})
    return rows


def intent_body(form: dict[str, Any]) -> dict[str, Any]:
    return {
        "signals": [r for r in form["signals"] if r["name"] or r["condition"]],
        "rule": {"min_signals": _number(form.get("min_signals", "")), "window_days": _number(form.get("window_days", "")),
                 "signals": _words(form.get("rule_signals", ""))},
        "proposal_hours": _number(form.get("proposal_hours", "")),
        "proposal_doc_types": _words(form.get("proposal_doc_types", "")),
    }


def _flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        if not prefix and key in SETTINGS_META:
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out += _flatten(value, name + ".")
        else:
            out.append((name, value))
    return out


def anomalies_form(data: dict[str, Any]) -> dict[str, Any]:
    """Each threshold as one field (`stuck.min_sample`), with its kind so the body keeps the gateway's types."""
    fields = []
    for name, value in _flatten(data):
        kind = "bool" if isinstance(value, bool) else "list" if isinstance(value, list) else "number" if isinstance(
            value, int | float) else "text"
        text = ", ".join(map(str, value)) if kind == "list" else ("true" if value else "false") if kind == "bool" else value
        fields.append({"name": name, "kind": kind, "value": "" if text is None else text})
    return {"fields": fields}


def anomalies_body(form: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for f in form["fields"]:
        raw = f["value"]
        value: Any = (raw == "true") if f["kind"] == "bool" else [_number(w) for w in _words(str(raw))] if (
            f["kind"] == "list") else _number(raw) if f["kind"] == "number" else str(raw)
        target = body
        *parents, leaf = f["name"].split(".")
        for p in parents:
            target = target.setdefault(p, {})
        target[leaf] = value
    return body


FORMS = {"tagging": tagging_form, "stage-hints": stage_hints_form, "intent": intent_form, "anomalies": anomalies_form}
BODIES = {"tagging": tagging_body, "stage-hints": stage_hints_body, "intent": intent_body, "anomalies": anomalies_body}


async def _read_area(gw: GatewayClient, key: str) -> Area:
    answer, available = await optional(gw.get(f"/v1/signal-settings/{key}"), part=True)
    data = answer if isinstance(answer, dict) else {}
    return Area(key=key, available=available, version=data.get("version"), data=data, form=FORMS[key](data))


def marked_conditions(area: Area) -> dict[int, Marked | str]:
    """The intent form's formula errors per signal row: the position marked where the gateway says line/column."""
    out: dict[int, Marked | str] = {}
    for e in errors_under(area.problem, "signals"):
        found = re.match(r"signals\[(\d+)\]", e["field"])
        if not found:
            continue
        # The gateway counts the signals it was sent: the rows left after empty ones were dropped.
        sent = [r for r in area.form["signals"] if r["name"] or r["condition"]]
        i = int(found.group(1))
        if i >= len(sent):
            continue
        row = area.form["signals"].index(sent[i])
        message = e["description"]
        if e.get("line") and e.get("column") and "line" not in message:
            message = f"line {e['line']}, column {e['column']}: {message}"
        out[row] = mark_error(sent[i]["condition"], message) or message
    return out


def _area_page(request: Request, areas: list[Area], *, block: str | None = None, status_code: int = 200) -> HTMLResponse:
    by_key = {a.key: a for a in areas}
    ctx = {"areas": by_key, "errors_under": errors_under, "marks": marked_conditions(by_key["intent"])
           if "intent" in by_key else {}}
    if block:
        ctx["area"] = areas[0]
    return render(request, "signals/settings.html", ctx, block_name=block, status_code=status_code)


@router.get("/signals/settings", response_class=HTMLResponse, include_in_schema=False)
async def settings(request: Request, s: Signed, gw: Gateway) -> HTMLResponse:
    areas = await asyncio.gather(*(_read_area(gw, key) for key in SETTINGS_AREAS))
    return _area_page(request, list(areas))


def _form_of(key: str, form: Any) -> dict[str, Any]:
    text = {name: str(form.get(name, "")) for name in form}
    if key == "tagging":
        return {k: text.get(k, "") for k in ("keyword_groups", "dictionary", "required_tags")}
    if key == "stage-hints":
        return {"rules": text.get("rules", ""), "auto_move": text.get("auto_move", "") in ("on", "true", "1"),
                "max_age_days": text.get("max_age_days", "")}
    if key == "intent":
        signals = intent_signals_from(form)
        return {"signals": signals + [{"name": "", "condition": ""} for _ in range(EXTRA_SIGNAL_ROWS)],
                **{k: text.get(k, "") for k in ("min_signals", "window_days", "rule_signals", "proposal_hours",
                                                  "proposal_doc_types")}}
    names = [n for n in text if n.startswith("t-")][:MAX_FORM_ROWS]
    return {"fields": [{"name": n[2:], "kind": text.get(f"k-{n[2:]}", "text"), "value": text[n]} for n in names]}


@router.post("/signals/settings/{key}", include_in_schema=False)
async def save_settings(request: Request, key: str, s: Signed, gw: Gateway) -> Response:
    if key not in SETTINGS_AREAS:
        return render(request, "errors/error.html", {"status": 404}, status_code=404)
    form = await request.form()
    version = _number(form.get("version", ""))
    area = Area(key=key, version=version, form=_form_of(key, form))
    status = 200
    try:
        answer = await gw.put(f"/v1/signal-settings/{key}", json={"version": version, **BODIES[key](area.form)})
    except GatewayProblem as exc:
        if not _passes(exc):
            raise
        area.problem, status = exc, exc.status
    else:
        data = answer if isinstance(answer, dict) else {}
        area = Area(key=key, version=data.get("version", version), data=data,
                    form=FORMS[key](data) if data else area.form, saved=True)
    if not is_htmx(request):
        if area.saved:
            return RedirectResponse(f"/signals/settings#area-{key}", status_code=303)
        others = await asyncio.gather(*(_read_area(gw, k) for k in SETTINGS_AREAS if k != key))
        return _area_page(request, [area, *others], status_code=status)
    return _area_page(request, [area], block="area_" + key.replace("-", "_"), status_code=status)


# --- conversation import ------------------------------------------------------------------------------------


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
        if not _passes(exc):
            raise
        if exc.status == 404 and not exc.errors:
            return render(request, "signals/import.html", {"unavailable": True}, status_code=404)
        return render(request, "signals/import.html", {"problem": exc}, status_code=exc.status)
    return render(request, "signals/import.html", {"report": report or {}, "filename": filename})
