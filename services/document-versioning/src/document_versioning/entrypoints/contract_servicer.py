"""gRPC servicer of ContractService: translates requests to handler calls and contracts to messages."""

from __future__ import annotations

import grpc
from crm.document_versioning.v1 import contract_pb2 as pb
from crm.document_versioning.v1 import contract_pb2_grpc as pb_grpc
from crm_shared.convert import timestamp
from crm_shared.grpc_server import current_caller

from document_versioning.domain.contract import ContractVersion
from document_versioning.domain.fields import VersionFields
from document_versioning.service_layer.contracts import ContractHandlers, ContractView, SignedFile


def fields_message(fields: VersionFields | None) -> pb.ContractFields | None:
    if fields is None:
        return None
    return pb.ContractFields(
        currency=fields.currency,
        total_minor=fields.total_minor,
        instalments=[
            pb.ContractInstalment(
                name=i.name, trigger=i.trigger, days=i.days, percent_bp=i.percent_bp, amount_minor=i.amount_minor
            )
            for i in fields.instalments
        ],
        delivery_lead_time_days=fields.delivery_lead_time_days,
        warranty_months=fields.warranty_months,
        equipment=[
            pb.ContractEquipmentRow(
                model=e.model, description=e.description, quantity=e.quantity, unit_price_minor=e.unit_price_minor
            )
            for e in fields.equipment
        ],
    )


def version_message(cv: ContractVersion | None) -> pb.ContractVersion | None:
    if cv is None:
        return None
    return pb.ContractVersion(
        contract_id=cv.contract_id,
        version_id=cv.version_id,
        state=cv.state,
        approval_id=cv.approval_id,
        label=cv.label,
        signed_version_id=cv.signed_version_id,
        signed_sha256=cv.signed_sha256,
        signed_on=cv.signed_on.isoformat() if cv.signed_on else "",
        parties=list(cv.parties),
        signed_via=cv.signed_via,
        signed_by=cv.signed_by,
        signed_at=timestamp(cv.signed_at),
        superseded_by_version_id=cv.superseded_by_version_id,
        superseded_at=timestamp(cv.superseded_at),
        fields=fields_message(cv.fields),
        submitted_at=timestamp(cv.submitted_at),
        esign_provider=cv.esign_provider,
        esign_document_id=cv.esign_document_id,
    )


def contract_message(view: ContractView) -> pb.Contract:
    c = view.contract
    return pb.Contract(
        contract_id=c.contract_id,
        opportunity_id=c.opportunity_id,
        customer_id=c.customer_id,
        title=c.title,
        state=view.state,
        created_by=c.created_by,
        created_at=timestamp(c.created_at),
        versions=[version_message(cv) for cv in view.versions],
        in_force=version_message(view.in_force),
        contract_number=c.contract_number,
    )


class ContractServicer(pb_grpc.ContractServiceServicer):
    def __init__(self, handlers: ContractHandlers) -> None:
        self.handlers = handlers

    async def CreateContract(
        self, request: pb.CreateContractRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateContractResponse:
        view = await self.handlers.create(
            current_caller(), request.opportunity_id, request.title, request.contract_number
        )
        return pb.CreateContractResponse(contract=contract_message(view))

    async def GetContract(
        self, request: pb.GetContractRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetContractResponse:
        return pb.GetContractResponse(
            contract=contract_message(await self.handlers.get(current_caller(), request.contract_id))
        )

    async def ListContracts(
        self, request: pb.ListContractsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListContractsResponse:
        views = await self.handlers.list(current_caller(), request.opportunity_id)
        return pb.ListContractsResponse(contracts=[contract_message(v) for v in views])

    async def SignContract(
        self, request: pb.SignContractRequest, context: grpc.aio.ServicerContext
    ) -> pb.SignContractResponse:
        view = await self.handlers.sign(
            current_caller(),
            request.contract_id,
            request.version_id,
            label=request.label,
            signed_on=request.signed_on,
            parties=list(request.parties),
            signed_file=SignedFile(request.filename, request.content_type, request.content),
        )
        return pb.SignContractResponse(contract=contract_message(view))

    async def SendForEsign(
        self, request: pb.SendForEsignRequest, context: grpc.aio.ServicerContext
    ) -> pb.SendForEsignResponse:
        view = await self.handlers.send_for_esign(
            current_caller(),
            request.contract_id,
            request.version_id,
            label=request.label,
            provider=request.provider,
            provider_document_id=request.provider_document_id,
        )
        return pb.SendForEsignResponse(contract=contract_message(view))

    async def RecordEsignature(
        self, request: pb.RecordEsignatureRequest, context: grpc.aio.ServicerContext
    ) -> pb.RecordEsignatureResponse:
        view = await self.handlers.record_esignature(
            current_caller(),
            provider=request.provider,
            provider_document_id=request.provider_document_id,
            signed_sha256=request.signed_sha256,
            signed_on=request.signed_on,
            parties=list(request.parties),
        )
        return pb.RecordEsignatureResponse(contract=contract_message(view))

    async def GetContractInForce(
        self, request: pb.GetContractInForceRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetContractInForceResponse:
        found = await self.handlers.in_force(current_caller(), request.opportunity_id)
        if found is None:
            return pb.GetContractInForceResponse()
        contract, cv = found
        return pb.GetContractInForceResponse(contract_id=contract.contract_id, version=version_message(cv))
