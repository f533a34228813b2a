"""A rep profile's leave list is bounded: every re-rank reads each rep's leave."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from crm_shared.domain.errors import InvalidArgument
from lead_routing.domain.rep import MAX_LEAVE_PERIODS, RepInput, rep_profile

NOW = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)


def _profile(leave):
    cmd = RepInput(rep_id="zhangwei", name="张伟", manager_id="wangqiang", leave=leave)
    return rep_profile(cmd, tenant_id="demo", actor_id="wangqiang", now=NOW, existing=None)


def test_more_leave_periods_than_the_bound_are_refused_on_leave() -> None:
    day = ("2026-12-01", "2026-12-01")
    assert len(_profile((day,) * MAX_LEAVE_PERIODS).leave) == MAX_LEAVE_PERIODS
    with pytest.raises(InvalidArgument) as err:
        _profile((("bad", "bad"),) * 100_000)
    fields = [v.field for v in err.value.violations]
    assert fields[0] == "leave" and len(fields) <= 1 + 2 * MAX_LEAVE_PERIODS
