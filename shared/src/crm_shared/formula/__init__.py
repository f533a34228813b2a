"""The formula language: Excel-style formulas the business writes over a
catalogue of fields, e.g.
``IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))``.
docs/formula-language.md describes it as its writers see it.

How a service uses it:
- a field catalogue: {name: FieldSpec(type, owner)} (types "number", "text",
  "tags", or a FieldKind its language adds);
- at save time `compile_formula(text, catalogue, result_types)` checks it
  (FormulaError, an InvalidArgument naming line, column and reason) and, where
  fields have ranges, `check_finite(compiled, ranges)` refuses an overflow;
- the CompiledFormula is immutable once built: cache it, then `evaluate(row)`
  / `score(row)` per row or `evaluate_vectorised` / `evaluate_columns` over
  columns, never parsing again;
- its own functions (and field types) as `LANGUAGE.extend(functions, kinds)`
  (crm_shared.formula.functions), passed as compile_formula's `language`.

A formula is parsed with a lark LALR grammar into our own tree and only walked:
nothing is eval'd, so it has no side effects and no way out.
"""

from crm_shared.formula.ast import MAX_DEPTH, MAX_LENGTH, MAX_NODES, Call, Const, Node, Op, Ref, render, walk
from crm_shared.formula.checker import compile_formula, unusable_formula
from crm_shared.formula.compiled import MAX_SCORE, CompiledFormula, FieldSpec, FieldType, Score, score_matrix
from crm_shared.formula.errors import DIV0, NA, NAME, NUM, ExcelError, FormulaError
from crm_shared.formula.functions import LANGUAGE, LOGICAL, FieldKind, Function, Language, expect
from crm_shared.formula.save_check import check_finite
from crm_shared.formula.vectorised import Column, Vocabulary, blank_of, err_of, prepare_columns, truth

__all__ = [
    "DIV0",
    "LANGUAGE",
    "LOGICAL",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_SCORE",
    "NA",
    "NAME",
    "NUM",
    "Call",
    "Column",
    "CompiledFormula",
    "Const",
    "ExcelError",
    "FieldKind",
    "FieldSpec",
    "FieldType",
    "FormulaError",
    "Function",
    "Language",
    "Node",
    "Op",
    "Ref",
    "Score",
    "Vocabulary",
    "blank_of",
    "check_finite",
    "compile_formula",
    "err_of",
    "expect",
    "prepare_columns",
    "render",
    "score_matrix",
    "truth",
    "unusable_formula",
    "walk",
]
