"""Rebates through the gateway against real opportunity, document-versioning,
approval and finance-reconciliation (gRPC, migrated databases, JetStream).

A lead registered by distributor dist-hz (zhaolei's organisation) is
converted; opportunity publishes the distributor in opportunity.created and
finance's projection keeps it. As finance records the receipts of that
opportunity's contract, zhaolei's rebate progress moves: below the first
tier, the first tier, the second (crossing it), back after a reversal.
sunli (dist-nb) sees none of it, a programme only for dist-hz not at all,
and neither partner reaches finance's routes. With dist-hz deactivated in
lead-routing, zhaolei's progress is refused as lead-routing's own partner
routes refuse them (403, the same problem: finance asks lead-routing itself,
the gateway holds no check), and so are their sales lists (customers,
opportunities, tasks: 200 with none of the manufacturer's rows before,
opportunity asking lead-routing too); reactivated, the same rows. Finance sees the accrual,
settles the ended month once (the record keeps the receipts counted and
rebate.settled is published), a second settlement and one of a running
period are refused, and zhaolei's progress then names the settlement.
Tenants apart and two settlements at once: tests/integration/
finance_reconciliation/test_rebates_store.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm.events.v1.lead_pb2 import LeadConverted
from crm_shared.business_calendar import business_day
from crm_shared.events import make_envelope, subject_for
from crm_shared.ids import new_id

from scripts.localstack import DEMO_DISTRIBUTORS
from tests.integration.document_versioning.contract_stack import TENANT, Stack, open_contract, open_stack
from tests.integration.gateway.test_gateway import is_problem
from tests.integration.gateway.test_receipts_gateway import FINANCE, REP, V28, open_plan, owed, receipt, sign
from tests.support.infra import eventually

PARTNER, OTHER_PARTNER, ADMIN = "zhaolei", "sunli", "admin"
DISTRIBUTOR = "dist-hz"
# The sales lists a partner's role reaches, and the key of their rows.
SALES_LISTS = {"/v1/customers": "customers", "/v1/opportunities": "opportunities", "/v1/tasks": "tasks"}


@pytest.fixture
async def stack(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    async with open_stack(nats_url, database_url, tmp_path, finance=True) as s:
        for distributor in DEMO_DISTRIBUTORS:  # zhaolei acts for dist-hz, sunli for dist-nb
            made = await s.post(ADMIN, "/v1/distributors", dict(distributor))
            assert made.status_code == 201, made.text
        yield s


async def set_active(s: Stack, distributor_id: str, active: bool) -> None:
    body = next(dict(d) for d in DEMO_DISTRIBUTORS if d["distributor_id"] == distributor_id)
    del body["distributor_id"]
    reply = await s.client.put(
        f"/v1/distributors/{distributor_id}", json=body | {"active": active}, headers=await s.as_(ADMIN)
    )
    assert reply.status_code == 200, reply.text


async def partner_opportunity(s: Stack) -> str:
    """The opportunity of a lead dist-hz registered, converted (lead-routing's lead.converted names the partner)."""
    lead_id = new_id()
    converted = LeadConverted(
        lead_id=lead_id,
        company_name="杭州萧山精密机电有限公司",
        contact_name="陈工",
        phone="+8657182345678",
        province="浙江省",
        city="杭州市",
        district="萧山区",
        owner_id=REP,
        opportunity_name="伙伴报备 注塑线",
        expected_amount=Money(amount_minor=50_000_000, currency="CNY"),
        source="伙伴报备",
        partner_org_id=DISTRIBUTOR,
        registration_id=new_id(),
    )
    event = make_envelope(
        "lead.converted", TENANT, lead_id, converted, source="lead-routing", occurred_at=datetime.now(UTC)
    )
    await s.js.publish(
        subject_for("lead.converted"), event.SerializeToString(), headers={"Nats-Msg-Id": event.event_id}
    )

    async def opportunity() -> str:
        reply = await s.get(REP, "/v1/opportunities", lead_id=lead_id)
        found = reply.json().get("opportunities", []) if reply.status_code == 200 else []
        return found[0]["opportunity_id"] if found else ""

    opportunity_id = await eventually(opportunity)
    assert opportunity_id, "opportunity creates the converted lead's opportunity"
    return opportunity_id


def programme_body(name: str, first: int, second: int, **kw: object) -> dict:
    return {
        "name": name,
        "period_kind": "month",
        "starts_on": "2026-01-01",
        "tiers": [{"threshold_minor": first, "rate_bp": 200}, {"threshold_minor": second, "rate_bp": 300}],
    } | kw


async def rebate_of(s: Stack, user: str, programme_id: str, on: date) -> dict | None:
    reply = await s.get(user, "/v1/partner/rebates", on=on.isoformat())
    assert reply.status_code == 200, reply.text
    found = [r for r in reply.json().get("rebates", []) if r["programme"]["programme_id"] == programme_id]
    return found[0]["progress"] if found else None


async def progress_reaches(s: Stack, programme_id: str, on: date, collected: int) -> dict:
    async def reached() -> dict | None:
        progress = await rebate_of(s, PARTNER, programme_id, on)
        return progress if progress and int(progress.get("collected_minor", 0)) == collected else None

    progress = await eventually(reached)
    assert progress, f"zhaolei's progress reaches {collected} 分 collected"
    return progress


def figures(p: dict) -> tuple:
    return tuple(int(p.get(k, 0)) for k in ("collected_minor", "tier", "rate_bp", "needed_minor", "accrued_minor"))


async def test_rebate_progress_moves_with_receipts_crosses_a_tier_and_the_month_is_settled_once(stack: Stack) -> None:
    s = stack
    today = business_day(s.clock.now())
    last_month_end = today.replace(day=1) - timedelta(days=1)
    in_last_month = last_month_end.replace(day=10)
    opportunity_id = await partner_opportunity(s)
    c = await open_contract(s, opportunity_id)
    draft = await sign(s, c, V28, "V1", last_month_end.replace(day=1) - timedelta(days=5))
    first, second, _retention = (await open_plan(s, c["contract_id"], "V1"))["instalments"]
    f, n = owed(first), owed(second)

    # Tier 1 (2 %) from the first instalment's amount, tier 2 (3 %) from both; on the whole amount.
    made = await s.post(ADMIN, "/v1/rebates/programmes", programme_body("月度返利", f, f + n))
    assert made.status_code == 201, made.text
    programme = made.json()["programme"]
    pid = programme["programme_id"]
    only_hz = await s.post(
        ADMIN,
        "/v1/rebates/programmes",
        programme_body("杭州专项", 1, 2, distributor_ids=[DISTRIBUTOR], period_kind="quarter"),
    )
    assert only_hz.status_code == 201, only_hz.text
    # Partners and finance do not write programmes; a bad tier is named.
    for user in (PARTNER, FINANCE):
        is_problem(await s.post(user, "/v1/rebates/programmes", programme_body("x", 1, 2)), 403)
    bad = is_problem(await s.post(ADMIN, "/v1/rebates/programmes", programme_body("x", 5, 5)), 400)
    assert "tiers[1].threshold_minor" in str(bad)

    before = await rebate_of(s, PARTNER, pid, in_last_month)
    assert before and figures(before) == (0, 0, 0, f, 0)

    # The first instalment is received: the first tier is reached; the second tier needs the second's amount.
    paid = await s.post(
        FINANCE, "/v1/receipts", receipt(c, draft["version_id"], first, f, paid_on=in_last_month.isoformat())
    )
    assert paid.status_code == 201, paid.text
    one = await progress_reaches(s, pid, in_last_month, f)
    assert figures(one) == (f, 1, 200, n, f * 200 // 10_000)
    assert int(one["next_threshold_minor"]) == f + n and one["next_rate_bp"] == 300

    # The second crosses into the top tier: 3 % of everything collected, nothing more to reach.
    second_paid = await s.post(
        FINANCE,
        "/v1/receipts",
        receipt(c, draft["version_id"], second, n, paid_on=(in_last_month + timedelta(days=1)).isoformat()),
    )
    assert second_paid.status_code == 201, second_paid.text
    top = await progress_reaches(s, pid, in_last_month, f + n)
    assert figures(top) == (f + n, 2, 300, 0, (f + n) * 300 // 10_000) and top["receipt_count"] == 2

    # Reversed, it no longer counts: back in the first tier. Recorded again, it counts again.
    receipt_id = second_paid.json()["receipt"]["receipt_id"]
    reversed_ = await s.post(FINANCE, f"/v1/receipts/{receipt_id}/reversal", {"reason": "银行退票"})
    assert reversed_.status_code == 200, reversed_.text
    assert figures(await progress_reaches(s, pid, in_last_month, f))[1] == 1
    again = await s.post(
        FINANCE,
        "/v1/receipts",
        receipt(c, draft["version_id"], second, n, paid_on=(in_last_month + timedelta(days=2)).isoformat()),
    )
    assert again.status_code == 201, again.text
    await progress_reaches(s, pid, in_last_month, f + n)
    # This month nothing is collected yet.
    assert figures(await rebate_of(s, PARTNER, pid, today) or {})[0] == 0

    # sunli (dist-nb) takes part in the tenant-wide programme with nothing collected, and never sees dist-hz's.
    reply = await s.get(OTHER_PARTNER, "/v1/partner/rebates", on=in_last_month.isoformat())
    assert reply.status_code == 200, reply.text
    theirs = reply.json().get("rebates", [])
    assert [r["programme"]["programme_id"] for r in theirs] == [pid]
    assert figures(theirs[0]["progress"]) == (0, 0, 0, f, 0) and theirs[0]["progress"]["distributor_id"] == "dist-nb"
    assert DISTRIBUTOR not in reply.text
    # zhaolei sees the dist-hz programme but not whom it lists.
    mine = (await s.get(PARTNER, "/v1/partner/rebates", on=in_last_month.isoformat())).json()["rebates"]
    assert {r["programme"]["name"] for r in mine} == {"月度返利", "杭州专项"}
    assert all("distributor_ids" not in r["programme"] for r in mine)
    # zhaolei's sales lists hold none of the manufacturer's rows, not even the deal of their own registration.
    for url, key in SALES_LISTS.items():
        listed = await s.get(PARTNER, url)
        assert listed.status_code == 200 and listed.json().get(key, []) == [], listed.text

    # dist-hz deactivated: zhaolei's token still names it, and their progress is refused exactly as lead-routing's
    # own partner route refuses them; sunli's is still answered. Reactivated: the same rows as before.
    await set_active(s, DISTRIBUTOR, False)
    try:
        refused = is_problem(await s.get(PARTNER, "/v1/partner/rebates", on=in_last_month.isoformat()), 403)
        assert "not a user of an active distributor" in refused["detail"], refused
        own = is_problem(await s.get(PARTNER, "/v1/partner/organisation"), 403)
        assert {k: refused[k] for k in ("type", "title", "detail")} == {k: own[k] for k in ("type", "title", "detail")}
        assert (await s.get(OTHER_PARTNER, "/v1/partner/rebates", on=in_last_month.isoformat())).status_code == 200
        for url in SALES_LISTS:
            shut = is_problem(await s.get(PARTNER, url), 403)
            assert {k: shut[k] for k in ("type", "title", "detail")} == {k: own[k] for k in ("type", "title", "detail")}
            assert (await s.get(OTHER_PARTNER, url)).status_code == 200
    finally:
        await set_active(s, DISTRIBUTOR, True)
    back = await s.get(PARTNER, "/v1/partner/rebates", on=in_last_month.isoformat())
    assert back.status_code == 200, back.text
    assert back.json()["rebates"] == mine
    for url in SALES_LISTS:
        assert (await s.get(PARTNER, url)).status_code == 200
    for user in (PARTNER, OTHER_PARTNER):
        is_problem(await s.get(user, "/v1/rebates/accruals", programme_id=pid), 403)
        is_problem(await s.get(user, "/v1/rebates/settlements"), 403)
        is_problem(
            await s.post(
                user, "/v1/rebates/settlements", {"programme_id": pid, "distributor_id": "dist-nb", "period": "2026-11"}
            ),
            403,
        )
    is_problem(await s.get(FINANCE, "/v1/partner/rebates"), 403)

    # Finance sees every partner's accrual of last month.
    label = f"{last_month_end.year}-{last_month_end.month:02d}"
    accruals = await s.get(FINANCE, "/v1/rebates/accruals", programme_id=pid, period=label)
    assert accruals.status_code == 200, accruals.text
    rows = {a["distributor_id"]: a for a in accruals.json()["accruals"]}
    assert figures(rows[DISTRIBUTOR]) == figures(top)
    assert int(accruals.json()["total_accrued_minor"]) == (f + n) * 300 // 10_000

    # A running month cannot be settled; the ended one is, once.
    this_month = f"{today.year}-{today.month:02d}"
    is_problem(
        await s.post(
            FINANCE,
            "/v1/rebates/settlements",
            {"programme_id": pid, "distributor_id": DISTRIBUTOR, "period": this_month},
        ),
        409,
    )
    settled = await s.post(
        FINANCE,
        "/v1/rebates/settlements",
        {"programme_id": pid, "distributor_id": DISTRIBUTOR, "period": label, "note": "11月返利"},
    )
    assert settled.status_code == 201, settled.text
    record = settled.json()["settlement"]
    assert (int(record["collected_minor"]), record["tier"], record["rate_bp"], int(record["rebate_minor"])) == (
        f + n,
        2,
        300,
        (f + n) * 300 // 10_000,
    )
    twice = await s.post(
        ADMIN, "/v1/rebates/settlements", {"programme_id": pid, "distributor_id": DISTRIBUTOR, "period": label}
    )
    is_problem(twice, 409)
    one_record = await s.get(FINANCE, f"/v1/rebates/settlements/{record['settlement_id']}")
    assert one_record.status_code == 200, one_record.text
    counted = set(one_record.json()["settlement"]["receipt_ids"])
    assert counted == {paid.json()["receipt"]["receipt_id"], again.json()["receipt"]["receipt_id"]}
    listed = await s.get(FINANCE, "/v1/rebates/settlements", programme_id=pid)
    assert [x["settlement_id"] for x in listed.json()["settlements"]] == [record["settlement_id"]]
    events = await s.events("rebate.settled", record["settlement_id"], finance_pb2.RebateSettled)
    assert [(e.distributor_id, e.period, e.rebate.amount_minor, e.receipt_count) for e in events] == [
        (DISTRIBUTOR, label, (f + n) * 300 // 10_000, 2)
    ]

    # The partner's progress of that month names the settlement.
    shown = await rebate_of(s, PARTNER, pid, in_last_month)
    assert shown and shown["settlement_id"] == record["settlement_id"]
    assert int(shown["settled_minor"]) == (f + n) * 300 // 10_000
