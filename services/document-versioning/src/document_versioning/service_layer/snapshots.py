"""Snapshots: a version frozen for an opportunity (submitted for approval,
shown to the customer), listed from the opportunity. Freezing needs write
access to the opportunity; listing read access. A snapshot is never changed
or removed."""

from __future__ import annotations

from collections.abc import Callable

from crm.events.v1 import document_pb2
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, InvalidArgument
from crm_shared.ids import new_id
from crm_shared.paging import decode_token, encode_token, page_size
from crm_shared.subject_access import SubjectAccess

from document_versioning.domain.access import READERS, SNAPSHOTTERS
from document_versioning.domain.snapshot import PURPOSES, Snapshot, check_of_opportunity, freeze, validate_request
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork
from document_versioning.service_layer.versions import VersionHandlers

UowFactory = Callable[[], DocumentVersioningUnitOfWork]


class SnapshotHandlers:
    def __init__(self, uow: UowFactory, access: SubjectAccess, versions: VersionHandlers) -> None:
        self.uow = uow
        self.access = access
        self.versions = versions

    async def create(
        self, caller: Caller, version_id: str, opportunity_id: str, purpose: str, note: str = ""
    ) -> tuple[Snapshot, bool]:
        """The snapshot, and True when it existed already (this version, opportunity and purpose)."""
        caller.require_role(*SNAPSHOTTERS)
        version_id, opportunity_id, purpose = version_id.strip(), opportunity_id.strip(), purpose.strip()
        validate_request(version_id, opportunity_id, purpose, note)
        document, version = await self.versions.readable_version(caller, version_id)
        check_of_opportunity(document, opportunity_id)
        await self.access.require(caller, "opportunity", opportunity_id, write=True)
        async with self.uow() as uow:
            existing = await uow.snapshots.find(caller.tenant_id, version_id, opportunity_id, purpose)
            if existing is not None:
                return existing, True
            snapshot = freeze(
                snapshot_id=new_id(),
                document=document,
                version=version,
                purpose=purpose,
                note=note,
                by=caller.user_id,
                now=uow.clock.now(),
            )
            if not await uow.snapshots.add(snapshot):
                # A concurrent call froze it first (committed, so this transaction's next read sees it).
                taken = await uow.snapshots.find(caller.tenant_id, version_id, opportunity_id, purpose)
                if taken is None:
                    raise Conflict(f"version {version_id} is being frozen concurrently; try again")
                return taken, True
            await uow.publish(
                "document.snapshot_created",
                snapshot.tenant_id,
                snapshot.document_id,
                document_pb2.DocumentSnapshotCreated(
                    snapshot_id=snapshot.snapshot_id,
                    document_id=snapshot.document_id,
                    version_id=snapshot.version_id,
                    version_number=snapshot.version_number,
                    opportunity_id=snapshot.opportunity_id,
                    purpose=snapshot.purpose,
                    sha256=snapshot.sha256,
                    created_by=snapshot.created_by,
                ),
            )
            await uow.commit()
        return snapshot, False

    async def list_for(
        self, caller: Caller, opportunity_id: str, purpose: str = "", size: int = 0, token: str = ""
    ) -> tuple[list[Snapshot], str]:
        """An opportunity's snapshots, newest first, a page at a time."""
        caller.require_role(*READERS)
        opportunity_id, purpose = opportunity_id.strip(), purpose.strip()
        if not opportunity_id:
            raise InvalidArgument.field("opportunity_id", "is required")
        if purpose and purpose not in PURPOSES:
            raise InvalidArgument.field("purpose", f"must be one of {', '.join(PURPOSES)}")
        limit = page_size(size)
        before = decode_token(token)
        await self.access.require(caller, "opportunity", opportunity_id)
        async with self.uow() as uow:
            page = await uow.snapshots.list_for(
                caller.tenant_id, opportunity_id, purpose, before=before, limit=limit + 1
            )
        more = len(page) > limit
        page = page[:limit]
        return page, encode_token(page[-1].created_at, page[-1].snapshot_id) if more else ""
