"""A partner sees only their own organisation's rows (issue 15): every route
of the gateway, called as zhaolei (distributor dist-hz) holding the ids of
another distributor's objects — sunli's (dist-nb) registration, the clash
it is in, its promotion application and the document on it, the lead sunli
registered, the approval of sunli's registration, dist-nb itself and its
rebate settlement — and of the manufacturer's (the every-route access
walk's world: a lead, customer, opportunity, approval, document, payment ...).

Each route expects, for zhaolei:
  403   a route family a partner never calls: refused outright, whatever the ids;
  404   a route a partner calls, on an object not theirs: not found;
  MINE  the partner's own rows only (their lists, their organisation): 2xx and
        none of the other distributor's or the manufacturer's ids or names in it;
  OWN   the partner's own write (a lead, a registration): 2xx or a business 4xx,
        and nothing foreign in the answer;
  OPEN  sign-in, probes, the notification stream: about no object.
A refusal must not tell an existing object from none: each foreign id is
also tried as an id of nothing and must get the same answer; a refused write
must leave the other distributor's objects as they were (read back by sunli
and admin). Before the walk, sunli reads each of their objects, so the ids
are real. The routes are read from the running gateway's /openapi.json: a
route without an entry in PARTNER below fails this test."""

from __future__ import annotations

import base64
import json
import string
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from scripts.localstack import DEMO_DISTRIBUTORS, Stack
from tests.e2e.test_access_every_route import (
    NO_SUCH_ID,
    ROUTES,
    USERS,
    Route,
    World,
    build_world,
    call,
    company_digits,
    credit_code,
    ok,
    operations,
    phone,
    readback,
    until,
)

F, N = 403, 404
MINE, OWN, OPEN = "mine", "own", "open"

PARTNER_A, PARTNER_B = "zhaolei", "sunli"  # dist-hz, dist-nb

# What zhaolei gets on every route, with the other distributor's and the manufacturer's ids.
PARTNER: dict[tuple[str, str], object] = {}


def _table(expect: object, *routes: str) -> None:
    for route in routes:
        method, path = route.split(" ", 1)
        assert (method, path) not in PARTNER, route
        PARTNER[method, path] = expect


# --- the partner portal: the partner's own rows, another distributor's not found ---
_table(MINE,
       "GET /v1/partner/organisation",
       "GET /v1/partner/registrations",
       "GET /v1/partner/promotions",
       "GET /v1/partner/promotion-applications",
       "GET /v1/partner/rebates",
       "GET /v1/protection-terms",  # the tenant's terms, the same for every distributor
       "GET /v1/lead-fields",  # the registration form needs the tenant's own fields
       "GET /v1/leads",
       # The sales lists answer a partner with none of the manufacturer's rows.
       "GET /v1/customers", "GET /v1/opportunities", "GET /v1/tasks")
_table(OWN,
       "POST /v1/leads",
       "POST /v1/partner/registrations")
_table(N,
       "GET /v1/distributors/{distributor_id}",
       "GET /v1/partner/registrations/{registration_id}",
       "POST /v1/partner/registrations/{registration_id}/extension",
       "GET /v1/partner/registrations/{registration_id}/extensions",
       "GET /v1/partner/promotions/{programme_id}",  # a draft: not published to partners
       "POST /v1/partner/promotions/{programme_id}/applications",
       "GET /v1/partner/promotion-applications/{application_id}",
       "POST /v1/partner/promotion-applications/{application_id}/documents",
       "GET /v1/partner/promotion-applications/{application_id}/documents",
       "GET /v1/leads/{lead_id}")
# --- the manufacturer's side of the partner portal: refused outright ---
_table(F,
       "POST /v1/distributors", "GET /v1/distributors", "PUT /v1/distributors/{distributor_id}",
       "GET /v1/registrations", "GET /v1/registrations/{registration_id}",
       "GET /v1/registrations/{registration_id}/extensions",
       "GET /v1/registrations/clashes", "GET /v1/registrations/clashes/{clash_id}",
       "POST /v1/registrations/clashes/{clash_id}/decide",
       "PUT /v1/protection-terms", "GET /v1/registration-terms", "PUT /v1/registration-terms",
       "POST /v1/promotions", "GET /v1/promotions", "GET /v1/promotions/{programme_id}",
       "PUT /v1/promotions/{programme_id}",
       "GET /v1/promotion-applications", "GET /v1/promotion-applications/{application_id}",
       "GET /v1/rebates/programmes", "POST /v1/rebates/programmes", "GET /v1/rebates/programmes/{programme_id}",
       "PUT /v1/rebates/programmes/{programme_id}", "GET /v1/rebates/accruals", "POST /v1/rebates/settlements",
       "GET /v1/rebates/settlements", "GET /v1/rebates/settlements/{settlement_id}")
# --- sign-in, probes, the partner's own notifications ---
_table(OPEN,
       "GET /v1/notifications/stream", "POST /v1/auth/token", "GET /.well-known/jwks.json", "GET /healthz",
       "GET /readyz", "GET /metrics")
PARTNER["POST", "/v1/esign/callback"] = 401  # the e-signature provider's (signed), nobody's token

# Once their distributor is deactivated, zhaolei is a partner of none: every route they called (MINE, OWN, 404)
# refuses them (REFUSED: 403 from lead-routing, or 404 where a service asks lead-routing about one subject);
# these exactly 403.
REFUSED = "refused"
DEACTIVATED: dict[tuple[str, str], object] = {
    # The sales lists: opportunity asks lead-routing before listing a partner's (empty) rows, as finance does
    # before their rebates.
    ("GET", "/v1/customers"): F, ("GET", "/v1/opportunities"): F, ("GET", "/v1/tasks"): F,
    ("GET", "/v1/partner/rebates"): F,
}


def _period(world: World, role: str) -> dict:
    return {"period_starts_on": (_today() + timedelta(days=1)).date().isoformat(),
            "period_ends_on": (_today() + timedelta(days=20)).date().isoformat(),
            "amount_asked": {"amount_minor": 1_000_000, "currency": "CNY"}}


def _material(world: World, role: str) -> dict:
    return {"title": "赵磊的材料", "filename": "a.txt", "content_type": "text/plain",
            "content_base64": base64.b64encode("赵磊的材料".encode()).decode()}


# Bodies of the partner's writes where the access walk's would not do (what zhaolei would send for their own).
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/v1/partner/promotions/{programme_id}/applications"): _period,
    ("POST", "/v1/partner/promotion-applications/{application_id}/documents"): _material,
}
# --- the manufacturer's work: refused outright by role ---
_table(F,
       "GET /v1/approval-delegations", "POST /v1/approval-delegations",
       "GET /v1/approval-delegations/{delegation_id}", "POST /v1/approval-delegations/{delegation_id}/cancel",
       "GET /v1/approval-inbox", "GET /v1/approval-outbox",
       "GET /v1/approval-policies", "POST /v1/approval-policies", "GET /v1/approval-policies/audit",
       "POST /v1/approval-policies/check", "POST /v1/approval-policies/dry-run",
       "DELETE /v1/approval-policies/{policy_id}", "GET /v1/approval-policies/{policy_id}",
       "PUT /v1/approval-policies/{policy_id}", "GET /v1/approval-policies/{policy_id}/versions",
       "GET /v1/approval-reports/bottlenecks",
       "POST /v1/approval-tasks/batch-decision", "POST /v1/approval-tasks/{task_id}/add-signers",
       "POST /v1/approval-tasks/{task_id}/approve", "POST /v1/approval-tasks/{task_id}/confirm",
       "POST /v1/approval-tasks/{task_id}/delegate", "POST /v1/approval-tasks/{task_id}/reject",
       "POST /v1/approval-tasks/{task_id}/remove-signer", "POST /v1/approval-tasks/{task_id}/send-back",
       "POST /v1/approval-tasks/{task_id}/transfer",
       "GET /v1/approval-team",
       "POST /v1/approvals", "GET /v1/approvals/{approval_id}", "POST /v1/approvals/{approval_id}/cc",
       "POST /v1/approvals/{approval_id}/comments", "POST /v1/approvals/{approval_id}/recall",
       "POST /v1/approvals/{approval_id}/remind", "POST /v1/approvals/{approval_id}/resubmit",
       "GET /v1/bank-layouts", "PUT /v1/bank-layouts",
       "GET /v1/bank-statement-lines",
       "GET /v1/bank-statements", "POST /v1/bank-statements/imports",
       "GET /v1/board",
       "GET /v1/contracts", "POST /v1/contracts", "GET /v1/contracts/{contract_id}",
       "POST /v1/contracts/{contract_id}/esign-requests", "GET /v1/contracts/{contract_id}/payment-plans",
       "POST /v1/contracts/{contract_id}/payment-triggers", "POST /v1/contracts/{contract_id}/signatures",
       "POST /v1/customers", "PATCH /v1/customers/{customer_id}", "POST /v1/customers/{customer_id}/activities",
       "POST /v1/customers/{customer_id}/activities/{activity_id}/submit", "GET /v1/activity-drafts",
       "POST /v1/customers/{customer_id}/contacts", "PATCH /v1/customers/{customer_id}/contacts/{contact_id}",
       "PUT /v1/customers/{customer_id}/follow-up", "POST /v1/customers/{customer_id}/notes",
       "PATCH /v1/customers/{customer_id}/notes/{note_id}", "GET /v1/customers/{customer_id}/payment-stats",
       "POST /v1/customers/{customer_id}/reassign", "POST /v1/customers/{customer_id}:reassign",
       "GET /v1/departments", "POST /v1/departments", "DELETE /v1/departments/{department_id}",
       "GET /v1/departments/{department_id}", "PUT /v1/departments/{department_id}",
       "GET /v1/document-types", "PUT /v1/document-types/{code}",
       "GET /v1/document-versions/{version_id}/content", "POST /v1/document-versions/{version_id}/snapshots",
       "GET /v1/documents", "POST /v1/documents/uploads", "POST /v1/documents/versions",
       "GET /v1/documents/{document_id}/diff",
       "GET /v1/ecns", "POST /v1/ecns", "GET /v1/ecns/{ecn_id}",
       "GET /v1/finance/aging", "GET /v1/finance/collection-report", "GET /v1/finance/follow-ups",
       "POST /v1/finance/follow-ups/{follow_up_id}/done", "GET /v1/finance/ledger-check",
       "POST /v1/instalments/{instalment_id}/waiver", "POST /v1/instalments/{instalment_id}/write-off",
       "GET /v1/knowledge/recommendations", "GET /v1/knowledge/search", "PUT /v1/knowledge/{document_id}/tags",
       "PUT /v1/lead-fields/{name}",
       "POST /v1/leads/import", "POST /v1/leads/{lead_id}/assign", "POST /v1/leads/{lead_id}/claim",
       "POST /v1/leads/{lead_id}/convert", "GET /v1/leads/{lead_id}/explanation", "POST /v1/leads/{lead_id}/lose",
       "POST /v1/leads/{lead_id}/release", "POST /v1/leads/{lead_id}/touch",
       "GET /v1/matching/matches", "POST /v1/matching/matches/{match_id}/confirm",
       "POST /v1/matching/matches/{match_id}/reject", "POST /v1/matching/matches/{match_id}/reversal",
       "GET /v1/matching/rules", "POST /v1/matching/rules", "DELETE /v1/matching/rules/{rule_id}",
       "PUT /v1/matching/rules/{rule_id}", "POST /v1/matching/runs", "GET /v1/matching/suggestions",
       "POST /v1/opportunities", "PATCH /v1/opportunities/{opportunity_id}",
       "GET /v1/opportunities/{opportunity_id}/contract-in-force",
       "POST /v1/opportunities/{opportunity_id}/deliveries",
       "GET /v1/opportunities/{opportunity_id}/document-snapshots", "POST /v1/opportunities/{opportunity_id}/lost",
       "GET /v1/opportunities/{opportunity_id}/payment-plans", "POST /v1/opportunities/{opportunity_id}/pipeline",
       "GET /v1/opportunities/{opportunity_id}/receipts", "POST /v1/opportunities/{opportunity_id}/reopen",
       "POST /v1/opportunities/{opportunity_id}/stage", "POST /v1/opportunities/{opportunity_id}/won",
       "GET /v1/opportunities/{opportunity_id}/stage-hints",
       "POST /v1/opportunities/{opportunity_id}/stage-hints/{hint_id}/apply",
       "POST /v1/opportunities/{opportunity_id}/stage-hints/{hint_id}/dismiss",
       "GET /v1/signal-settings/stage-hints", "PUT /v1/signal-settings/stage-hints",
       "POST /v1/conversations/wecom-import", "POST /v1/conversations/transcripts",
       "POST /v1/customers/{customer_id}/messages", "PUT /v1/customers/{customer_id}/contacts/{contact_id}/wecom",
       "GET /v1/customers/{customer_id}/contact-channels",
       "GET /v1/customers/{customer_id}/activity-tags", "GET /v1/customers/{customer_id}/conversation-summary",
       "GET /v1/opportunities/{opportunity_id}/needs",
       "GET /v1/signal-settings/tagging", "PUT /v1/signal-settings/tagging",
       "GET /v1/anomaly-flags", "POST /v1/anomaly-flags/scan", "POST /v1/anomaly-flags/{flag_id}/dismiss",
       "GET /v1/signal-settings/anomalies", "PUT /v1/signal-settings/anomalies",
       "GET /v1/customers/{customer_id}/intent", "POST /v1/customers/{customer_id}/intent-actions",
       "GET /v1/high-intents", "GET /v1/reports/intent-conversion",
       "GET /v1/signal-settings/intent", "PUT /v1/signal-settings/intent",
       "GET /v1/indexes/cdi", "GET /v1/indexes/cdi/customers", "GET /v1/customers/{customer_id}/cdi",
       "GET /v1/indexes/cdi/settings", "PUT /v1/indexes/cdi/settings",
       "GET /v1/indexes/follow-up-heat-map", "GET /v1/indexes/follow-up-heat-map/customers",
       "GET /v1/customers/{customer_id}/value", "GET /v1/customers/{customer_id}/health",
       "POST /v1/customers/{customer_id}/referral", "GET /v1/indexes/value-tiers",
       "GET /v1/indexes/value-tiers/customers", "GET /v1/indexes/health-alerts",
       "GET /v1/indexes/value-tiers/settings", "PUT /v1/indexes/value-tiers/settings",
       "POST /v1/indexes/value-tiers/recompute",
       "POST /v1/forecast/model/train", "GET /v1/forecast/model", "GET /v1/forecast/scores", "GET /v1/forecast",
       "GET /v1/forecast/matrix", "GET /v1/opportunities/{opportunity_id}/win-probability",
       "PUT /v1/opportunities/{opportunity_id}/manual-probability",
       "DELETE /v1/opportunities/{opportunity_id}/manual-probability",
       "GET /v1/forecast/settings", "PUT /v1/forecast/settings",
       "GET /v1/indexes/phi", "GET /v1/kpi", "GET /v1/reps/{rep_id}/profile",
       "GET /v1/indexes/phi/settings", "PUT /v1/indexes/phi/settings",
       "GET /v1/pipelines", "POST /v1/pipelines", "GET /v1/pipelines/{pipeline_id}",
       "PUT /v1/pipelines/{pipeline_id}",
       "GET /v1/plan-templates", "POST /v1/plan-templates", "DELETE /v1/plan-templates/{template_id}",
       "PUT /v1/plan-templates/{template_id}",
       "GET /v1/pool", "POST /v1/pool/assign", "POST /v1/pool/rerank", "GET /v1/pool/{lead_id}/explanation",
       "POST /v1/receipts", "GET /v1/receipts/held", "POST /v1/receipts/{receipt_id}/rejection",
       "POST /v1/receipts/{receipt_id}/release", "POST /v1/receipts/{receipt_id}/reversal",
       "GET /v1/reps", "PUT /v1/reps/{rep_id}", "POST /v1/reps/{rep_id}/handover", "POST /v1/reps/{rep_id}:handover",
       "GET /v1/routing/active", "GET /v1/routing/audit", "POST /v1/routing/dry-run", "POST /v1/routing/formulas",
       "POST /v1/routing/routes", "GET /v1/routing/{kind}/versions",
       "POST /v1/routing/{kind}/versions/{version}/activate",
       "POST /v1/tasks/{task_id}/complete", "POST /v1/tasks/{task_id}/ecn-answer",
       "POST /v1/write-offs/{write_off_id}/reversal")
# --- the manufacturer's objects whose routes a partner's role reaches: the service does not find them for a partner ---
_table(N,
       "GET /v1/customers/{customer_id}", "GET /v1/customers/{customer_id}/activities",
       "GET /v1/customers/{customer_id}/activity-chain", "GET /v1/customers/{customer_id}/contacts",
       "GET /v1/customers/{customer_id}/notes", "GET /v1/customers/{customer_id}/photos/{photo_id}",
       "GET /v1/document-versions/{version_id}", "GET /v1/documents/{document_id}/versions",
       "GET /v1/opportunities/{opportunity_id}",
       "GET /v1/opportunities/{opportunity_id}/deliveries", "GET /v1/opportunities/{opportunity_id}/history",
       "GET /v1/reps/{rep_id}")


# --- the other distributor's objects -------------------------------------------------------------------------------


@dataclass
class Partners:
    """The manufacturer's world (the access walk's) and dist-nb's objects beside it."""

    world: World
    a: httpx.Client  # zhaolei, dist-hz
    b: httpx.Client  # sunli, dist-nb
    ids: dict[str, str] = field(default_factory=dict)  # dist-nb's objects, by the path parameter naming them
    a_ids: dict[str, str] = field(default_factory=dict)  # zhaolei's own
    names: list[str] = field(default_factory=list)  # dist-nb's names and numbers no answer to zhaolei may carry

    @property
    def admin(self) -> httpx.Client:
        return self.world.admin

    def foreign_markers(self) -> list[str]:
        """What no answer to zhaolei may contain: dist-nb's ids and names, and the manufacturer's object ids
        (not the programmes the manufacturer publishes to every distributor)."""
        manufacturer = [v for k, v in self.world.ids.items()
                        if k.endswith("_id") and _is_uuid(v) and k not in PUBLISHED]
        return sorted((set(self.ids.values()) | set(self.names) | set(manufacturer)) - {""} - self.own())

    def own(self) -> set[str]:
        """zhaolei's own (theirs in this walk, and in the access walk's world): never foreign."""
        return set(self.a_ids.values()) | {self.world.ids.get(k, "") for k in PARTNERS_OWN} | {"dist-hz"}


# The manufacturer's objects every distributor reads: the promotion and rebate programmes published to them.
PUBLISHED = frozenset({"rebate_programme_id", "promotion_programme_id"})
# What the access walk's world holds of zhaolei's own (their application for its promotion).
PARTNERS_OWN = frozenset({"promotion_application_id", "distributor_id"})


def _is_uuid(value: str) -> bool:
    return len(value) == 36 and value.count("-") == 4


def _today() -> datetime:
    return datetime.now(UTC)


def build_partners(world: World, a: httpx.Client, b: httpx.Client) -> Partners:
    p = Partners(world, a, b)
    admin, suffix = world.admin, company_digits()
    p.ids["distributor_id"] = "dist-nb"
    p.names += ["dist-nb", "宁波甬联工业设备有限公司", PARTNER_B, "孙丽"]

    # A lead sunli entered (the partner registers it as theirs: 伙伴报备).
    b_lead = {"company_name": f"宁波镇海{suffix}机械有限公司", "phone": phone(), "province": "浙江省", "city": "宁波市",
              "district": "镇海区", "contact_name": f"孙丽客户联系人{suffix}"}
    p.ids["lead_id"] = ok(b.post("/v1/leads", json=b_lead), 201)["lead"]["lead_id"]
    p.names += [b_lead["company_name"], b_lead["phone"][-8:], b_lead["contact_name"]]

    # sunli registers an end customer in 宁波 (their territory); zhaolei then registers the same customer (same
    # credit code, another name and contact) inside the check window: a 撞单 for the channel manager.
    code = credit_code()
    b_reg = {"company_name": f"宁波北仑{suffix}注塑有限公司", "credit_code": code, "phone": phone(),
             "province": "浙江省", "city": "宁波市", "district": "北仑区", "industry": "注塑机",
             "contact_name": f"孙丽报备联系人{suffix}", "contact_phone": phone(), "product_line": "注塑机",
             "models": ["HX-500"], "quantity": 3, "expected_amount": {"amount_minor": 36_000_000, "currency": "CNY"}}
    registered = ok(b.post("/v1/partner/registrations", json=b_reg), 201)["registration"]
    p.ids["registration_id"] = registered["registration_id"]
    p.names += [b_reg["company_name"], b_reg["phone"][-8:], b_reg["contact_name"], b_reg["contact_phone"][-8:]]
    a_reg = b_reg | {"company_name": f"北仑{suffix}精密塑机有限公司", "phone": phone(), "contact_name": "赵磊的联系人",
                     "contact_phone": phone()}
    mine = a.post("/v1/partner/registrations", json=a_reg)
    assert mine.status_code in (200, 201), mine.text
    leaked = [m for m in p.foreign_markers() if m in mine.text]
    assert not leaked, f"zhaolei's registration of a customer sunli registered shows {leaked}: {mine.text[:300]}"
    p.a_ids["registration_id"] = mine.json()["registration"]["registration_id"]

    def clash() -> str:
        clashes = ok(admin.get("/v1/registrations/clashes")).get("clashes", [])
        return next((c["clash_id"] for c in clashes
                     if p.ids["registration_id"] in (c["first"]["registration_id"], c["second"]["registration_id"])), "")

    p.ids["clash_id"] = until(clash, what="the clash between sunli's and zhaolei's registrations")

    def approval() -> str:
        return ok(admin.get(f"/v1/registrations/{p.ids['registration_id']}"))["registration"]["approval_id"]

    p.ids["approval_id"] = until(approval, what="the approval of sunli's registration")

    # A published promotion programme (the manufacturer's, every distributor's to read) and a draft one; sunli
    # applies for a period of the published one and files material on the application.
    start, end = (_today() - timedelta(days=30)).date(), (_today() + timedelta(days=60)).date()
    terms = {"name": f"隔离测试 {suffix}", "starts_on": start.isoformat(), "ends_on": end.isoformat(),
             "benefit": "support", "support_amount": {"amount_minor": 5_000_000, "currency": "CNY"}}
    published = ok(admin.post("/v1/promotions", json={"terms": terms, "status": "published"}),
                   201)["programme"]["programme_id"]
    p.ids["programme_id"] = ok(admin.post("/v1/promotions", json={"terms": terms | {"name": f"草稿 {suffix}"}}),
                               201)["programme"]["programme_id"]
    period = {"period_starts_on": (_today() + timedelta(days=1)).date().isoformat(),
              "period_ends_on": (_today() + timedelta(days=20)).date().isoformat()}
    applied = ok(b.post(f"/v1/partner/promotions/{published}/applications", json=period | {
        "amount_asked": {"amount_minor": 2_000_000, "currency": "CNY"}, "note": f"孙丽的申报说明{suffix}"}), 201)
    p.ids["application_id"] = applied["application"]["application_id"]
    p.names.append(f"孙丽的申报说明{suffix}")
    filed = ok(b.post(f"/v1/partner/promotion-applications/{p.ids['application_id']}/documents", json={
        "title": "门店活动照片", "filename": "photos.txt", "content_type": "text/plain",
        "content_base64": base64.b64encode(f"孙丽的材料{suffix}".encode()).decode()}), 201)["version"]
    p.ids["document_id"], p.ids["version_id"] = filed["document_id"], filed["version_id"]
    p.names.append(f"孙丽的材料{suffix}")

    # sunli sees each of these: the ids are real, and zhaolei's refusals below are isolation, not bad ids.
    for url in (f"/v1/leads/{p.ids['lead_id']}", f"/v1/partner/registrations/{p.ids['registration_id']}",
                f"/v1/partner/promotion-applications/{p.ids['application_id']}",
                f"/v1/partner/promotion-applications/{p.ids['application_id']}/documents",
                f"/v1/document-versions/{p.ids['version_id']}", "/v1/partner/organisation"):
        assert b.get(url).status_code == 200, f"sunli cannot read their own {url}"
    assert a.get(f"/v1/partner/registrations/{p.a_ids['registration_id']}").status_code == 200

    # zhaolei cannot apply for a promotion on sunli's registration: refused as for a registration of nobody's.
    answers = []
    for registration_id in (p.ids["registration_id"], NO_SUCH_ID):
        asked = a.post(f"/v1/partner/promotions/{published}/applications", json={
            "registration_id": registration_id, "amount_asked": {"amount_minor": 1_000_000, "currency": "CNY"}})
        leaked = [m for m in p.foreign_markers() if m in asked.text and m != registration_id]
        assert 400 <= asked.status_code < 500 and not leaked, asked.text
        answers.append(asked.status_code)
    assert answers[0] == answers[1], f"sunli's registration and none answer differently: {answers}"
    return p


def snapshot(p: Partners) -> object:
    """dist-nb's objects as sunli and admin read them: a refused write must leave them as they were."""
    b, admin, ids = p.b, p.admin, p.ids
    urls = [(b, f"/v1/leads/{ids['lead_id']}"), (b, f"/v1/partner/registrations/{ids['registration_id']}"),
            (admin, f"/v1/registrations/{ids['registration_id']}"), (admin, f"/v1/registrations/clashes/{ids['clash_id']}"),
            (b, f"/v1/partner/promotion-applications/{ids['application_id']}"),
            (b, f"/v1/partner/promotion-applications/{ids['application_id']}/documents"),
            (admin, "/v1/distributors/dist-nb")]
    return [(r.status_code, r.text) for r in (client.get(url) for client, url in urls)]


# --- walking ------------------------------------------------------------------------------------------------------


def _path_params(path: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(path) if name]


def variants(route: Route, p: Partners) -> list[dict[str, str]]:
    """The path parameters to try: dist-nb's object where one fits (else the manufacturer's, as the access walk
    names it), then each other foreign object in its place, then ids of nothing."""
    world = p.world
    base = {name: world.ids.get(name, "") for name in _path_params(route.path)}
    for name, source in route.params.items():
        base[name] = world.ids.get(source, source)
    for name, kind in route.fresh.items():
        base[name] = base.get(name) or world.make(kind)
    base |= {name: p.ids[name] for name in base if name in p.ids}
    tried = [base]
    for name in base:
        for other in (p.ids.get(name), world.ids.get(name)):
            if other and other != base[name] and other not in p.own():
                tried.append(base | {name: other})
    objects = [name for name, value in base.items() if _is_uuid(value) or name in p.ids]
    if objects:
        tried.append(base | dict.fromkeys(objects, NO_SUCH_ID))
    return [dict(t) for t in {json.dumps(t, sort_keys=True): t for t in tried}.values()]


def _request_text(route: Route, url: str, p: Partners) -> str:
    body = route.body(p.world, "partner") if callable(route.body) else route.body
    return url + json.dumps(body, ensure_ascii=False, default=str)


def judge(expected: object, status: int) -> bool:
    if expected == REFUSED:
        return status in (F, N)
    if expected in (MINE, OPEN):
        return 200 <= status < 300
    if expected == OWN:
        return 200 <= status < 300 or status in (400, 409, 422)
    return status == expected


def walk_as_partner(route: Route, expected: object, p: Partners) -> list[str]:
    failures: list[str] = []
    label = f"{route.method} {route.path}"
    markers = p.foreign_markers()
    write = route.method != "GET"
    tried = variants(route, p)
    before = (snapshot(p), readback(p.world, route.readback, tried[0]) if route.readback else None) if write else None
    answers = []
    for params in tried:
        url = route.path.format(**params)
        response = call(p.a, route, url, p.world, "partner")
        answers.append((params, response.status_code))
        text = "" if route.stream else response.text
        request = _request_text(route, url, p)
        leaked = [m for m in markers if m in text and m not in request]
        if leaked:
            failures.append(f"{label} | {url} | shows {leaked[:3]} | {response.status_code} {text[:160]}")
        if not judge(expected, response.status_code):
            failures.append(f"{label} | {url} | expected {expected} | got {response.status_code} {text[:160]}")
    # An id of nothing and a foreign object's id get the same answer: the refusal says nothing of existence.
    if len({status for _, status in answers}) > 1 and expected not in (MINE, OWN, OPEN):
        failures.append(f"{label} | the answers differ by id, so they tell what exists: {answers}")
    if write:
        after = (snapshot(p), readback(p.world, route.readback, tried[0]) if route.readback else None)
        if after != before:
            failures.append(f"{label} | a refused write by zhaolei changed dist-nb's or the manufacturer's objects")
    return failures


def test_a_partner_sees_only_their_own_organisations_rows(stack: Stack, as_user) -> None:
    api = operations(stack.gateway_url)
    failures = [f"{m} {p} | has no entry in PARTNER: say what a partner gets" for m, p in sorted(api - PARTNER.keys())]
    failures += [f"{m} {p} | is in PARTNER but not served" for m, p in sorted(PARTNER.keys() - api)]
    clients = {role: as_user(user).client for role, user in USERS.items()}
    world = build_world(clients, stack.now())
    p = build_partners(world, clients["partner"], as_user(PARTNER_B).client)
    by_route = {(r.method, r.path): r for r in ROUTES}
    for method, path in sorted(api & PARTNER.keys()):
        route = by_route.get((method, path)) or Route(method, path, {})
        if (method, path) in BODIES:
            route = replace(route, body=BODIES[method, path])
        failures += walk_as_partner(route, PARTNER[method, path], p)

    # dist-hz deactivated: zhaolei's token still names it, and every route they called refuses them as a partner
    # of none (the routes refused to partners outright are refused as before, whoever the distributor).
    hz = {k: v for k, v in next(d for d in DEMO_DISTRIBUTORS if d["distributor_id"] == "dist-hz").items()
          if k != "distributor_id"}
    ok(world.admin.put("/v1/distributors/dist-hz", json=hz | {"active": False}))
    try:
        for method, path in sorted(k for k in api & PARTNER.keys() if PARTNER[k] in (MINE, OWN, N)):
            route = by_route.get((method, path)) or Route(method, path, {})
            if (method, path) in BODIES:
                route = replace(route, body=BODIES[method, path])
            expected = DEACTIVATED.get((method, path), REFUSED)
            failures += [f"deactivated | {f}" for f in walk_as_partner(route, expected, p)]
    finally:
        ok(world.admin.put("/v1/distributors/dist-hz", json=hz | {"active": True}))
    assert not failures, f"{len(failures)} isolation failures:\n" + "\n".join(failures)
