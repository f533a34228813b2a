"""The formula language's limits: size and depth refused while parsing, numbers
too large to compute are #NUM! at run time and refused on save where the fields'
ranges can reach them; and the extension point a service plugs its own
functions and field types into."""

from __future__ import annotations

import math

import numpy as np
import pytest
from crm_shared.formula import (
    LANGUAGE,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NODES,
    MAX_SCORE,
    NA,
    Column,
    FieldKind,
    FieldSpec,
    FormulaError,
    Function,
    check_finite,
    compile_formula,
    expect,
    score_matrix,
)

CAT = {
    "来源": FieldSpec("text", "lead"),
    "近6月采购金额": FieldSpec("number", "lead"),
    "近3月订单数": FieldSpec("number", "lead"),
    "纬度": FieldSpec("number", "lead"),
    "在手线索数": FieldSpec("number", "rep"),
}
RANGES = {"近6月采购金额": (0.0, 1e13), "近3月订单数": (0.0, 1e6), "纬度": (-90.0, 90.0)}


def _sum(terms: int) -> str:
    return "+".join(["1"] * terms)


def _deep_stack(frames: int, then):
    """Call `then` with about `frames` frames already on the stack, as a
    request handler would be (asyncio, gRPC, the handler itself)."""
    if frames == 0:
        return then()
    return _deep_stack(frames - 1, then)


# ------------------------------------------------------------ size and depth


@pytest.mark.parametrize(
    ("text", "column", "reason"),
    [
        (_sum(2000), None, "levels deep"),
        ("-" * 4000 + "1", MAX_LENGTH + 1, f"longer than {MAX_LENGTH} characters"),
        ("MAX(" + ",".join(["1+1+1+1+1"] * 120) + ")", None, f"more than {MAX_NODES}"),
    ],
)
def test_an_oversized_formula_is_refused_while_parsing(text: str, column: int | None, reason: str) -> None:
    with pytest.raises(FormulaError) as err:
        compile_formula(text, CAT)
    assert reason in err.value.reason and err.value.line == 1
    assert column is None or err.value.column == column


def test_a_formula_at_the_depth_limit_compiles_one_more_level_does_not() -> None:
    text = "+".join(["近3月订单数"] + ["1"] * (MAX_DEPTH - 1))
    f = compile_formula(text, CAT)
    assert _deep_stack(600, lambda: f.evaluate({"近3月订单数": 5.0})) == 5 + MAX_DEPTH - 1
    with pytest.raises(FormulaError):
        compile_formula(text + "+1", CAT)


def test_nested_ifs_at_the_depth_limit_evaluate() -> None:
    levels = MAX_DEPTH - 2  # each IF one level, its condition a comparison over a field
    text = "".join(f"IF(近3月订单数>{i},{i}," for i in range(levels)) + "0" + ")" * levels
    f = compile_formula(text, CAT)
    assert _deep_stack(600, lambda: f.evaluate({"近3月订单数": 0.0})) == 0
    assert f.evaluate({"近3月订单数": 3.0}) == 0  # 3 > 0 holds first


# ------------------------------------------------------------ numbers too large


def test_an_overflowing_formula_scores_zero_with_num_at_run_time() -> None:
    f = compile_formula("近6月采购金额*1e300", CAT)  # as a stored version the old check accepted
    lead = {"近6月采购金额": 1e10}
    assert str(f.evaluate(lead)) == "#NUM!"
    assert (f.score(lead).value, f.score(lead).error) == (0.0, "#NUM!")
    assert f.score({"近6月采购金额": 1e-290}).value == pytest.approx(1e10)
    vec = f.evaluate_vectorised({"近6月采购金额": np.array([1e10, 1e-290, np.nan])}, {})
    assert score_matrix(vec)[:, 0].tolist() == pytest.approx([0.0, 1e10, 0.0])
    big = compile_formula("近6月采购金额*1e10", CAT)
    assert big.score(lead).error == "#NUM!"  # 10^20: finite, beyond MAX_SCORE
    assert score_matrix(big.evaluate_vectorised({"近6月采购金额": np.array([1e10])}, {}))[0, 0] == 0


def test_a_field_holding_infinity_is_num_in_both_evaluators() -> None:
    f = compile_formula("纬度+1", CAT)
    assert str(f.evaluate({"纬度": math.inf})) == "#NUM!"
    assert f.score({"纬度": 10**400}).error == "#NUM!"  # an int too large for a float
    vec = f.evaluate_vectorised({"纬度": np.array([np.inf, 1.0])}, {})
    assert np.isnan(vec[0, 0]) and vec[1, 0] == 2


def test_check_finite_samples_each_fields_range() -> None:
    # a product only the largest amounts overflow, behind a condition on a text field
    f = compile_formula('IF(来源="展会扫码",近6月采购金额*近6月采购金额*近6月采购金额*1e270,0)', CAT)
    with pytest.raises(FormulaError) as err:
        check_finite(f, RANGES)
    assert "近6月采购金额" in err.value.reason
    with pytest.raises(FormulaError) as err:
        check_finite(f, {"近6月采购金额": (0.0, 1e10)})  # 10^300 at most: finite, but no score
    assert "the score can reach 1e+300" in err.value.reason, err.value.reason
    check_finite(f, {"近6月采购金额": (0.0, 1e-90)})
    g = compile_formula("近6月采购金额", CAT)
    check_finite(g, RANGES)
    with pytest.raises(FormulaError):
        check_finite(g, {"近6月采购金额": (0.0, MAX_SCORE * 10)})


# ------------------------------------------------------------ a service's own catalogue and functions


def test_a_one_sided_catalogue_evaluates_row_by_row_and_over_columns() -> None:
    fields = {"金额": FieldSpec("number"), "等级": FieldSpec("text")}
    f = compile_formula('IF(AND(金额>=100000,等级="A"),"重点","普通")="重点"', fields, result_types=("bool",))
    assert f.sides == ("row", "")
    assert f.evaluate({"金额": 200000, "等级": "a"}) is True and f.evaluate({}) is False
    out = f.evaluate_vectorised(
        {"金额": np.array([200000.0, 1.0, np.nan]), "等级": np.array(["A", "A", None], dtype=object)}
    )
    assert out.tolist() == [[True], [False], [False]]
    check_finite(compile_formula("金额*2", fields), {"金额": (0.0, 1e13)})


def _scaled(node):
    expect(node.args[0], ("number",), node.name)
    expect(node.args[1], ("weights",), "SCALED's second argument")
    return "number"


def _scaled_row(args):
    weights = args[1] or []
    return NA if not weights else (0.0 if args[0] is None else args[0]) * max(weights)


def _scaled_columns(args, vocab):
    x, w = np.broadcast_arrays(args[0].data, args[1].data)
    rows = [_scaled_row([a, b]) for a, b in zip(x.ravel(), w.ravel())]
    na = np.array([r is NA for r in rows], dtype=bool).reshape(x.shape)
    data = np.array([0.0 if r is NA else r for r in rows], dtype=float).reshape(x.shape)
    return Column(data, None, na)


WEIGHTS = FieldKind("weights", (None, [0.0], [1e6], [], [1.0, -1.0]))
SCALED = Function("SCALED", 2, 2, _scaled, _scaled_row, _scaled_columns)
DIALECT = LANGUAGE.extend([SCALED], [WEIGHTS])


def test_a_plugged_in_function_and_field_type() -> None:
    fields = {"x": FieldSpec("number"), "w": FieldSpec("weights")}
    f = compile_formula("SCALED(x,w)+1", fields, language=DIALECT)
    assert f.evaluate({"x": 2, "w": [1.0, 3.0]}) == 7 and f.evaluate({"x": 2, "w": []}) is NA
    weights = np.empty(2, dtype=object)
    weights[:] = [[3.0], None]
    out = f.evaluate_vectorised({"x": np.array([2.0, 1.0]), "w": weights})
    assert out[0, 0] == 7 and np.isnan(out[1, 0])
    with pytest.raises(FormulaError) as err:
        compile_formula("SCALED(x,x)", fields, language=DIALECT)
    assert err.value.reason == "SCALED's second argument expects weights, got number"
    with pytest.raises(FormulaError) as err:
        compile_formula("SCALED(x,w)", fields)  # not in the base language
    assert err.value.reason == "unknown function SCALED"
    with pytest.raises(FormulaError) as err:  # the save check tries the kind's samples: 1e6 * 1e10
        check_finite(compile_formula("SCALED(x,w)", fields, language=DIALECT), {"x": (0.0, 1e10)})
    assert "the score can reach 1e+16" in err.value.reason


def test_a_catalogue_has_at_most_two_sides_and_every_field_type_is_known() -> None:
    with pytest.raises(ValueError):
        compile_formula(
            "1", {"a": FieldSpec("number", "x"), "b": FieldSpec("number", "y"), "c": FieldSpec("text", "z")}
        )
    with pytest.raises(ValueError):
        compile_formula("w=w", {"w": FieldSpec("weights")})  # a type the base language does not have


def test_a_dialect_cannot_redefine_a_name() -> None:
    with pytest.raises(ValueError):
        LANGUAGE.extend([Function("IF", 1, 1, _scaled, _scaled_row, _scaled_columns)])
    with pytest.raises(ValueError):
        LANGUAGE.extend(kinds=[FieldKind("text", (None,) * 5)])


def test_a_compiled_formula_is_reused_without_parsing(monkeypatch) -> None:
    f = compile_formula("近6月采购金额*2", CAT)
    from crm_shared.formula import checker

    monkeypatch.setattr(checker, "parse", None)  # evaluating never parses again
    assert [f.score({"近6月采购金额": n}).value for n in (1, 2, 3)] == [2, 4, 6]
