"""Use cases of conversations coming in one at a time: a call transcript and
one app message become the customer's activities through the same chain code
as LogActivity (append_entry, which tags them), each source id once; and the
contacts' 企业微信 ids (set and read back). A whole 企业微信 export is
wecom_import.py's, on opportunity_of and conversation_entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from crm_shared import roles
from crm_shared.context import Caller
from crm_shared.domain.errors import AlreadyExists, InvalidArgument, NotFound
from crm_shared.ids import new_id
from crm_shared.natural_keys import phone_key

from opportunity.adapters.analysis_repository import Analysis
from opportunity.adapters.conversation_repository import ContactChannel
from opportunity.domain.activity import Activity, NewEntry, build_entry
from opportunity.domain.conversation import (
    APP_MESSAGE,
    MAX_IMPORT_AGE,
    TRANSCRIPT,
    Turn,
    check_message,
    check_transcript,
    sealed_summary,
    sha256_of,
)
from opportunity.domain.customer import Customer
from opportunity.domain.evidence import DEFAULT_PHOTO_WINDOW
from opportunity.domain.summary import summarise
from opportunity.domain.tagging import tag_text
from opportunity.service_layer.activities import append_entry
from opportunity.service_layer.common import visible_customer, writable_customer
from opportunity.service_layer.tagging import tenant_settings
from opportunity.service_layer.uow import OpportunityUnitOfWork

UowFactory = Callable[[], OpportunityUnitOfWork]

MAX_EXTERNAL_ID = 200


@dataclass(frozen=True)
class ImportTranscript:
    source_id: str
    turns: list[Turn]
    started_at: datetime | None = None
    phone: str = ""
    customer_id: str = ""
    opportunity_id: str = ""


@dataclass(frozen=True)
class ConvertMessage:
    customer_id: str
    source_id: str
    text: str
    sender: str = ""
    sent_at: datetime | None = None
    opportunity_id: str = ""


@dataclass(frozen=True)
class Imported:
    activity: Activity
    analysis: Analysis | None
    duplicate: bool


async def opportunity_of(
    uow: OpportunityUnitOfWork, customer: Customer, opportunity_id: str
) -> tuple[str | None, str | None]:
    """(opportunity id, lead id): the one named (it must be the customer's),
    else the customer's open opportunity when it has exactly one."""
    if opportunity_id:
        opp = await uow.opportunities.get(customer.tenant_id, opportunity_id)
        if opp is None or opp.customer_id != customer.customer_id:
            raise InvalidArgument.field("opportunity_id", "is not an opportunity of this customer")
        return opp.opportunity_id, opp.lead_id
    open_ones = await uow.opportunities.open_for_customer(customer.tenant_id, customer.customer_id)
    return (open_ones[0].opportunity_id, open_ones[0].lead_id) if len(open_ones) == 1 else (None, None)


def conversation_entry(
    caller: Caller,
    customer: Customer,
    *,
    kind: str,
    summary: str,
    occurred_at: datetime | None,
    time_field: str,
    opportunity: tuple[str | None, str | None],
    now: datetime,
) -> Activity:
    """The activity at its source's time (named `time_field` when out of bounds), up to MAX_IMPORT_AGE back."""
    return build_entry(
        NewEntry(kind=kind, summary=summary, occurred_at=occurred_at, opportunity_id=opportunity[0]),
        activity_id=new_id(),
        tenant_id=caller.tenant_id,
        customer_id=customer.customer_id,
        actor_id=caller.user_id,
        lead_id=opportunity[1],
        now=now,
        customer_location=(customer.latitude, customer.longitude),
        photo_window=DEFAULT_PHOTO_WINDOW,  # no photo: a chat or call has no visit evidence
        max_age=MAX_IMPORT_AGE,
        time_field=time_field,
    )


class ConversationHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def _customer_of(self, uow: OpportunityUnitOfWork, caller: Caller, customer_id: str, phone: str) -> Customer:
        if not customer_id:
            key = phone_key(phone) if phone.strip() else None
            if key is None:
                raise InvalidArgument.field("phone", "is required (a valid phone number) when customer_id is not given")
            customer_id = (await uow.conversations.customers_of_phones(caller.tenant_id, [key])).get(key, "")
            if not customer_id:
                raise NotFound("no customer or contact has this phone")
        return await writable_customer(uow, caller, customer_id, for_update=True)

    async def _existing(
        self, uow: OpportunityUnitOfWork, caller: Caller, customer: Customer, source: str, source_id: str
    ) -> Imported | None:
        activity_id = await uow.conversations.source_activity(caller.tenant_id, source, source_id)
        if activity_id is None:
            return None
        activity = await uow.activities.get(caller.tenant_id, customer.customer_id, activity_id)
        if activity is None:  # the source id names another customer's activity
            raise AlreadyExists(f"source_id {source_id} was imported for another customer")
        return Imported(activity, await uow.analyses.get(caller.tenant_id, activity_id), duplicate=True)

    async def import_transcript(self, caller: Caller, cmd: ImportTranscript) -> Imported:
        """A call's transcript as a call activity: its summary is the
        extractive summary sealed with the whole text's sha256, the text kept beside it."""
        caller.require_role(*roles.CONVERSATION_IMPORTERS)
        text = check_transcript(cmd.source_id, cmd.turns)
        source_id = cmd.source_id.strip()
        async with self.uow() as uow:
            customer = await self._customer_of(uow, caller, cmd.customer_id, cmd.phone)
            existing = await self._existing(uow, caller, customer, TRANSCRIPT, source_id)
            if existing is not None:
                return existing
            opportunity = await opportunity_of(uow, customer, cmd.opportunity_id)
            settings = await tenant_settings(uow, caller.tenant_id)
            tagged = tag_text(text, settings)
            hits = [w for words in tagged.tags.values() for w in words]
            sentences, _ = summarise(text, settings, hits, words=tagged.words)
            activity = conversation_entry(
                caller,
                customer,
                kind="call",
                summary=sealed_summary(sentences, text),
                occurred_at=cmd.started_at,
                time_field="started_at",
                opportunity=opportunity,
                now=uow.clock.now(),
            )
            if not await uow.conversations.claim_source(
                caller.tenant_id,
                TRANSCRIPT,
                source_id,
                activity.activity_id,
                customer.customer_id,
                caller.user_id,
                uow.clock.now(),
            ):
                raise AlreadyExists(f"source_id {source_id} is being imported; read the customer's activities")
            await uow.conversations.add_text(caller.tenant_id, activity.activity_id, text, sha256_of(text))
            entry = await append_entry(uow, customer, activity, caller, source=TRANSCRIPT, text=text)
            analysis = await uow.analyses.get(caller.tenant_id, entry.activity_id)
            await uow.commit()
        return Imported(entry, analysis, duplicate=False)

    async def convert_message(self, caller: Caller, cmd: ConvertMessage) -> Imported:
        """One message in the app (长按消息 → 转为拜访记录) as a chat activity."""
        caller.require_role(*roles.CONVERSATION_IMPORTERS)
        check_message(cmd.source_id, cmd.sender, cmd.text)
        source_id = cmd.source_id.strip()
        summary = f"{cmd.sender.strip()}: {cmd.text.strip()}" if cmd.sender.strip() else cmd.text.strip()
        async with self.uow() as uow:
            customer = await writable_customer(uow, caller, cmd.customer_id, for_update=True)
            existing = await self._existing(uow, caller, customer, APP_MESSAGE, source_id)
            if existing is not None:
                return existing
            opportunity = await opportunity_of(uow, customer, cmd.opportunity_id)
            activity = conversation_entry(
                caller,
                customer,
                kind="chat",
                summary=summary,
                occurred_at=cmd.sent_at,
                time_field="sent_at",
                opportunity=opportunity,
                now=uow.clock.now(),
            )
            if not await uow.conversations.claim_source(
                caller.tenant_id,
                APP_MESSAGE,
                source_id,
                activity.activity_id,
                customer.customer_id,
                caller.user_id,
                uow.clock.now(),
            ):
                raise AlreadyExists(f"source_id {source_id} is being converted; read the customer's activities")
            entry = await append_entry(uow, customer, activity, caller, source=APP_MESSAGE)
            analysis = await uow.analyses.get(caller.tenant_id, entry.activity_id)
            await uow.commit()
        return Imported(entry, analysis, duplicate=False)

    async def set_wecom_id(self, caller: Caller, customer_id: str, contact_id: str, external_id: str) -> str:
        """The contact's 企业微信 external id (one per contact, one contact per id)."""
        external_id = external_id.strip()
        if not external_id or len(external_id) > MAX_EXTERNAL_ID or any(c.isspace() for c in external_id):
            raise InvalidArgument.field("external_id", f"is 1 to {MAX_EXTERNAL_ID} characters without spaces")
        async with self.uow() as uow:
            customer = await writable_customer(uow, caller, customer_id)
            contact = await uow.contacts.get(caller.tenant_id, customer.customer_id, contact_id)
            if contact is None:
                raise NotFound(f"contact {contact_id} not found")
            if not await uow.conversations.set_wecom(
                caller.tenant_id, customer.customer_id, contact_id, external_id, caller.user_id, uow.clock.now()
            ):
                raise AlreadyExists(f"external_id: another contact has 企业微信 id {external_id}")
            await uow.commit()
        return external_id

    async def contact_channels(self, caller: Caller, customer_id: str) -> list[ContactChannel]:
        """The 企业微信 ids of the customer's contacts, to whoever may see the customer."""
        async with self.uow() as uow:
            customer = await visible_customer(uow, caller, customer_id)
            return await uow.conversations.channels_of_customer(caller.tenant_id, customer.customer_id)
