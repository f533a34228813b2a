"""A real S3 API for the tests: moto's standalone server (moto[server]) as
its own process on a free port, with a bucket per test (bucket_for)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.infra import free_port, wait_port

# moto accepts any credentials; the store still signs its requests with these.
ACCESS_KEY_ID = "testing"
SECRET_ACCESS_KEY = "testing"
REGION = "us-east-1"


@dataclass
class MotoServer:
    endpoint: str
    process: subprocess.Popen[bytes]

    def bucket_for(self, name: str = "") -> str:
        """A new, empty bucket (S3 names: lowercase, digits, hyphens)."""
        import boto3  # moto[server] brings boto3; the service itself speaks S3 through obstore

        bucket = f"{name or 'blobs'}-{uuid.uuid4().hex[:12]}"
        boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
        ).create_bucket(Bucket=bucket)
        return bucket

    def settings(self, bucket: str) -> dict[str, str]:
        """The document-versioning settings of an S3 blob store in `bucket`."""
        return {
            "blob_store": "s3",
            "s3_bucket": bucket,
            "s3_endpoint": self.endpoint,
            "s3_region": REGION,
            "s3_access_key_id": ACCESS_KEY_ID,
            "s3_secret_access_key": SECRET_ACCESS_KEY,
        }


def start_moto(log_dir: Path) -> MotoServer:
    port = free_port()
    log = (log_dir / "moto.log").open("wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "AWS_DEFAULT_REGION": REGION},
    )
    try:
        wait_port(port, timeout=30)
    except TimeoutError:
        process.kill()
        raise
    return MotoServer(f"http://127.0.0.1:{port}", process)


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """One moto server for the session (started only by tests that ask for it)."""
    server = start_moto(tmp_path_factory.mktemp("moto"))
    yield server
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
