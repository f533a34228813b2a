"""Leads in and rep profiles through REST, against the real lead-routing service."""

from __future__ import annotations

import io

import httpx
from openpyxl import Workbook

from scripts.localstack import DEMO_DISTRIBUTORS
from tests.integration.gateway.test_gateway import is_problem, login

CSV_FILE = (
    "公司名称,统一社会信用代码,联系人,电话,地址,来源,行业标签,预算,年营业额,近6月采购金额,近3月订单数,纬度,经度,开模数量\n"
    "绍兴柯桥恒盛纺织有限公司,91330200MA2AFK8X1K,王经理,13805751234,浙江省绍兴市柯桥区华舍街道,展会扫码,纺织机械,5万,1.2亿,60000,4,30.08,120.49,12\n"
    "恒盛纺织,,,13700000001,绍兴市柯桥区,百度爱采购,,,,,,,,\n"
    "宁波北仑注塑机厂,,,0574-86881234,宁波市北仑区新碶街道,百度爱采购,注塑机,,,,,,,\n"
    "坏电话公司,,,12345,,,,,,,,,,\n"
    "坏字段公司,,,13900000000,,展会扫码,,,,,,91,,很多\n"
)


async def define_mold_count(client: httpx.AsyncClient) -> None:
    reply = await client.put("/v1/lead-fields/开模数量", json={"type": "number"}, headers=await login(client, "admin"))
    assert reply.status_code == 200, reply.text


async def test_csv_import_reports_every_row(client: httpx.AsyncClient) -> None:
    await define_mold_count(client)
    auth = await login(client, "wangqiang")
    files = {"file": ("展会线索.csv", CSV_FILE.encode("utf-8-sig"), "text/csv")}
    reply = await client.post("/v1/leads/import", files=files, headers=auth)
    assert reply.status_code == 200, reply.text
    report = reply.json()
    assert (report["total"], report["accepted"], report["merged"], report["rejected"]) == (5, 2, 1, 2)
    rows = {r["row"]: r for r in report["rows"]}
    assert rows[3]["outcome"] == "merged"
    assert rows[3]["duplicate"] | {"sources": []} == {
        "matched_lead_id": rows[2]["lead_id"], "matched_by": "similar_name", "merged": True, "sources": [],
    }
    assert [e["column"] for e in rows[5]["errors"]] == ["电话"]
    assert {e["column"] for e in rows[6]["errors"]} == {"纬度", "经度", "开模数量"}

    lead = (await client.get(f"/v1/leads/{rows[2]['lead_id']}", headers=auth)).json()["lead"]
    assert (lead["province"], lead["city"], lead["district"], lead["division"]) == ("浙江省", "绍兴市", "柯桥区", "柯桥区")
    assert lead["budget"]["amount_minor"] == 5_000_000 and lead["annual_revenue"]["amount_minor"] == 12_000_000_000
    assert lead["purchases_6m"]["amount_minor"] == 6_000_000 and lead["orders_3m"] == 4
    assert lead["custom_fields"] == {"开模数量": 12} and lead["industry_tags"] == ["纺织机械"]
    assert lead["credit_code"] == "91330200MA2AFK8X1K"


async def test_xlsx_import_made_with_openpyxl(client: httpx.AsyncClient) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["公司名称", "电话", "地址", "来源", "行业标签", "近6月采购金额", "近3月订单数"])
    sheet.append(["佛山顺德家电配件厂", 13800138000, "佛山市顺德区北滘镇", "抖音本地推", "家电、模具", 25000, 1])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["佛山顺德家电配件有限公司", 13800138001, "广东省佛山市顺德区", "官网表单", None, None, None])
    sheet.append(["", 13800138002, None, None, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    auth = await login(client, "zhangwei")
    files = {"file": ("leads.xlsx", buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    reply = await client.post("/v1/leads/import", files=files, headers=auth)
    assert reply.status_code == 200, reply.text
    report = reply.json()
    assert [(r["row"], r["outcome"]) for r in report["rows"]] == [(2, "accepted"), (4, "merged"), (5, "rejected")]
    assert report["rows"][2]["errors"][0]["column"] == "公司名称"
    lead = (await client.get(f"/v1/leads/{report['rows'][0]['lead_id']}", headers=auth)).json()["lead"]
    assert (lead["district"], lead["phone"], lead["industry_tags"], lead["owner_id"]) == (
        "顺德区", "+8613800138000", ["家电", "模具"], "zhangwei",
    )


async def test_a_bad_file_is_400_problem_not_500(client: httpx.AsyncClient) -> None:
    auth = await login(client, "wangqiang")
    for name, content in (("x.xlsx", b"PK\x03\x04 broken"), ("x.csv", "备注\n随便\n".encode()), ("x.csv", b"")):
        body = is_problem(await client.post("/v1/leads/import", files={"file": (name, content)}, headers=auth), 400)
        assert [e["field"] for e in body["errors"]] == ["file"]
    is_problem(await client.post("/v1/leads/import", data={"x": "1"}, headers=auth), 422)
    partner = await login(client, "zhaolei")
    is_problem(await client.post("/v1/leads/import", files={"file": ("x.csv", CSV_FILE.encode())}, headers=partner), 403)


async def test_duplicates_by_code_phone_and_similar_name_are_reported(client: httpx.AsyncClient) -> None:
    auth = await login(client, "wangqiang")
    first = (
        await client.post(
            "/v1/leads",
            json={"company_name": "绍兴柯桥恒盛纺织有限公司", "phone": "13805751234", "address": "绍兴市柯桥区",
                  "source": "展会扫码", "industry_tags": ["纺织机械"]},
            headers=auth,
        )
    ).json()["lead"]
    cases = [
        ({"company_name": "别名公司", "credit_code": "", "phone": "+86 138 0575 1234"}, "phone"),
        ({"company_name": "恒盛纺织", "phone": "13700000009", "address": "浙江省绍兴市柯桥区"}, "similar_name"),
    ]
    for body, how in cases:
        reply = await client.post("/v1/leads", json=body | {"source": "官网表单", "industry_tags": ["注塑机"]}, headers=auth)
        assert reply.status_code == 201, reply.text
        assert reply.json()["duplicate"] == {
            "matched_lead_id": first["lead_id"], "matched_by": how, "merged": True, "sources": ["展会扫码", "官网表单"],
        }
    code = {"company_name": "恒盛纺织", "phone": "13600000000", "credit_code": "91330200MA2AFK8X1K", "source": "导入"}
    filled = (await client.post("/v1/leads", json=code | {"address": "绍兴市柯桥区钱清镇"}, headers=auth)).json()
    assert filled["duplicate"]["matched_by"] == "similar_name"
    again = (await client.post("/v1/leads", json=code | {"company_name": "别的名字", "phone": ""}, headers=auth)).json()
    assert again["duplicate"] == {
        "matched_lead_id": first["lead_id"], "matched_by": "credit_code", "merged": True,
        "sources": ["展会扫码", "官网表单", "导入"],
    }
    merged = (await client.get(f"/v1/leads/{first['lead_id']}", headers=auth)).json()["lead"]
    assert merged["industry_tags"] == ["纺织机械", "注塑机"] and merged["phone"] == "+8613805751234"
    assert merged["credit_code"] == "91330200MA2AFK8X1K"  # a blank filled by a later intake
    assert len((await client.get("/v1/leads", headers=auth)).json()["leads"]) == 1

    bad = await client.post("/v1/leads", json={"company_name": "甲", "phone": "13800000000", "source": "朋友"}, headers=auth)
    assert [e["field"] for e in is_problem(bad, 400)["errors"]] == ["source"]


async def test_rep_profiles_crud_and_permissions(client: httpx.AsyncClient) -> None:
    manager = await login(client, "wangqiang")
    profile = {
        "name": "张伟", "team": "华东一组", "region": "柯桥区", "native_place": "绍兴市", "languages": ["普通话"],
        "industries": ["纺织机械"], "seniority": "senior", "capacity": 20, "daily_claim_limit": 3,
        "leave": [{"start_date": "2026-12-01", "end_date": "2026-12-03"}],
    }
    created = await client.put("/v1/reps/zhangwei", json=profile, headers=manager)
    assert created.status_code == 200, created.text
    assert created.json()["created"] and created.json()["rep"]["manager_id"] == "wangqiang"
    lina = await client.put("/v1/reps/lina", json=profile | {"name": "李娜", "region": "北仑"}, headers=manager)
    assert lina.json()["rep"]["region"] == "北仑区"

    zhangwei = await login(client, "zhangwei")
    own = (await client.get("/v1/reps/me", headers=zhangwei)).json()["rep"]
    assert (own["rep_id"], own["team"], own["leave"]) == ("zhangwei", "华东一组", profile["leave"])
    is_problem(await client.get("/v1/reps/lina", headers=zhangwei), 404)
    is_problem(await client.put("/v1/reps/zhangwei", json=profile | {"capacity": 99}, headers=zhangwei), 403)
    listed = (await client.get("/v1/reps", headers=manager)).json()["reps"]
    assert [r["rep_id"] for r in listed] == ["lina", "zhangwei"]
    assert (await client.get("/v1/reps", headers=await login(client, "other-rep"))).json()["reps"] == []

    bad = await client.put("/v1/reps/zhangwei", json=profile | {"region": "火星", "capacity": -1}, headers=manager)
    assert {e["field"] for e in is_problem(bad, 400)["errors"]} == {"region", "capacity"}
    is_problem(await client.put("/v1/reps/zhangwei", json=profile | {"seniority": "boss"}, headers=manager), 422)

    # Outcomes, never typed in, make the rates.
    leads = []
    for phone in ("13800000001", "13800000002"):
        body = {"company_name": f"客户{phone}", "phone": phone, "source": "百度爱采购", "industry_tags": ["注塑机"]}
        leads.append((await client.post("/v1/leads", json=body, headers=zhangwei)).json()["lead"]["lead_id"])
    assert (await client.post(f"/v1/leads/{leads[0]}/convert", json={}, headers=zhangwei)).status_code == 200
    lost = await client.post(f"/v1/leads/{leads[1]}/lose", json={"reason": "预算不足"}, headers=zhangwei)
    assert lost.status_code == 200 and lost.json()["lead"]["status"] == "lost"
    is_problem(await client.post(f"/v1/leads/{leads[1]}/lose", json={"reason": "再次"}, headers=zhangwei), 409)
    rep = (await client.get("/v1/reps/zhangwei", headers=manager)).json()["rep"]
    assert (rep["converted"], rep["lost"], rep["conversion_rate"], rep["open_leads"]) == (1, 1, 0.5, 0)
    assert {(r["kind"], r["segment"], r["rate"]) for r in rep["conversion_rates"]} == {
        ("source", "百度爱采购", 0.5), ("industry", "注塑机", 0.5),
    }
    typed = await client.put("/v1/reps/zhangwei", json=profile | {"conversion_rate": 0.9}, headers=manager)
    assert "conversion_rate" in {e["field"] for e in is_problem(typed, 422)["errors"]}


async def test_partner_and_other_tenant_never_see_leads_they_do_not_own(client: httpx.AsyncClient) -> None:
    zhangwei = await login(client, "zhangwei")
    partner = await login(client, "zhaolei")
    other = await login(client, "other-rep")
    admin = await login(client, "admin")
    # A partner enters leads only for a distributor that lists them (zhaolei's dist-hz).
    hz = next(d for d in DEMO_DISTRIBUTORS if d["distributor_id"] == "dist-hz")
    is_problem(await client.post("/v1/leads", json={"company_name": "报备客户", "phone": "13800000013"}, headers=partner), 403)
    assert (await client.post("/v1/distributors", json=hz, headers=admin)).status_code == 201
    own = (await client.post("/v1/leads", json={"company_name": "张伟的客户", "phone": "13800000011"}, headers=zhangwei)).json()
    pool = (await client.post("/v1/leads", json={"company_name": "公海客户", "phone": "13800000012"}, headers=admin)).json()
    registered = (
        await client.post("/v1/leads", json={"company_name": "报备客户", "phone": "13800000013", "source": "展会扫码"}, headers=partner)
    ).json()["lead"]
    assert registered["source"] == "伙伴报备"

    assert [x["company_name"] for x in (await client.get("/v1/leads", headers=partner)).json()["leads"]] == ["报备客户"]
    for lead_id in (own["lead"]["lead_id"], pool["lead"]["lead_id"]):
        is_problem(await client.get(f"/v1/leads/{lead_id}", headers=partner), 404)
        is_problem(await client.get(f"/v1/leads/{lead_id}", headers=other), 404)
    assert (await client.get("/v1/leads", headers=other)).json()["leads"] == []
    lina = await login(client, "lina")
    seen = {x["company_name"] for x in (await client.get("/v1/leads", headers=lina)).json()["leads"]}
    assert seen == {"公海客户", "报备客户"}  # the pool, not zhangwei's
    is_problem(await client.post(f"/v1/leads/{own['lead']['lead_id']}/lose", json={"reason": "x"}, headers=lina), 404)
