"""The pool over real gRPC, NATS and the database: pushes once per lead and
rep, automatic batch assignment, claims under limits, the concurrent claim."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import grpc
import nats
import pytest
import sqlalchemy as sa
from crm.events.v1 import lead_pb2, notification_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import lead_routing_pb2 as lpb
from crm.lead_routing.v1 import routing_pb2 as pb
from crm_shared.context import Caller
from crm_shared.db import inbox_table
from crm_shared.events import unpack
from crm_shared.grpc_errors import decode_rpc_error
from lead_routing.service_layer import ranking as ranking_handlers

from tests.integration.lead_routing.routing_helpers import (
    MANAGER,
    SEED_FORMULA,
    TENANT,
    Api,
    rep,
    route,
)
from tests.support.infra import eventually


async def test_high_match_is_pushed_once_per_lead_and_rep(api: Api, nats_url: str) -> None:
    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe(
        "crm.notification.requested", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
    )
    await api.activate_formula(SEED_FORMULA)
    await api.put_rep("near", region="柯桥区")
    await api.put_rep("far", region="余杭区")
    lead_id = await api.lead(
        "绍兴柯桥精工注塑",
        district="柯桥区",
        city="绍兴市",
        purchases_6m=80_000,
        industry_tags=["注塑机"],
        budget=120_000,
    )
    for _ in range(3):  # the scheduled re-rank, run again and again
        await api.run_job("pool-rerank")
    await api.routing.RerankPool(pb.RerankPoolRequest(), metadata=MANAGER.metadata())

    msg = await sub.next_msg(timeout=10)
    push = unpack(Envelope.FromString(msg.data), notification_pb2.NotificationRequested)
    assert (push.recipient_id, push.kind, push.subject_id, push.notify_group) == (
        "near",
        "lead.high_match",
        lead_id,
        True,
    )
    assert push.title == "绍兴柯桥精工注塑"
    assert "注塑机" in push.body and "120,000 元" in push.body
    # exactly one push was ever recorded: "far" scores 70 < 85, "near" only once
    assert len(await api.outbox("crm.notification.requested")) == 1
    pool = await api.routing.ListPool(pb.ListPoolRequest(), metadata=MANAGER.metadata())
    [entry] = pool.entries
    assert [(c.rep_id, c.score) for c in entry.candidates] == [("near", 100.0), ("far", 70.0)]
    mine = await api.routing.ListPool(pb.ListPoolRequest(), metadata=rep("far").metadata())
    assert [(c.rep_id, c.score) for c in mine.entries[0].candidates] == [("far", 70.0)]
    await nc.close()


def _notification(envelope: bytes) -> notification_pb2.NotificationRequested:
    return unpack(Envelope.FromString(envelope), notification_pb2.NotificationRequested)


@pytest.mark.parametrize("chunk", [10_000, 2])
async def test_a_rule_change_that_makes_many_leads_hot_sends_each_rep_one_digest(
    api: Api, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Under the default formula (50 for everyone) nobody is pushed; the seed formula then makes five
    # 柯桥 leads score 100 for "near" at once: one message to their phone and the group, not five,
    # also when the whole-pool re-rank goes a few leads at a time.
    monkeypatch.setattr(ranking_handlers, "RERANK_CHUNK", chunk)
    await api.put_rep("near", region="柯桥区")
    await api.put_rep("far", region="余杭区")
    names = [f"柯桥注塑{i}厂" for i in range(5)]
    for i, name in enumerate(names):
        await api.lead(name, district="柯桥区", city="绍兴市", purchases_6m=60_000 + i * 10_000)

    async def ranked() -> bool:  # each lead.created has come back and ranked its lead
        pool = await api.routing.ListPool(pb.ListPoolRequest(), metadata=MANAGER.metadata())
        return len(pool.entries) == 5 and all(e.candidates for e in pool.entries)

    await eventually(ranked)
    assert await api.outbox("crm.notification.requested") == []
    await api.activate_formula(SEED_FORMULA)
    await api.run_job("pool-rerank")  # again: nothing new to tell
    pool = await api.routing.ListPool(pb.ListPoolRequest(), metadata=MANAGER.metadata())
    assert sorted((e.company_name, [(c.rep_id, c.score) for c in e.candidates]) for e in pool.entries) == sorted(
        (name, [("near", 100.0), ("far", 70.0)]) for name in names
    )
    [push] = map(_notification, await api.outbox("crm.notification.requested"))
    assert (push.recipient_id, push.kind, push.notify_group) == ("near", "lead.high_match_digest", True)
    assert push.title == "5 条新线索匹配度达标"
    # the best matches first (all 100 here: each named once), and how many in all
    assert push.body.count("(100)") == 3 and "等 5 条" in push.body
    assert sum(name in push.body for name in names) == 3
    # a sixth hot lead later is pushed on its own (ranked when its lead.created comes back)
    sixth = await api.lead("柯桥注塑新厂", district="柯桥区", city="绍兴市", purchases_6m=90_000)

    async def later() -> list[tuple[str, str]]:
        envelopes = (await api.outbox("crm.notification.requested"))[1:]
        return [(p.kind, p.subject_id) for p in map(_notification, envelopes)]

    assert await eventually(later) == [("lead.high_match", sixth)]


async def test_automatic_assignment_maximises_total_score_under_capacity(api: Api, nats_url: str) -> None:
    await api.activate_formula(
        'IF(CONTAINS(擅长行业,"纺织"),IF(CONTAINS(行业标签,"纺织"),100,95),IF(CONTAINS(行业标签,"纺织"),90,50))'
    )
    # "tex" is best for both leads but has room for one. Greedy (best pair first) would give
    # tex<-a (100) + gen<-b (50) = 150; the optimum is tex<-b (95) + gen<-a (90) = 185.
    await api.put_rep("tex", industries=["纺织"], capacity=1)
    await api.put_rep("gen", industries=["五金"], capacity=5)
    a = await api.lead("柯桥纺织一厂", industry_tags=["纺织"])
    b = await api.lead("义乌五金", industry_tags=["五金"])
    reply = await api.routing.AssignPool(pb.AssignPoolRequest(), metadata=MANAGER.metadata())
    got = {x.lead_id: (x.rep_id, x.score, x.mode) for x in reply.assignments}
    assert got == {a: ("gen", 90.0, "auto"), b: ("tex", 95.0, "auto")}
    assert (reply.left_in_pool, reply.assigned) == (0, 2)
    why = (
        await api.routing.GetExplanation(pb.GetExplanationRequest(lead_id=a), metadata=MANAGER.metadata())
    ).explanation
    assert (why.capacity, why.open_leads, why.assignment.mode, why.score) == (5, 0, "auto", 90.0)
    assert [(c.rep_id, c.score) for c in why.runners_up] == [("tex", 100.0)]


async def test_the_batch_pushes_high_matches_only_about_leads_it_leaves_in_the_pool(api: Api) -> None:
    # "tex" has room for one: the batch gives it 柯桥纺织一厂 (100); 义乌五金 (95, over the push
    # threshold) stays in the pool. tex hears of the first as given, of the second as a high match.
    await api.activate_formula('IF(CONTAINS(擅长行业,"纺织"),IF(CONTAINS(行业标签,"纺织"),100,95),50)')
    a = await api.lead("柯桥纺织一厂", industry_tags=["纺织"])
    b = await api.lead("义乌五金", industry_tags=["五金"])

    async def arrivals_ranked() -> bool:  # on arrival, before any rep: nobody to push
        async with api.svc.runtime.db.sessions() as session:
            handled = await session.execute(
                sa.select(sa.func.count())
                .select_from(inbox_table)
                .where(inbox_table.c.consumer == "lead-routing-rerank")
            )
            return handled.scalar_one() >= 2

    await eventually(arrivals_ranked)
    await api.put_rep("tex", industries=["纺织"], capacity=1)
    reply = await api.routing.AssignPool(pb.AssignPoolRequest(), metadata=MANAGER.metadata())
    assert [(x.lead_id, x.rep_id) for x in reply.assignments] == [(a, "tex")]
    pushes = [
        unpack(Envelope.FromString(e), notification_pb2.NotificationRequested)
        for e in await api.outbox("crm.notification.requested")
    ]
    assert sorted((p.recipient_id, p.kind, p.subject_id) for p in pushes) == sorted(
        [("tex", "lead.assigned", a), ("tex", "lead.high_match", b)]
    )


async def test_the_batch_answers_a_pending_ask_for_a_whole_pool_re_rank(api: Api) -> None:
    # The batch re-ranks the whole pool itself: an ask made before it (a rule activated, a rep
    # changed) is answered, so the prompt job does not rank every open lead a second time after.
    lead_id = await api.lead("柯桥纺织一厂", industry_tags=["纺织"])
    await api.put_rep("tex", industries=["纺织"], capacity=5)
    await eventually(lambda: _asked(api, "rep profile"))
    saved = await api.routing.SaveFormula(pb.SaveFormulaRequest(formula=SEED_FORMULA), metadata=MANAGER.metadata())
    await api.routing.ActivateRuleVersion(
        pb.ActivateRuleVersionRequest(kind="formula", version=saved.version.version), metadata=MANAGER.metadata()
    )
    assert await api.pending_reranks() == [(TENANT, "formula v1")]
    reply = await api.routing.AssignPool(pb.AssignPoolRequest(), metadata=MANAGER.metadata())
    assert [(x.lead_id, x.rep_id) for x in reply.assignments] == [(lead_id, "tex")]
    assert await api.pending_reranks() == []


async def _asked(api: Api, reason: str) -> bool:
    return (TENANT, reason) in await api.pending_reranks()


async def test_reps_claiming_at_once_exactly_one_wins(api: Api) -> None:
    reps = [f"r{i}" for i in range(4)]
    for rep_id in reps:
        await api.put_rep(rep_id)
    lead_id = await api.lead("宁波北仑注塑机厂")
    results = await asyncio.gather(
        *(api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=lead_id), metadata=rep(r).metadata()) for r in reps),
        return_exceptions=True,
    )
    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 1 and len(lost) == 3
    assert all(isinstance(e, grpc.aio.AioRpcError) and e.code() == grpc.StatusCode.ABORTED for e in lost)
    winner = won[0].assignment.rep_id
    assert won[0].assignment.mode == "claim"
    lead = await api.leads.GetLead(lpb.GetLeadRequest(lead_id=lead_id), metadata=MANAGER.metadata())
    assert lead.lead.owner_id == winner
    assigned = await api.outbox("crm.lead.assigned")
    assert len(assigned) == 1
    assert unpack(Envelope.FromString(assigned[0]), lead_pb2.LeadAssigned).rep_id == winner


async def test_claims_respect_the_daily_limit_in_shanghai_days_and_capacity(api: Api, fixed_clock) -> None:
    await api.put_rep("r1", capacity=2, daily_claim_limit=1)
    leads = [await api.lead(f"柯桥客户{i}") for i in range(3)]
    me = rep("r1").metadata()
    await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=leads[0]), metadata=me)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=leads[1]), metadata=me)
    remote = decode_rpc_error(err.value)
    assert remote.code == grpc.StatusCode.FAILED_PRECONDITION
    assert [v.type for v in remote.precondition_violations] == ["daily_claim_limit"]

    fixed_clock.advance(timedelta(hours=14, minutes=59))  # 23:59 in Shanghai: still the same business day
    with pytest.raises(grpc.aio.AioRpcError):
        await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=leads[1]), metadata=me)
    fixed_clock.advance(timedelta(minutes=2))  # 00:01 the next day (16:01 UTC: the same UTC day)
    await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=leads[1]), metadata=me)

    fixed_clock.advance(timedelta(days=1))
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=leads[2]), metadata=me)
    remote = decode_rpc_error(err.value)
    assert [v.type for v in remote.precondition_violations] == ["capacity"]
    # a manager cannot exceed capacity either
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.AssignLead(pb.AssignLeadRequest(lead_id=leads[2], rep_id="r1"), metadata=MANAGER.metadata())
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_release_manager_assignment_and_access(api: Api) -> None:
    await api.put_rep("r1")
    await api.put_rep("r2")
    lead_id = await api.lead("上虞化工")
    await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=lead_id), metadata=rep("r1").metadata())
    # another rep neither sees the explanation nor can release it
    for call, request in (
        (api.routing.GetExplanation, pb.GetExplanationRequest(lead_id=lead_id)),
        (api.routing.ReleaseLead, pb.ReleaseLeadRequest(lead_id=lead_id)),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await call(request, metadata=rep("r2").metadata())
        assert err.value.code() == grpc.StatusCode.NOT_FOUND
    other_tenant = Caller("other", "r1", "rep").metadata()
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.GetExplanation(pb.GetExplanationRequest(lead_id=lead_id), metadata=other_tenant)
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    partner = Caller(TENANT, "p1", "partner").metadata()
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.ListPool(pb.ListPoolRequest(), metadata=partner)
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED

    await api.routing.ReleaseLead(
        pb.ReleaseLeadRequest(lead_id=lead_id, reason="不是我的区域"), metadata=rep("r1").metadata()
    )
    pool = await api.routing.ListPool(pb.ListPoolRequest(), metadata=MANAGER.metadata())
    assert [e.lead_id for e in pool.entries] == [lead_id]
    assigned = await api.routing.AssignLead(
        pb.AssignLeadRequest(lead_id=lead_id, rep_id="r2"), metadata=MANAGER.metadata()
    )
    assert (assigned.assignment.rep_id, assigned.assignment.mode, assigned.assignment.actor_id) == (
        "r2",
        "manager",
        "mgr-1",
    )
    why = await api.routing.GetExplanation(pb.GetExplanationRequest(lead_id=lead_id), metadata=rep("r2").metadata())
    assert why.explanation.assignment.rep_id == "r2"
    await eventually(lambda: _count(api, "crm.lead.released", 1))


async def _count(api: Api, subject: str, n: int) -> bool:
    return len(await api.outbox(subject)) == n


async def test_a_rep_sees_pool_leads_no_route_gives_to_anyone_but_not_other_teams_leads(api: Api) -> None:
    await api.put_rep("r1", team="华东")
    await api.put_rep("r2", team="华南")
    await api.activate_routes(
        [
            route("south", "华南组", '来源="抖音本地推"', "team", team="华南"),
            route("rest", "其余进公海", "", "pool"),
        ]
    )
    south = await api.lead("广州白云灯具", source="抖音本地推")
    open_lead = await api.lead("绍兴越城纸业")
    await api.routing.RerankPool(pb.RerankPoolRequest(), metadata=MANAGER.metadata())
    r1 = await api.routing.ListPool(pb.ListPoolRequest(), metadata=rep("r1").metadata())
    assert [(e.lead_id, e.route_id, list(e.candidates)) for e in r1.entries] == [(open_lead, "rest", [])]
    r2 = await api.routing.ListPool(pb.ListPoolRequest(), metadata=rep("r2").metadata())
    assert [e.lead_id for e in r2.entries] == [south, open_lead]  # their candidate lead first
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=south), metadata=rep("r1").metadata())
    assert [v.type for v in decode_rpc_error(err.value).precondition_violations] == ["route"]
    await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=open_lead), metadata=rep("r1").metadata())


async def test_the_pool_pages_by_keyset_tokens_in_the_order_of_one_page(api: Api) -> None:
    await api.put_rep("r1", region="柯桥区")
    await api.activate_formula(SEED_FORMULA)
    await api.activate_routes([route("kq", "柯桥", '区县="柯桥区"', "all"), route("rest", "其余进公海", "", "pool")])
    names = ["甲纺织", "乙化纤", "丙印染", "丁服装", "戊机械", "己模具", "庚五金"]
    for i, name in enumerate(names):  # scores 100, 70 and 30 with ties, and leads in the pool without a score
        district = "柯桥区" if i < 5 else "越城区"
        await api.lead(
            name, district=district, city="绍兴市", purchases_6m=[60_000, 30_000, 60_000, 1_000, 30_000][i % 5]
        )
    await api.routing.RerankPool(pb.RerankPoolRequest(), metadata=MANAGER.metadata())
    for caller in (rep("r1"), MANAGER):
        whole = await api.routing.ListPool(pb.ListPoolRequest(page_size=50), metadata=caller.metadata())
        assert len(whole.entries) == 7 and not whole.next_page_token
        paged, token = [], ""
        while True:
            page = await api.routing.ListPool(
                pb.ListPoolRequest(page_size=2, page_token=token), metadata=caller.metadata()
            )
            paged += [e.lead_id for e in page.entries]
            token = page.next_page_token
            if not token:
                break
        assert paged == [e.lead_id for e in whole.entries]
    mine = await api.routing.ListPool(pb.ListPoolRequest(page_size=50), metadata=rep("r1").metadata())
    assert [e.candidates[0].score if e.candidates else None for e in mine.entries] == [100, 100, 70, 70, 30, None, None]
    for bad in ("o2", "eyJhIjoxfQ==", "W1sxLDEwMCwibm90IGEgdGltZSJdLCJ4Il0="):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await api.routing.ListPool(pb.ListPoolRequest(page_token=bad), metadata=rep("r1").metadata())
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "page_token" in err.value.details()


async def test_a_batch_refuses_a_negative_listing_before_assigning_anything(api: Api) -> None:
    await api.put_rep("gen", capacity=5)
    lead_id = await api.lead("义乌五金")
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await api.routing.AssignPool(pb.AssignPoolRequest(max_listed=-1), metadata=MANAGER.metadata())
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in decode_rpc_error(refused.value).field_violations] == ["max_listed"]
    reply = await api.routing.AssignPool(pb.AssignPoolRequest(max_listed=5), metadata=MANAGER.metadata())
    assert ([x.lead_id for x in reply.assignments], reply.assigned) == ([lead_id], 1)
