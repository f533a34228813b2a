"""In-memory stand-ins for opportunity's repositories and gate facts, on
crm_shared.testing, for handler unit tests: each keeps domain objects and
answers the queries the handlers ask."""

from __future__ import annotations

from datetime import datetime

from crm_shared.approval_kinds import LEGACY_KIND
from crm_shared.clock import FixedClock
from crm_shared.domain.errors import AlreadyExists, Unavailable
from crm_shared.testing import DEFAULT_NOW, FakeRepository, FakeUnitOfWork
from opportunity.domain.access import Scope
from opportunity.domain.activity import Activity, Draft, Photo
from opportunity.domain.approval_lock import SubjectLock
from opportunity.domain.contact import Contact
from opportunity.domain.customer import Customer
from opportunity.domain.gate import ApprovalState, GateFacts
from opportunity.domain.opportunity import ApprovalDecision, Opportunity
from opportunity.domain.pipeline import Pipeline
from opportunity.domain.rep import Rep
from opportunity.domain.stage_history import Stay
from opportunity.domain.task import Task


class FakeCustomers(FakeRepository[Customer]):
    id_field = "customer_id"

    async def add(self, customer: Customer) -> bool:  # type: ignore[override]
        if customer.credit_code and self.items(customer.tenant_id, credit_code=customer.credit_code):
            raise AlreadyExists("credit_code: taken")
        return await super().add(customer)

    async def get(self, tenant_id: str, customer_id: str, *, for_update: bool = False) -> Customer | None:
        return self.rows.get((tenant_id, customer_id))

    async def get_many(self, tenant_id: str, ids: set[str], *, for_update: bool = False) -> dict[str, Customer]:
        return {c.customer_id: c for c in self.items(tenant_id) if c.customer_id in ids}

    async def by_credit_code(self, tenant_id: str, code: str | None) -> Customer | None:
        return next(iter(self.items(tenant_id, credit_code=code)), None) if code else None

    async def by_phone(self, tenant_id: str, phone: str | None) -> Customer | None:
        return next(iter(self.items(tenant_id, phone=phone)), None) if phone else None

    async def set_credit_code(self, customer: Customer, now: datetime) -> None:
        self.update(customer.tenant_id, customer.customer_id, credit_code=customer.credit_code, updated_at=now)

    async def take_next_seq(self, tenant_id: str, customer_id: str, count: int = 1) -> int:
        last = self.rows[(tenant_id, customer_id)].activity_seq + count
        return self.update(tenant_id, customer_id, activity_seq=last).activity_seq - count + 1

    async def touch(self, customer: Customer, *, interaction_at, next_follow_up_at, follow_up_moves) -> None:  # type: ignore[no-untyped-def]
        changes = {"next_follow_up_at": next_follow_up_at, "follow_up_moves": follow_up_moves}
        if interaction_at is not None:
            changes["last_interaction_at"] = interaction_at
        self.update(customer.tenant_id, customer.customer_id, **changes)

    async def record_move(self, **move: object) -> None:
        return None


class FakeContacts(FakeRepository[Contact]):
    id_field = "contact_id"

    async def add(self, contact: Contact, by: str) -> bool:  # type: ignore[override]
        return await super().add(contact)

    async def for_customer(self, tenant_id: str, customer_id: str) -> list[Contact]:
        return self.items(tenant_id, customer_id=customer_id)


class FakeOpportunities(FakeRepository[Opportunity]):
    id_field = "opportunity_id"

    def __init__(self, items=()) -> None:  # type: ignore[no-untyped-def]
        super().__init__(items)
        self.stay_rows: list[Stay] = []
        self.decision_rows: list[ApprovalDecision] = []

    async def get(self, tenant_id: str, opportunity_id: str, *, lock: bool = False) -> Opportunity | None:
        return self.rows.get((tenant_id, opportunity_id))

    async def by_lead(self, tenant_id: str, lead_id: str) -> Opportunity | None:
        return next(iter(self.items(tenant_id, lead_id=lead_id)), None)

    async def save(self, opp: Opportunity, *, before: Opportunity) -> None:
        self.put(opp)

    async def add_stay(self, stay: Stay) -> None:
        self.stay_rows.append(stay)

    async def current_stay(self, tenant_id: str, opportunity_id: str) -> Stay | None:
        open_ = [s for s in self.stay_rows if s.opportunity_id == opportunity_id and s.left_at is None]
        return open_[-1] if open_ else None

    async def end_stay(self, stay: Stay) -> None:
        self.stay_rows = [stay if s.stay_id == stay.stay_id else s for s in self.stay_rows]

    async def decisions(self, tenant_id: str, ids: set[str]) -> dict[str, list[ApprovalDecision]]:
        return {}


class FakePipelines(FakeRepository[Pipeline]):
    id_field = "pipeline_id"


class FakeActivities(FakeRepository[Activity]):
    id_field = "activity_id"

    def __init__(self, customers: FakeCustomers | None = None) -> None:
        super().__init__()
        self.photos: dict[str, Photo] = {}
        # Drafts are listed with their customer's name and owner, as the real query joins them.
        self.customers = customers or FakeCustomers()

    async def get(self, tenant_id: str, customer_id: str, activity_id: str) -> Activity | None:  # type: ignore[override]
        found = self.rows.get((tenant_id, activity_id))
        return found if found and found.customer_id == customer_id else None

    async def add_many(self, entries: list[Activity]) -> None:
        for entry in entries:
            await self.add(entry)

    async def hash_at(self, customer_id: str, seq: int) -> str | None:
        return next((a.hash for a in self.items(customer_id=customer_id, seq=seq)), None)

    async def chain(self, tenant_id: str, customer_id: str) -> list[Activity]:
        return sorted(self.items(tenant_id, customer_id=customer_id), key=lambda a: a.seq)

    async def completion_of(self, customer_id: str, draft_id: str) -> str | None:
        done = self.items(customer_id=customer_id, refers_to=draft_id, relation="completes")
        return done[0].activity_id if done else None

    async def drafts(self, scope: Scope, *, limit: int, after: tuple[datetime, str] | None) -> list[Draft]:
        customers = {c.customer_id: c for c in self.customers.items(scope.tenant_id)}
        pending = [
            a
            for a in self.items(scope.tenant_id, state="draft")
            if a.customer_id in customers
            and scope.covers(a.tenant_id, customers[a.customer_id].owner_id)
            and scope.covers(a.tenant_id, a.actor_id)
            and not self.items(refers_to=a.activity_id, relation="completes")
        ]
        pending.sort(key=lambda a: (a.recorded_at, a.activity_id), reverse=True)
        if after:
            pending = [a for a in pending if (a.recorded_at, a.activity_id) < after]
        return [Draft(a, customers[a.customer_id].name) for a in pending[:limit]]

    async def add_photo(self, photo: Photo) -> None:
        self.photos[photo.photo_id] = photo

    async def photo_taken_at(self, photo_id: str | None) -> datetime | None:
        return self.photos[photo_id].taken_at if photo_id else None


class FakeReps(FakeRepository[Rep]):
    id_field = "rep_id"

    async def reps_managed_by(self, tenant_id: str, manager_id: str) -> list[str]:
        return sorted(r.rep_id for r in self.items(tenant_id, manager_id=manager_id))

    async def manager_of(self, tenant_id: str, rep_id: str) -> str | None:
        rep = self.rows.get((tenant_id, rep_id))
        return rep.manager_id if rep else None


class FakeTasks(FakeRepository[Task]):
    id_field = "task_id"

    async def add_unless_exists(self, task: Task) -> bool:
        if self.items(task.tenant_id, key=task.key):
            return False
        return await super().add(task)

    async def complete(self, task: Task) -> bool:
        current = self.rows.get((task.tenant_id, task.task_id))
        if current is None or current.state != "open":
            return False
        self.put(task)
        return True


class FakeGates:
    """Gate facts as another service would answer them; `asked` lists the questions."""

    def __init__(
        self,
        documents: frozenset[str] = frozenset(),
        approval_status: str | None = None,
        approvals: dict[str, ApprovalState] | None = None,
    ) -> None:
        # approval_status: the latest quote approval (the kind a gate saying only requires_approval asks for).
        states = dict(approvals or {})
        if approval_status is not None:
            states.setdefault(LEGACY_KIND, ApprovalState("approval-1", approval_status))
        self.answer = GateFacts(documents=documents, approvals=states)
        self.asked: list[tuple[str, frozenset[str], frozenset[str]]] = []

    async def facts(
        self, tenant_id: str, opportunity_id: str, doc_types: frozenset[str], approval_kinds: frozenset[str]
    ) -> GateFacts:
        self.asked.append((opportunity_id, doc_types, approval_kinds))
        return GateFacts(
            documents=self.answer.documents & doc_types,
            approvals={k: v for k, v in self.answer.approvals.items() if k in approval_kinds},
        )


class FakeLocks:
    """Approval's answer on which fields pending requests lock; `asked` lists the opportunities asked about."""

    def __init__(self, locks: list[SubjectLock] | None = None, unavailable: bool = False) -> None:
        self.held = list(locks or [])
        self.unavailable = unavailable
        self.asked: list[str] = []

    async def locks(self, tenant_id: str, opportunity_id: str) -> list[SubjectLock]:
        self.asked.append(opportunity_id)
        if self.unavailable:
            raise Unavailable("approval could not say which fields are locked; nothing was changed")
        return list(self.held)


class FakeAnalyses:
    """Activity analyses by (tenant, activity id), as the analysis repository keeps them."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], object] = {}

    async def add_unless_taken(self, analysis) -> bool:
        key = (analysis.tenant_id, analysis.activity_id)
        if key in self.rows:
            return False
        self.rows[key] = analysis
        return True

    async def add_many(self, analyses: list) -> None:
        for analysis in analyses:
            assert await self.add_unless_taken(analysis), f"{analysis.activity_id} has its analysis already"

    async def get(self, tenant_id: str, activity_id: str):
        return self.rows.get((tenant_id, activity_id))

    def _newest(self, rows: list) -> list:
        return sorted(rows, key=lambda a: (a.occurred_at, a.activity_id), reverse=True)

    async def for_customer(self, tenant_id: str, customer_id: str, since=None, limit: int = 500) -> list:
        rows = [a for (t, _), a in self.rows.items() if t == tenant_id and a.customer_id == customer_id]
        return self._newest([a for a in rows if since is None or a.occurred_at >= since])[:limit]

    async def for_opportunity(
        self,
        tenant_id: str,
        opportunity_id: str,
        customer_id: str,
        since=None,
        limit: int = 500,
    ) -> list:
        rows = await self.for_customer(tenant_id, customer_id, since, limit)
        return [a for a in rows if a.opportunity_id in (opportunity_id, None)]


class FakeSettingsRows:
    """A versioned settings row per tenant (adapters/settings_rows.py): a stale version conflicts."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[int, dict]] = {}

    async def get(self, tenant_id: str) -> tuple[int, dict] | None:
        return self.rows.get(tenant_id)

    async def put(self, tenant_id: str, expected_version: int, data: dict, by: str, now: datetime) -> int:
        from crm_shared.domain.errors import Conflict

        current = self.rows.get(tenant_id, (0, {}))[0]
        if current != expected_version:
            raise Conflict(f"the settings changed since version {expected_version}; read them again")
        self.rows[tenant_id] = (current + 1, data)
        return current + 1


def fake_uow(now: datetime = DEFAULT_NOW, **repositories: object) -> FakeUnitOfWork:
    """A unit of work with every opportunity repository (those given replace the empty ones)."""
    customers = repositories.get("customers")
    customers = customers if isinstance(customers, FakeCustomers) else FakeCustomers()
    base: dict[str, object] = {
        "customers": customers,
        "contacts": FakeContacts(),
        "notes": FakeRepository(),
        "activities": FakeActivities(customers),
        "opportunities": FakeOpportunities(),
        "pipelines": FakePipelines(),
        "tasks": FakeTasks(),
        "reps": FakeReps(),
        "analyses": FakeAnalyses(),
        "tagging_settings": FakeSettingsRows(),
    }
    return FakeUnitOfWork(FixedClock(now), **(base | repositories))
