"""Anomaly flags (service_layer/anomalies.py) on fakes: the scan is keyed — a
rerun raises nothing new; a flag gives the rep's manager a task and a
notification; dismissing keeps the reason; the flagged rep, other reps,
another team's manager and a partner see nothing. The backdating flag counts
what a rep typed late, never an imported archive's own (old) times."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import timedelta

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from crm_shared.testing import DEFAULT_NOW
from opportunity.domain.anomalies.flags import BACKDATING, Flag, Recorded
from opportunity.domain.rep import Rep
from opportunity.service_layer.activities import ActivityHandlers, LogActivity
from opportunity.service_layer.anomalies import AnomalyHandlers
from opportunity.service_layer.wecom_import import WecomImportHandlers

from .fakes import FakePipelines, FakeSettingsRows, fake_uow
from .test_handlers_conversations import (
    WECOM_ID,
    Contacts,
    FakeConversations,
    Opportunities,
    contact,
    customer,
    export,
    line,
)

TENANT = "t"
REP = Caller(TENANT, "rep-1", "rep")
OTHER_REP = Caller(TENANT, "rep-2", "rep")
MANAGER = Caller(TENANT, "mgr-1", "manager")
OTHER_MANAGER = Caller(TENANT, "mgr-2", "manager")
ADMIN = Caller(TENANT, "admin-1", "admin")
PARTNER = Caller(TENANT, "p-1", "partner")


class FakeAnomalies:
    """anomaly_flags, and the facts the scan reads from the other fakes — as
    the repository's queries do: original entries only, imported ones (a
    conversation source) left out."""

    def __init__(self, uow) -> None:  # type: ignore[no-untyped-def]
        self.uow = uow
        self.flags: dict[str, Flag] = {}

    async def add_unless_exists(self, flag: Flag) -> bool:
        if any(f.tenant_id == flag.tenant_id and f.key == flag.key for f in self.flags.values()):
            return False
        self.flags[flag.flag_id] = flag
        return True

    async def get(self, tenant_id, flag_id):  # type: ignore[no-untyped-def]
        found = self.flags.get(flag_id)
        return found if found and found.tenant_id == tenant_id else None

    async def dismiss(self, flag: Flag) -> bool:
        if self.flags[flag.flag_id].state != "open":
            return False
        self.flags[flag.flag_id] = flag
        return True

    async def list(self, tenant_id, *, rep_ids, state, kind, rep_id):  # type: ignore[no-untyped-def]
        return [
            f
            for f in reversed(self.flags.values())
            if f.tenant_id == tenant_id
            and (rep_ids is None or f.rep_id in rep_ids)
            and state in ("all", f.state)
            and kind in ("", f.kind)
            and rep_id in ("", f.rep_id)
        ]

    async def tenants(self):  # type: ignore[no-untyped-def]
        return [TENANT]

    async def managers(self, tenant_id):  # type: ignore[no-untyped-def]
        return {r.rep_id: r.manager_id for r in self.uow.reps.items(tenant_id)}

    async def rep_names(self, tenant_id, rep_ids):  # type: ignore[no-untyped-def]
        return {r.rep_id: r.name for r in self.uow.reps.items(tenant_id) if r.rep_id in set(rep_ids)}

    async def recorded_since(self, tenant_id, since):  # type: ignore[no-untyped-def]
        imported = {a for (t, _, _), (a, _) in self.uow.conversations.sources.items() if t == tenant_id}
        return [
            Recorded(a.activity_id, a.actor_id, a.kind, a.occurred_at, a.recorded_at, len(a.violations))
            for a in self.uow.activities.items(tenant_id)
            if a.recorded_at >= since and a.relation == "" and a.activity_id not in imported
        ]

    async def open_stays(self, tenant_id):  # type: ignore[no-untyped-def]
        return []

    async def completed_stays(self, tenant_id):  # type: ignore[no-untyped-def]
        return []

    async def follow_up_flagged(self, tenant_id):  # type: ignore[no-untyped-def]
        return []


class Pipelines(FakePipelines):
    async def list(self, tenant_id):  # type: ignore[no-untyped-def]
        return self.items(tenant_id)


def setup():  # type: ignore[no-untyped-def]
    uow = fake_uow(contacts=Contacts(), opportunities=Opportunities(), pipelines=Pipelines())
    uow.conversations = FakeConversations(uow.customers, uow.contacts)
    uow.anomalies = FakeAnomalies(uow)
    uow.anomaly_settings = FakeSettingsRows()
    for customer_id, owner in (("c-1", "rep-1"), ("c-2", "rep-2"), ("c-3", "rep-3")):
        uow.customers.put(customer(customer_id, owner))
    uow.contacts.put(contact("k-1", "c-1"))
    uow.conversations.wecom[(TENANT, WECOM_ID)] = ("k-1", "c-1")
    for rep_id, name, manager in (("rep-1", "张伟", "mgr-1"), ("rep-2", "李娜", "mgr-1"), ("rep-3", "吴昊", "mgr-2")):
        uow.reps.put(Rep(TENANT, rep_id, name, "华东", manager, "华东", True, DEFAULT_NOW))
    return uow, AnomalyHandlers(lambda: uow)


async def type_late(uow, caller: Caller, customer_id: str, count: int, days: int = 3) -> list[str]:  # type: ignore[no-untyped-def]
    """`count` activities the rep types now, dated `days` back (within the 7 days a rep may backdate)."""
    log = ActivityHandlers(lambda: uow)
    when = DEFAULT_NOW - timedelta(days=days)
    return [
        (await log.log(caller, LogActivity(customer_id, "call", f"电话 {n}", occurred_at=when))).activity.activity_id
        for n in range(count)
    ]


async def import_old_archive(uow, messages: int = 6) -> None:  # type: ignore[no-untyped-def]
    weeks_ago = DEFAULT_NOW - timedelta(weeks=5)
    content = export(
        *(line(f"m{n}", WECOM_ID, ["rep-1"], f"消息 {n}", weeks_ago + timedelta(hours=n)) for n in range(messages))
    )
    report = await WecomImportHandlers(lambda: uow).import_wecom(REP, content)
    assert (report.imported, report.unmatched) == (messages, [])


def notices(uow):  # type: ignore[no-untyped-def]
    return [m for t, _, _, m in uow.published if t.startswith("notification")]


async def test_a_scan_flags_typed_backdating_once_and_gives_the_manager_a_task_and_a_notice() -> None:
    uow, handlers = setup()
    late = await type_late(uow, OTHER_REP, "c-2", 4)
    raised = await handlers.scan_tenant(TENANT)
    assert raised[BACKDATING] == 1 and sum(raised.values()) == 1
    [flag] = uow.anomalies.flags.values()
    assert (flag.kind, flag.rep_id, flag.subject_type, flag.state) == (BACKDATING, "rep-2", "rep", "open")
    assert flag.evidence["count"] == 4 and sorted(flag.evidence["activity_ids"]) == sorted(late)
    assert flag.evidence["max_lag_hours"] == 72.0

    [task] = uow.tasks.items(TENANT)
    assert (task.owner_id, task.rule, task.state) == ("mgr-1", "anomaly_flag", "open")
    assert "补录倒填" in task.title and "rep-2" in task.title
    [notice] = notices(uow)
    assert (notice.recipient_id, notice.kind, notice.subject_id) == ("mgr-1", "anomaly.flagged", flag.flag_id)
    assert "count=4" in notice.body

    # The same occasion: a rerun raises nothing, tasks and notices stay one each.
    uow.published.clear()
    assert sum((await handlers.scan_tenant(TENANT)).values()) == 0
    assert len(uow.anomalies.flags) == 1 and len(uow.tasks.items(TENANT)) == 1 and notices(uow) == []


async def test_as_many_late_entries_as_allowed_raise_nothing() -> None:
    uow, handlers = setup()
    await type_late(uow, OTHER_REP, "c-2", 3)  # backdate_min_count: more than 3 flag
    await type_late(uow, OTHER_REP, "c-2", 5, days=1)  # 24 h late: under backdate_hours
    assert sum((await handlers.scan_tenant(TENANT)).values()) == 0


async def test_an_imported_old_archive_raises_no_backdating_flag_the_reps_typed_late_entries_still_do() -> None:
    uow, handlers = setup()
    await import_old_archive(uow)
    assert sum((await handlers.scan_tenant(TENANT)).values()) == 0
    assert uow.anomalies.flags == {} and notices(uow) == []

    typed = await type_late(uow, REP, "c-1", 4)
    assert (await handlers.scan_tenant(TENANT))[BACKDATING] == 1
    [flag] = uow.anomalies.flags.values()
    assert flag.rep_id == "rep-1" and flag.evidence["count"] == 4
    assert sorted(flag.evidence["activity_ids"]) == sorted(typed)


async def flagged(uow, handlers):  # type: ignore[no-untyped-def]
    await type_late(uow, OTHER_REP, "c-2", 4)
    await handlers.scan_tenant(TENANT)
    [flag] = uow.anomalies.flags.values()
    return flag


async def test_dismissing_keeps_the_reason_and_a_dismissed_flag_stays_dismissed() -> None:
    uow, handlers = setup()
    flag = await flagged(uow, handlers)
    for blank in ("", "   "):
        with pytest.raises(InvalidArgument) as refused:
            await handlers.dismiss(MANAGER, flag.flag_id, blank)
        assert [v.field for v in refused.value.violations] == ["reason"]
    with pytest.raises(InvalidArgument):
        await handlers.dismiss(MANAGER, flag.flag_id, "x" * 501)

    done, name = await handlers.dismiss(MANAGER, flag.flag_id, "  展会后集中补录，已核实  ")
    assert (done.state, done.dismissed_by, done.dismissed_at, done.reason, name) == (
        "dismissed",
        "mgr-1",
        DEFAULT_NOW,
        "展会后集中补录，已核实",
        "李娜",
    )
    assert asdict(uow.anomalies.flags[flag.flag_id]) == asdict(done)
    assert await handlers.list(MANAGER, state="open", rep_id="", kind="") == []
    kept = await handlers.list(MANAGER, state="dismissed", rep_id="", kind="")
    assert [(f.reason, n) for f, n in kept] == [("展会后集中补录，已核实", "李娜")]
    with pytest.raises(FailedPrecondition):
        await handlers.dismiss(ADMIN, flag.flag_id, "again")
    # A dismissed flag is not raised again by the next scan.
    assert sum((await handlers.scan_tenant(TENANT)).values()) == 0
    # The flag never edited what it names.
    assert len(uow.activities.items(TENANT)) == 4


async def test_the_flagged_rep_other_reps_another_team_and_a_partner_see_nothing() -> None:
    uow, handlers = setup()
    flag = await flagged(uow, handlers)
    for caller in (OTHER_REP, REP, PARTNER):
        with pytest.raises(PermissionDenied):
            await handlers.list(caller, state="all", rep_id="", kind="")
        with pytest.raises(PermissionDenied):
            await handlers.dismiss(caller, flag.flag_id, "看过了")
        with pytest.raises(PermissionDenied):
            await handlers.scan_now(caller)
    assert await handlers.list(OTHER_MANAGER, state="all", rep_id="rep-2", kind="") == []
    with pytest.raises(NotFound):
        await handlers.dismiss(OTHER_MANAGER, flag.flag_id, "看过了")
    with pytest.raises(NotFound):
        await handlers.dismiss(Caller("t2", "mgr-1", "manager"), flag.flag_id, "看过了")
    assert uow.anomalies.flags[flag.flag_id].state == "open"
    # A manager reads their team's flags only, an admin the tenant's.
    uow.anomalies.flags["f-own"] = replace(flag, flag_id="f-own", key="own", rep_id="mgr-1")
    assert [f.flag_id for f, _ in await handlers.list(MANAGER, state="all", rep_id="", kind="")] == [flag.flag_id]
    assert {f.flag_id for f, _ in await handlers.list(ADMIN, state="all", rep_id="", kind="")} == {
        flag.flag_id,
        "f-own",
    }
    with pytest.raises(InvalidArgument):
        await handlers.list(MANAGER, state="closed", rep_id="", kind="")
