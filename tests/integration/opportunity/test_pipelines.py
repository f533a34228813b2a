"""PipelineService over real gRPC: a gate whose service is down refuses
with UNAVAILABLE and changes nothing. (approval's GetLatestApproval, which
gates ask, is tested with approval.)"""

from __future__ import annotations


import grpc
import pytest

from crm.opportunity.v1 import opportunity_pb2 as opp_pb
from crm.opportunity.v1 import opportunity_pb2_grpc as opp_grpc
from crm.opportunity.v1 import pipeline_pb2 as pb
from crm.opportunity.v1 import pipeline_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from crm_shared.ids import new_id
from opportunity.bootstrap import build
from opportunity.config import Settings
from tests.integration.gateway.conftest import nowhere
from tests.support.infra import migrate, run_service


@pytest.fixture
def tenant() -> str:
    return f"tenant-{new_id()}"


async def test_a_gate_whose_service_is_down_refuses_and_changes_nothing(
    nats_url: str, database_url: str, tenant: str
) -> None:
    await migrate("opportunity", database_url)
    manager, rep = Caller(tenant, "mgr-1", "manager"), Caller(tenant, "rep-1", "rep")
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url,
        document_versioning_addr=nowhere(), approval_addr=nowhere(), gate_timeout_s=1.0,
    ) as svc:
        pipelines = pb_grpc.PipelineServiceStub(svc.channel)
        pipeline = (
            await pipelines.CreatePipeline(
                pb.CreatePipelineRequest(
                    name="展会线索转化",
                    stages=[
                        pb.Stage(name="扫码留资", probability=5, forecast_category="pipeline"),
                        pb.Stage(
                            name="客户确认设备型号", probability=35, forecast_category="best_case",
                            gate=pb.Gate(required_documents=["客户需求确认书"]),
                        ),
                    ],
                ),
                metadata=manager.metadata(),
            )
        ).pipeline
        opp = (
            await opp_grpc.OpportunityServiceStub(svc.channel).CreateOpportunity(
                opp_pb.CreateOpportunityRequest(customer_name="绍兴恒锐", name="注塑机自动化", pipeline_id=pipeline.pipeline_id),
                metadata=rep.metadata(),
            )
        ).opportunity
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await pipelines.MoveStage(
                pb.MoveStageRequest(opportunity_id=opp.opportunity_id, stage="客户确认设备型号"), metadata=rep.metadata()
            )
        assert err.value.code() == grpc.StatusCode.UNAVAILABLE
        assert "document-versioning" in (err.value.details() or "")
        history = await pipelines.GetStageHistory(
            pb.GetStageHistoryRequest(opportunity_id=opp.opportunity_id), metadata=rep.metadata()
        )
        assert [s.stage for s in history.stays] == ["扫码留资"]
