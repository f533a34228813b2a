"""What goes wrong with a formula: refused on save (FormulaError), or an
Excel error value while it is evaluated (ExcelError)."""

from __future__ import annotations

from dataclasses import dataclass

from crm_shared.domain.errors import FieldViolation, InvalidArgument


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
NA = ExcelError("#N/A")  # a lookup that finds nothing (a plug-in function may give it)
NUM = ExcelError("#NUM!")  # a number too large to compute
NAME = ExcelError("#NAME?")  # a saved formula that no longer compiles (see unusable_formula)
