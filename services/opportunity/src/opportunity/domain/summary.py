"""Extractive summary of conversation text (历史沟通摘要): the sentences that
carry the most of the text's keywords (jieba.analyse TF-IDF over the
tenant's segmentation) and tag hits, kept in their original order."""

from __future__ import annotations

import re

import jieba.analyse

from opportunity.domain.tagging import SEGMENTERS, Segmenters, TaggingSettings

MAX_SENTENCES = 3
MAX_KEYWORDS = 10
MAX_SENTENCE = 200  # characters of one summary sentence
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")
_TFIDF = jieba.analyse.TFIDF()


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


class _Segmented:
    """A tokenizer for jieba's TF-IDF that answers with a segmentation already made."""

    def __init__(self, words: list[str]) -> None:
        self.words = words

    def cut(self, _text: str) -> list[str]:
        return self.words


def keywords(
    text: str,
    settings: TaggingSettings,
    segmenters: Segmenters = SEGMENTERS,
    top: int = MAX_KEYWORDS,
    words: list[str] | None = None,
) -> list[str]:
    """The text's TF-IDF keywords; `words`: its segmentation by the tenant's
    tokenizer when already made (tag_text's), so the text is not cut twice."""
    _TFIDF.tokenizer = (
        _Segmented(words) if words is not None else segmenters.for_words(w for w, _ in settings.dictionary)
    )
    return list(_TFIDF.extract_tags(text, topK=top))


def summarise(
    text: str,
    settings: TaggingSettings,
    tag_words: list[str] | None = None,
    segmenters: Segmenters = SEGMENTERS,
    top: int = MAX_SENTENCES,
    words: list[str] | None = None,
) -> tuple[list[str], list[str]]:
    """(summary sentences, keywords); `words` as for keywords()."""
    sentences = sentences_of(text)
    words = keywords(text, settings, segmenters, words=words)
    weights = {w: MAX_KEYWORDS - i for i, w in enumerate(words)}
    for w in tag_words or ():
        weights[w] = weights.get(w, 0) + MAX_KEYWORDS
    scored = [(sum(weight for w, weight in weights.items() if w in s), -i, i) for i, s in enumerate(sentences)]
    chosen = sorted(i for score, _, i in sorted(scored, reverse=True)[:top] if score > 0) or list(
        range(min(1, len(sentences)))
    )
    return [sentences[i][:MAX_SENTENCE] for i in chosen], words
