"""The facts a policy's entry criteria read: the catalogue of names a formula
may use, their ranges for the save check, and how a request's facts are put
together (the subject's, then what the requester gave, then the averages).

Amounts are in 元 (yuan) in formulas, as in lead-routing's (`预算`): the
business writes `金额>500000`, not 分. Requests store 分; `AMOUNT_MINOR` carries
the exact figure alongside for the engine. Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from crm_shared.approval_kinds import (
    FACT_APPLICANT,
    FACT_CHANNEL_MANAGER,
    FACT_DISTRIBUTOR,
    PARTNER_SUBJECT_TYPES,
)
from crm_shared.domain.errors import InvalidArgument, Validator
from crm_shared.formula import FieldSpec
from crm_shared.money import MAX_AMOUNT_MINOR
from crm_shared.regions import macro_region

AMOUNT = "金额"  # 元: the opportunity's amount, or the amount the request names
CURRENCY = "币种"
REGION = "区域"  # the customer's province, e.g. 浙江省
MACRO_REGION = "大区"  # the province's geographic region: 华东, 华南, 华北, 华中, 西南, 西北, 东北
CITY = "城市"
PRODUCT_LINE = "产品线"
DISCOUNT = "折扣"  # percent off the list price: 15 means 15% off (八五折)
IMPACT = "影响范围"  # e.g. 涉及停产, 影响交付, 一般
CUSTOMER_TIER = "客户价值等级"  # 战略, 重点, 普通
REGIONAL_AVERAGE = "区域平均合同额"  # 元: won contracts of the region and product line
REGIONAL_WINS = "区域成交数"  # how many won contracts that average is over
# Given by lead-routing with a partner's request (docs/adr/0010), never by a user:
CHANNEL_MANAGER = FACT_CHANNEL_MANAGER  # the distributor's channel manager (approver kind channel_manager)
DISTRIBUTOR = FACT_DISTRIBUTOR  # the distributor's id, e.g. dist-hz
APPLICANT = FACT_APPLICANT  # the partner user who asked
PARTNER_FACTS = (CHANNEL_MANAGER, DISTRIBUTOR, APPLICANT)

CATALOGUE: dict[str, FieldSpec] = {
    AMOUNT: FieldSpec("number"),
    CURRENCY: FieldSpec("text"),
    REGION: FieldSpec("text"),
    MACRO_REGION: FieldSpec("text"),
    CITY: FieldSpec("text"),
    PRODUCT_LINE: FieldSpec("text"),
    DISCOUNT: FieldSpec("number"),
    IMPACT: FieldSpec("text"),
    CUSTOMER_TIER: FieldSpec("text"),
    REGIONAL_AVERAGE: FieldSpec("number"),
    REGIONAL_WINS: FieldSpec("number"),
    CHANNEL_MANAGER: FieldSpec("text"),
    DISTRIBUTOR: FieldSpec("text"),
    APPLICANT: FieldSpec("text"),
}

_MAX_YUAN = MAX_AMOUNT_MINOR / 100
RANGES: dict[str, tuple[float, float]] = {
    AMOUNT: (0.0, _MAX_YUAN),
    DISCOUNT: (0.0, 100.0),
    REGIONAL_AVERAGE: (0.0, _MAX_YUAN),
    REGIONAL_WINS: (0.0, 1e9),
}

# Not read by formulas: the exact amount in 分, for the engine's columns.
AMOUNT_MINOR = "amount_minor"

# What a requester may give (the key as the API names it -> the fact). A
# given amount is in 分 (a quote's own figure); it replaces the opportunity's.
GIVEN = {
    "impact_scope": IMPACT,
    "discount": DISCOUNT,
    "amount_minor": AMOUNT,
    "region": REGION,
    "product_line": PRODUCT_LINE,
    "customer_tier": CUSTOMER_TIER,
}
MAX_GIVEN_TEXT = 100


@dataclass(frozen=True)
class SubjectFacts:
    """What the subject's owner (opportunity) says about it."""

    amount_minor: int | None = None
    currency: str = "CNY"
    region: str = ""
    city: str = ""
    product_line: str = ""
    customer_tier: str = ""


@dataclass(frozen=True)
class Average:
    """Won contracts of one region and product line (or the region's, the tenant's)."""

    total_minor: int
    count: int

    @property
    def yuan(self) -> float | None:
        return None if self.count == 0 else self.total_minor / self.count / 100


def given_facts(given: Mapping[str, object]) -> dict[str, object]:
    """The requester's facts by catalogue name; an unknown key or a bad value
    is refused naming `facts.<key>`. Chinese names are accepted as well as the
    API's keys (a given 金额 is in 元)."""
    v = Validator()
    out: dict[str, object] = {}
    for key, raw in given.items():
        fact = GIVEN.get(key) or (key if key in CATALOGUE and key not in (REGIONAL_AVERAGE, REGIONAL_WINS) else None)
        at = f"facts.{key}"
        if fact is None:
            v.add(at, f"is not a fact a request may give; one of {', '.join(GIVEN)}")
            continue
        if CATALOGUE[fact].type == "number":
            number = _number(raw)
            if number is None or number < 0:
                v.add(at, "must be a number, at least 0")
            elif fact == DISCOUNT and number > 100:
                v.add(at, "is a percentage off the list price, at most 100")
            elif fact == AMOUNT and key == "amount_minor" and (number != int(number) or number > MAX_AMOUNT_MINOR):
                v.add(at, f"must be whole 分, at most {MAX_AMOUNT_MINOR}")
            elif fact == AMOUNT and number > _MAX_YUAN:
                v.add(at, f"must be at most {_MAX_YUAN:.0f} 元")
            elif fact == AMOUNT:
                minor = int(number) if key == "amount_minor" else round(number * 100)
                out[AMOUNT_MINOR] = minor
                out[AMOUNT] = minor / 100
            else:
                out[fact] = number
        else:
            text = str(raw).strip()
            if len(text) > MAX_GIVEN_TEXT:
                v.add(at, f"is longer than {MAX_GIVEN_TEXT} characters")
            else:
                out[fact] = text
    v.check()
    return out


def refuse_partner_facts(subject_type: str, given: Mapping[str, object]) -> None:
    """Who decides a partner's request (渠道经理) and for whom (分销商, 申请人) is
    said by lead-routing with the partner's registration or application, and
    only there: a request about anything else may not name them."""
    if subject_type in PARTNER_SUBJECT_TYPES:
        return
    for key in given:
        if key in PARTNER_FACTS:
            raise InvalidArgument.field(
                f"facts.{key}", "is given only with a partner's registration or promotion application"
            )


def _number(raw: object) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        try:
            number = float(str(raw).strip())
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def combine(subject: SubjectFacts, given: Mapping[str, object], average: Average | None) -> dict[str, object]:
    """A request's facts: the subject's, overridden by what was given, plus
    the average for the resulting region and product line."""
    facts: dict[str, object] = {
        CURRENCY: subject.currency,
        REGION: subject.region,
        CITY: subject.city,
        PRODUCT_LINE: subject.product_line,
        CUSTOMER_TIER: subject.customer_tier,
        IMPACT: "",
    }
    if subject.amount_minor is not None:
        facts[AMOUNT_MINOR] = subject.amount_minor
        facts[AMOUNT] = subject.amount_minor / 100
    facts.update(given_facts(given))
    facts[MACRO_REGION] = macro_region(str(facts[REGION] or ""))
    facts[REGIONAL_AVERAGE] = average.yuan if average else None
    facts[REGIONAL_WINS] = average.count if average else 0
    return facts


def formula_row(facts: Mapping[str, object]) -> dict[str, object]:
    """The facts a formula reads (catalogue names only; missing = blank)."""
    return {name: facts.get(name) for name in CATALOGUE}


def pick_average(pair: Average, region: Average) -> Average | None:
    """The product line's average in the region when it has won contracts, else
    the region's over all product lines, else none (a blank: `金额>2*区域平均合同额`
    then compares with 0, so policies should also ask `区域成交数>=N`)."""
    if pair.count > 0:
        return pair
    return region if region.count > 0 else None


def counts_in_average(amount_minor: int, currency: str) -> bool:
    return amount_minor > 0 and (currency or "CNY") == "CNY"
