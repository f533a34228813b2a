"""Rep profiles, who may write them, and conversion rates learnt from the
outcomes of the leads a rep owned (never typed in)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from crm_shared import limits, roles
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.domain.errors import PermissionDenied, Validator

from lead_routing.domain.address import known_division
from lead_routing.domain.fields import normalise_tags
from lead_routing.domain.lead import Lead

SENIORITIES = ("junior", "senior", "key_account")
DEFAULT_CAPACITY = 30
DEFAULT_DAILY_CLAIM_LIMIT = 5
MAX_LEAVE_PERIODS = limits.MAX_LEAVE_PERIODS  # every re-rank reads each rep's leave


@dataclass(frozen=True)
class Leave:
    start: date
    end: date  # inclusive


@dataclass(frozen=True)
class Rep:
    tenant_id: str
    rep_id: str
    name: str
    team: str
    manager_id: str
    region: str
    native_place: str
    languages: tuple[str, ...]
    industries: tuple[str, ...]
    seniority: str
    capacity: int
    daily_claim_limit: int
    leave: tuple[Leave, ...]
    active: bool
    updated_by: str
    created_at: datetime
    updated_at: datetime

    def on_leave(self, day: date) -> bool:
        return any(x.start <= day <= x.end for x in self.leave)

    def available_on(self, day: date) -> bool:
        """Active and not on leave that day (an Asia/Shanghai date)."""
        return self.active and not self.on_leave(day)

    def available(self, now: datetime) -> bool:
        """Active and not on leave on today's date in China."""
        return self.available_on(business_day(now))

    def same_profile(self, other: Rep) -> bool:
        keys = (
            "name",
            "team",
            "manager_id",
            "region",
            "native_place",
            "languages",
            "industries",
            "seniority",
            "capacity",
            "daily_claim_limit",
            "leave",
            "active",
        )
        return all(getattr(self, k) == getattr(other, k) for k in keys)


@dataclass(frozen=True)
class RepState:
    """A rep as routing weighs them now: the profile, the open leads they hold,
    their record, and today's date in China (for leave)."""

    rep: Rep
    today: date
    open_leads: int = 0
    conversion: float | None = None  # 历史转化率
    won_points: tuple[tuple[float, float], ...] = ()  # 近3月成交客户位置

    @property
    def rep_id(self) -> str:
        return self.rep.rep_id

    @property
    def capacity(self) -> int:
        return self.rep.capacity

    @property
    def on_leave(self) -> bool:
        return self.rep.on_leave(self.today)

    @property
    def available(self) -> bool:
        """Takes new leads: available today and below capacity."""
        return self.rep.available_on(self.today) and self.open_leads < self.capacity


@dataclass(frozen=True)
class Win:
    """A customer a rep won (opportunity.closed as won): where it is counts for 近3月成交客户位置."""

    opportunity_id: str
    rep_id: str
    latitude: float | None
    longitude: float | None
    city: str
    district: str
    won_at: datetime


@dataclass(frozen=True)
class RepInput:
    rep_id: str
    name: str
    team: str = ""
    manager_id: str = ""
    region: str = ""
    native_place: str = ""
    languages: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    seniority: str = "junior"
    capacity: int | None = None
    daily_claim_limit: int | None = None
    leave: tuple[tuple[str, str], ...] = ()
    active: bool = True


def check_may_write(caller: Caller, existing: Rep | None, manager_id: str) -> None:
    """Admins write any profile; a manager writes the profiles of their own
    reps (new ones become theirs) and cannot hand a rep to another manager."""
    caller.require_role("manager", "admin")
    if caller.role == "admin":
        return
    if existing is not None and existing.manager_id != caller.user_id:
        raise PermissionDenied(f"rep {existing.rep_id} is managed by someone else")
    if manager_id != caller.user_id:
        raise PermissionDenied("a manager assigns reps to themselves only; an admin moves reps between managers")


def as_written_by(caller: Caller, cmd: RepInput) -> RepInput:
    """A profile a manager writes without naming a manager names them."""
    if caller.role == roles.MANAGER and not cmd.manager_id.strip():
        return replace(cmd, manager_id=caller.user_id)
    return cmd


@dataclass(frozen=True)
class RepListScope:
    """Which profiles a caller lists: only `rep_id`'s (a rep), those managed by
    `manager_id` and their own (a manager), or, neither set, the tenant's."""

    rep_id: str | None = None
    manager_id: str | None = None


def rep_list_scope(caller: Caller) -> RepListScope:
    if caller.role == roles.REP:
        return RepListScope(rep_id=caller.user_id)
    if caller.role == roles.MANAGER:
        return RepListScope(manager_id=caller.user_id)
    return RepListScope()


def may_read(caller: Caller, rep: Rep) -> bool:
    if caller.role in ("admin", "system"):
        return True
    if caller.role == "manager":
        return rep.manager_id == caller.user_id or rep.rep_id == caller.user_id
    return rep.rep_id == caller.user_id


def _place(value: str, v: Validator, field: str) -> str:
    """A city or district name as the division table spells it, so it
    compares equal to a lead's 行政区划."""
    value = value.strip()
    if not value:
        return ""
    known = known_division(value)
    if known is None:
        v.add(field, f"{value!r} is not a known city or district")
        return value
    return known


def _date(value: str, v: Validator, field: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        v.add(field, "must be a date YYYY-MM-DD")
        return None


def rep_profile(cmd: RepInput, *, tenant_id: str, actor_id: str, now: datetime, existing: Rep | None) -> Rep:
    v = Validator()
    rep_id = cmd.rep_id.strip()
    v.require("rep_id", rep_id)
    if len(rep_id) > 64:
        v.add("rep_id", "is longer than 64 characters")
    name = cmd.name.strip()
    v.require("name", name)
    for field_name, value, limit in (
        ("name", name, 100),
        ("team", cmd.team.strip(), 100),
        ("manager_id", cmd.manager_id, 64),
    ):
        if len(value) > limit:
            v.add(field_name, f"is longer than {limit} characters")
    if cmd.manager_id.strip() == rep_id and rep_id:
        v.add("manager_id", "a rep cannot be their own manager")
    region = _place(cmd.region, v, "region")
    native_place = _place(cmd.native_place, v, "native_place")
    languages = normalise_tags(list(cmd.languages), v, "languages")
    industries = normalise_tags(list(cmd.industries), v, "industries")
    if cmd.seniority not in SENIORITIES:
        v.add("seniority", f"must be one of {', '.join(SENIORITIES)}")
    capacity = DEFAULT_CAPACITY if cmd.capacity is None else cmd.capacity
    daily = DEFAULT_DAILY_CLAIM_LIMIT if cmd.daily_claim_limit is None else cmd.daily_claim_limit
    if not 0 <= capacity <= 10_000:
        v.add("capacity", "must be between 0 and 10000 open leads")
    if not 0 <= daily <= 1_000:
        v.add("daily_claim_limit", "must be between 0 and 1000 claims a day")
    leave: list[Leave] = []
    if len(cmd.leave) > MAX_LEAVE_PERIODS:
        v.add("leave", f"at most {MAX_LEAVE_PERIODS} leave periods")
    for i, (start, end) in enumerate(cmd.leave[:MAX_LEAVE_PERIODS]):
        first = _date(start, v, f"leave[{i}].start_date")
        last = _date(end, v, f"leave[{i}].end_date")
        if first and last:
            if last < first:
                v.add(f"leave[{i}].end_date", "is before the start date")
            else:
                leave.append(Leave(first, last))
    v.check()
    return Rep(
        tenant_id=tenant_id,
        rep_id=rep_id,
        name=name,
        team=cmd.team.strip(),
        manager_id=cmd.manager_id.strip(),
        region=region,
        native_place=native_place,
        languages=languages,
        industries=industries,
        seniority=cmd.seniority,
        capacity=capacity,
        daily_claim_limit=daily,
        leave=tuple(sorted(leave, key=lambda x: x.start)),
        active=cmd.active,
        updated_by=actor_id,
        created_at=existing.created_at if existing else now,
        updated_at=now,
    )


# --- conversion rates -------------------------------------------------------

OVERALL = ("all", "")


def outcome_segments(lead: Lead) -> list[tuple[str, str]]:
    """The segments a lead's outcome counts in: overall, its source, each industry tag."""
    return [OVERALL, ("source", lead.source), *(("industry", tag) for tag in lead.industry_tags)]


@dataclass(frozen=True)
class SegmentRate:
    kind: str  # all | source | industry
    segment: str
    converted: int
    lost: int

    @property
    def rate(self) -> float | None:
        """Converted share of the decided leads; None before any outcome."""
        decided = self.converted + self.lost
        return self.converted / decided if decided else None


def conversion_rates(rows: Iterable[SegmentRate]) -> tuple[SegmentRate, list[SegmentRate]]:
    """The overall rate and the per-segment ones (sources first, then
    industries, each by name)."""
    overall = SegmentRate(*OVERALL, 0, 0)
    segments: list[SegmentRate] = []
    for row in rows:
        if (row.kind, row.segment) == OVERALL:
            overall = row
        else:
            segments.append(row)
    order = {"source": 0, "industry": 1}
    segments.sort(key=lambda r: (order.get(r.kind, 2), r.segment))
    return overall, segments
