"""The grammar: formula text to the tree, with the limits enforced as it is built."""

from __future__ import annotations

import math

from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedInput, UnexpectedToken, v_args

from crm_shared.formula.ast import MAX_LENGTH, Call, Const, Node, Op, Ref, clip, grown
from crm_shared.formula.errors import FormulaError

GRAMMAR = r"""
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


@v_args(inline=True)
class _ToAst(Transformer):
    def number(self, tok: Token) -> Node:
        value = float(tok)
        if not math.isfinite(value):
            raise FormulaError(tok.line, tok.column, f"the number {clip(str(tok))} is too large")
        return Const(tok.line, tok.column, value)

    def string(self, tok: Token) -> Node:
        return Const(tok.line, tok.column, tok[1:-1].replace('""', '"'))

    def name(self, tok: Token) -> Node:
        return Ref(tok.line, tok.column, str(tok))

    def call(self, name: Token, *args: Node | None) -> Node:
        present = [a for a in args if a is not None]
        return grown(Call(name.line, name.column, str(name).upper(), present), present)

    def compare(self, left: Node, op: Token, right: Node) -> Node:
        return grown(Op(op.line, op.column, str(op), [left, right]), [left, right])

    def arith(self, left: Node, op: Token, right: Node) -> Node:
        return grown(Op(op.line, op.column, str(op), [left, right]), [left, right])

    def neg(self, sign: Token, operand: Node) -> Node:
        return grown(Op(sign.line, sign.column, "neg", [operand]), [operand])


# The tree is built by the parser itself as it reduces (an LALR parser with an
# embedded transformer): no recursive pass over a parse tree whose depth the
# input decides.
_PARSER = Lark(GRAMMAR, parser="lalr", maybe_placeholders=True, transformer=_ToAst())


def parse(text: str) -> Node:
    """The formula's tree, unchecked; raises FormulaError on a syntax error or a limit."""
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
