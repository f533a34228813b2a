"""Excel-style scoring formulas for lead routing.

Sales directors write formulas such as
``IF(AND(行政区划=销售员所在地,近6月采购金额>=50000),100,IF(近6月采购金额>=20000,70,30))``
over a catalogue of lead and rep fields. A formula is parsed with a lark LALR
grammar into our own AST, type-checked against the catalogue on save, and then
evaluated either per (lead, rep) pair (`evaluate`) or for every pair at once
with numpy broadcasting (`evaluate_vectorised`). Nothing is ever eval'd: the
evaluators only walk the AST, so a formula has no side effects and no way out.

Semantics (Excel's, with the deviations noted):
- Text comparison is case-insensitive (casefold, then code-point order; Excel
  orders by locale collation, which matters only for `<`/`>` on text).
- Blank (None) equals 0 and ""; in arithmetic it counts as 0. Across types the
  order is numbers < text < logicals and `=` is false.
- MIN/MAX ignore blank fields like Excel ignores blank cells; all blank -> 0.
- AND/OR/NOT/IF treat a blank number as FALSE (Excel ignores blank references
  inside AND/OR; we do not, so `AND(blank)` is FALSE rather than #VALUE!).
- IF takes exactly three arguments and both branches must have the same type,
  so every pair's result has one type (needed for vectorising).
- Division by zero gives the error value #DIV/0!, which propagates through
  every operation that uses it (IF only through the taken branch). A scoring
  formula whose result is an error scores 0 and the error is reported
  (`Score.error`); `evaluate_vectorised` returns NaN for those pairs and
  `score_matrix` turns them into 0.
- DISTANCE(lat1, lon1, lat2, lon2) is the haversine distance in km on a sphere
  of radius 6371 km; blank coordinates count as 0 like any blank number.
  DISTANCE(lat, lon, points) is the distance to the nearest of a "points"
  field's (lat, lon) pairs. With no points it is the error value #N/A (as
  Excel's lookups give when nothing is found) rather than blank: a blank would
  compare as 0, so `DISTANCE(...)<=50` would hold for a rep with no points.
- CONTAINS(tags, text) is true when any tag contains the text,
  case-insensitively (like Excel's SEARCH); blank tags contain nothing.
- A number too large to compute (an operation overflowing IEEE double, or a
  field holding infinity) is the error value #NUM!, as in Excel, and
  propagates like #DIV/0!. A score beyond ±MAX_SCORE is #NUM! too. So every
  value either evaluator hands out is finite, and an erring pair scores 0.

Limits (checked while parsing, so nothing deeper or bigger is ever built, and
both evaluators, which recurse once per level, stay far inside Python's
stack): at most MAX_LENGTH characters, MAX_NODES operands, operators and
function calls, and MAX_DEPTH levels of them inside one another (a sum of many
terms nests one level per +). Number literals must be finite. The language has
no power operator, no string-building functions (REPT, CONCAT, ...) and no
references to ranges, so no value grows beyond what its fields and literals
hold. On save (`check_finite`) a formula is also evaluated over sample values
of each field's range, and refused when it overflows or, for a score, leaves
±MAX_SCORE there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedInput, UnexpectedToken, v_args

from crm_shared.domain.errors import FieldViolation, InvalidArgument

__all__ = [
    "DIV0",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_SCORE",
    "NA",
    "NUM",
    "CompiledFormula",
    "ExcelError",
    "FieldSpec",
    "FormulaError",
    "Score",
    "check_finite",
    "compile_formula",
    "score_matrix",
    "unusable_formula",
]

MAX_LENGTH = 4000  # characters
MAX_NODES = 1000  # operands, operators and function calls
MAX_DEPTH = 100  # levels of operators and calls inside one another
# A score is compared, ranked and summed by the batch assignment: beyond this
# size it is #NUM! (scores 0). 10^15 is far above any amount in 元 a field holds.
MAX_SCORE = 1e15

FieldType = Literal["number", "text", "tags", "points"]  # points: a list of (lat, lon)
Owner = Literal["lead", "rep"]


@dataclass(frozen=True)
class FieldSpec:
    type: FieldType
    owner: Owner  # whose attribute it is: the lead's (e.g. 行政区划) or the rep's (e.g. 销售员所在地)


class FormulaError(InvalidArgument):
    """A formula rejected on save; an InvalidArgument on field "formula"."""

    def __init__(self, line: int, column: int, reason: str) -> None:
        description = f"line {line}, column {column}: {reason}"
        super().__init__(f"formula: {description}", [FieldViolation("formula", description)])
        self.line, self.column, self.reason = line, column, reason


@dataclass(frozen=True)
class ExcelError:
    code: str

    def __str__(self) -> str:
        return self.code


DIV0 = ExcelError("#DIV/0!")
NA = ExcelError("#N/A")
NUM = ExcelError("#NUM!")  # a number too large to compute
NAME = ExcelError("#NAME?")  # a saved formula that no longer compiles (see unusable_formula)


@dataclass(frozen=True)
class Score:
    value: float
    error: str | None = None  # e.g. "#DIV/0!" when the formula errs and the score falls back to 0


# ---------------------------------------------------------------- parsing

_GRAMMAR = r"""
?start: expr
?expr: additive | expr COMP additive -> compare
?additive: term | additive ADDOP term -> arith
?term: unary | term MULOP unary -> arith
?unary: atom | NEG unary -> neg | "+" unary
?atom: NUMBER -> number
     | STRING -> string
     | NAME -> name
     | NAME _LP [expr (_COMMA expr)*] _RP -> call
     | _LP expr _RP
COMP: "<>" | "<=" | ">=" | "<" | ">" | "="
ADDOP: "+" | "-"
MULOP: "*" | "/"
NEG: "-"
// full-width punctuation is what a Chinese IME types; accept it as-is
_LP: "(" | "（"
_RP: ")" | "）"
_COMMA: "," | "，"
NAME: /[^\W\d][\w.]*/
NUMBER: /(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/
STRING: /"([^"]|"")*"/
%ignore /\s+/
"""


@dataclass(eq=False)
class Node:
    line: int
    column: int
    type: str = field(default="", init=False)  # number | text | bool | tags, set by the checker
    depth: int = field(default=1, init=False)  # levels of nodes down to the deepest leaf, this one included
    size: int = field(default=1, init=False)  # nodes in this subtree


@dataclass(eq=False)
class Const(Node):
    value: Any = None


@dataclass(eq=False)
class Ref(Node):
    name: str = ""


@dataclass(eq=False)
class Op(Node):
    op: str = ""  # "+", "-", "*", "/", "neg", or a comparison
    args: list[Node] = field(default_factory=list)


@dataclass(eq=False)
class Call(Node):
    name: str = ""
    args: list[Node] = field(default_factory=list)


def _grown(node: Node, args: list[Node]) -> Node:
    """`node` over `args`, refused once it is deeper or bigger than the limits.
    Runs as the parser reduces (bottom-up, no recursion), so an oversized
    formula stops at the first node past a limit."""
    if args:
        node.depth = 1 + max(a.depth for a in args)
        node.size = 1 + sum(a.size for a in args)
    if node.depth > MAX_DEPTH:
        raise FormulaError(
            node.line,
            node.column,
            f"nested more than {MAX_DEPTH} levels deep (each operator or function inside another counts a level, "
            "so does each + of a long sum); simplify the formula",
        )
    if node.size > MAX_NODES:
        raise FormulaError(
            node.line, node.column, f"has more than {MAX_NODES} numbers, fields, operators and functions; simplify it"
        )
    return node


@v_args(inline=True)
class _ToAst(Transformer):
    def number(self, tok: Token) -> Node:
        value = float(tok)
        if not math.isfinite(value):
            raise FormulaError(tok.line, tok.column, f"the number {_clip(str(tok))} is too large")
        return Const(tok.line, tok.column, value)

    def string(self, tok: Token) -> Node:
        return Const(tok.line, tok.column, tok[1:-1].replace('""', '"'))

    def name(self, tok: Token) -> Node:
        return Ref(tok.line, tok.column, str(tok))

    def call(self, name: Token, *args: Node | None) -> Node:
        present = [a for a in args if a is not None]
        return _grown(Call(name.line, name.column, str(name).upper(), present), present)

    def compare(self, left: Node, op: Token, right: Node) -> Node:
        return _grown(Op(op.line, op.column, str(op), [left, right]), [left, right])

    def arith(self, left: Node, op: Token, right: Node) -> Node:
        return _grown(Op(op.line, op.column, str(op), [left, right]), [left, right])

    def neg(self, sign: Token, operand: Node) -> Node:
        return _grown(Op(sign.line, sign.column, "neg", [operand]), [operand])


# The tree is built by the parser itself as it reduces (an LALR parser with an
# embedded transformer): no recursive pass over a parse tree whose depth the
# input decides.
_PARSER = Lark(_GRAMMAR, parser="lalr", maybe_placeholders=True, transformer=_ToAst())


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _parse(text: str) -> Node:
    if len(text) > MAX_LENGTH:
        raise FormulaError(1, MAX_LENGTH + 1, f"is longer than {MAX_LENGTH} characters")
    try:
        return _PARSER.parse(text)
    except UnexpectedInput as e:
        if isinstance(e, UnexpectedToken) and e.token.type == "$END":
            lines = text.split("\n")  # report where the input ran out, not the last token
            raise FormulaError(len(lines), len(lines[-1]) + 1, "unexpected end of formula (unclosed parenthesis?)")
        if isinstance(e, UnexpectedCharacters):
            raise FormulaError(e.line, e.column, f"unexpected character {text[e.pos_in_stream]!r}")
        tok = getattr(e, "token", None)
        raise FormulaError(e.line, e.column, f"unexpected {str(tok)!r}" if tok else "syntax error")


# ---------------------------------------------------------------- checking

_LOGICAL = ("bool", "number")
_ARITY = {"IF": (3, 3), "AND": (1, 255), "OR": (1, 255), "NOT": (1, 1), "MIN": (1, 255), "MAX": (1, 255),
          "CONTAINS": (2, 2), "DISTANCE": (3, 4)}


def _check(node: Node, catalogue: Mapping[str, FieldSpec]) -> str:
    def need(arg: Node, allowed: tuple[str, ...], what: str) -> None:
        if arg.type not in allowed:
            raise FormulaError(arg.line, arg.column, f"{what} expects {' or '.join(allowed)}, got {arg.type}")

    if isinstance(node, Const):
        node.type = "number" if isinstance(node.value, float) else "text"
    elif isinstance(node, Ref):
        spec = catalogue.get(node.name)
        if spec is not None:
            node.type = spec.type
        elif node.name.upper() in ("TRUE", "FALSE"):
            node.__class__ = Const  # a logical literal, unless the catalogue has such a field
            node.value, node.type = node.name.upper() == "TRUE", "bool"
        else:
            raise FormulaError(node.line, node.column, f"unknown field {node.name!r}")
    elif isinstance(node, Op):
        for a in node.args:
            _check(a, catalogue)
        if node.op in ("+", "-", "*", "/", "neg"):
            for a in node.args:
                need(a, ("number", "bool"), f"operator {'-' if node.op == 'neg' else node.op}")
            node.type = "number"
        else:
            for a in node.args:
                need(a, ("number", "text", "bool"), f"comparison {node.op}")
            node.type = "bool"
    elif isinstance(node, Call):
        if node.name not in _ARITY:
            raise FormulaError(node.line, node.column, f"unknown function {node.name}")
        lo, hi = _ARITY[node.name]
        if not lo <= len(node.args) <= hi:
            expected = str(lo) if lo == hi else f"at least {lo}"
            raise FormulaError(node.line, node.column, f"{node.name} takes {expected} arguments, got {len(node.args)}")
        for a in node.args:
            _check(a, catalogue)
        if node.name == "IF":
            need(node.args[0], _LOGICAL, "IF condition")
            then, other = node.args[1], node.args[2]
            need(then, ("number", "text", "bool"), "IF")
            if then.type != other.type:
                reason = f"IF branches must have the same type: {then.type} vs {other.type}"
                raise FormulaError(other.line, other.column, reason)
            node.type = then.type
        elif node.name in ("AND", "OR", "NOT"):
            for a in node.args:
                need(a, _LOGICAL, node.name)
            node.type = "bool"
        elif node.name in ("MIN", "MAX"):
            for a in node.args:
                need(a, ("number",), node.name)
            node.type = "number"
        elif node.name == "DISTANCE":
            for a in node.args[:2]:
                need(a, ("number",), node.name)
            for a in node.args[2:]:
                need(a, ("points",) if len(node.args) == 3 else ("number",), node.name)
            node.type = "number"
        else:  # CONTAINS
            need(node.args[0], ("tags",), "CONTAINS's first argument")
            need(node.args[1], ("text",), "CONTAINS's second argument")
            node.type = "bool"
    return node.type


def _walk(node: Node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(getattr(n, "args", ())))


def compile_formula(
    text: str, catalogue: Mapping[str, FieldSpec], result_types: tuple[str, ...] = ("number",)
) -> CompiledFormula:
    """Parse and check a formula; raises FormulaError (an InvalidArgument)."""
    ast = _parse(text)
    result = _check(ast, catalogue)
    if result not in result_types:
        what = "a scoring formula must produce a number"
        if "number" not in result_types:
            what = "a condition must be true or false"
        raise FormulaError(ast.line, ast.column, f"{what}, this one gives {result}")
    used = {n.name: catalogue[n.name] for n in _walk(ast) if isinstance(n, Ref)}
    texts = {n.value.casefold() for n in _walk(ast) if isinstance(n, Const) and isinstance(n.value, str)}
    return CompiledFormula(text, ast, used, texts)


def unusable_formula(text: str, result_type: str = "number") -> CompiledFormula:
    """A saved formula that no longer compiles (a field it reads was removed,
    or it exceeds a limit added after it was saved): it errs (#NAME?) for
    every pair, so a score is 0 and a condition does not hold, instead of
    failing every re-rank and assignment."""
    node = Const(1, 1, NAME)
    node.type = result_type
    return CompiledFormula(text, node, {}, set())


# Sample values per field for the save check: the range's ends and middle, 0, ±1, ±0.01 (a fen in 元, or a
# small rate), each number the formula holds with its neighbours and negation, and blank; texts and tags the
# formula's text literals, another text, and blank.
_BASES = 5  # the values the other fields sit at while one goes through its samples
_MAX_SAMPLE_PAIRS = 1 << 18  # lead samples x rep samples; more are thinned out evenly
_SAMPLE_WORK = 1 << 22  # sample pairs x nodes: a big formula gets fewer pairs, so a save stays quick


def _samples(spec: FieldSpec, bounds: tuple[float, float] | None, literals: set[float], texts: set[str]):
    """(the field's _BASES base values, every sample value)."""
    if spec.type == "number":
        lo, hi = (float(b) for b in bounds) if bounds is not None else (-MAX_SCORE, MAX_SCORE)
        candidates = {lo, hi, (lo + hi) / 2, 0.0, 1.0, -1.0, 0.01, -0.01}
        candidates |= {c + d for c in literals for d in (-1.0, 0.0, 1.0)} | {-c for c in literals}
        within = sorted(x for x in candidates if lo <= x <= hi and math.isfinite(x))
        bases = [None, within[0], within[-1], min(within, key=abs), within[len(within) // 2]]
        return bases, [None, *within]
    words = sorted(texts)
    first, last = (words[0], words[-1]) if words else ("", "")
    other = "\u2060other"  # a text no literal equals or contains
    if spec.type == "text":
        return [None, first, last, "", other], [None, "", other, *words]
    if spec.type == "tags":
        every = [*words, other]
        return [None, [first], every, [other], [last]], [None, [other], every, *([w] for w in words)]
    places = [None, [(0.0, 0.0)], [(90.0, 180.0), (-90.0, -180.0)], [(None, None)], [(45.0, 90.0)]]
    return places, places


def _sample_rows(fields: Mapping[str, FieldSpec], samples: Mapping[str, tuple[list, list]]) -> list[dict[str, Any]]:
    """Each field through each of its samples while the others sit at one of
    their base values (all blank, all lowest, all highest, ...)."""
    names = list(fields)
    if not names:
        return [{}]
    bases = [{n: samples[n][0][base] for n in names} for base in range(_BASES)]
    rows = list(bases)  # the bases first: thinning keeps them
    for at in bases:
        for n in names:
            rows += [at | {n: value} for value in samples[n][1] if value is not at[n] and value != at[n]]
    return rows


def _thin(rows: list, keep: int) -> list:
    """At most `keep` rows (at least the _BASES base rows), evenly spaced after them."""
    keep = max(keep, _BASES)
    if len(rows) <= keep:
        return rows
    rest = rows[_BASES:]
    return rows[:_BASES] + [rest[i] for i in np.linspace(0, len(rest) - 1, keep - _BASES).astype(int)]


def check_finite(formula: CompiledFormula, ranges: Mapping[str, tuple[float, float]]) -> None:
    """The save check: evaluate the formula on every pair of sample leads and
    reps drawn from each field's range (`ranges`: number field -> (lowest,
    highest); a number field without one is taken as ±MAX_SCORE) and refuse
    it (FormulaError) where an operation overflows, or a score leaves
    ±MAX_SCORE. The samples are a field's lowest, highest and middle value, 0,
    ±1, ±0.01, every number in the formula with its neighbours and negation,
    and blank; texts and tags take the formula's text literals, another text
    and blank. Every field goes through its samples while the others sit at
    their blank, lowest, highest, nearest-to-0 or middle sample. Run time
    never depends on this check: a pair that overflows there is #NUM!."""
    literals = {abs(n.value) for n in _walk(formula.ast) if isinstance(n, Const) and type(n.value) is float}
    samples = {n: _samples(spec, ranges.get(n), literals, formula.texts) for n, spec in formula.fields.items()}
    fields = {o: {n: s for n, s in formula.fields.items() if s.owner == o} for o in ("lead", "rep")}
    rows = {o: _sample_rows(fields[o], samples) for o in fields}
    most = max(_BASES * _BASES, min(_MAX_SAMPLE_PAIRS, _SAMPLE_WORK // formula.ast.size))
    while len(rows["lead"]) * len(rows["rep"]) > most:
        larger = max(rows, key=lambda o: len(rows[o]))
        if len(rows[larger]) <= _BASES:
            break
        rows[larger] = _thin(rows[larger], len(rows[larger]) // 2)
    lead_fields, rep_fields = fields["lead"], fields["rep"]
    n_leads, n_reps = len(rows["lead"]), len(rows["rep"])
    lead_raw = {n: _sample_column([r[n] for r in rows["lead"]], s) for n, s in lead_fields.items()}
    rep_raw = {n: _sample_column([r[n] for r in rows["rep"]], s) for n, s in rep_fields.items()}
    vocab = Vocabulary.of(formula.texts, [lead_raw[n] for n, s in lead_fields.items() if s.type == "text"],
                          [rep_raw[n] for n, s in rep_fields.items() if s.type == "text"])
    cols = {n: c.reshape_lead() for n, c in prepare_columns(lead_raw, lead_fields, vocab).items()}
    cols |= {n: c.reshape_rep() for n, c in prepare_columns(rep_raw, rep_fields, vocab).items()}
    overflows: list[Node] = []
    out = _VecContext(cols, vocab, overflows).eval(formula.ast)
    if overflows:
        node = overflows[0]
        read = sorted({n.name for n in _walk(node) if isinstance(n, Ref)})
        when = f" for some values of {', '.join(read)}" if read else ""
        raise FormulaError(
            node.line, node.column, f"{_clip(_render(node), 60)} gives a number too large to compute (#NUM!){when}"
        )
    if formula.ast.type == "number":
        data = np.broadcast_to(np.asarray(out.data, dtype=float), (n_leads, n_reps))
        ok = ~np.broadcast_to(_err(out), data.shape)
        if ok.any() and (peak := float(np.abs(data[ok]).max())) > MAX_SCORE:
            raise FormulaError(
                formula.ast.line, formula.ast.column,
                f"the score can reach {peak:.3g} for values its fields may take; a score must stay within "
                f"±{MAX_SCORE:.0e} (beyond, it counts as #NUM! and scores 0)",
            )


def _sample_column(values: list, spec: FieldSpec) -> np.ndarray:
    if spec.type == "number":
        return np.array([np.nan if v is None else v for v in values], dtype=float)
    col = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        col[i] = v
    return col


# ---------------------------------------------------------------- shared semantics

_RANK = {"number": 0, "text": 1, "bool": 2}  # Excel's cross-type order
_DEFAULT = {"number": 0.0, "text": "", "bool": False}  # what a blank becomes next to a value of that type
_EARTH_KM = 6371.0


def _unit(lat, lon):
    """A location as a unit vector, computed once per lead, rep or point so
    the per-pair part is three products and two sums."""
    phi, lam = np.radians(np.asarray(lat, dtype=float)), np.radians(np.asarray(lon, dtype=float))
    return np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)


def _far(p, q):
    # -cos(central angle): grows with the distance, so the nearest point is the minimum
    return -(p[0] * q[0] + p[1] * q[1] + p[2] * q[2])


def _km(far):
    # haversine: hav(angle) = (1 - cos(angle)) / 2
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip((1 + far) / 2, 0.0, 1.0)))


def _haversine(lat1, lon1, lat2, lon2):
    # One kernel for both evaluators so they agree to the last bit.
    return _km(_far(_unit(lat1, lon1), _unit(lat2, lon2)))


def _points(value) -> tuple[np.ndarray, np.ndarray]:
    """A points field's value as (lat, lon) float arrays; pairs with a blank
    (or infinite) coordinate are not locations and are dropped."""
    if value is None or len(value) == 0:
        return np.empty(0), np.empty(0)
    arr = np.array(np.where(np.equal(value, None), np.nan, value), dtype=float).reshape(-1, 2)
    arr = arr[np.isfinite(arr).all(axis=1)]
    return arr[:, 0], arr[:, 1]


def _nearest(lat, lon, value):
    """Per pair: km to the nearest point of `value`, or #N/A when it has none."""
    plat, plon = _points(value)
    if plat.size == 0:
        return NA
    # the minimum is taken before the (monotone) km conversion, as the vectorised evaluator does
    return float(_km(_far(_unit(lat, lon), _unit(plat, plon)).min()))


def _cmp(op: str, a, b):
    # Works on Python scalars and numpy arrays alike.
    if op == "=":
        return a == b
    if op == "<>":
        return a != b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _tag_hit(tags, needle: str) -> bool:
    return bool(tags) and any(needle in str(t).casefold() for t in tags)


# ---------------------------------------------------------------- per-pair evaluation


@dataclass
class CompiledFormula:
    text: str
    ast: Node
    fields: dict[str, FieldSpec]  # the catalogue fields the formula reads
    texts: set[str]  # casefolded text literals, part of the vectorised vocabulary

    def evaluate(self, row: Mapping[str, Any]) -> Any:
        """The formula's value for one (lead, rep) pair: float, bool or ExcelError.
        `row` holds lead and rep fields by name; missing or None means blank."""
        value = self._eval(self.ast, row)
        return 0.0 if value is None else value  # a blank result shows as 0 in Excel

    def score(self, row: Mapping[str, Any]) -> Score:
        value = self.evaluate(row)
        if isinstance(value, ExcelError):
            return Score(0.0, value.code)
        value = float(value)
        if not abs(value) <= MAX_SCORE:
            return Score(0.0, NUM.code)
        return Score(value)

    def explain(self, row: Mapping[str, Any]) -> list[tuple[str, Any]]:
        """The path through the top-level IFs: each condition and then the chosen
        value, as (canonical source text, value) pairs."""
        node, out = self.ast, []
        while isinstance(node, Call) and node.name == "IF":
            cond = self._eval(node.args[0], row)
            out.append((_render(node.args[0]), cond))
            if isinstance(cond, ExcelError):
                return out
            node = node.args[1] if self._truth(cond) else node.args[2]
        out.append((_render(node), self.evaluate_node(node, row)))
        return out

    def evaluate_node(self, node: Node, row: Mapping[str, Any]) -> Any:
        value = self._eval(node, row)
        return 0.0 if value is None else value

    def evaluate_all(self, row: Mapping[str, Any]) -> dict[int, Any]:
        """One evaluation, keeping every node's value by id(node) (a blank as
        None); nodes of the IF branches not taken are absent. An explanation
        reads its terms from here instead of evaluating each term again."""
        memo: dict[int, Any] = {}
        self._eval(self.ast, row, memo)
        return memo

    @staticmethod
    def _truth(v) -> bool:
        return bool(v) if v is not None else False

    def _eval(self, node: Node, row: Mapping[str, Any], memo: dict[int, Any] | None = None) -> Any:
        value = self._eval_node(node, row, memo)
        if memo is not None:
            memo[id(node)] = value
        return value

    def _eval_node(self, node: Node, row: Mapping[str, Any], memo: dict[int, Any] | None) -> Any:
        # Returns None only for a blank field (or IF passing one through).
        if isinstance(node, Const):
            return node.value
        if isinstance(node, Ref):
            v = row.get(node.name)
            if v is None:
                return None
            if node.type == "number":
                try:
                    x = float(v)
                except (OverflowError, TypeError, ValueError):
                    return NUM
                return None if math.isnan(x) else x if math.isfinite(x) else NUM
            return str(v) if node.type == "text" else v
        lazy = isinstance(node, Call) and node.name == "IF"  # IF evaluates the branch it takes only
        args = [] if lazy else [self._eval(a, row, memo) for a in node.args]
        for a in args:
            if isinstance(a, ExcelError):
                return a
        if isinstance(node, Op):
            if node.op in ("+", "-", "*", "/", "neg"):
                nums = [0.0 if a is None else float(a) for a in args]
                if node.op == "neg":
                    return -nums[0]
                x, y = nums
                if node.op == "/" and y == 0:
                    return DIV0
                try:
                    r = x / y if node.op == "/" else x + y if node.op == "+" else x - y if node.op == "-" else x * y
                except OverflowError:
                    return NUM
                return r if math.isfinite(r) else NUM
            return self._compare(node.op, args[0], node.args[0].type, args[1], node.args[1].type)
        name = node.name
        if name == "IF":
            cond = self._eval(node.args[0], row, memo)
            if isinstance(cond, ExcelError):
                return cond
            return self._eval(node.args[1] if self._truth(cond) else node.args[2], row, memo)
        if name in ("AND", "OR"):
            truths = [self._truth(a) for a in args]
            return all(truths) if name == "AND" else any(truths)
        if name == "NOT":
            return not self._truth(args[0])
        if name in ("MIN", "MAX"):
            present = [a for a in args if a is not None]
            return (min(present) if name == "MIN" else max(present)) if present else 0.0
        if name == "DISTANCE":
            if len(args) == 3:
                return _nearest(0.0 if args[0] is None else args[0], 0.0 if args[1] is None else args[1], args[2])
            return float(_haversine(*(0.0 if a is None else a for a in args)))
        # CONTAINS
        return _tag_hit(args[0], ("" if args[1] is None else args[1]).casefold())

    @staticmethod
    def _compare(op: str, a, ta: str, b, tb: str) -> bool:
        if a is None and b is None:
            return _cmp(op, 0, 0)
        if a is None:
            a, ta = _DEFAULT[tb], tb
        if b is None:
            b, tb = _DEFAULT[ta], ta
        if ta != tb:
            return bool(_cmp(op, _RANK[ta], _RANK[tb]))
        if ta == "text":
            a, b = a.casefold(), b.casefold()
        return bool(_cmp(op, a, b))

    # ------------------------------------------------------------ vectorised

    def evaluate_vectorised(
        self, lead_columns: Mapping[str, np.ndarray], rep_columns: Mapping[str, np.ndarray]
    ) -> np.ndarray:
        """All lead x rep pairs at once: result (L, R). Lead columns are (L,) or
        (L, 1), rep columns (R,) or (1, R). Numbers are floats with NaN or None
        for blank; text, tags and points are object arrays with None for blank.
        Number results are float64 with NaN where the formula errs; logical
        results are bool, FALSE where the formula errs (a condition that cannot
        be decided does not hold)."""
        n_leads = max((np.size(v) for v in lead_columns.values()), default=1)
        n_reps = max((np.size(v) for v in rep_columns.values()), default=1)
        lead_fields = {n: s for n, s in self.fields.items() if s.owner == "lead"}
        rep_fields = {n: s for n, s in self.fields.items() if s.owner == "rep"}
        lead_raw = {n: np.ravel(lead_columns[n]) for n in lead_fields}
        rep_raw = {n: np.ravel(rep_columns[n]) for n in rep_fields}
        vocab = Vocabulary.of(self.texts, [lead_raw[n] for n, s in lead_fields.items() if s.type == "text"],
                              [rep_raw[n] for n, s in rep_fields.items() if s.type == "text"])
        cols = {n: c.reshape_lead() for n, c in prepare_columns(lead_raw, lead_fields, vocab).items()}
        cols |= {n: c.reshape_rep() for n, c in prepare_columns(rep_raw, rep_fields, vocab).items()}
        data, err = self.evaluate_columns(cols, vocab)
        shape = (n_leads, n_reps)
        data = np.broadcast_to(data, shape)
        if self.ast.type == "number":
            result = data.astype(float)
            if err is not None:
                result = np.where(np.broadcast_to(err, shape), np.nan, result)
            return result
        if err is not None:
            return np.array(data & ~np.broadcast_to(err, shape), dtype=bool)
        return np.array(data, dtype=bool)

    def evaluate_columns(self, cols: Mapping[str, Column], vocab: Vocabulary) -> tuple[np.ndarray, np.ndarray | None]:
        """The formula over prepared columns (`prepare_columns`, shaped to
        broadcast: leads down, reps across). Returns (values, error mask or
        None), both only as large as the inputs make them: a formula reading
        lead fields only stays (L, 1). Numbers are float64 (finite), logicals bool."""
        out = _VecContext(cols, vocab).eval(self.ast)
        return out.data, out.err

    def score_columns(self, cols: Mapping[str, Column], vocab: Vocabulary) -> tuple[np.ndarray, np.ndarray | None]:
        """A scoring formula over prepared columns as scores: (values, error
        mask or None) as `evaluate_columns`, with a score beyond ±MAX_SCORE
        counted as an error (#NUM!) too; an erring pair's value is 0."""
        data, err = self.evaluate_columns(cols, vocab)
        data = np.asarray(data, dtype=float)
        out_of_range = ~(np.abs(data) <= MAX_SCORE)
        if out_of_range.any():
            err = _or(err, out_of_range)
        if err is not None:
            data = np.where(err, 0.0, data)
        return data, err


def score_matrix(values: np.ndarray) -> np.ndarray:
    """Scores from `evaluate_vectorised`: an erring pair (NaN), or a score
    beyond ±MAX_SCORE, scores 0."""
    values = np.asarray(values, dtype=float)
    return np.where(np.abs(values) <= MAX_SCORE, values, 0.0)


def _render(node: Node) -> str:
    """Canonical formula text for a sub-expression (explanations only)."""
    if isinstance(node, Const):
        if isinstance(node.value, ExcelError):  # unusable_formula
            return node.value.code
        if isinstance(node.value, bool):
            return "TRUE" if node.value else "FALSE"
        if isinstance(node.value, float):
            return f"{node.value:g}"
        return '"' + node.value.replace('"', '""') + '"'
    if isinstance(node, Ref):
        return node.name
    if isinstance(node, Call):
        return f"{node.name}({','.join(_render(a) for a in node.args)})"
    if node.op == "neg":
        return f"-{_render(node.args[0])}"
    return f"({_render(node.args[0])}{node.op}{_render(node.args[1])})"


# ---------------------------------------------------------------- vectorised evaluation


@dataclass
class Column:
    """A column (or computed value) in the vectorised evaluator's representation:
    numbers float64 with blanks as 0 plus a blank mask; text int32 codes in a
    Vocabulary plus a blank mask; tags their casefolded tags joined by _TAG_SEP
    (a numpy string array; blank mask = no tags); points the raw object values;
    logicals bool. `err` marks erring elements of a computed value."""

    data: np.ndarray
    blank: np.ndarray | None = None
    err: np.ndarray | None = None
    memo: dict = field(default_factory=dict, repr=False)  # derived forms, e.g. flattened points

    def take(self, index: np.ndarray) -> Column:
        return Column(*(None if a is None else a[index] for a in (self.data, self.blank, self.err)))

    def reshape_lead(self) -> Column:
        return Column(*(None if a is None else a.reshape(-1, 1) for a in (self.data, self.blank, self.err)))

    def reshape_rep(self) -> Column:
        return Column(*(None if a is None else a.reshape(1, -1) for a in (self.data, self.blank, self.err)))


_TAG_SEP = "\x1f"  # joins a pair's tags for substring search; not something a tag or needle holds


def _fold(column) -> list[str]:
    return ["" if v is None else str(v).casefold() for v in column]


class Vocabulary:
    """Every casefolded text the formulas and text columns hold, sorted, so a
    text's code is its rank: `=` and `<` on codes are `=` and `<` on text."""

    def __init__(self, words) -> None:
        self.words = np.array(sorted(set(words) | {""}), dtype=object)
        self.index = {w: i for i, w in enumerate(self.words)}

    @classmethod
    def of(cls, literals, *column_groups) -> Vocabulary:
        words = set(literals)
        for group in column_groups:
            for column in group:
                words.update(_fold(set(column)))  # distinct values first: columns repeat a few names
        return cls(words)

    def codes(self, column) -> np.ndarray:
        distinct = list(set(column))
        code = dict(zip(distinct, (self.index[w] for w in _fold(distinct))))
        return np.fromiter(map(code.__getitem__, column), dtype=np.int32, count=len(column))


def prepare_columns(
    columns: Mapping[str, Any], fields: Mapping[str, FieldSpec], vocab: Vocabulary
) -> dict[str, Column]:
    """Convert raw one-dimensional columns (numbers with NaN/None blank; text,
    tags and points object arrays with None blank) once, for any number of
    formulas and slices. `vocab` must hold every text of the text columns."""
    out = {}
    for name, spec in fields.items():
        raw = np.ravel(np.asarray(columns[name], dtype=None if spec.type == "number" else object))
        if spec.type == "number":
            if raw.dtype == object:
                raw = np.where(np.equal(raw, None), np.nan, raw)
            values = np.array(raw, dtype=float)
            blank = np.isnan(values)
            infinite = np.isinf(values)  # not a number a formula can compute with: #NUM!
            out[name] = Column(np.where(blank | infinite, 0.0, values), blank, infinite if infinite.any() else None)
        elif spec.type == "text":
            out[name] = Column(vocab.codes(raw), np.equal(raw, None))
        elif spec.type == "tags":
            # casefolding the joined text is casefolding each tag: the separator is left as it is
            joined = ["" if v is None else _TAG_SEP.join(v if isinstance(v, list) and all(isinstance(t, str) for t in v)
                                                         else map(str, v)).casefold() for v in raw]
            blank = np.fromiter((v is None or not len(v) for v in raw), dtype=bool, count=len(raw))
            out[name] = Column(np.array(joined, dtype=np.dtypes.StringDType()), blank)
        else:  # points
            out[name] = Column(raw)
    return out


def _or(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a | b


def _nearest_vectorised(lat: np.ndarray, lon: np.ndarray, column: Column) -> tuple[np.ndarray, np.ndarray]:
    """DISTANCE(lat, lon, points) over broadcast arrays: (km, #N/A mask)."""
    points = column.data
    shape = np.broadcast_shapes(np.shape(lat), np.shape(lon), np.shape(points))
    pshape = np.shape(points)
    axis = next((i for i, n in enumerate(pshape) if n > 1), None)
    coords_vary = np.broadcast_shapes(np.shape(lat), np.shape(lon))
    if axis is None or len(shape) != 2 or (len(coords_vary) == 2 and coords_vary[axis] > 1):
        # general case (points and coordinates vary along the same axis): pair by pair
        lat, lon, points = np.broadcast_arrays(lat, lon, points)
        flat = [_nearest(a, b, p) for a, b, p in zip(lat.ravel(), lon.ravel(), points.ravel())]
        na = np.array([v is NA for v in flat], dtype=bool).reshape(shape)
        return np.array([0.0 if v is NA else v for v in flat], dtype=float).reshape(shape), na
    # points vary along `axis`, coordinates along the other: every coordinate
    # against every point, then the minimum per points value.
    if "flat" not in column.memo:  # the rep side is the same column for every chunk of leads
        plats, plons = zip(*(_points(p) for p in np.ravel(points))) if np.size(points) else ((), ())
        counts = np.array([len(p) for p in plats], dtype=np.int64)
        flat = _unit(np.concatenate(plats)[None, :], np.concatenate(plons)[None, :]) if counts.sum() else None
        column.memo["flat"] = counts, flat
    counts, flat = column.memo["flat"]
    other = 1 - axis
    m = shape[other]
    lat_v = np.broadcast_to(lat, shape).take(0, axis=axis).reshape(m, 1) if m else np.empty((0, 1))
    lon_v = np.broadcast_to(lon, shape).take(0, axis=axis).reshape(m, 1) if m else np.empty((0, 1))
    km = np.zeros((m, len(counts)))
    has = counts > 0
    if has.any():
        far = _far(_unit(lat_v, lon_v), flat)
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[has]
        km[:, has] = _km(np.minimum.reduceat(far, starts, axis=1))
    na = np.broadcast_to(~has, km.shape)
    if axis == 0:
        km, na = km.T, na.T
    return km, na


class _VecContext:
    def __init__(self, cols: Mapping[str, Column], vocab: Vocabulary, overflows: list[Node] | None = None) -> None:
        self.cols, self.vocab = cols, vocab
        self.code = vocab.index
        self.overflows = overflows  # when a list: the operators where a result first overflowed, in order

    def _finite(self, node: Node, result: np.ndarray, err: np.ndarray | None) -> Column:
        """An arithmetic result: where it overflowed, #NUM! (and 0 as data)."""
        bad = ~np.isfinite(result)
        if not bad.any():
            return Column(result, None, err)
        if self.overflows is not None:
            self.overflows.append(node)
        return Column(np.where(bad, 0.0, result), None, _or(err, bad))

    def eval(self, node: Node) -> Column:
        if isinstance(node, Const):
            if isinstance(node.value, ExcelError):  # unusable_formula: errs everywhere
                return Column(np.asarray(_DEFAULT[node.type]), None, np.asarray(True))
            if node.type == "text":
                return Column(np.asarray(self.code[node.value.casefold()], dtype=np.int32))
            return Column(np.asarray(node.value))
        if isinstance(node, Ref):
            return self.cols[node.name]
        if isinstance(node, Call) and node.name == "IF":
            cond, a, b = (self.eval(x) for x in node.args)
            truth = self._truth(cond)
            blank = None
            if a.blank is not None or b.blank is not None:
                blank = np.where(truth, _blank(a), _blank(b))
            err = _or(cond.err, np.where(truth, _err(a), _err(b)) if a.err is not None or b.err is not None else None)
            return Column(np.where(truth, a.data, b.data), blank, err)
        args = [self.eval(a) for a in node.args]
        err = None
        for a in args:
            err = _or(err, a.err)
        if isinstance(node, Op):
            if node.op in ("+", "-", "*", "/", "neg"):
                nums = [a.data.astype(float, copy=False) for a in args]
                if node.op == "neg":
                    return Column(-nums[0], None, err)
                x, y = nums
                with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
                    if node.op == "/":
                        zero = y == 0
                        return self._finite(node, np.where(zero, 0.0, x / np.where(zero, 1.0, y)), _or(err, zero))
                    return self._finite(node, x + y if node.op == "+" else x - y if node.op == "-" else x * y, err)
            return Column(self._compare(node.op, args[0], node.args[0].type, args[1], node.args[1].type), None, err)
        name = node.name
        if name in ("AND", "OR", "NOT"):
            truths = [self._truth(a) for a in args]
            if name == "NOT":
                return Column(~truths[0], None, err)
            combine = np.logical_and if name == "AND" else np.logical_or
            out = truths[0]
            for t in truths[1:]:
                out = combine(out, t)
            return Column(out, None, err)
        if name in ("MIN", "MAX"):
            fill = np.inf if name == "MIN" else -np.inf
            reduce = np.minimum if name == "MIN" else np.maximum
            out, none_present = None, None
            for a in args:
                vals = a.data if a.blank is None else np.where(a.blank, fill, a.data)
                out = vals if out is None else reduce(out, vals)
                missing = a.blank if a.blank is not None else np.asarray(False)
                none_present = missing if none_present is None else none_present & missing
            return Column(np.where(none_present, 0.0, out), None, err)
        if name == "DISTANCE":
            if len(args) == 3:
                km, na = _nearest_vectorised(args[0].data, args[1].data, args[2])
                return Column(km, None, _or(err, na))
            return Column(_haversine(*(a.data for a in args)), None, err)
        # CONTAINS: a substring of the joined tags (the separator never matches a needle)
        tags, needle = args
        needles = np.asarray(self.vocab.words[needle.data], dtype=object).astype(np.dtypes.StringDType())
        hit = np.strings.find(tags.data, needles) >= 0
        return Column(hit & ~_blank(tags), None, err)

    @staticmethod
    def _truth(v: Column) -> np.ndarray:
        return v.data if v.data.dtype == bool else np.asarray(v.data != 0)  # blanks already hold 0

    def _compare(self, op: str, a: Column, ta: str, b: Column, tb: str) -> np.ndarray:
        if ta == tb:
            return np.asarray(_cmp(op, a.data, b.data))
        # Mixed types: a blank takes the other side's type (default value); otherwise Excel's type order decides.
        ab, bb = _blank(a), _blank(b)
        default = {"number": 0.0, "text": self.code[""], "bool": False}
        a_as_b = _cmp(op, default[tb], b.data)  # a blank, b a value
        b_as_a = _cmp(op, a.data, default[ta])  # b blank, a a value
        by_rank = _cmp(op, _RANK[ta], _RANK[tb])
        both = _cmp(op, 0, 0)
        return np.asarray(np.where(ab & bb, both, np.where(ab, a_as_b, np.where(bb, b_as_a, by_rank))))


def _blank(v: Column) -> np.ndarray:
    return v.blank if v.blank is not None else np.zeros(np.shape(v.data), dtype=bool)


def _err(v: Column) -> np.ndarray:
    return v.err if v.err is not None else np.zeros(np.shape(v.data), dtype=bool)
