"""The protection window's rules (domain/protection.py) and a partner's lead
scope by organisation: when a reminder is due and that each is sent once, who
may ask for how long an extension, what an extension and a lapse do."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument
from lead_routing.domain import protection as rules
from lead_routing.domain.registration import LEAD, PENDING, Conflict, Registration

from tests.unit.lead_routing.factories import lead

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def registration(**fields: object) -> Registration:
    values: dict[str, object] = {
        "registration_id": "R1", "tenant_id": "t1", "distributor_id": "dist-hz", "registered_by": "zhaolei",
        "company_name": "杭州申达机电", "credit_code": "", "phone": "+8613800571234", "province": "浙江省",
        "city": "杭州市", "district": "", "industry": "机电设备", "contact_name": "陈经理", "contact_phone": "",
        "product_line": "数控机床", "models": ("VMC850",), "quantity": 1, "expected_amount": 38_000_000,
        "currency": "CNY", "expected_close_date": date(2027, 2, 1), "status": PENDING, "outcome": "no_conflict",
        "conflicts": (), "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip
    return Registration(**(values | fields))  # type: ignore[arg-type]


APPROVED = rules.approve(registration(), "L1", "同意", 90, NOW)
END = NOW + timedelta(days=90)


def test_approval_protects_from_now_for_the_tenants_days() -> None:
    assert (APPROVED.status, APPROVED.lead_id, APPROVED.protected_from, APPROVED.protected_until) == (
        "approved",
        "L1",
        NOW,
        END,
    )
    assert rules.decided(APPROVED) and not rules.decided(registration())


@pytest.mark.parametrize(
    ("before_end", "sent", "due"),
    [
        (timedelta(days=8), (), None),
        (timedelta(days=7), (), 7),
        (timedelta(days=3), (7,), None),  # sent already
        (timedelta(days=1), (7,), 1),
        (timedelta(hours=20), (), 1),  # the 7-day one missed: only the nearest is sent
        (timedelta(hours=1), (7, 1), None),
        (timedelta(0), (), None),  # the end: the lapse's, not a reminder's
    ],
)
def test_the_reminder_due_is_the_nearest_not_yet_sent(
    before_end: timedelta, sent: tuple[int, ...], due: int | None
) -> None:
    assert rules.reminder_due(replace(APPROVED, reminders_sent=sent), END - before_end) == due


def test_a_reminder_counts_the_more_distant_ones_as_sent() -> None:
    assert rules.reminded(APPROVED, 1, NOW).reminders_sent == (7, 1)
    assert rules.reminded(APPROVED, 7, NOW).reminders_sent == (7,)


def test_the_lapse_waits_for_the_end_and_progress_stops_it() -> None:
    assert not rules.expired(APPROVED, END - timedelta(seconds=1))
    assert rules.expired(APPROVED, END)
    assert rules.progressed(lead(status="converted")) and not rules.progressed(lead(status="lost"))
    held = rules.protect(lead("L1"), APPROVED, "杭州华东机电贸易", NOW)
    released = rules.released(held, END)
    assert (held.partner_protected, released.partner_protected, released.registration_id) == (True, False, "R1")


def test_another_distributors_lead_is_never_handed_over() -> None:
    theirs = lead("L1", partner_org_id="dist-nb")
    assert not rules.may_protect(theirs, APPROVED)
    assert rules.may_protect(lead("L1"), APPROVED) and rules.may_protect(lead("L1", partner_org_id="dist-hz"), APPROVED)


def test_the_protected_lead_is_the_matched_one_else_none() -> None:
    matched = registration(conflicts=(Conflict("territory", "territory"), Conflict(LEAD, "phone", "L9")))
    assert rules.protected_lead_id(matched) == "L9"
    assert rules.protected_lead_id(registration()) == ""
    data = rules.lead_data(registration())
    assert (data.source, data.budget_minor, data.industry_tags) == ("伙伴报备", 38_000_000, ("机电设备",))


def test_an_extension_is_asked_while_protected_within_the_tenants_days_one_at_a_time() -> None:
    with pytest.raises(InvalidArgument) as bad:
        rules.check_extension(APPROVED, 31, "", 30, NOW)
    assert {v.field for v in bad.value.violations} == {"days", "reason"}
    with pytest.raises(InvalidArgument):
        rules.check_extension(APPROVED, 0, "招标推迟", 30, NOW)
    with pytest.raises(FailedPrecondition):
        rules.check_extension(registration(), 10, "招标推迟", 30, NOW)  # not approved
    with pytest.raises(FailedPrecondition):
        rules.check_extension(APPROVED, 10, "招标推迟", 30, END)  # ended
    with pytest.raises(FailedPrecondition):
        rules.check_extension(replace(APPROVED, extension_approval_id="A2"), 10, "招标推迟", 30, NOW)
    assert rules.check_extension(APPROVED, 30, " 招标推迟 ", 30, NOW) == "招标推迟"


def test_an_approved_extension_moves_the_end_and_rearms_the_reminders() -> None:
    x = rules.Extension("X1", "t1", "R1", 20, "招标推迟", "zhaolei", NOW)
    waiting = rules.reminded(rules.extension_pending(APPROVED, x, NOW), 7, NOW)
    extended = rules.extend(waiting, x, NOW)
    assert (extended.protected_until, extended.extensions, extended.reminders_sent) == (END + timedelta(days=20), 1, ())
    assert extended.extension_approval_id == ""
    lapsed = rules.lapse(waiting, END)
    assert rules.extend(lapsed, x, END).protected_until == END  # a lapsed one is not revived
    assert rules.as_seen_by("partner", replace(x, approval_id="A1")).approval_id == ""
    reason, facts = rules.extension_facts(APPROVED, x, "杭州华东机电贸易", "wangqiang")
    assert facts == {"金额": "380000", "渠道经理": "wangqiang", "分销商": "dist-hz", "申请人": "zhaolei"}
    assert reason.startswith("杭州华东机电贸易 报备保护期延长")


def test_a_partner_sees_their_organisations_leads_and_what_its_users_typed_in() -> None:
    colleague = lead("L1", created_by="qianfang", partner_org_id="dist-hz", registration_id="R1")
    lapsed = lead("L2", created_by="zhaolei", registration_id="R2", entered_for="dist-hz")
    typed = lead("L3", created_by="zhaolei", source="伙伴报备", entered_for="dist-hz")
    typed_by_colleague = lead("L5", created_by="qianwu", source="伙伴报备", entered_for="dist-hz")
    other = lead("L4", created_by="sunli", partner_org_id="dist-nb", registration_id="R3")
    typed_elsewhere = lead("L6", created_by="sunli", source="伙伴报备", entered_for="dist-nb")
    manufacturers = lead("L7", created_by="zhaolei")  # entered by no distributor (say, before they were one's)
    seen = [
        x.lead_id
        for x in (colleague, lapsed, typed, typed_by_colleague, other, typed_elsewhere, manufacturers)
        if x.visible_to("zhaolei", "partner", organisation="dist-hz")
    ]
    assert seen == ["L1", "L3", "L5"]
    assert not typed_elsewhere.visible_to("sunli", "partner", organisation="dist-hz")  # the distributor decides
    for x in (colleague, typed, manufacturers):
        assert not x.visible_to("zhaolei", "partner")  # no organisation named: nothing
    assert colleague.visible_to("r1", "rep")  # the pool, partner-protected
