"""The customer's whole story: the list a user may see, and one customer's page
whose sections (decision chain, private notes, activity log with its hash-chain
check, documents with versions and the highlighted diff, approvals, payments and
aging) load as htmx fragments when opened, so the page sends no more than it shows.

Every section is the gateway's answer; a 403 for one section (notes for a
reviewer, payments for a role without them) is said in that section, never an
error page for the whole customer."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse

from web.gateway import GatewayClient, GatewayProblem, gateway
from web.i18n import yuan
from web.session import Session, session
from web.templating import is_htmx, render

router = APIRouter()

Signed = Annotated[Session, Depends(session)]
Gateway = Annotated[GatewayClient, Depends(gateway)]

PAGE_SIZE = 20
# The customer's opportunities a section reads (approvals, documents, payments): the first page, oldest first.
OPPORTUNITY_PAGE = 20
TIERS = ("战略", "重点", "普通")
ACTIVITIES_SHOWN = 50
SECTIONS = ("contacts", "notes", "activities", "documents", "approvals", "payments",
            # The signals' sections (pages/signals_customer.py).
            "signal-tags", "conversation-summary", "intent", "deal-signals", "wecom-ids",
            # The value tier and health (pages/customer_value/customer.py).
            "value-health")


def _p(value: str) -> str:
    """An id as one path segment of a gateway URL (nothing in it can climb out)."""
    return quote(value, safe="")


def _fragment(request: Request, name: str, ctx: dict[str, Any], *, status_code: int = 200) -> HTMLResponse:
    """A section for htmx; opened without htmx (a link, no script), the section on a page of its own."""
    if is_htmx(request):
        return render(request, name, ctx, status_code=status_code)
    return render(request, "customers/section_page.html", ctx | {"partial": name}, status_code=status_code)


async def _allowed(call: Any) -> tuple[Any, bool]:
    """The gateway's answer, or (None, False) when it says the caller's role may not see it (403)."""
    try:
        return await call, True
    except GatewayProblem as exc:
        if exc.status == 403:
            return None, False
        raise


async def _opportunities(gw: GatewayClient, customer_id: str) -> list[dict[str, Any]]:
    """The customer's opportunities. The customer itself is read beside them: a list filtered by a customer the
    caller may not see is merely empty, and the section must say "not found" as the customer's page does."""
    _, answer = await asyncio.gather(
        gw.get(f"/v1/customers/{_p(customer_id)}"),
        gw.get("/v1/opportunities", params={"customer_id": customer_id, "page_size": OPPORTUNITY_PAGE}),
    )
    # Kept to this customer's even from a gateway that would answer a wider list.
    return [o for o in answer.get("opportunities", []) if o.get("customer_id") == customer_id]


@router.get("/customers", response_class=HTMLResponse, include_in_schema=False)
async def customer_list(
    request: Request,
    s: Signed,
    gw: Gateway,
    value_tier: Annotated[str, Query(max_length=10)] = "",
    owner_id: Annotated[str, Query(max_length=64)] = "",
    page_token: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    answer = await gw.get("/v1/customers", params={
        "value_tier": value_tier, "owner_id": owner_id.strip(), "page_size": PAGE_SIZE, "page_token": page_token,
    })
    filters = urlencode({k: v for k, v in (("value_tier", value_tier), ("owner_id", owner_id.strip())) if v})
    base = "/customers" + (f"?{filters}" if filters else "")
    return render(request, "customers/list.html", {
        "customers": answer.get("customers", []), "next_page_token": answer.get("next_page_token", ""),
        "value_tier": value_tier, "owner_id": owner_id, "tiers": TIERS, "base": base,
    })


@router.get("/customers/{customer_id}", response_class=HTMLResponse, include_in_schema=False)
async def customer_page(
    request: Request,
    customer_id: str,
    s: Signed,
    gw: Gateway,
    open_: Annotated[str, Query(alias="open", max_length=20)] = "",
) -> HTMLResponse:
    answer = await gw.get(f"/v1/customers/{_p(customer_id)}")  # another tenant's id: 404, the not-found page
    return render(request, "customers/detail.html", {
        "customer": answer["customer"], "customer_id": customer_id,
        "open_section": open_ if open_ in SECTIONS else "",
    })


@router.get("/customers/{customer_id}/contacts", response_class=HTMLResponse, include_in_schema=False)
async def contacts(request: Request, customer_id: str, s: Signed, gw: Gateway) -> HTMLResponse:
    answer = await gw.get(f"/v1/customers/{_p(customer_id)}/contacts")
    return _fragment(request, "customers/_contacts.html", {
        "customer_id": customer_id, "contacts": answer.get("contacts", []),
    })


async def _notes_section(
    request: Request, customer_id: str, gw: GatewayClient, *, problem: GatewayProblem | None = None,
    text: str = "", status_code: int = 200,
) -> HTMLResponse:
    answer, allowed = await _allowed(gw.get(f"/v1/customers/{_p(customer_id)}/notes"))
    return _fragment(request, "customers/_notes.html", {
        "customer_id": customer_id, "allowed": allowed, "notes": (answer or {}).get("notes", []),
        "problem": problem, "text": text,
    }, status_code=status_code)


@router.get("/customers/{customer_id}/notes", response_class=HTMLResponse, include_in_schema=False)
async def notes(request: Request, customer_id: str, s: Signed, gw: Gateway) -> HTMLResponse:
    return await _notes_section(request, customer_id, gw)


@router.post("/customers/{customer_id}/notes", response_class=HTMLResponse, include_in_schema=False)
async def add_note(
    request: Request, customer_id: str, s: Signed, gw: Gateway, text: Annotated[str, Form(max_length=20_000)] = ""
) -> HTMLResponse:
    try:
        await gw.post(f"/v1/customers/{_p(customer_id)}/notes", json={"text": text})
    except GatewayProblem as exc:
        if exc.status == 403:
            return await _notes_section(request, customer_id, gw)
        if exc.status >= 500 or exc.status in (401, 404):
            raise
        return await _notes_section(request, customer_id, gw, problem=exc, text=text, status_code=exc.status)
    return await _notes_section(request, customer_id, gw)


@router.get("/customers/{customer_id}/activities", response_class=HTMLResponse, include_in_schema=False)
async def activities(
    request: Request, customer_id: str, s: Signed, gw: Gateway, all_: Annotated[bool, Query(alias="all")] = False
) -> HTMLResponse:
    log, chain = await asyncio.gather(
        gw.get(f"/v1/customers/{_p(customer_id)}/activities"),
        gw.get(f"/v1/customers/{_p(customer_id)}/activity-chain"),
    )
    broken_seq = chain.get("first_broken_seq") if not chain.get("intact") else None
    entries = log.get("activities", [])
    # The gateway answers the whole log; the section shows its latest entries until asked for all of them.
    shown = entries if all_ else entries[-ACTIVITIES_SHOWN:]
    return _fragment(request, "customers/_activities.html", {
        "customer_id": customer_id, "activities": shown, "chain": chain, "broken_seq": broken_seq,
        "hidden": len(entries) - len(shown),
    })


async def _contracts(gw: GatewayClient, opportunity_id: str) -> list[dict[str, Any]]:
    answer = await gw.get("/v1/contracts", params={"opportunity_id": opportunity_id})
    return answer.get("contracts", [])


async def _opportunity_documents(gw: GatewayClient, opportunity_id: str) -> list[dict[str, Any]]:
    """An opportunity's documents and its contracts' (a contract's document is filed on the contract)."""
    own, contracts = await asyncio.gather(
        gw.get("/v1/documents", params={"opportunity_id": opportunity_id, "page_size": PAGE_SIZE}),
        _contracts(gw, opportunity_id),
    )
    filed = await asyncio.gather(*(
        gw.get("/v1/documents", params={"subject_type": "contract", "subject_id": c["contract_id"],
                                        "page_size": PAGE_SIZE})
        for c in contracts
    ))
    seen: set[str] = set()
    found = []
    for d in [*own.get("documents", []), *(d for a in filed for d in a.get("documents", []))]:
        if d["document_id"] not in seen:
            seen.add(d["document_id"])
            found.append(d)
    return found


@router.get("/customers/{customer_id}/documents", response_class=HTMLResponse, include_in_schema=False)
async def documents(request: Request, customer_id: str, s: Signed, gw: Gateway) -> HTMLResponse:
    own, opportunities = await asyncio.gather(
        _allowed(gw.get("/v1/documents", params={
            "subject_type": "customer", "subject_id": customer_id, "page_size": PAGE_SIZE,
        })),
        _opportunities(gw, customer_id),
    )
    answer, allowed = own
    if not allowed:
        return _fragment(request, "customers/_documents.html", {"customer_id": customer_id, "allowed": False})
    groups = [({"name": None}, answer.get("documents", []))]
    per_opportunity = await asyncio.gather(*(_opportunity_documents(gw, o["opportunity_id"]) for o in opportunities))
    groups += [(o, docs) for o, docs in zip(opportunities, per_opportunity, strict=True)]
    return _fragment(request, "customers/_documents.html", {
        "customer_id": customer_id, "allowed": True, "groups": [(o, docs) for o, docs in groups if docs],
    })


@router.get("/customers/{customer_id}/documents/{document_id}/versions", response_class=HTMLResponse,
            include_in_schema=False)
async def versions(request: Request, customer_id: str, document_id: str, s: Signed, gw: Gateway) -> HTMLResponse:
    answer = await gw.get(f"/v1/documents/{_p(document_id)}/versions", params={"page_size": 100})
    found = answer.get("versions", [])
    return _fragment(request, "customers/_versions.html", {
        "customer_id": customer_id, "document_id": document_id, "versions": found,
        "default_from": found[-2]["version_id"] if len(found) > 1 else "",
        "default_to": found[-1]["version_id"] if found else "",
    })


def _field_value(change: dict[str, Any], value: str, lang: str) -> str:
    """A changed field's value as people read it: amounts in ¥ from 分, shares from basis points."""
    name = change.get("attribute") or change.get("field") or ""
    if value and value.lstrip("-").isdigit():
        if name.endswith("_minor"):
            return yuan(int(value), "CNY", lang)
        if name.endswith("_bp"):
            return f"{int(value) / 100:g}%"
    return value


@router.get("/customers/{customer_id}/documents/{document_id}/diff", response_class=HTMLResponse,
            include_in_schema=False)
async def diff(
    request: Request,
    customer_id: str,
    document_id: str,
    s: Signed,
    gw: Gateway,
    from_: Annotated[str, Query(alias="from", max_length=64)] = "",
    to: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    ctx: dict[str, Any] = {"customer_id": customer_id, "document_id": document_id}
    try:
        answer = await gw.get(f"/v1/documents/{_p(document_id)}/diff", params={"from": from_, "to": to})
    except GatewayProblem as exc:
        if exc.status not in (400, 422):
            raise
        return _fragment(request, "customers/_diff.html", ctx | {"problem": exc}, status_code=exc.status)
    lang = request.state.lang
    fields = [c | {"before_text": _field_value(c, c.get("before", ""), lang),
                   "after_text": _field_value(c, c.get("after", ""), lang)} for c in answer.get("field_changes", [])]
    return _fragment(request, "customers/_diff.html", ctx | {"diff": answer, "field_changes": fields})


@router.get("/customers/{customer_id}/approvals", response_class=HTMLResponse, include_in_schema=False)
async def approvals(request: Request, customer_id: str, s: Signed, gw: Gateway) -> HTMLResponse:
    opportunities = await _opportunities(gw, customer_id)
    return _fragment(request, "customers/_approvals.html", {
        "customer_id": customer_id, "opportunities": opportunities,
        "decided": [(o, a) for o in opportunities for a in o.get("approvals") or []],
    })


@router.get("/customers/{customer_id}/payments", response_class=HTMLResponse, include_in_schema=False)
async def payments(request: Request, customer_id: str, s: Signed, gw: Gateway) -> HTMLResponse:
    _, (stats, allowed) = await asyncio.gather(
        gw.get(f"/v1/customers/{_p(customer_id)}"),  # another tenant's or rep's customer: not found, as its page
        _allowed(gw.get(f"/v1/customers/{_p(customer_id)}/payment-stats")),
    )
    if not allowed:
        return _fragment(request, "customers/_payments.html", {"customer_id": customer_id, "allowed": False})
    opportunities, (aging, aging_allowed) = await asyncio.gather(
        _opportunities(gw, customer_id),
        _allowed(gw.get("/v1/finance/aging", params={"group_by": "contract", "customer_id": customer_id})),
    )
    answers = await asyncio.gather(*(
        asyncio.gather(
            gw.get(f"/v1/opportunities/{_p(o['opportunity_id'])}/payment-plans"),
            gw.get(f"/v1/opportunities/{_p(o['opportunity_id'])}/receipts"),
            _allowed(_contracts(gw, o["opportunity_id"])),
        )
        for o in opportunities
    ))
    deals = [
        {"opportunity": o, "plans": plans.get("plans", []), "receipts": receipts.get("receipts", [])}
        for o, (plans, receipts, _) in zip(opportunities, answers, strict=True)
    ]
    # The aging names contracts by id: shown by their 合同编号 or title where the caller may read the contract.
    contract_names = {
        c["contract_id"]: c.get("contract_number") or c.get("title") or c["contract_id"]
        for _, _, (contracts, _) in answers for c in contracts or []
    }
    return _fragment(request, "customers/_payments.html", {
        "customer_id": customer_id, "allowed": True, "stats": stats.get("stats", []), "as_of": stats.get("as_of", ""),
        "period_days": stats.get("period_days", 0),
        "deals": [d for d in deals if d["plans"] or d["receipts"]],
        "aging": aging if aging_allowed else None, "contract_names": contract_names,
    })
