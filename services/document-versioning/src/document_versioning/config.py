from pydantic import Field
from pydantic_settings import SettingsConfigDict

from crm_shared.settings import ServiceSettings

SERVICE = "document-versioning"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DOCUMENT_VERSIONING_", extra="ignore")

    grpc_port: int = 50054
    metrics_port: int = 9104
    # Attempts at taking the next version number when concurrent uploads collide.
    version_retries: int = 5
    # opportunity (host:port), asked who may see a document's opportunity; empty: every call answers UNAVAILABLE.
    opportunity_addr: str = ""
    access_timeout_s: float = Field(5.0, gt=0)
