"""Chinese word segmentation for the knowledge-base index and its queries:
jieba's search mode (a long word and the words inside it: 注塑机 → 注塑, 塑机,
注塑机), so a query word matches an indexed one either way. jieba's own
dictionary ships in the package: nothing is downloaded at run time. Tag
values (industries, product lines, competitors, signals) are added as words
so "客户说要考虑" or a competitor's name stays whole.

One tokenizer per process (its dictionary is ~50 MB); a lock keeps
add_word and cut from racing across worker threads."""

from __future__ import annotations

import logging
import re
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable

import jieba

# Words too common to tell entries apart.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "时",
        "说",
        "要",
        "等",
        "对",
        "为",
        "把",
        "被",
        "也",
        "就",
        "都",
        "而",
        "之",
        "其",
        "这",
        "那",
        "我",
        "你",
        "他",
        "她",
        "它",
        "们",
        "个",
        "有",
    ]
)
_NOT_A_WORD = re.compile(r"^[\W_]+$")
MAX_WORD = 30

jieba.setLogLevel(logging.WARNING)


class Segmenter:
    def __init__(self) -> None:
        self._tokenizer = jieba.Tokenizer()
        # The dictionary cache goes to the temporary folder, as jieba's default.
        self._tokenizer.tmp_dir = tempfile.gettempdir()
        self._lock = threading.Lock()
        self._added: set[str] = set()

    def warm(self) -> None:
        """Loads the dictionary (~0.5 s) so the first query does not wait for it."""
        with self._lock:
            self._tokenizer.initialize()

    def add_words(self, words: Iterable[str]) -> None:
        new = [w.strip() for w in words if w.strip() and w.strip() not in self._added and len(w.strip()) <= MAX_WORD]
        if not new:
            return
        with self._lock:
            for word in new:
                self._tokenizer.add_word(word)
                self._added.add(word)

    def terms(self, text: str) -> Counter[str]:
        """Words of the text with their counts (Latin lower-cased), without punctuation and stopwords."""
        with self._lock:
            words = list(self._tokenizer.cut_for_search(text))
        return Counter(
            w
            for w in (word.strip().lower() for word in words)
            if w and w not in STOPWORDS and not _NOT_A_WORD.match(w) and len(w) <= MAX_WORD
        )
