"""The customer pages with a fake gateway: each section shows what the gateway
answered, the diff marks insertions and deletions, a broken hash chain says
where, private notes a role may not read are a sentence, another tenant's id is
the not-found page."""

from __future__ import annotations

import re

from tests.unit.web.fakes import FakeGateway, problem

CID = "c-0001"
CUSTOMER = {
    "customer_id": CID, "tenant_id": "demo", "name": "绍兴柯桥恒盛纺织有限公司", "credit_code": "91330621MA2BXXXX1A",
    "phone": "13805751234", "location": {"province": "浙江省", "city": "绍兴市", "district": "柯桥区", "address": "齐贤街道"},
    "industry": "纺织", "size_tier": "中型", "cooperation_stage": "合作中", "value_tier": "重点", "tags": ["老客户"],
    "owner_id": "zhangwei", "last_interaction_at": "2026-12-02T02:30:00Z",
    "purchase_total": {"amount_minor": 123_456_789, "currency": "CNY"}, "service_request_count": 2,
    "next_follow_up_at": "2026-12-05T01:00:00Z", "follow_up_moves": 4, "follow_up_flagged": True,
    "created_at": "2026-01-10T00:00:00Z", "updated_at": "2026-12-02T02:30:00Z",
}
OPPORTUNITY = {
    "opportunity_id": "o-1", "customer_id": CID, "name": "恒盛纺织 新厂房织机改造", "stage": "方案",
    "amount": {"amount_minor": 120_000_000, "currency": "CNY"},
    "approvals": [{"approval_id": "ap-9", "decision": "approved", "decided_by": "wangqiang",
                   "decided_at": "2026-12-01T06:00:00Z", "kind": "quote"}],
}
HTMX = {"hx-request": "true"}


def _customer(fake: FakeGateway) -> None:
    fake.on("GET", f"/v1/customers/{CID}", {"customer": CUSTOMER})
    fake.on("GET", "/v1/opportunities", {"opportunities": [
        OPPORTUNITY,
        {"opportunity_id": "o-other", "customer_id": "c-else", "name": "别家的商机", "approvals": []},
    ], "next_page_token": ""})
    fake.on("GET", "/v1/contracts", lambda params: {"contracts": [
        {"contract_id": "ct-1", "opportunity_id": "o-1", "title": "织机采购合同", "contract_number": "HT2026-018"},
    ]} if params["opportunity_id"] == "o-1" else {"contracts": []})


async def test_the_list_shows_the_customers_the_gateway_answered_with_their_tier(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/customers", {"customers": [CUSTOMER], "next_page_token": "p2"})
    response = await console("wangqiang").get("/customers?value_tier=重点&owner_id=zhangwei")
    assert response.status_code == 200
    assert f'href="/customers/{CID}"' in response.text and "绍兴柯桥恒盛纺织有限公司" in response.text
    assert "重点" in response.text and "绍兴市" in response.text
    # The next page, as the gateway pages, keeps the filters.
    assert "/customers?value_tier=%E9%87%8D%E7%82%B9&amp;owner_id=zhangwei&amp;page_token=p2" in response.text
    call = fake_gateway.called("GET", "/v1/customers")[0]
    assert call.kwargs["params"] == {"value_tier": "重点", "owner_id": "zhangwei", "page_size": 20, "page_token": ""}
    assert call.token == "token-of-wangqiang"


async def test_the_customer_page_shows_master_data_and_tier_and_loads_sections_only_when_opened(
    console, fake_gateway
) -> None:
    _customer(fake_gateway)
    response = await console("zhangwei").get(f"/customers/{CID}")
    assert response.status_code == 200
    text = response.text
    assert "<h1>绍兴柯桥恒盛纺织有限公司" in text and "91330621MA2BXXXX1A" in text
    assert "客户等级: 重点" in text
    assert "¥1,234,567.89" in text  # purchases to date from 分
    assert "2026-12-02 10:30" in text  # last interaction in Shanghai time
    for section in ("contacts", "notes", "activities", "documents", "approvals", "payments"):
        assert f'hx-get="/customers/{CID}/{section}"' in text
    # Only the customer itself was asked for: the sections come when opened.
    assert [c.path for c in fake_gateway.calls] == [f"/v1/customers/{CID}"]


async def test_another_tenants_customer_is_the_not_found_page(console, fake_gateway) -> None:
    fake_gateway.on("GET", f"/v1/customers/{CID}", problem(404, "customer not found", title="Not found"))
    response = await console("other-rep").get(f"/customers/{CID}")
    assert response.status_code == 404
    assert "<h1>未找到</h1>" in response.text
    assert "恒盛" not in response.text


async def test_the_decision_chain_shows_each_contact_with_its_history(console, fake_gateway) -> None:
    fake_gateway.on("GET", f"/v1/customers/{CID}/contacts", {"contacts": [{
        "contact_id": "k1", "customer_id": CID, "name": "陈总", "title": "总经理", "phone": "13900000001",
        "email": "", "purchase_role": "决策人", "influence": 5, "personality": "重视交期", "version": 2,
        "history": [
            {"version": 1, "name": "陈总", "title": "副总经理", "phone": "", "email": "", "purchase_role": "影响者",
             "influence": 3, "personality": "", "changed_by": "zhangwei", "changed_at": "2026-03-01T00:00:00Z"},
            {"version": 2, "name": "陈总", "title": "总经理", "phone": "13900000001", "email": "", "purchase_role": "决策人",
             "influence": 5, "personality": "重视交期", "changed_by": "lina", "changed_at": "2026-11-01T08:00:00Z"},
        ],
    }]})
    response = await console("zhangwei").get(f"/customers/{CID}/contacts", headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text  # a fragment for htmx
    assert "陈总" in response.text and "决策人" in response.text and "副总经理" in response.text
    assert "影响者" in response.text and "2026-11-01 16:00" in response.text


async def test_notes_are_shown_with_their_earlier_texts_and_a_new_one_is_sent(console, fake_gateway) -> None:
    notes = {"notes": [{"note_id": "n1", "customer_id": CID, "author_id": "zhangwei", "text": "老板喜欢喝龙井",
                        "version": 2, "created_at": "2026-11-01T00:00:00Z", "updated_at": "2026-11-02T00:00:00Z",
                        "history": [{"version": 1, "text": "老板喜欢喝茶", "edited_by": "zhangwei",
                                     "edited_at": "2026-11-01T00:00:00Z"},
                                    {"version": 2, "text": "老板喜欢喝龙井", "edited_by": "zhangwei",
                                     "edited_at": "2026-11-02T00:00:00Z"}]}]}
    fake_gateway.on("GET", f"/v1/customers/{CID}/notes", notes)
    fake_gateway.on("POST", f"/v1/customers/{CID}/notes", {"note": {}})
    client = console("zhangwei")
    shown = await client.get(f"/customers/{CID}/notes", headers=HTMX)
    assert "老板喜欢喝龙井" in shown.text and "老板喜欢喝茶" in shown.text
    sent = await client.post(f"/customers/{CID}/notes", data={"text": "下周带样品"}, headers=HTMX)
    assert sent.status_code == 200
    assert fake_gateway.called("POST", f"/v1/customers/{CID}/notes")[0].kwargs["json"] == {"text": "下周带样品"}


async def test_a_refused_note_shows_the_gateways_reason_next_to_the_text(console, fake_gateway) -> None:
    fake_gateway.on("GET", f"/v1/customers/{CID}/notes", {"notes": []})
    fake_gateway.on("POST", f"/v1/customers/{CID}/notes", problem(
        422, "text: must not be empty", errors=[{"field": "body.text", "description": "must not be empty"}]))
    response = await console("zhangwei").post(f"/customers/{CID}/notes", data={"text": ""}, headers=HTMX)
    assert response.status_code == 422
    assert 'class="field-error"' in response.text and "must not be empty" in response.text
    assert 'aria-invalid="true"' in response.text


async def test_notes_a_role_may_not_read_are_a_plain_sentence_not_an_error(console, fake_gateway) -> None:
    fake_gateway.on("GET", f"/v1/customers/{CID}/notes", problem(403, "notes are the owner's", title="Forbidden"))
    response = await console("chenjing").get(f"/customers/{CID}/notes", headers=HTMX)
    assert response.status_code == 200
    assert "私人笔记" in response.text and "您的角色看不到" in response.text
    assert "<textarea" not in response.text and "hx-retarget" not in response.headers


async def test_the_activity_log_with_a_verified_chain(console, fake_gateway) -> None:
    fake_gateway.on("GET", f"/v1/customers/{CID}/activities", {"activities": [
        {"activity_id": "a1", "seq": 1, "kind": "visit", "actor_id": "zhangwei", "occurred_at": "2026-12-01T01:00:00Z",
         "state": "complete", "summary": "上门拜访，看了新厂房", "hash": "ab12cd34ef56", "violations": []},
        {"activity_id": "a2", "seq": 2, "kind": "visit", "actor_id": "zhangwei", "occurred_at": "2026-12-02T01:00:00Z",
         "state": "draft", "summary": "补拍照片", "hash": "99887766", "violations": [
             {"check": "photo", "description": "缺少现场照片"}]},
    ]})
    fake_gateway.on("GET", f"/v1/customers/{CID}/activity-chain",
                    {"intact": True, "entries": 2, "first_broken_activity_id": "", "first_broken_seq": 0, "reason": ""})
    response = await console("zhangwei").get(f"/customers/{CID}/activities", headers=HTMX)
    assert "哈希链已验证" in response.text and "2 条" in response.text
    assert "上门拜访，看了新厂房" in response.text and "2026-12-01 09:00" in response.text
    assert "待补全" in response.text and "缺少现场照片" in response.text
    assert "chain-broken" not in response.text


async def test_a_broken_hash_chain_is_shown_broken_with_where(console, fake_gateway) -> None:
    fake_gateway.on("GET", f"/v1/customers/{CID}/activities", {"activities": [
        {"activity_id": "a1", "seq": 1, "kind": "call", "actor_id": "zhangwei", "state": "complete",
         "summary": "电话", "hash": "aaaa"},
        {"activity_id": "a2", "seq": 2, "kind": "visit", "actor_id": "zhangwei", "state": "complete",
         "summary": "被改过的拜访", "hash": "bbbb"},
    ]})
    fake_gateway.on("GET", f"/v1/customers/{CID}/activity-chain", {
        "intact": False, "entries": 2, "first_broken_activity_id": "a2", "first_broken_seq": 2,
        "reason": "hash does not match the entry's content"})
    response = await console("wangqiang").get(f"/customers/{CID}/activities", headers=HTMX)
    assert "哈希链已断" in response.text
    assert "第 2 条" in response.text and "a2" in response.text and "hash does not match" in response.text
    rows = re.findall(r"<tr[^>]*>.*?</tr>", response.text, flags=re.DOTALL)
    broken = next(r for r in rows if "被改过的拜访" in r)
    assert 'class="overdue broken"' in broken and "链在此处断开" in broken
    assert "broken" not in next(r for r in rows if "电话" in r)


async def test_a_long_activity_log_shows_its_latest_entries_and_offers_the_rest(console, fake_gateway) -> None:
    log = [{"activity_id": f"a{n}", "seq": n, "kind": "call", "actor_id": "zhangwei", "state": "submitted",
            "summary": f"第{n}次电话", "hash": f"h{n}"} for n in range(1, 121)]
    fake_gateway.on("GET", f"/v1/customers/{CID}/activities", {"activities": log})
    fake_gateway.on("GET", f"/v1/customers/{CID}/activity-chain",
                    {"intact": True, "entries": 120, "first_broken_activity_id": "", "first_broken_seq": 0, "reason": ""})
    client = console("zhangwei")
    latest = await client.get(f"/customers/{CID}/activities", headers=HTMX)
    assert "第120次电话" in latest.text and "第71次电话" in latest.text and "第70次电话" not in latest.text
    assert "共 120 条" in latest.text and f'hx-get="/customers/{CID}/activities?all=1"' in latest.text
    everything = await client.get(f"/customers/{CID}/activities?all=1", headers=HTMX)
    assert "第1次电话" in everything.text and "activities?all=1" not in everything.text


async def test_documents_of_the_customer_and_its_opportunities_with_versions(console, fake_gateway) -> None:
    _customer(fake_gateway)

    def documents(params: dict) -> dict:
        if params.get("subject_type") == "customer":
            return {"documents": [{"document_id": "d-cust", "title": "客户需求分析", "doc_type": "客户需求分析文档",
                                   "latest_version_number": 1, "created_by": "zhangwei",
                                   "created_at": "2026-11-01T00:00:00Z"}]}
        if params.get("subject_type") == "contract":  # a contract's document is filed on the contract
            assert params["subject_id"] == "ct-1"
            return {"documents": [{"document_id": "d-ct", "title": "织机采购合同", "doc_type": "合同",
                                   "latest_version_number": 3, "created_by": "zhangwei",
                                   "created_at": "2026-11-28T00:00:00Z"}]}
        assert params["opportunity_id"] == "o-1"  # the other customer's opportunity is not asked about
        return {"documents": [{"document_id": "d-1", "title": "织机改造技术方案", "doc_type": "技术方案",
                               "latest_version_number": 2, "created_by": "zhangwei",
                               "created_at": "2026-11-20T00:00:00Z"}]}

    fake_gateway.on("GET", "/v1/documents", lambda params: documents(params))
    fake_gateway.on("GET", "/v1/documents/d-1/versions", {"versions": [
        {"version_id": "v1", "version_number": 1, "filename": "proposal-v1.txt", "size_bytes": 30,
         "created_by": "zhangwei", "created_at": "2026-11-20T00:00:00Z", "change_summary": ""},
        {"version_id": "v2", "version_number": 2, "filename": "proposal-v2.txt", "size_bytes": 34,
         "created_by": "zhangwei", "created_at": "2026-11-25T00:00:00Z", "change_summary": "交期改为45天"},
    ]})
    client = console("zhangwei")
    listed = await client.get(f"/customers/{CID}/documents", headers=HTMX)
    assert "客户需求分析" in listed.text and "织机改造技术方案" in listed.text and "恒盛纺织 新厂房织机改造" in listed.text
    assert "别家的商机" not in listed.text
    assert "织机采购合同" in listed.text and f'hx-get="/customers/{CID}/documents/d-ct/versions"' in listed.text
    assert f'hx-get="/customers/{CID}/documents/d-1/versions"' in listed.text
    shown = await client.get(f"/customers/{CID}/documents/d-1/versions", headers=HTMX)
    assert "proposal-v2.txt" in shown.text and "交期改为45天" in shown.text
    assert re.search(r'<option value="v1" selected>V1</option>', shown.text)
    assert re.search(r'<select id="to-d-1" name="to">\s*<option value="v1">V1</option><option value="v2" selected>', shown.text)


async def test_the_diff_highlights_insertions_and_deletions_and_lists_changed_fields(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/documents/d-1/diff", {
        "document_id": "d-1",
        "from_version": {"version_id": "v1", "version_number": 1, "created_by": "zhangwei",
                         "created_at": "2026-11-20T00:00:00Z", "note": "", "change_summary": ""},
        "to_version": {"version_id": "v2", "version_number": 2, "created_by": "lina",
                       "created_at": "2026-11-25T00:00:00Z", "note": "", "change_summary": "交期"},
        "segments": [{"op": "equal", "text": "交期 "}, {"op": "delete", "text": "30"}, {"op": "insert", "text": "45"},
                     {"op": "equal", "text": " 天<b>"}],
        "changes": [{"summary": "交期 30 天 → 交期 45 天"}],
        "field_changes": [
            {"field": "total_minor", "change": "changed", "key": "", "attribute": "", "before": "100000000",
             "after": "120000000", "path": "total_minor"},
            {"field": "equipment", "change": "changed", "key": "XK-200", "attribute": "quantity", "before": "2",
             "after": "3", "path": "equipment[XK-200].quantity"},
        ],
        "text_complete": True, "html": "",
    })
    response = await console("zhangwei").get(f"/customers/{CID}/documents/d-1/diff?from=v1&to=v2", headers=HTMX)
    assert response.status_code == 200
    call = fake_gateway.called("GET", "/v1/documents/d-1/diff")[0]
    assert call.kwargs["params"] == {"from": "v1", "to": "v2"}
    text = response.text
    assert re.search(r"<del><span class=\"visually-hidden\">\[删除： </span>30<span", text)
    assert re.search(r"<ins><span class=\"visually-hidden\">\[插入： </span>45<span", text)
    assert "&lt;b&gt;" in text and "<b>" not in text  # the document's text is text, never markup
    assert "V1 到 V2" in text and "交期 30 天 → 交期 45 天" in text
    assert "<del>¥1,000,000.00</del>" in text and "<ins>¥1,200,000.00</ins>" in text
    assert "equipment[XK-200].quantity" in text and "<ins>3</ins>" in text


async def test_a_diff_the_gateway_refuses_shows_its_reason_in_place(console, fake_gateway) -> None:
    fake_gateway.on("GET", "/v1/documents/d-1/diff", problem(
        422, "from: is not a version of this document", errors=[{"field": "from", "description": "not a version"}]))
    response = await console("zhangwei").get(f"/customers/{CID}/documents/d-1/diff?from=x&to=v2", headers=HTMX)
    assert response.status_code == 422
    assert 'class="problem"' in response.text and "is not a version of this document" in response.text


async def test_approvals_of_the_customers_opportunities(console, fake_gateway) -> None:
    _customer(fake_gateway)
    response = await console("wangqiang").get(f"/customers/{CID}/approvals", headers=HTMX)
    call = fake_gateway.called("GET", "/v1/opportunities")[0]
    assert call.kwargs["params"]["customer_id"] == CID
    assert "恒盛纺织 新厂房织机改造" in response.text and "已通过" in response.text and "报价 审批的时间线" in response.text and "wangqiang" in response.text
    assert 'href="/approvals/ap-9"' in response.text and "2026-12-01 14:00" in response.text
    assert "别家的商机" not in response.text


def _payments(fake: FakeGateway) -> None:
    _customer(fake)
    fake.on("GET", f"/v1/customers/{CID}/payment-stats", {"customer_id": CID, "as_of": "2026-12-03", "period_days": 90,
            "stats": [{"currency": "CNY", "due_count": 4, "on_time_count": 3, "on_time_rate_bp": 7500,
                       "receivable": {"amount_minor": 36_000_000, "currency": "CNY"},
                       "billed": {"amount_minor": 72_000_000, "currency": "CNY"}, "dso_tenths": 423}]})
    fake.on("GET", "/v1/opportunities/o-1/payment-plans", {"plans": [{
        "plan_id": "p1", "contract_id": "ct-1", "label": "V3.2", "status": "open",
        "total": {"amount_minor": 120_000_000, "currency": "CNY"}, "instalments": [
            {"instalment_id": "i1", "seq": 1, "name": "预付款", "trigger": "advance", "days": 0, "due_on": "2026-09-01",
             "amount": {"amount_minor": 36_000_000, "currency": "CNY"},
             "paid": {"amount_minor": 36_000_000, "currency": "CNY"}, "state": "paid"},
            {"instalment_id": "i2", "seq": 2, "name": "到货款", "trigger": "on_delivery", "days": 30, "due_on": "2026-10-15",
             "amount": {"amount_minor": 60_000_000, "currency": "CNY"},
             "paid": {"amount_minor": 24_000_000, "currency": "CNY"}, "state": "overdue"},
        ]}]})
    fake.on("GET", "/v1/opportunities/o-1/receipts", {"receipts": [{
        "receipt_id": "r1", "amount": {"amount_minor": 36_000_000, "currency": "CNY"}, "paid_on": "2026-09-01",
        "payer_name": "绍兴柯桥恒盛纺织有限公司", "reference": "HS-001", "source": "statement", "status": "recorded"}]})
    zero = {"amount_minor": 0, "currency": "CNY"}
    fake.on("GET", "/v1/finance/aging", {"as_of": "2026-12-03", "group_by": "contract", "totals": [], "rows": [{
        "key": "ct-1", "currency": "CNY", "buckets": {"not_due": zero, "days_1_30": zero,
        "days_31_60": {"amount_minor": 36_000_000, "currency": "CNY"}, "days_61_90": zero, "days_over_90": zero},
        "total": {"amount_minor": 36_000_000, "currency": "CNY"}, "overdue": {"amount_minor": 36_000_000, "currency": "CNY"},
        "red": True, "red_amount": {"amount_minor": 36_000_000, "currency": "CNY"}, "red_instalments": 1}]})


async def test_payments_on_time_rate_dso_plans_receipts_and_aging_with_overdue_in_red(console, fake_gateway) -> None:
    _payments(fake_gateway)
    response = await console("liufang").get(f"/customers/{CID}/payments", headers=HTMX)
    text = response.text
    assert "75.0%" in text and "42.3" in text and "¥360,000.00" in text
    rows = re.findall(r"<tr[^>]*>.*?</tr>", text, flags=re.DOTALL)
    overdue = next(r for r in rows if "到货款" in r)
    assert 'class="overdue"' in overdue and "¥240,000.00" in overdue
    assert 'class="overdue"' not in next(r for r in rows if "预付款" in r)
    assert "HS-001" in text and "2026-09-01" in text
    aging_row = next(r for r in rows if "逾期超过 30 天" in r)
    assert 'class="overdue"' in aging_row and "¥360,000.00" in aging_row
    assert "HT2026-018" in aging_row  # the contract by its number, not its id
    aging = fake_gateway.called("GET", "/v1/finance/aging")[0]
    assert aging.kwargs["params"] == {"group_by": "contract", "customer_id": CID}


async def test_payments_a_role_may_not_see_are_said_in_the_section(console, fake_gateway) -> None:
    _customer(fake_gateway)
    fake_gateway.on("GET", f"/v1/customers/{CID}/payment-stats", problem(403, "not for reviewers"))
    response = await console("chenjing").get(f"/customers/{CID}/payments", headers=HTMX)
    assert response.status_code == 200
    assert "您的角色看不到回款" in response.text
    assert not fake_gateway.called("GET", "/v1/finance/aging")


async def test_a_section_opened_without_htmx_is_a_page_of_its_own(console, fake_gateway) -> None:
    fake_gateway.on("GET", f"/v1/customers/{CID}/contacts", {"contacts": []})
    response = await console("zhangwei").get(f"/customers/{CID}/contacts")
    assert response.status_code == 200
    assert "<html" in response.text and f'href="/customers/{CID}"' in response.text
    assert "决策链中还没有联系人" in response.text


async def test_english_on_request(console, fake_gateway) -> None:
    _customer(fake_gateway)
    response = await console("zhangwei", lang="en").get(f"/customers/{CID}")
    assert "Decision chain" in response.text and "Customer tier: 重点" in response.text


def test_the_customer_pages_chinese_is_not_overridden_by_another_areas_catalogue() -> None:
    # All areas' .po files merge into one catalogue: a msgid another area translates differently would win or lose
    # by file order. The customer pages' own msgids must come out as customers.po says.
    from babel.messages.pofile import read_po
    from web.i18n import LOCALE_DIR, gettext

    with (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "customers.po").open("rb") as f:
        catalogue = read_po(f, locale="zh_CN")
    clashes = {m.id: (m.string, gettext("zh_CN", m.id)) for m in catalogue
               if m.id and gettext("zh_CN", m.id) != m.string}
    # Words every area uses the same way may come from another catalogue, in its wording.
    shared = {"Created", "overdue"}
    assert {k: v for k, v in clashes.items() if k not in shared} == {}


async def test_a_section_of_a_customer_the_caller_may_not_see_is_not_found(console, fake_gateway) -> None:
    # The filtered lists alone would answer empty; the section says what the customer's page says.
    fake_gateway.on("GET", f"/v1/customers/{CID}", problem(404, f"customer {CID} not found"))
    fake_gateway.on("GET", "/v1/opportunities", {"opportunities": []})
    fake_gateway.on("GET", f"/v1/customers/{CID}/payment-stats", {"stats": []})
    fake_gateway.on("GET", "/v1/documents", {"documents": []})
    for section in ("approvals", "documents", "payments"):
        response = await console("other-rep").get(f"/customers/{CID}/{section}", headers=HTMX)
        assert response.status_code == 404, section
        assert "not found" in response.text
