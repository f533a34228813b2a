"""Parsers of bank statement files: amounts to 分 exactly, directions,
bank references, balances, title rows, encodings, refusals naming what
is wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest
from crm_shared.domain.errors import InvalidArgument
from finance_reconciliation.adapters.parsers import camt053, cn_bank, mt940
from finance_reconciliation.domain.bank_layout import DEFAULT_LAYOUTS
from finance_reconciliation.domain.statement import to_minor

from tests.support import bank_files as bf

ACCOUNT = "1001234509876543210"
LAYOUTS = list(DEFAULT_LAYOUTS)


def _summary(statement):  # type: ignore[no-untyped-def]
    return [(line.bank_ref, line.amount_minor, line.direction) for line in statement.lines]


EXPECTED = [(e.ref, e.amount_minor, "credit" if e.credit else "debit") for e in bf.entries(6)]


@pytest.mark.parametrize(
    ("text", "minor"),
    [("1,234.50", 123450), ("0.01", 1), ("¥12", 1200), (Decimal("99.99"), 9999), (100.37, 10037), ("-5.5", -550)],
)
def test_amounts_become_integer_fen_exactly(text, minor) -> None:  # type: ignore[no-untyped-def]
    assert to_minor(text) == minor


@pytest.mark.parametrize("text", ["1.001", "abc", "NaN", ""])
def test_an_amount_that_is_not_one_in_fen_is_refused(text: str) -> None:
    with pytest.raises(InvalidArgument):
        to_minor(text)


def test_camt053_lines_balances_and_counterparties() -> None:
    [statement] = camt053.parse(bf.camt053(ACCOUNT, bf.entries(6), opening=50_000))
    assert statement.account == ACCOUNT
    assert _summary(statement) == EXPECTED
    assert statement.opening_minor == 50_000
    assert statement.balance_problem() == ""
    assert statement.lines[0].counterparty_name == "上海精密机械有限公司"
    assert statement.lines[0].remark == "货款 HT-2026-0000"


def test_camt053_with_a_wrong_closing_balance_reports_the_gap() -> None:
    [statement] = camt053.parse(bf.camt053(ACCOUNT, bf.entries(3), opening=0, closing_minor=1))
    assert "closing balance is 1" in statement.balance_problem()


def test_camt053_refuses_entities() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document>&a;</Document>'
    with pytest.raises(InvalidArgument) as caught:
        camt053.parse(bomb)
    assert "DTD or entities is refused" in caught.value.message


def test_mt940_lines_and_balances() -> None:
    [statement] = mt940.parse(bf.mt940(ACCOUNT, bf.entries(6), opening=50_000))
    assert statement.account == ACCOUNT
    assert _summary(statement) == EXPECTED
    assert (statement.opening_minor, statement.balance_problem()) == (50_000, "")


def test_icbc_gbk_csv_with_title_rows_finds_header_account_and_balances() -> None:
    [statement] = cn_bank.parse(bf.icbc_csv(ACCOUNT, bf.entries(6), opening=50_000), LAYOUTS)
    assert statement.account == ACCOUNT
    assert _summary(statement) == EXPECTED
    assert statement.opening_minor == 50_000 and statement.balance_problem() == ""
    assert statement.lines[0].counterparty_name == "上海精密机械有限公司"


def test_icbc_csv_with_a_broken_running_balance_is_a_balance_problem() -> None:
    [statement] = cn_bank.parse(bf.icbc_csv(ACCOUNT, bf.entries(6), break_balance_at=5), LAYOUTS)
    assert statement.balance_problem() != ""


def test_ccb_newest_first_utf8_bom_export() -> None:
    [statement] = cn_bank.parse(bf.ccb_csv(ACCOUNT, bf.entries(6), opening=10_000), LAYOUTS)
    assert sorted(_summary(statement)) == sorted(EXPECTED)
    assert statement.opening_minor == 10_000 and statement.balance_problem() == ""


def test_cmb_xlsx_with_amount_and_direction_columns() -> None:
    [statement] = cn_bank.parse(bf.cmb_xlsx(ACCOUNT, bf.entries(6), opening=10_000), LAYOUTS)
    assert statement.account == ACCOUNT
    assert _summary(statement) == EXPECTED
    assert statement.balance_problem() == ""


def test_an_unknown_layout_is_refused_naming_what_is_missing() -> None:
    with pytest.raises(InvalidArgument) as caught:
        cn_bank.parse(bf.unknown_csv(), LAYOUTS)
    assert "unknown bank export layout" in caught.value.message
    assert "booked_on" in caught.value.message


def test_a_bad_row_is_rejected_alone() -> None:
    content = bf.icbc_csv(ACCOUNT, bf.entries(2)).decode("gbk").replace("2026-12-01,TX00000001", "昨天,TX00000001")
    [statement] = cn_bank.parse(content.encode("gbk"), LAYOUTS)
    assert [line.bank_ref for line in statement.lines] == ["TX00000000"]
    assert statement.rejected[0].row == 5 and "not a date" in statement.rejected[0].reason
