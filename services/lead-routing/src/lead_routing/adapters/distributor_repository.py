"""All SQL of distributor organisations and their partner users."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from crm_shared.clock import as_utc
from crm_shared.db import insert_unless_taken
from sqlalchemy.ext.asyncio import AsyncSession

from lead_routing.adapters.orm.distributors import distributor_users, distributors
from lead_routing.domain.distributor import Distributor, Territory

MAX_LIST = 1_000  # distributors of one tenant a list returns at most (a page of the admin's table)


def _to_distributor(row: sa.Row, users: list[str]) -> Distributor:
    data = dict(row._mapping)
    territory = data.pop("territory") or {}
    return Distributor(
        **{k: data[k] for k in ("tenant_id", "distributor_id", "name", "credit_code", "tier")},
        territory=Territory(
            provinces=tuple(territory.get("provinces", ())),
            cities=tuple(territory.get("cities", ())),
            industries=tuple(territory.get("industries", ())),
            accounts=tuple(territory.get("accounts", ())),
        ),
        contract_starts=_day(data["contract_starts"]),
        contract_ends=_day(data["contract_ends"]),
        users=tuple(sorted(users)),
        channel_manager_id=data["channel_manager_id"],
        active=bool(data["active"]),
        version=data["version"],
        updated_by=data["updated_by"],
        created_at=as_utc(data["created_at"]),
        updated_at=as_utc(data["updated_at"]),
    )


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _values(d: Distributor) -> dict[str, Any]:
    t = d.territory
    return {
        "tenant_id": d.tenant_id,
        "distributor_id": d.distributor_id,
        "name": d.name,
        "credit_code": d.credit_code,
        "territory": {
            "provinces": list(t.provinces),
            "cities": list(t.cities),
            "industries": list(t.industries),
            "accounts": list(t.accounts),
        },
        "tier": d.tier,
        "contract_starts": d.contract_starts,
        "contract_ends": d.contract_ends,
        "channel_manager_id": d.channel_manager_id,
        "active": d.active,
        "version": d.version,
        "updated_by": d.updated_by,
        "created_at": d.created_at,
        "updated_at": d.updated_at,
    }


class UserTaken(Exception):
    """A partner user of the distributor being saved belongs to another one."""

    def __init__(self, user_id: str, distributor_id: str) -> None:
        super().__init__(f"user {user_id} belongs to distributor {distributor_id}")
        self.user_id = user_id
        self.distributor_id = distributor_id


class DistributorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, tenant_id: str, distributor_id: str) -> Distributor | None:
        row = (
            await self.session.execute(
                sa.select(distributors).where(
                    distributors.c.tenant_id == tenant_id, distributors.c.distributor_id == distributor_id
                )
            )
        ).first()
        if row is None:
            return None
        return _to_distributor(row, (await self._users(tenant_id, [distributor_id])).get(distributor_id, []))

    async def of_user(self, tenant_id: str, user_id: str) -> Distributor | None:
        """The distributor the partner user belongs to, if any."""
        found = (
            await self.session.execute(
                sa.select(distributor_users.c.distributor_id).where(
                    distributor_users.c.tenant_id == tenant_id, distributor_users.c.user_id == user_id
                )
            )
        ).scalar_one_or_none()
        return await self.get(tenant_id, found) if found else None

    async def list(
        self,
        tenant_id: str,
        *,
        active: bool | None = None,
        channel_manager_id: str = "",
        ids: list[str] | None = None,
    ) -> list[Distributor]:
        """The tenant's distributors by id, optionally only active (or inactive)
        ones, one channel manager's, or those of `ids`."""
        query = sa.select(distributors).where(distributors.c.tenant_id == tenant_id)
        if active is not None:
            query = query.where(distributors.c.active == active)
        if channel_manager_id:
            query = query.where(distributors.c.channel_manager_id == channel_manager_id)
        if ids is not None:
            query = query.where(distributors.c.distributor_id.in_(ids))
        rows = (await self.session.execute(query.order_by(distributors.c.distributor_id).limit(MAX_LIST))).all()
        users = await self._users(tenant_id, [r.distributor_id for r in rows])
        return [_to_distributor(r, users.get(r.distributor_id, [])) for r in rows]

    async def add(self, distributor: Distributor) -> bool:
        """False when the id is taken (a concurrent create won). Raises UserTaken."""
        if not await insert_unless_taken(self.session, sa.insert(distributors).values(**_values(distributor))):
            return False
        await self._add_users(distributor, distributor.users)
        return True

    async def save(self, distributor: Distributor, *, before: Distributor) -> bool:
        """Store the next version; False when someone saved after `before` was
        read (nothing written). Raises UserTaken."""
        values = _values(distributor)
        del values["created_at"]
        done = await self.session.execute(
            sa.update(distributors)
            .where(
                distributors.c.tenant_id == distributor.tenant_id,
                distributors.c.distributor_id == distributor.distributor_id,
                distributors.c.version == before.version,
            )
            .values(**values)
        )
        if not done.rowcount:
            return False
        gone = set(before.users) - set(distributor.users)
        if gone:
            await self.session.execute(
                sa.delete(distributor_users).where(
                    distributor_users.c.tenant_id == distributor.tenant_id,
                    distributor_users.c.distributor_id == distributor.distributor_id,
                    distributor_users.c.user_id.in_(gone),
                )
            )
        await self._add_users(distributor, [u for u in distributor.users if u not in before.users])
        return True

    async def _add_users(self, distributor: Distributor, users: list[str] | tuple[str, ...]) -> None:
        for user_id in users:
            row = sa.insert(distributor_users).values(
                tenant_id=distributor.tenant_id, user_id=user_id, distributor_id=distributor.distributor_id
            )
            if not await insert_unless_taken(self.session, row):
                holder = await self.session.execute(
                    sa.select(distributor_users.c.distributor_id).where(
                        distributor_users.c.tenant_id == distributor.tenant_id, distributor_users.c.user_id == user_id
                    )
                )
                raise UserTaken(user_id, holder.scalar_one_or_none() or "")

    async def _users(self, tenant_id: str, distributor_ids: list[str]) -> dict[str, list[str]]:
        if not distributor_ids:
            return {}
        rows = await self.session.execute(
            sa.select(distributor_users.c.distributor_id, distributor_users.c.user_id).where(
                distributor_users.c.tenant_id == tenant_id, distributor_users.c.distributor_id.in_(distributor_ids)
            )
        )
        out: dict[str, list[str]] = {}
        for distributor_id, user_id in rows.all():
            out.setdefault(distributor_id, []).append(user_id)
        return out
