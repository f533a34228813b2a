"""Approval rules, without I/O."""

from datetime import UTC, datetime

import pytest
from approval.domain.approval import (
    check_document_of_subject,
    new_approval,
    refuse_second_request,
    validate_decision,
    validate_subject,
)
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, PermissionDenied

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def submit(**overrides: str):
    fields = dict(subject_type="opportunity", subject_id="opp-1", document_version_id="", reason="报价低于底价 12%")
    fields.update(overrides)
    return new_approval(approval_id="a-1", tenant_id="t", requested_by="rep-1", now=NOW, **fields)


def test_a_new_request_is_pending_and_trimmed() -> None:
    approval = submit(subject_id=" opp-1 ", document_version_id=" v-1 ")
    assert (approval.status, approval.subject_id, approval.document_version_id) == ("pending", "opp-1", "v-1")
    assert submit().document_version_id is None


def test_subject_is_required_and_only_opportunities_for_now() -> None:
    with pytest.raises(InvalidArgument) as err:
        submit(subject_type="", subject_id=" ")
    assert {v.field for v in err.value.violations} == {"subject_type", "subject_id"}
    with pytest.raises(InvalidArgument) as err:
        submit(subject_type="contract")
    assert [v.field for v in err.value.violations] == ["subject_type"]


def test_a_second_pending_request_is_refused_naming_the_first() -> None:
    refuse_second_request(None)
    with pytest.raises(FailedPrecondition) as err:
        refuse_second_request(submit())
    assert "a-1" in err.value.message and err.value.violations[0].subject == "a-1"


def test_decision_must_be_approve_or_reject() -> None:
    validate_decision("approve", "")
    with pytest.raises(InvalidArgument) as err:
        validate_decision("", "")
    assert [v.field for v in err.value.violations] == ["decision"]


def test_decide_records_who_and_when() -> None:
    decided = submit().decide("reject", "mgr-1", " 毛利不足 ", NOW)
    assert (decided.status, decided.decided_by, decided.comment) == ("rejected", "mgr-1", "毛利不足")
    assert decided.decided_at == NOW
    assert submit().decide("approve", "mgr-1", "", NOW).status == "approved"


def test_requester_may_not_decide_their_own_request() -> None:
    with pytest.raises(PermissionDenied):
        submit().decide("approve", "rep-1", "", NOW)


def test_only_pending_requests_can_be_decided() -> None:
    decided = submit().decide("approve", "mgr-1", "", NOW)
    with pytest.raises(FailedPrecondition):
        decided.decide("reject", "mgr-2", "", NOW)


def test_a_request_points_only_at_a_document_of_its_own_subject() -> None:
    check_document_of_subject("opp-1", "opp-1")
    for filed_under in ("opp-2", None):
        with pytest.raises(InvalidArgument) as err:
            check_document_of_subject(filed_under, "opp-1")
        assert [v.field for v in err.value.violations] == ["document_version_id"]


def test_asking_about_a_subject_names_a_known_type_and_an_id() -> None:
    validate_subject("opportunity", "opp-1")
    with pytest.raises(InvalidArgument) as err:
        validate_subject("lead", "")
    assert {v.field for v in err.value.violations} == {"subject_type", "subject_id"}
