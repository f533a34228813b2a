"""Formulas too big, too deep or too large in value, over real gRPC, NATS and
the database: refused on save and in a dry run with the field named, nothing
stored; and a rule stored before these checks (one that overflows) scores 0
instead of breaking the re-rank, the event consumer and batch assignment."""

from __future__ import annotations

import grpc
import pytest
from crm.lead_routing.v1 import lead_routing_pb2 as lpb
from crm.lead_routing.v1 import routing_pb2 as pb
from crm_shared.grpc_errors import decode_rpc_error
from lead_routing.bootstrap import build
from lead_routing.config import Settings
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

from tests.integration.lead_routing.routing_helpers import MANAGER, QUIET_JOBS, TENANT, Api, clock, route
from tests.support.infra import eventually, migrate, run_service

TOO_BIG = [
    "+".join(["1"] * 2000),  # a plain sum of 2,000 terms
    "-" * 3999 + "1",  # 3,999 unary minus signs
    "1e308*10",  # infinity
    "1e999",  # a literal beyond any double
    "近6月采购金额*1e300",  # infinity for most amounts
]


@pytest.fixture
async def api(nats_url: str, database_url: str):
    await migrate("lead-routing", database_url)
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, clock=clock(), **QUIET_JOBS
    ) as svc:
        yield Api(svc)


async def _refused(call, field: str) -> str:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call
    remote = decode_rpc_error(err.value)
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT, remote
    assert [v.field for v in remote.field_violations] == [field]
    return remote.field_violations[0].description


async def _nothing_saved(api: Api) -> None:
    for kind in ("routes", "formula"):
        request = pb.ListRuleVersionsRequest(kind=kind)
        versions = await api.routing.ListRuleVersions(request, metadata=MANAGER.metadata())
        assert list(versions.versions) == []


@pytest.mark.parametrize("formula", TOO_BIG, ids=["sum", "minus", "inf", "literal", "field"])
async def test_saving_or_dry_running_an_oversized_formula_is_invalid_argument_and_stores_nothing(
    api: Api, formula: str
) -> None:
    m = MANAGER.metadata()
    await api.lead("绍兴柯桥恒盛纺织", district="柯桥区", city="绍兴市", purchases_6m=80_000)
    await _refused(api.routing.SaveFormula(pb.SaveFormulaRequest(formula=formula), metadata=m), "formula")
    await _refused(api.routing.DryRun(pb.DryRunRequest(formula=formula), metadata=m), "formula")
    condition = f"({formula})>1"
    routes = [route("ok", "大单", "近6月采购金额>=50000", "all"), route("bad", "坏条件", condition, "all")]
    await _refused(api.routing.SaveRoutes(pb.SaveRoutesRequest(routes=routes), metadata=m), "routes[1].condition")
    await _refused(api.routing.DryRun(pb.DryRunRequest(routes=routes), metadata=m), "routes[1].condition")
    await _nothing_saved(api)


async def _store_version(api: Api, kind: str, body) -> int:
    """A version written as the service stored it before formulas were checked for size and overflow."""
    async with LeadRoutingUnitOfWork(api.svc.runtime.db) as uow:
        version = await uow.rules.add_version(TENANT, kind, body, "", MANAGER.user_id, clock().now())
        await uow.commit()
    assert version
    return version


async def _scores(api: Api) -> dict[str, list[tuple[str, float]]]:
    pool = await api.routing.ListPool(pb.ListPoolRequest(), metadata=MANAGER.metadata())
    return {e.lead_id: [(c.rep_id, c.score) for c in e.candidates] for e in pool.entries}


async def test_a_stored_formula_that_overflows_scores_zero_and_rerank_and_assignment_still_work(api: Api) -> None:
    m = MANAGER.metadata()
    await api.put_rep("near", region="柯桥区", capacity=5)
    await api.put_rep("far", region="余杭区", capacity=5)
    big = await api.lead("绍兴柯桥大单纺织", district="柯桥区", city="绍兴市", purchases_6m=80_000)
    small = await api.lead("杭州小单贸易", district="余杭区", city="杭州市", purchases_6m=1_000)
    version = await _store_version(
        api, "formula", {"formula": "IF(近6月采购金额>=50000,近6月采购金额*1e305,IF(行政区划=销售员所在地,40,20))"}
    )
    await api.activate("formula", version)  # runs the whole-pool re-rank job
    assert await api.pending_reranks() == []
    scores = await _scores(api)
    assert sorted(scores[big]) == [("far", 0.0), ("near", 0.0)]  # #NUM!: too large to compute
    assert scores[small] == [("far", 40.0), ("near", 20.0)]

    rerank = await api.routing.RerankPool(pb.RerankPoolRequest(), metadata=m)
    assert rerank.leads == 2

    # the event consumer ranks a new lead (lead.created) with the same formula without failing
    newer = await api.lead("柯桥又一大单", district="柯桥区", city="绍兴市", purchases_6m=90_000, phone="13805710998")
    await eventually(lambda: _ranked(api, newer))
    assert {s for _, s in (await _scores(api))[newer]} == {0.0}

    done = await api.routing.AssignPool(pb.AssignPoolRequest(), metadata=m)
    owners = {a.lead_id: a.rep_id for a in done.assignments}
    assert owners[small] == "far"  # the finite score decides; the erring pairs score 0
    explained = await api.routing.GetExplanation(pb.GetExplanationRequest(lead_id=small), metadata=m)
    assert explained.explanation.score == 40.0


async def _ranked(api: Api, lead_id: str) -> bool:
    return bool((await _scores(api)).get(lead_id))


async def test_stored_rules_past_the_new_limits_err_instead_of_failing_every_rerank(api: Api) -> None:
    await api.put_rep("near", region="柯桥区", capacity=5)
    lead_id = await api.lead("绍兴柯桥恒盛纺织", district="柯桥区", city="绍兴市", purchases_6m=80_000)
    deep = "+".join(["近3月订单数"] + ["1"] * 300)  # 300 levels deep: past MAX_DEPTH
    body = [
        {"route_id": "deep", "name": "太深", "condition": f"({deep})>1", "target_kind": "all"},
        {"route_id": "rest", "name": "其余", "condition": "", "target_kind": "all"},
    ]
    await api.activate("routes", await _store_version(api, "routes", body))
    await api.activate("formula", await _store_version(api, "formula", {"formula": deep}))
    pool = await api.routing.ListPool(pb.ListPoolRequest(), metadata=MANAGER.metadata())
    [entry] = pool.entries
    assert (entry.lead_id, entry.route_id) == (lead_id, "rest")  # the unusable condition does not hold
    assert [(c.rep_id, c.score) for c in entry.candidates] == [("near", 0.0)]
    done = await api.routing.AssignPool(pb.AssignPoolRequest(), metadata=MANAGER.metadata())
    assert [a.lead_id for a in done.assignments] == [lead_id]
    lead = await api.leads.GetLead(lpb.GetLeadRequest(lead_id=lead_id), metadata=MANAGER.metadata())
    assert lead.lead.owner_id == "near"


async def test_a_hundred_bad_routes_are_one_readable_refusal(api: Api) -> None:
    # every violation travels in the status details (gRPC trailers, about 8 KB at most): a refusal of
    # 100 routes, two bad formulas each, must still arrive as INVALID_ARGUMENT
    routes = [route(f"r{i}", f"路线{i}", "近3月订单数>=", "all", rep_filter="(销售员=") for i in range(100)]
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.SaveRoutes(pb.SaveRoutesRequest(routes=routes), metadata=MANAGER.metadata())
    remote = decode_rpc_error(err.value)
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
    assert remote.field_violations[0].field == "routes[0].condition"
    assert remote.field_violations[-1].field.startswith("routes")
    await _nothing_saved(api)
