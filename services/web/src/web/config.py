"""Settings of the web console (env prefix WEB_). Loaded once at start; a
missing or invalid value stops the process naming the variable."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE = "web"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WEB_", extra="ignore", hide_input_in_errors=True)

    http_host: str = "127.0.0.1"
    http_port: int = Field(8090, ge=0, le=65535)
    log_level: str = "INFO"
    # The gateway's REST API, as this process reaches it (a cluster-internal URL in production).
    gateway_url: str = "http://127.0.0.1:8080"
    # The console's own URL as the browser sees it: the OIDC redirect URI is <public_url>/auth/callback.
    # Empty: taken from each request (fine locally; set it behind a proxy).
    public_url: str = ""
    # The OIDC issuer (its /.well-known/openid-configuration); empty: the gateway's dev issuer.
    oidc_issuer_url: str = ""
    # The issuer's URL as the browser reaches it, when it differs from how this process does.
    oidc_public_issuer_url: str = ""
    oidc_client_id: str = "crm-web"
    # Session cookies: encrypted with the first key (Fernet, url-safe base64 of 32 bytes), read with any.
    # Empty: a key generated once into session_key_path (local runs).
    session_keys: SecretStr = SecretStr("")
    session_key_path: str = ""
    # `Secure` cookies everywhere but a plain-HTTP local run.
    cookie_secure: bool = True
    # Per-call deadline towards the gateway; a slower answer is shown as "try again".
    gateway_timeout_s: float = Field(10.0, gt=0)
    # The gateway's batch calls (a statement or lead import) may take longer.
    gateway_batch_timeout_s: float = Field(90.0, gt=0)
    # The npm packages (services/web/node_modules) the pages load from /static/vendor.
    node_modules: str = str(Path(__file__).resolve().parents[2] / "node_modules")

    @property
    def issuer_url(self) -> str:
        return (self.oidc_issuer_url or self.gateway_url).rstrip("/")
