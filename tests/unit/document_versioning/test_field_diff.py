"""The field diff: price, each term and each equipment row, matched by business key."""

from document_versioning.domain.field_diff import ADDED, CHANGED, REMOVED, FieldChange, diff_fields
from document_versioning.domain.fields import EquipmentRow, Instalment, VersionFields

V1 = VersionFields(
    total_minor=120_000_000,
    instalments=(
        Instalment("预付款", "advance", 0, percent_bp=3000),
        Instalment("到货款", "on_delivery", 30, percent_bp=6000),
        Instalment("质保金", "retention", 365, percent_bp=1000),
    ),
    delivery_lead_time_days=30,
    warranty_months=12,
    equipment=(
        EquipmentRow("XK-200", "注塑机", 2, 50_000_000),
        EquipmentRow("MH-10", "机械手", 2, 10_000_000),
    ),
)


def test_price_term_and_added_row_are_named_exactly() -> None:
    v2 = VersionFields(
        total_minor=126_000_000,
        instalments=(
            V1.instalments[0],
            Instalment("到货款", "on_acceptance", 30, percent_bp=6000),
            V1.instalments[2],
        ),
        delivery_lead_time_days=45,
        warranty_months=12,
        equipment=(*V1.equipment, EquipmentRow("DR-5", "干燥机", 1, 6_000_000)),
    )

    assert diff_fields(V1, v2) == (
        FieldChange("total_minor", CHANGED, before="120000000", after="126000000"),
        FieldChange("delivery_lead_time_days", CHANGED, before="30", after="45"),
        FieldChange("instalments", CHANGED, "到货款", "trigger", "on_delivery", "on_acceptance"),
        FieldChange("equipment", ADDED, "DR-5", after="description=干燥机, quantity=1, unit_price_minor=6000000"),
    )


def test_rows_are_matched_by_model_not_position() -> None:
    v2 = VersionFields(
        total_minor=V1.total_minor,
        instalments=V1.instalments,
        delivery_lead_time_days=30,
        warranty_months=12,
        equipment=(EquipmentRow("MH-10", "机械手", 3, 9_500_000),),
    )

    changes = diff_fields(V1, v2)

    assert [(c.path, c.change, c.before, c.after) for c in changes] == [
        ("equipment[XK-200]", REMOVED, "description=注塑机, quantity=2, unit_price_minor=50000000", ""),
        ("equipment[MH-10].quantity", CHANGED, "2", "3"),
        ("equipment[MH-10].unit_price_minor", CHANGED, "10000000", "9500000"),
    ]


def test_same_fields_and_no_fields() -> None:
    assert diff_fields(V1, V1) == ()
    assert diff_fields(None, None) == ()
    added = diff_fields(None, VersionFields(total_minor=100))
    assert added == (FieldChange("total_minor", CHANGED, before="", after="100"),)


def test_unnamed_instalments_match_by_trigger() -> None:
    a = VersionFields(instalments=(Instalment("", "advance", 0, percent_bp=3000),))
    b = VersionFields(instalments=(Instalment("", "advance", 0, percent_bp=5000),))

    assert [c.path for c in diff_fields(a, b)] == ["instalments[advance#1].percent_bp"]
