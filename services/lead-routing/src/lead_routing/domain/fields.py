"""Field values of a lead beyond its fixed columns: tags (industries, a rep's
languages), and a tenant's own lead fields with their checked values."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from crm_shared.domain.errors import Validator

CUSTOM_TYPES = ("number", "text", "tags")
MAX_TAGS = 20
MAX_TAG_LENGTH = 30
MAX_TEXT = 200
TAG_SPLIT = re.compile(r"[,，、;；|/\n]+")


def normalise_tags(values: Any, v: Validator, field: str) -> tuple[str, ...]:
    """A list of tags, or one text of tags separated by commas, 、 or ;.
    Blank tags are dropped and repeats kept once, in the order given."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = TAG_SPLIT.split(values)
    if not isinstance(values, list | tuple):
        v.add(field, "must be a list of text")
        return ()
    tags: list[str] = []
    for value in values:
        if not isinstance(value, str):
            v.add(field, "must be a list of text")
            return ()
        tag = value.strip()
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            v.add(field, f"tag {tag[:10]!r}… is longer than {MAX_TAG_LENGTH} characters")
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        v.add(field, f"has more than {MAX_TAGS} tags")
    return tuple(tags)


def check_custom_values(values: Mapping[str, Any], types: Mapping[str, str], v: Validator) -> dict[str, Any]:
    """Values of a tenant's own fields, checked against their definitions.
    Numbers may come as numeric text (files), tags as one separated text;
    blank values are left out."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        where = f"custom_fields.{name}"
        kind = types.get(name)
        if kind is None:
            v.add(where, "is not a lead field of this tenant")
            continue
        if value is None or (isinstance(value, str) and not value.strip()) or value == []:
            continue
        if kind == "number":
            number = _number(value)
            if number is None:
                v.add(where, "must be a number")
                continue
            out[name] = number
        elif kind == "text":
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                v.add(where, "must be text")
                continue
            text = _number_text(value) if not isinstance(value, str) else value.strip()
            if len(text) > MAX_TEXT:
                v.add(where, f"is longer than {MAX_TEXT} characters")
                continue
            out[name] = text
        else:
            tags = normalise_tags(value, v, where)
            if tags:
                out[name] = list(tags)
    return out


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", ""))
        except ValueError:
            return None
    if not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def check_field_definition(name: str, kind: str, standard: Mapping[str, Any], reserved: frozenset[str]) -> str:
    """A tenant's new lead field: a name usable in formulas that does not
    shadow a standard field or an import column, and a known type."""
    v = Validator()
    name = name.strip()
    v.require("field.name", name)
    if len(name) > 30:
        v.add("field.name", "is longer than 30 characters")
    elif name and not re.fullmatch(r"[^\W\d][\w.]*", name):
        v.add("field.name", "starts with a letter and holds letters, digits, _ or . (it is used in formulas)")
    elif name in standard or name in reserved or name.upper() in ("TRUE", "FALSE"):
        v.add("field.name", f"{name!r} is a standard field name")
    if kind not in CUSTOM_TYPES:
        v.add("field.type", f"must be one of {', '.join(CUSTOM_TYPES)}")
    v.check()
    return name
