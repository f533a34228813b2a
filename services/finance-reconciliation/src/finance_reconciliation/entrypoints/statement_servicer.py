"""gRPC servicer of bank statements: requests to StatementHandlers calls,
statements, lines and reports to messages."""

from __future__ import annotations

from datetime import date

import grpc
from crm.finance_reconciliation.v1 import statement_pb2 as pb
from crm.finance_reconciliation.v1 import statement_pb2_grpc as pb_grpc
from crm_shared.grpc_server import current_caller

from finance_reconciliation.domain.bank_layout import BankLayout
from finance_reconciliation.domain.statement import ImportReport, Statement, StatementLine
from finance_reconciliation.service_layer.statements import ImportFile, StatementHandlers


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def statement_message(s: Statement) -> pb.BankStatement:
    has = s.opening_minor is not None and s.closing_minor is not None
    return pb.BankStatement(
        statement_id=s.statement_id, account=s.account, format=s.format, filename=s.filename, sha256=s.sha256,
        has_balances=has, opening_minor=s.opening_minor or 0, closing_minor=s.closing_minor or 0,
        currency=s.currency, period_from=_day(s.period_from), period_to=_day(s.period_to),
        imported_by=s.imported_by, imported_at=s.imported_at.isoformat(),  # type: ignore[attr-defined]
        status=s.status, held_reason=s.held_reason,
    )


def line_message(line: StatementLine) -> pb.StatementLine:
    return pb.StatementLine(
        line_id=line.line_id, statement_id=line.statement_id, account=line.account, bank_ref=line.bank_ref,
        booked_on=_day(line.booked_on), value_on=_day(line.value_on), amount_minor=line.amount_minor,
        currency=line.currency, direction=line.direction, counterparty_name=line.counterparty_name,
        counterparty_account=line.counterparty_account, remark=line.remark, status=line.status,
    )


def report_message(report: ImportReport) -> pb.ImportStatementResponse:
    return pb.ImportStatementResponse(
        statements=[statement_message(s) for s in report.statements],
        lines=[
            pb.ImportReportLine(row=r.row, outcome=r.outcome, account=r.account, bank_ref=r.bank_ref,
                                line_id=r.line_id, reason=r.reason)
            for r in report.lines
        ],
        new_count=report.count("new"), known_count=report.count("known"),
        rejected_count=report.count("rejected"), held=report.held,
    )


def layout_message(layout: BankLayout) -> pb.BankLayout:
    return pb.BankLayout(
        name=layout.name,
        columns=[pb.BankLayoutColumn(field=k, headers=list(v)) for k, v in layout.columns.items()],
        credit_marks=list(layout.credit_marks),
    )


def layout_from(message: pb.BankLayout) -> BankLayout:
    columns = {c.field: tuple(c.headers) for c in message.columns}
    if message.credit_marks:
        return BankLayout(message.name, columns, credit_marks=tuple(message.credit_marks))
    return BankLayout(message.name, columns)


class StatementServicer(pb_grpc.BankStatementServiceServicer):
    def __init__(self, handlers: StatementHandlers) -> None:
        self.handlers = handlers

    async def ImportStatement(
        self, request: pb.ImportStatementRequest, context: grpc.aio.ServicerContext
    ) -> pb.ImportStatementResponse:
        cmd = ImportFile(request.filename, request.content, request.account, request.format)
        return report_message(await self.handlers.import_file(current_caller(), cmd))

    async def ListStatements(
        self, request: pb.ListStatementsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListStatementsResponse:
        found, token = await self.handlers.list_statements(current_caller(), request.page_size, request.page_token)
        return pb.ListStatementsResponse(statements=[statement_message(s) for s in found], next_page_token=token)

    async def ListStatementLines(
        self, request: pb.ListStatementLinesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListStatementLinesResponse:
        found, token = await self.handlers.list_lines(
            current_caller(), request.statement_id, request.status, request.page_size, request.page_token
        )
        return pb.ListStatementLinesResponse(lines=[line_message(line) for line in found], next_page_token=token)

    async def ListBankLayouts(
        self, request: pb.ListBankLayoutsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListBankLayoutsResponse:
        return pb.ListBankLayoutsResponse(layouts=[layout_message(x) for x in await self.handlers.layouts(current_caller())])

    async def PutBankLayout(
        self, request: pb.PutBankLayoutRequest, context: grpc.aio.ServicerContext
    ) -> pb.PutBankLayoutResponse:
        layout = await self.handlers.put_layout(current_caller(), layout_from(request.layout))
        return pb.PutBankLayoutResponse(layout=layout_message(layout))
