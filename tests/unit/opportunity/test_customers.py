"""The customer master's rules: valid customers, contact history, private notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, PermissionDenied
from opportunity.domain.access import resolve_owner
from opportunity.domain.contact import change_contact, new_contact
from opportunity.domain.customer import CustomerFields, Location, new_customer, update_customer
from opportunity.domain.note import edit_note, new_note

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CODE = "91330200MA2AFK8X1K"


def make(**fields):
    base = dict(name="宁波注塑机厂", credit_code="9133 0200 ma2a fk8x 1k")
    return new_customer(customer_id="c-1", tenant_id="t", owner_id="rep-1", now=NOW,
                        fields=CustomerFields(**(base | fields)))


def test_customer_is_validated_and_normalised() -> None:
    c = make(phone="0574-87654321", location=Location("浙江省", "宁波市", "北仑区", "新碶街道 1 号", 29.87, 121.54),
             tags=["注塑", "注塑", " 机械 "], industry="机械制造")
    assert (c.credit_code, c.phone, c.value_tier, c.tags) == (CODE, "+8657487654321", "普通", ["注塑", "机械"])
    assert (c.latitude, c.longitude, c.owner_id) == (29.87, 121.54, "rep-1")


def test_bad_customer_names_every_field() -> None:
    with pytest.raises(InvalidArgument) as err:
        make(name=" ", credit_code="91330200MA2AFK8X10", phone="12", value_tier="VIP",
             location=Location(latitude=95.0))
    assert {v.field for v in err.value.violations} == {
        "name", "credit_code", "phone", "value_tier", "location", "location.latitude"
    }
    with pytest.raises(InvalidArgument) as err:
        make(credit_code="")
    assert [v.field for v in err.value.violations] == ["credit_code"]


def test_update_changes_only_what_is_given() -> None:
    c = make(industry="机械")
    updated = update_customer(c, CustomerFields(value_tier="战略"), NOW + timedelta(hours=1))
    assert (updated.value_tier, updated.industry, updated.credit_code) == ("战略", "机械", CODE)
    with pytest.raises(InvalidArgument):
        update_customer(c, CustomerFields(value_tier="金牌"), NOW)


def test_who_may_own_a_new_customer() -> None:
    rep, manager, admin = Caller("t", "rep-1", "rep"), Caller("t", "mgr", "manager"), Caller("t", "a", "admin")
    assert resolve_owner(rep, "", []) == "rep-1"
    with pytest.raises(PermissionDenied):
        resolve_owner(rep, "rep-2", [])
    assert resolve_owner(manager, "rep-2", ["rep-2"]) == "rep-2"
    with pytest.raises(PermissionDenied):
        resolve_owner(manager, "rep-9", ["rep-2"])
    assert resolve_owner(admin, "rep-9", []) == "rep-9"


def test_contact_changes_are_new_versions_and_no_change_is_none() -> None:
    contact = new_contact(contact_id="k-1", tenant_id="t", customer_id="c-1", now=NOW, name="张总",
                          title="采购经理", phone="13800138000", purchase_role="采购", influence=3,
                          personality="严谨型")
    assert (contact.version, contact.phone, contact.purchase_role) == (1, "+8613800138000", "采购")
    promoted = change_contact(contact, {"title": "副总经理", "purchase_role": "决策人", "influence": 5}, NOW)
    assert promoted is not None
    assert (promoted.version, promoted.title, promoted.name) == (2, "副总经理", "张总")
    assert change_contact(promoted, {"title": "副总经理"}, NOW) is None
    with pytest.raises(InvalidArgument) as err:
        change_contact(promoted, {"influence": 6, "purchase_role": "老板", "email": "nope"}, NOW)
    assert {v.field for v in err.value.violations} == {"influence", "purchase_role", "email"}


def test_notes_are_edited_by_their_author_only() -> None:
    note = new_note(note_id="n-1", tenant_id="t", customer_id="c-1", author_id="rep-1",
                    text="客户孩子在宁波外国语学校", now=NOW)
    edited = edit_note(note, Caller("t", "rep-1", "rep"), "客户喜欢钓鱼", NOW)
    assert (edited.version, edited.text, edited.created_at) == (2, "客户喜欢钓鱼", NOW)
    with pytest.raises(PermissionDenied):
        edit_note(note, Caller("t", "mgr", "manager"), "改掉", NOW)
    with pytest.raises(InvalidArgument):
        edit_note(note, Caller("t", "rep-1", "rep"), "  ", NOW)
