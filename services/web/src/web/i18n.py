"""Translations and the formats users read: Chinese first (zh_CN), English
available; amounts in ¥ from integer 分, times in Asia/Shanghai.

Messages are English in the code and templates; each area's Chinese lives in
locale/zh_CN/LC_MESSAGES/<area>.po (one file per area), all merged at start."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_currency_symbol
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@cache
def translations(lang: str) -> NullTranslations:
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    merged: Translations | None = None
    for po in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        with po.open("rb") as f:
            catalog = read_po(f, locale=lang)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        t = Translations(buf)
        merged = t if merged is None else merged.merge(t)
    return merged or NullTranslations()


def gettext(lang: str, message: str, **values: Any) -> str:
    text = translations(lang).gettext(message)
    return text.format(**values) if values else text


def babel_locale(lang: str) -> str:
    return "zh_CN" if lang == "zh_CN" else "en_US"


def yuan(fen: Any, currency: str = "CNY", lang: str = "zh_CN") -> str:
    """Integer 分 as an amount with its currency symbol and thousands separators: 123456 -> ¥1,234.56."""
    if fen is None or fen == "":
        return ""
    try:
        value = int(fen)
    except (TypeError, ValueError):
        return str(fen)
    symbol = "¥" if currency in ("CNY", "", None) else get_currency_symbol(currency, babel_locale(lang))
    text = format_decimal(Decimal(abs(value)) / 100, format="#,##0.00", locale=babel_locale(lang))
    return f"{'-' if value < 0 else ''}{symbol}{text}"


def _as_datetime(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=SHANGHAI)
    else:
        try:
            dt = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZoneInfo("UTC"))
    return dt.astimezone(SHANGHAI)


def shanghai(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC time (ISO text or datetime) as the wall clock in Asia/Shanghai."""
    dt = _as_datetime(value)
    return dt.strftime(fmt) if dt else ("" if value in (None, "") else str(value))


def shanghai_date(value: Any) -> str:
    if isinstance(value, str) and len(value) == 10:
        return value  # already a calendar date
    return shanghai(value, "%Y-%m-%d")
