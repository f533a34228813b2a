"""What a stage gate asks for and the facts other services give about it: the
fields, documents and approvals (by kind: the latest request of each kind must
be approved and not stale) an opportunity needs before it may enter a stage.
Pure; pipeline.py checks whole gates against an opportunity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from crm_shared.approval_kinds import LEGACY_KIND

# Opportunity fields a gate may require, with how a person would read them.
REQUIRABLE_FIELDS = {
    "amount": "金额 (amount)",
    "expected_close_date": "预计成交日期 (expected_close_date)",
    "decision_maker": "决策人 (decision_maker)",
    "product_line": "产品线 (product_line)",
    "contract_end_date": "合同到期日 (contract_end_date)",
}


@dataclass(frozen=True)
class Gate:
    required_fields: tuple[str, ...] = ()
    required_documents: tuple[str, ...] = ()
    # For each kind, the latest request of that kind must be approved and not stale.
    approval_kinds: tuple[str, ...] = ()

    @property
    def requires_approval(self) -> bool:
        return bool(self.approval_kinds)


@dataclass(frozen=True)
class ApprovalState:
    """The opportunity's latest request of one kind, as approval said."""

    approval_id: str
    status: str
    stale: bool = False


@dataclass(frozen=True)
class GateFacts:
    """What other services said: doc types present for the opportunity, and
    its latest approval request of each kind asked (a kind absent: never requested)."""

    documents: frozenset[str] = frozenset()
    approvals: Mapping[str, ApprovalState] = field(default_factory=dict)


def gate_from(
    required_fields: Iterable[str] = (),
    required_documents: Iterable[str] = (),
    approval_kinds: Iterable[str] = (),
    requires_approval: bool = False,
) -> Gate:
    """A gate as written (wire, storage): `requires_approval` with no kind is the
    old gate, which now asks for the kind every approval made before kinds had."""
    kinds = tuple(approval_kinds)
    if requires_approval and not kinds:
        kinds = (LEGACY_KIND,)
    return Gate(tuple(required_fields), tuple(required_documents), kinds)


# Why the latest request of a kind does not satisfy a gate, by its status.
_NOT_APPROVED = {
    "pending": "pending, 审批中",
    "returned": "pending, 已退回修改",
    "rejected": "rejected, 审批已驳回",
    "recalled": "missing, 申请已撤回",
    "voided": "missing, 文档有新版本，申请已作废",
}


def approval_unmet(state: ApprovalState | None) -> str:
    """'' when the request satisfies a gate: approved and its document
    unchanged since (not stale); else missing, pending, rejected or stale, said plainly."""
    if state is None:
        return "missing, 尚未提交审批"
    if state.status == "approved":
        return f"stale, 审批 {state.approval_id} 通过后文档已更新" if state.stale else ""
    return f"{_NOT_APPROVED.get(state.status, state.status)}, {state.approval_id}"
