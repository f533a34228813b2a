"""Conversations coming in: a 企业微信 会话存档 export (JSON lines), a call
transcript, or one message turned into a visit record in the app. Each
becomes an ordinary activity (kind "chat" or "call"); what it came from is
kept beside it (conversation_sources: the same source id twice is a
duplicate, never a second copy).

The export format, one JSON object per line (会话存档 shape):
    {"msgid": "...", "action": "send", "from": "<userid or external id>",
     "tolist": ["..."], "roomid": "", "msgtime": <ms since epoch>,
     "msgtype": "text", "text": {"content": "..."}}
The customer side is whichever of from/tolist is a known contact's 企业微信
external id (contact_channels) or phone. A line that cannot become an
activity is reported with its line number, source id and reason.

An imported activity happened when its source says (msgtime, a call's
started_at, a message's sent_at), however long ago the export was taken:
up to MAX_IMPORT_AGE back, not ahead of the service's clock by more than
the clock skew. A rep's typed activity keeps its 7-day limit
(activity.MAX_BACKDATE)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from crm_shared.domain.errors import InvalidArgument, Validator
from crm_shared.limits import MAX_ACTIVITY_TEXT, MIB

WECOM = "wecom"
TRANSCRIPT = "transcript"
APP_MESSAGE = "app_message"
SOURCES = (WECOM, TRANSCRIPT, APP_MESSAGE)

MAX_EXPORT_BYTES = 20 * MIB
# An export is imported within one gateway call (its batch deadline, 90 s): at about 1,000
# messages/s (bench/findings/signals.md) 50,000 lines take under a minute. A larger archive is sent
# in several files; one cut short keeps what it committed and sending it again adds the rest.
MAX_EXPORT_LINES = 50_000
MAX_SOURCE_ID = 200
MAX_PARTIES = 200  # of one message's tolist
MAX_TRANSCRIPT_TEXT = 200_000  # characters of a call's whole text (conversation_texts)
MAX_TURNS = 5_000
MAX_SPEAKER = 50
MAX_UNMATCHED_REPORTED = 1_000
MAX_IDS_ANSWERED = 100
SPEAKERS = {"rep": "销售", "customer": "客户"}
# How far back an imported message or call may lie: a tenant starting on the CRM brings its
# last year or two of 企业微信 archives and call recordings; older is almost always a wrong time
# (msgtime in seconds read as milliseconds lands in January 1970), refused with the line's reason.
MAX_IMPORT_AGE = timedelta(days=730)


@dataclass(frozen=True)
class ChatMessage:
    line: int
    source_id: str
    parties: tuple[str, ...]  # from first, then tolist
    sent_at: datetime
    text: str


@dataclass(frozen=True)
class Unmatched:
    line: int
    source_id: str
    reason: str


def _ms(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_wecom_line(line_no: int, raw: str) -> ChatMessage | Unmatched | None:
    """One line of the export: a message, why it is not one, or None for a blank line."""
    if not raw.strip():
        return None
    try:
        obj = json.loads(raw)
    except ValueError:
        return Unmatched(line_no, "", "not a JSON object")
    if not isinstance(obj, Mapping):
        return Unmatched(line_no, "", "not a JSON object")
    msgid = obj.get("msgid")
    source_id = msgid.strip()[:MAX_SOURCE_ID] if isinstance(msgid, str) else ""
    if not source_id:
        return Unmatched(line_no, "", "msgid is required")
    if len(msgid.strip()) > MAX_SOURCE_ID:
        return Unmatched(line_no, source_id, f"msgid is longer than {MAX_SOURCE_ID} characters")
    if obj.get("action", "send") != "send":
        return Unmatched(line_no, source_id, f"unsupported action {str(obj.get('action'))[:20]}")
    if obj.get("msgtype") != "text":
        return Unmatched(line_no, source_id, "unsupported msgtype")
    content = obj.get("text", {}).get("content") if isinstance(obj.get("text"), Mapping) else None
    if not isinstance(content, str) or not content.strip():
        return Unmatched(line_no, source_id, "text.content is required")
    if len(content) > MAX_ACTIVITY_TEXT:
        return Unmatched(line_no, source_id, f"text.content is longer than {MAX_ACTIVITY_TEXT} characters")
    sent_at = _ms(obj.get("msgtime"))
    if sent_at is None:
        return Unmatched(line_no, source_id, "msgtime is not milliseconds since the epoch")
    sender = obj.get("from")
    tolist = obj.get("tolist") or []
    if not isinstance(tolist, list) or len(tolist) > MAX_PARTIES:
        return Unmatched(line_no, source_id, f"tolist is not a list of at most {MAX_PARTIES} ids")
    parties = tuple(dict.fromkeys(p.strip() for p in [sender, *tolist] if isinstance(p, str) and p.strip()))
    if not parties:
        return Unmatched(line_no, source_id, "from and tolist name nobody")
    return ChatMessage(line_no, source_id, parties, sent_at, content.strip())


@dataclass(frozen=True)
class Turn:
    speaker: str
    at: datetime | None
    text: str


def transcript_text(turns: list[Turn]) -> str:
    """The call's whole text, one line per turn: 销售/客户/<name>: text."""
    return "\n".join(f"{SPEAKERS.get(t.speaker, t.speaker)}: {t.text.strip()}" for t in turns if t.text.strip())


def check_transcript(source_id: str, turns: list[Turn]) -> str:
    """The whole text of a valid transcript; every problem named by its field."""
    v = Validator()
    if not source_id.strip() or len(source_id) > MAX_SOURCE_ID:
        v.add("source_id", f"is required, at most {MAX_SOURCE_ID} characters")
    if not turns:
        v.add("turns", "is required")
    if len(turns) > MAX_TURNS:
        v.add("turns", f"has more than {MAX_TURNS} turns")
    for i, t in enumerate(turns[:MAX_TURNS]):
        if not t.speaker.strip() or len(t.speaker) > MAX_SPEAKER:
            v.add(f"turns[{i}].speaker", f"is rep, customer or a name of at most {MAX_SPEAKER} characters")
    v.check()
    text = transcript_text(turns)
    if not text:
        raise InvalidArgument.field("turns", "every turn's text is empty")
    if len(text) > MAX_TRANSCRIPT_TEXT:
        raise InvalidArgument.field("turns", f"the whole text is longer than {MAX_TRANSCRIPT_TEXT} characters")
    return text


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def sealed_summary(sentences: list[str], text: str) -> str:
    """A transcript activity's summary: its extractive summary and the
    whole text's sha256, so the chain seals the text kept beside it."""
    seal = f"全文 sha256={sha256_of(text)}"
    body = "\n".join(sentences)
    room = MAX_ACTIVITY_TEXT - len(seal) - 1
    return f"{body[:room]}\n{seal}" if body else seal


def check_message(source_id: str, sender: str, text: str) -> None:
    v = Validator()
    if not source_id.strip() or len(source_id) > MAX_SOURCE_ID:
        v.add("source_id", f"is required, at most {MAX_SOURCE_ID} characters")
    if len(sender) > MAX_SPEAKER:
        v.add("sender", f"is at most {MAX_SPEAKER} characters")
    if not text.strip():
        v.add("text", "is required")
    elif len(text) > MAX_ACTIVITY_TEXT:
        v.add("text", f"is longer than {MAX_ACTIVITY_TEXT} characters")
    v.check()
