"""Lead files: CSV and .xlsx read into rows, cells parsed, bad files refused."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from crm_shared.domain.errors import InvalidArgument
from lead_routing.domain.imports import ImportReport, RowOutcome, column_for, money_minor, parse_rows

HEADER = "公司名称,统一社会信用代码,联系人,电话,地址,来源,行业标签,预算,年营业额,近6月采购金额,近3月订单数,纬度,经度,开模数量\n"


def csv_bytes(*rows: str, encoding: str = "utf-8-sig") -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode(encoding)


def test_csv_rows_become_lead_data_with_money_in_fen() -> None:
    content = csv_bytes(
        "绍兴柯桥恒盛纺织有限公司,91330200MA2AFK8X1K,王经理,13805751234,浙江省绍兴市柯桥区,展会扫码,纺织机械、注塑机,5万,1.2亿,\"60,000\",4,30.08,120.49,12",
        ",,,,,,,,,,,,,",  # a blank row is no row
        "宁波北仑注塑机厂,,,0574-86881234,宁波市北仑区,,,,,,,,,",
    )
    rows = parse_rows("leads.csv", content, {"开模数量": "number"})
    assert [r.row for r in rows] == [2, 4]
    first = rows[0].data
    assert first.budget_minor == 5_000_000 and first.annual_revenue_minor == 12_000_000_000
    assert first.purchases_6m_minor == 6_000_000 and first.orders_3m == 4
    assert (first.latitude, first.longitude, first.industry_tags) == (30.08, 120.49, ("纺织机械", "注塑机"))
    assert first.custom_fields == {"开模数量": "12"}
    assert rows[1].data.source == "导入" and rows[1].data.phone == "0574-86881234"


def test_gb18030_csv_from_excel_reads_too() -> None:
    rows = parse_rows("x.csv", csv_bytes("佛山顺德家电配件厂,,,13800138000,佛山市顺德区,,,,,,,,,", encoding="gb18030"), {"开模数量": "number"})
    assert rows[0].data.company_name == "佛山顺德家电配件厂"


def test_unreadable_cells_reject_their_row_naming_the_column() -> None:
    rows = parse_rows("x.csv", csv_bytes("甲公司,,,13800138000,,,,很多,,1.234,2.5,north,,"), {"开模数量": "number"})
    assert rows[0].data is None
    assert {e.field for e in rows[0].errors} == {"预算", "近6月采购金额", "近3月订单数", "纬度"}


def test_xlsx_cells_keep_their_types() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["公司名称", "电话", "预算", "近3月订单数", "纬度", "经度"])
    sheet.append(["绍兴柯桥恒盛纺织有限公司", 13805751234, 50000, 3, 30.08, 120.49])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = parse_rows("leads.xlsx", buffer.getvalue(), {})
    data = rows[0].data
    assert (data.phone, data.budget_minor, data.orders_3m, data.latitude) == ("13805751234", 5_000_000, 3, 30.08)


@pytest.mark.parametrize(
    ("filename", "content", "says"),
    [
        ("x.csv", b"", "empty"),
        ("x.xlsx", b"PK\x03\x04 not really a zip", "readable .xlsx"),
        ("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, ".xls"),
        ("x.csv", "联系人,电话\n王,138\n".encode(), "公司名称"),
        ("x.csv", "公司名称,备注\n甲,x\n".encode(), "unknown column"),
        ("x.csv", "公司名称,公司名称\n甲,乙\n".encode(), "twice"),
        ("x.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a CSV"),
    ],
)
def test_a_file_that_is_not_a_lead_table_is_refused_on_field_file(filename: str, content: bytes, says: str) -> None:
    with pytest.raises(InvalidArgument) as exc:
        parse_rows(filename, content, {})
    assert [v.field for v in exc.value.violations] == ["file"]
    assert says in exc.value.violations[0].description


def test_money_cells() -> None:
    assert money_minor("¥1,200.50") == 120_050
    assert money_minor("3.5万元") == 3_500_000
    assert money_minor(12000.5) == 1_200_050
    for bad in ("-5", "1.234", "abc", True):
        with pytest.raises(ValueError):
            money_minor(bad)


def test_report_counts_and_columns() -> None:
    report = ImportReport([RowOutcome(2, "accepted"), RowOutcome(3, "merged"), RowOutcome(4, "rejected")])
    assert (report.count("accepted"), report.count("merged"), report.count("rejected")) == (1, 1, 1)
    assert (column_for("budget.amount_minor"), column_for("phone"), column_for("custom_fields.开模数量")) == (
        "预算", "电话", "开模数量",
    )


def test_channel_and_campaign_columns_carry_into_the_lead_data_under_chinese_or_english_headers() -> None:
    [row] = parse_rows("x.csv", "公司名称,渠道,活动\n甲厂, 2026宁波机床展 ,秋季推广\n".encode(), {})
    assert (row.data.channel, row.data.campaign) == ("2026宁波机床展", "秋季推广")
    [row] = parse_rows("x.csv", "公司名称,CHANNEL,Campaign\n甲厂,官网首页,双十一\n".encode(), {})
    assert (row.data.channel, row.data.campaign) == ("官网首页", "双十一")
    [row] = parse_rows("x.csv", "公司名称,channel\n甲厂,x\n".encode(), {"channel": "text"})  # a field defined so before
    assert row.data.custom_fields == {"channel": "x"} and row.data.channel == ""
    assert column_for("channel") == "渠道" and column_for("campaign") == "活动"
    with pytest.raises(InvalidArgument, match="appears twice"):
        parse_rows("x.csv", "公司名称,活动,campaign\n甲厂,a,b\n".encode(), {})
