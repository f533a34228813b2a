"""Tagging a 企业微信 export (issue 17: messages per second, with the ratio
against jieba's own cut of the same text, measured in the same run).

(a) BENCH_TAG_MESSAGES (default 100,000) generated sales-chat messages of one
    tenant (预算, 报价, 样品, 交期, 竞品, 付款, product models; a tenant
    dictionary of 40 product and competitor names, the competitors tagged 竞品)
    through what the import does per message (service_layer/tagging.py
    analysis_of): domain/tagging.tag_text (segment with the tenant's
    tokenizer, match the keyword groups and dictionary) and domain/summary.
    summarise (TF-IDF keywords, best sentences). Baseline in the same run:
    the same tenant tokenizer's `lcut` of the same texts, segmentation alone.
    Rounds interleaved (baseline, ours, baseline, ours), best of each.
(b) The import end to end at BENCH_TAG_IMPORT messages (default 5,000):
    WecomImportHandlers.import_wecom on a migrated SQLite database (200
    customers with a contact's 企业微信 id and an open opportunity each),
    every message an activity appended to its customer's chain, tagged,
    stored and published to the outbox (in units of 500 messages), with the
    SQL statements it sent per message. Baseline: (a)'s tagging of the same
    messages alone (what the import adds beyond it is the database)."""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.intake import result

MESSAGES = int(os.environ.get("BENCH_TAG_MESSAGES", "100000"))
IMPORT_MESSAGES = int(os.environ.get("BENCH_TAG_IMPORT", "5000"))
IMPORT_CUSTOMERS = 200
ROUNDS = int(os.environ.get("BENCH_TAG_ROUNDS", "2"))
ROOT = Path(__file__).resolve().parent.parent
TENANT = "bench"
REP = "zhangwei"

PRODUCTS = [
    *(f"HT{n}S" for n in (1200, 1680, 2200, 2800, 3600, 4500)),
    *(f"JM{n}-MK6" for n in (800, 1100, 1500, 2000)),
    *["ZE1680", "ZE2500", "MA3800II", "MA5300II", "VE1200", "VE2600"],
    *["伺服节能注塑机", "双板注塑机", "全电动注塑机", "立式注塑机", "高速薄壁机", "两板直压机"],
    *["中央供料系统", "模温机", "三机一体干燥机", "冷水机", "六轴机械手", "横走式机械手", "智能工厂MES", "远程运维盒"],
]
COMPETITORS = ["海天", "伊之密", "力劲", "震雄", "恩格尔", "克劳斯玛菲", "住友德马格", "东华机械"]
DICTIONARY = [{"word": p, "tag": ""} for p in PRODUCTS] + [{"word": c, "tag": "竞品"} for c in COMPETITORS]

# One sentence each; a message is one to three of them.
TEMPLATES = [
    "您好，{p}的报价单麻烦发我一下，要含税价格。",
    "我们今年这块的预算大概在{n}万左右，老板那边还要审批。",
    "样品什么时候能寄过来？我们想先打样测试一下。",
    "交期最快多久？下个月底之前必须到货。",
    "{c}那边报价比你们低{k}%，你们能不能再给点折扣？",
    "好的，收到。",
    "明天上午十点方便电话沟通吗？",
    "{p}和{c}的机器有什么区别，能发个对比表吗？",
    "付款方式能不能分期？预付款三成，尾款验收后付。",
    "我们采购部下周会发招标文件，到时候请准备标书。",
    "周三安排一次技术演示可以吗，工程师过来现场看看{p}。",
    "模具已经开好了，试样合格的话下周就可以下单。",
    "发票抬头按之前的开就行。",
    "收到，我跟总经理汇报一下再回复您。",
    "这台{p}的锁模力是多少，能做{n}克的件吗？",
    "上次那批样件客户反馈毛边有点多，麻烦安排工程师看一下。",
    "账期能不能放到九十天，我们一般都是月结。",
    "{c}的销售昨天也来了，说可以免费试用三个月。",
    "年底前要把二期产线上线，时间比较紧。",
    "您看{p}配{p2}一起报个价，数量{k}台。",
    "嗯嗯，好的谢谢。",
    "[微笑]",
    "发货前请提前通知，我们安排叉车卸货。",
    "董事长下周回来拍板，你们的方案先发我看看。",
    "电费太贵了，想换成伺服节能的，能省多少？",
]


def messages(count: int, seed: int = 17) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = []
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            parts.append(
                rng.choice(TEMPLATES).format(
                    p=rng.choice(PRODUCTS),
                    p2=rng.choice(PRODUCTS),
                    c=rng.choice(COMPETITORS),
                    n=rng.randrange(20, 900),
                    k=rng.randrange(2, 30),
                )
            )
        out.append("".join(parts))
    return out


def tenant_settings():  # type: ignore[no-untyped-def]
    from opportunity.domain.tagging import DEFAULT_KEYWORD_GROUPS, parse_settings

    return parse_settings(
        {
            "keyword_groups": [{"tag": t, "words": list(w)} for t, w in DEFAULT_KEYWORD_GROUPS],
            "dictionary": DICTIONARY,
        },
        version=1,
    )


def analyse(texts: list[str], settings) -> int:  # type: ignore[no-untyped-def]
    """What service_layer/tagging.analyse_activity computes per message (tags, summary sentences,
    keywords: the same calls); the number of tag hits."""
    from opportunity.domain.summary import summarise
    from opportunity.domain.tagging import tag_text

    found = 0
    for body in texts:
        tagged = tag_text(body, settings)
        hit_words = [w for words in tagged.tags.values() for w in words]
        if body.strip():
            summarise(body, settings, hit_words, words=tagged.words)
        found += len(tagged.tags)
    return found


def segment_only(texts: list[str], settings) -> int:  # type: ignore[no-untyped-def]
    from opportunity.domain.tagging import SEGMENTERS

    tk = SEGMENTERS.for_words(w for w, _ in settings.dictionary)
    return sum(len(tk.lcut(body)) for body in texts)


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def bench_tag_messages() -> list[dict]:
    settings = tenant_settings()
    texts = messages(MESSAGES)
    segment_only(texts[:200], settings)  # the tokenizers and the IDF table loaded outside the timing
    analyse(texts[:200], settings)
    ours = base = float("inf")
    ours_cpu = base_cpu = 0.0
    for _ in range(ROUNDS):
        wall, cpu = _timed(lambda: segment_only(texts, settings))
        if wall < base:
            base, base_cpu = wall, cpu
        wall, cpu = _timed(lambda: analyse(texts, settings))
        if wall < ours:
            ours, ours_cpu = wall, cpu
    chars = sum(map(len, texts)) / len(texts)
    print(
        f"  tagging {len(texts)} messages ({chars:.0f} characters each on average): tag + summarise "
        f"{ours:.1f}s wall / {ours_cpu:.1f}s CPU, jieba lcut alone {base:.1f}s / {base_cpu:.1f}s CPU; {_load()}",
        file=sys.stderr,
    )
    rate, base_rate = len(texts) / ours, len(texts) / base
    return [
        {
            **result(f"tagging {len(texts)} messages (msg/s, vs jieba lcut alone)", rate, "msg/s", base_rate),
            "note": f"cost over segmentation alone: wall {ours / base:.2f}x, CPU {ours_cpu / base_cpu:.2f}x; {_load()}",
        }
    ]


def export(count: int, wecom_ids: list[str], start: datetime, seed: int = 5) -> bytes:
    """count messages in the 会话存档 shape over two days from start (a chat may be at most 7 days
    old), each between the rep and one customer's contact."""
    rng = random.Random(seed)
    lines = []
    for n, text in enumerate(messages(count, seed)):
        contact = wecom_ids[n % len(wecom_ids)]
        sender, to = (contact, [REP]) if rng.random() < 0.5 else (REP, [contact])
        sent = start + timedelta(days=2) * n / count
        lines.append(
            json.dumps(
                {
                    "msgid": f"msg-{n:07d}",
                    "action": "send",
                    "from": sender,
                    "tolist": to,
                    "roomid": "",
                    "msgtime": int(sent.timestamp() * 1000),
                    "msgtype": "text",
                    "text": {"content": text},
                },
                ensure_ascii=False,
            )
        )
    return ("\n".join(lines) + "\n").encode()


async def seed_customers(uow, count: int, wecom: bool = True) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """count customers of the rep, each with an open opportunity on a pipeline that has the default
    stage hints' stages and (`wecom`) a contact with a 企业微信 id: (customer, opportunity, 企业微信 id)."""
    from crm_shared.context import Caller
    from opportunity.domain.pipeline import Stage
    from opportunity.service_layer.contacts import ContactHandlers
    from opportunity.service_layer.conversations import ConversationHandlers
    from opportunity.service_layer.opportunities import NewOpportunity, OpportunityHandlers
    from opportunity.service_layer.pipelines import PipelineHandlers

    admin = Caller(TENANT, "admin", "admin")
    rep = Caller(TENANT, REP, "rep")
    pipeline = await PipelineHandlers(uow).create(
        admin,
        "注塑机",
        "注塑机",
        [
            Stage("初步接洽", 10, "pipeline"),
            Stage("需求确认", 25, "pipeline"),
            Stage("样件制作", 40, "pipeline"),
            Stage("报价谈判", 60, "best_case"),
            Stage("合同签订", 90, "commit"),
        ],
    )
    opportunities = OpportunityHandlers(uow, gates=None, locks=None)  # type: ignore[arg-type]
    contacts, conversations = ContactHandlers(uow), ConversationHandlers(uow)
    out = []
    for k in range(count):
        view = await opportunities.create(
            rep,
            NewOpportunity(
                customer_name=f"宁波压测注塑{k:04d}有限公司",
                customer_credit_code="",
                name="二期产线",
                amount_minor=1_200_000_00,
                owner_id=REP,
                pipeline_id=pipeline.pipeline_id,
            ),
        )
        customer_id = view.opportunity.customer_id
        external_id = ""
        if wecom:
            contact = await contacts.add(rep, customer_id, name=f"采购{k}", phone=f"1391234{k:04d}")
            external_id = f"wmBench{k:05d}"
            await conversations.set_wecom_id(rep, customer_id, contact.contact_id, external_id)
        out.append((customer_id, view.opportunity.opportunity_id, external_id))
    return out


async def _import(url: str) -> tuple[float, float, int, int]:
    import sqlalchemy as sa
    from crm_shared.context import Caller
    from crm_shared.db import Database
    from opportunity.service_layer.tagging import TaggingHandlers
    from opportunity.service_layer.uow import OpportunityUnitOfWork
    from opportunity.service_layer.wecom_import import WecomImportHandlers

    analyse(messages(50), tenant_settings())  # jieba's dictionary loaded outside the timing
    db = Database(url, "opportunity")

    def uow() -> OpportunityUnitOfWork:
        return OpportunityUnitOfWork(db)

    try:
        admin = Caller(TENANT, "admin", "admin")
        await TaggingHandlers(uow).put_settings(admin, 0, tenant_settings().to_data())
        seeded = await seed_customers(uow, IMPORT_CUSTOMERS)
        content = export(IMPORT_MESSAGES, [w for _, _, w in seeded], datetime.now(UTC) - timedelta(days=3))
        statements = [0]

        def count(*_: object) -> None:
            statements[0] += 1

        sa.event.listen(db.engine.sync_engine, "before_cursor_execute", count)
        t0, c0 = time.perf_counter(), time.process_time()
        report = await WecomImportHandlers(uow).import_wecom(Caller(TENANT, REP, "rep"), content)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        sa.event.remove(db.engine.sync_engine, "before_cursor_execute", count)
        return wall, cpu, report.imported, statements[0]
    finally:
        await db.dispose()


def bench_import() -> list[dict]:
    from crm_shared.runtime import run_migrations

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/opportunity.db"
        run_migrations(ROOT / "services" / "opportunity" / "alembic.ini", url)
        wall, cpu, imported, statements = asyncio.run(_import(url))
    assert imported == IMPORT_MESSAGES, f"imported {imported} of {IMPORT_MESSAGES}"
    texts = messages(IMPORT_MESSAGES, 5)
    settings = tenant_settings()
    tag_wall, _ = _timed(lambda: analyse(texts, settings))
    print(
        f"  import of {imported} messages: {wall:.1f}s wall / {cpu:.1f}s CPU, {statements / imported:.2f} statements "
        f"per message; tagging them alone {tag_wall:.1f}s; {_load()}",
        file=sys.stderr,
    )
    return [
        {
            **result(
                f"wecom import {imported} messages, SQLite (msg/s, vs their tagging alone)",
                imported / wall,
                "msg/s",
                imported / tag_wall,
            ),
            "note": f"{statements / imported:.2f} SQL statements per message; {_load()}",
        }
    ]


def bench_tagging() -> list[dict]:
    return bench_tag_messages() + bench_import()
