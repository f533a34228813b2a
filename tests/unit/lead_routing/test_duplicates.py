from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from lead_routing.domain.address import strip_place_prefix
from lead_routing.domain.duplicates import (
    MIN_CORE_NAME,
    SIMILAR_NAME_SCORE,
    DuplicateIndex,
    find_duplicate,
    merge,
    name_key,
)
from lead_routing.domain.lead import LeadData, new_lead
from rapidfuzz import fuzz

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def lead(lead_id: str, company: str, *, code: str = "", phone: str = "", city: str = "", age_min: int = 0, **kw):
    return new_lead(
        lead_id=lead_id,
        tenant_id="t",
        owner_id=None,
        created_by="u",
        now=NOW - timedelta(minutes=age_min),
        data=LeadData(
            company_name=company,
            credit_code=code,
            contact_name=kw.get("contact", ""),
            phone=phone or "13800138000",
            source="展会扫码",
            city=city,
            budget_minor=kw.get("budget"),
        ),
    )


def test_company_names_compare_without_spaces_brackets_or_legal_form() -> None:
    assert name_key("绍兴 柯桥（恒盛）纺织有限公司") == name_key("绍兴柯桥恒盛纺织") == "绍兴柯桥恒盛纺织"


def test_same_credit_code_wins_over_phone_and_name() -> None:
    by_phone = lead("a", "甲公司", phone="13911112222", age_min=5)
    by_code = lead("b", "乙公司", code="91330200MA2AFK8X1K", phone="13700000000", age_min=1)
    new = lead("n", "丙公司", code="91330200MA2AFK8X1K", phone="13911112222")
    assert find_duplicate(new, [by_phone, by_code]).lead.lead_id == "b"
    assert find_duplicate(new, [by_phone, by_code]).matched_by == "credit_code"


def test_same_phone_matches() -> None:
    old = lead("a", "甲公司", phone="+86 139 1111 2222")
    match = find_duplicate(lead("n", "完全不同", phone="13911112222"), [old])
    assert match and match.matched_by == "phone"


def test_near_identical_name_matches_only_in_the_same_city() -> None:
    old = lead("a", "绍兴柯桥恒盛纺织有限公司", phone="13911112222", city="绍兴市")
    same_city = lead("n", "绍兴柯桥恒盛纺织", phone="13700000000", city="绍兴市")
    other_city = replace(same_city, city="杭州市")
    unlike = lead("m", "绍兴柯桥华达机电有限公司", phone="13700000000", city="绍兴市")
    assert find_duplicate(same_city, [old]).matched_by == "similar_name"
    assert find_duplicate(other_city, [old]) is None
    assert find_duplicate(unlike, [old]) is None


def test_different_credit_codes_are_different_companies_even_with_one_phone() -> None:
    old = lead("a", "甲公司", code="91330108MA27YGXW5B", phone="13911112222")
    new = lead("n", "甲公司", code="91330200MA2AFK8X1K", phone="13911112222")
    assert find_duplicate(new, [old]) is None


def test_merge_fills_blanks_and_never_overwrites() -> None:
    old = lead("a", "甲公司", phone="13911112222", contact="王经理")
    new = lead("n", "甲公司", code="91330200MA2AFK8X1K", phone="13911112222", contact="李工", budget=5_000_000)
    merged = merge(old, new, NOW)
    assert (merged.lead_id, merged.contact_name) == ("a", "王经理")
    assert (merged.credit_code, merged.budget_minor) == ("91330200MA2AFK8X1K", 5_000_000)


def test_a_name_without_its_leading_places_matches_in_the_same_city() -> None:
    old = lead("a", "绍兴柯桥恒盛纺织有限公司", phone="13911112222", city="绍兴市")
    assert find_duplicate(lead("n", "恒盛纺织", phone="13700000000", city="绍兴市"), [old]).matched_by == "similar_name"
    # A name that is only places and an industry identifies no one.
    mill = lead("b", "宁波北仑注塑机厂", phone="13911113333", city="宁波市")
    assert find_duplicate(lead("m", "宁波注塑机厂", phone="13700000001", city="宁波市"), [mill]) is None


def reference_match(new, candidates):
    """The duplicate rule written out pair by pair, as the oracle for the index."""
    ordered = sorted(
        (c for c in candidates if not (c.credit_code and new.credit_code and c.credit_code != new.credit_code)),
        key=lambda c: c.created_at,
    )
    for field, kind in (("credit_code", "credit_code"), ("phone", "phone")):
        if getattr(new, field):
            for c in ordered:
                if getattr(c, field) == getattr(new, field):
                    return c.lead_id, kind
    if new.city:
        key = name_key(new.company_name)
        core = strip_place_prefix(key)
        for c in ordered:
            other = name_key(c.company_name)
            other_core = strip_place_prefix(other)
            cores_long = min(len(core), len(other_core)) >= MIN_CORE_NAME
            if c.city == new.city and (
                fuzz.ratio(key, other) >= SIMILAR_NAME_SCORE
                or (cores_long and fuzz.ratio(core, other_core) >= SIMILAR_NAME_SCORE)
            ):
                return c.lead_id, "similar_name"
    return None


def test_the_index_finds_what_the_rule_says_on_generated_leads() -> None:
    rng = random.Random(5)
    places, words = ["", "绍兴", "绍兴柯桥", "杭州"], ["恒盛", "华达", "恒达", "纺织", "机械", "精工", "注塑", "盛"]
    codes, phones, cities = (
        ["", "", "91330200MA2AFK8X1K", "91330108MA27YGXW5B"],
        ["", "13911112222", "13700000000"],
        ["绍兴市", "杭州市", ""],
    )

    def random_lead(i: int):
        name = (
            rng.choice(places) + "".join(rng.choices(words, k=rng.randint(1, 4))) + rng.choice(["", "有限公司", "厂"])
        )
        return lead(
            f"l{i}",
            name or "盛",
            code=rng.choice(codes),
            phone=rng.choice(phones) or f"138{i:08d}",
            city=rng.choice(cities),
            age_min=rng.randint(0, 10_000),
        )

    found = 0
    for trial in range(200):
        known = [random_lead(i) for i in range(rng.randint(0, 30))]
        index = DuplicateIndex(known[: len(known) // 2])
        for k in known[len(known) // 2 :]:  # added one by one, as an import does
            index.add(k)
        new = random_lead(1000 + trial)
        got = index.find(new)
        assert ((got.lead.lead_id, got.matched_by) if got else None) == reference_match(new, known)
        found += got is not None
    assert found > 50  # the generated leads do collide: the comparison is not vacuous


def test_a_lead_added_again_is_tested_as_it_is_now() -> None:
    old = lead("a", "恒盛纺织", phone="13911112222", city="绍兴市")
    index = DuplicateIndex([old])
    index.add(replace(old, city="杭州市", phone="+8613700000000"))  # merged: moved city, new phone
    assert index.find(lead("n", "恒盛纺织", phone="13911112222", city="绍兴市")) is None
    assert index.find(lead("m", "恒盛纺织", phone="13600000000", city="杭州市")).matched_by == "similar_name"
    assert index.find(lead("p", "别家", phone="13700000000")).matched_by == "phone"


def test_names_that_alike_always_share_the_bigrams_the_index_asks_for() -> None:
    # The index reads only leads sharing probe.min_shared bigrams: every pair the
    # rule calls alike must share that many, or a duplicate would go unread.
    from lead_routing.domain.duplicates import WHOLE, name_grams, name_probes

    rng = random.Random(14)
    alphabet = "恒盛纺织机械华达精工科技有限公司甲乙丙丁ab12"
    alike = 0
    for _ in range(4000):
        base = "".join(rng.choices(alphabet, k=rng.randint(1, 30)))
        other = list(base)
        for _ in range(rng.randint(0, 3)):  # a few insertions and deletions
            if other and rng.random() < 0.5:
                del other[rng.randrange(len(other))]
            else:
                other.insert(rng.randint(0, len(other)), rng.choice(alphabet))
        other_name = "".join(other)
        key, other_key = name_key(base), name_key(other_name)
        if fuzz.ratio(key, other_key) < SIMILAR_NAME_SCORE:
            continue
        alike += 1
        [probe] = [p for p in name_probes(base) if p.kind == WHOLE]
        assert len(probe.grams & name_grams(other_key)) >= probe.min_shared, (base, other_name)
    assert alike > 500


def test_a_city_of_many_names_still_finds_the_near_identical_one() -> None:
    from lead_routing.domain.duplicates import KnownLead

    rng = random.Random(3)
    chars = "恒盛纺织机械华达精工科技贸易实业新材料服装印染化纤家纺五金"
    many = [
        KnownLead(f"c{i}", "".join(rng.sample(chars, 6)) + f"{i}", None, f"+86139{i:08d}", "绍兴市", NOW)
        for i in range(5000)
    ]
    index = DuplicateIndex(many)
    found = index.find(lead("n", many[4321].company_name + "有限公司", city="绍兴市", phone="13700000000"))
    assert (found.lead.lead_id, found.matched_by) == ("c4321", "similar_name")
    assert index.find(lead("m", "宁波甬兴注塑", city="绍兴市", phone="13700000001")) is None
