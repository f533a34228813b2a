"""The partner portal's pages against a fake gateway: what a distributor sees of
its registrations (status, the conflict check's answer, protection dates in
Asia/Shanghai and days left), the registration form's amounts in exact 分, the
gateway's refusals next to their fields, promotion applications with their
material, and rebate progress toward the next tier."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from web.pages.partner.common import days_left, fen_from_yuan, rate_text
from web.pages.partner.rebates import progress_of

from tests.unit.web.fakes import FakeGateway, problem

ORG = {"distributor": {"distributor_id": "dist-hz", "details": {
    "name": "杭州恒通机电设备有限公司", "tier": "金牌", "contract_ends": "2027-12-31"}, "in_contract": True}}


def registration(**over: object) -> dict:
    reg = {
        "registration_id": "reg-1", "distributor_id": "dist-hz", "distributor_name": "杭州恒通机电设备有限公司",
        "registered_by": "zhaolei",
        "customer": {
            "company_name": "杭州明远精密机械有限公司", "credit_code": "91330100MA2XXXXXXA", "phone": "+8657188880000",
            "province": "浙江省", "city": "杭州市", "district": "", "industry": "机电设备", "contact_name": "钱经理",
            "contact_phone": "", "product_line": "数控机床", "models": ["XK-200", "XK-300"], "quantity": 3,
            "expected_amount": {"amount_minor": 123456, "currency": "CNY"}, "expected_close_date": "2027-03-01",
        },
        "status": "pending", "outcome": "no_conflict", "conflicts": [], "approval_id": "", "decision": "",
        "decision_comment": "", "lead_id": "", "protected_from": None, "protected_until": None, "extensions": 0,
        "created_at": "2026-12-03T05:30:00Z", "updated_at": "2026-12-03T05:30:00Z", "version": 1,
    }
    reg.update(over)  # type: ignore[arg-type]
    return reg


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


@pytest.fixture
def portal(fake_gateway: FakeGateway) -> FakeGateway:
    fake_gateway.on("GET", "/v1/partner/organisation", ORG)
    fake_gateway.on("GET", "/v1/partner/registrations", {"registrations": [], "next_page_token": ""})
    return fake_gateway


# --- formats -------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "fen"), [
    ("1234.56", 123456), ("1234.5", 123450), ("1234", 123400), ("0.01", 1), ("1,234,567.89", 123456789),
    ("¥88", 8800), (" 12.30 ", 1230), ("9999999999999.99", 999999999999999),
])
def test_yuan_typed_becomes_exact_fen(typed: str, fen: int) -> None:
    assert fen_from_yuan(typed) == fen


@pytest.mark.parametrize("typed", ["1e3", "12.345", "-5", "1.", ".5", "12,34", "1 000", "abc", "NaN", "0x10",
                                   "10000000000000"])
def test_anything_but_a_plain_amount_in_yuan_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        fen_from_yuan(typed)


def test_days_left_counts_shanghai_calendar_days() -> None:
    from datetime import date
    # 2026-12-10 16:30 UTC is 2026-12-11 00:30 in Shanghai: the last day is the 11th.
    assert days_left("2026-12-10T16:30:00Z", date(2026, 12, 3)) == 8
    assert days_left("2026-12-03T15:00:00Z", date(2026, 12, 3)) == 0
    assert days_left("2026-12-01T00:00:00Z", date(2026, 12, 3)) == -2
    assert days_left(None) is None


def test_rates_and_progress_bar_numbers() -> None:
    assert rate_text(200) == "2%" and rate_text(250) == "2.5%" and rate_text(5) == "0.05%"
    assert progress_of({"collected_minor": 75_000_000, "next_threshold_minor": 100_000_000}) == {
        "value": 75_000_000, "max": 100_000_000, "percent": 75, "top": False}
    assert progress_of({"collected_minor": 400_000_000, "next_threshold_minor": 0})["top"] is True


# --- registrations -------------------------------------------------------------


async def test_the_list_shows_states_protection_end_in_shanghai_dates_and_days_left(console, portal) -> None:
    # Protection ends at 17:00 UTC ten days on: already the next calendar day in Shanghai.
    now = datetime.now(UTC)
    until = (now + timedelta(days=10)).replace(hour=17, minute=0, second=0, microsecond=0)
    shanghai_end = (until + timedelta(hours=8)).date()
    expected_days = (shanghai_end - (now + timedelta(hours=8)).date()).days
    portal.on("GET", "/v1/partner/registrations", {"registrations": [
        registration(registration_id="reg-2", status="approved", protected_from=iso(now - timedelta(days=80)),
                     protected_until=iso(until)),
        registration(registration_id="reg-3", status="clash", outcome="under_review",
                     customer=dict(registration()["customer"], company_name="宁波某厂")),
        registration(registration_id="reg-4", status="refused", outcome="refused"),
    ], "next_page_token": "tok-2"})
    page = await console("zhaolei").get("/partner/registrations")
    assert page.status_code == 200
    assert "杭州恒通机电设备有限公司" in page.text and "金牌" in page.text
    assert 'href="/partner/registrations/reg-2"' in page.text
    assert "已批准，保护中" in page.text and "审核中" in page.text and "已拒绝" in page.text
    assert shanghai_end.isoformat() in page.text
    assert f"剩余 {expected_days} 天" in page.text
    assert "¥1,234.56" in page.text
    assert "page_token=tok-2" in page.text
    listed = portal.called("GET", "/v1/partner/registrations")[0]
    assert listed.kwargs["params"]["page_size"] == 20
    assert listed.token == "token-of-zhaolei"


async def test_the_registration_form_posts_the_amount_in_exact_fen(console, portal) -> None:
    portal.on("POST", "/v1/partner/registrations", {"registration": registration(registration_id="reg-9")})
    answer = await console("zhaolei").post("/partner/registrations", data={
        "company_name": "杭州明远精密机械有限公司", "credit_code": "91330100MA2XXXXXXA", "city": "杭州市",
        "province": "浙江省", "industry": "机电设备", "contact_phone": "13800000000", "product_line": "数控机床",
        "models": "XK-200， XK-300,XK-200", "quantity": "3", "expected_amount": "1234.56",
        "expected_close_date": "2027-03-01",
    })
    assert answer.status_code == 303
    assert answer.headers["location"] == "/partner/registrations/reg-9?submitted=1"
    sent = portal.called("POST", "/v1/partner/registrations")[0].kwargs["json"]
    assert sent["expected_amount"] == {"amount_minor": 123456, "currency": "CNY"}
    assert sent["quantity"] == 3
    assert sent["models"] == ["XK-200", "XK-300", "XK-200"]  # the service removes repeats, as it names them
    assert sent["company_name"] == "杭州明远精密机械有限公司" and sent["city"] == "杭州市"
    assert sent["expected_close_date"] == "2027-03-01"


@pytest.mark.parametrize("typed", ["1e3", "12.345"])
async def test_an_amount_not_in_yuan_with_two_decimals_is_refused_at_the_field_and_nothing_is_sent(
    console, portal, typed: str
) -> None:
    page = await console("zhaolei").post("/partner/registrations", data={
        "company_name": "杭州明远精密机械有限公司", "phone": "057188880000", "expected_amount": typed,
    })
    assert page.status_code == 422
    assert not portal.called("POST", "/v1/partner/registrations")
    amount_input = page.text.split('id="f-expected_amount"')[1].split(">")[0]
    assert 'aria-invalid="true"' in amount_input and "err-expected_amount-1" in amount_input
    assert 'id="err-expected_amount-1"' in page.text and "最多两位小数" in page.text
    assert f'value="{typed}"' in page.text  # what was typed stays for correction
    assert 'value="杭州明远精密机械有限公司"' in page.text


async def test_the_gateways_field_errors_are_shown_next_to_their_fields(console, portal) -> None:
    portal.on("POST", "/v1/partner/registrations", problem(400, "credit_code: is not a valid 统一社会信用代码", errors=[
        {"field": "credit_code", "description": "is not a valid 统一社会信用代码"},
        {"field": "expected_amount.amount_minor", "description": "must be positive"},
        {"field": "contact_phone", "description": "is not a phone number"},
    ]))
    page = await console("zhaolei").post("/partner/registrations", data={
        "company_name": "某公司", "credit_code": "123", "contact_phone": "abc", "expected_amount": "0",
    })
    assert page.status_code == 400
    html = page.text

    def after(field: str) -> str:  # the markup from the field's input to the next field
        return html.split(f'id="f-{field}"')[1].split('class="field"')[0]

    assert "is not a valid 统一社会信用代码" in after("credit_code")
    assert "must be positive" in after("expected_amount")
    assert "is not a phone number" in after("contact_phone")
    assert "is not a phone number" not in after("credit_code")
    assert "请更正下面标出的字段" in html


async def test_a_refused_registration_says_already_registered_and_nothing_of_the_other_distributor(
    console, portal
) -> None:
    # Even if an answer carried the manufacturer's conflict details, the partner's page never shows them.
    refused = registration(registration_id="reg-5", status="refused", outcome="refused", decision="refused",
                           conflicts=[{"kind": "registration", "matched_by": "credit_code", "object_id": "reg-nb-1",
                                       "detail": "dist-nb: 宁波甬联工业设备有限公司"}])
    portal.on("GET", "/v1/partner/registrations/reg-5", {"registration": refused})
    portal.on("GET", "/v1/partner/registrations/reg-5/extensions", {"extensions": []})
    page = await console("zhaolei").get("/partner/registrations/reg-5?submitted=1")
    assert page.status_code == 200
    assert "已拒绝：该客户已被报备" in page.text
    for leaked in ("dist-nb", "宁波甬联", "reg-nb-1", "credit_code"):
        assert leaked not in page.text
    assert '/extension"' not in page.text  # no extension form: nothing is protected


async def test_a_clean_registration_says_no_conflict(console, portal) -> None:
    portal.on("GET", "/v1/partner/registrations/reg-1", {"registration": registration()})
    portal.on("GET", "/v1/partner/registrations/reg-1/extensions", {"extensions": []})
    page = await console("zhaolei").get("/partner/registrations/reg-1?submitted=1")
    assert "无冲突" in page.text and "等待审批" in page.text
    assert "审批通过后开始" in page.text  # protection starts on approval
    assert "XK-200, XK-300" in page.text and "¥1,234.56" in page.text


async def test_an_approved_registration_shows_its_protection_and_takes_an_extension(console, portal) -> None:
    now = datetime.now(UTC)
    until = now + timedelta(days=30)
    shanghai_end = (until + timedelta(hours=8)).date()
    expected_days = (shanghai_end - (now + timedelta(hours=8)).date()).days
    approved = registration(registration_id="reg-6", status="approved", decision="approved",
                            decision_comment="同意报备", protected_from=iso(now - timedelta(days=60)),
                            protected_until=iso(until))
    portal.on("GET", "/v1/partner/registrations/reg-6", {"registration": approved})
    portal.on("GET", "/v1/partner/registrations/reg-6/extensions", {"extensions": [
        {"extension_id": "ext-1", "registration_id": "reg-6", "days": 15, "reason": "客户预算审批中",
         "requested_by": "zhaolei", "requested_at": "2026-11-01T02:00:00Z", "status": "rejected",
         "approval_id": "", "decision_comment": "理由不足", "decided_at": "2026-11-02T02:00:00Z"}]})
    portal.on("GET", "/v1/protection-terms", {"terms": {"protection_days": 90, "max_extension_days": 30}})
    page = await console("zhaolei").get("/partner/registrations/reg-6")
    assert f"剩余 {expected_days} 天" in page.text
    assert shanghai_end.isoformat() in page.text
    assert "同意报备" in page.text and "理由不足" in page.text and "2026-11-01 10:00" in page.text
    assert "最多 30 天" in page.text

    portal.on("POST", "/v1/partner/registrations/reg-6/extension", {"extension": {"extension_id": "ext-2"}})
    asked = await console("zhaolei").post("/partner/registrations/reg-6/extension",
                                          data={"days": "20", "reason": "客户招标延期"})
    assert asked.status_code == 303 and asked.headers["location"] == "/partner/registrations/reg-6?extended=1"
    assert portal.called("POST", "/v1/partner/registrations/reg-6/extension")[0].kwargs["json"] == {
        "days": 20, "reason": "客户招标延期"}

    portal.on("POST", "/v1/partner/registrations/reg-6/extension", problem(
        400, "days: at most 30", errors=[{"field": "days", "description": "must be at most 30 days"}]))
    refused = await console("zhaolei").post("/partner/registrations/reg-6/extension",
                                            data={"days": "45", "reason": "x"})
    assert refused.status_code == 400
    assert "must be at most 30 days" in refused.text.split('id="f-days"')[1].split('class="field"')[0]


async def test_another_distributors_registration_is_the_gateways_not_found(console, portal) -> None:
    portal.on("GET", "/v1/partner/registrations/reg-nb", problem(404, "registration reg-nb not found",
                                                                 title="Not found"))
    page = await console("zhaolei").get("/partner/registrations/reg-nb")
    assert page.status_code == 404


async def test_partner_home_leads_to_the_registrations(console) -> None:
    answer = await console("zhaolei").get("/partner")
    assert answer.status_code == 303 and answer.headers["location"] == "/partner/registrations"
    home = await console("zhaolei").get("/")
    for path in ("/partner/registrations", "/partner/promotions", "/partner/rebates"):
        assert f'href="{path}"' in home.text


# --- promotions ----------------------------------------------------------------

PROGRAMME = {"programme_id": "prog-1", "status": "published", "terms": {
    "name": "春季数控机床推广", "conditions": "报备已批准的客户", "starts_on": "2026-11-01", "ends_on": "2027-03-31",
    "product_lines": ["数控机床"], "benefit": "support", "discount_percent": 0,
    "support_amount": {"amount_minor": 5_000_000, "currency": "CNY"}}}
APPLICATION = {
    "application_id": "app-1", "programme_id": "prog-1", "programme_name": "春季数控机床推广",
    "distributor_id": "dist-hz", "applicant_id": "zhaolei", "registration_id": "reg-6", "period_starts_on": "",
    "period_ends_on": "", "amount_asked": {"amount_minor": 2_000_000, "currency": "CNY"}, "note": "展会",
    "status": "rejected", "approval_id": "", "decision": "rejected", "decision_comment": "材料不全",
    "decided_at": "2026-12-02T08:00:00Z", "created_at": "2026-12-01T01:00:00Z", "updated_at": "2026-12-02T08:00:00Z",
}


async def test_promotions_list_programmes_and_my_applications(console, portal) -> None:
    portal.on("GET", "/v1/partner/promotions", {"programmes": [PROGRAMME], "next_page_token": ""})
    portal.on("GET", "/v1/partner/promotion-applications", {"applications": [APPLICATION], "next_page_token": ""})
    page = await console("zhaolei").get("/partner/promotions")
    assert page.status_code == 200
    assert "春季数控机床推广" in page.text and "¥50,000.00" in page.text
    assert 'href="/partner/promotions/prog-1/apply"' in page.text
    assert 'href="/partner/promotions/applications/app-1"' in page.text and "已驳回" in page.text


async def test_applying_sends_the_amount_in_fen_and_files_the_material(console, portal) -> None:
    portal.on("GET", "/v1/partner/promotions/prog-1", {"programme": PROGRAMME})
    portal.on("GET", "/v1/partner/registrations", lambda params: {"registrations": [
        registration(registration_id="reg-6", status="approved")] if params["status"] == "approved" else [],
        "next_page_token": ""})
    form = await console("zhaolei").get("/partner/promotions/prog-1/apply")
    assert form.status_code == 200 and 'value="reg-6"' in form.text and 'enctype="multipart/form-data"' in form.text

    portal.on("POST", "/v1/partner/promotions/prog-1/applications", {"application": APPLICATION})
    portal.on("POST", "/v1/partner/promotion-applications/app-1/documents", {"version": {"version_id": "v1"}})
    answer = await console("zhaolei").post(
        "/partner/promotions/prog-1/apply",
        data={"registration_id": "reg-6", "amount_asked": "20000", "note": "展会", "title": "展会方案"},
        files={"file": ("方案.pdf", b"%PDF-1.4 plan", "application/pdf")},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/partner/promotions/applications/app-1?submitted=1"
    sent = portal.called("POST", "/v1/partner/promotions/prog-1/applications")[0].kwargs["json"]
    assert sent["amount_asked"] == {"amount_minor": 2_000_000, "currency": "CNY"}
    assert sent["registration_id"] == "reg-6" and sent["period_starts_on"] == ""
    doc = portal.called("POST", "/v1/partner/promotion-applications/app-1/documents")[0].kwargs["json"]
    assert base64.b64decode(doc["content_base64"]) == b"%PDF-1.4 plan"
    assert doc["filename"] == "方案.pdf" and doc["title"] == "展会方案" and doc["content_type"] == "application/pdf"


async def test_a_refused_application_shows_the_gateways_reason_and_keeps_the_form(console, portal) -> None:
    portal.on("GET", "/v1/partner/promotions/prog-1", {"programme": PROGRAMME})
    portal.on("POST", "/v1/partner/promotions/prog-1/applications", problem(
        400, "amount_asked: exceeds the programme's support amount",
        errors=[{"field": "amount_asked", "description": "exceeds the programme's support amount"}]))
    page = await console("zhaolei").post("/partner/promotions/prog-1/apply",
                                         data={"amount_asked": "60000", "registration_id": ""})
    assert page.status_code == 400
    assert "exceeds the programme&#39;s support amount" in page.text.split('id="f-amount_asked"')[1]
    assert 'value="60000"' in page.text
    bad = await console("zhaolei").post("/partner/promotions/prog-1/apply", data={"amount_asked": "1e3"})
    assert bad.status_code == 422
    assert len(portal.called("POST", "/v1/partner/promotions/prog-1/applications")) == 1


async def test_the_application_page_shows_state_decision_and_public_comment(console, portal) -> None:
    portal.on("GET", "/v1/partner/promotion-applications/app-1", {"application": APPLICATION})
    portal.on("GET", "/v1/partner/promotion-applications/app-1/documents", {"documents": [
        {"document_id": "doc-1", "doc_type": "促销申报材料", "title": "展会方案", "latest_version_number": 2,
         "latest_version_id": "v2", "created_at": "2026-12-01T01:05:00Z"}], "next_page_token": ""})
    page = await console("zhaolei").get("/partner/promotions/applications/app-1")
    assert page.status_code == 200
    assert "已驳回" in page.text and "材料不全" in page.text and "2026-12-02 16:00" in page.text
    assert "¥20,000.00" in page.text and "展会方案" in page.text and "第 2 版" in page.text
    assert 'href="/partner/promotions/applications/app-1/material/v2"' in page.text


async def test_material_sent_as_a_plain_form_with_its_csrf_field(web_app, console, portal) -> None:
    import httpx

    from tests.unit.web.conftest import CSRF
    portal.on("POST", "/v1/partner/promotion-applications/app-1/documents", {"version": {"version_id": "v3"}})
    signed_in = console("zhaolei")
    browser = httpx.AsyncClient(transport=httpx.ASGITransport(app=web_app), base_url="http://console.test",
                                cookies=dict(signed_in.cookies))
    answer = await browser.post("/partner/promotions/applications/app-1/documents",
                                data={"csrf_token": CSRF, "title": "补充材料"},
                                files={"file": ("a.txt", b"hello", "text/plain")})
    await browser.aclose()
    assert answer.status_code == 303
    assert answer.headers["location"] == "/partner/promotions/applications/app-1?filed=1"
    doc = portal.called("POST", "/v1/partner/promotion-applications/app-1/documents")[0].kwargs["json"]
    assert base64.b64decode(doc["content_base64"]) == b"hello" and doc["title"] == "补充材料"


async def test_refused_material_is_shown_at_the_file_field_and_the_application_stands(console, portal) -> None:
    portal.on("GET", "/v1/partner/promotions/prog-1", {"programme": PROGRAMME})
    portal.on("POST", "/v1/partner/promotions/prog-1/applications", {"application": APPLICATION})
    portal.on("GET", "/v1/partner/promotion-applications/app-1", {"application": APPLICATION})
    portal.on("GET", "/v1/partner/promotion-applications/app-1/documents", {"documents": [], "next_page_token": ""})
    portal.on("POST", "/v1/partner/promotion-applications/app-1/documents", problem(
        400, "content_base64: the file type is not accepted",
        errors=[{"field": "content_base64", "description": "the file type is not accepted"}]))
    page = await console("zhaolei").post(
        "/partner/promotions/prog-1/apply", data={"amount_asked": "100", "registration_id": "reg-6"},
        files={"file": ("x.exe", b"MZ", "application/octet-stream")})
    assert page.status_code == 200  # the application was made; only its material is missing
    assert "材料未能上传" in page.text
    assert "the file type is not accepted" in page.text.split('id="f-file"')[1].split("</form>")[0]


async def test_the_registrations_list_filters_by_status(console, portal) -> None:
    page = await console("zhaolei").get("/partner/registrations?status=approved")
    assert portal.called("GET", "/v1/partner/registrations")[0].kwargs["params"]["status"] == "approved"
    assert '<option value="approved" selected>' in page.text
    assert 'value="clash"' not in page.text
    assert "没有该状态的报备" in page.text


async def test_filed_material_downloads_as_an_attachment(console, portal) -> None:
    portal.on("GET", "/v1/document-versions/v2", {"version": {
        "version_id": "v2", "subject_type": "promotion_application", "subject_id": "app-1",
        "filename": "展会方案.html", "content_type": "text/html"},
        "content_base64": base64.b64encode(b"<script>alert(1)</script>").decode()})
    got = await console("zhaolei").get("/partner/promotions/applications/app-1/material/v2")
    assert got.status_code == 200 and got.content == b"<script>alert(1)</script>"
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"].startswith("attachment; filename*=UTF-8''%E5%B1%95")
    assert portal.called("GET", "/v1/document-versions/v2")[0].kwargs["params"] == {"include_content": "true"}
    # A version of another application is not found through this one.
    elsewhere = await console("zhaolei").get("/partner/promotions/applications/app-9/material/v2")
    assert elsewhere.status_code == 404


# --- rebates -------------------------------------------------------------------


async def test_rebates_show_progress_toward_the_next_tier(console, portal) -> None:
    portal.on("GET", "/v1/partner/rebates", {"rebates": [{
        "programme": {"programme_id": "rb-1", "name": "2026年度返利", "period_kind": "year", "basis": "whole",
                      "currency": "CNY", "tiers": [{"threshold_minor": 100_000_000, "rate_bp": 200},
                                                   {"threshold_minor": 300_000_000, "rate_bp": 300}]},
        "progress": {"distributor_id": "dist-hz", "period": "2026", "period_starts_on": "2026-01-01",
                     "period_ends_on": "2026-12-31", "collected_minor": 150_000_000, "receipt_count": 4, "tier": 1,
                     "rate_bp": 200, "next_threshold_minor": 300_000_000, "next_rate_bp": 300,
                     "needed_minor": 150_000_000, "accrued_minor": 3_000_000, "currency": "CNY",
                     "settlement_id": "", "settled_minor": 0},
    }]})
    page = await console("zhaolei").get("/partner/rebates")
    assert page.status_code == 200
    html = page.text
    assert '<progress value="150000000" max="300000000"' in html
    assert "¥1,500,000.00" in html and "¥3,000,000.00" in html and "¥30,000.00" in html
    assert "50%" in html and "第 2 档" in html and "3%" in html and "2%" in html
    assert portal.called("GET", "/v1/partner/rebates")[0].token == "token-of-zhaolei"


async def test_rebates_without_a_programme_say_so(console, portal) -> None:
    portal.on("GET", "/v1/partner/rebates", {"rebates": []})
    page = await console("zhaolei", lang="en").get("/partner/rebates")
    assert "No rebate programme applies" in page.text


def test_the_partner_pages_chinese_is_not_overridden_by_another_areas_catalogue() -> None:
    # Every area's .po merges into one catalogue, later files winning: partner.po's wording must come out as written.
    from babel.messages.pofile import read_po
    from web.i18n import LOCALE_DIR, gettext

    with (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "partner.po").open("rb") as f:
        catalogue = read_po(f, locale="zh_CN")
    clashes = {m.id: (m.string, gettext("zh_CN", m.id)) for m in catalogue
               if m.id and gettext("zh_CN", m.id) != m.string}
    assert clashes == {}


# --- the channel manager's clashes ------------------------------------------------


def clash(**over: object) -> dict:
    first = registration(registration_id="reg-hz", status="pending")
    second = registration(registration_id="reg-nb", distributor_id="dist-nb", distributor_name="宁波甬联工业设备有限公司",
                          registered_by="sunli", status="clash", outcome="under_review",
                          customer=dict(registration()["customer"], expected_amount={"amount_minor": 5_000_000,
                                                                                     "currency": "CNY"}))
    c = {"clash_id": "clash-1", "first": first, "second": second, "matched_by": "credit_code", "status": "open",
         "winner_registration_id": "", "decided_by": "", "decided_at": None, "comment": "",
         "created_at": "2026-12-03T06:00:00Z", "version": 1}
    c.update(over)  # type: ignore[arg-type]
    return c


async def test_the_channel_manager_sees_both_registrations_and_decides(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/registrations/clashes", {"clashes": [clash()]})
    page = await console("wangqiang").get("/partner/clashes")
    assert page.status_code == 200
    assert "杭州恒通机电设备有限公司" in page.text and "宁波甬联工业设备有限公司" in page.text
    assert "统一社会信用代码相同" in page.text and "¥1,234.56" in page.text and "¥50,000.00" in page.text
    assert fake_gateway.called("GET", "/v1/registrations/clashes")[0].kwargs["params"]["status"] == "open"

    fake_gateway.on("POST", "/v1/registrations/clashes/clash-1/decide", {"clash": clash(status="decided")})
    decided = await console("wangqiang").post("/partner/clashes/clash-1/decide",
                                              data={"winner_registration_id": "reg-hz", "comment": "先报备者优先"})
    assert decided.status_code == 303 and decided.headers["location"] == "/partner/clashes?decided=clash-1"
    assert fake_gateway.called("POST", "/v1/registrations/clashes/clash-1/decide")[0].kwargs["json"] == {
        "winner_registration_id": "reg-hz", "comment": "先报备者优先"}

    fake_gateway.on("POST", "/v1/registrations/clashes/clash-1/decide", problem(
        409, "the second registration was approved meanwhile", title="Conflict"))
    refused = await console("wangqiang").post("/partner/clashes/clash-1/decide",
                                              data={"winner_registration_id": "reg-hz", "comment": "x"})
    assert refused.status_code == 409
    form = refused.text.split('action="/partner/clashes/clash-1/decide"')[1]
    assert "the second registration was approved meanwhile" in form
    assert 'value="reg-hz" required checked' in form


async def test_a_partner_asking_for_clashes_gets_the_gateways_refusal(console, fake_gateway: FakeGateway) -> None:
    fake_gateway.on("GET", "/v1/registrations/clashes", problem(403, "not allowed", title="Forbidden"))
    page = await console("zhaolei").get("/partner/clashes")
    assert page.status_code == 403
    assert "宁波" not in page.text
