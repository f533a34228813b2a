"""PHI's reads of a rep's month on a real database (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set), on a small generated tenant (bench/indexes_data.py):
the stays, the submitted activities and the cross-department tasks the
repository returns are exactly those a plain filter over the tables finds. The
queries are written for the planner (subqueries, the owner's tenant, no
`IS NOT NULL` range on the ECN index); this holds them to what they mean."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import Database
from opportunity.adapters.orm.activities import activities
from opportunity.adapters.orm.opportunities import opportunities, stage_stays
from opportunity.adapters.orm.process_health import collab_tasks
from opportunity.adapters.orm.tasks import tasks
from opportunity.adapters.process_health_repository import ProcessHealthRepository

from bench.indexes_data import TENANT, fill
from tests.support.infra import migrate

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)


async def test_a_reps_stays_actions_and_tasks_are_what_the_tables_hold(database_url: str) -> None:
    await migrate("opportunity", database_url)
    await fill(database_url, 0.0004, NOW)  # 20 customers, about 80 opportunities, 800 activities
    db = Database(database_url, "opportunity")
    try:
        async with db.sessions() as session:
            owner_of = dict(
                (await session.execute(sa.select(opportunities.c.opportunity_id, opportunities.c.owner_id))).all()
            )
            stays = (await session.execute(sa.select(stage_stays))).mappings().all()
            acts = (await session.execute(sa.select(activities))).mappings().all()
            collab = (await session.execute(sa.select(collab_tasks))).mappings().all()
            ecn = (await session.execute(sa.select(tasks).where(tasks.c.ecn_id.is_not(None)))).mappings().all()
            owners = sorted(set(owner_of.values()))[::2]  # half the reps: the others' rows must not come back
            repo = ProcessHealthRepository(session)
            for start, end in ((NOW - timedelta(days=800), NOW), (NOW - timedelta(days=60), NOW - timedelta(days=30))):
                got = {
                    (r.owner_id, r.opportunity_id, r.stage, as_utc(r.entered_at))
                    for r in await repo.stays(TENANT, owners, start, end)
                }
                want = {
                    (owner_of[s["opportunity_id"]], s["opportunity_id"], s["stage"], as_utc(s["entered_at"]))
                    for s in stays
                    if owner_of[s["opportunity_id"]] in owners
                    and as_utc(s["entered_at"]) < end
                    and (s["left_at"] is None or as_utc(s["left_at"]) > start)
                }
                assert got == want and want, (start, len(got), len(want))

                opp_ids = sorted({o for _, o, _, _ in want})
                got_acts = sorted(
                    (r.opportunity_id, r.kind, as_utc(r.occurred_at)) for r in await repo.actions(TENANT, opp_ids, end)
                )
                want_acts = sorted(
                    (a["opportunity_id"], a["kind"], as_utc(a["occurred_at"]))
                    for a in acts
                    if a["opportunity_id"] in opp_ids and a["state"] == "submitted" and as_utc(a["occurred_at"]) < end
                )
                assert got_acts == want_acts and want_acts

                got_tasks = {(r.owner_id, r.kind, r.task_id) for r in await repo.collab(TENANT, owners, start, end)}
                want_tasks = {
                    (owner_of[c["opportunity_id"]], c["kind"], c["task_id"])
                    for c in collab
                    if owner_of.get(c["opportunity_id"]) in owners
                    and c["started_at"] is not None
                    and c["finished_at"] is not None
                    and start <= as_utc(c["finished_at"]) < end
                } | {
                    (t["owner_id"], "ecn_confirmation", t["task_id"])
                    for t in ecn
                    if t["owner_id"] in owners
                    and t["completed_at"] is not None
                    and start <= as_utc(t["completed_at"]) < end
                }
                assert got_tasks == want_tasks, (start, got_tasks ^ want_tasks)
                if end - start > timedelta(days=400):  # the whole history holds both kinds: each is compared
                    assert {k for _, k, _ in want_tasks} == {"approval", "ecn_confirmation"}, want_tasks
    finally:
        await db.dispose()
