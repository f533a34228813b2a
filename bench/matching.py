"""Matching 100,000 statement lines against 50,000 open instalments (issue 13:
<= 3 s on this machine), domain/matching.py with the default rules.

Generated: 12,500 contracts of 4 instalments over 5,000 customers. Lines:
40 % carry the contract number (some paying part, some two instalments at
once), 15 % only the payer's name (with or without its company suffix) and
the exact or a slightly short amount, 10 % only an amount near a due date,
35 % noise (no known contract, payer or amount).

Baseline in the same run: the straightforward per-line scan — each line
tries every open instalment in turn (contract number in the remark, then
fuzzy payer plus amount, then amount in the window) and takes the first
that fits, greedy. It is quadratic, so it is timed on the first 300 lines and
scaled per line to 100,000 (stated in the result's name)."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from finance_reconciliation.domain.match_rule import default_rules
from finance_reconciliation.domain.matching import Line, OpenItem, match_lines
from finance_reconciliation.domain.payer_names import name_score

CONTRACTS, PER_CONTRACT, CUSTOMERS, LINES = 12_500, 4, 5_000, 100_000
BASELINE_LINES = 300
START = date(2026, 1, 1)
CITIES = ["宁波", "台州", "余姚", "东莞", "佛山", "苏州", "无锡", "温州", "昆山", "慈溪"]
TRADES = ["塑料制品", "模具", "精密注塑", "电器", "包装材料", "汽车配件", "五金", "塑胶"]


def _data(seed: int = 13) -> tuple[list[OpenItem], list[Line]]:
    rnd = random.Random(seed)
    customers = [f"{rnd.choice(CITIES)}{rnd.choice(TRADES)}{n:04d}有限公司" for n in range(CUSTOMERS)]
    items: list[OpenItem] = []
    for c in range(CONTRACTS):
        ref = f"HT-2026-{c:05d}"
        cust = customers[c % CUSTOMERS]
        for s in range(PER_CONTRACT):
            amount = rnd.randrange(50_000_00, 900_000_00, 100) + rnd.randrange(100)
            due = START + timedelta(days=rnd.randrange(330) + 30 * s)
            items.append(OpenItem(f"i{c}-{s}", f"c{c}", ref, cust, due, amount, "CNY", s))
    lines: list[Line] = []
    for n in range(LINES):
        it = rnd.choice(items)
        booked = (it.due_on or START) + timedelta(days=rnd.randrange(-3, 4))
        kind = rnd.random()
        if kind < 0.40:
            amount = it.outstanding_minor if rnd.random() < 0.7 else it.outstanding_minor // 2
            lines.append(Line(f"l{n}", booked, amount, "CNY", it.customer_name, f"货款 {it.contract_ref}"))
        elif kind < 0.55:
            payer = it.customer_name if rnd.random() < 0.5 else it.customer_name.replace("有限公司", "股份有限公司")
            amount = it.outstanding_minor - rnd.choice((0, 0, 2_500))
            lines.append(Line(f"l{n}", booked, amount, "CNY", payer, "转账"))
        elif kind < 0.65:
            lines.append(Line(f"l{n}", booked, it.outstanding_minor, "CNY", "", ""))
        else:
            lines.append(Line(f"l{n}", booked, rnd.randrange(1_000, 40_000_00), "CNY", f"个人{n}", "其他"))
    return items, lines


def _per_line_scan(rules, items: list[OpenItem], lines: list[Line]) -> int:
    contract, payer, window = rules
    open_ = {it.instalment_id: it.outstanding_minor for it in items}
    found = 0
    for ln in lines:
        for it in items:
            left = open_[it.instalment_id]
            if left <= 0:
                continue
            if (it.contract_ref in ln.remark
                    or (contract.tolerance.accepts(ln.amount_minor, left)
                        and name_score(ln.counterparty_name, it.customer_name, payer.min_name_score))
                    or (window.tolerance.accepts(ln.amount_minor, left) and it.due_on
                        and abs((ln.booked_on - it.due_on).days) <= window.window_days)):
                open_[it.instalment_id] = max(0, left - ln.amount_minor)
                found += 1
                break
    return found


def bench_matching() -> list[dict]:
    items, lines = _data()
    rules = default_rules("bench")
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        matches = match_lines(rules, items, lines)
        best = min(best, time.perf_counter() - t0)
    confident = sum(m.confident for m in matches)
    t0 = time.perf_counter()
    _per_line_scan(rules, items, lines[:BASELINE_LINES])
    scan = (time.perf_counter() - t0) * LINES / BASELINE_LINES
    return [{
        "name": f"matching 100k lines x 50k instalments ({len(matches)} matched, {confident} confident)",
        "value": best * 1000, "unit": "ms",
        "baseline": scan * 1000, "ratio": best / scan,
        "note": f"baseline: per-line scan of every instalment, first fit; timed on {BASELINE_LINES} lines, scaled",
    }]
