"""ISO 20022 CAMT.053 (BkToCstmrStmt) → ParsedStatement, one per <Stmt>.
defusedxml refuses DTDs, entities and external references; size is bounded
by the caller and nesting depth here, so a hostile file costs nothing."""

from __future__ import annotations

from datetime import date
from xml.etree.ElementTree import Element

from crm_shared.domain.errors import InvalidArgument
from defusedxml import DefusedXmlException, ElementTree

from finance_reconciliation.domain.statement import ParsedLine, ParsedStatement, Rejected, to_minor

MAX_DEPTH = 40


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _strip_namespaces(root: Element) -> None:
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidArgument.field("file", f"CAMT.053 nested deeper than {MAX_DEPTH} levels")
        node.tag = _local(node.tag)
        stack.extend((child, depth + 1) for child in node)


def _text(node: Element | None, path: str) -> str:
    found = node.find(path) if node is not None else None
    return (found.text or "").strip() if found is not None and found.text else ""


def _day(node: Element | None, path: str) -> date | None:
    text = _text(node, f"{path}/Dt") or _text(node, f"{path}/DtTm")[:10]
    return date.fromisoformat(text) if text else None


def _balance(stmt: Element, codes: tuple[str, ...]) -> tuple[int | None, date | None]:
    for bal in stmt.findall("Bal"):
        if _text(bal, "Tp/CdOrPrtry/Cd") in codes:
            amount = to_minor(_text(bal, "Amt"), "Bal/Amt")
            sign = -1 if _text(bal, "CdtDbtInd") == "DBIT" else 1
            return sign * amount, _day(bal, "Dt")
    return None, None


def _entry(ntry: Element, row: int, currency: str) -> ParsedLine:
    indicator = _text(ntry, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise InvalidArgument.field("CdtDbtInd", f"{indicator!r} is neither CRDT nor DBIT")
    direction = "credit" if indicator == "CRDT" else "debit"
    amt = ntry.find("Amt")
    booked = _day(ntry, "BookgDt")
    if booked is None:
        raise InvalidArgument.field("BookgDt", "missing")
    party = "Dbtr" if direction == "credit" else "Cdtr"
    tx = ntry.find("NtryDtls/TxDtls")
    name = _text(tx, f"RltdPties/{party}/Nm") or _text(tx, f"RltdPties/{party}/Pty/Nm")
    account = _text(tx, f"RltdPties/{party}Acct/Id/IBAN") or _text(tx, f"RltdPties/{party}Acct/Id/Othr/Id")
    remark = " ".join(u.text.strip() for u in (tx.findall("RmtInf/Ustrd") if tx is not None else []) if u.text)
    return ParsedLine(
        booked_on=booked,
        value_on=_day(ntry, "ValDt"),
        amount_minor=to_minor(_text(ntry, "Amt"), "Ntry/Amt"),
        currency=(amt.get("Ccy") if amt is not None else "") or currency,
        direction=direction,
        counterparty_name=name[:200],
        counterparty_account=account[:64],
        remark=(remark or _text(ntry, "AddtlNtryInf"))[:500],
        bank_ref=(_text(ntry, "AcctSvcrRef") or _text(tx, "Refs/AcctSvcrRef"))[:100],
        row=row,
    )


def parse(content: bytes) -> list[ParsedStatement]:
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        raise InvalidArgument.field("file", f"not well-formed XML: {exc}") from None
    except DefusedXmlException as exc:
        raise InvalidArgument.field("file", f"XML with a DTD or entities is refused ({type(exc).__name__})") from None
    _strip_namespaces(root)
    statements = root.findall("BkToCstmrStmt/Stmt")
    if not statements:
        raise InvalidArgument.field("file", "no BkToCstmrStmt/Stmt: not a CAMT.053 statement")
    parsed = []
    for stmt in statements:
        account = _text(stmt, "Acct/Id/IBAN") or _text(stmt, "Acct/Id/Othr/Id")
        if not account:
            raise InvalidArgument.field("Acct/Id", "the statement names no account")
        currency = _text(stmt, "Acct/Ccy") or "CNY"
        opening, _ = _balance(stmt, ("OPBD", "PRCD"))
        closing, _ = _balance(stmt, ("CLBD",))
        out = ParsedStatement("camt053", account, currency, opening, closing)
        frm, to = _text(stmt, "FrToDt/FrDtTm")[:10], _text(stmt, "FrToDt/ToDtTm")[:10]
        out.period_from = date.fromisoformat(frm) if frm else None
        out.period_to = date.fromisoformat(to) if to else None
        for row, ntry in enumerate(stmt.findall("Ntry"), start=1):
            if _text(ntry, "Sts") in ("PDNG", "INFO") or _text(ntry, "Sts/Cd") in ("PDNG", "INFO"):
                continue  # pending entries are not booked; the next statement books them
            try:
                out.lines.append(_entry(ntry, row, currency))
            except (InvalidArgument, ValueError) as exc:
                out.rejected.append(Rejected(row, getattr(exc, "message", str(exc))))
        parsed.append(out)
    return parsed
