"""Use case of a 企业微信 export (JSON lines) coming in: every text message
whose customer side is a known contact becomes the customer's chat activity,
each msgid once, appended in chunks of CHUNK messages per unit of work."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, TooLarge
from crm_shared.natural_keys import phone_key

from opportunity.domain import access
from opportunity.domain.access import Scope
from opportunity.domain.activity import Activity
from opportunity.domain.conversation import (
    MAX_EXPORT_BYTES,
    MAX_EXPORT_LINES,
    MAX_IDS_ANSWERED,
    MAX_UNMATCHED_REPORTED,
    WECOM,
    ChatMessage,
    Unmatched,
    parse_wecom_line,
)
from opportunity.domain.tagging import TaggingSettings
from opportunity.service_layer.activities import append_entries
from opportunity.service_layer.common import scope_of
from opportunity.service_layer.conversations import UowFactory, conversation_entry, opportunity_of
from opportunity.service_layer.tagging import tenant_settings
from opportunity.service_layer.uow import OpportunityUnitOfWork

# Messages of an export appended in one unit of work (a few customers' worth):
# what a crash or a cut deadline can lose of an import, and what holds those customers' locks.
CHUNK = 500


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    unmatched: list[Unmatched] = field(default_factory=list)
    activity_ids: list[str] = field(default_factory=list)  # the first MAX_IDS_ANSWERED

    def miss(self, item: Unmatched) -> None:
        if len(self.unmatched) < MAX_UNMATCHED_REPORTED:
            self.unmatched.append(item)

    def add(self, activity_id: str) -> None:
        self.imported += 1
        if len(self.activity_ids) < MAX_IDS_ANSWERED:
            self.activity_ids.append(activity_id)


@dataclass
class _ImportPlan:
    settings: TaggingSettings
    scope: Scope
    opportunities: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # customer → (opp, lead)


def _customer_side(parties: tuple[str, ...], by_wecom: dict[str, str], by_phone: dict[str, str | None]) -> str | None:
    """The customer of the first party that is a contact's 企业微信 id or a known phone."""
    for party in parties:
        customer_id = by_wecom.get(party) or by_phone.get(party)
        if customer_id:
            return customer_id
    return None


class WecomImportHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def import_wecom(self, caller: Caller, content: bytes) -> ImportReport:
        """Every text message of the export whose customer side is a known
        contact (企业微信 id or phone) of a customer the caller may write
        becomes a chat activity; the rest are reported per line."""
        caller.require_role(*roles.CONVERSATION_IMPORTERS)
        if len(content) > MAX_EXPORT_BYTES:
            raise TooLarge(f"file: the export is larger than {MAX_EXPORT_BYTES} bytes", MAX_EXPORT_BYTES)
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidArgument.field("file", "is not UTF-8 text") from None
        lines = text.splitlines()
        if len(lines) > MAX_EXPORT_LINES:
            raise InvalidArgument.field("file", f"has more than {MAX_EXPORT_LINES:,} lines; split it")
        report = ImportReport()
        messages: dict[str, ChatMessage] = {}
        for number, raw in enumerate(lines, start=1):
            parsed = parse_wecom_line(number, raw)
            if isinstance(parsed, Unmatched):
                report.miss(parsed)
            elif parsed is not None:
                if parsed.source_id in messages:
                    report.duplicates += 1
                else:
                    messages[parsed.source_id] = parsed
        if not messages:
            return report
        parties = sorted({p for m in messages.values() for p in m.parties})
        phones = {p: key for p in parties if (key := phone_key(p))}
        async with self.uow() as uow:
            done = await uow.conversations.imported(caller.tenant_id, WECOM, list(messages))
            by_wecom = await uow.conversations.customers_of_wecom_ids(caller.tenant_id, parties)
            by_phone = await uow.conversations.customers_of_phones(caller.tenant_id, sorted(set(phones.values())))
            by_customer: dict[str, list[ChatMessage]] = defaultdict(list)
            for message in messages.values():
                if message.source_id in done:
                    report.duplicates += 1
                    continue
                customer_id = _customer_side(message.parties, by_wecom, {p: by_phone.get(k) for p, k in phones.items()})
                if customer_id is None:
                    report.miss(
                        Unmatched(
                            message.line, message.source_id, "no contact or customer has this 企业微信 id or phone"
                        )
                    )
                else:
                    by_customer[customer_id].append(message)
            plan = await self._plan(uow, caller, by_customer, report)
        queue = [
            (customer_id, m)
            for customer_id, items in by_customer.items()
            if customer_id in plan.opportunities
            for m in sorted(items, key=lambda m: (m.sent_at, m.line))
        ]
        for start in range(0, len(queue), CHUNK):
            await self._append_chunk(caller, plan, queue[start : start + CHUNK], report)
        report.unmatched.sort(key=lambda u: u.line)
        return report

    async def _plan(
        self,
        uow: OpportunityUnitOfWork,
        caller: Caller,
        by_customer: dict[str, list[ChatMessage]],
        report: ImportReport,
    ) -> _ImportPlan:
        """What every chunk of the import uses, read once: the tenant's
        tagging settings, the caller's scope, each customer's opportunity
        (those the caller may not see are reported, their messages dropped)."""
        plan = _ImportPlan(await tenant_settings(uow, caller.tenant_id), await scope_of(uow, caller))
        found = await uow.customers.get_many(caller.tenant_id, set(by_customer))
        for customer_id, items in by_customer.items():
            customer = found.get(customer_id)
            if customer is None or not customer.visible_in(plan.scope):
                for m in items:
                    report.miss(Unmatched(m.line, m.source_id, "the contact's customer is not found"))
                continue
            access.require_writer(caller)
            plan.opportunities[customer_id] = await opportunity_of(uow, customer, "")
        return plan

    async def _append_chunk(
        self, caller: Caller, plan: _ImportPlan, chunk: list[tuple[str, ChatMessage]], report: ImportReport
    ) -> None:
        """One unit of work: a crash or a cut deadline keeps the chunks
        committed before, and importing the file again skips them (by msgid)."""
        groups: dict[str, list[ChatMessage]] = defaultdict(list)
        for customer_id, m in chunk:
            groups[customer_id].append(m)
        added: list[str] = []
        duplicates = 0
        async with self.uow() as uow:
            now = uow.clock.now()
            locked = await uow.customers.get_many(caller.tenant_id, set(groups), for_update=True)
            for customer_id, items in groups.items():
                customer = locked.get(customer_id)
                if customer is None or not customer.visible_in(plan.scope):
                    locked.pop(customer_id, None)
                    for m in items:
                        report.miss(Unmatched(m.line, m.source_id, "the contact's customer is not found"))
            built: dict[str, list[tuple[str, Activity]]] = defaultdict(list)
            for customer_id, items in groups.items():
                if customer_id not in locked:
                    continue
                for m in items:
                    try:
                        activity = conversation_entry(
                            caller,
                            locked[customer_id],
                            kind="chat",
                            summary=m.text,
                            occurred_at=m.sent_at,
                            time_field="msgtime",
                            opportunity=plan.opportunities[customer_id],
                            now=now,
                        )
                    except InvalidArgument as problem:
                        report.miss(Unmatched(m.line, m.source_id, str(problem)))
                        continue
                    built[customer_id].append((m.source_id, activity))
            claims = [(source_id, a.activity_id, cid) for cid, pairs in built.items() for source_id, a in pairs]
            claimed = await uow.conversations.claim_sources(caller.tenant_id, WECOM, claims, caller.user_id, now)
            appends = []
            for customer_id, pairs in built.items():
                fresh = [a for source_id, a in pairs if source_id in claimed]
                duplicates += len(pairs) - len(fresh)
                appends.append((locked[customer_id], fresh))
                added.extend(a.activity_id for a in fresh)
            await append_entries(uow, appends, caller, plan.settings, source=WECOM)
            await uow.commit()
        for activity_id in added:
            report.add(activity_id)
        report.duplicates += duplicates
