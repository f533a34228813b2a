"""The idempotency rule and its runner, against an in-memory store."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from crm_shared.clock import FixedClock
from gateway.idempotency import Idempotency, KeyScope, Outcome, Record, decide, fingerprint
from gateway.problems import Problem

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TTL, LOCK = timedelta(hours=24), timedelta(minutes=2)
SCOPE = KeyScope("demo", "zhangwei", "k1")


class MemoryStore:
    def __init__(self) -> None:
        self.rows: dict[KeyScope, Record] = {}

    async def claim(self, scope, fp, now):
        if scope in self.rows:
            return self.rows[scope]
        self.rows[scope] = Record(fp, now)
        return None

    async def take_over(self, scope, old, fp, now):
        if self.rows.get(scope) != old:
            return False
        self.rows[scope] = Record(fp, now)
        return True

    async def complete(self, scope, status_code, content_type, body, now):
        self.rows[scope] = replace(self.rows[scope], status_code=status_code, content_type=content_type, body=body)

    async def release(self, scope):
        if self.rows.get(scope) and self.rows[scope].status_code is None:
            del self.rows[scope]


def test_fingerprint_covers_method_path_and_body() -> None:
    base = fingerprint("POST", "/v1/leads", b'{"a":1}')
    assert base == fingerprint("post", "/v1/leads", b'{"a":1}')
    assert base != fingerprint("POST", "/v1/leads", b'{"a":2}')
    assert base != fingerprint("POST", "/v1/opportunities", b'{"a":1}')
    # No ambiguity from where the path ends and the body starts.
    assert fingerprint("POST", "/a", b"b") != fingerprint("POST", "/ab", b"")


@pytest.mark.parametrize(
    "record,fp,age,outcome",
    [
        (Record("f", T0, 201, "application/json", b"{}"), "f", timedelta(minutes=5), Outcome.REPLAY),
        (Record("f", T0, 400, "application/problem+json", b"{}"), "f", timedelta(0), Outcome.REPLAY),
        (Record("f", T0, 201), "g", timedelta(minutes=5), Outcome.MISMATCH),
        (Record("f", T0), "f", timedelta(seconds=1), Outcome.IN_PROGRESS),
        (Record("f", T0), "g", timedelta(seconds=1), Outcome.MISMATCH),
        (Record("f", T0), "f", timedelta(minutes=3), Outcome.TAKE_OVER),  # a crashed replica's
        (Record("f", T0, 201), "g", timedelta(hours=25), Outcome.TAKE_OVER),  # expired
    ],
)
def test_decide(record: Record, fp: str, age: timedelta, outcome: Outcome) -> None:
    assert decide(record, fp, T0 + age, TTL, LOCK) is outcome


def _runner(store: MemoryStore, clock: FixedClock | None = None) -> Idempotency:
    ttl, lock = TTL.total_seconds(), LOCK.total_seconds()
    return Idempotency(store, wait_s=0.2, ttl_s=ttl, lock_s=lock, clock=clock or FixedClock(T0), poll_s=0.01)


async def test_first_runs_then_replays_and_a_different_body_conflicts() -> None:
    store = MemoryStore()
    idem = _runner(store)
    assert await idem.begin(SCOPE, "f") is None
    await idem.finish(SCOPE, 201, "application/json", b'{"lead":{}}')
    replay = await idem.begin(SCOPE, "f")
    assert replay and (replay.status_code, replay.body) == (201, b'{"lead":{}}')
    with pytest.raises(Problem) as err:
        await idem.begin(SCOPE, "other")
    assert err.value.status == 409
    # Scoped per tenant and user.
    assert await idem.begin(KeyScope("other", "zhangwei", "k1"), "f") is None


async def test_5xx_is_not_stored_so_a_retry_runs_again() -> None:
    store = MemoryStore()
    idem = _runner(store)
    assert await idem.begin(SCOPE, "f") is None
    await idem.finish(SCOPE, 503, "application/problem+json", b"{}")
    assert await idem.begin(SCOPE, "f") is None


async def test_a_concurrent_retry_waits_then_gets_409() -> None:
    idem = _runner(MemoryStore())
    assert await idem.begin(SCOPE, "f") is None
    with pytest.raises(Problem) as err:
        await idem.begin(SCOPE, "f")
    assert err.value.status == 409 and "still being processed" in err.value.detail


async def test_an_abandoned_request_is_taken_over() -> None:
    clock = FixedClock(T0)
    idem = _runner(MemoryStore(), clock)
    assert await idem.begin(SCOPE, "f") is None
    clock.advance(timedelta(minutes=3))
    assert await idem.begin(SCOPE, "f") is None
