"""Approval policies, departments and delegation windows through the gateway,
with approval on the test's database (SQLite, and PostgreSQL in CI), opportunity
in-process (the subject's facts), and real NATS: the regional average is built
from real `opportunity.closed` events, the manager chain from real
`rep.profile_changed` events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import nats
import pytest
from approval.bootstrap import build
from approval.config import Settings
from approval.domain.policy import ApproverRule
from approval.service_layer.organisation import resolve_approvers, stand_ins
from approval.service_layer.uow import ApprovalUnitOfWork
from crm.common.v1.common_pb2 import Money
from crm.events.v1 import opportunity_pb2, rep_pb2
from crm_shared.events import make_envelope, subject_for
from crm_shared.ids import new_id
from stdnum.cn import uscc

from tests.integration.gateway.conftest import gateway_client, nowhere
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.infra import RunningService, eventually, migrate, run_service
from tests.support.subjects import opportunity_service, reserve

TENANT = "demo"


@dataclass
class Stack:
    client: httpx.AsyncClient
    approval: RunningService
    js: object
    auth: dict[str, dict[str, str]]

    async def as_(self, user: str) -> dict[str, str]:
        if user not in self.auth:
            self.auth[user] = await login(self.client, user)
        return self.auth[user]

    async def call(self, user: str, method: str, url: str, status: int = 200, **kwargs: object) -> dict:
        reply = await self.client.request(method, url, headers=await self.as_(user), **kwargs)  # type: ignore[arg-type]
        assert reply.status_code == status, reply.text
        return reply.json()

    async def publish(self, type_: str, aggregate_id: str, payload: object, occurred_at: datetime | None = None) -> None:
        at = occurred_at or datetime.now(UTC)
        env = make_envelope(type_, TENANT, aggregate_id, payload, source="test", occurred_at=at)
        await self.js.publish(subject_for(type_), env.SerializeToString(), headers={"Nats-Msg-Id": env.event_id})

    def uow(self) -> ApprovalUnitOfWork:
        return ApprovalUnitOfWork(self.approval.runtime.db)


@pytest.fixture
async def stack(nats_url: str, database_url: str, tmp_path: Path) -> AsyncIterator[Stack]:
    await migrate("approval", database_url)
    gateway_db = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    await migrate("gateway", gateway_db)
    opportunity = reserve()
    nc = await nats.connect(nats_url)
    try:
        async with (
            run_service(
                build, Settings, nats_url=nats_url, database_url=database_url, opportunity_addr=opportunity.address
            ) as approval,
            opportunity_service(nats_url, database_url, tmp_path, opportunity, approval_addr=approval.address),
            gateway_client(
                database_url=gateway_db,
                lead_routing_addr=nowhere(),
                opportunity_addr=opportunity.address,
                approval_addr=approval.address,
                document_versioning_addr=nowhere(),
                finance_reconciliation_addr=nowhere(),
            ) as client,
        ):
            yield Stack(client, approval, nc.jetstream(), {})
    finally:
        await nc.close()


def big_contract_policy(position: int = 1) -> dict:
    """Seed 000's 大额订单预警: over twice the regional average goes to the manager, then the chain above."""
    return {
        "kind": "contract",
        "name": "大额合同（超区域均值2倍）",
        "position": position,
        "criteria": "金额>2*区域平均合同额",
        "stages": [
            {"stage_id": "manager", "name": "直属上级", "steps": [{"name": "上级", "approvers": {"kind": "manager"}}]},
            {
                "stage_id": "chain",
                "name": "上级链",
                "steps": [
                    {
                        "name": "二级上级",
                        "approvers": {"kind": "manager_chain", "level": 2},
                        "mode": "sequence",
                        "on_reject": "send_back",
                        "send_back_to": "manager",
                    }
                ],
            },
        ],
        "locked_fields": ["amount"],
    }


def default_policy() -> dict:
    return {
        "kind": "contract",
        "name": "普通合同",
        "is_default": True,
        "stages": [{"name": "直属上级", "steps": [{"name": "上级", "approvers": {"kind": "manager"}}]}],
    }


def won(opportunity_id: str, yuan: int, province: str = "浙江省", product_line: str = "注塑机") -> object:
    return opportunity_pb2.OpportunityClosed(
        opportunity_id=opportunity_id,
        outcome="won",
        amount=Money(amount_minor=yuan * 100, currency="CNY"),
        province=province,
        product_line=product_line,
    )


def credit_code() -> str:
    body = "91330200" + new_id().replace("-", "")[-9:].upper().translate(str.maketrans("ABCDEF", "123456"))
    return body + uscc.calc_check_digit(body)


async def test_the_regional_average_policy_from_won_opportunities(stack: Stack) -> None:
    s = stack
    created = await s.call("admin", "POST", "/v1/approval-policies", 201, json=big_contract_policy())
    big = created["policy"]
    assert big["version"] == 1 and big["spec"]["stages"][1]["steps"][0]["step_id"] == "chain.step-1"
    default = (await s.call("admin", "POST", "/v1/approval-policies", 201, json=default_policy()))["policy"]

    # Won contracts of 浙江省 注塑机: 100,000 and 300,000 元 (one delivered twice, one re-won at a new amount),
    # one of another product line, one lost: the average is 200,000 元.
    first, second = new_id(), new_id()
    await s.publish("opportunity.closed", first, won(first, 100_000))
    await s.publish("opportunity.closed", first, won(first, 100_000))
    await s.publish("opportunity.closed", second, won(second, 250_000))
    await s.publish("opportunity.closed", second, won(second, 300_000))
    other, lost = new_id(), new_id()
    await s.publish("opportunity.closed", other, won(other, 5_000_000, product_line="压铸机"))
    await s.publish(
        "opportunity.closed",
        lost,
        opportunity_pb2.OpportunityClosed(
            opportunity_id=lost, outcome="lost", amount=Money(amount_minor=10**9, currency="CNY"), province="浙江省"
        ),
    )

    async def average() -> dict | None:
        run = await s.call(
            "wangqiang",
            "POST",
            "/v1/approval-policies/dry-run",
            json={
                "kind": "contract",
                "facts": {"region": "浙江省", "product_line": "注塑机", "amount_minor": "45000000"},
            },
        )
        facts = {f["name"]: f["value"] for f in run["facts"]}
        return run if facts.get("区域成交数") == "2" and facts.get("区域平均合同额") == "200000" else None

    run = await eventually(average)
    assert run["policy"]["policy_id"] == big["policy_id"] and "first whose criteria hold" in run["reason"]
    assert [t["outcome"] for t in run["tried"]] == ["matched"]

    # 399,999 元 is not over twice 200,000: the kind's default takes it.
    small = await s.call(
        "wangqiang",
        "POST",
        "/v1/approval-policies/dry-run",
        json={"kind": "contract", "facts": {"region": "浙江省", "product_line": "注塑机", "amount_minor": 39_999_900}},
    )
    assert small["policy"]["policy_id"] == default["policy_id"]
    assert [(t["policy_id"], t["outcome"]) for t in small["tried"]] == [
        (big["policy_id"], "not_matched"),
        (default["policy_id"], "default"),
    ]
    # A product line without won contracts is compared with the region's average (all product lines).
    region = await s.call(
        "wangqiang",
        "POST",
        "/v1/approval-policies/dry-run",
        json={"kind": "contract", "facts": {"region": "浙江省", "product_line": "破碎机", "amount_minor": "300000000"}},
    )
    assert {f["name"]: f["value"] for f in region["facts"]}["区域成交数"] == "3"
    assert region["policy"]["policy_id"] == default["policy_id"]  # 3,000,000 元 is not over 2 × 1,800,000
    # Another kind has no policy: the built-in default (the requester's manager).
    quote = await s.call("admin", "POST", "/v1/approval-policies/dry-run", json={"kind": "quote", "facts": {}})
    assert quote["builtin"] and quote["policy"]["spec"]["stages"][0]["steps"][0]["approvers"]["kind"] == "manager"

    # A real opportunity's facts: its amount and product line, its customer's province and value tier.
    customer = await s.call(
        "zhangwei",
        "POST",
        "/v1/customers",
        201,
        json={
            "name": f"宁波北仑{new_id()[-6:]}注塑有限公司",
            "credit_code": credit_code(),
            "location": {"province": "浙江省", "city": "宁波市"},
            "value_tier": "重点",
        },
    )
    opp = (
        await s.call(
            "zhangwei",
            "POST",
            "/v1/opportunities",
            201,
            json={
                "customer_name": customer["customer"]["name"],
                "customer_credit_code": customer["customer"]["credit_code"],
                "name": "二期注塑产线",
                "amount": {"amount_minor": 50_000_000, "currency": "CNY"},
                "product_line": "注塑机",
            },
        )
    )["opportunity"]
    real = await s.call(
        "admin",
        "POST",
        "/v1/approval-policies/dry-run",
        json={
            "kind": "contract",
            "subject_type": "opportunity",
            "subject_id": opp["opportunity_id"],
            "facts": {"impact_scope": "影响交付"},
        },
    )
    facts = {f["name"]: f["value"] for f in real["facts"]}
    assert (
        facts["金额"] == "500000"
        and facts["区域"] == "浙江省"
        and facts["大区"] == "华东"
        and facts["客户价值等级"] == "重点"
    )
    assert facts["影响范围"] == "影响交付" and real["policy"]["policy_id"] == big["policy_id"]
    # Another team's manager does not see the opportunity: its facts are not found.
    is_problem(
        await s.client.post(
            "/v1/approval-policies/dry-run",
            headers=await s.as_("zhoumin"),
            json={"kind": "contract", "subject_type": "opportunity", "subject_id": opp["opportunity_id"]},
        ),
        404,
    )


async def test_policies_are_checked_versioned_and_audited(stack: Stack) -> None:
    s = stack
    # A formula error names its position; nothing is saved.
    body = big_contract_policy() | {"criteria": "金额>2*区域均价"}
    problem = is_problem(await s.client.post("/v1/approval-policies", json=body, headers=await s.as_("admin")), 400)
    assert {"field": "criteria", "description": "line 1, column 6: unknown field '区域均价'"} in problem[
        "errors"
    ] or any(e["field"] == "criteria" and e["description"].startswith("line 1, column 6") for e in problem["errors"])
    assert (await s.call("admin", "GET", "/v1/approval-policies"))["policies"] == []
    # The whole policy is checked, every problem named: k over the people a rule can name, send back to a later stage.
    bad = big_contract_policy()
    bad["stages"][0]["steps"][0] |= {"mode": "k_of_n", "k": 2}
    bad["stages"][0]["steps"][0] |= {"on_reject": "send_back", "send_back_to": "chain"}
    problem = is_problem(
        await s.client.post("/v1/approval-policies/check", json=bad, headers=await s.as_("wangqiang")), 400
    )
    assert {e["field"] for e in problem["errors"]} == {"stages[0].steps[0].k", "stages[0].steps[0].send_back_to"}
    checked = await s.call("wangqiang", "POST", "/v1/approval-policies/check", json=big_contract_policy())
    assert checked["fields"] == ["区域平均合同额", "金额"]
    # Bad shapes are a 4xx naming the field, never a 5xx.
    is_problem(
        await s.client.post(
            "/v1/approval-policies", json=big_contract_policy() | {"kind": "lunch"}, headers=await s.as_("admin")
        ),
        422,
    )

    policy = (
        await s.call(
            "admin",
            "POST",
            "/v1/approval-policies",
            201,
            json=big_contract_policy(),
        )
    )["policy"]
    pid = policy["policy_id"]
    # A draft is tried with the saved policies before it is saved: standing in for the saved one, or beside it.
    draft = big_contract_policy() | {"name": "折扣过大", "criteria": "折扣>15", "position": 0}
    run = await s.call(
        "wangqiang",
        "POST",
        "/v1/approval-policies/dry-run",
        json={
            "kind": "contract",
            "facts": {"discount": 20, "amount_minor": 1},
            "draft": draft,
            "replaces_policy_id": pid,
        },
    )
    assert [(t["policy_id"], t["outcome"]) for t in run["tried"]] == [(pid, "matched")]
    assert run["policy"]["spec"]["name"] == "折扣过大" and not run["builtin"]
    run = await s.call(
        "wangqiang",
        "POST",
        "/v1/approval-policies/dry-run",
        json={"kind": "contract", "facts": {"discount": 10, "amount_minor": 1}, "draft": draft},
    )
    assert [(t["policy_id"], t["outcome"]) for t in run["tried"]] == [("draft", "not_matched"), (pid, "matched")]
    bad_draft = draft | {"criteria": "折扣>>15"}
    problem = is_problem(
        await s.client.post(
            "/v1/approval-policies/dry-run",
            headers=await s.as_("wangqiang"),
            json={"kind": "contract", "facts": {}, "draft": bad_draft},
        ),
        400,
    )
    assert problem["errors"][0]["field"] == "criteria" and "column 4" in problem["errors"][0]["description"]
    changed = big_contract_policy() | {"criteria": "金额>3*区域平均合同额"}
    updated = (
        await s.call(
            "admin",
            "PUT",
            f"/v1/approval-policies/{pid}",
            json=changed | {"expected_version": 1, "comment": "门槛提高到3倍"},
        )
    )["policy"]
    assert updated["version"] == 2 and updated["updated_by"] == "admin"
    # An edit of an older version is refused: nothing is lost.
    is_problem(
        await s.client.put(
            f"/v1/approval-policies/{pid}", json=changed | {"expected_version": 1}, headers=await s.as_("admin")
        ),
        409,
    )
    versions = (await s.call("wangqiang", "GET", f"/v1/approval-policies/{pid}/versions"))["versions"]
    assert [(v["policy"]["version"], v["action"], v["changed_by"]) for v in versions] == [
        (2, "updated", "admin"),
        (1, "created", "admin"),
    ]
    assert (
        versions[0]["comment"] == "门槛提高到3倍"
        and versions[1]["policy"]["spec"]["criteria"] == "金额>2*区域平均合同额"
    )
    audit = (await s.call("wangqiang", "GET", "/v1/approval-policies/audit", params={"kind": "contract"}))["entries"]
    assert [(e["policy_id"], e["version"], e["action"], e["changed_by"]) for e in audit] == [
        (pid, 2, "updated", "admin"),
        (pid, 1, "created", "admin"),
    ]
    assert audit[0]["name"] == "大额合同（超区域均值2倍）" and audit[0]["comment"] == "门槛提高到3倍"
    assert (await s.call("wangqiang", "GET", "/v1/approval-policies/audit", params={"kind": "quote"}))["entries"] == []
    is_problem(await s.client.get("/v1/approval-policies/audit", headers=await s.as_("zhangwei")), 403)
    old = await s.call("wangqiang", "GET", f"/v1/approval-policies/{pid}", params={"version": 1})
    assert old["policy"]["spec"]["criteria"] == "金额>2*区域平均合同额"
    # A second default of a kind is refused.
    await s.call("admin", "POST", "/v1/approval-policies", 201, json=default_policy())
    is_problem(await s.client.post("/v1/approval-policies", json=default_policy(), headers=await s.as_("admin")), 409)
    # Two admins making a default of another kind at the same moment: exactly one is saved.
    admin = await s.as_("admin")
    quote_default = default_policy() | {"kind": "quote"}
    both = await asyncio.gather(
        *(s.client.post("/v1/approval-policies", json=quote_default, headers=admin) for _ in range(2))
    )
    assert sorted(r.status_code for r in both) == [201, 409]
    listed = (await s.call("admin", "GET", "/v1/approval-policies", params={"kind": "quote"}))["policies"]
    assert len(listed) == 1

    # Only admins write; managers and admins read; reps, finance, reviewers, partners and other tenants neither.
    for user in ("zhangwei", "wangqiang", "liufang", "chenjing", "zhaolei"):
        is_problem(await s.client.post("/v1/approval-policies", json=default_policy(), headers=await s.as_(user)), 403)
    for user in ("zhangwei", "liufang", "chenjing", "zhaolei", "other-rep"):
        is_problem(await s.client.get(f"/v1/approval-policies/{pid}", headers=await s.as_(user)), 403)

    deleted = (await s.call("admin", "DELETE", f"/v1/approval-policies/{pid}", params={"comment": "停用"}))["policy"]
    assert deleted["version"] == 3 and not deleted["active"]
    is_problem(await s.client.get(f"/v1/approval-policies/{pid}", headers=await s.as_("admin")), 404)
    assert [p["policy_id"] for p in (await s.call("admin", "GET", "/v1/approval-policies"))["policies"]] != [pid]
    # Its versions stay: a request started under version 2 still reads it.
    assert (await s.call("admin", "GET", f"/v1/approval-policies/{pid}", params={"version": 2}))["policy"][
        "version"
    ] == 2


async def test_departments_delegations_and_the_manager_chain(stack: Stack) -> None:
    s = stack
    tech = (
        await s.call(
            "admin",
            "POST",
            "/v1/departments",
            201,
            json={
                "name": "技术部",
                "head_id": "chenjing",
                "members": [{"user_id": "lina", "role": "reviewer"}, {"user_id": "zhangwei"}],
            },
        )
    )["department"]
    prod = (
        await s.call(
            "admin",
            "POST",
            "/v1/departments",
            201,
            json={"name": "生产部", "head_id": "wangqiang", "members": [{"user_id": "lina"}]},
        )
    )["department"]
    assert [m["user_id"] for m in tech["members"]] == ["lina", "zhangwei", "chenjing"]
    is_problem(await s.client.post("/v1/departments", json={"name": "技术部"}, headers=await s.as_("admin")), 409)
    for user in ("zhangwei", "wangqiang", "liufang", "chenjing", "zhaolei", "other-rep"):
        is_problem(await s.client.post("/v1/departments", json={"name": "财务部"}, headers=await s.as_(user)), 403)
    # Every internal role reads them; a user may be in several; partners and other tenants see nothing.
    listed = await s.call("zhangwei", "GET", "/v1/departments", params={"member_id": "lina"})
    assert [d["name"] for d in listed["departments"]] == ["技术部", "生产部"]
    is_problem(await s.client.get("/v1/departments", headers=await s.as_("zhaolei")), 403)
    is_problem(await s.client.get(f"/v1/departments/{tech['department_id']}", headers=await s.as_("other-rep")), 404)
    assert (await s.call("other-rep", "GET", "/v1/departments"))["departments"] == []

    renamed = (
        await s.call(
            "admin",
            "PUT",
            f"/v1/departments/{prod['department_id']}",
            json={"name": "生产部", "head_id": "zhoumin", "members": [], "expected_version": 1},
        )
    )["department"]
    assert renamed["version"] == 2 and [m["user_id"] for m in renamed["members"]] == ["zhoumin"]

    # A policy naming the department keeps it from being deleted; an unnamed one goes.
    policy = big_contract_policy() | {
        "stages": [
            {
                "name": "技术评审",
                "steps": [
                    {
                        "name": "技术部",
                        "approvers": {"kind": "department_members", "value": tech["department_id"]},
                        "mode": "k_of_n",
                        "k": 3,
                    }
                ],
            }
        ]
    }
    await s.call("admin", "POST", "/v1/approval-policies", 201, json=policy)
    is_problem(await s.client.delete(f"/v1/departments/{tech['department_id']}", headers=await s.as_("admin")), 409)
    too_many = policy | {
        "name": "四人",
        "stages": [
            {
                "name": "技术评审",
                "steps": [
                    {
                        "name": "技术部",
                        "approvers": {"kind": "department_members", "value": tech["department_id"]},
                        "mode": "k_of_n",
                        "k": 4,
                    }
                ],
            }
        ],
    }
    is_problem(await s.client.post("/v1/approval-policies", json=too_many, headers=await s.as_("admin")), 400)
    await s.call("admin", "DELETE", f"/v1/departments/{prod['department_id']}")
    is_problem(await s.client.get(f"/v1/departments/{prod['department_id']}", headers=await s.as_("admin")), 404)

    # The manager chain from lead-routing's rep profiles: 张伟 → 王强 → 周敏.
    for rep, manager in (("zhangwei", "wangqiang"), ("wangqiang", "zhoumin"), ("zhoumin", "")):
        await s.publish(
            "rep.profile_changed",
            rep,
            rep_pb2.RepProfileChanged(
                rep_id=rep, name=rep, team="华东一组", manager_id=manager, region="浙江省", active=True
            ),
        )

    async def chain() -> tuple[str, ...] | None:
        async with s.uow() as uow:
            found = await resolve_approvers(
                uow, TENANT, ApproverRule("manager_chain", level=3), "zhangwei", datetime.now(UTC)
            )
        return found.users if found.users == ("wangqiang", "zhoumin") else None

    assert await eventually(chain) == ("wangqiang", "zhoumin")
    # An older change delivered late (a redelivery) does not bring back an old manager; the event after it
    # (李娜's) tells when it has been handled.
    await s.publish(
        "rep.profile_changed",
        "zhangwei",
        rep_pb2.RepProfileChanged(rep_id="zhangwei", name="zhangwei", team="旧组", manager_id="zhoumin", active=True),
        occurred_at=datetime.now(UTC) - timedelta(days=1),
    )
    await s.publish(
        "rep.profile_changed",
        "lina",
        rep_pb2.RepProfileChanged(rep_id="lina", name="lina", team="华东一组", manager_id="wangqiang", active=True),
    )

    async def lina_known() -> bool:
        async with s.uow() as uow:
            return await uow.profiles.get(TENANT, "lina") is not None

    assert await eventually(lina_known)
    assert await chain() == ("wangqiang", "zhoumin")
    async with s.uow() as uow:
        members = await resolve_approvers(
            uow, TENANT, ApproverRule("department_members", tech["department_id"]), "zhangwei", datetime.now(UTC)
        )
        nobody = await resolve_approvers(uow, TENANT, ApproverRule("manager"), "zhoumin", datetime.now(UTC))
        role = await resolve_approvers(uow, TENANT, ApproverRule("role", "reviewer"), "zhangwei", datetime.now(UTC))
    assert members.users == ("lina", "chenjing") and "zhangwei is not their own approver" in members.note
    # The dry run names who each step would ask if 张伟 submitted now (no regional history: 金额>2×blank holds).
    run = await s.call(
        "admin",
        "POST",
        "/v1/approval-policies/dry-run",
        json={"kind": "contract", "facts": {"amount_minor": "100"}, "requester_id": "zhangwei"},
    )
    assert [([a["user_id"] for a in step["approvers"]], step["name"]) for step in run["steps"]] == [
        (["lina", "chenjing"], "技术部")
    ]
    assert "zhangwei is not their own approver" in run["steps"][0]["note"]
    assert nobody.users == ("admin",) and "found nobody" in nobody.note
    assert role.users == ("lina",)

    # A delegation window: 王强 away for a day names 周敏; an admin may name anyone's; others may not.
    start = datetime.now(UTC) + timedelta(minutes=1)
    window = {
        "deputy_id": "zhoumin",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(days=1)).isoformat(),
        "reason": "出差 上海展会",
    }
    mine = (await s.call("wangqiang", "POST", "/v1/approval-delegations", 201, json=window))["delegation"]
    assert mine["user_id"] == "wangqiang" and mine["created_by"] == "wangqiang"
    is_problem(await s.client.post("/v1/approval-delegations", json=window, headers=await s.as_("wangqiang")), 409)
    is_problem(
        await s.client.post(
            "/v1/approval-delegations", json=window | {"user_id": "lina"}, headers=await s.as_("zhangwei")
        ),
        403,
    )
    is_problem(
        await s.client.post(
            "/v1/approval-delegations", json=window | {"ends_at": start.isoformat()}, headers=await s.as_("lina")
        ),
        400,
    )
    linas = await s.call("admin", "POST", "/v1/approval-delegations", 201, json=window | {"user_id": "lina"})
    async with s.uow() as uow:
        away = await stand_ins(uow, TENANT, ("wangqiang",), start + timedelta(hours=2))
        assert away["wangqiang"].chain == ("wangqiang", "zhoumin")
        assert not (await stand_ins(uow, TENANT, ("wangqiang",), start - timedelta(seconds=30)))["wangqiang"].away
    # The deputy lists the windows they stand in for; the approver their own.
    assert {
        d["delegation_id"] for d in (await s.call("zhoumin", "GET", "/v1/approval-delegations"))["delegations"]
    } == {mine["delegation_id"], linas["delegation"]["delegation_id"]}
    assert [
        d["delegation_id"] for d in (await s.call("wangqiang", "GET", "/v1/approval-delegations"))["delegations"]
    ] == [mine["delegation_id"]]
    is_problem(
        await s.client.get(f"/v1/approval-delegations/{mine['delegation_id']}", headers=await s.as_("zhangwei")), 404
    )
    now = datetime.now(UTC)

    async def away_from_now(user: str, deputy: str) -> None:
        window = {"user_id": user, "deputy_id": deputy, "starts_at": (now - timedelta(minutes=1)).isoformat(),
                  "ends_at": (now + timedelta(days=1)).isoformat()}
        await s.call("admin", "POST", "/v1/approval-delegations", 201, json=window)

    async def who_zhangweis_request_asks() -> dict:
        run = await s.call("admin", "POST", "/v1/approval-policies/dry-run",
                           json={"kind": "contract", "facts": {"amount_minor": "100"}, "requester_id": "zhangwei"})
        return run["steps"][0]

    # 陈静 away from now: her deputy 吴昊 stands in for her in the dry run, named as her stand-in.
    await away_from_now("chenjing", "wuhao")
    seats = [{"user_id": "lina", "deputy_for": ""}, {"user_id": "wuhao", "deputy_for": "chenjing"}]
    assert (await who_zhangweis_request_asks())["approvers"] == seats
    # 吴昊 is away too and names 张伟, the requester: nobody answers their own request, so 吴昊 still stands in
    # (the dry run used to name 张伟 where the real run skipped him).
    await away_from_now("wuhao", "zhangwei")
    step = await who_zhangweis_request_asks()
    assert step["approvers"] == seats and "the deputy of wuhao is the requester zhangwei" in step["note"]
    cancelled = await s.call("wangqiang", "POST", f"/v1/approval-delegations/{mine['delegation_id']}/cancel")
    assert cancelled["delegation"]["cancelled_at"]
    async with s.uow() as uow:
        assert not (await stand_ins(uow, TENANT, ("wangqiang",), start + timedelta(hours=2)))["wangqiang"].away
