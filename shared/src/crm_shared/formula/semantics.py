"""Excel's rules both evaluators share, on Python scalars and numpy arrays alike."""

from __future__ import annotations

RANK = {"number": 0, "text": 1, "bool": 2}  # Excel's cross-type order
DEFAULT = {"number": 0.0, "text": "", "bool": False}  # what a blank becomes next to a value of that type
SCALAR_TYPES = ("number", "text", "bool")  # what operators compare and IF returns


def cmp(op: str, a, b):
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


def either(a, b):
    """The union of two error (or blank) masks, None standing for none set."""
    if a is None:
        return b
    if b is None:
        return a
    return a | b
