"""Use cases of matching: the tenant's rules, a run over the unmatched credit
lines, the suggestions, rejecting one. Finance and admins only (the lines
and instalments of the whole tenant are involved).

A run stores every match it finds as a suggestion, its confidence in the
evidence; confirming (a receipt through F1's ReceiptHandlers.record_in in
the same transaction) is not wired yet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound
from crm_shared.ids import new_id

from finance_reconciliation.domain.access import RECORDERS
from finance_reconciliation.domain.match_rule import MatchRule, RuleError, default_rules, validate_rule
from finance_reconciliation.domain.matching import (
    SUGGESTED,
    MatchStateError,
    StoredMatch,
    match_lines,
    next_status,
)
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

UowFactory = Callable[[], FinanceUnitOfWork]
MAX_REASON = 500


@dataclass(frozen=True)
class RunReport:
    lines: int
    open_instalments: int
    suggestions: list[StoredMatch]


class MatchingHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def rules(self, caller: Caller) -> list[MatchRule]:
        """The tenant's rules in order; the defaults until it stores its own."""
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            return await uow.match_rules.list(caller.tenant_id) or default_rules(caller.tenant_id)

    async def save_rule(self, caller: Caller, rule: MatchRule) -> MatchRule:
        caller.require_role(*RECORDERS)
        replacing = bool(rule.rule_id)
        rule = replace(rule, tenant_id=caller.tenant_id, rule_id=rule.rule_id or new_id())
        try:
            validate_rule(rule)
        except RuleError as err:
            raise InvalidArgument.field(err.field, err.message) from None
        async with self.uow() as uow:
            # Replacing names a stored rule: an unknown (or made-up, over-long) id is not found, never inserted.
            if replacing and await uow.match_rules.get(caller.tenant_id, rule.rule_id) is None:
                raise NotFound(f"rule {rule.rule_id} not found")
            await uow.match_rules.save(rule, caller.user_id, uow.clock.now())
            await uow.commit()
        return rule

    async def delete_rule(self, caller: Caller, rule_id: str) -> None:
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            if not await uow.match_rules.delete(caller.tenant_id, rule_id):
                raise NotFound(f"rule {rule_id} not found")
            await uow.commit()

    async def run(self, caller: Caller) -> RunReport:
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            rules = await uow.match_rules.list(caller.tenant_id) or default_rules(caller.tenant_id)
            items = await uow.matches.open_items(caller.tenant_id)
            lines = await uow.matches.unmatched_credits(caller.tenant_id)
            currency = {ln.line_id: ln.currency for ln in lines}
            now = uow.clock.now()
            found = [
                StoredMatch(
                    new_id(), caller.tenant_id, m.line_id, m.allocations,
                    sum(a.amount_minor for a in m.allocations), currency[m.line_id], m.rule_id, m.rule_kind,
                    m.score, {**m.evidence, "confident": m.confident}, SUGGESTED, caller.user_id, now,
                )
                for m in match_lines(rules, items, lines)
            ]
            # F2's line status says the line is offered. Compare-and-set from unmatched only: a line another
            # run offered meanwhile (or finance ignored) is skipped, so two runs never suggest one line twice.
            stored = [m for m in found
                      if await uow.statements.set_line_status(m.tenant_id, m.line_id, SUGGESTED, "unmatched")]
            await uow.matches.add_all(stored)
            await uow.commit()
        return RunReport(len(lines), len(items), stored)

    async def suggestions(self, caller: Caller, after: str = "", limit: int = 100) -> list[StoredMatch]:
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            return await uow.matches.list(caller.tenant_id, SUGGESTED, after=after, limit=min(max(limit, 1), 500))

    async def reject(self, caller: Caller, match_id: str, reason: str) -> StoredMatch:
        """The line is offered again in the next run; the rejected match stays, with who, when and why."""
        caller.require_role(*RECORDERS)
        reason = reason.strip()
        if not reason or len(reason) > MAX_REASON:
            raise InvalidArgument.field("reason", f"1 to {MAX_REASON} characters")
        async with self.uow() as uow:
            m = await uow.matches.get(caller.tenant_id, match_id, for_update=True)
            if m is None:
                raise NotFound(f"match {match_id} not found")
            try:
                status = next_status("reject", m.status)
            except MatchStateError as err:
                raise FailedPrecondition(str(err)) from None
            done = await uow.matches.set_status(m, status, expected=m.status, reason=reason,
                                                by=caller.user_id, at=uow.clock.now())
            if done is None:
                raise Conflict(f"match {match_id} changed meanwhile; try again")
            await uow.statements.set_line_status(m.tenant_id, m.line_id, "unmatched", SUGGESTED)
            await uow.commit()
        return done
