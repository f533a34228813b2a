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


def keywords(
    text: str, settings: TaggingSettings, segmenters: Segmenters = SEGMENTERS, top: int = MAX_KEYWORDS
) -> list[str]:
    _TFIDF.tokenizer = segmenters.for_words(w for w, _ in settings.dictionary)
    return list(_TFIDF.extract_tags(text, topK=top))


def summarise(
    text: str,
    settings: TaggingSettings,
    tag_words: list[str] | None = None,
    segmenters: Segmenters = SEGMENTERS,
    top: int = MAX_SENTENCES,
) -> tuple[list[str], list[str]]:
    """(summary sentences, keywords)."""
    sentences = sentences_of(text)
    words = keywords(text, settings, segmenters)
    weights = {w: MAX_KEYWORDS - i for i, w in enumerate(words)}
    for w in tag_words or ():
        weights[w] = weights.get(w, 0) + MAX_KEYWORDS
    scored = [(sum(weight for w, weight in weights.items() if w in s), -i, i) for i, s in enumerate(sentences)]
    chosen = sorted(i for score, _, i in sorted(scored, reverse=True)[:top] if score > 0) or list(
        range(min(1, len(sentences)))
    )
    return [sentences[i][:MAX_SENTENCE] for i in chosen], words
