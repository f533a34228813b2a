"""Retries of backend calls that failed UNAVAILABLE: the replica went away
(restarted, killed, draining) or refused the connection. gRPC sends the next
try to another replica (round robin over the backend's addresses).

Only requests that are safe to run twice are retried:
- reads (GET, HEAD);
- POSTs with an Idempotency-Key, which the idempotency middleware runs once
  per key (a client's retry is replayed, not run again).

A write without a key is not retried: UNAVAILABLE after the call reached a
replica that then died says nothing about whether it committed, and running
it again could do it twice. The client gets the 503 and decides (with a key
it may retry safely). Note that a keyed write retried here may run again on
the backend if the replica died after committing and before answering: the
backend's own rules then apply (a lead ingested again is merged into the
lead it duplicates, the same lead, no second one).

Bounds, after gRPC's own retry design (gRFC A6):
- at most `max_attempts` tries (3), all within the call's one deadline
  (each try gets what is left of it);
- a retry first waits up to 2 s for a ready replica (Backends.call): while
  one replica drains, the channel may still be reconnecting to the other,
  just restarted (its reconnect back-off);
- full-jitter exponential back-off between tries (50 ms, 100 ms, ... at most
  500 ms), none that would end past the deadline;
- a retry budget per backend (A6's retry throttling): every UNAVAILABLE takes
  a token, every answer gives back a tenth; retries stop while half the
  tokens are gone, so during a whole backend's outage the gateway sends
  about one try per request instead of three. 50 tokens: a replica dying
  under the calls of some twenty concurrent requests has them all retried."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import TypeVar

import grpc
from prometheus_client import Counter

T = TypeVar("T")

SAFE_METHODS = frozenset({"GET", "HEAD"})

BACKEND_RETRIES = Counter(
    "crm_gateway_backend_retries_total",
    "Backend calls tried again after UNAVAILABLE, and tries not made (unsafe request, budget spent, deadline)",
    ["backend", "outcome"],
)

_safe: ContextVar[bool] = ContextVar("crm_gateway_retry_safe", default=False)


def mark_safe(safe: bool = True) -> Token[bool]:
    """The request being handled may be retried (reset with `unmark`)."""
    return _safe.set(safe)


def unmark(token: Token[bool]) -> None:
    _safe.reset(token)


def is_safe() -> bool:
    return _safe.get()


@dataclass
class RetryBudget:
    """gRFC A6 retry throttling: tokens start at max_tokens; a failed try
    takes one, a success gives back token_ratio; retrying is allowed while
    more than half remain."""

    max_tokens: float = 50.0
    token_ratio: float = 0.1
    tokens: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = self.max_tokens

    def failed(self) -> None:
        self.tokens = max(0.0, self.tokens - 1)

    def succeeded(self) -> None:
        self.tokens = min(self.max_tokens, self.tokens + self.token_ratio)

    def allows_retry(self) -> bool:
        return self.tokens > self.max_tokens / 2


class RetryPolicy:
    def __init__(
        self,
        *,
        max_attempts: int = 3,
        base_backoff_s: float = 0.05,
        max_backoff_s: float = 0.5,
        budget: Callable[[], RetryBudget] = RetryBudget,
        jitter: Callable[[], float] = random.random,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_attempts = max_attempts
        self.base_backoff_s = base_backoff_s
        self.max_backoff_s = max_backoff_s
        self._new_budget = budget
        self.budgets: dict[str, RetryBudget] = {}
        self.jitter = jitter
        self.sleep = sleep
        self.clock = clock

    def budget(self, backend: str) -> RetryBudget:
        if backend not in self.budgets:
            self.budgets[backend] = self._new_budget()
        return self.budgets[backend]

    async def call(self, backend: str, attempt: Callable[[float, bool], Awaitable[T]], timeout: float) -> T:
        """`await attempt(seconds_left, again)` until it answers, fails
        otherwise than UNAVAILABLE, or a bound (module docstring) says stop;
        the last failure is raised. `again` is true for a retry, which may
        first wait a little for a ready replica."""
        budget = self.budget(backend)
        deadline = self.clock() + timeout
        tries = 0
        while True:
            tries += 1
            try:
                result = await attempt(timeout if tries == 1 else max(deadline - self.clock(), 0.001), tries > 1)
            except grpc.aio.AioRpcError as error:
                if error.code() != grpc.StatusCode.UNAVAILABLE:
                    budget.succeeded()  # the backend answered: not an outage
                    raise
                budget.failed()
                backoff = self.jitter() * min(self.max_backoff_s, self.base_backoff_s * 2 ** (tries - 1))
                refusal = self._refusal(tries, budget, self.clock() + backoff >= deadline)
                if refusal:
                    BACKEND_RETRIES.labels(backend, refusal).inc()
                    raise
                BACKEND_RETRIES.labels(backend, "retried").inc()
                await self.sleep(backoff)
                continue
            budget.succeeded()
            return result

    def _refusal(self, tries: int, budget: RetryBudget, past_deadline: bool) -> str:
        if not is_safe():
            return "not_safe"
        if tries >= self.max_attempts:
            return "attempts_spent"
        if not budget.allows_retry():
            return "budget_spent"
        if past_deadline:
            return "deadline"
        return ""
