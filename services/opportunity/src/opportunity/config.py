from pydantic_settings import SettingsConfigDict

from crm_shared.settings import ServiceSettings

SERVICE = "opportunity"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="OPPORTUNITY_", extra="ignore")

    grpc_port: int = 50052
    metrics_port: int = 9102
