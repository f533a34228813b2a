"""Departments and delegation windows (approval's OrganisationService).
Departments: admins write, every internal role reads. Delegation windows: an
approver names their own deputy, an admin anyone's (approval's rules)."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.approval.v1 import organisation_pb2 as pb
from crm_shared.roles import DELEGATION_USERS, DEPARTMENT_EDITORS, DEPARTMENT_READERS
from fastapi import APIRouter, Path, Query
from pydantic import Field, StrictInt

from gateway.adapters.stubs import organisation
from gateway.entrypoints.deps import RpcDep, to_proto
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import Body, Id, Instant, Text

router = APIRouter(prefix="/v1")

PathId = Annotated[str, Path(max_length=64)]


class DepartmentMemberBody(Body):
    user_id: Id
    # What a policy's "role" approver rule finds; empty when not said.
    role: Literal["rep", "manager", "finance", "reviewer", "admin", ""] = ""


class DepartmentBody(Body):
    name: Text
    # The head is a member too.
    head_id: Id = ""
    members: Annotated[list[DepartmentMemberBody], Field(max_length=500, default_factory=list)]


class UpdateDepartmentBody(DepartmentBody):
    # The version edited; another change in between is refused. 0: whatever is current.
    expected_version: Annotated[StrictInt, Field(ge=0, le=2**31 - 1)] = 0


class DelegationBody(Body):
    # Empty: the caller.
    user_id: Id = ""
    deputy_id: Id
    starts_at: Instant
    ends_at: Instant
    reason: Annotated[str, Field(max_length=500)] = ""


@router.post(
    "/departments",
    status_code=201,
    summary="Create a department (members and a head)",
    dependencies=[allow(DEPARTMENT_EDITORS)],
    response_model=reply(organisation.CreateDepartment),
)
async def create_department(body: DepartmentBody, rpc: RpcDep) -> dict:
    return await rpc(organisation.CreateDepartment, to_proto(body, pb.CreateDepartmentRequest()))


@router.get(
    "/departments",
    summary="List departments by name (those a user is in, with member_id)",
    dependencies=[allow(DEPARTMENT_READERS)],
    response_model=reply(organisation.ListDepartments),
)
async def list_departments(rpc: RpcDep, member_id: Annotated[str, Query(max_length=64)] = "") -> dict:
    return await rpc(organisation.ListDepartments, pb.ListDepartmentsRequest(member_id=member_id))


@router.get(
    "/departments/{department_id}",
    summary="Get a department",
    dependencies=[allow(DEPARTMENT_READERS)],
    response_model=reply(organisation.GetDepartment),
)
async def get_department(department_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(organisation.GetDepartment, pb.GetDepartmentRequest(department_id=department_id))


@router.put(
    "/departments/{department_id}",
    summary="Replace a department's name, head and members",
    dependencies=[allow(DEPARTMENT_EDITORS)],
    response_model=reply(organisation.UpdateDepartment),
)
async def update_department(department_id: PathId, body: UpdateDepartmentBody, rpc: RpcDep) -> dict:
    request = to_proto(body, pb.UpdateDepartmentRequest())
    request.department_id = department_id
    return await rpc(organisation.UpdateDepartment, request)


@router.delete(
    "/departments/{department_id}",
    summary="Delete a department no active policy names",
    dependencies=[allow(DEPARTMENT_EDITORS)],
    response_model=reply(organisation.DeleteDepartment),
)
async def delete_department(department_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(organisation.DeleteDepartment, pb.DeleteDepartmentRequest(department_id=department_id))


@router.post(
    "/approval-delegations",
    status_code=201,
    summary="Name a deputy for an away window (tasks arriving in it go to the deputy)",
    dependencies=[allow(DELEGATION_USERS)],
    response_model=reply(organisation.CreateDelegation),
)
async def create_delegation(body: DelegationBody, rpc: RpcDep) -> dict:
    return await rpc(organisation.CreateDelegation, to_proto(body, pb.CreateDelegationRequest()))


@router.get(
    "/approval-delegations",
    summary="List delegation windows (the caller's; an admin's: the tenant's or user_id's)",
    dependencies=[allow(DELEGATION_USERS)],
    response_model=reply(organisation.ListDelegations),
)
async def list_delegations(
    rpc: RpcDep, user_id: Annotated[str, Query(max_length=64)] = "", include_past: bool = False
) -> dict:
    return await rpc(
        organisation.ListDelegations, pb.ListDelegationsRequest(user_id=user_id, include_past=include_past)
    )


@router.get(
    "/approval-delegations/{delegation_id}",
    summary="Get a delegation window",
    dependencies=[allow(DELEGATION_USERS)],
    response_model=reply(organisation.GetDelegation),
)
async def get_delegation(delegation_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(organisation.GetDelegation, pb.GetDelegationRequest(delegation_id=delegation_id))


@router.post(
    "/approval-delegations/{delegation_id}/cancel",
    summary="Cancel a delegation window",
    dependencies=[allow(DELEGATION_USERS)],
    response_model=reply(organisation.CancelDelegation),
)
async def cancel_delegation(delegation_id: PathId, rpc: RpcDep) -> dict:
    return await rpc(organisation.CancelDelegation, pb.CancelDelegationRequest(delegation_id=delegation_id))
