"""Structured fields: the uploader's JSON checked field by field, the sums,
and extraction from the recognised XLSX/DOCX template, without I/O."""

import json

import pytest
from crm_shared.domain.errors import InvalidArgument
from document_versioning.adapters.field_extraction import extract_fields
from document_versioning.domain.fields import (
    EquipmentRow,
    Instalment,
    VersionFields,
    fields_from_json,
    fields_json,
    parse_fields,
    validate_fields,
)

from tests.support.document_files import make_docx, make_pdf, make_xlsx
from tests.support.documents import PROPOSAL_VERSIONS

V1, V2, V3 = PROPOSAL_VERSIONS


def named(err: pytest.ExceptionInfo[InvalidArgument]) -> set[str]:
    return {v.field for v in err.value.violations}


def refused(text: str) -> set[str]:
    with pytest.raises(InvalidArgument) as err:
        parse_fields(text)
    return named(err)


def test_the_uploaders_json_becomes_fields_and_round_trips() -> None:
    fields = parse_fields(V3.fields_json())
    assert fields is not None and fields.source == "uploader"
    assert fields.total_minor == 151_000_000 and fields.models() == {"HX-280", "MT-12", "RB-5"}
    assert [i.trigger for i in fields.instalments] == ["advance", "on_acceptance", "retention"]
    assert fields_from_json(fields_json(fields)) == fields
    assert parse_fields("  ") is None and fields_json(None) is None


def test_bad_json_and_bad_shapes_name_their_field() -> None:
    assert refused("{") == {"fields"}
    assert refused("[]") == {"fields"}
    assert refused(json.dumps({"price": 1})) == {"fields.price"}
    assert refused(json.dumps({"total_minor": "1000"})) == {"fields.total_minor"}
    assert refused(json.dumps({"equipment": [{"model": "", "quantity": 0, "unit_price_minor": 1.5}]})) == {
        "fields.equipment[0].model",
        "fields.equipment[0].quantity",
        "fields.equipment[0].unit_price_minor",
    }
    assert refused(json.dumps({"instalments": [{"name": "预付", "trigger": "advance", "days": -1}] * 21})) == {
        "fields.instalments"
    }


def test_equipment_rows_add_up_to_the_total() -> None:
    data = V1.fields() | {"total_minor": V1.total_minor - 1}
    assert "fields.total_minor" in refused(json.dumps(data))
    validate_fields(VersionFields(equipment=(EquipmentRow("HX-280", "", 2, 100),)))  # no total: nothing to compare


def test_instalments_add_up_to_100_percent_or_to_the_total() -> None:
    def terms(*instalments: Instalment, total: int | None = 1_000_000) -> VersionFields:
        return VersionFields(total_minor=total, instalments=instalments)

    validate_fields(
        terms(
            Instalment("预付款", "advance", 0, percent_bp=3000),
            Instalment("尾款", "on_acceptance", 30, percent_bp=7000),
        )
    )
    validate_fields(
        terms(
            Instalment("预付款", "advance", 0, amount_minor=300_000),
            Instalment("尾款", "on_delivery", 0, percent_bp=7000),
        )
    )
    validate_fields(terms(Instalment("全款", "on_delivery", 0, amount_minor=1_000_000)))
    for bad, field in (
        (terms(Instalment("预付款", "advance", 0, percent_bp=3000)), "fields.instalments"),
        (terms(Instalment("预付款", "advance", 0, amount_minor=300_000)), "fields.instalments"),
        (terms(Instalment("预付款", "advance", 0, amount_minor=1), total=None), "fields.total_minor"),
        (terms(Instalment("随便", "someday", 0, percent_bp=10000)), "fields.instalments[0].trigger"),
        (terms(Instalment("两样", "advance", 0, percent_bp=10000, amount_minor=5)), "fields.instalments[0]"),
        (VersionFields(currency="USD", total_minor=1), "fields.total.currency"),
        (VersionFields(total_minor=10**16), "fields.total.amount_minor"),
    ):
        with pytest.raises(InvalidArgument) as err:
            validate_fields(bad)
        assert field in named(err), (bad, named(err))


def test_fields_are_extracted_from_the_recognised_template() -> None:
    sheet = extract_fields("清单.xlsx", "", V2.xlsx())
    assert sheet is not None and sheet.source == "xlsx"
    assert (sheet.total_minor, sheet.delivery_lead_time_days, sheet.warranty_months) == (139_000_000, 30, 12)
    assert sheet.equipment[0] == EquipmentRow("HX-280", "伺服节能注塑机 280T", 2, 66_000_000)
    table = extract_fields("方案.docx", "", V3.docx())
    assert table is not None and table.source == "docx"
    assert (table.total_minor, table.delivery_lead_time_days, table.models()) == (151_000_000, 45, V3_MODELS)
    # Decimal 元 in a sheet become exact 分; no 合计 row: the rows' sum.
    cents = extract_fields("a.xlsx", "", make_xlsx([["型号", "数量", "单价"], ["X-1", 3, 1234.56]]))
    assert cents is not None and (cents.equipment[0].unit_price_minor, cents.total_minor) == (123_456, 370_368)


def test_files_outside_the_template_extract_nothing() -> None:
    assert extract_fields("a.xlsx", "", make_xlsx([["名称", "价格"], ["注塑机", 1]])) is None
    assert extract_fields("a.docx", "", make_docx(["没有表格的方案"])) is None
    assert extract_fields("a.pdf", "application/pdf", make_pdf([["型号 数量 单价"]])) is None
    assert extract_fields("a.xlsx", "", b"not a zip") is None


V3_MODELS = frozenset({"HX-280", "MT-12", "RB-5"})
