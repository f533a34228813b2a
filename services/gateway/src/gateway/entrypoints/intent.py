"""Intent signals and high intent (opportunity's IntentService, seed 004): the
tenant's signals (formula conditions over one tagged activity: 类型, 标签, 动作,
来源, 内容) and the high-intent rule (any N distinct signals within D days); a
customer's intent with its 48 h proposal countdown and the tool pack sent to
the rep; the high-intent list (a rep their own, a manager their team, an admin
all); explicit intent actions (e.g. 预约技术演示) that become activities; and
the high intent → won conversion per rep or team."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from crm.opportunity.v1 import intent_pb2 as pb
from crm_shared.convert import timestamp
from crm_shared.roles import (
    INTENT_ACTORS,
    INTENT_READERS,
    INTENT_REPORT_READERS,
    SIGNAL_CONFIGURERS,
    SIGNAL_SETTINGS_READERS,
)
from fastapi import APIRouter, Query
from pydantic import AwareDatetime, Field

from gateway.adapters.stubs import intent
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import Reply, Timestamp
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Id, PathId

router = APIRouter(prefix="/v1")

Name = Annotated[str, Field(min_length=1, max_length=50)]


class SignalBody(Body):
    name: Name
    condition: Annotated[
        str,
        Field(
            min_length=1,
            max_length=2_000,
            description='a formula over one tagged activity, e.g. CONTAINS(标签,"产品对比") or OR(类型="demo",动作="预约技术演示")',
        ),
    ]


class RuleBody(Body):
    min_signals: Annotated[int, Field(ge=1, le=50)] = 2
    window_days: Annotated[int, Field(ge=1, le=365)] = 14
    signals: Annotated[list[Name], Field(max_length=50, default_factory=list, description="empty: every signal")]


class IntentSettingsBody(Body):
    version: Annotated[int, Field(ge=0, le=2_000_000_000, description="The version read (0: none saved yet)")]
    signals: Annotated[list[SignalBody], Field(max_length=50, default_factory=list)]
    rule: RuleBody = Field(default_factory=RuleBody)
    proposal_hours: Annotated[int, Field(ge=1, le=24 * 90)] = 48
    proposal_doc_types: Annotated[list[Name], Field(max_length=20, default_factory=list)]


class SignalReply(Reply):
    name: str
    condition: str


class RuleReply(Reply):
    min_signals: int
    window_days: int
    signals: list[str]


class IntentSettingsReply(Reply):
    version: int
    signals: list[SignalReply]
    rule: RuleReply
    proposal_hours: int
    proposal_doc_types: list[str]


class HitReply(Reply):
    name: str
    activity_id: str
    occurred_at: Timestamp


class CountdownReply(Reply):
    due_at: Timestamp
    state: str = Field(description="running | met | overdue")


class ToolReply(Reply):
    document_id: str
    title: str
    tags: list[str]


class CustomerIntentReply(Reply):
    high_intent: bool
    since: Timestamp | None = Field(description="when the customer entered high intent")
    opportunity_id: str
    signals: list[HitReply] = Field(description="the episode's signals, else those within the rule's window")
    countdown: CountdownReply | None
    tool_pack: list[ToolReply] = Field(description="links: /v1/documents/{document_id}")


class HighIntentItem(Reply):
    customer_id: str
    customer_name: str
    opportunity_id: str
    opportunity_name: str
    owner_id: str
    entered_at: Timestamp
    signals: list[str]
    proposal_due_at: Timestamp
    proposal_state: str


class HighIntentsReply(Reply):
    items: list[HighIntentItem]


class IntentActionBody(Body):
    action: Annotated[str, Field(min_length=1, max_length=50, description="e.g. 预约技术演示 (an activity of kind demo)")]
    opportunity_id: Id = ""
    note: Annotated[str, Field(max_length=2_000)] = ""


class IntentActionReply(Reply):
    activity_id: str
    kind: str
    occurred_at: Timestamp


class ConversionRow(Reply):
    key: str
    entered: int
    won: int
    rate: float


class ConversionReply(Reply):
    items: list[ConversionRow]
    total: ConversionRow


def _settings(message: dict[str, Any]) -> dict[str, Any]:
    return {k: message[k] for k in ("version", "signals", "rule", "proposal_hours", "proposal_doc_types")}


@router.get(
    "/signal-settings/intent",
    summary="The tenant's intent signals, high-intent rule, proposal countdown hours and proposal document types",
    dependencies=[allow(SIGNAL_SETTINGS_READERS)],
    response_model=IntentSettingsReply,
)
async def get_intent_settings(rpc: RpcDep) -> dict:
    return _settings((await rpc(intent.GetIntentSettings, pb.GetIntentSettingsRequest()))["settings"])


@router.put(
    "/signal-settings/intent",
    summary="Save the intent signals and rule (manager, admin)",
    description=(
        "409 when `version` is not the one stored; 422 naming `signals[i].condition` with the line and column "
        "when a condition does not compile (fields 类型, 标签, 动作, 来源, 内容; it must give TRUE or FALSE)."
    ),
    dependencies=[allow(SIGNAL_CONFIGURERS)],
    response_model=IntentSettingsReply,
)
async def put_intent_settings(body: IntentSettingsBody, rpc: RpcDep) -> dict:
    settings = pb.IntentSettings(
        version=body.version,
        signals=[pb.IntentSignal(name=s.name, condition=s.condition) for s in body.signals],
        rule=pb.HighIntentRule(
            min_signals=body.rule.min_signals, window_days=body.rule.window_days, signals=body.rule.signals
        ),
        proposal_hours=body.proposal_hours,
        proposal_doc_types=body.proposal_doc_types,
    )
    saved = await rpc(intent.PutIntentSettings, pb.PutIntentSettingsRequest(settings=settings))
    return _settings(saved["settings"])


@router.get(
    "/customers/{customer_id}/intent",
    summary="Whether the customer is high intent, its signals, the proposal countdown and the tool pack",
    dependencies=[allow(INTENT_READERS)],
    response_model=CustomerIntentReply,
)
async def get_customer_intent(customer_id: PathId, rpc: RpcDep) -> dict:
    found = await rpc(intent.GetCustomerIntent, pb.GetCustomerIntentRequest(customer_id=customer_id))
    episode = found.get("episode") if found["high_intent"] else None
    if not episode:
        return {
            "high_intent": False,
            "since": None,
            "opportunity_id": "",
            "signals": found["signals"],
            "countdown": None,
            "tool_pack": [],
        }
    return {
        "high_intent": True,
        "since": episode["entered_at"],
        "opportunity_id": episode["opportunity_id"],
        "signals": episode["signals"],
        "countdown": episode["countdown"],
        "tool_pack": episode["tool_pack"],
    }


@router.get(
    "/high-intents",
    summary="High-intent customers, newest first (a rep their own, a manager their team, an admin all; at most 500)",
    dependencies=[allow(INTENT_READERS)],
    response_model=HighIntentsReply,
)
async def list_high_intents(
    rpc: RpcDep,
    state: Annotated[Literal["open", "all"], Query(description="open: the opportunity is still open")] = "open",
    owner_id: Annotated[str, Query(max_length=64)] = "",
    team: Annotated[str, Query(max_length=64, description="a manager's id: their team")] = "",
) -> dict:
    found = await rpc(intent.ListHighIntents, pb.ListHighIntentsRequest(state=state, owner_id=owner_id, team=team))
    return {
        "items": [
            {
                "customer_id": i["customer_id"],
                "customer_name": i["customer_name"],
                "opportunity_id": i["opportunity_id"],
                "opportunity_name": i.get("opportunity_name", ""),
                "owner_id": i["owner_id"],
                "entered_at": i["entered_at"],
                "signals": [h["name"] for h in i["signals"]],
                "proposal_due_at": i["countdown"]["due_at"],
                "proposal_state": i["countdown"]["state"],
            }
            for i in found["items"]
        ]
    }


@router.post(
    "/customers/{customer_id}/intent-actions",
    summary="Record an explicit intent action (e.g. 预约技术演示): an activity of the customer's log, tagged and evaluated",
    dependencies=[allow(INTENT_ACTORS)],
    response_model=IntentActionReply,
    status_code=201,
)
async def record_intent_action(customer_id: PathId, body: IntentActionBody, rpc: RpcDep) -> dict:
    request = pb.RecordIntentActionRequest(
        customer_id=customer_id, action=body.action, opportunity_id=body.opportunity_id, note=body.note
    )
    return await rpc(intent.RecordIntentAction, request)


@router.get(
    "/reports/intent-conversion",
    summary="Of the high-intent episodes entered in [from, to), how many have their opportunity won, per rep or team",
    dependencies=[allow(INTENT_REPORT_READERS)],
    response_model=ConversionReply,
)
async def intent_conversion(
    rpc: RpcDep,
    start: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    end: Annotated[AwareDatetime | None, Query(alias="to")] = None,
    group_by: Annotated[Literal["rep", "team"], Query()] = "rep",
) -> dict:
    request = pb.GetIntentConversionRequest(group_by=group_by)
    if start is not None:
        request.period_start.CopyFrom(timestamp(start))
    if end is not None:
        request.period_end.CopyFrom(timestamp(end))
    found = await rpc(intent.GetIntentConversion, request)
    return {"items": found["items"], "total": found["total"]}
