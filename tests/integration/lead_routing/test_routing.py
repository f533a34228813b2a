"""Routing rules over real gRPC, NATS and the database: versions, audit,
activation, refusals with position and reason, the dry run."""

from __future__ import annotations

import grpc
import pytest
from crm.lead_routing.v1 import routing_pb2 as pb
from crm_shared.grpc_errors import decode_rpc_error
from lead_routing.bootstrap import build
from lead_routing.config import Settings
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

from tests.integration.lead_routing.routing_helpers import (
    MANAGER,
    QUIET_JOBS,
    SEED_FORMULA,
    TENANT,
    Api,
    clock,
    rep,
    route,
)
from tests.support.infra import eventually, migrate, run_service


@pytest.fixture
async def api(nats_url: str, database_url: str):
    await migrate("lead-routing", database_url)
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, clock=clock(), **QUIET_JOBS
    ) as svc:
        yield Api(svc)


async def test_rules_are_versioned_audited_and_activated_explicitly(api: Api) -> None:
    m = MANAGER.metadata()
    first = await api.routing.SaveFormula(pb.SaveFormulaRequest(formula=SEED_FORMULA, comment="种子公式"), metadata=m)
    assert (first.version.version, first.version.active, first.version.created_by) == (1, False, "mgr-1")
    assert first.version.formula == SEED_FORMULA
    second = await api.routing.SaveFormula(pb.SaveFormulaRequest(formula="历史转化率*100"), metadata=m)
    assert second.version.version == 2

    active = await api.routing.GetActiveRules(pb.GetActiveRulesRequest(), metadata=m)
    assert not active.HasField("formula")  # saving does not activate
    await api.routing.ActivateRuleVersion(pb.ActivateRuleVersionRequest(kind="formula", version=1), metadata=m)
    active = await api.routing.GetActiveRules(pb.GetActiveRulesRequest(), metadata=m)
    assert (active.formula.version, active.formula.formula) == (1, SEED_FORMULA)

    versions = await api.routing.ListRuleVersions(pb.ListRuleVersionsRequest(kind="formula"), metadata=m)
    assert [(v.version, v.active) for v in versions.versions] == [(2, False), (1, True)]
    audit = await api.routing.ListRuleAudit(pb.ListRuleAuditRequest(), metadata=m)
    assert {(e.kind, e.version, e.action, e.actor_id) for e in audit.entries} == {
        ("formula", 1, "saved", "mgr-1"),
        ("formula", 2, "saved", "mgr-1"),
        ("formula", 1, "activated", "mgr-1"),
    }
    assert all(e.at.seconds for e in audit.entries)

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.SaveFormula(pb.SaveFormulaRequest(formula="1"), metadata=rep("zhang").metadata())
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize(
    ("formula", "where"),
    [
        ("IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100", "line 1, column"),
        ("IF(近6月采购额>=1,1,0)", "unknown field '近6月采购额'"),
        ("行政区划=销售员所在地", "must produce a number"),
    ],
)
async def test_bad_formula_is_refused_with_position_and_reason(api: Api, formula: str, where: str) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.SaveFormula(pb.SaveFormulaRequest(formula=formula), metadata=MANAGER.metadata())
    remote = decode_rpc_error(err.value)
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
    [violation] = remote.field_violations
    assert violation.field == "formula"
    assert violation.description.startswith("line 1, column ") and where in violation.description
    versions = await api.routing.ListRuleVersions(
        pb.ListRuleVersionsRequest(kind="formula"), metadata=MANAGER.metadata()
    )
    assert list(versions.versions) == []


async def test_bad_routes_name_each_route_and_field(api: Api) -> None:
    routes = [
        route("r1", "百度注塑机", 'AND(来源="百度爱采购",CONTAINS(行业标签,"注塑机"))', "all"),
        route("r2", "坏条件", "近3月订单数>=", "all"),
        route("r3", "条件读销售员字段", '籍贯="绍兴"', "team", team=""),
    ]
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.SaveRoutes(pb.SaveRoutesRequest(routes=routes), metadata=MANAGER.metadata())
    remote = decode_rpc_error(err.value)
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
    fields = {v.field: v.description for v in remote.field_violations}
    assert set(fields) == {"routes[1].condition", "routes[2].condition", "routes[2].target.team"}
    assert fields["routes[1].condition"].startswith("line 1, column 9: unexpected end")
    assert "unknown field '籍贯'" in fields["routes[2].condition"]


async def test_dry_run_shows_what_a_draft_would_do_and_changes_nothing(api: Api) -> None:
    await api.put_rep("near", region="柯桥区", seniority="senior")
    await api.put_rep("far", region="余杭区", seniority="junior")
    big = await api.lead("绍兴柯桥大单纺织", district="柯桥区", city="绍兴市", purchases_6m=80_000)
    small = await api.lead("杭州小单贸易", district="余杭区", city="杭州市", purchases_6m=1_000)
    draft = [
        route("tech", "技术顾问", "近6月采购金额>=50000", "all", sla_hours=48),
        route("rest", "其余进公海", "", "pool"),
    ]
    reply = await api.routing.DryRun(
        pb.DryRunRequest(routes=draft, formula=SEED_FORMULA, candidates_per_lead=2), metadata=MANAGER.metadata()
    )
    by_lead = {x.lead_id: x for x in reply.leads}
    assert by_lead[big].route_id == "tech"
    assert [(c.rep_id, c.score) for c in by_lead[big].candidates] == [("near", 100.0), ("far", 70.0)]
    assert by_lead[small].to_pool and list(by_lead[small].candidates) == []
    s = reply.summary
    assert (s.open_leads, s.to_pool, s.unmatched) == (2, 1, 0)
    assert {(c.route_id, c.leads) for c in s.per_route} == {("tech", 1), ("rest", 1)}

    # nothing saved, activated or assigned
    for kind in ("routes", "formula"):
        versions = await api.routing.ListRuleVersions(
            pb.ListRuleVersionsRequest(kind=kind), metadata=MANAGER.metadata()
        )
        assert list(versions.versions) == []
    pool = await api.routing.ListPool(pb.ListPoolRequest(), metadata=MANAGER.metadata())
    assert {e.lead_id for e in pool.entries} == {big, small}

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.DryRun(pb.DryRunRequest(formula="IF(1,2)"), metadata=MANAGER.metadata())
    assert decode_rpc_error(err.value).field_violations[0].field == "formula"


async def test_activation_switches_at_once_and_the_prompt_job_re_ranks_the_pool(api: Api) -> None:
    # Activating must not wait for a whole-pool re-rank (minutes of work in a big tenant): it asks
    # for one, and the pool-rerank-requested job does it, once however many asks came meanwhile.
    m = MANAGER.metadata()
    await api.put_rep("near", region="柯桥区")
    lead_id = await api.lead("绍兴柯桥精工注塑", district="柯桥区", city="绍兴市", purchases_6m=80_000)
    await api.run_job("pool-rerank-requested")  # the rep's own ask, if its event came back already
    await api.run_job("pool-rerank")

    async def scores() -> list[tuple[str, str, float]]:
        pool = await api.routing.ListPool(pb.ListPoolRequest(), metadata=m)
        return [(e.lead_id, c.rep_id, c.score) for e in pool.entries for c in e.candidates]

    assert await scores() == [(lead_id, "near", 50.0)]  # no formula yet: everyone 50
    saved = await api.routing.SaveFormula(pb.SaveFormulaRequest(formula=SEED_FORMULA), metadata=m)
    await api.routing.ActivateRuleVersion(pb.ActivateRuleVersionRequest(kind="formula", version=1), metadata=m)
    assert saved.version.version == 1
    assert (await api.routing.GetActiveRules(pb.GetActiveRulesRequest(), metadata=m)).formula.version == 1
    assert await scores() == [(lead_id, "near", 50.0)]  # the stored ranking waits for the job
    # a new lead is ranked with the active formula straight away
    other = await api.lead("柯桥小厂", district="柯桥区", city="绍兴市", purchases_6m=30_000, phone="13805710999")
    await eventually(lambda: _has(scores(), (other, "near", 70.0)))
    await api.routing.ActivateRuleVersion(pb.ActivateRuleVersionRequest(kind="formula", version=1), metadata=m)
    await api.run_job("pool-rerank-requested")
    assert sorted(await scores()) == sorted([(lead_id, "near", 100.0), (other, "near", 70.0)])
    assert await api.pending_reranks() == []  # both asks answered by the one re-rank


async def _has(scores, entry) -> bool:
    return entry in await scores


@pytest.fixture
async def api_without_prompt_rerank(nats_url: str, database_url: str):
    """The service with its prompt re-rank job off: even a quiet job runs once at
    start-up, and that run would answer the asks this test makes by hand."""
    await migrate("lead-routing", database_url)
    quiet = {**QUIET_JOBS, "rerank_request_interval_s": 0.0}
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, clock=clock(), **quiet
    ) as svc:
        assert "pool-rerank-requested" not in {job.name for job in svc.runtime.jobs}
        yield Api(svc)


async def test_an_ask_renewed_while_the_pool_was_being_re_ranked_is_kept(api_without_prompt_rerank: Api) -> None:
    api = api_without_prompt_rerank

    # The job read ask 1 and re-ranked; a rule activated meanwhile renewed the ask.
    # Clearing ask 1 must leave the renewed one, or that activation would never be ranked.
    async def with_uow(work):
        async with LeadRoutingUnitOfWork(api.svc.runtime.db) as uow:
            result = await work(uow)
            await uow.commit()
            return result

    at = clock().now()
    await with_uow(lambda uow: uow.pool.request_rerank(TENANT, "formula v1", at))
    [(tenant, first)] = await with_uow(lambda uow: uow.pool.rerank_requests())
    await with_uow(lambda uow: uow.pool.request_rerank(TENANT, "routes v2", at))
    await with_uow(lambda uow: uow.pool.clear_rerank_request(tenant, first))
    assert await api.pending_reranks() == [(TENANT, "routes v2")]
    [(_, renewed)] = await with_uow(lambda uow: uow.pool.rerank_requests())
    await with_uow(lambda uow: uow.pool.clear_rerank_request(TENANT, renewed))
    assert await api.pending_reranks() == []
