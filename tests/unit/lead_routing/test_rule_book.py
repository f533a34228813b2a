"""The compiled rules cache: a saved version is compiled once per catalogue
version, and an activation or a new lead field is used at once."""

from __future__ import annotations

import pytest
from crm_shared.domain.errors import NotFound
from lead_routing.domain.rule_set import Route, RuleVersion
from lead_routing.service_layer.rule_book import RuleBook

from tests.unit.lead_routing.factories import NOW
from tests.unit.lead_routing.fakes import FakeRules, unit_of_work


def formula(version: int, text: str) -> RuleVersion:
    return RuleVersion("t1", "formula", version, "", "mgr", NOW, formula=text)


async def test_a_version_is_compiled_once_until_the_catalogue_grows() -> None:
    rules = FakeRules([formula(1, 'IF(客户等级="A",90,10)')], {"formula": 1})
    uow, book = unit_of_work(rules=rules), RuleBook()
    assert (await book.rules(uow, "t1")).formula.score({}).error  # 客户等级 is no field yet: errs, does not fail
    await book.rules(uow, "t1")
    assert book.compiled == 2  # the formula and the default routes, once
    uow.leads.custom["客户等级"] = "text"
    rules.fields = 1  # a field defined, on any replica
    compiled = await book.rules(uow, "t1")
    assert compiled.formula.score({"客户等级": "A"}).value == 90 and book.compiled == 4


async def test_an_activation_is_used_at_once_and_a_draft_is_never_cached() -> None:
    rules = FakeRules([formula(1, "10"), formula(2, "20")], {"formula": 1})
    uow, book = unit_of_work(rules=rules), RuleBook()
    assert (await book.rules(uow, "t1")).formula.score({}).value == 10
    rules.active["formula"] = 2
    assert (await book.rules(uow, "t1")).formula_version == 2
    draft = await book.rules(uow, "t1", routes=[Route("r", "all", target_kind="all")], formula="30")
    assert (draft.routes_version, draft.formula_version, draft.formula.score({}).value) == (0, 0, 30)
    with pytest.raises(NotFound):
        await book.rules(uow, "t1", formula_version=7)
