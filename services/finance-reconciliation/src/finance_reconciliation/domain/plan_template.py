"""Plan templates: a tenant's payment habits by region as plan data (华东
often instalments, 华南 often prepayment). A contract signed without
payment terms is planned by the template of its opportunity's region.

A template's region is a province (浙江省), a 大区 (华东), or "" for the
tenant's default. The most specific one wins: the opportunity's province,
then its 大区, then the default; none of them means the built-in plan
(the whole amount in advance, domain/plan.build_plan).

Terms are shares of the total in basis points that add up to exactly
100%; domain/plan.split turns them into 分 summing to the total."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from crm_shared.domain.errors import Validator
from crm_shared.limits import MAX_NAME
from crm_shared.regions import MACRO_REGIONS, macro_region
from crm_shared.text import refused_character

from finance_reconciliation.domain.contract import Term
from finance_reconciliation.domain.plan import ADVANCE, FULL_BP, ON_ACCEPTANCE, ON_DELIVERY, RETENTION

TRIGGERS = (ADVANCE, ON_DELIVERY, ON_ACCEPTANCE, RETENTION)
DEFAULT_REGION = ""
MAX_TERMS = 12
MAX_DAYS = 3650  # ten years after the trigger
MAX_REGION = 20


@dataclass(frozen=True)
class TemplateTerm:
    name: str
    trigger: str
    days: int
    percent_bp: int


@dataclass(frozen=True)
class PlanTemplate:
    template_id: str
    tenant_id: str
    region: str
    name: str
    terms: tuple[TemplateTerm, ...]
    updated_by: str
    updated_at: datetime


def normalise_region(region: str) -> str:
    """浙江 and 浙江省 are one province; a 大区 and "" are kept as given."""
    name = region.strip()
    if name in MACRO_REGIONS or not name:
        return name
    return name if name.endswith(("省", "市", "自治区", "特别行政区")) else _province_name(name)


def _province_name(short: str) -> str:
    if short in ("北京", "天津", "上海", "重庆"):
        return short + "市"
    if short in ("香港", "澳门"):
        return short + "特别行政区"
    if short in ("内蒙古", "广西", "西藏", "宁夏", "新疆"):
        return short + "自治区"
    return short + "省"


def validated(region: str, name: str, terms: Sequence[TemplateTerm]) -> tuple[str, str, tuple[TemplateTerm, ...]]:
    """The template's region, name and terms, normalised; every problem named by its field."""
    check = Validator()
    region, name = region.strip(), name.strip()
    if len(region) > MAX_REGION:
        check.add("region", f"at most {MAX_REGION} characters")
    elif region and region not in MACRO_REGIONS and not macro_region(region):
        check.add("region", f"{region!r} is neither a province nor one of {', '.join(MACRO_REGIONS)} (empty: the default)")
    if not name or len(name) > MAX_NAME:
        check.add("name", f"1 to {MAX_NAME} characters")
    elif problem := refused_character(name):
        check.add("name", problem)
    if not terms or len(terms) > MAX_TERMS:
        check.add("terms", f"1 to {MAX_TERMS} terms")
    cleaned = []
    for i, term in enumerate(terms[:MAX_TERMS]):
        at = f"terms[{i}]"
        term_name = term.name.strip()
        if not term_name or len(term_name) > MAX_NAME or refused_character(term_name):
            check.add(f"{at}.name", f"1 to {MAX_NAME} characters, no control characters")
        if term.trigger not in TRIGGERS:
            check.add(f"{at}.trigger", f"one of {', '.join(TRIGGERS)}")
        if not 0 <= term.days <= MAX_DAYS:
            check.add(f"{at}.days", f"0 to {MAX_DAYS}")
        if not 0 < term.percent_bp <= FULL_BP:
            check.add(f"{at}.percent_bp", f"more than 0 and at most {FULL_BP} (basis points: 3000 = 30%)")
        cleaned.append(TemplateTerm(term_name, term.trigger, term.days, term.percent_bp))
    total = sum(t.percent_bp for t in cleaned)
    if cleaned and total != FULL_BP and all(0 < t.percent_bp <= FULL_BP for t in cleaned):
        shown = f"{total // 100}.{total % 100:02d}%"
        check.add("terms", f"shares add up to {shown}, not 100% ({total} of {FULL_BP} basis points)")
    names = [t.name for t in cleaned]
    if len(set(names)) != len(names):
        check.add("terms", "each term needs a name of its own")
    check.check()
    return normalise_region(region), name, tuple(cleaned)


def choose(templates: Iterable[PlanTemplate], province: str, region: str = "") -> PlanTemplate | None:
    """The template for an opportunity in `province` (its 大区 `region`, else
    the province's own): the province's, else the 大区's, else the default."""
    by_region = {t.region: t for t in templates}
    province = normalise_region(province) if province.strip() else ""
    for key in (province, region.strip() or macro_region(province)):
        if key and key in by_region:
            return by_region[key]
    return by_region.get(DEFAULT_REGION)


def contract_terms(template: PlanTemplate) -> tuple[Term, ...]:
    """The template's terms as the contract's own would be."""
    return tuple(Term(name=t.name, trigger=t.trigger, days=t.days, percent_bp=t.percent_bp) for t in template.terms)
