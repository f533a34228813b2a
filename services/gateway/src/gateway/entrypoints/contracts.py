"""Contracts (document-versioning's ContractService): open one on an
opportunity, read it with the history of its versions, sign an approved
version (法务: reviewers and admins), send one to an e-signature provider,
the version in force for an opportunity, and the provider's callback.

A contract's drafts are uploaded as documents with subject ("contract",
contract_id) through POST /v1/documents/versions; an approval request naming
a draft's version puts it under review."""

from __future__ import annotations

import base64
import binascii
import time
from typing import Annotated

from crm.document_versioning.v1 import contract_pb2 as pb
from crm_shared.context import Caller
from crm_shared.roles import CONTRACT_CREATORS, CONTRACT_SIGNERS, DOCUMENT_READERS, REVIEWER
from fastapi import APIRouter, Path, Query, Request
from pydantic import ConfigDict, Field, ValidationError

from gateway import esign
from gateway.adapters.backends import to_json
from gateway.adapters.stubs import contract
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import Reply, reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Id, Text
from gateway.problems import PROBLEM_CONTENT, Problem, from_validation_errors

router = APIRouter(prefix="/v1")

PathId = Annotated[str, Path(max_length=64)]
Label = Annotated[str, Field(max_length=20)]
IsoDate = Annotated[str, Field(max_length=10, description="ISO date, e.g. 2026-12-01")]
Party = Annotated[str, Field(max_length=200)]
# A signed PDF sent whole (the body limit bounds it; large files go through the streaming upload).
MAX_CALLBACK_BYTES = 64 * 1024


class CreateContract(Body):
    opportunity_id: Id
    title: Text
    contract_number: Annotated[
        str,
        Field(
            max_length=40,
            description="合同编号 customers write in a payment's remark, e.g. HT2025-018; unique in the tenant",
        ),
    ] = ""


class SignContract(Body):
    version_id: Id
    label: Label = ""
    signed_on: IsoDate
    parties: Annotated[list[Party], Field(max_length=10)]
    filename: Annotated[str, Field(max_length=255)]
    content_type: Annotated[str, Field(max_length=255)] = "application/pdf"
    content_base64: str


class SendForEsign(Body):
    version_id: Id
    label: Label = ""
    provider: Annotated[str, Field(max_length=40)]
    provider_document_id: Annotated[str, Field(max_length=200)]


class EsignCallback(Body):
    """What the provider posts once every party has signed (we gave it tenant_id when sending; it must
    be the X-Esign-Tenant the callback is signed for).
    Fields a provider adds besides these are ignored: refusing them would lose a signature."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)

    tenant_id: Id
    provider_document_id: Annotated[str, Field(min_length=1, max_length=200)]
    signed_sha256: Annotated[str, Field(min_length=64, max_length=64)]
    signed_on: IsoDate
    parties: Annotated[list[Party], Field(max_length=10, default_factory=list)]


class EsignAccepted(Reply):
    contract_id: str
    version_id: str
    label: str
    state: str


def decode_content(text: str) -> bytes:
    """A file sent as base64 in a JSON body; 400 naming content_base64 when it is not."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Problem(
            400,
            "content_base64: is not valid base64",
            slug="invalid-argument",
            errors=[{"field": "content_base64", "description": "is not valid base64"}],
        ) from exc


@router.post(
    "/contracts",
    status_code=201,
    summary="Open a contract on an opportunity",
    dependencies=[allow(CONTRACT_CREATORS)],
    response_model=reply(contract.CreateContract),
)
async def create_contract(body: CreateContract, rpc: RpcDep) -> dict:
    return await rpc(contract.CreateContract, pb.CreateContractRequest(**body.model_dump()))


@router.get(
    "/contracts",
    summary="Contracts of an opportunity, each with its versions",
    dependencies=[allow(DOCUMENT_READERS)],
    response_model=reply(contract.ListContracts),
)
async def list_contracts(rpc: RpcDep, opportunity_id: Annotated[str, Query(max_length=64)] = "") -> dict:
    return await rpc(contract.ListContracts, pb.ListContractsRequest(opportunity_id=opportunity_id))


@router.get(
    "/contracts/{contract_id}",
    summary="A contract: its state, the version in force and the full history with each signed version's fields",
    dependencies=[allow(DOCUMENT_READERS)],
    response_model=reply(contract.GetContract),
)
async def get_contract(contract_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(contract.GetContract, pb.GetContractRequest(contract_id=contract_id))


@router.post(
    "/contracts/{contract_id}/signatures",
    summary="Record the signing of an approved version: the signed PDF, the signing date and the parties",
    description="The PDF becomes a new version of the contract's document; the version signed is in force and "
    "the one in force before is superseded (contract.signed, contract.superseded).",
    dependencies=[allow(CONTRACT_SIGNERS)],
    response_model=reply(contract.SignContract),
)
async def sign_contract(contract_id: PathId, body: SignContract, rpc: RpcDep) -> dict:
    fields = body.model_dump(exclude={"content_base64"})
    request = pb.SignContractRequest(contract_id=contract_id, **fields, content=decode_content(body.content_base64))
    return await rpc(contract.SignContract, request)


@router.post(
    "/contracts/{contract_id}/esign-requests",
    summary="Send an approved version to an e-signature provider (its callback names provider_document_id)",
    dependencies=[allow(CONTRACT_SIGNERS)],
    response_model=reply(contract.SendForEsign),
)
async def send_for_esign(contract_id: PathId, body: SendForEsign, rpc: RpcDep) -> dict:
    return await rpc(contract.SendForEsign, pb.SendForEsignRequest(contract_id=contract_id, **body.model_dump()))


@router.get(
    "/opportunities/{opportunity_id}/contract-in-force",
    summary="The signed contract version in force for an opportunity (empty when none)",
    dependencies=[allow(DOCUMENT_READERS)],
    response_model=reply(contract.GetContractInForce),
)
async def get_contract_in_force(opportunity_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(contract.GetContractInForce, pb.GetContractInForceRequest(opportunity_id=opportunity_id))


@router.post(
    "/esign/callback",
    summary="E-signature provider's callback: a version signed (no user token: HMAC-signed)",
    description="Headers X-Esign-Tenant, X-Esign-Provider, X-Esign-Timestamp (Unix seconds) and "
    "X-Esign-Signature (hex HMAC-SHA256 over `<timestamp>.<raw body>` with that tenant's secret for that "
    "provider). A tenant or provider without a secret, a bad or stale signature is 401; a body whose tenant_id "
    "is not X-Esign-Tenant is 422; a signed_sha256 that no version of the contract has is 400; none changes "
    "anything. The signed file is uploaded as a version of the contract's document first.",
    response_model=EsignAccepted,
    responses={413: {"description": f"The body is larger than {MAX_CALLBACK_BYTES} bytes", "content": PROBLEM_CONTENT}},
    openapi_extra={
        "security": [],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": EsignCallback.model_json_schema()}},
        },
    },
)
async def receive_esign_callback(request: Request) -> dict:
    raw = await request.body()
    if len(raw) > MAX_CALLBACK_BYTES:
        raise Problem(413, f"a callback is at most {MAX_CALLBACK_BYTES} bytes")
    tenant = request.headers.get(esign.TENANT_HEADER, "")
    provider = request.headers.get(esign.PROVIDER_HEADER, "")
    settings = request.app.state.settings
    try:
        esign.verify(
            settings.esign_secrets,
            tenant=tenant,
            provider=provider,
            timestamp=request.headers.get(esign.TIMESTAMP_HEADER, ""),
            given=request.headers.get(esign.SIGNATURE_HEADER, ""),
            body=raw,
            now=time.time(),
            tolerance_s=settings.esign_tolerance_s,
        )
    except esign.BadSignature as exc:
        raise Problem(401, f"e-signature callback refused: {exc}") from exc
    try:
        body = EsignCallback.model_validate_json(raw)
    except ValidationError as exc:
        raise from_validation_errors([e | {"loc": ("body", *e["loc"])} for e in exc.errors()]) from exc
    if body.tenant_id != tenant:
        # Signed with one tenant's secret, it may name no other tenant's contract.
        why = f"must be {esign.TENANT_HEADER}, the tenant whose secret signed the callback"
        raise from_validation_errors([{"loc": ("body", "tenant_id"), "msg": why}])
    # The verified provider acts as 法务 would (a reviewer), in the tenant whose secret signed the callback.
    caller = Caller(tenant, f"esign:{provider}", REVIEWER, request.scope.get("crm.trace_id", ""))
    answer = to_json(
        await request.app.state.backends.call(
            contract.RecordEsignature,
            pb.RecordEsignatureRequest(
                provider=provider,
                provider_document_id=body.provider_document_id,
                signed_sha256=body.signed_sha256,
                signed_on=body.signed_on,
                parties=body.parties,
            ),
            caller,
        )
    )
    signed = next(
        (v for v in answer["contract"]["versions"] if v["esign_document_id"] == body.provider_document_id), {}
    )
    return {
        "contract_id": answer["contract"]["contract_id"],
        "version_id": signed.get("version_id", ""),
        "label": signed.get("label", ""),
        "state": signed.get("state", ""),
    }
