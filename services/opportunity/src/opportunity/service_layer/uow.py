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
