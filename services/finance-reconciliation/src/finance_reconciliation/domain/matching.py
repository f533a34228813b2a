"""Matching statement lines (credits) to open instalments: pure, on views.

Rules run in the tenant's order; each sees only the lines no earlier rule
took and the instalments' amounts still open after earlier matches in the
same run (so several lines can pay one instalment, and one line several).

- contract_ref: the line pays that contract's open instalments oldest due
  first. Its amount within tolerance of the first k outstanding amounts
  settles those k (the k-th takes the difference); less than the first is a
  partial payment of it; more than everything open is an overpayment (left
  on the last one, a suggestion).
- payer_amount / amount_window: one line to one instalment. Candidates are
  found by amount (a sorted index, never a scan), then filtered by name or
  date. Lines and instalments that share candidates form groups; each group
  is resolved by `resolve` (scipy's linear_sum_assignment, maximising the sum
  of scores) rather than first come, first served. A payer named exactly
  whose amount fits nothing is offered as part of its oldest due instalment.

A match is `confident` when its score reaches the rule's auto_score and no
other candidate of its line or instalment came within TIE of it; the others
are suggestions for finance, with the score and the evidence.

Names are compared in payer_names.py, groups resolved in assignment.py; a stored
match and its transitions are match_state.py, what a confirm records match_confirm.py."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from finance_reconciliation.domain.assignment import resolve
from finance_reconciliation.domain.match_rule import (
    AMOUNT_ONLY_CAP,
    AMOUNT_WINDOW,
    CONTRACT_REF,
    PAYER_AMOUNT,
    MatchRule,
)
from finance_reconciliation.domain.payer_names import name_score, normalise_name

TIE = 0.02
PARTIAL_BY_PAYER = 0.6  # a payer's part payment without a contract number: always a suggestion by default


def ref_key(ref: str) -> str:
    """A contract reference as compared: customers write "ht2025-018" as often as "HT2025-018"."""
    return ref.strip().upper()


@dataclass(frozen=True)
class OpenItem:
    """An instalment as matching sees it (built from the instalments and contracts tables)."""

    instalment_id: str
    contract_id: str
    contract_ref: str  # the contract number people write in remarks (its version label when it has none)
    customer_name: str
    due_on: date | None
    outstanding_minor: int
    currency: str
    seq: int = 0


@dataclass(frozen=True)
class Line:
    line_id: str
    booked_on: date
    amount_minor: int
    currency: str
    counterparty_name: str = ""
    remark: str = ""


@dataclass(frozen=True)
class Allocation:
    instalment_id: str
    amount_minor: int


@dataclass(frozen=True)
class Match:
    line_id: str
    allocations: tuple[Allocation, ...]
    rule_id: str
    rule_kind: str
    score: float
    confident: bool
    evidence: dict = field(default_factory=dict, compare=False)


def _closeness(diff: int, allowed: int) -> float:
    """1 for the exact amount, down to 0.5 at the edge of the tolerance."""
    return 1.0 if diff == 0 else 1.0 - 0.5 * min(1.0, abs(diff) / max(allowed, 1))


class Matcher:
    """One run: `run(rules, lines)` against the open items given at construction."""

    def __init__(self, items: Iterable[OpenItem]) -> None:
        self.items = {it.instalment_id: it for it in items}
        self.open = {k: it.outstanding_minor for k, it in self.items.items() if it.outstanding_minor > 0}
        by_ref: dict[str, list[OpenItem]] = defaultdict(list)
        for it in self.items.values():
            if it.contract_ref:
                by_ref[ref_key(it.contract_ref)].append(it)
        for group in by_ref.values():
            group.sort(key=lambda it: (it.due_on or date.max, it.seq, it.instalment_id))
        self.by_ref = dict(by_ref)

    def run(self, rules: Sequence[MatchRule], lines: Iterable[Line]) -> list[Match]:
        remaining = sorted((ln for ln in lines if ln.amount_minor > 0), key=lambda ln: (ln.booked_on, ln.line_id))
        matches: list[Match] = []
        for rule in sorted((r for r in rules if r.enabled), key=lambda r: (r.position, r.rule_id)):
            if rule.kind == CONTRACT_REF:
                found = self._by_contract(rule, remaining)
            else:
                found = self._by_assignment(rule, remaining)
            taken = {m.line_id for m in found}
            matches += found
            remaining = [ln for ln in remaining if ln.line_id not in taken]
        return matches

    # -- contract number in the remark ------------------------------------------------------------
    def _by_contract(self, rule: MatchRule, lines: list[Line]) -> list[Match]:
        pattern = rule.compiled()
        out = []
        for ln in lines:
            for hit in pattern.finditer(ln.remark):
                ref = hit.group(1) if pattern.groups else hit.group(0)
                group = [it for it in self.by_ref.get(ref_key(ref), ()) if self.open.get(it.instalment_id, 0) > 0
                         and it.currency == ln.currency]
                if group:
                    out.append(self._pay_oldest_first(rule, ln, ref, group))
                    break
        return out

    def _pay_oldest_first(self, rule: MatchRule, ln: Line, ref: str, group: list[OpenItem]) -> Match:
        amounts = [self.open[it.instalment_id] for it in group]
        settles = 0
        running = 0
        for k, a in enumerate(amounts, start=1):
            running += a
            if rule.tolerance.accepts(ln.amount_minor, running):
                settles = k
                break
            if running > ln.amount_minor:
                break
        total = sum(amounts)
        left = ln.amount_minor
        allocations = []
        last = settles or len(group)
        for k, (it, a) in enumerate(zip(group, amounts, strict=True), start=1):
            if left <= 0 or k > last:
                break
            take = left if k == last else min(a, left)
            allocations.append(Allocation(it.instalment_id, take))
            left -= take
        for al in allocations:
            self.open[al.instalment_id] = max(0, self.open[al.instalment_id] - al.amount_minor)
        if settles:
            kind, score = "settles", 1.0
            expected = sum(amounts[:settles])
        elif ln.amount_minor > total:
            kind, score, expected = "overpays", 0.7, total
        else:
            kind, score, expected = "partial", 0.95, ln.amount_minor
        evidence = {"contract_ref": ref, "payment": kind, "instalments": len(allocations),
                    "difference_minor": ln.amount_minor - expected}
        return Match(ln.line_id, tuple(allocations), rule.rule_id, rule.kind, score,
                     score >= rule.auto_score, evidence)

    # -- one line to one instalment, resolved per group -------------------------------------------
    def _by_assignment(self, rule: MatchRule, lines: list[Line]) -> list[Match]:
        live = sorted((self.open[k], k) for k in self.open if self.open[k] > 0)
        amounts = [a for a, _ in live]
        edges: list[tuple[int, str, float, dict]] = []
        by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
        if rule.kind == PAYER_AMOUNT:
            for a, key in live:
                by_name[normalise_name(self.items[key].customer_name)].append((a, key))
        for li, ln in enumerate(lines):
            if rule.kind == PAYER_AMOUNT:
                payer = normalise_name(ln.counterparty_name)
                if not payer:
                    continue
                # The same name once suffixes are cut: only that customer's items, no fuzzy pass.
                pool = by_name.get(payer)
            else:
                pool = None
            exact_payer = pool is not None
            if pool is None:
                lo, hi = rule.tolerance.widest(ln.amount_minor)
                pool = live[bisect_left(amounts, lo): bisect_right(amounts, hi)]
            before = len(edges)
            for a, key in pool:
                it = self.items[key]
                if it.currency != ln.currency or not rule.tolerance.accepts(ln.amount_minor, a):
                    continue
                under, over = rule.tolerance.allowed(a)
                diff = ln.amount_minor - a
                amount_fit = _closeness(diff, over if diff > 0 else under)
                if rule.kind == PAYER_AMOUNT:
                    ns = name_score(ln.counterparty_name, it.customer_name, rule.min_name_score)
                    if not ns:
                        continue
                    score = 0.6 * ns / 100 + 0.4 * amount_fit
                    ev = {"name_score": round(ns, 1), "payment": "settles", "difference_minor": diff}
                elif rule.kind == AMOUNT_WINDOW:
                    if it.due_on is None or abs((ln.booked_on - it.due_on).days) > rule.window_days:
                        continue
                    days = abs((ln.booked_on - it.due_on).days)
                    score = AMOUNT_ONLY_CAP * (0.6 * amount_fit + 0.4 * (1 - days / (rule.window_days + 1)))
                    ev = {"days_from_due": (ln.booked_on - it.due_on).days, "payment": "settles",
                          "difference_minor": diff}
                else:
                    continue
                edges.append((li, key, round(score, 4), ev))
            if exact_payer and len(edges) == before:
                edges += self._partial_by_payer(ln, li, pool)
        return self._assign(rule, lines, edges)

    def _partial_by_payer(self, ln: Line, li: int, pool: list[tuple[int, str]]) -> list[tuple[int, str, float, dict]]:
        """The customer named exactly, no amount fitting: part of its oldest due instalment, as a suggestion."""
        owed = [(self.items[k].due_on or date.max, self.items[k].seq, k, a) for a, k in pool
                if self.items[k].currency == ln.currency and a > ln.amount_minor]
        if not owed:
            return []
        *_, key, a = min(owed)
        return [(li, key, PARTIAL_BY_PAYER, {"name_score": 100.0, "payment": "partial",
                                            "difference_minor": ln.amount_minor - a})]

    def _assign(self, rule: MatchRule, lines: list[Line], edges: list[tuple[int, str, float, dict]]) -> list[Match]:
        parent: dict[object, object] = {}

        def find(x: object) -> object:
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for li, key, _, _ in edges:
            parent[find(("l", li))] = find(("i", key))
        groups: dict[object, list[tuple[int, str, float, dict]]] = defaultdict(list)
        for e in edges:
            groups[find(("l", e[0]))].append(e)
        best_other_l: dict[int, list[float]] = defaultdict(list)
        best_other_i: dict[str, list[float]] = defaultdict(list)
        for li, key, s, _ in edges:
            best_other_l[li].append(s)
            best_other_i[key].append(s)
        out = []
        for group in groups.values():
            ls = sorted({e[0] for e in group})
            ks = sorted({e[1] for e in group})
            li_ix = {v: n for n, v in enumerate(ls)}
            k_ix = {v: n for n, v in enumerate(ks)}
            ev_of = {(e[0], e[1]): e[3] for e in group}
            chosen = resolve(len(ls), len(ks), [(li_ix[e[0]], k_ix[e[1]], e[2]) for e in group])
            for i, j, s in chosen:
                li, key = ls[i], ks[j]
                rivals = sorted(best_other_l[li], reverse=True)[1:2] + sorted(best_other_i[key], reverse=True)[1:2]
                tied = any(r >= s - TIE for r in rivals)
                evidence = dict(ev_of[(li, key)], candidates=len(best_other_l[li]), group=[len(ls), len(ks)])
                if tied:
                    evidence["ambiguous"] = True
                ln = lines[li]
                amount = ln.amount_minor
                self.open[key] = max(0, self.open[key] - amount)
                out.append(Match(ln.line_id, (Allocation(key, amount),), rule.rule_id, rule.kind, s,
                                 s >= rule.auto_score and not tied, evidence))
        return out


def match_lines(rules: Sequence[MatchRule], items: Iterable[OpenItem], lines: Iterable[Line]) -> list[Match]:
    return Matcher(items).run(rules, lines)
