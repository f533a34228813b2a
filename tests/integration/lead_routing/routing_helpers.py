"""Helpers of the routing integration tests: the service on a controllable
clock, rep profiles and leads through the real gRPC API, running the jobs."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

import nats
import sqlalchemy as sa
from crm.common.v1.common_pb2 import Money
from crm.lead_routing.v1 import lead_routing_pb2 as lpb
from crm.lead_routing.v1 import lead_routing_pb2_grpc as lpb_grpc
from crm.lead_routing.v1 import routing_pb2 as pb
from crm.lead_routing.v1 import routing_pb2_grpc as pb_grpc
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.db import outbox_table
from crm_shared.events import make_envelope, subject_for
from lead_routing.adapters.orm.pool import rerank_requests

TENANT = "tenant-r"
MANAGER = Caller(TENANT, "mgr-1", "manager")
ADMIN = Caller(TENANT, "admin-1", "admin")
SEED_FORMULA = "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))"
# Monday 2026-11-23 09:00 in Shanghai.
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
QUIET_JOBS = {"rerank_interval_s": 3600.0, "rerank_request_interval_s": 3600.0, "sla_check_interval_s": 3600.0}


_PHONES = itertools.count(1000)


def rep(rep_id: str) -> Caller:
    return Caller(TENANT, rep_id, "rep")


def clock() -> FixedClock:
    return FixedClock(START)


class Api:
    """Both gRPC services of the lead-routing process."""

    def __init__(self, svc: Any) -> None:
        self.svc = svc
        self.leads = lpb_grpc.LeadRoutingServiceStub(svc.channel)
        self.routing = pb_grpc.RoutingServiceStub(svc.channel)

    async def put_rep(self, rep_id: str, *, by: Caller = MANAGER, **fields: Any) -> None:
        fields.setdefault("name", rep_id)
        await self.leads.PutRep(lpb.PutRepRequest(rep_id=rep_id, **fields), metadata=by.metadata())

    async def lead(self, company: str, *, by: Caller = MANAGER, **fields: Any) -> str:
        for money in ("budget", "annual_revenue", "purchases_6m"):
            if money in fields and isinstance(fields[money], int):
                fields[money] = Money(amount_minor=fields[money] * 100, currency="CNY")  # 元 -> 分
        fields.setdefault("phone", f"1380571{next(_PHONES):04d}")
        fields.setdefault("source", "手工录入")
        reply = await self.leads.IngestLead(
            lpb.IngestLeadRequest(company_name=company, **fields), metadata=by.metadata()
        )
        return reply.lead.lead_id

    async def activate_formula(self, text: str, by: Caller = MANAGER) -> int:
        saved = await self.routing.SaveFormula(pb.SaveFormulaRequest(formula=text), metadata=by.metadata())
        return await self.activate("formula", saved.version.version, by)

    async def activate_routes(self, routes: list[pb.Route], by: Caller = MANAGER) -> int:
        saved = await self.routing.SaveRoutes(pb.SaveRoutesRequest(routes=routes), metadata=by.metadata())
        return await self.activate("routes", saved.version.version, by)

    async def activate(self, kind: str, version: int, by: Caller = MANAGER) -> int:
        """Activate a saved version and let the prompt job re-rank the pool with it."""
        await self.routing.ActivateRuleVersion(
            pb.ActivateRuleVersionRequest(kind=kind, version=version), metadata=by.metadata()
        )
        await self.run_job("pool-rerank-requested")
        return version

    async def run_job(self, name: str) -> None:
        job = next(j for j in self.svc.runtime.jobs if j.name == name)
        # The job's own loop also runs once at start-up; on PostgreSQL the two
        # may race for a fresh lease row. Running it again is harmless.
        for _ in range(3):
            if await job.run_once():
                return
        raise AssertionError(f"job {name} did not get its lease")

    async def pending_reranks(self) -> list[tuple[str, str]]:
        """(tenant, reason) of the whole-pool re-ranks asked for and not yet done."""
        db = self.svc.runtime.db
        async with db.sessions() as session:
            rows = await session.execute(sa.select(rerank_requests.c.tenant_id, rerank_requests.c.reason))
            return [(t, r) for t, r in rows.all()]

    async def outbox(self, subject: str) -> list[bytes]:
        db = self.svc.runtime.db
        async with db.sessions() as session:
            rows = await session.execute(sa.select(outbox_table.c.envelope).where(outbox_table.c.subject == subject))
            return [r for (r,) in rows.all()]


async def publish_event(nats_url: str, type_: str, tenant: str, aggregate: str, payload: Any, at: datetime) -> None:
    """An event as another service's outbox relay would publish it."""
    envelope = make_envelope(type_, tenant, aggregate, payload, source="opportunity", occurred_at=at)
    nc = await nats.connect(nats_url)
    try:
        await nc.jetstream().publish(
            subject_for(type_), envelope.SerializeToString(), headers={"Nats-Msg-Id": envelope.event_id}
        )
    finally:
        await nc.close()


def route(route_id: str, name: str, condition: str, kind: str, **extra: Any) -> pb.Route:
    target = pb.RouteTarget(kind=kind, team=extra.pop("team", ""), rep_ids=extra.pop("rep_ids", []))
    return pb.Route(route_id=route_id, name=name, condition=condition, target=target, **extra)
