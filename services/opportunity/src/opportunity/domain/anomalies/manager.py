"""What the rep's manager is told of a flag: a task and a notice."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opportunity.domain.anomalies.flags import TITLES, Flag
from opportunity.domain.timers import TASK_DUE_IN, NotificationDraft, TaskDraft

TASK_RULE = "anomaly_flag"


def manager_task(flag: Flag, manager_id: str) -> TaskDraft:
    return TaskDraft(
        rule=TASK_RULE,
        owner_id=manager_id,
        title=f"核查异常：{flag.title}（{flag.rep_id}）",
        due_at=flag.raised_at + TASK_DUE_IN,
        key=f"{TASK_RULE}:{flag.key}",
        customer_id=flag.subject_id if flag.subject_type == "customer" else None,
        opportunity_id=flag.subject_id if flag.subject_type == "opportunity" else None,
    )


def manager_notice(flag: Flag, manager_id: str) -> NotificationDraft:
    return NotificationDraft(
        recipient_id=manager_id,
        kind="anomaly.flagged",
        title=flag.title,
        body=f"销售 {flag.rep_id} 出现操作异常（{TITLES[flag.kind]}），证据：{_evidence_line(flag.evidence)}",
        subject_type="anomaly_flag",
        subject_id=flag.flag_id,
    )


def _evidence_line(evidence: Mapping[str, Any]) -> str:
    parts = [f"{k}={v}" for k, v in evidence.items() if not isinstance(v, list | dict)]
    return ", ".join(parts)[:400]
