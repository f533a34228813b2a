"""A tenant's document types: listed by every internal role, saved by admins.
A tenant with none stored has domain.document_type.DEFAULTS; its first save
stores the defaults with it, so they stay."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from crm_shared.context import Caller

from document_versioning.domain.document_type import DEFAULTS, EDITORS, READERS, DocumentType, check_room, validate_type
from document_versioning.service_layer.uow import DocumentVersioningUnitOfWork

UowFactory = Callable[[], DocumentVersioningUnitOfWork]


async def types_of(uow: DocumentVersioningUnitOfWork, tenant_id: str) -> tuple[DocumentType, ...]:
    return await uow.document_types.list(tenant_id) or DEFAULTS


class DocumentTypeHandlers:
    def __init__(self, uow: UowFactory) -> None:
        self.uow = uow

    async def list_types(self, caller: Caller) -> tuple[DocumentType, ...]:
        caller.require_role(*READERS)
        async with self.uow() as uow:
            return await types_of(uow, caller.tenant_id)

    async def save_type(self, caller: Caller, code: str, name: str, carries_fields: bool) -> tuple[DocumentType, bool]:
        """Adds a type or renames one (and whether it carries fields); types are never
        removed, since documents name them. True when it was added."""
        caller.require_role(*EDITORS)
        wanted = replace(validate_type(code, name), carries_fields=carries_fields)
        async with self.uow() as uow:
            await uow.document_types.lock_tenant(caller.tenant_id)
            stored = await uow.document_types.list(caller.tenant_id)
            if not stored:
                for position, default in enumerate(DEFAULTS):
                    await uow.document_types.add(caller.tenant_id, default, position)
                stored = DEFAULTS
            existing = next((t for t in stored if t.code == wanted.code), None)
            if existing is not None:
                saved = replace(existing, name=wanted.name, carries_fields=wanted.carries_fields)
                await uow.document_types.update(caller.tenant_id, saved)
            else:
                check_room(len(stored))
                saved = wanted
                await uow.document_types.add(caller.tenant_id, saved, len(stored))
            await uow.commit()
        return saved, existing is None
