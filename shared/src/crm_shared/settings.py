"""Settings base for every backend service. Each service subclasses it with
its own env prefix (LEAD_ROUTING_, OPPORTUNITY_, ...). nats_url and the
service token key have no default: a service started without them fails at
once, naming the variable. The token key is one variable for every
deployable, CRM_SERVICE_TOKEN_KEY, without a prefix (crm_shared.identity)."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from crm_shared import identity


def token_key_field() -> SecretStr:
    """CRM_SERVICE_TOKEN_KEY (no env prefix): signs and verifies every call between deployables."""
    return Field(
        ...,
        validation_alias=identity.KEY_ENV,
        description="Key of the service tokens, at least 32 bytes, the same in every deployable",
    )


def previous_keys_field() -> str:
    """CRM_SERVICE_TOKEN_PREVIOUS_KEYS: keys still accepted during a rotation."""
    return Field(
        "",
        validation_alias=identity.PREVIOUS_KEYS_ENV,
        description="Earlier service token keys still accepted (comma-separated), for a rotation",
    )


class ServiceTokenSettings:
    """Mixed into the settings of every deployable (backends and the gateway)."""

    service_token_key: SecretStr
    service_token_previous_keys: str

    @field_validator("service_token_key")
    @classmethod
    def _key_long_enough(cls, value: SecretStr) -> SecretStr:
        identity.check_key(value.get_secret_value())
        return value

    @field_validator("service_token_previous_keys")
    @classmethod
    def _previous_long_enough(cls, value: str) -> str:
        for key in identity.split_keys(value):
            identity.check_key(key, identity.PREVIOUS_KEYS_ENV)
        return value

    def service_token_keys(self) -> list[str]:
        """The signing key first, then the previous ones."""
        return [self.service_token_key.get_secret_value(), *identity.split_keys(self.service_token_previous_keys)]


class ServiceSettings(ServiceTokenSettings, BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    # SQLite under var/ by default; PostgreSQL when set to postgresql+asyncpg://...
    database_url: str = ""
    nats_url: str = Field(..., description="NATS server URL, e.g. nats://127.0.0.1:4222")
    service_token_key: SecretStr = token_key_field()
    service_token_previous_keys: str = previous_keys_field()
    grpc_host: str = "0.0.0.0"
    # 0 binds a free port; the ports bound are logged and written to ports_file.
    grpc_port: int
    metrics_port: int
    # When set, a JSON file {"grpc": port, "metrics": port} written once both are bound.
    ports_file: str = ""
    log_level: str = "INFO"
    # Outbox relay tuning.
    outbox_batch_size: int = 100
    outbox_poll_interval_s: float = 1.0
    # Consumers: deliveries before a message is parked in the dead-letter stream.
    max_deliver: int = 5
    # Seconds between two runs of a periodic job, and the lease it holds.
    job_interval_s: float = 60.0
    stream_replicas: int = 1
    # Shutdown (SIGTERM) drains: readiness false first, then after drain_delay_s (time for balancers
    # and health-checking clients to move away; a few seconds behind a Kubernetes Service) new calls
    # are refused and those in flight, the consumers' messages in hand and a running job get
    # shutdown_grace_s to finish; then the relay publishes what they committed. The whole drain must
    # end before the supervisor's or kubelet's SIGKILL (10 s locally, terminationGracePeriodSeconds).
    drain_delay_s: float = Field(0.0, ge=0)
    shutdown_grace_s: float = Field(5.0, ge=0)
    # Tests and demos only: a file holding seconds to add to the system time.
    clock_offset_file: str = ""

    def resolved_database_url(self, service: str) -> str:
        return self.database_url or f"sqlite+aiosqlite:///var/{service}.db"
