from pydantic import Field
from pydantic_settings import SettingsConfigDict

from crm_shared.settings import ServiceSettings

SERVICE = "finance-reconciliation"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FINANCE_RECONCILIATION_", extra="ignore")

    grpc_port: int = 50055
    metrics_port: int = 9105
    # opportunity (host:port), asked who may see a payment's opportunity; empty: every call answers UNAVAILABLE.
    opportunity_addr: str = ""
    # lead-routing (host:port), asked at every partner call whether the partner still acts for a current
    # distributor (rebates); empty: a partner's call answers UNAVAILABLE.
    lead_routing_addr: str = ""
    access_timeout_s: float = Field(5.0, gt=0)
    # How much a receipt may exceed its instalment's outstanding amount: the larger of 分 and basis points;
    # beyond it the receipt is refused, or held for review when overpayment_hold is set.
    overpayment_tolerance_minor: int = Field(0, ge=0)
    overpayment_tolerance_bp: int = Field(0, ge=0, le=10_000)
    overpayment_hold: bool = False
    # The overdue follow-up / reminder job (service_layer/follow_up.py): how often (0 turns it off) and how many
    # days before a due date the account manager is reminded (each between 1 and 90).
    follow_up_interval_s: float = 3600.0
    reminder_days: tuple[int, ...] = (7, 1)
    # The matching run (service_layer/matching.py): how often it runs by itself per tenant (0 turns it off), and
    # how many unmatched lines one run takes (oldest booked first; the rest wait for the next run).
    matching_interval_s: float = Field(600.0, ge=0)
    matching_max_lines: int = Field(200_000, ge=1, le=1_000_000)
    # Confident matches a run confirms per unit of work (their receipts, entries and events commit together).
    matching_confirm_batch: int = Field(100, ge=1, le=10_000)
