"""Who sees which customers and who reads private notes."""

from __future__ import annotations

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import PermissionDenied
from opportunity.domain.access import (
    Scope,
    may_edit_note,
    may_read_note,
    may_write_note,
    note_authors_readable,
    require_writer,
    scope_for,
)

TEAM = ["zhangwei", "lina"]


def test_scopes_per_role() -> None:
    assert scope_for(Caller("demo", "zhangwei", "rep"), TEAM) == Scope("demo", frozenset({"zhangwei"}))
    manager = scope_for(Caller("demo", "wangqiang", "manager"), TEAM)
    assert manager.owner_ids == frozenset({"wangqiang", "zhangwei", "lina"})
    for role in ("admin", "finance", "reviewer", "system"):
        assert scope_for(Caller("demo", "x", role)).owner_ids is None
    partner = scope_for(Caller("demo", "zhaolei", "partner"))
    assert partner.is_empty and not partner.covers("demo", "zhaolei")


def test_covers_never_crosses_tenants() -> None:
    assert scope_for(Caller("demo", "a", "admin")).covers("demo", "anyone")
    assert not scope_for(Caller("demo", "a", "admin")).covers("other", "anyone")
    assert not scope_for(Caller("demo", "zhangwei", "rep")).covers("demo", "lina")


def test_read_only_roles_cannot_write() -> None:
    for role in ("finance", "reviewer", "partner"):
        with pytest.raises(PermissionDenied):
            require_writer(Caller("demo", "x", role))
    require_writer(Caller("demo", "zhangwei", "rep"))


def test_private_notes_follow_their_author_not_the_customers_owner() -> None:
    # zhangwei wrote the note; the customer may since belong to anyone.
    assert may_read_note(Caller("demo", "zhangwei", "rep"), "zhangwei")
    assert not may_read_note(Caller("demo", "lina", "rep"), "zhangwei")  # e.g. the new owner
    assert may_read_note(Caller("demo", "wangqiang", "manager"), "zhangwei", TEAM)
    assert not may_read_note(Caller("demo", "other-mgr", "manager"), "zhangwei", [])
    assert may_read_note(Caller("demo", "admin", "admin"), "zhangwei")
    assert note_authors_readable(Caller("demo", "admin", "admin")) is None
    for role in ("finance", "reviewer", "partner", "system"):
        assert not may_read_note(Caller("demo", "x", role), "zhangwei")
        assert note_authors_readable(Caller("demo", "x", role)) == frozenset()
    # The customer's owner writes new notes; only the author edits one.
    assert may_write_note(Caller("demo", "zhangwei", "rep"), "zhangwei")
    assert not may_write_note(Caller("demo", "wangqiang", "manager"), "zhangwei")
    assert may_edit_note(Caller("demo", "zhangwei", "rep"), "zhangwei")
    assert not may_edit_note(Caller("demo", "lina", "rep"), "zhangwei")
    assert not may_edit_note(Caller("demo", "wangqiang", "manager"), "zhangwei")
    assert not may_edit_note(Caller("demo", "admin", "admin"), "zhangwei")
