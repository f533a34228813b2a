"""Lead files past a bound, over real gRPC and the database: INVALID_ARGUMENT on
"file" naming the row and column, nothing stored; a row with a control
character (PostgreSQL refuses NUL in text) is rejected and the others go on."""

from __future__ import annotations

import io
import zipfile

import grpc
import pytest
import sqlalchemy as sa

from crm.lead_routing.v1 import lead_routing_pb2 as pb
from crm.lead_routing.v1 import lead_routing_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from crm_shared.db import outbox_table
from crm_shared.grpc_errors import decode_rpc_error
from lead_routing.bootstrap import build
from lead_routing.config import Settings
from tests.support.infra import migrate, run_service

MANAGER = Caller("tenant-a", "mgr-1", "manager")


@pytest.fixture
async def service(nats_url: str, database_url: str):
    await migrate("lead-routing", database_url)
    async with run_service(build, Settings, nats_url=nats_url, database_url=database_url) as running:
        yield running


def _wide_file() -> bytes:
    header = ",".join(["公司名称", "统一社会信用代码", "电话"] + [f"列{i}" for i in range(10_000)])
    row = ",".join(["绍兴柯桥恒盛纺织有限公司", "9" * 10_000, "13805751234"] + ["y"] * 10_000)
    return f"{header}\n{row}\n".encode()


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(51):
                part.write(b" " * (1 << 20))
    return out.getvalue()


async def _stored(service) -> tuple[int, int]:
    """Leads listed, and events waiting in the outbox."""
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    leads = (await stub.ListLeads(pb.ListLeadsRequest(), metadata=MANAGER.metadata())).leads
    async with service.runtime.db.sessions() as session:
        events = await session.scalar(sa.select(sa.func.count()).select_from(outbox_table))
    return len(leads), int(events or 0)


@pytest.mark.parametrize(
    ("filename", "content", "says"),
    [
        ("宽.csv", _wide_file(), "row 1 has more than 100 columns"),
        (
            "长.csv",
            ("公司名称,统一社会信用代码,电话\n甲公司,,13805751234\n乙公司," + "9" * 10_000 + ",13805751235\n").encode(),
            "row 3, column 2: a cell is longer than 1000 characters",
        ),
        ("炸弹.xlsx", _bomb(), "unpacks to more than 50 MB; save it as CSV or split it"),
    ],
    ids=["columns", "id", "zip-bomb"],
)
async def test_a_file_past_a_bound_is_invalid_argument_and_nothing_is_stored(service, filename, content, says) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    before = await _stored(service)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.ImportLeads(pb.ImportLeadsRequest(filename=filename, content=content), metadata=MANAGER.metadata())
    remote = decode_rpc_error(err.value)
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [(v.field, v.description) for v in remote.field_violations] == [("file", says)]
    assert await _stored(service) == before == (0, 0)


async def test_a_row_with_a_control_character_is_rejected_and_the_others_are_stored(service) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    content = (
        "公司名称,电话,内容偏好\n"
        "绍兴柯桥恒盛纺织有限公司,13805751234,案例\n"
        "宁波北仑\x00注塑机厂,13805751235,\n"
        "杭州余杭贸易,13805751236,白皮书\x1b\n"
    ).encode()
    request = pb.ImportLeadsRequest(filename="x.csv", content=content)
    report = await stub.ImportLeads(request, metadata=MANAGER.metadata())
    assert (report.accepted, report.rejected) == (1, 2)
    rows = {r.row: r for r in report.rows}
    assert [e.column for e in rows[3].errors] == ["公司名称"] and "U+0000" in rows[3].errors[0].description
    assert [e.column for e in rows[4].errors] == ["内容偏好"] and "U+001B" in rows[4].errors[0].description
    listed = (await stub.ListLeads(pb.ListLeadsRequest(), metadata=MANAGER.metadata())).leads
    assert [x.company_name for x in listed] == ["绍兴柯桥恒盛纺织有限公司"]


async def test_a_tenant_defines_at_most_fifty_lead_fields(service) -> None:
    stub = pb_grpc.LeadRoutingServiceStub(service.channel)
    admin = Caller("tenant-a", "admin-1", "admin").metadata()

    def define(name: str):
        request = pb.DefineLeadFieldRequest(field=pb.LeadField(name=name, type="text"))
        return stub.DefineLeadField(request, metadata=admin)

    for i in range(50):
        await define(f"字段{i}")
    await define("字段0")  # defined already: fine
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await define("字段50")
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    listed = await stub.ListLeadFields(pb.ListLeadFieldsRequest(), metadata=admin)
    assert len(listed.fields) == 50
