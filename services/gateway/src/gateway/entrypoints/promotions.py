"""Promotion programmes and distributors' applications (lead-routing's
PromotionService), with the applications' documents (document-versioning,
subject promotion_application). The manufacturer's side under
/v1/promotions and /v1/promotion-applications (admins and channel managers;
which distributors' applications a manager sees is the service's rule), the
partner's own portal under /v1/partner/… (published programmes, its
organisation's applications and their material). Shape only here."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.document_versioning.v1 import document_versioning_pb2 as docs_pb
from crm.lead_routing.v1 import promotion_pb2 as pb
from crm_shared.paging import DEFAULT_PAGE_SIZE
from crm_shared.roles import PROMOTION_APPLICANTS, PROMOTION_APPLICATION_READERS, PROMOTION_PUBLISHERS
from fastapi import APIRouter, Query, Response
from pydantic import Field, StrictInt

from gateway.adapters.stubs import document_versioning, promotions
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.documents import decoded_content
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Id, Money, PageSize, PageToken, PathId, Text

router = APIRouter(prefix="/v1")

# The material a distributor files on its application (document-versioning's seeded type).
APPLICATION_DOC_TYPE = "促销申报材料"
APPLICATION_SUBJECT = "promotion_application"

Day = Annotated[str, Field(max_length=10, description="YYYY-MM-DD (Asia/Shanghai)")]
ProgrammeStatus = Literal["", "draft", "published", "closed"]
ApplicationStatus = Literal["", "submitted", "approved", "rejected"]


class ProgrammeTerms(Body):
    name: Annotated[Text, Field(min_length=1)]
    conditions: Annotated[str, Field(max_length=4000, description="促销条件: what the distributor must meet")] = ""
    starts_on: Day
    ends_on: Day
    product_lines: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=20)] = Field(
        default_factory=list
    )
    benefit: Literal["discount", "support"]
    discount_percent: Annotated[StrictInt, Field(ge=0, le=99, description="percent off, for a discount")] = 0
    support_amount: Money | None = Field(default=None, description="the most one application may ask, for support")


class CreateProgramme(Body):
    terms: ProgrammeTerms
    status: Literal["", "draft", "published"] = ""


class UpdateProgramme(Body):
    terms: ProgrammeTerms
    status: ProgrammeStatus = ""
    version: Annotated[StrictInt, Field(ge=0, le=2**31 - 1, description="the version read; 0: not checked")] = 0


class SubmitApplication(Body):
    registration_id: Annotated[Id, Field(description="one of the distributor's approved registrations, or empty")] = ""
    period_starts_on: Annotated[Day, Field(description="for a period (no registration)")] = ""
    period_ends_on: Day = ""
    amount_asked: Money
    note: Annotated[str, Field(max_length=2000)] = ""


class ApplicationDocument(Body):
    # Empty: a new document on the application; else a new version of one of its documents.
    document_id: Id = ""
    title: Text = ""
    filename: Annotated[str, Field(min_length=1, max_length=255)]
    content_type: Annotated[str, Field(max_length=255)] = ""
    change_summary: Annotated[str, Field(max_length=2000)] = ""
    content_base64: str


# --- the manufacturer's side ---------------------------------------------------


@router.post(
    "/promotions",
    status_code=201,
    summary="Create a promotion programme (a draft, or published at once)",
    dependencies=[allow(PROMOTION_PUBLISHERS)],
    response_model=reply(promotions.CreateProgramme),
)
async def create_promotion(body: CreateProgramme, rpc: RpcDep) -> dict:
    return await rpc(promotions.CreateProgramme, to_proto(body, pb.CreateProgrammeRequest()))


@router.put(
    "/promotions/{programme_id}",
    summary="Change a programme's terms and state (draft → published → closed; a closed one's terms are final)",
    dependencies=[allow(PROMOTION_PUBLISHERS)],
    response_model=reply(promotions.UpdateProgramme),
)
async def update_promotion(programme_id: PathId, body: UpdateProgramme, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.UpdateProgrammeRequest())
    request.programme_id = programme_id
    return await rpc(promotions.UpdateProgramme, request)


@router.get(
    "/promotions",
    summary="The tenant's promotion programmes, newest first",
    dependencies=[allow(PROMOTION_PUBLISHERS)],
    response_model=reply(promotions.ListProgrammes),
)
async def list_promotions(
    rpc: RpcDep,
    status: Annotated[ProgrammeStatus, Query()] = "",
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    page_token: PageToken = "",
) -> dict:
    request = pb.ListProgrammesRequest(status=status, page_size=page_size, page_token=page_token)
    return await rpc(promotions.ListProgrammes, request)


@router.get(
    "/promotions/{programme_id}",
    summary="One promotion programme",
    dependencies=[allow(PROMOTION_PUBLISHERS)],
    response_model=reply(promotions.GetProgramme),
)
async def get_promotion(programme_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(promotions.GetProgramme, pb.GetProgrammeRequest(programme_id=programme_id))


@router.get(
    "/promotion-applications",
    summary="Distributors' promotion applications, newest first (a channel manager's distributors', an admin's all)",
    dependencies=[allow(PROMOTION_APPLICATION_READERS)],
    response_model=reply(promotions.ListApplications),
)
async def list_promotion_applications(
    rpc: RpcDep,
    programme_id: Annotated[str, Query(max_length=64)] = "",
    distributor_id: Annotated[str, Query(max_length=64)] = "",
    status: Annotated[ApplicationStatus, Query()] = "",
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    page_token: PageToken = "",
) -> dict:
    request = pb.ListApplicationsRequest(
        programme_id=programme_id,
        distributor_id=distributor_id,
        status=status,
        page_size=page_size,
        page_token=page_token,
    )
    return await rpc(promotions.ListApplications, request)


@router.get(
    "/promotion-applications/{application_id}",
    summary="One distributor's promotion application with its approval request and decision",
    dependencies=[allow(PROMOTION_APPLICATION_READERS)],
    response_model=reply(promotions.GetApplication),
)
async def get_promotion_application(application_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(promotions.GetApplication, pb.GetApplicationRequest(application_id=application_id))


# --- the partner's portal ------------------------------------------------------


@router.get(
    "/partner/promotions",
    summary="The published promotion programmes a distributor may apply for (or the closed ones), newest first",
    dependencies=[allow(PROMOTION_APPLICANTS)],
    response_model=reply(promotions.ListProgrammes),
)
async def partner_promotions(
    rpc: RpcDep,
    status: Annotated[Literal["", "published", "closed"], Query(description="published (the default) or closed")] = "",
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    page_token: PageToken = "",
) -> dict:
    request = pb.ListProgrammesRequest(status=status, page_size=page_size, page_token=page_token)
    return await rpc(promotions.ListProgrammes, request)


@router.get(
    "/partner/promotions/{programme_id}",
    summary="One published promotion programme",
    dependencies=[allow(PROMOTION_APPLICANTS)],
    response_model=reply(promotions.GetProgramme),
)
async def partner_promotion(programme_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(promotions.GetProgramme, pb.GetProgrammeRequest(programme_id=programme_id))


@router.post(
    "/partner/promotions/{programme_id}/applications",
    status_code=201,
    summary="Apply for a programme (申报促销活动), for one of the distributor's approved registrations or a period",
    description="The application goes to the manufacturer's approval; its state, the decision and the decision's "
    "public comment show on GET /v1/partner/promotion-applications/{id}.",
    dependencies=[allow(PROMOTION_APPLICANTS)],
    response_model=reply(promotions.SubmitApplication),
)
async def apply_for_promotion(programme_id: PathId, body: SubmitApplication, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.SubmitApplicationRequest())
    request.programme_id = programme_id
    return await rpc(promotions.SubmitApplication, request)


@router.get(
    "/partner/promotion-applications",
    summary="The distributor's own promotion applications, newest first",
    dependencies=[allow(PROMOTION_APPLICANTS)],
    response_model=reply(promotions.ListApplications),
)
async def partner_promotion_applications(
    rpc: RpcDep,
    programme_id: Annotated[str, Query(max_length=64)] = "",
    status: Annotated[ApplicationStatus, Query()] = "",
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    page_token: PageToken = "",
) -> dict:
    request = pb.ListApplicationsRequest(
        programme_id=programme_id, status=status, page_size=page_size, page_token=page_token
    )
    return await rpc(promotions.ListApplications, request)


@router.get(
    "/partner/promotion-applications/{application_id}",
    summary="One of the distributor's applications: its state, the decision and the decision's public comment",
    dependencies=[allow(PROMOTION_APPLICANTS)],
    response_model=reply(promotions.GetApplication),
)
async def partner_promotion_application(application_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(promotions.GetApplication, pb.GetApplicationRequest(application_id=application_id))


@router.post(
    "/partner/promotion-applications/{application_id}/documents",
    status_code=201,
    summary="Attach material to one of the distributor's applications (a new document, or a new version of one)",
    description="201 with the new version; 200 with `unchanged: true` when the content is that of the document's "
    "latest version. Read a version's content with GET /v1/document-versions/{version_id}?include_content=true.",
    dependencies=[allow(PROMOTION_APPLICANTS)],
    response_model=reply(document_versioning.UploadVersion),
    responses={
        200: {"description": "Unchanged: the latest version", "model": reply(document_versioning.UploadVersion)}
    },
)
async def attach_promotion_document(
    application_id: PathId, body: ApplicationDocument, rpc: RpcDep, response: Response
) -> dict:
    content = decoded_content(body.content_base64)
    # The filing is repeated for a new version too: document-versioning refuses a document of another subject.
    request = docs_pb.UploadVersionRequest(
        **body.model_dump(exclude={"content_base64"}),
        subject_type=APPLICATION_SUBJECT,
        subject_id=application_id,
        doc_type=APPLICATION_DOC_TYPE,
        content=content,
    )
    answer = await rpc(document_versioning.UploadVersion, request)
    if answer.get("unchanged"):
        response.status_code = 200
    return answer


@router.get(
    "/partner/promotion-applications/{application_id}/documents",
    summary="The material attached to one of the distributor's applications, oldest first",
    dependencies=[allow(PROMOTION_APPLICANTS)],
    response_model=reply(document_versioning.ListDocuments),
)
async def promotion_application_documents(
    application_id: PathId, rpc: RpcDep, page_size: PageSize = DEFAULT_PAGE_SIZE, page_token: PageToken = ""
) -> dict:
    request = docs_pb.ListDocumentsRequest(
        subject_type=APPLICATION_SUBJECT, subject_id=application_id, page_size=page_size, page_token=page_token
    )
    return await rpc(document_versioning.ListDocuments, request)
