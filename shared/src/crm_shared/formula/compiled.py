"""A checked formula, ready to evaluate: per row, or over whole columns."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from crm_shared.formula.ast import Call, Const, Node, Op, Ref, render
from crm_shared.formula.errors import DIV0, NUM, ExcelError
from crm_shared.formula.functions import Language
from crm_shared.formula.semantics import DEFAULT, RANK, cmp, either
from crm_shared.formula.vectorised import Column, VecContext, Vocabulary, prepare_columns

# A score is compared, ranked and summed: beyond this size it is #NUM! (scores 0).
# 10^15 is far above any amount in 元 a field holds.
MAX_SCORE = 1e15

FieldType = str  # "number", "text", "tags", or the name of a FieldKind a service's language adds


@dataclass(frozen=True)
class FieldSpec:
    type: FieldType
    # Whose attribute it is. A catalogue's fields belong to one or two owners (lead-routing's "lead" and
    # "rep"); a formula over two is evaluated per pair, the first owner's columns down, the second's across.
    owner: str = "row"


@dataclass(frozen=True)
class Score:
    value: float
    error: str | None = None  # e.g. "#DIV/0!" when the formula errs and the score falls back to 0


@dataclass
class CompiledFormula:
    """Parsed and checked once (compile_formula); evaluate as often as needed, no parsing."""

    text: str
    ast: Node
    fields: dict[str, FieldSpec]  # the catalogue fields the formula reads
    texts: set[str]  # casefolded text literals, part of the vectorised vocabulary
    language: Language | None = None
    sides: tuple[str, str] = ("row", "")  # the owners down and across a pairwise evaluation

    def evaluate(self, row: Mapping[str, Any]) -> Any:
        """The formula's value for one row (e.g. a (lead, rep) pair): float, bool
        or ExcelError. `row` holds fields by name; missing or None means blank."""
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
            out.append((render(node.args[0]), cond))
            if isinstance(cond, ExcelError):
                return out
            node = node.args[1] if self._truth(cond) else node.args[2]
        out.append((render(node), self.evaluate_node(node, row)))
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
        if isinstance(node, Call) and node.name == "IF":  # IF evaluates the branch it takes only
            cond = self._eval(node.args[0], row, memo)
            if isinstance(cond, ExcelError):
                return cond
            return self._eval(node.args[1] if self._truth(cond) else node.args[2], row, memo)
        args = [self._eval(a, row, memo) for a in node.args]
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
        return node.fn.per_row(args)

    @staticmethod
    def _compare(op: str, a, ta: str, b, tb: str) -> bool:
        if a is None and b is None:
            return cmp(op, 0, 0)
        if a is None:
            a, ta = DEFAULT[tb], tb
        if b is None:
            b, tb = DEFAULT[ta], ta
        if ta != tb:
            return bool(cmp(op, RANK[ta], RANK[tb]))
        if ta == "text":
            a, b = a.casefold(), b.casefold()
        return bool(cmp(op, a, b))

    # ------------------------------------------------------------ vectorised

    def evaluate_vectorised(
        self, lead_columns: Mapping[str, np.ndarray], rep_columns: Mapping[str, np.ndarray] | None = None
    ) -> np.ndarray:
        """Every pair at once: result (L, R), the first side's columns (L,) or
        (L, 1) down, the second side's (R,) or (1, R) across (a one-sided
        formula: (L, 1)). Numbers are floats with NaN or None for blank; text,
        tags and other types object arrays with None for blank. Number results
        are float64 with NaN where the formula errs; logical results are bool,
        FALSE where the formula errs (a condition that cannot be decided does not hold)."""
        rep_columns = rep_columns if rep_columns is not None else {}
        n_leads = max((np.size(v) for v in lead_columns.values()), default=1)
        n_reps = max((np.size(v) for v in rep_columns.values()), default=1)
        down, across = self.sides
        lead_fields = {n: s for n, s in self.fields.items() if s.owner == down}
        rep_fields = {n: s for n, s in self.fields.items() if s.owner == across}
        lead_raw = {n: np.ravel(lead_columns[n]) for n in lead_fields}
        rep_raw = {n: np.ravel(rep_columns[n]) for n in rep_fields}
        vocab = Vocabulary.of(
            self.texts,
            [lead_raw[n] for n, s in lead_fields.items() if s.type == "text"],
            [rep_raw[n] for n, s in rep_fields.items() if s.type == "text"],
        )
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
        broadcast, e.g. leads down, reps across). Returns (values, error mask or
        None), both only as large as the inputs make them: a formula reading
        lead fields only stays (L, 1). Numbers are float64 (finite), logicals bool."""
        out = VecContext(cols, vocab).eval(self.ast)
        return out.data, out.err

    def score_columns(self, cols: Mapping[str, Column], vocab: Vocabulary) -> tuple[np.ndarray, np.ndarray | None]:
        """A scoring formula over prepared columns as scores: (values, error
        mask or None) as `evaluate_columns`, with a score beyond ±MAX_SCORE
        counted as an error (#NUM!) too; an erring pair's value is 0."""
        data, err = self.evaluate_columns(cols, vocab)
        data = np.asarray(data, dtype=float)
        out_of_range = ~(np.abs(data) <= MAX_SCORE)
        if out_of_range.any():
            err = either(err, out_of_range)
        if err is not None:
            data = np.where(err, 0.0, data)
        return data, err


def score_matrix(values: np.ndarray) -> np.ndarray:
    """Scores from `evaluate_vectorised`: an erring pair (NaN), or a score
    beyond ±MAX_SCORE, scores 0."""
    values = np.asarray(values, dtype=float)
    return np.where(np.abs(values) <= MAX_SCORE, values, 0.0)
