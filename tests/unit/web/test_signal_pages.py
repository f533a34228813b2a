"""The signals pages with a fake gateway: flags show their evidence and are dismissed
with the reason the manager typed; the menu offers each page to the roles that use
it; the settings save the version they read and show the gateway's refusal on the
field it names (a formula's line and column marked); the import reports each
unmatched line; on the customer's page each signal section shows its evidence,
and a section whose route the gateway does not have yet is empty, not an error; the conversion report
shows each rep's rate beside their team's; a contact's 企业微信 id is set, its refusal shown on the field."""

from __future__ import annotations

import re

from tests.unit.web.fakes import FakeGateway, problem
from tests.unit.web.test_board_pages import canned

CID = "c-0001"
HTMX = {"hx-request": "true"}
FLAG = {
    "flag_id": "fl-1", "kind": "month_end", "rep_id": "zhangwei", "rep_name": "张伟", "subject_type": "rep",
    "subject_id": "zhangwei", "title": "11月月底集中录入", "raised_at": "2026-12-01T01:00:00Z", "state": "open",
    "evidence": {"share": 0.62, "median": 0.11, "mad": 0.04, "threshold": 0.23, "activities": ["a-1", "a-2"]},
}


def _nav(html: str) -> set[str]:
    return {p for p in ("/signals/flags", "/signals/high-intent", "/signals/import", "/signals/settings")
            if f'href="{p}"' in html}


async def test_the_menu_offers_flags_and_settings_to_managers_and_admins_and_high_intent_to_reps(
    console, fake_gateway
) -> None:
    fake_gateway.on("GET", "/v1/high-intents", {"items": []})
    seen = {}
    for user in ("zhangwei", "wangqiang", "admin", "liufang", "zhaolei"):
        seen[user] = _nav((await console(user).get("/signals/high-intent")).text)
    assert seen["wangqiang"] == seen["admin"] == {"/signals/flags", "/signals/high-intent", "/signals/import",
                                                  "/signals/settings"}
    assert seen["zhangwei"] == {"/signals/high-intent", "/signals/import"}  # a rep is not shown flags about reps
    assert seen["liufang"] == set() and seen["zhaolei"] == set()


async def test_a_flag_shows_its_evidence_and_the_filters_go_to_the_gateway(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/anomaly-flags", {"items": [FLAG]})
    response = await console("wangqiang").get("/signals/flags?state=open&kind=month_end&rep_id=zhangwei")
    assert response.status_code == 200
    text = response.text
    assert "月底集中录入" in text and "11月月底集中录入" in text and "张伟" in text
    # The numbers that prove it, as the gateway gave them.
    for shown in ("<dt>share</dt>", "0.62", "<dt>median</dt>", "0.11", "<dt>mad</dt>", "0.04", "0.23",
                  "<code>a-1</code>"):
        assert shown in text
    assert 'name="reason"' in text and "required" in text  # the dismissal asks for the reason
    call = fake_gateway.called("GET", "/v1/anomaly-flags")[0]
    assert call.kwargs["params"] == {"state": "open", "kind": "month_end", "rep_id": "zhangwei"}
    assert call.token == "token-of-wangqiang"


async def test_dismissing_posts_the_reason_and_the_row_says_dismissed(console, fake_gateway) -> None:
    fake_gateway.on("POST", "/v1/anomaly-flags/fl-1/dismiss", lambda json: FLAG | {
        "state": "dismissed", "reason": json["reason"], "dismissed_by": "wangqiang",
        "dismissed_at": "2026-12-02T02:00:00Z"})
    response = await console("wangqiang").post("/signals/flags/fl-1/dismiss", headers=HTMX,
                                               data={"reason": "  月底客户集中回款，走访属实  "})
    assert response.status_code == 200
    assert fake_gateway.called("POST", "/v1/anomaly-flags/fl-1/dismiss")[0].kwargs["json"] == {
        "reason": "月底客户集中回款，走访属实"}
    assert "已忽略" in response.text and "月底客户集中回款，走访属实" in response.text
    assert "2026-12-02 10:00" in response.text  # dismissed at, Shanghai time
    assert "<form" not in response.text


async def test_a_dismissal_without_reason_shows_the_gateways_error_on_the_reason(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/anomaly-flags", {"items": [FLAG]})
    fake_gateway.on("POST", "/v1/anomaly-flags/fl-1/dismiss", problem(
        422, "invalid", errors=[{"field": "reason", "description": "a reason is required to dismiss a flag"}]))
    htmx = await console("wangqiang").post("/signals/flags/fl-1/dismiss", headers=HTMX, data={"reason": ""})
    assert htmx.status_code == 422
    assert htmx.headers["hx-retarget"] == "#dismiss-fl-1"
    assert 'id="err-reason-fl-1"' in htmx.text and "a reason is required to dismiss a flag" in htmx.text
    assert 'aria-invalid="true"' in htmx.text
    # Without htmx: the whole list again, the error under that flag's reason.
    plain = await console("wangqiang").post("/signals/flags/fl-1/dismiss", data={"reason": ""})
    assert plain.status_code == 422 and "11月月底集中录入" in plain.text
    assert "a reason is required to dismiss a flag" in plain.text


async def test_flags_a_gateway_without_the_route_are_an_empty_page_not_an_error(console, fake_gateway) -> None:
    response = await console("wangqiang").get("/signals/flags")  # FakeGateway: 404 for every uncanned route
    assert response.status_code == 200
    assert "异常标记暂不可用" in response.text


async def test_the_high_intent_list_links_each_customer_with_its_signals_and_due_time(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/high-intents", {"items": [{
        "customer_id": CID, "customer_name": "恒盛纺织", "opportunity_id": "o-1", "opportunity_name": "织机改造",
        "owner_id": "zhangwei", "entered_at": "2026-12-01T02:00:00Z", "signals": ["索要产品对比表", "询问付款账期"],
        "proposal_due_at": "2026-12-03T02:00:00Z", "proposal_state": "overdue"}]})
    response = await console("zhangwei").get("/signals/high-intent")
    text = response.text
    assert f'href="/customers/{CID}?open=intent"' in text and "恒盛纺织" in text and "织机改造" in text
    assert "索要产品对比表" in text and "询问付款账期" in text
    assert "2026-12-03 10:00" in text and "逾期" in text


async def test_settings_show_each_area_and_one_missing_area_says_so(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/signal-settings/tagging", {
        "version": 3, "keyword_groups": [{"tag": "预算", "words": ["预算", "经费"]}],
        "dictionary": [{"word": "恒盛织机", "tag": "竞品"}, {"word": "喷气织机"}], "required_tags": ["预算", "决策链"]})
    fake_gateway.on("GET", "/v1/signal-settings/intent", {
        "version": 1, "signals": [{"name": "索要产品对比表", "condition": 'CONTAINS(标签,"产品对比")'}],
        "rule": {"min_signals": 2, "window_days": 14, "signals": []}, "proposal_hours": 48,
        "proposal_doc_types": ["技术方案", "报价单"]})
    fake_gateway.on("GET", "/v1/signal-settings/anomalies", {"version": 2, "month_end": {"k": 3, "min_share": 0.3},
                                                             "backdating_hours": 48})
    response = await console("wangqiang").get("/signals/settings")
    assert response.status_code == 200
    text = response.text
    assert "预算: 预算, 经费" in text and "恒盛织机: 竞品" in text and "预算, 决策链" in text
    assert 'CONTAINS(标签,&#34;产品对比&#34;)' in text and 'value="技术方案, 报价单"' in text
    assert 'name="t-month_end.k" value="3"' in text and 'name="t-backdating_hours" value="48"' in text
    assert text.count("这些设置暂不可用") == 1  # the stage hints' route is not there yet


async def test_saving_tagging_sends_the_version_it_read_and_the_parsed_lists(console, fake_gateway) -> None:
    fake_gateway.on("PUT", "/v1/signal-settings/tagging", lambda json: json | {"version": 4})
    response = await console("admin").post("/signals/settings/tagging", headers=HTMX, data={
        "version": "3", "keyword_groups": "预算: 预算, 经费，多少钱\n\n竞品：友商、别家",
        "dictionary": "恒盛织机: 竞品\n喷气织机", "required_tags": "预算, 决策链 时间节点"})
    assert response.status_code == 200
    assert fake_gateway.called("PUT", "/v1/signal-settings/tagging")[0].kwargs["json"] == {
        "version": 3,
        "keyword_groups": [{"tag": "预算", "words": ["预算", "经费", "多少钱"]}, {"tag": "竞品", "words": ["友商", "别家"]}],
        "dictionary": [{"word": "恒盛织机", "tag": "竞品"}, {"word": "喷气织机"}],
        "required_tags": ["预算", "决策链", "时间节点"],
    }
    assert "设置已保存（版本 4）" in response.text and 'name="version" value="4"' in response.text


async def test_a_stale_version_says_someone_else_saved(console, fake_gateway) -> None:
    fake_gateway.on("PUT", "/v1/signal-settings/stage-hints", problem(409, "version 3 is not the current 4"))
    response = await console("wangqiang").post("/signals/settings/stage-hints", headers=HTMX, data={
        "version": "3", "rules": "报价: 报价谈判\n样品: 样件制作 @P2", "auto_move": "on"})
    assert response.status_code == 409
    assert "已有人保存了这些设置" in response.text
    assert fake_gateway.called("PUT", "/v1/signal-settings/stage-hints")[0].kwargs["json"] == {
        "version": 3, "auto_move": True,
        "rules": [{"tag": "报价", "stage": "报价谈判"}, {"tag": "样品", "stage": "样件制作", "pipeline_id": "P2"}]}
    assert "报价: 报价谈判" in response.text  # what was typed stays


async def test_stage_hint_settings_show_and_send_how_many_days_back_an_activity_suggests(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/signal-settings/stage-hints", {
        "version": 2, "auto_move": True, "rules": [{"tag": "报价", "stage": "报价谈判"}], "max_age_days": 30})
    text = (await console("wangqiang").get("/signals/settings")).text
    assert 'id="max_age_days" name="max_age_days" value="30"' in text
    assert "可提示阶段的活动天数" in text
    fake_gateway.on("PUT", "/v1/signal-settings/stage-hints", problem(422, "invalid", errors=[{
        "field": "max_age_days", "description": "must be between 1 and 365"}]))
    response = await console("wangqiang").post("/signals/settings/stage-hints", headers=HTMX, data={
        "version": "2", "rules": "报价: 报价谈判", "auto_move": "on", "max_age_days": "400"})
    assert response.status_code == 422
    assert fake_gateway.called("PUT", "/v1/signal-settings/stage-hints")[0].kwargs["json"] == {
        "version": 2, "auto_move": True, "rules": [{"tag": "报价", "stage": "报价谈判"}], "max_age_days": 400}
    text = response.text
    assert 'value="400" inputmode="numeric" aria-invalid="true" aria-describedby="err-max_age_days"' in text
    assert "must be between 1 and 365" in text


async def test_a_formula_error_is_marked_at_its_line_and_column_on_that_signals_field(console, fake_gateway) -> None:
    fake_gateway.on("PUT", "/v1/signal-settings/intent", problem(422, "invalid", errors=[{
        "field": "signals[1].condition", "description": "line 1, column 14: unknown field 动做"}]))
    response = await console("wangqiang").post("/signals/settings/intent", headers=HTMX, data={
        "version": "1", "signals-0-name": "索要产品对比表", "signals-0-condition": 'CONTAINS(标签,"产品对比")',
        "signals-1-name": "", "signals-1-condition": "",  # an empty row is not sent
        "signals-2-name": "预约技术演示", "signals-2-condition": 'OR(类型="demo",动做="预约技术演示")',
        "min_signals": "2", "window_days": "14", "rule_signals": "", "proposal_hours": "48",
        "proposal_doc_types": "技术方案,报价单"})
    assert response.status_code == 422
    sent = fake_gateway.called("PUT", "/v1/signal-settings/intent")[0].kwargs["json"]
    assert [s["name"] for s in sent["signals"]] == ["索要产品对比表", "预约技术演示"]
    assert sent["rule"] == {"min_signals": 2, "window_days": 14, "signals": []} and sent["proposal_hours"] == 48
    text = response.text
    # The refusal names the second signal sent: drawn again without the empty row, it is the second row.
    assert 'id="signals-1-condition" name="signals-1-condition" rows="2" spellcheck="false" aria-invalid="true" ' \
           'aria-describedby="err-signals-1"' in text
    assert "第 1 行第 14 列" in text
    assert "unknown field 动做" in text
    assert '<mark class="error-at">动</mark>' in text
    assert 'aria-describedby="err-signals-0"' not in text


async def test_an_import_reports_counts_and_each_unmatched_line(console, fake_gateway) -> None:
    fake_gateway.on("POST", "/v1/conversations/wecom-import", {
        "imported": 2, "duplicates": 1, "activity_ids": ["a-1", "a-2"],
        "unmatched": [{"line": 4, "source_id": "msg-4", "reason": "unsupported msgtype"},
                      {"line": 7, "source_id": "msg-7", "reason": "no known contact"}]})
    export = b'{"msgid":"msg-1","msgtype":"text","text":{"content":"\xe4\xbd\xa0\xe5\xa5\xbd"}}\n'
    response = await console("zhangwei").post(
        "/signals/import", files={"file": ("export.jsonl", export, "application/json")}, data={"csrf_token": "x"})
    assert response.status_code == 200
    text = response.text
    assert '<dd class="count-imported">2</dd>' in text and '<dd class="count-duplicates">1</dd>' in text
    assert "<td>4</td><td><code>msg-4</code></td><td>unsupported msgtype</td>" in text
    assert "<td>7</td>" in text and "no known contact" in text
    call = fake_gateway.called("POST", "/v1/conversations/wecom-import")[0]
    assert call.kwargs["files"]["file"][0] == "export.jsonl" and call.kwargs["files"]["file"][1] == export


async def test_an_import_refusal_is_shown_on_the_file_field(console, fake_gateway) -> None:
    fake_gateway.on("POST", "/v1/conversations/wecom-import", problem(
        413, "too large", errors=[{"field": "file", "description": "more than 200,000 lines"}]))
    response = await console("wangqiang").post("/signals/import", files={"file": ("x.jsonl", b"{}\n", "text/plain")})
    assert response.status_code == 413
    assert 'id="err-file"' in response.text and "more than 200,000 lines" in response.text


# --- the customer's page ------------------------------------------------------------------------------------


async def test_the_customer_page_offers_the_signal_sections(console, fake_gateway) -> None:
    fake_gateway.on("GET", f"/v1/customers/{CID}", {"customer": {"customer_id": CID, "name": "恒盛纺织"}})
    text = (await console("zhangwei").get(f"/customers/{CID}")).text
    for section in ("signal-tags", "conversation-summary", "intent", "deal-signals"):
        assert f'hx-get="/customers/{CID}/{section}"' in text
    assert "历史沟通摘要" in text


def _known(fake: FakeGateway) -> None:
    fake.on("GET", f"/v1/customers/{CID}", {"customer": {"customer_id": CID, "name": "恒盛纺织"}})


async def test_each_activitys_tags_show_the_words_that_matched(console, fake_gateway) -> None:
    _known(fake_gateway)
    fake_gateway.on("GET", f"/v1/customers/{CID}/activity-tags", {"items": [
        {"activity_id": "a-1", "occurred_at": "2026-12-01T02:00:00Z", "kind": "chat", "source": "wecom",
         "tags": [{"tag": "预算", "words": ["预算", "多少钱"]}, {"tag": "竞品", "words": ["友商"]}],
         "summary": ["今年预算大概多少钱还没定。"], "keywords": ["预算"]}]})
    response = await console("zhangwei").get(f"/customers/{CID}/signal-tags", headers=HTMX)
    text = response.text
    assert '<span class="chip-tag">预算</span>' in text and "<mark>预算</mark>、<mark>多少钱</mark>" in text
    assert '<span class="chip-tag">竞品</span>' in text and "<mark>友商</mark>" in text
    assert "今年预算大概多少钱还没定。" in text and "2026-12-01 10:00" in text


async def test_the_conversation_summary_lists_its_sentences(console, fake_gateway) -> None:
    _known(fake_gateway)
    fake_gateway.on("GET", f"/v1/customers/{CID}/conversation-summary", {
        "sentences": [{"text": "客户计划年底前完成织机改造。", "activity_id": "a-1", "occurred_at": "2026-12-01T02:00:00Z"}],
        "keywords": ["织机", "年底"], "activities": 5})
    text = (await console("zhangwei").get(f"/customers/{CID}/conversation-summary", headers=HTMX)).text
    assert "客户计划年底前完成织机改造。" in text and "来自 5 次沟通" in text and '<span class="tag">织机</span>' in text


async def test_intent_shows_the_signals_the_countdown_and_the_tool_pack(console, fake_gateway) -> None:
    _known(fake_gateway)
    fake_gateway.on("GET", f"/v1/customers/{CID}/intent", {
        "high_intent": True, "since": "2026-12-01T02:00:00Z",
        "signals": [{"name": "索要产品对比表", "activity_id": "a-1", "occurred_at": "2026-12-01T01:00:00Z"}],
        "countdown": {"due_at": "2099-01-01T00:00:00Z", "state": "running"},
        "tool_pack": [{"document_id": "d-9", "title": "喷气织机对比白皮书", "tags": ["产品对比"]}]})
    text = (await console("zhangwei").get(f"/customers/{CID}/intent", headers=HTMX)).text
    assert "高意向" in text and "索要产品对比表" in text
    assert "剩余" in text and "2099-01-01 08:00" in text
    assert f'href="/customers/{CID}/documents/d-9/versions"' in text and "喷气织机对比白皮书" in text


def _deals(fake: FakeGateway, hints: list[dict]) -> None:
    fake.on("GET", f"/v1/customers/{CID}", {"customer": {"customer_id": CID, "name": "恒盛纺织"}})
    fake.on("GET", "/v1/opportunities", {"opportunities": [
        {"opportunity_id": "o-1", "customer_id": CID, "name": "织机改造", "stage": "方案"}]})
    fake.on("GET", "/v1/opportunities/o-1/needs", {"required": [
        {"tag": "预算", "found": True, "evidence": [{"activity_id": "a-1", "occurred_at": "2026-12-01T02:00:00Z",
                                                      "words": ["经费"]}]},
        {"tag": "决策链", "found": False, "evidence": []}], "found": 1, "total": 2})
    fake.on("GET", "/v1/opportunities/o-1/stage-hints", {"items": hints})


HINT = {"hint_id": "h-1", "tag": "报价", "suggested_stage": "报价谈判", "activity_id": "a-1", "words": ["报价"],
        "state": "shown", "unmet": [], "created_at": "2026-12-01T02:00:00Z", "decided_at": None}


async def test_an_opportunity_shows_its_needs_with_evidence_and_its_hints(console, fake_gateway) -> None:
    _deals(fake_gateway, [HINT])
    text = (await console("zhangwei").get(f"/customers/{CID}/deal-signals", headers=HTMX)).text
    assert "已了解 1/2 项需求" in text and "预算: 已了解" in text and "决策链: 缺失" in text and "<mark>经费</mark>" in text
    assert "推进到「报价谈判」" in text
    assert f'hx-post="/customers/{CID}/opportunities/o-1/stage-hints/h-1/apply"' in text
    assert f'hx-post="/customers/{CID}/opportunities/o-1/stage-hints/h-1/dismiss"' in text


async def test_an_applied_hint_the_gates_refuse_shows_the_unmet_gates(console, fake_gateway) -> None:
    _deals(fake_gateway, [HINT])
    fake_gateway.on("POST", "/v1/opportunities/o-1/stage-hints/h-1/apply", problem(412, "gates unmet", violations=[
        {"type": "required_document", "description": "报价单 must be uploaded before 报价谈判"}]))
    response = await console("zhangwei").post(f"/customers/{CID}/opportunities/o-1/stage-hints/h-1/apply",
                                              headers=HTMX)
    assert response.status_code == 412
    assert "阶段关卡拒绝了推进" in response.text and "报价单 must be uploaded before 报价谈判" in response.text
    assert "required_document" in response.text


async def test_dismissing_a_hint_posts_to_the_gateway(console, fake_gateway) -> None:
    _deals(fake_gateway, [HINT])
    fake_gateway.on("POST", "/v1/opportunities/o-1/stage-hints/h-1/dismiss", {"hint": HINT | {"state": "dismissed"}})
    response = await console("zhangwei").post(f"/customers/{CID}/opportunities/o-1/stage-hints/h-1/dismiss",
                                              headers=HTMX)
    assert response.status_code == 200 and "已忽略该提示" in response.text
    assert len(fake_gateway.called("POST", "/v1/opportunities/o-1/stage-hints/h-1/dismiss")) == 1


async def test_sections_whose_gateway_route_is_missing_are_empty_not_an_error(console, fake_gateway) -> None:
    fake_gateway.on("GET", f"/v1/customers/{CID}", {"customer": {"customer_id": CID, "name": "恒盛纺织"}})
    fake_gateway.on("GET", "/v1/opportunities", {"opportunities": [
        {"opportunity_id": "o-1", "customer_id": CID, "name": "织机改造"}]})
    c = console("zhangwei")
    for section, said in (("signal-tags", "沟通标签暂不可用"), ("conversation-summary", "历史沟通摘要暂不可用"),
                          ("intent", "购买意向暂不可用"), ("deal-signals", "阶段提示暂不可用")):
        response = await c.get(f"/customers/{CID}/{section}", headers=HTMX)
        assert response.status_code == 200, section
        assert said in response.text, section


async def test_another_tenants_customer_is_not_found_in_every_signal_section(console, fake_gateway) -> None:
    fake_gateway.on("GET", f"/v1/customers/{CID}", problem(404, "customer not found", title="Not found"))
    # Even where the signal route itself answers (it must not be what decides).
    fake_gateway.on("GET", f"/v1/customers/{CID}/activity-tags", {"items": [
        {"activity_id": "a-1", "occurred_at": "2026-12-01T02:00:00Z", "kind": "chat", "tags": [{"tag": "预算", "words": ["经费"]}]}]})
    c = console("other-rep")
    for section in ("signal-tags", "conversation-summary", "intent", "deal-signals"):
        response = await c.get(f"/customers/{CID}/{section}")
        assert response.status_code == 404, section
        assert "<h1>未找到</h1>" in response.text and "经费" not in response.text, section


async def test_the_board_marks_the_cards_in_a_high_intent_episode(console, fake_gateway) -> None:
    canned(fake_gateway)
    fake_gateway.on("GET", "/v1/high-intents", {"items": [{"customer_id": "C-O3", "opportunity_id": "O3"}]})
    text = (await console("wangqiang").get("/board")).text
    marked = re.findall(r'id="card-(\w+)-name"><strong>[^<]*</strong> <span class="tag hot">高意向</span>', text)
    assert marked == ["O3"]
    assert 'href="/signals/high-intent"' in text
    assert fake_gateway.called("GET", "/v1/high-intents")[0].kwargs["params"] == {"state": "open"}


async def test_the_board_without_the_high_intent_route_marks_nothing(console, fake_gateway) -> None:
    canned(fake_gateway)
    response = await console("wangqiang").get("/board")
    assert response.status_code == 200 and 'class="tag hot"' not in response.text


async def test_anomaly_thresholds_are_put_back_with_their_types_and_errors_shown_on_their_field(
    console, fake_gateway
) -> None:
    fake_gateway.on("PUT", "/v1/signal-settings/anomalies", problem(422, "invalid", errors=[
        {"field": "body.month_end.k", "description": "must be between 1 and 10"}]))
    response = await console("wangqiang").post("/signals/settings/anomalies", headers=HTMX, data={
        "version": "2", "t-month_end.k": "30", "k-month_end.k": "number", "t-month_end.min_share": "0.3",
        "k-month_end.min_share": "number", "t-stuck.enabled": "false", "k-stuck.enabled": "bool",
        "t-kinds": "backdating, stuck_in_stage", "k-kinds": "list"})
    assert response.status_code == 422
    assert fake_gateway.called("PUT", "/v1/signal-settings/anomalies")[0].kwargs["json"] == {
        "version": 2, "month_end": {"k": 30, "min_share": 0.3}, "stuck": {"enabled": False},
        "kinds": ["backdating", "stuck_in_stage"]}
    assert 'id="err-t-month_end-k"' in response.text and "must be between 1 and 10" in response.text
    assert 'name="t-month_end.k" value="30"' in response.text  # what was typed stays


async def test_a_failing_part_empties_only_itself(console, fake_gateway) -> None:
    _deals(fake_gateway, [HINT])
    fake_gateway.on("GET", "/v1/opportunities/o-1/stage-hints", problem(503, "opportunity did not answer"))
    response = await console("zhangwei").get(f"/customers/{CID}/deal-signals", headers=HTMX)
    assert response.status_code == 200
    assert "阶段提示暂不可用" in response.text and "已了解 1/2 项需求" in response.text


async def test_a_scan_says_how_many_flags_it_raised_of_each_kind(console, fake_gateway) -> None:
    fake_gateway.on("POST", "/v1/anomaly-flags/scan", {"raised": {"month_end": 2, "stuck": 1}, "total": 3})
    response = await console("admin").post("/signals/flags/scan", data={})
    assert response.status_code == 200
    assert "新增 3 个标记" in response.text and "月底集中录入: 2" in response.text and "阶段停留过久: 1" in response.text


# --- the conversion report ----------------------------------------------------------------------------------

REPS = [{"rep_id": "zhangwei", "name": "张伟", "team": "华东一组", "manager_id": "wangqiang"},
        {"rep_id": "lina", "name": "李娜", "team": "华东一组", "manager_id": "wangqiang"}]


def _conversion(fake: FakeGateway) -> None:
    by = {
        "rep": {"items": [{"key": "zhangwei", "entered": 4, "won": 3, "rate": 0.75},
                          {"key": "lina", "entered": 4, "won": 1, "rate": 0.25}],
                "total": {"key": "", "entered": 8, "won": 4, "rate": 0.5}},
        "team": {"items": [{"key": "wangqiang", "entered": 8, "won": 4, "rate": 0.5}],
                 "total": {"key": "", "entered": 8, "won": 4, "rate": 0.5}},
    }
    fake.on("GET", "/v1/reports/intent-conversion", lambda params: by[params["group_by"]])
    fake.on("GET", "/v1/reps", {"reps": REPS})


async def test_the_conversion_report_shows_each_reps_rate_beside_their_teams(console, fake_gateway) -> None:
    _conversion(fake_gateway)
    response = await console("wangqiang").get("/signals/conversion?from=2026-11-01&to=2026-11-30")
    assert response.status_code == 200
    text = response.text
    rows = re.findall(r'<tr class="conversion-row" data-rep="(\w+)">(.*?)</tr>', text, re.DOTALL)
    assert [rep for rep, _ in rows] == ["zhangwei", "lina"]  # best first within the team
    zhang = rows[0][1]
    assert "张伟" in zhang and "华东一组" in zhang and "75.0%" in zhang and "50.0%" in zhang
    assert 'class="rate rep-rate"' in zhang and 'style="width: 75.0%"' in zhang and 'style="width: 50.0%"' in zhang
    assert "25.0%" in rows[1][1] and "50.0%" in rows[1][1]
    assert "合计：8 个高意向中已签约 4 个（50.0%）" in text and "意向转化" in text
    # The chart draws the same numbers.
    assert '"rep": [75.0, 25.0]' in text and '"team": [50.0, 50.0]' in text
    # Whole Shanghai days, the last one included.
    calls = fake_gateway.called("GET", "/v1/reports/intent-conversion")
    assert sorted(c.kwargs["params"]["group_by"] for c in calls) == ["rep", "team"]
    assert calls[0].kwargs["params"]["from"] == "2026-11-01T00:00:00+08:00"
    assert calls[0].kwargs["params"]["to"] == "2026-12-01T00:00:00+08:00"
    assert calls[0].token == "token-of-wangqiang"


async def test_the_conversion_report_is_offered_to_managers_from_the_menu_and_the_high_intent_list(
    console, fake_gateway
) -> None:
    fake_gateway.on("GET", "/v1/high-intents", {"items": []})
    manager = (await console("wangqiang").get("/signals/high-intent")).text
    rep = (await console("zhangwei").get("/signals/high-intent")).text
    assert manager.count('href="/signals/conversion"') == 2  # the menu and the list
    assert 'href="/signals/conversion"' not in rep


async def test_the_conversion_report_without_a_period_asks_for_all_time_and_an_empty_one_says_so(
    console, fake_gateway
) -> None:
    fake_gateway.on("GET", "/v1/reports/intent-conversion", {"items": [], "total": {"entered": 0, "won": 0, "rate": 0}})
    response = await console("admin").get("/signals/conversion?from=not-a-day")
    assert response.status_code == 200 and "此期间内没有客户出现高意向" in response.text
    assert {"from", "to"}.isdisjoint(fake_gateway.called("GET", "/v1/reports/intent-conversion")[0].kwargs["params"])


async def test_the_conversion_report_in_english_and_its_refusals(console, fake_gateway) -> None:
    _conversion(fake_gateway)
    english = await console("wangqiang", lang="en").get("/signals/conversion")
    assert "Intent conversion" in english.text and "Rep&#39;s rate" in english.text
    fake_gateway.on("GET", "/v1/reports/intent-conversion", problem(
        400, "period_end: must be after period_start", errors=[{"field": "period_end", "description": "must be after period_start"}]))
    refused = await console("wangqiang").get("/signals/conversion?from=2026-12-01&to=2026-11-01")
    assert refused.status_code == 400 and "must be after period_start" in refused.text
    # A rep's token: the gateway refuses the report (403); the page says it is not available.
    fake_gateway.on("GET", "/v1/reports/intent-conversion", problem(403, "managers and admins"))
    assert "转化报告暂不可用" in (await console("zhangwei").get("/signals/conversion")).text


# --- a contact's 企业微信 id --------------------------------------------------------------------------------

CONTACTS = {"contacts": [{"contact_id": "ct-1", "name": "陈建国", "title": "总经理"},
                         {"contact_id": "ct-2", "name": "王芳", "title": "采购经理"}]}


def _contacts(fake: FakeGateway) -> None:
    _known(fake)
    fake.on("GET", f"/v1/customers/{CID}/contacts", CONTACTS)


async def test_the_customer_page_offers_the_wecom_section_with_a_field_per_contact(console, fake_gateway) -> None:
    _contacts(fake_gateway)
    assert f'hx-get="/customers/{CID}/wecom-ids"' in (await console("zhangwei").get(f"/customers/{CID}")).text
    text = (await console("zhangwei").get(f"/customers/{CID}/wecom-ids", headers=HTMX)).text
    assert f'hx-post="/customers/{CID}/contacts/ct-1/wecom"' in text and f'hx-post="/customers/{CID}/contacts/ct-2/wecom"' in text
    assert '<label for="wecom-ct-1">陈建国 的企业微信号' in text and 'name="csrf_token"' in text
    # Finance reads the customer but does not edit it: no form.
    finance = (await console("liufang").get(f"/customers/{CID}/wecom-ids", headers=HTMX)).text
    assert "<form" not in finance and "由客户团队设置" in finance


async def test_each_contacts_field_shows_the_id_set_and_readers_see_it_too(console, fake_gateway) -> None:
    _contacts(fake_gateway)
    fake_gateway.on("GET", f"/v1/customers/{CID}/contact-channels", {"channels": [
        {"contact_id": "ct-1", "channel": "wecom", "external_id": "wmChen01", "set_by": "zhangwei",
         "set_at": "2026-12-01T02:00:00Z"}]})
    text = (await console("zhangwei").get(f"/customers/{CID}/wecom-ids", headers=HTMX)).text
    chen, wang = (text.split(f'id="contact-{c}"', 1)[1].split("</li>", 1)[0] for c in ("ct-1", "ct-2"))
    assert 'id="wecom-ct-1"' in chen and 'value="wmChen01"' in chen
    assert 'id="wecom-ct-2"' in wang and 'value=""' in wang
    finance = (await console("liufang").get(f"/customers/{CID}/wecom-ids", headers=HTMX)).text
    assert "<form" not in finance and "<code>wmChen01</code>" in finance and "尚未设置企业微信号" in finance
    # What was typed and refused stays in the field rather than the id set.
    fake_gateway.on("PUT", f"/v1/customers/{CID}/contacts/ct-1/wecom",
                    problem(409, "external_id: another contact has 企业微信 id wmX"))
    refused = await console("zhangwei").post(f"/customers/{CID}/contacts/ct-1/wecom", headers=HTMX,
                                             data={"external_id": "wmX"})
    assert refused.status_code == 409 and 'value="wmX"' in refused.text and 'value="wmChen01"' not in refused.text


async def test_setting_a_wecom_id_puts_it_and_says_it_is_set(console, fake_gateway) -> None:
    _contacts(fake_gateway)
    fake_gateway.on("PUT", f"/v1/customers/{CID}/contacts/ct-2/wecom",
                    lambda json: {"contact_id": "ct-2", "external_id": json["external_id"]})
    response = await console("zhangwei").post(f"/customers/{CID}/contacts/ct-2/wecom", headers=HTMX,
                                              data={"external_id": "  wmWangFang01 "})
    assert response.status_code == 200
    call = fake_gateway.called("PUT", f"/v1/customers/{CID}/contacts/ct-2/wecom")[0]
    assert call.kwargs["json"] == {"external_id": "wmWangFang01"} and call.token == "token-of-zhangwei"
    assert "已设置企业微信号：wmWangFang01" in response.text
    plain = await console("zhangwei").post(f"/customers/{CID}/contacts/ct-2/wecom", data={"external_id": "wm2"})
    assert plain.status_code == 303 and plain.headers["location"] == f"/customers/{CID}?open=wecom-ids"


async def test_a_refused_wecom_id_is_shown_next_to_its_field(console, fake_gateway) -> None:
    _contacts(fake_gateway)
    path = f"/v1/customers/{CID}/contacts/ct-1/wecom"
    fake_gateway.on("PUT", path, problem(400, "external_id: is 1 to 200 characters without spaces", errors=[
        {"field": "external_id", "description": "is 1 to 200 characters without spaces"}]))
    response = await console("zhangwei").post(f"/customers/{CID}/contacts/ct-1/wecom", headers=HTMX,
                                              data={"external_id": "wm chen"})
    assert response.status_code == 400
    text = response.text
    assert 'aria-invalid="true" aria-describedby="err-wecom-ct-1"' in text
    assert '<p class="field-error" id="err-wecom-ct-1" role="alert">is 1 to 200 characters without spaces</p>' in text
    assert 'value="wm chen"' in text and 'aria-describedby="err-wecom-ct-2"' not in text
    # The id another contact has (409: only the detail names the field) is shown on the field too.
    fake_gateway.on("PUT", path, problem(409, "external_id: another contact has 企业微信 id wmChen"))
    taken = await console("zhangwei").post(f"/customers/{CID}/contacts/ct-1/wecom", headers=HTMX,
                                           data={"external_id": "wmChen"})
    assert taken.status_code == 409
    assert 'id="err-wecom-ct-1" role="alert">another contact has 企业微信 id wmChen</p>' in taken.text
    assert 'class="problem"' not in taken.text


async def test_a_wecom_id_for_a_customer_not_theirs_is_not_found(console, fake_gateway) -> None:
    fake_gateway.on("GET", f"/v1/customers/{CID}", problem(404, "customer not found", title="Not found"))
    fake_gateway.on("GET", f"/v1/customers/{CID}/contacts", CONTACTS)
    assert (await console("other-rep").get(f"/customers/{CID}/wecom-ids")).status_code == 404
    fake_gateway.on("PUT", f"/v1/customers/{CID}/contacts/ct-1/wecom", problem(404, "customer not found"))
    response = await console("other-rep").post(f"/customers/{CID}/contacts/ct-1/wecom", data={"external_id": "wm1"})
    assert response.status_code == 404 and "陈建国" not in response.text
