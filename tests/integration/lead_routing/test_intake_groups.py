"""Intakes arriving together over gRPC, stored together (group commit) on the
real database: the same leads, merges and events as one at a time, each
refusal its own; a field defined through another replica is accepted at once
by this one, though it keeps the tenant's field types between intakes."""

from __future__ import annotations

import asyncio

import grpc
import pytest
import sqlalchemy as sa
from crm.events.v1 import lead_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import lead_routing_pb2 as pb
from crm.lead_routing.v1 import lead_routing_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from crm_shared.events import unpack
from crm_shared.grpc_errors import decode_rpc_error
from lead_routing.adapters.orm.leads import leads
from lead_routing.bootstrap import build
from lead_routing.config import Settings

from tests.integration.lead_routing.routing_helpers import MANAGER, QUIET_JOBS, TENANT
from tests.support.infra import run_service

ADMIN = Caller(TENANT, "admin-1", "admin")


def _intake(company: str, phone: str, **fields) -> pb.IngestLeadRequest:
    return pb.IngestLeadRequest(company_name=company, phone=phone, source=fields.pop("source", "官网表单"), **fields)


async def _stored(api) -> list[tuple[str, str, tuple[str, ...]]]:
    async with api.svc.runtime.db.sessions() as session:
        rows = await session.execute(sa.select(leads.c.company_name, leads.c.phone, leads.c.touches))
        return sorted((name, phone, tuple(t["source"] for t in touches)) for name, phone, touches in rows.all())


async def test_concurrent_intakes_merge_and_publish_as_one_at_a_time(api) -> None:
    await api.leads.IngestLead(
        _intake("宁波海天注塑机械有限公司", "13805741234", city="宁波市"), metadata=MANAGER.metadata()
    )
    requests = [
        _intake("海天注塑", "13805741234", source="展会扫码"),  # the stored lead's phone
        *(_intake(f"并发客户{n}有限公司", f"1390574{n:04d}") for n in range(12)),
        *(_intake(f"并发客户{n}公司", f"1390574{n:04d}", source="展会扫码") for n in range(0, 12, 3)),  # repeats
        _intake(" ", ""),  # refused on its own
    ]
    calls = [api.leads.IngestLead(r, metadata=MANAGER.metadata()) for r in requests]
    replies = await asyncio.gather(*calls, return_exceptions=True)

    refused = replies.pop()
    assert isinstance(refused, grpc.aio.AioRpcError) and refused.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in decode_rpc_error(refused).field_violations} >= {"company_name"}
    merged = [r.duplicate.matched_by for r in replies if r.duplicate.merged]
    assert merged == ["phone"] * 5
    first = {r.lead.phone: r.lead.lead_id for r in replies[1:13]}
    assert [r.lead.lead_id for r in replies[13:]] == [first[f"+861390574{n:04d}"] for n in range(0, 12, 3)]

    stored = await _stored(api)
    assert len(stored) == 13
    assert ("宁波海天注塑机械有限公司", "+8613805741234", ("官网表单", "展会扫码")) in stored
    assert [s for s in stored if s[0] == "并发客户3有限公司"] == [
        ("并发客户3有限公司", "+8613905740003", ("官网表单", "展会扫码"))
    ]
    created = [
        unpack(Envelope.FromString(e), lead_pb2.LeadCreated).lead_id for e in await api.outbox("crm.lead.created")
    ]
    merged_events = [unpack(Envelope.FromString(e), lead_pb2.LeadMerged) for e in await api.outbox("crm.lead.merged")]
    assert sorted(created) == sorted({replies[0].lead.lead_id, *first.values()})
    assert sorted(e.lead_id for e in merged_events) == sorted(r.lead.lead_id for r in replies if r.duplicate.merged)


async def test_a_field_defined_through_another_replica_is_accepted_at_once(
    api, nats_url: str, database_url: str, fixed_clock
) -> None:
    define = pb.DefineLeadFieldRequest(field=pb.LeadField(name="开模数量", type="number"))
    await api.leads.DefineLeadField(define, metadata=ADMIN.metadata())
    known = _intake("甲公司", "13805741231")
    known.custom_fields.update({"开模数量": 12})
    await api.leads.IngestLead(known, metadata=MANAGER.metadata())  # this replica keeps the tenant's field types

    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, clock=fixed_clock, **QUIET_JOBS
    ) as other:
        other_stub = pb_grpc.LeadRoutingServiceStub(other.channel)
        define = pb.DefineLeadFieldRequest(field=pb.LeadField(name="壁厚", type="text"))
        await other_stub.DefineLeadField(define, metadata=ADMIN.metadata())

    new = _intake("乙公司", "13805741232")
    new.custom_fields.update({"壁厚": "2mm", "开模数量": 3})
    reply = await api.leads.IngestLead(new, metadata=MANAGER.metadata())
    assert dict(reply.lead.custom_fields) == {"壁厚": "2mm", "开模数量": 3}
    unknown = _intake("丙公司", "13805741233")
    unknown.custom_fields.update({"颜色": "红"})
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await api.leads.IngestLead(unknown, metadata=MANAGER.metadata())
    assert [v.field for v in decode_rpc_error(err.value).field_violations] == ["custom_fields.颜色"]
