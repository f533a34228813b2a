"""Character-level diff of two versions' extracted text, cleaned up
semantically so a Chinese change reads as a reader would say it
("交期 30 天 → 45 天", "验收 → 安装调试"): word splitting does not work on
Chinese, which has no spaces, and a raw character diff shreds a changed
phrase into single characters.

The answer is data (equal / insert / delete segments, and the changes with
a little context each) that the web and mobile apps render, and an HTML
rendering with <ins>/<del>. Both sides are bounded in size, and the diff
in time (diff-match-patch's Diff_Timeout: past it the diff is coarser but
still correct)."""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

# Past this many characters a side is cut (and the diff says so).
MAX_DIFF_CHARS = 1_000_000
# Seconds diff-match-patch may spend before answering a coarser diff.
DIFF_TIMEOUT_S = 0.8
# Characters of unchanged text shown on each side of a change.
CONTEXT_CHARS = 20

# A number or a Latin word changes whole: "1,200,000 → 1,260,000", not "0 → 6".
_TOKEN_TAIL = re.compile(r"[0-9A-Za-z_.,%]+\Z")
_TOKEN_HEAD = re.compile(r"^[0-9A-Za-z_.,%]+")
_TOKEN_CHAR = re.compile(r"[0-9A-Za-z_.,%]")
# Where a change's summary stops looking for words around it.
_CLAUSE_END = re.compile(r"[，。；：！？、\n;]")
SUMMARY_CONTEXT = 6

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
_OPS = {diff_match_patch.DIFF_EQUAL: EQUAL, diff_match_patch.DIFF_INSERT: INSERT, diff_match_patch.DIFF_DELETE: DELETE}


@dataclass(frozen=True)
class Segment:
    op: str  # EQUAL, INSERT or DELETE
    text: str


@dataclass(frozen=True)
class Change:
    """One changed place: what was there, what is there now, and the unchanged text around it."""

    before: str
    after: str
    context_before: str
    context_after: str
    from_offset: int  # where `before` starts in the older text
    to_offset: int  # where `after` starts in the newer text

    @property
    def summary(self) -> str:
        """ "交期 30 天 → 45 天": the change with the words around it on the same line."""
        lead = _CLAUSE_END.split(self.context_before)[-1][-SUMMARY_CONTEXT:]
        tail = _CLAUSE_END.split(self.context_after)[0][:SUMMARY_CONTEXT]
        return f"{lead}{self.before}{tail} → {lead}{self.after}{tail}".strip()


@dataclass(frozen=True)
class TextDiff:
    segments: tuple[Segment, ...]
    changes: tuple[Change, ...]
    # False when a side was cut at MAX_DIFF_CHARS or the time limit made the diff coarser.
    complete: bool = True

    @property
    def identical(self) -> bool:
        return not self.changes


def diff_text(
    before: str, after: str, *, timeout_s: float = DIFF_TIMEOUT_S, max_chars: int = MAX_DIFF_CHARS
) -> TextDiff:
    cut = len(before) > max_chars or len(after) > max_chars
    before, after = before[:max_chars], after[:max_chars]
    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout_s
    started = time.monotonic()
    # Line mode first on long texts (much faster), then refined to characters.
    raw = dmp.diff_main(before, after, checklines=len(before) + len(after) > 10_000)
    timed_out = timeout_s > 0 and time.monotonic() - started >= timeout_s
    dmp.diff_cleanupSemantic(raw)
    segments = _whole_tokens([Segment(_OPS[op], text) for op, text in raw if text])
    return TextDiff(segments, _changes(segments), complete=not (cut or timed_out))


def _whole_tokens(segments: list[Segment]) -> tuple[Segment, ...]:
    """Widens each change to the whole numbers and Latin words it cuts into;
    changes a token apart ("1,4|3|0,000" → "1,3|9|0,000") become one."""
    out: list[Segment] = []
    i, n = 0, len(segments)
    while i < n:
        if segments[i].op == EQUAL:
            out.append(segments[i])
            i += 1
            continue
        removed, added, i = _run(segments, i)
        if (not removed or not added) and out and out[-1].op == EQUAL and i < n:
            # A pure insertion or removal slides losslessly between its neighbours: off a token's middle if it can.
            left, moved, right = _slide(out[-1].text, removed or added, segments[i].text)
            out[-1], segments[i] = Segment(EQUAL, left), Segment(EQUAL, right)
            removed, added = ("", moved) if added else (moved, "")
        if out and out[-1].op == EQUAL and _touches(removed[:1], added[:1]) and (m := _TOKEN_TAIL.search(out[-1].text)):
            kept = out[-1].text[: -len(m.group())]
            removed, added = m.group() + removed, m.group() + added
            out[-1:] = [Segment(EQUAL, kept)] if kept else []
        while i < n and _touches(removed[-1:], added[-1:]) and (m := _TOKEN_HEAD.search(segments[i].text)):
            token = m.group()
            removed, added = removed + token, added + token
            if token != segments[i].text or i + 1 == n:
                segments[i] = Segment(EQUAL, segments[i].text[len(token) :])
                break
            # The unchanged text between two changes is inside one token: the changes are one.
            more_removed, more_added, i = _run(segments, i + 1)
            removed, added = removed + more_removed, added + more_added
        out += [Segment(DELETE, removed), Segment(INSERT, added)]
    return tuple(s for s in out if s.text)


def _run(segments: list[Segment], i: int) -> tuple[str, str, int]:
    """The removed and the added text of the changes from i to the next equal segment, and its index."""
    removed, added = [], []
    while i < len(segments) and segments[i].op != EQUAL:
        (removed if segments[i].op == DELETE else added).append(segments[i].text)
        i += 1
    return "".join(removed), "".join(added), i


def _slide(left: str, moved: str, right: str, reach: int = 32) -> tuple[str, str, str]:
    """`moved` between `left` and `right`, shifted where fewest tokens are cut (a line break best)."""

    def cost(lft: str, mid: str, rgt: str) -> int:
        cuts = _touches(lft[-1:]) and _touches(mid[:1])
        cuts += _touches(mid[-1:]) and _touches(rgt[:1])
        return 2 * cuts - (mid.endswith("\n") or lft.endswith("\n") or not lft)

    options = [(left, moved, right)]
    lft, mid, rgt = left, moved, right
    for _ in range(reach):  # rightwards: the moved text's first character goes to its end
        if not rgt or mid[0] != rgt[0]:
            break
        lft, mid, rgt = lft + mid[0], mid[1:] + rgt[0], rgt[1:]
        options.append((lft, mid, rgt))
    lft, mid, rgt = left, moved, right
    for _ in range(reach):  # leftwards
        if not lft or mid[-1] != lft[-1]:
            break
        lft, mid, rgt = lft[:-1], lft[-1] + mid[:-1], mid[-1] + rgt
        options.append((lft, mid, rgt))
    return min(options, key=lambda o: cost(*o))


def _touches(*chars: str) -> bool:
    return any(_TOKEN_CHAR.match(c) for c in chars if c)


def _changes(segments: tuple[Segment, ...]) -> tuple[Change, ...]:
    changes: list[Change] = []
    offset_a = offset_b = 0
    i = 0
    while i < len(segments):
        if segments[i].op == EQUAL:
            offset_a += len(segments[i].text)
            offset_b += len(segments[i].text)
            i += 1
            continue
        start, start_a, start_b = i, offset_a, offset_b
        removed, added = [], []
        # A run of deletes and inserts between two equal segments is one change.
        while i < len(segments) and segments[i].op != EQUAL:
            if segments[i].op == DELETE:
                removed.append(segments[i].text)
                offset_a += len(segments[i].text)
            else:
                added.append(segments[i].text)
                offset_b += len(segments[i].text)
            i += 1
        previous = segments[start - 1].text if start else ""
        following = segments[i].text if i < len(segments) else ""
        changes.append(
            Change(
                before="".join(removed),
                after="".join(added),
                context_before=previous[-CONTEXT_CHARS:],
                context_after=following[:CONTEXT_CHARS],
                from_offset=start_a,
                to_offset=start_b,
            )
        )
    return tuple(changes)


def render_html(diff: TextDiff) -> str:
    """The highlighted text: unchanged text escaped, removals in <del>, additions in <ins>; line breaks kept."""
    parts = []
    for segment in diff.segments:
        text = html.escape(segment.text).replace("\n", "<br>\n")
        if segment.op == INSERT:
            parts.append(f'<ins class="diff-insert">{text}</ins>')
        elif segment.op == DELETE:
            parts.append(f'<del class="diff-delete">{text}</del>')
        else:
            parts.append(text)
    return '<div class="document-diff">' + "".join(parts) + "</div>"
