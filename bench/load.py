"""A closed-loop HTTP load generator (aiohttp): `concurrency` workers send
requests back to back for `duration` seconds; latencies in seconds."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)


async def run_load(
    url: str, body: Callable[[int], dict], *, headers: dict[str, str], concurrency: int, duration: float
) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    counter = 0
    deadline = time.perf_counter() + duration

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal errors, counter
        while time.perf_counter() < deadline:
            counter += 1
            started = time.perf_counter()
            async with session.post(url, json=body(counter), headers=headers) as response:
                await response.read()
                if response.status >= 300:
                    errors += 1
                    continue
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return LoadResult(len(latencies), errors, time.perf_counter() - started, latencies)
