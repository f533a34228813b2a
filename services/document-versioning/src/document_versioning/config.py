from __future__ import annotations

from typing import Literal

from crm_shared.settings import ServiceSettings
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from document_versioning.domain.blob import SizeLimits

SERVICE = "document-versioning"
ENV_PREFIX = "DOCUMENT_VERSIONING_"


class BlobStoreSettings(BaseSettings):
    """Where version content lives (adapters/blob_store.py), alone so that
    migration 0003 can build the store without the service's other settings."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    # "filesystem": files under blob_dir (a PVC in Kubernetes); "s3": a bucket of an S3-compatible store.
    blob_store: Literal["filesystem", "s3"] = "filesystem"
    blob_dir: str = "var/document-blobs"
    s3_bucket: str = ""
    # e.g. http://minio:9000 for an S3-compatible server; empty: AWS's endpoint for s3_region.
    s3_endpoint: str = ""
    s3_region: str = "us-east-1"
    s3_prefix: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: SecretStr = SecretStr("")

    @model_validator(mode="after")
    def _bucket_named(self) -> BlobStoreSettings:
        if self.blob_store == "s3" and not self.s3_bucket:
            raise ValueError(f"{ENV_PREFIX}S3_BUCKET is required when {ENV_PREFIX}BLOB_STORE=s3")
        return self


class Settings(ServiceSettings, BlobStoreSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    grpc_port: int = 50054
    metrics_port: int = 9104
    # Attempts at taking the next version number when concurrent uploads collide.
    version_retries: int = 5
    # opportunity (host:port), asked who may see a document's opportunity; empty: every call answers UNAVAILABLE.
    opportunity_addr: str = ""
    access_timeout_s: float = Field(5.0, gt=0)
    # lead-routing (host:port), asked who may see a promotion application a document is about.
    lead_routing_addr: str = ""
    # E-signature providers a contract version may be sent to (comma-separated); the gateway holds their secrets.
    esign_providers: str = "fadada,esign"

    def esign_provider_names(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.esign_providers.split(",") if p.strip())
    # Largest content of one version, and per tenant / document type as JSON (domain/blob.py SizeLimits).
    max_content_bytes: int = Field(250 * 1024 * 1024, gt=0)
    content_limits: str = ""
    # Text extraction for diffs and the knowledge base (adapters/text_extraction.py): a larger
    # blob is not read; past the page and character bounds the text is cut (and says so).
    extraction_max_bytes: int = Field(50 * 1024 * 1024, gt=0)
    extraction_max_pages: int = Field(500, gt=0)
    extraction_max_chars: int = Field(1_000_000, gt=0)
    # OCR of scanned PDFs with tesseract (Debian's tesseract-ocr, tesseract-ocr-chi-sim); off by default.
    ocr_enabled: bool = False
    ocr_languages: str = "chi_sim+eng"
    # Seconds a text diff may take before it answers a coarser (still correct) diff.
    diff_timeout_s: float = Field(0.8, gt=0)
    # The sweep of blobs no version names (service_layer/blob_sweep.py): every interval (0: off), on
    # the replica holding its lease; what was written within the grace period is kept.
    blob_sweep_interval_s: float = 3600.0
    blob_sweep_grace_s: float = Field(24 * 3600.0, ge=60)

    @model_validator(mode="after")
    def _limits_parse(self) -> Settings:
        SizeLimits.parse(self.max_content_bytes, self.content_limits)
        return self

    def size_limits(self) -> SizeLimits:
        return SizeLimits.parse(self.max_content_bytes, self.content_limits)
