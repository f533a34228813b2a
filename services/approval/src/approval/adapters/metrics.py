"""Approval's Prometheus metrics (served on the service's /metrics with the
shared ones). Gauges are refreshed by the SLA job on the replica holding its
lease; counters and the dwell histogram count what that replica did or saw."""

from prometheus_client import Counter, Gauge, Histogram

TASKS_OPEN = Gauge("crm_approval_tasks_open", "Approval tasks waiting for their approver", ["tenant"])
TASKS_OVERDUE = Gauge("crm_approval_tasks_overdue", "Open approval tasks past their SLA deadline", ["tenant"])
REMINDERS = Counter("crm_approval_sla_reminders_total", "SLA reminders (催办) sent to approvers", ["tenant"])
ESCALATIONS = Counter(
    "crm_approval_sla_outcomes_total", "SLA outcomes applied when a task's reminders were spent", ["tenant", "outcome"]
)
# Dwell of decided tasks, in working hours of the business calendar and wall-clock hours.
_HOURS = (0.25, 0.5, 1, 2, 4, 8, 16, 24, 40, 80, 160)
DWELL_WORKING = Histogram(
    "crm_approval_task_dwell_working_hours", "Task start to decision, working hours", ["kind"], buckets=_HOURS
)
DWELL_WALL = Histogram(
    "crm_approval_task_dwell_hours", "Task start to decision, wall-clock hours", ["kind"], buckets=_HOURS
)
