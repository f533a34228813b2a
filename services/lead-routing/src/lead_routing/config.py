from pydantic_settings import SettingsConfigDict

from crm_shared.settings import ServiceSettings

SERVICE = "lead-routing"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LEAD_ROUTING_", extra="ignore")

    grpc_port: int = 50051
    metrics_port: int = 9101
    # Routing: seconds between scheduled pool re-ranks and between first-touch SLA sweeps.
    rerank_interval_s: float = 3600.0
    # Seconds between looks for whole-pool re-ranks asked for by a rule activation or a rep change.
    rerank_request_interval_s: float = 1.0
    sla_check_interval_s: float = 60.0
    # Seconds between scheduled optimal batch assignments of the pool leads of
    # auto_assign routes; 0 = off (new leads on those routes are assigned on arrival anyway).
    auto_assign_interval_s: float = 0.0
    # A rep whose match score for an unowned lead reaches this is pushed once.
    push_threshold: float = 85.0
    # Best candidates stored per open lead at each re-rank.
    pool_top_n: int = 5
    # Most lead.created / lead.merged / rep.profile_changed events ranked together in one unit of work.
    rerank_batch_size: int = 500
    # Approval (host:port), where deal registrations are submitted; empty: they wait for it.
    approval_addr: str = ""
    approval_timeout_s: float = 5.0
    # Opportunity (host:port), asked for the manufacturer's customers a registration may be; empty: not checked.
    opportunity_addr: str = ""
    # A registration of a customer another distributor registered this many days before
    # (still pending or under review) is a clash (撞单) for the channel manager.
    registration_check_window_days: int = 30
    # Seconds between looks for registrations whose approval was not submitted (lost on a stop).
    registration_submit_interval_s: float = 30.0
    # Seconds between looks for protection reminders due (7 and 1 days before the end) and lapses.
    protection_check_interval_s: float = 60.0
