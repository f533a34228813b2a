"""The similar-name duplicate test reads a city's leads through their name
bigrams (lead_name_grams): in a city of thousands a near-identical name is
still found, the unrelated leads are not read, and the index follows a
lead a merge moves into a city. Migration 0006 indexes the leads already there."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from crm.lead_routing.v1 import lead_routing_pb2 as pb
from lead_routing.adapters.lead_repository import LeadRepository
from lead_routing.adapters.orm.leads import lead_name_grams, leads
from lead_routing.domain.duplicates import indexed_grams, name_probes
from lead_routing.domain.lead import LeadData, new_lead
from sqlalchemy.ext.asyncio import create_async_engine

from tests.integration.lead_routing.routing_helpers import MANAGER, TENANT
from tests.support.infra import ROOT, migrate

CITY = "绍兴市"
_CHARS = "华达恒盛精工纺织机械电子科技贸易实业新材料服装印染化纤家纺五金塑业包装物流建材医药食品环保光电信息"


def unrelated_names(count: int) -> list[str]:
    rng = random.Random(14)
    return [f"{''.join(rng.sample(_CHARS, rng.randint(4, 8)))}{i}有限公司" for i in range(count)]


async def store(api, names: list[str], city: str = CITY, prefix: str = "bulk") -> None:
    """Leads straight through the repository (with their name bigrams), oldest first."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    batch = [
        new_lead(
            lead_id=f"{prefix}-{i}", tenant_id=TENANT, owner_id=None, created_by="u", now=now - timedelta(seconds=i),
            data=LeadData(company_name=name, phone=f"+86136{i:08d}", source="导入", city=city), custom_types={},
        )
        for i, name in enumerate(names)
    ]
    async with api.svc.runtime.db.sessions() as session, session.begin():
        await LeadRepository(session).add_many(batch)


async def candidates(api, name: str, city: str = CITY) -> list[str]:
    async with api.svc.runtime.db.sessions() as session:
        found = await LeadRepository(session).similar_name_candidates(TENANT, city, name_probes(name))
    return sorted(c.company_name for c in found)


async def ingest(api, name: str, phone: str, city: str = CITY):
    return await api.leads.IngestLead(
        pb.IngestLeadRequest(company_name=name, phone=phone, source="官网表单", city=city), metadata=MANAGER.metadata()
    )


async def test_a_near_identical_name_is_found_among_thousands_without_reading_them(api) -> None:
    first = (await ingest(api, "绍兴柯桥恒盛纺织有限公司", "13900000001")).lead
    await store(api, unrelated_names(3000))
    await store(api, ["柯桥恒盛纺织机械有限公司"], city="杭州市", prefix="hz")  # the same name elsewhere is another company

    # Only the names sharing enough bigrams are read: not the 3,000 others of the city.
    assert await candidates(api, "绍兴柯桥恒盛纺织厂") == ["绍兴柯桥恒盛纺织有限公司"]
    assert await candidates(api, "恒盛纺织") == ["绍兴柯桥恒盛纺织有限公司"]  # by its core, without the places
    assert len(await candidates(api, unrelated_names(1)[0].replace("有限公司", "股份有限公司"))) <= 10

    for name in ("绍兴柯桥恒盛纺织厂", "恒盛纺织", "绍兴 柯桥恒盛纺织（有限公司）"):
        again = await ingest(api, name, "13700000002")
        assert (again.duplicate.matched_lead_id, again.duplicate.matched_by) == (first.lead_id, "similar_name"), name
    # A bulk lead is found by its own near-identical name; an unrelated name matches nothing.
    bulk = unrelated_names(3000)[1234]
    assert (await ingest(api, bulk.replace("有限公司", "厂"), "13700000003")).duplicate.matched_lead_id == "bulk-1234"
    assert not (await ingest(api, "宁波北仑甬兴注塑", "13700000004")).HasField("duplicate")


async def test_the_name_index_follows_a_lead_a_merge_gives_a_city(api) -> None:
    homeless = (await ingest(api, "绍兴越城华达精工", "13900000009", city="")).lead
    merged = await ingest(api, "完全不同的名字", "13900000009")  # the same phone, now with a city
    assert (merged.duplicate.matched_lead_id, merged.lead.city) == (homeless.lead_id, CITY)
    assert await candidates(api, "绍兴越城华达精工厂") == ["绍兴越城华达精工"]
    again = await ingest(api, "绍兴越城华达精工厂", "13700000010")
    assert (again.duplicate.matched_lead_id, again.duplicate.matched_by) == (homeless.lead_id, "similar_name")


def _upgrade(url: str, revision: str) -> None:
    config = Config(str(ROOT / "services" / "lead-routing" / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, revision)


async def test_migration_indexes_the_leads_already_there(database_url: str) -> None:
    await asyncio.to_thread(_upgrade, database_url, "0005")
    now = datetime(2026, 11, 20, tzinfo=UTC)
    base = {
        "tenant_id": "t", "contact_name": "", "source": "导入", "province": "浙江省", "district": "",
        "currency": "CNY", "status": "open", "created_by": "u", "created_at": now, "updated_at": now,
        "industry_tags": [], "custom_fields": {},
    }
    names = {"a": ("绍兴柯桥恒盛纺织有限公司", CITY), "b": ("宁波注塑机厂", "宁波市"), "c": ("无城市的公司", "")}
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                sa.insert(leads), [base | {"lead_id": k, "company_name": n, "city": c} for k, (n, c) in names.items()]
            )
        await migrate("lead-routing", database_url)
        async with engine.connect() as conn:
            rows = (await conn.execute(sa.select(lead_name_grams))).all()
    finally:
        await engine.dispose()
    stored = {(r.lead_id, r.city, r.kind, r.gram) for r in rows}
    assert stored == {
        (k, c, kind, gram) for k, (n, c) in names.items() if c for kind, gram in indexed_grams(n)
    }
    assert {r.lead_id for r in rows} == {"a", "b"}
