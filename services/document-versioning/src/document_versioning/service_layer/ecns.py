"""Use cases of engineering change notices: publish one (its document
through the one version path, the orders its models reach, ecn.published),
read them. ECNs are tenant-wide internal material: every internal role
reads them, 工程部 (reviewers and admins) publishes; partners see none."""

from __future__ import annotations

from collections.abc import Callable

from crm.events.v1 import contract_pb2 as events
from crm_shared.context import Caller
from crm_shared.domain.errors import AlreadyExists, NotFound
from crm_shared.ids import new_id

from document_versioning.domain import ecn as rules
from document_versioning.domain.document import VersionHeader
from document_versioning.domain.ecn import Ecn, EquipmentSource
from document_versioning.service_layer.contracts import SignedFile, as_service, check_file
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork
from document_versioning.service_layer.versions import VersionHandlers

UowFactory = Callable[[], DocumentVersioningUnitOfWork]


class EcnHandlers:
    def __init__(self, uow: UowFactory, versions: VersionHandlers) -> None:
        self.uow = uow
        self.versions = versions

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
        # The role was checked above; the service files the notice under its own subject.
        stored = await self.versions.upload(
            as_service(caller),
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
        async with self.uow() as uow:
            sources = await uow.ecns.latest_equipment_lists(caller.tenant_id)
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
                for contract, cv in await uow.contracts.in_force(caller.tenant_id)
            ]
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
                orders=rules.affected_orders(draft.affected_models, sources),
            )
            if not await uow.ecns.add(ecn):
                raise AlreadyExists(f"ECN {draft.number} is already published")
            await uow.publish("ecn.published", ecn.tenant_id, ecn.ecn_id, _published(ecn))
            await uow.commit()
        return ecn

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
    return events.EcnPublished(
        ecn_id=ecn.ecn_id,
        number=ecn.number,
        title=ecn.title,
        change=ecn.change,
        effective_date=ecn.effective_date.isoformat(),
        affected_models=list(ecn.affected_models),
        version_id=ecn.version_id,
        orders=[
            events.EcnOrder(
                opportunity_id=o.opportunity_id,
                contract_id=o.contract_id,
                contract_label=o.contract_label,
                version_id=o.version_id,
                doc_type=o.doc_type,
                models=list(o.models),
            )
            for o in ecn.orders
        ],
    )
