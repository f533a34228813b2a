from datetime import timedelta
from typing import Annotated

from crm_shared.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from approval.domain.actions import REMIND_EVERY
from approval.domain.sla import DEFAULT_REVIEW_DAYS, MAX_REVIEW_DAYS, ReviewDays

SERVICE = "approval"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="APPROVAL_", extra="ignore")

    grpc_port: int = 50053
    metrics_port: int = 9103
    # opportunity (host:port), asked who may see an approval's subject; empty: every call answers UNAVAILABLE.
    opportunity_addr: str = ""
    access_timeout_s: float = Field(5.0, gt=0)
    # lead-routing (host:port), asked who may see a partner's registration or promotion application.
    lead_routing_addr: str = ""
    # document-versioning (host:port), asked which opportunity a request's document version belongs to.
    document_versioning_addr: str = ""
    # 催办: a requester reminds the approvers of one request at most once per this many minutes.
    remind_interval_minutes: int = Field(REMIND_EVERY // timedelta(minutes=1), ge=1, le=24 * 60)
    # The SLA job (reminders, escalations, metrics) runs every this many seconds on one replica.
    sla_interval_s: float = Field(60.0, gt=0)
    # Working days a channel manager has to decide a partner's registration, extension or promotion
    # application under the built-in policies (a tenant's own policy sets its own SLA), and per tenant
    # as JSON {"<tenant>": days}.
    partner_review_working_days: int = Field(DEFAULT_REVIEW_DAYS, ge=1, le=MAX_REVIEW_DAYS)
    partner_review_working_days_by_tenant: dict[str, Annotated[int, Field(ge=1, le=MAX_REVIEW_DAYS)]] = Field(
        default_factory=dict
    )

    def review_days(self) -> ReviewDays:
        return ReviewDays(self.partner_review_working_days, self.partner_review_working_days_by_tenant)
