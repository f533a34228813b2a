"""Use cases of stage hints: a tagged activity suggests stages for its
opportunity (shown; with the tenant's auto_move on, moved at once through
stage_moves as the system, gates checked as for a rep); someone who may move
the opportunity applies or dismisses a hint; the tenant's rules are read and
saved. The move is always stage_moves' own (its gates, its stay, its event):
a refusal is kept on the hint with the unmet gates."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound, Unavailable
from crm_shared.ids import new_id

from opportunity.domain import pipeline as pipeline_rules
from opportunity.domain import stage_hint as rules
from opportunity.domain.stage_hint import StageHint
from opportunity.service_layer.common import readable_opportunity
from opportunity.service_layer.stage_moves import StageMoveHandlers
from opportunity.service_layer.tenant_settings import TenantSettings, VersionedSettings
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
log = logging.getLogger(__name__)

# Who a hint's automatic move is made as (the stay's entered_by).
SYSTEM_USER = "stage-hints"


# The tenant's stage hints settings (service_layer/tenant_settings.py).
SETTINGS = TenantSettings(
    lambda uow: uow.stage_hint_settings, rules.DEFAULT_SETTINGS, rules.settings_from_data, rules.settings_data
)
read_settings = SETTINGS.read


class StageHintHandlers:
    def __init__(self, uow: UowFactory, moves: StageMoveHandlers) -> None:
        self.uow = uow
        self.moves = moves

    async def activity_tagged(
        self,
        uow: OpportunityUnitOfWork,
        tenant_id: str,
        activity_id: str,
        opportunity_id: str,
        tags: Mapping[str, Sequence[str]],
        *,
        occurred_at: datetime,
    ) -> list[StageHint]:
        """In the event's unit of work (the inbox's): the hints the activity's
        tags suggest, stored as shown (with auto_move on, marked for the
        system's move, which auto_move_pending makes outside this transaction).
        A redelivered event adds nothing (one hint per activity and stage). An
        activity that happened longer ago than the tenant's max_age_days (an
        old imported message) suggests nothing."""
        if not opportunity_id or not tags:
            return []
        current = await read_settings(uow, tenant_id)
        now = uow.clock.now()
        if not rules.may_suggest(tags, current.settings, occurred_at, now):
            return []
        opp = await uow.opportunities.get(tenant_id, opportunity_id)
        if opp is None or not opp.pipeline_id:
            return []
        pipeline = await uow.pipelines.get(tenant_id, opp.pipeline_id)
        waiting = await uow.stage_hints.waiting_stages(tenant_id, opportunity_id)
        added: list[StageHint] = []
        for suggestion in rules.suggestions(opp, pipeline, tags, current.settings, waiting):
            hint = rules.new_hint(
                hint_id=new_id(),
                opp=opp,
                activity_id=activity_id,
                suggestion=suggestion,
                now=now,
                auto_move=current.settings.auto_move,
            )
            if await uow.stage_hints.add_unless_taken(hint):
                added.append(hint)
        return added

    async def auto_move_pending(self) -> dict[str, int]:
        """The leased sweep: each hint made under auto_move (oldest first, in
        its pipeline's order) moved through the stage-move handler as the
        system — the gates of every stage entered checked as for a rep, never
        backwards. Refused by a gate: the hint keeps the unmet gates. The
        opportunity closed or past the stage: the hint stays shown, not
        retried. Undecided (gate facts unavailable, a concurrent change): tried
        again next sweep."""
        async with self.uow() as uow:
            pending = await uow.stage_hints.auto_pending(rules.AUTO_MOVE_BATCH)
        counts = {"applied": 0, "refused": 0, "passed": 0, "retry": 0}
        for hint in pending:
            system = Caller(hint.tenant_id, SYSTEM_USER, roles.SYSTEM)
            try:
                await self.moves.move(system, hint.opportunity_id, hint.suggested_stage, forward_only=True)
            except FailedPrecondition as refusal:
                if rules.gate_refusal(refusal):
                    missing = refusal.violations
                    await self._settle(
                        system,
                        hint.hint_id,
                        lambda h, now, missing=missing: rules.refused(h, missing, SYSTEM_USER, now),
                    )
                    counts["refused"] += 1
                else:
                    await self._settle(system, hint.hint_id, lambda h, now: replace(h, auto_pending=False))
                    counts["passed"] += 1
                continue
            except (InvalidArgument, NotFound) as gone:  # the stage or the pipeline no longer there
                log.info("stage hint %s not applicable: %s", hint.hint_id, gone)
                await self._settle(system, hint.hint_id, lambda h, now: replace(h, auto_pending=False))
                counts["passed"] += 1
                continue
            except (Unavailable, Conflict) as undecided:
                log.warning("stage hint %s left for the next sweep: %s", hint.hint_id, undecided)
                counts["retry"] += 1
                continue
            await self._settle(system, hint.hint_id, lambda h, now: rules.applied(h, SYSTEM_USER, now))
            counts["applied"] += 1
        return counts

    async def _hint_of(self, uow: OpportunityUnitOfWork, caller: Caller, opportunity_id: str, hint_id: str):  # type: ignore[no-untyped-def]
        opp = await readable_opportunity(uow, caller, opportunity_id)
        hint = await uow.stage_hints.get(caller.tenant_id, hint_id)
        if hint is None or hint.opportunity_id != opp.opportunity_id:
            raise NotFound(f"stage hint {hint_id} not found")
        return opp, hint

    async def list(self, caller: Caller, opportunity_id: str) -> list[StageHint]:
        caller.require_role(*rules.HINT_READERS)
        async with self.uow() as uow:
            opp = await readable_opportunity(uow, caller, opportunity_id)
            return await uow.stage_hints.for_opportunity(caller.tenant_id, opp.opportunity_id)

    async def apply(self, caller: Caller, opportunity_id: str, hint_id: str) -> StageHint:
        """Move the opportunity to the hint's stage as the caller (their scope,
        their role, the gates of every stage entered). Refused: the hint keeps
        the unmet gates (state refused) and the refusal is raised
        (FAILED_PRECONDITION with the gates)."""
        caller.require_role(*pipeline_rules.MOVERS)
        async with self.uow() as uow:
            opp, hint = await self._hint_of(uow, caller, opportunity_id, hint_id)
            rules.require_undecided(hint)
            pipeline = await uow.pipelines.get(caller.tenant_id, opp.pipeline_id or "")
            rules.require_still_ahead(hint, opp, pipeline)
        try:
            await self.moves.move(caller, opportunity_id, hint.suggested_stage, forward_only=True)
        except FailedPrecondition as refusal:
            if not rules.gate_refusal(refusal):
                raise
            missing = refusal.violations
            await self._decide(caller, hint_id, lambda h, now: rules.refused(h, missing, caller.user_id, now))
            raise
        return await self._decide(caller, hint_id, lambda h, now: rules.applied(h, caller.user_id, now))

    async def dismiss(self, caller: Caller, opportunity_id: str, hint_id: str) -> StageHint:
        caller.require_role(*pipeline_rules.MOVERS)
        async with self.uow() as uow:
            await self._hint_of(uow, caller, opportunity_id, hint_id)
        return await self._decide(caller, hint_id, lambda h, now: rules.dismissed(h, caller.user_id, now))

    async def _settle(self, system: Caller, hint_id: str, decide: Callable[[StageHint, datetime], StageHint]) -> None:
        """The sweep's decision, unless someone decided the hint meanwhile (dismissed it)."""
        try:
            await self._decide(system, hint_id, decide)
        except FailedPrecondition as decided:
            log.info("stage hint %s decided meanwhile: %s", hint_id, decided)

    async def _decide(
        self, caller: Caller, hint_id: str, decide: Callable[[StageHint, datetime], StageHint]
    ) -> StageHint:
        async with self.uow() as uow:
            hint = await uow.stage_hints.get(caller.tenant_id, hint_id, lock=True)
            if hint is None:
                raise NotFound(f"stage hint {hint_id} not found")
            decided = decide(hint, uow.clock.now())
            if decided == hint:
                return hint
            await uow.stage_hints.save(decided)
            await uow.commit()
        return decided

    async def settings(self, caller: Caller) -> VersionedSettings:
        caller.require_role(*rules.SETTINGS_READERS)
        async with self.uow() as uow:
            return await read_settings(uow, caller.tenant_id)

    async def put_settings(self, caller: Caller, version: int, data: Mapping[str, Any]) -> VersionedSettings:
        """Saved over the version the caller read (a stale one is Conflict)."""
        caller.require_role(*rules.SETTINGS_EDITORS)
        parsed = SETTINGS.parse_new(version, data)
        async with self.uow() as uow:
            saved = await SETTINGS.save(uow, caller, version, parsed)
            await uow.commit()
        return saved
