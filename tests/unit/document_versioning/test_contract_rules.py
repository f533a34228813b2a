"""The contract's and the ECN's rules (domain/contract.py, domain/ecn.py), no I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from crm_shared.domain.errors import FailedPrecondition, InvalidArgument
from document_versioning.domain import contract as rules
from document_versioning.domain import ecn
from document_versioning.domain.contract import ContractVersion, Signing

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai


def under_review(version_id: str = "v1", approval_id: str = "a1") -> ContractVersion:
    cv = rules.review_requested(
        None, tenant_id="t", contract_id="c", version_id=version_id, approval_id=approval_id, now=NOW
    )
    assert cv is not None
    return cv


def signed(cv: ContractVersion, label: str) -> ContractVersion:
    approved = rules.review_decided(cv, cv.approval_id, "approved")
    assert approved is not None
    signing = Signing(label, date(2026, 12, 1), ("甲方", "乙方"), "upload", "chenjing")
    return rules.sign(approved, signing, signed_version_id=f"s-{label}", signed_sha256="a" * 64, fields=None, now=NOW)


def test_review_follows_the_bound_request_only() -> None:
    cv = under_review()
    assert cv.state == rules.UNDER_REVIEW and rules.state_of([cv]) == rules.UNDER_REVIEW
    assert rules.review_decided(cv, "another", "approved") is None  # not this version's request
    rejected = rules.review_decided(cv, "a1", "rejected")
    assert rejected is not None and rejected.state == rules.REJECTED and rules.state_of([rejected]) == "draft"
    again = rules.review_requested(rejected, tenant_id="t", contract_id="c", version_id="v1", approval_id="a2", now=NOW)
    assert again is not None and again.state == rules.UNDER_REVIEW and again.approval_id == "a2"
    # Past review, a new request changes nothing.
    assert (
        rules.review_requested(
            signed(under_review(), "V1"), tenant_id="t", contract_id="c", version_id="v1", approval_id="a3", now=NOW
        )
        is None
    )


def test_only_an_approved_version_is_signed() -> None:
    with pytest.raises(FailedPrecondition):
        rules.check_signable(under_review())
    cv = signed(under_review(), "V1")
    assert cv.state == rules.SIGNED and rules.in_force([cv]) == cv and rules.state_of([cv]) == rules.SIGNED
    with pytest.raises(FailedPrecondition):
        rules.check_signable(cv)


def test_one_version_in_force_and_labels_of_its_own() -> None:
    first = signed(under_review("v1", "a1"), "V3")
    second = signed(under_review("v2", "a2"), "V3.2")
    old = rules.supersede(first, second, NOW)
    assert old.state == rules.SUPERSEDED and old.superseded_by_version_id == "v2"
    assert rules.in_force([old, second]) == second
    assert rules.default_label([old, second]) == "V3"  # two signed so far: the next is the third
    pending = under_review("v3", "a3")
    with pytest.raises(InvalidArgument, match="already"):
        rules.check_label("V3.2", pending, [old, second, pending])
    for bad in ("3.2", "V", "V3.2.1.4", "版本三"):
        with pytest.raises(InvalidArgument):
            rules.check_label(bad, pending, [pending])
    assert rules.check_label(" V4 ", pending, [pending]) == "V4"


def test_signing_date_parties_and_hash_are_checked() -> None:
    assert rules.parse_signed_on("2026-12-02", NOW) == date(2026, 12, 2)
    with pytest.raises(InvalidArgument, match="signed_on"):
        rules.parse_signed_on("2026-12-03", NOW)  # tomorrow in Shanghai
    with pytest.raises(InvalidArgument, match="signed_on"):
        rules.parse_signed_on("12/02/2026", NOW)
    with pytest.raises(InvalidArgument, match="parties"):
        rules.check_parties([], required=True)
    assert rules.check_parties([], required=False) == ()
    with pytest.raises(InvalidArgument, match=r"parties\[1\]"):
        rules.check_parties(["甲方", " "], required=True)
    with pytest.raises(InvalidArgument, match="signed_sha256"):
        rules.check_sha256("abc")
    with pytest.raises(InvalidArgument, match="provider"):
        rules.check_provider("docusign", "x", ("fadada",))


def source(opp: str, models: tuple[str, ...], minutes: int, *, in_force: bool = False) -> ecn.EquipmentSource:
    return ecn.EquipmentSource(
        opp,
        f"{opp}-{minutes}",
        "技术方案",
        models,
        NOW + timedelta(minutes=minutes),
        contract_id="c" if in_force else "",
        in_force=in_force,
    )


def test_an_ecn_matches_the_deciding_equipment_list_ignoring_case_and_spaces() -> None:
    sources = [
        source("o1", ("HX-280", "MT-12"), 1),
        source("o2", ("MT-12",), 1),
        # o3's newest list dropped the model: it is not affected.
        source("o3", ("HX 280",), 1),
        source("o3", ("MT-12",), 5),
        # o4's signed contract decides, whatever a later proposal says.
        source("o4", ("hx-280",), 1, in_force=True),
        source("o4", ("MT-12",), 9),
    ]
    orders = ecn.affected_orders(["hx280"], sources)
    assert [o.opportunity_id for o in orders] == []  # "hx280" is another model than "HX-280"
    orders = ecn.affected_orders(["hx-280 "], sources)
    assert [(o.opportunity_id, o.models, o.contract_id) for o in orders] == [
        ("o1", ("hx-280 ",), ""),
        ("o4", ("hx-280 ",), "c"),
    ]


def test_an_ecn_names_what_it_changes() -> None:
    draft = ecn.validate(
        number=" ECN-1 ",
        title="改型",
        change="液压站",
        effective_date="2026-12-15",
        affected_models=["HX-280", "hx-280", "MT-12"],
    )
    assert draft.affected_models == ("HX-280", "MT-12") and draft.number == "ECN-1"
    with pytest.raises(InvalidArgument) as refused:
        ecn.validate(number="", title="t", change="", effective_date="soon", affected_models=[])
    fields = {v.field for v in refused.value.violations}
    assert {"number", "change", "effective_date", "affected_models"} <= fields


def test_a_contract_number_is_optional_checked_and_kept_upper_case() -> None:
    assert rules.validate_new(" opp-1 ", " 采购合同 ") == ("opp-1", "采购合同", "")
    assert rules.validate_new("opp-1", "采购合同", " ht2025-018 ") == ("opp-1", "采购合同", "HT2025-018")
    assert rules.validate_new("opp-1", "采购合同", "SH/HT-2025.018_A")[2] == "SH/HT-2025.018_A"
    for bad in ("HT 2025-018", "-HT2025", "合同2025", "H" * 41):
        with pytest.raises(InvalidArgument) as refused:
            rules.validate_new("opp-1", "采购合同", bad)
        assert [v.field for v in refused.value.violations] == ["contract_number"], bad
