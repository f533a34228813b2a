"""All SQL of approval policies: the current version of each, and every
saved version with who saved it (the audit trail)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from approval.adapters.orm import approval_policies, approval_policy_versions
from approval.domain.policy import ApproverRule, Policy, PolicyChange, SlaRule, Stage, Step

_META = ("policy_id", "tenant_id", "version", "updated_by", "updated_at")


def policy_body(policy: Policy) -> dict[str, Any]:
    """A policy as stored (JSON): everything but its identity and stamp."""
    data = asdict(policy)
    for key in _META:
        data.pop(key)
    return data


def _known(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    """The stored keys the dataclass still has (a field added since takes its default)."""
    return {k: v for k, v in data.items() if k in cls.__dataclass_fields__}


def _rule(data: Mapping[str, Any] | None) -> ApproverRule | None:
    return None if data is None else ApproverRule(**_known(ApproverRule, data))


def _step(data: Mapping[str, Any]) -> Step:
    return Step(
        **{
            **_known(Step, data),
            "approvers": _rule(data["approvers"]),
            "sla": tuple(SlaRule(**{**_known(SlaRule, r), "target": _rule(r.get("target"))}) for r in data["sla"]),
        }
    )


def policy_from(body: Mapping[str, Any], **meta: Any) -> Policy:
    stages = tuple(Stage(s["stage_id"], s["name"], tuple(_step(step) for step in s["steps"])) for s in body["stages"])
    rest = {k: v for k, v in _known(Policy, body).items() if k != "stages"}
    for key in ("locked_fields", "notes"):
        rest[key] = tuple(rest.get(key, ()))
    return Policy(**rest, stages=stages, **meta)


def _from_row(row: sa.Row) -> Policy:
    m = row._mapping
    return policy_from(
        m["body"],
        policy_id=m["policy_id"],
        tenant_id=m["tenant_id"],
        version=m["version"],
        updated_by=m["updated_by"],
        updated_at=as_utc(m["updated_at"]),
    )


class PolicyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _row(self, policy: Policy) -> dict[str, Any]:
        return {
            "policy_id": policy.policy_id,
            "tenant_id": policy.tenant_id,
            "kind": policy.kind,
            "name": policy.name,
            "position": policy.position,
            "is_default": policy.is_default,
            "active": policy.active,
            "version": policy.version,
            "body": policy_body(policy),
            "updated_by": policy.updated_by,
            "updated_at": policy.updated_at,
        }

    async def _record(self, policy: Policy, action: str, comment: str) -> None:
        await self.session.execute(
            sa.insert(approval_policy_versions).values(
                tenant_id=policy.tenant_id,
                policy_id=policy.policy_id,
                version=policy.version,
                action=action,
                body=policy_body(policy),
                comment=comment,
                changed_by=policy.updated_by,
                changed_at=policy.updated_at,
            )
        )

    async def add(self, policy: Policy, comment: str) -> bool:
        """False when the kind already has an active default policy (the
        partial unique index, so two concurrent saves cannot both make one)."""
        if not await insert_unless_taken(self.session, sa.insert(approval_policies).values(**self._row(policy))):
            return False
        await self._record(policy, "created", comment)
        return True

    async def save(self, policy: Policy, *, before: int, action: str, comment: str) -> bool | None:
        """Store a new version over version `before`. None when a concurrent
        save got there first (the version moved on); False when it would make a
        second active default of its kind."""
        table = approval_policies
        statement = (
            sa.update(table)
            .where(
                table.c.tenant_id == policy.tenant_id,
                table.c.policy_id == policy.policy_id,
                table.c.version == before,
            )
            .values(**{k: v for k, v in self._row(policy).items() if k not in ("policy_id", "tenant_id")})
        )
        try:
            async with self.session.begin_nested():
                result = await self.session.execute(statement)
        except IntegrityError:
            return False
        if result.rowcount != 1:
            return None
        await self._record(policy, action, comment)
        return True

    async def get(self, tenant_id: str, policy_id: str) -> Policy | None:
        t = approval_policies
        row = (
            await self.session.execute(sa.select(t).where(t.c.tenant_id == tenant_id, t.c.policy_id == policy_id))
        ).first()
        return _from_row(row) if row else None

    async def get_version(self, tenant_id: str, policy_id: str, version: int) -> Policy | None:
        """The policy as it was in `version` (a request runs by the version it started under)."""
        v = approval_policy_versions
        row = (
            await self.session.execute(
                sa.select(v).where(v.c.tenant_id == tenant_id, v.c.policy_id == policy_id, v.c.version == version)
            )
        ).first()
        if row is None:
            return None
        m = row._mapping
        return policy_from(
            m["body"],
            policy_id=policy_id,
            tenant_id=tenant_id,
            version=version,
            updated_by=m["changed_by"],
            updated_at=as_utc(m["changed_at"]),
        )

    async def list(self, tenant_id: str, kind: str = "", *, include_deleted: bool = False) -> list[Policy]:
        """The tenant's policies by kind and position."""
        t = approval_policies
        query = sa.select(t).where(t.c.tenant_id == tenant_id)
        if kind:
            query = query.where(t.c.kind == kind)
        if not include_deleted:
            query = query.where(t.c.active.is_(True))
        rows = await self.session.execute(query.order_by(t.c.kind, t.c.is_default, t.c.position, t.c.policy_id))
        return [_from_row(row) for row in rows]

    async def of_kind(self, tenant_id: str, kind: str) -> list[Policy]:
        return await self.list(tenant_id, kind)

    async def versions(self, tenant_id: str, policy_id: str, limit: int) -> list[PolicyChange]:
        """Newest first."""
        v = approval_policy_versions
        rows = await self.session.execute(
            sa.select(v)
            .where(v.c.tenant_id == tenant_id, v.c.policy_id == policy_id)
            .order_by(v.c.version.desc())
            .limit(limit)
        )
        out = []
        for row in rows:
            m = row._mapping
            at = as_utc(m["changed_at"])
            policy = policy_from(
                m["body"],
                policy_id=policy_id,
                tenant_id=tenant_id,
                version=m["version"],
                updated_by=m["changed_by"],
                updated_at=at,
            )
            out.append(PolicyChange(policy, m["action"], m["comment"], m["changed_by"], at))
        return out

    async def audit(self, tenant_id: str, kind: str, limit: int) -> list[PolicyChange]:
        """The tenant's saved versions, newest first (of one kind when given)."""
        v = approval_policy_versions
        query = sa.select(v).where(v.c.tenant_id == tenant_id)
        if kind:
            query = query.where(
                v.c.policy_id.in_(
                    sa.select(approval_policies.c.policy_id).where(
                        approval_policies.c.tenant_id == tenant_id, approval_policies.c.kind == kind
                    )
                )
            )
        rows = await self.session.execute(query.order_by(v.c.changed_at.desc(), v.c.version.desc()).limit(limit))
        out = []
        for row in rows:
            m = row._mapping
            at = as_utc(m["changed_at"])
            policy = policy_from(
                m["body"],
                policy_id=m["policy_id"],
                tenant_id=tenant_id,
                version=m["version"],
                updated_by=m["changed_by"],
                updated_at=at,
            )
            out.append(PolicyChange(policy, m["action"], m["comment"], m["changed_by"], at))
        return out

    async def naming_department(self, tenant_id: str, department_id: str) -> list[str]:
        """Names of the active policies whose approver rules name the department."""
        names = []
        for policy in await self.list(tenant_id):
            rules = [
                rule
                for stage in policy.stages
                for step in stage.steps
                for rule in (step.approvers, *(s.target for s in step.sla if s.target is not None))
            ]
            if any(r.kind.startswith("department") and r.value == department_id for r in rules):
                names.append(policy.name)
        return names
