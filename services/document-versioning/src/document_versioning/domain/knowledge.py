"""The sales knowledge base: a document whose subject is "knowledge" (FAQ,
case studies, competitor comparisons, payment agreement templates) with
tags, and how entries rank for a text search and for a rep's situation.

Text ranking is BM25 over the jieba words of the entry's title and indexed
text (the index is adapters/knowledge_repository.py's table of words).
A recommendation ranks by the tags that match the rep's situation: an entry
tagged for another industry, product line or stage is for someone else and
is left out; a kind the entry has no tag of fits any; at least one tag must
match. Each hit says why it ranks."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime

from crm_shared.domain.errors import Validator

MAX_TAG = 50
MAX_TAGS_PER_KIND = 20
MAX_QUERY = 500
MAX_PAGE = 50
DEFAULT_PAGE = 10
SNIPPET_CHARS = 40
# BM25's usual constants.
K1, B = 1.2, 0.75


@dataclass(frozen=True)
class KnowledgeTags:
    industries: tuple[str, ...] = ()
    product_lines: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()  # e.g. 高意向, 客户说要考虑, 账期延长
    competitors: tuple[str, ...] = ()

    def items(self) -> list[tuple[str, str]]:
        """(kind, value) pairs, kind being the field name."""
        return [(f.name, value) for f in fields(self) for value in getattr(self, f.name)]

    @property
    def words(self) -> tuple[str, ...]:
        """Every tag value: words the segmenter must keep whole."""
        return tuple(value for _, value in self.items())


TAG_KINDS = tuple(f.name for f in fields(KnowledgeTags))
# How much a match of each kind counts in a recommendation, and its label in `why`.
WEIGHTS = {"stages": 3.0, "industries": 3.0, "product_lines": 2.0, "signals": 2.0, "competitors": 2.0}
LABELS = {
    "stages": "stage",
    "industries": "industry",
    "product_lines": "product line",
    "signals": "signal",
    "competitors": "competitor",
}
# Kinds where an entry tagged otherwise is for someone else.
EXCLUSIVE = ("stages", "industries", "product_lines")


@dataclass(frozen=True)
class KnowledgeEntry:
    tenant_id: str
    document_id: str
    title: str
    doc_type: str
    version_id: str
    version_number: int
    sha256: str
    tags: KnowledgeTags
    tagged_by: str
    tagged_at: datetime
    scanned: bool = False
    # Words indexed (title and text), for BM25's length normalisation.
    length: int = 0


@dataclass(frozen=True)
class Hit:
    entry: KnowledgeEntry
    score: float
    why: tuple[str, ...] = ()
    snippet: str = ""


@dataclass(frozen=True)
class Situation:
    """A rep's situation a recommendation is for; empty fields are unknown."""

    stage: str = ""
    industry: str = ""
    product_line: str = ""
    signals: tuple[str, ...] = ()
    competitor: str = ""
    text: str = ""

    def as_tags(self) -> KnowledgeTags:
        return KnowledgeTags(
            industries=_one(self.industry),
            product_lines=_one(self.product_line),
            stages=_one(self.stage),
            signals=tuple(s.strip() for s in self.signals if s.strip()),
            competitors=_one(self.competitor),
        )


def _one(value: str) -> tuple[str, ...]:
    return (value.strip(),) if value.strip() else ()


@dataclass(frozen=True)
class Postings:
    """What the index holds for a query's words: counts per (entry, word), and corpus statistics."""

    counts: Mapping[str, Mapping[str, int]]  # document_id -> word -> count
    document_frequency: Mapping[str, int]  # word -> entries containing it
    entries: int  # entries in the tenant's knowledge base
    average_length: float
    extra: Mapping[str, int] = field(default_factory=dict)


def normalise_tags(tags: KnowledgeTags) -> KnowledgeTags:
    """Stripped, without empties or repeats, bounded; problems named by field."""
    v = Validator()
    clean: dict[str, tuple[str, ...]] = {}
    for kind in TAG_KINDS:
        values = list(dict.fromkeys(t.strip() for t in getattr(tags, kind) if t.strip()))
        if len(values) > MAX_TAGS_PER_KIND:
            v.add(f"tags.{kind}", f"has more than {MAX_TAGS_PER_KIND} values")
        for value in values:
            if len(value) > MAX_TAG:
                v.add(f"tags.{kind}", f"has a value longer than {MAX_TAG} characters")
                break
        clean[kind] = tuple(values)
    v.check()
    return KnowledgeTags(**clean)


def page_size(requested: int) -> int:
    v = Validator()
    if requested < 0 or requested > MAX_PAGE:
        v.add("page_size", f"must be between 0 and {MAX_PAGE}")
    v.check()
    return requested or DEFAULT_PAGE


def check_query(text: str) -> str:
    v = Validator()
    if len(text) > MAX_QUERY:
        v.add("text", f"is longer than {MAX_QUERY} characters")
    v.check()
    return text.strip()


def matches_tags(entry: KnowledgeTags, wanted: KnowledgeTags) -> bool:
    """A search's tag filter: every kind asked for has one of its values on the entry."""
    return all(
        not getattr(wanted, kind) or set(getattr(wanted, kind)) & set(getattr(entry, kind)) for kind in TAG_KINDS
    )


def bm25(document_id: str, length: int, terms: Sequence[str], postings: Postings) -> tuple[float, list[str]]:
    """The entry's BM25 score for the query words, and the words that matched with their counts."""
    counts = postings.counts.get(document_id, {})
    score, matched = 0.0, []
    average = postings.average_length or 1.0
    for term in dict.fromkeys(terms):
        tf = counts.get(term, 0)
        if not tf:
            continue
        df = postings.document_frequency.get(term, 0)
        idf = math.log(1 + (postings.entries - df + 0.5) / (df + 0.5))
        score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
        matched.append(f"{term} ×{tf}")
    return score, matched


def rank_search(
    entries: Sequence[KnowledgeEntry], terms: Sequence[str], wanted: KnowledgeTags, postings: Postings, limit: int
) -> list[Hit]:
    hits = []
    for entry in entries:
        if not matches_tags(entry.tags, wanted):
            continue
        score, matched = bm25(entry.document_id, entry.length, terms, postings)
        if terms and not matched:
            continue
        why = [f"{LABELS[kind]}: {value}" for kind, value in wanted.items() if value in getattr(entry.tags, kind)]
        why += [f"text: {m}" for m in matched]
        hits.append(Hit(entry, round(score, 4), tuple(why)))
    # Best first; equal scores: the most recently tagged first.
    hits.sort(key=lambda h: (-h.score, -h.entry.tagged_at.timestamp(), h.entry.document_id))
    return hits[:limit]


def rank_recommendations(
    entries: Sequence[KnowledgeEntry], situation: Situation, terms: Sequence[str], postings: Postings, limit: int
) -> list[Hit]:
    wanted = situation.as_tags()
    hits = []
    for entry in entries:
        if any(
            getattr(wanted, k) and getattr(entry.tags, k) and not _overlap(entry.tags, wanted, k) for k in EXCLUSIVE
        ):
            continue
        score, why = 0.0, []
        for kind in TAG_KINDS:
            for value in set(getattr(wanted, kind)) & set(getattr(entry.tags, kind)):
                score += WEIGHTS[kind]
                why.append(f"{LABELS[kind]}: {value}")
        if not why:
            continue
        text_score, matched = bm25(entry.document_id, entry.length, terms, postings)
        score += text_score / 2
        why += [f"text: {m}" for m in matched]
        hits.append(Hit(entry, round(score, 4), tuple(sorted(why, key=_why_order))))
    hits.sort(key=lambda h: (-h.score, -h.entry.tagged_at.timestamp(), h.entry.document_id))
    return hits[:limit]


def _overlap(entry: KnowledgeTags, wanted: KnowledgeTags, kind: str) -> bool:
    return bool(set(getattr(entry, kind)) & set(getattr(wanted, kind)))


def _why_order(reason: str) -> int:
    order = ["stage", "industry", "product line", "signal", "competitor", "text"]
    return order.index(reason.split(":", 1)[0])


def snippet(text: str, terms: Sequence[str]) -> str:
    """The text around the first query word found (or the text's start)."""
    flat = " ".join(text.split())
    at = min((i for i in (flat.find(t) for t in terms if t) if i >= 0), default=0)
    start = max(0, at - SNIPPET_CHARS // 4)
    return flat[start : start + SNIPPET_CHARS]
