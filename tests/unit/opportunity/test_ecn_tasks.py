"""An ECN's confirmation tasks (domain/task.py), no I/O: which orders are
open, the task made for one, its answer, red when overdue, the progress."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument
from opportunity.domain import task as tasks

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
ORDER = tasks.EcnOrder("o1", "c1", "V3.2", ("HX-280",))


def made() -> tasks.Task:
    return tasks.ecn_task(
        task_id="t1",
        tenant_id="demo",
        ecn_id="e1",
        number="ECN-031",
        title="液压站改型",
        order=ORDER,
        owner_id="zhangwei",
        customer_id="cu1",
        now=NOW,
    )


def test_open_orders_are_opportunities_in_progress_or_signed_and_won() -> None:
    assert tasks.order_is_open("open", tasks.EcnOrder("o", "", "", ("m",)))
    assert tasks.order_is_open("won", ORDER)
    assert not tasks.order_is_open("won", tasks.EcnOrder("o", "", "", ("m",)))  # won without a signed contract
    assert not tasks.order_is_open("lost", ORDER)


def test_the_task_names_the_ecn_and_the_contract_and_is_due_in_24_hours() -> None:
    task = made()
    assert task.due_at == NOW + timedelta(hours=24) and task.rule == tasks.ECN_CONFIRMATION
    assert "ECN-031" in task.title and "HX-280" in task.title and "V3.2" in task.title
    assert task.key == "ecn_confirmation:e1:o1" and task.contract_id == "c1"
    assert not task.overdue(NOW + timedelta(hours=23, minutes=59))
    assert task.overdue(NOW + timedelta(hours=24))


def test_the_answer_completes_the_task_and_only_known_answers() -> None:
    task = made()
    with pytest.raises(InvalidArgument, match="answer"):
        tasks.answer(task, "maybe", "", "zhangwei", NOW)
    done = tasks.answer(task, "needs_quote", " 要报价 ", "zhangwei", NOW + timedelta(hours=30))
    assert done.state == "done" and done.answer == "needs_quote" and done.answer_note == "要报价"
    assert not done.overdue(NOW + timedelta(days=3))  # answered late is no longer red
    with pytest.raises(FailedPrecondition):
        tasks.answer(done, "accepted", "", "zhangwei", NOW)
    renewal = tasks.Task("t2", "demo", "zhangwei", None, "o1", "contract_renewal", "续约", NOW, "open", NOW, "k")
    with pytest.raises(FailedPrecondition):
        tasks.answer(renewal, "accepted", "", "zhangwei", NOW)


def test_progress_counts_confirmed_outstanding_and_overdue() -> None:
    late = made()
    done = tasks.answer(made(), "accepted", "", "zhangwei", NOW)
    progress = tasks.progress([late, done], NOW + timedelta(hours=25))
    assert (progress.confirmed, progress.outstanding, progress.overdue) == (1, 1, 1)


def test_an_ecn_task_is_completed_by_its_answer_only() -> None:
    with pytest.raises(FailedPrecondition, match="answer"):
        tasks.complete(made(), "zhangwei", NOW)
