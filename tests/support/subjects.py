"""opportunity in-process for the services that ask it who may see a
subject (document-versioning, approval, finance-reconciliation): its own
database of the same kind as the test's, the rep directory announced as
lead-routing would (rep.profile_changed), opportunities created over gRPC.

The services asking it need its address before it starts, and it needs
theirs (stage gates): `reserve()` holds a port for it and gives out its
address first; opportunity_service takes the port as it starts."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
import sqlalchemy as sa
from crm.events.v1 import rep_pb2
from crm.opportunity.v1 import opportunity_pb2 as opp_pb
from crm.opportunity.v1 import opportunity_pb2_grpc as opp_grpc
from crm_shared.context import Caller
from crm_shared.events import make_envelope, subject_for
from crm_shared.ids import new_id

from tests.support.infra import (
    HeldPort,
    RunningService,
    create_pg_database,
    drop_pg_database,
    eventually,
    migrate,
    pg_base_url,
    run_service,
)

Reserved = HeldPort


def reserve() -> Reserved:
    """opportunity's address-to-be: `.address` for the services asking it, `.take()` for its gRPC port."""
    return HeldPort()


@contextlib.asynccontextmanager
async def sibling_database(database_url: str, tmp_path: Path, name: str) -> AsyncIterator[str]:
    """A fresh database for another service, of the same kind as the test's."""
    if database_url.startswith("sqlite"):
        yield f"sqlite+aiosqlite:///{tmp_path / (name + '.db')}"
        return
    base = pg_base_url()
    assert base
    url = await create_pg_database(base)
    try:
        yield url
    finally:
        await drop_pg_database(url)


@dataclass
class Opportunities:
    svc: RunningService
    nats_url: str
    created: dict[str, str] = field(default_factory=dict)

    @property
    def address(self) -> str:
        return self.svc.address

    async def create(self, owner: Caller, name: str = "二期产线改造", **fields: Any) -> str:
        """An opportunity owned by `owner` (a rep or manager); its id."""
        stub = opp_grpc.OpportunityServiceStub(self.svc.channel)
        request = opp_pb.CreateOpportunityRequest(customer_name=f"宁波注塑机厂{new_id()[-6:]}", name=name, **fields)
        reply = await stub.CreateOpportunity(request, metadata=owner.metadata())
        return reply.opportunity.opportunity_id

    async def id_of(self, key: str, owner: Caller) -> str:
        """The opportunity a test calls `key` (e.g. "opp-1"), created for `owner` on first use."""
        if key not in self.created:
            self.created[key] = await self.create(owner)
        return self.created[key]

    async def announce_reps(self, tenant_id: str, reps: dict[str, str]) -> None:
        """rep id -> manager id, as lead-routing publishes them; waits until projected."""
        from opportunity.adapters.orm.reps import reps as reps_table

        nc = await nats.connect(self.nats_url)
        try:
            js = nc.jetstream()
            for rep_id, manager_id in reps.items():
                payload = rep_pb2.RepProfileChanged(
                    rep_id=rep_id, name=rep_id, team=f"{manager_id}组", manager_id=manager_id, region="华东", active=True
                )
                env = make_envelope(
                    "rep.profile_changed", tenant_id, rep_id, payload, source="test", occurred_at=datetime.now(UTC)
                )
                await js.publish(
                    subject_for("rep.profile_changed"), env.SerializeToString(), headers={"Nats-Msg-Id": env.event_id}
                )
        finally:
            await nc.close()

        async def projected() -> bool:
            async with self.svc.runtime.db.sessions() as s:
                n = await s.scalar(
                    sa.select(sa.func.count()).select_from(reps_table).where(reps_table.c.tenant_id == tenant_id)
                )
            return n == len(reps)

        await eventually(projected)


@contextlib.asynccontextmanager
async def opportunity_service(
    nats_url: str, database_url: str, tmp_path: Path, reserved: Reserved | None = None, **overrides: Any
) -> AsyncIterator[Opportunities]:
    from opportunity.bootstrap import build
    from opportunity.config import Settings

    async with sibling_database(database_url, tmp_path, "opportunity") as url:
        await migrate("opportunity", url)
        if reserved is not None:
            overrides["grpc_port"] = reserved.take()
        async with run_service(build, Settings, nats_url=nats_url, database_url=url, **overrides) as svc:
            yield Opportunities(svc, nats_url)
