"""Lead routing compute: re-ranking the pool and the optimal batch assignment.

(a) Re-rank 100,000 open leads x 500 reps with the seed formula and 10 routes
    (the three seed routes, a pool route, region and budget routes, a
    catch-all), vectorised; baseline: the same formula evaluated per pair by
    the `formulas` package (an independent Excel engine), timed on a sample of
    pairs in the same run and scaled to the pairs the re-rank scored. Also the
    worst case where every one of the 50,000,000 pairs is a candidate.
(b) Optimal assignment of 10,000 leads to 500 reps with capacities (min-cost
    flow), every pair eligible, scored by the seed formula plus two rep terms;
    and the same with a per-pair term so no two leads are alike (the harder
    case); baseline: greedy by descending score, same input, same run; best
    of 3 for both.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from lead_routing.domain.batch_assignment import assign_greedy, assign_optimal
from lead_routing.domain.catalogue import STANDARD, lead_only
from lead_routing.domain.formula import compile_formula
from lead_routing.domain.ranking import RouteSpec, rank

SEED = "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))"
EXCEL_SEED = "=IF(AND(A1=A2,A3>=50000),100,IF(A3>=20000,70,30))"  # A1 行政区划, A2 销售员所在地, A3 近6月采购金额
N_LEADS, N_REPS = 100_000, 500
N_ASSIGN_LEADS = 10_000

# province -> city -> ((lat, lng), districts)
REGIONS = {
    "浙江省": {"绍兴市": ((30.00, 120.58), ["柯桥区", "越城区", "上虞区"]), "杭州市": ((30.27, 120.15), ["萧山区", "余杭区", "西湖区"]),
              "宁波市": ((29.87, 121.54), ["鄞州区", "北仑区", "慈溪市"])},
    "江苏省": {"苏州市": ((31.30, 120.59), ["吴江区", "昆山市", "吴中区"]), "无锡市": ((31.49, 120.31), ["江阴市", "滨湖区"])},
    "广东省": {"东莞市": ((23.02, 113.75), ["长安镇", "虎门镇"]), "佛山市": ((23.02, 113.12), ["顺德区", "南海区"])},
    "山东省": {"青岛市": ((36.07, 120.38), ["黄岛区", "即墨区"]), "济南市": ((36.65, 117.12), ["历城区"])},
    "上海市": {"上海市": ((31.23, 121.47), ["松江区", "嘉定区", "闵行区"])},
    "福建省": {"泉州市": ((24.87, 118.68), ["晋江市", "石狮市"])},
}
PLACES = [(p, c, d, ll) for p, cities in REGIONS.items() for c, (ll, ds) in cities.items() for d in ds]
SOURCES = ["展会扫码", "百度爱采购", "抖音本地推", "官网表单", "伙伴报备", "导入", "手工录入"]
INDUSTRIES = ["注塑机", "纺织机械", "数控机床", "包装机械", "激光切割", "空压机"]
TEAMS = ["浙江一组", "浙江二组", "江苏组", "广东组", "山东组", "大客户组", "技术顾问组", "综合组"]


def make_leads(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    place = rng.integers(len(PLACES), size=n)
    p = [PLACES[i] for i in place]
    district = np.array([x[2] for x in p], dtype=object)
    city = np.array([x[1] for x in p], dtype=object)
    known = rng.random(n) < 0.95
    amount = np.round(rng.lognormal(10, 1.2, n), 2)
    amount[rng.random(n) < 0.1] = np.nan
    lat = np.array([x[3][0] for x in p]) + rng.normal(0, 0.3, n)
    lng = np.array([x[3][1] for x in p]) + rng.normal(0, 0.3, n)
    no_coords = rng.random(n) < 0.05
    lat[no_coords] = lng[no_coords] = np.nan
    tags = np.empty(n, dtype=object)
    tags[:] = [list(rng.choice(INDUSTRIES, size=k, replace=False)) if k else None for k in rng.integers(0, 4, n)]
    return {
        "来源": np.array(SOURCES, dtype=object)[rng.integers(len(SOURCES), size=n)],
        "省份": np.array([x[0] for x in p], dtype=object),
        "城市": city,
        "区县": np.where(known, district, None),
        "行政区划": np.where(known, district, city),
        "行业标签": tags,
        "预算": np.round(rng.lognormal(12, 1.5, n)),
        "年营业额": np.round(rng.lognormal(16, 1.5, n)),
        "近6月采购金额": amount,
        "近3月订单数": rng.integers(0, 8, n).astype(float),
        "纬度": lat,
        "经度": lng,
    }


def make_reps(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    place = rng.integers(len(PLACES), size=n)
    home = rng.integers(len(PLACES), size=n)
    points = np.empty(n, dtype=object)
    points[:] = [
        [(PLACES[i][3][0] + rng.normal(0, 0.3), PLACES[i][3][1] + rng.normal(0, 0.3)) for _ in range(k)]
        for i, k in zip(place, rng.integers(0, 6, n))
    ]
    return {
        "销售员": np.array([f"rep-{i}" for i in range(n)], dtype=object),
        "团队": np.array(TEAMS, dtype=object)[np.arange(n) % len(TEAMS)],
        "销售员所在地": np.array([PLACES[i][2] if i % 3 else PLACES[i][1] for i in place], dtype=object),
        "籍贯": np.array([PLACES[i][1] if i % 2 else PLACES[i][2] for i in home], dtype=object),
        "职级": np.array(["junior", "senior", "key_account"], dtype=object)[rng.integers(0, 3, n)],
        "历史转化率": rng.integers(2, 40, n) / 100,
        "近3月成交客户位置": points,
    }


def make_routes(reps: dict[str, np.ndarray]) -> list[RouteSpec]:
    lead_fields = lead_only(STANDARD)

    def cond(text):
        return compile_formula(text, lead_fields, result_types=("bool",))

    def pair(text):
        return compile_formula(text, STANDARD, result_types=("bool",))

    def team(*names):
        return np.isin(reps["团队"], names)

    everyone = np.ones(len(reps["团队"]), dtype=bool)
    return [
        RouteSpec("baidu-injection", cond('AND(来源="百度爱采购",CONTAINS(行业标签,"注塑机"))'),
                  pair("DISTANCE(纬度,经度,近3月成交客户位置)<=50"), everyone),
        RouteSpec("expo-key-account", cond('AND(来源="展会扫码",年营业额>=50000000)'), pair('职级<>"junior"'), team("大客户组")),
        RouteSpec("keqiao-local", cond('AND(区县="柯桥区",近3月订单数>=3)'), pair("OR(籍贯=城市,籍贯=区县)"),
                  team("浙江一组", "浙江二组", "技术顾问组")),
        RouteSpec("partner-pool", cond('来源="伙伴报备"'), None, np.zeros_like(everyone), to_pool=True),
        RouteSpec("zhejiang", cond('省份="浙江省"'), None, team("浙江一组", "浙江二组")),
        RouteSpec("jiangsu", cond('省份="江苏省"'), None, team("江苏组")),
        RouteSpec("guangdong", cond('省份="广东省"'), None, team("广东组")),
        RouteSpec("shandong", cond('省份="山东省"'), None, team("山东组")),
        RouteSpec("big-budget", cond("预算>=1000000"), None, team("大客户组", "技术顾问组")),
        RouteSpec("everyone-else", None, None, everyone),
    ]


def best_of(fn, repeat: int):
    best, value = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def per_pair_seconds(leads, reps, sample: int, rng: np.random.Generator) -> tuple[float, float]:
    """Seconds per pair for the seed formula: the `formulas` package, and our own per-pair evaluator."""
    import formulas
    import schedula

    excel = formulas.Parser().ast(EXCEL_SEED)[1].compile()
    order = [{"A1": "行政区划", "A2": "销售员所在地", "A3": "近6月采购金额"}[ref] for ref in excel.inputs]
    ours = compile_formula(SEED, STANDARD)
    li, ri = rng.integers(N_LEADS, size=sample), rng.integers(N_REPS, size=sample)
    rows = []
    for i, j in zip(li, ri):
        row = {"行政区划": leads["行政区划"][i], "近6月采购金额": leads["近6月采购金额"][i], "销售员所在地": reps["销售员所在地"][j]}
        rows.append(row)
    blank = np.array([[schedula.EMPTY]], dtype=object)

    def cell(v):
        return blank if v is None or (isinstance(v, float) and np.isnan(v)) else v

    args = [[cell(row[name]) for name in order] for row in rows]
    t0 = time.perf_counter()
    for a in args:
        excel(*a)
    theirs = (time.perf_counter() - t0) / sample
    t0 = time.perf_counter()
    for row in rows:
        ours.score(row)
    return theirs, (time.perf_counter() - t0) / sample


def result(name: str, value: float, unit: str, baseline: float) -> dict:
    ratio = value / baseline if baseline else 0.0
    return {"name": name, "value": value, "unit": unit, "baseline": baseline, "ratio": ratio}


def bench_rerank() -> list[dict]:
    rng = np.random.default_rng(20261122)
    leads, reps = make_leads(rng, N_LEADS), make_reps(rng, N_REPS)
    formula = compile_formula(SEED, STANDARD)
    routes = make_routes(reps)
    available = rng.random(N_REPS) < 0.95
    seconds, ranking = best_of(lambda: rank(leads, reps, routes, formula, available), 3)
    candidates = sum(
        int(np.sum(ranking.route_index == k)) * int(np.sum(r.target & available))
        for k, r in enumerate(routes)
        if not r.to_pool
    )
    everyone = [RouteSpec("all", None, None, np.ones(N_REPS, dtype=bool))]
    seconds_all, ranking_all = best_of(lambda: rank(leads, reps, everyone, formula), 2)
    assert len(ranking_all.score) == N_LEADS * N_REPS
    del ranking_all
    theirs, ours_per_pair = per_pair_seconds(leads, reps, 1000, rng)
    print(
        f"re-rank {N_LEADS:,} leads x {N_REPS} reps, 10 routes: {seconds:.3f} s; "
        f"{candidates:,} candidate pairs scored, {len(ranking.score):,} eligible after filters; "
        f"all 50M pairs: {seconds_all:.3f} s; "
        f"per pair: formulas {theirs * 1e6:.1f} us, ours {ours_per_pair * 1e6:.1f} us; "
        f"speed-up vs formulas x{theirs * candidates / seconds:,.0f}",
        file=sys.stderr,
    )
    return [
        result("rerank 100k x 500, 10 routes (s) vs formulas", seconds, "s", theirs * candidates),
        result("rerank 100k x 500, 10 routes (s) vs our per-pair", seconds, "s", ours_per_pair * candidates),
        result("rerank all 50M pairs, 1 route (s) vs formulas", seconds_all, "s", theirs * N_LEADS * N_REPS),
    ]


# the seed formula plus a hometown bonus and the rep's conversion rate: leads compete for the same good reps
ASSIGN_FORMULA = SEED + "+IF(城市=籍贯,15,0)+历史转化率*40"


def assignment_input(rng: np.random.Generator):
    leads, reps = make_leads(rng, N_ASSIGN_LEADS), make_reps(rng, N_REPS)
    everyone = [RouteSpec("all", None, None, np.ones(N_REPS, dtype=bool))]  # every pair eligible
    ranking = rank(leads, reps, everyone, compile_formula(ASSIGN_FORMULA, STANDARD))
    capacity = rng.integers(5, 30, N_REPS)  # about 8,500 slots for 10,000 leads: capacity binds
    return ranking.lead_idx, ranking.rep_idx, ranking.score, capacity


def bench_assignment() -> list[dict]:
    rng = np.random.default_rng(7)
    lead_idx, rep_idx, score, capacity = assignment_input(rng)
    # the same with a per-pair term (e.g. a distance), so that no two leads have the same scores
    distinct = score + rng.random(len(score)).astype(np.float32) * 5
    out = []
    for label, values in (("", score), (", distinct rows", distinct)):
        seconds, (ol, orr) = best_of(lambda: assign_optimal(lead_idx, rep_idx, values, capacity), 3)
        greedy_seconds, (gl, gr) = best_of(lambda: assign_greedy(lead_idx, rep_idx, values, capacity), 3)
        matrix = np.zeros((N_ASSIGN_LEADS, N_REPS), dtype=np.float64)
        matrix[lead_idx, rep_idx] = values
        ours, greedy = float(matrix[ol, orr].sum()), float(matrix[gl, gr].sum())
        print(
            f"assign {N_ASSIGN_LEADS:,} leads x {N_REPS} reps{label} ({int(capacity.sum()):,} slots): "
            f"optimal {seconds:.3f} s (target 2 s), total {ours:,.1f} ({len(ol):,} assigned); "
            f"greedy {greedy_seconds:.3f} s, total {greedy:,.1f} ({len(gl):,} assigned)",
            file=sys.stderr,
        )
        out += [
            result(f"optimal assignment 10k x 500{label} (s) vs greedy", seconds, "s", greedy_seconds),
            result(f"optimal assignment{label} total score vs greedy", ours, "score", greedy),
        ]
    return out


def bench_routing() -> list[dict]:
    return bench_rerank() + bench_assignment()
