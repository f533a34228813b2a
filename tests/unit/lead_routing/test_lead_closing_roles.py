"""Who may close a lead and whose pool candidacies are listed: decided by the
domain from the caller's role (a rep only their own; managers and admins any
they see)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from crm_shared.domain.errors import FailedPrecondition, PermissionDenied
from lead_routing.domain.pool import pool_candidate_filter

from tests.unit.lead_routing.factories import lead

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def test_a_rep_claims_a_pool_lead_before_converting_it_a_manager_converts_it_and_owns_it() -> None:
    with pytest.raises(FailedPrecondition, match="claim it"):
        lead().convert("", "r1", NOW, role="rep")
    converted = lead().convert("", "m1", NOW, role="manager")
    assert (converted.status, converted.owner_id) == ("converted", "m1")
    assert lead(owner_id="r1").convert("", "r1", NOW, role="rep").owner_id == "r1"


def test_a_rep_marks_only_their_own_lead_lost() -> None:
    with pytest.raises(PermissionDenied):
        lead(owner_id="r2").lose("价格太高", "r1", NOW, role="rep")
    assert lead(owner_id="r1").lose("价格太高", "r1", NOW, role="rep").status == "lost"
    assert lead(owner_id="r2").lose("价格太高", "m1", NOW, role="manager").status == "lost"


def test_a_rep_lists_only_their_own_candidacies_in_the_pool() -> None:
    assert pool_candidate_filter("r1", "rep") == "r1"
    assert pool_candidate_filter("m1", "manager") is None
    assert pool_candidate_filter("a1", "admin") is None
