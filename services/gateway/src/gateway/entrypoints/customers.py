"""Customers, contacts and decision chains, private notes, activities with
visit evidence and their hash chain, follow-ups, reassignment
(opportunity's CustomerService). Private notes have no DELETE: they are
never deleted (a DELETE answers 405)."""

from __future__ import annotations

from typing import Annotated

from crm.opportunity.v1 import customer_pb2 as pb
from crm_shared.limits import MAX_ACTIVITY_TEXT, MAX_CUSTOMER_TAGS, MAX_NOTE
from crm_shared.paging import DEFAULT_PAGE_SIZE
from crm_shared.roles import CUSTOMER_REASSIGNERS, CUSTOMER_WRITERS, NOTE_READERS
from fastapi import APIRouter, Query
from pydantic import Field, StrictInt

from gateway.adapters.stubs import customer
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Id, Instant, Int32, Latitude, Longitude, PageSize, PageToken, Text

router = APIRouter(prefix="/v1")

Short = Annotated[str, Field(max_length=100)]
LongText = Annotated[str, Field(max_length=MAX_ACTIVITY_TEXT)]
# A photo as base64 (10 MiB of image is about 13.4 MB of base64).
Photo = Annotated[str, Field(max_length=14_000_000)]


class LocationBody(Body):
    province: Short = ""
    city: Short = ""
    district: Short = ""
    address: Annotated[str, Field(max_length=300)] = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class CreateCustomer(Body):
    name: Text
    credit_code: Annotated[str, Field(max_length=32)]
    phone: Annotated[str, Field(max_length=32)] = ""
    location: LocationBody | None = None
    industry: Short = ""
    size_tier: Short = ""
    cooperation_stage: Short = ""
    value_tier: Short = ""
    tags: Annotated[list[Short], Field(max_length=MAX_CUSTOMER_TAGS)] = []
    owner_id: Id = ""


class LocationPatch(Body):
    """Only the parts sent change ("" clears one); coordinates come together."""

    province: Short | None = None
    city: Short | None = None
    district: Short | None = None
    address: Annotated[str, Field(max_length=300)] | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class UpdateCustomer(Body):
    name: Text | None = None
    credit_code: Annotated[str, Field(max_length=32)] | None = None
    phone: Annotated[str, Field(max_length=32)] | None = None
    location: LocationPatch | None = None
    # Removes the coordinates (not together with location.latitude/longitude).
    clear_coordinates: bool = False
    industry: Short | None = None
    size_tier: Short | None = None
    cooperation_stage: Short | None = None
    value_tier: Short | None = None
    tags: Annotated[list[Short], Field(max_length=MAX_CUSTOMER_TAGS)] | None = None


class AddContact(Body):
    name: Short
    title: Short = ""
    phone: Annotated[str, Field(max_length=32)] = ""
    email: Annotated[str, Field(max_length=200)] = ""
    purchase_role: Short = ""
    influence: Annotated[StrictInt, Field(ge=0, le=100)] = 0
    personality: Annotated[str, Field(max_length=500)] = ""


class UpdateContact(Body):
    name: Short | None = None
    title: Short | None = None
    phone: Annotated[str, Field(max_length=32)] | None = None
    email: Annotated[str, Field(max_length=200)] | None = None
    purchase_role: Short | None = None
    influence: Annotated[StrictInt, Field(ge=0, le=100)] | None = None
    personality: Annotated[str, Field(max_length=500)] | None = None


class NoteBody(Body):
    text: Annotated[str, Field(max_length=MAX_NOTE)]


class CheckInBody(Body):
    latitude: Latitude
    longitude: Longitude


class LogActivity(Body):
    kind: Short
    opportunity_id: Id = ""
    occurred_at: Instant | None = None
    summary: LongText = ""
    check_in: CheckInBody | None = None
    photo: Photo = ""
    photo_content_type: Short = ""
    needs: LongText = ""
    competitors: LongText = ""
    next_follow_up_at: Instant | None = None
    corrects_activity_id: Id = ""
    # Ends the planned follow-up; without it (or a new next_follow_up_at) the plan stays.
    clear_follow_up: bool = False
    # A call's duration in seconds (kind call; the service checks 1..86400 and names the field).
    duration_seconds: Int32 | None = None


class SubmitActivity(Body):
    """Evidence added to a draft visit; what the draft has is kept."""

    check_in: CheckInBody | None = None
    photo: Photo = ""
    photo_content_type: Short = ""
    needs: LongText = ""
    competitors: LongText = ""
    next_follow_up_at: Instant | None = None


class FollowUpBody(Body):
    next_follow_up_at: Instant
    reason: Annotated[str, Field(max_length=500)] = ""


class ReassignBody(Body):
    to_owner_id: Id


@router.post(
    "/customers",
    status_code=201,
    summary="Create a customer (统一社会信用代码 unique per tenant)",
    dependencies=[allow(CUSTOMER_WRITERS)],
    response_model=reply(customer.CreateCustomer),
)
async def create_customer(body: CreateCustomer, rpc: RpcDep) -> dict:
    return await rpc(customer.CreateCustomer, to_proto(body, pb.CreateCustomerRequest()))


@router.get("/customers", summary="Customers the caller may see", response_model=reply(customer.ListCustomers))
async def list_customers(
    rpc: RpcDep,
    owner_id: Annotated[str, Query(max_length=64)] = "",
    value_tier: Annotated[str, Query(max_length=10)] = "",
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    page_token: PageToken = "",
) -> dict:
    request = pb.ListCustomersRequest(
        owner_id=owner_id, value_tier=value_tier, page_size=page_size, page_token=page_token
    )
    return await rpc(customer.ListCustomers, request)


@router.get(
    "/customers/{customer_id}",
    summary="A customer with its dynamic attributes",
    response_model=reply(customer.GetCustomer),
)
async def get_customer(customer_id: str, rpc: RpcDep) -> dict:
    return await rpc(customer.GetCustomer, pb.GetCustomerRequest(customer_id=customer_id))


@router.patch(
    "/customers/{customer_id}",
    summary="Change typed-in fields (the owner changes by reassignment)",
    dependencies=[allow(CUSTOMER_WRITERS)],
    response_model=reply(customer.UpdateCustomer),
)
async def update_customer(customer_id: str, body: UpdateCustomer, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.UpdateCustomerRequest())
    request.customer_id = customer_id
    request.replace_tags = body.tags is not None
    return await rpc(customer.UpdateCustomer, request)


@router.post(
    "/customers/{customer_id}/reassign",
    summary="Move a customer and everything of it to another rep",
    dependencies=[allow(CUSTOMER_REASSIGNERS)],
    response_model=reply(customer.ReassignCustomer),
)
@router.post(
    "/customers/{customer_id}:reassign",  # the path before /{id}/action; answers still, undocumented
    dependencies=[allow(CUSTOMER_REASSIGNERS)],
    response_model=reply(customer.ReassignCustomer),
    include_in_schema=False,
)
async def reassign_customer(customer_id: str, body: ReassignBody, rpc: RpcDep) -> dict:
    request = pb.ReassignCustomerRequest(customer_id=customer_id, to_owner_id=body.to_owner_id)
    return await rpc(customer.ReassignCustomer, request)


@router.post(
    "/reps/{rep_id}/handover",
    summary="Move every customer of a (leaving) rep to another rep",
    dependencies=[allow(CUSTOMER_REASSIGNERS)],
    response_model=reply(customer.HandOverRep),
)
@router.post(
    "/reps/{rep_id}:handover",  # the path before /{id}/action; answers still, undocumented
    dependencies=[allow(CUSTOMER_REASSIGNERS)],
    response_model=reply(customer.HandOverRep),
    include_in_schema=False,
)
async def hand_over_rep(rep_id: str, body: ReassignBody, rpc: RpcDep) -> dict:
    request = pb.HandOverRepRequest(from_owner_id=rep_id, to_owner_id=body.to_owner_id)
    return await rpc(customer.HandOverRep, request)


@router.post(
    "/customers/{customer_id}/contacts",
    status_code=201,
    summary="Add a contact to the decision chain",
    dependencies=[allow(CUSTOMER_WRITERS)],
    response_model=reply(customer.AddContact),
)
async def add_contact(customer_id: str, body: AddContact, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.AddContactRequest())
    request.customer_id = customer_id
    return await rpc(customer.AddContact, request)


@router.get(
    "/customers/{customer_id}/contacts",
    summary="Contacts, each with its full history",
    response_model=reply(customer.ListContacts),
)
async def list_contacts(customer_id: str, rpc: RpcDep) -> dict:
    return await rpc(customer.ListContacts, pb.ListContactsRequest(customer_id=customer_id))


@router.patch(
    "/customers/{customer_id}/contacts/{contact_id}",
    summary="Change a contact (a new version)",
    dependencies=[allow(CUSTOMER_WRITERS)],
    response_model=reply(customer.UpdateContact),
)
async def update_contact(customer_id: str, contact_id: str, body: UpdateContact, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.UpdateContactRequest())
    request.customer_id, request.contact_id = customer_id, contact_id
    return await rpc(customer.UpdateContact, request)


@router.post(
    "/customers/{customer_id}/notes",
    status_code=201,
    summary="Write a private note (个人作战笔记)",
    dependencies=[allow(NOTE_READERS)],
    response_model=reply(customer.AddNote),
)
async def add_note(customer_id: str, body: NoteBody, rpc: RpcDep) -> dict:
    return await rpc(customer.AddNote, pb.AddNoteRequest(customer_id=customer_id, text=body.text))


# No role declared: opportunity answers 404 for a customer the caller cannot
# see before it says 403 for notes the role may not read.
@router.get(
    "/customers/{customer_id}/notes",
    summary="Private notes with every earlier text (owner, manager, admin)",
    response_model=reply(customer.ListNotes),
)
async def list_notes(customer_id: str, rpc: RpcDep) -> dict:
    return await rpc(customer.ListNotes, pb.ListNotesRequest(customer_id=customer_id))


@router.patch(
    "/customers/{customer_id}/notes/{note_id}",
    summary="Edit a private note (the old text is kept)",
    dependencies=[allow(NOTE_READERS)],
    response_model=reply(customer.EditNote),
)
async def edit_note(customer_id: str, note_id: str, body: NoteBody, rpc: RpcDep) -> dict:
    request = pb.EditNoteRequest(customer_id=customer_id, note_id=note_id, text=body.text)
    return await rpc(customer.EditNote, request)


@router.post(
    "/customers/{customer_id}/activities",
    status_code=201,
    summary="Log an activity; a visit missing evidence is saved as a draft (待补全) naming every failed check",
    dependencies=[allow(CUSTOMER_WRITERS)],
    response_model=reply(customer.LogActivity),
)
async def log_activity(customer_id: str, body: LogActivity, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.LogActivityRequest())
    request.customer_id = customer_id
    return await rpc(customer.LogActivity, request)


@router.get(
    "/customers/{customer_id}/activities",
    summary="The customer's activity log in chain order",
    response_model=reply(customer.ListActivities),
)
async def list_activities(customer_id: str, rpc: RpcDep) -> dict:
    return await rpc(customer.ListActivities, pb.ListActivitiesRequest(customer_id=customer_id))


@router.get(
    "/activity-drafts",
    summary="The caller's draft visits (待补全) across customers, newest first, each with what it lacks "
    "(a rep's own, a manager's team's, admin's tenant's)",
    dependencies=[allow(CUSTOMER_WRITERS)],
    response_model=reply(customer.ListActivityDrafts),
)
async def list_activity_drafts(rpc: RpcDep, page_size: PageSize = DEFAULT_PAGE_SIZE, page_token: PageToken = "") -> dict:
    request = pb.ListActivityDraftsRequest(page_size=page_size, page_token=page_token)
    return await rpc(customer.ListActivityDrafts, request)


@router.post(
    "/customers/{customer_id}/activities/{activity_id}/submit",
    summary="Complete a draft visit with the missing evidence (409 lists what is still missing)",
    dependencies=[allow(CUSTOMER_WRITERS)],
    response_model=reply(customer.SubmitActivity),
)
async def submit_activity(customer_id: str, activity_id: str, body: SubmitActivity, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.SubmitActivityRequest())
    request.customer_id, request.activity_id = customer_id, activity_id
    return await rpc(customer.SubmitActivity, request)


@router.get(
    "/customers/{customer_id}/activity-chain",
    summary="Verify the activity hash chain",
    response_model=reply(customer.VerifyActivityChain),
)
async def verify_activity_chain(customer_id: str, rpc: RpcDep) -> dict:
    return await rpc(customer.VerifyActivityChain, pb.VerifyActivityChainRequest(customer_id=customer_id))


@router.get(
    "/customers/{customer_id}/photos/{photo_id}",
    summary="A visit photo (content as base64)",
    response_model=reply(customer.GetActivityPhoto),
)
async def get_activity_photo(customer_id: str, photo_id: str, rpc: RpcDep) -> dict:
    request = pb.GetActivityPhotoRequest(customer_id=customer_id, photo_id=photo_id)
    return await rpc(customer.GetActivityPhoto, request)


@router.put(
    "/customers/{customer_id}/follow-up",
    summary="Move the planned follow-up (more than 3 moves is flagged)",
    dependencies=[allow(CUSTOMER_WRITERS)],
    response_model=reply(customer.RescheduleFollowUp),
)
async def reschedule_follow_up(customer_id: str, body: FollowUpBody, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.RescheduleFollowUpRequest())
    request.customer_id = customer_id
    return await rpc(customer.RescheduleFollowUp, request)
