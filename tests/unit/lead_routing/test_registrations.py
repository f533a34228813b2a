"""Deal registrations' rules, pure: what a partner may type, the conflict
check (the same customer by lead intake's duplicate rule; first to register
wins; the check window), the clash decision, and the partner's view."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from crm_shared.domain.errors import Conflict as Stale
from crm_shared.domain.errors import InvalidArgument
from lead_routing.domain.conflicts import check
from lead_routing.domain.duplicates import KnownLead
from lead_routing.domain.registration import (
    APPROVED,
    CLASH,
    CLASH_OPEN,
    LAPSED,
    PENDING,
    REFUSED,
    UNDER_REVIEW,
    Clash,
    Conflict,
    Registration,
    RegistrationInput,
    registration,
)
from lead_routing.service_layer.registrations import RegistrationView
from stdnum.cn import uscc

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
CODE = "91330100MA27A1B2C" + uscc.calc_check_digit("91330100MA27A1B2C")
OTHER_CODE = "91330100MA27A1B2D" + uscc.calc_check_digit("91330100MA27A1B2D")


def reg(rid: str, distributor: str = "dist-hz", *, at: datetime = NOW, **typed: object) -> Registration:
    values: dict[str, object] = {"company_name": "杭州恒盛纺织有限公司", "phone": "13812345678", "city": "杭州"}
    values |= {"expected_amount": 38_000_000} | typed
    return registration(
        RegistrationInput(**values),  # type: ignore[arg-type]
        registration_id=rid,
        tenant_id="t",
        distributor_id=distributor,
        registered_by="u",
        now=at,
    )


def verdict(new: Registration, *, leads=(), customers=(), registrations=(), in_territory=True, now=NOW):  # type: ignore[no-untyped-def]
    return check(new, leads=leads, customers=customers, registrations=registrations, in_territory=in_territory, now=now)


def lead(lead_id: str, name: str, *, code: str | None = None, phone: str | None = None) -> KnownLead:
    return KnownLead(lead_id, name, code, phone, "杭州市", NOW - timedelta(days=100))


# --- what a partner types -------------------------------------------------------------


def test_the_keys_are_normalised_as_lead_intake_does() -> None:
    r = reg("a", credit_code=CODE.lower(), province="浙江")
    assert (r.credit_code, r.phone, r.province, r.city) == (CODE, "+8613812345678", "浙江省", "杭州市")
    assert (r.status, r.outcome, r.conflicts) == (PENDING, "no_conflict", ())


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ({"credit_code": "91330100XXXX"}, "credit_code"),
        ({"phone": "12"}, "phone"),
        ({"phone": "", "credit_code": ""}, "phone"),
        ({"company_name": " "}, "company_name"),
        ({"company_name": "厂" * 201}, "company_name"),
        ({"expected_amount": None}, "expected_amount"),
        ({"expected_amount": -1}, "expected_amount.amount_minor"),
        ({"expected_amount": 0}, "expected_amount.amount_minor"),
        ({"currency": "RMB"}, "expected_amount.currency"),
        ({"quantity": -1}, "quantity"),
        ({"quantity": 1_000_001}, "quantity"),
        ({"models": tuple(f"M{i}" for i in range(51))}, "models"),
        ({"expected_close_date": "2027-02-30"}, "expected_close_date"),
        ({"industry": "机" * 101}, "industry"),
    ],
)
def test_bad_input_is_named_by_field(typed: dict, field: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        reg("a", **typed)
    assert field in [v.field for v in refused.value.violations]


# --- the check ------------------------------------------------------------------------


def test_nothing_found_is_no_conflict() -> None:
    v = verdict(reg("b"), leads=[lead("l1", "杭州新华印刷有限公司", phone="+8613900000000")])
    assert (v.status, v.outcome, v.conflicts, v.clash_with) == (PENDING, "no_conflict", (), None)


@pytest.mark.parametrize(
    ("known", "matched_by"),
    [
        (lead("l1", "恒盛", code=CODE), "credit_code"),
        (lead("l1", "另一家公司", phone="+8613812345678"), "phone"),
        (lead("l1", "杭州恒盛纺织股份有限公司"), "similar_name"),
    ],
)
def test_a_lead_of_the_manufacturer_is_a_conflict_under_review(known: KnownLead, matched_by: str) -> None:
    v = verdict(reg("b", credit_code=CODE), leads=[known])
    assert (v.status, v.outcome) == (UNDER_REVIEW, "under_review")
    assert v.conflicts == (Conflict("lead", matched_by, "l1", known.company_name),)


def test_two_credit_codes_are_two_companies_whatever_else_they_share() -> None:
    v = verdict(reg("b", credit_code=CODE), leads=[lead("l1", "杭州恒盛纺织有限公司", code=OTHER_CODE)])
    assert v.status == PENDING


def test_a_customer_of_the_manufacturer_and_the_territory_are_conflicts() -> None:
    customer = lead("c1", "杭州恒盛纺织有限公司")
    v = verdict(reg("b"), customers=[customer], in_territory=False)
    assert [(c.kind, c.matched_by, c.object_id) for c in v.conflicts] == [
        ("customer", "similar_name", "c1"),
        ("territory", "territory", ""),
    ]
    assert v.status == UNDER_REVIEW


@pytest.mark.parametrize(
    "typed",
    [
        {"company_name": "恒盛", "credit_code": CODE, "phone": "13900000001"},
        {"company_name": "恒盛", "phone": "13812345678"},
        {"company_name": "杭州恒盛纺织股份有限公司", "phone": "13900000001"},
    ],
)
def test_a_customer_protected_for_another_distributor_is_refused(typed: dict) -> None:
    first = replace(reg("a", credit_code=CODE), status=APPROVED, protected_until=NOW + timedelta(days=30))
    v = verdict(reg("b", "dist-nb", **typed), registrations=[first])
    assert (v.status, v.outcome, v.clash_with) == (REFUSED, "refused", None)
    assert [(c.kind, c.object_id) for c in v.conflicts] == [("registration", "a")]


def test_a_distributors_own_active_registration_of_the_customer_refuses_the_second() -> None:
    v = verdict(reg("b", phone="13812345678"), registrations=[reg("a")])
    assert v.status == REFUSED


def test_another_distributors_registration_inside_the_window_opens_a_clash_with_the_first() -> None:
    first = reg("a", at=NOW - timedelta(days=10))
    later = replace(reg("c", "dist-sh", at=NOW - timedelta(days=2)), status=CLASH)
    v = verdict(reg("b", "dist-nb"), registrations=[later, first])
    assert (v.status, v.outcome, v.matched_by) == (CLASH, "under_review", "phone")
    assert v.clash_with is not None and v.clash_with.registration_id == "a"
    assert {c.object_id for c in v.conflicts} == {"a", "c"}


def test_outside_the_window_the_first_registration_is_a_conflict_for_the_approver() -> None:
    first = reg("a", at=NOW - timedelta(days=31))
    v = verdict(reg("b", "dist-nb"), registrations=[first])
    assert (v.status, v.clash_with) == (UNDER_REVIEW, None)
    assert [(c.kind, c.object_id) for c in v.conflicts] == [("registration", "a")]


def test_registrations_no_longer_active_and_ended_protection_do_not_refuse() -> None:
    lapsed = replace(reg("a"), status=LAPSED)
    refused = replace(reg("c", "dist-sh"), status=REFUSED)
    assert verdict(reg("b", "dist-nb"), registrations=[lapsed, refused]).status == PENDING
    ended = replace(reg("d", at=NOW - timedelta(days=120)), status=APPROVED, protected_until=NOW - timedelta(days=1))
    assert verdict(reg("b", "dist-nb"), registrations=[ended]).status == UNDER_REVIEW


# --- the clash ------------------------------------------------------------------------


def clash() -> Clash:
    return Clash("k", "t", "a", "b", "dist-hz", "dist-nb", "phone", CLASH_OPEN, NOW)


def test_a_clash_is_decided_once_for_one_of_its_two_registrations() -> None:
    with pytest.raises(InvalidArgument) as bad:
        clash().decide("z", "wangqiang", "", NOW)
    assert bad.value.violations[0].field == "winner_registration_id"
    decided = clash().decide("b", "wangqiang", "客户指定", NOW)
    assert (decided.status, decided.winner_registration_id, decided.decided_by) == ("decided", "b", "wangqiang")
    with pytest.raises(Stale):
        decided.decide("a", "wangqiang", "", NOW)


def test_the_winner_goes_on_to_the_approver_and_the_other_is_refused_with_the_comment() -> None:
    clashing = replace(reg("b", "dist-nb"), status=CLASH, conflicts=(Conflict("registration", "phone", "a"),))
    assert clashing.goes_on("", NOW).status == PENDING
    also_territory = replace(clashing, conflicts=(*clashing.conflicts, Conflict("territory", "territory")))
    assert also_territory.goes_on("", NOW).status == UNDER_REVIEW
    lost = reg("a").refused("客户指定宁波渠道", NOW)
    assert (lost.status, lost.decision, lost.decision_comment) == (REFUSED, "refused", "客户指定宁波渠道")
    with pytest.raises(Stale):
        replace(reg("a"), status=APPROVED).refused("", NOW)


def test_a_partner_sees_neither_conflicts_nor_that_another_distributor_is_why() -> None:
    r = replace(reg("b"), status=CLASH, approval_id="x", conflicts=(Conflict("registration", "phone", "a", "dist-hz"),))
    partner = RegistrationView(r, "宁波甬联", conflicts_shown=False).shown
    assert (partner.status, partner.conflicts, partner.approval_id) == (UNDER_REVIEW, (), "")
    assert RegistrationView(r, "宁波甬联", conflicts_shown=True).shown == r
