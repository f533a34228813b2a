"""SQL of the tenant's matching rules (domain/match_rule.py)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from finance_reconciliation.adapters.orm.matching import match_rules
from finance_reconciliation.domain.match_rule import MatchRule, Tolerance


def _rule(row: sa.Row) -> MatchRule:
    m = dict(row._mapping)
    m.pop("updated_by"), m.pop("updated_at")
    return MatchRule(**{**m, "tolerance": Tolerance(**m["tolerance"])})


class RuleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, tenant_id: str) -> list[MatchRule]:
        """In the order they run."""
        rows = await self.session.execute(
            sa.select(match_rules)
            .where(match_rules.c.tenant_id == tenant_id)
            .order_by(match_rules.c.position, match_rules.c.rule_id)
        )
        return [_rule(r) for r in rows]

    async def get(self, tenant_id: str, rule_id: str) -> MatchRule | None:
        row = (await self.session.execute(
            sa.select(match_rules).where(match_rules.c.tenant_id == tenant_id, match_rules.c.rule_id == rule_id)
        )).first()
        return _rule(row) if row else None

    async def save(self, rule: MatchRule, by: str, at: datetime) -> None:
        values = {**asdict(rule), "tolerance": asdict(rule.tolerance), "updated_by": by, "updated_at": at}
        key = (match_rules.c.tenant_id == rule.tenant_id) & (match_rules.c.rule_id == rule.rule_id)
        if not (await self.session.execute(sa.update(match_rules).where(key).values(**values))).rowcount:
            await self.session.execute(sa.insert(match_rules).values(**values))

    async def delete(self, tenant_id: str, rule_id: str) -> bool:
        done = await self.session.execute(
            sa.delete(match_rules).where(match_rules.c.tenant_id == tenant_id, match_rules.c.rule_id == rule_id)
        )
        return bool(done.rowcount)
