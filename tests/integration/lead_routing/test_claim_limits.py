"""Limits a rep's takes must respect, on every path and under concurrency:
the daily claim limit counted per Asia/Shanghai day at any hour, capacity
against simultaneous claims and manager assignments."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import grpc
import pytest

from crm.lead_routing.v1 import lead_routing_pb2 as lpb
from crm.lead_routing.v1 import routing_pb2 as pb
from crm_shared.clock import FixedClock
from crm_shared.grpc_errors import decode_rpc_error
from tests.integration.lead_routing.routing_helpers import MANAGER, Api, rep

# 02:00 on Tuesday 2026-11-24 in Shanghai: still Monday the 23rd in UTC.
EARLY = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


@pytest.fixture
def fixed_clock():
    return FixedClock(EARLY)


async def _claim(api: Api, lead_id: str, rep_id: str) -> pb.ClaimLeadResponse:
    return await api.routing.ClaimLead(pb.ClaimLeadRequest(lead_id=lead_id), metadata=rep(rep_id).metadata())


async def test_the_daily_claim_limit_holds_in_the_small_hours_of_shanghai(api: Api, fixed_clock) -> None:
    await api.put_rep("r1", capacity=30, daily_claim_limit=5)
    leads = [await api.lead(f"慈溪家电配件{i}厂") for i in range(7)]
    for lead_id in leads[:5]:
        await _claim(api, lead_id, "r1")
    for lead_id in leads[5:]:
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await _claim(api, lead_id, "r1")
        remote = decode_rpc_error(err.value)
        assert remote.code == grpc.StatusCode.FAILED_PRECONDITION
        [violation] = remote.precondition_violations
        assert violation.type == "daily_claim_limit"
        assert "limit 5" in violation.description
        assert "resets at 2026-11-25 00:00 (Asia/Shanghai)" in violation.description
    mine = await api.leads.ListLeads(lpb.ListLeadsRequest(), metadata=rep("r1").metadata())
    assert sum(lead.owner_id == "r1" for lead in mine.leads) == 5

    fixed_clock.advance(timedelta(hours=22))  # 00:00 on the 25th in Shanghai: a new day
    await _claim(api, leads[5], "r1")


async def test_two_claims_at_once_do_not_both_take_the_last_daily_slot(api: Api) -> None:
    await api.put_rep("r1", capacity=30, daily_claim_limit=2)
    first, *rest = [await api.lead(f"余姚模具{i}厂") for i in range(4)]
    await _claim(api, first, "r1")
    results = await asyncio.gather(*(_claim(api, lead_id, "r1") for lead_id in rest), return_exceptions=True)
    won = [r for r in results if not isinstance(r, BaseException)]
    refused = [decode_rpc_error(r) for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(won) == 1 and len(refused) == 2
    assert all([v.type for v in r.precondition_violations] == ["daily_claim_limit"] for r in refused)


async def test_a_claim_and_a_manager_assignment_at_once_do_not_both_take_the_last_slot(api: Api) -> None:
    await api.put_rep("r1", capacity=2, daily_claim_limit=10)
    first, a, b = [await api.lead(f"北仑注塑{i}厂") for i in range(3)]
    await _claim(api, first, "r1")
    results = await asyncio.gather(
        _claim(api, a, "r1"),
        api.routing.AssignLead(pb.AssignLeadRequest(lead_id=b, rep_id="r1"), metadata=MANAGER.metadata()),
        return_exceptions=True,
    )
    refused = [decode_rpc_error(r) for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(refused) == 1
    assert [v.type for v in refused[0].precondition_violations] == ["capacity"]
    mine = await api.leads.ListLeads(lpb.ListLeadsRequest(status="open"), metadata=rep("r1").metadata())
    assert sum(lead.owner_id == "r1" for lead in mine.leads) == 2


async def test_leave_is_a_shanghai_date_for_claims_and_manager_assignments_at_any_hour(api: Api) -> None:
    # 02:00 on the 24th in Shanghai (the 23rd in UTC): a leave on the 24th holds now
    await api.put_rep("r1", leave=[lpb.LeaveRange(start_date="2026-11-24", end_date="2026-11-24")])
    lead_id = await api.lead("温岭水泵厂")
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await _claim(api, lead_id, "r1")
    assert [v.type for v in decode_rpc_error(err.value).precondition_violations] == ["rep"]
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.routing.AssignLead(pb.AssignLeadRequest(lead_id=lead_id, rep_id="r1"), metadata=MANAGER.metadata())
    assert [v.type for v in decode_rpc_error(err.value).precondition_violations] == ["rep"]


async def test_a_reps_own_new_leads_count_against_their_capacity(api: Api) -> None:
    await api.put_rep("r1", capacity=2)
    for i in range(2):
        await api.lead(f"乐清电器{i}厂", by=rep("r1"))
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.lead("乐清电器2厂", by=rep("r1"))
    remote = decode_rpc_error(err.value)
    assert remote.code == grpc.StatusCode.FAILED_PRECONDITION
    assert [v.type for v in remote.precondition_violations] == ["capacity"]
    mine = await api.leads.ListLeads(lpb.ListLeadsRequest(), metadata=MANAGER.metadata())
    assert sorted(x.company_name for x in mine.leads) == ["乐清电器0厂", "乐清电器1厂"]  # nothing stored
    # a duplicate still merges (no new lead to hold), and a manager's entry goes to the pool as before
    merged = await api.leads.IngestLead(
        lpb.IngestLeadRequest(company_name="乐清电器0厂", phone=mine.leads[0].phone, source="展会扫码"),
        metadata=rep("r1").metadata(),
    )
    assert merged.duplicate.merged
    await api.lead("乐清电器3厂")


async def test_intakes_at_once_by_a_rep_one_below_capacity_store_only_one_lead(api: Api) -> None:
    await api.put_rep("r1", capacity=2)
    await api.lead("镇海阀门厂", by=rep("r1"))
    companies = [f"奉化气动元件{i}厂" for i in range(4)]
    results = await asyncio.gather(*(api.lead(c, by=rep("r1")) for c in companies), return_exceptions=True)
    refused = [decode_rpc_error(r) for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(refused) == 3, results
    assert all([v.type for v in r.precondition_violations] == ["capacity"] for r in refused)
    mine = await api.leads.ListLeads(lpb.ListLeadsRequest(status="open"), metadata=rep("r1").metadata())
    assert sum(lead.owner_id == "r1" for lead in mine.leads) == 2


async def test_imports_at_once_by_a_rep_one_below_capacity_store_only_one_lead(api: Api) -> None:
    await api.put_rep("r1", capacity=2)
    await api.lead("镇海阀门厂", by=rep("r1"))
    files = [f"公司名称,电话\n鄞州轴承{i}厂,1390574{i:04d}\n".encode() for i in range(4)]
    reports = await asyncio.gather(
        *(
            api.leads.ImportLeads(lpb.ImportLeadsRequest(filename=f"{i}.csv", content=f), metadata=rep("r1").metadata())
            for i, f in enumerate(files)
        )
    )
    outcomes = sorted(row.outcome for report in reports for row in report.rows)
    assert outcomes == ["accepted", "rejected", "rejected", "rejected"]
    mine = await api.leads.ListLeads(lpb.ListLeadsRequest(status="open"), metadata=rep("r1").metadata())
    assert sum(lead.owner_id == "r1" for lead in mine.leads) == 2
