"""Rebate tiers, periods and programme input (domain/rebate.py): the accrued
rebate on the whole amount or marginally, in integer 分 floored; the tier
reached and what the next one needs; periods of each kind; every bad field
named; a partner lead-routing refuses is answered nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, PermissionDenied, Unavailable
from crm_shared.testing import FakePartnerCheck
from finance_reconciliation.domain.rebate import (
    MARGINAL,
    WHOLE,
    ProgrammeInput,
    RebateProgramme,
    Tier,
    accrued,
    parse_period,
    period_of,
    progress,
    validated,
)
from finance_reconciliation.service_layer.rebates import RebateHandlers
from finance_reconciliation.service_layer.uow import FinanceUnitOfWork

WAN = 10_000 * 100  # 1万元 in 分
TIERS = (Tier(100 * WAN, 200), Tier(300 * WAN, 300))  # ≥ 100万 2 %, ≥ 300万 3 %


def programme(basis: str = WHOLE, kind: str = "quarter", **kw: object) -> RebateProgramme:
    made = RebateProgramme(
        programme_id="p1", tenant_id="t", name="年度返利", period_kind=kind, tiers=TIERS, basis=basis,
        currency="CNY", distributor_ids=(), starts_on=date(2026, 1, 1), ends_on=None, active=True, version=1,
        updated_by="admin", updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return replace(made, **kw)


@pytest.mark.parametrize(
    ("collected", "whole", "marginal"),
    [
        (0, 0, 0),
        (100 * WAN - 1, 0, 0),  # one 分 short of the first tier: nothing
        (100 * WAN, 2 * WAN, 0),  # whole: 2 % of 100万; marginal: nothing above the threshold yet
        (250 * WAN, 5 * WAN, 3 * WAN),  # 2 % of 150万 above 100万
        (300 * WAN, 9 * WAN, 4 * WAN),
        (400 * WAN, 12 * WAN, 7 * WAN),  # 2 % of 200万 + 3 % of 100万
        (100 * WAN + 49, 2 * WAN, 0),  # 49 分 × 2 % = 0.98 分: floored
    ],
)
def test_the_rebate_on_the_whole_amount_or_marginally(collected: int, whole: int, marginal: int) -> None:
    assert accrued(TIERS, WHOLE, collected) == whole
    assert accrued(TIERS, MARGINAL, collected) == marginal


def test_progress_names_the_tier_reached_and_what_the_next_needs() -> None:
    q4 = period_of("quarter", date(2026, 12, 2))
    below = progress(programme(), "dist-hz", q4, 80 * WAN, 2)
    assert (below.tier, below.rate_bp, below.next_threshold_minor, below.needed_minor, below.accrued_minor) == (
        0, 0, 100 * WAN, 20 * WAN, 0,
    )
    first = progress(programme(), "dist-hz", q4, 120 * WAN, 3)
    assert (first.tier, first.rate_bp, first.next_rate_bp, first.needed_minor) == (1, 200, 300, 180 * WAN)
    top = progress(programme(), "dist-hz", q4, 300 * WAN, 4)
    assert (top.tier, top.rate_bp, top.next_threshold_minor, top.needed_minor, top.accrued_minor) == (
        2, 300, 0, 0, 9 * WAN,
    )


def test_periods_of_each_kind_and_their_labels() -> None:
    assert period_of("month", date(2026, 2, 10)) == parse_period("month", "2026-02")
    assert parse_period("month", "2028-02").ends_on == date(2028, 2, 29)
    q = parse_period("quarter", "2026-Q4")
    assert (q.starts_on, q.ends_on) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_of("year", date(2026, 7, 1)).label == "2026"
    for kind, label in (("month", "2026-13"), ("quarter", "2026-Q5"), ("year", "26"), ("month", "2026-Q1")):
        with pytest.raises(InvalidArgument) as refused:
            parse_period(kind, label)
        assert refused.value.violations[0].field == "period"


def test_a_programme_starting_mid_period_counts_from_its_first_day_and_not_before_it() -> None:
    p = programme(kind="month", starts_on=date(2026, 11, 15), ends_on=date(2027, 1, 10))
    assert p.period("2026-11").starts_on == date(2026, 11, 15)
    assert p.period("2027-01").ends_on == date(2027, 1, 10)
    with pytest.raises(InvalidArgument):
        p.period("2026-10")


def test_a_programme_applies_to_the_distributors_it_lists_or_to_all() -> None:
    assert programme().applies_to("dist-nb")
    listed = programme(distributor_ids=("dist-hz",))
    assert listed.applies_to("dist-hz") and not listed.applies_to("dist-nb") and not listed.applies_to("")


def test_every_bad_field_of_a_programme_is_named() -> None:
    bad = ProgrammeInput(
        name="", period_kind="week", tiers=[Tier(300 * WAN, 200), Tier(100 * WAN, 0)], basis="flat",
        currency="USD", distributor_ids=["Dist HZ"], starts_on="2026-13-01", ends_on="", active=True,
    )
    with pytest.raises(InvalidArgument) as refused:
        validated(bad)
    assert {v.field for v in refused.value.violations} == {
        "name", "period_kind", "basis", "currency", "tiers[1].threshold_minor", "tiers[1].rate_bp",
        "distributor_ids[0]", "starts_on",
    }
    good = validated(ProgrammeInput("返利", "quarter", list(TIERS), "", "", ["dist-hz", "dist-hz"], "2026-01-01", "",
                                    True))
    assert (good["basis"], good["currency"], good["distributor_ids"]) == (WHOLE, "CNY", ("dist-hz",))


# --- who the partner is: lead-routing's answer, asked before anything is read (service_layer/rebates.py) ---


class Reached(Exception):
    """The handler opened its unit of work: it went on to read the rebates."""


def no_store() -> FinanceUnitOfWork:
    raise Reached


async def test_a_partner_lead_routing_refuses_or_cannot_be_asked_about_is_answered_nothing() -> None:
    hz = Caller("t", "zhaolei", "partner", organisation="dist-hz")
    refused = FakePartnerCheck(refused={"zhaolei"})
    with pytest.raises(PermissionDenied, match="not a user of an active distributor"):
        await RebateHandlers(no_store, refused).partner_rebates(hz)
    with pytest.raises(Unavailable):
        await RebateHandlers(no_store, FakePartnerCheck(away=True)).partner_rebates(hz)
    admitted = FakePartnerCheck()
    with pytest.raises(Reached):
        await RebateHandlers(no_store, admitted).partner_rebates(hz)
    assert (refused.asked, admitted.asked) == (["zhaolei"], ["zhaolei"])
    # A partner token naming no organisation, or another role, is refused before lead-routing is asked.
    unasked = FakePartnerCheck()
    for caller in (Caller("t", "x", "partner"), Caller("t", "f", "finance")):
        with pytest.raises(PermissionDenied):
            await RebateHandlers(no_store, unasked).partner_rebates(caller)
    assert unasked.asked == []
