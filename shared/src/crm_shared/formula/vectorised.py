"""The vectorised evaluator: a formula over whole columns at once with numpy
broadcasting (e.g. leads down, reps across), bit-for-bit the per-row one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from crm_shared.formula.ast import Call, Const, Node, Op, Ref
from crm_shared.formula.errors import ExcelError
from crm_shared.formula.semantics import DEFAULT, RANK, cmp, either


@dataclass
class Column:
    """A column (or computed value) in the vectorised evaluator's representation:
    numbers float64 with blanks as 0 plus a blank mask; text int32 codes in a
    Vocabulary plus a blank mask; tags their casefolded tags joined by TAG_SEP
    (a numpy string array; blank mask = no tags); a plug-in's field type the
    raw object values; logicals bool. `err` marks erring elements of a computed value."""

    data: np.ndarray
    blank: np.ndarray | None = None
    err: np.ndarray | None = None
    memo: dict = field(default_factory=dict, repr=False)  # derived forms a plug-in keeps, e.g. flattened points

    def take(self, index: np.ndarray) -> Column:
        return Column(*(None if a is None else a[index] for a in (self.data, self.blank, self.err)))

    def reshape_lead(self) -> Column:
        """As a column down the rows of a pairwise evaluation: (n, 1)."""
        return Column(*(None if a is None else a.reshape(-1, 1) for a in (self.data, self.blank, self.err)))

    def reshape_rep(self) -> Column:
        """As a row across the columns of a pairwise evaluation: (1, n)."""
        return Column(*(None if a is None else a.reshape(1, -1) for a in (self.data, self.blank, self.err)))


TAG_SEP = "\x1f"  # joins a pair's tags for substring search; not something a tag or needle holds


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


def prepare_columns(columns: Mapping[str, Any], fields: Mapping[str, Any], vocab: Vocabulary) -> dict[str, Column]:
    """Convert raw one-dimensional columns (numbers with NaN/None blank; text,
    tags and other field types object arrays with None blank) once, for any
    number of formulas and slices. `fields` maps names to FieldSpecs; `vocab`
    must hold every text of the text columns."""
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
            joined = [
                ""
                if v is None
                else TAG_SEP.join(
                    v if isinstance(v, list) and all(isinstance(t, str) for t in v) else map(str, v)
                ).casefold()
                for v in raw
            ]
            blank = np.fromiter((v is None or not len(v) for v in raw), dtype=bool, count=len(raw))
            out[name] = Column(np.array(joined, dtype=np.dtypes.StringDType()), blank)
        else:  # a plug-in's field type: its functions read the raw values
            out[name] = Column(raw)
    return out


def blank_of(v: Column) -> np.ndarray:
    return v.blank if v.blank is not None else np.zeros(np.shape(v.data), dtype=bool)


def err_of(v: Column) -> np.ndarray:
    return v.err if v.err is not None else np.zeros(np.shape(v.data), dtype=bool)


def truth(v: Column) -> np.ndarray:
    return v.data if v.data.dtype == bool else np.asarray(v.data != 0)  # blanks already hold 0


class VecContext:
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
        return Column(np.where(bad, 0.0, result), None, either(err, bad))

    def eval(self, node: Node) -> Column:
        if isinstance(node, Const):
            if isinstance(node.value, ExcelError):  # unusable_formula: errs everywhere
                return Column(np.asarray(DEFAULT[node.type]), None, np.asarray(True))
            if node.type == "text":
                return Column(np.asarray(self.code[node.value.casefold()], dtype=np.int32))
            return Column(np.asarray(node.value))
        if isinstance(node, Ref):
            return self.cols[node.name]
        if isinstance(node, Call) and node.name == "IF":
            cond, a, b = (self.eval(x) for x in node.args)
            yes = truth(cond)
            blank = None
            if a.blank is not None or b.blank is not None:
                blank = np.where(yes, blank_of(a), blank_of(b))
            err = either(
                cond.err, np.where(yes, err_of(a), err_of(b)) if a.err is not None or b.err is not None else None
            )
            return Column(np.where(yes, a.data, b.data), blank, err)
        args = [self.eval(a) for a in node.args]
        err = None
        for a in args:
            err = either(err, a.err)
        if isinstance(node, Op):
            if node.op in ("+", "-", "*", "/", "neg"):
                nums = [a.data.astype(float, copy=False) for a in args]
                if node.op == "neg":
                    return Column(-nums[0], None, err)
                x, y = nums
                with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
                    if node.op == "/":
                        zero = y == 0
                        return self._finite(node, np.where(zero, 0.0, x / np.where(zero, 1.0, y)), either(err, zero))
                    return self._finite(node, x + y if node.op == "+" else x - y if node.op == "-" else x * y, err)
            return Column(self._compare(node.op, args[0], node.args[0].type, args[1], node.args[1].type), None, err)
        out = node.fn.vectorised(args, self.vocab)
        return Column(out.data, out.blank, either(err, out.err))

    def _compare(self, op: str, a: Column, ta: str, b: Column, tb: str) -> np.ndarray:
        if ta == tb:
            return np.asarray(cmp(op, a.data, b.data))
        # Mixed types: a blank takes the other side's type (default value); otherwise Excel's type order decides.
        ab, bb = blank_of(a), blank_of(b)
        default = {"number": 0.0, "text": self.code[""], "bool": False}
        a_as_b = cmp(op, default[tb], b.data)  # a blank, b a value
        b_as_a = cmp(op, a.data, default[ta])  # b blank, a a value
        by_rank = cmp(op, RANK[ta], RANK[tb])
        both = cmp(op, 0, 0)
        return np.asarray(np.where(ab & bb, both, np.where(ab, a_as_b, np.where(bb, b_as_a, by_rank))))
