from pydantic_settings import SettingsConfigDict

from crm_shared.settings import ServiceSettings

SERVICE = "approval"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="APPROVAL_", extra="ignore")

    grpc_port: int = 50053
    metrics_port: int = 9103
