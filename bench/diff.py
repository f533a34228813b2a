"""Diff of two 50-page technical proposals (issue 12: under 1 s), with text
extraction reported on its own.

(a) Text diff (domain/text_diff.py: diff-match-patch, line pre-pass, semantic
    clean-up, whole-number widening) of two generated 50-page proposals
    (~90,000 characters each) differing in 40 places: changed numbers and
    terms, inserted and removed sentences. Baseline in the same run: difflib's
    SequenceMatcher over the lines of the same texts (what a line diff costs;
    it names changed lines, not the changed words). Best of 3. And the worst
    case, two unrelated proposals, which the diff's time limit bounds.
(b) Extraction of the same proposal as a 50-page PDF (reportlab, STSong-Light;
    pypdf) and as a DOCX (python-docx); baseline: decoding the same text from
    UTF-8 bytes (what reading a plain text costs). Best of 3.
(c) Knowledge-base search: the inverted index of jieba words (our table, as
    adapters/knowledge_repository.py queries it) over 2,000 entries in SQLite,
    against SQLite FTS5 over the same space-joined words, same queries.
"""

from __future__ import annotations

import difflib
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Callable

from document_versioning.adapters.segmenter import Segmenter
from document_versioning.adapters.text_extraction import DOCX, PDF, extract_text
from document_versioning.domain.text_diff import diff_text

from tests.support.document_files import make_docx, make_pdf

PAGES, LINES_PER_PAGE = 50, 40
EDITS = 40
ENTRIES = 2_000
QUERIES = ["注塑机 节能 改造 案例", "客户说要考虑 账期", "海天 对比 伺服", "方案提交 阶段 报价", "质保 验收 尾款"]

SUBJECTS = [
    "本方案",
    "设备",
    "伺服系统",
    "液压单元",
    "模具温控",
    "机械手",
    "中央供料系统",
    "干燥机",
    "冷却水塔",
    "电控柜",
]
VERBS = ["采用", "配置", "支持", "满足", "保证", "优化", "兼容", "预留", "集成", "提供"]
OBJECTS = [
    "节能 30% 的伺服驱动",
    "锁模力 2800 kN 的双板结构",
    "注射量 1200 g 的螺杆组件",
    "ISO 9001 质量体系",
    "远程运维接口",
    "两年免费保养",
    "现场安装调试服务",
    "验收合格后支付尾款",
    "交期 30 天的备件供应",
    "CE 认证的安全光栅",
]


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}，编号 {rng.randrange(1000, 9999)}。"


def proposal(seed: int = 7) -> list[list[str]]:
    """50 pages of 40 lines, each line two sentences (~45 characters)."""
    rng = random.Random(seed)
    return [[_sentence(rng) + _sentence(rng) for _ in range(LINES_PER_PAGE)] for _ in range(PAGES)]


def revised(pages: list[list[str]], seed: int = 11) -> list[list[str]]:
    """The proposal with EDITS changes spread over it: numbers, terms, added and removed sentences."""
    rng = random.Random(seed)
    out = [list(page) for page in pages]
    for n in range(EDITS):
        page, line = rng.randrange(PAGES), rng.randrange(LINES_PER_PAGE)
        text = out[page][line]
        kind = n % 4
        if kind == 0:
            out[page][line] = (
                text.replace("30 天", "45 天", 1) if "30 天" in text else text.replace("编号 ", "编号 9", 1)
            )
        elif kind == 1:
            out[page][line] = text.replace("验收", "安装调试", 1) if "验收" in text else text.replace("设备", "整机", 1)
        elif kind == 2:
            out[page].insert(line, "新增：" + _sentence(rng))
        else:
            out[page][line] = text.split("。", 1)[0] + "。"
    return out


def _text(pages: list[list[str]]) -> str:
    return "\n".join("\n".join(page) for page in pages)


def _best_ms(fn: Callable[[], object], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def _result(name: str, value: float, unit: str, baseline: float) -> dict:
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "ratio": value / baseline if baseline else 0.0,
    }


def bench_text_diff() -> list[dict]:
    before, after = _text(proposal()), _text(revised(proposal()))
    diff = diff_text(before, after)
    assert diff.complete and diff.changes, "the bench diff hit a bound; it measures nothing"
    ours = _best_ms(lambda: diff_text(before, after))
    lines_a, lines_b = before.split("\n"), after.split("\n")
    baseline = _best_ms(lambda: difflib.SequenceMatcher(None, lines_a, lines_b, autojunk=False).get_opcodes())
    print(f"  text diff: {len(before)} / {len(after)} characters, {len(diff.changes)} changes; budget 1000 ms")
    # The worst case: two unrelated proposals; the time limit (Diff_Timeout 0.8 s) bounds it.
    other = _text(proposal(seed=99))
    worst = _best_ms(lambda: diff_text(before, other), runs=1)
    other_lines = other.split("\n")
    worst_baseline = _best_ms(
        lambda: difflib.SequenceMatcher(None, lines_a, other_lines, autojunk=False).get_opcodes(), 1
    )
    return [
        _result("diff 50-page proposals (ms, vs difflib lines)", ours, "ms", baseline),
        _result("diff 50-page unrelated texts (ms, vs difflib lines)", worst, "ms", worst_baseline),
    ]


def bench_extraction() -> list[dict]:
    pages = proposal()
    text = _text(pages)
    pdf, docx = make_pdf(pages), make_docx([line for page in pages for line in page])
    assert "伺服" in extract_text(pdf, PDF, "p.pdf").text
    raw = text.encode()
    plain = _best_ms(lambda: raw.decode("utf-8"))
    return [
        _result(
            "extract 50-page PDF (ms, vs utf-8 decode)", _best_ms(lambda: extract_text(pdf, PDF, "p.pdf")), "ms", plain
        ),
        _result(
            "extract 50-page DOCX (ms, vs utf-8 decode)",
            _best_ms(lambda: extract_text(docx, DOCX, "p.docx")),
            "ms",
            plain,
        ),
    ]


def bench_knowledge_search() -> list[dict]:
    segmenter = Segmenter()
    segmenter.add_words(["客户说要考虑", "方案提交"])
    rng = random.Random(3)
    docs = [
        " ".join(_sentence(rng) for _ in range(20)) + rng.choice(["客户说要考虑", "海天 对比", "账期 延长", ""])
        for _ in range(ENTRIES)
    ]
    terms = [segmenter.terms(d) for d in docs]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE terms (document_id INTEGER, term TEXT, count INTEGER, PRIMARY KEY (document_id, term))")
    db.execute("CREATE INDEX ix_term ON terms (term)")
    db.executemany(
        "INSERT INTO terms VALUES (?, ?, ?)", [(i, t, c) for i, ts in enumerate(terms) for t, c in ts.items()]
    )
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(words)")
    db.executemany(
        "INSERT INTO fts (rowid, words) VALUES (?, ?)",
        [(i, " ".join(t for t, c in ts.items() for _ in range(c))) for i, ts in enumerate(terms)],
    )
    queries = [list(segmenter.terms(q)) for q in QUERIES]

    def ours() -> None:
        for words in queries:
            marks = ",".join("?" * len(words))
            rows = db.execute(f"SELECT document_id, term, count FROM terms WHERE term IN ({marks})", words).fetchall()
            scores: Counter[int] = Counter()
            for document_id, _, count in rows:
                scores[document_id] += count
            scores.most_common(10)

    def fts() -> None:
        for words in queries:
            match = " OR ".join(f'"{w}"' for w in words)
            db.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 10", (match,)).fetchall()

    return [_result(f"kb search x{len(QUERIES)}, {ENTRIES} entries (ms, vs FTS5)", _best_ms(ours), "ms", _best_ms(fts))]


def bench_diff() -> list[dict]:
    return bench_text_diff() + bench_extraction() + bench_knowledge_search()


if __name__ == "__main__":
    import sys

    for r in bench_diff():
        print(r, file=sys.stdout)
