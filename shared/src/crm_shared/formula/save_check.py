"""The save check for overflow: a formula evaluated over sample values of each
field's range, refused where it would give #NUM!."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from crm_shared.formula.ast import Const, Node, Ref, clip, render, walk
from crm_shared.formula.compiled import MAX_SCORE, CompiledFormula, FieldSpec
from crm_shared.formula.errors import FormulaError
from crm_shared.formula.vectorised import VecContext, Vocabulary, err_of, prepare_columns

# Sample values per field for the save check: the range's ends and middle, 0, ±1, ±0.01 (a fen in 元, or a
# small rate), each number the formula holds with its neighbours and negation, and blank; texts and tags the
# formula's text literals, another text, and blank; a plug-in field type its FieldKind's samples.
_BASES = 5  # the values the other fields sit at while one goes through its samples
_MAX_SAMPLE_PAIRS = 1 << 18  # down samples x across samples; more are thinned out evenly
_SAMPLE_WORK = 1 << 22  # sample pairs x nodes: a big formula gets fewer pairs, so a save stays quick


def _samples(spec: FieldSpec, bounds: tuple[float, float] | None, literals: set[float], texts: set[str], kinds):
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
    samples = list(kinds[spec.type].samples)
    return samples, samples


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


def _sample_column(values: list, spec: FieldSpec) -> np.ndarray:
    if spec.type == "number":
        return np.array([np.nan if v is None else v for v in values], dtype=float)
    col = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        col[i] = v
    return col


def check_finite(formula: CompiledFormula, ranges: Mapping[str, tuple[float, float]]) -> None:
    """The save check: evaluate the formula on every pair of sample rows of
    its two sides (e.g. leads and reps) drawn from each field's range
    (`ranges`: number field -> (lowest, highest); a number field without one
    is taken as ±MAX_SCORE) and refuse it (FormulaError) where an operation
    overflows, or a score leaves ±MAX_SCORE. The samples are a field's
    lowest, highest and middle value, 0, ±1, ±0.01, every number in the
    formula with its neighbours and negation, and blank; texts and tags take
    the formula's text literals, another text and blank. Every field goes
    through its samples while the others sit at their blank, lowest,
    highest, nearest-to-0 or middle sample. Run time never depends on this
    check: a row that overflows there is #NUM!."""
    kinds = formula.language.kinds if formula.language is not None else {}
    literals = {abs(n.value) for n in walk(formula.ast) if isinstance(n, Const) and type(n.value) is float}
    samples = {n: _samples(spec, ranges.get(n), literals, formula.texts, kinds) for n, spec in formula.fields.items()}
    down, across = formula.sides
    fields = [{n: s for n, s in formula.fields.items() if s.owner == o} for o in (down, across)]
    if across == down:
        fields[1] = {}
    rows = [_sample_rows(f, samples) for f in fields]
    most = max(_BASES * _BASES, min(_MAX_SAMPLE_PAIRS, _SAMPLE_WORK // formula.ast.size))
    while len(rows[0]) * len(rows[1]) > most:
        larger = max((0, 1), key=lambda i: len(rows[i]))
        if len(rows[larger]) <= _BASES:
            break
        rows[larger] = _thin(rows[larger], len(rows[larger]) // 2)
    (down_fields, across_fields), (down_rows, across_rows) = fields, rows
    n_down, n_across = len(down_rows), len(across_rows)
    down_raw = {n: _sample_column([r[n] for r in down_rows], s) for n, s in down_fields.items()}
    across_raw = {n: _sample_column([r[n] for r in across_rows], s) for n, s in across_fields.items()}
    vocab = Vocabulary.of(
        formula.texts,
        [down_raw[n] for n, s in down_fields.items() if s.type == "text"],
        [across_raw[n] for n, s in across_fields.items() if s.type == "text"],
    )
    cols = {n: c.reshape_lead() for n, c in prepare_columns(down_raw, down_fields, vocab).items()}
    cols |= {n: c.reshape_rep() for n, c in prepare_columns(across_raw, across_fields, vocab).items()}
    overflows: list[Node] = []
    out = VecContext(cols, vocab, overflows).eval(formula.ast)
    if overflows:
        node = overflows[0]
        read = sorted({n.name for n in walk(node) if isinstance(n, Ref)})
        when = f" for some values of {', '.join(read)}" if read else ""
        raise FormulaError(
            node.line, node.column, f"{clip(render(node), 60)} gives a number too large to compute (#NUM!){when}"
        )
    if formula.ast.type == "number":
        data = np.broadcast_to(np.asarray(out.data, dtype=float), (n_down, n_across))
        ok = ~np.broadcast_to(err_of(out), data.shape)
        if ok.any() and (peak := float(np.abs(data[ok]).max())) > MAX_SCORE:
            raise FormulaError(
                formula.ast.line,
                formula.ast.column,
                f"the score can reach {peak:.3g} for values its fields may take; a score must stay within "
                f"±{MAX_SCORE:.0e} (beyond, it counts as #NUM! and scores 0)",
            )
