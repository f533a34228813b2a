"""Failure drill: during a burst of leads through the two gateways, one
replica of each deployable in turn is killed with SIGKILL (no drain); the
supervisor starts it again and the next is killed once it is back and ready.
The survivors carry on, and nothing is lost or doubled.

What the client sees (through the load balancer of tests/e2e/rollout.py):
- a backend replica killed: nothing — the gateway tries the cut-off call
  again on the other replica (UNAVAILABLE, keyed request). When the killed
  replica had committed the lead before dying, the call run again finds it
  (same phone) and answers with that lead, merged into itself (201 with
  `duplicate.merged` naming the same lead), no second one;
- the gateway replica killed while it handles a request: the connection
  drops without an answer, the balancer sends the request to the other
  gateway with the same Idempotency-Key, which finds the key claimed by the
  dead replica and answers 409 `idempotency-key-in-progress` (Retry-After: 1)
  until the claim is old enough to take over (GATEWAY_IDEMPOTENCY_LOCK_S, 15 s
  here); the client retries with the same key and then gets the lead (201;
  merged into itself when the dead gateway's call had committed it).
Any other answer is a failed request."""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter

import pytest
from crm_shared.deployables import WITH_DATABASE

from tests.e2e.rollout import (
    Burst,
    Rollout,
    check_nothing_lost_or_doubled,
    count,
    created_events,
    eventually,
    replace_replica,
    settled,
)
from tests.e2e.rollout import lead as lead_body

pytestmark = [pytest.mark.timeout(600), pytest.mark.scale_out]

LEADS = 400  # at least; the burst goes on until the last replica is back
IN_PROGRESS = "urn:crm:problem:idempotency-key-in-progress"


def test_one_replica_of_each_service_killed_in_turn_during_a_burst_loses_and_doubles_nothing(
    rollout: Rollout,
) -> None:
    r, stack = rollout, rollout.stack
    eventually(lambda: settled(r), 120, "the stack settled")
    leads_before, created_before = count(r, "lead-routing", "SELECT count(*) FROM leads"), created_events(r)
    killed_all = threading.Event()
    burst = Burst(r, minimum=LEADS)
    number = r.burst + 1
    waited: list[int] = []  # requests that heard 409 in-progress and were sent again

    def send(lb, i):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + 90
        while True:
            answer = lb.post("/v1/leads", lead_body(number, i), key=f"drill-{number}-{i}")
            if answer.status_code == 409 and answer.json().get("type") == IN_PROGRESS and time.monotonic() < deadline:
                waited.append(i)
                time.sleep(float(answer.headers.get("Retry-After", "1")))
                continue
            return answer

    lb = burst.run(killed_all.is_set, send)
    took: dict[str, float] = {}
    try:
        eventually(lambda: len(burst.answers) >= 50, 60, "the burst under way")
        for n, d in enumerate(WITH_DATABASE):  # not the console: see tests/e2e/rollout.py REPLICAS
            instance = stack.instances(d.name)[n % stack.count(d.name)]  # replica 1 of one, replica 2 of the next
            took[instance.process] = round(replace_replica(stack, instance, signal.SIGKILL), 1)
    finally:
        killed_all.set()
        burst.join(lb)
    merged = [a.json() for a in burst.answers.values() if a.status_code == 201 and a.json()["duplicate"]]
    print(f"failure drill: {len(burst.answers)} leads; kill to ready (s): {took}; "
          f"answers: {Counter(a.status_code for a in burst.answers.values())}; "
          f"balancer fail-overs: {len(lb.failovers)} {sorted({e for e, _ in lb.failovers})}; "
          f"waited on 409 in-progress: {len(set(waited))}; "
          f"run again and merged into itself: {len(merged)}")

    assert burst.errors == {}
    failed = {i: (a.status_code, a.text[:300]) for i, a in burst.answers.items() if a.status_code != 201}
    assert failed == {}
    assert len(burst.answers) >= LEADS
    # A call run again after its replica died having stored the lead finds that lead: the same one.
    for answer in merged:
        assert answer["duplicate"]["merged"] and answer["duplicate"]["matched_lead_id"] == answer["lead"]["lead_id"]
    ids = [a.json()["lead"]["lead_id"] for a in burst.answers.values()]
    phones = [lead_body(number, i)["phone"] for i in burst.answers]
    check_nothing_lost_or_doubled(r, ids, phones, created_before, leads_before)
