from crm_shared.context import Caller
from crm_shared.db import UnitOfWork
from opportunity.adapters.customer_repository import (
    ActivityRepository,
    ContactRepository,
    CustomerMasterRepository,
    NoteRepository,
    PhotoRepository,
)
from opportunity.adapters.pipeline_repository import (
    PipelineOpportunityRepository,
    PipelineRepository,
    TaskRepository,
)
from opportunity.adapters.repository import (
    ApprovalDecisionRepository,
    CustomerRepository,
    OpportunityRepository,
    RepRepository,
)
from opportunity.domain.access import Scope, scope_for


class OpportunityUnitOfWork(UnitOfWork):
    customers: CustomerRepository
    opportunities: OpportunityRepository
    approvals: ApprovalDecisionRepository
    reps: RepRepository
    master: CustomerMasterRepository
    contacts: ContactRepository
    notes: NoteRepository
    activities: ActivityRepository
    photos: PhotoRepository
    pipelines: PipelineRepository
    pipeline_opportunities: PipelineOpportunityRepository
    tasks: TaskRepository

    def _open(self) -> None:
        self.customers = CustomerRepository(self.session)
        self.opportunities = OpportunityRepository(self.session)
        self.approvals = ApprovalDecisionRepository(self.session)
        self.reps = RepRepository(self.session)
        self.master = CustomerMasterRepository(self.session)
        self.contacts = ContactRepository(self.session)
        self.notes = NoteRepository(self.session)
        self.activities = ActivityRepository(self.session)
        self.photos = PhotoRepository(self.session)
        self.pipelines = PipelineRepository(self.session)
        self.pipeline_opportunities = PipelineOpportunityRepository(self.session)
        self.tasks = TaskRepository(self.session)

    async def team(self, caller: Caller) -> list[str]:
        """The reps a manager manages (from the reps projection); nobody for other roles."""
        return await self.reps.reps_managed_by(caller.tenant_id, caller.user_id) if caller.role == "manager" else []

    async def scope(self, caller: Caller) -> Scope:
        """What the caller may read, the one rule for customers, opportunities and tasks."""
        return scope_for(caller, await self.team(caller))
