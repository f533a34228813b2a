"""The forecast's sums equal the sums over the opportunities, exactly, whatever the grouping."""

from __future__ import annotations

from datetime import date

import pytest
from crm_shared.domain.errors import InvalidArgument
from opportunity.domain.indexes import forecast as fc


def lines() -> list[fc.Line]:
    out = []
    for i in range(60):
        out.append(
            fc.Line(
                opportunity_id=f"o{i}",
                owner_id=f"rep-{i % 3}",
                region=("浙江", "江苏", "")[i % 3 - (i % 2)],
                product_line=("泵", "阀")[i % 2],
                expected_close_date=date(2026, 1 + i % 12, 15) if i % 7 else None,
                amount_minor=None if i % 11 == 0 else 123_457 * (i + 1),
                currency="USD" if i % 13 == 0 else "CNY",
                probability=(i * 17) % 101,
                forecast_category=fc.CATEGORIES[i % 3],
            )
        )
    return out


@pytest.mark.parametrize("grouping", [*fc.GROUPINGS, "matrix"])
def test_group_sums_equal_the_sum_over_opportunities(grouping: str) -> None:
    ls = lines()
    cells = fc.group(ls, ("region", "product_line") if grouping == "matrix" else (grouping,))
    for currency in ("CNY", "USD"):
        mine = [ln for ln in ls if ln.currency == currency and ln.amount_minor is not None]
        cs = [c for c in cells if c.currency == currency]
        assert sum(c.weighted_percent_minor for c in cs) == sum(ln.amount_minor * ln.probability for ln in mine)
        assert sum(c.amount_minor for c in cs) == sum(ln.amount_minor for ln in mine)
        for cat in fc.CATEGORIES:
            assert sum(c.by_category[cat] for c in cs) == sum(
                ln.amount_minor for ln in mine if ln.forecast_category == cat
            )
        assert sum(c.count for c in cs) == sum(1 for ln in ls if ln.currency == currency)
        for c in cs:
            assert c.expected_minor == c.weighted_percent_minor // 100


def test_ranges_are_bounded_and_filter_by_expected_close_month() -> None:
    q = fc.check_query("month", "2026-03", "2026-05")
    kept = fc.in_range(lines(), q)
    assert kept and all(
        ln.expected_close_date and date(2026, 3, 1) <= ln.expected_close_date < date(2026, 6, 1) for ln in kept
    )
    assert fc.check_query("rep", "2025-12", "2026-01").months() == (date(2025, 12, 1), date(2026, 2, 1))
    for args, field in (
        (("week", "", ""), "group_by"),
        (("month", "2024-01", "2026-01"), "to_month"),
        (("month", "2026-13", "2026-12"), "from_month"),
        (("month", "2026-01", ""), "to_month"),
        (("month", "2026-05", "2026-01"), "to_month"),
    ):
        with pytest.raises(InvalidArgument) as bad:
            fc.check_query(*args)
        assert field in {v.field for v in bad.value.violations}
