"""A periodic job's lease is renewed while the job runs, so a run longer than
the lease never has a second replica start the job beside it; a holder that
cannot renew stops its run before the lease could pass to another. On a fake
lease store and a virtual clock: every sleep is a point in virtual time,
reached once every task waits."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from datetime import UTC, datetime, timedelta

from crm_shared.clock import FixedClock
from crm_shared.lease import PeriodicJob, takeover_grace

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class VirtualTime:
    """asyncio.sleep on a FixedClock: run() moves the clock to the next sleeper once all tasks wait."""

    def __init__(self, clock: FixedClock) -> None:
        self.clock = clock
        self._sleepers: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.clock.now() + timedelta(seconds=seconds), next(self._seq), future))
        await future

    async def run(self, until: asyncio.Task[object], limit_s: float = 3600) -> None:
        end = self.clock.now() + timedelta(seconds=limit_s)
        while not until.done():
            for _ in range(20):  # let every task run up to its next sleep (fakes do no I/O)
                await asyncio.sleep(0)
            if until.done() or not self._sleepers:
                break
            at, _, future = heapq.heappop(self._sleepers)
            assert at <= end, "virtual time ran out"
            if at > self.clock.now():
                self.clock.advance(at - self.clock.now())
            if not future.done():
                future.set_result(None)


class FakeLeases:
    """The lease table: name -> (holder, expires_at), on the virtual clock."""

    def __init__(self, clock: FixedClock) -> None:
        self.clock = clock
        self.rows: dict[str, tuple[str, datetime]] = {}
        self.renewals = 0
        self.failing = False  # the database does not answer

    async def acquire(self, name: str, holder: str, ttl: timedelta) -> bool:
        now = self.clock.now()
        current = self.rows.get(name)
        if current and current[0] != holder and current[1] + takeover_grace(ttl) >= now:
            return False
        self.rows[name] = (holder, now + ttl)
        return True

    async def renew(self, name: str, holder: str, ttl: timedelta) -> bool:
        if self.failing:
            raise ConnectionError("database unreachable")
        self.renewals += 1
        current = self.rows.get(name)
        if not current or current[0] != holder:
            return False
        self.rows[name] = (holder, self.clock.now() + ttl)
        return True

    async def release(self, name: str, holder: str) -> None:
        if self.rows.get(name, ("",))[0] == holder:
            del self.rows[name]


class Replicas:
    """Two replicas of a service ticking the same job; who runs when."""

    def __init__(self, job_s: float, ttl_s: float = 30) -> None:
        self.clock = FixedClock(START)
        self.time = VirtualTime(self.clock)
        self.leases = FakeLeases(self.clock)
        self.running: set[str] = set()
        self.overlaps = 0
        self.runs: list[tuple[str, datetime, str]] = []  # (replica, started, how it ended)
        self.jobs = {
            name: PeriodicJob(None, "rerank", self._job(name, job_s), interval=5, ttl_s=ttl_s,
                              leases=self.leases, sleep=self.time.sleep)
            for name in ("a", "b")
        }

    def _job(self, name: str, seconds: float):
        async def run() -> None:
            self.running.add(name)
            self.overlaps += len(self.running) > 1
            started = self.clock.now()
            try:
                await self.time.sleep(seconds)
                self.runs.append((name, started, "done"))
            except asyncio.CancelledError:
                self.runs.append((name, started, "cancelled"))
                raise
            finally:
                self.running.discard(name)

        return run

    async def tick(self, name: str, every_s: float, times: int) -> list[bool]:
        ran = []
        for _ in range(times):
            ran.append(await self.jobs[name].run_once())
            await self.time.sleep(every_s)
        return ran


async def test_a_job_running_four_times_its_lease_keeps_it_and_the_other_replica_never_starts_it() -> None:
    world = Replicas(job_s=120, ttl_s=30)

    async def both() -> tuple[list[bool], list[bool]]:
        a = asyncio.create_task(world.tick("a", 5, 1))
        await asyncio.sleep(0)  # a takes the lease first
        b = asyncio.create_task(world.tick("b", 5, 40))  # every 5 s for 200 s: the run and after
        return await a, await b

    task = asyncio.create_task(both())
    await world.time.run(task)
    a_ran, b_ran = task.result()
    assert a_ran == [True]
    assert world.overlaps == 0
    # a ran 120 s on a 30 s lease: renewed every 10 s; b ran only once a had finished.
    assert world.runs[0][:1] == ("a",) and world.runs[0][2] == "done"
    assert world.leases.renewals >= 11
    b_runs = [started for name, started, _ in world.runs if name == "b"]
    assert b_runs and min(b_runs) >= START + timedelta(seconds=120)
    # b took over once a's lease, no longer renewed after its run, expired.
    assert b_ran.index(True) * 5 >= 120 + 30 - 5


async def test_a_holder_that_cannot_renew_stops_its_run_before_the_lease_expires() -> None:
    world = Replicas(job_s=120, ttl_s=30)

    async def scenario() -> list[bool]:
        a = asyncio.create_task(world.jobs["a"].run_once())
        await world.time.sleep(15)
        world.leases.failing = True  # a's renewals fail from now on (a partition)
        await world.time.sleep(16)  # past the last renewal's expiry (t=10 + 30 = 40 s)
        world.leases.failing = False
        b = await world.tick("b", 5, 4)
        await a
        return b

    task = asyncio.create_task(scenario())
    await world.time.run(task)
    assert world.overlaps == 0
    a_run = next(run for run in world.runs if run[0] == "a")
    assert a_run[2] == "cancelled"
    b_runs = [run for run in world.runs if run[0] == "b"]
    assert b_runs and b_runs[0][1] >= START + timedelta(seconds=40)
    assert any(task.result())


async def test_a_lease_taken_by_another_replica_stops_the_run_at_the_next_renewal() -> None:
    world = Replicas(job_s=120, ttl_s=30)

    async def scenario() -> bool:
        a = asyncio.create_task(world.jobs["a"].run_once())
        await world.time.sleep(12)
        world.leases.rows["rerank"] = ("someone-else", world.clock.now() + timedelta(seconds=30))
        return await a

    task = asyncio.create_task(scenario())
    await world.time.run(task)
    assert task.result() is True
    assert world.runs == [("a", START, "cancelled")]
    assert world.clock.now() <= START + timedelta(seconds=21)  # the renewal at 20 s found it gone


async def test_a_job_stopped_from_outside_is_cancelled_and_not_counted_as_a_lost_lease() -> None:
    world = Replicas(job_s=120, ttl_s=30)

    async def scenario() -> None:
        a = asyncio.create_task(world.jobs["a"].run_once())
        await world.time.sleep(5)
        a.cancel()
        try:
            await a
        except asyncio.CancelledError:
            return
        raise AssertionError("run_once swallowed the cancellation")

    task = asyncio.create_task(scenario())
    await world.time.run(task)
    task.result()
    assert world.runs == [("a", START, "cancelled")]
