"""The partner's promotions: the programmes, an application for one, and the
application's material (filed, and downloaded)."""

from __future__ import annotations

import base64
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.pages.partner.common import (
    PAGE_SIZE,
    FormErrors,
    document_body,
    fen_from_yuan,
    form_file,
    form_text,
    money,
    page,
    read_material,
    refusal_status,
)
from web.session import Session, session

router = APIRouter()

# Approved registrations offered in the promotion form's list (the distributor's newest).
REGISTRATION_CHOICES = 100
APPLICATION_FIELDS = ("registration_id", "period_starts_on", "period_ends_on", "amount_asked", "note", "title")
MATERIAL_FIELDS = ("title", "file")


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
    return page(
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
    return page(
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
    form = {name: form_text(submitted, name) for name in APPLICATION_FIELDS}
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
            body["amount_asked"] = money(fen_from_yuan(form["amount_asked"]))
        except ValueError:
            errors.add("amount_asked", "Enter an amount in 元 with at most two decimals, e.g. 1234.56.")
    material = await read_material(form_file(submitted, "file"), errors)
    if errors:
        return await _apply_page(request, gw, programme_id, form=form, errors=errors, status_code=422)
    try:
        answer = await gw.post(f"/v1/partner/promotions/{programme_id}/applications", json=body)
    except GatewayProblem as exc:
        if exc.status >= 500 or exc.status in (401, 403):
            raise
        return await _apply_page(request, gw, programme_id, form=form, problem=exc, status_code=refusal_status(exc))
    application_id = answer["application"]["application_id"]
    if material is not None:
        try:
            await gw.post(
                f"/v1/partner/promotion-applications/{application_id}/documents",
                json=document_body(material, form["title"]),
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
    return page(
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
    material = await read_material(form_file(submitted, "file"), errors)
    if material is None and not errors:
        errors.add("file", "Choose a file.")
    if errors or material is None:
        return await _application_page(request, gw, application_id, errors=errors, status_code=422)
    try:
        await gw.post(
            f"/v1/partner/promotion-applications/{application_id}/documents",
            json=document_body(material, form_text(submitted, "title")),
        )
    except GatewayProblem as exc:
        if exc.status >= 500 or exc.status in (401, 403, 404):
            raise
        return await _application_page(
            request, gw, application_id, problem=exc, material_failed=True, status_code=refusal_status(exc)
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
