"""The partner's registrations (报备): the list and the form, one registration
with what the conflict check answered and its protection window, and an
extension of it."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.pages.partner.common import (
    PAGE_SIZE,
    REGISTRATION_STATUS,
    FormErrors,
    days_left,
    fen_from_yuan,
    form_text,
    money,
    page,
    refusal_status,
)
from web.session import Session, session

router = APIRouter()

# The registration form: the gateway's field names, in the order shown.
REGISTRATION_FIELDS = (
    "company_name", "credit_code", "phone", "province", "city", "industry", "contact_name", "contact_phone",
    "product_line", "models", "quantity", "expected_amount", "expected_close_date",
)
_WHOLE = re.compile(r"\d{1,7}")


@router.get("/partner", include_in_schema=False)
async def partner_home(s: Annotated[Session, Depends(session)]) -> Response:
    return RedirectResponse("/partner/registrations", status_code=303)


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
    return page(
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
            body["expected_amount"] = money(fen_from_yuan(amount))
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
    form = {name: form_text(submitted, name) for name in REGISTRATION_FIELDS}
    errors = FormErrors()
    body = registration_body(form, errors)
    if errors:
        return await _registrations_page(request, gw, form=form, errors=errors, status_code=422)
    try:
        answer = await gw.post("/v1/partner/registrations", json=body)
    except GatewayProblem as exc:
        if exc.status >= 500 or exc.status in (401, 403):
            raise
        return await _registrations_page(request, gw, form=form, problem=exc, status_code=refusal_status(exc))
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
    return page(
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
    form = {name: form_text(submitted, name) for name in ("days", "reason")}
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
            request, gw, registration_id, form=form, problem=exc, status_code=refusal_status(exc)
        )
    return RedirectResponse(f"/partner/registrations/{registration_id}?extended=1", status_code=303)
