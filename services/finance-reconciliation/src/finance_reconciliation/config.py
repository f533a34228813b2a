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
    access_timeout_s: float = Field(5.0, gt=0)
