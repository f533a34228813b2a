"""Use cases of the customer master: customers, contacts, private notes,
activities with visit evidence, the hash chain, follow-ups, reassignment,
and the events that keep dynamic attributes and the rep projection.
Event handlers get the consumer's unit of work and must not commit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from crm.events.v1 import customer_pb2 as customer_events
from crm.events.v1 import notification_pb2 as notification_events
from crm.events.v1 import opportunity_pb2 as opportunity_events
from crm_shared.context import Caller
from crm_shared.convert import timestamp
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, Violation
from crm_shared.ids import new_id
from crm_shared.logs import get_logger
from crm_shared.money import MAX_AMOUNT_MINOR
from crm_shared.paging import decode_token, encode_token, page_size
from opportunity.domain import access
from opportunity.domain.activities import (
    GENESIS,
    Activity,
    Addition,
    ChainReport,
    NewEntry,
    build_entry,
    complete_draft,
    plan_follow_up,
    reschedule,
    sealed,
    verify_chain,
)
from opportunity.domain.customers import (
    Contact,
    CustomerFields,
    CustomerRecord,
    Note,
    change_contact,
    edit_note,
    new_contact,
    new_customer,
    new_note,
    resolve_owner,
    update_customer,
)
from opportunity.domain.evidence import PhotoUnreadable, photo_taken_at
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]
log = get_logger("opportunity.customers")
MAX_PHOTO_BYTES = 10 * 1024 * 1024


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


@dataclass(frozen=True)
class Moved:
    customers: int = 0
    opportunities: int = 0
    open_tasks: int = 0
    notes: int = 0
    contacts: int = 0
    activities: int = 0


@dataclass(frozen=True)
class LeadCustomer:
    """What a converted lead tells about its customer beyond the opportunity."""

    contact_name: str = ""
    phone: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    industry_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class RepProfile:
    rep_id: str
    name: str
    team: str
    manager_id: str
    region: str
    active: bool


class CustomerHandlers:
    def __init__(self, uow: UowFactory, photo_window: timedelta = timedelta(minutes=30)) -> None:
        self.uow = uow
        self.photo_window = photo_window

    # --- access ---------------------------------------------------------------

    async def _visible(
        self, uow: OpportunityUnitOfWork, caller: Caller, customer_id: str, *, for_update: bool = False
    ) -> CustomerRecord:
        """The customer if the caller may see it; NotFound otherwise (an
        out-of-scope customer is not confirmed to exist)."""
        scope = await uow.scope(caller)
        customer = await uow.master.get(caller.tenant_id, customer_id, for_update=for_update)
        if customer is None or not scope.covers(customer.tenant_id, customer.owner_id):
            raise NotFound(f"customer {customer_id} not found")
        return customer

    async def _writable(
        self, uow: OpportunityUnitOfWork, caller: Caller, customer_id: str, *, for_update: bool = False
    ) -> CustomerRecord:
        customer = await self._visible(uow, caller, customer_id, for_update=for_update)
        access.require_writer(caller)
        return customer

    # --- customers ------------------------------------------------------------

    async def create(self, caller: Caller, fields: CustomerFields, owner_id: str = "") -> CustomerRecord:
        access.require_writer(caller)
        async with self.uow() as uow:
            owner = resolve_owner(caller, owner_id, await uow.team(caller))
            customer = new_customer(
                customer_id=new_id(), tenant_id=caller.tenant_id, owner_id=owner, now=uow.clock.now(), fields=fields
            )
            await uow.master.add(customer)
            await uow.commit()
        return customer

    async def get(self, caller: Caller, customer_id: str) -> CustomerRecord:
        async with self.uow() as uow:
            return await self._visible(uow, caller, customer_id)

    async def list(
        self, caller: Caller, *, owner_id: str = "", value_tier: str = "", size: int = 0, token: str = ""
    ) -> tuple[list[CustomerRecord], str]:
        limit = page_size(size)
        async with self.uow() as uow:
            found = await uow.master.list(
                await uow.scope(caller), owner_id=owner_id, value_tier=value_tier, limit=limit + 1,
                after=decode_token(token),
            )
        page = found[:limit]
        last = page[-1] if page else None
        return page, encode_token(last.created_at, last.customer_id) if last and len(found) > limit else ""

    async def update(self, caller: Caller, customer_id: str, fields: CustomerFields) -> CustomerRecord:
        async with self.uow() as uow:
            # Locked: two updates of different fields must not undo each other.
            customer = await self._writable(uow, caller, customer_id, for_update=True)
            updated = update_customer(customer, fields, uow.clock.now())
            await uow.master.save(updated)
            await uow.commit()
        return updated

    # --- contacts -------------------------------------------------------------

    async def add_contact(self, caller: Caller, customer_id: str, **values: object) -> Contact:
        async with self.uow() as uow:
            await self._writable(uow, caller, customer_id)
            contact = new_contact(
                contact_id=new_id(), tenant_id=caller.tenant_id, customer_id=customer_id, now=uow.clock.now(),
                **values,  # type: ignore[arg-type]
            )
            await uow.contacts.add(contact, caller.user_id)
            await uow.commit()
        return await self._contact(caller, customer_id, contact.contact_id)

    async def update_contact(self, caller: Caller, customer_id: str, contact_id: str, changes: dict) -> Contact:
        async with self.uow() as uow:
            # The customer row locked: two edits of one contact queue, neither undoes the other's fields.
            await self._writable(uow, caller, customer_id, for_update=True)
            contact = await uow.contacts.get(caller.tenant_id, customer_id, contact_id)
            if contact is None:
                raise NotFound(f"contact {contact_id} not found")
            changed = change_contact(contact, changes, uow.clock.now())
            if changed is not None:
                await uow.contacts.save(changed, caller.user_id)
                await uow.commit()
        return await self._contact(caller, customer_id, contact_id)

    async def _contact(self, caller: Caller, customer_id: str, contact_id: str) -> Contact:
        async with self.uow() as uow:
            contact = await uow.contacts.get(caller.tenant_id, customer_id, contact_id)
            assert contact is not None
            return contact

    async def list_contacts(self, caller: Caller, customer_id: str) -> list[Contact]:
        async with self.uow() as uow:
            await self._visible(uow, caller, customer_id)
            return await uow.contacts.for_customer(caller.tenant_id, customer_id)

    # --- private notes ----------------------------------------------------------

    async def _notes_customer(self, uow: OpportunityUnitOfWork, caller: Caller, customer_id: str) -> tuple[
        CustomerRecord | None, frozenset[str] | None
    ]:
        """Whose notes on the customer the caller reads (None: everyone's),
        and the customer if the caller may see it. A note follows its
        author: the author keeps reading it after the customer was handed
        over, so a customer out of scope is still answered for those notes;
        without the customer and without such notes it is not found."""
        if caller.role not in access.NOTE_READERS:
            await self._visible(uow, caller, customer_id)
            raise PermissionDenied("private notes are for their author, the author's manager and admin")
        authors = access.note_authors_readable(caller, await uow.team(caller))
        try:
            return await self._visible(uow, caller, customer_id), authors
        except NotFound:
            if authors and await uow.notes.for_customer(caller.tenant_id, customer_id, authors=authors):
                return None, authors
            raise

    async def add_note(self, caller: Caller, customer_id: str, text: str) -> Note:
        async with self.uow() as uow:
            customer = await self._visible(uow, caller, customer_id)
            if not access.may_write_note(caller, customer.owner_id):
                raise PermissionDenied("only the customer's owner writes private notes")
            note = new_note(
                note_id=new_id(), tenant_id=caller.tenant_id, customer_id=customer_id, author_id=caller.user_id,
                text=text, now=uow.clock.now(),
            )
            await uow.notes.add(note)
            await uow.commit()
        return await self._note(caller, customer_id, note.note_id)

    async def edit_note(self, caller: Caller, customer_id: str, note_id: str, text: str) -> Note:
        """The author edits (the old text stays in the history), also after
        the customer went to another rep; nobody else, and nobody deletes."""
        async with self.uow() as uow:
            _, authors = await self._notes_customer(uow, caller, customer_id)
            note = await uow.notes.get(caller.tenant_id, customer_id, note_id, for_update=True)
            if note is None or not (authors is None or note.author_id in authors):
                raise NotFound(f"note {note_id} not found")
            if not access.may_edit_note(caller, note.author_id):
                raise PermissionDenied("only the author edits a private note")
            edited = edit_note(note, caller, text, uow.clock.now())
            if edited.text != note.text:
                await uow.notes.save(edited)
                await uow.commit()
        return await self._note(caller, customer_id, note_id)

    async def _note(self, caller: Caller, customer_id: str, note_id: str) -> Note:
        async with self.uow() as uow:
            note = await uow.notes.get(caller.tenant_id, customer_id, note_id)
            assert note is not None
            return note

    async def list_notes(self, caller: Caller, customer_id: str) -> list[Note]:
        """The notes on the customer the caller may read: their own, their
        team's (a manager), everyone's (admin) — never another rep's, even
        when that rep owned the customer before the caller."""
        async with self.uow() as uow:
            _, authors = await self._notes_customer(uow, caller, customer_id)
            return await uow.notes.for_customer(caller.tenant_id, customer_id, authors=authors)

    # --- activities -----------------------------------------------------------

    async def _store_photo(
        self, uow: OpportunityUnitOfWork, caller: Caller, customer_id: str, photo: PhotoUpload | None
    ) -> tuple[str | None, str, datetime | None]:
        """(photo_id, sha256, capture time) of an uploaded photo, stored in this database."""
        if photo is None or not photo.content:
            return None, "", None
        if len(photo.content) > MAX_PHOTO_BYTES:
            raise InvalidArgument.field("photo", f"is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MiB")
        try:
            taken = photo_taken_at(photo.content)
        except PhotoUnreadable as exc:
            raise InvalidArgument.field("photo", str(exc)) from exc
        photo_id, digest = new_id(), hashlib.sha256(photo.content).hexdigest()
        await uow.photos.add(
            photo_id=photo_id, tenant_id=caller.tenant_id, customer_id=customer_id, sha256=digest,
            content_type=photo.content_type.strip()[:100] or "image/jpeg", content=photo.content, taken_at=taken,
            uploaded_by=caller.user_id, uploaded_at=uow.clock.now(),
        )
        return photo_id, digest, taken

    async def _append(
        self, uow: OpportunityUnitOfWork, customer: CustomerRecord, activity: Activity, caller: Caller,
        *, clear_follow_up: bool = False,
    ) -> Activity:
        """Place the entry at the end of the customer's chain, keep the
        customer's interaction time and follow-up plan, publish it."""
        now = uow.clock.now()
        seq = await uow.master.take_next_seq(customer.tenant_id, customer.customer_id)
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
            await uow.master.record_move(
                move_id=new_id(), customer=customer, from_at=plan.moved_from, to_at=plan.next_at,
                reason=f"activity {entry.activity_id}", moved_by=caller.user_id, moved_at=now,
            )
        await uow.master.touch(
            customer, interaction_at=entry.occurred_at, next_follow_up_at=plan.next_at, follow_up_moves=plan.moves
        )
        await uow.publish(
            "activity.logged",
            customer.tenant_id,
            customer.customer_id,
            opportunity_events.ActivityLogged(
                activity_id=entry.activity_id,
                customer_id=entry.customer_id,
                opportunity_id=entry.opportunity_id or "",
                lead_id=entry.lead_id or "",
                kind=entry.kind,
                actor_id=entry.actor_id,
                occurred_at=timestamp(entry.occurred_at),
            ),
        )
        return entry

    async def log_activity(self, caller: Caller, cmd: LogActivity) -> ActivityView:
        async with self.uow() as uow:
            customer = await self._writable(uow, caller, cmd.customer_id, for_update=True)
            lead_id = None
            if cmd.opportunity_id:
                opp = await uow.pipeline_opportunities.get(caller.tenant_id, cmd.opportunity_id)
                if opp is None or opp.customer_id != customer.customer_id:
                    raise InvalidArgument.field("opportunity_id", "is not an opportunity of this customer")
                lead_id = opp.lead_id
            corrected = None
            if cmd.corrects_activity_id:
                corrected = await uow.activities.get(caller.tenant_id, customer.customer_id, cmd.corrects_activity_id)
                if corrected is None:
                    raise InvalidArgument.field("corrects_activity_id", "is not an activity of this customer")
            photo_id, digest, taken = await self._store_photo(uow, caller, customer.customer_id, cmd.photo)
            activity = build_entry(
                NewEntry(
                    kind=cmd.kind,
                    summary=cmd.summary,
                    occurred_at=cmd.occurred_at,
                    opportunity_id=cmd.opportunity_id or None,
                    check_in=cmd.check_in,
                    photo_id=photo_id,
                    photo_sha256=digest,
                    photo_taken_at=taken,
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
            entry = await self._append(uow, customer, activity, caller, clear_follow_up=cmd.clear_follow_up)
            await uow.commit()
        return ActivityView(entry)

    async def submit_activity(self, caller: Caller, cmd: CompleteVisit) -> ActivityView:
        async with self.uow() as uow:
            customer = await self._writable(uow, caller, cmd.customer_id, for_update=True)
            draft = await uow.activities.get(caller.tenant_id, customer.customer_id, cmd.activity_id)
            if draft is None:
                raise NotFound(f"activity {cmd.activity_id} not found")
            if draft.kind != "visit":
                raise FailedPrecondition(
                    "only visits are drafted", [Violation("kind", draft.activity_id, f"is a {draft.kind}")]
                )
            photo_id, digest, taken = await self._store_photo(uow, caller, customer.customer_id, cmd.photo)
            completion = complete_draft(
                draft,
                Addition(
                    check_in=cmd.check_in, photo_id=photo_id, photo_sha256=digest, photo_taken_at=taken,
                    needs=cmd.needs, competitors=cmd.competitors, next_follow_up_at=cmd.next_follow_up_at,
                ),
                activity_id=new_id(),
                actor_id=caller.user_id,
                now=uow.clock.now(),
                draft_photo_taken_at=await uow.photos.taken_at(draft.photo_id),
                customer_location=(customer.latitude, customer.longitude),
                photo_window=self.photo_window,
                completed_by=await uow.activities.completion_of(customer.customer_id, draft.activity_id),
            )
            entry = await self._append(uow, customer, completion, caller)
            await uow.commit()
        return ActivityView(entry)

    async def list_activities(self, caller: Caller, customer_id: str) -> list[ActivityView]:
        async with self.uow() as uow:
            await self._visible(uow, caller, customer_id)
            chain = await uow.activities.chain(caller.tenant_id, customer_id)
        completed = {a.refers_to: a.activity_id for a in chain if a.relation == "completes" and a.refers_to}
        return [ActivityView(a, completed.get(a.activity_id, "")) for a in chain]

    async def get_photo(self, caller: Caller, customer_id: str, photo_id: str):  # -> sa.Row
        async with self.uow() as uow:
            await self._visible(uow, caller, customer_id)
            photo = await uow.photos.get(caller.tenant_id, customer_id, photo_id)
            if photo is None:
                raise NotFound(f"photo {photo_id} not found")
            return photo

    async def verify_chain(self, caller: Caller, customer_id: str) -> ChainReport:
        async with self.uow() as uow:
            await self._visible(uow, caller, customer_id)
            return verify_chain(await uow.activities.chain(caller.tenant_id, customer_id))

    async def reschedule_follow_up(
        self, caller: Caller, customer_id: str, next_at: datetime, reason: str
    ) -> CustomerRecord:
        if len(reason) > 500:
            raise InvalidArgument.field("reason", "is longer than 500 characters")
        async with self.uow() as uow:
            customer = await self._writable(uow, caller, customer_id, for_update=True)
            now = uow.clock.now()
            plan = reschedule(customer.next_follow_up_at, customer.follow_up_moves, next_at, now)
            if plan.moved_from is not None:
                await uow.master.record_move(
                    move_id=new_id(), customer=customer, from_at=plan.moved_from, to_at=next_at,
                    reason=reason.strip(), moved_by=caller.user_id, moved_at=now,
                )
            await uow.master.touch(
                customer, interaction_at=None, next_follow_up_at=plan.next_at, follow_up_moves=plan.moves
            )
            await uow.commit()
            return replace(customer, next_follow_up_at=plan.next_at, follow_up_moves=plan.moves)

    # --- reassignment -----------------------------------------------------------

    async def _check_target(self, uow: OpportunityUnitOfWork, caller: Caller, to_owner: str) -> str:
        to_owner = to_owner.strip()
        if not to_owner:
            raise InvalidArgument.field("to_owner_id", "is required")
        if caller.role == "manager" and to_owner != caller.user_id and to_owner not in await uow.team(caller):
            raise PermissionDenied(f"{to_owner} is not a rep of this manager")
        profile = await uow.reps.get(caller.tenant_id, to_owner)
        if profile is not None and not profile.active:
            raise FailedPrecondition(
                f"{to_owner} is no longer active", [Violation("rep", to_owner, "is not active")]
            )
        return to_owner

    async def _move(
        self, uow: OpportunityUnitOfWork, caller: Caller, ids: list[str], from_owner: str, to_owner: str,
        title: str,
    ) -> Moved:
        moved = Moved(**await uow.master.move(caller.tenant_id, ids, to_owner, uow.clock.now()))
        if ids:
            # The receiving rep hears about it in the app (and nobody else needs to).
            await uow.publish(
                "notification.requested",
                caller.tenant_id,
                ids[0],
                notification_events.NotificationRequested(
                    recipient_id=to_owner,
                    kind="customer.reassigned",
                    title=title,
                    body=f"由 {from_owner} 转交: {moved.customers} 个客户, {moved.opportunities} 个商机, "
                    f"{moved.open_tasks} 个待办",
                    subject_type="customer",
                    subject_id=ids[0] if len(ids) == 1 else "",
                ),
            )
            await uow.publish(
                "customer.reassigned",
                caller.tenant_id,
                ids[0] if len(ids) == 1 else from_owner,
                customer_events.CustomerReassigned(
                    customer_ids=ids, from_owner_id=from_owner, to_owner_id=to_owner, actor_id=caller.user_id,
                    opportunities=moved.opportunities, open_tasks=moved.open_tasks, notes=moved.notes,
                ),
            )
        return moved

    async def reassign(self, caller: Caller, customer_id: str, to_owner: str) -> tuple[CustomerRecord, Moved]:
        caller.require_role(*access.REASSIGNERS)
        async with self.uow() as uow:
            customer = await self._visible(uow, caller, customer_id, for_update=True)
            to_owner = await self._check_target(uow, caller, to_owner)
            if to_owner == customer.owner_id:
                return customer, Moved()
            moved = await self._move(uow, caller, [customer_id], customer.owner_id, to_owner, customer.name)
            await uow.commit()
        return replace(customer, owner_id=to_owner), moved

    async def hand_over(self, caller: Caller, from_owner: str, to_owner: str) -> tuple[list[str], Moved]:
        """Every customer of a (leaving) rep to another rep, in one transaction."""
        caller.require_role(*access.REASSIGNERS)
        from_owner = from_owner.strip()
        if not from_owner:
            raise InvalidArgument.field("from_owner_id", "is required")
        async with self.uow() as uow:
            scope = await uow.scope(caller)
            if not scope.covers(caller.tenant_id, from_owner):
                raise PermissionDenied(f"{from_owner} is not a rep of this manager")
            to_owner = await self._check_target(uow, caller, to_owner)
            if to_owner == from_owner:
                raise InvalidArgument.field("to_owner_id", "is the rep handing over")
            ids = await uow.master.owned_by(caller.tenant_id, from_owner)
            moved = await self._move(uow, caller, ids, from_owner, to_owner, f"{len(ids)} 个客户转交给你")
            await uow.commit()
        return ids, moved

    # --- events -------------------------------------------------------------------

    async def rep_profile_changed(self, uow: OpportunityUnitOfWork, tenant_id: str, rep: RepProfile) -> None:
        await uow.reps.upsert(
            tenant_id, rep.rep_id, now=uow.clock.now(), name=rep.name, team=rep.team,
            manager_id=rep.manager_id, region=rep.region, active=rep.active,
        )

    async def payment_recorded(
        self, uow: OpportunityUnitOfWork, tenant_id: str, opportunity_id: str, amount_minor: int, currency: str
    ) -> None:
        if currency not in ("", "CNY"):
            log.warning("payment in another currency not added to the purchase total", opportunity_id=opportunity_id)
            return
        if not 0 < amount_minor <= MAX_AMOUNT_MINOR:
            log.warning("payment amount out of bounds, not added to the purchase total", opportunity_id=opportunity_id)
            return
        if await uow.master.add_purchase(tenant_id, opportunity_id, amount_minor) is None:
            log.warning("payment for an unknown opportunity, ignored", opportunity_id=opportunity_id)

    async def service_requested(self, uow: OpportunityUnitOfWork, tenant_id: str, customer_id: str) -> None:
        if not await uow.master.count_service_request(tenant_id, customer_id):
            log.warning("service request for an unknown customer, ignored", customer_id=customer_id)

    async def lead_customer(
        self, uow: OpportunityUnitOfWork, tenant_id: str, customer_id: str, is_new: bool, lead: LeadCustomer
    ) -> None:
        """After a lead was converted: a new customer takes the lead's
        address, coordinates and industry; the lead's contact joins the
        customer's contacts unless already there."""
        customer = await uow.master.get(tenant_id, customer_id)
        if customer is None:
            return
        if is_new:
            lat, lng = lead.latitude, lead.longitude
            valid = lat is not None and lng is not None and -90 <= lat <= 90 and -180 <= lng <= 180
            tags = [t.strip()[:50] for t in lead.industry_tags if t.strip()][:20]
            await uow.master.fill_from_lead(
                replace(
                    customer,
                    address=lead.address.strip()[:300],
                    latitude=lat if valid else None,
                    longitude=lng if valid else None,
                    industry=tags[0][:100] if tags else "",
                    tags=tags,
                )
            )
        name = lead.contact_name.strip()[:100]
        if not name:
            return
        known = await uow.contacts.for_customer(tenant_id, customer_id)
        if any(c.name == name for c in known):
            return
        try:
            contact = new_contact(
                contact_id=new_id(), tenant_id=tenant_id, customer_id=customer_id, now=uow.clock.now(),
                name=name, phone=lead.phone,
            )
        except InvalidArgument:
            contact = new_contact(
                contact_id=new_id(), tenant_id=tenant_id, customer_id=customer_id, now=uow.clock.now(), name=name
            )
        await uow.contacts.add(contact, "lead-routing")


