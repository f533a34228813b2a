"""The rep pages as a rep sees them, over a fake gateway: my leads, the pool
best match first with why, claim / release / touch in place with the
gateway's refusal beside the row, tasks, a visit with its photo and check-in,
and drafts naming every failed evidence check."""

from __future__ import annotations

import base64

from tests.unit.web.fakes import FakeGateway, problem

HTMX = {"hx-request": "true"}
POOL = {
    "entries": [
        {"lead_id": "L-low", "company_name": "宁波低分机械", "source": "展会扫码", "route_id": "r1",
         "route_name": "华东注塑", "candidates": [{"rep_id": "zhangwei", "score": 12.5}],
         "ranked_at": "2026-12-03T01:00:00Z"},
        {"lead_id": "L-high", "company_name": "杭州高分塑料", "source": "百度爱采购", "route_id": "r1",
         "route_name": "华东注塑", "candidates": [{"rep_id": "zhangwei", "score": 87.25}],
         "ranked_at": "2026-12-03T01:00:00Z"},
    ],
    "next_page_token": "",
}
ASSIGNMENT = {"assignment_id": "A1", "lead_id": "L-high", "rep_id": "zhangwei", "mode": "claim",
              "score": 87.25, "assigned_at": "2026-12-03T02:00:00Z", "first_touch_due": "2026-12-04T02:00:00Z",
              "first_touched_at": None}


async def test_the_pool_lists_my_best_match_first_with_my_score_and_why(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/pool", POOL)
    page = await console("zhangwei").get("/pool")
    assert page.status_code == 200
    assert page.text.index("杭州高分塑料") < page.text.index("宁波低分机械")
    assert "87.2" in page.text and "12.5" in page.text
    assert "华东注塑" in page.text and "匹配度" in page.text
    call = fake_gateway.called("GET", "/v1/pool")[0]
    assert call.token == "token-of-zhangwei"


async def test_claim_calls_the_gateway_as_the_rep_and_the_row_says_it_is_mine(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("POST", "/v1/leads/L-high/claim", {"assignment": ASSIGNMENT})
    row = await console("zhangwei").post("/leads/L-high/claim", headers=HTMX,
                                         data={"company_name": "杭州高分塑料", "score": "87.25"})
    assert row.status_code == 200
    assert row.text.lstrip().startswith('<li class="card" id="pool-L-high"')  # only the row, swapped in place
    assert "已领取" in row.text and "2026-12-04 10:00" in row.text and 'href="/leads/L-high"' in row.text
    [call] = fake_gateway.called("POST", "/v1/leads/L-high/claim")
    assert call.token == "token-of-zhangwei"


async def test_a_refused_claim_shows_the_gateways_detail_next_to_the_row(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("POST", "/v1/leads/L-high/claim",
                    problem(409, "lead L-high was claimed by lina first", title="Conflict"))
    row = await console("zhangwei").post("/leads/L-high/claim", headers=HTMX, data={"company_name": "杭州高分塑料"})
    assert row.status_code == 409
    assert 'id="pool-L-high"' in row.text
    assert "lead L-high was claimed by lina first" in row.text
    assert "领取</button>" in row.text  # the rep may try again


async def test_my_leads_are_paged_and_a_touch_updates_the_row(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/leads", {"leads": [
        {"lead_id": "L1", "company_name": "苏州精密", "status": "open", "source": "官网", "owner_id": "zhangwei",
         "budget": {"amount_minor": 12345600, "currency": "CNY"}, "created_at": "2026-12-02T16:30:00Z"}],
        "next_page_token": "tok2"})
    page = await console("zhangwei").get("/leads")
    assert "苏州精密" in page.text and "¥123,456.00" in page.text and "2026-12-03 00:30" in page.text
    assert "page_token=tok2" in page.text
    assert fake_gateway.called("GET", "/v1/leads")[0].kwargs["params"]["status"] == "open"

    fake_gateway.on("POST", "/v1/leads/L1/touch",
                    {"assignment": {**ASSIGNMENT, "lead_id": "L1", "first_touched_at": "2026-12-03T03:00:00Z"}})
    row = await console("zhangwei").post("/leads/L1/touch", headers=HTMX, data={"company_name": "苏州精密", "kind": "visit"})
    assert row.status_code == 200 and 'id="lead-L1"' in row.text
    assert "已记录跟进" in row.text and "2026-12-03 11:00" in row.text
    assert fake_gateway.called("POST", "/v1/leads/L1/touch")[0].kwargs["json"] == {"kind": "visit"}


async def test_a_refused_release_is_shown_on_the_row(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("POST", "/v1/leads/L1/release", problem(403, "only the owner may release lead L1"))
    row = await console("zhangwei").post("/leads/L1/release", headers=HTMX,
                                         data={"company_name": "苏州精密", "reason": "不在区域"})
    assert row.status_code == 403 and 'id="lead-L1"' in row.text
    assert "only the owner may release lead L1" in row.text
    assert fake_gateway.called("POST", "/v1/leads/L1/release")[0].kwargs["json"] == {"reason": "不在区域"}


async def test_a_lead_shows_why_it_is_mine_term_by_term(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/leads/L1", {"lead": {"lead_id": "L1", "company_name": "苏州精密", "status": "open",
                                                     "owner_id": "zhangwei", "source": "官网"}})
    fake_gateway.on("GET", "/v1/leads/L1/explanation", {"explanation": {
        "lead_id": "L1", "assignment": ASSIGNMENT, "route_name": "华东注塑", "route_condition": '来源="官网"',
        "formula": "(近6月采购金额>=50000)*60+40", "score": 100.0, "rank": 1, "candidates": 3,
        "terms": [{"term": "(近6月采购金额>=50000)", "value": "TRUE"}, {"term": "近6月采购金额", "value": "80000"}],
        "runners_up": [{"rep_id": "lina", "score": 70.0}], "capacity": 30, "open_leads": 4,
        "change": "claim", "summary": "zhangwei claimed it from the pool"}})
    page = await console("zhangwei").get("/leads/L1")
    assert page.status_code == 200
    assert "(近6月采购金额&gt;=50000)" in page.text and "TRUE" in page.text and "80000" in page.text
    assert "zhangwei claimed it from the pool" in page.text and "lina" in page.text


async def test_tasks_are_listed_and_completed_in_place(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/tasks", {"tasks": [
        {"task_id": "T1", "title": "24小时无跟进：苏州精密", "rule": "no_activity_24h", "state": "open",
         "due_at": "2020-01-01T00:00:00Z", "customer_id": "C1"}]})
    fake_gateway.on("GET", "/v1/customers", {"customers": [
        {"customer_id": "C1", "name": "苏州精密", "next_follow_up_at": "2026-12-05T02:00:00Z",
         "follow_up_flagged": True, "follow_up_moves": 4}]})
    page = await console("zhangwei").get("/tasks")
    assert "24小时无跟进：苏州精密" in page.text and "已逾期" in page.text
    assert "2026-12-05 10:00" in page.text and "已改期 4 次" in page.text
    fake_gateway.on("POST", "/v1/tasks/T1/complete", {"task": {"task_id": "T1", "title": "24小时无跟进：苏州精密",
                                                              "state": "done", "completed_at": "2026-12-03T05:00:00Z"}})
    row = await console("zhangwei").post("/tasks/T1/complete", headers=HTMX)
    assert 'id="task-T1"' in row.text and "已完成" in row.text and "2026-12-03 13:00" in row.text
    assert fake_gateway.called("POST", "/v1/tasks/T1/complete")[0].token == "token-of-zhangwei"


CUSTOMERS = {"customers": [{"customer_id": "C1", "name": "苏州精密", "location": {"city": "苏州"}}]}
PHOTO = b"\xff\xd8\xff\xe0 a jpeg"


async def test_the_visit_form_takes_the_camera_and_the_location(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/customers", CUSTOMERS)
    page = await console("zhangwei").get("/visits/new?customer_id=C1")
    assert 'capture="environment"' in page.text and 'accept="image/*"' in page.text
    assert 'name="latitude"' in page.text and 'name="accuracy"' in page.text
    assert '<option value="C1" selected>' in page.text


async def test_a_visit_sends_the_photo_and_location_and_a_draft_names_every_failed_check(
    console, fake_gateway: FakeGateway
) -> None:
    fake_gateway.on("GET", "/v1/customers", CUSTOMERS)
    fake_gateway.on("POST", "/v1/customers/C1/activities", {"activity": {
        "activity_id": "V1", "kind": "visit", "state": "draft", "occurred_at": "2026-12-03T02:00:00Z",
        "violations": [{"check": "check_in", "description": "checked in 3.2 km from the customer (at most 1 km)"},
                       {"check": "competitors", "description": "no competitor comparison"}]}})
    answer = await console("zhangwei").post("/visits", data={
        "customer_id": "C1", "summary": "拜访采购部", "latitude": "31.3", "longitude": "120.6", "accuracy": "15",
        "needs": "要两台注塑机", "competitors": "", "next_follow_up_at": "2026-12-05T10:00",
    }, files={"photo": ("visit.jpg", PHOTO, "image/jpeg")})
    assert answer.status_code == 201
    [call] = fake_gateway.called("POST", "/v1/customers/C1/activities")
    body = call.kwargs["json"]
    assert base64.b64decode(body["photo"]) == PHOTO and body["photo_content_type"] == "image/jpeg"
    assert body["check_in"] == {"latitude": 31.3, "longitude": 120.6}
    assert body["next_follow_up_at"] == "2026-12-05T10:00:00+08:00"
    assert body["kind"] == "visit" and body["needs"] == "要两台注塑机"
    assert "待补全" in answer.text
    assert "checked in 3.2 km from the customer (at most 1 km)" in answer.text
    assert "no competitor comparison" in answer.text
    assert answer.text.count("通过") >= 3  # photo, needs, next follow-up passed
    assert 'href="/visits/drafts?customer_id=C1#draft-V1"' in answer.text


async def test_a_refused_visit_shows_the_gateways_error_next_to_the_field(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/customers", CUSTOMERS)
    fake_gateway.on("POST", "/v1/customers/C1/activities", problem(
        422, "body.check_in.latitude: must be between -90 and 90",
        errors=[{"field": "body.check_in.latitude", "description": "must be between -90 and 90"}]))
    answer = await console("zhangwei").post("/visits", data={"customer_id": "C1", "latitude": "91", "longitude": "1"})
    assert answer.status_code == 422
    assert 'id="err-latitude"' in answer.text and "must be between -90 and 90" in answer.text
    assert 'value="91"' in answer.text  # what the rep typed is kept


ACTIVITIES = {"activities": [
    {"activity_id": "V1", "kind": "visit", "state": "draft", "actor_id": "zhangwei", "occurred_at": "2026-12-03T02:00:00Z",
     "summary": "拜访采购部", "relation": "", "refers_to": "", "completed_by": "",
     "violations": [{"check": "photo", "description": "no photo"}]},
    {"activity_id": "V0", "kind": "visit", "state": "draft", "actor_id": "lina", "occurred_at": "2026-12-01T02:00:00Z",
     "summary": "李娜的拜访", "relation": "", "refers_to": "", "completed_by": "", "violations": []},
]}


async def test_my_drafts_list_what_is_missing_and_a_refused_completion_lists_what_still_is(
    console, fake_gateway: FakeGateway
) -> None:
    fake_gateway.on("GET", "/v1/customers", CUSTOMERS)
    fake_gateway.on("GET", "/v1/customers/C1/activities", ACTIVITIES)
    page = await console("zhangwei").get("/visits/drafts?customer_id=C1")
    assert "拜访采购部" in page.text and "no photo" in page.text
    assert "李娜的拜访" not in page.text  # someone else's draft

    fake_gateway.on("POST", "/v1/customers/C1/activities/V1/submit", problem(
        409, "the visit is incomplete (待补全): photo: the photo has no capture time (EXIF DateTimeOriginal)",
        violations=[{"type": "photo", "subject": "V1",
                     "description": "the photo has no capture time (EXIF DateTimeOriginal)"}]))
    answer = await console("zhangwei").post("/visits/drafts/C1/V1", data={"needs": "x"},
                                            files={"photo": ("p.jpg", PHOTO, "image/jpeg")})
    assert answer.status_code == 409
    assert "the photo has no capture time (EXIF DateTimeOriginal)" in answer.text
    sent = fake_gateway.called("POST", "/v1/customers/C1/activities/V1/submit")[0].kwargs["json"]
    assert base64.b64decode(sent["photo"]) == PHOTO


DRAFTS = {"drafts": [
    {"activity": {"activity_id": "V2", "customer_id": "C2", "kind": "visit", "state": "draft", "actor_id": "zhangwei",
                  "occurred_at": "2026-12-03T03:00:00Z", "summary": "复访无锡纺机",
                  "violations": [{"check": "competitors", "description": "no competitor comparison"}]},
     "customer_name": "无锡纺机", "rep_name": "张伟"},
    {"activity": {"activity_id": "V1", "customer_id": "C1", "kind": "visit", "state": "draft", "actor_id": "zhangwei",
                  "occurred_at": "2026-12-03T02:00:00Z", "summary": "拜访采购部",
                  "violations": [{"check": "photo", "description": "no photo"}]},
     "customer_name": "苏州精密", "rep_name": "张伟"},
], "next_page_token": "T2"}


async def test_without_a_customer_my_drafts_of_every_customer_are_listed_each_with_a_link_to_complete_it(
    console, fake_gateway: FakeGateway
) -> None:
    fake_gateway.on("GET", "/v1/customers", CUSTOMERS)
    fake_gateway.on("GET", "/v1/activity-drafts", DRAFTS)
    page = await console("zhangwei").get("/visits/drafts")
    assert page.status_code == 200
    assert page.text.index('id="draft-V2"') < page.text.index('id="draft-V1"')  # newest first, as the gateway lists
    assert "无锡纺机" in page.text and "复访无锡纺机" in page.text
    assert "no competitor comparison" in page.text and "no photo" in page.text
    assert 'href="/visits/drafts?customer_id=C2#draft-V2"' in page.text
    assert 'href="/visits/drafts?customer_id=C1#draft-V1"' in page.text
    assert "补全这次拜访" in page.text and 'action="/visits/drafts/' not in page.text  # completed at its customer
    assert 'href="/visits/drafts?page_token=T2"' in page.text
    assert not fake_gateway.called("GET", "/v1/customers/C1/activities")
    [call] = fake_gateway.called("GET", "/v1/activity-drafts")
    assert call.token == "token-of-zhangwei" and call.kwargs["params"] == {"page_size": 50}

    await console("zhangwei").get("/visits/drafts?page_token=T2")
    assert fake_gateway.called("GET", "/v1/activity-drafts")[-1].kwargs["params"] == {"page_size": 50, "page_token": "T2"}


async def test_a_manager_sees_the_teams_drafts_with_the_rep_named_and_none_to_complete(
    console, fake_gateway: FakeGateway
) -> None:
    fake_gateway.on("GET", "/v1/customers", CUSTOMERS)
    fake_gateway.on("GET", "/v1/activity-drafts", {"drafts": DRAFTS["drafts"][:1], "next_page_token": ""})
    page = await console("wangqiang").get("/visits/drafts")
    assert "无锡纺机" in page.text and "张伟" in page.text
    assert "#draft-V2" not in page.text  # the rep completes their own draft
    empty = fake_gateway.on("GET", "/v1/activity-drafts", {"drafts": [], "next_page_token": ""})
    assert empty and "没有待补全的拜访" in (await console("zhangwei").get("/visits/drafts")).text


async def test_the_rep_pages_read_at_phone_width_and_in_english(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/pool", POOL)
    page = await console("zhangwei", lang="en").get("/pool")
    assert 'name="viewport" content="width=device-width' in page.text
    assert "My match score" in page.text and '<ul class="cards pool-list">' in page.text


async def test_a_manager_sees_every_candidates_score_and_no_claim_button(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/pool", {"entries": [{**POOL["entries"][1], "candidates": [
        {"rep_id": "zhangwei", "score": 87.25}, {"rep_id": "lina", "score": 40.0}]}], "next_page_token": ""})
    page = await console("wangqiang").get("/pool")
    assert "候选人" in page.text and "lina <strong>40.0</strong>" in page.text
    assert "/claim" not in page.text  # claiming is a rep's


async def test_without_javascript_a_claim_goes_on_to_the_lead_and_a_typo_in_a_coordinate_reaches_the_gateway(
    console, fake_gateway: FakeGateway
) -> None:
    fake_gateway.on("POST", "/v1/leads/L-high/claim", {"assignment": ASSIGNMENT})
    plain = await console("zhangwei").post("/leads/L-high/claim", data={"company_name": "杭州高分塑料"})
    assert plain.status_code == 303 and plain.headers["location"] == "/leads/L-high"

    fake_gateway.on("GET", "/v1/customers", CUSTOMERS)
    fake_gateway.on("POST", "/v1/customers/C1/activities", problem(
        422, "body.check_in.latitude: Input should be a valid number",
        errors=[{"field": "body.check_in.latitude", "description": "Input should be a valid number"}]))
    answer = await console("zhangwei").post("/visits", data={"customer_id": "C1", "latitude": "30,1", "longitude": "120.5"})
    assert answer.status_code == 422 and "Input should be a valid number" in answer.text
    sent = fake_gateway.called("POST", "/v1/customers/C1/activities")[0].kwargs["json"]
    assert sent["check_in"] == {"latitude": "30,1", "longitude": 120.5}  # the gateway names the field, not the console
