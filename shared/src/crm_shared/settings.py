"""Settings base for every backend service. Each service subclasses it with
its own env prefix (LEAD_ROUTING_, OPPORTUNITY_, ...). nats_url has no
default: a service started without it fails at once, naming the variable."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    # SQLite under var/ by default; PostgreSQL when set to postgresql+asyncpg://...
    database_url: str = ""
    nats_url: str = Field(..., description="NATS server URL, e.g. nats://127.0.0.1:4222")
    grpc_host: str = "0.0.0.0"
    grpc_port: int
    metrics_port: int
    log_level: str = "INFO"
    # Outbox relay tuning.
    outbox_batch_size: int = 100
    outbox_poll_interval_s: float = 1.0
    # Consumers: deliveries before a message is parked in the dead-letter stream.
    max_deliver: int = 5
    # Seconds between two runs of a periodic job, and the lease it holds.
    job_interval_s: float = 60.0
    stream_replicas: int = 1
    # Tests and demos only: a file holding seconds to add to the system time.
    clock_offset_file: str = ""

    def resolved_database_url(self, service: str) -> str:
        return self.database_url or f"sqlite+aiosqlite:///var/{service}.db"
