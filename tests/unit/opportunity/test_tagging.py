"""Tagging conversation text with a tenant's keyword groups and dictionary
(domain/tagging.py, domain/summary.py) and tagging every activity appended
to a customer's log (service_layer/tagging.py), on fakes."""

from __future__ import annotations

from datetime import timedelta

import jieba
import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, InvalidArgument, NotFound, PermissionDenied
from crm_shared.testing import DEFAULT_NOW
from opportunity.domain.customer import Customer
from opportunity.domain.opportunity import open_opportunity
from opportunity.domain.summary import summarise
from opportunity.domain.tagging import DEFAULT_REQUIRED_TAGS, TaggingSettings, parse_settings, tag_text
from opportunity.service_layer.activities import ActivityHandlers, CompleteVisit, LogActivity
from opportunity.service_layer.tagging import TaggingHandlers

from .fakes import fake_uow
from .test_handlers_activities import draft_visit
from .test_handlers_activities import setup as visit_setup

TENANT = "t"
REP = Caller(TENANT, "rep-1", "rep")
MANAGER = Caller(TENANT, "mgr-1", "manager")
TALK = "客户说预算大概多少钱还没定，下个月老板拍板。想要一份和友商的对比表，还问了付款账期能不能分期。"


def test_the_default_groups_tag_chinese_text_with_the_words_that_matched() -> None:
    tags = tag_text(TALK, TaggingSettings()).tags
    assert tags["预算"] == ["预算", "多少钱"]  # 多少钱 is cut 多少/钱: matched as a phrase of the text
    assert tags["决策链"] == ["老板", "拍板"]
    assert tags["时间节点"] == ["下个月"]
    assert tags["竞品"] == ["友商"]
    assert set(tags["产品对比"]) >= {"对比"} and set(tags["付款方式"]) == {"付款", "账期", "分期"}
    assert "样品" not in tags and "招标" not in tags


def test_a_tenant_dictionary_word_jieba_would_split_is_one_word_and_tags_its_group() -> None:
    text = "他们在看锐影X9，说锐影X9便宜一些"
    assert "锐影X9" not in jieba.lcut(text)  # plain jieba splits it
    plain = tag_text(text, TaggingSettings())
    assert "竞品" not in plain.tags
    settings = parse_settings(
        {
            "keyword_groups": [{"tag": "竞品", "words": ["竞品", "锐影X9"]}],
            "dictionary": [{"word": "锐影X9", "tag": "竞品"}],
        }
    )
    tagged = tag_text(text, settings)
    assert "锐影X9" in tagged.words
    assert tagged.tags == {"竞品": ["锐影X9"]}


def test_latin_words_match_case_blind() -> None:
    assert tag_text("下周安排一次 Demo", TaggingSettings()).tags["技术演示"] == ["demo"]


def test_settings_problems_are_named_by_their_field() -> None:
    with pytest.raises(InvalidArgument) as bad:
        parse_settings(
            {
                "keyword_groups": [{"tag": "预算", "words": []}, {"tag": "", "words": ["x"]}],
                "dictionary": [{"word": "有 空格"}],
                "required_tags": ["没有的标签"],
            }
        )
    fields = [v.field for v in bad.value.violations]
    assert fields == [
        "keyword_groups[0].words",
        "keyword_groups[1].tag",
        "dictionary[0].word",
        "required_tags",
    ]


def test_the_summary_keeps_the_sentences_with_the_most_keywords_in_their_order() -> None:
    text = "你好。今天天气不错。预算大概五十万，老板下个月拍板。我们再约时间。对比表请尽快发过来，还要比较交期。"
    sentences, keywords = summarise(text, TaggingSettings(), ["预算", "老板", "拍板", "对比表", "交期"], top=2)
    assert sentences == ["预算大概五十万，老板下个月拍板。", "对比表请尽快发过来，还要比较交期。"]
    assert keywords and "预算" in keywords


def test_the_summary_on_the_tagging_segmentation_is_the_summary_on_its_own() -> None:
    settings = parse_settings(
        {"keyword_groups": [{"tag": "竞品", "words": ["锐影X9"]}], "dictionary": [{"word": "锐影X9", "tag": "竞品"}]}
    )
    text = TALK + "他们在看锐影X9，说锐影X9便宜一些。"
    tagged = tag_text(text, settings)
    hits = [w for words in tagged.tags.values() for w in words]
    assert summarise(text, settings, hits, words=tagged.words) == summarise(text, settings, hits)
    assert "锐影X9" in summarise(text, settings, hits, words=tagged.words)[1]


def setup():  # type: ignore[no-untyped-def]
    uow = fake_uow()
    uow.customers.put(
        Customer(
            customer_id="c-1",
            tenant_id=TENANT,
            name="宁波注塑机厂",
            credit_code=None,
            phone=None,
            province="浙江省",
            city="宁波市",
            district="北仑区",
            owner_id="rep-1",
            created_at=DEFAULT_NOW,
            updated_at=DEFAULT_NOW,
        )
    )
    return uow, ActivityHandlers(lambda: uow, timedelta(minutes=30)), TaggingHandlers(lambda: uow)


async def test_a_logged_activity_is_tagged_and_announced_in_the_same_unit_of_work() -> None:
    uow, activities, tagging = setup()
    entry = (await activities.log(REP, LogActivity(customer_id="c-1", kind="call", summary=TALK))).activity
    [event] = uow.events("activity.tagged")
    assert (event.activity_id, event.customer_id, event.kind, event.actor_id, event.source) == (
        entry.activity_id,
        "c-1",
        "call",
        "rep-1",
        "",
    )
    assert {h.tag: list(h.words) for h in event.tags}["决策链"] == ["老板", "拍板"]
    [analysis] = await tagging.customer_tags(REP, "c-1", None)
    assert analysis.activity_id == entry.activity_id and "预算" in analysis.tags and analysis.summary


async def test_a_draft_visit_is_tagged_when_submitted_not_before() -> None:
    uow, activities = visit_setup()
    draft = (await draft_visit(activities)).activity
    assert draft.state == "draft" and uow.events("activity.tagged") == []
    done = (
        await activities.submit(
            REP,
            CompleteVisit(
                customer_id="c-1",
                activity_id=draft.activity_id,
                needs="年底前上线",
                competitors="友商报价低",
                next_follow_up_at=DEFAULT_NOW + timedelta(days=3),
            ),
        )
    ).activity
    [event] = uow.events("activity.tagged")
    assert event.activity_id == done.activity_id
    assert {h.tag for h in event.tags} >= {"时间节点", "竞品", "报价"}


async def test_tenant_settings_default_then_saved_with_the_version_read() -> None:
    _, _, tagging = setup()
    defaults = await tagging.settings(REP)
    assert defaults.version == 0 and defaults.required_tags == DEFAULT_REQUIRED_TAGS
    assert {"产品对比", "付款方式"} <= set(defaults.tags)  # the intent signals' defaults rely on them
    data = defaults.to_data() | {"dictionary": [{"word": "锐影X9", "tag": "竞品"}]}
    with pytest.raises(PermissionDenied):
        await tagging.put_settings(REP, 0, data)
    saved = await tagging.put_settings(MANAGER, 0, data)
    assert saved.version == 1 and (await tagging.settings(REP)).dictionary == (("锐影X9", "竞品"),)
    with pytest.raises(Conflict):
        await tagging.put_settings(MANAGER, 0, data)


async def test_needs_completeness_fills_up_with_the_opportunitys_conversations() -> None:
    uow, activities, tagging = setup()
    uow.opportunities.put(
        open_opportunity(
            tenant_id=TENANT,
            opportunity_id="o-1",
            customer_id="c-1",
            now=DEFAULT_NOW,
            existing=None,
            customer_name="宁波注塑机厂",
            credit_code="",
            name="一期",
            amount_minor=None,
            currency="CNY",
            owner_id="rep-1",
        ).opportunity
    )
    assert [n.found for n in await tagging.needs(REP, "o-1")] == [False] * 4
    await activities.log(REP, LogActivity(customer_id="c-1", kind="call", summary="预算五十万", opportunity_id="o-1"))
    first = await tagging.needs(REP, "o-1")
    assert [n.tag for n in first if n.found] == ["预算"]
    await activities.log(REP, LogActivity(customer_id="c-1", kind="chat", summary="总经理下个月拍板，别家也在报"))
    second = await tagging.needs(REP, "o-1")
    assert [n.tag for n in second if n.found] == ["预算", "决策链", "时间节点", "竞品"]
    assert [e.words for e in second[1].evidence] == [["总经理", "拍板"]]
    with pytest.raises(NotFound):
        await tagging.needs(Caller(TENANT, "rep-2", "rep"), "o-1")
