"""Pure rules: every intake is a touch kept through merges, approximate
coordinates from a division's centre (typed ones win), and the sentence each
owner change is explained with."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
from lead_routing.domain.address import centroid, resolve
from lead_routing.domain.duplicates import MAX_TOUCHES, merge
from lead_routing.domain.lead import LeadData, new_lead
from lead_routing.domain.ownership import OwnerChange, rank_of
from lead_routing.domain.pool import Pool

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def _lead(lead_id: str, at: datetime = NOW, **data):
    data.setdefault("phone", "13805741234")
    data.setdefault("source", "手工录入")
    data = LeadData(company_name="海天注塑", **data)
    return new_lead(lead_id=lead_id, tenant_id="t", owner_id=None, created_by="u1", now=at, data=data)


def test_a_merge_keeps_the_second_channel_with_its_attribution() -> None:
    first = _lead("a", source="百度爱采购", channel="爱采购店铺", campaign="注塑机关键词", contact_name="王经理")
    later = NOW + timedelta(days=2)
    second = _lead("b", at=later, source="展会扫码", channel="2026 宁波国际机床展", contact_name="李工")
    merged = merge(first, second, later)
    assert merged.source == "百度爱采购"
    assert merged.sources == ("百度爱采购", "展会扫码")
    assert [(t.source, t.channel, t.campaign, t.at, t.contact_name) for t in merged.touches] == [
        ("百度爱采购", "爱采购店铺", "注塑机关键词", NOW, "王经理"),
        ("展会扫码", "2026 宁波国际机床展", "", later, "李工"),
    ]
    # the same source again is another touch, but not another source
    third = merge(merged, _lead("c", at=later, source="百度爱采购"), later)
    assert len(third.touches) == 3 and third.sources == ("百度爱采购", "展会扫码")


def test_a_lead_stored_before_touches_has_its_own_source_as_its_touch() -> None:
    old = replace(_lead("a", source="官网表单"), touches=())
    assert [(t.source, t.at) for t in old.all_touches] == [("官网表单", NOW)]
    assert merge(old, _lead("b", source="抖音本地推"), NOW).sources == ("官网表单", "抖音本地推")


def test_centroids_of_districts_then_cities_from_cpcas_table() -> None:
    lat, lng, precision = centroid(resolve("宁波北仑小港街道").adcode)
    assert precision == "district" and abs(lat - 29.90) < 0.05 and abs(lng - 121.84) < 0.05
    assert centroid(resolve("浙江省绍兴市").adcode)[2] == "city"
    assert centroid(resolve("北京市").adcode)[2] == "city"  # a municipality is its own city
    assert centroid(resolve("新疆维吾尔自治区").adcode) is None  # a province alone is too coarse
    assert centroid("") is None and centroid("abc") is None


def test_an_address_alone_gives_approximate_coordinates_typed_ones_win() -> None:
    approx = _lead("a", address="宁波北仑小港街道")
    assert approx.latitude is not None and approx.coordinates_source == "district" and approx.coordinates_approximate
    typed = _lead("b", address="宁波北仑小港街道", latitude=29.93, longitude=121.8)
    assert (typed.latitude, typed.coordinates_source, typed.coordinates_approximate) == (29.93, "typed", False)
    assert _lead("c").latitude is None and _lead("c").coordinates_source == ""
    # merging: typed beat approximate, a district's centre beats a city's, never the other way
    assert merge(approx, typed, NOW).coordinates_source == "typed"
    assert merge(typed, approx, NOW).latitude == 29.93
    city = _lead("d", address="宁波市")
    assert merge(city, approx, NOW).coordinates_source == "district"
    assert merge(approx, city, NOW).coordinates_source == "district"


def test_rank_among_candidates_and_the_sentences_of_owner_changes() -> None:
    assert rank_of("b", ["a", "b", "c"]) == (2, 3) and rank_of("x", ["a"]) == (0, 1)
    claim = OwnerChange("claim", "L1", "r1", NOW, None, "r1", score=85.0, rank=1, candidates=4)
    assert claim.summary == "r1 于 2026-11-23 09:00 从公海认领；评分 85，在 4 位候选人中排第 1"
    manager = OwnerChange("manager", "L1", "mgr-1", NOW, "r1", "r2", score=70.0, rank=0, candidates=4)
    assert "mgr-1" in manager.summary and "原为 r1" in manager.summary and "不在路由的候选人之列" in manager.summary
    release = OwnerChange("release", "L1", "r2", NOW, "r2", None, reason="不是我的区域")
    assert release.summary.endswith("释放回公海：不是我的区域")
    assert claim.details() == {"score": 85.0, "rank": 1, "candidates": 4, "summary": claim.summary}


def test_the_pool_tells_a_reps_rank_for_a_lead() -> None:
    pool = Pool.__new__(Pool)
    object.__setattr__(pool, "groups", {0: (0, 3)})
    object.__setattr__(pool, "rep_idx", np.array([5, 2, 7]))
    assert pool.rank_of(0, 2) == (2, 3)
    assert pool.rank_of(0, 9) == (0, 3)
    assert pool.rank_of(0, None) == (0, 3)
    assert pool.rank_of(1, 2) == (0, 0)


def test_a_partner_sees_only_the_touches_they_entered() -> None:
    registered = new_lead(
        lead_id="a",
        tenant_id="t",
        owner_id=None,
        created_by="p1",
        now=NOW,
        data=LeadData(company_name="海天注塑", phone="13805741234", source="伙伴报备"),
    )
    merged = merge(registered, _lead("b", source="展会扫码", contact_name="李工"), NOW)
    assert merged.as_seen_by("p1", "partner").sources == ("伙伴报备",)
    assert merged.as_seen_by("mgr", "manager").sources == ("伙伴报备", "展会扫码")


def test_touches_are_bounded_but_every_source_keeps_its_first_touch() -> None:
    lead = _lead("a", source="官网表单")
    for day in range(1, 260):
        lead = merge(lead, _lead(f"x{day}", at=NOW + timedelta(days=day), source="抖音本地推"), NOW)
    lead = merge(lead, _lead("last", at=NOW + timedelta(days=300), source="展会扫码"), NOW)
    assert len(lead.touches) == MAX_TOUCHES
    assert lead.sources == ("官网表单", "抖音本地推", "展会扫码")
    assert lead.touches[0].at == NOW and lead.touches[1].at == NOW + timedelta(days=1)
    assert lead.touches[-1].source == "展会扫码"
