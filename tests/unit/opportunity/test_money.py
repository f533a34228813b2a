"""The one money bound and validator every service uses, and sums that
cannot overflow (crm_shared.money), with the board totals built on them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from crm_shared.domain.errors import InvalidArgument, Validator
from crm_shared.money import INT64_MAX, MAX_AMOUNT_MINOR, SPLIT, check_amount, total, validate_amount, wire_minor
from opportunity.domain.opportunity import Details, apply_details, open_opportunity
from opportunity.domain.pipeline import BoardGroup, Gate, Stage, board_totals, define_pipeline

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def fields(**kw) -> list[str]:
    v = Validator()
    check_amount(v, "amount", **kw)
    return [f"{x.field}: {x.description}" for x in v.violations]


def test_the_bound_is_ten_trillion_yuan_and_every_problem_is_named() -> None:
    assert MAX_AMOUNT_MINOR == 10**15
    assert fields(amount_minor=MAX_AMOUNT_MINOR, currency="CNY") == []
    assert fields(amount_minor=0, currency="CNY") == []
    assert [f.split(":")[0] for f in fields(amount_minor=MAX_AMOUNT_MINOR + 1, currency="CNY")] == [
        "amount.amount_minor"
    ]
    assert [f.split(":")[0] for f in fields(amount_minor=INT64_MAX, currency="usd")] == [
        "amount.amount_minor", "amount.currency"
    ]
    assert fields(amount_minor=-1, currency="CNY") == ["amount.amount_minor: must not be negative"]
    assert fields(amount_minor=0, currency="CNY", positive=True) == [
        "amount.amount_minor: must be greater than 0 (in 分)"
    ]
    assert fields(amount_minor=5, currency="USD") == ["amount.currency: must be one of CNY"]
    assert fields(amount_minor=None, required=True) == ["amount: is required"]
    assert fields(amount_minor=None) == []
    with pytest.raises(InvalidArgument):
        validate_amount("budget", MAX_AMOUNT_MINOR + 1)


def test_sums_are_exact_and_saturate_only_on_the_wire() -> None:
    huge = [INT64_MAX, INT64_MAX]
    assert total(huge) == 2 * INT64_MAX
    assert wire_minor(total(huge)) == INT64_MAX
    assert wire_minor(12_345) == 12_345
    # The two-part split rebuilds any stored value exactly.
    for value in (0, 1, SPLIT - 1, SPLIT, MAX_AMOUNT_MINOR, INT64_MAX):
        assert (value // SPLIT) * SPLIT + value % SPLIT == value


def test_opportunity_amounts_above_the_bound_are_refused() -> None:
    with pytest.raises(InvalidArgument) as err:
        open_opportunity(
            tenant_id="t", opportunity_id="o", customer_id="c", now=NOW, existing=None, customer_name="宁波注塑机厂",
            credit_code="", name="二期", amount_minor=INT64_MAX - 1, currency="CNY", owner_id="rep-1",
        )
    assert [v.field for v in err.value.violations] == ["amount.amount_minor"]
    opp = open_opportunity(
        tenant_id="t", opportunity_id="o", customer_id="c", now=NOW, existing=None, customer_name="宁波注塑机厂",
        credit_code="", name="二期", amount_minor=MAX_AMOUNT_MINOR, currency="CNY", owner_id="rep-1",
    ).opportunity
    with pytest.raises(InvalidArgument) as err:
        apply_details(opp, Details(amount_minor=MAX_AMOUNT_MINOR + 1), NOW)
    assert [v.field for v in err.value.violations] == ["amount.amount_minor"]


def test_board_totals_are_exact_and_never_fail_on_stored_giants() -> None:
    p = define_pipeline(
        pipeline_id="p", tenant_id="t", name="展会", product_line="",
        stages=[Stage("扫码留资", 5, "pipeline", Gate()), Stage("付首期款", 90, "commit", Gate())], now=NOW,
    )
    exact = board_totals(p, [BoardGroup("open", "扫码留资", 3, 3 * MAX_AMOUNT_MINOR, 3 * MAX_AMOUNT_MINOR * 5)])
    assert exact.columns[0][1:] == (3, 3 * MAX_AMOUNT_MINOR, 3 * MAX_AMOUNT_MINOR * 5 // 100)
    assert exact.columns[1][1:] == (0, 0, 0)
    giants = board_totals(
        p,
        [
            BoardGroup("open", "付首期款", 2, 2 * INT64_MAX, 2 * INT64_MAX * 90),
            BoardGroup("won", "付首期款", 2, 2 * INT64_MAX, 0),
            BoardGroup("lost", "扫码留资", 1, 7, 0),
        ],
    )
    assert giants.columns[1][1:] == (2, INT64_MAX, INT64_MAX)
    assert (giants.won_count, giants.won_amount_minor, giants.lost_count) == (2, INT64_MAX, 1)
