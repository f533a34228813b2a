"""The seed customers' pipelines (seeds 000, 002, 003) as REST bodies for
POST /v1/pipelines: stages as data, with their gates."""

from __future__ import annotations

from typing import Any


def stage(name: str, probability: int, category: str, fields=(), documents=(), approval=False) -> dict[str, Any]:
    return {
        "name": name,
        "probability": probability,
        "forecast_category": category,
        "gate": {"required_fields": list(fields), "required_documents": list(documents), "requires_approval": approval},
    }


# 000: 华东机械制造; 每个阶段有必填项; 进入"方案提交"前必须上传客户需求分析文档; 合同须审批.
MACHINERY = {
    "name": "大型设备销售",
    "product_line": "大型设备",
    "stages": [
        stage("初步接触", 10, "pipeline"),
        stage("需求确认", 25, "pipeline", fields=["decision_maker"]),
        stage("方案提交", 40, "best_case", documents=["客户需求分析文档"]),
        stage("报价谈判", 60, "best_case", fields=["amount", "expected_close_date"]),
        stage("合同签署", 90, "commit", approval=True),
    ],
}

# 002: 非标件项目 (定制); 样件制作前要有客户需求确认书和技术方案审批; 批量生产要有金额和合同到期日.
CUSTOM_PARTS = {
    "name": "非标件项目",
    "product_line": "非标零部件",
    "stages": [
        stage("需求确认", 10, "pipeline"),
        stage("方案设计", 30, "pipeline", fields=["decision_maker"]),
        stage("样件制作", 50, "best_case", documents=["客户需求确认书"], approval=True),
        stage("客户测试", 70, "best_case", documents=["样件交付记录"]),
        stage("批量生产", 90, "commit", fields=["amount", "contract_end_date"]),
    ],
}

# 003: 展会扫码线索; 无《客户需求确认书》不能进第三阶段, 无《技术协议》不能进第四阶段.
EXPO = {
    "name": "展会线索转化",
    "product_line": "注塑机自动化",
    "stages": [
        stage("扫码留资", 5, "pipeline"),
        stage("技术顾问首次触达", 15, "pipeline"),
        stage("客户确认设备型号", 35, "best_case", documents=["客户需求确认书"]),
        stage("签订技术协议", 60, "commit", documents=["技术协议"]),
        stage("付首期款", 90, "commit", fields=["amount"]),
    ],
}

SEEDS = (MACHINERY, CUSTOM_PARTS, EXPO)
