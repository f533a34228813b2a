"""finance-reconciliation as a real process would run: gRPC, database,
outbox to JetStream, the opportunity projection fed from JetStream, and
opportunity (in-process, real gRPC) deciding who may record and see an
opportunity's payments."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

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
from crm.opportunity.v1 import customer_pb2, customer_pb2_grpc
from crm_shared.context import Caller
from crm_shared.db import inbox_table
from crm_shared.events import make_envelope, unpack
from crm_shared.grpc_errors import decode_rpc_error
from crm_shared.ids import new_id
from finance_reconciliation.adapters.orm import opportunities, payments
from finance_reconciliation.bootstrap import build
from finance_reconciliation.config import Settings
from finance_reconciliation.entrypoints.consumers import OPPORTUNITY_CREATED_DURABLE
from tests.integration.gateway.conftest import nowhere
from tests.support.infra import RunningService, eventually, migrate, run_service
from tests.support.subjects import Opportunities, opportunity_service, reserve

FINANCE = Caller("tenant-a", "fin-1", "finance")
OWNER = Caller("tenant-a", "rep-1", "rep")
OTHER_REP = Caller("tenant-a", "rep-2", "rep")
MANAGER = Caller("tenant-a", "mgr-1", "manager")  # manages rep-1
OTHER_MANAGER = Caller("tenant-a", "mgr-2", "manager")  # manages rep-2
ADMIN = Caller("tenant-a", "admin-1", "admin")
REVIEWER = Caller("tenant-a", "rev-1", "reviewer")
PARTNER = Caller("tenant-a", "p-1", "partner")
OTHER_TENANT = Caller("tenant-b", "fin-9", "finance")
OTHER_TENANT_REP = Caller("tenant-b", "rep-9", "rep")


@dataclass
class Stack:
    svc: RunningService
    opps: Opportunities

    @property
    def runtime(self):  # type: ignore[no-untyped-def]
        return self.svc.runtime

    async def stored(self) -> int:
        async with self.svc.runtime.db.sessions() as s:
            return await s.scalar(sa.select(sa.func.count()).select_from(payments))


@pytest.fixture
async def service(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    await migrate("finance-reconciliation", database_url)
    opportunity = reserve()
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, opportunity_addr=opportunity.address
    ) as running:
        async with opportunity_service(nats_url, database_url, tmp_path, opportunity) as opps:
            await opps.announce_reps("tenant-a", {"rep-1": "mgr-1", "rep-2": "mgr-2"})
            yield Stack(running, opps)


@pytest.fixture
async def js(nats_url: str):
    nc = await nats.connect(nats_url)
    yield nc.jetstream()
    await nc.close()


@pytest.fixture
def stub(service) -> pb_grpc.FinanceReconciliationServiceStub:
    return pb_grpc.FinanceReconciliationServiceStub(service.svc.channel)


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


async def known_opportunity(s: Stack, owner: Caller = OWNER) -> str:
    """An opportunity created in opportunity (which publishes opportunity.created to finance)."""
    return await s.opps.create(owner, name="柯桥 3 台剑杆织机")


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
    opportunity_id = await known_opportunity(service)
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


async def test_a_payment_right_after_the_opportunity_is_created_is_recorded(service, stub) -> None:
    """Whether the opportunity exists is opportunity's answer, not the projection's: no wait for its event."""
    opportunity_id = await known_opportunity(service)
    await stub.RecordPayment(request(opportunity_id), metadata=FINANCE.metadata())
    remote = await refused(stub.RecordPayment, request(new_id()), metadata=FINANCE.metadata())
    assert remote.code == grpc.StatusCode.NOT_FOUND
    assert await service.stored() == 1


async def test_bad_payments_name_every_field_and_store_nothing(service, stub, js) -> None:
    opportunity_id = await known_opportunity(service)
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


async def test_roles_are_enforced(service, stub) -> None:
    opportunity_id = await known_opportunity(service)
    for caller in (OWNER, MANAGER, REVIEWER, PARTNER):
        remote = await refused(stub.RecordPayment, request(opportunity_id), metadata=caller.metadata())
        assert remote.code == grpc.StatusCode.PERMISSION_DENIED, caller.role
    for caller in (REVIEWER, PARTNER):
        remote = await refused(
            stub.ListPayments, pb.ListPaymentsRequest(opportunity_id=opportunity_id), metadata=caller.metadata()
        )
        assert remote.code == grpc.StatusCode.PERMISSION_DENIED, caller.role
    assert await service.stored() == 0


async def test_who_sees_payments_follows_who_may_see_the_opportunity(service, stub) -> None:
    opportunity_id = await known_opportunity(service)
    await stub.RecordPayment(request(opportunity_id, reference="ICBC-0002"), metadata=FINANCE.metadata())

    def listing(caller: Caller, opp: str = opportunity_id):
        return stub.ListPayments(pb.ListPaymentsRequest(opportunity_id=opp), metadata=caller.metadata())

    for caller in (FINANCE, ADMIN, MANAGER, OWNER):
        assert [p.reference for p in (await listing(caller)).payments] == ["ICBC-0002"], caller
    # Another rep and a manager of another team do not see the opportunity: not found, as a missing id is.
    for caller in (OTHER_REP, OTHER_MANAGER):
        remote = await refused(stub.ListPayments, pb.ListPaymentsRequest(opportunity_id=opportunity_id),
                               metadata=caller.metadata())
        assert remote.code == grpc.StatusCode.NOT_FOUND, caller
    remote = await refused(stub.ListPayments, pb.ListPaymentsRequest(opportunity_id=new_id()),
                           metadata=OWNER.metadata())
    assert remote.code == grpc.StatusCode.NOT_FOUND

    # The customer changes hands: its payments go with it at once (finance's
    # projection still names the first owner; it decides nothing).
    customers = customer_pb2_grpc.CustomerServiceStub(service.opps.svc.channel)
    await customers.HandOverRep(
        customer_pb2.HandOverRepRequest(from_owner_id="rep-1", to_owner_id="rep-2"), metadata=ADMIN.metadata()
    )
    assert [p.reference for p in (await listing(OTHER_REP)).payments] == ["ICBC-0002"]
    assert [p.reference for p in (await listing(OTHER_MANAGER)).payments] == ["ICBC-0002"]
    for caller in (OWNER, MANAGER):
        remote = await refused(stub.ListPayments, pb.ListPaymentsRequest(opportunity_id=opportunity_id),
                               metadata=caller.metadata())
        assert remote.code == grpc.StatusCode.NOT_FOUND, caller


async def test_a_bank_reference_is_recorded_once_per_tenant(service, stub, js) -> None:
    first, second = await known_opportunity(service), await known_opportunity(service)
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
    theirs = await known_opportunity(service, OTHER_TENANT_REP)
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

    async with service.runtime.db.sessions() as session:
        projected = (
            await session.execute(sa.select(opportunities).where(opportunities.c.opportunity_id == opportunity_id))
        ).one()
        assert (projected.owner_id, projected.customer_name) == ("rep-1", "绍兴柯桥纺织机械有限公司")
        handled = await session.scalar(
            sa.select(sa.func.count()).select_from(inbox_table).where(inbox_table.c.event_id == original.event_id)
        )
    assert handled == 1


async def test_tenants_do_not_see_each_others_opportunities_or_payments(service, stub) -> None:
    opportunity_id = await known_opportunity(service)
    await stub.RecordPayment(request(opportunity_id), metadata=FINANCE.metadata())
    remote = await refused(stub.RecordPayment, request(opportunity_id), metadata=OTHER_TENANT.metadata())
    assert remote.code == grpc.StatusCode.NOT_FOUND
    remote = await refused(
        stub.ListPayments, pb.ListPaymentsRequest(opportunity_id=opportunity_id), metadata=OTHER_TENANT.metadata()
    )
    assert remote.code == grpc.StatusCode.NOT_FOUND
    assert await service.stored() == 1


async def test_without_opportunity_nothing_is_recorded(nats_url: str, database_url: str) -> None:
    await migrate("finance-reconciliation", database_url)
    async with run_service(
        build, Settings, nats_url=nats_url, database_url=database_url, opportunity_addr=nowhere(), access_timeout_s=1.0
    ) as running:
        stub = pb_grpc.FinanceReconciliationServiceStub(running.channel)
        remote = await refused(stub.RecordPayment, request("opp-1"), metadata=FINANCE.metadata())
        assert remote.code == grpc.StatusCode.UNAVAILABLE
        async with running.runtime.db.sessions() as session:
            assert await session.scalar(sa.select(sa.func.count()).select_from(payments)) == 0
