"""What reps are told: a push per lead, or one digest for a rep with many at once."""

from datetime import UTC, datetime, timedelta

from lead_routing.domain.lead import Lead
from lead_routing.domain.pool import assignment_pushes, high_match_pushes

from tests.unit.lead_routing import factories


def lead(i: int) -> Lead:
    return factories.lead(f"l{i}", company_name=f"客户{i}", source="展会扫码", city="绍兴市", district="柯桥区")


def test_high_matches_are_a_push_each_until_a_rep_has_more_than_three() -> None:
    pushes = high_match_pushes(
        [("few", lead(1), 90.0), ("few", lead(2), 88.0)] + [("many", lead(i), float(80 + i)) for i in range(3, 8)]
    )
    few = [p for p in pushes if p.rep_id == "few"]
    assert [(p.kind, p.subject_type, p.subject_id, p.title) for p in few] == [
        ("lead.high_match", "lead", "l1", "客户1"),
        ("lead.high_match", "lead", "l2", "客户2"),
    ]
    assert few[0].body.startswith("匹配度 90 · ") and "绍兴市柯桥区" in few[0].body
    [digest] = [p for p in pushes if p.rep_id == "many"]
    assert (digest.kind, digest.subject_type, digest.subject_id) == ("lead.high_match_digest", "pool", "")
    assert digest.title == "5 条新线索匹配度达标"
    assert digest.body == "客户7(87)、客户6(86)、客户5(85) 等 5 条 · 请到公海查看"  # best first


def test_a_batch_tells_a_rep_the_earliest_deadline_in_beijing_time() -> None:
    due = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    given = [("r", lead(i), due + timedelta(hours=i)) for i in range(4)]
    [digest] = assignment_pushes(given)
    assert (digest.kind, digest.title) == ("lead.assigned_digest", "为您分配了 4 条线索")
    assert digest.body == "客户0、客户1、客户2 等 4 条 · 最早首次跟进截止: 2026-11-24 09:00 (北京时间)"
    [single] = assignment_pushes(given[1:2])
    assert (single.kind, single.subject_id) == ("lead.assigned", "l1")
    assert single.body.endswith("首次跟进截止: 2026-11-24 10:00 (北京时间)")
