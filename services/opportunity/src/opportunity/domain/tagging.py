"""Tagging conversation text: a tenant's keyword groups (tag → words) matched
on jieba's segmentation of the text, with the tenant's dictionary words added
to the segmenter so a product or competitor name is one word, not split.

A group word that the tenant's segmenter keeps as one token matches a token
of the text; a word it would cut into several (a phrase such as 多少钱 or
交付时间) matches as a substring of the text. Latin letters match case-blind
("Demo" is demo). The defaults are the seeds' groups; a tenant edits its own
(one versioned settings row, adapters/tagging_settings_repository.py)."""

from __future__ import annotations

import logging
import tempfile
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jieba
from crm_shared.domain.errors import Validator

jieba.setLogLevel(logging.WARNING)

DEFAULT_KEYWORD_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("预算", ("预算", "经费", "资金", "多少钱", "价格区间", "费用")),
    ("决策链", ("老板", "总经理", "采购部", "决策", "拍板", "审批", "院长", "董事长")),
    ("时间节点", ("下个月", "年底", "交付时间", "上线", "截止", "月底", "下周")),
    ("竞品", ("竞品", "对手", "友商", "别家")),
    ("报价", ("报价", "报价单", "折扣", "优惠")),
    ("样品", ("样品", "样件", "打样", "试样")),
    ("交期", ("交期", "交货", "发货", "到货")),
    ("招标", ("招标", "投标", "标书", "招标文件")),
    ("付款方式", ("账期", "分期", "付款", "预付款", "尾款", "付款方式")),
    ("产品对比", ("对比", "比较", "对比表", "区别")),
    ("技术演示", ("演示", "demo", "试用")),
)
# Needs completeness (需求完整度): the tags an opportunity's conversations should have covered.
DEFAULT_REQUIRED_TAGS = ("预算", "决策链", "时间节点", "竞品")

MAX_GROUPS = 100
MAX_WORDS_PER_GROUP = 200
MAX_DICTIONARY = 5_000
MAX_WORD = 30
MAX_TAG = 50
# Tokenizers kept (one per tenant dictionary): each holds jieba's whole
# dictionary (~350k words, ~60 MB), so few.
TOKENIZER_CACHE_SIZE = 8


@dataclass(frozen=True)
class TaggingSettings:
    keyword_groups: tuple[tuple[str, tuple[str, ...]], ...] = DEFAULT_KEYWORD_GROUPS
    dictionary: tuple[tuple[str, str], ...] = ()  # (word, tag or "")
    required_tags: tuple[str, ...] = DEFAULT_REQUIRED_TAGS
    version: int = 0  # 0: the defaults, the tenant has saved none

    def to_data(self) -> dict[str, Any]:
        return {
            "keyword_groups": [{"tag": t, "words": list(w)} for t, w in self.keyword_groups],
            "dictionary": [{"word": w, "tag": t} for w, t in self.dictionary],
            "required_tags": list(self.required_tags),
        }

    @property
    def tags(self) -> tuple[str, ...]:
        seen = dict.fromkeys(t for t, _ in self.keyword_groups)
        seen.update(dict.fromkeys(t for _, t in self.dictionary if t))
        return tuple(seen)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_settings(data: Mapping[str, Any], version: int = 0) -> TaggingSettings:
    """Settings from a client's (or a stored) JSON, every problem named by its field."""
    v = Validator()
    groups_in = data.get("keyword_groups")
    dictionary_in = data.get("dictionary") or []
    required_in = data.get("required_tags")
    groups: dict[str, tuple[str, ...]] = {}
    if not isinstance(groups_in, list):
        v.add("keyword_groups", "must be a list of {tag, words}")
        groups_in = []
    if len(groups_in) > MAX_GROUPS:
        v.add("keyword_groups", f"has more than {MAX_GROUPS} groups")
        groups_in = []
    for i, group in enumerate(groups_in):
        name = f"keyword_groups[{i}]"
        if not isinstance(group, Mapping):
            v.add(name, "must be an object {tag, words}")
            continue
        tag = _text(group.get("tag"))
        if not tag or len(tag) > MAX_TAG:
            v.add(f"{name}.tag", f"is required, at most {MAX_TAG} characters")
        elif tag in groups:
            v.add(f"{name}.tag", f"{tag} is named by another group")
        words = group.get("words")
        if not isinstance(words, list) or not words or len(words) > MAX_WORDS_PER_GROUP:
            v.add(f"{name}.words", f"must list 1 to {MAX_WORDS_PER_GROUP} words")
            continue
        clean = tuple(dict.fromkeys(_text(w) for w in words))
        if any(not w or len(w) > MAX_WORD for w in clean):
            v.add(f"{name}.words", f"every word is 1 to {MAX_WORD} characters")
            continue
        groups[tag] = clean
    if not isinstance(dictionary_in, list) or len(dictionary_in) > MAX_DICTIONARY:
        v.add("dictionary", f"must be a list of at most {MAX_DICTIONARY} {{word, tag?}}")
        dictionary_in = []
    dictionary: dict[str, str] = {}
    for i, entry in enumerate(dictionary_in):
        word = _text(entry.get("word")) if isinstance(entry, Mapping) else ""
        tag = _text(entry.get("tag")) if isinstance(entry, Mapping) else ""
        if not word or len(word) > MAX_WORD or any(c.isspace() for c in word):
            v.add(f"dictionary[{i}].word", f"is 1 to {MAX_WORD} characters without spaces")
        elif len(tag) > MAX_TAG:
            v.add(f"dictionary[{i}].tag", f"is at most {MAX_TAG} characters")
        else:
            dictionary[word] = tag
    required: tuple[str, ...] = DEFAULT_REQUIRED_TAGS
    if required_in is not None:
        if not isinstance(required_in, list) or len(required_in) > MAX_GROUPS:
            v.add("required_tags", f"must be a list of at most {MAX_GROUPS} tags")
        else:
            required = tuple(dict.fromkeys(_text(t) for t in required_in if _text(t)))
            known = set(groups) | {t for t in dictionary.values() if t}
            for t in required:
                if t not in known:
                    v.add("required_tags", f"{t} is not the tag of a keyword group or dictionary word")
    v.check()
    return TaggingSettings(
        keyword_groups=tuple(groups.items()),
        dictionary=tuple(dictionary.items()),
        required_tags=required,
        version=version,
    )


class Segmenters:
    """jieba tokenizers, one per tenant dictionary, least recently used
    dropped. jieba's own dictionary is loaded once (≈1 s; its cache file in a
    temp dir of ours, never a download) and copied into each tenant's
    tokenizer before its words are added."""

    def __init__(self, size: int = TOKENIZER_CACHE_SIZE) -> None:
        self.size = size
        self._base: jieba.Tokenizer | None = None
        self._cache: OrderedDict[tuple[str, ...], jieba.Tokenizer] = OrderedDict()
        # Per tokenizer (dropped with it): whether it cuts a group word into several tokens.
        self._phrases: weakref.WeakKeyDictionary[jieba.Tokenizer, dict[str, bool]] = weakref.WeakKeyDictionary()
        self._tmp_dir = tempfile.mkdtemp(prefix="crm-jieba-")

    def base(self) -> jieba.Tokenizer:
        if self._base is None:
            tk = jieba.Tokenizer()
            tk.tmp_dir = self._tmp_dir
            tk.initialize()
            self._base = tk
        return self._base

    def for_words(self, words: Iterable[str]) -> jieba.Tokenizer:
        key = tuple(sorted(set(words)))
        if not key:
            return self.base()
        tk = self._cache.get(key)
        if tk is not None:
            self._cache.move_to_end(key)
            return tk
        base = self.base()
        tk = jieba.Tokenizer()
        tk.tmp_dir = self._tmp_dir
        tk.FREQ = dict(base.FREQ)
        tk.total = base.total
        tk.initialized = True
        for word in key:
            tk.add_word(word)
        self._cache[key] = tk
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return tk

    def is_phrase(self, tk: jieba.Tokenizer, word: str) -> bool:
        """Whether tk cuts `word` into several tokens: decided once per
        tokenizer, as cutting every group word again for every text cost
        several times the text's own segmentation."""
        known = self._phrases.setdefault(tk, {})
        phrase = known.get(word)
        if phrase is None:
            phrase = known[word] = len(tk.lcut(word)) > 1
        return phrase


SEGMENTERS = Segmenters()


@dataclass(frozen=True)
class Tagged:
    tags: dict[str, list[str]]  # tag → the words of the text that matched it, in order of first match
    words: list[str] = field(default_factory=list)  # the segmentation


def segment(text: str, settings: TaggingSettings, segmenters: Segmenters = SEGMENTERS) -> list[str]:
    tk = segmenters.for_words(w for w, _ in settings.dictionary)
    return [w for w in tk.lcut(text) if w.strip()]


def tag_text(text: str, settings: TaggingSettings, segmenters: Segmenters = SEGMENTERS) -> Tagged:
    tk = segmenters.for_words(w for w, _ in settings.dictionary)
    words = [w for w in tk.lcut(text) if w.strip()]
    tokens = {w.lower() for w in words}
    lowered = text.lower()
    hits: dict[str, list[str]] = {}

    def hit(tag: str, word: str) -> None:
        found = hits.setdefault(tag, [])
        if word not in found:
            found.append(word)

    for tag, group_words in settings.keyword_groups:
        for word in group_words:
            w = word.lower()
            if w in tokens or (w in lowered and segmenters.is_phrase(tk, word)):
                hit(tag, word)
    for word, tag in settings.dictionary:
        if tag and word.lower() in tokens:
            hit(tag, word)
    return Tagged(tags=hits, words=words)
