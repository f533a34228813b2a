"""The formula language (crm_shared.formula): parsing, checking, Excel semantics, and the two evaluators."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from crm_shared.domain.errors import InvalidArgument
from crm_shared.formula import DIV0, ExcelError, FieldSpec, FormulaError, compile_formula, score_matrix

SEED = "IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))"

CATALOGUE = {
    "行政区划": FieldSpec("text", "lead"),
    "近6月采购金额": FieldSpec("number", "lead"),
    "行业标签": FieldSpec("tags", "lead"),
    "纬度": FieldSpec("number", "lead"),
    "经度": FieldSpec("number", "lead"),
    "销售员所在地": FieldSpec("text", "rep"),
    "销售员纬度": FieldSpec("number", "rep"),
    "销售员经度": FieldSpec("number", "rep"),
    "rep_quota": FieldSpec("number", "rep"),
    # generic fields for generated formulas
    "n1": FieldSpec("number", "lead"),
    "t1": FieldSpec("text", "lead"),
    "n2": FieldSpec("number", "rep"),
    "t2": FieldSpec("text", "rep"),
}
ANY = ("number", "bool")


# ------------------------------------------------------------ the seed formula


@pytest.mark.parametrize(
    ("district", "rep_place", "amount", "score"),
    [
        ("苏州市吴江区", "苏州市吴江区", 50000, 100),
        ("苏州市吴江区", "苏州市吴江区", 80000.5, 100),
        ("苏州市吴江区", "无锡市", 60000, 70),
        ("苏州市吴江区", "苏州市吴江区", 20000, 70),
        ("苏州市吴江区", "苏州市吴江区", 19999, 30),
        ("苏州市吴江区", "苏州市吴江区", None, 30),
        (None, None, None, 30),
    ],
)
def test_seed_formula_scores(district, rep_place, amount, score):
    f = compile_formula(SEED, CATALOGUE)
    row = {"行政区划": district, "销售员所在地": rep_place, "近6月采购金额": amount}
    assert f.evaluate(row) == score
    assert f.score(row).value == score and f.score(row).error is None
    vec = f.evaluate_vectorised(
        {"行政区划": np.array([district], dtype=object), "近6月采购金额": np.array([amount], dtype=object)},
        {"销售员所在地": np.array([rep_place], dtype=object)},
    )
    assert vec.shape == (1, 1) and vec[0, 0] == score


def test_seed_formula_vectorised_shape_and_explanation():
    f = compile_formula(SEED, CATALOGUE)
    out = f.evaluate_vectorised(
        {"行政区划": np.array(["苏州", "无锡", None], dtype=object), "近6月采购金额": np.array([60000, 30000, np.nan])},
        {"销售员所在地": np.array(["苏州", "无锡"], dtype=object)},
    )
    assert out.tolist() == [[100, 70], [70, 70], [30, 30]]
    steps = f.explain({"行政区划": "苏州", "销售员所在地": "无锡", "近6月采购金额": 30000})
    assert steps == [
        ("AND((行政区划=销售员所在地),(近6月采购金额>=50000))", False),
        ("(近6月采购金额>=20000)", True),
        ("70", 70.0),
    ]


def test_full_width_punctuation_accepted():
    f = compile_formula("IF（近6月采购金额>=20000，70，30）", CATALOGUE)
    assert f.evaluate({"近6月采购金额": 20000}) == 70


# ------------------------------------------------------------ rejected formulas


@pytest.mark.parametrize(
    ("text", "line", "column", "reason"),
    [
        ("IF(近6月采购金额>=20000,70,30", 1, 24, "unexpected end"),
        ("IF(近6月采购金额>=20000,\n  70,\n  (30", 3, 6, "unexpected end"),
        ("IF(采购金额>=20000,70,30)", 1, 4, "unknown field '采购金额'"),
        ("IF(近6月采购金额>=1,VLOOKUP(1),3)", 1, 15, "unknown function VLOOKUP"),
        ("IF(近6月采购金额>=1,70)", 1, 1, "IF takes 3 arguments, got 2"),
        ("MAX()", 1, 1, "MAX takes at least 1 arguments, got 0"),
        ('IF(CONTAINS(近6月采购金额,"注塑机"),1,0)', 1, 13, "CONTAINS's first argument expects tags, got number"),
        ("1 + 行政区划", 1, 5, "operator + expects number or bool, got text"),
        ('IF(1>0,1,"a")', 1, 10, "IF branches must have the same type"),
        ("1 +* 2", 1, 4, "unexpected"),
        ("1 + #", 1, 5, "unexpected character '#'"),
        ("行政区划", 1, 1, "must produce a number"),
    ],
)
def test_bad_formulas_report_position_and_reason(text, line, column, reason):
    with pytest.raises(InvalidArgument) as caught:
        compile_formula(text, CATALOGUE)
    err = caught.value
    assert isinstance(err, FormulaError)
    assert (err.line, err.column) == (line, column)
    assert reason in err.reason
    [violation] = err.violations
    assert violation.field == "formula"
    assert f"line {line}, column {column}" in violation.description and reason in violation.description


def test_no_eval_way_out():
    with pytest.raises(FormulaError):
        compile_formula('__import__("os").system("true")', CATALOGUE)


# ------------------------------------------------------------ Excel semantics


def ev(text, row=None, **kw):
    return compile_formula(text, CATALOGUE, result_types=ANY).evaluate(row or kw)


def test_blank_semantics():
    assert ev("n1=0") is True and ev('t1=""') is True and ev('n1=""') is True and ev("t1=0") is True
    assert ev("n1=t1") is True  # blank = blank
    assert ev("n1+5") == 5 and ev("n1*3") == 0 and ev("-n1") == 0
    assert ev('n1<"a"') is True  # blank as "" sorts before text
    assert ev("t1<1") is True  # blank as 0
    assert ev("MIN(n1,7)") == 7 and ev("MAX(n1,-7)") == -7 and ev("MIN(n1,n2)") == 0  # blanks ignored
    assert ev("IF(n1,1,2)") == 2 and ev("NOT(n1)") is True


def test_comparison_semantics():
    assert ev('t1="ABC"', t1="abc") is True
    assert ev('t1<>"ABC"', t1="aBc") is False
    assert ev('t1<"b"', t1="A") is True
    assert ev('n1="1"', n1=1) is False  # number never equals text
    assert ev('n1<"0"', n1=10**9) is True  # numbers sort before text
    assert ev("t1>n1", t1="", n1=5) is True  # an empty text is still text, not blank
    assert ev("(1=1)>n1", n1=10**9) is True and ev('(1=1)>"z"') is True  # logicals sort last
    assert ev("TRUE+TRUE") == 2


def test_division_by_zero_is_an_error_that_propagates():
    assert ev("1/n1") is DIV0
    assert ev("IF(1/n1>1,1,2)") is DIV0
    assert ev("AND(1=0,1/0>1)") is DIV0  # Excel evaluates every argument
    assert ev("IF(1=1,5,1/0)") == 5  # the branch not taken does not matter
    f = compile_formula("100/近6月采购金额", CATALOGUE)
    score = f.score({"近6月采购金额": 0})
    assert (score.value, score.error) == (0.0, "#DIV/0!")
    out = f.evaluate_vectorised({"近6月采购金额": np.array([0.0, 50.0])}, {})
    assert np.isnan(out[0, 0]) and out[1, 0] == 2.0
    assert score_matrix(out).tolist() == [[0.0], [2.0]]


def test_contains():
    assert ev('CONTAINS(行业标签,"ABC")', 行业标签=["xabcx"]) is True
    assert ev('CONTAINS(行业标签,"注塑机")', 行业标签=None) is False
    assert ev('CONTAINS(行业标签,"注塑机")', 行业标签=["机床"]) is False


# ------------------------------------------------------------ vectorised == per pair

GENERATED = [
    SEED,
    'IF(OR(n1>n2,NOT(t1<>"ab")),n1*2-n2/3,MAX(n1,n2,5))',
    "n1/n2+-n1",
    "IF(n1/(n2-1)>1,1,2)",
    "OR(n1=t1,n1<t1,t2>=n2,t1<=t2)",
    "MIN(n1,n2)+MAX(n2,-3)*(1+n1)",
    "IF(t1<t2,n1,n2)",
    'IF(CONTAINS(行业标签,t2),n1,0)+IF(CONTAINS(行业标签,"Ab"),1,0)',
    "AND(t1=t2,n1<=n2,TRUE)",
]
NUMBERS = [None, 0, 1, -2, 2.5, 19999, 20000, 50000, 1e-9]
TEXTS = [None, "", "ab", "AB", "b", "Ab", "x", "X", "苏州", "蘇州"]


def rand_column(rng, kind, n):
    if kind == "number":
        return [rng.choice(NUMBERS) if rng.random() < 0.6 else rng.uniform(-1e5, 1e5) for _ in range(n)]
    if kind == "text":
        return [rng.choice(TEXTS) for _ in range(n)]
    if kind == "points":
        return [
            None
            if rng.random() < 0.2
            else [(rng.uniform(20, 45), rng.uniform(100, 125)) for _ in range(rng.randint(0, 4))]
            for _ in range(n)
        ]
    return [None if rng.random() < 0.2 else rng.sample(TEXTS[1:], rng.randint(0, 3)) for _ in range(n)]


@pytest.mark.parametrize("text", GENERATED)
def test_vectorised_matches_per_pair(text):
    assert_vectorised_matches_per_pair(compile_formula(text, CATALOGUE, result_types=ANY), CATALOGUE)


def assert_vectorised_matches_per_pair(f, catalogue, adjust=None):
    """Every pair of random lead and rep rows: the vectorised result is the per-pair one.
    `adjust(rng, lead, rep, n_leads, n_reps)` may replace columns (e.g. coordinates within range)."""
    rng = random.Random(20261122)
    n_leads, n_reps = 40, 25
    lead, rep = {}, {}
    for name, spec in catalogue.items():
        side, n = (lead, n_leads) if spec.owner == "lead" else (rep, n_reps)
        side[name] = rand_column(rng, spec.type, n)
    if adjust is not None:
        adjust(rng, lead, rep, n_leads, n_reps)
    vec = f.evaluate_vectorised(
        {k: np.array(v, dtype=object) for k, v in lead.items()}, {k: np.array(v, dtype=object) for k, v in rep.items()}
    )
    assert vec.shape == (n_leads, n_reps)
    for i in range(n_leads):
        for j in range(n_reps):
            row = {k: v[i] for k, v in lead.items()} | {k: v[j] for k, v in rep.items()}
            expected = f.evaluate(row)
            if isinstance(expected, ExcelError):
                assert np.isnan(vec[i, j]) if vec.dtype != bool else not vec[i, j], (row, expected)
            else:
                assert vec[i, j] == expected, (row, expected, vec[i, j])


# ------------------------------------------------------------ against an independent Excel engine

import formulas
import schedula

REFERENCE = [
    "IF(AND(t1=t2,n1>=50000),100,IF(n1>=20000,70,30))",
    'IF(OR(n1>n2,NOT(t1<>"ab")),n1*2-n2/3,MAX(n1,n2,5))',
    "n1/n2+-n1",
    "IF(n1/(n2-1)>1,1,2)",
    "OR(n1=t1,n1<t1,t2>=n2,t1<=t2)",
    "MIN(n1,n2)+MAX(n2,-3)*(1+n1)",
    'AND(t1="AB",n1<=n2,NOT(n2=0))',
]
ASCII_TEXTS = [None, "", "ab", "AB", "b", "Ab", "x", "X", "abc"]  # letters only: Excel collates, we casefold


def excel_value(v):
    # A blank cell is passed as a 1x1 range holding EMPTY: formulas' MIN/MAX only skip blanks inside ranges.
    return np.array([[schedula.EMPTY]], dtype=object) if v is None else v


def plain(result):
    value = np.ravel(result)[0] if isinstance(result, np.ndarray) else result
    if isinstance(value, formulas.tokens.operand.XlError):
        return ExcelError(str(value))
    return value.item() if isinstance(value, np.generic) else value


@pytest.mark.parametrize("text", REFERENCE)
def test_semantics_match_the_formulas_package(text):
    names = ["n1", "n2", "t1", "t2"]
    cells = {name: f"A{i + 1}" for i, name in enumerate(names)}
    excel_text = "=" + re.sub(r"\b(n1|n2|t1|t2)\b", lambda m: cells[m.group(1)], text)
    reference = formulas.Parser().ast(excel_text)[1].compile()
    order = [names[int(ref[1:]) - 1] for ref in reference.inputs]
    ours = compile_formula(text, CATALOGUE, result_types=ANY)
    rng = random.Random(7)
    for _ in range(150):
        row = {
            "n1": rng.choice(NUMBERS) if rng.random() < 0.7 else round(rng.uniform(-100, 100), 2),
            "n2": rng.choice(NUMBERS) if rng.random() < 0.7 else round(rng.uniform(-100, 100), 2),
            "t1": rng.choice(ASCII_TEXTS),
            "t2": rng.choice(ASCII_TEXTS),
        }
        expected = plain(reference(*(excel_value(row[name]) for name in order)))
        got = ours.evaluate(row)
        if isinstance(expected, ExcelError):
            assert got == expected, (row, expected, got)
        elif isinstance(expected, bool) or isinstance(got, bool):
            assert got is bool(expected), (row, expected, got)
        else:
            assert got == pytest.approx(float(expected), rel=1e-12, abs=1e-12), (row, expected, got)
