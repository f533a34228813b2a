"""A rep's day in a real browser: claim a lead from the pool (best match first,
with the score and why), see why it is theirs, log a visit with the check-in
location from the browser and a photo file, see every evidence check, and
complete the 待补全 draft; also at a phone's width."""

from __future__ import annotations

import io
import random
import re
import time
from datetime import datetime, timedelta
from pathlib import Path
from uuid import uuid4
from zoneinfo import ZoneInfo

from PIL import ExifTags, Image
from playwright.sync_api import expect
from stdnum.cn import uscc

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 绍兴柯桥: the customer's site, and where the rep's phone says they are (a few hundred metres off).
SITE = (30.0900, 120.4900)
HERE = (30.0925, 120.4920)


def credit_code() -> str:
    body = "91330603" + "".join(random.choice("0123456789") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def photo_taken_now(path: Path) -> Path:
    """A JPEG whose EXIF says it was taken now (the camera's wall clock in Shanghai)."""
    stamp = datetime.now(SHANGHAI).strftime("%Y:%m:%d %H:%M:%S")
    exif = Image.Exif()
    exif[ExifTags.Base.DateTime] = stamp
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = stamp
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 200)).save(buf, "JPEG", exif=exif)
    path.write_bytes(buf.getvalue())
    return path


def a_pool_lead_for(api, user: str) -> dict:  # type: ignore[no-untyped-def]
    """A new lead on the rep's pool page with them among its candidates, as the rep's pool lists it. Entered
    by their manager, so it starts unowned, and taking the 其余线索 route to every rep by score (柯桥区 but no
    近3月订单数 for the auto-assigned 柯桥 route, no 年营业额 for the key-account one). Its name and phone are its
    own: a duplicate would be merged into the lead it matches, which an earlier test may have claimed or given
    away. Never the demo pool's: earlier tests may have taken those."""
    tag = uuid4().hex[:8]
    made = api("wangqiang").post("/v1/leads", json={
        "company_name": f"绍兴柯桥新织{tag}纺机有限公司", "phone": f"139{int(tag, 16) % 10**8:08d}",
        "source": "展会扫码", "province": "浙江省", "city": "绍兴市", "district": "柯桥区"})
    assert made.status_code == 201, made.text
    assert not made.json().get("duplicate"), f"the new lead was merged into another: {made.text}"
    lead_id = made.json()["lead"]["lead_id"]
    # Until lead-routing has ranked it (after the intake's event) it is listed to every rep without a route or a
    # score; ranked, it shows the rep's own score. The console's pool page shows 20.
    deadline = time.monotonic() + 60
    while True:
        entries = api(user).get("/v1/pool", params={"page_size": 20}).json()["entries"]
        entry = next((e for e in entries if e["lead_id"] == lead_id), None)
        if (entry is not None and entry.get("ranked_at")) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert entry is not None and entry.get("ranked_at"), (
        f"lead {lead_id} is not ranked on {user}'s pool page 60 s after its intake: {entries}"
    )
    assert entry["route_id"] == "rest" and [c["rep_id"] for c in entry["candidates"]] == [user], entry
    return entry


def test_a_rep_claims_a_lead_from_the_pool_and_sees_why_it_is_theirs(page_as, api, accessible, shot) -> None:
    entry = a_pool_lead_for(api, "zhangwei")
    page = page_as("zhangwei")
    page.goto("/pool")
    expect(page.locator("h1")).to_have_text("公海")
    shot(page, "pool")
    accessible(page)
    row = page.locator(f"#pool-{entry['lead_id']}")
    expect(row).to_contain_text(entry["company_name"])
    expect(row).to_contain_text("我的匹配度")
    row.get_by_role("button", name="领取").click()
    row = page.locator(f"#pool-{entry['lead_id']}")
    expect(row).to_contain_text("已领取")  # the row changed in place, no reload
    shot(page, "claimed")
    row.get_by_role("link", name="为什么分给您").click()
    expect(page.locator("h1")).to_have_text(entry["company_name"])
    expect(page.get_by_role("heading", name="为什么这条线索分给您")).to_be_visible()
    expect(page.locator("main")).to_contain_text("匹配度")
    shot(page, "why")
    accessible(page)
    assert api("zhangwei").get(f"/v1/leads/{entry['lead_id']}").json()["lead"]["owner_id"] == "zhangwei"

    # Someone else is quicker: the manager gives the next pool lead to lina while the page is open.
    other = a_pool_lead_for(api, "zhangwei")
    page.goto("/pool")
    row = page.locator(f"#pool-{other['lead_id']}")
    expect(row).to_contain_text(other["company_name"])
    given = api("wangqiang").post(f"/v1/leads/{other['lead_id']}/assign", json={"rep_id": "lina"})
    assert given.status_code == 200, given.text
    row.get_by_role("button", name="领取").click()
    expect(row.locator(".problem")).to_contain_text("already claimed by another rep")  # the gateway's own words
    expect(row.get_by_role("button", name="领取")).to_be_visible()
    shot(page, "refused")
    accessible(page)


def test_a_rep_opens_why_a_pool_card_scores_what_it_does(page_as, api, accessible, shot) -> None:
    entry = a_pool_lead_for(api, "zhangwei")
    page = page_as("zhangwei")
    page.goto("/pool")
    row = page.locator(f"#pool-{entry['lead_id']}")
    score = row.locator(".score strong").inner_text()
    why = row.locator("details.pool-why")
    why.locator("summary").click()  # opening it loads the explanation in place
    body = why.locator(".why-body")
    expect(body).to_contain_text("路由规则")
    expect(body).to_contain_text(score)  # the score the card shows
    expect(body.locator("tbody tr").first).to_be_visible()  # the formula's terms with their values
    expect(body).to_contain_text(re.compile(r"在 \d+ 位候选人中排第 \d+"))  # the rank among the candidates
    shot(page, "pool-why")
    accessible(page)
    # asking assigned nothing: the lead is still in the pool
    assert not api("wangqiang").get(f"/v1/leads/{entry['lead_id']}").json()["lead"].get("owner_id")


def test_a_rep_logs_a_visit_with_location_and_photo_and_completes_the_draft(
    page_as, api, accessible, shot, tmp_path: Path
) -> None:
    name = f"绍兴柯桥恒远纺织{random.randint(1000, 9999)}有限公司"
    made = api("zhangwei").post("/v1/customers", json={
        "name": name, "credit_code": credit_code(),
        "location": {"province": "浙江省", "city": "绍兴市", "district": "柯桥区",
                     "latitude": SITE[0], "longitude": SITE[1]}})
    assert made.status_code in (200, 201), made.text
    customer_id = made.json()["customer"]["customer_id"]

    page = page_as("zhangwei")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": HERE[0], "longitude": HERE[1], "accuracy": 12})
    page.goto(f"/visits/new?customer_id={customer_id}")
    expect(page.locator("h1")).to_have_text("拜访登记")
    accessible(page)
    expect(page.get_by_label("客户", exact=True)).to_have_value(customer_id)
    page.get_by_label("拜访纪要").fill("拜访设备科，看了现有织机")
    page.get_by_role("button", name="使用我的当前位置").click()
    expect(page.get_by_label("纬度")).to_have_value(f"{HERE[0]:.6f}")
    expect(page.get_by_label("精度（米）")).to_have_value("12")
    page.get_by_label("现场照片").set_input_files(str(photo_taken_now(tmp_path / "visit.jpg")))
    page.get_by_label("需求记录").fill("需要两台喷气织机，明年一季度交付")
    follow_up = (datetime.now(SHANGHAI) + timedelta(days=3)).strftime("%Y-%m-%dT10:00")
    page.get_by_label("下次跟进时间（北京时间）").fill(follow_up)
    shot(page, "visit-form")
    page.get_by_role("button", name="保存拜访").click()  # no competitor comparison: a draft

    expect(page.locator("h1")).to_have_text("已保存为草稿（待补全）")
    checks = page.locator(".checks")
    expect(checks.locator("[data-check=competitors]")).to_contain_text("未通过")
    for passed in ("check_in", "photo", "needs", "next_follow_up_at"):
        expect(checks.locator(f"[data-check={passed}]")).to_contain_text("通过")
        expect(checks.locator(f"[data-check={passed}]")).not_to_contain_text("未通过")
    shot(page, "draft")
    accessible(page)

    expect(page.get_by_role("link", name="补全草稿")).to_be_visible()
    # Without choosing a customer: every draft of the rep's, this one with its customer's name and what it lacks.
    page.goto("/visits/drafts")
    expect(page.locator("h1")).to_have_text("我的待补全拜访")
    waiting = page.locator(".draft-list > li", has_text=name)
    expect(waiting).to_contain_text("拜访设备科")
    expect(waiting.locator("[data-check=competitors]")).to_contain_text("未通过")
    shot(page, "drafts-every-customer")
    accessible(page)
    waiting.get_by_role("link", name="补全这次拜访").click()
    expect(page.locator("h1")).to_have_text("我的待补全拜访")
    expect(page).to_have_url(re.compile(f"customer_id={customer_id}"))
    draft = page.locator(".draft-list > li").first
    expect(draft).to_contain_text("拜访设备科")
    expect(draft.locator("[data-check=competitors]")).to_contain_text("未通过")
    accessible(page)
    draft.get_by_label("竞品对比").fill("对手报价低 8%，但交期要 6 个月")
    draft.get_by_role("button", name="提交补全").click()
    expect(page.locator("h1")).to_have_text("拜访已记录")
    expect(page.locator(".checks [data-check=competitors]")).not_to_contain_text("未通过")
    shot(page, "submitted")


def test_the_pool_and_the_visit_form_fit_a_phone(page_as, accessible, shot) -> None:
    page = page_as("zhangwei", viewport={"width": 390, "height": 844})
    for path in ("/pool", "/visits/new", "/tasks", "/leads"):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        # Nothing wider than the screen: rows are cards, no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        shot(page, path.strip("/").replace("/", "-"))
        accessible(page)
    page.goto("/visits/new")
    photo = page.get_by_label("现场照片")
    expect(photo).to_have_attribute("capture", "environment")
    photo.focus()  # reachable by keyboard
    expect(photo).to_be_focused()
