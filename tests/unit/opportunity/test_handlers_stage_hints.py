"""Stage hints (service_layer/stage_hints.py) on fakes: a tagged activity's
hint is shown; with auto_move it goes through the stage-move handler's gates
as the system — a gated hint refused by its gate changes nothing but the hint;
a manual apply is the caller's own move; dismiss; the settings' versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import (
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unavailable,
)
from crm_shared.testing import DEFAULT_NOW, FakeRepository
from opportunity.domain import pipeline as rules
from opportunity.domain.opportunity import Opportunity, open_opportunity
from opportunity.domain.pipeline import Gate, Pipeline, Stage
from opportunity.domain.stage_hint import OPEN_STATES, StageHint
from opportunity.service_layer.stage_hints import StageHintHandlers
from opportunity.service_layer.stage_moves import StageMoveHandlers

from .fakes import FakeGates, fake_uow

TENANT = "t"
REP = Caller(TENANT, "rep-1", "rep")
PIPELINE = Pipeline(
    pipeline_id="p-1",
    tenant_id=TENANT,
    name="模具",
    product_line="模具",
    stages=(
        Stage("初步接触", 10, "pipeline"),
        Stage("样件制作", 30, "pipeline"),
        Stage("报价谈判", 60, "best_case", Gate(required_documents=("报价单",))),
        Stage("合同签署", 90, "commit"),
    ),
    created_at=DEFAULT_NOW,
    updated_at=DEFAULT_NOW,
)


class FakeHints(FakeRepository[StageHint]):
    id_field = "hint_id"

    async def add_unless_taken(self, hint: StageHint) -> bool:
        if self.items(hint.tenant_id, activity_id=hint.activity_id, suggested_stage=hint.suggested_stage):
            return False
        self.put(hint)
        return True

    async def get(self, tenant_id: str, hint_id: str, *, lock: bool = False) -> StageHint | None:
        return self.rows.get((tenant_id, hint_id))

    async def save(self, hint: StageHint) -> None:
        self.put(hint)

    async def for_opportunity(self, tenant_id: str, opportunity_id: str) -> list[StageHint]:
        return list(reversed(self.items(tenant_id, opportunity_id=opportunity_id)))

    async def auto_pending(self, limit: int) -> list[StageHint]:
        return [h for h in self.items() if h.auto_pending and h.state == "shown"][:limit]

    async def waiting_stages(self, tenant_id: str, opportunity_id: str) -> list[str]:
        return [
            h.suggested_stage for h in self.items(tenant_id, opportunity_id=opportunity_id) if h.state in OPEN_STATES
        ]


class FakeSettings:
    def __init__(self) -> None:
        self.rows: dict[str, tuple[int, dict[str, Any]]] = {}

    async def get(self, tenant_id: str) -> tuple[int, dict[str, Any]] | None:
        return self.rows.get(tenant_id)

    async def put(self, tenant_id: str, expected_version: int, data: dict[str, Any], by: str, now: datetime) -> int:
        if self.rows.get(tenant_id, (0, {}))[0] != expected_version:
            raise Conflict("stale")
        self.rows[tenant_id] = (expected_version + 1, data)
        return expected_version + 1


def opened():  # type: ignore[no-untyped-def]
    return open_opportunity(
        tenant_id=TENANT,
        opportunity_id="o-1",
        customer_id="c-1",
        now=DEFAULT_NOW,
        existing=None,
        customer_name="宁波模具厂",
        credit_code="",
        name="一期",
        amount_minor=None,
        currency="CNY",
        owner_id="rep-1",
    )


def placed(**overrides: object) -> Opportunity:
    return replace(rules.enter(opened().opportunity, PIPELINE, "初步接触", DEFAULT_NOW), **overrides)


def setup(gates: FakeGates, *, auto_move: bool = False, opp: Opportunity | None = None):  # type: ignore[no-untyped-def]
    uow = fake_uow(stage_hints=FakeHints(), stage_hint_settings=FakeSettings())
    uow.pipelines.put(PIPELINE)
    uow.opportunities.put(opp or placed())
    uow.customers.put(opened().customer)
    if auto_move:
        uow.stage_hint_settings.rows[TENANT] = (
            1,
            {"auto_move": True, "rules": [{"tag": "报价", "stage": "报价谈判"}, {"tag": "样品", "stage": "样件制作"}]},
        )
    handlers = StageHintHandlers(lambda: uow, StageMoveHandlers(lambda: uow, gates))
    return uow, handlers


async def test_a_quote_tag_shows_a_hint_and_moves_nothing() -> None:
    uow, handlers = setup(FakeGates())
    [hint] = await handlers.activity_tagged(
        uow, TENANT, "a-1", "o-1", {"报价": ["报价", "报个价"]}, occurred_at=DEFAULT_NOW
    )
    assert (hint.tag, hint.suggested_stage, hint.words, hint.state) == ("报价", "报价谈判", ("报价", "报个价"), "shown")
    assert [h.hint_id for h in await handlers.list(REP, "o-1")] == [hint.hint_id]
    assert (await uow.opportunities.get(TENANT, "o-1")) == placed()
    # The same activity again (a redelivery) and another activity while it waits add nothing.
    assert await handlers.activity_tagged(uow, TENANT, "a-1", "o-1", {"报价": ["报价"]}, occurred_at=DEFAULT_NOW) == []
    assert await handlers.activity_tagged(uow, TENANT, "a-2", "o-1", {"报价": ["报价"]}, occurred_at=DEFAULT_NOW) == []


async def test_no_hint_without_an_opportunity_or_a_matching_tag() -> None:
    uow, handlers = setup(FakeGates())
    assert await handlers.activity_tagged(uow, TENANT, "a-1", "", {"报价": ["报价"]}, occurred_at=DEFAULT_NOW) == []
    assert await handlers.activity_tagged(uow, TENANT, "a-1", "o-1", {"预算": ["预算"]}, occurred_at=DEFAULT_NOW) == []
    assert (
        await handlers.activity_tagged(uow, "other-tenant", "a-1", "o-1", {"报价": ["报价"]}, occurred_at=DEFAULT_NOW)
        == []
    )
    assert uow.stage_hints.rows == {}


async def test_an_old_imported_quote_message_shows_no_hint_and_moves_nothing() -> None:
    uow, handlers = setup(FakeGates(documents=frozenset({"报价单"})), auto_move=True)
    year_ago = DEFAULT_NOW - timedelta(days=365)
    assert await handlers.activity_tagged(uow, TENANT, "a-1", "o-1", {"报价": ["报价"]}, occurred_at=year_ago) == []
    old = DEFAULT_NOW - timedelta(days=15)  # one day past the default 14
    assert await handlers.activity_tagged(uow, TENANT, "a-2", "o-1", {"报价": ["报价"]}, occurred_at=old) == []
    assert uow.stage_hints.rows == {}
    assert await handlers.auto_move_pending() == {"applied": 0, "refused": 0, "passed": 0, "retry": 0}
    assert (await uow.opportunities.get(TENANT, "o-1")) == placed()
    # The tenant looks further back: the 15-day-old message suggests the stage.
    manager = Caller(TENANT, "mgr-1", "manager")
    saved = await handlers.put_settings(manager, 1, {**uow.stage_hint_settings.rows[TENANT][1], "max_age_days": 30})
    assert saved.settings.max_age_days == 30
    [hint] = await handlers.activity_tagged(uow, TENANT, "a-2", "o-1", {"报价": ["报价"]}, occurred_at=old)
    assert (hint.suggested_stage, hint.created_at) == ("报价谈判", DEFAULT_NOW)


async def test_auto_move_refused_by_the_gate_changes_nothing_but_the_hint() -> None:
    gates = FakeGates()  # no 报价单
    uow, handlers = setup(gates, auto_move=True)
    [made] = await handlers.activity_tagged(uow, TENANT, "a-1", "o-1", {"报价": ["报价"]}, occurred_at=DEFAULT_NOW)
    assert (made.state, made.auto_pending, gates.asked) == ("shown", True, [])  # nothing moved in the event's unit
    assert await handlers.auto_move_pending() == {"applied": 0, "refused": 1, "passed": 0, "retry": 0}
    [hint] = await handlers.list(REP, "o-1")
    assert (hint.state, hint.auto_pending) == ("refused", False)
    assert [(u.gate, "报价单" in u.description) for u in hint.unmet] == [("document:报价单", True)]
    assert gates.asked == [("o-1", frozenset({"报价单"}), frozenset())]
    assert (await uow.opportunities.get(TENANT, "o-1")) == placed()
    assert (uow.published, uow.opportunities.stay_rows) == ([], [])
    # A refused hint is not tried again by the sweep.
    assert (await handlers.auto_move_pending())["refused"] == 0


async def test_auto_move_through_an_open_gate_moves_as_the_system() -> None:
    uow, handlers = setup(FakeGates(documents=frozenset({"报价单"})), auto_move=True)
    await handlers.activity_tagged(uow, TENANT, "a-1", "o-1", {"报价": ["报价"]}, occurred_at=DEFAULT_NOW)
    assert (await handlers.auto_move_pending())["applied"] == 1
    [hint] = await handlers.list(REP, "o-1")
    assert (hint.state, hint.decided_by) == ("applied", "stage-hints")
    assert (await uow.opportunities.get(TENANT, "o-1")).stage == "报价谈判"  # type: ignore[union-attr]
    [stay] = uow.opportunities.stay_rows
    assert (stay.stage, stay.entered_by) == ("报价谈判", "stage-hints")
    [event] = uow.events("opportunity.stage_changed")
    assert (event.from_stage, event.to_stage) == ("初步接触", "报价谈判")


async def test_auto_move_of_two_hints_goes_in_pipeline_order() -> None:
    uow, handlers = setup(FakeGates(), auto_move=True)
    await handlers.activity_tagged(
        uow, TENANT, "a-1", "o-1", {"报价": ["报价"], "样品": ["样品"]}, occurred_at=DEFAULT_NOW
    )
    assert (await handlers.auto_move_pending())["applied"] == 1
    found = {h.suggested_stage: h.state for h in await handlers.list(REP, "o-1")}
    assert found == {"样件制作": "applied", "报价谈判": "refused"}
    assert (await uow.opportunities.get(TENANT, "o-1")).stage == "样件制作"  # type: ignore[union-attr]


async def test_manual_apply_refused_by_the_gate_keeps_the_unmet_gates_and_moves_nothing() -> None:
    uow, handlers = setup(FakeGates())
    [hint] = await handlers.activity_tagged(uow, TENANT, "a-1", "o-1", {"报价": ["报价"]}, occurred_at=DEFAULT_NOW)
    with pytest.raises(FailedPrecondition) as refused:
        await handlers.apply(REP, "o-1", hint.hint_id)
    assert [(v.type, v.subject) for v in refused.value.violations] == [("document", "报价单")]
    [kept] = await handlers.list(REP, "o-1")
    assert (kept.state, [u.gate for u in kept.unmet], kept.decided_by) == ("refused", ["document:报价单"], "rep-1")
    assert (await uow.opportunities.get(TENANT, "o-1")) == placed()
    assert (uow.published, uow.opportunities.stay_rows) == ([], [])


async def test_manual_apply_once_the_gate_holds_moves_as_the_rep() -> None:
    gates = FakeGates()
    uow, handlers = setup(gates)
    [hint] = await handlers.activity_tagged(uow, TENANT, "a-1", "o-1", {"报价": ["报价"]}, occurred_at=DEFAULT_NOW)
    with pytest.raises(FailedPrecondition):
        await handlers.apply(REP, "o-1", hint.hint_id)
    gates.answer = replace(gates.answer, documents=frozenset({"报价单"}))
    applied = await handlers.apply(REP, "o-1", hint.hint_id)
    assert (applied.state, applied.unmet) == ("applied", ())
    [stay] = uow.opportunities.stay_rows
    assert (stay.stage, stay.entered_by) == ("报价谈判", "rep-1")
    with pytest.raises(FailedPrecondition):
        await handlers.dismiss(REP, "o-1", hint.hint_id)


async def test_a_hint_the_opportunity_moved_past_is_not_applied_backwards() -> None:
    uow, handlers = setup(FakeGates())
    [hint] = await handlers.activity_tagged(uow, TENANT, "a-1", "o-1", {"样品": ["样品"]}, occurred_at=DEFAULT_NOW)
    uow.opportunities.put(placed(stage="报价谈判"))
    with pytest.raises(FailedPrecondition):
        await handlers.apply(REP, "o-1", hint.hint_id)
    assert (await uow.opportunities.get(TENANT, "o-1")).stage == "报价谈判"  # type: ignore[union-attr]
    assert uow.opportunities.stay_rows == []


async def test_dismiss_and_who_may_touch_a_hint() -> None:
    uow, handlers = setup(FakeGates())
    [hint] = await handlers.activity_tagged(uow, TENANT, "a-1", "o-1", {"报价": ["报价"]}, occurred_at=DEFAULT_NOW)
    with pytest.raises(NotFound):
        await handlers.list(Caller(TENANT, "rep-2", "rep"), "o-1")
    with pytest.raises(NotFound):
        await handlers.dismiss(Caller(TENANT, "rep-2", "rep"), "o-1", hint.hint_id)
    with pytest.raises(NotFound):
        await handlers.apply(Caller("other", "admin-9", "admin"), "o-1", hint.hint_id)
    with pytest.raises(PermissionDenied):
        await handlers.apply(Caller(TENANT, "fin-1", "finance"), "o-1", hint.hint_id)
    with pytest.raises(PermissionDenied):
        await handlers.list(Caller(TENANT, "p-1", "partner"), "o-1")
    dismissed = await handlers.dismiss(REP, "o-1", hint.hint_id)
    assert (dismissed.state, dismissed.decided_by) == ("dismissed", "rep-1")
    # Dismissed, the stage may be suggested again by a later activity.
    [again] = await handlers.activity_tagged(uow, TENANT, "a-2", "o-1", {"报价": ["报价"]}, occurred_at=DEFAULT_NOW)
    assert again.state == "shown"


async def test_settings_defaults_then_versions() -> None:
    _uow, handlers = setup(FakeGates())
    first = await handlers.settings(REP)
    assert (first.version, first.settings.auto_move) == (0, False)
    assert [(r.tag, r.stage) for r in first.settings.rules] == [("报价", "报价谈判"), ("样品", "样件制作")]
    manager = Caller(TENANT, "mgr-1", "manager")
    saved = await handlers.put_settings(
        manager, 0, {"auto_move": True, "rules": [{"tag": "招标", "stage": "报价谈判"}]}
    )
    assert saved.version == 1
    assert (await handlers.settings(REP)).settings.auto_move is True
    with pytest.raises(Conflict):
        await handlers.put_settings(manager, 0, {"auto_move": False, "rules": []})
    with pytest.raises(PermissionDenied):
        await handlers.put_settings(REP, 1, {"auto_move": False, "rules": []})
    with pytest.raises(PermissionDenied):
        await handlers.settings(Caller(TENANT, "p-1", "partner"))
    with pytest.raises(InvalidArgument):
        await handlers.put_settings(manager, 1, {"rules": [{"tag": "", "stage": ""}]})


async def test_auto_move_never_moves_backwards() -> None:
    uow, handlers = setup(FakeGates(), auto_move=True)
    await handlers.activity_tagged(uow, TENANT, "a-1", "o-1", {"样品": ["样品"]}, occurred_at=DEFAULT_NOW)
    uow.opportunities.put(placed(stage="报价谈判"))  # a rep moved past it before the sweep
    assert await handlers.auto_move_pending() == {"applied": 0, "refused": 0, "passed": 1, "retry": 0}
    assert (await uow.opportunities.get(TENANT, "o-1")).stage == "报价谈判"  # type: ignore[union-attr]
    [hint] = await handlers.list(REP, "o-1")
    assert (hint.state, hint.auto_pending) == ("shown", False)


async def test_auto_move_with_gate_facts_unavailable_is_tried_again() -> None:
    class Down(FakeGates):
        async def facts(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise Unavailable("document-versioning did not answer")

    uow, handlers = setup(Down(), auto_move=True)
    await handlers.activity_tagged(uow, TENANT, "a-1", "o-1", {"报价": ["报价"]}, occurred_at=DEFAULT_NOW)
    assert (await handlers.auto_move_pending())["retry"] == 1
    [hint] = await handlers.list(REP, "o-1")
    assert (hint.state, hint.auto_pending) == ("shown", True)
    assert (await uow.opportunities.get(TENANT, "o-1")) == placed()
