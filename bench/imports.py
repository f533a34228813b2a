"""A 5,000-row lead file (.xlsx) imported through the gateway
(POST /v1/leads/import -> gRPC -> one transaction -> outbox -> JetStream)
into a city already holding 20,000 leads, and the time until every new lead
is ranked (in pool_scores).

Baseline, same run: reading the same file alone (domain.imports.parse_rows,
the part no import can skip), so the ratio is what duplicate tests, stores
and events add on top of reading it. Target: the import within 5 s, the
ranking within 5 s after.

The file: 4,400 new companies, 300 near-identical names of open leads of the
city (merged), 200 rows repeating an earlier row's phone (merged), 100 rows
with an unreadable budget (rejected). The city's leads are stored straight
into the database before the stack starts: 2,000 open, 18,000 converted
(the duplicate test reads them all; only open ones are ranked)."""

from __future__ import annotations

import asyncio
import io
import random
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import sqlalchemy as sa
from openpyxl import Workbook
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bench.assign_latency import set_up
from bench.intake import backend, local_stack, result
from scripts.localstack import token

ROWS = 5000
CITY_LEADS, CITY_OPEN = 20_000, 2_000
CITY, ADDRESS = "绍兴市", "浙江省绍兴市柯桥区"
# Characters Chinese company names are made of, so names look like real ones
# (no running numbers, which would share digit bigrams with each other).
_CHARS = (
    "华达恒盛精工纺织机械电子科技贸易实业新材料服装印染化纤家纺五金塑业包装物流建材医药食品环保光电信息鑫源泰丰"
    "永兴隆昌顺和瑞祥宏远海天宇宙金银铜铁钢铝锦绣江南北东西中国际大正通利德仁义信诚安康乐福寿喜庆龙凤麟鹏飞"
    "腾跃升起明亮辉煌创智慧灵巧美丽雅致精良品优质特快速捷立新奇异峰岭山川河湖港湾桥梁路街道城乡村镇园林木森"
)


def company(rng: random.Random) -> str:
    return "".join(rng.sample(_CHARS, rng.randint(4, 6)))


def city_names() -> list[str]:
    rng = random.Random(1)
    return [company(rng) + "有限公司" for _ in range(CITY_LEADS)]


def lead_file() -> tuple[bytes, dict[str, int]]:
    """The .xlsx and how many rows of each kind it holds."""
    rng = random.Random(2)
    seeded = city_names()
    book = Workbook()
    sheet = book.active
    sheet.append(["公司名称", "电话", "地址", "来源", "行业标签", "预算"])
    kinds = ["new"] * 4400 + ["near"] * 300 + ["again"] * 200 + ["bad"] * 100
    rng.shuffle(kinds)
    phones: list[str] = []
    for i, kind in enumerate(kinds):
        name, phone, budget = f"柯桥{company(rng)}", f"137{i:08d}", str(rng.randint(1, 500) * 1000)
        if kind == "near":
            name = seeded[rng.randrange(CITY_OPEN)].replace("有限公司", "厂")  # an open lead's name, another legal form
        elif kind == "again" and phones:
            phone = rng.choice(phones)
        elif kind == "bad":
            budget = "很多"
        phones.append(phone)
        sheet.append([name, phone, f"{ADDRESS}{rng.randint(1, 999)}号", "展会扫码", "纺织机械", budget])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), {k: kinds.count(k) for k in ("new", "near", "again", "bad")}


async def seed_city(url: str) -> None:
    """The city's leads, with their name index, straight into lead-routing's database."""
    from lead_routing.adapters.lead_repository import LeadRepository
    from lead_routing.domain.lead import LeadData, new_lead

    now = datetime.now(UTC) - timedelta(days=30)
    engine = create_async_engine(url)
    try:
        template = new_lead(
            lead_id="seed",
            tenant_id="demo",
            owner_id=None,
            created_by="seed",
            now=now,
            data=LeadData(company_name="样板", phone="+8613600000000", source="导入", province="浙江省", city=CITY),
        )
        batch = [
            replace(
                template,
                lead_id=f"seed-{i}",
                company_name=name,
                phone=f"+86136{i:08d}",
                created_at=now + timedelta(seconds=i),
                updated_at=now + timedelta(seconds=i),
                status="open" if i < CITY_OPEN else "converted",
            )
            for i, name in enumerate(city_names())
        ]
        async with AsyncSession(engine) as session, session.begin():
            for start in range(0, len(batch), 2000):
                await LeadRepository(session).add_many(batch[start : start + 2000])
    finally:
        await engine.dispose()


def parse_alone(content: bytes) -> float:
    """The baseline: the same file read and validated, nothing stored (best of 3)."""
    from lead_routing.domain.imports import parse_rows

    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        parse_rows("leads.xlsx", content, {})
        best = min(best, time.perf_counter() - started)
    return best


async def ranked(url: str, lead_ids: list[str]) -> int:
    """How many of the leads have their pool ranking stored."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(sa.text("SELECT DISTINCT lead_id FROM pool_scores"))
            have = {r for (r,) in rows.all()}
    finally:
        await engine.dispose()
    return len(have.intersection(lead_ids))


def bench_imports() -> list[dict]:
    content, kinds = lead_file()
    baseline = parse_alone(content)
    with local_stack(seed=lambda stack: asyncio.run(seed_city(stack.env()["LEAD_ROUTING_DATABASE_URL"]))) as stack:
        db_url = stack.env()["LEAD_ROUTING_DATABASE_URL"]
        base = stack.gateway_url
        manager = {"Authorization": f"Bearer {token(base, 'wangqiang')}"}
        set_up(base, manager)  # reps, a route and the formula, so new leads get ranked
        started = time.perf_counter()
        reply = httpx.post(
            f"{base}/v1/leads/import", files={"file": ("leads.xlsx", content)}, headers=manager, timeout=600
        )
        took = time.perf_counter() - started
        reply.raise_for_status()
        body = reply.json()
        new_ids = [r["lead_id"] for r in body["rows"] if r["outcome"] == "accepted"]
        deadline = time.perf_counter() + 300
        while (done := asyncio.run(ranked(db_url, new_ids))) < len(new_ids) and time.perf_counter() < deadline:
            time.sleep(0.25)
        ranking = time.perf_counter() - started - took
    print(
        f"import ({backend()}): {ROWS} rows {kinds} -> accepted {body['accepted']}, merged {body['merged']}, "
        f"rejected {body['rejected']} in {took:.2f}s (parsing alone {baseline:.2f}s); "
        f"{done}/{len(new_ids)} new leads ranked {ranking:.1f}s after",
        file=sys.stderr,
    )
    return [
        result(f"lead_import_{backend()}_5000_rows_s", took, "s", baseline),
        result(f"lead_import_{backend()}_ranked_after_s", ranking, "s", took),
    ]
