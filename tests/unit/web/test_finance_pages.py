"""Finance's pages against a fake gateway: the statement import and its line
report, a refused file, confirming / rejecting / reversing matches, aging."""

from __future__ import annotations

import json
import re

from tests.unit.web.fakes import FakeGateway, problem

HTMX = {"hx-request": "true"}
STATEMENT = {"statement_id": "S1", "account": "6222020200112233445", "format": "mt940", "filename": "dec.sta",
             "sha256": "", "has_balances": True, "opening_minor": 0, "closing_minor": 2_345_600, "currency": "CNY",
             "period_from": "2026-12-01", "period_to": "2026-12-02", "imported_by": "liufang",
             "imported_at": "2026-12-03T01:30:00Z", "status": "imported", "held_reason": ""}
REPORT = {
    "statements": [STATEMENT], "new_count": 2, "known_count": 1, "rejected_count": 1, "held": False,
    "lines": [
        {"row": 1, "outcome": "new", "account": "6222020200112233445", "bank_ref": "R-001", "line_id": "L1", "reason": ""},
        {"row": 2, "outcome": "new", "account": "6222020200112233445", "bank_ref": "R-002", "line_id": "L2", "reason": ""},
        {"row": 3, "outcome": "known", "account": "6222020200112233445", "bank_ref": "R-000", "line_id": "L0",
         "reason": "imported before"},
        {"row": 4, "outcome": "rejected", "account": "6222020200112233445", "bank_ref": "", "line_id": "",
         "reason": "amount is not a number"},
    ],
}
SUGGESTION = {
    "match_id": "M1", "line_id": "L1", "allocations": [{"instalment_id": "I1", "amount_minor": 123_456}],
    "amount_minor": 123_456, "currency": "CNY", "rule_id": "r1", "rule_kind": "payer_amount", "score": 0.87,
    "evidence_json": json.dumps({"name_score": 92.5, "difference_minor": 0}), "status": "suggested", "by": "",
    "at": "2026-12-03T02:00:00Z", "reason": "", "receipt_ids": [], "write_offs": [], "auto": False,
    "confident": False, "confirmed_by": "", "confirmed_at": "",
}
LINE = {"line_id": "L1", "statement_id": "S1", "account": "6222020200112233445", "bank_ref": "R-001",
        "booked_on": "2026-12-01", "value_on": "2026-12-01", "amount_minor": 123_456, "currency": "CNY",
        "direction": "credit", "counterparty_name": "绍兴柯桥恒盛纺织有限公司", "counterparty_account": "",
        "remark": "设备款", "status": "suggested"}


def money(minor: int) -> dict:
    return {"amount_minor": minor, "currency": "CNY"}


def matching_gateway(fake: FakeGateway) -> FakeGateway:
    return (fake.on("GET", "/v1/matching/suggestions", {"suggestions": [SUGGESTION]})
            .on("GET", "/v1/matching/matches", {"matches": [], "next_page_token": ""})
            .on("GET", "/v1/bank-statement-lines", {"lines": [LINE], "next_page_token": ""}))


async def test_the_import_sends_the_file_itself_and_reports_every_line(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("POST", "/v1/bank-statements/imports", REPORT)
    fake_gateway.on("GET", "/v1/bank-statements", {"statements": [STATEMENT], "next_page_token": ""})
    body = b":20:STMT261201\r\n:25:6222020200112233445\r\n-}"
    response = await console("liufang").post("/finance/statements", files={"file": ("dec.sta", body)},
                                             data={"format": "", "account": ""})
    assert response.status_code == 201
    [call] = fake_gateway.called("POST", "/v1/bank-statements/imports")
    assert call.kwargs["content"] == body
    assert call.kwargs["params"]["filename"] == "dec.sta"
    report = response.text.split('id="import-report"')[1].split("</section>")[0]
    rows = re.findall(r'<tr class="outcome-(\w+)">(.*?)</tr>', report, re.DOTALL)
    assert [outcome for outcome, _ in rows] == ["new", "new", "known", "rejected"]
    assert "新增" in rows[0][1] and "R-001" in rows[0][1]
    assert "已导入过" in rows[2][1] and "imported before" in rows[2][1]
    assert "拒收" in rows[3][1] and "amount is not a number" in rows[3][1]
    assert "2 条新增" in report
    # The list below: the statement with its balances in ¥ and its import time in Shanghai.
    assert "¥23,456.00" in response.text and "2026-12-03 09:30" in response.text


async def test_a_refused_file_shows_the_gateways_reason_next_to_the_file_input(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("POST", "/v1/bank-statements/imports", problem(
        422, "the file is not a statement", errors=[{"field": "file", "description": "not CAMT.053, MT940 or a bank export"}]))
    fake_gateway.on("GET", "/v1/bank-statements", {"statements": [], "next_page_token": ""})
    response = await console("liufang").post("/finance/statements", files={"file": ("x.txt", b"hello")})
    assert response.status_code == 422
    html = response.text
    file_input = html.index('id="statement-file"')
    error = html.index("not CAMT.053, MT940 or a bank export")
    assert 'aria-describedby="err-file"' in html[file_input - 200:file_input + 300]
    assert file_input < error < html.index("</form>", file_input) + 400
    assert 'id="import-report"' not in html


async def test_confirming_a_suggestion_removes_its_row(console, fake_gateway: FakeGateway) -> None:
    matching_gateway(fake_gateway).on("POST", "/v1/matching/matches/M1/confirm", {"match": SUGGESTION | {"status": "confirmed"}})
    client = console("liufang")
    page = await client.get("/finance/matching")
    assert 'id="match-M1"' in page.text and "绍兴柯桥恒盛纺织有限公司" in page.text
    assert "¥1,234.56" in page.text and "87%" in page.text and "name_score" in page.text
    response = await client.post("/finance/matching/matches/M1/confirm", headers=HTMX)
    assert response.status_code == 200
    assert len(fake_gateway.called("POST", "/v1/matching/matches/M1/confirm")) == 1
    assert "<tr" not in response.text and "已确认" in response.text


async def test_rejecting_sends_the_reason(console, fake_gateway: FakeGateway) -> None:
    matching_gateway(fake_gateway).on("POST", "/v1/matching/matches/M1/reject", {"match": SUGGESTION | {"status": "rejected"}})
    response = await console("liufang").post("/finance/matching/matches/M1/reject", data={"reason": "付款人不符"},
                                             headers=HTMX)
    assert response.status_code == 200 and "<tr" not in response.text
    [call] = fake_gateway.called("POST", "/v1/matching/matches/M1/reject")
    assert call.kwargs["json"] == {"reason": "付款人不符"}


async def test_a_refused_confirm_keeps_the_row_with_the_gateways_detail(console, fake_gateway: FakeGateway) -> None:
    matching_gateway(fake_gateway).on("POST", "/v1/matching/matches/M1/confirm", problem(
        409, "the instalment is already paid", violations=[{"type": "receipt_lock", "description": "分期已结清"}]))
    response = await console("liufang").post("/finance/matching/matches/M1/confirm", headers=HTMX)
    assert response.status_code == 409
    assert response.text.lstrip().startswith('<tr id="match-M1"')
    assert "the instalment is already paid" in response.text and "分期已结清" in response.text


async def test_a_reject_without_a_reason_shows_the_refusal_at_the_reason(console, fake_gateway: FakeGateway) -> None:
    matching_gateway(fake_gateway).on("POST", "/v1/matching/matches/M1/reject", problem(
        422, "invalid request", errors=[{"field": "body.reason", "description": "String should have at least 1 character"}]))
    response = await console("liufang").post("/finance/matching/matches/M1/reject", data={"reason": ""}, headers=HTMX)
    assert response.status_code == 422
    assert 'aria-describedby="err-reason-M1"' in response.text
    assert 'id="err-reason-M1"' in response.text and "at least 1 character" in response.text


async def test_reversing_a_confirmed_match_sends_the_reason(console, fake_gateway: FakeGateway) -> None:
    confirmed = SUGGESTION | {"status": "confirmed", "confirmed_by": "liufang", "confirmed_at": "2026-12-03T03:00:00Z"}
    matching_gateway(fake_gateway).on("GET", "/v1/matching/matches", {"matches": [confirmed], "next_page_token": ""})
    fake_gateway.on("POST", "/v1/matching/matches/M1/reversal", {"match": confirmed | {"status": "reversed"}})
    client = console("liufang")
    page = await client.get("/finance/matching")
    assert "2026-12-03 11:00" in page.text
    response = await client.post("/finance/matching/matches/M1/reversal", data={"reason": "重复入账"}, headers=HTMX)
    assert response.status_code == 200
    [call] = fake_gateway.called("POST", "/v1/matching/matches/M1/reversal")
    assert call.kwargs["json"] == {"reason": "重复入账"}


async def test_running_matching_says_what_the_run_found(console, fake_gateway: FakeGateway) -> None:
    matching_gateway(fake_gateway).on("POST", "/v1/matching/runs", {
        "lines": 3, "open_instalments": 5, "suggestions": [SUGGESTION], "confirmed": [], "more": False})
    response = await console("liufang").post("/finance/matching/runs")
    assert response.status_code == 200
    assert fake_gateway.called("POST", "/v1/matching/runs")
    assert 'id="run-result"' in response.text and "1 条建议" in response.text


def aging_row(key: str, red: bool, over_90: int = 0) -> dict:
    return {"key": key, "currency": "CNY", "buckets": {
        "not_due": money(100_000), "days_1_30": money(0), "days_31_60": money(250_000), "days_61_90": money(0),
        "days_over_90": money(over_90)}, "total": money(350_000 + over_90), "overdue": money(250_000 + over_90),
        "red": red, "red_amount": money(250_000 + over_90 if red else 0), "red_instalments": 1 if red else 0}


async def test_aging_marks_the_rows_over_30_days_and_formats_amounts(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/finance/aging", {
        "as_of": "2026-12-03", "group_by": "region",
        "rows": [aging_row("华东", True, 123_456_789), aging_row("华南", False)],
        "totals": [aging_row("", True, 123_456_789)], "next_page_token": "t2"})
    response = await console("liufang").get("/finance/aging", params={"as_of": "2026-12-03", "group_by": "region"})
    assert response.status_code == 200
    [call] = fake_gateway.called("GET", "/v1/finance/aging")
    assert call.kwargs["params"]["as_of"] == "2026-12-03" and call.kwargs["params"]["group_by"] == "region"
    rows = {m.group(2): (m.group(1), m.group(0)) for m in
            re.finditer(r'<tr( class="overdue")?>\s*<th scope="row">([^<]+)</th>.*?</tr>', response.text, re.DOTALL)}
    assert rows["华东"][0] and "逾期超 30 天" in rows["华东"][1] and "¥1,234,567.89" in rows["华东"][1]
    assert not rows["华南"][0] and "逾期超 30 天" not in rows["华南"][1]
    assert "¥2,500.00" in rows["华南"][1]
    assert "page_token=t2" in response.text and "group_by=region" in response.text


async def test_aging_shows_a_refused_date_next_to_it(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/finance/aging", problem(
        422, "invalid request", errors=[{"field": "query.as_of", "description": "not an ISO date"}]))
    response = await console("liufang").get("/finance/aging", params={"as_of": "12/03"})
    assert response.status_code == 422
    assert 'id="aging-as-of"' in response.text and 'aria-invalid="true"' in response.text
    assert "not an ISO date" in response.text


async def test_no_file_chosen_is_the_gateways_refusal_of_the_name(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("POST", "/v1/bank-statements/imports", problem(
        422, "invalid request", errors=[{"field": "query.filename", "description": "String should have at least 1 character"}]))
    fake_gateway.on("GET", "/v1/bank-statements", {"statements": [], "next_page_token": ""})
    response = await console("liufang", lang="en").post("/finance/statements", files={"file": ("", b"")})
    assert response.status_code == 422
    assert 'id="err-file"' in response.text and "at least 1 character" in response.text
    assert "Import a statement" in response.text


async def test_a_held_file_says_so_with_the_reason(console, fake_gateway: FakeGateway) -> None:
    held = STATEMENT | {"status": "held", "held_reason": "期末余额与流水合计不符"}
    fake_gateway.on("POST", "/v1/bank-statements/imports", {
        "statements": [held], "held": True, "new_count": 0, "known_count": 0, "rejected_count": 0,
        "lines": [{"row": 1, "outcome": "held", "account": held["account"], "bank_ref": "R-9", "line_id": "",
                   "reason": "balances do not add up"}]})
    fake_gateway.on("GET", "/v1/bank-statements", {"statements": [held], "next_page_token": "n2"})
    response = await console("liufang").post("/finance/statements", files={"file": ("dec.sta", b"x")})
    report = response.text.split('id="import-report"')[1].split("</section>")[0]
    assert "文件已暂挂" in report and "期末余额与流水合计不符" in report
    assert '<tr class="outcome-held">' in report and "暂挂" in report
    assert "page_token=n2" in response.text  # the statement list pages


async def test_a_statements_lines_in_english(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/bank-statement-lines", {"lines": [LINE | {"status": "matched"}], "next_page_token": ""})
    response = await console("liufang", lang="en").get("/finance/statements/S1", params={"status": "matched"})
    assert response.status_code == 200
    [call] = fake_gateway.called("GET", "/v1/bank-statement-lines")
    assert call.kwargs["params"]["statement_id"] == "S1" and call.kwargs["params"]["status"] == "matched"
    assert "Statement lines" in response.text and "Matched" in response.text
    assert "¥1,234.56" in response.text and "绍兴柯桥恒盛纺织有限公司" in response.text
