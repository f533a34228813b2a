"""Use cases of intent signals: a tagged activity gives the tenant's signals
(formula conditions); any N distinct signals within D days mark the customer
and its open opportunity high intent; a leased sweep then sends the rep the
tool pack (the knowledge base's recommendations for the situation, asked
outside any transaction) as a notification; the
proposal countdown is met by a proposal document version in time, or swept
overdue by a leased job (reminder to the rep, manager copied, one keyed task);
reading a customer's intent, the high-intent list, the conversion report, and
the tenant's settings."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument, Unavailable
from crm_shared.ids import new_id

from opportunity.domain import intent as rules
from opportunity.domain import intent_actions, intent_episode
from opportunity.domain.activity import Activity, NewEntry, build_entry
from opportunity.domain.evidence import DEFAULT_PHOTO_WINDOW
from opportunity.domain.intent import TaggedActivity
from opportunity.domain.intent_episode import HighIntent, ToolEntry
from opportunity.domain.task import new_task
from opportunity.domain.timers import NotificationDraft, TaskDraft
from opportunity.service_layer.activities import append_entry
from opportunity.service_layer.common import notify, scope_of, visible_customer, writable_customer
from opportunity.service_layer.tenant_settings import TenantSettings, VersionedSettings
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
log = logging.getLogger(__name__)
SWEEP_LIMIT = 500
TOOL_PACK_BATCH = 50  # episodes per tool-pack sweep (each asks the knowledge base once)
TOOL_PACK_SIZE = 5
PROPOSAL_TASK_RULE = "intent_proposal"
LIST_STATES = ("open", "all")
GROUPS = ("rep", "team")


class Knowledge(Protocol):
    async def recommend(
        self, tenant_id: str, *, stage: str, industry: str, product_line: str, signals: Sequence[str], size: int
    ) -> list[ToolEntry]: ...


@dataclass(frozen=True)
class CustomerIntent:
    high_intent: HighIntent | None  # the newest episode
    signals: list[rules.SignalHit]  # the customer's signals in the rule's window
    countdown_state: str


# The tenant's intent settings (service_layer/tenant_settings.py).
SETTINGS = TenantSettings(
    lambda uow: uow.intent_settings, rules.DEFAULT_SETTINGS, rules.settings_from_data, rules.settings_data
)
read_settings = SETTINGS.read


async def _notify(
    uow: OpportunityUnitOfWork, intent: HighIntent, recipient: str, kind: str, title: str, body: str
) -> None:
    await notify(uow, intent.tenant_id, NotificationDraft(recipient, kind, title, body, "customer", intent.customer_id))


class IntentHandlers:
    def __init__(self, uow: UowFactory, knowledge: Knowledge) -> None:
        self.uow = uow
        self.knowledge = knowledge

    # --- events ---------------------------------------------------------------

    async def activity_tagged(
        self, uow: OpportunityUnitOfWork, tenant_id: str, activity: TaggedActivity
    ) -> HighIntent | None:
        """In the event's unit of work: the activity's signals stored (once per
        activity and signal); when the customer's signals reach the rule, its
        high-intent episode (with the opportunity the activity names, else the
        customer's one open opportunity) starts and the countdown runs; its
        tool-pack notification is left pending for send_tool_packs, so the
        knowledge base is never asked inside this transaction. A customer
        already high intent for that opportunity starts nothing new. Only
        signals within the rule's window back from the service clock count:
        an imported archive's old signals are kept as history and open nothing."""
        current = (await read_settings(uow, tenant_id)).settings
        if not activity.text and any("内容" in s.condition for s in current.signals):
            logged = await uow.activities.get(tenant_id, activity.customer_id, activity.activity_id)
            activity = replace(activity, text=logged.summary) if logged else activity
        found = rules.signals_of(current, activity)
        if not found:
            return None
        for hit in found:
            await uow.intents.add_hit(tenant_id, activity.customer_id, activity.opportunity_id, hit)
        now = uow.clock.now()
        if rules.is_history(current, activity.occurred_at, now):
            return None
        customer = await uow.customers.get(tenant_id, activity.customer_id)
        if customer is None:
            return None
        opp = await self._opportunity_of(uow, tenant_id, activity)
        opportunity_id = opp.opportunity_id if opp else ""
        if any(
            e.opportunity_id == opportunity_id for e in await uow.intents.for_customer(tenant_id, customer.customer_id)
        ):
            return None
        reached = rules.high_intent_reached(
            await uow.intents.hits_since(tenant_id, customer.customer_id, rules.window_start(current, now)),
            current,
            now=now,
        )
        if reached is None:
            return None
        intent = intent_episode.entered(
            tenant_id=tenant_id,
            customer_id=customer.customer_id,
            opportunity_id=opportunity_id,
            owner_id=opp.owner_id if opp else customer.owner_id,
            hits=reached,
            settings=current,
            now=now,
            intent_id=new_id(),
        )
        if not await uow.intents.add_unless_taken(intent):
            return None
        return intent

    async def _opportunity_of(self, uow: OpportunityUnitOfWork, tenant_id: str, activity: TaggedActivity):  # type: ignore[no-untyped-def]
        if activity.opportunity_id:
            opp = await uow.opportunities.get(tenant_id, activity.opportunity_id)
            if opp is not None and opp.is_open and opp.customer_id == activity.customer_id:
                return opp
        open_ones = await uow.opportunities.open_for_customer(tenant_id, activity.customer_id)
        return open_ones[0] if len(open_ones) == 1 else None

    async def send_tool_packs(self) -> int:
        """The leased sweep (every tenant): each episode whose rep is not told
        yet gets the knowledge base's tool pack, asked with no transaction
        open, then in a short one the pack is stored and the notification
        published, unless another sweep sent it meanwhile (never twice). The
        knowledge base unavailable: asked again next sweep, and the rep told
        without the pack once the episode has waited long enough."""
        async with self.uow() as uow:
            now = uow.clock.now()
            pending = [
                (intent, await self._situation(uow, intent)) for intent in await uow.intents.unnotified(TOOL_PACK_BATCH)
            ]
        sent = 0
        for intent, situation in pending:
            try:
                pack = await self.knowledge.recommend(intent.tenant_id, **situation, size=TOOL_PACK_SIZE)
            except Unavailable as e:
                if not intent_episode.send_without_pack(intent, now):
                    log.info("tool pack for customer %s asked again next sweep: %s", intent.customer_id, e)
                    continue
                log.warning("tool pack for customer %s sent without entries: %s", intent.customer_id, e)
                pack = []
            sent += await self._send_tool_pack(intent, pack)
        return sent

    async def _situation(self, uow: OpportunityUnitOfWork, intent: HighIntent) -> dict[str, Any]:
        """What RecommendKnowledge is asked for: the episode's signals (and 高意向), the
        opportunity's stage and product line, the customer's industry."""
        opp = await uow.opportunities.get(intent.tenant_id, intent.opportunity_id) if intent.opportunity_id else None
        customer = await uow.customers.get(intent.tenant_id, intent.customer_id)
        return {
            "stage": opp.stage if opp else "",
            "industry": customer.industry if customer else "",
            "product_line": opp.product_line if opp else "",
            "signals": [*(h.name for h in intent.signals), rules.HIGH_INTENT_TAG],
        }

    async def _send_tool_pack(self, intent: HighIntent, pack: Sequence[ToolEntry]) -> int:
        async with self.uow() as uow:
            current = await uow.intents.get(intent.tenant_id, intent.intent_id, lock=True)
            if current is None or current.notified_at is not None:
                return 0
            current = intent_episode.tool_pack_sent(current, pack, uow.clock.now())
            await uow.intents.save(current)
            customer = await uow.customers.get(current.tenant_id, current.customer_id)
            title, body = intent_episode.tool_pack_notice(current, customer.name if customer else current.customer_id)
            await _notify(uow, current, current.owner_id, "intent.high", title, body)
            await uow.commit()
        return 1

    async def document_version_created(
        self, uow: OpportunityUnitOfWork, tenant_id: str, opportunity_id: str, doc_type: str
    ) -> list[HighIntent]:
        """A proposal document version on the opportunity meets its running countdown (when in time)."""
        if not opportunity_id:
            return []
        current = (await read_settings(uow, tenant_id)).settings
        if doc_type not in current.proposal_doc_types:
            return []
        now = uow.clock.now()
        met: list[HighIntent] = []
        for intent in await uow.intents.running_for_opportunity(tenant_id, opportunity_id, lock=True):
            after = intent_episode.proposal_uploaded(intent, doc_type, now, current)
            if after != intent:
                await uow.intents.save(after)
                met.append(after)
        return met

    async def sweep(self) -> int:
        """Overdue countdowns (every tenant): overdue, the rep reminded with a
        task (keyed per episode: a rerun never doubles) and the manager copied."""
        async with self.uow() as uow:
            now = uow.clock.now()
            due = await uow.intents.overdue(now, SWEEP_LIMIT)
            for intent in due:
                await uow.intents.save(intent_episode.reminded(intent, now))
                customer = await uow.customers.get(intent.tenant_id, intent.customer_id)
                name = customer.name if customer else intent.customer_id
                title, body = intent_episode.overdue_notice(intent, name)
                draft = TaskDraft(
                    rule=PROPOSAL_TASK_RULE,
                    owner_id=intent.owner_id,
                    title=f"提交方案：{name}",
                    due_at=now + timedelta(hours=24),
                    key=intent_episode.reminder_task_key(intent),
                    customer_id=intent.customer_id,
                    opportunity_id=intent.opportunity_id or None,
                )
                task = new_task(task_id=new_id(), tenant_id=intent.tenant_id, draft=draft, now=now)
                if not await uow.tasks.add_unless_exists(task):
                    continue
                await _notify(uow, intent, intent.owner_id, "intent.proposal_overdue", title, body)
                manager = await uow.reps.manager_of(intent.tenant_id, intent.owner_id)
                if manager and manager != intent.owner_id:
                    await _notify(uow, intent, manager, "intent.proposal_overdue", f"（抄送）{title}", body)
            await uow.commit()
        return len(due)

    # --- reading --------------------------------------------------------------

    async def customer_intent(self, caller: Caller, customer_id: str) -> CustomerIntent:
        caller.require_role(*rules.INTENT_READERS)
        async with self.uow() as uow:
            customer = await visible_customer(uow, caller, customer_id)
            current = (await read_settings(uow, caller.tenant_id)).settings
            now = uow.clock.now()
            episodes = await uow.intents.for_customer(caller.tenant_id, customer.customer_id)
            hits = await uow.intents.hits_since(
                caller.tenant_id, customer.customer_id, rules.window_start(current, now)
            )
        newest = episodes[0] if episodes else None
        return CustomerIntent(newest, hits, intent_episode.countdown_state(newest, now) if newest else "")

    async def high_intents(
        self, caller: Caller, *, state: str, owner_id: str, team: str
    ) -> list[tuple[HighIntent, str, str, str]]:
        """(episode, customer name, opportunity name, countdown state as of now), newest first:
        a rep their own, a manager their team's (or one `team` member's), admin all."""
        caller.require_role(*rules.INTENT_READERS)
        state = state.strip() or "open"
        if state not in LIST_STATES:
            raise InvalidArgument.field("state", f"must be one of {', '.join(LIST_STATES)}")
        async with self.uow() as uow:
            owners = await self._owners(uow, caller, owner_id.strip()[:64], team.strip()[:64])
            if owners is not None and not owners:
                return []
            found = await uow.intents.listed(caller.tenant_id, owners, open_only=state == "open")
            customers = await uow.customers.get_many(caller.tenant_id, {i.customer_id for i, _, _ in found})
            now = uow.clock.now()
        return [
            (
                i,
                customers[i.customer_id].name if i.customer_id in customers else "",
                name,
                intent_episode.countdown_state(i, now),
            )
            for i, _, name in found
        ]

    async def _owners(self, uow: OpportunityUnitOfWork, caller: Caller, owner_id: str, team: str) -> list[str] | None:
        """The owners the caller may list, narrowed by owner_id / team (a manager's id); None: all."""
        scope = await scope_of(uow, caller)
        owners: set[str] | None = None if scope.owner_ids is None else set(scope.owner_ids)
        if team:
            members = {team, *await uow.reps.reps_managed_by(caller.tenant_id, team)}
            owners = members if owners is None else owners & members
        if owner_id:
            owners = {owner_id} if owners is None else owners & {owner_id}
        return None if owners is None else sorted(owners)

    async def conversion(
        self, caller: Caller, start: datetime | None, end: datetime | None, group_by: str
    ) -> tuple[list[intent_actions.ConversionRow], intent_actions.ConversionRow]:
        """Of the episodes entered in [start, end), how many have their
        opportunity won, per rep or per team (the rep's manager)."""
        caller.require_role(*rules.REPORT_READERS)
        group_by = group_by.strip() or "rep"
        if group_by not in GROUPS:
            raise InvalidArgument.field("group_by", f"must be one of {', '.join(GROUPS)}")
        intent_actions.check_period(start, end)
        async with self.uow() as uow:
            owners = await self._owners(uow, caller, "", "")
            if owners is not None and not owners:
                return intent_actions.conversion([])
            found = await uow.intents.listed(caller.tenant_id, owners, open_only=False, since=start, until=end)
            managers: dict[str, str] = {}
            if group_by == "team":
                for owner in {i.owner_id for i, _, _ in found}:
                    managers[owner] = await uow.reps.manager_of(caller.tenant_id, owner) or ""
        key = (lambda o: managers.get(o, "")) if group_by == "team" else (lambda o: o)
        return intent_actions.conversion((key(i.owner_id), status == "won") for i, status, _ in found)

    # --- settings and actions ---------------------------------------------------

    async def settings(self, caller: Caller) -> VersionedSettings:
        caller.require_role(*rules.SETTINGS_READERS)
        async with self.uow() as uow:
            return await read_settings(uow, caller.tenant_id)

    async def put_settings(self, caller: Caller, version: int, data: Mapping[str, Any]) -> VersionedSettings:
        """Saved over the version the caller read (a stale one is Conflict)."""
        caller.require_role(*rules.SETTINGS_EDITORS)
        parsed = SETTINGS.parse_new(version, data)
        async with self.uow() as uow:
            saved = await SETTINGS.save(uow, caller, version, parsed)
            await uow.commit()
        return saved

    async def intent_action(
        self, caller: Caller, customer_id: str, action: Any, opportunity_id: str, note: Any
    ) -> Activity:
        """An explicit action recorded in the app (e.g. 预约技术演示): an
        activity of kind "demo" for a demo, else "note", appended to the
        customer's log like any other (and so tagged and evaluated)."""
        caller.require_role(*rules.ACTORS)
        action, note = intent_actions.check_action(action, note)
        opportunity_id = opportunity_id.strip()
        async with self.uow() as uow:
            customer = await writable_customer(uow, caller, customer_id, for_update=True)
            lead_id = None
            if opportunity_id:
                opp = await uow.opportunities.get(caller.tenant_id, opportunity_id)
                if opp is None or opp.customer_id != customer.customer_id:
                    raise InvalidArgument.field("opportunity_id", "is not an opportunity of this customer")
                lead_id = opp.lead_id
            activity = build_entry(
                NewEntry(
                    kind=intent_actions.activity_kind_of_action(action),
                    summary=f"{action}：{note}" if note else action,
                    opportunity_id=opportunity_id or None,
                ),
                activity_id=new_id(),
                tenant_id=caller.tenant_id,
                customer_id=customer.customer_id,
                actor_id=caller.user_id,
                lead_id=lead_id,
                now=uow.clock.now(),
                customer_location=(customer.latitude, customer.longitude),
                photo_window=DEFAULT_PHOTO_WINDOW,
            )
            entry = await append_entry(uow, customer, activity, caller, action=action)
            await uow.commit()
        return entry
