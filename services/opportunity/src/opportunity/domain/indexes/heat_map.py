"""The follow-up heat map (seed 002): customers by days since their last
contact (a CONTACT_KINDS activity; never contacted counts as 90+) × value
tier. Days are counted between Asia/Shanghai calendar days, so a bucket is a
range of last-contact times the repository can compare with. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from crm_shared.business_calendar import BUSINESS_TZ, business_day

# (name, fewest days, most days or None); a customer never contacted is in the last.
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7", 0, 7),
    ("8-30", 8, 30),
    ("31-90", 31, 90),
    ("90+", 91, None),
)
UNTOUCHED = "90+"
TIERS = ("战略", "重点", "普通")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, BUSINESS_TZ)


def bucket_bounds(name: str, now: datetime) -> tuple[datetime | None, datetime | None]:
    """[since, before) of last-contact times of a bucket (None: open). The 90+
    bucket's `since` is None and it also holds customers never contacted."""
    for bucket, fewest, most in BUCKETS:
        if bucket == name:
            today = business_day(now)
            since = _start_of(today - timedelta(days=most)) if most is not None else None
            before = _start_of(today - timedelta(days=fewest - 1)) if fewest > 0 else None
            return since, before
    raise KeyError(name)


def bucket_of(last_contact_at: datetime | None, now: datetime) -> str:
    if last_contact_at is None:
        return UNTOUCHED
    days = (business_day(now) - business_day(last_contact_at)).days
    return next(name for name, fewest, most in BUCKETS if days >= fewest and (most is None or days <= most))


@dataclass(frozen=True)
class TierRow:
    tier: str
    counts: dict[str, int]  # bucket -> customers

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def untouched_share(self) -> float:
        return self.counts.get(UNTOUCHED, 0) / self.total if self.total else 0.0


def heat_map(counts: Mapping[tuple[str, str], int]) -> tuple[list[TierRow], TierRow]:
    """(tier, bucket) -> count into rows by tier (the seed's tiers first) and the overall row."""
    tiers = [t for t in TIERS] + sorted({t for t, _ in counts} - set(TIERS))
    rows = [TierRow(t, {b: counts.get((t, b), 0) for b, _, _ in BUCKETS}) for t in tiers]
    total = TierRow("", {b: sum(r.counts[b] for r in rows) for b, _, _ in BUCKETS})
    return rows, total
