"""A tenant's versioned settings of one area (stage hints, intent, contact depth, process health, value tiers,
the win model): the area's defaults until someone saves, each save over the version the caller read (a stale
one is Conflict, from the settings rows), validated by the area's own rules before anything is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from crm_shared.context import Caller
from crm_shared.domain.errors import InvalidArgument

from opportunity.adapters.settings_rows import SettingsRows
from opportunity.service_layer.uow import OpportunityUnitOfWork

S = TypeVar("S")


@dataclass(frozen=True)
class VersionedSettings(Generic[S]):
    version: int  # 0: the defaults, nothing saved yet
    settings: S
    updated_by: str = ""


@dataclass(frozen=True)
class TenantSettings(Generic[S]):
    """One area's settings: where its rows are in a unit of work, its defaults, and how its rules read
    (validating: a bad field is InvalidArgument naming it) and write its data."""

    rows: Callable[[OpportunityUnitOfWork], SettingsRows]
    default: S
    parse: Callable[[Mapping[str, Any]], S]
    data_of: Callable[[S], dict[str, Any]]

    async def read(self, uow: OpportunityUnitOfWork, tenant_id: str) -> VersionedSettings[S]:
        stored = await self.rows(uow).get(tenant_id)
        if stored is None:
            return VersionedSettings(0, self.default)
        version, data = stored
        return VersionedSettings(version, self.parse(data))

    def parse_new(self, version: int, data: Mapping[str, Any]) -> S:
        """What a caller asks to save, checked before a unit of work opens."""
        if version < 0:
            raise InvalidArgument.field("version", "must be 0 or more")
        return self.parse(data)

    async def save(self, uow: OpportunityUnitOfWork, caller: Caller, version: int, parsed: S) -> VersionedSettings[S]:
        """Written in `uow` (the caller commits, with whatever the area does on a change)."""
        new_version = await self.rows(uow).put(
            caller.tenant_id, version, self.data_of(parsed), caller.user_id, uow.clock.now()
        )
        return VersionedSettings(new_version, parsed, caller.user_id)
