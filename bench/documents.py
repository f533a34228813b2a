"""Document content throughput: a large file (BENCH_DOC_MB, default 100 MB,
a drawing set) uploaded through the gateway (POST /v1/documents/uploads, the
raw body streamed -> gRPC client stream -> the filesystem blob store: hashed,
fsynced, renamed into place) and downloaded (GET .../content, the reverse),
in MB/s, against a plain copy of the same bytes from file to file (read,
write, fsync) measured in the same run. Rounds are interleaved so load on
the machine weighs on all alike; each round's file differs in its first
bytes, so every upload stores new content. The whole stack runs as its own
processes on free ports (scripts/localstack.py); only the public REST API is used."""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.intake import local_stack, result
from scripts.localstack import token

SIZE_MB = int(os.environ.get("BENCH_DOC_MB", "100"))
ROUNDS = int(os.environ.get("BENCH_DOC_ROUNDS", "3"))
BLOCK = 1024 * 1024
OWNER = "zhangwei"


def _write_file(path: Path, size: int, round_no: int) -> None:
    block = os.urandom(BLOCK)
    with path.open("wb") as f:
        f.write(round_no.to_bytes(8, "big") + block[8:])
        for _ in range(size // BLOCK - 1):
            f.write(block)


def _plain_copy(source: Path, target: Path) -> float:
    started = time.perf_counter()
    with source.open("rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst, BLOCK)
        dst.flush()
        os.fsync(dst.fileno())
    return time.perf_counter() - started


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(BLOCK):
            yield chunk


def bench_documents() -> list[dict]:
    size = SIZE_MB * BLOCK
    mb = size / 1e6
    copies: list[float] = []
    uploads: list[float] = []
    downloads: list[float] = []
    with local_stack() as stack, tempfile.TemporaryDirectory() as tmp:
        base = f"http://127.0.0.1:{stack.http_port}"
        auth = {"Authorization": f"Bearer {token(base, OWNER)}"}
        with httpx.Client(base_url=base, headers=auth, timeout=600) as http:
            opp = http.post("/v1/opportunities", json={"customer_name": "宁波海天注塑机配套厂", "name": "二期产线改造"})
            opp.raise_for_status()
            opportunity_id = opp.json()["opportunity"]["opportunity_id"]
            source, copy = Path(tmp) / "drawings.zip", Path(tmp) / "copy.zip"
            for n in range(ROUNDS):
                _write_file(source, size, n)
                copies.append(mb / _plain_copy(source, copy))

                started = time.perf_counter()
                reply = http.post(
                    "/v1/documents/uploads",
                    params={"opportunity_id": opportunity_id, "doc_type": "技术方案", "title": f"图纸集 {n}",
                            "filename": f"图纸集-{n}.zip"},
                    content=_chunks(source),
                    headers={"Content-Type": "application/zip"},
                )
                uploads.append(mb / (time.perf_counter() - started))
                reply.raise_for_status()
                version_id = reply.json()["version"]["version_id"]

                started = time.perf_counter()
                received = 0
                with http.stream("GET", f"/v1/document-versions/{version_id}/content") as download:
                    download.raise_for_status()
                    for chunk in download.iter_bytes(BLOCK):
                        received += len(chunk)
                downloads.append(mb / (time.perf_counter() - started))
                assert received == size, f"downloaded {received} of {size} bytes"
    copy_rate = statistics.median(copies)
    return [
        result(f"document upload {SIZE_MB} MB (MB/s, vs file copy)", statistics.median(uploads), "MB/s", copy_rate),
        result(f"document download {SIZE_MB} MB (MB/s, vs file copy)", statistics.median(downloads), "MB/s", copy_rate),
    ]
