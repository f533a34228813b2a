"""A contract reviewed and signed by 法务 for real through the gateway of the
contract stack (tests/integration/document_versioning/contract_stack.py), so
finance builds its payment plan from the real contract.signed: what the
receipts and the deliveries gateway tests both start from."""

from __future__ import annotations

from datetime import date

from tests.integration.document_versioning.contract_stack import Stack, b64, review, upload_draft
from tests.support.documents import make_pdf

SIGNER = "chenjing"  # 法务
PARTIES = ["宁波华翔注塑有限公司", "本公司"]


async def sign_approved(s: Stack, c: dict, version_id: str, label: str, signed_on: date) -> None:
    """法务 signs the approved draft as version `label`."""
    signing = {
        "version_id": version_id,
        "label": label,
        "signed_on": signed_on.isoformat(),
        "parties": PARTIES,
        "filename": f"contract-{label}.pdf",
        "content_base64": b64(make_pdf([[f"注塑机采购合同 {label} 签署版"]])),
    }
    signed = await s.post(SIGNER, f"/v1/contracts/{c['contract_id']}/signatures", signing)
    assert signed.status_code == 200, signed.text


async def sign_draft(s: Stack, c: dict, fields: dict, label: str, signed_on: date, *, document_id: str = "") -> dict:
    """A draft of the contract with `fields`, reviewed and signed as `label`; the signed draft."""
    draft = await upload_draft(s, c, fields, document_id=document_id, text=f"合同 {label}")
    await review(s, c, draft["version_id"])
    await sign_approved(s, c, draft["version_id"], label, signed_on)
    return draft
