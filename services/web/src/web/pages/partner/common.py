"""What the partner portal's pages share: the gateway's statuses as shown,
amounts in 元 read into exact 分, the gateway's field errors placed at their
fields, and the uploaded material's body."""

from __future__ import annotations

import base64
import re
from datetime import date, datetime
from typing import Any

from fastapi import Request, UploadFile
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from web.gateway import GatewayProblem
from web.i18n import SHANGHAI, shanghai_date
from web.templating import render

PAGE_SIZE = 20
# The gateway takes bodies up to 20 MiB and the file travels base64-encoded (4/3 larger) inside one.
MAX_FILE_BYTES = 14 * 1024 * 1024

# Statuses and outcomes as the gateway names them → the English msgid shown (translated in partner.po).
REGISTRATION_STATUS = {
    "pending": "Waiting for approval",
    "under_review": "Under review",
    # The gateway shows a partner its clash (撞单) as under review: who else registered is not theirs to know.
    "clash": "Under review",
    "refused": "Refused",
    "approved": "Approved, protected",
    "rejected": "Rejected",
    "lapsed": "Protection ended",
    "converted": "Converted to an opportunity",
}
OUTCOME = {
    "no_conflict": "No conflict: the registration goes to the channel manager for approval.",
    "under_review": "Under review: the channel manager reviews this registration before it is approved.",
    "refused": "Refused: this customer is already registered.",
}
EXTENSION_STATUS = {
    "submitting": "Being submitted",
    "pending": "Waiting for approval",
    "approved": "Extension approved",
    "rejected": "Rejected",
}
APPLICATION_STATUS = {"submitted": "Submitted", "approved": "Application approved", "rejected": "Rejected"}
LABELS = {
    "registration": REGISTRATION_STATUS,
    "outcome": OUTCOME,
    "extension": EXTENSION_STATUS,
    "application": APPLICATION_STATUS,
}

# A form field that stands for several of the gateway's: the file input for the document's name, content and type.
ALIASES = {"file": ("file", "filename", "content_base64", "content_type")}

# 元 as typed: digits (thousands commas allowed), at most two decimals, at most 10^13 元 (the gateway's bound
# is 10^15 分). No exponent, sign or third decimal: those are refused rather than rounded.
_YUAN = re.compile(r"(?P<whole>\d{1,13}|\d{1,3}(?:,\d{3}){1,4})(?:\.(?P<frac>\d{1,2}))?")


class FormErrors(dict[str, list[str]]):
    def add(self, name: str, message: str) -> None:
        self.setdefault(name, []).append(message)


def fen_from_yuan(text: str) -> int:
    """'1,234.56' or '¥1234.5' → 123456 / 123450 分, exactly. ValueError for anything else."""
    cleaned = text.strip().lstrip("¥￥").strip()
    m = _YUAN.fullmatch(cleaned)
    if not m:
        raise ValueError(text)
    whole = int(m["whole"].replace(",", ""))
    frac = (m["frac"] or "").ljust(2, "0")
    return whole * 100 + int(frac)


def rate_text(bp: int) -> str:
    """Basis points as a percentage: 200 → '2%', 250 → '2.5%', 5 → '0.05%'."""
    whole, rest = divmod(int(bp or 0), 100)
    return f"{whole}.{rest:02d}".rstrip("0").rstrip(".") + "%"


def shanghai_today() -> date:
    return datetime.now(SHANGHAI).date()


def days_left(until: Any, today: date | None = None) -> int | None:
    """Calendar days (Asia/Shanghai) from today to the protection's last day; None without one."""
    end = shanghai_date(until)
    if not end:
        return None
    return (date.fromisoformat(end) - (today or shanghai_today())).days


def _field_parts(field: str) -> list[str]:
    """`expected_amount.amount_minor` → its parts; `models[0]` → `models`."""
    return [p for p in re.split(r"[./]|\[\d+\]", field) if p]


def problem_fields(problem: GatewayProblem | None, name: str) -> list[str]:
    """The gateway's descriptions for form field `name`: `name`, `x.name`, `name.amount_minor`, `models[0]`."""
    if problem is None:
        return []
    return [str(e.get("description", "")) for e in problem.errors if name in _field_parts(str(e.get("field", "")))]


def unmatched_errors(problem: GatewayProblem | None, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """The gateway's field errors that no field of the form shows (for the banner)."""
    if problem is None:
        return []
    shown = {alias for name in fields for alias in ALIASES.get(name, (name,))}
    return [e for e in problem.errors if not set(_field_parts(str(e.get("field", "")))) & shown]


def page(
    request: Request,
    name: str,
    ctx: dict[str, Any],
    *,
    fields: tuple[str, ...] = (),
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    problem = ctx.get("problem")
    local = errors or FormErrors()

    def errs(field: str) -> list[str]:
        return local.get(field, []) + [m for name in ALIASES.get(field, (field,)) for m in problem_fields(problem, name)]

    ctx = {
        "labels": LABELS,
        "errs": errs,
        "unmatched": unmatched_errors(problem, fields),
        "rate_text": rate_text,
        "has_errors": bool(local),
        "form": {},
        **ctx,
    }
    return render(request, name, ctx, status_code=status_code)


def refusal_status(problem: GatewayProblem) -> int:
    """A refusal shown on the form keeps the gateway's 4xx."""
    return problem.status if 400 <= problem.status < 500 else 503


def form_text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def form_file(form: FormData, name: str) -> UploadFile | None:
    value = form.get(name)
    if value is None or isinstance(value, str) or not getattr(value, "filename", ""):
        return None
    return value  # type: ignore[return-value]


async def read_material(upload: UploadFile | None, errors: FormErrors) -> tuple[str, bytes, str] | None:
    """The chosen file as (filename, content, type); an empty or too large one is a field error."""
    if upload is None:
        return None
    content = await upload.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        errors.add("file", "The file is larger than 14 MB.")
        return None
    if not content:
        errors.add("file", "The file is empty.")
        return None
    return upload.filename or "material", content, upload.content_type or ""


def document_body(material: tuple[str, bytes, str], title: str) -> dict[str, Any]:
    filename, content, content_type = material
    return {
        "filename": filename[-255:],
        "title": title or filename[:200],
        "content_type": content_type,
        "content_base64": base64.b64encode(content).decode("ascii"),
    }


def money(fen: int) -> dict[str, Any]:
    return {"amount_minor": fen, "currency": "CNY"}
