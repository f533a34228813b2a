"""Deal registrations (报备) through the gateway against the real lead-routing
and approval services (gRPC, migrated databases, JetStream), with the demo
distributors: dist-hz (zhaolei; 杭州市, 机电设备) and dist-nb (sunli; 宁波市),
both looked after by the channel manager wangqiang.

- no conflict: the partner hears no_conflict at once, sees no conflicts, and
  the approval (partner_registration) is submitted for it;
- a customer another distributor holds (approved, protected) is refused for
  the second by credit code, by phone and by a near-identical name in the same
  city, and the second partner learns nothing of the first's registration;
- a clash (撞单): the second distributor's registration of a customer the
  first registered days before opens a clash the channel manager sees side
  by side and decides; the loser is refused with the public comment and the
  winner's approval is submitted; nobody else may decide it;
- a customer already in the manufacturer's pool (a lead) is "under review"
  for the partner and the manufacturer sees which lead it matched.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from crm.events.v1 import registration_pb2 as events
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.clock import FixedClock
from crm_shared.db import Database
from crm_shared.events import unpack
from lead_routing.bootstrap import build as build_lead_routing
from lead_routing.config import Settings as LeadRoutingSettings
from lead_routing.domain.registration import APPROVED
from lead_routing.service_layer.uow import LeadRoutingUnitOfWork
from stdnum.cn import uscc

from scripts.localstack import DEMO_DISTRIBUTORS
from tests.integration.gateway.conftest import gateway_client, nowhere, other_backend
from tests.integration.gateway.test_gateway import is_problem, login
from tests.integration.lead_routing.routing_helpers import QUIET_JOBS
from tests.support.infra import HeldPort, eventually, migrate, run_service
from tests.support.subjects import opportunity_service

TENANT = "demo"
ZHAO, SUN, MANAGER, OTHER_MANAGER, ADMIN, REP = "zhaolei", "sunli", "wangqiang", "zhoumin", "admin", "zhangwei"
NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass
class World:
    client: httpx.AsyncClient
    auth: dict[str, dict[str, str]]
    clock: FixedClock
    db: Database
    seen: list[Envelope]
    start_approval: Callable[[], Awaitable[None]]

    async def post(self, user: str, path: str, body: dict) -> httpx.Response:
        return await self.client.post(path, json=body, headers=self.auth[user])

    async def get(self, user: str, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(path, params=params, headers=self.auth[user])

    async def register(self, user: str, **customer: Any) -> dict:
        reply = await self.post(user, "/v1/partner/registrations", body(**customer))
        assert reply.status_code == 201, reply.text
        return reply.json()["registration"]

    async def manufacturer_view(self, registration_id: str) -> dict:
        reply = await self.get(MANAGER, f"/v1/registrations/{registration_id}")
        assert reply.status_code == 200, reply.text
        return reply.json()["registration"]

    async def approval_submitted(self, registration_id: str) -> str:
        async def submitted() -> str:
            return (await self.manufacturer_view(registration_id)).get("approval_id", "")

        approval_id = await eventually(submitted, timeout=15)
        assert approval_id, f"the approval of {registration_id} is submitted"
        return approval_id

    async def protect(self, registration_id: str) -> None:
        """Given: the registration approved and protected (what approval's decision does; tested with the
        protection window)."""
        async with LeadRoutingUnitOfWork(self.db) as uow:
            reg = await uow.registrations.get(TENANT, registration_id)
            assert reg is not None
            approved = replace(
                reg, status=APPROVED, decision="approved", protected_from=NOW, protected_until=NOW + timedelta(days=90)
            )
            assert await uow.registrations.save(approved, before=reg)
            await uow.commit()

    async def events_of(self, event_type: str, key: str) -> list[Envelope]:
        async def found() -> list[Envelope]:
            return [e for e in self.seen if e.type == event_type and e.aggregate_id == key]

        return await eventually(found) or []


def code() -> str:
    """A valid 统一社会信用代码 nobody used."""
    import random

    body = "91330100" + "".join(random.choice("0123456789") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def phone() -> str:
    import random

    return "1390571" + "".join(random.choice("0123456789") for _ in range(4))


def body(**customer: Any) -> dict:
    return {
        "company_name": "杭州余杭精工机电有限公司",
        "province": "浙江省",
        "city": "杭州市",
        "district": "余杭区",
        "industry": "机电设备",
        "contact_name": "陈经理",
        "contact_phone": "13905710000",
        "product_line": "注塑机",
        "models": ["HX-260", "HX-320"],
        "quantity": 3,
        "expected_amount": {"amount_minor": 38_000_000, "currency": "CNY"},  # 38万元
        "expected_close_date": "2027-03-31",
    } | customer


@asynccontextmanager
async def open_world(nats_url: str, database_url: str, tmp_path: Path, *, approval_up: bool) -> AsyncIterator[World]:
    """The stack; with approval_up False, approval starts only when the test calls world.start_approval()."""
    clock = FixedClock(NOW)
    await migrate("lead-routing", database_url)
    gateway_db = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    await migrate("gateway", gateway_db)
    # approval asks lead-routing who may see a registration; lead-routing submits to approval and asks opportunity.
    routing_port, approval_port, opportunity_port = HeldPort(), HeldPort(), HeldPort()
    seen: list[Envelope] = []
    nc = await nats.connect(nats_url)

    async def collect(msg: Any) -> None:
        envelope = Envelope()
        envelope.ParseFromString(msg.data)
        seen.append(envelope)

    async with AsyncExitStack() as stack:

        async def start_approval() -> None:
            await stack.enter_async_context(
                other_backend(
                    "approval",
                    nats_url,
                    tmp_path,
                    grpc_port=approval_port.take(),
                    opportunity_addr=opportunity_port.address,
                    document_versioning_addr=nowhere(),
                    lead_routing_addr=routing_port.address,
                )
            )

        if approval_up:
            await start_approval()
        opps = await stack.enter_async_context(
            opportunity_service(nats_url, database_url, tmp_path, opportunity_port, approval_addr=nowhere())
        )
        routing = await stack.enter_async_context(
            run_service(
                build_lead_routing,
                LeadRoutingSettings,
                nats_url=nats_url,
                database_url=database_url,
                clock=clock,
                grpc_port=routing_port.take(),
                approval_addr=approval_port.address,
                opportunity_addr=opps.address,
                registration_submit_interval_s=0.5,
                **QUIET_JOBS,
            )
        )
        client = await stack.enter_async_context(
            gateway_client(
                database_url=gateway_db,
                lead_routing_addr=routing.address,
                approval_addr=approval_port.address,
                opportunity_addr=opps.address,
                document_versioning_addr=nowhere(),
                finance_reconciliation_addr=nowhere(),
            )
        )
        sub = await nc.subscribe("crm.registration.>", cb=collect)
        await opps.announce_reps(TENANT, {REP: MANAGER})
        auth = {u: await login(client, u) for u in (ZHAO, SUN, MANAGER, OTHER_MANAGER, ADMIN, REP)}
        for distributor in DEMO_DISTRIBUTORS:
            made = await client.post("/v1/distributors", json=distributor, headers=auth[ADMIN])
            assert made.status_code == 201, made.text
        db = Database(database_url, "lead-routing", clock)
        try:
            yield World(client, auth, clock, db, seen, start_approval)
        finally:
            await sub.unsubscribe()
            await db.dispose()
    await nc.close()


@pytest.fixture
async def world(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[World]:
    async with open_world(nats_url, database_url, tmp_path, approval_up=True) as w:
        yield w


async def test_a_registration_without_conflict_is_told_no_conflict_and_its_approval_is_submitted(world: World) -> None:
    w = world
    made = await w.register(ZHAO, credit_code=code(), phone=phone())
    assert made["outcome"] == "no_conflict" and made["status"] == "pending"
    assert made["distributor_id"] == "dist-hz" and made["registered_by"] == ZHAO
    assert not made.get("conflicts") and not made.get("approval_id")
    assert made["customer"]["expected_amount"] == {"amount_minor": 38000000, "currency": "CNY"}
    assert made["customer"]["city"] == "杭州市" and made["customer"]["models"] == ["HX-260", "HX-320"]
    rid = made["registration_id"]

    # The partner reads it, in their list and alone; the other distributor neither.
    mine = (await w.get(ZHAO, "/v1/partner/registrations")).json()["registrations"]
    assert [r["registration_id"] for r in mine] == [rid]
    assert (await w.get(ZHAO, f"/v1/partner/registrations/{rid}")).json()["registration"]["outcome"] == "no_conflict"
    is_problem(await w.get(SUN, f"/v1/partner/registrations/{rid}"), 404)
    assert (await w.get(SUN, "/v1/partner/registrations")).json().get("registrations", []) == []
    # The manufacturer's routes are not the partner's; the partner's are not a rep's.
    is_problem(await w.get(ZHAO, f"/v1/registrations/{rid}"), 403)
    is_problem(await w.get(REP, "/v1/partner/registrations"), 403)
    is_problem(await w.get(REP, "/v1/registrations"), 403)

    # The approval is submitted for it (kind partner_registration, subject the registration).
    approval_id = await w.approval_submitted(rid)
    approval = await w.get(ADMIN, f"/v1/approvals/{approval_id}")
    assert approval.status_code == 200, approval.text
    request = approval.json()["approval"]
    assert request["kind"] == "partner_registration"
    assert request["subject_type"] == "registration" and request["subject_id"] == rid
    # Evented: registration.submitted with what the check decided.
    [submitted] = await w.events_of("registration.submitted", rid)
    event = unpack(submitted, events.RegistrationSubmitted)
    assert (event.distributor_id, event.outcome, event.status) == ("dist-hz", "no_conflict", "pending")


@pytest.mark.parametrize("matched_by", ["credit_code", "phone", "similar_name"])
async def test_a_second_distributor_is_refused_a_protected_customer_without_seeing_the_first(
    world: World, matched_by: str
) -> None:
    w = world
    first_code, first_phone = code(), phone()
    first = await w.register(ZHAO, company_name="杭州临平恒达机电有限公司", credit_code=first_code, phone=first_phone)
    await w.protect(first["registration_id"])

    # The same customer as the second distributor types it: the same code, the same phone, or the name
    # written another way in the same city (another phone, no code).
    same = {
        "credit_code": {"company_name": "恒达机电", "credit_code": first_code, "phone": phone()},
        "phone": {"company_name": "临平恒达", "phone": first_phone},
        "similar_name": {"company_name": "杭州临平恒达机电股份有限公司", "phone": phone()},
    }[matched_by]
    second = await w.register(SUN, **same)
    assert second["outcome"] == "refused" and second["status"] == "refused"
    text = str(second)
    assert first["registration_id"] not in text and "dist-hz" not in text and not second.get("conflicts")
    assert not second.get("approval_id")
    seen = (await w.get(SUN, f"/v1/partner/registrations/{second['registration_id']}")).json()["registration"]
    assert seen["outcome"] == "refused" and not seen.get("conflicts") and "dist-hz" not in str(seen)
    is_problem(await w.get(SUN, f"/v1/partner/registrations/{first['registration_id']}"), 404)

    # The manufacturer sees why, in full.
    full = await w.manufacturer_view(second["registration_id"])
    assert [(c["kind"], c["matched_by"], c["object_id"]) for c in full["conflicts"] if c["kind"] == "registration"] == [
        ("registration", matched_by, first["registration_id"])
    ]
    refused = await w.events_of("registration.refused", second["registration_id"])
    assert unpack(refused[0], events.RegistrationRefused).reason == "already_registered"
    # A customer of another city with a near-identical name is another customer.
    elsewhere = await w.register(SUN, company_name="宁波恒达机电有限公司", city="宁波市", district="", phone=phone())
    assert elsewhere["outcome"] == "no_conflict"


async def test_a_clash_goes_to_the_channel_manager_who_decides_it_side_by_side(world: World) -> None:
    w = world
    customer_phone = phone()
    first = await w.register(ZHAO, company_name="杭州萧山华力机械有限公司", phone=customer_phone)
    first_approval = await w.approval_submitted(first["registration_id"])
    w.clock.advance(timedelta(days=3))
    # dist-nb registers the same customer (by phone) three days later, outside its own territory too.
    second = await w.register(SUN, company_name="华力机械", phone=customer_phone, district="萧山区")
    assert second["outcome"] == "under_review" and second["status"] == "under_review"
    assert not second.get("conflicts") and first["registration_id"] not in str(second)
    opened_events = await eventually(lambda: [e for e in w.seen if e.type == "registration.clash_opened"])
    [opened] = [unpack(e, events.RegistrationClashOpened) for e in opened_events]
    clash_id = opened.clash_id
    assert (opened.first_registration_id, opened.second_registration_id) == (
        first["registration_id"],
        second["registration_id"],
    )

    # The channel manager of both sees it side by side; another manager and the partners do not.
    listed = (await w.get(MANAGER, "/v1/registrations/clashes", status="open")).json()["clashes"]
    [clash] = [c for c in listed if c["clash_id"] == clash_id]
    assert clash["first"]["registration_id"] == first["registration_id"]
    assert clash["second"]["registration_id"] == second["registration_id"]
    assert clash["first"]["distributor_name"] and clash["second"]["customer"]["company_name"] == "华力机械"
    assert clash["matched_by"] == "phone" and clash["status"] == "open"
    assert {c["kind"] for c in clash["second"]["conflicts"]} == {"registration", "territory"}
    assert (await w.get(OTHER_MANAGER, "/v1/registrations/clashes")).json().get("clashes", []) == []
    is_problem(await w.get(OTHER_MANAGER, f"/v1/registrations/clashes/{clash_id}"), 404)
    for partner in (ZHAO, SUN):
        is_problem(await w.get(partner, "/v1/registrations/clashes"), 403)
        is_problem(
            await w.post(
                partner,
                f"/v1/registrations/clashes/{clash_id}/decide",
                {"winner_registration_id": second["registration_id"]},
            ),
            403,
        )
    is_problem(
        await w.post(
            OTHER_MANAGER,
            f"/v1/registrations/clashes/{clash_id}/decide",
            {"winner_registration_id": second["registration_id"]},
        ),
        404,
    )
    # A winner that is not one of the two is named.
    bad = is_problem(
        await w.post(
            MANAGER, f"/v1/registrations/clashes/{clash_id}/decide", {"winner_registration_id": "not-one-of-them"}
        ),
        400,
    )
    assert "winner_registration_id" in str(bad)

    # The channel manager decides for the second (the customer asked for dist-nb, say).
    decided = await w.post(
        MANAGER,
        f"/v1/registrations/clashes/{clash_id}/decide",
        {"winner_registration_id": second["registration_id"], "comment": "客户指定宁波渠道"},
    )
    assert decided.status_code == 200, decided.text
    result = decided.json()["clash"]
    assert result["status"] == "decided" and result["winner_registration_id"] == second["registration_id"]
    assert result["decided_by"] == MANAGER and result["comment"] == "客户指定宁波渠道"
    assert result["first"]["status"] == "refused"
    again = await w.post(
        MANAGER, f"/v1/registrations/clashes/{clash_id}/decide", {"winner_registration_id": first["registration_id"]}
    )
    is_problem(again, 409)

    # Each partner sees their own outcome and the public comment, nothing of the other.
    lost = (await w.get(ZHAO, f"/v1/partner/registrations/{first['registration_id']}")).json()["registration"]
    assert (lost["status"], lost["decision"], lost["decision_comment"]) == ("refused", "refused", "客户指定宁波渠道")
    assert "dist-nb" not in str(lost) and second["registration_id"] not in str(lost)
    won = (await w.get(SUN, f"/v1/partner/registrations/{second['registration_id']}")).json()["registration"]
    assert won["status"] == "under_review"  # on to the approver, with its territory conflict
    await w.approval_submitted(second["registration_id"])
    # The first's request, submitted before the clash, is withdrawn: nothing is left to decide there.
    recalled = (await w.get(ADMIN, f"/v1/approvals/{first_approval}")).json()["approval"]
    assert recalled["status"] == "recalled", recalled
    [decided_event] = await w.events_of("registration.clash_decided", clash_id)
    assert unpack(decided_event, events.RegistrationClashDecided).loser_registration_id == first["registration_id"]


async def test_two_distributors_registering_one_customer_at_the_same_moment_make_one_first_and_one_clash(
    world: World,
) -> None:
    w = world
    customer_phone = phone()
    a, b = await asyncio.gather(
        w.register(ZHAO, company_name="杭州上城同泰机电有限公司", phone=customer_phone),
        w.register(SUN, company_name="同泰机电", phone=customer_phone),
    )
    # One transaction saw the other (first to register wins): exactly one is first, the other clashes with it.
    # (dist-nb's is also outside its territory: under review when it is the first.)
    status = {r["registration_id"]: (await w.manufacturer_view(r["registration_id"]))["status"] for r in (a, b)}
    [second] = [rid for rid, st in status.items() if st == "clash"]
    [first] = [rid for rid, st in status.items() if st in ("pending", "under_review")]
    clashes = (await w.get(MANAGER, "/v1/registrations/clashes", status="open")).json()["clashes"]
    [clash] = [c for c in clashes if c["second"]["registration_id"] == second]
    assert clash["first"]["registration_id"] == first


async def test_a_customer_already_in_the_manufacturers_pool_is_under_review_with_the_lead_shown_to_the_manufacturer(
    world: World,
) -> None:
    w = world
    customer_code = code()
    lead = await w.post(
        REP,
        "/v1/leads",
        {
            "company_name": "杭州滨江星河自动化有限公司",
            "credit_code": customer_code,
            "phone": phone(),
            "source": "展会扫码",
            "province": "浙江省",
            "city": "杭州市",
            "district": "滨江区",
        },
    )
    assert lead.status_code == 201, lead.text
    lead_id = lead.json()["lead"]["lead_id"]

    made = await w.register(ZHAO, company_name="星河自动化", credit_code=customer_code, phone=phone())
    assert made["outcome"] == "under_review" and made["status"] == "under_review"
    assert not made.get("conflicts") and lead_id not in str(made)
    full = await w.manufacturer_view(made["registration_id"])
    assert [(c["kind"], c["matched_by"], c["object_id"]) for c in full["conflicts"]] == [
        ("lead", "credit_code", lead_id)
    ]
    assert "杭州滨江星河自动化有限公司" in full["conflicts"][0]["detail"]
    # The approver gets it with the conflict to weigh.
    await w.approval_submitted(made["registration_id"])


async def test_a_customer_of_the_manufacturer_is_under_review_with_the_customer_shown_to_the_manufacturer(
    world: World,
) -> None:
    w = world
    customer_code, customer_phone = code(), phone()
    made = await w.post(
        REP,
        "/v1/customers",
        {
            "name": "杭州拱墅宏远精密机械有限公司",
            "credit_code": customer_code,
            "phone": customer_phone,
            "location": {"province": "浙江省", "city": "杭州市", "district": "拱墅区"},
        },
    )
    assert made.status_code == 201, made.text
    customer_id = made.json()["customer"]["customer_id"]
    # Each time typed differently (another name, another phone), so the registrations are not of one customer.
    for how, typed in (
        ("credit_code", {"company_name": "宏远精机", "credit_code": customer_code, "phone": phone()}),
        ("phone", {"company_name": "拱墅机械厂", "phone": customer_phone}),
        ("similar_name", {"company_name": "杭州拱墅宏远精密机械股份有限公司", "phone": phone()}),
    ):
        reg = await w.register(ZHAO, **typed)
        assert reg["outcome"] == "under_review" and not reg.get("conflicts") and customer_id not in str(reg)
        full = await w.manufacturer_view(reg["registration_id"])
        assert [(c["kind"], c["matched_by"], c["object_id"]) for c in full["conflicts"]] == [
            ("customer", how, customer_id)
        ], how


async def test_bad_input_is_named_and_changes_nothing(world: World) -> None:
    w = world
    bad = is_problem(await w.post(ZHAO, "/v1/partner/registrations", body(credit_code="91330100XXXX", phone="")), 400)
    assert "credit_code" in str(bad)
    no_amount = {k: v for k, v in body(phone=phone()).items() if k != "expected_amount"}
    assert "expected_amount" in str(is_problem(await w.post(ZHAO, "/v1/partner/registrations", no_amount), 422))
    nothing = is_problem(await w.post(ZHAO, "/v1/partner/registrations", body()), 400)  # neither phone nor code
    assert "phone" in str(nothing)
    bad_date = body(phone=phone(), expected_close_date="2027-13-01")
    assert "expected_close_date" in str(is_problem(await w.post(ZHAO, "/v1/partner/registrations", bad_date), 400))
    assert (await w.get(ZHAO, "/v1/partner/registrations")).json().get("registrations", []) == []


async def test_a_submission_approval_did_not_take_is_made_by_the_sweep_once(
    nats_url: str, database_url: str, tmp_path: Path
) -> None:
    async with open_world(nats_url, database_url, tmp_path, approval_up=False) as w:
        made = await w.register(ZHAO, credit_code=code(), phone=phone())
        assert made["outcome"] == "no_conflict"  # the partner is told at once, approval or not
        assert not (await w.manufacturer_view(made["registration_id"])).get("approval_id")
        await w.start_approval()
        w.clock.advance(timedelta(minutes=1))  # past the head start the submission after commit has
        approval_id = await w.approval_submitted(made["registration_id"])
        w.clock.advance(timedelta(minutes=1))
        await asyncio.sleep(1.5)  # sweeps run again: nothing is owed any more
        assert (await w.manufacturer_view(made["registration_id"]))["approval_id"] == approval_id
        # The partner never reaches approval's request itself (approvers' opinions stay there).
        assert (await w.get(ZHAO, f"/v1/approvals/{approval_id}")).status_code in (403, 404)


async def test_the_check_window_is_the_tenants_and_outside_it_the_first_is_a_conflict_not_a_clash(world: World) -> None:
    w = world
    default = (await w.get(MANAGER, "/v1/registration-terms")).json()["terms"]
    assert default["check_window_days"] == 30 and not default.get("updated_by")
    is_problem(
        await w.client.put("/v1/registration-terms", json={"check_window_days": 7}, headers=w.auth[MANAGER]), 403
    )
    is_problem(await w.client.put("/v1/registration-terms", json={"check_window_days": 7}, headers=w.auth[ZHAO]), 403)
    bad = await w.client.put("/v1/registration-terms", json={"check_window_days": 0}, headers=w.auth[ADMIN])
    assert bad.status_code in (400, 422) and "check_window_days" in bad.text
    saved = await w.client.put("/v1/registration-terms", json={"check_window_days": 2}, headers=w.auth[ADMIN])
    assert saved.status_code == 200, saved.text
    assert saved.json()["terms"]["check_window_days"] == 2 and saved.json()["terms"]["updated_by"] == ADMIN

    customer_phone = phone()
    first = await w.register(ZHAO, company_name="杭州西湖博达机电有限公司", phone=customer_phone)
    w.clock.advance(timedelta(days=3))
    second = await w.register(SUN, company_name="博达机电", phone=customer_phone)
    full = await w.manufacturer_view(second["registration_id"])
    assert full["status"] == "under_review"  # not a clash: the first came 3 days before, the window is 2
    assert ("registration", first["registration_id"]) in [(c["kind"], c["object_id"]) for c in full["conflicts"]]
    clashes = (await w.get(MANAGER, "/v1/registrations/clashes")).json().get("clashes", [])
    assert second["registration_id"] not in str(clashes)
