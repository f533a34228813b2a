"""Migration 0005 on a database with leads: coordinates stored before were
typed; a lead with a known division and none gets its centre, approximate."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import create_async_engine

from lead_routing.adapters.orm.leads import leads
from tests.support.infra import ROOT, migrate


def _upgrade(url: str, revision: str) -> None:
    config = Config(str(ROOT / "services" / "lead-routing" / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, revision)


async def test_existing_leads_get_typed_or_approximate_coordinates(database_url: str) -> None:
    await asyncio.to_thread(_upgrade, database_url, "0004")
    now = datetime(2026, 11, 20, tzinfo=UTC)
    base = {
        "tenant_id": "t", "contact_name": "", "source": "导入", "province": "浙江省", "city": "宁波市",
        "currency": "CNY", "status": "open", "created_by": "u", "created_at": now, "updated_at": now,
        "industry_tags": [], "custom_fields": {},
    }
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.insert(leads), [
                base | {"lead_id": "typed", "company_name": "甲", "district": "北仑区", "adcode": "330206",
                        "latitude": 29.9, "longitude": 121.8},
                base | {"lead_id": "district", "company_name": "乙", "district": "北仑区", "adcode": "330206",
                        "latitude": None, "longitude": None},
                base | {"lead_id": "none", "company_name": "丙", "district": "", "adcode": "",
                        "latitude": None, "longitude": None},
            ])
        await migrate("lead-routing", database_url)
        async with engine.connect() as conn:
            rows = await conn.execute(sa.select(leads.c.lead_id, leads.c.latitude, leads.c.coordinates_source))
            found = {lead_id: (lat, source) for lead_id, lat, source in rows.all()}
    finally:
        await engine.dispose()
    assert found["typed"] == (29.9, "typed")
    assert found["district"][1] == "district" and abs(found["district"][0] - 29.9) < 0.1
    assert found["none"] == (None, "")
