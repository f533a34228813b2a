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
are suggestions for finance, with the score and the evidence."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from finance_reconciliation.domain.match_rule import (
    AMOUNT_ONLY_CAP,
    AMOUNT_WINDOW,
    CONTRACT_REF,
    PAYER_AMOUNT,
    MatchRule,
    Tolerance,
)

TIE = 0.02
PARTIAL_BY_PAYER = 0.6  # a payer's part payment without a contract number: always a suggestion by default
DENSE_CELLS = 2_000_000  # a larger group is resolved on a sparse graph (same optimum, no n x m matrix)
_NO_EDGE = -1e6
# Longest first, so 股份有限公司 goes before 有限公司.
COMPANY_SUFFIXES = sorted(
    ["股份有限公司", "有限责任公司", "有限公司", "集团股份有限公司", "集团有限公司", "集团", "股份公司",
     "分公司", "公司", "厂", "co., ltd.", "co.,ltd.", "co. ltd", "co ltd", "ltd.", "ltd", "inc.", "inc",
     "limited", "corp.", "corporation", "group"],
    key=len, reverse=True,
)
_PUNCT = re.compile(r"[\s()（）\[\]【】,，.。·\-_/]+")


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


@lru_cache(maxsize=65_536)
def normalise_name(name: str) -> str:
    """Lower case, no punctuation or spaces, company suffixes cut (repeatedly: 某某集团有限公司 → 某某)."""
    s = _PUNCT.sub("", name.strip().lower())
    cut = True
    while cut and s:
        cut = False
        for suffix in COMPANY_SUFFIXES:
            key = _PUNCT.sub("", suffix)
            if s.endswith(key) and len(s) > len(key):
                s, cut = s[: -len(key)], True
                break
    return s


def name_score(a: str, b: str, cutoff: float = 0) -> float:
    return fuzz.ratio(normalise_name(a), normalise_name(b), score_cutoff=cutoff)


def _closeness(diff: int, allowed: int) -> float:
    """1 for the exact amount, down to 0.5 at the edge of the tolerance."""
    return 1.0 if diff == 0 else 1.0 - 0.5 * min(1.0, abs(diff) / max(allowed, 1))


def resolve(n_lines: int, n_items: int, edges: Sequence[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The one-to-one choice of edges (line, item, score) with the largest total score."""
    if not edges:
        return []
    if n_lines * n_items > DENSE_CELLS:
        return _resolve_sparse(n_lines, n_items, edges)
    m = np.full((n_lines, n_items), _NO_EDGE)
    for i, j, s in edges:
        m[i, j] = max(m[i, j], s)
    rows, cols = linear_sum_assignment(m, maximize=True)
    return [(int(i), int(j), float(m[i, j])) for i, j in zip(rows, cols, strict=True) if m[i, j] > _NO_EDGE]


def _resolve_sparse(n_lines: int, n_items: int, edges: Sequence[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The same optimum for a large group without a dense matrix: every line also gets a
    dummy item of its own (score 0), so all lines can be matched, and the cost 2 - score
    (positive: scipy reads a zero as no edge) is minimised."""
    best: dict[tuple[int, int], float] = {}
    for i, j, s in edges:
        best[(i, j)] = max(best.get((i, j), s), s)
    rows = [i for i, _ in best] + list(range(n_lines))
    cols = [j for _, j in best] + [n_items + i for i in range(n_lines)]
    cost = [2.0 - s for s in best.values()] + [2.0] * n_lines
    graph = csr_matrix((cost, (rows, cols)), shape=(n_lines, n_items + n_lines))
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
    return [(int(i), int(j), best[(int(i), int(j))])
            for i, j in zip(matched_rows, matched_cols, strict=True) if j < n_items]


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


# -- a stored match and what finance may do with it ------------------------------------------------
SUGGESTED = "suggested"
CONFIRMED = "confirmed"
REJECTED = "rejected"
REVERSED = "reversed"
STATUSES = (SUGGESTED, CONFIRMED, REJECTED, REVERSED)
# confirm: a suggestion becomes receipts; reject: a suggestion is dropped; reverse: a confirmed match is undone.
TRANSITIONS = {("confirm", SUGGESTED): CONFIRMED, ("reject", SUGGESTED): REJECTED, ("reverse", CONFIRMED): REVERSED}
SETTLES = "settles"


class MatchStateError(ValueError):
    def __init__(self, action: str, status: str) -> None:
        done = {"confirm": "confirmed", "reject": "rejected", "reverse": "reversed"}.get(action, action)
        super().__init__(f"a {status} match cannot be {done}")
        self.action, self.status = action, status


@dataclass(frozen=True)
class StoredMatch:
    match_id: str
    tenant_id: str
    line_id: str
    allocations: tuple[Allocation, ...]
    amount_minor: int
    currency: str
    rule_id: str
    rule_kind: str
    score: float
    evidence: dict
    status: str
    by: str
    at: object  # datetime, UTC
    reason: str = ""
    confident: bool = False
    receipt_ids: tuple[str, ...] = ()
    write_offs: tuple[Allocation, ...] = ()
    auto: bool = False
    confirmed_by: str | None = None
    confirmed_at: object = None  # datetime, UTC, once confirmed


def next_status(action: str, status: str) -> str:
    """The status after `action`, or MatchStateError (a rejected or reversed match is final)."""
    try:
        return TRANSITIONS[(action, status)]
    except KeyError:
        raise MatchStateError(action, status) from None


def evidence_of(m: Match, rule: MatchRule) -> dict:
    """What a stored match keeps of its run: the rule's evidence, whether the run may confirm it, and the
    rule's tolerance as it was applied (a confirm later uses it, whatever the rule says by then)."""
    return {**m.evidence, "confident": m.confident, "tolerance": asdict(rule.tolerance)}


def pairing(line_id: str, allocations: Iterable[Allocation]) -> tuple[str, frozenset[str]]:
    return line_id, frozenset(a.instalment_id for a in allocations)


def not_again(found: Sequence[Match], dropped: set[tuple[str, frozenset[str]]]) -> list[Match]:
    """A pairing finance rejected or reversed is never confirmed by a run again: offered, as a suggestion."""
    out = []
    for m in found:
        if m.confident and pairing(m.line_id, m.allocations) in dropped:
            m = replace(m, confident=False, evidence={**m.evidence, "dropped_before": True})
        out.append(m)
    return out


@dataclass(frozen=True)
class ReceiptStep:
    """One receipt of a confirm: the allocation, how far it may exceed what the instalment still owes (the
    rule's over tolerance), and the shortfall to write off when the rule accepted the line as settling."""

    instalment_id: str
    amount_minor: int
    over_tolerance_minor: int
    write_off_minor: int = 0


class StaleMatch(ValueError):
    """The instalments owe more now than when the line was matched: the rule's acceptance no longer holds."""


def receipt_steps(m: StoredMatch, outstanding: dict[str, int]) -> list[ReceiptStep]:
    """The receipts confirming `m`, given what each of its instalments owes now.

    The over tolerance is the rule's for what the instalments owe together (the receipt lock applies it; beyond it the
    lock refuses or holds). An underpayment the rule accepted as settling ("settles", difference_minor < 0)
    writes off each instalment's shortfall, as long as the shortfalls add up to no more than the difference
    the rule accepted; owing more than that now (a receipt reversed since) is StaleMatch."""
    tolerance = Tolerance(**m.evidence.get("tolerance", {}))
    accepted_short = -int(m.evidence.get("difference_minor", 0))
    settles = m.evidence.get("payment") == SETTLES and accepted_short > 0
    # The rule accepted the line against what its instalments owed together: the same base here.
    over = tolerance.allowed(sum(outstanding.get(a.instalment_id, 0) for a in m.allocations))[1]
    steps = []
    for a in m.allocations:
        short = max(0, outstanding.get(a.instalment_id, 0) - a.amount_minor) if settles else 0
        steps.append(ReceiptStep(a.instalment_id, a.amount_minor, over, short))
    if settles and sum(s.write_off_minor for s in steps) > accepted_short:
        raise StaleMatch(
            f"the instalments owe {sum(s.write_off_minor for s in steps)} 分 more than this line pays; the rule "
            f"accepted {accepted_short} 分 short: reject the match and run matching again"
        )
    return steps
