"""Use cases of matching: the tenant's rules, a run over the unmatched credit
lines, confirming, rejecting and reversing matches. Finance and admins only
(the lines and instalments of the whole tenant are involved).

A run stores every match it finds (suggested, the line offered), then confirms
the confident ones itself through the same path as finance's confirm, up to
confirm_batch of them per unit of work (read and locked in bulk, each in its
own savepoint: a refused one rolls back alone; a batch whose transaction
fails as a whole is confirmed again one by one); one the receipt lock refuses
stays a suggestion with the refusal in its evidence.
Confirming writes the receipts (F1's ReceiptHandlers.record_in, one per
allocation, with the rule's over tolerance), the write-off of an underpayment
the rule accepted as settling, the match and the line in ONE unit of work with
payment.reconciled; any refusal changes nothing. Reversing reverses every
receipt (F1's reverse_in, which takes the receipt's write-offs with it) in one unit of work with
payment.unreconciled; the line is unmatched again."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm_shared import paging
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.db import in_chunks
from crm_shared.domain.errors import (
    Conflict,
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    Violation,
)
from crm_shared.ids import new_id

from finance_reconciliation.domain.access import RECORDERS
from finance_reconciliation.domain.match_confirm import StaleMatch, receipt_steps
from finance_reconciliation.domain.match_rule import MatchRule, RuleError, default_rules, validate_rule
from finance_reconciliation.domain.match_state import (
    CONFIRMED,
    REVERSED,
    STATUSES,
    SUGGESTED,
    MatchStateError,
    StoredMatch,
    evidence_of,
    next_status,
    not_again,
)
from finance_reconciliation.domain.matching import Allocation, match_lines
from finance_reconciliation.domain.plan import Instalment
from finance_reconciliation.domain.receipt import REJECTED, STATEMENT
from finance_reconciliation.domain.receipt import REVERSED as RECEIPT_REVERSED
from finance_reconciliation.domain.statement import StatementLine
from finance_reconciliation.service_layer.aging import publish_customer_stats
from finance_reconciliation.service_layer.receipts import ReceiptHandlers, RecordReceipt
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

log = logging.getLogger(__name__)
UowFactory = Callable[[], FinanceUnitOfWork]
MAX_REASON = 500
DEFAULT_MAX_LINES = 200_000
# Confident matches a run confirms per unit of work: bounded so a batch holds its locks (SQLite's writer) briefly.
DEFAULT_CONFIRM_BATCH = 100
# The periodic run acts for the tenant's finance under this user id (receipts, postings and events name it).
JOB_USER = "finance-matching"
UNNAMED_PAYER = "（流水未注明付款方）"


@dataclass(frozen=True)
class RunReport:
    lines: int
    open_instalments: int
    suggestions: list[StoredMatch]
    confirmed: list[StoredMatch]
    more: bool = False


@dataclass
class _Batch:
    """What a batch of confirms read in one query each, locked: its matches still suggested, their lines, and
    their instalments as they were before the batch (one a confirm of the batch touched is read again)."""

    matches: dict[str, StoredMatch]
    lines: dict[str, StatementLine]
    instalments: dict[str, Instalment]
    touched: set[str] = field(default_factory=set)


def _refused(err: DomainError) -> list[dict]:
    """Why a run could not confirm a match, for its evidence: the lock's violations, or the field refused."""
    out = []
    for v in getattr(err, "violations", []):
        if isinstance(v, Violation):
            out.append({"type": v.type, "subject": v.subject, "description": v.description})
        else:
            out.append({"type": v.field, "subject": "", "description": v.description})
    return out or [{"type": "match", "subject": "", "description": err.message}]


class MatchingHandlers:
    def __init__(self, uow: UowFactory, receipts: ReceiptHandlers, max_lines: int = DEFAULT_MAX_LINES,
                 confirm_batch: int = DEFAULT_CONFIRM_BATCH) -> None:
        self.uow = uow
        self.receipts = receipts
        self.max_lines = max_lines
        self.confirm_batch = max(1, confirm_batch)

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

    # -- a run ----------------------------------------------------------------------------------------
    async def run(self, caller: Caller) -> RunReport:
        """At most max_lines unmatched lines, oldest booked first (the rest next run): every match stored, the
        confident ones then confirmed by the run itself, confirm_batch per unit of work."""
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            rules = await uow.match_rules.list(caller.tenant_id) or default_rules(caller.tenant_id)
            items = await uow.matches.open_items(caller.tenant_id, business_day(uow.clock.now()))
            lines = await uow.matches.unmatched_credits(caller.tenant_id, self.max_lines + 1)
            more, lines = len(lines) > self.max_lines, lines[: self.max_lines]
            currency = {ln.line_id: ln.currency for ln in lines}
            by_id = {r.rule_id: r for r in rules}
            dropped = await uow.matches.dropped(caller.tenant_id)
            now = uow.clock.now()
            found = [
                StoredMatch(
                    new_id(), caller.tenant_id, m.line_id, m.allocations,
                    sum(a.amount_minor for a in m.allocations), currency[m.line_id], m.rule_id, m.rule_kind,
                    m.score, evidence_of(m, by_id[m.rule_id]), SUGGESTED, caller.user_id, now,
                    confident=m.confident,
                )
                for m in not_again(match_lines(rules, items, lines), dropped)
            ]
            # F2's line status says the line is offered. Compare-and-set from unmatched only: a line another
            # run offered meanwhile (or finance ignored) is skipped, so two runs never suggest one line twice.
            offered = await uow.statements.set_lines_status(caller.tenant_id, [m.line_id for m in found], SUGGESTED,
                                                             "unmatched")
            stored = [m for m in found if m.line_id in offered]
            await uow.matches.add_all(stored)
            await uow.commit()
        confirmed, kept = await self._confirm_confident(caller)
        done = {m.match_id for m in confirmed}
        suggestions = [kept.get(m.match_id, m) for m in stored if m.match_id not in done]
        return RunReport(len(lines), len(items), suggestions, confirmed, more)

    async def _confirm_confident(self, caller: Caller) -> tuple[list[StoredMatch], dict[str, StoredMatch]]:
        """This run's confident matches and any an earlier run stored without getting to them (it stopped):
        those confirmed, and those kept as suggestions with why (by match id)."""
        async with self.uow() as uow:
            waiting = await uow.matches.confident_suggestions(caller.tenant_id, self.max_lines)
        confirmed: list[StoredMatch] = []
        kept: dict[str, StoredMatch] = {}
        for batch in in_chunks(waiting, self.confirm_batch):
            try:
                done, held = await self._confirm_batch(caller, list(batch))
            except Exception:  # the batch's transaction as a whole (a deadlock, a lost connection): one by one
                log.warning("matching: a batch of %d confirms failed; confirming them one by one", len(batch),
                            exc_info=True)
                done, held = await self._confirm_each(caller, list(batch))
            confirmed += done
            kept.update(held)
        return confirmed, kept

    async def _confirm_batch(self, caller: Caller, batch: list[StoredMatch]
                             ) -> tuple[list[StoredMatch], dict[str, StoredMatch]]:
        """One unit of work: the batch's matches, lines and instalments read (and locked) in one query each,
        each match confirmed in its own savepoint (a refused one changes nothing and is kept for finance),
        the customers' payment figures published once each at the end, one commit."""
        tenant = caller.tenant_id
        confirmed, kept = [], {}
        async with self.uow() as uow:
            uow.stats_later = set()
            found = await uow.matches.lock_suggested(tenant, [m.match_id for m in batch])
            pre = _Batch(
                found,
                await uow.matches.lines(tenant, [m.line_id for m in found.values()]),
                await uow.plans.instalments_by_id(
                    tenant, [a.instalment_id for m in found.values() for a in m.allocations], for_update=True),
            )
            for m in batch:
                if m.match_id not in found:
                    continue  # finance (or another run) acted on it meanwhile
                try:
                    async with uow.session.begin_nested():
                        confirmed.append(await self._confirm_in(uow, caller, m.match_id, True, pre))
                except Conflict:
                    continue
                except (FailedPrecondition, NotFound, InvalidArgument) as err:  # kept for finance, never retried
                    evidence = {**m.evidence, "confident": False, "refused": _refused(err)}
                    if await uow.matches.not_confident(m, evidence):
                        kept[m.match_id] = replace(m, confident=False, evidence=evidence)
            customers, uow.stats_later = uow.stats_later, None
            for tenant_id, customer_id in sorted(customers):
                await publish_customer_stats(uow, tenant_id, customer_id)
            await uow.commit()
        return confirmed, kept

    async def _confirm_each(self, caller: Caller, batch: list[StoredMatch]
                            ) -> tuple[list[StoredMatch], dict[str, StoredMatch]]:
        """The batch one match per unit of work (how a failed batch is retried)."""
        confirmed, kept = [], {}
        for m in batch:
            try:
                confirmed.append(await self.confirm(caller, m.match_id, auto=True))
            except Conflict:
                continue  # finance (or another run) acted on it meanwhile
            except (FailedPrecondition, NotFound, InvalidArgument) as err:  # kept for finance, never retried
                evidence = {**m.evidence, "confident": False, "refused": _refused(err)}
                async with self.uow() as uow:
                    if await uow.matches.not_confident(m, evidence):
                        kept[m.match_id] = replace(m, confident=False, evidence=evidence)
                    await uow.commit()
        return confirmed, kept

    # -- what finance does with a match ---------------------------------------------------------------
    async def confirm(self, caller: Caller, match_id: str, *, auto: bool = False) -> StoredMatch:
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            done = await self._confirm_in(uow, caller, match_id.strip(), auto)
            await uow.commit()
        return done

    async def _confirm_in(self, uow: FinanceUnitOfWork, caller: Caller, match_id: str, auto: bool,
                          batch: _Batch | None = None) -> StoredMatch:
        tenant = caller.tenant_id
        if batch is None:
            m = await self._transition(uow, tenant, match_id, "confirm")
            line = await uow.statements.get_line(tenant, m.line_id)
        else:  # read and locked with its batch, still suggested then
            m, line = batch.matches[match_id], batch.lines.get(batch.matches[match_id].line_id)
        assert line is not None  # a match names a stored line of its tenant
        insts = {}
        for a in m.allocations:
            if batch is not None and a.instalment_id not in batch.touched:
                inst = batch.instalments.get(a.instalment_id)
            else:  # on its own, or paid by an earlier confirm of the batch: as it is now
                inst = await uow.plans.instalment(tenant, a.instalment_id, for_update=True)
            if batch is not None:
                batch.touched.add(a.instalment_id)
            if inst is None:
                raise FailedPrecondition(f"match {match_id}: instalment {a.instalment_id} is gone",
                                         [Violation("instalment", a.instalment_id, "is not known to finance")])
            insts[a.instalment_id] = inst
        try:
            steps = receipt_steps(m, {k: i.outstanding_minor for k, i in insts.items()})
        except StaleMatch as err:
            raise FailedPrecondition(str(err), [Violation("match", match_id, str(err))]) from None
        receipt_ids, write_offs = [], []
        for step in steps:
            inst = insts[step.instalment_id]
            receipt = await self.receipts.record_in(uow, caller, RecordReceipt(
                contract_id=inst.contract_id, contract_version_id=inst.contract_version_id,
                instalment_id=inst.instalment_id, amount_minor=step.amount_minor, currency=m.currency,
                payer_name=line.counterparty_name.strip() or UNNAMED_PAYER,
                equipment=(),  # a statement receipt stands for the version's own list: the bank sends none
                paid_on=line.booked_on.isoformat(), reference=line.bank_ref, source=STATEMENT,
                statement_line_id=line.line_id, over_tolerance_minor=step.over_tolerance_minor,
            ))
            receipt_ids.append(receipt.receipt_id)
            if step.write_off_minor:
                await self.receipts.write_off_in(
                    uow, caller, inst.instalment_id, step.write_off_minor,
                    f"对账核销：流水 {line.bank_ref} 少付 {step.write_off_minor} 分，在匹配规则容差内（匹配 {m.match_id}）",
                    receipt_id=receipt.receipt_id,
                )
                write_offs.append(Allocation(inst.instalment_id, step.write_off_minor))
        if not await uow.statements.set_line_status(tenant, m.line_id, "matched", SUGGESTED):
            raise Conflict(f"statement line {m.line_id} changed meanwhile; try again")
        now = uow.clock.now()
        done = await uow.matches.set_status(
            m, CONFIRMED, expected=SUGGESTED, by=caller.user_id, at=now, receipt_ids=tuple(receipt_ids),
            write_offs=tuple(write_offs), auto=auto, confirmed_by=caller.user_id, confirmed_at=now,
        )
        if done is None:
            raise Conflict(f"match {match_id} changed meanwhile; try again")
        await uow.publish("payment.reconciled", tenant, done.match_id, finance_pb2.PaymentReconciled(
            match_id=done.match_id, line_id=done.line_id, statement_id=line.statement_id,
            receipt_ids=done.receipt_ids,
            allocations=[finance_pb2.ReconciledAllocation(instalment_id=a.instalment_id, amount_minor=a.amount_minor)
                         for a in done.allocations],
            amount=Money(amount_minor=done.amount_minor, currency=done.currency), rule_kind=done.rule_kind,
            score=done.score, confirmed_by=caller.user_id, auto=auto,
            write_offs=[finance_pb2.ReconciledAllocation(instalment_id=a.instalment_id, amount_minor=a.amount_minor)
                        for a in done.write_offs],
        ))
        return done

    async def reject(self, caller: Caller, match_id: str, reason: str) -> StoredMatch:
        """The line is offered again in the next run; the rejected match stays, with who, when and why."""
        caller.require_role(*RECORDERS)
        why = _reason(reason)
        async with self.uow() as uow:
            m = await self._transition(uow, caller.tenant_id, match_id, "reject")
            done = await uow.matches.set_status(m, next_status("reject", m.status), expected=m.status, reason=why,
                                                by=caller.user_id, at=uow.clock.now())
            if done is None:
                raise Conflict(f"match {match_id} changed meanwhile; try again")
            await uow.statements.set_line_status(m.tenant_id, m.line_id, "unmatched", SUGGESTED)
            await uow.commit()
        return done

    async def reverse(self, caller: Caller, match_id: str, reason: str) -> StoredMatch:
        """Every receipt of a confirmed match reversed (a receipt reversed on its own before is left as it is),
        the line unmatched again, in one unit of work; the match stays, reversed, with who, when and why."""
        caller.require_role(*RECORDERS)
        why = _reason(reason)
        async with self.uow() as uow:
            m = await self._transition(uow, caller.tenant_id, match_id, "reverse")
            for receipt_id in m.receipt_ids:
                receipt = await uow.receipts.get(caller.tenant_id, receipt_id, for_update=True)
                if receipt is not None and receipt.status not in (RECEIPT_REVERSED, REJECTED):
                    await self.receipts.reverse_in(uow, caller, receipt_id, why)
            line = await uow.statements.get_line(caller.tenant_id, m.line_id)
            assert line is not None
            if not await uow.statements.set_line_status(caller.tenant_id, m.line_id, "unmatched", "matched"):
                raise Conflict(f"statement line {m.line_id} changed meanwhile; try again")
            done = await uow.matches.set_status(m, REVERSED, expected=CONFIRMED, reason=why, by=caller.user_id,
                                                at=uow.clock.now())
            if done is None:
                raise Conflict(f"match {match_id} changed meanwhile; try again")
            await uow.publish("payment.unreconciled", caller.tenant_id, done.match_id,
                              finance_pb2.PaymentUnreconciled(
                                  match_id=done.match_id, line_id=done.line_id, statement_id=line.statement_id,
                                  receipt_ids=done.receipt_ids,
                                  amount=Money(amount_minor=done.amount_minor, currency=done.currency),
                                  reason=why, reversed_by=caller.user_id))
            await uow.commit()
        return done

    async def _transition(self, uow: FinanceUnitOfWork, tenant_id: str, match_id: str, action: str) -> StoredMatch:
        """The match, locked, when `action` may move it; else NotFound / FailedPrecondition."""
        m = await uow.matches.get(tenant_id, match_id, for_update=True) if len(match_id) <= 64 else None
        if m is None:
            raise NotFound(f"match {match_id} not found")
        try:
            next_status(action, m.status)
        except MatchStateError as err:
            raise FailedPrecondition(str(err), [Violation("match", match_id, str(err))]) from None
        return m

    # -- reading --------------------------------------------------------------------------------------
    async def suggestions(self, caller: Caller, after: str = "", limit: int = 100) -> list[StoredMatch]:
        caller.require_role(*RECORDERS)
        async with self.uow() as uow:
            return await uow.matches.list(caller.tenant_id, SUGGESTED, after=after, limit=min(max(limit, 1), 500))

    async def listed(self, caller: Caller, status: str = "", page_size: int = 0,
                     page_token: str = "") -> tuple[list[StoredMatch], str]:
        """One page of the tenant's matches (of one status, or all), oldest first, and the next page's token."""
        caller.require_role(*RECORDERS)
        if status and status not in STATUSES:
            raise InvalidArgument.field("status", f"one of {', '.join(STATUSES)}")
        size = paging.page_size(page_size)
        key = paging.decode_key(page_token, 0)
        async with self.uow() as uow:
            found = await uow.matches.list(caller.tenant_id, status, after=key[1] if key else "", limit=size + 1)
        page = found[:size]
        return page, paging.encode_key((), page[-1].match_id) if len(found) > size else ""


def _reason(reason: str) -> str:
    why = reason.strip()
    if not why or len(why) > MAX_REASON:
        raise InvalidArgument.field("reason", f"1 to {MAX_REASON} characters")
    return why
