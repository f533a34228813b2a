"""Real-shaped bank statement files, made here (no binaries committed):
CAMT.053 (ISO 20022 camt.053.001.02), MT940, and the CSV/xlsx exports of
工商银行 (GBK, title rows), 建设银行 and 招商银行 (交易金额 + 收支标志)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

import openpyxl


@dataclass(frozen=True)
class Entry:
    ref: str
    booked_on: date
    amount_minor: int  # positive
    credit: bool = True
    name: str = "上海精密机械有限公司"
    account: str = "6222020200112233445"
    remark: str = "货款 HT-2026-001"


def yuan(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def closing(opening: int, entries: list[Entry]) -> int:
    return opening + sum(e.amount_minor if e.credit else -e.amount_minor for e in entries)


def camt053(account: str, entries: list[Entry], opening: int = 0, closing_minor: int | None = None) -> bytes:
    close = closing(opening, entries) if closing_minor is None else closing_minor
    ntries = []
    for e in entries:
        party = "Dbtr" if e.credit else "Cdtr"
        ntries.append(f"""
      <Ntry>
        <Amt Ccy="CNY">{yuan(e.amount_minor)}</Amt>
        <CdtDbtInd>{"CRDT" if e.credit else "DBIT"}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{e.booked_on.isoformat()}</Dt></BookgDt>
        <ValDt><Dt>{e.booked_on.isoformat()}</Dt></ValDt>
        <AcctSvcrRef>{escape(e.ref)}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RltdPties><{party}><Nm>{escape(e.name)}</Nm></{party}><{party}Acct><Id><Othr><Id>{e.account}</Id></Othr></Id></{party}Acct></RltdPties>
          <RmtInf><Ustrd>{escape(e.remark)}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>""")
    first = entries[0].booked_on if entries else date(2026, 12, 1)
    last = entries[-1].booked_on if entries else first

    def bal(code: str, minor: int, day: date) -> str:
        return (f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="CNY">{yuan(abs(minor))}</Amt>'
                f"<CdtDbtInd>{'CRDT' if minor >= 0 else 'DBIT'}</CdtDbtInd><Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>")

    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG{first:%Y%m%d}</MsgId><CreDtTm>{last.isoformat()}T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-{account}-{first:%Y%m%d}</Id>
      <CreDtTm>{last.isoformat()}T18:00:00</CreDtTm>
      <FrToDt><FrDtTm>{first.isoformat()}T00:00:00</FrDtTm><ToDtTm>{last.isoformat()}T23:59:59</ToDtTm></FrToDt>
      <Acct><Id><Othr><Id>{account}</Id></Othr></Id><Ccy>CNY</Ccy></Acct>
      {bal("OPBD", opening, first)}
      {bal("CLBD", close, last)}{"".join(ntries)}
    </Stmt>
  </BkToCstmrStmt>
</Document>
""".encode()


def mt940(account: str, entries: list[Entry], opening: int = 0, closing_minor: int | None = None) -> bytes:
    close = closing(opening, entries) if closing_minor is None else closing_minor
    first = entries[0].booked_on if entries else date(2026, 12, 1)
    last = entries[-1].booked_on if entries else first

    def amt(minor: int) -> str:
        return f"{abs(minor) // 100},{abs(minor) % 100:02d}"

    lines = [":20:STMT" + f"{first:%y%m%d}", f":25:{account}", ":28C:00001/001",
             f":60F:{'C' if opening >= 0 else 'D'}{first:%y%m%d}CNY{amt(opening)}"]
    for e in entries:
        lines.append(f":61:{e.booked_on:%y%m%d}{e.booked_on:%m%d}{'C' if e.credit else 'D'}{amt(e.amount_minor)}NTRFNONREF//{e.ref}")
        lines.append(f":86:{e.remark} {e.name}")
    lines.append(f":62F:{'C' if close >= 0 else 'D'}{last:%y%m%d}CNY{amt(close)}")
    return ("\r\n".join(lines) + "\r\n-}").encode("utf-8")


def icbc_csv(account: str, entries: list[Entry], opening: int = 0, break_balance_at: int = -1) -> bytes:
    """工商银行 企业网银 明细 export: GBK, two title rows, 借方/贷方发生额, 余额."""
    out = io.StringIO()
    out.write("中国工商银行企业网上银行账户明细\r\n")
    out.write(f"账号：{account},户名：无锡恒达机床有限公司,币种：人民币\r\n")
    out.write("交易日期,交易流水号,摘要,借方发生额,贷方发生额,余额,对方户名,对方账号\r\n")
    balance = opening
    for i, e in enumerate(entries):
        balance += e.amount_minor if e.credit else -e.amount_minor
        shown = balance + (100 if i == break_balance_at else 0)
        out.write(f"{e.booked_on:%Y-%m-%d},{e.ref},{e.remark},{'' if e.credit else yuan(e.amount_minor)},"
                  f"{yuan(e.amount_minor) if e.credit else ''},{yuan(shown)},{e.name},{e.account}\r\n")
    out.write("合计,,,,,,,\r\n")
    return out.getvalue().encode("gbk")


def ccb_csv(account: str, entries: list[Entry], opening: int = 0, encoding: str = "utf-8-sig") -> bytes:
    """建设银行 export: UTF-8 with BOM (or GBK, as older 网银 versions save it), title row,
    借方/贷方发生额（元）, newest first."""
    out = io.StringIO()
    out.write(f"中国建设银行 账户交易明细 账号:{account}\r\n")
    out.write("交易时间,借方发生额（元）,贷方发生额（元）,余额,币种,对方户名,对方账号,摘要,账户明细编号-交易流水号\r\n")
    rows, balance = [], opening
    for e in entries:
        balance += e.amount_minor if e.credit else -e.amount_minor
        rows.append(f"{e.booked_on:%Y%m%d},{'' if e.credit else yuan(e.amount_minor)},"
                    f"{yuan(e.amount_minor) if e.credit else ''},{yuan(balance)},人民币,{e.name},{e.account},{e.remark},{e.ref}\r\n")
    out.writelines(reversed(rows))
    return out.getvalue().encode(encoding)


def cmb_xlsx(account: str, entries: list[Entry], opening: int = 0) -> bytes:
    """招商银行 企业银行 export as xlsx: title rows, 交易金额 + 收支标志, numeric cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["招商银行交易明细"])
    sheet.append([f"账号：{account}", "币种：人民币"])
    sheet.append([])
    sheet.append(["交易日", "起息日", "交易金额", "收支标志", "余额", "收(付)方名称", "收(付)方账号", "用途", "流水号"])
    balance = opening
    for e in entries:
        balance += e.amount_minor if e.credit else -e.amount_minor
        sheet.append([e.booked_on, e.booked_on, e.amount_minor / 100, "收" if e.credit else "支",
                      balance / 100, e.name, e.account, e.remark, e.ref])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def unknown_csv() -> bytes:
    return "日期,金额,说明\r\n2026-12-01,100.00,货款\r\n".encode("gbk")


def entries(n: int, start: int = 0, day: date = date(2026, 12, 1)) -> list[Entry]:
    from datetime import timedelta

    return [
        Entry(ref=f"TX{start + i:08d}", booked_on=day + timedelta(days=(start + i) // 50),
              amount_minor=10_000 + (start + i) * 37, credit=(start + i) % 5 != 4,
              remark=f"货款 HT-2026-{start + i:04d}")
        for i in range(n)
    ]
