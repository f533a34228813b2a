"""Use cases of contracts: open one on an opportunity, learn its review from
approval events, sign an approved version (the signed PDF uploaded, or an
e-signature provider's verified callback), and answer which version is in
force. Access follows the contract's opportunity (crm_shared.subject_access),
checked before a unit of work opens.

The signed PDF becomes a version through the one path that makes versions
(VersionHandlers.create_with), in the same transaction as the signing and its
events, as the service itself: the signer's role
and access were checked here (法务 are reviewers and admins, who are not
document uploaders), and the version records the signer as its author."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, InvalidArgument, NotFound
from crm_shared.ids import new_id
from crm_shared.roles import SYSTEM
from crm_shared.subject_access import SubjectAccess

from document_versioning.adapters.opportunity_directory import OpportunityDirectory
from document_versioning.domain import contract as rules
from document_versioning.domain.contract import Contract, ContractVersion, Signing
from document_versioning.domain.document import VersionHeader
from document_versioning.service_layer.contract_events import signed_event, superseded_event
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork
from document_versioning.service_layer.versions import Stored, VersionHandlers

UowFactory = Callable[[], DocumentVersioningUnitOfWork]
MAX_FILENAME = 255


@dataclass(frozen=True)
class ContractView:
    contract: Contract
    versions: tuple[ContractVersion, ...]

    @property
    def state(self) -> str:
        return rules.state_of(self.versions)

    @property
    def in_force(self) -> ContractVersion | None:
        return rules.in_force(self.versions)


@dataclass(frozen=True)
class SignedFile:
    filename: str
    content_type: str
    content: bytes


def _missing(contract_id: str) -> str:
    return f"contract {contract_id} not found"


class ContractHandlers:
    def __init__(
        self,
        uow: UowFactory,
        access: SubjectAccess,
        versions: VersionHandlers,
        opportunities: OpportunityDirectory,
        esign_providers: Iterable[str] = (),
    ) -> None:
        self.uow = uow
        self.access = access
        self.versions = versions
        self.opportunities = opportunities
        self.esign_providers = tuple(esign_providers)

    async def create(self, caller: Caller, opportunity_id: str, title: str, contract_number: str = "") -> ContractView:
        caller.require_role(*rules.CREATORS)
        opportunity_id, title, contract_number = rules.validate_new(opportunity_id, title, contract_number)
        await self.access.require(caller, "opportunity", opportunity_id, write=True)
        customer_id = await self.opportunities.customer_of(caller, opportunity_id)
        async with self.uow() as uow:
            contract = Contract(
                contract_id=new_id(),
                tenant_id=caller.tenant_id,
                opportunity_id=opportunity_id,
                customer_id=customer_id,
                title=title,
                created_by=caller.user_id,
                created_at=uow.clock.now(),
                contract_number=contract_number,
            )
            await uow.contracts.add(contract)
            await uow.commit()
        return ContractView(contract, ())

    async def get(self, caller: Caller, contract_id: str) -> ContractView:
        view = await self._view(caller, contract_id)
        await self._require_read(caller, view.contract)
        return view

    async def list(self, caller: Caller, opportunity_id: str) -> list[ContractView]:
        caller.require_role(*rules.READERS)
        opportunity_id = opportunity_id.strip()
        if not opportunity_id:
            raise InvalidArgument.field("opportunity_id", "is required")
        await self.access.require(caller, "opportunity", opportunity_id)
        async with self.uow() as uow:
            found = await uow.contracts.for_opportunity(caller.tenant_id, opportunity_id)
            return [ContractView(c, tuple(await uow.contracts.versions(c.tenant_id, c.contract_id))) for c in found]

    async def in_force(self, caller: Caller, opportunity_id: str) -> tuple[Contract, ContractVersion] | None:
        """The signed version in force for the opportunity (the newest signing if several contracts have one)."""
        caller.require_role(*rules.READERS)
        opportunity_id = opportunity_id.strip()
        if not opportunity_id:
            raise InvalidArgument.field("opportunity_id", "is required")
        await self.access.require(caller, "opportunity", opportunity_id)
        async with self.uow() as uow:
            found = await uow.contracts.in_force(caller.tenant_id, opportunity_id)
        return found[0] if found else None

    # -- review: the approval service's events ------------------------------------------------

    async def approval_requested(
        self, uow: DocumentVersioningUnitOfWork, tenant_id: str, approval_id: str, version_id: str
    ) -> None:
        """A request naming a contract's draft puts it under review (the consumer's uow commits)."""
        if not version_id:
            return
        draft = await uow.contracts.draft(tenant_id, version_id)
        if draft is None or draft.subject_type != rules.SUBJECT:
            return
        contract = await uow.contracts.get(tenant_id, draft.subject_id)
        if contract is None or contract.opportunity_id != draft.opportunity_id:
            return  # a document filed on the contract under another opportunity is none of its drafts
        existing = await uow.contracts.version(tenant_id, version_id)
        changed = rules.review_requested(
            existing,
            tenant_id=tenant_id,
            contract_id=draft.subject_id,
            version_id=version_id,
            approval_id=approval_id,
            now=uow.clock.now(),
        )
        if changed is None:
            return
        if existing is None:
            await uow.contracts.add_version(changed)
        else:
            await uow.contracts.save_version(changed, was=existing.state)

    async def approval_decided(
        self, uow: DocumentVersioningUnitOfWork, tenant_id: str, approval_id: str, decision: str
    ) -> None:
        cv = await uow.contracts.by_approval(tenant_id, approval_id)
        if cv is None:
            return
        changed = rules.review_decided(cv, approval_id, decision)
        if changed is not None:
            await uow.contracts.save_version(changed, was=cv.state)

    # -- signing --------------------------------------------------------------------------------

    async def sign(
        self,
        caller: Caller,
        contract_id: str,
        version_id: str,
        *,
        label: str,
        signed_on: str,
        parties: list[str],
        signed_file: SignedFile,
    ) -> ContractView:
        """法务 after the seal: the signed PDF, the signing date and the parties."""
        caller.require_role(*rules.SIGNERS)
        view = await self._view(caller, contract_id)
        await self._require_read(caller, view.contract)
        cv = self._version_of(view, version_id)
        if rules.signed_with(cv, hashlib.sha256(signed_file.content).hexdigest()):
            return view  # a retried signing (its answer lost): done once, answered as it is
        rules.check_signable(cv)
        now_parties = rules.check_parties(parties, required=True)
        async with self.uow() as uow:
            signing = Signing(
                label=rules.check_label(label or rules.default_label(view.versions), cv, view.versions),
                signed_on=rules.parse_signed_on(signed_on, uow.clock.now()),
                parties=now_parties,
                via="upload",
                by=caller.user_id,
            )
            draft = await uow.contracts.draft(caller.tenant_id, cv.version_id)
        check_file(signed_file)
        assert draft is not None  # a contract version is always one of the contract's drafts
        service = as_service(caller)
        # The unary upload path (the size limits, the blob store), then the signed PDF's version and
        # the signing in one transaction: a failure between them leaves neither.
        staged = await self.versions.stage_bytes(
            service,
            VersionHeader(
                document_id=draft.document_id,
                filename=signed_file.filename.strip(),
                content_type=signed_file.content_type.strip(),
                change_summary=f"签署版 {signing.label}（{signing.signed_on.isoformat()}）",
            ),
            signed_file.content,
        )

        async def record(uow: DocumentVersioningUnitOfWork, stored: Stored) -> None:
            version = stored.version
            await self._record_signing(uow, view.contract, cv.version_id, signing, version.version_id, version.sha256)

        await self.versions.create_with(service, staged, record)
        return await self._view(caller, contract_id)

    async def send_for_esign(
        self, caller: Caller, contract_id: str, version_id: str, *, label: str, provider: str, provider_document_id: str
    ) -> ContractView:
        """Map the provider's signing flow to an approved version; its callback will name it."""
        caller.require_role(*rules.SIGNERS)
        provider, provider_document_id = rules.check_provider(provider, provider_document_id, self.esign_providers)
        view = await self._view(caller, contract_id)
        await self._require_read(caller, view.contract)
        cv = self._version_of(view, version_id)
        chosen = rules.check_label(label or rules.default_label(view.versions), cv, view.versions)
        async with self.uow() as uow:
            if await uow.contracts.by_esign(caller.tenant_id, provider, provider_document_id):
                raise InvalidArgument.field("provider_document_id", "is already mapped to a contract version")
            sent = rules.send_for_esign(cv, provider=provider, provider_document_id=provider_document_id, label=chosen)
            if not await uow.contracts.save_version(sent, was=cv.state):
                raise Conflict(f"contract version {cv.version_id} was changed concurrently; try again")
            await uow.commit()
        return await self._view(caller, contract_id)

    async def record_esignature(
        self,
        caller: Caller,
        *,
        provider: str,
        provider_document_id: str,
        signed_sha256: str,
        signed_on: str,
        parties: list[str],
    ) -> ContractView:
        """The provider's callback, its HMAC verified by the gateway. The signed
        file was uploaded as a version of the contract first; a hash no version
        of the contract has is refused and changes nothing. A repeated callback
        for the same signature answers the contract as it is."""
        caller.require_role(*rules.SIGNERS)
        sha = rules.check_sha256(signed_sha256)
        missing = f"no contract version is being signed as {provider}/{provider_document_id}"
        async with self.uow() as uow:
            cv = await uow.contracts.by_esign(caller.tenant_id, provider.strip(), provider_document_id.strip())
            if cv is None:
                raise NotFound(missing)
            contract = await uow.contracts.get(caller.tenant_id, cv.contract_id)
            assert contract is not None
            if not rules.signed_with(cv, sha):
                rules.check_signable(cv)
                signed = await uow.contracts.draft_with_sha(caller.tenant_id, contract.contract_id, sha)
                if signed is None or signed.opportunity_id != contract.opportunity_id:
                    raise InvalidArgument.field(
                        "signed_sha256",
                        f"no version of contract {contract.contract_id} has this content; upload the signed file first",
                    )
                signing = Signing(
                    label=cv.label,
                    signed_on=rules.parse_signed_on(signed_on, uow.clock.now()),
                    parties=rules.check_parties(parties, required=False),
                    via=f"esign:{cv.esign_provider}",
                    by=caller.user_id,
                )
                await self._record_signing(uow, contract, cv.version_id, signing, signed.version_id, sha)
                await uow.commit()
            return ContractView(contract, tuple(await uow.contracts.versions(caller.tenant_id, contract.contract_id)))

    async def _record_signing(
        self,
        uow: DocumentVersioningUnitOfWork,
        contract: Contract,
        version_id: str,
        signing: Signing,
        signed_version_id: str,
        sha256: str,
    ) -> None:
        """The version signed, the one in force before it superseded, both announced, in the caller's
        unit of work (which commits)."""
        now = uow.clock.now()
        versions = await uow.contracts.versions(contract.tenant_id, contract.contract_id)
        cv = next(v for v in versions if v.version_id == version_id)
        draft = await uow.contracts.draft(contract.tenant_id, version_id)
        fields = draft.fields if draft else None
        signed = rules.sign(
            cv, signing, signed_version_id=signed_version_id, signed_sha256=sha256, fields=fields, now=now
        )
        previous = rules.in_force(versions)
        if previous is not None:
            old = rules.supersede(previous, signed, now)
            if not await uow.contracts.save_version(old, was=previous.state):
                raise Conflict(f"contract {contract.contract_id} was signed concurrently; try again")
            await uow.publish(
                "contract.superseded", contract.tenant_id, contract.contract_id, superseded_event(contract, old, signed)
            )
        if not await uow.contracts.save_version(signed, was=cv.state):
            raise Conflict(f"contract version {version_id} was changed concurrently; try again")
        number = draft.version_number if draft else 0
        await uow.publish(
            "contract.signed",
            contract.tenant_id,
            contract.contract_id,
            signed_event(contract, signed, number, previous.version_id if previous else ""),
        )

    # -- helpers -------------------------------------------------------------------------------

    async def _view(self, caller: Caller, contract_id: str) -> ContractView:
        async with self.uow() as uow:
            contract = await uow.contracts.get(caller.tenant_id, contract_id.strip())
            if contract is None:
                raise NotFound(_missing(contract_id))
            return ContractView(contract, tuple(await uow.contracts.versions(caller.tenant_id, contract.contract_id)))

    async def _require_read(self, caller: Caller, contract: Contract) -> None:
        if caller.role not in rules.READERS:
            raise NotFound(_missing(contract.contract_id))
        await self.access.require(
            caller, "opportunity", contract.opportunity_id, missing=_missing(contract.contract_id)
        )

    @staticmethod
    def _version_of(view: ContractView, version_id: str) -> ContractVersion:
        cv = next((v for v in view.versions if v.version_id == version_id.strip()), None)
        if cv is None:
            raise InvalidArgument.field(
                "version_id",
                f"is not a reviewed version of contract {view.contract.contract_id}; submit it for approval first",
            )
        return cv


def as_service(caller: Caller) -> Caller:
    """The service storing a file for a user it has checked: the version's author stays the user."""
    return Caller(caller.tenant_id, caller.user_id, SYSTEM, caller.trace_id)


def check_file(signed_file: SignedFile) -> None:
    if not signed_file.content:
        raise InvalidArgument.field("content", "the signed file must not be empty")
    if not signed_file.filename.strip() or len(signed_file.filename) > MAX_FILENAME:
        raise InvalidArgument.field("filename", f"must be 1 to {MAX_FILENAME} characters")
    if len(signed_file.content_type) > 255:
        raise InvalidArgument.field("content_type", "is longer than 255 characters")
