"""Visit evidence (seed 001): a check-in near the customer, a photo taken
around the check-in, the needs record, the competitor comparison and a
next follow-up at most 15 days ahead. Every failed check is named."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from crm_shared.business_calendar import BUSINESS_TZ
from crm_shared.domain.errors import InvalidArgument
from PIL import ExifTags, Image, UnidentifiedImageError

EARTH_RADIUS_M = 6_371_008.8
MAX_DISTANCE_M = 1_000.0
MAX_FOLLOW_UP = timedelta(days=15)
# The photo window's one default; config.visit_photo_window_minutes starts from it.
DEFAULT_PHOTO_WINDOW = timedelta(minutes=30)
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# EXIF times carry no zone unless OffsetTimeOriginal is set; phones in
# China write local time.
CAMERA_ZONE = BUSINESS_TZ
CHECKS = ("check_in", "photo", "needs", "competitors", "next_follow_up_at")


@dataclass(frozen=True)
class Failed:
    check: str
    description: str


@dataclass(frozen=True)
class Evidence:
    """What a visit entry carries (the draft's plus what was added later)."""

    check_in_latitude: float | None = None
    check_in_longitude: float | None = None
    checked_in_at: datetime | None = None
    has_photo: bool = False
    photo_taken_at: datetime | None = None
    needs: str = ""
    competitors: str = ""
    next_follow_up_at: datetime | None = None


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


class PhotoUnreadable(ValueError):
    pass


def photo_taken_at(content: bytes) -> datetime | None:
    """EXIF DateTimeOriginal (with OffsetTimeOriginal when present) in UTC;
    None when the image has no capture time. Raises PhotoUnreadable when
    the bytes are not an image."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            exif = image.getexif()
    except (UnidentifiedImageError, OSError) as exc:
        raise PhotoUnreadable("is not an image") from exc
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    raw = sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if not isinstance(raw, str):
        return None
    try:
        local = datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = sub.get(ExifTags.Base.OffsetTimeOriginal)
    if isinstance(offset, str):
        try:
            return datetime.strptime(f"{raw.strip()} {offset.strip()}", "%Y:%m:%d %H:%M:%S %z").astimezone(UTC)
        except ValueError:
            pass
    return local.replace(tzinfo=CAMERA_ZONE).astimezone(UTC)


def uploaded_photo_taken_at(content: bytes) -> datetime | None:
    """The capture time of an uploaded photo (None: it says none);
    INVALID_ARGUMENT naming `photo` when it is too large or not an image."""
    if len(content) > MAX_PHOTO_BYTES:
        raise InvalidArgument.field("photo", f"is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MiB")
    try:
        return photo_taken_at(content)
    except PhotoUnreadable as exc:
        raise InvalidArgument.field("photo", str(exc)) from exc


def check_visit(
    evidence: Evidence,
    *,
    customer_latitude: float | None,
    customer_longitude: float | None,
    now: datetime,
    photo_window: timedelta = DEFAULT_PHOTO_WINDOW,
) -> list[Failed]:
    """Every failed check, in CHECKS order; empty means complete."""
    failed: list[Failed] = []
    if evidence.check_in_latitude is None or evidence.check_in_longitude is None:
        failed.append(Failed("check_in", "no check-in location"))
    elif customer_latitude is None or customer_longitude is None:
        failed.append(Failed("check_in", "the customer has no coordinates to check the check-in against"))
    else:
        distance = haversine_m(
            evidence.check_in_latitude, evidence.check_in_longitude, customer_latitude, customer_longitude
        )
        if distance > MAX_DISTANCE_M:
            failed.append(Failed("check_in", f"checked in {distance / 1000:.1f} km from the customer (at most 1 km)"))
    if not evidence.has_photo:
        failed.append(Failed("photo", "no photo"))
    elif evidence.photo_taken_at is None:
        failed.append(Failed("photo", "the photo has no capture time (EXIF DateTimeOriginal)"))
    elif evidence.checked_in_at is not None:
        gap = abs(evidence.photo_taken_at - evidence.checked_in_at)
        if gap > photo_window:
            minutes = int(photo_window.total_seconds() // 60)
            failed.append(
                Failed("photo", f"taken {int(gap.total_seconds() // 60)} min from the check-in (at most {minutes})")
            )
    if not evidence.needs.strip():
        failed.append(Failed("needs", "no needs record"))
    if not evidence.competitors.strip():
        failed.append(Failed("competitors", "no competitor comparison"))
    if evidence.next_follow_up_at is None:
        failed.append(Failed("next_follow_up_at", "no next follow-up time"))
    elif evidence.next_follow_up_at <= now:
        failed.append(Failed("next_follow_up_at", "is not in the future"))
    elif evidence.next_follow_up_at - now > MAX_FOLLOW_UP:
        failed.append(Failed("next_follow_up_at", "is more than 15 days ahead"))
    return failed
