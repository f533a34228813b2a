from pydantic_settings import SettingsConfigDict

from crm_shared.settings import ServiceSettings

SERVICE = "finance-reconciliation"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FINANCE_RECONCILIATION_", extra="ignore")

    grpc_port: int = 50055
    metrics_port: int = 9105
