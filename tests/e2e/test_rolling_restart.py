"""Rolling restart under load: two replicas of every deployable (the gateway
too) on PostgreSQL; during a burst of leads through the gateways (an
Idempotency-Key each) every replica of every service is restarted in turn —
SIGTERM, it drains, the supervisor starts it again, the next one only once it
is back and ready. The client sees no failed request, and every acknowledged
lead exists once, with its one lead.created, ranked once.

The client reaches the gateways through a load balancer (tests/e2e/rollout.py
Balancer): a request that could not be sent to one gateway replica, or got no
answer from it, goes to the other with the same Idempotency-Key. Every HTTP
answer counts: any status but 201 is a failed request."""

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

LEADS = 1000  # at least; the burst goes on until the last replica is back


def test_every_replica_restarted_in_turn_during_a_burst_fails_loses_and_doubles_nothing(rollout: Rollout) -> None:
    r, stack = rollout, rollout.stack
    eventually(lambda: settled(r), 120, "the stack settled")
    leads_before, created_before = count(r, "lead-routing", "SELECT count(*) FROM leads"), created_events(r)
    restarted = threading.Event()
    burst = Burst(r, minimum=LEADS)
    number = r.burst + 1

    def send(lb, i):  # type: ignore[no-untyped-def]
        return lb.post("/v1/leads", lead_body(number, i), key=f"rolling-{number}-{i}")

    started = time.monotonic()
    lb = burst.run(restarted.is_set, send)
    took: dict[str, float] = {}
    try:
        eventually(lambda: len(burst.answers) >= 50, 60, "the burst under way")
        for d in WITH_DATABASE:  # not the console: see tests/e2e/rollout.py REPLICAS
            for instance in stack.instances(d.name):
                took[instance.process] = round(replace_replica(stack, instance, signal.SIGTERM), 1)
    finally:
        restarted.set()
        burst.join(lb)
    elapsed = time.monotonic() - started
    print(f"rolling restart: {len(burst.answers)} leads in {elapsed:.0f} s; restart to ready (s): {took}; "
          f"answers: {Counter(a.status_code for a in burst.answers.values())}; "
          f"balancer fail-overs: {len(lb.failovers)} {sorted({e for e, _ in lb.failovers})}")

    assert burst.errors == {}
    failed = {i: (a.status_code, a.text[:300]) for i, a in burst.answers.items() if a.status_code != 201}
    assert failed == {}
    # Drained, not cut off: no call was run twice (a second run would have merged into the first's lead).
    assert [i for i, a in burst.answers.items() if a.json()["duplicate"]] == []
    assert len(burst.answers) >= LEADS and len(took) == sum(stack.count(d.name) for d in WITH_DATABASE)
    ids = [a.json()["lead"]["lead_id"] for a in burst.answers.values()]
    phones = [lead_body(number, i)["phone"] for i in burst.answers]
    check_nothing_lost_or_doubled(r, ids, phones, created_before, leads_before)
