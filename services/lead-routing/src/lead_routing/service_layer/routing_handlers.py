"""Use cases of routing: rules and their versions, the scored pool, the four
assignment modes, explanations and first-touch SLAs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from google.protobuf.message import Message

from crm.events.v1 import lead_pb2, notification_pb2
from crm_shared.context import Caller
from crm_shared.domain.errors import (
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Violation,
)
from crm_shared.db import in_chunks
from crm_shared.ids import new_id
from crm_shared.logs import get_logger
from lead_routing.domain.assignment import assign_optimal
from lead_routing.domain.catalogue import catalogue
from lead_routing.domain.formula import FieldSpec
from lead_routing.domain.ownership import OwnerChange
from lead_routing.domain.pool import DEFAULT_ROUTE, Pool, Push, assignment_pushes, high_match_pushes, rank_pool
from lead_routing.domain.ranking import explain_pair
from lead_routing.domain.rules import (
    DEFAULT_FORMULA,
    KINDS,
    CompiledRoute,
    Explanation,
    RepState,
    Route,
    RuleSet,
    check_routes,
    compile_scoring,
    in_candidate_set,
    render_value,
    rep_values,
)
from lead_routing.domain.sla import (
    IDLE_AFTER,
    TakeCheck,
    business_day_bounds,
    business_time,
    check_take,
    cooldown_until,
    first_touch_due,
)
from lead_routing.routing_metrics import ASSIGNMENTS, FIRST_TOUCH_SECONDS, IDLE_LEADS, RECLAIMS, RERANK_SECONDS
from lead_routing.service_layer.routing_uow import RoutingUnitOfWork

log = get_logger("lead_routing.routing")

UowFactory = Callable[[], RoutingUnitOfWork]
MANAGERS = ("manager", "admin")
DRY_RUN_MAX_LEADS = 1000  # per-lead rows returned; the summary covers every open lead
RUNNERS_UP = 5
RERANK_CHUNK = 10_000  # leads scored at a time in a whole-tenant re-rank: bounds its memory


def _iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


class RoutingHandlers:
    def __init__(self, uow: UowFactory, *, push_threshold: float = 85.0, top_n: int = 5) -> None:
        self.uow = uow
        self.push_threshold = push_threshold
        self.top_n = top_n

    # ------------------------------------------------------------ rules

    async def _catalogue(self, uow: RoutingUnitOfWork, tenant_id: str) -> dict[str, FieldSpec]:
        return catalogue(await uow.routing.custom_fields(tenant_id))

    async def _rules(
        self,
        uow: RoutingUnitOfWork,
        tenant_id: str,
        *,
        routes: Sequence[Route] | None = None,
        routes_version: int = 0,
        formula: str = "",
        formula_version: int = 0,
    ) -> RuleSet:
        """The active rules, or a draft / another saved version of either part."""
        cat = await self._catalogue(uow, tenant_id)
        active = await uow.routing.active_versions(tenant_id)
        if routes:
            compiled_routes, rv = check_routes(routes, cat), 0
        else:
            rv = routes_version or active.get("routes", 0)
            body = await self._body(uow, tenant_id, "routes", rv) if rv else None
            compiled_routes = check_routes(
                [Route.from_json(x) for x in body] if body else [DEFAULT_ROUTE], cat, saved=True
            )
        if formula.strip():
            compiled_formula, fv = compile_scoring(formula, cat), 0
        else:
            fv = formula_version or active.get("formula", 0)
            body = await self._body(uow, tenant_id, "formula", fv) if fv else None
            compiled_formula = compile_scoring(body["formula"] if body else DEFAULT_FORMULA, cat, saved=True)
        return RuleSet(compiled_routes, compiled_formula, rv, fv)

    async def _body(self, uow: RoutingUnitOfWork, tenant_id: str, kind: str, version: int) -> Any:
        row = await uow.routing.version(tenant_id, kind, version)
        if row is None:
            raise NotFound(f"{kind} version {version} not found")
        return row["body"]

    async def save_routes(self, caller: Caller, routes: Sequence[Route], comment: str) -> dict[str, Any]:
        caller.require_role(*MANAGERS)
        async with self.uow() as uow:
            check_routes(routes, await self._catalogue(uow, caller.tenant_id))
            return await self._save(uow, caller, "routes", [r.to_json() for r in routes], comment)

    async def save_formula(self, caller: Caller, formula: str, comment: str) -> dict[str, Any]:
        caller.require_role(*MANAGERS)
        async with self.uow() as uow:
            compile_scoring(formula, await self._catalogue(uow, caller.tenant_id))
            return await self._save(uow, caller, "formula", {"formula": formula.strip()}, comment)

    async def _save(self, uow: RoutingUnitOfWork, caller: Caller, kind: str, body: Any, comment: str) -> dict[str, Any]:
        if len(comment) > 500:
            raise InvalidArgument.field("comment", "is longer than 500 characters")
        now = uow.clock.now()
        version = await uow.routing.add_version(caller.tenant_id, kind, body, comment.strip(), caller.user_id, now)
        if version is None:
            raise Conflict(f"another {kind} version was saved at the same moment; save again")
        await uow.commit()
        row = await uow.routing.version(caller.tenant_id, kind, version)
        assert row
        return row | {"active": False}

    async def list_versions(self, caller: Caller, kind: str) -> list[dict[str, Any]]:
        caller.require_role(*MANAGERS)
        _check_kind(kind)
        async with self.uow() as uow:
            active = (await uow.routing.active_versions(caller.tenant_id)).get(kind)
            return [r | {"active": r["version"] == active} for r in await uow.routing.versions(caller.tenant_id, kind)]

    async def activate(self, caller: Caller, kind: str, version: int) -> dict[str, Any]:
        """Route with this version from now on. New and changed leads are ranked
        with it at once; the whole pool is re-ranked by the prompt job
        (`rerank_requested`) rather than within this call, which a tenant of
        100,000 open leads would hold past any client's deadline."""
        caller.require_role(*MANAGERS)
        _check_kind(kind)
        async with self.uow() as uow:
            row = await uow.routing.version(caller.tenant_id, kind, version)
            if row is None:
                raise NotFound(f"{kind} version {version} not found")
            await uow.routing.activate(caller.tenant_id, kind, version, caller.user_id, uow.clock.now())
            await uow.routing.request_rerank(caller.tenant_id, f"{kind} v{version}", uow.clock.now())
            await uow.commit()
        return row | {"active": True}

    async def active_rules(self, caller: Caller) -> dict[str, dict[str, Any] | None]:
        caller.require_role(*MANAGERS)
        async with self.uow() as uow:
            active = await uow.routing.active_versions(caller.tenant_id)
            out: dict[str, dict[str, Any] | None] = {}
            for kind in KINDS:
                row = await uow.routing.version(caller.tenant_id, kind, active[kind]) if kind in active else None
                out[kind] = row | {"active": True} if row else None
            return out

    async def audit(self, caller: Caller, limit: int) -> list[dict[str, Any]]:
        caller.require_role(*MANAGERS)
        async with self.uow() as uow:
            return await uow.routing.audit_trail(caller.tenant_id, max(1, min(limit or 100, 500)))

    async def dry_run(
        self,
        caller: Caller,
        *,
        routes: Sequence[Route],
        routes_version: int,
        formula: str,
        formula_version: int,
        per_lead: int,
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """What a draft would do to today's open leads; changes nothing."""
        caller.require_role(*MANAGERS)
        per_lead = max(1, min(per_lead or 3, 20))
        async with self.uow() as uow:
            t = caller.tenant_id
            draft = await self._rules(
                uow, t, routes=routes, routes_version=routes_version, formula=formula, formula_version=formula_version
            )
            current = await self._rules(uow, t)
            now = uow.clock.now()
            lead_rows = await uow.routing.open_leads(t)
            reps = await uow.routing.rep_states(t, now)
            barred = await uow.routing.cooldowns_for(t, [r["lead_id"] for r in lead_rows], now)
        pool = rank_pool(draft, lead_rows, reps, barred)
        before = rank_pool(current, lead_rows, reps, barred)
        per_route: dict[str, list[Any]] = {cr.route.route_id: [cr.route.name, 0] for cr in draft.routes}
        out, unmatched, to_pool, without, changed = [], 0, 0, 0, 0
        for i, lead in enumerate(lead_rows):
            cr = pool.route(i)
            cands = pool.candidates(i)
            old = before.candidates(i)
            if (cands[0][0] if cands else None) != (old[0][0] if old else None):
                changed += 1
            if cr is None:
                unmatched += 1
            else:
                per_route[cr.route.route_id][1] += 1
                to_pool += cr.route.target_kind == "pool"
            if not cands and not (cr and cr.route.target_kind == "pool"):
                without += 1
            if i < DRY_RUN_MAX_LEADS:
                out.append(
                    {
                        "lead_id": lead["lead_id"],
                        "company_name": lead["company_name"],
                        "route_id": cr.route.route_id if cr else "",
                        "route_name": cr.route.name if cr else "",
                        "to_pool": bool(cr and cr.route.target_kind == "pool"),
                        "candidates": [(reps[r].rep_id, s) for r, s in cands[:per_lead]],
                        "owner_id": lead.get("owner_id") or "",
                    }
                )
        summary = {
            "open_leads": len(lead_rows),
            "per_route": [(rid, name, n) for rid, (name, n) in per_route.items()],
            "unmatched": unmatched,
            "to_pool": to_pool,
            "without_candidates": without,
            "changed_best_candidate": changed,
        }
        return out, summary

    # ------------------------------------------------------------ the pool

    async def _pool(
        self, uow: RoutingUnitOfWork, tenant_id: str, lead_ids: Sequence[str], rules: RuleSet | None = None
    ) -> Pool:
        now = uow.clock.now()
        rules = rules or await self._rules(uow, tenant_id)
        lead_rows = await uow.routing.open_leads(tenant_id, lead_ids)
        reps = await uow.routing.rep_states(tenant_id, now)
        barred = await uow.routing.cooldowns_for(tenant_id, [r["lead_id"] for r in lead_rows], now)
        return rank_pool(rules, lead_rows, reps, barred)

    async def _rerank(
        self, uow: RoutingUnitOfWork, tenant_id: str, lead_ids: Sequence[str], *, auto_assign: bool = False
    ) -> tuple[Pool, int]:
        """Re-score these leads (the whole tenant: `_rerank_tenant`), store
        their best candidates, and push reps reaching the threshold on unowned
        leads (once per lead and rep). With `auto_assign`, each unowned lead
        whose route is marked auto_assign first goes to its best free candidate
        (so nobody is pushed about a lead already given away). Returns the pool
        and the pushes sent."""
        await uow.routing.lock_pool(tenant_id)
        with RERANK_SECONDS.labels("leads").time():
            pool = await self._pool(uow, tenant_id, lead_ids)
        if auto_assign:
            done = []
            for i, lead in enumerate(pool.leads):
                if lead.get("owner_id") or not _auto_route(pool.route(i)):
                    continue
                try:
                    a = await self._assign_best(uow, pool, i, mode="auto", actor="system")
                except Conflict:
                    continue  # claimed meanwhile
                if a:
                    done.append(a)
            _count_assignments(done)
        hot = await self._store_ranking(uow, tenant_id, pool, lead_ids)
        return pool, await self._push_high_matches(uow, tenant_id, hot)

    async def _rerank_tenant(
        self, uow: RoutingUnitOfWork, tenant_id: str, rules: RuleSet | None = None
    ) -> tuple[int, int, int]:
        """Re-score every open lead of the tenant as `_rerank` does, but
        RERANK_CHUNK leads at a time, so memory stays bounded however big the
        tenant. The new ranking replaces the old in this transaction; the
        pushes go out after the last chunk (one digest per rep). Returns the
        leads, the scored pairs and the pushes sent."""
        await uow.routing.lock_pool(tenant_id)
        rules = rules or await self._rules(uow, tenant_id)
        lead_ids = await uow.routing.open_lead_ids(tenant_id)
        hot: list[tuple[dict[str, Any], str, float]] = []
        pairs = 0
        with RERANK_SECONDS.labels("tenant").time():
            await uow.routing.replace_ranking(tenant_id, None, [], [])  # leads closed since go too
            for chunk in in_chunks(lead_ids, RERANK_CHUNK):
                pool = await self._pool(uow, tenant_id, chunk, rules)
                hot += await self._store_ranking(uow, tenant_id, pool, [])  # nothing of theirs left to replace
                pairs += len(pool.lead_idx)
        return len(lead_ids), pairs, await self._push_high_matches(uow, tenant_id, hot)

    async def _store_ranking(
        self, uow: RoutingUnitOfWork, tenant_id: str, pool: Pool, lead_ids: Sequence[str]
    ) -> list[tuple[dict[str, Any], str, float]]:
        """Each lead's route and best candidates, in place of those stored for
        `lead_ids`. Returns the (unowned lead, rep, score) at or over the push
        threshold."""
        now = uow.clock.now()
        routes, scores, hot = [], [], []
        for i, lead in enumerate(pool.leads):
            cr = pool.route(i)
            routes.append(
                {
                    "lead_id": lead["lead_id"],
                    "tenant_id": tenant_id,
                    "route_id": cr.route.route_id if cr else "",
                    "route_name": cr.route.name if cr else "",
                    "to_pool": bool(cr and cr.route.target_kind == "pool"),
                    "ranked_at": now,
                }
            )
            for position, (r, s) in enumerate(pool.candidates(i)[: self.top_n]):
                rep_id = pool.reps[r].rep_id
                scores.append(
                    {
                        "lead_id": lead["lead_id"],
                        "rep_id": rep_id,
                        "tenant_id": tenant_id,
                        "position": position,
                        "score": s,
                    }
                )
                if s >= self.push_threshold and not lead.get("owner_id"):
                    hot.append((lead, rep_id, s))
        await uow.routing.replace_ranking(tenant_id, lead_ids, routes, scores)
        return hot

    async def _push_high_matches(
        self, uow: RoutingUnitOfWork, tenant_id: str, hot: Sequence[tuple[dict[str, Any], str, float]]
    ) -> int:
        """Push each (lead, rep) of `hot` not pushed before: one message per
        lead, or one digest for a rep with many at once. Returns the pushes."""
        # each (lead, rep) is pushed once; the pool lock keeps concurrent re-ranks from pushing twice
        done = await uow.routing.pushed_pairs(tenant_id, list({lead["lead_id"] for lead, _, _ in hot}))
        fresh = [(lead, rep_id, s) for lead, rep_id, s in hot if (lead["lead_id"], rep_id) not in done]
        await uow.routing.record_pushes(tenant_id, [(lead["lead_id"], r, s) for lead, r, s in fresh], uow.clock.now())
        pushes = high_match_pushes([(rep_id, lead, s) for lead, rep_id, s in fresh])
        await uow.publish_many([self._notification(tenant_id, p, group=True) for p in pushes])
        return len(fresh)

    @staticmethod
    def _notification(tenant_id: str, push: Push, *, group: bool) -> tuple[str, str, str, Message]:
        """A notification.requested event (the app's stream; with `group`, the
        tenant's group robot too), for `publish_many`."""
        payload = notification_pb2.NotificationRequested(
            recipient_id=push.rep_id,
            kind=push.kind,
            title=push.title,
            body=push.body,
            subject_type=push.subject_type,
            subject_id=push.subject_id,
            notify_group=group,
        )
        return "notification.requested", tenant_id, push.subject_id or push.rep_id, payload

    async def rerank(self, caller: Caller) -> tuple[int, int, int]:
        caller.require_role(*MANAGERS, "system")
        async with self.uow() as uow:
            counts = await self._rerank_tenant(uow, caller.tenant_id)
            await uow.commit()
        return counts

    async def rerank_all(self) -> None:
        """The scheduled re-rank: every tenant with open leads."""
        async with self.uow() as uow:
            tenants = await uow.routing.tenants_with_open_leads()
        await self._rerank_tenants([(t, None) for t in tenants])

    async def rerank_requested(self) -> None:
        """The prompt job: every tenant whose whole pool was asked to be
        re-ranked (a rule activated, a rep profile changed). The ask is
        cleared with the new ranking, unless it was renewed meanwhile."""
        async with self.uow() as uow:
            pending = await uow.routing.rerank_requests()
        await self._rerank_tenants(pending)

    async def _rerank_tenants(self, tenants: Sequence[tuple[str, str | None]]) -> None:
        """Re-rank each (tenant, request id or None), one transaction each."""
        for tenant, request_id in tenants:
            try:
                async with self.uow() as uow:
                    await self._rerank_tenant(uow, tenant)
                    if request_id:
                        await uow.routing.clear_rerank_request(tenant, request_id)
                    await uow.commit()
            except Exception as exc:  # one tenant's broken rules must not stop the others
                log.warning("re-rank failed", tenant=tenant, error=repr(exc))

    async def list_pool(
        self, caller: Caller, limit: int, offset: int
    ) -> list[tuple[dict[str, Any], dict[str, Any] | None, list[tuple[str, float]]]]:
        """Unowned open leads: managers see every candidate, a rep the leads
        they are a candidate for, with their own score."""
        caller.require_role("rep", *MANAGERS)
        async with self.uow() as uow:
            return await uow.routing.pool(
                caller.tenant_id, rep_id=caller.user_id if caller.role == "rep" else None, limit=limit, offset=offset
            )

    # ------------------------------------------------------------ assignment

    async def _assign(
        self,
        uow: RoutingUnitOfWork,
        pool: Pool,
        i: int,
        rep: RepState,
        *,
        mode: str,
        actor: str,
        expected_owner: str | None,
    ) -> dict[str, Any]:
        """Give lead i of the pool to a rep if its owner is still `expected_owner`
        (see `_assign_many`); Conflict if it changed hands meanwhile."""
        done = await self._assign_many(uow, pool, [(i, rep)], mode=mode, actor=actor, expected_owner=expected_owner)
        if not done:
            raise Conflict(f"lead {pool.leads[i]['lead_id']} was taken by someone else a moment ago")
        return done[0]

    async def _assign_many(
        self,
        uow: RoutingUnitOfWork,
        pool: Pool,
        picks: Sequence[tuple[int, RepState]],
        *,
        mode: str,
        actor: str,
        expected_owner: str | None,
    ) -> list[dict[str, Any]]:
        """Give each (lead i of the pool, rep) whose lead is still owned by
        `expected_owner`; leads taken meanwhile are skipped. Store each
        assignment's explanation and first-touch deadline, publish, and push
        the reps unless they took the lead themself. Every assignment mode
        comes through here; a batch of thousands is a handful of statements."""
        now = uow.clock.now()
        tenant_id = pool.leads[picks[0][0]]["tenant_id"] if picks else ""
        taken = await uow.routing.take_many(
            tenant_id, [(pool.leads[i]["lead_id"], rep.rep_id) for i, rep in picks], expected_owner, now
        )
        picks = [(i, rep) for i, rep in picks if pool.leads[i]["lead_id"] in taken]
        lead_ids = [pool.leads[i]["lead_id"] for i, _ in picks]
        await uow.routing.end_current_assignments(tenant_id, lead_ids, "reassigned", now)
        rep_index = {r.rep_id: k for k, r in enumerate(pool.reps)}
        load: dict[str, int] = {}  # each rep's open leads as this batch goes
        rows, events, given, changes = [], [], [], []
        for i, rep in picks:
            lead = pool.leads[i]
            lead["owner_id"] = rep.rep_id  # the pool's view too: no pushes about a lead given away
            load.setdefault(rep.rep_id, rep.open_leads)
            values = self._assignment(pool, i, rep, rep_index.get(rep.rep_id), load[rep.rep_id], now)
            values |= {"tenant_id": tenant_id, "mode": mode, "actor_id": actor}
            load[rep.rep_id] += 1
            rows.append(values)
            why = values["explanation"]
            changes.append(
                OwnerChange(
                    change=mode,
                    lead_id=lead["lead_id"],
                    actor_id=actor,
                    at=now,
                    previous_owner_id=expected_owner,
                    owner_id=rep.rep_id,
                    score=values["score"],
                    rank=why["rank"],
                    candidates=why["candidates"],
                    assignment_id=values["assignment_id"],
                )
            )
            events.append(
                (
                    "lead.assigned",
                    tenant_id,
                    lead["lead_id"],
                    lead_pb2.LeadAssigned(
                        lead_id=lead["lead_id"],
                        rep_id=rep.rep_id,
                        mode=mode,
                        actor_id=actor,
                        route_id=values["route_id"],
                        score=values["score"],
                        first_touch_due=_iso(values["first_touch_due"]),
                        company_name=lead["company_name"],
                    ),
                )
            )
            if actor != rep.rep_id:  # given to them (auto, manager, reroute): tell them; a claimer knows
                given.append((rep.rep_id, lead, values["first_touch_due"]))
        await uow.routing.add_assignments(rows)
        await uow.routing.add_owner_changes(tenant_id, changes)
        pushes = [self._notification(tenant_id, p, group=False) for p in assignment_pushes(given)]
        await uow.publish_many(events + pushes)
        return rows

    def _assignment(
        self, pool: Pool, i: int, rep: RepState, r: int | None, load: int, now: datetime
    ) -> dict[str, Any]:
        """The assignment row of lead i to a rep (index r in the pool, None if
        not ranked there), with the explanation of why."""
        lead, lead_vals, rep_vals = pool.leads[i], pool.lead_vals[i], rep_values(rep)
        cr = pool.route(i)
        route = cr.route if cr else DEFAULT_ROUTE
        score = pool.score_of(i, r) if r is not None else None
        if score is None:  # a manager's pick outside the candidates
            score = pool.rules.formula.score({**lead_vals, **rep_vals}).value
        terms = [(text, render_value(value)) for text, value in explain_pair(lead_vals, rep_vals, pool.rules.formula)]
        runners_up = [(pool.reps[k].rep_id, s) for k, s in pool.candidates(i, RUNNERS_UP + 1) if k != r]
        rank, candidates = pool.rank_of(i, r)
        explanation = Explanation(
            route_id=route.route_id if cr else "",
            route_name=route.name if cr else "",
            route_condition=route.condition if cr else "",
            routes_version=pool.rules.routes_version,
            formula=pool.rules.formula.text,
            formula_version=pool.rules.formula_version,
            score=float(score),
            terms=terms,
            runners_up=runners_up[:RUNNERS_UP],
            capacity=rep.capacity,
            open_leads=load,
            rank=rank,
            candidates=candidates,
        )
        return {
            "assignment_id": new_id(),
            "lead_id": lead["lead_id"],
            "rep_id": rep.rep_id,
            "route_id": explanation.route_id,
            "route_name": explanation.route_name,
            "score": float(score),
            "explanation": explanation.to_json(),
            "cooldown_hours": route.cooldown_hours,
            "assigned_at": now,
            "first_touch_due": first_touch_due(now, route.sla_hours),
            "first_touched_at": None,
            "ended_at": None,
            "end_reason": None,
        }

    async def assign_pool(self, caller: Caller) -> tuple[list[dict[str, Any]], int]:
        """Automatic batch: the pool's unowned leads to candidates, maximal
        total score under each rep's free capacity (min-cost flow)."""
        caller.require_role(*MANAGERS, "system")
        async with self.uow() as uow:
            done, left = await self._assign_batch(uow, caller.tenant_id, caller.user_id, auto_routes_only=False)
            await uow.commit()
        _count_assignments(done)
        return done, left

    async def auto_assign_all(self) -> int:
        """The scheduled batch: in every tenant, the unowned leads of routes
        marked auto_assign, optimally as `assign_pool`. Returns assignments."""
        async with self.uow() as uow:
            tenants = await uow.routing.tenants_with_open_leads()
        total = 0
        for tenant in tenants:
            try:
                async with self.uow() as uow:
                    rules = await self._rules(uow, tenant)
                    if not any(cr.route.auto_assign for cr in rules.routes):
                        continue
                    done, _ = await self._assign_batch(uow, tenant, "system", auto_routes_only=True, rules=rules)
                    await uow.commit()
            except Exception as exc:  # one tenant's broken rules must not stop the others
                log.warning("auto-assign failed", tenant=tenant, error=repr(exc))
                continue
            _count_assignments(done)
            total += len(done)
        return total

    async def _assign_batch(
        self,
        uow: RoutingUnitOfWork,
        tenant_id: str,
        actor: str,
        *,
        auto_routes_only: bool,
        rules: RuleSet | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """Re-rank the tenant, then give its unowned leads (only those of
        auto_assign routes, if so asked) to candidates with `assign_optimal`.
        Returns the assignments and how many of those leads stay unowned."""
        rules = rules or await self._rules(uow, tenant_id)
        await self._rerank_tenant(uow, tenant_id, rules)
        await uow.routing.lock_reps(tenant_id)  # free capacities hold until commit
        pool = await self._pool(uow, tenant_id, await uow.routing.open_lead_ids(tenant_id, unowned=True), rules)
        wanted = np.array([not auto_routes_only or _auto_route(pool.route(i)) for i in range(len(pool.leads))], bool)
        free = np.array([max(r.capacity - r.open_leads, 0) if r.available else 0 for r in pool.reps], dtype=np.int64)
        m = wanted[pool.lead_idx] if len(pool.lead_idx) else np.zeros(0, dtype=bool)
        chosen_leads, chosen_reps = assign_optimal(pool.lead_idx[m], pool.rep_idx[m], pool.score[m], free)
        picks = [(li, pool.reps[ri]) for li, ri in zip(chosen_leads.tolist(), chosen_reps.tolist(), strict=True)]
        done = await self._assign_many(uow, pool, picks, mode="auto", actor=actor, expected_owner=None)  # skips taken
        return done, int(wanted.sum()) - len(done)

    async def _assign_best(
        self, uow: RoutingUnitOfWork, pool: Pool, i: int, *, mode: str, actor: str
    ) -> dict[str, Any] | None:
        """Give lead i to its best candidate that still takes leads (the pool
        leaves out reps at capacity, on leave or in a cool-down); None when
        there is none. Raises Conflict when the lead was taken meanwhile."""
        for r, _score in pool.candidates(i):
            if not pool.reps[r].available:
                continue
            # Read the rep again under its row lock: a claim or another assignment may
            # have taken their last free slot since the pool was ranked.
            tenant_id, rep_id = pool.leads[i]["tenant_id"], pool.reps[r].rep_id
            fresh = await uow.routing.rep_states(tenant_id, uow.clock.now(), rep_id=rep_id)
            if fresh and fresh[0].available:
                return await self._assign(uow, pool, i, fresh[0], mode=mode, actor=actor, expected_owner=None)
        return None

    async def _single(self, uow: RoutingUnitOfWork, caller: Caller, lead_id: str) -> Pool:
        """The pool of one visible, open lead."""
        lead = await uow.routing.lead(caller.tenant_id, lead_id)
        if lead is None or not await _may_see(uow, caller, lead):
            raise NotFound(f"lead {lead_id} not found")
        if lead["status"] != "open":
            raise FailedPrecondition(
                f"lead {lead_id} is {lead['status']}", [Violation("lead", lead_id, f"is {lead['status']}, not open")]
            )
        pool = await self._pool(uow, caller.tenant_id, [lead_id])
        return pool

    async def _rep(self, uow: RoutingUnitOfWork, tenant_id: str, rep_id: str) -> RepState:
        found = await uow.routing.rep_states(tenant_id, uow.clock.now(), rep_id=rep_id)
        if not found:
            raise FailedPrecondition(
                f"{rep_id} has no rep profile", [Violation("rep", rep_id, "has no rep profile (PUT /v1/reps/{rep_id})")]
            )
        return found[0]

    async def claim(self, caller: Caller, lead_id: str) -> dict[str, Any]:
        """A rep takes an unowned lead from the pool: within their daily claim
        limit (Asia/Shanghai day), capacity and any reclaim cool-down. Of two
        concurrent claims exactly one wins; the other gets Conflict."""
        caller.require_role("rep")
        async with self.uow() as uow:
            lead = await uow.routing.lead(caller.tenant_id, lead_id)
            if lead is None:
                raise NotFound(f"lead {lead_id} not found")
            if lead.get("owner_id") == caller.user_id:
                raise FailedPrecondition(
                    f"lead {lead_id} is already yours", [Violation("lead", lead_id, "is already yours")]
                )
            if lead.get("owner_id") and lead["status"] == "open":
                # The loser of two claims at once ends here (or at the conditional UPDATE).
                raise Conflict(f"lead {lead_id} was already claimed by another rep")
            pool = await self._single(uow, caller, lead_id)
            rep = await self._rep(uow, caller.tenant_id, caller.user_id)
            now = uow.clock.now()
            start, end = business_day_bounds(now)
            check_take(
                TakeCheck(
                    rep_id=rep.rep_id,
                    capacity=rep.capacity,
                    open_leads=rep.open_leads,
                    claims_today=await uow.routing.claims_between(caller.tenant_id, rep.rep_id, start, end),
                    daily_claim_limit=int(rep.profile.get("daily_claim_limit") or 0),
                    cooldown_until=await uow.routing.cooldown(caller.tenant_id, lead_id, rep.rep_id),
                    active=bool(rep.profile.get("active", True)),
                    on_leave=rep.on_leave,
                    in_candidate_set=in_candidate_set(pool.route(0), pool.lead_vals[0], rep),
                ),
                now,
            )
            assignment = await self._assign(uow, pool, 0, rep, mode="claim", actor=caller.user_id, expected_owner=None)
            await uow.commit()
        ASSIGNMENTS.labels(caller.tenant_id, rep.rep_id, "claim").inc()
        return assignment

    async def assign(self, caller: Caller, lead_id: str, rep_id: str) -> dict[str, Any]:
        """A manager gives a lead (unowned or someone else's) to one of their
        reps; capacity and cool-downs hold, the route's candidate set does not."""
        caller.require_role(*MANAGERS)
        if not rep_id.strip():
            raise InvalidArgument.field("rep_id", "is required")
        async with self.uow() as uow:
            pool = await self._single(uow, caller, lead_id)
            lead = pool.leads[0]
            rep = await self._rep(uow, caller.tenant_id, rep_id)
            if (
                caller.role == "manager"
                and rep_id != caller.user_id
                and rep.profile.get("manager_id") != caller.user_id
            ):
                raise PermissionDenied(f"{rep_id} is not one of your reps")
            if lead.get("owner_id") == rep_id:
                raise FailedPrecondition(
                    f"lead {lead_id} is already {rep_id}'s", [Violation("lead", lead_id, f"is already {rep_id}'s")]
                )
            now = uow.clock.now()
            check_take(
                TakeCheck(
                    rep_id=rep.rep_id,
                    capacity=rep.capacity,
                    open_leads=rep.open_leads,
                    cooldown_until=await uow.routing.cooldown(caller.tenant_id, lead_id, rep.rep_id),
                    active=bool(rep.profile.get("active", True)),
                    on_leave=rep.on_leave,
                ),
                now,
            )
            assignment = await self._assign(
                uow, pool, 0, rep, mode="manager", actor=caller.user_id, expected_owner=lead.get("owner_id")
            )
            await uow.commit()
        ASSIGNMENTS.labels(caller.tenant_id, rep.rep_id, "manager").inc()
        return assignment

    async def release(self, caller: Caller, lead_id: str, reason: str) -> None:
        """The owner (or a manager) gives a lead back to the pool."""
        caller.require_role("rep", *MANAGERS)
        async with self.uow() as uow:
            lead = await uow.routing.lead(caller.tenant_id, lead_id)
            if lead is None or not await _may_see(uow, caller, lead):
                raise NotFound(f"lead {lead_id} not found")
            owner = lead.get("owner_id")
            if lead["status"] != "open" or not owner:
                raise FailedPrecondition(
                    f"lead {lead_id} is not an owned open lead",
                    [Violation("lead", lead_id, "is not owned or not open")],
                )
            if caller.role == "rep" and owner != caller.user_id:
                raise NotFound(f"lead {lead_id} not found")
            await uow.routing.lock_pool(caller.tenant_id)
            now = uow.clock.now()
            if lead_id not in await uow.routing.take_many(caller.tenant_id, [(lead_id, None)], owner, now):
                raise Conflict(f"lead {lead_id} changed hands a moment ago")
            await uow.routing.end_current_assignments(caller.tenant_id, [lead_id], "released", now)
            await uow.routing.add_owner_changes(
                caller.tenant_id,
                [
                    OwnerChange(
                        change="release",
                        lead_id=lead_id,
                        actor_id=caller.user_id,
                        at=now,
                        previous_owner_id=owner,
                        owner_id=None,
                        reason=reason.strip()[:500],
                    )
                ],
            )
            await uow.publish(
                "lead.released",
                caller.tenant_id,
                lead_id,
                lead_pb2.LeadReleased(lead_id=lead_id, rep_id=owner, actor_id=caller.user_id, reason=reason[:500]),
            )
            await self._rerank(uow, caller.tenant_id, [lead_id])
            await uow.commit()

    # ------------------------------------------------------------ first touch and SLA

    async def touch(self, caller: Caller, lead_id: str, kind: str) -> dict[str, Any]:
        caller.require_role("rep", *MANAGERS)
        async with self.uow() as uow:
            lead = await uow.routing.lead(caller.tenant_id, lead_id)
            if (
                lead is None
                or not await _may_see(uow, caller, lead)
                or (caller.role == "rep" and lead.get("owner_id") != caller.user_id)
            ):
                raise NotFound(f"lead {lead_id} not found")
            current = await uow.routing.current_assignment(caller.tenant_id, lead_id)
            if current is None:
                raise FailedPrecondition(
                    f"lead {lead_id} has no current assignment", [Violation("lead", lead_id, "is not assigned")]
                )
            touched = await self._touch(uow, current, uow.clock.now())
            await uow.commit()
        if touched:
            FIRST_TOUCH_SECONDS.labels(caller.tenant_id).observe(
                (current["first_touched_at"] - current["assigned_at"]).total_seconds()
            )
        return current

    async def _touch(self, uow: RoutingUnitOfWork, current: dict[str, Any], at: datetime) -> bool:
        if current["first_touched_at"] is not None:
            return False
        at = max(at, current["assigned_at"])
        if not await uow.routing.mark_touched(current["assignment_id"], at):
            return False
        current["first_touched_at"] = at
        return True

    async def activity_logged(self, uow: RoutingUnitOfWork, tenant_id: str, lead_id: str, at: datetime) -> None:
        """An activity on a lead's opportunity or customer: the first touch."""
        if not lead_id:
            return
        current = await uow.routing.current_assignment(tenant_id, lead_id)
        if current and await self._touch(uow, current, at):
            FIRST_TOUCH_SECONDS.labels(tenant_id).observe(
                (current["first_touched_at"] - current["assigned_at"]).total_seconds()
            )

    async def sweep_sla(self, batch: int = 200) -> int:
        """Reclaim leads whose first-touch deadline passed untouched; re-route
        them; bar the previous owner for the route's cool-down. Returns reclaims."""
        async with self.uow() as uow:
            overdue = await uow.routing.overdue(uow.clock.now(), batch)
        reclaimed = 0
        for a in overdue:
            try:
                reclaimed += await self._reclaim(a)
            except Exception as exc:
                log.warning("reclaim failed", lead_id=a["lead_id"], error=repr(exc))
        async with self.uow() as uow:
            now = uow.clock.now()
            IDLE_LEADS.set(await uow.routing.idle_leads(now, now - IDLE_AFTER))
        return reclaimed

    async def _reclaim(self, a: dict[str, Any]) -> int:
        tenant_id, lead_id, rep_id = a["tenant_id"], a["lead_id"], a["rep_id"]
        async with self.uow() as uow:
            await uow.routing.lock_pool(tenant_id)
            now = uow.clock.now()
            current = await uow.routing.current_assignment(tenant_id, lead_id)
            if current is None or current["assignment_id"] != a["assignment_id"] or current["first_touched_at"]:
                return 0
            lead = await uow.routing.lead(tenant_id, lead_id)
            if lead is None or lead["status"] != "open" or lead.get("owner_id") != rep_id:
                # converted, lost or moved on without us: the deadline no longer applies
                reason = lead["status"] if lead and lead["status"] != "open" else "reassigned"
                await uow.routing.end_assignment(a["assignment_id"], reason, now)
                await uow.commit()
                return 0
            if lead_id not in await uow.routing.take_many(tenant_id, [(lead_id, None)], rep_id, now):
                return 0
            await uow.routing.end_assignment(a["assignment_id"], "reclaimed", now)
            until = cooldown_until(now, a["cooldown_hours"])
            await uow.routing.set_cooldown(tenant_id, lead_id, rep_id, until)
            await uow.routing.add_owner_changes(
                tenant_id,
                [
                    OwnerChange(
                        change="reclaim",
                        lead_id=lead_id,
                        actor_id="system",
                        at=now,
                        previous_owner_id=rep_id,
                        owner_id=None,
                        reason=(
                            f"首次跟进截止 {business_time(a['first_touch_due'])} 前未跟进（路由 {a['route_name'] or '默认'}）；"
                            f"{rep_id} 冷却至 {business_time(until)}（北京时间）"
                        ),
                    )
                ],
            )
            await uow.publish(
                "lead.reclaimed",
                tenant_id,
                lead_id,
                lead_pb2.LeadReclaimed(
                    lead_id=lead_id,
                    rep_id=rep_id,
                    route_id=a["route_id"],
                    deadline=_iso(a["first_touch_due"]),
                    cooldown_until=_iso(until),
                ),
            )
            # Re-route: the best available candidate other than the barred owner, else the pool.
            pool, _ = await self._rerank(uow, tenant_id, [lead_id])
            rerouted = await self._assign_best(uow, pool, 0, mode="reroute", actor="system") if pool.leads else None
            await uow.commit()
        RECLAIMS.labels(tenant_id).inc()
        if rerouted:
            ASSIGNMENTS.labels(tenant_id, rerouted["rep_id"], "reroute").inc()
        return 1

    # ------------------------------------------------------------ explanation

    async def explanation(
        self, caller: Caller, lead_id: str
    ) -> tuple[OwnerChange | None, dict[str, Any] | None, Explanation | None]:
        """Why the lead's owner is who it is: the latest owner change (a claim,
        a manager's assignment, an automatic or re-route assignment, a release,
        a reclaim, an intake by a rep, a conversion from the pool) and, when it
        made an assignment, that assignment and its scoring explanation. Reps
        see their own leads' only; managers and admins the tenant's."""
        caller.require_role("rep", *MANAGERS)
        async with self.uow() as uow:
            lead = await uow.routing.lead(caller.tenant_id, lead_id)
            visible = lead is not None and await _may_see(uow, caller, lead)
            if lead is None or (caller.role == "rep" and lead.get("owner_id") != caller.user_id) or not visible:
                raise NotFound(f"lead {lead_id} not found")
            change = await uow.routing.latest_owner_change(caller.tenant_id, lead_id)
            if change is not None:
                assignment = (
                    await uow.routing.assignment(caller.tenant_id, change.assignment_id)
                    if change.assignment_id
                    else None
                )
            else:  # owner changes from before they were recorded: the latest assignment
                assignment = await uow.routing.latest_assignment(caller.tenant_id, lead_id)
        if change is None and assignment is None:
            raise NotFound(f"lead {lead_id} has never had an owner")
        return change, assignment, Explanation.from_json(assignment["explanation"]) if assignment else None

    # ------------------------------------------------------------ events

    async def lead_changed(self, uow: RoutingUnitOfWork, tenant_id: str, lead_id: str) -> None:
        """A lead created or merged: score it now rather than at the next hour,
        and assign it at once if its route says so."""
        await self._rerank(uow, tenant_id, [lead_id], auto_assign=True)

    async def rep_changed(self, uow: RoutingUnitOfWork, tenant_id: str) -> None:
        """A profile change may move every lead's ranking: the prompt job re-ranks
        the pool (one re-rank for a run of changes, e.g. a team imported)."""
        await uow.routing.request_rerank(tenant_id, "rep profile", uow.clock.now())

    async def opportunity_won(self, uow: RoutingUnitOfWork, tenant_id: str, values: dict[str, Any]) -> None:
        """A won customer's location counts for the rep's 近3月成交客户位置."""
        if values["rep_id"]:
            await uow.routing.record_win(tenant_id, values)


def _auto_route(cr: CompiledRoute | None) -> bool:
    return cr is not None and cr.route.auto_assign


def _count_assignments(done: Sequence[Mapping[str, Any]]) -> None:
    for a in done:
        ASSIGNMENTS.labels(a["tenant_id"], a["rep_id"], a["mode"]).inc()


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InvalidArgument.field("kind", f"must be one of {', '.join(KINDS)}")


async def _may_see(uow: RoutingUnitOfWork, caller: Caller, lead: Mapping[str, Any]) -> bool:
    """As Lead.visible_to: admins see the tenant's leads; a manager the pool,
    their own and their reps'; a rep their own and the pool; partners none here."""
    owner = lead.get("owner_id")
    if caller.role in ("admin", "system"):
        return True
    if caller.role not in ("rep", "manager"):
        return False
    if owner in (None, caller.user_id):
        return True
    if caller.role == "manager":
        return await uow.routing.manager_of(caller.tenant_id, owner) == caller.user_id
    return False
