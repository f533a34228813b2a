"""Tagging every activity appended to a customer's log: the tenant's keyword
groups and dictionary (defaults from the seeds until the tenant saves its
own), the analysis stored and `activity.tagged` published in the same unit
of work. Also the reads built on the analyses: a customer's tags, its
conversation summary, an opportunity's needs completeness, and the tenant's
tagging settings (managers and admins write them)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm.events.v1 import signal_pb2
from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.convert import timestamp
from crm_shared.domain.errors import InvalidArgument

from opportunity.adapters.analysis_repository import Analysis
from opportunity.domain.activity import Activity
from opportunity.domain.summary import MAX_SENTENCES, summarise
from opportunity.domain.tagging import TaggingSettings, parse_settings, tag_text
from opportunity.service_layer.common import readable_opportunity, visible_customer
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]

# Analyses a customer's conversation summary reads (newest first).
SUMMARY_ACTIVITIES = 50
# A summary sentence list of the whole history.
SUMMARY_SENTENCES = 5


async def tenant_settings(uow: OpportunityUnitOfWork, tenant_id: str) -> TaggingSettings:
    row = await uow.tagging_settings.get(tenant_id)
    if row is None:
        return TaggingSettings()
    version, data = row
    return parse_settings(data, version)


def activity_text(entry: Activity) -> str:
    return "\n".join(part for part in (entry.summary, entry.needs, entry.competitors) if part)


def analysis_of(
    entry: Activity,
    settings: TaggingSettings,
    now: datetime,
    *,
    source: str = "",
    action: str = "",
    text: str | None = None,
) -> tuple[Analysis, signal_pb2.ActivityTagged]:
    """The submitted activity's analysis and its activity.tagged. `text` is
    the whole conversation when the activity's summary holds only its summary
    (a transcript)."""
    body = activity_text(entry) if text is None else text
    tagged = tag_text(body, settings)
    hit_words = [w for words in tagged.tags.values() for w in words]
    sentences, keywords = summarise(body, settings, hit_words, words=tagged.words) if body.strip() else ([], [])
    analysis = Analysis(
        activity_id=entry.activity_id,
        tenant_id=entry.tenant_id,
        customer_id=entry.customer_id,
        opportunity_id=entry.opportunity_id,
        kind=entry.kind,
        actor_id=entry.actor_id,
        occurred_at=entry.occurred_at,
        source=source,
        action=action,
        tags=tagged.tags,
        summary=sentences,
        keywords=keywords,
        text_sha256=hashlib.sha256(body.encode()).hexdigest(),
        analysed_at=now,
    )
    event = signal_pb2.ActivityTagged(
        activity_id=entry.activity_id,
        customer_id=entry.customer_id,
        opportunity_id=entry.opportunity_id or "",
        kind=entry.kind,
        actor_id=entry.actor_id,
        occurred_at=timestamp(entry.occurred_at),
        tags=[signal_pb2.TagHit(tag=tag, words=words) for tag, words in tagged.tags.items()],
        source=source,
        action=action,
    )
    return analysis, event


async def analyse_activity(
    uow: OpportunityUnitOfWork,
    entry: Activity,
    *,
    source: str = "",
    action: str = "",
    text: str | None = None,
) -> Analysis | None:
    """Tag a submitted activity (a draft is tagged when submitted), store its
    analysis and publish activity.tagged."""
    if entry.is_draft:
        return None
    settings = await tenant_settings(uow, entry.tenant_id)
    analysis, event = analysis_of(entry, settings, uow.clock.now(), source=source, action=action, text=text)
    if not await uow.analyses.add_unless_taken(analysis):
        return await uow.analyses.get(entry.tenant_id, entry.activity_id)
    await uow.publish("activity.tagged", entry.tenant_id, entry.customer_id, event)
    return analysis


@dataclass(frozen=True)
class SummarySentence:
    text: str
    activity_id: str
    occurred_at: datetime


@dataclass(frozen=True)
class ConversationSummary:
    sentences: list[SummarySentence]
    keywords: list[str]
    activities: int


@dataclass(frozen=True)
class Evidence:
    activity_id: str
    occurred_at: datetime
    words: list[str]


@dataclass(frozen=True)
class Need:
    tag: str
    evidence: list[Evidence]

    @property
    def found(self) -> bool:
        return bool(self.evidence)


def needs_of(required: tuple[str, ...], analyses: list[Analysis]) -> list[Need]:
    """Each required tag with the activities (newest first) whose words showed it."""
    return [
        Need(tag, [Evidence(a.activity_id, a.occurred_at, a.tags[tag]) for a in analyses if a.tags.get(tag)])
        for tag in required
    ]


class TaggingHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def settings(self, caller: Caller) -> TaggingSettings:
        caller.require_role(*roles.SIGNAL_SETTINGS_READERS)
        async with self.uow() as uow:
            return await tenant_settings(uow, caller.tenant_id)

    async def put_settings(self, caller: Caller, expected_version: int, data: dict[str, Any]) -> TaggingSettings:
        caller.require_role(*roles.SIGNAL_CONFIGURERS)
        if expected_version < 0:
            raise InvalidArgument.field("version", "is the version read (0 when the tenant had none)")
        settings = parse_settings(data)
        async with self.uow() as uow:
            version = await uow.tagging_settings.put(
                caller.tenant_id, expected_version, settings.to_data(), caller.user_id, uow.clock.now()
            )
            await uow.commit()
        return TaggingSettings(settings.keyword_groups, settings.dictionary, settings.required_tags, version)

    async def customer_tags(self, caller: Caller, customer_id: str, since: datetime | None) -> list[Analysis]:
        async with self.uow() as uow:
            await visible_customer(uow, caller, customer_id)
            return await uow.analyses.for_customer(caller.tenant_id, customer_id, since)

    async def conversation_summary(self, caller: Caller, customer_id: str) -> ConversationSummary:
        """历史沟通摘要: the best sentences of the customer's recent analysed
        activities, newest first, and the keywords most of them share."""
        async with self.uow() as uow:
            await visible_customer(uow, caller, customer_id)
            analyses = await uow.analyses.for_customer(caller.tenant_id, customer_id, limit=SUMMARY_ACTIVITIES)
        sentences = [
            SummarySentence(s, a.activity_id, a.occurred_at)
            for a in analyses
            for s in a.summary[: MAX_SENTENCES if len(analyses) == 1 else 1]
        ][:SUMMARY_SENTENCES]
        counts: dict[str, int] = {}
        for a in analyses:
            for k in a.keywords:
                counts[k] = counts.get(k, 0) + 1
        keywords = [k for k, _ in sorted(counts.items(), key=lambda kv: -kv[1])][:10]
        return ConversationSummary(sentences, keywords, len(analyses))

    async def needs(self, caller: Caller, opportunity_id: str) -> list[Need]:
        async with self.uow() as uow:
            opp = await readable_opportunity(uow, caller, opportunity_id)
            settings = await tenant_settings(uow, caller.tenant_id)
            analyses = await uow.analyses.for_opportunity(caller.tenant_id, opportunity_id, opp.customer_id)
        return needs_of(settings.required_tags, analyses)
