"""The text diff of two versions: Chinese changes read as a reader says them,
numbers change whole, the HTML escapes what it shows, and the bounds hold."""

from document_versioning.domain.text_diff import DELETE, EQUAL, INSERT, diff_text, render_html
from hypothesis import given, settings
from hypothesis import strategies as st

BEFORE = "技术方案 V1\n交期 30 天，设备到货后验收合格支付尾款。\n总价 1,200,000 元。\n型号 XK-200 注塑机 2 台。"
AFTER = "技术方案 V1\n交期 45 天，设备到货后安装调试合格支付尾款。\n总价 1,260,000 元。\n型号 XK-200 注塑机 2 台。"


def test_chinese_changes_are_named_exactly() -> None:
    diff = diff_text(BEFORE, AFTER)

    assert [(c.before, c.after) for c in diff.changes] == [
        ("30", "45"),
        ("验收", "安装调试"),
        ("1,200,000", "1,260,000"),
    ]
    assert diff.changes[0].summary == "交期 30 天 → 交期 45 天"
    assert diff.complete


def test_segments_rebuild_both_texts() -> None:
    diff = diff_text(BEFORE, AFTER)

    assert "".join(s.text for s in diff.segments if s.op != INSERT) == BEFORE
    assert "".join(s.text for s in diff.segments if s.op != DELETE) == AFTER
    assert {s.op for s in diff.segments} == {EQUAL, INSERT, DELETE}


def test_offsets_and_context_point_at_the_change() -> None:
    change = diff_text(BEFORE, AFTER).changes[1]

    assert BEFORE[change.from_offset : change.from_offset + 2] == "验收"
    assert AFTER[change.to_offset : change.to_offset + 4] == "安装调试"
    assert change.context_before.endswith("设备到货后")
    assert change.context_after.startswith("合格支付尾款")


def test_an_added_sentence_is_one_insert() -> None:
    diff = diff_text("质保一年。", "质保一年。含一次免费上门培训。")

    assert [(c.before, c.after) for c in diff.changes] == [("", "含一次免费上门培训。")]


def test_identical_texts_have_no_changes() -> None:
    diff = diff_text(BEFORE, BEFORE)

    assert diff.identical
    assert render_html(diff).count("<ins") == 0


def test_html_marks_changes_and_escapes_text() -> None:
    html = render_html(diff_text("单价 <100> 元 & 税", "单价 <120> 元 & 税"))

    assert '<del class="diff-delete">100</del><ins class="diff-insert">120</ins>' in html
    assert "&lt;" in html and "&amp;" in html
    assert "<100>" not in html


def test_a_side_past_the_size_bound_is_cut_and_said_so() -> None:
    diff = diff_text("甲" * 50, "甲" * 40 + "乙" * 10, max_chars=30)

    assert not diff.complete
    assert diff.identical  # the first 30 characters are equal


def test_a_number_changed_in_two_places_is_one_change() -> None:
    # diff-match-patch alone answers "1,4|3|0,000 → 1,3|9|0,000": two changes inside one number.
    diff = diff_text("合计\t1,430,000\n以上", "合计\t1,390,000\n以上")

    assert [(c.before, c.after) for c in diff.changes] == [("1,430,000", "1,390,000")]


def test_an_added_line_after_a_number_stays_a_line() -> None:
    before = "MT-12\t2\t35,000\n合计\t1,390,000"
    after = "MT-12\t2\t35,000\nRB-5\t1\t120,000\n合计\t1,510,000"

    assert [(c.before, c.after) for c in diff_text(before, after).changes] == [
        ("", "RB-5\t1\t120,000\n"),
        ("1,390,000", "1,510,000"),
    ]


TEXT = st.text(alphabet="0123456789,.AB交期天验收款 \n", max_size=60)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_whatever_the_texts_the_segments_rebuild_both(before: str, after: str) -> None:
    diff = diff_text(before, after)

    assert "".join(s.text for s in diff.segments if s.op != INSERT) == before
    assert "".join(s.text for s in diff.segments if s.op != DELETE) == after
    for change in diff.changes:
        assert before[change.from_offset :].startswith(change.before)
        assert after[change.to_offset :].startswith(change.after)
