"""All SQL of routing rules: saved versions, the active ones, the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from crm_shared.ids import new_id
from sqlalchemy.ext.asyncio import AsyncSession

from lead_routing.adapters.orm.leads import lead_custom_fields
from lead_routing.adapters.orm.rules import active_rules, rule_audit, rule_versions
from lead_routing.domain.rule_set import AuditEntry, Route, RuleVersion


def _to_version(row: sa.Row) -> RuleVersion:
    body = row.body
    return RuleVersion(
        tenant_id=row.tenant_id,
        kind=row.kind,
        version=row.version,
        comment=row.comment or "",
        created_by=row.created_by,
        created_at=as_utc(row.created_at),
        routes=tuple(Route.from_json(x) for x in body) if row.kind == "routes" else (),
        formula=body["formula"] if row.kind == "formula" else "",
    )


class RuleSetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_version(
        self, tenant_id: str, kind: str, body: Any, comment: str, actor: str, at: datetime
    ) -> int | None:
        """The next version number, or None when a concurrent save took it.
        `body` as stored: a list of routes or {"formula": text} (RuleVersion.body)."""
        latest = await self.session.scalar(
            sa.select(sa.func.max(rule_versions.c.version)).where(
                rule_versions.c.tenant_id == tenant_id, rule_versions.c.kind == kind
            )
        )
        version = int(latest or 0) + 1
        inserted = await insert_unless_taken(
            self.session,
            sa.insert(rule_versions).values(
                tenant_id=tenant_id,
                kind=kind,
                version=version,
                body=body,
                comment=comment,
                created_by=actor,
                created_at=at,
            ),
        )
        if not inserted:
            return None
        await self._audit(tenant_id, kind, version, "saved", actor, at)
        return version

    async def _audit(self, tenant_id: str, kind: str, version: int, action: str, actor: str, at: datetime) -> None:
        await self.session.execute(
            sa.insert(rule_audit).values(
                audit_id=new_id(), tenant_id=tenant_id, kind=kind, version=version, action=action, actor_id=actor, at=at
            )
        )

    async def version(self, tenant_id: str, kind: str, version: int) -> RuleVersion | None:
        row = (
            await self.session.execute(
                sa.select(rule_versions).where(
                    rule_versions.c.tenant_id == tenant_id,
                    rule_versions.c.kind == kind,
                    rule_versions.c.version == version,
                )
            )
        ).first()
        return _to_version(row) if row else None

    async def versions(self, tenant_id: str, kind: str) -> list[RuleVersion]:
        rows = await self.session.execute(
            sa.select(rule_versions)
            .where(rule_versions.c.tenant_id == tenant_id, rule_versions.c.kind == kind)
            .order_by(rule_versions.c.version.desc())
        )
        return [_to_version(r) for r in rows.all()]

    async def active_versions(self, tenant_id: str) -> dict[str, int]:
        rows = await self.session.execute(
            sa.select(active_rules.c.kind, active_rules.c.version).where(active_rules.c.tenant_id == tenant_id)
        )
        return {kind: version for kind, version in rows.all()}

    async def stamp(self, tenant_id: str) -> tuple[int, int, int]:
        """What the compiled rules of a tenant depend on, in one cheap read: the
        active routes and formula versions (0 = none) and the catalogue's version
        (the number of the tenant's own lead fields, which are only ever added)."""

        def active(kind: str) -> Any:
            return (
                sa.select(active_rules.c.version)
                .where(active_rules.c.tenant_id == tenant_id, active_rules.c.kind == kind)
                .scalar_subquery()
            )

        fields = (
            sa.select(sa.func.count())
            .select_from(lead_custom_fields)
            .where(lead_custom_fields.c.tenant_id == tenant_id)
            .scalar_subquery()
        )
        row = (await self.session.execute(sa.select(active("routes"), active("formula"), fields))).one()
        return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)

    async def activate(self, tenant_id: str, kind: str, version: int, actor: str, at: datetime) -> None:
        updated = await self.session.execute(
            sa.update(active_rules)
            .where(active_rules.c.tenant_id == tenant_id, active_rules.c.kind == kind)
            .values(version=version, activated_by=actor, activated_at=at)
        )
        if not updated.rowcount:
            await self.session.execute(
                sa.insert(active_rules).values(
                    tenant_id=tenant_id, kind=kind, version=version, activated_by=actor, activated_at=at
                )
            )
        await self._audit(tenant_id, kind, version, "activated", actor, at)

    async def audit_trail(self, tenant_id: str, limit: int) -> list[AuditEntry]:
        rows = await self.session.execute(
            sa.select(rule_audit)
            .where(rule_audit.c.tenant_id == tenant_id)
            .order_by(rule_audit.c.at.desc(), rule_audit.c.audit_id.desc())
            .limit(limit)
        )
        return [AuditEntry(r.kind, r.version, r.action, r.actor_id, as_utc(r.at)) for r in rows.all()]
