"""The language's functions, and the extension point a service plugs its own into.

A function is a `Function`: its name, how many arguments it takes, a type
check, and two implementations that must agree to the last bit — `per_row`
(plain values, None for blank) and `vectorised` (Columns, see
crm_shared.formula.vectorised). Errors among the arguments have propagated
before either runs, so a function only adds its own (e.g. #N/A). A service
that needs a field type the language lacks (lead-routing's "points") adds a
`FieldKind` saying what sample values the save check tries for it; such
values reach only the functions that accept them. `LANGUAGE.extend(...)`
gives the service's dialect, which it passes to compile_formula.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from crm_shared.formula.ast import Call, Node
from crm_shared.formula.errors import FormulaError
from crm_shared.formula.semantics import SCALAR_TYPES
from crm_shared.formula.vectorised import Column, Vocabulary, blank_of, truth

LOGICAL = ("bool", "number")  # what a condition accepts: a blank or 0 number is FALSE


def expect(arg: Node, allowed: tuple[str, ...], what: str) -> None:
    """Refuse `arg` (a checked node) unless its type is one of `allowed`; for a Function's check."""
    if arg.type not in allowed:
        raise FormulaError(arg.line, arg.column, f"{what} expects {' or '.join(allowed)}, got {arg.type}")


@dataclass(frozen=True)
class Function:
    name: str  # upper case, as the checker looks it up
    min_args: int
    max_args: int
    check: Callable[[Call], str]  # the arguments are checked; refuse them (expect) or give the result type
    per_row: Callable[[list], Any] | None  # plain values -> value or ExcelError
    vectorised: Callable[[list[Column], Vocabulary], Column] | None  # -> data, blank mask, own error mask


@dataclass(frozen=True)
class FieldKind:
    """A field type beyond number, text and tags, for a service's own functions."""

    name: str
    # Exactly five values, the first None (blank): the save check (check_finite) sets a field of this
    # type to each while the other fields go through theirs.
    samples: tuple


@dataclass(frozen=True)
class Language:
    functions: Mapping[str, Function] = field(default_factory=dict)
    kinds: Mapping[str, FieldKind] = field(default_factory=dict)

    def extend(self, functions: Iterable[Function] = (), kinds: Iterable[FieldKind] = ()) -> Language:
        """This language plus a service's functions and field types; a name already taken is refused."""
        fns, ks = dict(self.functions), dict(self.kinds)
        for f in functions:
            if f.name in fns:
                raise ValueError(f"function {f.name} is already defined")
            fns[f.name] = f
        for k in kinds:
            if k.name in ks or k.name in (*SCALAR_TYPES, "tags"):
                raise ValueError(f"field type {k.name} is already defined")
            ks[k.name] = k
        return Language(fns, ks)


# ---------------------------------------------------------------- IF (evaluated lazily by both evaluators)


def _check_if(node: Call) -> str:
    expect(node.args[0], LOGICAL, "IF condition")
    then, other = node.args[1], node.args[2]
    expect(then, SCALAR_TYPES, "IF")
    if then.type != other.type:
        reason = f"IF branches must have the same type: {then.type} vs {other.type}"
        raise FormulaError(other.line, other.column, reason)
    return then.type


# ---------------------------------------------------------------- AND, OR, NOT


def _check_logical(node: Call) -> str:
    for a in node.args:
        expect(a, LOGICAL, node.name)
    return "bool"


def _row_truth(v) -> bool:
    return bool(v) if v is not None else False


def _combine(reduce_rows, reduce_arrays) -> tuple[Callable, Callable]:
    def per_row(args: list) -> bool:
        return reduce_rows(_row_truth(a) for a in args)

    def vectorised(args: list[Column], vocab: Vocabulary) -> Column:
        out = truth(args[0])
        for a in args[1:]:
            out = reduce_arrays(out, truth(a))
        return Column(out)

    return per_row, vectorised


_AND = _combine(all, np.logical_and)
_OR = _combine(any, np.logical_or)

# ---------------------------------------------------------------- MIN, MAX (blank fields ignored; all blank -> 0)


def _check_numbers(node: Call) -> str:
    for a in node.args:
        expect(a, ("number",), node.name)
    return "number"


def _extreme(pick, reduce, fill: float) -> tuple[Callable, Callable]:
    def per_row(args: list) -> float:
        present = [a for a in args if a is not None]
        return pick(present) if present else 0.0

    def vectorised(args: list[Column], vocab: Vocabulary) -> Column:
        out, none_present = None, None
        for a in args:
            vals = a.data if a.blank is None else np.where(a.blank, fill, a.data)
            out = vals if out is None else reduce(out, vals)
            missing = a.blank if a.blank is not None else np.asarray(False)
            none_present = missing if none_present is None else none_present & missing
        return Column(np.where(none_present, 0.0, out))

    return per_row, vectorised


_MIN = _extreme(min, np.minimum, np.inf)
_MAX = _extreme(max, np.maximum, -np.inf)

# ---------------------------------------------------------------- CONTAINS(tags, text): any tag holds the text


def _check_contains(node: Call) -> str:
    expect(node.args[0], ("tags",), "CONTAINS's first argument")
    expect(node.args[1], ("text",), "CONTAINS's second argument")
    return "bool"


def _contains(args: list) -> bool:
    tags, needle = args[0], ("" if args[1] is None else args[1]).casefold()
    return bool(tags) and any(needle in str(t).casefold() for t in tags)


def _contains_vectorised(args: list[Column], vocab: Vocabulary) -> Column:
    # a substring of the joined tags (the separator never matches a needle)
    tags, needle = args
    needles = np.asarray(vocab.words[needle.data], dtype=object).astype(np.dtypes.StringDType())
    hit = np.strings.find(tags.data, needles) >= 0
    return Column(hit & ~blank_of(tags))


def _functions(specs: Sequence[tuple]) -> dict[str, Function]:
    return {s[0]: Function(*s) for s in specs}


LANGUAGE = Language(
    _functions(
        [
            ("IF", 3, 3, _check_if, None, None),
            ("AND", 1, 255, _check_logical, *_AND),
            ("OR", 1, 255, _check_logical, *_OR),
            (
                "NOT",
                1,
                1,
                _check_logical,
                lambda args: not _row_truth(args[0]),
                lambda args, vocab: Column(~truth(args[0])),
            ),
            ("MIN", 1, 255, _check_numbers, *_MIN),
            ("MAX", 1, 255, _check_numbers, *_MAX),
            ("CONTAINS", 2, 2, _check_contains, _contains, _contains_vectorised),
        ]
    )
)
