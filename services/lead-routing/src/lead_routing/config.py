from pydantic_settings import SettingsConfigDict

from crm_shared.settings import ServiceSettings

SERVICE = "lead-routing"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LEAD_ROUTING_", extra="ignore")

    grpc_port: int = 50051
    metrics_port: int = 9101
