"""Bank statements (BankStatementService): import a statement file, list
statements and lines, the tenant's bank export layouts.

Import: POST /v1/bank-statements/imports with the file itself as the raw
request body (CAMT.053 XML, MT940, or a bank's CSV/xlsx export) and its
name in the query; the gateway's body limit (20 MiB) answers 413 above it.
Finance and admins only: a bank statement is the company's account, not
an opportunity's."""

from __future__ import annotations

from typing import Annotated, Literal

from crm.finance_reconciliation.v1 import statement_pb2 as pb
from crm_shared.paging import DEFAULT_PAGE_SIZE
from crm_shared.roles import PAYMENT_RECORDERS
from fastapi import APIRouter, Header, Query, Request
from pydantic import BaseModel, Field

from gateway.adapters.stubs import bank_statements
from gateway.entrypoints.deps import RpcDep
from gateway.entrypoints.replies import reply
from gateway.entrypoints.roles import allow
from gateway.entrypoints.schemas import PageSize, PageToken
from gateway.problems import PROBLEM_CONTENT, Problem

router = APIRouter(prefix="/v1")
ANY_BYTES = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
Text = Annotated[str, Field(max_length=100)]
LayoutField = Literal[
    "booked_on", "value_on", "credit", "debit", "amount", "direction", "counterparty_name",
    "counterparty_account", "remark", "bank_ref", "balance", "currency",
]


class LayoutColumn(BaseModel):
    field: LayoutField
    headers: Annotated[list[Text], Field(min_length=1, max_length=20)]


class PutLayout(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=50)]
    columns: Annotated[list[LayoutColumn], Field(min_length=1, max_length=12)]
    credit_marks: Annotated[list[Annotated[str, Field(max_length=20)]], Field(max_length=20)] = []


@router.post(
    "/bank-statements/imports",
    status_code=201,
    summary="Import a bank statement file (CAMT.053, MT940, or a Chinese bank's CSV/xlsx export)",
    description="The raw request body is the file. Each line is counted once per account and bank transaction id "
    "(流水号/AcctSvcrRef, else a hash of its fields): the report says new / known / rejected line by line. "
    "A file whose balances do not add up is held: the statement is stored with its reason, no line is.",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(bank_statements.ImportStatement),
    openapi_extra={"requestBody": {"required": True, "content": ANY_BYTES}},
    responses={
        413: {"description": "The file is larger than 20 MiB", "content": PROBLEM_CONTENT},
        415: {"description": "A multipart form instead of the file itself", "content": PROBLEM_CONTENT},
    },
)
async def import_statement(
    request: Request,
    rpc: RpcDep,
    filename: Annotated[str, Query(min_length=1, max_length=255)],
    account: Annotated[str, Query(max_length=64)] = "",
    format: Annotated[Literal["", "camt053", "mt940", "cn_bank"], Query()] = "",
    content_type: Annotated[str, Header(max_length=255)] = "application/octet-stream",
) -> dict:
    if content_type.strip().lower().startswith("multipart/"):
        raise Problem(415, "content-type: send the file itself as the request body, not a multipart form",
                      errors=[{"field": "content-type", "description": "must be the file's type, not multipart"}])
    content = await request.body()
    message = pb.ImportStatementRequest(filename=filename, content=content, account=account, format=format)
    return await rpc(bank_statements.ImportStatement, message)


@router.get(
    "/bank-statements",
    summary="Imported (and held) bank statements, newest first",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(bank_statements.ListStatements),
)
async def list_statements(rpc: RpcDep, page_size: PageSize = DEFAULT_PAGE_SIZE, page_token: PageToken = "") -> dict:
    request = pb.ListStatementsRequest(page_size=page_size, page_token=page_token)
    return await rpc(bank_statements.ListStatements, request)


@router.get(
    "/bank-statement-lines",
    summary="Bank statement lines, of one statement or all, by status; by booking day",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(bank_statements.ListStatementLines),
)
async def list_lines(
    rpc: RpcDep,
    statement_id: Annotated[str, Query(max_length=36)] = "",
    status: Annotated[Literal["", "unmatched", "suggested", "matched", "ignored"], Query()] = "",
    page_size: PageSize = DEFAULT_PAGE_SIZE,
    page_token: PageToken = "",
) -> dict:
    request = pb.ListStatementLinesRequest(
        statement_id=statement_id, status=status, page_size=page_size, page_token=page_token
    )
    return await rpc(bank_statements.ListStatementLines, request)


@router.get(
    "/bank-layouts",
    summary="The tenant's bank export column layouts (its own, then the built-in ones)",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(bank_statements.ListBankLayouts),
)
async def list_layouts(rpc: RpcDep) -> dict:
    return await rpc(bank_statements.ListBankLayouts, pb.ListBankLayoutsRequest())


@router.put(
    "/bank-layouts",
    summary="Add or replace a bank export column layout (a built-in one is replaced by one of its name)",
    dependencies=[allow(PAYMENT_RECORDERS)],
    response_model=reply(bank_statements.PutBankLayout),
)
async def put_layout(body: PutLayout, rpc: RpcDep) -> dict:
    layout = pb.BankLayout(
        name=body.name,
        columns=[pb.BankLayoutColumn(field=c.field, headers=c.headers) for c in body.columns],
        credit_marks=body.credit_marks,
    )
    return await rpc(bank_statements.PutBankLayout, pb.PutBankLayoutRequest(layout=layout))
