"""Contracts' delivery and acceptance as the opportunity records them
(opportunity.delivery_recorded): kept, the latest record per contract and
kind, so an ECN tells delivered orders apart (domain/delivery.py). Runs in
the consumer's unit of work (the inbox record and the commit are
crm_shared.messaging.EventConsumer's): a redelivered event changes nothing,
an older record arriving late is not written over a newer one."""

from __future__ import annotations

from document_versioning.domain.delivery import DeliveryRecord
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork


async def delivery_recorded(uow: DocumentVersioningUnitOfWork, record: DeliveryRecord) -> None:
    await uow.deliveries.put(record)
