"""The formula's tree, its size limits, and its canonical text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crm_shared.formula.errors import ExcelError, FormulaError

MAX_LENGTH = 4000  # characters
MAX_NODES = 1000  # operands, operators and function calls
MAX_DEPTH = 100  # levels of operators and calls inside one another


@dataclass(eq=False)
class Node:
    line: int
    column: int
    type: str = field(default="", init=False)  # number | text | bool | a field type, set by the checker
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
    fn: Any = field(default=None, init=False, repr=False)  # the Function, resolved by the checker


def grown(node: Node, args: list[Node]) -> Node:
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


def walk(node: Node):
    """Every node, parents first, without recursion."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(getattr(n, "args", ())))


def clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def render(node: Node) -> str:
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
        return f"{node.name}({','.join(render(a) for a in node.args)})"
    if node.op == "neg":
        return f"-{render(node.args[0])}"
    return f"({render(node.args[0])}{node.op}{render(node.args[1])})"
