"""SQL of the contract projection and the contract triggers."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

import sqlalchemy as sa
from crm_shared.db import upsert_insert
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm.contracts import contract_triggers, finance_contracts
from finance_reconciliation.domain.contract import IN_FORCE, EquipmentRow, FinanceContract, Term
from finance_reconciliation.domain.plan import ACCEPTANCE, DELIVERY, Triggers


def _to_contract(row: sa.Row) -> FinanceContract:
    data = dict(row._mapping)
    data["equipment"] = tuple(EquipmentRow(**e) for e in data["equipment"])
    data["terms"] = tuple(Term(**t) for t in data["terms"])
    return FinanceContract(**data)


class ContractRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, version_id: str) -> FinanceContract | None:
        row = (
            await self.session.execute(
                sa.select(finance_contracts).where(
                    finance_contracts.c.tenant_id == tenant_id, finance_contracts.c.version_id == version_id
                )
            )
        ).first()
        return _to_contract(row) if row else None

    async def versions(self, tenant_id: str, contract_id: str) -> list[FinanceContract]:
        query = (
            sa.select(finance_contracts)
            .where(finance_contracts.c.tenant_id == tenant_id, finance_contracts.c.contract_id == contract_id)
            .order_by(finance_contracts.c.signed_on, finance_contracts.c.version_id)
        )
        return [_to_contract(r) for r in (await self.session.execute(query)).all()]

    async def in_force(self, tenant_id: str, contract_id: str) -> FinanceContract | None:
        return next((c for c in await self.versions(tenant_id, contract_id) if c.status == IN_FORCE), None)

    async def for_opportunity(self, tenant_id: str, opportunity_id: str) -> list[str]:
        """The contract ids of an opportunity that finance knows a signed version of."""
        query = (
            sa.select(finance_contracts.c.contract_id)
            .where(finance_contracts.c.tenant_id == tenant_id, finance_contracts.c.opportunity_id == opportunity_id)
            .distinct()
            .order_by(finance_contracts.c.contract_id)
        )
        return list((await self.session.execute(query)).scalars())

    async def upsert(self, contract: FinanceContract) -> None:
        values = asdict(contract)
        values["equipment"] = [asdict(e) for e in contract.equipment]
        values["terms"] = [asdict(t) for t in contract.terms]
        key = (finance_contracts.c.tenant_id == contract.tenant_id) & (
            finance_contracts.c.version_id == contract.version_id
        )
        updated = await self.session.execute(sa.update(finance_contracts).where(key).values(**values))
        if not updated.rowcount:
            await self.session.execute(sa.insert(finance_contracts).values(**values))

    async def set_superseded(self, tenant_id: str, version_id: str, by_version_id: str) -> None:
        await self.session.execute(
            sa.update(finance_contracts)
            .where(finance_contracts.c.tenant_id == tenant_id, finance_contracts.c.version_id == version_id)
            .values(status="superseded", superseded_by_version_id=by_version_id)
        )

    async def triggers(self, tenant_id: str, contract_id: str) -> Triggers:
        rows = (
            await self.session.execute(
                sa.select(contract_triggers.c.trigger, contract_triggers.c.happened_on).where(
                    contract_triggers.c.tenant_id == tenant_id, contract_triggers.c.contract_id == contract_id
                )
            )
        ).all()
        known = {r.trigger: r.happened_on for r in rows}
        return Triggers(delivered_on=known.get(DELIVERY), accepted_on=known.get(ACCEPTANCE))

    async def record_trigger(
        self, tenant_id: str, contract_id: str, trigger: str, on: date, by: str, recorded_at: datetime, record_id: str
    ) -> None:
        """Keep the record in force: the one recorded last by its own time (then the larger record id), whatever
        the order they arrive in, so a retried older record writes nothing over a newer one. The comparison is in
        the statement itself, so racing consumers agree."""
        t = contract_triggers
        values = {
            "tenant_id": tenant_id,
            "contract_id": contract_id,
            "trigger": trigger,
            "happened_on": on,
            "recorded_by": by,
            "recorded_at": recorded_at,
            "record_id": record_id,
        }
        statement = upsert_insert(self.session, t).values(**values)
        new = statement.excluded
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["tenant_id", "contract_id", "trigger"],
                set_={k: getattr(new, k) for k in ("happened_on", "recorded_by", "recorded_at", "record_id")},
                where=(t.c.recorded_at < new.recorded_at)
                | ((t.c.recorded_at == new.recorded_at) & (t.c.record_id < new.record_id)),
            )
        )
