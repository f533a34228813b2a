"""Use cases of the activity log: log an activity (a visit failing its
evidence is kept as a draft), submit a draft with what it lacked, read the
log, its photos and its hash chain, and move the planned follow-up. Every
entry extends the customer's chain and publishes `activity.logged`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from crm.events.v1 import opportunity_pb2 as opportunity_events
from crm_shared.context import Caller
from crm_shared.convert import timestamp
from crm_shared.domain.errors import InvalidArgument, NotFound
from crm_shared.ids import new_id
from crm_shared.paging import decode_token, encode_token, page_size
from google.protobuf.message import Message

from opportunity.adapters.analysis_repository import Analysis
from opportunity.domain import access
from opportunity.domain.activity import (
    GENESIS,
    Activity,
    Addition,
    ChainReport,
    Draft,
    NewEntry,
    Photo,
    build_entry,
    complete_draft,
    plan_follow_up,
    require_visit,
    reschedule,
    sealed,
    verify_chain,
)
from opportunity.domain.customer import Customer
from opportunity.domain.evidence import DEFAULT_PHOTO_WINDOW, uploaded_photo_taken_at
from opportunity.domain.indexes.kpi import check_call_duration
from opportunity.domain.tagging import TaggingSettings
from opportunity.service_layer.common import scope_of, visible_customer, writable_customer
from opportunity.service_layer.tagging import analyse_activity, analysis_of
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]


@dataclass(frozen=True)
class PhotoUpload:
    content: bytes
    content_type: str = ""


@dataclass(frozen=True)
class LogActivity:
    customer_id: str
    kind: str
    summary: str = ""
    opportunity_id: str = ""
    occurred_at: datetime | None = None
    check_in: tuple[float, float] | None = None
    photo: PhotoUpload | None = None
    needs: str = ""
    competitors: str = ""
    next_follow_up_at: datetime | None = None
    corrects_activity_id: str = ""
    # Ends the planned follow-up; without it (and without a new time) the plan stays.
    clear_follow_up: bool = False
    # A call's duration, kept beside the chain (the KPI's 有效沟通时长占比); None: not told.
    duration_seconds: int | None = None


@dataclass(frozen=True)
class CompleteVisit:
    customer_id: str
    activity_id: str
    check_in: tuple[float, float] | None = None
    photo: PhotoUpload | None = None
    needs: str = ""
    competitors: str = ""
    next_follow_up_at: datetime | None = None


@dataclass(frozen=True)
class ActivityView:
    activity: Activity
    completed_by: str = ""


async def append_entry(
    uow: OpportunityUnitOfWork,
    customer: Customer,
    activity: Activity,
    caller: Caller,
    *,
    clear_follow_up: bool = False,
    source: str = "",
    action: str = "",
    text: str | None = None,
) -> Activity:
    """Place the entry at the end of the customer's chain, keep the
    customer's interaction time and follow-up plan, publish it, and tag it
    (analysis stored, activity.tagged published; a draft when submitted).
    The one way an activity joins a customer's log: typed in the app,
    imported (`source`, the whole `text` of a transcript) or an explicit
    `action`."""
    now = uow.clock.now()
    seq = await uow.customers.take_next_seq(customer.tenant_id, customer.customer_id)
    prev = await uow.activities.hash_at(customer.customer_id, seq - 1) if seq > 1 else GENESIS
    entry = sealed(activity, seq, prev or GENESIS)
    await uow.activities.add(entry)
    follow_up_rejected = any(check == "next_follow_up_at" for check, _ in entry.violations)
    plan = plan_follow_up(
        customer.next_follow_up_at,
        customer.follow_up_moves,
        kind=entry.kind,
        requested=None if follow_up_rejected else entry.next_follow_up_at,
        now=now,
        clear=clear_follow_up,
    )
    if plan.moved_from is not None and plan.next_at is not None:
        await uow.customers.record_move(
            move_id=new_id(),
            customer=customer,
            from_at=plan.moved_from,
            to_at=plan.next_at,
            reason=f"activity {entry.activity_id}",
            moved_by=caller.user_id,
            moved_at=now,
        )
    await uow.customers.touch(
        customer, interaction_at=entry.occurred_at, next_follow_up_at=plan.next_at, follow_up_moves=plan.moves
    )
    await uow.publish("activity.logged", customer.tenant_id, customer.customer_id, _logged(entry))
    await analyse_activity(uow, entry, source=source, action=action, text=text)
    return entry


def _logged(entry: Activity) -> opportunity_events.ActivityLogged:
    return opportunity_events.ActivityLogged(
        activity_id=entry.activity_id,
        customer_id=entry.customer_id,
        opportunity_id=entry.opportunity_id or "",
        lead_id=entry.lead_id or "",
        kind=entry.kind,
        actor_id=entry.actor_id,
        occurred_at=timestamp(entry.occurred_at),
    )


async def append_entries(
    uow: OpportunityUnitOfWork,
    appends: Sequence[tuple[Customer, Sequence[Activity]]],
    caller: Caller,
    settings: TaggingSettings,
    *,
    source: str,
) -> list[Activity]:
    """What append_entry does for each activity, in order per customer (an
    import's messages, their customers locked by the caller), in a few
    statements whatever their number: each chain's places claimed and its
    last hash read once, the customer touched once, and all the entries,
    analyses and events inserted together. The same chains, analyses and
    events as appending them one by one."""
    now = uow.clock.now()
    entries: list[Activity] = []
    analyses: list[Analysis] = []
    events: list[tuple[str, str, str, Message]] = []
    for customer, activities in appends:
        if not activities:
            continue
        first = await uow.customers.take_next_seq(customer.tenant_id, customer.customer_id, count=len(activities))
        prev = (await uow.activities.hash_at(customer.customer_id, first - 1) if first > 1 else None) or GENESIS
        next_at, moves = customer.next_follow_up_at, customer.follow_up_moves
        for seq, activity in enumerate(activities, start=first):
            entry = sealed(activity, seq, prev)
            prev = entry.hash
            entries.append(entry)
            follow_up_rejected = any(check == "next_follow_up_at" for check, _ in entry.violations)
            requested = None if follow_up_rejected else entry.next_follow_up_at
            plan = plan_follow_up(next_at, moves, kind=entry.kind, requested=requested, now=now)
            if plan.moved_from is not None and plan.next_at is not None:
                await uow.customers.record_move(
                    move_id=new_id(),
                    customer=customer,
                    from_at=plan.moved_from,
                    to_at=plan.next_at,
                    reason=f"activity {entry.activity_id}",
                    moved_by=caller.user_id,
                    moved_at=now,
                )
            next_at, moves = plan.next_at, plan.moves
            events.append(("activity.logged", customer.tenant_id, customer.customer_id, _logged(entry)))
            if not entry.is_draft:
                analysis, tagged = analysis_of(entry, settings, now, source=source)
                analyses.append(analysis)
                events.append(("activity.tagged", entry.tenant_id, entry.customer_id, tagged))
        await uow.customers.touch(
            customer,
            interaction_at=max(a.occurred_at for a in activities),
            next_follow_up_at=next_at,
            follow_up_moves=moves,
        )
    await uow.activities.add_many(entries)
    await uow.analyses.add_many(analyses)
    await uow.publish_many(events)
    return entries


class ActivityHandlers:
    def __init__(self, uow: UowFactory, photo_window: timedelta = DEFAULT_PHOTO_WINDOW) -> None:
        self.uow = uow
        self.photo_window = photo_window

    @staticmethod
    async def _store_photo(
        uow: OpportunityUnitOfWork, caller: Caller, customer_id: str, upload: PhotoUpload | None
    ) -> Photo | None:
        if upload is None or not upload.content:
            return None
        photo = Photo(
            photo_id=new_id(),
            tenant_id=caller.tenant_id,
            customer_id=customer_id,
            sha256=hashlib.sha256(upload.content).hexdigest(),
            content_type=upload.content_type.strip()[:100] or "image/jpeg",
            content=upload.content,
            taken_at=uploaded_photo_taken_at(upload.content),
            uploaded_by=caller.user_id,
            uploaded_at=uow.clock.now(),
        )
        await uow.activities.add_photo(photo)
        return photo

    async def log(self, caller: Caller, cmd: LogActivity) -> ActivityView:
        check_call_duration(cmd.kind, cmd.duration_seconds)
        async with self.uow() as uow:
            customer = await writable_customer(uow, caller, cmd.customer_id, for_update=True)
            lead_id = None
            if cmd.opportunity_id:
                opp = await uow.opportunities.get(caller.tenant_id, cmd.opportunity_id)
                if opp is None or opp.customer_id != customer.customer_id:
                    raise InvalidArgument.field("opportunity_id", "is not an opportunity of this customer")
                lead_id = opp.lead_id
            corrected = None
            if cmd.corrects_activity_id:
                corrected = await uow.activities.get(caller.tenant_id, customer.customer_id, cmd.corrects_activity_id)
                if corrected is None:
                    raise InvalidArgument.field("corrects_activity_id", "is not an activity of this customer")
            photo = await self._store_photo(uow, caller, customer.customer_id, cmd.photo)
            activity = build_entry(
                NewEntry(
                    kind=cmd.kind,
                    summary=cmd.summary,
                    occurred_at=cmd.occurred_at,
                    opportunity_id=cmd.opportunity_id or None,
                    check_in=cmd.check_in,
                    photo_id=photo.photo_id if photo else None,
                    photo_sha256=photo.sha256 if photo else "",
                    photo_taken_at=photo.taken_at if photo else None,
                    needs=cmd.needs,
                    competitors=cmd.competitors,
                    next_follow_up_at=cmd.next_follow_up_at,
                    refers_to=corrected.activity_id if corrected else None,
                    relation="corrects" if corrected else "",
                ),
                activity_id=new_id(),
                tenant_id=caller.tenant_id,
                customer_id=customer.customer_id,
                actor_id=caller.user_id,
                lead_id=lead_id,
                now=uow.clock.now(),
                customer_location=(customer.latitude, customer.longitude),
                photo_window=self.photo_window,
                corrected=corrected,
            )
            entry = await append_entry(uow, customer, activity, caller, clear_follow_up=cmd.clear_follow_up)
            if cmd.duration_seconds is not None:
                await uow.process_health.record_call(
                    caller.tenant_id, entry.activity_id, entry.actor_id, entry.occurred_at, cmd.duration_seconds
                )
            await uow.commit()
        return ActivityView(entry)

    async def submit(self, caller: Caller, cmd: CompleteVisit) -> ActivityView:
        """A draft visit completed as a new chained entry, once every check holds."""
        async with self.uow() as uow:
            customer = await writable_customer(uow, caller, cmd.customer_id, for_update=True)
            draft = await uow.activities.get(caller.tenant_id, customer.customer_id, cmd.activity_id)
            if draft is None:
                raise NotFound(f"activity {cmd.activity_id} not found")
            require_visit(draft)
            photo = await self._store_photo(uow, caller, customer.customer_id, cmd.photo)
            completion = complete_draft(
                draft,
                Addition(
                    check_in=cmd.check_in,
                    photo_id=photo.photo_id if photo else None,
                    photo_sha256=photo.sha256 if photo else "",
                    photo_taken_at=photo.taken_at if photo else None,
                    needs=cmd.needs,
                    competitors=cmd.competitors,
                    next_follow_up_at=cmd.next_follow_up_at,
                ),
                activity_id=new_id(),
                actor_id=caller.user_id,
                now=uow.clock.now(),
                draft_photo_taken_at=await uow.activities.photo_taken_at(draft.photo_id),
                customer_location=(customer.latitude, customer.longitude),
                photo_window=self.photo_window,
                completed_by=await uow.activities.completion_of(customer.customer_id, draft.activity_id),
            )
            entry = await append_entry(uow, customer, completion, caller)
            await uow.commit()
        return ActivityView(entry)

    async def list(self, caller: Caller, customer_id: str) -> list[ActivityView]:
        async with self.uow() as uow:
            await visible_customer(uow, caller, customer_id)
            chain = await uow.activities.chain(caller.tenant_id, customer_id)
        completed = {a.refers_to: a.activity_id for a in chain if a.relation == "completes" and a.refers_to}
        return [ActivityView(a, completed.get(a.activity_id, "")) for a in chain]

    async def drafts(self, caller: Caller, *, size: int = 0, token: str = "") -> tuple[list[Draft], str]:
        """Drafts still to complete across customers, newest first: a rep's own,
        a manager's and their team's, admin's whole tenant. Only those who may
        complete a draft list them."""
        access.require_writer(caller)
        limit, after = page_size(size), decode_token(token)
        async with self.uow() as uow:
            found = await uow.activities.drafts(await scope_of(uow, caller), limit=limit + 1, after=after)
            actors = {d.activity.actor_id for d in found}
            reps = {rep_id: await uow.reps.get(caller.tenant_id, rep_id) for rep_id in actors}
        page = [replace(d, rep_name=rep.name) if (rep := reps[d.activity.actor_id]) else d for d in found[:limit]]
        last = page[-1].activity if len(found) > limit else None
        return page, encode_token(last.recorded_at, last.activity_id) if last else ""

    async def photo(self, caller: Caller, customer_id: str, photo_id: str) -> Photo:
        async with self.uow() as uow:
            await visible_customer(uow, caller, customer_id)
            photo = await uow.activities.photo(caller.tenant_id, customer_id, photo_id)
            if photo is None:
                raise NotFound(f"photo {photo_id} not found")
            return photo

    async def verify_chain(self, caller: Caller, customer_id: str) -> ChainReport:
        async with self.uow() as uow:
            await visible_customer(uow, caller, customer_id)
            return verify_chain(await uow.activities.chain(caller.tenant_id, customer_id))

    async def reschedule_follow_up(self, caller: Caller, customer_id: str, next_at: datetime, reason: str) -> Customer:
        if len(reason) > 500:
            raise InvalidArgument.field("reason", "is longer than 500 characters")
        async with self.uow() as uow:
            customer = await writable_customer(uow, caller, customer_id, for_update=True)
            now = uow.clock.now()
            plan = reschedule(customer.next_follow_up_at, customer.follow_up_moves, next_at, now)
            if plan.moved_from is not None:
                await uow.customers.record_move(
                    move_id=new_id(),
                    customer=customer,
                    from_at=plan.moved_from,
                    to_at=next_at,
                    reason=reason.strip(),
                    moved_by=caller.user_id,
                    moved_at=now,
                )
            await uow.customers.touch(
                customer, interaction_at=None, next_follow_up_at=plan.next_at, follow_up_moves=plan.moves
            )
            await uow.commit()
            return replace(customer, next_follow_up_at=plan.next_at, follow_up_moves=plan.moves)
