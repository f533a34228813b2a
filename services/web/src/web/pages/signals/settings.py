"""The signal settings: keyword groups and dictionary, stage-hint rules, intent signals written in the
formula language and anomaly thresholds, each area saved with the version it read and refused on its field."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem
from web.pages.routing import Marked, mark_error
from web.pages.signals.common import Gateway, Signed, optional, passes
from web.templating import is_htmx, render

router = APIRouter()

SETTINGS_AREAS = ("tagging", "stage-hints", "intent", "anomalies")
SETTINGS_META = ("version", "updated_by", "updated_at")
SPLIT = re.compile(r"[\s,，、;；]+")
MAX_FORM_ROWS = 200
EXTRA_SIGNAL_ROWS = 2  # empty rows the intent form offers for new signals


def _words(text: str) -> list[str]:
    return [w for w in SPLIT.split(text.strip()) if w]


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
        if not passes(exc):
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
