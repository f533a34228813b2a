"""finance-reconciliation as a real process would run: the opportunity
projection fed from JetStream, gRPC, database, outbox to JetStream."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import grpc
import nats
import pytest
import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp

from crm.common.v1.common_pb2 import Money
from crm.events.v1 import finance_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm.events.v1.opportunity_pb2 import OpportunityCreated
from crm.finance_reconciliation.v1 import finance_reconciliation_pb2 as pb
from crm.finance_reconciliation.v1 import finance_reconciliation_pb2_grpc as pb_grpc
from crm_shared.context import Caller
from crm_shared.db import inbox_table
from crm_shared.events import make_envelope, unpack
from crm_shared.grpc_errors import decode_rpc_error
from crm_shared.ids import new_id
from finance_reconciliation.bootstrap import build
from finance_reconciliation.config import Settings
from finance_reconciliation.entrypoints.consumers import OPPORTUNITY_CREATED_DURABLE
from tests.support.infra import eventually, migrate, run_service

FINANCE = Caller("tenant-a", "fin-1", "finance")
OWNER = Caller("tenant-a", "rep-1", "rep")
OTHER_REP = Caller("tenant-a", "rep-2", "rep")
MANAGER = Caller("tenant-a", "mgr-1", "manager")
OTHER_TENANT = Caller("tenant-b", "fin-9", "finance")


@pytest.fixture
async def service(nats_url: str, database_url: str):
    await migrate("finance-reconciliation", database_url)
    async with run_service(build, Settings, nats_url=nats_url, database_url=database_url) as running:
        yield running


@pytest.fixture
async def js(nats_url: str):
    nc = await nats.connect(nats_url)
    yield nc.jetstream()
    await nc.close()


@pytest.fixture
def stub(service) -> pb_grpc.FinanceReconciliationServiceStub:
    return pb_grpc.FinanceReconciliationServiceStub(service.channel)


def opportunity_created(tenant_id: str, opportunity_id: str, owner_id: str = "rep-1") -> Envelope:
    payload = OpportunityCreated(
        opportunity_id=opportunity_id,
        customer_name="绍兴柯桥纺织机械有限公司",
        name="柯桥 3 台剑杆织机",
        owner_id=owner_id,
        amount=Money(amount_minor=120_000_000, currency="CNY"),
    )
    return make_envelope(
        "opportunity.created", tenant_id, opportunity_id, payload, source="opportunity", occurred_at=datetime.now(UTC)
    )


async def deliver(js, envelope: Envelope, msg_id: str | None = None) -> None:
    """Publish as the opportunity service's relay would, then wait until our
    durable consumer has handled (acked) everything."""
    await js.publish(
        "crm.opportunity.created", envelope.SerializeToString(), headers={"Nats-Msg-Id": msg_id or envelope.event_id}
    )

    async def drained() -> bool:
        info = await js.consumer_info("OPPORTUNITY", OPPORTUNITY_CREATED_DURABLE)
        return info.num_pending == 0 and info.num_ack_pending == 0

    await eventually(drained)


async def known_opportunity(js, caller: Caller = FINANCE, owner_id: str = "rep-1") -> str:
    opportunity_id = new_id()
    await deliver(js, opportunity_created(caller.tenant_id, opportunity_id, owner_id))
    return opportunity_id


def request(opportunity_id: str, minor: int = 3_600_000, **kw) -> pb.RecordPaymentRequest:
    kw.setdefault("amount", Money(amount_minor=minor, currency="CNY"))
    kw.setdefault("payer_name", "绍兴柯桥纺织机械有限公司")
    return pb.RecordPaymentRequest(opportunity_id=opportunity_id, **kw)


def ts(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value)
    return out


async def refused(call, *args, metadata) -> object:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await call(*args, metadata=metadata)
    return decode_rpc_error(err.value)


async def test_payment_is_recorded_published_and_listed_oldest_first_with_total(service, stub, js) -> None:
    opportunity_id = await known_opportunity(js)
    sub = await js.subscribe(
        "crm.payment.recorded", ordered_consumer=True, deliver_policy=nats.js.api.DeliverPolicy.NEW
    )
    recorded = await stub.RecordPayment(request(opportunity_id, reference="ICBC-0001"), metadata=FINANCE.metadata())
    assert (recorded.payment.amount.amount_minor, recorded.payment.recorded_by) == (3_600_000, "fin-1")

    msg = await sub.next_msg(timeout=10)
    envelope = Envelope.FromString(msg.data)
    assert msg.headers["Nats-Msg-Id"] == envelope.event_id
    event = unpack(envelope, finance_pb2.PaymentRecorded)
    assert (envelope.tenant_id, event.payment_id, event.opportunity_id, event.reference) == (
        "tenant-a", recorded.payment.payment_id, opportunity_id, "ICBC-0001",
    )
    assert (event.amount.amount_minor, event.amount.currency) == (3_600_000, "CNY")

    earlier = await stub.RecordPayment(
        request(opportunity_id, 1, paid_at=ts(datetime.now(UTC) - timedelta(days=3))), metadata=FINANCE.metadata()
    )
    for caller in (FINANCE, MANAGER, OWNER):
        listed = await stub.ListPayments(
            pb.ListPaymentsRequest(opportunity_id=opportunity_id), metadata=caller.metadata()
        )
        assert [p.payment_id for p in listed.payments] == [earlier.payment.payment_id, recorded.payment.payment_id]
        assert (listed.total.amount_minor, listed.total.currency) == (3_600_001, "CNY")


async def test_payment_before_the_opportunity_event_is_a_failed_precondition(service, stub, js) -> None:
    opportunity_id = new_id()
    remote = await refused(stub.RecordPayment, request(opportunity_id), metadata=FINANCE.metadata())
    assert remote.code == grpc.StatusCode.FAILED_PRECONDITION
    assert [(v.type, v.subject) for v in remote.precondition_violations] == [("opportunity", opportunity_id)]
    assert "may not have arrived" in remote.message

    await deliver(js, opportunity_created("tenant-a", opportunity_id))
    await stub.RecordPayment(request(opportunity_id), metadata=FINANCE.metadata())


async def test_bad_payments_name_every_field_and_store_nothing(service, stub, js) -> None:
    opportunity_id = await known_opportunity(js)
    cases = {
        "amount": pb.RecordPaymentRequest(opportunity_id=opportunity_id, payer_name="某公司"),
        "zero": request(opportunity_id, 0),
        "usd": request(opportunity_id, amount=Money(amount_minor=100, currency="USD")),
        "future": request(opportunity_id, payer_name=" ", paid_at=ts(datetime.now(UTC) + timedelta(hours=1))),
    }
    expected = {
        "amount": {"amount"},
        "zero": {"amount.amount_minor"},
        "usd": {"amount.currency"},
        "future": {"payer_name", "paid_at"},
    }
    for name, bad in cases.items():
        remote = await refused(stub.RecordPayment, bad, metadata=FINANCE.metadata())
        assert remote.code == grpc.StatusCode.INVALID_ARGUMENT, name
        assert {v.field for v in remote.field_violations} == expected[name], name
    listed = await stub.ListPayments(pb.ListPaymentsRequest(opportunity_id=opportunity_id), metadata=FINANCE.metadata())
    assert (list(listed.payments), listed.total.amount_minor) == ([], 0)


async def test_roles_are_enforced(service, stub, js) -> None:
    opportunity_id = await known_opportunity(js)
    for caller in (OWNER, MANAGER, Caller("tenant-a", "rev-1", "reviewer")):
        remote = await refused(stub.RecordPayment, request(opportunity_id), metadata=caller.metadata())
        assert remote.code == grpc.StatusCode.PERMISSION_DENIED, caller.role
    for caller in (OTHER_REP, Caller("tenant-a", "p-1", "partner")):
        remote = await refused(
            stub.ListPayments, pb.ListPaymentsRequest(opportunity_id=opportunity_id), metadata=caller.metadata()
        )
        assert remote.code == grpc.StatusCode.PERMISSION_DENIED, caller.role


async def test_a_bank_reference_is_recorded_once_per_tenant(service, stub, js) -> None:
    first, second = await known_opportunity(js), await known_opportunity(js)
    await stub.RecordPayment(request(first, reference="CMB-7788"), metadata=FINANCE.metadata())
    for opportunity_id in (first, second):
        duplicate = request(opportunity_id, reference="CMB-7788")
        remote = await refused(stub.RecordPayment, duplicate, metadata=FINANCE.metadata())
        assert remote.code == grpc.StatusCode.ALREADY_EXISTS
        assert "CMB-7788" in remote.message
    # Payments without a reference never collide, and another tenant's bank
    # references are its own.
    for _ in range(2):
        await stub.RecordPayment(request(first), metadata=FINANCE.metadata())
    theirs = await known_opportunity(js, OTHER_TENANT)
    await stub.RecordPayment(request(theirs, reference="CMB-7788"), metadata=OTHER_TENANT.metadata())
    listed = await stub.ListPayments(pb.ListPaymentsRequest(opportunity_id=first), metadata=FINANCE.metadata())
    assert len(listed.payments) == 3


async def test_a_redelivered_opportunity_event_changes_nothing(service, stub, js) -> None:
    opportunity_id = new_id()
    original = opportunity_created("tenant-a", opportunity_id, owner_id="rep-1")
    await deliver(js, original)
    # The same event id again, with a new Nats-Msg-Id so JetStream does not
    # drop it, and with a different owner: were it applied, rep-1 would lose
    # the opportunity to rep-2.
    again = Envelope()
    again.CopyFrom(original)
    again.payload.Pack(OpportunityCreated(opportunity_id=opportunity_id, customer_name="x", owner_id="rep-2"))
    await deliver(js, original, msg_id=new_id())
    await deliver(js, again, msg_id=new_id())

    await stub.ListPayments(pb.ListPaymentsRequest(opportunity_id=opportunity_id), metadata=OWNER.metadata())
    remote = await refused(
        stub.ListPayments, pb.ListPaymentsRequest(opportunity_id=opportunity_id), metadata=OTHER_REP.metadata()
    )
    assert remote.code == grpc.StatusCode.PERMISSION_DENIED
    async with service.runtime.db.sessions() as session:
        handled = await session.scalar(
            sa.select(sa.func.count()).select_from(inbox_table).where(inbox_table.c.event_id == original.event_id)
        )
    assert handled == 1


async def test_tenants_do_not_see_each_others_opportunities_or_payments(service, stub, js) -> None:
    opportunity_id = await known_opportunity(js)
    await stub.RecordPayment(request(opportunity_id), metadata=FINANCE.metadata())
    remote = await refused(stub.RecordPayment, request(opportunity_id), metadata=OTHER_TENANT.metadata())
    assert remote.code == grpc.StatusCode.FAILED_PRECONDITION
    remote = await refused(
        stub.ListPayments, pb.ListPaymentsRequest(opportunity_id=opportunity_id), metadata=OTHER_TENANT.metadata()
    )
    assert remote.code == grpc.StatusCode.FAILED_PRECONDITION
