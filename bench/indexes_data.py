"""A tenant at the issue's size for the indexes bench (bench/indexes.py), written
straight into opportunity's tables (the migrated schema) with one executemany
per 10,000 rows: what each index reads, consistent with itself.

At scale 1 (BENCH_INDEXES_SCALE): 50,000 customers, 200,000 opportunities and
2,000,000 activities; 20 managers with 10 reps each (reps table, team per
manager); customers with an owner, province/city, industry and a hand-set tier;
three pipelines of five stages with playbooks; opportunities 45 % open, 22 % won,
33 % lost, each with its stage stays up to its stage, the won ones paid by one to
three counted receipts (paid_on) that make the customer's purchase total; two
years of activities per customer (a third of them in the last 30 days), kinds
weighted like a sales team's, one in seven setting a next follow-up, half of the
conversations with a tag analysis (预算, 决策链, 时间节点, 竞品 …), calls with a
duration; master field writes, approvals as cross-department tasks, ECN
confirmation and timer tasks, referrals. The win outcome has a known signal
(industry, amount band and activity count move the odds).

The activity hash chain holds placeholders (prev_hash/hash are not a sha256 of
anything): no index reads or checks it — contact depth, process health and the
win model read kinds, times, opportunities and plans; an activity appended
later (the per-event part) chains onto the placeholder like onto any hash."""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

TENANT = "bench-idx"
BATCH = 10_000
MANAGERS, REPS_PER_MANAGER = 20, 10
PROVINCES = {
    "浙江省": ["宁波市", "杭州市", "绍兴市", "台州市"],
    "江苏省": ["苏州市", "无锡市", "常州市"],
    "广东省": ["东莞市", "佛山市", "深圳市"],
    "山东省": ["青岛市", "潍坊市"],
    "上海市": ["上海市"],
}
INDUSTRIES = ["汽车零部件", "家电", "包装", "医疗器械", "日用品", "电子", "玩具", "建材"]
# The known signal: industries whose deals are won more often (log-odds added).
INDUSTRY_ODDS = {"汽车零部件": 0.8, "医疗器械": 0.6, "家电": 0.2, "电子": 0.0, "包装": -0.3, "日用品": -0.5}
PIPELINES = [
    ("注塑机", ["初步接洽", "需求确认", "方案报价", "商务谈判", "合同签订"]),
    ("机械手", ["初步接洽", "需求确认", "方案报价", "商务谈判", "合同签订"]),
    ("辅机", ["初步接洽", "需求确认", "方案报价", "商务谈判", "合同签订"]),
]
STAGE_PROBABILITY = [10, 25, 45, 65, 90]
STAGE_CATEGORY = ["pipeline", "pipeline", "best_case", "best_case", "commit"]
PLAYBOOKS = [("call", "visit"), ("visit", "demo"), ("demo", "proposal_sent"), ("quote_sent",), ()]
KINDS = ["call", "chat", "visit", "demo", "quote_sent", "proposal_sent", "note"]
KIND_WEIGHTS = [35, 25, 15, 5, 5, 3, 12]
TAGS = ["预算", "决策链", "时间节点", "竞品", "报价", "交期"]
TAG_WORDS = {"预算": "预算", "决策链": "老板", "时间节点": "下个月", "竞品": "海天", "报价": "报价单", "交期": "交期"}
FIELDS = ["name", "phone", "location", "industry", "size_tier", "cooperation_stage", "tags", "contacts"]
TIERS, TIER_WEIGHTS = ["战略", "重点", "普通"], [5, 20, 75]


def _id(kind: int, n: int) -> str:
    return str(uuid.UUID(int=(kind << 100) | n))


def rep_ids() -> list[str]:
    return [f"rep{m:02d}{k}" for m in range(MANAGERS) for k in range(REPS_PER_MANAGER)]


@dataclass
class Filled:
    scale: float
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    customers: list[tuple[str, str]] = field(default_factory=list)  # (customer_id, owner_id)
    opportunities: list[tuple[str, str, str]] = field(default_factory=list)  # open: (opp, customer, owner)


class Rows:
    """One customer's rows, kept until the customer's own row is known (it is written first)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, dict]] = []

    async def add(self, table: str, row: dict) -> None:
        self.rows.append((table, row))


class Writer:
    """Rows collected per table, written BATCH at a time in one executemany each."""

    def __init__(self, conn: Any, tables: dict[str, Any]) -> None:
        self.conn, self.tables = conn, tables
        self.rows: dict[str, list[dict]] = {name: [] for name in tables}
        self.counts: dict[str, int] = dict.fromkeys(tables, 0)

    async def add(self, table: str, row: dict) -> None:
        rows = self.rows[table]
        rows.append(row)
        if len(rows) >= BATCH:
            await self.close()  # every table, parents first (foreign keys)

    async def flush(self, table: str) -> None:
        rows = self.rows[table]
        if rows:
            await self.conn.execute(self.tables[table].insert(), rows)
            self.counts[table] += len(rows)
            self.rows[table] = []

    async def close(self) -> None:
        for name in self.tables:
            await self.flush(name)


def _tables() -> dict[str, Any]:
    from opportunity.adapters.orm.activities import activities
    from opportunity.adapters.orm.customer_value import customer_referrals
    from opportunity.adapters.orm.customers import customers
    from opportunity.adapters.orm.opportunities import opportunities, pipelines, stage_stays
    from opportunity.adapters.orm.process_health import call_durations, collab_tasks, customer_field_updates
    from opportunity.adapters.orm.receipts import counted_receipts
    from opportunity.adapters.orm.reps import reps
    from opportunity.adapters.orm.tagging import activity_analyses
    from opportunity.adapters.orm.tasks import tasks

    # Parents before children: a batch of children is flushed only after its parents (close() order).
    return {
        "reps": reps,
        "pipelines": pipelines,
        "customers": customers,
        "opportunities": opportunities,
        "stage_stays": stage_stays,
        "activities": activities,
        "activity_analyses": activity_analyses,
        "call_durations": call_durations,
        "counted_receipts": counted_receipts,
        "customer_referrals": customer_referrals,
        "customer_field_updates": customer_field_updates,
        "collab_tasks": collab_tasks,
        "tasks": tasks,
    }


def _pipeline_rows(now: datetime) -> list[dict]:
    rows = []
    for k, (line, stages) in enumerate(PIPELINES):
        rows.append(
            {
                "pipeline_id": _id(1, k),
                "tenant_id": TENANT,
                "name": line,
                "product_line": line,
                "stages": [
                    {
                        "name": s,
                        "probability": STAGE_PROBABILITY[i],
                        "forecast_category": STAGE_CATEGORY[i],
                        "gate": {"required_fields": [], "required_documents": [], "approval_kinds": []},
                        "max_days": 30,
                        "playbook": list(PLAYBOOKS[i]),
                    }
                    for i, s in enumerate(stages)
                ],
                "created_at": now - timedelta(days=800),
                "updated_at": now - timedelta(days=800),
            }
        )
    return rows


async def fill(url: str, scale: float, now: datetime, seed: int = 7) -> Filled:
    """The tenant written into the migrated database at `url`; timed."""
    from crm_shared.db import Database

    started = time.perf_counter()
    rng = random.Random(seed)
    n_customers = max(20, int(50_000 * scale))
    opps_per_customer = 4.0  # 200,000 at scale 1
    acts_per_customer = 40.0  # 2,000,000 at scale 1
    reps = rep_ids()
    out = Filled(scale)
    db = Database(url, "opportunity")
    try:
        async with db.engine.begin() as conn:
            w = Writer(conn, _tables())
            for m in range(MANAGERS):
                manager = f"mgr{m:02d}"
                province = list(PROVINCES)[m % len(PROVINCES)]
                for rep_id in [manager, *(f"rep{m:02d}{k}" for k in range(REPS_PER_MANAGER))]:
                    await w.add(
                        "reps",
                        {
                            "tenant_id": TENANT,
                            "rep_id": rep_id,
                            "name": rep_id,
                            "team": f"华东{m:02d}组",
                            "manager_id": "" if rep_id == manager else manager,
                            "region": province,
                            "active": True,
                            "updated_at": now - timedelta(days=400),
                        },
                    )
            pipeline_rows = _pipeline_rows(now)
            for row in pipeline_rows:
                await w.add("pipelines", row)
            await w.flush("reps")
            await w.flush("pipelines")
            counters = {"opp": 0, "act": 0, "stay": 0, "rcpt": 0, "task": 0, "upd": 0}
            for c in range(n_customers):
                await _customer(
                    w, rng, c, reps, pipeline_rows, now, opps_per_customer, acts_per_customer, counters, out
                )
            await w.close()
            out.counts = dict(w.counts)
    finally:
        await db.dispose()
    out.seconds = time.perf_counter() - started
    return out


def _occurred(rng: random.Random, now: datetime) -> datetime:
    """A third in the last 30 days, the rest over two years."""
    days = rng.uniform(0, 30) if rng.random() < 0.33 else rng.uniform(30, 730)
    return now - timedelta(days=days, seconds=rng.randrange(86_400))


async def _customer(  # one customer's whole world, in the order its rows depend
    writer: Writer,
    rng: random.Random,
    c: int,
    reps: list[str],
    pipelines: list[dict],
    now: datetime,
    opps_per_customer: float,
    acts_per_customer: float,
    n: dict[str, int],
    out: Filled,
) -> None:
    customer_id = _id(2, c)
    owner = reps[c % len(reps)]
    w = Rows()
    province = (
        list(PROVINCES)[(c // len(reps)) % len(PROVINCES)]
        if rng.random() < 0.3
        else list(PROVINCES)[int(owner[3:5]) % len(PROVINCES)]
    )
    industry = INDUSTRIES[rng.randrange(len(INDUSTRIES))]
    created = now - timedelta(days=rng.uniform(60, 800))
    # Opportunities first (activities point at them), then the log, then what money and tasks say.
    opps = []
    for _ in range(max(1, round(rng.expovariate(1 / opps_per_customer)))):
        k = n["opp"]
        n["opp"] += 1
        p = rng.randrange(len(pipelines))
        pipeline = pipelines[p]
        opened = created + timedelta(days=rng.uniform(0, max(1.0, (now - created).days - 1)))
        r = rng.random()
        status = "open" if r < 0.45 else ("won" if r < 0.67 else "lost")
        band = rng.choice((1, 2, 3))
        amount = band * rng.randrange(100_000, 800_000) * 100
        stage_at = rng.randrange(5) if status != "won" else 4
        opps.append(
            {
                "opportunity_id": _id(3, k),
                "tenant_id": TENANT,
                "customer_id": customer_id,
                "name": f"{pipeline['product_line']}项目{k}",
                "stage": pipeline["stages"][stage_at]["name"],
                "amount_minor": amount,
                "currency": "CNY",
                "owner_id": owner,
                "lead_id": _id(4, k) if rng.random() < 0.3 else None,
                "created_at": opened,
                "updated_at": opened,
                "pipeline_id": pipeline["pipeline_id"],
                "probability": STAGE_PROBABILITY[stage_at],
                "forecast_category": STAGE_CATEGORY[stage_at],
                "status": status,
                "expected_close_date": (opened + timedelta(days=rng.randrange(30, 240))).date(),
                "product_line": pipeline["product_line"],
                "closed_at": None,
                "stage_entered_at": opened,
                "_stage": stage_at,
                "_band": band,
                "_acts": 0,
            }
        )
    count = max(1, round(rng.expovariate(1 / acts_per_customer)))
    times = sorted(_occurred(rng, now) for _ in range(count))
    times = [max(t, created) for t in times]
    last_contact = None
    plan = None
    for seq, at in enumerate(times, start=1):
        a = n["act"]
        n["act"] += 1
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        opp = opps[rng.randrange(len(opps))] if rng.random() < 0.8 else None
        if opp is not None:
            opp["_acts"] += 1
        follow = at + timedelta(days=rng.randrange(1, 8)) if rng.random() < 1 / 7 and kind != "note" else None
        activity_id = _id(5, a)
        await w.add(
            "activities",
            {
                "activity_id": activity_id,
                "tenant_id": TENANT,
                "customer_id": customer_id,
                "seq": seq,
                "opportunity_id": opp["opportunity_id"] if opp else None,
                "lead_id": None,
                "kind": kind,
                "actor_id": owner,
                "occurred_at": at,
                "recorded_at": at,
                "state": "submitted",
                "summary": "电话沟通二期产线的报价与交期" if kind != "visit" else "",
                "refers_to": None,
                "relation": "",
                "check_in_latitude": 29.87 if kind == "visit" else None,
                "check_in_longitude": 121.55 if kind == "visit" else None,
                "checked_in_at": at if kind == "visit" else None,
                "photo_id": None,
                "photo_sha256": "",
                "needs": "",
                "competitors": "",
                "next_follow_up_at": follow,
                "violations": [],
                "prev_hash": f"{a:064x}",  # placeholder chain (see the module's docstring)
                "hash": f"{a + 1:064x}",
            },
        )
        if kind in ("call", "chat", "visit") and rng.random() < 0.5:
            tags = rng.sample(TAGS, rng.randrange(1, 3))
            await w.add(
                "activity_analyses",
                {
                    "activity_id": activity_id,
                    "tenant_id": TENANT,
                    "customer_id": customer_id,
                    "opportunity_id": opp["opportunity_id"] if opp else None,
                    "kind": kind,
                    "actor_id": owner,
                    "occurred_at": at,
                    "source": "",
                    "action": "",
                    "tags": {t: [TAG_WORDS[t]] for t in tags},
                    "summary": ["电话沟通二期产线的报价与交期"],
                    "keywords": ["报价", "交期"],
                    "text_sha256": "0" * 64,
                    "analysed_at": at,
                },
            )
        if kind == "call":
            await w.add(
                "call_durations",
                {
                    "tenant_id": TENANT,
                    "activity_id": activity_id,
                    "actor_id": owner,
                    "occurred_at": at,
                    "duration_seconds": rng.randrange(20, 1800),
                },
            )
        if kind != "note":
            last_contact = at
        if follow is not None:
            plan = follow
    purchase_total = 0
    for o in opps:
        stage_names = [s["name"] for s in next(p for p in pipelines if p["pipeline_id"] == o["pipeline_id"])["stages"]]
        status = o["status"]
        if status != "open":
            # The known signal: industry, amount band and worked-on deals move the odds of a win.
            odds = INDUSTRY_ODDS.get(industry, 0.0) - 0.4 * (o["_band"] - 2) + 0.15 * min(o["_acts"], 10) - 0.6
            p_win = 1 / (1 + pow(2.718281828, -odds))
            status = o["status"] = "won" if rng.random() < p_win else "lost"
            o["_stage"] = 4 if status == "won" else rng.randrange(5)
        entered = o["created_at"]
        stays_until = o["_stage"]
        for i in range(stays_until + 1):
            left = entered + timedelta(days=rng.uniform(2, 40)) if i < stays_until or status != "open" else None
            if left is not None and left > now:
                left = now - timedelta(hours=1)
            await w.add(
                "stage_stays",
                {
                    "stay_id": _id(6, n["stay"]),
                    "tenant_id": TENANT,
                    "opportunity_id": o["opportunity_id"],
                    "pipeline_id": o["pipeline_id"],
                    "stage": stage_names[i],
                    "entered_at": entered,
                    "entered_by": o["owner_id"],
                    "entered_via": "placed" if i == 0 else "moved",
                    "left_at": left,
                    "left_via": ("moved" if i < stays_until else status) if left is not None else "",
                    "reason": "",
                },
            )
            n["stay"] += 1
            if left is not None:
                entered = left
        o["stage"] = stage_names[o["_stage"]]
        o["probability"] = STAGE_PROBABILITY[o["_stage"]]
        o["forecast_category"] = STAGE_CATEGORY[o["_stage"]]
        o["stage_entered_at"] = entered
        o["closed_at"] = entered if status != "open" else None
        o["updated_at"] = entered
        if status == "open":
            out.opportunities.append((o["opportunity_id"], customer_id, owner))
        if status == "won":
            parts = rng.randrange(1, 4)
            for part in range(parts):
                paid = min(now, entered + timedelta(days=15 + 30 * part))
                amount = o["amount_minor"] // parts
                purchase_total += amount
                await w.add(
                    "counted_receipts",
                    {
                        "tenant_id": TENANT,
                        "receipt_id": f"rc-{n['rcpt']:08d}",
                        "opportunity_id": o["opportunity_id"],
                        "customer_id": customer_id,
                        "amount_minor": amount,
                        "counted": True,
                        "reversed": False,
                        "updated_at": paid,
                        "paid_on": paid.date(),
                    },
                )
                n["rcpt"] += 1
        if rng.random() < 0.2:
            started = o["created_at"] + timedelta(days=rng.uniform(1, 20))
            started = min(started, now - timedelta(hours=2))
            await w.add(
                "collab_tasks",
                {
                    "tenant_id": TENANT,
                    "task_id": _id(7, n["task"]),
                    "kind": "approval",
                    "opportunity_id": o["opportunity_id"],
                    "started_at": started,
                    "finished_at": min(now, started + timedelta(hours=rng.uniform(1, 72))),
                },
            )
            n["task"] += 1
        if rng.random() < 0.2:
            await _task(w, rng, n, o, now)
    for o in opps:
        for k in [k for k in o if k.startswith("_")]:
            del o[k]
    for _ in range(rng.randrange(0, 6)):
        await w.add(
            "customer_field_updates",
            {
                "update_id": _id(8, n["upd"]),
                "tenant_id": TENANT,
                "customer_id": customer_id,
                "field": rng.choice(FIELDS),
                "updated_at": now - timedelta(days=rng.uniform(0, 60)),
                "updated_by": owner,
            },
        )
        n["upd"] += 1
    if c > 0 and rng.random() < 0.02:
        await w.add(
            "customer_referrals",
            {
                "tenant_id": TENANT,
                "customer_id": customer_id,
                "referred_by": _id(2, rng.randrange(c)),
                "recorded_by": owner,
                "recorded_at": created,
            },
        )
    await writer.add(
        "customers",
        {
            "customer_id": customer_id,
            "tenant_id": TENANT,
            "name": f"宁波压测注塑{c:06d}有限公司",
            "credit_code": None,
            "phone": None,
            "province": province,
            "city": rng.choice(PROVINCES[province]),
            "district": "",
            "owner_id": owner,
            "created_at": created,
            "updated_at": created,
            "industry": industry,
            "value_tier": rng.choices(TIERS, TIER_WEIGHTS)[0],
            "tags": [],
            "last_interaction_at": last_contact,
            "purchase_total_minor": purchase_total,
            "service_request_count": rng.randrange(0, 4),
            "next_follow_up_at": plan if plan is not None and plan > now - timedelta(days=3) else None,
            "follow_up_moves": 0,
            "activity_seq": len(times),
        },
    )
    for o in opps:
        await writer.add("opportunities", o)
    order = list(writer.tables)
    for table, row in sorted(w.rows, key=lambda r: order.index(r[0])):
        await writer.add(table, row)
    out.customers.append((customer_id, owner))


async def _task(w: Rows, rng: random.Random, n: dict[str, int], o: dict, now: datetime) -> None:
    """An ECN confirmation (a cross-department task: created → answered) or a timer's task."""
    created = min(now - timedelta(hours=2), o["created_at"] + timedelta(days=rng.uniform(1, 30)))
    ecn = rng.random() < 0.5
    done = rng.random() < 0.8
    k = n["task"]
    n["task"] += 1
    await w.add(
        "tasks",
        {
            "task_id": _id(7, k),
            "tenant_id": TENANT,
            "owner_id": o["owner_id"],
            "customer_id": o["customer_id"],
            "opportunity_id": o["opportunity_id"],
            "rule": "ecn_confirmation" if ecn else "no_activity_24h",
            "title": "确认工程变更" if ecn else "24小时内联系客户",
            "due_at": created + timedelta(days=1),
            "state": "done" if done else "open",
            "created_at": created,
            "completed_at": min(now, created + timedelta(hours=rng.uniform(1, 96))) if done else None,
            "completed_by": o["owner_id"] if done else None,
            "key": f"bench:{k}",
            "ecn_id": _id(9, k) if ecn else None,
            "contract_id": _id(10, k) if ecn else None,
            "answer": "confirmed" if ecn and done else None,
        },
    )
