"""Promotion programmes and applications (domain/promotion.py): valid terms by
field, states only forward, who sees a programme and an application, what an
application may ask and for what, one open application per deal or period,
the decision and its public comment, the approval's facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import AlreadyExists, Conflict, FailedPrecondition, InvalidArgument, NotFound
from lead_routing.domain import promotion as p
from lead_routing.domain import registration as reg

# 2026-03-10 10:00 in Shanghai.
NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
ADMIN = Caller("t", "admin", "admin")
CHANNEL_MANAGER = Caller("t", "wangqiang", "manager")
OTHER_MANAGER = Caller("t", "zhoumin", "manager")
ZHAOLEI = Caller("t", "zhaolei", "partner", organisation="dist-hz")
SUNLI = Caller("t", "sunli", "partner", organisation="dist-nb")
REP = Caller("t", "zhangwei", "rep")


def fields(err: pytest.ExceptionInfo) -> set[str]:
    return {v.field for v in err.value.violations}


def support_terms(**changes: object) -> p.TermsInput:
    base = p.TermsInput(
        name=" 春季陈列支持 ",
        conditions="陈列样机不少于 2 台",
        starts_on="2026-03-01",
        ends_on="2026-05-31",
        product_lines=("数控机床", "数控机床", " "),
        benefit="support",
        support_amount_minor=5_000_000,
    )
    return replace(base, **changes)


def programme(status: str = p.PUBLISHED, **changes: object) -> p.Programme:
    return p.new_programme("prog-1", "t", p.terms(support_terms(**changes)), status, "wangqiang", NOW)


def registration(status: str = reg.APPROVED, distributor_id: str = "dist-hz") -> reg.Registration:
    return reg.Registration(
        registration_id="reg-1", tenant_id="t", distributor_id=distributor_id, registered_by="zhaolei",
        company_name="杭州滨江智能装备有限公司", credit_code="", phone="13700000000", province="浙江省",
        city="杭州市", district="", industry="机电设备", contact_name="林经理", contact_phone="",
        product_line="数控机床", models=("VMC1160",), quantity=1, expected_amount=45_000_000, currency="CNY",
        expected_close_date=None, status=status, outcome=reg.NO_CONFLICT, conflicts=(), created_at=NOW,
        updated_at=NOW,
    )  # fmt: skip


def apply(cmd: p.ApplicationInput, *, of: p.Programme | None = None, found: reg.Registration | None = None):
    return p.new_application(
        cmd,
        application_id="app-1",
        programme=of or programme(),
        distributor_id="dist-hz",
        applicant_id="zhaolei",
        registration=found,
        now=NOW,
    )


FOR_DEAL = p.ApplicationInput("prog-1", registration_id="reg-1", amount_asked_minor=3_000_000, note=" 陈列两台 ")
FOR_PERIOD = p.ApplicationInput(
    "prog-1", period_starts_on="2026-03-10", period_ends_on="2026-04-09", amount_asked_minor=2_000_000
)


def test_terms_are_trimmed_and_every_problem_is_named() -> None:
    made = p.terms(support_terms())
    assert (made.name, made.product_lines, made.support_amount_minor, made.currency) == (
        "春季陈列支持",
        ("数控机床",),
        5_000_000,
        "CNY",
    )
    with pytest.raises(InvalidArgument) as err:
        p.terms(support_terms(name=" ", ends_on="2026-02-01", benefit="gift", starts_on="2026-03-01"))
    assert fields(err) == {"terms.name", "terms.ends_on", "terms.benefit"}
    with pytest.raises(InvalidArgument) as err:
        p.terms(support_terms(support_amount_minor=0, discount_percent=5, ends_on="2030-01-01"))
    assert fields(err) == {"terms.support_amount.amount_minor", "terms.discount_percent", "terms.ends_on"}
    with pytest.raises(InvalidArgument) as err:
        p.terms(support_terms(benefit="discount", discount_percent=100))
    assert fields(err) == {"terms.discount_percent", "terms.support_amount.amount_minor"}
    discount = p.terms(support_terms(benefit="discount", discount_percent=8, support_amount_minor=0))
    assert (discount.discount_percent, discount.support_amount_minor) == (8, 0)
    with pytest.raises(InvalidArgument) as err:
        p.terms(support_terms(product_lines=tuple(f"线{i}" for i in range(21)), conditions="条" * 4001))
    assert fields(err) == {"terms.product_lines", "terms.conditions"}


def test_a_programme_moves_forward_only_and_a_closed_ones_terms_are_final() -> None:
    draft = programme(p.DRAFT)
    assert draft.published_at is None and draft.version == 1
    published = p.changed_programme(draft, draft.terms, p.PUBLISHED, 1, NOW)
    assert (published.status, published.published_at, published.version) == (p.PUBLISHED, NOW, 2)
    with pytest.raises(InvalidArgument) as err:
        p.changed_programme(published, published.terms, p.DRAFT, 0, NOW)
    assert fields(err) == {"status"}
    with pytest.raises(Conflict):
        p.changed_programme(published, published.terms, p.CLOSED, 1, NOW)  # read before the publication
    closed = p.changed_programme(published, published.terms, p.CLOSED, 2, NOW)
    assert p.changed_programme(closed, closed.terms, "", 0, NOW).status == p.CLOSED
    with pytest.raises(FailedPrecondition):
        p.changed_programme(closed, replace(closed.terms, name="改名"), "", 0, NOW)


def test_a_partner_sees_published_and_closed_programmes_never_drafts() -> None:
    assert p.may_see_programme(ZHAOLEI, programme()) and not p.may_see_programme(ZHAOLEI, programme(p.DRAFT))
    assert p.may_see_programme(OTHER_MANAGER, programme(p.DRAFT)) and not p.may_see_programme(REP, programme())
    assert p.may_see_programme(ZHAOLEI, programme(p.CLOSED))  # they may hold applications for it
    assert p.visible_states(ZHAOLEI, "") == (p.PUBLISHED,) and p.visible_states(ZHAOLEI, p.DRAFT) == ()
    assert p.visible_states(ZHAOLEI, p.CLOSED) == (p.CLOSED,)
    assert p.visible_states(ADMIN, "") == p.PROGRAMME_STATES and p.visible_states(ADMIN, p.CLOSED) == (p.CLOSED,)
    with pytest.raises(InvalidArgument):
        p.visible_states(ADMIN, "archived")


def test_an_application_for_an_approved_registration_of_its_own() -> None:
    made = apply(FOR_DEAL, found=registration())
    assert (made.status, made.registration_id, made.period_starts_on, made.note) == (
        p.SUBMITTED,
        "reg-1",
        None,
        "陈列两台",
    )
    assert (made.amount_asked_minor, made.currency, made.programme_name) == (3_000_000, "CNY", "春季陈列支持")
    # Another distributor's registration, or none, is not found; one not (yet) approved is refused.
    for found in (None, registration(distributor_id="dist-nb")):
        with pytest.raises(NotFound):
            apply(FOR_DEAL, found=found)
    for status in (reg.PENDING, reg.REJECTED, reg.LAPSED):
        with pytest.raises(FailedPrecondition):
            apply(FOR_DEAL, found=registration(status))
    assert apply(FOR_DEAL, found=registration(reg.CONVERTED)).registration_id == "reg-1"


def test_what_an_application_may_ask() -> None:
    with pytest.raises(InvalidArgument) as err:
        apply(replace(FOR_DEAL, amount_asked_minor=5_000_001, period_starts_on="2026-03-10"), found=registration())
    assert fields(err) == {"amount_asked.amount_minor", "registration_id"}
    with pytest.raises(InvalidArgument) as err:
        apply(p.ApplicationInput("prog-1", currency="USD", amount_asked_minor=100, note="注" * 2001))
    assert fields(err) == {"period_starts_on", "period_ends_on", "amount_asked.currency", "note"}
    with pytest.raises(InvalidArgument) as err:
        apply(replace(FOR_PERIOD, period_ends_on="2026-06-30", amount_asked_minor=None))
    assert fields(err) == {"period_starts_on", "amount_asked"}  # beyond the programme's period; nothing asked
    made = apply(FOR_PERIOD)
    assert (made.registration_id, made.period_starts_on, made.period_ends_on) == (
        "",
        date(2026, 3, 10),
        date(2026, 4, 9),
    )
    # A discount programme bounds nothing but the amount's own bound.
    discount = programme(benefit="discount", discount_percent=8, support_amount_minor=0)
    assert apply(replace(FOR_PERIOD, amount_asked_minor=9_000_000), of=discount).amount_asked_minor == 9_000_000


def test_only_a_published_programme_inside_its_period_takes_applications() -> None:
    for closed in (programme(p.DRAFT), programme(p.CLOSED), programme(starts_on="2026-03-11", ends_on="2026-05-31")):
        with pytest.raises(FailedPrecondition) as err:
            apply(replace(FOR_PERIOD, period_starts_on="2026-03-11"), of=closed)
        assert err.value.violations[0].type == "PROGRAMME_NOT_OPEN"
    # Its last day (Shanghai) still counts.
    last_day = programme(starts_on="2026-01-01", ends_on="2026-03-10")
    assert apply(replace(FOR_PERIOD, period_starts_on="2026-03-01", period_ends_on="2026-03-10"), of=last_day)


def test_one_open_application_per_deal_or_period() -> None:
    first = apply(FOR_DEAL, found=registration())
    with pytest.raises(AlreadyExists):
        p.refuse_repeat(replace(first, application_id="app-2"), [first])
    rejected = replace(first, status=p.REJECTED)
    p.refuse_repeat(replace(first, application_id="app-2"), [rejected])  # asked again after a rejection
    period = apply(FOR_PERIOD)
    p.refuse_repeat(period, [first])  # a deal's application does not cover a period
    later = replace(period, application_id="app-3", period_starts_on=date(2026, 4, 10), period_ends_on=date(2026, 5, 1))
    p.refuse_repeat(later, [period])
    overlapping = replace(later, period_starts_on=date(2026, 4, 9))
    with pytest.raises(AlreadyExists):
        p.refuse_repeat(overlapping, [period])


def test_the_decision_is_recorded_once_with_its_public_comment() -> None:
    app = p.with_approval(apply(FOR_DEAL, found=registration()), "apr-1", NOW)
    assert (app.approval_id, app.version) == ("apr-1", 2)
    assert p.decided(app, "apr-other", "approved", "同意", NOW) is None  # another request's decision
    decided = p.decided(app, "apr-1", "approved", " 同意支持 3 万元 ", NOW)
    assert decided is not None
    assert (decided.status, decided.decision, decided.decision_comment, decided.decided_at) == (
        p.APPROVED,
        "approved",
        "同意支持 3 万元",
        NOW,
    )
    assert p.decided(decided, "apr-1", "rejected", "", NOW) is None  # redelivered or late: nothing changes
    # A decision arriving before the request's id was recorded still settles it.
    unrecorded = apply(FOR_DEAL, found=registration())
    assert p.decided(unrecorded, "apr-9", "rejected", "不符合条件", NOW).approval_id == "apr-9"


def test_who_reads_an_application_and_what_a_partner_is_shown() -> None:
    app = p.with_approval(apply(FOR_DEAL, found=registration()), "apr-1", NOW)
    assert p.may_read_application(ADMIN, app, "wangqiang")
    assert p.may_read_application(CHANNEL_MANAGER, app, "wangqiang")
    assert not p.may_read_application(OTHER_MANAGER, app, "wangqiang")
    assert not p.may_read_application(CHANNEL_MANAGER, app, "")
    assert p.may_read_application(ZHAOLEI, app, "") and not p.may_read_application(SUNLI, app, "")
    assert not p.may_read_application(REP, app, "wangqiang")
    assert p.as_seen_by(ZHAOLEI, app).approval_id == "" and p.as_seen_by(ADMIN, app).approval_id == "apr-1"


def test_the_approval_is_asked_with_the_amount_in_yuan_and_the_channel_manager() -> None:
    app = replace(apply(FOR_DEAL, found=registration()), amount_asked_minor=3_000_099)
    reason, facts = p.approval_facts(app, "杭州恒通机电", "wangqiang")
    assert reason == "杭州恒通机电 申报促销 春季陈列支持"
    assert facts == {"金额": "30000", "渠道经理": "wangqiang", "分销商": "dist-hz", "申请人": "zhaolei"}
