"""Distributor organisations over real gRPC, database and JetStream: created
and changed by admins, announced as distributor.changed, a partner user in
one distributor only (even when two saves race), versions checked, and who
reads what."""

from __future__ import annotations

import asyncio

import grpc
import nats
import pytest
from crm.events.v1 import partner_pb2 as events_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.lead_routing.v1 import partner_pb2 as pb
from crm.lead_routing.v1 import partner_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from crm_shared.events import unpack
from crm_shared.grpc_errors import decode_rpc_error
from lead_routing.bootstrap import build
from lead_routing.config import Settings

from tests.support.infra import migrate, run_service

ADMIN = Caller("demo", "admin", "admin")
MANAGER = Caller("demo", "wangqiang", "manager")
OTHER_MANAGER = Caller("demo", "zhoumin", "manager")
REP = Caller("demo", "zhangwei", "rep")
ZHAOLEI = Caller("demo", "zhaolei", "partner", organisation="dist-hz")
SUNLI = Caller("demo", "sunli", "partner", organisation="dist-nb")


@pytest.fixture
async def stub(nats_url: str, database_url: str):
    await migrate("lead-routing", database_url)
    async with run_service(build, Settings, nats_url=nats_url, database_url=database_url) as running:
        yield pb_grpc.DistributorServiceStub(running.channel)


def details(**fields) -> pb.DistributorDetails:
    base = {
        "name": "杭州恒通机电设备有限公司",
        "credit_code": "91330100MA2H3K7P0L",
        "territory": pb.Territory(provinces=["浙江省"], cities=["杭州"], industries=["机电设备"]),
        "tier": "金牌",
        "contract_starts": "2026-01-01",
        "contract_ends": "2099-12-31",
        "users": ["zhaolei"],
        "channel_manager_id": "wangqiang",
    }
    return pb.DistributorDetails(**(base | fields))


def code_of(err: pytest.ExceptionInfo) -> grpc.StatusCode:
    return err.value.code()


async def create(stub, distributor_id: str = "dist-hz", by: Caller = ADMIN, **fields) -> pb.Distributor:
    request = pb.CreateDistributorRequest(distributor_id=distributor_id, details=details(**fields))
    return (await stub.CreateDistributor(request, metadata=by.metadata())).distributor


async def test_an_admin_creates_and_changes_a_distributor_and_each_change_is_announced(stub, nats_url) -> None:
    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe(
        "crm.distributor.changed", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
    )
    made = await create(stub)
    assert (made.version, made.in_contract, made.details.active) == (1, True, True)  # active unless told otherwise
    assert list(made.details.territory.cities) == ["杭州市"]
    envelope = Envelope.FromString((await sub.next_msg(timeout=10)).data)
    event = unpack(envelope, events_pb2.DistributorChanged)
    assert (envelope.tenant_id, envelope.aggregate_id, event.created, list(event.users)) == (
        "demo",
        "dist-hz",
        True,
        ["zhaolei"],
    )

    same = await stub.UpdateDistributor(
        pb.UpdateDistributorRequest(distributor_id="dist-hz", details=details(), version=1), metadata=ADMIN.metadata()
    )
    assert not same.changed and same.distributor.version == 1
    changed = await stub.UpdateDistributor(
        pb.UpdateDistributorRequest(distributor_id="dist-hz", details=details(users=["zhaolei", "qianwu"]), version=1),
        metadata=ADMIN.metadata(),
    )
    assert changed.changed and changed.distributor.version == 2
    event = unpack(Envelope.FromString((await sub.next_msg(timeout=10)).data), events_pb2.DistributorChanged)
    assert (event.created, event.version, sorted(event.users)) == (False, 2, ["qianwu", "zhaolei"])  # none between

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.UpdateDistributor(
            pb.UpdateDistributorRequest(distributor_id="dist-hz", details=details(name="改名"), version=1),
            metadata=ADMIN.metadata(),
        )
    assert code_of(err) == grpc.StatusCode.ABORTED
    read = await stub.GetDistributor(pb.GetDistributorRequest(distributor_id="dist-hz"), metadata=ADMIN.metadata())
    assert read.distributor.details.name == "杭州恒通机电设备有限公司"  # the stale write changed nothing
    await nc.close()


async def test_bad_input_is_refused_by_field_and_stores_nothing(stub) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await create(
            stub,
            "Dist HZ",
            credit_code="123",
            territory=pb.Territory(provinces=["火星"]),
            contract_starts="2026-13-01",
            channel_manager_id="",
        )
    assert code_of(err) == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in decode_rpc_error(err.value).field_violations} == {
        "distributor_id",
        "credit_code",
        "territory.provinces[0]",
        "contract_starts",
        "channel_manager_id",
    }
    listed = await stub.ListDistributors(pb.ListDistributorsRequest(), metadata=ADMIN.metadata())
    assert not listed.distributors


async def test_a_partner_user_belongs_to_one_distributor_even_when_two_saves_race(stub) -> None:
    await create(stub)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await create(stub, "dist-nb", name="宁波甬联", users=["sunli", "zhaolei"], territory=pb.Territory())
    assert code_of(err) == grpc.StatusCode.INVALID_ARGUMENT
    [violation] = decode_rpc_error(err.value).field_violations
    assert violation.field == "users" and "dist-hz" in violation.description
    # The refused create left nothing behind: dist-nb can be made without zhaolei.
    await create(stub, "dist-nb", name="宁波甬联", users=["sunli"], territory=pb.Territory(cities=["宁波市"]))

    # Two distributors taking the same new user at once: exactly one gets them.
    results = await asyncio.gather(
        *(
            stub.UpdateDistributor(
                pb.UpdateDistributorRequest(
                    distributor_id=d, details=details(name=d, users=[*users, "newcomer"], territory=pb.Territory())
                ),
                metadata=ADMIN.metadata(),
            )
            for d, users in (("dist-hz", ["zhaolei"]), ("dist-nb", ["sunli"]))
        ),
        return_exceptions=True,
    )
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1 and lost[0].code() == grpc.StatusCode.INVALID_ARGUMENT
    listed = await stub.ListDistributors(pb.ListDistributorsRequest(), metadata=ADMIN.metadata())
    holders = [d.distributor_id for d in listed.distributors if "newcomer" in d.details.users]
    assert holders == [won[0].distributor.distributor_id]


async def test_who_reads_distributors(stub) -> None:
    await create(stub)
    await create(stub, "dist-nb", name="宁波甬联", users=["sunli"], territory=pb.Territory(cities=["宁波市"]))
    await create(stub, "dist-sx", name="绍兴", users=[], channel_manager_id="zhoumin", active=False)

    for caller in (REP, ZHAOLEI, Caller("demo", "liufang", "finance")):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await create(stub, "dist-x", by=caller, users=[])
        assert code_of(err) == grpc.StatusCode.PERMISSION_DENIED
    for caller in (REP, ZHAOLEI):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.ListDistributors(pb.ListDistributorsRequest(), metadata=caller.metadata())
        assert code_of(err) == grpc.StatusCode.PERMISSION_DENIED

    mine = await stub.ListDistributors(pb.ListDistributorsRequest(channel_manager_id="me"), metadata=MANAGER.metadata())
    assert [d.distributor_id for d in mine.distributors] == ["dist-hz", "dist-nb"]
    active = await stub.ListDistributors(pb.ListDistributorsRequest(active=True), metadata=OTHER_MANAGER.metadata())
    assert [d.distributor_id for d in active.distributors] == ["dist-hz", "dist-nb"]
    other_tenant = Caller("other", "admin", "admin")
    assert not (
        await stub.ListDistributors(pb.ListDistributorsRequest(), metadata=other_tenant.metadata())
    ).distributors

    own = await stub.GetOwnDistributor(pb.GetOwnDistributorRequest(), metadata=ZHAOLEI.metadata())
    assert own.distributor.distributor_id == "dist-hz"
    for caller, distributor_id in (
        (ZHAOLEI, "dist-nb"),
        (SUNLI, "dist-hz"),
        (REP, "dist-hz"),
        (other_tenant, "dist-hz"),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.GetDistributor(
                pb.GetDistributorRequest(distributor_id=distributor_id), metadata=caller.metadata()
            )
        assert code_of(err) == grpc.StatusCode.NOT_FOUND  # existence does not leak
    with pytest.raises(grpc.aio.AioRpcError) as err:
        # A token naming a distributor the user is not in acts for nobody.
        await stub.GetOwnDistributor(
            pb.GetOwnDistributorRequest(),
            metadata=Caller("demo", "zhaolei", "partner", organisation="dist-nb").metadata(),
        )
    assert code_of(err) == grpc.StatusCode.PERMISSION_DENIED
