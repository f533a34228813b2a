"""Knowledge-base ranking without I/O: tags normalised and bounded, BM25
over jieba words, recommendations by situation with why, and the segmenter
keeping tag words whole."""

from datetime import UTC, datetime, timedelta

import pytest
from crm_shared.domain.errors import InvalidArgument
from document_versioning.adapters.segmenter import Segmenter
from document_versioning.domain.knowledge import (
    MAX_TAGS_PER_KIND,
    KnowledgeEntry,
    KnowledgeTags,
    Postings,
    Situation,
    normalise_tags,
    page_size,
    rank_recommendations,
    rank_search,
    snippet,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def entry(document_id: str, tags: KnowledgeTags, length: int = 100, minutes: int = 0) -> KnowledgeEntry:
    return KnowledgeEntry(
        "t",
        document_id,
        f"标题 {document_id}",
        "FAQ",
        f"v-{document_id}",
        1,
        "0" * 64,
        tags,
        "mgr",
        T0 + timedelta(minutes=minutes),
        length=length,
    )


CASE = entry("case", KnowledgeTags(industries=("注塑机",), stages=("方案提交",)))
HANDBOOK = entry("handbook", KnowledgeTags(competitors=("海天",), stages=("方案提交",)))
TEXTILE = entry("textile", KnowledgeTags(industries=("纺织机械",), stages=("方案提交",)))
TERMS = entry("terms", KnowledgeTags(signals=("账期延长",)))
ALL = [CASE, HANDBOOK, TEXTILE, TERMS]
NO_TEXT = Postings({}, {}, len(ALL), 100.0)


def test_recommendation_ranks_both_matches_first_and_leaves_out_other_industries() -> None:
    hits = rank_recommendations(ALL, Situation(stage="方案提交", industry="注塑机"), [], NO_TEXT, 10)

    assert [h.entry.document_id for h in hits] == ["case", "handbook"]
    assert hits[0].why == ("stage: 方案提交", "industry: 注塑机")
    assert hits[1].why == ("stage: 方案提交",)


def test_a_signal_brings_its_entries() -> None:
    hits = rank_recommendations(ALL, Situation(signals=("账期延长",)), [], NO_TEXT, 10)

    assert [(h.entry.document_id, h.why) for h in hits] == [("terms", ("signal: 账期延长",))]


def test_search_ranks_by_bm25_and_filters_by_tags() -> None:
    postings = Postings(
        counts={"case": {"注塑机": 3, "节能": 1}, "textile": {"节能": 1}, "handbook": {"注塑机": 1}},
        document_frequency={"注塑机": 2, "节能": 2},
        entries=4,
        average_length=100.0,
    )

    hits = rank_search(ALL, ["注塑机", "节能"], KnowledgeTags(), postings, 10)
    assert [h.entry.document_id for h in hits] == ["case", "handbook", "textile"]
    assert "text: 注塑机 ×3" in hits[0].why

    filtered = rank_search(ALL, ["节能"], KnowledgeTags(stages=("方案提交",), industries=("纺织机械",)), postings, 10)
    assert [h.entry.document_id for h in filtered] == ["textile"]


def test_tags_only_search_lists_the_newest_first() -> None:
    newer = entry("newer", KnowledgeTags(stages=("方案提交",)), minutes=5)

    hits = rank_search([*ALL, newer], [], KnowledgeTags(stages=("方案提交",)), NO_TEXT, 2)

    assert [h.entry.document_id for h in hits] == ["newer", "case"]  # then by id among equals


def test_tags_are_cleaned_and_bounded() -> None:
    assert normalise_tags(KnowledgeTags(signals=(" 高意向 ", "高意向", ""))).signals == ("高意向",)
    with pytest.raises(InvalidArgument) as err:
        normalise_tags(
            KnowledgeTags(industries=tuple(f"行业{i}" for i in range(MAX_TAGS_PER_KIND + 1)), competitors=("长" * 51,))
        )
    assert {v.field for v in err.value.violations} == {"tags.industries", "tags.competitors"}
    with pytest.raises(InvalidArgument):
        page_size(51)
    assert page_size(0) == 10


def test_segmenter_keeps_tag_words_whole_and_drops_stopwords() -> None:
    segmenter = Segmenter()
    segmenter.add_words(["客户说要考虑"])

    terms = segmenter.terms("客户说要考虑时，注塑机的报价话术。")

    assert "客户说要考虑" in terms and "注塑机" in terms and "注塑" in terms
    assert "的" not in terms and "，" not in terms


def test_snippet_is_around_the_first_word_found() -> None:
    text = "前言。" * 30 + "海天注塑机的对比表在这里。"

    assert "海天" in snippet(text, ["海天"])
    assert snippet("短文本", ["无"]) == "短文本"
