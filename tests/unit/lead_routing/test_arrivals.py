"""Leads arriving together on an auto_assign route: each, in order, to its
best candidate still taking leads, counting those given before it."""

from __future__ import annotations

from lead_routing.domain.catalogue import catalogue
from lead_routing.domain.pool import first_free_candidates, rank_pool, routes_taken
from lead_routing.domain.rule_set import RuleSet, check_routes, compile_scoring, new_route

from tests.unit.lead_routing.factories import lead, rep_state

CAT = catalogue({})
SEED = "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))"
RULES = RuleSet(check_routes([new_route(0, name="all", target_kind="all")], CAT), compile_scoring(SEED, CAT))


def keqiao(lead_id: str):
    return lead(lead_id, district="柯桥区", purchases_6m_minor=6_000_000)


def given(picks, pool) -> list[tuple[str, str]]:
    return [(pool.leads[i].lead_id, rep.rep_id) for i, rep in picks]


def test_the_best_candidate_fills_up_and_the_next_lead_goes_to_the_runner_up() -> None:
    reps = [rep_state("far", region="余杭区"), rep_state("near", region="柯桥区", capacity=3, open_leads=1)]
    pool = rank_pool(RULES, [keqiao("L1"), keqiao("L2"), keqiao("L3")], reps, set())
    picks = first_free_candidates(pool, [0, 1, 2])
    # "near" (100) has two free places: the third lead goes to "far" (70)
    assert given(picks, pool) == [("L1", "near"), ("L2", "near"), ("L3", "far")]


def test_only_the_leads_asked_for_in_their_order_and_none_without_a_free_candidate() -> None:
    reps = [rep_state("near", region="柯桥区", capacity=1), rep_state("away", region="柯桥区", on_leave=True)]
    pool = rank_pool(RULES, [keqiao("L1"), keqiao("L2"), keqiao("L3")], reps, set())
    assert given(first_free_candidates(pool, [2, 0]), pool) == [("L3", "near")]  # then "near" is full
    assert first_free_candidates(pool, []) == []


def test_a_cool_down_keeps_a_rep_from_that_lead_only() -> None:
    reps = [rep_state("near", region="柯桥区"), rep_state("far", region="余杭区")]
    pool = rank_pool(RULES, [keqiao("L1"), keqiao("L2")], reps, {("L1", "near")})
    assert given(first_free_candidates(pool, [0, 1]), pool) == [("L1", "far"), ("L2", "near")]


def test_the_routes_taken_before_ranking_are_those_the_ranking_takes() -> None:
    # what decides whether an arriving batch locks the reps: the auto_assign route only 柯桥 leads take
    routes = check_routes(
        [
            new_route(0, name="kq", condition='行政区划="柯桥区"', target_kind="all", auto_assign=True),
            new_route(1, name="big", condition="近6月采购金额>=50000", target_kind="all"),
        ],
        CAT,
    )
    rules = RuleSet(routes, compile_scoring(SEED, CAT))
    leads = [keqiao("L1"), lead("L2", district="余杭区", purchases_6m_minor=6_000_000), lead("L3", district="余杭区")]
    pool = rank_pool(rules, leads, [rep_state("near", region="柯桥区")], set())
    taken = routes_taken(rules, leads)
    assert [cr.route.name if cr else None for cr in taken] == ["kq", "big", None]
    assert taken == [pool.route(i) for i in range(3)]
    assert routes_taken(rules, []) == []
