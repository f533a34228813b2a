"""Activities: visit evidence checks (seed 001), EXIF capture times, the
per-customer hash chain, completing drafts, and follow-up moves."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument
from opportunity.domain.activity import (
    GENESIS,
    Addition,
    NewEntry,
    build_entry,
    complete_draft,
    plan_follow_up,
    reschedule,
    sealed,
    verify_chain,
)
from opportunity.domain.evidence import Evidence, PhotoUnreadable, check_visit, haversine_m, photo_taken_at
from PIL import ExifTags, Image

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")
# 宁波 customer, and points ~300 m and ~5 km away.
HOME = (29.8683, 121.5440)
NEAR = (29.8705, 121.5460)
FAR = (29.9100, 121.5800)
WINDOW = timedelta(minutes=30)


def jpeg_with_exif(taken: datetime | None, *, offset: str | None = None) -> bytes:
    """A tiny JPEG whose EXIF DateTimeOriginal is `taken` in Shanghai local
    time (as a phone writes it), optionally with OffsetTimeOriginal."""
    exif = Image.Exif()
    if taken is not None:
        local = taken.astimezone(SHANGHAI)
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = local.strftime("%Y:%m:%d %H:%M:%S")
        if offset:
            exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.OffsetTimeOriginal] = offset
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 30, 30)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def evidence(**overrides) -> Evidence:
    base = dict(
        check_in_latitude=NEAR[0],
        check_in_longitude=NEAR[1],
        checked_in_at=NOW,
        has_photo=True,
        photo_taken_at=NOW - timedelta(minutes=10),
        needs="二期产线需要 3 台注塑机,预算 120 万",
        competitors="海天报价低 8%,交期 60 天",
        next_follow_up_at=NOW + timedelta(days=7),
    )
    return Evidence(**(base | overrides))


def checks(e: Evidence) -> list[str]:
    return [f.check for f in check_visit(e, customer_latitude=HOME[0], customer_longitude=HOME[1], now=NOW)]


def test_haversine_matches_known_distances() -> None:
    assert haversine_m(*HOME, *HOME) == 0
    assert 250 < haversine_m(*HOME, *NEAR) < 350
    assert 4_500 < haversine_m(*HOME, *FAR) < 6_000
    # 上海 -> 北京 is about 1,070 km.
    assert 1_050_000 < haversine_m(31.2304, 121.4737, 39.9042, 116.4074) < 1_090_000


def test_complete_visit_passes_every_check() -> None:
    assert checks(evidence()) == []


@pytest.mark.parametrize(
    ("overrides", "failed"),
    [
        (dict(check_in_latitude=FAR[0], check_in_longitude=FAR[1]), ["check_in"]),
        (dict(check_in_latitude=None, check_in_longitude=None), ["check_in"]),
        (dict(photo_taken_at=NOW - timedelta(minutes=31)), ["photo"]),
        (dict(photo_taken_at=NOW + timedelta(hours=2)), ["photo"]),
        (dict(has_photo=False, photo_taken_at=None), ["photo"]),
        (dict(photo_taken_at=None), ["photo"]),
        (dict(needs="  "), ["needs"]),
        (dict(competitors=""), ["competitors"]),
        (dict(next_follow_up_at=NOW + timedelta(days=16)), ["next_follow_up_at"]),
        (dict(next_follow_up_at=NOW - timedelta(hours=1)), ["next_follow_up_at"]),
        (dict(next_follow_up_at=None), ["next_follow_up_at"]),
    ],
)
def test_each_failed_check_is_named(overrides: dict, failed: list[str]) -> None:
    assert checks(evidence(**overrides)) == failed


def test_every_failed_check_is_named_at_once() -> None:
    empty = Evidence()
    assert checks(empty) == ["check_in", "photo", "needs", "competitors", "next_follow_up_at"]
    # Exactly 15 days ahead is allowed.
    assert checks(evidence(next_follow_up_at=NOW + timedelta(days=15))) == []


def test_customer_without_coordinates_cannot_be_checked_in() -> None:
    failed = check_visit(evidence(), customer_latitude=None, customer_longitude=None, now=NOW)
    assert [f.check for f in failed] == ["check_in"]


def test_exif_capture_time_is_read_from_the_photo() -> None:
    taken = NOW - timedelta(minutes=5)
    assert photo_taken_at(jpeg_with_exif(taken)) == taken
    # With an explicit offset the stated zone wins.
    assert photo_taken_at(jpeg_with_exif(taken, offset="+08:00")) == taken
    assert photo_taken_at(jpeg_with_exif(None)) is None
    with pytest.raises(PhotoUnreadable):
        photo_taken_at(b"not a picture")


def entry(kind: str = "visit", **overrides) -> NewEntry:
    base = dict(
        kind=kind,
        summary="拜访张总",
        check_in=NEAR,
        photo_id="p-1",
        photo_sha256="ab" * 32,
        photo_taken_at=NOW - timedelta(minutes=3),
        needs="需要升级固件",
        competitors="竞品 A 降价 12%",
        next_follow_up_at=NOW + timedelta(days=3),
    )
    return NewEntry(**(base | overrides))


def built(e: NewEntry, activity_id: str = "a-1"):
    return build_entry(
        e, activity_id=activity_id, tenant_id="t", customer_id="c-1", actor_id="rep-1", lead_id=None, now=NOW,
        customer_location=HOME, photo_window=WINDOW,
    )


def test_visit_missing_evidence_is_a_draft_listing_every_failed_check() -> None:
    assert built(entry()).state == "submitted"
    draft = built(entry(photo_id=None, photo_sha256="", photo_taken_at=None, competitors=""))
    assert draft.state == "draft"
    assert [check for check, _ in draft.violations] == ["photo", "competitors"]
    # Other kinds carry no evidence rules.
    call = built(NewEntry(kind="call", summary="电话确认需求"))
    assert (call.state, call.violations) == ("submitted", [])


def test_bad_input_is_refused_naming_every_field() -> None:
    with pytest.raises(InvalidArgument) as err:
        built(NewEntry(kind="fax", occurred_at=NOW + timedelta(days=1), check_in=(120.0, 500.0)))
    assert {v.field for v in err.value.violations} == {"kind", "occurred_at", "summary", "check_in"}


def test_completing_a_draft_is_a_new_entry_and_refused_while_incomplete() -> None:
    draft = built(entry(photo_id=None, photo_sha256="", photo_taken_at=None, competitors="", check_in=FAR))
    assert [c for c, _ in draft.violations] == ["check_in", "photo", "competitors"]

    def complete(added: Addition):
        return complete_draft(
            draft, added, activity_id="a-2", actor_id="rep-1", now=NOW + timedelta(minutes=5),
            draft_photo_taken_at=None, customer_location=HOME, photo_window=WINDOW, completed_by=None,
        )

    with pytest.raises(FailedPrecondition) as err:
        complete(Addition(competitors="海天"))
    assert [v.type for v in err.value.violations] == ["check_in", "photo"]

    done = complete(
        Addition(check_in=NEAR, photo_id="p-2", photo_sha256="cd" * 32,
                 photo_taken_at=NOW + timedelta(minutes=1), competitors="海天")
    )
    assert (done.state, done.relation, done.refers_to, done.activity_id) == ("submitted", "completes", "a-1", "a-2")
    assert (done.needs, done.competitors, done.photo_id) == ("需要升级固件", "海天", "p-2")

    with pytest.raises(FailedPrecondition):  # a submitted entry is not a draft
        complete_draft(done, Addition(), activity_id="a-3", actor_id="rep-1", now=NOW, draft_photo_taken_at=None,
                       customer_location=HOME, photo_window=WINDOW, completed_by=None)
    with pytest.raises(FailedPrecondition):  # a draft is completed once
        complete_draft(draft, Addition(), activity_id="a-3", actor_id="rep-1", now=NOW, draft_photo_taken_at=None,
                       customer_location=HOME, photo_window=WINDOW, completed_by="a-2")


def test_hash_chain_verifies_and_reports_the_first_altered_entry() -> None:
    chain, prev = [], GENESIS
    for i in range(1, 5):
        placed = sealed(built(NewEntry(kind="call", summary=f"第 {i} 次电话"), activity_id=f"a-{i}"), i, prev)
        chain.append(placed)
        prev = placed.hash
    assert chain[0].prev_hash == GENESIS and chain[1].prev_hash == chain[0].hash
    assert verify_chain(chain).intact and verify_chain(chain).entries == 4
    assert verify_chain([]).intact

    # "只说过可协助申请" rewritten as a promise: the altered entry is reported.
    tampered = list(chain)
    tampered[1] = replace(chain[1], summary="承诺免费升级固件")
    report = verify_chain(tampered)
    assert (report.intact, report.first_broken.activity_id) == (False, "a-2")
    assert "hash" in report.reason

    # Re-hashing the altered entry does not help: the next one no longer fits.
    rehashed = list(tampered)
    rehashed[1] = sealed(tampered[1], 2, chain[0].hash)
    assert verify_chain(rehashed).first_broken.activity_id == "a-3"

    # A removed entry is reported too.
    assert verify_chain([chain[0], *chain[2:]]).first_broken.activity_id == "a-3"


def test_follow_up_moves_are_counted_until_the_follow_up_happens() -> None:
    day = timedelta(days=1)
    plan = plan_follow_up(None, 0, kind="visit", requested=NOW + 3 * day, now=NOW)
    assert (plan.next_at, plan.moves) == (NOW + 3 * day, 0)
    moves = 0
    current = plan.next_at
    for i in range(4):
        moved = reschedule(current, moves, NOW + (4 + i) * day, NOW)
        assert moved.moved_from == current
        current, moves = moved.next_at, moved.moves
    assert moves == 4  # more than 3: flagged on the customer
    # Rescheduling to the same time is not a move.
    assert reschedule(current, moves, current, NOW).moves == 4
    # A note setting another time is a move too; a call is the follow-up itself.
    assert plan_follow_up(current, moves, kind="note", requested=current + day, now=NOW).moves == 5
    after_call = plan_follow_up(current, moves, kind="call", requested=NOW + 2 * day, now=NOW)
    assert (after_call.next_at, after_call.moves, after_call.moved_from) == (NOW + 2 * day, 0, None)
    with pytest.raises(InvalidArgument):
        reschedule(current, moves, NOW - day, NOW)


def test_an_activity_keeps_the_planned_follow_up_unless_it_replaces_or_clears_it() -> None:
    day = timedelta(days=1)
    planned = NOW + 3 * day
    # A call (or any kind) naming no next step keeps the plan and its move count.
    for kind in ("call", "visit", "chat", "note"):
        kept = plan_follow_up(planned, 2, kind=kind, requested=None, now=NOW)
        assert (kept.next_at, kept.moves, kept.moved_from) == (planned, 2, None)
    # A new time replaces it; an explicit clear ends it.
    replaced = plan_follow_up(planned, 2, kind="call", requested=NOW + 5 * day, now=NOW)
    assert (replaced.next_at, replaced.moves) == (NOW + 5 * day, 0)
    cleared = plan_follow_up(planned, 2, kind="call", requested=None, now=NOW, clear=True)
    assert (cleared.next_at, cleared.moves) == (None, 0)
    with pytest.raises(InvalidArgument) as err:
        plan_follow_up(planned, 2, kind="call", requested=NOW + day, now=NOW, clear=True)
    assert err.value.violations[0].field == "clear_follow_up"
