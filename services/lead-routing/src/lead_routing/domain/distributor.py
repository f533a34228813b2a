"""Distributor organisations of the partner portal (经销商): who they are, the
territory they sell in, their users (partner role) and their channel manager
on the manufacturer's side; who may write and read them."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from crm_shared import roles
from crm_shared.business_calendar import business_day
from crm_shared.context import Caller
from crm_shared.domain.errors import Conflict, Validator
from crm_shared.natural_keys import credit_code_key, normalise_credit_code

from lead_routing.domain.address import known_division, province_of, resolve
from lead_routing.domain.duplicates import name_key
from lead_routing.domain.fields import normalise_tags

DISTRIBUTOR_ID = re.compile(r"[a-z0-9-]{2,64}")  # an admin-chosen code such as dist-hz
MAX_NAME = 100
MAX_TIER = 20  # 金牌 / 银牌 / 普通, or the tenant's own words
DEFAULT_TIER = "普通"
MAX_USER_ID = 64
MAX_USERS = 200  # partner users of one distributor
MAX_PLACES = 100  # provinces, and cities, of one territory
MAX_ACCOUNTS = 500  # named accounts of one territory
MAX_ACCOUNT = 100  # characters of one named account
MUNICIPALITIES = ("11", "12", "31", "50")  # 北京, 天津, 上海, 重庆: a lead's city is the municipality

# Who writes distributors (admins) and who reads them: managers (channel
# managers among them) and admins; a partner reads only their own.
EDITORS = roles.DISTRIBUTOR_EDITORS
READERS = roles.DISTRIBUTOR_READERS


@dataclass(frozen=True)
class Territory:
    """Where a distributor sells: regions (provinces, cities: the division
    table's names), industries, and named accounts (统一社会信用代码 in their
    canonical form, or company names)."""

    provinces: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()

    def covers(self, province: str, city: str, industry: str, credit_code: str, company_name: str) -> bool:
        """Whether an end customer lies in this territory.

        A named account is covered wherever it is. Otherwise the customer must
        be in the regions (when any are named) and in the industries (when any
        are named); a territory naming neither covers named accounts only. A
        province listed together with cities of its own is narrowed to those
        cities (浙江省 + 杭州市 is 杭州); a province without listed cities is
        covered whole. A customer of unknown city or industry is not in a
        territory that names cities or industries."""
        if self.named(credit_code, company_name):
            return True
        if not (self.provinces or self.cities or self.industries):
            return False
        return self._in_regions(province.strip(), city.strip()) and self._in_industries(industry.strip())

    def named(self, credit_code: str, company_name: str) -> bool:
        code = credit_code_key(credit_code) if credit_code else None
        key = name_key(company_name) if company_name.strip() else ""
        for account in self.accounts:
            if code is not None and account == code:
                return True
            if key and name_key(account) == key:
                return True
        return False

    def _in_regions(self, province: str, city: str) -> bool:
        if not (self.provinces or self.cities):
            return True
        if city and city in self.cities:
            return True
        narrowed = {province_of(c) for c in self.cities}
        province = province or province_of(city)
        return bool(province) and province in self.provinces and province not in narrowed

    def _in_industries(self, industry: str) -> bool:
        return not self.industries or (bool(industry) and industry in self.industries)


@dataclass(frozen=True)
class Distributor:
    tenant_id: str
    distributor_id: str
    name: str
    credit_code: str  # canonical 统一社会信用代码, "" when not given
    territory: Territory
    tier: str
    contract_starts: date | None  # Asia/Shanghai dates, inclusive; None: open
    contract_ends: date | None
    users: tuple[str, ...]  # partner user ids; a user belongs to one distributor
    channel_manager_id: str  # the manufacturer's manager who looks after this distributor
    active: bool
    version: int
    updated_by: str
    created_at: datetime
    updated_at: datetime

    def covers(self, province: str, city: str, industry: str, credit_code: str, company_name: str) -> bool:
        """The territory's rule (Territory.covers)."""
        return self.territory.covers(province, city, industry, credit_code, company_name)

    def in_contract(self, day: date) -> bool:
        """Whether `day` (an Asia/Shanghai date) lies in the contract period."""
        return (self.contract_starts is None or self.contract_starts <= day) and (
            self.contract_ends is None or day <= self.contract_ends
        )

    def current(self, now: datetime) -> bool:
        """Active and within its contract period now."""
        return self.active and self.in_contract(business_day(now))

    def serves(self, user_id: str, now: datetime) -> bool:
        """Whether `user_id` may act for this distributor now: current, and one of its users."""
        return self.current(now) and user_id in self.users


@dataclass(frozen=True)
class TerritoryInput:
    provinces: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class DistributorInput:
    distributor_id: str
    name: str
    credit_code: str = ""
    territory: TerritoryInput = TerritoryInput()
    tier: str = ""
    contract_starts: str = ""  # YYYY-MM-DD or ""
    contract_ends: str = ""
    users: tuple[str, ...] = ()
    channel_manager_id: str = ""
    active: bool = True
    version: int = 0  # an update's expected version; 0: not checked


def may_read(caller: Caller, distributor: Distributor) -> bool:
    """Managers and admins read the tenant's distributors; a partner only the
    one they belong to; nobody else any."""
    if caller.role in READERS:
        return True
    return caller.role == roles.PARTNER and caller.organisation == distributor.distributor_id


def check_unchanged(expected: int, existing: Distributor) -> None:
    """An update naming the version it was made from fails once someone else saved since."""
    if expected and expected != existing.version:
        raise Conflict(
            f"distributor {existing.distributor_id} changed since version {expected} "
            f"(now {existing.version}); read it again"
        )


def distributor(
    cmd: DistributorInput, *, tenant_id: str, actor_id: str, now: datetime, existing: Distributor | None
) -> Distributor:
    """A valid distributor from what an admin wrote (every problem by field),
    the next version of `existing` when there is one."""
    v = Validator()
    distributor_id = cmd.distributor_id.strip()
    if not DISTRIBUTOR_ID.fullmatch(distributor_id):
        v.add("distributor_id", "must be 2 to 64 characters of a-z, 0-9 and -")
    name = cmd.name.strip()
    v.require("name", name)
    if len(name) > MAX_NAME:
        v.add("name", f"is longer than {MAX_NAME} characters")
    credit_code = normalise_credit_code(cmd.credit_code, v) or ""
    tier = cmd.tier.strip() or DEFAULT_TIER
    if len(tier) > MAX_TIER:
        v.add("tier", f"is longer than {MAX_TIER} characters")
    starts = _date(cmd.contract_starts, v, "contract_starts")
    ends = _date(cmd.contract_ends, v, "contract_ends")
    if starts and ends and ends < starts:
        v.add("contract_ends", "is before contract_starts")
    users = _users(cmd.users, v)
    manager = cmd.channel_manager_id.strip()
    v.require("channel_manager_id", manager)
    if len(manager) > MAX_USER_ID:
        v.add("channel_manager_id", f"is longer than {MAX_USER_ID} characters")
    if manager and manager in users:
        v.add("channel_manager_id", "is one of the distributor's own users; a channel manager is the manufacturer's")
    territory = _territory(cmd.territory, v)
    v.check()
    made = Distributor(
        tenant_id=tenant_id,
        distributor_id=distributor_id,
        name=name,
        credit_code=credit_code,
        territory=territory,
        tier=tier,
        contract_starts=starts,
        contract_ends=ends,
        users=users,
        channel_manager_id=manager,
        active=cmd.active,
        version=1,
        updated_by=actor_id,
        created_at=now,
        updated_at=now,
    )
    if existing is None:
        return made
    return replace(made, version=existing.version + 1, created_at=existing.created_at)


def same_content(a: Distributor, b: Distributor) -> bool:
    """Whether two versions say the same (an update writing nothing new stores nothing)."""
    keep = {"version": 0, "updated_by": "", "created_at": a.created_at, "updated_at": a.updated_at}
    return replace(a, **keep) == replace(b, **keep)


def _date(value: str, v: Validator, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        v.add(field, "must be a date YYYY-MM-DD")
        return None


def _users(values: tuple[str, ...], v: Validator) -> tuple[str, ...]:
    users = tuple(dict.fromkeys(u.strip() for u in values if u.strip()))
    if len(users) > MAX_USERS:
        v.add("users", f"has more than {MAX_USERS} users")
    for i, user in enumerate(users[:MAX_USERS]):
        if len(user) > MAX_USER_ID:
            v.add(f"users[{i}]", f"is longer than {MAX_USER_ID} characters")
    return users[:MAX_USERS]


def _territory(cmd: TerritoryInput, v: Validator) -> Territory:
    provinces = _places(cmd.provinces, v, "territory.provinces", province=True)
    cities = _places(cmd.cities, v, "territory.cities", province=False)
    industries = normalise_tags(list(cmd.industries), v, "territory.industries")
    if len(cmd.accounts) > MAX_ACCOUNTS:
        v.add("territory.accounts", f"has more than {MAX_ACCOUNTS} named accounts")
    accounts: list[str] = []
    for i, raw in enumerate(cmd.accounts[:MAX_ACCOUNTS]):
        account = raw.strip()
        if not account:
            continue
        if len(account) > MAX_ACCOUNT:
            v.add(f"territory.accounts[{i}]", f"is longer than {MAX_ACCOUNT} characters")
        # A valid credit code is kept canonical so it compares with a customer's.
        accounts.append(credit_code_key(account) or account)
    return Territory(provinces, cities, industries, tuple(dict.fromkeys(accounts)))


def _places(values: tuple[str, ...], v: Validator, field: str, *, province: bool) -> tuple[str, ...]:
    if len(values) > MAX_PLACES:
        v.add(field, f"has more than {MAX_PLACES} entries")
    out: list[str] = []
    for i, raw in enumerate(values[:MAX_PLACES]):
        name = raw.strip()
        if not name:
            continue
        known = _province(name) if province else _city(name)
        if known is None:
            kind = "province" if province else "city"
            v.add(f"{field}[{i}]", f"{name[:20]!r} is not a known {kind}")
            continue
        out.append(known)
    return tuple(dict.fromkeys(out))


def _province(name: str) -> str | None:
    """A province (or municipality, autonomous region) as the table spells it: 浙江 or 浙江省."""
    for spelled in (name, name + "省", name + "市"):
        known = known_division(spelled)
        if known and province_of(known) == known:
            return known
    return None


def _city(name: str) -> str | None:
    """A city (地级市, or a municipality) as the table spells it: 杭州 or 杭州市."""
    known = known_division(name)
    if known is None:
        return None
    place = resolve(known)
    municipality = place.province == known and place.adcode[:2] in MUNICIPALITIES
    return known if (place.city == known or municipality) and not place.district else None  # no district, 县级市
