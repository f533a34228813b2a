"""Re-ranking: route resolution, candidates and scores, against the per-pair reference evaluation."""

from __future__ import annotations

import random

import numpy as np
import pytest

from crm_shared.formula import ExcelError
from lead_routing.domain import ranking as ranking_module
from lead_routing.domain.catalogue import STANDARD, lead_only
from lead_routing.domain.formula import compile_formula
from lead_routing.domain.ranking import RouteSpec, explain_pair, first_matching, rank

SEED = "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))"
SHAOXING = (30.00, 120.58)
KEQIAO = (30.08, 120.49)
BEIJING = (39.90, 116.41)


def cond(text):
    return compile_formula(text, lead_only(STANDARD), result_types=("bool",))


def pair(text):
    return compile_formula(text, STANDARD, result_types=("bool",))


def obj(values):
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def columns(rows, names):
    out = {}
    for name in names:
        values = [r.get(name) for r in rows]
        if STANDARD[name].type == "number":
            out[name] = np.array([np.nan if v is None else v for v in values], dtype=float)
        else:
            out[name] = obj(values)
    return out


def as_set(ranking):
    return {(int(li), int(ri)): float(s) for li, ri, s in zip(ranking.lead_idx, ranking.rep_idx, ranking.score)}


# ------------------------------------------------------------ the three seed routes

REPS = [
    {"销售员": "r0", "销售员所在地": "柯桥区", "籍贯": "绍兴市", "职级": "junior", "近3月成交客户位置": [KEQIAO]},
    {"销售员": "r1", "销售员所在地": "萧山区", "籍贯": "杭州市", "职级": "key_account", "近3月成交客户位置": [BEIJING]},
    {"销售员": "r2", "销售员所在地": "柯桥区", "籍贯": "柯桥区", "职级": "senior", "近3月成交客户位置": []},
    {"销售员": "r3", "销售员所在地": "吴江区", "籍贯": "苏州市", "职级": "senior", "近3月成交客户位置": None},
]
LEADS = [
    # 0: 百度爱采购 + 注塑机 in 绍兴: reps with a won customer within 50 km -> r0 only
    {"来源": "百度爱采购", "行业标签": ["精密注塑机"], "纬度": SHAOXING[0], "经度": SHAOXING[1], "省份": "浙江省",
     "城市": "绍兴市", "区县": "越城区", "行政区划": "越城区", "近6月采购金额": 60000.0},
    # 1: 展会扫码 with 6000万 revenue -> key-account channel without juniors: r1 (r0 is junior, r2 not in channel)
    {"来源": "展会扫码", "年营业额": 60_000_000.0, "城市": "杭州市", "区县": "萧山区", "行政区划": "萧山区", "近6月采购金额": 50000.0},
    # 2: 柯桥区 with 3 orders -> reps whose 籍贯 is local: r0 (绍兴市) and r2 (柯桥区)
    {"来源": "官网表单", "城市": "绍兴市", "区县": "柯桥区", "行政区划": "柯桥区", "近3月订单数": 3.0, "近6月采购金额": 20000.0},
    # 3: 展会扫码 but small -> falls through to the catch-all route
    {"来源": "展会扫码", "年营业额": 1_000_000.0, "城市": "苏州市", "行政区划": "苏州市"},
    # 4: partner registration -> stays in the pool
    {"来源": "伙伴报备", "城市": "苏州市", "区县": "吴江区", "行政区划": "吴江区", "近3月订单数": 5.0},
]
LEAD_NAMES = ["来源", "行业标签", "纬度", "经度", "省份", "城市", "区县", "行政区划", "近6月采购金额", "年营业额", "近3月订单数"]
REP_NAMES = ["销售员", "销售员所在地", "籍贯", "职级", "近3月成交客户位置"]


def seed_routes(n_reps, key_account):
    everyone = np.ones(n_reps, dtype=bool)
    return [
        RouteSpec("pool", cond('来源="伙伴报备"'), None, np.zeros(n_reps, dtype=bool), to_pool=True),
        RouteSpec("baidu", cond('AND(来源="百度爱采购",CONTAINS(行业标签,"注塑机"))'),
                  pair("DISTANCE(纬度,经度,近3月成交客户位置)<=50"), everyone),
        RouteSpec("expo", cond('AND(来源="展会扫码",年营业额>=50000000)'), pair('职级<>"junior"'), key_account),
        RouteSpec("keqiao", cond('AND(区县="柯桥区",近3月订单数>=3)'), pair("OR(籍贯=城市,籍贯=区县)"), everyone),
        RouteSpec("rest", None, None, everyone),
    ]


def test_the_seed_routes_pick_the_reps_the_seeds_describe():
    formula = compile_formula(SEED, STANDARD)
    key_account = np.array([True, True, False, False])
    result = rank(columns(LEADS, LEAD_NAMES), columns(REPS, REP_NAMES), seed_routes(4, key_account), formula)
    assert result.route_index.tolist() == [1, 2, 3, 4, 0]
    assert as_set(result) == {
        (0, 0): 70.0,  # r0 won a customer 13 km away; r1's is in Beijing; r2 and r3 won none
        (1, 1): 100.0,  # r0 is junior, r2 and r3 are not in the channel; same region and 50000 -> 100
        (2, 0): 70.0,  # 籍贯 绍兴市 = the lead's city
        (2, 2): 70.0,  # 籍贯 柯桥区 = the lead's district
        (3, 0): 30.0, (3, 1): 30.0, (3, 2): 30.0, (3, 3): 30.0,  # catch-all; lead 4 stays in the pool
    }


def test_unavailable_reps_are_not_candidates():
    formula = compile_formula(SEED, STANDARD)
    key_account = np.array([True, True, False, False])
    available = np.array([True, True, False, True])
    result = rank(columns(LEADS, LEAD_NAMES), columns(REPS, REP_NAMES), seed_routes(4, key_account), formula, available)
    assert set(as_set(result)) == {(0, 0), (1, 1), (2, 0), (3, 0), (3, 1), (3, 3)}


def test_first_matching_route_decides_even_when_it_has_no_candidates():
    formula = compile_formula(SEED, STANDARD)
    routes = [
        RouteSpec("nobody-free", cond('来源="展会扫码"'), None, np.array([True, False, False, False])),
        RouteSpec("rest", None, None, np.ones(4, dtype=bool)),
    ]
    result = rank(columns(LEADS, LEAD_NAMES), columns(REPS, REP_NAMES), routes, formula,
                  np.array([False, True, True, True]))
    assert result.route_index.tolist() == [1, 0, 1, 0, 1]
    assert {li for li, _ in as_set(result)} == {0, 2, 4}  # the 展会扫码 leads get no candidates, not the next route


def test_first_matching_is_the_route_rank_takes():
    conditions = [cond('来源="展会扫码"'), cond('来源="百度爱采购"'), None]
    routes = [RouteSpec(f"r{k}", c, None, np.ones(4, dtype=bool)) for k, c in enumerate(conditions)]
    result = rank(columns(LEADS, LEAD_NAMES), columns(REPS, REP_NAMES), routes, compile_formula(SEED, STANDARD))
    assert first_matching(columns(LEADS, LEAD_NAMES), conditions).tolist() == result.route_index.tolist()
    assert first_matching(columns(LEADS, LEAD_NAMES), conditions[:2]).tolist() == [1, 0, -1, 0, -1]


def test_no_matching_route():
    formula = compile_formula(SEED, STANDARD)
    routes = [RouteSpec("baidu", cond('来源="百度爱采购"'), None, np.ones(4, dtype=bool))]
    result = rank(columns(LEADS, LEAD_NAMES), columns(REPS, REP_NAMES), routes, formula)
    assert result.route_index.tolist() == [0, -1, -1, -1, -1]
    assert sorted(as_set(result)) == [(0, 0), (0, 1), (0, 2), (0, 3)]


def test_a_condition_on_rep_fields_is_refused():
    with pytest.raises(ValueError):
        rank(columns(LEADS, LEAD_NAMES), columns(REPS, REP_NAMES),
             [RouteSpec("bad", pair('职级="junior"'), None, np.ones(4, dtype=bool))], compile_formula(SEED, STANDARD))


def test_a_formula_reading_only_rep_fields_scores_every_lead_by_the_counts_given():
    # Neither the formula nor any route reads a lead field: no lead column to count leads by.
    formula = compile_formula("容量*2+IF(职级=\"senior\",10,0)", STANDARD)
    reps = columns([{"容量": 10, "职级": "senior"}, {"容量": 20, "职级": "junior"}], ["容量", "职级"])
    result = rank({}, reps, [RouteSpec("all", None, None, np.ones(2, dtype=bool))], formula, n_leads=3, n_reps=2)
    assert result.route_index.tolist() == [0, 0, 0]
    assert as_set(result) == {(li, 0): 30.0 for li in range(3)} | {(li, 1): 40.0 for li in range(3)}


def test_a_constant_formula_without_columns_needs_the_counts():
    formula = compile_formula("50", STANDARD)
    routes = [RouteSpec("all", None, None, np.ones(2, dtype=bool))]
    assert len(rank({}, {}, routes, formula, n_leads=2, n_reps=2).score) == 4
    with pytest.raises(ValueError, match="n_leads"):
        rank({}, {}, routes, formula)
    with pytest.raises(ValueError, match="n_leads"):
        rank(columns(LEADS, LEAD_NAMES), {}, routes, formula, n_leads=2)  # 5 lead rows, told 2


def test_explain_pair_shows_each_term_on_the_path_taken():
    formula = compile_formula(SEED, STANDARD)
    steps = explain_pair(LEADS[2], REPS[0], formula)
    assert steps == [
        ("IF(AND((行政区划=销售员所在地),(近6月采购金额>=50000)),100,IF((近6月采购金额>=20000),70,30))", 70.0),
        ("AND((行政区划=销售员所在地),(近6月采购金额>=50000))", False),
        ("(行政区划=销售员所在地)", True),
        ("行政区划", "柯桥区"),
        ("销售员所在地", "柯桥区"),
        ("(近6月采购金额>=50000)", False),
        ("近6月采购金额", 20000.0),
        ("IF((近6月采购金额>=20000),70,30)", 70.0),
        ("(近6月采购金额>=20000)", True),
    ]
    blank = explain_pair({}, {}, compile_formula("100/近6月采购金额", STANDARD))
    assert blank == [("(100/近6月采购金额)", "#DIV/0!"), ("近6月采购金额", None)]


# ------------------------------------------------------------ generated inputs == the per-pair reference

PLACES = [None, "柯桥区", "越城区", "绍兴市", "吴江区", "苏州市", "KEQIAO", "keqiao"]
SOURCES = [None, "百度爱采购", "展会扫码", "官网表单", "伙伴报备"]
TAGS = ["注塑机", "精密注塑机械", "纺织机械", "机床"]
NUMBERS = [None, 0.0, 3.0, 19999.0, 20000.0, 50000.0, 50_000_000.0]


def gen_lead(rng):
    return {
        "来源": rng.choice(SOURCES),
        "行业标签": None if rng.random() < 0.2 else rng.sample(TAGS, rng.randint(0, 2)),
        "纬度": None if rng.random() < 0.2 else rng.uniform(29.5, 31.5),
        "经度": None if rng.random() < 0.2 else rng.uniform(119.5, 121.5),
        "城市": rng.choice(PLACES), "区县": rng.choice(PLACES), "行政区划": rng.choice(PLACES),
        "近6月采购金额": rng.choice(NUMBERS) if rng.random() < 0.7 else rng.uniform(0, 100000),
        "年营业额": rng.choice(NUMBERS), "近3月订单数": rng.choice(NUMBERS), "预算": rng.choice(NUMBERS),
    }


def gen_rep(rng):
    return {
        "销售员所在地": rng.choice(PLACES),
        "籍贯": rng.choice(PLACES),
        "职级": rng.choice([None, "junior", "senior", "key_account"]),
        "历史转化率": rng.choice([None, 0.0, 0.1, 0.35]),
        "近3月成交客户位置": None if rng.random() < 0.2 else
        [(rng.uniform(29.5, 31.5), rng.uniform(119.5, 121.5)) for _ in range(rng.randint(0, 3))],
    }


FORMULAS = [
    SEED,
    "IF(DISTANCE(纬度,经度,近3月成交客户位置)<=80,90-DISTANCE(纬度,经度,近3月成交客户位置)/10,20)+历史转化率*10",
    "100/近3月订单数+MAX(预算,历史转化率)",  # #DIV/0! scores 0
]


def reference(leads, reps, routes, formula, available):
    route_index, pairs = [], {}
    for i, lead in enumerate(leads):
        k = next((k for k, r in enumerate(routes) if r.condition is None or r.condition.evaluate(lead) is True), -1)
        route_index.append(k)
        if k < 0 or routes[k].to_pool:
            continue
        for j, rep in enumerate(reps):
            row = lead | rep
            if not (routes[k].target[j] and available[j]):
                continue
            if routes[k].rep_filter is not None and routes[k].rep_filter.evaluate(row) is not True:
                continue
            value = formula.evaluate(row)
            pairs[(i, j)] = 0.0 if isinstance(value, ExcelError) else float(np.float32(value))
    return route_index, pairs


@pytest.mark.parametrize("text", FORMULAS)
@pytest.mark.parametrize("chunk", [1 << 18, 7])
def test_ranking_equals_the_per_pair_reference(text, chunk, monkeypatch):
    monkeypatch.setattr(ranking_module, "_CHUNK_PAIRS", chunk)  # several chunks per route too
    rng = random.Random(f"{text}|{chunk}")
    leads = [gen_lead(rng) for _ in range(120)]
    reps = [gen_rep(rng) for _ in range(30)]
    nrng = np.random.default_rng(5)
    routes = [
        RouteSpec("pool", cond('来源="伙伴报备"'), None, np.zeros(30, dtype=bool), to_pool=True),
        RouteSpec("baidu", cond('AND(来源="百度爱采购",CONTAINS(行业标签,"注塑机"))'),
                  pair("DISTANCE(纬度,经度,近3月成交客户位置)<=50"), nrng.random(30) < 0.8),
        RouteSpec("expo", cond('AND(来源="展会扫码",年营业额>=50000000)'), pair('职级<>"junior"'), nrng.random(30) < 0.5),
        RouteSpec("keqiao", cond('AND(区县="柯桥区",近3月订单数>=3)'), pair("OR(籍贯=城市,籍贯=区县)"), np.ones(30, dtype=bool)),
        RouteSpec("div0", cond("100/近3月订单数>30"), None, nrng.random(30) < 0.5),  # errs on blank/0 orders: no match
        RouteSpec("team", cond('行政区划<"苏"'), None, nrng.random(30) < 0.3),
        RouteSpec("rest", None, pair("销售员所在地=行政区划"), np.ones(30, dtype=bool)),
    ]
    formula = compile_formula(text, STANDARD)
    available = nrng.random(30) < 0.85
    lead_names = [n for n in STANDARD if STANDARD[n].owner == "lead" and n in leads[0]]
    rep_names = [n for n in STANDARD if STANDARD[n].owner == "rep" and n in reps[0]]
    result = rank(columns(leads, lead_names), columns(reps, rep_names), routes, formula, available)
    expected_routes, expected_pairs = reference(leads, reps, routes, formula, available)
    assert result.route_index.tolist() == expected_routes
    assert set(np.unique(result.route_index)) >= {0, 1, 3, 6}  # the generated data exercises the routes
    got = as_set(result)
    assert len(got) == len(result.score)  # no pair twice
    assert got.keys() == expected_pairs.keys()
    for key, value in expected_pairs.items():
        assert got[key] == pytest.approx(value, rel=1e-6), key
    assert result.lead_idx.dtype == np.int32 and result.rep_idx.dtype == np.int32 and result.score.dtype == np.float32
