"""The unit of work of opportunity: one repository per aggregate (each the
only writer of its tables) and the reps projection the scope is made of
(service_layer/common.py: scope_of)."""

from crm_shared.db import UnitOfWork

from opportunity.adapters.activity_repository import ActivityRepository
from opportunity.adapters.analysis_repository import AnalysisRepository
from opportunity.adapters.anomaly_repository import AnomalyRepository, anomaly_settings_rows
from opportunity.adapters.contact_depth_repository import ContactDepthRepository, contact_depth_settings_rows
from opportunity.adapters.contact_repository import ContactRepository
from opportunity.adapters.conversation_repository import ConversationRepository
from opportunity.adapters.customer_repository import CustomerRepository
from opportunity.adapters.customer_value_repository import CustomerValueRepository, customer_value_settings_rows
from opportunity.adapters.delivery_repository import DeliveryRepository
from opportunity.adapters.health_repository import HealthRepository
from opportunity.adapters.intent_repository import IntentRepository, intent_settings_rows
from opportunity.adapters.note_repository import NoteRepository
from opportunity.adapters.opportunity_repository import OpportunityRepository
from opportunity.adapters.pipeline_repository import PipelineRepository
from opportunity.adapters.process_health_repository import ProcessHealthRepository, process_health_settings_rows
from opportunity.adapters.receipt_repository import ReceiptRepository
from opportunity.adapters.rep_repository import RepRepository
from opportunity.adapters.settings_rows import SettingsRows
from opportunity.adapters.stage_hint_repository import StageHintRepository, stage_hint_settings_rows
from opportunity.adapters.tagging_settings_repository import TaggingSettingsRepository
from opportunity.adapters.task_repository import TaskRepository
from opportunity.adapters.win_model_repository import WinModelRepository, win_model_settings_rows


class OpportunityUnitOfWork(UnitOfWork):
    customers: CustomerRepository
    contacts: ContactRepository
    notes: NoteRepository
    activities: ActivityRepository
    opportunities: OpportunityRepository
    pipelines: PipelineRepository
    tasks: TaskRepository
    reps: RepRepository
    receipts: ReceiptRepository
    deliveries: DeliveryRepository
    anomalies: AnomalyRepository
    anomaly_settings: SettingsRows
    stage_hints: StageHintRepository
    stage_hint_settings: SettingsRows
    analyses: AnalysisRepository
    tagging_settings: TaggingSettingsRepository
    conversations: ConversationRepository
    intents: IntentRepository
    intent_settings: SettingsRows
    process_health: ProcessHealthRepository
    process_health_settings: SettingsRows
    contact_depth: ContactDepthRepository
    contact_depth_settings: SettingsRows
    customer_value: CustomerValueRepository
    customer_value_settings: SettingsRows
    health: HealthRepository
    win_model: WinModelRepository
    win_model_settings: SettingsRows

    def _open(self) -> None:
        self.customers = CustomerRepository(self.session)
        self.contacts = ContactRepository(self.session)
        self.notes = NoteRepository(self.session)
        self.activities = ActivityRepository(self.session)
        self.opportunities = OpportunityRepository(self.session)
        self.pipelines = PipelineRepository(self.session)
        self.tasks = TaskRepository(self.session)
        self.reps = RepRepository(self.session)
        self.receipts = ReceiptRepository(self.session)
        self.deliveries = DeliveryRepository(self.session)
        self.anomalies = AnomalyRepository(self.session)
        self.anomaly_settings = anomaly_settings_rows(self.session)
        self.stage_hints = StageHintRepository(self.session)
        self.stage_hint_settings = stage_hint_settings_rows(self.session)
        self.analyses = AnalysisRepository(self.session)
        self.tagging_settings = TaggingSettingsRepository(self.session)
        self.conversations = ConversationRepository(self.session)
        self.intents = IntentRepository(self.session)
        self.intent_settings = intent_settings_rows(self.session)
        self.process_health = ProcessHealthRepository(self.session)
        self.process_health_settings = process_health_settings_rows(self.session)
        self.contact_depth = ContactDepthRepository(self.session)
        self.contact_depth_settings = contact_depth_settings_rows(self.session)
        self.customer_value = CustomerValueRepository(self.session)
        self.customer_value_settings = customer_value_settings_rows(self.session)
        self.health = HealthRepository(self.session)
        self.win_model = WinModelRepository(self.session)
        self.win_model_settings = win_model_settings_rows(self.session)
