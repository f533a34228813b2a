"""A request's facts for its policy's criteria (Facts.collect, which the
engine calls before its unit of work opens), and the won-contract averages
kept from `opportunity.closed`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from crm.events.v1 import opportunity_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.approval_kinds import PARTNER_SUBJECT_TYPES
from crm_shared.context import Caller
from crm_shared.convert import from_timestamp
from crm_shared.domain.errors import InvalidArgument
from crm_shared.events import unpack

from approval.domain import facts as rules
from approval.domain.facts import Average, SubjectFacts
from approval.service_layer.uow import ApprovalUnitOfWork

UowFactory = Callable[[], ApprovalUnitOfWork]
SUBJECT_TYPES = ("opportunity", "customer")


class SubjectFactsSource(Protocol):
    async def facts_of(self, tenant_id: str, subject_type: str, subject_id: str) -> SubjectFacts: ...


async def regional_average(uow: ApprovalUnitOfWork, tenant_id: str, region: str, product_line: str) -> Average | None:
    """The region's and product line's average; the region's over every product
    line when that pair has no won contract yet; None without either."""
    if not region:
        return None
    pair = await uow.averages.of(tenant_id, region, product_line) if product_line else Average(0, 0)
    return rules.pick_average(pair, await uow.averages.of(tenant_id, region))


class Facts:
    def __init__(self, uow: UowFactory, subjects: SubjectFactsSource) -> None:
        self.uow = uow
        self.subjects = subjects

    async def collect(
        self, caller: Caller, kind: str, subject_type: str, subject_id: str, given: Mapping[str, str | int]
    ) -> dict[str, object]:
        """The subject's facts from opportunity (as the tenant's system caller;
        a partner's subject: none, lead-routing gives them), then what the requester gave (impact scope, discount, a quote's amount),
        then the averages. Refuses bad given facts before asking anyone."""
        rules.given_facts(given)
        if subject_type in PARTNER_SUBJECT_TYPES:
            # lead-routing gives a partner's request its facts (金额, 渠道经理 ...) itself.
            return await self.with_averages(caller.tenant_id, SubjectFacts(), given)
        if subject_type not in SUBJECT_TYPES:
            raise InvalidArgument.field("subject_type", f"must be one of {', '.join(SUBJECT_TYPES)}")
        subject = await self.subjects.facts_of(caller.tenant_id, subject_type, subject_id)
        return await self.with_averages(caller.tenant_id, subject, given)

    async def with_averages(
        self, tenant_id: str, subject: SubjectFacts, given: Mapping[str, str | int]
    ) -> dict[str, object]:
        partial = rules.combine(subject, given, None)
        async with self.uow() as uow:
            average = await regional_average(
                uow, tenant_id, str(partial[rules.REGION] or ""), str(partial[rules.PRODUCT_LINE] or "")
            )
        return rules.combine(subject, given, average)


async def record_closed(
    uow: ApprovalUnitOfWork,
    tenant_id: str,
    opportunity_id: str,
    outcome: str,
    region: str,
    product_line: str,
    amount_minor: int,
    currency: str,
    closed_at: datetime,
) -> bool:
    """A won opportunity counts once in its region's and product line's average
    (CNY only: the averages are in 元); a lost one that was counted no longer counts."""
    if outcome == "won" and rules.counts_in_average(amount_minor, currency):
        return await uow.averages.record_won(tenant_id, opportunity_id, region, product_line, amount_minor, closed_at)
    return await uow.averages.forget(tenant_id, opportunity_id)


async def on_opportunity_closed(envelope: Envelope, uow: ApprovalUnitOfWork) -> None:
    """Consumer of `opportunity.closed` (registered in bootstrap); the region is the customer's province."""
    event = unpack(envelope, opportunity_pb2.OpportunityClosed)
    closed_at = from_timestamp(event.closed_at, event.HasField("closed_at")) or uow.clock.now()
    await record_closed(
        uow,
        envelope.tenant_id,
        event.opportunity_id,
        event.outcome,
        event.province,
        event.product_line,
        event.amount.amount_minor,
        event.amount.currency,
        closed_at,
    )
