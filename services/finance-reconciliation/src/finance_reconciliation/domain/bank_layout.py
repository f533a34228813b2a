"""Column layouts of Chinese banks' CSV/Excel exports. A layout is tenant
data (each bank, and each version of its online banking, names columns its
own way): for every field, the header texts that mean it. The detector
finds the header row by those keywords, below any title rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm_shared.domain.errors import InvalidArgument

# Fields a layout maps. Either credit+debit columns (借方/贷方发生额) or one
# amount column with a direction column (交易金额 + 收支标志).
FIELDS = (
    "booked_on", "value_on", "credit", "debit", "amount", "direction", "counterparty_name",
    "counterparty_account", "remark", "bank_ref", "balance", "currency",
)
HEADER_SCAN_ROWS = 30  # title rows above the header; a header further down is not a header


@dataclass(frozen=True)
class BankLayout:
    name: str
    columns: dict[str, tuple[str, ...]]  # field → header texts meaning it
    credit_marks: tuple[str, ...] = ("贷", "收", "收入", "C", "CR", "贷方")
    date_formats: tuple[str, ...] = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y.%m.%d")
    debit_is_positive: bool = True

    def validate(self) -> None:
        unknown = sorted(set(self.columns) - set(FIELDS))
        if unknown:
            raise InvalidArgument.field("columns", f"unknown fields {unknown}; known: {list(FIELDS)}")
        if "booked_on" not in self.columns:
            raise InvalidArgument.field("columns", "booked_on is required")
        if not ({"credit", "debit"} <= set(self.columns) or {"amount", "direction"} <= set(self.columns)):
            raise InvalidArgument.field("columns", "needs credit and debit, or amount and direction")


@dataclass(frozen=True)
class HeaderMatch:
    row: int  # 0-based index of the header row
    positions: dict[str, int] = field(default_factory=dict)  # field → column index


def _norm(cell: object) -> str:
    return str(cell or "").strip().replace(" ", "").replace("\u3000", "").replace("(元)", "").replace("（元）", "")


def match_header(layout: BankLayout, rows: list[list[object]]) -> HeaderMatch | None:
    """The first row among the top HEADER_SCAN_ROWS naming every column the
    layout needs."""
    needed = {"booked_on"} | ({"credit", "debit"} if "credit" in layout.columns else {"amount", "direction"})
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [_norm(c) for c in row]
        positions: dict[str, int] = {}
        for name, texts in layout.columns.items():
            for col, cell in enumerate(cells):
                if cell and cell in texts:
                    positions[name] = col
                    break
        if needed <= set(positions):
            return HeaderMatch(index, positions)
    return None


def missing_columns(layouts: list[BankLayout], rows: list[list[object]]) -> str:
    """For the refusal: what the closest layout did not find."""
    best: tuple[int, str, list[str]] | None = None
    for layout in layouts:
        for row in rows[:HEADER_SCAN_ROWS]:
            cells = {_norm(c) for c in row}
            found = [n for n, texts in layout.columns.items() if cells & set(texts)]
            missing = [n for n in layout.columns if n not in found]
            if best is None or len(found) > best[0]:
                best = (len(found), layout.name, missing)
    if best is None:
        return "the file has no rows"
    return f"closest layout {best[1]!r} found no column for {', '.join(best[2])}"


# What 工商银行, 建设银行 and 招商银行 exports call their columns; tenants add
# or replace layouts through the API.
DEFAULT_LAYOUTS = (
    BankLayout(
        "icbc",
        {
            "booked_on": ("交易日期", "入账日期"),
            "bank_ref": ("交易流水号", "流水号"),
            "credit": ("贷方发生额", "贷方金额"),
            "debit": ("借方发生额", "借方金额"),
            "counterparty_name": ("对方户名", "对方单位名称"),
            "counterparty_account": ("对方账号",),
            "remark": ("摘要", "用途", "附言"),
            "balance": ("余额", "账户余额"),
            "currency": ("币种",),
        },
    ),
    BankLayout(
        "ccb",
        {
            "booked_on": ("交易时间", "记账日期"),
            "bank_ref": ("账户明细编号-交易流水号", "交易流水号"),
            "credit": ("贷方发生额（元）", "贷方发生额"),
            "debit": ("借方发生额（元）", "借方发生额"),
            "counterparty_name": ("对方户名",),
            "counterparty_account": ("对方账号",),
            "remark": ("摘要", "备注"),
            "balance": ("余额",),
            "currency": ("币种",),
        },
    ),
    BankLayout(
        "cmb",
        {
            "booked_on": ("交易日", "交易日期"),
            "value_on": ("起息日",),
            "bank_ref": ("流水号", "交易流水"),
            "amount": ("交易金额",),
            "direction": ("收支标志", "借贷标志"),
            "counterparty_name": ("收(付)方名称", "对方户名"),
            "counterparty_account": ("收(付)方账号", "对方账号"),
            "remark": ("用途", "摘要", "附言"),
            "balance": ("余额",),
        },
    ),
)
