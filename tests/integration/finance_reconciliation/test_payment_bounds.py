"""Payment amounts are bounded (crm_shared.money.MAX_AMOUNT_MINOR) and the
payments list with its total answers whatever was stored before the bound
existed: over real gRPC, a real database (SQLite and PostgreSQL) and NATS."""

from __future__ import annotations

import grpc
import sqlalchemy as sa

from crm.finance_reconciliation.v1 import finance_reconciliation_pb2 as pb
from crm_shared.money import INT64_MAX, MAX_AMOUNT_MINOR
from finance_reconciliation.adapters.orm import payments
from tests.integration.finance_reconciliation.test_payments import (  # noqa: F401 (fixtures)
    FINANCE,
    js,
    known_opportunity,
    refused,
    request,
    service,
    stub,
)


async def test_a_payment_above_the_bound_is_refused_and_stored_giants_do_not_break_the_list(service, stub) -> None:
    opportunity_id = await known_opportunity(service)
    remote = await refused(stub.RecordPayment, request(opportunity_id, INT64_MAX - 1), metadata=FINANCE.metadata())
    assert remote.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in remote.field_violations] == ["amount.amount_minor"]
    assert await service.stored() == 0

    first = await stub.RecordPayment(request(opportunity_id, MAX_AMOUNT_MINOR), metadata=FINANCE.metadata())
    second = await stub.RecordPayment(request(opportunity_id, MAX_AMOUNT_MINOR), metadata=FINANCE.metadata())
    listed = await stub.ListPayments(pb.ListPaymentsRequest(opportunity_id=opportunity_id), metadata=FINANCE.metadata())
    assert listed.total.amount_minor == 2 * MAX_AMOUNT_MINOR

    # Two rows stored near the int64 limit before the bound existed: the list still answers.
    async with service.runtime.db.sessions() as session, session.begin():
        await session.execute(
            sa.update(payments)
            .where(payments.c.payment_id.in_([first.payment.payment_id, second.payment.payment_id]))
            .values(amount_minor=INT64_MAX - 1)
        )
    listed = await stub.ListPayments(pb.ListPaymentsRequest(opportunity_id=opportunity_id), metadata=FINANCE.metadata())
    assert [p.amount.amount_minor for p in listed.payments] == [INT64_MAX - 1, INT64_MAX - 1]
    assert listed.total.amount_minor == INT64_MAX
