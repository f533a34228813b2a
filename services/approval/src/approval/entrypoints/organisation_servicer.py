"""gRPC servicer of OrganisationService: departments and delegation windows."""

from __future__ import annotations

import grpc
from crm.approval.v1 import organisation_pb2 as pb
from crm.approval.v1 import organisation_pb2_grpc as pb_grpc
from crm_shared.convert import from_timestamp, timestamp
from crm_shared.domain.errors import Validator
from crm_shared.grpc_server import current_caller

from approval.domain.organisation import Delegation, Department, DepartmentInput, Member
from approval.service_layer.organisation import DelegationHandlers, DepartmentHandlers


def department_out(d: Department) -> pb.Department:
    return pb.Department(
        department_id=d.department_id,
        name=d.name,
        head_id=d.head_id,
        members=[pb.DepartmentMember(user_id=m.user_id, role=m.role) for m in d.members],
        version=d.version,
        updated_by=d.updated_by,
        updated_at=timestamp(d.updated_at),
    )


def delegation_out(d: Delegation) -> pb.Delegation:
    return pb.Delegation(
        delegation_id=d.delegation_id,
        user_id=d.user_id,
        deputy_id=d.deputy_id,
        starts_at=timestamp(d.starts_at),
        ends_at=timestamp(d.ends_at),
        reason=d.reason,
        created_by=d.created_by,
        created_at=timestamp(d.created_at),
        cancelled_at=timestamp(d.cancelled_at),
    )


def _input(name: str, head_id: str, members: object) -> DepartmentInput:
    return DepartmentInput(name, head_id, tuple(Member(m.user_id, m.role) for m in members))  # type: ignore[attr-defined]


class OrganisationServicer(pb_grpc.OrganisationServiceServicer):
    def __init__(self, departments: DepartmentHandlers, delegations: DelegationHandlers) -> None:
        self.departments = departments
        self.delegations = delegations

    async def CreateDepartment(
        self, request: pb.CreateDepartmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateDepartmentResponse:
        d = await self.departments.create(current_caller(), _input(request.name, request.head_id, request.members))
        return pb.CreateDepartmentResponse(department=department_out(d))

    async def UpdateDepartment(
        self, request: pb.UpdateDepartmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.UpdateDepartmentResponse:
        d = await self.departments.update(
            current_caller(),
            request.department_id,
            _input(request.name, request.head_id, request.members),
            request.expected_version,
        )
        return pb.UpdateDepartmentResponse(department=department_out(d))

    async def DeleteDepartment(
        self, request: pb.DeleteDepartmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.DeleteDepartmentResponse:
        await self.departments.delete(current_caller(), request.department_id)
        return pb.DeleteDepartmentResponse()

    async def GetDepartment(
        self, request: pb.GetDepartmentRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetDepartmentResponse:
        return pb.GetDepartmentResponse(
            department=department_out(await self.departments.get(current_caller(), request.department_id))
        )

    async def ListDepartments(
        self, request: pb.ListDepartmentsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListDepartmentsResponse:
        found = await self.departments.list(current_caller(), request.member_id)
        return pb.ListDepartmentsResponse(departments=[department_out(d) for d in found])

    async def CreateDelegation(
        self, request: pb.CreateDelegationRequest, context: grpc.aio.ServicerContext
    ) -> pb.CreateDelegationResponse:
        v = Validator()
        v.require("starts_at", request.HasField("starts_at") or None)
        v.require("ends_at", request.HasField("ends_at") or None)
        v.check()
        d = await self.delegations.create(
            current_caller(),
            request.user_id,
            request.deputy_id,
            from_timestamp(request.starts_at, True),
            from_timestamp(request.ends_at, True),
            request.reason,
        )
        return pb.CreateDelegationResponse(delegation=delegation_out(d))

    async def CancelDelegation(
        self, request: pb.CancelDelegationRequest, context: grpc.aio.ServicerContext
    ) -> pb.CancelDelegationResponse:
        d = await self.delegations.cancel(current_caller(), request.delegation_id)
        return pb.CancelDelegationResponse(delegation=delegation_out(d))

    async def GetDelegation(
        self, request: pb.GetDelegationRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetDelegationResponse:
        d = await self.delegations.get(current_caller(), request.delegation_id)
        return pb.GetDelegationResponse(delegation=delegation_out(d))

    async def ListDelegations(
        self, request: pb.ListDelegationsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListDelegationsResponse:
        found = await self.delegations.list(current_caller(), request.user_id, request.include_past)
        return pb.ListDelegationsResponse(delegations=[delegation_out(d) for d in found])
