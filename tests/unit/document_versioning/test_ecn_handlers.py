"""ECN use cases on fakes (service_layer/ecns.py): publishing names each
affected order once, decided by the opportunity's deciding equipment list
(the signed contract in force, else the newest latest version), found a page
of candidates at a time by model; the notice, the ECN and ecn.published
commit together — a process dying between them leaves nothing, and a retry
publishes once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.domain.errors import AlreadyExists, InvalidArgument, PermissionDenied
from crm_shared.testing import DEFAULT_NOW, FakeSubjectAccess
from document_versioning.domain.delivery import record_from
from document_versioning.domain.document import VersionHeader
from document_versioning.domain.fields import VersionFields, parse_fields
from document_versioning.service_layer.contracts import ContractHandlers, SignedFile
from document_versioning.service_layer.deliveries import delivery_recorded
from document_versioning.service_layer.ecns import EcnHandlers
from document_versioning.service_layer.versions import VersionHandlers

from tests.support.documents import PROPOSAL_VERSIONS
from tests.unit.document_versioning.fakes import (
    Dying,
    FakeBlobRows,
    FakeBlobStore,
    FakeContracts,
    FakeDeliveries,
    FakeDocuments,
    FakeEcns,
    FakeTypes,
    TransactionalUnitOfWork,
)

REP = Caller("t-1", "rep-1", "rep")
ENGINEERING = Caller("t-1", "chenjing", "reviewer")
WITH_HX280 = PROPOSAL_VERSIONS[0].fields()  # HX-280 and MT-12
NOTICE = SignedFile("ECN-2026-031.pdf", "application/pdf", b"%PDF ECN-2026-031")


def without_hx280(fields: dict) -> dict:
    equipment = [e for e in fields["equipment"] if e["model"] != "HX-280"]
    return fields | {
        "equipment": equipment,
        "total_minor": sum(e["quantity"] * e["unit_price_minor"] for e in equipment),
    }


class FakeOpportunities:
    async def customer_of(self, caller: Caller, opportunity_id: str) -> str:
        return f"cust-of-{opportunity_id}"


@dataclass
class World:
    documents: FakeDocuments
    ecns: FakeEcns
    uow: TransactionalUnitOfWork
    clock: FixedClock
    access: FakeSubjectAccess
    versions: VersionHandlers
    contracts: ContractHandlers

    def handlers(self, page_size: int = 500) -> EcnHandlers:
        return EcnHandlers(lambda: self.uow, self.versions, page_size=page_size)

    async def file(self, opportunity_id: str, fields: dict, doc_type: str = "技术方案", document_id: str = "") -> str:
        """A version on the opportunity (a new document, or the next version of `document_id`), a minute later."""
        self.clock.advance(timedelta(minutes=1))
        filing = (
            {"document_id": document_id}
            if document_id
            else {"opportunity_id": opportunity_id, "doc_type": doc_type, "title": doc_type}
        )
        header = VersionHeader(filename="清单.pdf", fields=parse_fields_dict(fields), **filing)
        stored = await self.versions.upload(REP, header, f"%PDF {opportunity_id} {self.clock.now()}".encode())
        return stored.version.version_id

    async def signed_contract(self, opportunity_id: str, fields: dict, label: str) -> str:
        view = await self.contracts.create(REP, opportunity_id, "采购合同")
        contract_id = view.contract.contract_id
        self.clock.advance(timedelta(minutes=1))
        header = VersionHeader(
            subject_type="contract",
            subject_id=contract_id,
            doc_type="合同",
            title="采购合同",
            filename="合同.pdf",
            fields=parse_fields_dict(fields),
        )
        draft = (await self.versions.upload(REP, header, f"%PDF 合同 {contract_id}".encode())).version.version_id
        async with self.uow as uow:
            await self.contracts.approval_requested(uow, "t-1", f"a-{contract_id}", draft)
            await self.contracts.approval_decided(uow, "t-1", f"a-{contract_id}", "approved")
            await uow.commit()
        await self.contracts.sign(
            ENGINEERING,
            contract_id,
            draft,
            label=label,
            signed_on="2026-03-01",
            parties=["甲方"],
            signed_file=SignedFile("s.pdf", "application/pdf", f"%PDF signed {contract_id}".encode()),
        )
        return contract_id


def parse_fields_dict(fields: dict) -> VersionFields | None:
    return parse_fields(json.dumps(fields))


@pytest.fixture
def world() -> World:
    documents = FakeDocuments()
    ecns = FakeEcns(documents)
    clock = FixedClock(DEFAULT_NOW)
    uow = TransactionalUnitOfWork(
        documents=documents,
        blobs=FakeBlobRows(),
        document_types=FakeTypes(),
        contracts=FakeContracts(documents),
        ecns=ecns,
        deliveries=FakeDeliveries(),
    )
    uow.clock = clock
    access = FakeSubjectAccess()
    for n in range(1, 10):
        access.allow(REP, f"opp-{n}")
        access.allow(ENGINEERING, f"opp-{n}", write=False)
    versions = VersionHandlers(lambda: uow, access, FakeBlobStore())
    contracts = ContractHandlers(lambda: uow, access, versions, FakeOpportunities())
    return World(documents, ecns, uow, clock, access, versions, contracts)


async def publish(handlers: EcnHandlers, number: str = "ECN-2026-031", models: list[str] | None = None):
    return await handlers.publish(
        ENGINEERING,
        number=number,
        title="HX-280 液压站更换为伺服泵",
        change="液压站由定量泵改为伺服泵",
        effective_date="2026-12-15",
        affected_models=models or ["hx-280 "],
        notice=NOTICE,
    )


async def orders_world(w: World) -> dict[str, str]:
    """Opportunities whose lists do and do not reach HX-280; the contracts signed on two of them."""
    await w.file("opp-1", WITH_HX280)
    await w.file("opp-2", without_hx280(WITH_HX280))
    # Two documents naming the model on one opportunity: one order, from the newer list.
    await w.file("opp-3", WITH_HX280)
    quote3 = await w.file("opp-3", WITH_HX280, doc_type="报价单")
    # Only the latest version of a document counts: HX-280 was dropped from it.
    first = await w.file("opp-4", WITH_HX280)
    await w.file("opp-4", without_hx280(WITH_HX280), document_id=w.documents.versions[("t-1", first)].document_id)
    # The signed contract in force decides, whatever the newer proposal says.
    k5 = await w.signed_contract("opp-5", WITH_HX280, "V3.2")
    await w.file("opp-5", without_hx280(WITH_HX280))
    await w.signed_contract("opp-6", without_hx280(WITH_HX280), "V1")
    await w.file("opp-6", WITH_HX280)
    return {"quote3": quote3, "k5": k5}


async def test_an_ecn_names_each_affected_order_once_by_its_deciding_list(world: World) -> None:
    w = world
    made = await orders_world(w)
    ecn = await publish(w.handlers())
    assert [o.opportunity_id for o in ecn.orders] == ["opp-1", "opp-3", "opp-5"]
    by_opp = {o.opportunity_id: o for o in ecn.orders}
    assert by_opp["opp-3"].version_id == made["quote3"] and by_opp["opp-3"].doc_type == "报价单"
    assert (by_opp["opp-5"].contract_id, by_opp["opp-5"].contract_label) == (made["k5"], "V3.2")
    assert all(o.models == ("hx-280",) for o in ecn.orders)  # as the ECN spells them
    (event,) = w.uow.events("ecn.published")
    assert [o.opportunity_id for o in event.orders] == ["opp-1", "opp-3", "opp-5"]
    assert event.version_id == ecn.version_id
    # The notice is filed on the ECN's own subject, by the publisher.
    notice = w.documents.documents[("t-1", ecn.document_id)]
    assert (notice.subject_type, notice.subject_id, notice.created_by) == ("ecn", ecn.ecn_id, "chenjing")


async def test_candidates_are_read_a_page_at_a_time_by_model_with_the_same_answer(world: World) -> None:
    w = world
    await orders_world(w)
    whole = await publish(w.handlers())
    w.ecns.asked.clear()
    paged = await publish(w.handlers(page_size=2), number="ECN-2026-032")
    assert paged.orders == whole.orders
    # Asked by the model's key only, two opportunities at a time, each page after the last one's end.
    assert w.ecns.asked == [(("hx-280",), "", 2), (("hx-280",), "opp-3", 2), (("hx-280",), "opp-5", 2)]


async def test_a_model_nobody_lists_reaches_no_order_and_is_still_published(world: World) -> None:
    w = world
    await orders_world(w)
    ecn = await publish(w.handlers(), models=["ZZ-1"])
    assert ecn.orders == () and len(w.uow.events("ecn.published")) == 1


async def test_dying_between_the_notice_and_the_ecn_leaves_nothing_and_a_retry_publishes_once(world: World) -> None:
    w = world
    await orders_world(w)
    documents, published = dict(w.documents.documents), len(w.uow.published)
    w.ecns.die_on_add = 1  # the notice's version is written; the process dies storing the ECN
    with pytest.raises(Dying):
        await publish(w.handlers())
    assert w.documents.documents == documents and len(w.uow.published) == published and not w.ecns.ecns
    ecn = await publish(w.handlers())
    assert [t for t, *_ in w.uow.published[published:]] == ["document.version_created", "ecn.published"]
    # One number, one notice: publishing it again is refused and stores nothing.
    after = (dict(w.documents.documents), len(w.uow.published))
    with pytest.raises(AlreadyExists):
        await publish(w.handlers())
    assert (dict(w.documents.documents), len(w.uow.published)) == after
    assert [e.ecn_id for e in w.ecns.ecns.values()] == [ecn.ecn_id]


async def test_a_concurrent_publication_of_the_number_rolls_back_its_notice(world: World) -> None:
    w = world
    first = await publish(w.handlers())
    documents, published = dict(w.documents.documents), len(w.uow.published)

    async def not_yet(tenant_id: str, number: str) -> bool:
        return False  # the other publication committed after this one's early check

    w.ecns.number_taken = not_yet
    with pytest.raises(AlreadyExists):  # the unique number refuses it in the transaction
        await publish(w.handlers())
    assert w.documents.documents == documents and len(w.uow.published) == published
    assert list(w.ecns.ecns.values()) == [first]


async def test_only_engineering_publishes_and_bad_input_stores_nothing(world: World) -> None:
    w = world
    with pytest.raises(PermissionDenied):
        await w.handlers().publish(
            REP,
            number="E-1",
            title="t",
            change="c",
            effective_date="2026-12-15",
            affected_models=["HX-280"],
            notice=NOTICE,
        )
    with pytest.raises(InvalidArgument) as bad:
        await w.handlers().publish(
            ENGINEERING, number="E-1", title="t", change="c", effective_date="soon", affected_models=[], notice=NOTICE
        )
    assert {"effective_date", "affected_models"} <= {v.field for v in bad.value.violations}
    assert not w.documents.versions and not w.uow.published and not w.ecns.ecns


def delivery(contract_id: str, on: str, at_minutes: int, *, kind: str = "delivery", opportunity_id: str = "opp-5"):
    return record_from(
        tenant_id="t-1",
        contract_id=contract_id,
        kind=kind,
        opportunity_id=opportunity_id,
        on=on,
        delivery_id=f"d-{kind}-{at_minutes}",
        recorded_by="rep-1",
        recorded_at=DEFAULT_NOW + timedelta(minutes=at_minutes),
    )


async def test_a_delivered_order_is_listed_as_delivered_and_not_sent_for_confirmation(world: World) -> None:
    w = world
    made = await orders_world(w)
    first, corrected = delivery(made["k5"], "2026-03-10", 60), delivery(made["k5"], "2026-03-12", 120)
    async with w.uow as uow:
        await delivery_recorded(uow, first)
        await delivery_recorded(uow, corrected)
        await delivery_recorded(uow, first)  # the older record arriving late brings nothing back
        await uow.commit()
    ecn = await publish(w.handlers())
    by_opp = {o.opportunity_id: o for o in ecn.orders}
    assert set(by_opp) == {"opp-1", "opp-3", "opp-5"}  # the ECN still names every affected order
    assert by_opp["opp-5"].delivered and by_opp["opp-5"].delivered_on == date(2026, 3, 12)
    assert not by_opp["opp-1"].delivered and not by_opp["opp-3"].delivered
    (event,) = w.uow.events("ecn.published")
    # Opportunity makes confirmation tasks of `orders` only: the delivered one is a retrofit notice.
    assert [o.opportunity_id for o in event.orders] == ["opp-1", "opp-3"]
    assert not any(o.delivered for o in event.orders)
    [retrofit] = event.delivered_orders
    assert (retrofit.opportunity_id, retrofit.contract_id, retrofit.contract_label) == ("opp-5", made["k5"], "V3.2")
    assert (retrofit.delivered, retrofit.delivered_on, retrofit.accepted_on) == (True, "2026-03-12", "")


async def test_an_acceptance_alone_counts_as_delivered_and_a_record_of_another_opportunity_does_not(
    world: World,
) -> None:
    w = world
    made = await orders_world(w)
    async with w.uow as uow:
        await delivery_recorded(uow, delivery(made["k5"], "2026-03-20", 60, kind="acceptance"))
        await uow.commit()
    ecn = await publish(w.handlers())
    order = next(o for o in ecn.orders if o.opportunity_id == "opp-5")
    assert order.delivered and (order.delivered_on, order.accepted_on) == (None, date(2026, 3, 20))
    async with w.uow as uow:
        uow.deliveries.records.clear()
        await delivery_recorded(uow, delivery(made["k5"], "2026-03-20", 90, opportunity_id="opp-1"))
        await uow.commit()
    again = await publish(w.handlers(), number="ECN-2026-032")
    assert not any(o.delivered for o in again.orders)
    assert [o.opportunity_id for o in w.uow.events("ecn.published")[-1].orders] == ["opp-1", "opp-3", "opp-5"]
