"""Stage hint rules (domain/stage_hint.py): which tags suggest which stage of
which opportunity, never backwards, and the settings a tenant may save."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, Violation
from crm_shared.testing import DEFAULT_NOW
from opportunity.domain import pipeline as rules
from opportunity.domain import stage_hint as hints
from opportunity.domain.opportunity import Opportunity, open_opportunity
from opportunity.domain.pipeline import Gate, Pipeline, Stage

PIPELINE = Pipeline(
    pipeline_id="p-1",
    tenant_id="t",
    name="模具",
    product_line="模具",
    stages=(
        Stage("初步接触", 10, "pipeline"),
        Stage("样件制作", 30, "pipeline"),
        Stage("报价谈判", 60, "best_case", Gate(required_documents=("报价单",))),
        Stage("合同签署", 90, "commit"),
    ),
    created_at=DEFAULT_NOW,
    updated_at=DEFAULT_NOW,
)


def opp_at(stage: str, **overrides: object) -> Opportunity:
    opened = open_opportunity(
        tenant_id="t",
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
    return replace(rules.enter(opened.opportunity, PIPELINE, stage, DEFAULT_NOW), **overrides)


def test_default_rules_suggest_quote_negotiation_for_a_quote_tag() -> None:
    found = hints.suggestions(opp_at("初步接触"), PIPELINE, {"报价": ["报价", "报个价"]}, hints.DEFAULT_SETTINGS)
    assert [(s.tag, s.stage, s.words) for s in found] == [("报价", "报价谈判", ("报价", "报个价"))]


def test_both_default_tags_suggest_both_stages() -> None:
    found = hints.suggestions(
        opp_at("初步接触"), PIPELINE, {"报价": ["报价"], "样品": ["样品"]}, hints.DEFAULT_SETTINGS
    )
    assert sorted(s.stage for s in found) == ["报价谈判", "样件制作"]


def test_no_hint_at_or_past_the_stage() -> None:
    tags = {"报价": ["报价"], "样品": ["打样"]}
    assert [s.stage for s in hints.suggestions(opp_at("样件制作"), PIPELINE, tags, hints.DEFAULT_SETTINGS)] == [
        "报价谈判"
    ]
    assert hints.suggestions(opp_at("合同签署"), PIPELINE, tags, hints.DEFAULT_SETTINGS) == []


def test_no_hint_when_the_pipeline_lacks_the_stage_or_the_tag_has_no_rule() -> None:
    other = replace(PIPELINE, stages=(Stage("初步接触", 10, "pipeline"), Stage("商务谈判", 80, "commit")))
    assert hints.suggestions(opp_at("初步接触"), other, {"报价": ["报价"]}, hints.DEFAULT_SETTINGS) == []
    assert hints.suggestions(opp_at("初步接触"), PIPELINE, {"预算": ["预算"]}, hints.DEFAULT_SETTINGS) == []
    # No rule names the tag: the handler need not read the opportunity at all.
    assert not hints.may_suggest({"预算": ["预算"]}, hints.DEFAULT_SETTINGS, DEFAULT_NOW, DEFAULT_NOW)
    assert hints.may_suggest({"预算": ["预算"], "样品": ["打样"]}, hints.DEFAULT_SETTINGS, DEFAULT_NOW, DEFAULT_NOW)


def test_an_activity_older_than_max_age_days_suggests_nothing() -> None:
    tags = {"报价": ["报价"]}
    day = timedelta(days=1)
    # an imported 报价 message a year old, or 15 days old under the default 14
    assert not hints.may_suggest(tags, hints.DEFAULT_SETTINGS, DEFAULT_NOW - 365 * day, DEFAULT_NOW)
    assert not hints.may_suggest(tags, hints.DEFAULT_SETTINGS, DEFAULT_NOW - 15 * day, DEFAULT_NOW)
    assert hints.may_suggest(tags, hints.DEFAULT_SETTINGS, DEFAULT_NOW - 14 * day, DEFAULT_NOW)
    assert hints.is_too_old(hints.DEFAULT_SETTINGS, DEFAULT_NOW - 14 * day - timedelta(seconds=1), DEFAULT_NOW)
    longer = replace(hints.DEFAULT_SETTINGS, max_age_days=90)
    assert hints.may_suggest(tags, longer, DEFAULT_NOW - 60 * day, DEFAULT_NOW)


def test_no_hint_for_a_closed_or_unplaced_opportunity() -> None:
    tags = {"报价": ["报价"]}
    assert hints.suggestions(opp_at("初步接触", status="lost"), PIPELINE, tags, hints.DEFAULT_SETTINGS) == []
    assert hints.suggestions(opp_at("初步接触", pipeline_id=None), PIPELINE, tags, hints.DEFAULT_SETTINGS) == []
    assert hints.suggestions(opp_at("初步接触"), None, tags, hints.DEFAULT_SETTINGS) == []


def test_no_second_hint_while_one_waits_on_the_stage() -> None:
    found = hints.suggestions(opp_at("初步接触"), PIPELINE, {"报价": ["报价"]}, hints.DEFAULT_SETTINGS, ["报价谈判"])
    assert found == []


def test_a_rule_for_another_pipeline_does_not_apply() -> None:
    settings = hints.StageHintSettings(False, (hints.HintRule("报价", "报价谈判", "p-other"),))
    assert hints.suggestions(opp_at("初步接触"), PIPELINE, {"报价": ["报价"]}, settings) == []


def test_refused_hint_keeps_the_unmet_gates_and_can_be_applied_later() -> None:
    hint = hints.new_hint(
        hint_id="h-1",
        opp=opp_at("初步接触"),
        activity_id="a-1",
        suggestion=hints.Suggestion("报价", "报价谈判", ("报价",)),
        now=DEFAULT_NOW,
    )
    no = hints.refused(
        hint, [Violation("document", "报价单", "进入「报价谈判」前必须上传《报价单》")], "system", DEFAULT_NOW
    )
    assert no.state == "refused"
    assert no.unmet == (hints.Unmet("document:报价单", "进入「报价谈判」前必须上传《报价单》"),)
    yes = hints.applied(no, "rep-1", DEFAULT_NOW)
    assert (yes.state, yes.unmet, yes.decided_by) == ("applied", (), "rep-1")
    with pytest.raises(FailedPrecondition):
        hints.dismissed(yes, "rep-1", DEFAULT_NOW)


def test_applying_never_moves_backwards() -> None:
    hint = hints.new_hint(
        hint_id="h-1",
        opp=opp_at("初步接触"),
        activity_id="a-1",
        suggestion=hints.Suggestion("样品", "样件制作", ()),
        now=DEFAULT_NOW,
    )
    with pytest.raises(FailedPrecondition):
        hints.require_still_ahead(hint, opp_at("报价谈判"), PIPELINE)
    hints.require_still_ahead(hint, opp_at("初步接触"), PIPELINE)


def test_settings_name_every_bad_field() -> None:
    with pytest.raises(InvalidArgument) as e:
        hints.settings_from_data(
            {"auto_move": "yes", "rules": [{"tag": "", "stage": "报价谈判"}, {"tag": "报价", "stage": "x" * 51}, 3]}
        )
    assert {v.field for v in e.value.violations} >= {"auto_move", "rules[0].tag", "rules[1].stage", "rules[2]"}


@pytest.mark.parametrize("bad", [0, 366, -1, "14", 1.5, True, None])
def test_max_age_days_is_a_whole_number_of_1_to_365(bad) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidArgument) as e:
        hints.settings_from_data({"rules": [], "max_age_days": bad})
    assert {v.field for v in e.value.violations} == {"max_age_days"}
    assert hints.settings_from_data({"max_age_days": 1}).max_age_days == 1
    assert hints.settings_from_data({"max_age_days": 365}).max_age_days == 365
    # settings saved before the bound existed read with the default
    assert hints.settings_from_data({"auto_move": True, "rules": []}).max_age_days == 14


def test_settings_refuse_too_many_rules_and_duplicates() -> None:
    with pytest.raises(InvalidArgument) as e:
        hints.settings_from_data({"rules": [{"tag": f"t{i}", "stage": "s"} for i in range(101)]})
    assert "rules" in {v.field for v in e.value.violations}
    with pytest.raises(InvalidArgument) as e:
        hints.settings_from_data({"rules": [{"tag": "报价", "stage": "a"}, {"tag": "报价", "stage": "b"}]})
    assert {v.field for v in e.value.violations} == {"rules[1].tag"}


def test_settings_round_trip() -> None:
    data = {
        "auto_move": True,
        "rules": [{"tag": "报价", "stage": "报价谈判", "pipeline_id": "p-1"}],
        "max_age_days": 30,
    }
    assert hints.settings_data(hints.settings_from_data(data)) == data
