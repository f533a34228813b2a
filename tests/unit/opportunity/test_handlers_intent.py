"""High intent (service_layer/intent.py) on fakes: two default signals within
the window mark the customer and its open opportunity; the tool pack (a
knowledge entry recommended for the signal is in the rep's notification) is
sent by its sweep, with no unit of work open while the knowledge base is
asked, once however often the event or the sweep runs; one signal, or two
outside the window, do not; the proposal countdown is met by a proposal
version in time, and an overdue one reminds the rep with one keyed task (a
rerun never doubles) and copies the manager."""

from __future__ import annotations

from datetime import timedelta

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, InvalidArgument, NotFound, PermissionDenied, Unavailable
from crm_shared.testing import DEFAULT_NOW, FakeRepository
from opportunity.domain.intent import SignalHit, TaggedActivity
from opportunity.domain.intent_episode import HighIntent, ToolEntry
from opportunity.domain.opportunity import open_opportunity
from opportunity.domain.rep import Rep
from opportunity.service_layer.intent import IntentHandlers

from .fakes import FakeOpportunities, FakeSettingsRows, fake_uow

TENANT = "t"
REP = Caller(TENANT, "rep-1", "rep")
OTHER_REP = Caller(TENANT, "rep-2", "rep")
MANAGER = Caller(TENANT, "mgr-1", "manager")
PARTNER = Caller(TENANT, "p-1", "partner")


class FakeIntents(FakeRepository[HighIntent]):
    id_field = "intent_id"

    def __init__(self) -> None:
        super().__init__()
        self.hits: dict[tuple[str, str, str], tuple[str, SignalHit]] = {}

    async def add_hit(self, tenant_id, customer_id, opportunity_id, hit) -> bool:  # type: ignore[no-untyped-def]
        key = (tenant_id, hit.activity_id, hit.name)
        if key in self.hits:
            return False
        self.hits[key] = (customer_id, hit)
        return True

    async def hits_since(self, tenant_id, customer_id, since):  # type: ignore[no-untyped-def]
        return sorted(
            (
                h
                for (t, _, _), (c, h) in self.hits.items()
                if t == tenant_id and c == customer_id and h.occurred_at >= since
            ),
            key=lambda h: h.occurred_at,
        )

    async def add_unless_taken(self, intent: HighIntent) -> bool:
        if self.items(intent.tenant_id, customer_id=intent.customer_id, opportunity_id=intent.opportunity_id):
            return False
        self.put(intent)
        return True

    async def save(self, intent: HighIntent) -> None:
        self.put(intent)

    async def get(self, tenant_id, intent_id, *, lock=False):  # type: ignore[no-untyped-def]
        return self.rows.get((tenant_id, intent_id))

    async def unnotified(self, limit):  # type: ignore[no-untyped-def]
        return sorted((i for i in self.items() if i.notified_at is None), key=lambda i: i.entered_at)[:limit]

    async def for_customer(self, tenant_id, customer_id):  # type: ignore[no-untyped-def]
        return sorted(self.items(tenant_id, customer_id=customer_id), key=lambda i: i.entered_at, reverse=True)

    async def running_for_opportunity(self, tenant_id, opportunity_id, *, lock=False):  # type: ignore[no-untyped-def]
        return self.items(tenant_id, opportunity_id=opportunity_id, proposal_state="running")

    async def overdue(self, now, limit):  # type: ignore[no-untyped-def]
        return [i for i in self.items() if i.proposal_state == "running" and i.proposal_due_at < now][:limit]

    async def listed(self, tenant_id, owner_ids, *, open_only, since=None, until=None):  # type: ignore[no-untyped-def]
        return [
            (i, "open", "一期")
            for i in self.items(tenant_id)
            if (owner_ids is None or i.owner_id in owner_ids)
            and (since is None or i.entered_at >= since)
            and (until is None or i.entered_at < until)
        ]


class Opportunities(FakeOpportunities):
    async def open_for_customer(self, tenant_id, customer_id):  # type: ignore[no-untyped-def]
        return [o for o in self.items(tenant_id, customer_id=customer_id) if o.is_open]


class FakeKnowledge:
    def __init__(self, unavailable: bool = False) -> None:
        self.asked: list[list[str]] = []
        self.unavailable = unavailable
        self.factory: Clocked | None = None
        self.open_while_asked: list[int] = []  # units of work open at each call

    async def recommend(self, tenant_id, *, stage, industry, product_line, signals, size):  # type: ignore[no-untyped-def]
        self.asked.append(list(signals))
        self.open_while_asked.append(self.factory.open if self.factory else -1)
        if self.unavailable:
            raise Unavailable("document-versioning is down")
        entries = [
            ToolEntry("doc-cmp", "模具产品对比表", ("索要产品对比表",)),
            ToolEntry("doc-pay", "账期政策", ("询问付款账期",)),
        ]
        return [e for e in entries if set(e.tags) & set(signals)][:size]


class Clocked:
    """A unit of work factory whose clock a test moves; `open` counts the units of work entered and not left."""

    def __init__(self, uow) -> None:  # type: ignore[no-untyped-def]
        self.the_uow = uow
        self.open = 0

    def __call__(self):  # type: ignore[no-untyped-def]
        return self

    async def __aenter__(self):  # type: ignore[no-untyped-def]
        self.open += 1
        return await self.the_uow.__aenter__()

    async def __aexit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        self.open -= 1
        await self.the_uow.__aexit__(*exc)

    def move(self, delta: timedelta) -> None:
        self.the_uow.clock = type(self.the_uow.clock)(self.the_uow.clock.now() + delta)


def setup(knowledge: FakeKnowledge | None = None):  # type: ignore[no-untyped-def]
    opened = open_opportunity(
        tenant_id=TENANT,
        opportunity_id="o-1",
        customer_id="c-1",
        now=DEFAULT_NOW,
        existing=None,
        customer_name="宁波模具厂",
        credit_code="",
        name="一期",
        amount_minor=None,
        currency="CNY",
        owner_id="rep-1",
    )
    uow = fake_uow(intents=FakeIntents(), intent_settings=FakeSettingsRows(), opportunities=Opportunities())
    uow.opportunities.put(opened.opportunity)
    uow.customers.put(opened.customer)
    uow.reps.put(Rep(TENANT, "rep-1", "张伟", "华东", "mgr-1", "华东", True, DEFAULT_NOW))
    factory = Clocked(uow)
    knowledge = knowledge or FakeKnowledge()
    knowledge.factory = factory
    return uow, factory, IntentHandlers(factory, knowledge)


def tagged(aid: str, days: float, tags=None, kind="visit", action=""):  # type: ignore[no-untyped-def]
    return TaggedActivity(aid, "c-1", "", kind, DEFAULT_NOW + timedelta(days=days), tags or {}, "", action)


def notifications(uow):  # type: ignore[no-untyped-def]
    found = []
    for event_type, _tenant, _agg, message in uow.published:
        if event_type.startswith("notification"):
            found.append(message)
    return found


async def test_two_signals_within_the_window_mark_high_intent_and_the_sweep_pushes_the_tool_pack_once():
    uow, _, handlers = setup()
    knowledge = handlers.knowledge
    assert await handlers.activity_tagged(uow, TENANT, tagged("a1", -3, {"产品对比": ["对比表"]})) is None
    event = tagged("a2", 0, {"付款方式": ["账期"]})
    intent = await handlers.activity_tagged(uow, TENANT, event)
    assert intent is not None and intent.opportunity_id == "o-1" and intent.owner_id == "rep-1"
    assert sorted(h.name for h in intent.signals) == ["索要产品对比表", "询问付款账期"]
    assert intent.proposal_due_at == intent.entered_at + timedelta(hours=48)
    # The event's unit of work records the episode only: the knowledge base is not asked in it.
    assert (knowledge.asked, notifications(uow), intent.notified_at) == ([], [], None)

    assert await handlers.send_tool_packs() == 1
    assert knowledge.open_while_asked == [0]
    assert sorted(knowledge.asked[0]) == sorted(["索要产品对比表", "询问付款账期", "高意向"])
    [notice] = notifications(uow)
    assert notice.recipient_id == "rep-1"
    assert "/v1/documents/doc-cmp" in notice.body and "/v1/documents/doc-pay" in notice.body
    view = await handlers.customer_intent(REP, "c-1")
    assert view.high_intent is not None and view.countdown_state == "running"
    assert view.high_intent.notified_at == DEFAULT_NOW
    assert [d.document_id for d in view.high_intent.tool_pack] == ["doc-cmp", "doc-pay"]

    # Redelivered, swept again: nothing more is sent.
    assert await handlers.activity_tagged(uow, TENANT, event) is None
    assert await handlers.send_tool_packs() == 0
    assert len(notifications(uow)) == 1 and len(knowledge.asked) == 1


async def test_a_tool_pack_sent_meanwhile_by_another_sweep_is_not_sent_again():
    uow, _, handlers = setup()
    intent = await reach(uow, handlers)
    pending = await uow.intents.unnotified(10)
    assert await handlers.send_tool_packs() == 1
    # A second sweep that read the episode as pending before the first stored it sends nothing.
    assert await handlers._send_tool_pack(pending[0], []) == 0
    assert len(notifications(uow)) == 1
    assert (await uow.intents.get(TENANT, intent.intent_id)).tool_pack != ()


async def test_one_signal_is_not_high_intent_nor_the_same_activity_redelivered():
    uow, _, handlers = setup()
    event = tagged("a1", 0, {"产品对比": ["对比表"], "预算": ["预算"]})
    assert await handlers.activity_tagged(uow, TENANT, event) is None
    assert await handlers.activity_tagged(uow, TENANT, event) is None
    assert (await handlers.customer_intent(REP, "c-1")).high_intent is None
    assert notifications(uow) == []


async def test_two_signals_outside_the_window_are_not_high_intent():
    uow, _, handlers = setup()
    await handlers.activity_tagged(uow, TENANT, tagged("a1", -15, {"产品对比": ["对比表"]}))
    assert await handlers.activity_tagged(uow, TENANT, tagged("a2", 0, kind="demo")) is None
    assert notifications(uow) == []


async def test_an_archives_signals_a_year_old_are_recorded_but_open_no_episode_today():
    uow, _, handlers = setup()
    # Imported chat a year back: two signals 10 days apart, each within the rule's window of the other.
    assert await handlers.activity_tagged(uow, TENANT, tagged("a1", -375, {"产品对比": ["对比表"]})) is None
    assert await handlers.activity_tagged(uow, TENANT, tagged("a2", -365, {"付款方式": ["账期"]})) is None
    assert sorted(h.activity_id for _, h in uow.intents.hits.values()) == ["a1", "a2"]  # kept as history
    view = await handlers.customer_intent(REP, "c-1")
    assert (view.high_intent, view.countdown_state) == (None, "")
    assert await handlers.send_tool_packs() == 0 and notifications(uow) == []
    # A signal today does not pair with the year-old one; a second one today does.
    assert await handlers.activity_tagged(uow, TENANT, tagged("a3", 0, {"付款方式": ["尾款"]})) is None
    intent = await handlers.activity_tagged(uow, TENANT, tagged("a4", 0, kind="demo"))
    assert intent is not None and sorted(h.activity_id for h in intent.signals) == ["a3", "a4"]
    assert intent.proposal_due_at == DEFAULT_NOW + timedelta(hours=48)


async def test_signals_of_the_window_counted_back_from_now_reach_it_an_older_one_does_not_help():
    uow, _, handlers = setup()
    assert await handlers.activity_tagged(uow, TENANT, tagged("a1", -20, {"产品对比": ["对比表"]})) is None
    assert await handlers.activity_tagged(uow, TENANT, tagged("a2", -10, {"付款方式": ["账期"]})) is None
    # a1 and a2 are 10 days apart but a1 lies before now - 14 days
    assert (await handlers.customer_intent(REP, "c-1")).high_intent is None
    intent = await handlers.activity_tagged(uow, TENANT, tagged("a3", -1, kind="demo"))
    assert intent is not None and sorted(h.activity_id for h in intent.signals) == ["a2", "a3"]
    assert intent.entered_at == DEFAULT_NOW - timedelta(days=1)


async def test_with_the_knowledge_base_down_the_rep_is_told_without_the_pack_after_a_while():
    knowledge = FakeKnowledge(unavailable=True)
    uow, clock, handlers = setup(knowledge)
    await handlers.activity_tagged(uow, TENANT, tagged("a1", 0, action="预约技术演示"))
    intent = await handlers.activity_tagged(uow, TENANT, tagged("a2", 0, {"付款方式": ["尾款"]}))
    assert intent is not None and intent.proposal_state == "running"
    assert await handlers.send_tool_packs() == 0
    assert notifications(uow) == [] and len(knowledge.asked) == 1
    clock.move(timedelta(minutes=11))
    assert await handlers.send_tool_packs() == 1
    [notice] = notifications(uow)
    assert notice.recipient_id == "rep-1" and "工具包" not in notice.body
    assert await handlers.send_tool_packs() == 0
    assert len(notifications(uow)) == 1


async def test_the_knowledge_base_back_up_gives_the_pack_on_the_next_sweep():
    knowledge = FakeKnowledge(unavailable=True)
    uow, _, handlers = setup(knowledge)
    await reach(uow, handlers)
    assert await handlers.send_tool_packs() == 0
    knowledge.unavailable = False
    assert await handlers.send_tool_packs() == 1
    [notice] = notifications(uow)
    assert "/v1/documents/doc-cmp" in notice.body


async def reach(uow, handlers):  # type: ignore[no-untyped-def]
    await handlers.activity_tagged(uow, TENANT, tagged("a1", 0, {"产品对比": ["对比表"]}))
    return await handlers.activity_tagged(uow, TENANT, tagged("a2", 0, {"付款方式": ["账期"]}))


async def test_an_overdue_countdown_reminds_the_rep_once_with_a_task_and_copies_the_manager():
    uow, clock, handlers = setup()
    await reach(uow, handlers)
    uow.published.clear()
    clock.move(timedelta(hours=47))
    assert await handlers.sweep() == 0
    clock.move(timedelta(hours=2))
    assert await handlers.sweep() == 1
    assert await handlers.sweep() == 0
    [task] = uow.tasks.items(TENANT)
    assert task.owner_id == "rep-1" and task.customer_id == "c-1" and task.opportunity_id == "o-1"
    assert sorted(n.recipient_id for n in notifications(uow)) == ["mgr-1", "rep-1"]
    assert (await handlers.customer_intent(REP, "c-1")).countdown_state == "overdue"


async def test_a_proposal_uploaded_in_time_stops_the_reminder():
    uow, clock, handlers = setup()
    await reach(uow, handlers)
    clock.move(timedelta(hours=10))
    assert await handlers.document_version_created(uow, TENANT, "o-1", "合同") == []
    [met] = await handlers.document_version_created(uow, TENANT, "o-1", "技术方案")
    assert met.proposal_state == "met"
    clock.move(timedelta(hours=100))
    assert await handlers.sweep() == 0
    assert uow.tasks.items(TENANT) == []


async def test_the_list_and_the_customer_are_scoped():
    uow, _, handlers = setup()
    await reach(uow, handlers)
    assert [i.customer_id for i, _, _, _ in await handlers.high_intents(REP, state="open", owner_id="", team="")] == [
        "c-1"
    ]
    assert await handlers.high_intents(OTHER_REP, state="all", owner_id="", team="") == []
    assert len(await handlers.high_intents(MANAGER, state="open", owner_id="", team="")) == 1
    with pytest.raises(NotFound):
        await handlers.customer_intent(OTHER_REP, "c-1")
    with pytest.raises(PermissionDenied):
        await handlers.customer_intent(PARTNER, "c-1")
    with pytest.raises(InvalidArgument):
        await handlers.high_intents(REP, state="closed", owner_id="", team="")


async def test_conversion_per_rep_and_team():
    uow, _, handlers = setup()
    await reach(uow, handlers)
    rows, total = await handlers.conversion(MANAGER, None, None, "team")
    assert [(r.key, r.entered, r.won) for r in rows] == [("mgr-1", 1, 0)]
    assert (total.entered, total.won, total.rate) == (1, 0, 0.0)
    with pytest.raises(PermissionDenied):
        await handlers.conversion(REP, None, None, "rep")


async def test_settings_are_versioned_and_a_bad_condition_is_named():
    uow, _, handlers = setup()
    assert (await handlers.settings(REP)).version == 0
    with pytest.raises(PermissionDenied):
        await handlers.put_settings(REP, 0, {})
    data = {
        "signals": [{"name": "要样品", "condition": 'CONTAINS(标签,"样品")'}],
        "rule": {"min_signals": 1, "window_days": 7},
    }
    saved = await handlers.put_settings(MANAGER, 0, data)
    assert saved.version == 1 and saved.settings.signals[0].name == "要样品"
    with pytest.raises(Conflict):
        await handlers.put_settings(MANAGER, 0, data)
    with pytest.raises(InvalidArgument) as e:
        await handlers.put_settings(MANAGER, 1, {"signals": [{"name": "x", "condition": "CONTAINS(类型,1)"}]})
    assert e.value.violations[0].field == "signals[0].condition"
    # the saved rule applies: one 样品 signal is enough now
    intent = await handlers.activity_tagged(uow, TENANT, tagged("a9", 0, {"样品": ["样品"]}))
    assert intent is not None and [h.name for h in intent.signals] == ["要样品"]
