"""Stage hints from tags (opportunity's StageHintService): an opportunity's
hints, apply (the caller's own gated stage move; 412 with the unmet gates
when the gate refuses) and dismiss, and the tenant's tag → stage rules."""

from __future__ import annotations

from typing import Annotated

from crm.opportunity.v1 import stage_hint_pb2 as pb
from crm_shared.roles import OPPORTUNITY_MOVERS, PIPELINE_READERS, SIGNAL_CONFIGURERS, SIGNAL_SETTINGS_READERS
from fastapi import APIRouter, Path
from pydantic import Field

from gateway.adapters.stubs import stage_hint
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import model_of, reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Id
from gateway.problems import Problem

router = APIRouter(prefix="/v1")

HintId = Annotated[str, Path(max_length=64)]
OpportunityId = Annotated[str, Path(max_length=64)]
# The kinds of violation a stage's gate names (opportunity's domain/pipeline.unmet).
GATE_KINDS = frozenset({"field", "document", "approval"})
HintModel = model_of(pb.StageHint.DESCRIPTOR)
SettingsModel = model_of(pb.StageHintSettings.DESCRIPTOR)


class HintRuleBody(Body):
    tag: Annotated[str, Field(min_length=1, max_length=50)]
    stage: Annotated[str, Field(min_length=1, max_length=50)]
    pipeline_id: Id = Field("", description="Empty: every pipeline that has the stage")


class StageHintSettingsBody(Body):
    version: Annotated[int, Field(ge=0, le=2_000_000_000, description="The version read (0: none saved yet)")]
    auto_move: bool = Field(
        False, description="Move the opportunity when a hint is made, through the stage's gates, as the system"
    )
    rules: Annotated[list[HintRuleBody], Field(max_length=100, default_factory=list)]
    max_age_days: int = Field(
        14,
        ge=1,
        le=365,
        description="An activity older than this many days (an old imported message) suggests no stage",
    )


@router.get(
    "/opportunities/{opportunity_id}/stage-hints",
    summary="The stages an opportunity's tagged activities suggest, newest first (at most 200)",
    dependencies=[allow(PIPELINE_READERS)],
    response_model=reply(stage_hint.ListStageHints),
)
async def list_stage_hints(opportunity_id: OpportunityId, rpc: RpcDep) -> dict:
    return await rpc(stage_hint.ListStageHints, pb.ListStageHintsRequest(opportunity_id=opportunity_id))


@router.post(
    "/opportunities/{opportunity_id}/stage-hints/{hint_id}/apply",
    summary="Move the opportunity to the hint's stage as the caller, through every gate",
    description=(
        "412 when a gate refuses: `violations` and `unmet` ([{gate, description}]) name every unmet "
        "requirement, the hint becomes refused and keeps them, the opportunity is not moved. 409 when the hint "
        "is applied or dismissed already or the opportunity is at or past the stage."
    ),
    dependencies=[allow(OPPORTUNITY_MOVERS)],
    response_model=HintModel,
)
async def apply_stage_hint(opportunity_id: OpportunityId, hint_id: HintId, rpc: RpcDep) -> dict:
    request = pb.ApplyStageHintRequest(opportunity_id=opportunity_id, hint_id=hint_id)
    try:
        answer = await rpc(stage_hint.ApplyStageHint, request)
    except Problem as problem:
        gates = [v for v in problem.violations or () if v["type"] in GATE_KINDS]
        if problem.status != 409 or not gates:
            raise
        unmet = [{"gate": f"{v['type']}:{v['subject']}", "description": v["description"]} for v in gates]
        raise Problem(
            412, problem.detail, slug="gate-unmet", violations=problem.violations, extra={"unmet": unmet}
        ) from problem
    return answer["hint"]


@router.post(
    "/opportunities/{opportunity_id}/stage-hints/{hint_id}/dismiss",
    summary="Dismiss a stage hint (someone who may move the opportunity)",
    dependencies=[allow(OPPORTUNITY_MOVERS)],
    response_model=HintModel,
)
async def dismiss_stage_hint(opportunity_id: OpportunityId, hint_id: HintId, rpc: RpcDep) -> dict:
    request = pb.DismissStageHintRequest(opportunity_id=opportunity_id, hint_id=hint_id)
    return (await rpc(stage_hint.DismissStageHint, request))["hint"]


@router.get(
    "/signal-settings/stage-hints",
    summary="The tenant's tag → stage rules, auto_move and max_age_days (defaults 报价 → 报价谈判, 样品 → 样件制作, 14)",
    dependencies=[allow(SIGNAL_SETTINGS_READERS)],
    response_model=SettingsModel,
)
async def get_stage_hint_settings(rpc: RpcDep) -> dict:
    return (await rpc(stage_hint.GetStageHintSettings, pb.GetStageHintSettingsRequest()))["settings"]


@router.put(
    "/signal-settings/stage-hints",
    summary="Save the tag → stage rules (manager, admin); 409 when `version` is not the one stored",
    dependencies=[allow(SIGNAL_CONFIGURERS)],
    response_model=SettingsModel,
)
async def put_stage_hint_settings(body: StageHintSettingsBody, rpc: RpcDep) -> dict:
    settings = pb.StageHintSettings(
        version=body.version,
        auto_move=body.auto_move,
        rules=[pb.HintRule(tag=r.tag, stage=r.stage, pipeline_id=r.pipeline_id) for r in body.rules],
        max_age_days=body.max_age_days,
    )
    request = pb.PutStageHintSettingsRequest(settings=settings)
    return (await rpc(stage_hint.PutStageHintSettings, request))["settings"]
