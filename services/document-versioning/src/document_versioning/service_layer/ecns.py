"""Use cases of engineering change notices: publish one (its document
through the one version path, the orders its models reach with their
contracts' deliveries, ecn.published), read them. ECNs are tenant-wide internal material: every internal role
reads them, 工程部 (reviewers and admins) publishes; partners see none."""

from __future__ import annotations

from collections.abc import Callable

from crm.events.v1 import contract_pb2 as events
from crm_shared.context import Caller
from crm_shared.domain.errors import AlreadyExists, NotFound
from crm_shared.ids import new_id

from document_versioning.domain import ecn as rules
from document_versioning.domain.delivery import by_contract
from document_versioning.domain.document import VersionHeader
from document_versioning.domain.ecn import AffectedOrder, Ecn, EquipmentSource
from document_versioning.service_layer.contracts import SignedFile, as_service, check_file
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork
from document_versioning.service_layer.versions import Stored, VersionHandlers

UowFactory = Callable[[], DocumentVersioningUnitOfWork]


class EcnHandlers:
    def __init__(self, uow: UowFactory, versions: VersionHandlers, *, page_size: int = 500) -> None:
        self.uow = uow
        self.versions = versions
        # Candidate opportunities matched per query when an ECN is published.
        self.page_size = page_size

    async def publish(
        self,
        caller: Caller,
        *,
        number: str,
        title: str,
        change: str,
        effective_date: str,
        affected_models: list[str],
        notice: SignedFile,
    ) -> Ecn:
        caller.require_role(*rules.PUBLISHERS)
        draft = rules.validate(
            number=number, title=title, change=change, effective_date=effective_date, affected_models=affected_models
        )
        check_file(notice)
        async with self.uow() as uow:
            if await uow.ecns.number_taken(caller.tenant_id, draft.number):
                raise AlreadyExists(f"ECN {draft.number} is already published")
        ecn_id = new_id()
        service = as_service(caller)  # the role was checked above; the service files the notice under its own subject
        staged = await self.versions.stage_bytes(
            service,
            VersionHeader(
                subject_type=rules.SUBJECT,
                subject_id=ecn_id,
                doc_type=rules.DOC_TYPE,
                title=f"{draft.number} {draft.title}",
                filename=notice.filename.strip(),
                content_type=notice.content_type.strip(),
                change_summary=draft.change[:500],
            ),
            notice.content,
        )

        async def record(uow: DocumentVersioningUnitOfWork, stored: Stored) -> Ecn:
            """The ECN, its orders and ecn.published in the notice's own transaction: all or nothing."""
            ecn = Ecn(
                ecn_id=ecn_id,
                tenant_id=caller.tenant_id,
                number=draft.number,
                title=draft.title,
                change=draft.change,
                effective_date=draft.effective_date,
                affected_models=draft.affected_models,
                document_id=stored.document.document_id,
                version_id=stored.version.version_id,
                published_by=caller.user_id,
                published_at=uow.clock.now(),
                orders=await self._affected_orders(uow, caller.tenant_id, draft.affected_models),
            )
            if not await uow.ecns.add(ecn):
                raise AlreadyExists(f"ECN {draft.number} is already published")
            await uow.publish("ecn.published", ecn.tenant_id, ecn.ecn_id, _published(ecn))
            return ecn

        return await self.versions.create_with(service, staged, record)

    async def _affected_orders(
        self, uow: DocumentVersioningUnitOfWork, tenant_id: str, models: tuple[str, ...]
    ) -> tuple[AffectedOrder, ...]:
        """The orders the models reach, a page of candidate opportunities at a time: those whose
        equipment lists ever named one of the models (the index by model), each then decided on its
        own lists (domain/ecn.py deciding_sources) — never a scan of the tenant."""
        keys = sorted({rules.model_key(m) for m in models})
        orders: list[AffectedOrder] = []
        after = ""
        while True:
            page = await uow.ecns.opportunities_listing(tenant_id, keys, after=after, limit=self.page_size)
            if not page:
                break
            sources = await uow.ecns.latest_equipment_lists(tenant_id, page)
            sources += [
                EquipmentSource(
                    opportunity_id=contract.opportunity_id,
                    version_id=cv.version_id,
                    doc_type="合同",
                    models=tuple(e.model for e in (cv.fields.equipment if cv.fields else ())),
                    created_at=cv.signed_at or cv.submitted_at,
                    contract_id=contract.contract_id,
                    contract_label=cv.label,
                    in_force=True,
                )
                for contract, cv in await uow.contracts.in_force(tenant_id, opportunity_ids=page)
            ]
            found = rules.affected_orders(models, sources)
            # Delivered orders as the opportunity recorded them (domain/delivery.py): a retrofit notice.
            records = await uow.deliveries.of_contracts(tenant_id, {o.contract_id for o in found if o.contract_id})
            orders += rules.with_deliveries(found, by_contract(records))
            if len(page) < self.page_size:
                break
            after = page[-1]
        return tuple(orders)

    async def get(self, caller: Caller, ecn_id: str) -> Ecn:
        missing = f"ECN {ecn_id} not found"
        if caller.role not in rules.READERS:
            raise NotFound(missing)
        async with self.uow() as uow:
            ecn = await uow.ecns.get(caller.tenant_id, ecn_id.strip())
        if ecn is None:
            raise NotFound(missing)
        return rules.as_seen_by(ecn, caller.role)

    async def list(self, caller: Caller) -> list[Ecn]:
        caller.require_role(*rules.READERS)
        async with self.uow() as uow:
            return [rules.as_seen_by(e, caller.role) for e in await uow.ecns.list(caller.tenant_id)]


def _published(ecn: Ecn) -> events.EcnPublished:
    """The orders not delivered yet for opportunity's confirmation tasks; the delivered ones apart."""
    return events.EcnPublished(
        ecn_id=ecn.ecn_id,
        number=ecn.number,
        title=ecn.title,
        change=ecn.change,
        effective_date=ecn.effective_date.isoformat(),
        affected_models=list(ecn.affected_models),
        version_id=ecn.version_id,
        orders=[_order(o) for o in rules.to_confirm(ecn.orders)],
        delivered_orders=[_order(o) for o in rules.retrofits(ecn.orders)],
    )


def _order(o: AffectedOrder) -> events.EcnOrder:
    return events.EcnOrder(**order_fields(o))


def order_fields(o: AffectedOrder) -> dict[str, object]:
    """An affected order's fields as both its messages name them (the event's EcnOrder, the read's
    EcnAffectedOrder); a day not recorded is empty."""
    return {
        "opportunity_id": o.opportunity_id,
        "contract_id": o.contract_id,
        "contract_label": o.contract_label,
        "version_id": o.version_id,
        "doc_type": o.doc_type,
        "models": list(o.models),
        "delivered": o.delivered,
        "delivered_on": o.delivered_on.isoformat() if o.delivered_on else "",
        "accepted_on": o.accepted_on.isoformat() if o.accepted_on else "",
    }
