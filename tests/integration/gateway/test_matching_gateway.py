"""Matching through the gateway against finance-reconciliation and opportunity
for real (gRPC, migrated databases, NATS): plans from contract.signed on its
stream, a CAMT.053 statement imported, then a run that confirms what it is
sure of (by the contract number in the remark, by payer and amount, a
combined payment, a split one, over- and underpayment inside the rule's
tolerance, an underpayment beyond it left partly paid) and leaves the rest to
finance (an overpayment beyond tolerance the lock refuses on confirm, an
amount that fits two instalments equally); receipts and write-offs recorded,
payment.reconciled published, reversal, the ledger balanced after every
step; the tenant's rules (defaults, add, replace, delete, a bad one refused
naming the field); other roles refused."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import nats
import pytest
from crm.common.v1.common_pb2 import Money
from crm.events.v1 import contract_pb2, finance_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.business_calendar import business_day
from crm_shared.events import make_envelope, subject_for, unpack
from crm_shared.ids import new_id
from finance_reconciliation.entrypoints.consumers import CONTRACT_SIGNED_DURABLE, OPPORTUNITY_CREATED_DURABLE
from nats.js.api import DeliverPolicy

from tests.integration.gateway.conftest import FinanceStack
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support import bank_files as bf
from tests.support.infra import eventually

TODAY = business_day(datetime.now(UTC))
BOOKED = TODAY - timedelta(days=1)
ACCOUNT = "1001234509876500001"

# contract number (合同编号), customer, instalments (name, amount in 分, trigger, days after signing); signed ten
# days ago. Every version label is "V1" (the reference contract's "V3.2"): remarks name the number, not the label.
CONTRACTS = {
    "reference": ("HT2025-018", "宁波华晨塑料制品有限公司", [("预付款", 3_000_000, "advance", 0),
                                                              ("质保金", 1_000_000, "retention", 0)]),
    "combined": ("HT-2026-0102", "杭州临安电子有限公司", [("预付款", 2_000_000, "advance", 0),
                                                         ("到货款", 3_000_000, "advance", 0)]),
    "payer": ("HT-2026-0103", "绍兴柯桥纺织机械有限公司", [("全款", 1_500_000, "advance", 0)]),
    "over_inside": ("HT-2026-0104", "嘉兴海宁皮革有限公司", [("全款", 1_000_000, "advance", 0)]),
    "under_inside": ("HT-2026-0105", "湖州南浔木业有限公司", [("全款", 1_000_000, "advance", 0)]),
    "over_outside": ("HT-2026-0106", "台州黄岩模具有限公司", [("全款", 1_000_000, "advance", 0)]),
    "under_outside": ("HT-2026-0107", "金华义乌五金有限公司", [("全款", 1_000_000, "advance", 0)]),
    "split": ("HT-2026-0108", "温州瑞安汽配有限公司", [("全款", 1_000_000, "advance", 0)]),
    "twin_a": ("HT-2026-0109", "丽水青田石材有限公司", [("全款", 700_000, "advance", 7)]),
    "twin_b": ("HT-2026-0110", "衢州江山蜂业有限公司", [("全款", 700_000, "advance", 7)]),
}
# bank ref, amount, payer, remark
LINES = [
    ("R-REF", 3_000_000, "宁波华晨塑料制品有限公司", "货款 合同号HT2025-018 第二期"),
    ("R-COMBINED", 5_000_000, "杭州临安电子有限公司", "HT-2026-0102 两期合并"),
    ("R-PAYER", 1_500_000, "绍兴柯桥纺织机械股份有限公司", "设备款"),
    ("R-OVER-IN", 1_003_000, "嘉兴海宁皮革有限公司", "HT-2026-0104"),  # 30 元 over: inside the default 50 元
    ("R-UNDER-IN", 996_000, "湖州南浔木业有限公司", "HT-2026-0105"),  # 40 元 short: written off
    ("R-OVER-OUT", 1_100_000, "台州黄岩模具有限公司", "HT-2026-0106"),  # 1 000 元 over
    ("R-UNDER-OUT", 900_000, "金华义乌五金有限公司", "HT-2026-0107"),  # 1 000 元 short: a part payment
    ("R-SPLIT-1", 400_000, "温州瑞安汽配有限公司", "HT-2026-0108 第一笔"),
    ("R-SPLIT-2", 600_000, "温州瑞安汽配有限公司", "HT-2026-0108 第二笔"),
    ("R-TWIN", 700_000, "某某贸易商行", "货款"),  # fits both twins' instalments equally
]


@dataclass
class World:
    client: httpx.AsyncClient
    js: object
    contracts: dict[str, str] = field(default_factory=dict)  # scenario -> contract id
    lines: dict[str, str] = field(default_factory=dict)  # bank ref -> line id
    auth: dict[str, dict] = field(default_factory=dict)

    async def as_(self, user: str) -> dict:
        if user not in self.auth:
            self.auth[user] = await login(self.client, user)
        return self.auth[user]

    async def call(self, method: str, url: str, user: str = "liufang", **kw) -> httpx.Response:
        return await self.client.request(method, url, headers=await self.as_(user), **kw)

    async def ok(self, method: str, url: str, **kw) -> dict:
        reply = await self.call(method, url, **kw)
        assert reply.status_code in (200, 201), reply.text
        return reply.json()

    async def instalments(self, scenario: str) -> list[tuple[str, int, str]]:
        [plan] = (await self.ok("GET", f"/v1/contracts/{self.contracts[scenario]}/payment-plans"))["plans"]
        return [(i["state"], int(i.get("paid", {}).get("amount_minor", 0)), i["instalment_id"])
                for i in plan["instalments"]]

    async def balanced(self) -> None:
        check = await self.ok("GET", "/v1/finance/ledger-check")
        assert check.get("balanced") and not check.get("problems"), check

    async def matches(self, status: str = "") -> list[dict]:
        return (await self.ok("GET", "/v1/matching/matches", params={"status": status} if status else {})).get(
            "matches", [])


async def _drained(js, stream: str, durable: str) -> bool:
    info = await js.consumer_info(stream, durable)
    return info.num_pending == 0 and info.num_ack_pending == 0


@pytest.fixture
def w(finance_stack: FinanceStack) -> World:
    return World(finance_stack.client, finance_stack.js)


async def signed_world(w: World) -> World:
    """Each scenario's opportunity (zhangwei's, through the gateway) and its signed contract; the statement."""
    for scenario, (number, customer, terms) in CONTRACTS.items():
        created = await w.ok("POST", "/v1/opportunities", user="zhangwei",
                             json={"customer_name": customer, "name": f"{customer} 设备采购"})
        opportunity_id = created["opportunity"]["opportunity_id"]
        contract_id = w.contracts[scenario] = new_id()
        event = contract_pb2.ContractSigned(
            contract_id=contract_id, version_id=new_id(), signed_version_id=new_id(),
            label="V3.2" if scenario == "reference" else "V1", contract_number=number,
            customer_id=new_id(), opportunity_id=opportunity_id,
            total=Money(amount_minor=sum(t[1] for t in terms), currency="CNY"),
            instalments=[contract_pb2.SignedInstalment(name=n, trigger=t, days=d, amount_minor=a)
                         for n, a, t, d in terms],
            equipment=[contract_pb2.SignedEquipmentRow(model="HX-450", description="注塑机", quantity=1,
                                                        unit_price_minor=sum(t[1] for t in terms))],
            signed_on=(TODAY - timedelta(days=10)).isoformat(), warranty_months=12,
        )
        env = make_envelope("contract.signed", "demo", contract_id, event, source="document-versioning",
                            occurred_at=datetime.now(UTC))
        await w.js.publish(subject_for("contract.signed"), env.SerializeToString(),
                           headers={"Nats-Msg-Id": env.event_id})
    assert await eventually(lambda: _drained(w.js, "OPPORTUNITY", OPPORTUNITY_CREATED_DURABLE))
    assert await eventually(lambda: _drained(w.js, "DOCUMENT_VERSIONING", CONTRACT_SIGNED_DURABLE))
    entries = [bf.Entry(ref, BOOKED, amount, name=payer, remark=remark) for ref, amount, payer, remark in LINES]
    imported = await w.client.post("/v1/bank-statements/imports", params={"filename": "camt.xml"},
                                   content=bf.camt053(ACCOUNT, entries), headers=await w.as_("liufang") | {
                                       "content-type": "application/octet-stream"})
    assert imported.status_code == 201 and imported.json()["new_count"] == len(LINES), imported.text
    lines = (await w.ok("GET", "/v1/bank-statement-lines", params={"page_size": 100}))["lines"]
    w.lines = {ln["bank_ref"]: ln["line_id"] for ln in lines}
    return w


def by_line(w: World, found: list[dict]) -> dict[str, dict]:
    refs = {v: k for k, v in w.lines.items()}
    return {refs[m["line_id"]]: m | {"evidence": json.loads(m["evidence_json"])} for m in found}


async def reconciled_events(w: World) -> list[finance_pb2.PaymentReconciled]:
    sub = await w.js.subscribe(subject_for("payment.reconciled"), deliver_policy=DeliverPolicy.ALL,
                               ordered_consumer=True)
    found = []
    try:
        while True:
            try:
                msg = await sub.next_msg(timeout=1)
            except nats.errors.TimeoutError:
                break
            env = Envelope.FromString(msg.data)
            if env.tenant_id == "demo":
                found.append(unpack(env, finance_pb2.PaymentReconciled))
    finally:
        await sub.unsubscribe()
    return found


async def test_a_run_confirms_what_it_is_sure_of_and_finance_confirms_the_rest(w: World) -> None:
    await signed_world(w)
    await w.balanced()
    run = await w.ok("POST", "/v1/matching/runs")
    confirmed, suggested = by_line(w, run.get("confirmed", [])), by_line(w, run.get("suggestions", []))
    assert set(confirmed) == {"R-REF", "R-COMBINED", "R-PAYER", "R-OVER-IN", "R-UNDER-IN", "R-UNDER-OUT",
                              "R-SPLIT-1", "R-SPLIT-2"}
    assert set(suggested) == {"R-OVER-OUT", "R-TWIN"}
    assert all(m["status"] == "confirmed" and m["auto"] and m["confirmed_by"] == "liufang" for m in confirmed.values())
    await w.balanced()

    # By reference: the first instalment paid, the retention (not due) never offered.
    (first, paid, first_id), (retention, _, _) = await w.instalments("reference")
    assert (first, paid, retention) == ("paid", 3_000_000, "not_due")
    assert confirmed["R-REF"]["rule_kind"] == "contract_ref" and len(confirmed["R-REF"]["receipt_ids"]) == 1
    assert confirmed["R-REF"]["evidence"]["contract_ref"] == "HT2025-018"
    receipts = await w.ok("GET", f"/v1/opportunities/{await _opportunity_of(w, 'reference')}/receipts")
    [receipt] = receipts["receipts"]
    assert (receipt["receipt_id"], receipt["source"], receipt["statement_line_id"], receipt["instalment_id"]) == (
        confirmed["R-REF"]["receipt_ids"][0], "statement", w.lines["R-REF"], first_id)
    # One line, two instalments (oldest first); by payer and amount, the company suffix aside.
    assert [(s, p) for s, p, _ in await w.instalments("combined")] == [("paid", 2_000_000), ("paid", 3_000_000)]
    assert len(confirmed["R-COMBINED"]["receipt_ids"]) == 2
    assert confirmed["R-PAYER"]["rule_kind"] == "payer_amount"
    assert [(s, p) for s, p, _ in await w.instalments("payer")] == [("paid", 1_500_000)]
    # Over by 30 元 inside the rule's tolerance: the whole line received (the service's own tolerance is 0).
    assert [(s, p) for s, p, _ in await w.instalments("over_inside")] == [("paid", 1_003_000)]
    # Short by 40 元 inside the tolerance: received, the rest written off, the instalment settled.
    [(state, paid, under_id)] = await w.instalments("under_inside")
    assert (state, paid) == ("paid", 996_000)
    assert confirmed["R-UNDER-IN"]["write_offs"] == [{"instalment_id": under_id, "amount_minor": 4000}]
    # Short by 1 000 元, beyond it: a part payment, nothing written off.
    assert [(s, p) for s, p, _ in await w.instalments("under_outside")] == [("partly_paid", 900_000)]
    assert not confirmed["R-UNDER-OUT"].get("write_offs")
    # Two lines, one instalment.
    assert [(s, p) for s, p, _ in await w.instalments("split")] == [("paid", 1_000_000)]

    # Over by 1 000 元 beyond the tolerance: a suggestion, and confirming it is refused naming the amount.
    over = suggested["R-OVER-OUT"]
    assert over["evidence"]["payment"] == "overpays" and not over.get("confident")
    refused = is_problem(await w.call("POST", f"/v1/matching/matches/{over['match_id']}/confirm"), 409)
    assert "amount" in json.dumps(refused, ensure_ascii=False)
    assert [(s, p) for s, p, _ in await w.instalments("over_outside")] == [("overdue", 0)]
    assert over["match_id"] in {m["match_id"] for m in await w.matches("suggested")}
    await w.balanced()

    # The amount alone fits two instalments equally: left to finance, who confirms it.
    twin = suggested["R-TWIN"]
    assert twin["rule_kind"] == "amount_window" and twin["evidence"].get("ambiguous")
    done = await w.ok("POST", f"/v1/matching/matches/{twin['match_id']}/confirm")
    assert done["match"]["status"] == "confirmed" and not done["match"].get("auto")
    twins = [(s, p) for sc in ("twin_a", "twin_b") for s, p, _ in await w.instalments(sc)]
    assert sorted(twins) == [("overdue", 0), ("paid", 700_000)]
    await w.balanced()

    events = {e.match_id: e for e in await reconciled_events(w)}
    mine = {m["match_id"] for m in [*confirmed.values(), done["match"]]}
    assert mine <= set(events)
    combined = events[confirmed["R-COMBINED"]["match_id"]]
    assert (combined.amount.amount_minor, len(combined.receipt_ids), combined.auto) == (5_000_000, 2, True)
    assert events[twin["match_id"]].confirmed_by == "liufang" and not events[twin["match_id"]].auto


async def _opportunity_of(w: World, scenario: str) -> str:
    [plan] = (await w.ok("GET", f"/v1/contracts/{w.contracts[scenario]}/payment-plans"))["plans"]
    return plan["opportunity_id"]


async def test_reversing_a_match_undoes_its_receipts_and_write_off(w: World) -> None:
    await signed_world(w)
    run = await w.ok("POST", "/v1/matching/runs")
    under = by_line(w, run["confirmed"])["R-UNDER-IN"]
    empty = is_problem(await w.call("POST", f"/v1/matching/matches/{under['match_id']}/reversal",
                                    json={"reason": ""}), 422)
    assert "reason" in json.dumps(empty)
    # Its receipt is not reversed on its own (the match would stay confirmed, its line matched, the money gone):
    # refused naming the match to reverse instead, and nothing changes.
    [receipt_id] = under["receipt_ids"]
    alone = is_problem(await w.call("POST", f"/v1/receipts/{receipt_id}/reversal", json={"reason": "冲错了"}), 409)
    assert f"/v1/matching/matches/{under['match_id']}/reversal" in json.dumps(alone, ensure_ascii=False)
    assert [s for s, _, _ in await w.instalments("under_inside")] == ["paid"]
    assert under["match_id"] in {m["match_id"] for m in await w.matches("confirmed")}
    lines = (await w.ok("GET", "/v1/bank-statement-lines", params={"page_size": 100}))["lines"]
    assert {ln["line_id"]: ln["status"] for ln in lines}[w.lines["R-UNDER-IN"]] == "matched"
    await w.balanced()
    undone = await w.ok("POST", f"/v1/matching/matches/{under['match_id']}/reversal",
                        json={"reason": "客户说这笔付的是另一份合同"})
    assert (undone["match"]["status"], undone["match"]["reason"]) == ("reversed", "客户说这笔付的是另一份合同")
    assert [(s, p) for s, p, _ in await w.instalments("under_inside")] == [("overdue", 0)]
    await w.balanced()
    is_problem(await w.call("POST", f"/v1/matching/matches/{under['match_id']}/reversal",
                            json={"reason": "again"}), 409)
    assert [m["match_id"] for m in await w.matches("reversed")] == [under["match_id"]]
    # The line is offered again, and stays a suggestion: a run does not confirm what finance undid.
    again = by_line(w, (await w.ok("POST", "/v1/matching/runs")).get("suggestions", []))
    assert again["R-UNDER-IN"]["evidence"]["dropped_before"] and not again["R-UNDER-IN"].get("confident")
    await w.balanced()


async def test_the_match_list_pages_and_refuses_what_it_did_not_issue(w: World) -> None:
    await signed_world(w)
    await w.ok("POST", "/v1/matching/runs")
    seen, token = [], ""
    while True:
        page = await w.ok("GET", "/v1/matching/matches", params={"page_size": 3, "page_token": token})
        seen += [m["match_id"] for m in page.get("matches", [])]
        token = page.get("next_page_token", "")
        if not token:
            break
    assert len(seen) == len(set(seen)) == len(LINES) and seen == sorted(seen)
    assert "page_token" in json.dumps(is_problem(
        await w.call("GET", "/v1/matching/matches", params={"page_token": "bm9wZQ"}), 400))
    is_problem(await w.call("GET", "/v1/matching/matches", params={"status": "done"}), 422)
    is_problem(await w.call("GET", "/v1/matching/matches", params={"page_size": 201}), 422)


async def test_match_rules_are_the_tenants_and_checked(w: World) -> None:
    defaults = (await w.ok("GET", "/v1/matching/rules"))["rules"]
    assert [r["kind"] for r in defaults] == ["contract_ref", "payer_amount", "amount_window"]
    bad = is_problem(await w.call("POST", "/v1/matching/rules",
                                  json={"position": 1, "kind": "contract_ref", "pattern": "(HT"}), 400)
    assert "pattern" in bad["detail"]
    bounded = is_problem(await w.call("POST", "/v1/matching/rules", json={
        "position": 1, "kind": "payer_amount", "tolerance": {"over_bp": 5_000}}), 422)
    assert "over_bp" in str(bounded)
    assert (await w.ok("GET", "/v1/matching/rules"))["rules"] == defaults

    rule = (await w.ok("POST", "/v1/matching/rules", json={
        "position": 5, "kind": "contract_ref", "name": "合同号", "pattern": r"(HT-\d{4}-\d{4})",
        "tolerance": {"under_minor": 500, "over_bp": 10}}))["rule"]
    assert rule["rule_id"] and rule["tolerance"]["under_minor"] == 500 and rule["tolerance"]["over_bp"] == 10
    await w.ok("PUT", f"/v1/matching/rules/{rule['rule_id']}", user="admin",
               json={"position": 7, "kind": "amount_window", "window_days": 3})
    assert [(r["rule_id"], r["kind"]) for r in (await w.ok("GET", "/v1/matching/rules"))["rules"]] == [
        (rule["rule_id"], "amount_window")]
    is_problem(await w.call("PUT", "/v1/matching/rules/" + "u" * 64,
                            json={"position": 1, "kind": "amount_window", "window_days": 3}), 404)
    await w.ok("DELETE", f"/v1/matching/rules/{rule['rule_id']}")
    is_problem(await w.call("DELETE", f"/v1/matching/rules/{rule['rule_id']}"), 404)


async def test_only_finance_and_admins_match_and_an_unknown_match_is_not_found(w: World) -> None:
    await signed_world(w)
    run = await w.ok("POST", "/v1/matching/runs", user="admin")
    some = run["suggestions"][0]["match_id"]
    for user in ("zhangwei", "wangqiang", "chenjing", "zhaolei", "other-rep"):
        for method, url, body in [
            ("POST", "/v1/matching/runs", None), ("GET", "/v1/matching/matches", None),
            ("GET", "/v1/matching/suggestions", None), ("GET", "/v1/matching/rules", None),
            ("POST", f"/v1/matching/matches/{some}/confirm", None),
            ("POST", f"/v1/matching/matches/{some}/reversal", {"reason": "x"}),
            ("POST", f"/v1/matching/matches/{some}/reject", {"reason": "x"}),
        ]:
            assert (await w.call(method, url, user=user, json=body)).status_code == 403, (user, url)
    for url, body in [("/v1/matching/matches/nope/confirm", None), ("/v1/matching/matches/nope/reversal",
                                                                   {"reason": "不是这笔"}),
                      ("/v1/matching/matches/nope/reject", {"reason": "不是这笔"})]:
        is_problem(await w.call("POST", url, json=body), 404)
    is_problem(await w.call("POST", "/v1/matching/matches/" + "x" * 65 + "/confirm"), 422)
    # A suggestion refused by its reviewer is final; the line is offered again next run.
    rejected = await w.ok("POST", f"/v1/matching/matches/{some}/reject", json={"reason": "另一家公司的付款"})
    assert rejected["match"]["status"] == "rejected"
    is_problem(await w.call("POST", f"/v1/matching/matches/{some}/confirm"), 409)
    await w.balanced()
