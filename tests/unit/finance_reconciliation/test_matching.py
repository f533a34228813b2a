"""The matching domain: every rule, tolerance both ways, split and combined
payments, and the group resolution against brute force."""

from __future__ import annotations

import itertools
import random
from datetime import date

import pytest
from finance_reconciliation.domain.assignment import _resolve_sparse, resolve
from finance_reconciliation.domain.match_confirm import StaleMatch, receipt_steps
from finance_reconciliation.domain.match_rule import (
    AMOUNT_WINDOW,
    CONTRACT_REF,
    PAYER_AMOUNT,
    MatchRule,
    RuleError,
    Tolerance,
    default_rules,
    validate_rule,
)
from finance_reconciliation.domain.match_state import SUGGESTED, StoredMatch, evidence_of, not_again
from finance_reconciliation.domain.matching import Allocation, Line, OpenItem, match_lines
from finance_reconciliation.domain.payer_names import normalise_name

T = "t1"
D = date(2026, 11, 1)


def item(iid, ref="HT-2026-0001", amount=100_000, due=D, customer="宁波华晨塑料制品有限公司", seq=0, cur="CNY"):
    return OpenItem(iid, "c-" + ref, ref, customer, due, amount, cur, seq)


def line(lid, amount, remark="", payer="", booked=D, cur="CNY"):
    return Line(lid, booked, amount, cur, payer, remark)


CONTRACT = MatchRule("r1", T, 1, CONTRACT_REF, pattern=r"(HT-\d{4}-\d{4})", tolerance=Tolerance(100, 100))
PAYER = MatchRule("r2", T, 2, PAYER_AMOUNT, tolerance=Tolerance(under_bp=100, over_bp=50))
WINDOW = MatchRule("r3", T, 3, AMOUNT_WINDOW, window_days=5, tolerance=Tolerance(0, 0))


def allocs(m):
    return [(a.instalment_id, a.amount_minor) for a in m.allocations]


# -- contract number rule ---------------------------------------------------------------------------
def test_contract_number_in_the_remark_settles_that_contracts_oldest_instalment():
    items = [item("i2", due=date(2026, 12, 1), seq=2), item("i1", seq=1), item("x", ref="HT-2026-0002")]
    [m] = match_lines([CONTRACT], items, [line("l1", 100_000, remark="货款 HT-2026-0001 首付")])
    assert allocs(m) == [("i1", 100_000)] and m.confident and m.rule_kind == CONTRACT_REF
    assert m.evidence["contract_ref"] == "HT-2026-0001" and m.evidence["payment"] == "settles"


def test_one_line_paying_several_instalments_oldest_due_first():
    items = [item("i1", amount=30_000), item("i2", amount=50_000, due=date(2026, 12, 1)),
             item("i3", amount=20_000, due=date(2027, 1, 1))]
    [m] = match_lines([CONTRACT], items, [line("l1", 80_000, remark="HT-2026-0001")])
    assert allocs(m) == [("i1", 30_000), ("i2", 50_000)] and m.evidence["instalments"] == 2


def test_several_lines_paying_one_instalment_partly_then_the_rest():
    items = [item("i1", amount=100_000), item("i2", amount=100_000, due=date(2026, 12, 1))]
    lines = [line("a", 40_000, "HT-2026-0001"), line("b", 60_000, "HT-2026-0001", booked=date(2026, 11, 2))]
    ma, mb = match_lines([CONTRACT], items, lines)
    assert allocs(ma) == [("i1", 40_000)] and ma.evidence["payment"] == "partial"
    assert allocs(mb) == [("i1", 60_000)] and mb.evidence["payment"] == "settles"


@pytest.mark.parametrize(("paid", "payment", "confident"), [
    (99_900, "settles", True),    # under, at the edge
    (100_100, "settles", True),   # over, at the edge
    (99_899, "partial", True),    # under, outside: a partial payment
    (100_101, "overpays", False),  # over, outside and nothing else open: a suggestion
])
def test_contract_tolerance_both_ways(paid, payment, confident):
    [m] = match_lines([CONTRACT], [item("i1")], [line("l1", paid, "HT-2026-0001")])
    assert m.evidence["payment"] == payment and m.confident is confident
    assert allocs(m) == [("i1", paid)]


def test_an_unknown_contract_number_or_currency_matches_nothing():
    assert match_lines([CONTRACT], [item("i1")], [line("l1", 100_000, "HT-2026-9999")]) == []
    assert match_lines([CONTRACT], [item("i1", cur="USD")], [line("l1", 100_000, "HT-2026-0001")]) == []


# -- payer name and amount --------------------------------------------------------------------------
def test_company_suffixes_are_normalised():
    assert normalise_name("宁波华晨塑料制品股份有限公司") == normalise_name("宁波华晨塑料制品有限公司") == "宁波华晨塑料制品"
    assert normalise_name("华晨集团有限公司") == "华晨"
    assert normalise_name("Acme Co., Ltd.") == "acme"


def test_payer_name_fuzzy_plus_amount():
    items = [item("i1", customer="宁波华晨塑料制品有限公司"), item("i2", customer="台州永信模具有限公司")]
    [m] = match_lines([PAYER], items, [line("l1", 100_000, payer="宁波华晨塑料制品股份有限公司")])
    assert allocs(m) == [("i1", 100_000)] and m.confident and m.evidence["name_score"] == 100.0


def test_a_part_payment_by_a_known_payer_is_suggested_against_its_oldest_due_instalment():
    items = [item("i2", due=date(2026, 12, 1)), item("i1"), item("x", customer="台州永信模具有限公司")]
    [m] = match_lines([PAYER], items, [line("l1", 30_000, payer="宁波华晨塑料制品股份有限公司")])
    assert allocs(m) == [("i1", 30_000)] and not m.confident
    assert m.evidence["payment"] == "partial" and m.evidence["difference_minor"] == -70_000


def test_payer_of_another_name_is_not_matched():
    assert match_lines([PAYER], [item("i1", customer="台州永信模具有限公司")],
                       [line("l1", 100_000, payer="宁波华晨塑料制品有限公司")]) == []


@pytest.mark.parametrize(("paid", "matched"), [(99_000, True), (98_999, False), (100_500, True), (100_501, False)])
def test_payer_tolerance_in_percent_both_ways(paid, matched):
    # 1 % under, 0.5 % over of 100,000 分
    found = match_lines([PAYER], [item("i1")], [line("l1", paid, payer="宁波华晨塑料制品有限公司")])
    settled = [m for m in found if m.evidence.get("payment") != "partial"]
    assert bool(settled) is matched
    if paid < 100_000 and not matched:  # short beyond tolerance: offered as a part payment, not settling it
        assert [m.evidence["payment"] for m in found] == ["partial"] and not found[0].confident


def test_equal_candidates_are_left_as_suggestions():
    items = [item("i1", ref="HT-2026-0001"), item("i2", ref="HT-2026-0002")]
    [m] = match_lines([PAYER], items, [line("l1", 100_000, payer="宁波华晨塑料制品有限公司")])
    assert not m.confident and m.evidence["ambiguous"] and m.evidence["candidates"] == 2


# -- amount in a date window ------------------------------------------------------------------------
def test_amount_alone_within_the_window_is_a_suggestion():
    items = [item("i1", amount=123_456, due=date(2026, 11, 10)), item("i2", amount=123_456, due=date(2026, 12, 30))]
    [m] = match_lines([WINDOW], items, [line("l1", 123_456, booked=date(2026, 11, 6))])
    assert allocs(m) == [("i1", 123_456)] and not m.confident and m.evidence["days_from_due"] == -4


def test_amount_outside_the_window_or_not_yet_due_matches_nothing():
    items = [item("i1", amount=5_000, due=date(2026, 11, 20)), item("i2", amount=5_000, due=None)]
    assert match_lines([WINDOW], items, [line("l1", 5_000, booked=D)]) == []


# -- rules in order ---------------------------------------------------------------------------------
def test_rules_run_in_order_and_a_taken_line_or_paid_instalment_is_not_offered_again():
    items = [item("i1", amount=100_000), item("i2", ref="HT-2026-0002", amount=100_000)]
    lines = [line("l1", 100_000, "HT-2026-0001"), line("l2", 100_000, payer="宁波华晨塑料制品")]
    found = {m.line_id: m for m in match_lines([WINDOW, PAYER, CONTRACT], items, lines)}
    assert found["l1"].rule_id == "r1" and allocs(found["l1"]) == [("i1", 100_000)]
    assert found["l2"].rule_id == "r2" and allocs(found["l2"]) == [("i2", 100_000)]


def test_disabled_rules_do_not_run():
    off = MatchRule("r1", T, 1, CONTRACT_REF, pattern=r"(HT-\d{4}-\d{4})", enabled=False)
    assert match_lines([off], [item("i1")], [line("l1", 100_000, "HT-2026-0001")]) == []


# -- optimal resolution -----------------------------------------------------------------------------
def test_the_group_is_resolved_for_the_best_total_not_first_come():
    # l1 fits i1 slightly better than i2, but l2 fits only i1: first come would leave l2 unmatched.
    edges = [(0, 0, 0.95), (0, 1, 0.9), (1, 0, 0.9)]
    assert sorted(resolve(2, 2, edges)) == [(0, 1, 0.9), (1, 0, 0.9)]


def _brute(n_l, n_i, edges):
    w = {(i, j): s for i, j, s in edges}
    best = 0.0
    for perm in itertools.permutations(range(n_i), min(n_l, n_i)) if n_l <= n_i else ():
        best = max(best, sum(w.get((i, j), 0) for i, j in enumerate(perm)))
    for perm in itertools.permutations(range(n_l), n_i) if n_l > n_i else ():
        best = max(best, sum(w.get((i, j), 0) for j, i in enumerate(perm)))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_resolution_equals_brute_force_on_small_generated_groups(seed):
    rnd = random.Random(seed)
    n_l, n_i = rnd.randint(1, 5), rnd.randint(1, 5)
    edges = [(i, j, round(rnd.uniform(0.5, 1), 3)) for i in range(n_l) for j in range(n_i) if rnd.random() < 0.6]
    chosen = resolve(n_l, n_i, edges)
    assert len({i for i, _, _ in chosen}) == len(chosen) == len({j for _, j, _ in chosen})
    assert sum(s for _, _, s in chosen) == pytest.approx(_brute(n_l, n_i, edges))


@pytest.mark.parametrize("seed", range(40))
def test_the_sparse_resolution_of_large_groups_reaches_the_same_optimum(seed):
    rnd = random.Random(1000 + seed)
    n_l, n_i = rnd.randint(1, 6), rnd.randint(1, 6)
    edges = [(i, j, round(rnd.uniform(0.5, 1), 3)) for i in range(n_l) for j in range(n_i) if rnd.random() < 0.5]
    chosen = _resolve_sparse(n_l, n_i, edges)
    assert len({i for i, _, _ in chosen}) == len(chosen) == len({j for _, j, _ in chosen})
    assert sum(s for _, _, s in chosen) == pytest.approx(_brute(n_l, n_i, edges))


def test_the_matcher_end_to_end_picks_the_best_total_by_payer_and_amount():
    # Two similar customers, two lines: the pairing by name similarity, not by line order.
    items = [item("i1", customer="华晨塑料有限公司"), item("i2", customer="华晨塑胶有限公司", ref="HT-2026-0002")]
    lines = [line("l1", 100_000, payer="华晨塑胶有限公司"), line("l2", 100_000, payer="华晨塑料有限公司")]
    rule = MatchRule("r2", T, 2, PAYER_AMOUNT, min_name_score=60)
    found = {m.line_id: allocs(m) for m in match_lines([rule], items, lines)}
    assert found == {"l1": [("i2", 100_000)], "l2": [("i1", 100_000)]}


# -- rule validation --------------------------------------------------------------------------------
@pytest.mark.parametrize(("rule", "field"), [
    (MatchRule("r", T, 1, "nope"), "kind"),
    (MatchRule("r", T, 1, CONTRACT_REF, pattern="(HT"), "pattern"),
    (MatchRule("r", T, 1, CONTRACT_REF), "pattern"),
    (MatchRule("r", T, 1, AMOUNT_WINDOW), "window_days"),
    (MatchRule("r", T, 1, PAYER_AMOUNT, tolerance=Tolerance(under_minor=-1)), "tolerance.under_minor"),
    (MatchRule("r", T, 1, PAYER_AMOUNT, tolerance=Tolerance(over_bp=5_000)), "tolerance.over_bp"),
    (MatchRule("r", T, 1, PAYER_AMOUNT, min_name_score=101), "min_name_score"),
])
def test_a_bad_rule_is_refused_naming_the_field(rule, field):
    with pytest.raises(RuleError) as err:
        validate_rule(rule)
    assert err.value.field == field


def test_default_rules_are_valid():
    for r in default_rules(T):
        assert validate_rule(r) is r


@pytest.mark.parametrize("remark", ["货款 合同号HT2025-018 第二期", "HT-2025-018 首付", "ht2025-018货款", "合同HT2025-018。"])
def test_the_default_contract_rule_finds_the_contract_number_as_customers_write_it(remark):
    [rule] = [r for r in default_rules(T) if r.kind == CONTRACT_REF]
    items = [item("i1", ref="HT2025-018"), item("x", ref="V3.2")]
    found = match_lines([rule], items, [line("l1", 100_000, remark=remark)])
    if "HT-2025" in remark:  # another number than this contract's: no match by reference
        assert found == []
        return
    [m] = found
    assert allocs(m) == [("i1", 100_000)] and m.evidence["contract_ref"].upper() == "HT2025-018"


@pytest.mark.parametrize("remark", ["XHT2025-0180", "HT2025-0181 货款", "V3.2 第二期"])
def test_the_default_contract_rule_takes_no_longer_code_and_no_version_label(remark):
    [rule] = [r for r in default_rules(T) if r.kind == CONTRACT_REF]
    items = [item("i1", ref="HT2025-018"), item("i2", ref="V3.2")]
    assert match_lines([rule], items, [line("l1", 100_000, remark=remark)]) == []


def test_a_contract_without_a_number_is_found_by_its_label_under_a_rule_that_reads_labels():
    labels = MatchRule("r9", T, 1, CONTRACT_REF, pattern=r"(?i)(V\d+(?:\.\d+)*)", tolerance=Tolerance(100, 100))
    [m] = match_lines([labels], [item("i1", ref="V3.2")], [line("l1", 100_000, remark="v3.2 合同第二期")])
    assert allocs(m) == [("i1", 100_000)]


@pytest.mark.parametrize("seed", range(20))
def test_the_amount_index_range_holds_every_expected_amount_the_tolerance_accepts(seed):
    rnd = random.Random(seed)
    tol = Tolerance(rnd.randrange(0, 500), rnd.randrange(0, 500), rnd.randrange(0, 2_001), rnd.randrange(0, 2_001))
    paid = rnd.randrange(1, 20_000)
    lo, hi = tol.widest(paid)
    accepted = [e for e in range(1, 40_000) if tol.accepts(paid, e)]
    assert all(lo <= e <= hi for e in accepted)


@pytest.mark.parametrize("seed", range(30))
def test_the_matcher_picks_the_assignment_brute_force_finds_best_on_small_generated_cases(seed):
    # Each pair's score is what the matcher gives that line against that instalment alone; the run over
    # them all must reach the best total any one-to-one assignment of those pairs reaches.
    rnd = random.Random(7_000 + seed)
    names = ["华晨塑料有限公司", "华晨塑胶有限公司", "华辰塑料股份公司", "宁波华晨塑料厂"]
    items = [item(f"i{k}", ref=f"HT-2026-{k:04d}", amount=rnd.choice([100_000, 100_500, 99_700, 101_000]),
                  customer=rnd.choice(names)) for k in range(rnd.randint(1, 5))]
    lines = [line(f"l{k}", rnd.choice([100_000, 100_300, 99_900]), payer=rnd.choice(names) + "财务部")
             for k in range(rnd.randint(1, 5))]
    rule = MatchRule("r2", T, 2, PAYER_AMOUNT, min_name_score=50, tolerance=Tolerance(under_bp=150, over_bp=150))
    score = {}
    for ln in lines:
        for it in items:
            for m in match_lines([rule], [it], [ln]):
                score[(ln.line_id, it.instalment_id)] = m.score
    found = match_lines([rule], items, lines)
    assert len({m.line_id for m in found}) == len(found)
    assert len({m.allocations[0].instalment_id for m in found}) == len(found)
    assert all(score[(m.line_id, m.allocations[0].instalment_id)] == m.score for m in found)
    li = {ln.line_id: n for n, ln in enumerate(lines)}
    ii = {it.instalment_id: n for n, it in enumerate(items)}
    best = _brute(len(lines), len(items), [(li[lk], ii[ik], s) for (lk, ik), s in score.items()])
    assert sum(m.score for m in found) == pytest.approx(best)


# -- confirming a stored match ----------------------------------------------------------------------
def stored(found, rule, match_id="m1"):
    return StoredMatch(match_id, T, found.line_id, found.allocations, sum(a.amount_minor for a in found.allocations),
                       "CNY", found.rule_id, found.rule_kind, found.score, evidence_of(found, rule), SUGGESTED,
                       "fin", None, confident=found.confident)


def test_an_underpayment_the_rule_accepts_as_settling_writes_off_the_shortfall():
    [m] = match_lines([CONTRACT], [item("i1")], [line("l1", 99_950, "HT-2026-0001")])
    assert m.evidence["payment"] == "settles" and m.evidence["difference_minor"] == -50
    [step] = receipt_steps(stored(m, CONTRACT), {"i1": 100_000})
    assert (step.instalment_id, step.amount_minor, step.write_off_minor) == ("i1", 99_950, 50)
    assert step.over_tolerance_minor == 100  # the rule's, not the service's setting


def test_a_combined_underpayment_writes_off_only_the_last_instalments_shortfall():
    items = [item("i1", amount=30_000), item("i2", amount=50_000, due=date(2026, 12, 1))]
    [m] = match_lines([CONTRACT], items, [line("l1", 79_920, "HT-2026-0001")])
    steps = receipt_steps(stored(m, CONTRACT), {"i1": 30_000, "i2": 50_000})
    assert [(s.instalment_id, s.amount_minor, s.write_off_minor) for s in steps] == [("i1", 30_000, 0),
                                                                                    ("i2", 49_920, 80)]


def test_an_overpayment_within_tolerance_carries_the_rules_over_tolerance_and_writes_nothing_off():
    [m] = match_lines([PAYER], [item("i1")], [line("l1", 100_400, payer="宁波华晨塑料制品股份有限公司")])
    assert m.evidence["difference_minor"] == 400
    [step] = receipt_steps(stored(m, PAYER), {"i1": 100_000})
    assert (step.amount_minor, step.write_off_minor, step.over_tolerance_minor) == (100_400, 0, 500)  # 50 bp


def test_a_part_payment_writes_nothing_off():
    [m] = match_lines([CONTRACT], [item("i1")], [line("l1", 40_000, "HT-2026-0001")])
    assert m.evidence["payment"] == "partial"
    [step] = receipt_steps(stored(m, CONTRACT), {"i1": 100_000})
    assert (step.amount_minor, step.write_off_minor) == (40_000, 0)


def test_an_instalment_owing_more_than_when_matched_is_a_stale_match():
    [m] = match_lines([CONTRACT], [item("i1")], [line("l1", 99_950, "HT-2026-0001")])
    with pytest.raises(StaleMatch):
        receipt_steps(stored(m, CONTRACT), {"i1": 130_000})


def test_the_tolerance_applied_is_the_one_stored_with_the_match_not_todays_rule():
    [m] = match_lines([CONTRACT], [item("i1")], [line("l1", 100_050, "HT-2026-0001")])
    kept = stored(m, CONTRACT)
    assert kept.evidence["tolerance"] == {"under_minor": 100, "over_minor": 100, "under_bp": 0, "over_bp": 0}
    assert receipt_steps(kept, {"i1": 100_000})[0].over_tolerance_minor == 100


def test_a_pairing_finance_rejected_or_reversed_is_never_confirmed_by_a_run_again():
    [m] = match_lines([CONTRACT], [item("i1")], [line("l1", 100_000, "HT-2026-0001")])
    assert m.confident
    [again] = not_again([m], {("l1", frozenset({"i1"}))})
    assert not again.confident and again.evidence["dropped_before"] and again.allocations == m.allocations
    assert not_again([m], {("l1", frozenset({"i2"}))}) == [m]
    assert Allocation("i1", 100_000) in again.allocations


def test_amounts_beyond_float_precision_are_matched_exactly_by_payer_and_amount():
    big = 2**60 + 7  # past int64-safe tolerance arithmetic: compared as Python ints, never rounded
    items = [item("i1", ref="", amount=big), item("i2", ref="", amount=big + 1, customer="别家公司")]
    payer = MatchRule("r2", T, 2, PAYER_AMOUNT, tolerance=Tolerance())
    [m] = match_lines([payer], items, [line("l1", big, payer="宁波华晨塑料制品")])
    assert allocs(m) == [("i1", big)] and m.evidence["difference_minor"] == 0
    assert match_lines([payer], items, [line("l2", big - 1, payer="宁波华晨塑料制品")])[0].evidence["payment"] == "partial"
