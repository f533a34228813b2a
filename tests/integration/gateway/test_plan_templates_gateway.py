"""Plan templates through the gateway against finance-reconciliation and
opportunity for real (gRPC, migrated databases, NATS): finance keeps the
tenant's payment habits by region (华东 instalments, 华南 prepayment, a
default), each refusal naming its field; a contract signed without payment
terms is planned by the template of its opportunity's province, else its
大区, else the default, to the 分; a contract with its own terms keeps them;
a redelivered contract.signed changes nothing; other roles and tenants are
refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from crm.common.v1.common_pb2 import Money
from crm.events.v1 import contract_pb2, opportunity_pb2
from crm.events.v1.envelope_pb2 import Envelope
from crm_shared.events import make_envelope, subject_for
from crm_shared.ids import new_id
from finance_reconciliation.entrypoints.consumers import CONTRACT_SIGNED_DURABLE, OPPORTUNITY_CLOSED_DURABLE

from tests.integration.gateway.conftest import FinanceStack
from tests.integration.gateway.test_gateway import is_problem, login
from tests.support.infra import eventually

TENANT = "demo"
URL = "/v1/plan-templates"
EAST = {"region": "华东", "name": "华东 分期", "terms": [
    {"name": "预付款", "trigger": "advance", "days": 7, "percent_bp": 3000},
    {"name": "到货款", "trigger": "on_delivery", "days": 30, "percent_bp": 6000},
    {"name": "质保金", "trigger": "retention", "days": 0, "percent_bp": 1000},
]}
SOUTH = {"region": "华南", "name": "华南 预付", "terms": [{"name": "全额预付", "trigger": "advance", "days": 3, "percent_bp": 10_000}]}
DEFAULT = {"region": "", "name": "默认 两期", "terms": [
    {"name": "首付款", "trigger": "advance", "days": 0, "percent_bp": 5000},
    {"name": "验收款", "trigger": "on_acceptance", "days": 15, "percent_bp": 5000},
]}


Stack = FinanceStack


@pytest.fixture
def s(finance_stack: FinanceStack) -> FinanceStack:
    return finance_stack


async def publish(s: Stack, type_: str, aggregate: str, payload, stream: str, durable: str, msg_id: str = "") -> None:
    """As the owning service's relay would; then wait until finance's consumer handled everything."""
    env: Envelope = make_envelope(type_, TENANT, aggregate, payload, source="test", occurred_at=datetime.now(UTC))
    await s.js.publish(subject_for(type_), env.SerializeToString(), headers={"Nats-Msg-Id": msg_id or env.event_id})

    async def drained() -> bool:
        info = await s.js.consumer_info(stream, durable)
        return info.num_pending == 0 and info.num_ack_pending == 0

    assert await eventually(drained)


async def won_in(s: Stack, province: str) -> str:
    """A real opportunity of zhangwei's, won in `province` (as opportunity.closed tells finance)."""
    auth = await login(s.client, "zhangwei")
    created = await s.client.post("/v1/opportunities", json={"customer_name": f"客户{new_id()[-6:]}", "name": "注塑机"},
                                  headers=auth)
    assert created.status_code == 201, created.text
    opportunity_id = created.json()["opportunity"]["opportunity_id"]
    closed = opportunity_pb2.OpportunityClosed(
        opportunity_id=opportunity_id, customer_id="cust-1", owner_id="zhangwei", outcome="won",
        amount=Money(amount_minor=1_000_001, currency="CNY"), province=province, product_line="注塑机",
    )
    await publish(s, "opportunity.closed", opportunity_id, closed, "OPPORTUNITY", OPPORTUNITY_CLOSED_DURABLE)
    return opportunity_id


def signed(opportunity_id: str, contract_id: str, terms: list[tuple[str, str, int, int]] = ()) -> contract_pb2.ContractSigned:
    return contract_pb2.ContractSigned(
        contract_id=contract_id, version_id=new_id(), signed_version_id=new_id(), label="V1.0",
        customer_id="cust-1", opportunity_id=opportunity_id, total=Money(amount_minor=1_000_001, currency="CNY"),
        instalments=[contract_pb2.SignedInstalment(name=n, trigger=t, days=d, percent_bp=bp) for n, t, d, bp in terms],
        equipment=[contract_pb2.SignedEquipmentRow(model="HX-450", description="注塑机", quantity=1, unit_price_minor=1)],
        signed_on=(date.today() - timedelta(days=1)).isoformat(), warranty_months=12,
    )


async def sign(s: Stack, event: contract_pb2.ContractSigned, msg_id: str = "") -> None:
    await publish(s, "contract.signed", event.contract_id, event, "DOCUMENT_VERSIONING", CONTRACT_SIGNED_DURABLE, msg_id)


async def instalments(s: Stack, contract_id: str) -> list[tuple[str, str, int, int]]:
    fin = await login(s.client, "liufang")
    reply = await s.client.get(f"/v1/contracts/{contract_id}/payment-plans", headers=fin)
    assert reply.status_code == 200, reply.text
    [plan] = reply.json()["plans"]
    return [(i["name"], i["trigger"], i["days"], int(i["amount"]["amount_minor"])) for i in plan["instalments"]]


async def test_templates_are_kept_by_region_and_refused_by_field(s: Stack) -> None:
    fin, admin = await login(s.client, "liufang"), await login(s.client, "admin")
    east = await s.client.post(URL, json=EAST, headers=fin)
    assert east.status_code == 201, east.text
    made = east.json()["template"]
    assert (made["region"], made["updated_by"], [t["percent_bp"] for t in made["terms"]]) == ("华东", "liufang",
                                                                                              [3000, 6000, 1000])
    assert (await s.client.post(URL, json=DEFAULT, headers=admin)).status_code == 201
    # A province by its short name is stored by its full one.
    zhejiang = await s.client.post(URL, json=SOUTH | {"region": "浙江", "name": "浙江 预付"}, headers=fin)
    assert zhejiang.json()["template"]["region"] == "浙江省"

    short = is_problem(await s.client.post(URL, json=SOUTH | {"terms": [
        {"name": "预付款", "trigger": "advance", "percent_bp": 5000},
        {"name": "尾款", "trigger": "advance", "days": 30, "percent_bp": 4900}]}, headers=fin), 400)
    assert "99.00%" in short["detail"] and [e["field"] for e in short["errors"]] == ["terms"]
    nowhere = is_problem(await s.client.post(URL, json=SOUTH | {"region": "火星"}, headers=fin), 400)
    assert [e["field"] for e in nowhere["errors"]] == ["region"]
    twice = is_problem(await s.client.post(URL, json=EAST | {"name": "again"}, headers=fin), 409)
    assert "华东" in twice["detail"]
    is_problem(await s.client.post(URL, json=SOUTH | {"terms": [{"name": "x", "trigger": "someday",
                                                                  "percent_bp": 10_000}]}, headers=fin), 422)
    is_problem(await s.client.post(URL, json=SOUTH | {"terms": []}, headers=fin), 422)
    is_problem(await s.client.post(URL, json=SOUTH | {"terms": [SOUTH["terms"][0]] * 13}, headers=fin), 422)
    is_problem(await s.client.post(URL, json=SOUTH | {"colour": "red"}, headers=fin), 422)

    listed = (await s.client.get(URL, headers=fin)).json()["templates"]
    assert [t["region"] for t in listed] == ["", "华东", "浙江省"]  # the default first; refusals stored nothing

    # Replaced in place (the region may move, not onto one that has a template).
    moved = await s.client.put(f"{URL}/{zhejiang.json()['template']['template_id']}", json=SOUTH, headers=admin)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["template"]["region"], moved.json()["template"]["updated_by"]) == ("华南", "admin")
    is_problem(await s.client.put(f"{URL}/{made['template_id']}", json=SOUTH, headers=fin), 409)
    is_problem(await s.client.put(f"{URL}/{new_id()}", json=SOUTH, headers=fin), 404)
    assert sorted(t["region"] for t in (await s.client.get(URL, headers=fin)).json()["templates"]) == ["", "华东", "华南"]

    for user in ("zhangwei", "wangqiang", "chenjing", "zhaolei", "other-rep"):
        auth = await login(s.client, user)
        is_problem(await s.client.get(URL, headers=auth), 403)
        is_problem(await s.client.post(URL, json=SOUTH, headers=auth), 403)
        is_problem(await s.client.delete(f"{URL}/{made['template_id']}", headers=auth), 403)

    gone = await s.client.delete(f"{URL}/{made['template_id']}", headers=fin)
    assert gone.status_code == 200, gone.text
    is_problem(await s.client.delete(f"{URL}/{made['template_id']}", headers=fin), 404)
    assert sorted(t["region"] for t in (await s.client.get(URL, headers=fin)).json()["templates"]) == ["", "华南"]


async def test_a_contract_without_terms_is_planned_by_its_regions_template(s: Stack) -> None:
    fin = await login(s.client, "liufang")
    for body in (EAST, SOUTH, DEFAULT):
        assert (await s.client.post(URL, json=body, headers=fin)).status_code == 201

    ningbo, guangzhou, chengdu = await won_in(s, "浙江省"), await won_in(s, "广东"), await won_in(s, "四川省")
    contracts = {key: new_id() for key in ("east", "south", "default", "own")}
    east = signed(ningbo, contracts["east"])
    await sign(s, east)
    await sign(s, signed(guangzhou, contracts["south"]))
    await sign(s, signed(chengdu, contracts["default"]))
    await sign(s, signed(ningbo, contracts["own"], [("合同首付", "advance", 0, 2000), ("合同尾款", "advance", 60, 8000)]))

    # 1,000,001 分 split by the template's shares, the odd 分 to the largest remainder.
    assert await instalments(s, contracts["east"]) == [
        ("预付款", "advance", 7, 300_000), ("到货款", "on_delivery", 30, 600_001), ("质保金", "retention", 0, 100_000)]
    assert await instalments(s, contracts["south"]) == [("全额预付", "advance", 3, 1_000_001)]
    assert await instalments(s, contracts["default"]) == [("首付款", "advance", 0, 500_001), ("验收款", "on_acceptance", 15, 500_000)]
    assert await instalments(s, contracts["own"]) == [("合同首付", "advance", 0, 200_000), ("合同尾款", "advance", 60, 800_001)]

    # A template changed afterwards changes no plan made before; a redelivery makes no second plan.
    [template] = [t for t in (await s.client.get(URL, headers=fin)).json()["templates"] if t["region"] == "华东"]
    assert (await s.client.put(f"{URL}/{template['template_id']}", json=SOUTH | {"region": "华东"},
                               headers=fin)).status_code == 200
    await sign(s, east, msg_id=new_id())
    assert [n for n, *_ in await instalments(s, contracts["east"])] == ["预付款", "到货款", "质保金"]

    # Without any template the whole amount is due on signing, as before templates.
    for t in (await s.client.get(URL, headers=fin)).json()["templates"]:
        assert (await s.client.delete(f"{URL}/{t['template_id']}", headers=fin)).status_code == 200
    bare = new_id()
    await sign(s, signed(ningbo, bare))
    assert await instalments(s, bare) == [("全款", "advance", 0, 1_000_001)]
