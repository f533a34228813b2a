"""gRPC CustomerService: requests to handler calls, views to messages."""

from __future__ import annotations

from datetime import UTC, datetime

import grpc
from crm.opportunity.v1 import customer_pb2 as pb
from crm.opportunity.v1 import customer_pb2_grpc as pb_grpc
from crm_shared.convert import money, timestamp
from crm_shared.domain.errors import InvalidArgument
from crm_shared.grpc_server import current_caller
from crm_shared.money import wire_minor
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from opportunity.domain.contact import Contact
from opportunity.domain.customer import Customer, CustomerFields, Location, LocationChange
from opportunity.domain.note import Note
from opportunity.service_layer.activities import ActivityHandlers, ActivityView, CompleteVisit, LogActivity, PhotoUpload
from opportunity.service_layer.contacts import ContactHandlers
from opportunity.service_layer.customers import CustomerHandlers, Moved
from opportunity.service_layer.notes import NoteHandlers


def _when(message: Message, name: str) -> datetime | None:
    if not message.HasField(name):
        return None
    value: Timestamp = getattr(message, name)
    return value.ToDatetime(tzinfo=UTC)


def _opt(message: Message, name: str):  # type: ignore[no-untyped-def]
    return getattr(message, name) if message.HasField(name) else None


def _location(message: pb.Location) -> Location:
    return Location(
        province=message.province,
        city=message.city,
        district=message.district,
        address=message.address,
        latitude=_opt(message, "latitude"),
        longitude=_opt(message, "longitude"),
    )


def _location_change(message: pb.Location, clear_coordinates: bool) -> LocationChange:
    """Only the parts the request sets (proto3 optional): the rest stays."""
    return LocationChange(
        province=_opt(message, "province"),
        city=_opt(message, "city"),
        district=_opt(message, "district"),
        address=_opt(message, "address"),
        latitude=_opt(message, "latitude"),
        longitude=_opt(message, "longitude"),
        clear_coordinates=clear_coordinates,
    )


def customer_message(c: Customer) -> pb.Customer:
    return pb.Customer(
        customer_id=c.customer_id,
        tenant_id=c.tenant_id,
        name=c.name,
        credit_code=c.credit_code or "",
        phone=c.phone or "",
        location=pb.Location(
            province=c.province,
            city=c.city,
            district=c.district,
            address=c.address,
            latitude=c.latitude,
            longitude=c.longitude,
        ),
        industry=c.industry,
        size_tier=c.size_tier,
        cooperation_stage=c.cooperation_stage,
        value_tier=c.value_tier,
        tags=list(c.tags),
        owner_id=c.owner_id,
        last_interaction_at=timestamp(c.last_interaction_at),
        # int(): SQLite turned an overflowing sum into a REAL before totals saturated.
        purchase_total=money(wire_minor(int(c.purchase_total_minor)), "CNY"),
        service_request_count=c.service_request_count,
        next_follow_up_at=timestamp(c.next_follow_up_at),
        follow_up_moves=c.follow_up_moves,
        follow_up_flagged=c.follow_up_flagged,
        created_at=timestamp(c.created_at),
        updated_at=timestamp(c.updated_at),
    )


def contact_message(c: Contact) -> pb.Contact:
    return pb.Contact(
        contact_id=c.contact_id,
        customer_id=c.customer_id,
        name=c.name,
        title=c.title,
        phone=c.phone,
        email=c.email,
        purchase_role=c.purchase_role,
        influence=c.influence,
        personality=c.personality,
        version=c.version,
        history=[
            pb.ContactVersion(
                version=h.version,
                name=h.name,
                title=h.title,
                phone=h.phone,
                email=h.email,
                purchase_role=h.purchase_role,
                influence=h.influence,
                personality=h.personality,
                changed_by=h.changed_by,
                changed_at=timestamp(h.changed_at),
            )
            for h in c.history
        ],
    )


def note_message(n: Note) -> pb.Note:
    return pb.Note(
        note_id=n.note_id,
        customer_id=n.customer_id,
        author_id=n.author_id,
        text=n.text,
        version=n.version,
        created_at=timestamp(n.created_at),
        updated_at=timestamp(n.updated_at),
        history=[
            pb.NoteVersion(version=h.version, text=h.text, edited_by=h.edited_by, edited_at=timestamp(h.edited_at))
            for h in n.history
        ],
    )


def activity_message(view: ActivityView) -> pb.Activity:
    a = view.activity
    return pb.Activity(
        activity_id=a.activity_id,
        customer_id=a.customer_id,
        opportunity_id=a.opportunity_id or "",
        lead_id=a.lead_id or "",
        kind=a.kind,
        actor_id=a.actor_id,
        occurred_at=timestamp(a.occurred_at),
        recorded_at=timestamp(a.recorded_at),
        state=a.state,
        summary=a.summary,
        relation=a.relation,
        refers_to=a.refers_to or "",
        check_in_latitude=a.check_in_latitude,
        check_in_longitude=a.check_in_longitude,
        checked_in_at=timestamp(a.checked_in_at),
        photo_id=a.photo_id or "",
        photo_sha256=a.photo_sha256,
        needs=a.needs,
        competitors=a.competitors,
        next_follow_up_at=timestamp(a.next_follow_up_at),
        violations=[pb.EvidenceViolation(check=check, description=text) for check, text in a.violations],
        seq=a.seq,
        prev_hash=a.prev_hash,
        hash=a.hash,
        completed_by=view.completed_by,
    )


def moved_message(m: Moved) -> pb.Moved:
    return pb.Moved(
        customers=m.customers,
        opportunities=m.opportunities,
        open_tasks=m.open_tasks,
        notes=m.notes,
        contacts=m.contacts,
        activities=m.activities,
    )


def _check_in(message: Message) -> tuple[float, float] | None:
    if not message.HasField("check_in"):
        return None
    return (message.check_in.latitude, message.check_in.longitude)  # type: ignore[attr-defined]


def _photo(content: bytes, content_type: str) -> PhotoUpload | None:
    return PhotoUpload(content, content_type) if content else None


class CustomerServicer(pb_grpc.CustomerServiceServicer):
    def __init__(
        self, customers: CustomerHandlers, contacts: ContactHandlers, notes: NoteHandlers, activities: ActivityHandlers
    ) -> None:
        self.customers = customers
        self.contacts = contacts
        self.notes = notes
        self.activities = activities

    async def CreateCustomer(self, request: pb.CreateCustomerRequest, context: grpc.aio.ServicerContext):
        customer = await self.customers.create(
            current_caller(),
            CustomerFields(
                name=request.name,
                credit_code=request.credit_code,
                phone=request.phone,
                location=_location(request.location),
                industry=request.industry,
                size_tier=request.size_tier,
                cooperation_stage=request.cooperation_stage,
                value_tier=request.value_tier,
                tags=list(request.tags),
            ),
            request.owner_id,
        )
        return pb.CreateCustomerResponse(customer=customer_message(customer))

    async def GetCustomer(self, request: pb.GetCustomerRequest, context: grpc.aio.ServicerContext):
        customer = await self.customers.get(current_caller(), request.customer_id)
        return pb.GetCustomerResponse(customer=customer_message(customer))

    async def ListCustomers(self, request: pb.ListCustomersRequest, context: grpc.aio.ServicerContext):
        found, token = await self.customers.list(
            current_caller(),
            owner_id=request.owner_id,
            value_tier=request.value_tier,
            size=request.page_size,
            token=request.page_token,
        )
        return pb.ListCustomersResponse(customers=[customer_message(c) for c in found], next_page_token=token)

    async def FindCustomers(self, request: pb.FindCustomersRequest, context: grpc.aio.ServicerContext):
        found, truncated = await self.customers.find_candidates(
            current_caller(), credit_code=request.credit_code, phone=request.phone, city=request.city
        )
        return pb.FindCustomersResponse(
            customers=[
                pb.CustomerCandidate(
                    customer_id=c.customer_id,
                    name=c.name,
                    credit_code=c.credit_code or "",
                    phone=c.phone or "",
                    city=c.city,
                    created_at=timestamp(c.created_at),
                )
                for c in found
            ],
            truncated=truncated,
        )

    async def UpdateCustomer(self, request: pb.UpdateCustomerRequest, context: grpc.aio.ServicerContext):
        fields = CustomerFields(
            name=_opt(request, "name"),
            credit_code=_opt(request, "credit_code"),
            phone=_opt(request, "phone"),
            location=(
                _location_change(request.location, request.clear_coordinates)
                if request.HasField("location") or request.clear_coordinates
                else None
            ),
            industry=_opt(request, "industry"),
            size_tier=_opt(request, "size_tier"),
            cooperation_stage=_opt(request, "cooperation_stage"),
            value_tier=_opt(request, "value_tier"),
            tags=list(request.tags) if request.replace_tags or request.tags else None,
        )
        customer = await self.customers.update(current_caller(), request.customer_id, fields)
        return pb.UpdateCustomerResponse(customer=customer_message(customer))

    async def AddContact(self, request: pb.AddContactRequest, context: grpc.aio.ServicerContext):
        contact = await self.contacts.add(
            current_caller(),
            request.customer_id,
            name=request.name,
            title=request.title,
            phone=request.phone,
            email=request.email,
            purchase_role=request.purchase_role,
            influence=request.influence,
            personality=request.personality,
        )
        return pb.AddContactResponse(contact=contact_message(contact))

    async def UpdateContact(self, request: pb.UpdateContactRequest, context: grpc.aio.ServicerContext):
        names = ("name", "title", "phone", "email", "purchase_role", "influence", "personality")
        changes = {n: getattr(request, n) for n in names if request.HasField(n)}
        contact = await self.contacts.update(current_caller(), request.customer_id, request.contact_id, changes)
        return pb.UpdateContactResponse(contact=contact_message(contact))

    async def ListContacts(self, request: pb.ListContactsRequest, context: grpc.aio.ServicerContext):
        found = await self.contacts.list(current_caller(), request.customer_id)
        return pb.ListContactsResponse(contacts=[contact_message(c) for c in found])

    async def AddNote(self, request: pb.AddNoteRequest, context: grpc.aio.ServicerContext):
        note = await self.notes.add(current_caller(), request.customer_id, request.text)
        return pb.AddNoteResponse(note=note_message(note))

    async def EditNote(self, request: pb.EditNoteRequest, context: grpc.aio.ServicerContext):
        note = await self.notes.edit(current_caller(), request.customer_id, request.note_id, request.text)
        return pb.EditNoteResponse(note=note_message(note))

    async def ListNotes(self, request: pb.ListNotesRequest, context: grpc.aio.ServicerContext):
        found = await self.notes.list(current_caller(), request.customer_id)
        return pb.ListNotesResponse(notes=[note_message(n) for n in found])

    async def LogActivity(self, request: pb.LogActivityRequest, context: grpc.aio.ServicerContext):
        view = await self.activities.log(
            current_caller(),
            LogActivity(
                customer_id=request.customer_id,
                kind=request.kind,
                summary=request.summary,
                opportunity_id=request.opportunity_id,
                occurred_at=_when(request, "occurred_at"),
                check_in=_check_in(request),
                photo=_photo(request.photo, request.photo_content_type),
                needs=request.needs,
                competitors=request.competitors,
                next_follow_up_at=_when(request, "next_follow_up_at"),
                corrects_activity_id=request.corrects_activity_id,
                clear_follow_up=request.clear_follow_up,
                duration_seconds=request.duration_seconds if request.HasField("duration_seconds") else None,
            ),
        )
        return pb.LogActivityResponse(activity=activity_message(view))

    async def SubmitActivity(self, request: pb.SubmitActivityRequest, context: grpc.aio.ServicerContext):
        view = await self.activities.submit(
            current_caller(),
            CompleteVisit(
                customer_id=request.customer_id,
                activity_id=request.activity_id,
                check_in=_check_in(request),
                photo=_photo(request.photo, request.photo_content_type),
                needs=request.needs,
                competitors=request.competitors,
                next_follow_up_at=_when(request, "next_follow_up_at"),
            ),
        )
        return pb.SubmitActivityResponse(activity=activity_message(view))

    async def ListActivities(self, request: pb.ListActivitiesRequest, context: grpc.aio.ServicerContext):
        found = await self.activities.list(current_caller(), request.customer_id)
        return pb.ListActivitiesResponse(activities=[activity_message(v) for v in found])

    async def ListActivityDrafts(self, request: pb.ListActivityDraftsRequest, context: grpc.aio.ServicerContext):
        found, token = await self.activities.drafts(current_caller(), size=request.page_size, token=request.page_token)
        drafts = [
            pb.ActivityDraft(
                activity=activity_message(ActivityView(d.activity)), customer_name=d.customer_name, rep_name=d.rep_name
            )
            for d in found
        ]
        return pb.ListActivityDraftsResponse(drafts=drafts, next_page_token=token)

    async def GetActivityPhoto(self, request: pb.GetActivityPhotoRequest, context: grpc.aio.ServicerContext):
        photo = await self.activities.photo(current_caller(), request.customer_id, request.photo_id)
        return pb.GetActivityPhotoResponse(
            photo_id=photo.photo_id,
            sha256=photo.sha256,
            content_type=photo.content_type,
            content=photo.content,
            taken_at=timestamp(photo.taken_at),
        )

    async def VerifyActivityChain(self, request: pb.VerifyActivityChainRequest, context: grpc.aio.ServicerContext):
        report = await self.activities.verify_chain(current_caller(), request.customer_id)
        broken = report.first_broken
        return pb.VerifyActivityChainResponse(
            intact=report.intact,
            entries=report.entries,
            first_broken_activity_id=broken.activity_id if broken else "",
            first_broken_seq=broken.seq if broken else 0,
            reason=report.reason,
        )

    async def RescheduleFollowUp(self, request: pb.RescheduleFollowUpRequest, context: grpc.aio.ServicerContext):
        when = _when(request, "next_follow_up_at")
        if when is None:
            raise InvalidArgument.field("next_follow_up_at", "is required")
        customer = await self.activities.reschedule_follow_up(
            current_caller(), request.customer_id, when, request.reason
        )
        return pb.RescheduleFollowUpResponse(customer=customer_message(customer))

    async def ReassignCustomer(self, request: pb.ReassignCustomerRequest, context: grpc.aio.ServicerContext):
        customer, moved = await self.customers.reassign(current_caller(), request.customer_id, request.to_owner_id)
        return pb.ReassignCustomerResponse(customer=customer_message(customer), moved=moved_message(moved))

    async def HandOverRep(self, request: pb.HandOverRepRequest, context: grpc.aio.ServicerContext):
        ids, moved = await self.customers.hand_over(current_caller(), request.from_owner_id, request.to_owner_id)
        return pb.HandOverRepResponse(customer_ids=ids, moved=moved_message(moved))
