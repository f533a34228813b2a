"""Settings of the gateway (env prefix GATEWAY_). Loaded once at start; a
missing or invalid value stops the process naming the variable."""

from __future__ import annotations

from urllib.parse import urlsplit

from crm_shared.deployables import BACKENDS, by_name
from crm_shared.grpc_client import grpc_target
from crm_shared.settings import ServiceTokenSettings, previous_keys_field, token_key_field
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from gateway import esign

SERVICE = "gateway"

# Backend name (crm_shared.deployables: readiness reports and the chart) -> its address setting.
ADDRESS_FIELDS = {backend.name: f"{backend.package}_addr" for backend in BACKENDS}


def _local(name: str) -> str:
    return f"127.0.0.1:{by_name(name).grpc_port}"


class Settings(ServiceTokenSettings, BaseSettings):
    # Errors name the setting, never its value: several values are secrets (GATEWAY_ESIGN_SECRETS).
    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_", extra="ignore", populate_by_name=True, hide_input_in_errors=True
    )

    http_host: str = "127.0.0.1"
    http_port: int = Field(8080, ge=0, le=65535)
    log_level: str = "INFO"
    # SQLite under var/ by default; PostgreSQL when set to postgresql+asyncpg://...
    database_url: str = ""

    # One per backend (ADDRESS_FIELDS); by default where the local stack serves it.
    # host:port, or its replicas: ip:port,ip:port or dns:///headless-service:port
    # (crm_shared.grpc_client.grpc_target), balanced round robin.
    lead_routing_addr: str = _local("lead-routing")
    opportunity_addr: str = _local("opportunity")
    approval_addr: str = _local("approval")
    document_versioning_addr: str = _local("document-versioning")
    finance_reconciliation_addr: str = _local("finance-reconciliation")
    # Per-RPC deadline; a backend that does not answer in time gives a 503.
    grpc_timeout_s: float = Field(10.0, gt=0)
    # The deadline of whole-batch calls: a lead file import (up to 5,000 rows),
    # assigning or re-ranking a tenant's whole pool. A proxy in front of the
    # gateway must allow requests this long on those paths.
    grpc_batch_timeout_s: float = Field(90.0, gt=0)
    # Deadline of a streamed document upload or download (a 200 MB drawing set over a slow link).
    grpc_stream_timeout_s: float = Field(1800.0, gt=0)
    # Readiness probes must answer well within the kubelet's probe timeout.
    health_timeout_s: float = Field(1.0, gt=0)

    # Production: an external OIDC issuer's JWKS. Locally: the built-in dev issuer.
    jwks_url: str = ""
    jwt_issuer: str = ""
    jwt_audience: str = ""
    dev_auth: bool = False
    dev_key_path: str = ""
    # The dev issuer's sign-in page redirects to loopback http URIs (any port, RFC 8252 §7.3) and to
    # these, comma-separated, matched exactly (e.g. a dev cluster's console callback URL).
    dev_redirect_uris: str = ""
    token_ttl_s: int = Field(3600, gt=0)
    # A token living longer than this (exp - iat) is refused, however it is signed.
    max_token_lifetime_s: int = Field(12 * 3600, gt=0)
    # Who may act: a JSON list of {"tenant", "user_id", "role", "name"}; a
    # token's subject must be one of its tenant's users, with that role.
    # Required in production; with the dev issuer, its demo users.
    user_directory_path: str = ""
    # Signs the token every call to a backend carries (CRM_SERVICE_TOKEN_KEY, no prefix).
    service_token_key: SecretStr = token_key_field()
    service_token_previous_keys: str = previous_keys_field()

    # How long a request waits for a concurrent one with the same
    # Idempotency-Key before giving up with 409, how long a stored response
    # is replayed, and after how long an unfinished one (a crashed replica)
    # may be taken over.
    idempotency_wait_s: float = Field(5.0, ge=0)
    idempotency_ttl_s: int = Field(24 * 3600, gt=0)
    idempotency_lock_s: int = Field(120, gt=0)
    # Shutdown (SIGTERM): /readyz answers 503 at once; drain_delay_s later (time for the load balancer
    # to stop sending, a few seconds behind a Kubernetes Service) no new connection is accepted and
    # the requests in flight get shutdown_grace_s to finish (gateway.drain).
    drain_delay_s: float = Field(0.0, ge=0)
    shutdown_grace_s: float = Field(5.0, ge=0)
    # Largest request body accepted (lead imports are the big ones); larger gets 413.
    max_body_bytes: int = Field(20 * 1024 * 1024, gt=0)

    # NATS carries the notifications the gateway delivers (SSE, 企业微信).
    # Empty: no notifications (the stream endpoint answers 503).
    nats_url: str = ""
    # Tenant id -> 企业微信 group-robot webhook URL, as JSON.
    wecom_webhooks: dict[str, str] = Field(default_factory=dict)
    wecom_timeout_s: float = Field(5.0, gt=0)
    # E-signature webhook secrets, one per tenant and provider (each tenant signs up with the provider
    # on its own account), as JSON {"<tenant>": {"<provider>": "<secret>"}}; the chart gives it from a
    # Secret (charts/crm/values.yaml). A callback for a tenant and provider not named is refused.
    esign_secrets: dict[str, dict[str, SecretStr]] = Field(default_factory=dict)
    # A callback whose timestamp is further than this from now is refused (replays).
    esign_tolerance_s: int = Field(300, gt=0)
    # Deliveries of one notification before it is parked in the dead-letter stream.
    max_deliver: int = Field(5, ge=1)
    # Tests and demos only: a file holding seconds to add to the system time.
    clock_offset_file: str = ""

    @field_validator(*ADDRESS_FIELDS.values())
    @classmethod
    def _address(cls, value: str) -> str:
        try:
            grpc_target(value)
        except ValueError:
            raise ValueError("must be host:port, ip:port,ip:port,... or dns:///host:port") from None
        return value

    @field_validator("esign_secrets", mode="before")
    @classmethod
    def _esign_secrets_per_tenant(cls, value: object) -> object:
        return esign.check_secrets(value)

    @field_validator("esign_secrets")
    @classmethod
    def _esign_secrets_complete(cls, value: dict[str, dict[str, SecretStr]]) -> dict[str, dict[str, SecretStr]]:
        esign.check_complete(value)
        return value

    @model_validator(mode="after")
    def _auth_configured(self) -> Settings:
        if not self.dev_auth and not self.jwks_url:
            raise ValueError("GATEWAY_JWKS_URL is required unless GATEWAY_DEV_AUTH=true")
        if not self.dev_auth and not self.user_directory_path:
            raise ValueError("GATEWAY_USER_DIRECTORY_PATH is required unless GATEWAY_DEV_AUTH=true")
        if self.token_ttl_s > self.max_token_lifetime_s:
            raise ValueError("GATEWAY_TOKEN_TTL_S must not exceed GATEWAY_MAX_TOKEN_LIFETIME_S")
        return self

    @field_validator("dev_redirect_uris")
    @classmethod
    def _redirect_uris(cls, value: str) -> str:
        for uri in filter(None, (u.strip() for u in value.split(","))):
            parts = urlsplit(uri)
            if parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment:
                raise ValueError("must be absolute http(s) URLs without a fragment, comma-separated")
        return value

    @property
    def dev_redirect_uri_set(self) -> frozenset[str]:
        return frozenset(filter(None, (u.strip() for u in self.dev_redirect_uris.split(","))))

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///var/{SERVICE}.db"

    @property
    def issuer(self) -> str:
        return self.jwt_issuer or ("crm-gateway-dev" if self.dev_auth else "")

    @property
    def audience(self) -> str:
        return self.jwt_audience or ("crm-api" if self.dev_auth else "")

    def backend_addresses(self) -> dict[str, str]:
        return {name: getattr(self, field) for name, field in ADDRESS_FIELDS.items()}
