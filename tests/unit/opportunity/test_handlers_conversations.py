"""Conversations coming in (service_layer/conversations.py, wecom_import.py) on fakes: a 企业微信
export imported twice keeps one copy (idempotent by source id); a line that
cannot become an activity is reported with its line number and reason; an
imported message keeps its own time weeks back (a typed activity keeps the
7-day limit) but not beyond the import bound nor in the future; a contact's
企业微信 id finds its customer; a line whose customer the importer may not
see is unmatched, never appended."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import AlreadyExists, InvalidArgument, NotFound, PermissionDenied
from crm_shared.testing import DEFAULT_NOW
from opportunity.adapters.conversation_repository import ContactChannel
from opportunity.domain.activity import GENESIS, verify_chain
from opportunity.domain.contact import Contact
from opportunity.domain.conversation import MAX_EXPORT_LINES, MAX_IMPORT_AGE, Turn
from opportunity.domain.customer import Customer
from opportunity.domain.rep import Rep
from opportunity.service_layer.activities import ActivityHandlers, LogActivity
from opportunity.service_layer.conversations import ConversationHandlers, ConvertMessage, ImportTranscript
from opportunity.service_layer.wecom_import import WecomImportHandlers

from .fakes import FakeContacts, FakeOpportunities, fake_uow

TENANT = "t"
REP = Caller(TENANT, "rep-1", "rep")
OTHER_REP = Caller(TENANT, "rep-2", "rep")
MANAGER = Caller(TENANT, "mgr-1", "manager")
PARTNER = Caller(TENANT, "p-1", "partner")
WECOM_ID = "wmCustomer1"
PHONE = "+8613912345678"


class Contacts(FakeContacts):
    async def get(self, tenant_id: str, customer_id: str, contact_id: str) -> Contact | None:  # type: ignore[override]
        found = self.rows.get((tenant_id, contact_id))
        return found if found and found.customer_id == customer_id else None


class Opportunities(FakeOpportunities):
    async def open_for_customer(self, tenant_id, customer_id):  # type: ignore[no-untyped-def]
        return [o for o in self.items(tenant_id, customer_id=customer_id) if o.is_open]


class FakeConversations:
    """conversation_sources, conversation_texts and contact_channels, as the repository keeps them."""

    def __init__(self, customers, contacts) -> None:  # type: ignore[no-untyped-def]
        self.customers, self.contacts = customers, contacts
        self.sources: dict[tuple[str, str, str], tuple[str, str]] = {}  # → (activity id, customer id)
        self.texts: dict[tuple[str, str], str] = {}
        self.wecom: dict[tuple[str, str], tuple[str, str]] = {}  # (tenant, external id) → (contact, customer)
        self.set_by: dict[tuple[str, str], tuple[str, datetime]] = {}  # (tenant, contact) → (by, at)

    async def claim_source(self, tenant_id, source, source_id, activity_id, customer_id, by, at) -> bool:  # type: ignore[no-untyped-def]
        if (tenant_id, source, source_id) in self.sources:
            return False
        self.sources[(tenant_id, source, source_id)] = (activity_id, customer_id)
        return True

    async def claim_sources(self, tenant_id, source, claims, by, at) -> set[str]:  # type: ignore[no-untyped-def]
        return {
            i for i, activity_id, c in claims if await self.claim_source(tenant_id, source, i, activity_id, c, by, at)
        }

    async def source_activity(self, tenant_id, source, source_id):  # type: ignore[no-untyped-def]
        found = self.sources.get((tenant_id, source, source_id))
        return found[0] if found else None

    async def imported(self, tenant_id, source, source_ids):  # type: ignore[no-untyped-def]
        return {i for (t, s, i) in self.sources if t == tenant_id and s == source and i in source_ids}

    async def add_text(self, tenant_id, activity_id, text, sha256) -> None:  # type: ignore[no-untyped-def]
        self.texts[(tenant_id, activity_id)] = text

    async def customers_of_wecom_ids(self, tenant_id, external_ids):  # type: ignore[no-untyped-def]
        return {e: c for (t, e), (_, c) in self.wecom.items() if t == tenant_id and e in external_ids}

    async def customers_of_phones(self, tenant_id, phones):  # type: ignore[no-untyped-def]
        own = {c.phone: c.customer_id for c in self.customers.items(tenant_id) if c.phone in phones}
        return own | {c.phone: c.customer_id for c in self.contacts.items(tenant_id) if c.phone in phones}

    async def set_wecom(self, tenant_id, customer_id, contact_id, external_id, by, at) -> bool:  # type: ignore[no-untyped-def]
        self.wecom = {k: v for k, v in self.wecom.items() if not (k[0] == tenant_id and v[0] == contact_id)}
        if (tenant_id, external_id) in self.wecom:
            return False
        self.wecom[(tenant_id, external_id)] = (contact_id, customer_id)
        self.set_by[(tenant_id, contact_id)] = (by, at)
        return True

    async def channels_of_customer(self, tenant_id, customer_id):  # type: ignore[no-untyped-def]
        return sorted(
            (
                ContactChannel(k, "wecom", e, *self.set_by.get((t, k), ("", DEFAULT_NOW)))
                for (t, e), (k, c) in self.wecom.items()
                if t == tenant_id and c == customer_id
            ),
            key=lambda ch: ch.contact_id,
        )


def customer(customer_id: str, owner_id: str, phone: str | None = None) -> Customer:
    return Customer(
        customer_id=customer_id,
        tenant_id=TENANT,
        name=f"客户{customer_id}",
        credit_code=None,
        phone=phone,
        province="浙江省",
        city="宁波市",
        district="北仑区",
        owner_id=owner_id,
        created_at=DEFAULT_NOW,
        updated_at=DEFAULT_NOW,
    )


def contact(contact_id: str, customer_id: str, phone: str = "") -> Contact:
    return Contact(contact_id, TENANT, customer_id, "李经理", "", phone, "", "", 3, "", 1, DEFAULT_NOW, DEFAULT_NOW)


def setup():  # type: ignore[no-untyped-def]
    uow = fake_uow(contacts=Contacts(), opportunities=Opportunities())
    uow.conversations = FakeConversations(uow.customers, uow.contacts)
    uow.customers.put(customer("c-1", "rep-1"))
    uow.customers.put(customer("c-2", "rep-2"))
    uow.contacts.put(contact("k-1", "c-1", PHONE))
    uow.contacts.put(contact("k-2", "c-2"))
    uow.conversations.wecom[(TENANT, WECOM_ID)] = ("k-1", "c-1")
    uow.conversations.wecom[(TENANT, "wmOther")] = ("k-2", "c-2")
    for rep_id in ("rep-1", "rep-2"):
        uow.reps.put(Rep(TENANT, rep_id, rep_id, "华东", "mgr-1", "华东", True, DEFAULT_NOW))
    return uow, ConversationHandlers(lambda: uow)


def line(msgid: str, sender: str, to: list[str], text: str, at: datetime, msgtype: str = "text") -> str:
    return json.dumps(
        {
            "msgid": msgid,
            "action": "send",
            "from": sender,
            "tolist": to,
            "msgtime": int(at.timestamp() * 1000),
            "msgtype": msgtype,
            "text": {"content": text},
        },
        ensure_ascii=False,
    )


def export(*lines: str) -> bytes:
    return "\n".join(lines).encode()


WEEKS_AGO = DEFAULT_NOW - timedelta(weeks=3)


async def test_an_export_imported_twice_keeps_one_copy_of_each_message_at_its_own_time() -> None:
    uow, _ = setup()
    content = export(
        line("m1", WECOM_ID, ["rep-1"], "预算大概五十万", WEEKS_AGO),
        line("m2", "rep-1", ["139 1234 5678"], "报价单今天发您", WEEKS_AGO + timedelta(hours=1)),
        line("m1", WECOM_ID, ["rep-1"], "预算大概五十万", WEEKS_AGO),  # the same message twice in one file
    )
    first = await WecomImportHandlers(lambda: uow).import_wecom(REP, content)
    assert (first.imported, first.duplicates, first.unmatched) == (2, 1, [])
    chain = await uow.activities.chain(TENANT, "c-1")
    assert [(a.kind, a.summary) for a in chain] == [("chat", "预算大概五十万"), ("chat", "报价单今天发您")]
    # The messages happened when the export says, weeks before they were recorded.
    assert [a.occurred_at for a in chain] == [WEEKS_AGO, WEEKS_AGO + timedelta(hours=1)]
    assert {a.recorded_at for a in chain} == {DEFAULT_NOW}
    assert chain[0].prev_hash == GENESIS and verify_chain(chain).intact
    assert first.activity_ids == [a.activity_id for a in chain]

    again = await WecomImportHandlers(lambda: uow).import_wecom(REP, content)
    assert (again.imported, again.duplicates, again.unmatched) == (0, 3, [])
    assert len(await uow.activities.chain(TENANT, "c-1")) == 2


async def test_lines_that_cannot_become_activities_are_reported_with_line_number_and_reason() -> None:
    uow, _ = setup()
    too_old = DEFAULT_NOW - MAX_IMPORT_AGE - timedelta(days=1)
    content = export(
        "not json",
        line("m2", WECOM_ID, ["rep-1"], "图片", WEEKS_AGO, msgtype="image"),
        "",
        line("m4", "wmNobody", ["rep-1"], "你好", WEEKS_AGO),
        line("m5", WECOM_ID, ["rep-1"], "三年前的消息", too_old),
        line("m6", WECOM_ID, ["rep-1"], "明天的消息", DEFAULT_NOW + timedelta(hours=1)),
        line("m7", WECOM_ID, ["rep-1"], "一年前问过交期", DEFAULT_NOW - timedelta(days=365)),
    )
    report = await WecomImportHandlers(lambda: uow).import_wecom(REP, content)
    assert report.imported == 1
    assert [(u.line, u.source_id, u.reason) for u in report.unmatched] == [
        (1, "", "not a JSON object"),
        (2, "m2", "unsupported msgtype"),
        (4, "m4", "no contact or customer has this 企业微信 id or phone"),
        (5, "m5", f"msgtime: is more than {MAX_IMPORT_AGE.days} days ago"),
        (6, "m6", "msgtime: is in the future"),
    ]
    [kept] = await uow.activities.chain(TENANT, "c-1")
    assert kept.summary == "一年前问过交期"
    # A refused line claimed nothing: fixed in the export, it imports.
    assert await uow.conversations.source_activity(TENANT, "wecom", "m5") is None


async def test_a_typed_activity_keeps_the_seven_day_limit() -> None:
    uow, _ = setup()
    log = ActivityHandlers(lambda: uow)
    with pytest.raises(InvalidArgument) as refused:
        await log.log(REP, LogActivity("c-1", "call", "电话沟通", occurred_at=WEEKS_AGO))
    assert [(v.field, v.description) for v in refused.value.violations] == [("occurred_at", "is more than 7 days ago")]
    typed = await log.log(REP, LogActivity("c-1", "call", "电话沟通", occurred_at=DEFAULT_NOW - timedelta(days=6)))
    assert typed.activity.occurred_at == DEFAULT_NOW - timedelta(days=6)


async def test_a_line_for_a_customer_the_importer_may_not_see_is_unmatched() -> None:
    uow, _ = setup()
    content = export(
        line("m1", WECOM_ID, ["rep-1"], "我的客户", WEEKS_AGO),
        line("m2", "wmOther", ["rep-2"], "别人的客户", WEEKS_AGO),
    )
    report = await WecomImportHandlers(lambda: uow).import_wecom(REP, content)
    assert report.imported == 1
    assert [(u.line, u.source_id, u.reason) for u in report.unmatched] == [
        (2, "m2", "the contact's customer is not found")
    ]
    assert await uow.activities.chain(TENANT, "c-2") == []
    assert await uow.conversations.source_activity(TENANT, "wecom", "m2") is None
    # Their manager sees both reps' customers: the line imports, the first is a duplicate.
    by_manager = await WecomImportHandlers(lambda: uow).import_wecom(MANAGER, content)
    assert (by_manager.imported, by_manager.duplicates, by_manager.unmatched) == (1, 1, [])
    [theirs] = await uow.activities.chain(TENANT, "c-2")
    assert (theirs.summary, theirs.actor_id) == ("别人的客户", "mgr-1")
    with pytest.raises(PermissionDenied):
        await WecomImportHandlers(lambda: uow).import_wecom(PARTNER, content)


async def test_a_contacts_wecom_id_finds_its_customer_one_contact_per_id() -> None:
    uow, handlers = setup()
    uow.contacts.put(contact("k-3", "c-1"))
    assert await handlers.set_wecom_id(REP, "c-1", "k-3", "  wmNew  ") == "wmNew"
    with pytest.raises(AlreadyExists):
        await handlers.set_wecom_id(REP, "c-1", "k-1", "wmNew")
    for bad in ("", "wm new", "x" * 201):
        with pytest.raises(InvalidArgument) as refused:
            await handlers.set_wecom_id(REP, "c-1", "k-3", bad)
        assert [v.field for v in refused.value.violations] == ["external_id"]
    with pytest.raises(NotFound):
        await handlers.set_wecom_id(REP, "c-1", "k-2", "wmElse")  # another customer's contact
    with pytest.raises(NotFound):
        await handlers.set_wecom_id(OTHER_REP, "c-1", "k-3", "wmElse")  # another rep's customer
    report = await WecomImportHandlers(lambda: uow).import_wecom(
        REP, export(line("m1", "rep-1", ["wmNew"], "样品什么时候到", WEEKS_AGO))
    )
    assert (report.imported, report.unmatched) == (1, [])
    assert [a.summary for a in await uow.activities.chain(TENANT, "c-1")] == ["样品什么时候到"]


async def test_the_contacts_wecom_ids_are_read_back_by_whoever_may_see_the_customer() -> None:
    uow, handlers = setup()
    uow.contacts.put(contact("k-3", "c-1"))
    await handlers.set_wecom_id(REP, "c-1", "k-3", "wmNew")
    await handlers.set_wecom_id(REP, "c-1", "k-1", "wmRenamed")  # replaces WECOM_ID
    expected = [
        ContactChannel("k-1", "wecom", "wmRenamed", "rep-1", DEFAULT_NOW),
        ContactChannel("k-3", "wecom", "wmNew", "rep-1", DEFAULT_NOW),
    ]
    assert await handlers.contact_channels(REP, "c-1") == expected
    assert await handlers.contact_channels(MANAGER, "c-1") == expected  # the rep's manager
    for caller, customer_id in (
        (OTHER_REP, "c-1"),
        (PARTNER, "c-1"),
        (Caller("t2", "rep-1", "rep"), "c-1"),
        (REP, "c-2"),
        (REP, "missing"),
    ):
        with pytest.raises(NotFound):
            await handlers.contact_channels(caller, customer_id)


async def test_a_transcript_and_a_message_keep_their_source_time_once_each() -> None:
    uow, handlers = setup()
    turns = [Turn("rep", None, "您好，跟进一下方案。"), Turn("customer", None, "总经理下个月拍板。")]
    cmd = ImportTranscript("call-1", turns, started_at=WEEKS_AGO, phone="13912345678")
    first = await handlers.import_transcript(REP, cmd)
    assert (first.duplicate, first.activity.kind, first.activity.occurred_at) == (False, "call", WEEKS_AGO)
    assert "全文 sha256=" in first.activity.summary
    second = await handlers.import_transcript(REP, cmd)
    assert second.duplicate and second.activity.activity_id == first.activity.activity_id
    too_old = DEFAULT_NOW - MAX_IMPORT_AGE - timedelta(days=1)
    with pytest.raises(InvalidArgument) as refused:
        await handlers.import_transcript(REP, ImportTranscript("call-2", turns, started_at=too_old, customer_id="c-1"))
    assert [v.field for v in refused.value.violations] == ["started_at"]
    with pytest.raises(NotFound):
        await handlers.import_transcript(OTHER_REP, ImportTranscript("call-3", turns, customer_id="c-1"))

    message = ConvertMessage("c-1", "msg-1", "交期能提前吗", sender="李经理", sent_at=WEEKS_AGO)
    converted = await handlers.convert_message(REP, message)
    assert (converted.activity.summary, converted.activity.occurred_at) == ("李经理: 交期能提前吗", WEEKS_AGO)
    assert (await handlers.convert_message(REP, message)).duplicate
    with pytest.raises(InvalidArgument) as refused:
        await handlers.convert_message(
            REP, ConvertMessage("c-1", "msg-2", "明天", sent_at=DEFAULT_NOW + timedelta(hours=1))
        )
    assert [(v.field, v.description) for v in refused.value.violations] == [("sent_at", "is in the future")]
    assert [a.kind for a in await uow.activities.chain(TENANT, "c-1")] == ["call", "chat"]


def two_customers_export(count: int) -> bytes:
    """`count` messages alternating between c-1 and c-2, a minute apart, in the file's order."""
    return export(
        *(
            line(
                f"m{n}",
                (WECOM_ID, "wmOther")[n % 2],
                ["rep-1"],
                f"第{n}条：报价多少钱",
                WEEKS_AGO + timedelta(minutes=n),
            )
            for n in range(count)
        )
    )


async def test_an_import_larger_than_a_unit_keeps_each_chain_verified_and_every_event(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("opportunity.service_layer.wecom_import.CHUNK", 4)
    uow, _ = setup()
    await ActivityHandlers(lambda: uow).log(MANAGER, LogActivity("c-1", "call", "先打过电话"))  # a chain already begun
    report = await WecomImportHandlers(lambda: uow).import_wecom(MANAGER, two_customers_export(11))
    assert (report.imported, report.duplicates, report.unmatched) == (11, 0, [])
    assert uow.commits == 1 + 3  # the typed call, then 11 messages in units of 4
    log = ActivityHandlers(lambda: uow)
    for customer_id, numbers in (("c-1", range(0, 11, 2)), ("c-2", range(1, 11, 2))):
        assert (await log.verify_chain(MANAGER, customer_id)).intact
        chain = await uow.activities.chain(TENANT, customer_id)
        chats = [a for a in chain if a.kind == "chat"]
        assert [a.summary for a in chats] == [f"第{n}条：报价多少钱" for n in numbers]
        assert [a.seq for a in chain] == list(range(1, len(chain) + 1))
    # Each message has its activity.logged and its activity.tagged, as a typed activity has.
    imported = set(report.activity_ids)
    assert [e.activity_id for e in uow.events("activity.logged") if e.activity_id in imported] == report.activity_ids
    tagged = [e for e in uow.events("activity.tagged") if e.activity_id in imported]
    assert [e.activity_id for e in tagged] == report.activity_ids
    assert {(e.source, tuple((t.tag, tuple(t.words)) for t in e.tags)) for e in tagged} == {
        ("wecom", (("预算", ("多少钱",)), ("报价", ("报价",))))
    }
    assert {a.activity_id for a in uow.analyses.rows.values()} >= imported
    # A typed activity after the import extends the same chain.
    await log.log(MANAGER, LogActivity("c-2", "call", "电话确认"))
    assert (await log.verify_chain(MANAGER, "c-2")).intact


async def test_an_import_cut_between_units_keeps_what_it_committed_and_the_retry_adds_the_rest(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("opportunity.service_layer.wecom_import.CHUNK", 4)
    uow, _ = setup()
    content = two_customers_export(10)
    lock = uow.customers.get_many

    async def cut_at_the_third_unit(tenant_id, ids, *, for_update=False):  # type: ignore[no-untyped-def]
        if for_update and uow.commits == 2:
            raise ConnectionError("the service stopped")
        return await lock(tenant_id, ids, for_update=for_update)

    uow.customers.get_many = cut_at_the_third_unit
    with pytest.raises(ConnectionError):
        await WecomImportHandlers(lambda: uow).import_wecom(MANAGER, content)
    # Units follow each customer's messages in time order: c-1's five, then c-2's three of five.
    assert [len(await uow.activities.chain(TENANT, c)) for c in ("c-1", "c-2")] == [5, 3]

    uow.customers.get_many = lock
    retry = await WecomImportHandlers(lambda: uow).import_wecom(MANAGER, content)
    assert (retry.imported, retry.duplicates, retry.unmatched) == (2, 8, [])
    again = await WecomImportHandlers(lambda: uow).import_wecom(MANAGER, content)
    assert (again.imported, again.duplicates) == (0, 10)
    log = ActivityHandlers(lambda: uow)
    for customer_id in ("c-1", "c-2"):
        assert (await log.verify_chain(MANAGER, customer_id)).intact
        assert len(await uow.activities.chain(TENANT, customer_id)) == 5
    assert len(uow.events("activity.tagged")) == len(uow.events("activity.logged")) == 10


async def test_an_export_longer_than_one_call_can_import_is_refused_naming_the_file() -> None:
    uow, _ = setup()
    content = export(line("m1", WECOM_ID, ["rep-1"], "预算大概五十万", WEEKS_AGO), *[""] * (MAX_EXPORT_LINES + 1))
    with pytest.raises(InvalidArgument) as refused:
        await WecomImportHandlers(lambda: uow).import_wecom(REP, content)
    assert [(v.field, v.description) for v in refused.value.violations] == [
        ("file", f"has more than {MAX_EXPORT_LINES:,} lines; split it")
    ]
    assert await uow.activities.chain(TENANT, "c-1") == []
