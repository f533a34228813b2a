"""The partner portal (经销商门户): a distributor's own registrations (报备)
with what the conflict check answered and the protection window, its
promotion applications with their material, and its rebate progress.

Everything shown comes from the gateway's /v1/partner/… routes, which answer
the caller's organisation only; the pages add no rule of their own. What the
console does check is the form's shape: an amount typed in 元 becomes integer
分 from its decimal text (never through a float), so "1e3" or "12.345" is
answered next to the field and nothing is sent."""

from __future__ import annotations

import base64
import re
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.i18n import SHANGHAI, shanghai_date
from web.session import Session, session
from web.templating import render

router = APIRouter()

PAGE_SIZE = 20
# Approved registrations offered in the promotion form's list (the distributor's newest).
REGISTRATION_CHOICES = 100
# The gateway takes bodies up to 20 MiB and the file travels base64-encoded (4/3 larger) inside one.
MAX_FILE_BYTES = 14 * 1024 * 1024

# Statuses and outcomes as the gateway names them → the English msgid shown (translated in partner.po).
REGISTRATION_STATUS = {
    "pending": "Waiting for approval",
    "under_review": "Under review",
    # The gateway shows a partner its clash (撞单) as under review: who else registered is not theirs to know.
    "clash": "Under review",
    "refused": "Refused",
    "approved": "Approved, protected",
    "rejected": "Rejected",
    "lapsed": "Protection ended",
    "converted": "Converted to an opportunity",
}
OUTCOME = {
    "no_conflict": "No conflict: the registration goes to the channel manager for approval.",
    "under_review": "Under review: the channel manager reviews this registration before it is approved.",
    "refused": "Refused: this customer is already registered.",
}
EXTENSION_STATUS = {
    "submitting": "Being submitted",
    "pending": "Waiting for approval",
    "approved": "Extension approved",
    "rejected": "Rejected",
}
APPLICATION_STATUS = {"submitted": "Submitted", "approved": "Application approved", "rejected": "Rejected"}
LABELS = {
    "registration": REGISTRATION_STATUS,
    "outcome": OUTCOME,
    "extension": EXTENSION_STATUS,
    "application": APPLICATION_STATUS,
}

# The registration form: the gateway's field names, in the order shown.
REGISTRATION_FIELDS = (
    "company_name", "credit_code", "phone", "province", "city", "industry", "contact_name", "contact_phone",
    "product_line", "models", "quantity", "expected_amount", "expected_close_date",
)
APPLICATION_FIELDS = ("registration_id", "period_starts_on", "period_ends_on", "amount_asked", "note", "title")
MATERIAL_FIELDS = ("title", "file")
# A form field that stands for several of the gateway's: the file input for the document's name, content and type.
ALIASES = {"file": ("file", "filename", "content_base64", "content_type")}

# 元 as typed: digits (thousands commas allowed), at most two decimals, at most 10^13 元 (the gateway's bound
# is 10^15 分). No exponent, sign or third decimal: those are refused rather than rounded.
_YUAN = re.compile(r"(?P<whole>\d{1,13}|\d{1,3}(?:,\d{3}){1,4})(?:\.(?P<frac>\d{1,2}))?")
_WHOLE = re.compile(r"\d{1,7}")


class FormErrors(dict[str, list[str]]):
    def add(self, name: str, message: str) -> None:
        self.setdefault(name, []).append(message)


def fen_from_yuan(text: str) -> int:
    """'1,234.56' or '¥1234.5' → 123456 / 123450 分, exactly. ValueError for anything else."""
    cleaned = text.strip().lstrip("¥￥").strip()
    m = _YUAN.fullmatch(cleaned)
    if not m:
        raise ValueError(text)
    whole = int(m["whole"].replace(",", ""))
    frac = (m["frac"] or "").ljust(2, "0")
    return whole * 100 + int(frac)


def rate_text(bp: int) -> str:
    """Basis points as a percentage: 200 → '2%', 250 → '2.5%', 5 → '0.05%'."""
    whole, rest = divmod(int(bp or 0), 100)
    return f"{whole}.{rest:02d}".rstrip("0").rstrip(".") + "%"


def shanghai_today() -> date:
    return datetime.now(SHANGHAI).date()


def days_left(until: Any, today: date | None = None) -> int | None:
    """Calendar days (Asia/Shanghai) from today to the protection's last day; None without one."""
    end = shanghai_date(until)
    if not end:
        return None
    return (date.fromisoformat(end) - (today or shanghai_today())).days


def _field_parts(field: str) -> list[str]:
    """`expected_amount.amount_minor` → its parts; `models[0]` → `models`."""
    return [p for p in re.split(r"[./]|\[\d+\]", field) if p]


def problem_fields(problem: GatewayProblem | None, name: str) -> list[str]:
    """The gateway's descriptions for form field `name`: `name`, `x.name`, `name.amount_minor`, `models[0]`."""
    if problem is None:
        return []
    return [str(e.get("description", "")) for e in problem.errors if name in _field_parts(str(e.get("field", "")))]


def unmatched_errors(problem: GatewayProblem | None, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """The gateway's field errors that no field of the form shows (for the banner)."""
    if problem is None:
        return []
    shown = {alias for name in fields for alias in ALIASES.get(name, (name,))}
    return [e for e in problem.errors if not set(_field_parts(str(e.get("field", "")))) & shown]


def _page(
    request: Request,
    name: str,
    ctx: dict[str, Any],
    *,
    fields: tuple[str, ...] = (),
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    problem = ctx.get("problem")
    local = errors or FormErrors()

    def errs(field: str) -> list[str]:
        return local.get(field, []) + [m for name in ALIASES.get(field, (field,)) for m in problem_fields(problem, name)]

    ctx = {
        "labels": LABELS,
        "errs": errs,
        "unmatched": unmatched_errors(problem, fields),
        "rate_text": rate_text,
        "has_errors": bool(local),
        "form": {},
        **ctx,
    }
    return render(request, name, ctx, status_code=status_code)


def _refusal_status(problem: GatewayProblem) -> int:
    """A refusal shown on the form keeps the gateway's 4xx."""
    return problem.status if 400 <= problem.status < 500 else 503


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _file(form: FormData, name: str) -> UploadFile | None:
    value = form.get(name)
    if value is None or isinstance(value, str) or not getattr(value, "filename", ""):
        return None
    return value  # type: ignore[return-value]


async def _material(upload: UploadFile | None, errors: FormErrors) -> tuple[str, bytes, str] | None:
    """The chosen file as (filename, content, type); an empty or too large one is a field error."""
    if upload is None:
        return None
    content = await upload.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        errors.add("file", "The file is larger than 14 MB.")
        return None
    if not content:
        errors.add("file", "The file is empty.")
        return None
    return upload.filename or "material", content, upload.content_type or ""


def _document_body(material: tuple[str, bytes, str], title: str) -> dict[str, Any]:
    filename, content, content_type = material
    return {
        "filename": filename[-255:],
        "title": title or filename[:200],
        "content_type": content_type,
        "content_base64": base64.b64encode(content).decode("ascii"),
    }


def _money(fen: int) -> dict[str, Any]:
    return {"amount_minor": fen, "currency": "CNY"}


# --- home ----------------------------------------------------------------------


@router.get("/partner", include_in_schema=False)
async def partner_home(s: Annotated[Session, Depends(session)]) -> Response:
    return RedirectResponse("/partner/registrations", status_code=303)


# --- registrations -------------------------------------------------------------


async def _registrations_page(
    request: Request,
    gw: GatewayClient,
    *,
    page_token: str = "",
    status: str = "",
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    problem: GatewayProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    org = await gw.get("/v1/partner/organisation")
    listing = await gw.get(
        "/v1/partner/registrations", params={"page_size": PAGE_SIZE, "page_token": page_token, "status": status}
    )
    rows = [
        {"r": r, "days_left": days_left(r.get("protected_until")) if r.get("status") == "approved" else None}
        for r in listing.get("registrations", [])
    ]
    return _page(
        request,
        "partner/registrations.html",
        {
            "org": (org or {}).get("distributor") or {},
            "rows": rows,
            "next_page_token": listing.get("next_page_token", ""),
            "status": status,
            # A partner never sees a clash as such (the gateway says under review), so it is no filter of theirs.
            "statuses": [code for code in REGISTRATION_STATUS if code != "clash"],
            "form": form or {},
            "problem": problem,
        },
        fields=REGISTRATION_FIELDS,
        errors=errors,
        status_code=status_code,
    )


@router.get("/partner/registrations", response_class=HTMLResponse, include_in_schema=False)
async def registrations(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    page_token: str = "",
    status: str = "",
) -> HTMLResponse:
    return await _registrations_page(request, gw, page_token=page_token, status=status)


def registration_body(form: dict[str, str], errors: FormErrors) -> dict[str, Any]:
    """The gateway's SubmitRegistration body from the form's text; format problems go to `errors`."""
    body: dict[str, Any] = {
        name: form.get(name, "")
        for name in REGISTRATION_FIELDS
        if name not in ("models", "quantity", "expected_amount")
    }
    body["models"] = [m.strip() for m in re.split(r"[,，;；\n]", form.get("models", "")) if m.strip()]
    quantity = form.get("quantity", "")
    if quantity and not _WHOLE.fullmatch(quantity):
        errors.add("quantity", "Enter a whole number.")
    body["quantity"] = int(quantity) if quantity and _WHOLE.fullmatch(quantity) else 0
    amount = form.get("expected_amount", "")
    if not amount:
        errors.add("expected_amount", "Enter the expected amount in 元.")
    else:
        try:
            body["expected_amount"] = _money(fen_from_yuan(amount))
        except ValueError:
            errors.add("expected_amount", "Enter an amount in 元 with at most two decimals, e.g. 1234.56.")
    return body


@router.post("/partner/registrations", response_class=HTMLResponse, include_in_schema=False)
async def submit_registration(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
) -> Response:
    submitted = await request.form()
    form = {name: _text(submitted, name) for name in REGISTRATION_FIELDS}
    errors = FormErrors()
    body = registration_body(form, errors)
    if errors:
        return await _registrations_page(request, gw, form=form, errors=errors, status_code=422)
    try:
        answer = await gw.post("/v1/partner/registrations", json=body)
    except GatewayProblem as exc:
        if exc.status >= 500 or exc.status in (401, 403):
            raise
        return await _registrations_page(request, gw, form=form, problem=exc, status_code=_refusal_status(exc))
    registration_id = answer["registration"]["registration_id"]
    return RedirectResponse(f"/partner/registrations/{registration_id}?submitted=1", status_code=303)


async def _registration_page(
    request: Request,
    gw: GatewayClient,
    registration_id: str,
    *,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    problem: GatewayProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    reg = (await gw.get(f"/v1/partner/registrations/{registration_id}"))["registration"]
    extensions = (await gw.get(f"/v1/partner/registrations/{registration_id}/extensions")).get("extensions", [])
    terms = None
    if reg.get("status") == "approved":
        terms = (await gw.get("/v1/protection-terms")).get("terms")
    return _page(
        request,
        "partner/registration.html",
        {
            "reg": reg,
            "customer": reg.get("customer") or {},
            "days_left": days_left(reg.get("protected_until")),
            "extensions": extensions,
            "terms": terms or {},
            "submitted": request.query_params.get("submitted") == "1",
            "extended": request.query_params.get("extended") == "1",
            "form": form or {},
            "problem": problem,
        },
        fields=("days", "reason"),
        errors=errors,
        status_code=status_code,
    )


@router.get("/partner/registrations/{registration_id}", response_class=HTMLResponse, include_in_schema=False)
async def registration(
    request: Request,
    registration_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
) -> HTMLResponse:
    return await _registration_page(request, gw, registration_id)


@router.post(
    "/partner/registrations/{registration_id}/extension", response_class=HTMLResponse, include_in_schema=False
)
async def request_extension(
    request: Request,
    registration_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
) -> Response:
    submitted = await request.form()
    form = {name: _text(submitted, name) for name in ("days", "reason")}
    errors = FormErrors()
    if not _WHOLE.fullmatch(form["days"]):
        errors.add("days", "Enter a whole number of days.")
    if errors:
        return await _registration_page(request, gw, registration_id, form=form, errors=errors, status_code=422)
    try:
        await gw.post(
            f"/v1/partner/registrations/{registration_id}/extension",
            json={"days": int(form["days"]), "reason": form["reason"]},
        )
    except GatewayProblem as exc:
        if exc.status >= 500 or exc.status in (401, 403, 404):
            raise
        return await _registration_page(
            request, gw, registration_id, form=form, problem=exc, status_code=_refusal_status(exc)
        )
    return RedirectResponse(f"/partner/registrations/{registration_id}?extended=1", status_code=303)


# --- promotions ----------------------------------------------------------------


@router.get("/partner/promotions", response_class=HTMLResponse, include_in_schema=False)
async def promotions(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    page_token: str = "",
    applications_token: str = "",
) -> HTMLResponse:
    programmes = await gw.get("/v1/partner/promotions", params={"page_size": PAGE_SIZE, "page_token": page_token})
    applications = await gw.get(
        "/v1/partner/promotion-applications", params={"page_size": PAGE_SIZE, "page_token": applications_token}
    )
    return _page(
        request,
        "partner/promotions.html",
        {
            "programmes": programmes.get("programmes", []),
            "next_page_token": programmes.get("next_page_token", ""),
            "applications": applications.get("applications", []),
            "applications_next": applications.get("next_page_token", ""),
        },
    )


async def _apply_page(
    request: Request,
    gw: GatewayClient,
    programme_id: str,
    *,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    problem: GatewayProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    programme = (await gw.get(f"/v1/partner/promotions/{programme_id}"))["programme"]
    # A promotion is asked for one of the distributor's approved (or since converted) registrations.
    choices: list[dict[str, Any]] = []
    for status in ("approved", "converted"):
        listed = await gw.get(
            "/v1/partner/registrations", params={"status": status, "page_size": REGISTRATION_CHOICES}
        )
        choices += listed.get("registrations", [])
    return _page(
        request,
        "partner/apply.html",
        {"programme": programme, "choices": choices, "form": form or {}, "problem": problem},
        fields=APPLICATION_FIELDS + ("file",),
        errors=errors,
        status_code=status_code,
    )


@router.get("/partner/promotions/{programme_id}/apply", response_class=HTMLResponse, include_in_schema=False)
async def apply_form(
    request: Request,
    programme_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
) -> HTMLResponse:
    chosen = request.query_params.get("registration_id", "")
    return await _apply_page(request, gw, programme_id, form={"registration_id": chosen})


@router.post("/partner/promotions/{programme_id}/apply", response_class=HTMLResponse, include_in_schema=False)
async def apply(
    request: Request,
    programme_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
) -> Response:
    submitted = await request.form()
    form = {name: _text(submitted, name) for name in APPLICATION_FIELDS}
    errors = FormErrors()
    body: dict[str, Any] = {
        "registration_id": form["registration_id"],
        "period_starts_on": form["period_starts_on"],
        "period_ends_on": form["period_ends_on"],
        "note": form["note"],
    }
    if not form["amount_asked"]:
        errors.add("amount_asked", "Enter the amount asked in 元.")
    else:
        try:
            body["amount_asked"] = _money(fen_from_yuan(form["amount_asked"]))
        except ValueError:
            errors.add("amount_asked", "Enter an amount in 元 with at most two decimals, e.g. 1234.56.")
    material = await _material(_file(submitted, "file"), errors)
    if errors:
        return await _apply_page(request, gw, programme_id, form=form, errors=errors, status_code=422)
    try:
        answer = await gw.post(f"/v1/partner/promotions/{programme_id}/applications", json=body)
    except GatewayProblem as exc:
        if exc.status >= 500 or exc.status in (401, 403):
            raise
        return await _apply_page(request, gw, programme_id, form=form, problem=exc, status_code=_refusal_status(exc))
    application_id = answer["application"]["application_id"]
    if material is not None:
        try:
            await gw.post(
                f"/v1/partner/promotion-applications/{application_id}/documents",
                json=_document_body(material, form["title"]),
            )
        except GatewayProblem as exc:
            if exc.status in (401,):
                raise
            # The application stands; its page says the material was not filed and offers the upload again.
            return await _application_page(request, gw, application_id, problem=exc, material_failed=True)
    return RedirectResponse(f"/partner/promotions/applications/{application_id}?submitted=1", status_code=303)


async def _application_page(
    request: Request,
    gw: GatewayClient,
    application_id: str,
    *,
    problem: GatewayProblem | None = None,
    errors: FormErrors | None = None,
    material_failed: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    application = (await gw.get(f"/v1/partner/promotion-applications/{application_id}"))["application"]
    documents = await gw.get(
        f"/v1/partner/promotion-applications/{application_id}/documents", params={"page_size": PAGE_SIZE}
    )
    return _page(
        request,
        "partner/application.html",
        {
            "application": application,
            "documents": documents.get("documents", []),
            "submitted": request.query_params.get("submitted") == "1",
            "filed": request.query_params.get("filed") == "1",
            "material_failed": material_failed,
            "problem": problem,
        },
        fields=MATERIAL_FIELDS,
        errors=errors,
        status_code=status_code,
    )


@router.get(
    "/partner/promotions/applications/{application_id}", response_class=HTMLResponse, include_in_schema=False
)
async def application(
    request: Request,
    application_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
) -> HTMLResponse:
    return await _application_page(request, gw, application_id)


@router.post(
    "/partner/promotions/applications/{application_id}/documents",
    response_class=HTMLResponse,
    include_in_schema=False,
)
async def file_material(
    request: Request,
    application_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
) -> Response:
    submitted = await request.form()
    errors = FormErrors()
    material = await _material(_file(submitted, "file"), errors)
    if material is None and not errors:
        errors.add("file", "Choose a file.")
    if errors or material is None:
        return await _application_page(request, gw, application_id, errors=errors, status_code=422)
    try:
        await gw.post(
            f"/v1/partner/promotion-applications/{application_id}/documents",
            json=_document_body(material, _text(submitted, "title")),
        )
    except GatewayProblem as exc:
        if exc.status >= 500 or exc.status in (401, 403, 404):
            raise
        return await _application_page(
            request, gw, application_id, problem=exc, material_failed=True, status_code=_refusal_status(exc)
        )
    return RedirectResponse(f"/partner/promotions/applications/{application_id}?filed=1", status_code=303)


@router.get(
    "/partner/promotions/applications/{application_id}/material/{version_id}", include_in_schema=False
)
async def material(
    application_id: str,
    version_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
) -> Response:
    """A filed document's content, as a download. The gateway answers a partner only for material of its
    organisation's applications (its content route stays the manufacturer's: the JSON answer carries it)."""
    answer = await gw.get(f"/v1/document-versions/{version_id}", params={"include_content": "true"})
    version = answer.get("version") or {}
    if version.get("subject_type") != "promotion_application" or version.get("subject_id") != application_id:
        raise GatewayProblem(status=404, title="Not found", detail="no such material on this application")
    content = base64.b64decode(answer.get("content_base64") or "")
    filename = str(version.get("filename") or "material")
    # Always a download, never rendered on the console's origin, whatever type the file claims.
    return Response(content, media_type="application/octet-stream", headers={
        "content-disposition": f"attachment; filename*=UTF-8''{quote(filename, safe='')}",
        "cache-control": "private, no-store",
    })


# --- rebates -------------------------------------------------------------------


def progress_of(progress: dict[str, Any]) -> dict[str, Any]:
    """What the progress bar shows: collected against the next tier's threshold (a full bar at the top tier)."""
    collected = int(progress.get("collected_minor") or 0)
    threshold = int(progress.get("next_threshold_minor") or 0)
    if threshold <= 0:
        return {"value": max(collected, 1), "max": max(collected, 1), "percent": 100, "top": True}
    shown = min(collected, threshold)
    return {"value": shown, "max": threshold, "percent": shown * 100 // threshold, "top": False}


@router.get("/partner/rebates", response_class=HTMLResponse, include_in_schema=False)
async def rebates(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    on: str = "",
) -> HTMLResponse:
    answer = await gw.get("/v1/partner/rebates", params={"on": on})
    rows = [
        {
            "programme": r.get("programme") or {},
            "progress": r.get("progress") or {},
            "bar": progress_of(r.get("progress") or {}),
        }
        for r in answer.get("rebates", [])
    ]
    return _page(request, "partner/rebates.html", {"rows": rows, "on": on})


# --- the manufacturer's side: clashes (撞单) for the channel manager --------------

MATCHED_BY = {
    "credit_code": "the same unified social credit code",
    "phone": "the same phone",
    "similar_name": "a similar name in the same city",
}


async def _clashes_page(
    request: Request,
    gw: GatewayClient,
    *,
    status: str = "open",
    problem: GatewayProblem | None = None,
    failed_clash: str = "",
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    answer = await gw.get("/v1/registrations/clashes", params={"status": status, "page_size": PAGE_SIZE})
    return _page(
        request,
        "partner/clashes.html",
        {
            "clashes": answer.get("clashes", []),
            "status": status,
            "matched_by": MATCHED_BY,
            "decided": request.query_params.get("decided", ""),
            "failed_clash": failed_clash,
            "form": form or {},
            "problem": problem,
        },
        fields=("winner_registration_id", "comment"),
        status_code=status_code,
    )


@router.get("/partner/clashes", response_class=HTMLResponse, include_in_schema=False)
async def clashes(
    request: Request,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
    status: str = "open",
) -> HTMLResponse:
    return await _clashes_page(request, gw, status=status)


@router.post("/partner/clashes/{clash_id}/decide", response_class=HTMLResponse, include_in_schema=False)
async def decide_clash(
    request: Request,
    clash_id: str,
    s: Annotated[Session, Depends(session)],
    gw: Annotated[GatewayClient, Depends(gateway)],
) -> Response:
    submitted = await request.form()
    form = {name: _text(submitted, name) for name in ("winner_registration_id", "comment")}
    try:
        await gw.post(f"/v1/registrations/clashes/{clash_id}/decide", json=form)
    except GatewayProblem as exc:
        if exc.status >= 500 or exc.status in (401, 403, 404):
            raise
        return await _clashes_page(request, gw, problem=exc, failed_clash=clash_id, form=form,
                                   status_code=_refusal_status(exc))
    return RedirectResponse(f"/partner/clashes?decided={clash_id}", status_code=303)
