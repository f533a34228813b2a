"""Activities: append-only entries of a customer's log, each chained to the
previous one by hash, and the follow-up plan they set.

Entry hash = sha256 of the canonical JSON of the entry (every stored field
but the hash itself, the previous entry's hash included). Changing any
stored field of any entry, or removing or reordering one, breaks the chain
at that entry."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from crm_shared.domain.errors import FailedPrecondition, InvalidArgument, Validator, Violation
from crm_shared.limits import MAX_ACTIVITY_TEXT

from opportunity.domain.evidence import Evidence, Failed, check_visit

KINDS = ("visit", "call", "chat", "demo", "quote_sent", "proposal_sent", "note")
# Kinds that are a contact with the customer: they fulfil a planned follow-up.
CONTACT_KINDS = ("visit", "call", "chat", "demo", "quote_sent", "proposal_sent")
GENESIS = "0" * 64
MAX_SUMMARY = MAX_ACTIVITY_TEXT
MAX_EVIDENCE_TEXT = MAX_ACTIVITY_TEXT
# How far in the past an activity a rep types may be dated (back-filling a day's work).
# Imported conversations carry their source's own time and pass their own bound.
MAX_BACKDATE = timedelta(days=7)
# How far ahead of ours the clock of a phone or an export may run.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Activity:
    activity_id: str
    tenant_id: str
    customer_id: str
    seq: int
    opportunity_id: str | None
    lead_id: str | None
    kind: str
    actor_id: str
    occurred_at: datetime
    recorded_at: datetime
    state: str  # "draft" (待补全) or "submitted"
    summary: str
    refers_to: str | None
    relation: str  # "", "corrects", "completes"
    check_in_latitude: float | None
    check_in_longitude: float | None
    checked_in_at: datetime | None
    photo_id: str | None
    photo_sha256: str
    needs: str
    competitors: str
    next_follow_up_at: datetime | None
    violations: list[list[str]]  # [[check, description], ...]
    prev_hash: str
    hash: str

    @property
    def is_draft(self) -> bool:
        return self.state == "draft"


@dataclass(frozen=True)
class Draft:
    """A visit still 待补全 with its customer's name: one line of a rep's to-do list across customers."""

    activity: Activity
    customer_name: str
    rep_name: str = ""  # of the rep who saved it, from the reps projection


@dataclass(frozen=True)
class Photo:
    """A visit photo, kept in this database; an activity points at it by id and sha256."""

    photo_id: str
    tenant_id: str
    customer_id: str
    sha256: str
    content_type: str
    content: bytes
    taken_at: datetime | None
    uploaded_by: str
    uploaded_at: datetime


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="microseconds")


def canonical(activity: Activity) -> bytes:
    data = asdict(activity)
    data.pop("hash")
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = _iso(value)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(activity: Activity) -> str:
    return hashlib.sha256(canonical(activity)).hexdigest()


def sealed(activity: Activity, seq: int, prev_hash: str) -> Activity:
    """The entry in its place in the chain, with its hash."""
    placed = replace(activity, seq=seq, prev_hash=prev_hash, hash="")
    return replace(placed, hash=entry_hash(placed))


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    entries: int
    first_broken: Activity | None = None
    reason: str = ""


def verify_chain(entries: Sequence[Activity]) -> ChainReport:
    """Entries in seq order. Reports the first that does not fit."""
    prev = GENESIS
    for position, entry in enumerate(entries, start=1):
        if entry.seq != position:
            return ChainReport(False, len(entries), entry, f"entry {position} is missing (found seq {entry.seq})")
        if entry.prev_hash != prev:
            return ChainReport(False, len(entries), entry, "does not refer to the previous entry's hash")
        if entry_hash(entry) != entry.hash:
            return ChainReport(False, len(entries), entry, "its content does not match its hash")
        prev = entry.hash
    return ChainReport(True, len(entries))


@dataclass(frozen=True)
class NewEntry:
    """What a caller logs (validated here, placed in the chain by the handler)."""

    kind: str
    summary: str = ""
    occurred_at: datetime | None = None
    opportunity_id: str | None = None
    check_in: tuple[float, float] | None = None
    photo_id: str | None = None
    photo_sha256: str = ""
    photo_taken_at: datetime | None = None
    needs: str = ""
    competitors: str = ""
    next_follow_up_at: datetime | None = None
    refers_to: str | None = None
    relation: str = ""


def _texts(v: Validator, entry: NewEntry) -> None:
    if len(entry.summary) > MAX_SUMMARY:
        v.add("summary", f"is longer than {MAX_SUMMARY} characters")
    for name in ("needs", "competitors"):
        if len(getattr(entry, name)) > MAX_EVIDENCE_TEXT:
            v.add(name, f"is longer than {MAX_EVIDENCE_TEXT} characters")
    if entry.check_in is not None:
        lat, lng = entry.check_in
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            v.add("check_in", "is not a valid latitude/longitude")


def build_entry(
    entry: NewEntry,
    *,
    activity_id: str,
    tenant_id: str,
    customer_id: str,
    actor_id: str,
    lead_id: str | None,
    now: datetime,
    customer_location: tuple[float | None, float | None],
    photo_window: timedelta,
    corrected: Activity | None = None,
    max_age: timedelta = MAX_BACKDATE,
    time_field: str = "occurred_at",
) -> Activity:
    """Validate the input (InvalidArgument names every bad field) and decide
    the state: a visit missing evidence is a draft naming every failed check.
    `occurred_at` may lie up to `max_age` back (an import passes its own
    bound and the name its source gives the time, `time_field`)."""
    v = Validator()
    if entry.kind not in KINDS:
        v.add("kind", f"must be one of {', '.join(KINDS)}")
    occurred = entry.occurred_at or now
    if occurred > now + CLOCK_SKEW:
        v.add(time_field, "is in the future")
    elif occurred < now - max_age:
        v.add(time_field, f"is more than {max_age.days} days ago")
    if entry.kind != "visit" and not entry.summary.strip():
        v.require("summary", entry.summary)
    if entry.kind != "visit" and entry.next_follow_up_at is not None and entry.next_follow_up_at <= now:
        v.add("next_follow_up_at", "is not in the future")
    if corrected is not None and corrected.customer_id != customer_id:
        v.add("corrects_activity_id", "belongs to another customer")
    _texts(v, entry)
    v.check()
    checked_in_at = now if entry.check_in is not None else None
    failed: list[Failed] = []
    if entry.kind == "visit":
        failed = check_visit(
            Evidence(
                check_in_latitude=entry.check_in[0] if entry.check_in else None,
                check_in_longitude=entry.check_in[1] if entry.check_in else None,
                checked_in_at=checked_in_at,
                has_photo=entry.photo_id is not None,
                photo_taken_at=entry.photo_taken_at,
                needs=entry.needs,
                competitors=entry.competitors,
                next_follow_up_at=entry.next_follow_up_at,
            ),
            customer_latitude=customer_location[0],
            customer_longitude=customer_location[1],
            now=now,
            photo_window=photo_window,
        )
    return Activity(
        activity_id=activity_id,
        tenant_id=tenant_id,
        customer_id=customer_id,
        seq=0,
        opportunity_id=entry.opportunity_id or None,
        lead_id=lead_id,
        kind=entry.kind,
        actor_id=actor_id,
        occurred_at=occurred,
        recorded_at=now,
        state="draft" if failed else "submitted",
        summary=entry.summary.strip(),
        refers_to=entry.refers_to,
        relation=entry.relation,
        check_in_latitude=entry.check_in[0] if entry.check_in else None,
        check_in_longitude=entry.check_in[1] if entry.check_in else None,
        checked_in_at=checked_in_at,
        photo_id=entry.photo_id,
        photo_sha256=entry.photo_sha256,
        needs=entry.needs.strip(),
        competitors=entry.competitors.strip(),
        next_follow_up_at=entry.next_follow_up_at,
        violations=[[f.check, f.description] for f in failed],
        prev_hash="",
        hash="",
    )


@dataclass(frozen=True)
class Addition:
    """Evidence added when completing a draft visit."""

    check_in: tuple[float, float] | None = None
    photo_id: str | None = None
    photo_sha256: str = ""
    photo_taken_at: datetime | None = None
    needs: str = ""
    competitors: str = ""
    next_follow_up_at: datetime | None = None


def require_visit(draft: Activity) -> None:
    """Only visits are drafted, so only a visit is submitted."""
    if draft.kind != "visit":
        raise FailedPrecondition(
            "only visits are drafted", [Violation("kind", draft.activity_id, f"is a {draft.kind}")]
        )


def complete_draft(
    draft: Activity,
    added: Addition,
    *,
    activity_id: str,
    actor_id: str,
    now: datetime,
    draft_photo_taken_at: datetime | None,
    customer_location: tuple[float | None, float | None],
    photo_window: timedelta,
    completed_by: str | None,
) -> Activity:
    """A new submitted entry carrying the draft's evidence plus what was
    added; FailedPrecondition listing every check still failing otherwise."""
    if not draft.is_draft:
        raise FailedPrecondition(
            "only a draft (待补全) visit can be submitted",
            [Violation("state", draft.activity_id, f"is {draft.state}")],
        )
    if completed_by:
        raise FailedPrecondition(
            "this draft was already completed",
            [Violation("state", draft.activity_id, f"completed by {completed_by}")],
        )
    v = Validator()
    _texts(v, NewEntry(kind="visit", needs=added.needs, competitors=added.competitors, check_in=added.check_in))
    v.check()
    check_in = added.check_in or (
        (draft.check_in_latitude, draft.check_in_longitude) if draft.check_in_latitude is not None else None
    )
    checked_in_at = now if added.check_in is not None else draft.checked_in_at
    photo_id = added.photo_id or draft.photo_id
    taken = added.photo_taken_at if added.photo_id else draft_photo_taken_at
    entry = Evidence(
        check_in_latitude=check_in[0] if check_in else None,
        check_in_longitude=check_in[1] if check_in else None,
        checked_in_at=checked_in_at,
        has_photo=photo_id is not None,
        photo_taken_at=taken,
        needs=added.needs.strip() or draft.needs,
        competitors=added.competitors.strip() or draft.competitors,
        next_follow_up_at=added.next_follow_up_at or draft.next_follow_up_at,
    )
    failed = check_visit(
        entry,
        customer_latitude=customer_location[0],
        customer_longitude=customer_location[1],
        now=now,
        photo_window=photo_window,
    )
    if failed:
        raise FailedPrecondition(
            "the visit is incomplete (待补全): " + "; ".join(f"{f.check}: {f.description}" for f in failed),
            [Violation(f.check, draft.activity_id, f.description) for f in failed],
        )
    return replace(
        draft,
        activity_id=activity_id,
        seq=0,
        actor_id=actor_id,
        recorded_at=now,
        state="submitted",
        refers_to=draft.activity_id,
        relation="completes",
        check_in_latitude=entry.check_in_latitude,
        check_in_longitude=entry.check_in_longitude,
        checked_in_at=checked_in_at,
        photo_id=photo_id,
        photo_sha256=added.photo_sha256 if added.photo_id else draft.photo_sha256,
        needs=entry.needs,
        competitors=entry.competitors,
        next_follow_up_at=entry.next_follow_up_at,
        violations=[],
        prev_hash="",
        hash="",
    )


@dataclass(frozen=True)
class FollowUpPlan:
    next_at: datetime | None
    moves: int
    moved_from: datetime | None = None  # set when this change is a move


def plan_follow_up(
    current: datetime | None,
    moves: int,
    *,
    kind: str,
    requested: datetime | None,
    now: datetime,
    clear: bool = False,
) -> FollowUpPlan:
    """What an activity does to the customer's planned follow-up. Only what
    it says changes the plan: without a new time (and without `clear`) the
    plan stays as it is, whatever the kind — a call that names no next step
    must not erase the one planned. A new time from a contact with the
    customer is the next plan (the contact is the follow-up; its move count
    starts at 0); a new time from a note while a plan is open is a move.
    `clear` ends the plan (no next follow-up) and cannot come with a time."""
    if clear:
        if requested is not None:
            raise InvalidArgument.field(
                "clear_follow_up", "cannot be set together with next_follow_up_at (which replaces the plan)"
            )
        return FollowUpPlan(None, 0)
    if requested is None:
        return FollowUpPlan(current, moves)
    open_plan = current is not None and kind not in CONTACT_KINDS
    if open_plan and requested != current:
        return FollowUpPlan(requested, moves + 1, moved_from=current)
    if open_plan:
        return FollowUpPlan(current, moves)
    return FollowUpPlan(requested, 0)


def reschedule(current: datetime | None, moves: int, requested: datetime, now: datetime) -> FollowUpPlan:
    if requested <= now:
        raise InvalidArgument.field("next_follow_up_at", "is not in the future")
    if current is None:
        return FollowUpPlan(requested, moves)
    if requested == current:
        return FollowUpPlan(current, moves)
    return plan_follow_up(current, moves, kind="note", requested=requested, now=now)
