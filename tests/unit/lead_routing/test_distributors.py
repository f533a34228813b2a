"""Distributor organisations: what an admin may write, the territory rule,
who may read one, the distributor a partner acts for, and the handlers'
events."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from crm_shared.clock import FixedClock
from crm_shared.context import Caller
from crm_shared.domain.errors import AlreadyExists, Conflict, InvalidArgument, NotFound, PermissionDenied
from lead_routing.domain.distributor import DistributorInput, Territory, TerritoryInput, distributor, may_read
from lead_routing.service_layer.distributors import DistributorHandlers
from lead_routing.service_layer.partners import partner_distributor

from tests.unit.lead_routing.fakes import unit_of_work

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
ADMIN = Caller("demo", "admin", "admin")
MANAGER = Caller("demo", "wangqiang", "manager")
ZHAOLEI = Caller("demo", "zhaolei", "partner", organisation="dist-hz")
SUNLI = Caller("demo", "sunli", "partner", organisation="dist-nb")
CODE = "91330100MA2H3K7P0L"  # a valid 统一社会信用代码


def hz(**fields) -> DistributorInput:
    base = {
        "distributor_id": "dist-hz",
        "name": "杭州恒通机电设备有限公司",
        "credit_code": CODE,
        "territory": TerritoryInput(provinces=("浙江",), cities=("杭州",), industries=("机电设备",)),
        "tier": "金牌",
        "contract_starts": "2026-01-01",
        "contract_ends": "2027-12-31",
        "users": ("zhaolei",),
        "channel_manager_id": "wangqiang",
    }
    return DistributorInput(**(base | fields))


def made(cmd: DistributorInput | None = None, now: datetime = NOW):
    return distributor(cmd or hz(), tenant_id="demo", actor_id="admin", now=now, existing=None)


def problems(cmd: DistributorInput) -> dict[str, str]:
    with pytest.raises(InvalidArgument) as refused:
        made(cmd)
    return {v.field: v.description for v in refused.value.violations}


# --- what an admin may write --------------------------------------------------------------------------------------


def test_places_are_spelled_as_the_division_table_and_the_tier_defaults() -> None:
    d = made(hz(tier=""))
    assert d.territory.provinces == ("浙江省",) and d.territory.cities == ("杭州市",)
    assert (d.tier, d.credit_code, d.version, d.active) == ("普通", CODE, 1, True)


def test_every_problem_is_named_by_its_field() -> None:
    found = problems(
        hz(
            distributor_id="Dist HZ",
            name="",
            credit_code="91330100MA2H3K7P0X",
            territory=TerritoryInput(provinces=("火星",), cities=("义乌市", "柯桥区")),
            tier="特" * 21,
            contract_starts="2027-01-01",
            contract_ends="2026-01-01",
            channel_manager_id="",
        )
    )
    assert set(found) == {
        "distributor_id",
        "name",
        "credit_code",
        "territory.provinces[0]",
        "territory.cities[0]",  # a 县级市 is not a city a customer's address names
        "territory.cities[1]",  # a district
        "tier",
        "contract_ends",
        "channel_manager_id",
    }


def test_the_channel_manager_is_the_manufacturers_not_one_of_the_distributors_users() -> None:
    assert "channel_manager_id" in problems(hz(users=("zhaolei", "wangqiang")))


def test_sizes_are_bounded() -> None:
    found = problems(hz(users=tuple(f"user-{i}" for i in range(201)), territory=TerritoryInput(accounts=("x",) * 501)))
    assert {"users", "territory.accounts"} <= set(found)


def test_a_named_account_given_as_a_credit_code_is_kept_canonical() -> None:
    d = made(hz(territory=TerritoryInput(accounts=(CODE.lower(), "宁波恒盛纺织有限公司"))))
    assert d.territory.accounts == (CODE, "宁波恒盛纺织有限公司")


# --- the territory rule ---------------------------------------------------------------------------------------------


def test_a_province_listed_with_its_cities_is_narrowed_to_them() -> None:
    t = made().territory
    assert t.covers("浙江省", "杭州市", "机电设备", "", "")
    assert not t.covers("浙江省", "宁波市", "机电设备", "", "")  # 浙江省 + 杭州市 is 杭州, not all of 浙江


def test_a_province_without_cities_is_covered_whole() -> None:
    t = Territory(provinces=("浙江省",))
    assert t.covers("浙江省", "温州市", "纺织", "", "") and not t.covers("江苏省", "苏州市", "纺织", "", "")
    assert t.covers("", "宁波市", "", "", "")  # the province of a city alone is known


def test_industries_must_match_when_named_and_an_unknown_one_does_not() -> None:
    t = made().territory
    assert not t.covers("浙江省", "杭州市", "纺织机械", "", "")
    assert not t.covers("浙江省", "杭州市", "", "", "")


def test_a_named_account_is_covered_anywhere_by_credit_code_or_name() -> None:
    t = Territory(cities=("宁波市",), accounts=(CODE, "绍兴柯桥恒盛纺织有限公司"))
    assert t.covers("江苏省", "苏州市", "", CODE, "别的名字")
    assert t.covers("浙江省", "绍兴市", "", "", "绍兴柯桥恒盛纺织(有限公司)")  # the name as people type it
    assert not t.covers("浙江省", "绍兴市", "", "", "绍兴柯桥永利印染有限公司")


def test_a_territory_naming_nothing_covers_only_its_named_accounts() -> None:
    assert not Territory().covers("浙江省", "杭州市", "机电设备", "", "")
    assert Territory(accounts=(CODE,)).covers("", "", "", CODE, "")


# --- who may read one; the distributor a partner acts for -----------------------------------------------------------


def test_managers_and_admins_read_any_a_partner_only_their_own_reps_none() -> None:
    d = made()
    assert may_read(ADMIN, d) and may_read(MANAGER, d) and may_read(ZHAOLEI, d)
    assert not may_read(SUNLI, d)
    assert not may_read(Caller("demo", "zhangwei", "rep"), d)
    assert not may_read(Caller("demo", "liufang", "finance"), d)


async def test_a_partner_acts_for_the_active_in_contract_distributor_listing_them() -> None:
    uow = unit_of_work(distributors=[made()], clock=FixedClock(NOW))
    async with uow:
        assert (await partner_distributor(uow, ZHAOLEI)).distributor_id == "dist-hz"
        for caller in (
            Caller("demo", "sunli", "partner", organisation="dist-hz"),  # not one of its users
            Caller("demo", "zhaolei", "partner", organisation="dist-nb"),  # no such distributor
            Caller("demo", "zhaolei", "partner"),  # a token naming no organisation
            Caller("other", "zhaolei", "partner", organisation="dist-hz"),  # another tenant's
        ):
            with pytest.raises(PermissionDenied, match="not a user of an active distributor"):
                await partner_distributor(uow, caller)
        with pytest.raises(PermissionDenied):
            await partner_distributor(uow, Caller("demo", "wangqiang", "manager", organisation="dist-hz"))


@pytest.mark.parametrize(
    "change",
    [{"active": False}, {"contract_ends": "2026-11-30"}, {"contract_starts": "2026-12-03"}],
    ids=["inactive", "contract-ended", "contract-not-begun"],
)
async def test_an_inactive_or_out_of_contract_distributor_acts_for_nobody(change) -> None:
    uow = unit_of_work(distributors=[made(hz(**change))], clock=FixedClock(NOW))
    async with uow:
        with pytest.raises(PermissionDenied):
            await partner_distributor(uow, ZHAOLEI)


async def test_the_contract_days_are_shanghai_dates() -> None:
    # 2026-11-30 16:30 UTC is already 12-01 in Shanghai: a contract ending 11-30 is over.
    late = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    uow = unit_of_work(distributors=[made(hz(contract_ends="2026-11-30"))], clock=FixedClock(late))
    async with uow:
        with pytest.raises(PermissionDenied):
            await partner_distributor(uow, ZHAOLEI)


# --- the handlers -----------------------------------------------------------------------------------------------------


def handlers(*existing):
    uow = unit_of_work(distributors=existing, clock=FixedClock(NOW))
    return DistributorHandlers(lambda: uow), uow


async def test_an_admin_creates_a_distributor_and_it_is_announced() -> None:
    h, uow = handlers()
    view = await h.create(ADMIN, hz())
    assert view.current and view.distributor.users == ("zhaolei",)
    [(kind, tenant, aggregate, event)] = uow.published
    assert (kind, tenant, aggregate) == ("distributor.changed", "demo", "dist-hz")
    assert event.created and event.users == ["zhaolei"] and event.channel_manager_id == "wangqiang"
    with pytest.raises(AlreadyExists):
        await h.create(ADMIN, hz())


async def test_only_admins_write_distributors() -> None:
    h, _ = handlers(made())
    for caller in (MANAGER, ZHAOLEI, Caller("demo", "zhangwei", "rep")):
        with pytest.raises(PermissionDenied):
            await h.create(caller, hz(distributor_id="dist-x"))
        with pytest.raises(PermissionDenied):
            await h.update(caller, hz(name="改名"))


async def test_an_update_names_the_version_it_was_made_from_and_a_same_one_stores_nothing() -> None:
    h, uow = handlers(made())
    view, changed = await h.update(ADMIN, hz(version=1))
    assert not changed and view.distributor.version == 1 and not uow.published
    view, changed = await h.update(ADMIN, hz(version=1, users=("zhaolei", "qianwu")))
    assert changed and view.distributor.version == 2 and uow.published[-1][3].version == 2
    with pytest.raises(Conflict, match="since version 1"):
        await h.update(ADMIN, hz(version=1, name="杭州恒通"))
    with pytest.raises(NotFound):
        await h.update(ADMIN, hz(distributor_id="dist-none"))


async def test_a_partner_reads_their_own_organisation_and_no_other() -> None:
    nb = made(hz(distributor_id="dist-nb", name="宁波甬联", users=("sunli",), territory=TerritoryInput()))
    h, _ = handlers(made(), nb)
    assert (await h.own(ZHAOLEI)).distributor.distributor_id == "dist-hz"
    assert (await h.get(ZHAOLEI, "dist-hz")).distributor.name == "杭州恒通机电设备有限公司"
    with pytest.raises(NotFound):
        await h.get(ZHAOLEI, "dist-nb")  # not 403: that it exists is not the partner's to know
    with pytest.raises(PermissionDenied):
        await h.list(ZHAOLEI, active=None, channel_manager_id="")


async def test_a_channel_manager_lists_the_distributors_they_look_after() -> None:
    other = made(hz(distributor_id="dist-sx", users=(), channel_manager_id="zhoumin"))
    h, _ = handlers(made(), other, replace(made(hz(distributor_id="dist-old", users=())), active=False))
    mine = await h.list(MANAGER, active=True, channel_manager_id="me")
    assert [v.distributor.distributor_id for v in mine] == ["dist-hz"]
    every = await h.list(ADMIN, active=None, channel_manager_id="")
    assert [v.distributor.distributor_id for v in every] == ["dist-hz", "dist-old", "dist-sx"]
