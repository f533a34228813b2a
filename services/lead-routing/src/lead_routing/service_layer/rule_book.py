"""The compiled rules of each tenant, cached in the process: a claim or a
single intake parses nothing once its tenant's rules are compiled.

Saved versions never change, so a compiled routes list or formula is keyed by
(tenant, kind, version, catalogue version) — the catalogue version being the
number of the tenant's own lead fields, which are only ever added. Every use
first reads the active versions and that number from the database (one cheap
query), so an activation or a new field on any replica is seen at once and no
replica routes with a stale version; a stale entry is simply never asked for
again and falls out of the bounded cache."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from crm_shared.domain.errors import NotFound
from crm_shared.formula import FieldSpec

from lead_routing.domain.catalogue import catalogue
from lead_routing.domain.rule_set import (
    Route,
    RuleSet,
    RuleVersion,
    check_routes,
    compile_saved_formula,
    compile_saved_routes,
    compile_scoring,
)
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork

MAX_ENTRIES = 2048  # compiled parts kept: a few per active tenant


class RuleBook:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._parts: OrderedDict[tuple[str, str, int, int], Any] = OrderedDict()
        self.compiled = 0  # parts compiled so far (a cache miss each)

    async def catalogue(self, uow: LeadRoutingUnitOfWork, tenant_id: str) -> dict[str, FieldSpec]:
        return catalogue(await uow.leads.custom_field_types(tenant_id))

    async def rules(
        self,
        uow: LeadRoutingUnitOfWork,
        tenant_id: str,
        *,
        routes: Sequence[Route] | None = None,
        routes_version: int = 0,
        formula: str = "",
        formula_version: int = 0,
    ) -> RuleSet:
        """The active rules, or a draft / another saved version of either part
        (a draft is compiled strictly, and never cached)."""
        active_routes, active_formula, fields = await uow.rules.stamp(tenant_id)
        cat = _Catalogue(uow, tenant_id)
        if routes:
            compiled_routes, rv = check_routes(routes, await cat.specs()), 0
        else:
            rv = routes_version or active_routes
            compiled_routes = await self._saved(uow, cat, "routes", rv, fields, compile_saved_routes)
        if formula.strip():
            compiled_formula, fv = compile_scoring(formula, await cat.specs()), 0
        else:
            fv = formula_version or active_formula
            compiled_formula = await self._saved(uow, cat, "formula", fv, fields, compile_saved_formula)
        return RuleSet(compiled_routes, compiled_formula, rv, fv)

    async def _saved(
        self,
        uow: LeadRoutingUnitOfWork,
        cat: _Catalogue,
        kind: str,
        version: int,
        fields: int,
        compile_: Callable[[dict[str, FieldSpec], RuleVersion | None], Any],
    ) -> Any:
        """A saved version compiled (version 0: the default), from the cache when it holds it."""
        key = (cat.tenant_id, kind, version, fields)
        found = self._parts.get(key)
        if found is not None:
            self._parts.move_to_end(key)
            return found
        saved = await uow.rules.version(cat.tenant_id, kind, version) if version else None
        if version and saved is None:
            raise NotFound(f"{kind} version {version} not found")
        part = compile_(await cat.specs(), saved)
        self.compiled += 1
        # keyed by the catalogue compiled against: a field added since the stamp was read is a newer key
        self._parts[(cat.tenant_id, kind, version, cat.fields)] = part
        while len(self._parts) > self.max_entries:
            self._parts.popitem(last=False)
        return part


class _Catalogue:
    """The tenant's field catalogue, read once and only when something is compiled."""

    def __init__(self, uow: LeadRoutingUnitOfWork, tenant_id: str) -> None:
        self.uow, self.tenant_id = uow, tenant_id
        self._specs: dict[str, FieldSpec] | None = None
        self.fields = 0  # the tenant's own fields in it

    async def specs(self) -> dict[str, FieldSpec]:
        if self._specs is None:
            types = await self.uow.leads.custom_field_types(self.tenant_id)
            self._specs, self.fields = catalogue(types), len(types)
        return self._specs
