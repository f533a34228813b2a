from datetime import timedelta

from crm_shared.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from opportunity.domain.evidence import DEFAULT_PHOTO_WINDOW

SERVICE = "opportunity"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="OPPORTUNITY_", extra="ignore")

    grpc_port: int = 50052
    metrics_port: int = 9102
    # A visit photo must be taken within this many minutes of the check-in; the rule's
    # default lives in the domain.
    visit_photo_window_minutes: int = Field(DEFAULT_PHOTO_WINDOW // timedelta(minutes=1), ge=1, le=24 * 60)
    # Stage gates ask these services (host:port); empty: gates needing them answer UNAVAILABLE.
    document_versioning_addr: str = ""
    approval_addr: str = ""
    # lead-routing (host:port): whether a partner still acts for a distributor, asked before their sales
    # lists (an empty list, or 403); empty: a partner's list answers UNAVAILABLE.
    lead_routing_addr: str = ""
    gate_timeout_s: float = Field(5.0, gt=0)
    # Seconds between two runs of the follow-up timers (one replica at a time, under a lease).
    timer_interval_s: float = Field(60.0, gt=0)
    # How often the anomaly scan runs over every tenant (under a lease).
    anomaly_scan_interval_s: float = Field(3600.0, gt=0)
    # How often the system applies the stage hints made under a tenant's auto_move (under a lease).
    stage_hint_interval_s: float = Field(2.0, gt=0)
    # How often a new high-intent episode's tool pack is fetched and sent to the rep (under a lease).
    tool_pack_interval_s: float = Field(2.0, gt=0)
    # How often the contact depth (CDI) sweep recomputes what time alone changed (under a lease);
    # with the event consumers' seconds it keeps the CDI fresh within 3 minutes.
    contact_depth_interval_s: float = Field(30.0, gt=0)
    # How often the monthly value tier run looks for customers not computed this month (under a lease).
    value_tier_interval_s: float = Field(300.0, gt=0)
    # How often a new customer health alert's material is fetched and sent to the rep (under a lease).
    health_alert_interval_s: float = Field(2.0, gt=0)
    # How often the nightly win model job looks whether a tenant is due (it trains once per
    # Asia/Shanghai night, 01:00-05:00, under a lease).
    win_model_interval_s: float = Field(900.0, gt=0)
    # How often the PHI sweep recomputes every rep's current month (the 7-day window slides) and the
    # monthly rep profiles are looked at (under leases); events move a rep's row within seconds.
    process_health_interval_s: float = Field(600.0, gt=0)
