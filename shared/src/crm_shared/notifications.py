"""The one builder of `notification.requested`: what a service asks the
gateway to push to a user's app (and, with `group`, to the tenant's 企业微信
group robot). The event goes through the outbox like any other, so a
notification is sent exactly when the change it tells of is committed.

    await publish_notification(uow, tenant_id, rep_id, "task.created", "华东机电", "明天回访",
                               subject_type="task", subject_id=task_id)

or, for UnitOfWork.publish_many, `notification_event(...)`, the same as a
(type, tenant, aggregate, payload) tuple."""

from __future__ import annotations

from typing import Protocol

from crm.events.v1.notification_pb2 import NotificationRequested
from google.protobuf.message import Message

__all__ = ["NOTIFICATION_REQUESTED", "notification", "notification_event", "publish_notification"]

NOTIFICATION_REQUESTED = "notification.requested"

Event = tuple[str, str, str, Message]  # (type, tenant, aggregate, payload), as UnitOfWork.publish_many takes


class Publisher(Protocol):
    async def publish(self, type_: str, tenant_id: str, aggregate_id: str, payload: Message) -> str: ...


def notification(
    tenant_id: str,
    recipient_id: str,
    kind: str,
    title: str,
    body: str = "",
    *,
    subject_type: str = "",
    subject_id: str = "",
    group: bool = False,
) -> NotificationRequested:
    """The payload. `tenant_id` is the envelope's (the payload names the
    recipient within it); it comes first so every builder here reads alike."""
    del tenant_id  # carried by the envelope, not the payload
    return NotificationRequested(
        recipient_id=recipient_id,
        kind=kind,
        title=title,
        body=body,
        subject_type=subject_type,
        subject_id=subject_id,
        notify_group=group,
    )


def notification_event(
    tenant_id: str,
    recipient_id: str,
    kind: str,
    title: str,
    body: str = "",
    *,
    subject_type: str = "",
    subject_id: str = "",
    group: bool = False,
    aggregate_id: str | None = None,
) -> Event:
    """The event; its aggregate is `aggregate_id`, by default what it is
    about (subject_id), or the recipient when it is about nothing in particular."""
    payload = notification(
        tenant_id, recipient_id, kind, title, body, subject_type=subject_type, subject_id=subject_id, group=group
    )
    aggregate = aggregate_id if aggregate_id is not None else (subject_id or recipient_id)
    return NOTIFICATION_REQUESTED, tenant_id, aggregate, payload


async def publish_notification(
    uow: Publisher,
    tenant_id: str,
    recipient_id: str,
    kind: str,
    title: str,
    body: str = "",
    *,
    subject_type: str = "",
    subject_id: str = "",
    group: bool = False,
    aggregate_id: str | None = None,
) -> str:
    """Record the event in the unit of work's outbox (it commits with the
    change); returns the event id."""
    return await uow.publish(
        *notification_event(
            tenant_id,
            recipient_id,
            kind,
            title,
            body,
            subject_type=subject_type,
            subject_id=subject_id,
            group=group,
            aggregate_id=aggregate_id,
        )
    )
