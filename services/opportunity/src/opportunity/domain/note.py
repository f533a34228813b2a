"""Private notes (个人作战笔记): a note follows its author, not the customer;
only its author edits it, and every text stays in its history."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from crm_shared import limits
from crm_shared.context import Caller
from crm_shared.domain.errors import PermissionDenied, Validator

from opportunity.domain.customer import clean_text

MAX_NOTE = limits.MAX_NOTE


@dataclass(frozen=True)
class NoteVersion:
    version: int
    text: str
    edited_by: str
    edited_at: datetime


@dataclass(frozen=True)
class Note:
    note_id: str
    tenant_id: str
    customer_id: str
    author_id: str
    owner_id: str
    text: str
    version: int
    created_at: datetime
    updated_at: datetime
    history: tuple[NoteVersion, ...] = field(default=(), compare=False)


def _note_text(text: str) -> str:
    v = Validator()
    text = clean_text(v, "text", text, MAX_NOTE, required=True)
    v.check()
    return text


def new_note(*, note_id: str, tenant_id: str, customer_id: str, author_id: str, text: str, now: datetime) -> Note:
    return Note(note_id, tenant_id, customer_id, author_id, author_id, _note_text(text), 1, now, now)


def edit_note(note: Note, caller: Caller, text: str, now: datetime) -> Note:
    if caller.user_id != note.author_id:
        raise PermissionDenied("only the author edits a private note")
    return replace(note, text=_note_text(text), version=note.version + 1, updated_at=now)
