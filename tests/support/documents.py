"""The technical proposal the document tests share, in three versions, as
files in the recognised template (docs/adr/0007-documents.md) and as the
uploader's JSON fields; built on tests/support/document_files.py.

    v1: HX-280 ×2 at ¥680,000, MT-12 ×2 at ¥35,000; 交期 30 天; 验收 after delivery
    v2: the price of HX-280 falls to ¥660,000 (a price change)
    v3: 交期 45 天 (a changed term) and a robot arm RB-5 ×1 at ¥120,000 (an added row)

Each version's total is its rows' sum; its instalments are 30% advance, 60% on
acceptance, 10% retention after 365 days."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from tests.support.document_files import DOCX, PDF, XLSX, make_docx, make_pdf, make_xlsx

__all__ = ["DOCX", "PDF", "PROPOSAL_VERSIONS", "XLSX", "Equipment", "Proposal", "make_pdf"]


@dataclass(frozen=True)
class Equipment:
    model: str
    description: str
    quantity: int
    unit_price_yuan: int

    @property
    def unit_price_minor(self) -> int:
        return self.unit_price_yuan * 100


INSTALMENTS = (
    {"name": "预付款", "trigger": "advance", "days": 0, "percent_bp": 3000},
    {"name": "验收款", "trigger": "on_acceptance", "days": 30, "percent_bp": 6000},
    {"name": "质保金", "trigger": "retention", "days": 365, "percent_bp": 1000},
)


@dataclass(frozen=True)
class Proposal:
    equipment: tuple[Equipment, ...]
    lead_time_days: int
    acceptance: str = "验收"
    warranty_months: int = 12
    change_summary: str = ""
    instalments: tuple[dict, ...] = field(default=INSTALMENTS)

    @property
    def total_minor(self) -> int:
        return sum(e.quantity * e.unit_price_minor for e in self.equipment)

    def paragraphs(self) -> list[str]:
        return [
            "宁波华翔注塑机改造 技术方案",
            f"交期 {self.lead_time_days} 天，到货后{self.acceptance}合格支付验收款。",
            f"质保 {self.warranty_months} 个月。",
            "设备清单如下：",
        ]

    def table(self) -> list[list[str]]:
        rows = [["型号", "描述", "数量", "单价"]]
        rows += [[e.model, e.description, str(e.quantity), f"{e.unit_price_yuan:,}"] for e in self.equipment]
        rows.append(["合计", "", "", f"{self.total_minor // 100:,}"])
        return rows

    def docx(self) -> bytes:
        """The proposal with its equipment table (extractable: 型号/描述/数量/单价)."""
        return make_docx(self.paragraphs() + [f"交期 {self.lead_time_days} 天"], self.table())

    def xlsx(self) -> bytes:
        """The equipment list as a sheet, with 交期 and 质保 cells."""
        rows: list[list[object]] = [
            ["宁波华翔 设备清单"],
            ["交期", self.lead_time_days],
            ["质保", self.warranty_months],
        ]
        rows.append(["型号", "描述", "数量", "单价"])
        rows += [[e.model, e.description, e.quantity, e.unit_price_yuan] for e in self.equipment]
        rows.append(["合计", None, None, self.total_minor // 100])
        return make_xlsx(rows)

    def pdf(self) -> bytes:
        return make_pdf([self.paragraphs() + [" ".join(r) for r in self.table()]])

    def fields(self) -> dict:
        """The uploader's JSON fields (VersionFields' names)."""
        return {
            "currency": "CNY",
            "total_minor": self.total_minor,
            "instalments": list(self.instalments),
            "delivery_lead_time_days": self.lead_time_days,
            "warranty_months": self.warranty_months,
            "equipment": [
                {
                    "model": e.model,
                    "description": e.description,
                    "quantity": e.quantity,
                    "unit_price_minor": e.unit_price_minor,
                }
                for e in self.equipment
            ],
        }

    def fields_json(self) -> str:
        return json.dumps(self.fields(), ensure_ascii=False)


HX280 = Equipment("HX-280", "伺服节能注塑机 280T", 2, 680_000)
MT12 = Equipment("MT-12", "模具温控机", 2, 35_000)
RB5 = Equipment("RB-5", "取件机械手", 1, 120_000)

_V1 = Proposal((HX280, MT12), lead_time_days=30, change_summary="首版方案")
_V2 = replace(_V1, equipment=(replace(HX280, unit_price_yuan=660_000), MT12), change_summary="HX-280 单价下调")
_V3 = replace(_V2, equipment=_V2.equipment + (RB5,), lead_time_days=45, change_summary="交期改为 45 天，增加机械手")
PROPOSAL_VERSIONS: tuple[Proposal, Proposal, Proposal] = (_V1, _V2, _V3)
