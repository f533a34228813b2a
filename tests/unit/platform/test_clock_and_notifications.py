"""iso_z and the notification.requested builder."""

from datetime import UTC, datetime, timedelta, timezone

from crm.events.v1.notification_pb2 import NotificationRequested
from crm_shared.clock import iso_z
from crm_shared.notifications import notification, notification_event, publish_notification
from crm_shared.testing import FakeUnitOfWork


def test_iso_z_is_utc_with_a_z() -> None:
    assert iso_z(datetime(2026, 3, 1, 8, 0, tzinfo=UTC)) == "2026-03-01T08:00:00Z"
    assert iso_z(datetime(2026, 3, 1, 16, 0, 0, 250000, tzinfo=timezone(timedelta(hours=8)))) == (
        "2026-03-01T08:00:00.250000Z"
    )
    assert iso_z(datetime(2026, 3, 1, 8, 0)) == "2026-03-01T08:00:00Z"  # naive: stored UTC


def test_the_payload_carries_what_the_app_shows() -> None:
    note = notification(
        "t-1", "rep-1", "lead.high_match", "华东机电", "匹配度 92", subject_type="lead", subject_id="l-1", group=True
    )
    assert note == NotificationRequested(
        recipient_id="rep-1",
        kind="lead.high_match",
        title="华东机电",
        body="匹配度 92",
        subject_type="lead",
        subject_id="l-1",
        notify_group=True,
    )


def test_the_event_is_about_its_subject_or_else_its_recipient() -> None:
    about = notification_event("t-1", "rep-1", "task.created", "回访", subject_type="task", subject_id="task-1")
    assert about[:3] == ("notification.requested", "t-1", "task-1")
    assert notification_event("t-1", "rep-1", "customer.reassigned", "转交")[2] == "rep-1"
    assert notification_event("t-1", "rep-1", "x", "y", subject_id="s", aggregate_id="c-1")[2] == "c-1"


async def test_publish_records_it_in_the_unit_of_work() -> None:
    uow = FakeUnitOfWork()
    await publish_notification(uow, "t-1", "mgr-1", "task.overdue", "逾期", "3 天未跟进", aggregate_id="mgr-1")
    [(type_, tenant, aggregate, payload)] = uow.published
    assert (type_, tenant, aggregate, payload.recipient_id, payload.notify_group) == (
        "notification.requested",
        "t-1",
        "mgr-1",
        "mgr-1",
        False,
    )
