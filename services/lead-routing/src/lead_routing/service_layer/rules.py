"""Routing rules: saving, listing and activating versions of the route list
and the scoring formula, their audit trail, and dry runs of drafts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from crm_shared import limits, roles
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, InvalidArgument, NotFound

from lead_routing.domain.dry_run import DryRunLead, DryRunSummary, candidates_per_lead, tally
from lead_routing.domain.pool import rank_pool
from lead_routing.domain.rule_set import (
    KINDS,
    AuditEntry,
    Route,
    RuleVersion,
    audit_limit,
    check_kind,
    check_routes,
    compile_scoring,
)
from lead_routing.service_layer.rule_book import RuleBook
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

UowFactory = Callable[[], LeadRoutingUnitOfWork]
MAX_COMMENT = limits.MAX_RULE_COMMENT


class RuleHandlers:
    def __init__(self, uow: UowFactory, book: RuleBook) -> None:
        self.uow = uow
        self.book = book

    async def save_routes(self, caller: Caller, routes: Sequence[Route], comment: str) -> RuleVersion:
        caller.require_role(*roles.ROUTING_MANAGERS)
        async with self.uow() as uow:
            check_routes(routes, await self.book.catalogue(uow, caller.tenant_id))
            return await self._save(uow, caller, "routes", [r.to_json() for r in routes], comment)

    async def save_formula(self, caller: Caller, formula: str, comment: str) -> RuleVersion:
        caller.require_role(*roles.ROUTING_MANAGERS)
        async with self.uow() as uow:
            compile_scoring(formula, await self.book.catalogue(uow, caller.tenant_id))
            return await self._save(uow, caller, "formula", {"formula": formula.strip()}, comment)

    async def _save(
        self, uow: LeadRoutingUnitOfWork, caller: Caller, kind: str, body: object, comment: str
    ) -> RuleVersion:
        if len(comment) > MAX_COMMENT:
            raise InvalidArgument.field("comment", f"is longer than {MAX_COMMENT} characters")
        now = uow.clock.now()
        version = await uow.rules.add_version(caller.tenant_id, kind, body, comment.strip(), caller.user_id, now)
        if version is None:
            raise Conflict(f"another {kind} version was saved at the same moment; save again")
        await uow.commit()
        saved = await uow.rules.version(caller.tenant_id, kind, version)
        assert saved
        return saved

    async def list_versions(self, caller: Caller, kind: str) -> list[RuleVersion]:
        caller.require_role(*roles.ROUTING_MANAGERS)
        check_kind(kind)
        async with self.uow() as uow:
            active = (await uow.rules.active_versions(caller.tenant_id)).get(kind)
            return [replace(v, active=v.version == active) for v in await uow.rules.versions(caller.tenant_id, kind)]

    async def activate(self, caller: Caller, kind: str, version: int) -> RuleVersion:
        """Route with this version from now on. New and changed leads are ranked
        with it at once; the whole pool is re-ranked by the prompt job
        (`rerank_requested`) rather than within this call, which a tenant of
        100,000 open leads would hold past any client's deadline."""
        caller.require_role(*roles.ROUTING_MANAGERS)
        check_kind(kind)
        async with self.uow() as uow:
            found = await uow.rules.version(caller.tenant_id, kind, version)
            if found is None:
                raise NotFound(f"{kind} version {version} not found")
            await uow.rules.activate(caller.tenant_id, kind, version, caller.user_id, uow.clock.now())
            await uow.pool.request_rerank(caller.tenant_id, f"{kind} v{version}", uow.clock.now())
            await uow.commit()
        return replace(found, active=True)

    async def active_rules(self, caller: Caller) -> dict[str, RuleVersion | None]:
        caller.require_role(*roles.ROUTING_MANAGERS)
        async with self.uow() as uow:
            active = await uow.rules.active_versions(caller.tenant_id)
            out: dict[str, RuleVersion | None] = {}
            for kind in KINDS:
                found = await uow.rules.version(caller.tenant_id, kind, active[kind]) if kind in active else None
                out[kind] = replace(found, active=True) if found else None
            return out

    async def audit(self, caller: Caller, limit: int) -> list[AuditEntry]:
        caller.require_role(*roles.ROUTING_MANAGERS)
        async with self.uow() as uow:
            return await uow.rules.audit_trail(caller.tenant_id, audit_limit(limit))

    async def dry_run(
        self,
        caller: Caller,
        *,
        routes: Sequence[Route],
        routes_version: int,
        formula: str,
        formula_version: int,
        per_lead: int,
    ) -> tuple[list[DryRunLead], DryRunSummary]:
        """What a draft would do to today's open leads; changes nothing."""
        caller.require_role(*roles.ROUTING_MANAGERS)
        per_lead = candidates_per_lead(per_lead)
        async with self.uow() as uow:
            t = caller.tenant_id
            draft = await self.book.rules(
                uow, t, routes=routes, routes_version=routes_version, formula=formula, formula_version=formula_version
            )
            current = await self.book.rules(uow, t)
            now = uow.clock.now()
            leads = await uow.leads.open_leads(t)
            reps = await uow.reps.states(t, now)
            cooldowns = await uow.assignments.cooldowns(t, [x.lead_id for x in leads])
        barred = {pair for pair, until in cooldowns.items() if until > now}
        return tally(rank_pool(draft, leads, reps, barred), rank_pool(current, leads, reps, barred), per_lead)
