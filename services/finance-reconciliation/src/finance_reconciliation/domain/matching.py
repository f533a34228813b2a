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
  date, for every line of the run at once (numpy arrays, rapidfuzz's cpdist
  over the pairs: a run of 100,000 lines is not 100,000 Python loops). Lines and instalments that share candidates form groups; each group
  is resolved by `resolve` (scipy's linear_sum_assignment, maximising the sum
  of scores) rather than first come, first served. A payer named exactly
  whose amount fits nothing is offered as part of its oldest due instalment.

A match is `confident` when its score reaches the rule's auto_score and no
other candidate of its line or instalment came within TIE of it; the others
are suggestions for finance, with the score and the evidence.

Names are compared in payer_names.py, groups resolved in assignment.py; a stored
match and its transitions are match_state.py, what a confirm records match_confirm.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from rapidfuzz import fuzz, process
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from finance_reconciliation.domain.assignment import resolve
from finance_reconciliation.domain.match_rule import (
    AMOUNT_ONLY_CAP,
    AMOUNT_WINDOW,
    CONTRACT_REF,
    PAYER_AMOUNT,
    MatchRule,
)
from finance_reconciliation.domain.payer_names import normalise_name

TIE = 0.02
_EXACT = 2**52 // 10_000  # larger amounts: tolerance arithmetic in Python ints (no int64 overflow)
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
        whole = not pattern.groups
        by_ref, open_ = self.by_ref, self.open
        accepts = rule.tolerance.accepts
        out = []
        for ln in lines:
            for hit in pattern.finditer(ln.remark):
                ref = hit.group(0) if whole else hit.group(1)
                group = by_ref.get(ref_key(ref))
                if not group:
                    continue
                currency = ln.currency
                group = [it for it in group if it.currency == currency and open_.get(it.instalment_id, 0) > 0]
                if group:
                    out.append(self._pay_oldest_first(rule, accepts, ln, ref, group))
                    break
        return out

    def _pay_oldest_first(self, rule: MatchRule, accepts: Callable[[int, int], bool], ln: Line, ref: str,
                          group: list[OpenItem]) -> Match:
        open_ = self.open
        amounts = [open_[it.instalment_id] for it in group]
        paid = ln.amount_minor
        settles = 0
        running = 0
        for k, a in enumerate(amounts, start=1):
            running += a
            if accepts(paid, running):
                settles = k
                break
            if running > paid:
                break
        total = sum(amounts)
        left = paid
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
        keys = [k for _, k in live]
        pairs = _Candidates(self, rule, lines, live)
        edges: list[tuple[int, str, float, dict]] = []
        for li, ix, ns in pairs.found():
            ln, key = lines[li], keys[ix]
            it = self.items[key]
            a = live[ix][0]
            under, over = rule.tolerance.allowed(a)
            diff = ln.amount_minor - a
            amount_fit = _closeness(diff, over if diff > 0 else under)
            if rule.kind == PAYER_AMOUNT:
                score = 0.6 * ns / 100 + 0.4 * amount_fit
                ev = {"name_score": round(ns, 1), "payment": "settles", "difference_minor": diff}
            else:
                assert it.due_on is not None  # _Candidates keeps only instalments due within the window
                days = abs((ln.booked_on - it.due_on).days)
                score = AMOUNT_ONLY_CAP * (0.6 * amount_fit + 0.4 * (1 - days / (rule.window_days + 1)))
                ev = {"days_from_due": (ln.booked_on - it.due_on).days, "payment": "settles",
                      "difference_minor": diff}
            edges.append((li, key, round(score, 4), ev))
        if rule.kind == PAYER_AMOUNT:
            # A payer named exactly whose amount fits none of its customer's instalments: part of the oldest.
            partial = [e for li in pairs.exact_without_edges()
                       for e in self._partial_by_payer(lines[li], li, [live[ix] for ix in pairs.pool_of(li)])]
            edges = sorted(edges + partial, key=lambda e: e[0])  # stable: each line's candidates in pool order
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
        if not edges:
            return []
        # Lines and instalments sharing candidates form a group: connected components of the bipartite graph.
        key_ix: dict[str, int] = {}
        cols = [key_ix.setdefault(key, len(key_ix)) for _, key, _, _ in edges]
        rows = [li for li, _, _, _ in edges]
        n_lines = max(rows) + 1
        graph = csr_matrix((np.ones(len(edges)), (rows, [n_lines + c for c in cols])),
                           shape=(n_lines + len(key_ix),) * 2)
        _, label = connected_components(graph, directed=False)
        groups: dict[int, list[tuple[int, str, float, dict]]] = defaultdict(list)
        scores_l: dict[int, list[float]] = defaultdict(list)
        scores_i: dict[str, list[float]] = defaultdict(list)
        for e in edges:
            groups[label[e[0]]].append(e)
            scores_l[e[0]].append(e[2])
            scores_i[e[1]].append(e[2])
        out = []
        for group in groups.values():
            if len(group) == 1:  # most groups: one line, one instalment, nothing to resolve
                [(li, key, s, ev)] = group
                out.append(self._chosen(rule, lines[li], key, s, dict(ev, candidates=1, group=[1, 1]), False))
                continue
            ls = sorted({e[0] for e in group})
            ks = sorted({e[1] for e in group})
            li_ix = {v: n for n, v in enumerate(ls)}
            k_ix = {v: n for n, v in enumerate(ks)}
            ev_of = {(e[0], e[1]): e[3] for e in group}
            chosen = _clear_choice(group, li_ix, k_ix) or resolve(
                len(ls), len(ks), [(li_ix[e[0]], k_ix[e[1]], e[2]) for e in group])
            for i, j, s in chosen:
                li, key = ls[i], ks[j]
                rivals = _second(scores_l[li]) + _second(scores_i[key])
                tied = any(r >= s - TIE for r in rivals)
                evidence = dict(ev_of[(li, key)], candidates=len(scores_l[li]), group=[len(ls), len(ks)])
                if tied:
                    evidence["ambiguous"] = True
                out.append(self._chosen(rule, lines[li], key, s, evidence, tied))
        return out

    def _chosen(self, rule: MatchRule, ln: Line, key: str, score: float, evidence: dict, tied: bool) -> Match:
        amount = ln.amount_minor
        self.open[key] = max(0, self.open[key] - amount)
        return Match(ln.line_id, (Allocation(key, amount),), rule.rule_id, rule.kind, score,
                     score >= rule.auto_score and not tied, evidence)


def _second(scores: list[float]) -> list[float]:
    """The runner-up score of a line's or an instalment's candidates ([] when it has one)."""
    return sorted(scores, reverse=True)[1:2] if len(scores) > 1 else []


def _clear_choice(group: list[tuple[int, str, float, dict]], li_ix: dict[int, int],
                  k_ix: dict[str, int]) -> list[tuple[int, int, float]]:
    """The optimum without the solver when it is plain: one line or one instalment in the group and one
    candidate scoring above every other (most groups: one line, or several lines paying one instalment).
    Empty when the solver must decide (ties, or several of each)."""
    if len(li_ix) > 1 and len(k_ix) > 1:
        return []
    top = max(e[2] for e in group)
    best = [e for e in group if e[2] == top]
    if len(best) > 1:
        return []
    li, key, s, _ = best[0]
    return [(li_ix[li], k_ix[key], s)]


class _Candidates:
    """The (line, instalment) pairs a one-to-one rule scores, found with numpy over every line at once
    instead of line by line: an instalment of the line's currency whose outstanding amount the line pays
    within tolerance, named like the payer (payer_amount: rapidfuzz's ratio over the pairs, in one call)
    or due within the window (amount_window). A payer whose name is one customer's exactly looks only at
    that customer's instalments; any other line at the instalments in its amount range (a sorted index).
    Amounts beyond float-exact integers are compared as Python ints (an object array), never rounded."""

    def __init__(self, matcher: Matcher, rule: MatchRule, lines: list[Line], live: list[tuple[int, str]]) -> None:
        self.rule = rule
        self.with_edges: set[int] = set()
        items = [matcher.items[k] for _, k in live]
        amounts = [a for a, _ in live]
        line_amounts = [ln.amount_minor for ln in lines]
        dtype = object if max(amounts + line_amounts, default=0) > _EXACT else np.int64  # both positive here
        self.amounts = np.array(amounts, dtype=dtype)
        currencies: dict[str, int] = {}
        self.item_currency = np.array([currencies.setdefault(it.currency, len(currencies)) for it in items], np.int64)
        self.line_amount = np.array(line_amounts, dtype=dtype)
        self.line_currency = np.array([currencies.setdefault(ln.currency, len(currencies)) for ln in lines], np.int64)
        self.pools: dict[int, np.ndarray] = {}  # line -> its customer's instalments, when the payer is named exactly
        ranged = np.ones(len(lines), bool)
        if rule.kind == PAYER_AMOUNT:
            named: dict[str, list[int]] = defaultdict(list)
            self.item_name = [normalise_name(it.customer_name) for it in items]
            for ix, name in enumerate(self.item_name):
                named[name].append(ix)
            by_name = {name: np.array(ixs, np.int64) for name, ixs in named.items()}
            self.line_name = [normalise_name(ln.counterparty_name) for ln in lines]
            for li, payer in enumerate(self.line_name):
                if not payer:
                    ranged[li] = False
                elif payer in by_name:
                    ranged[li] = False
                    self.pools[li] = by_name[payer]
        elif rule.kind == AMOUNT_WINDOW:
            self.item_due = np.array([it.due_on.toordinal() if it.due_on else 0 for it in items], np.int64)
            self.item_has_due = np.array([it.due_on is not None for it in items], bool)
            self.line_booked = np.array([ln.booked_on.toordinal() for ln in lines], np.int64)
        else:
            ranged[:] = False
        self.line_ix, self.item_ix = self._pairs(np.flatnonzero(ranged))

    def _pairs(self, ranged: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every candidate pair (line, instalment), ordered by line, then by the sorted index."""
        t = self.rule.tolerance
        bp = max(t.under_bp, t.over_bp)
        amount = self.line_amount[ranged]
        slack = np.maximum(max(t.under_minor, t.over_minor), amount * bp // (10_000 - min(bp, 9_999)) + 1)
        starts = np.searchsorted(self.amounts, amount - slack, "left")
        ends = np.searchsorted(self.amounts, amount + slack, "right")
        counts = np.maximum(ends - starts, 0)
        line_ix = [np.repeat(ranged, counts)]
        item_ix = [np.arange(counts.sum(), dtype=np.int64) + np.repeat(starts - np.cumsum(counts) + counts, counts)]
        for li, pool in self.pools.items():
            line_ix.append(np.full(len(pool), li, np.int64))
            item_ix.append(pool)
        lines_, items_ = np.concatenate(line_ix).astype(np.int64), np.concatenate(item_ix).astype(np.int64)
        order = np.lexsort((items_, lines_))
        return lines_[order], items_[order]

    def found(self) -> list[tuple[int, int, float]]:
        """(line, instalment, name score or 0) of the pairs that pass the rule, in order."""
        t, li, ix = self.rule.tolerance, self.line_ix, self.item_ix
        a, paid = self.amounts[ix], self.line_amount[li]
        under = np.maximum(t.under_minor, a * t.under_bp // 10_000)
        over = np.maximum(t.over_minor, a * t.over_bp // 10_000)
        keep = (self.item_currency[ix] == self.line_currency[li]) & (a - under <= paid) & (paid <= a + over)
        li, ix = li[keep], ix[keep]
        if self.rule.kind == PAYER_AMOUNT:
            scores = process.cpdist([self.line_name[i] for i in li], [self.item_name[j] for j in ix],
                                    scorer=fuzz.ratio, score_cutoff=self.rule.min_name_score,
                                    dtype=np.float64, workers=1) if len(li) else np.zeros(0)
            keep = scores > 0
            self.with_edges = set(li[keep].tolist())
            return list(zip(li[keep].tolist(), ix[keep].tolist(), scores[keep].tolist(), strict=True))
        if self.rule.kind != AMOUNT_WINDOW:
            return []
        days = np.abs(self.line_booked[li] - self.item_due[ix])
        keep = self.item_has_due[ix] & (days <= self.rule.window_days)
        return [(i, j, 0.0) for i, j in zip(li[keep].tolist(), ix[keep].tolist(), strict=True)]

    def exact_without_edges(self) -> list[int]:
        """Lines whose payer is one customer's name exactly and none of whose pairs passed (after found())."""
        return sorted(li for li in self.pools if li not in self.with_edges)

    def pool_of(self, li: int) -> list[int]:
        return self.pools[li].tolist()


def match_lines(rules: Sequence[MatchRule], items: Iterable[OpenItem], lines: Iterable[Line]) -> list[Match]:
    return Matcher(items).run(rules, lines)
