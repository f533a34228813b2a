"""The save-time check: every name, function, argument count and type, against
a field catalogue and a language; the result is a CompiledFormula."""

from __future__ import annotations

from collections.abc import Mapping

from crm_shared.formula.ast import Call, Const, Node, Op, Ref, walk
from crm_shared.formula.compiled import CompiledFormula, FieldSpec
from crm_shared.formula.errors import NAME, FormulaError
from crm_shared.formula.functions import LANGUAGE, Language, expect
from crm_shared.formula.grammar import parse
from crm_shared.formula.semantics import SCALAR_TYPES

_CORE_FIELD_TYPES = ("number", "text", "tags")


def _check(node: Node, catalogue: Mapping[str, FieldSpec], language: Language) -> str:
    if isinstance(node, Const):
        node.type = "number" if isinstance(node.value, float) else "text"
    elif isinstance(node, Ref):
        spec = catalogue.get(node.name)
        if spec is not None:
            if spec.type not in _CORE_FIELD_TYPES and spec.type not in language.kinds:
                raise ValueError(f"field {node.name!r} has type {spec.type!r}, which the language does not know")
            node.type = spec.type
        elif node.name.upper() in ("TRUE", "FALSE"):
            node.__class__ = Const  # a logical literal, unless the catalogue has such a field
            node.value, node.type = node.name.upper() == "TRUE", "bool"
        else:
            raise FormulaError(node.line, node.column, f"unknown field {node.name!r}")
    elif isinstance(node, Op):
        for a in node.args:
            _check(a, catalogue, language)
        if node.op in ("+", "-", "*", "/", "neg"):
            for a in node.args:
                expect(a, ("number", "bool"), f"operator {'-' if node.op == 'neg' else node.op}")
            node.type = "number"
        else:
            for a in node.args:
                expect(a, SCALAR_TYPES, f"comparison {node.op}")
            node.type = "bool"
    elif isinstance(node, Call):
        fn = language.functions.get(node.name)
        if fn is None:
            raise FormulaError(node.line, node.column, f"unknown function {node.name}")
        if not fn.min_args <= len(node.args) <= fn.max_args:
            expected = str(fn.min_args) if fn.min_args == fn.max_args else f"at least {fn.min_args}"
            raise FormulaError(node.line, node.column, f"{node.name} takes {expected} arguments, got {len(node.args)}")
        for a in node.args:
            _check(a, catalogue, language)
        node.type, node.fn = fn.check(node), fn
    return node.type


def _sides(catalogue: Mapping[str, FieldSpec]) -> tuple[str, str]:
    owners = list(dict.fromkeys(spec.owner for spec in catalogue.values()))
    if len(owners) > 2:
        raise ValueError(f"a catalogue's fields belong to at most two owners, not {', '.join(owners)}")
    return (*owners, "", "")[:2]


def compile_formula(
    text: str,
    catalogue: Mapping[str, FieldSpec],
    result_types: tuple[str, ...] = ("number",),
    *,
    language: Language = LANGUAGE,
    sides: tuple[str, str] | None = None,
) -> CompiledFormula:
    """Parse and check a formula; raises FormulaError (an InvalidArgument).
    `sides`: the owners whose columns go down and across a pairwise
    evaluation; by default the catalogue's owners in order."""
    ast = parse(text)
    result = _check(ast, catalogue, language)
    if result not in result_types:
        what = "a scoring formula must produce a number"
        if "number" not in result_types:
            what = "a condition must be true or false"
        raise FormulaError(ast.line, ast.column, f"{what}, this one gives {result}")
    used = {n.name: catalogue[n.name] for n in walk(ast) if isinstance(n, Ref)}
    texts = {n.value.casefold() for n in walk(ast) if isinstance(n, Const) and isinstance(n.value, str)}
    return CompiledFormula(text, ast, used, texts, language, sides or _sides(catalogue))


def unusable_formula(text: str, result_type: str = "number") -> CompiledFormula:
    """A saved formula that no longer compiles (a field it reads was removed,
    or it exceeds a limit added after it was saved): it errs (#NAME?) for
    every row, so a score is 0 and a condition does not hold, instead of
    failing every evaluation."""
    node = Const(1, 1, NAME)
    node.type = result_type
    return CompiledFormula(text, node, {}, set())
