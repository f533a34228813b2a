"""Text fields carry text: one check, run by every service's gRPC server
over every string of every request, so a control character never reaches a
rule, a database (PostgreSQL refuses NUL in text; SQLite stores it) or an
export.

Refused: the C0 controls except tab, line feed and carriage return
(U+0000-U+0008, U+000B, U+000C, U+000E-U+001F), DEL (U+007F), the C1
controls (U+0080-U+009F), the noncharacters U+FFFE and U+FFFF, and lone
surrogates (U+D800-U+DFFF, which no UTF-8 text holds). Everything else,
including every CJK character and emoji, is text."""

from __future__ import annotations

import re
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from crm_shared.domain.errors import FieldViolation, InvalidArgument

REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Well-known types whose JSON shape is the one clients know (custom_fields.开模数).
_STRUCT = "google.protobuf.Struct"
_VALUE = "google.protobuf.Value"
_LIST = "google.protobuf.ListValue"


def refused_character(text: str) -> str | None:
    """A description of the first refused character in `text`, or None."""
    match = REFUSED.search(text)
    if match is None:
        return None
    return f"must not contain control characters (U+{ord(match.group()):04X} at position {match.start() + 1})"


def text_violations(message: Message, prefix: str = "") -> list[FieldViolation]:
    """Every string field of `message` holding a refused character, by its
    path: `company_name`, `stages[0].name`, `custom_fields.开模数`, `labels[key]`;
    nested messages, repeated fields, maps (keys and values) and Struct values
    included. Bytes fields are content, not text, and are not looked at."""
    name = message.DESCRIPTOR.full_name
    if name == _STRUCT:
        return _in_struct(message, prefix)
    if name == _VALUE:
        return _in_value(message, prefix)
    if name == _LIST:
        return _in_list(message, prefix)
    found: list[FieldViolation] = []
    for field, value in message.ListFields():
        path = f"{prefix}.{field.name}" if prefix else field.name
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            found += _in_map(field, value, path)
        elif field.is_repeated:
            for index, item in enumerate(value):
                found += _in_one(field, item, f"{path}[{index}]")
        else:
            found += _in_one(field, value, path)
    return found


def check_request_text(message: Message) -> None:
    """Raises InvalidArgument naming every string field with a refused character."""
    violations = text_violations(message)
    if violations:
        summary = "; ".join(f"{v.field}: {v.description}" for v in violations)
        raise InvalidArgument(summary, violations)


def _in_one(field: FieldDescriptor, value: Any, path: str) -> list[FieldViolation]:
    if field.type == FieldDescriptor.TYPE_STRING:
        problem = refused_character(value)
        return [FieldViolation(path, problem)] if problem else []
    if field.type in (FieldDescriptor.TYPE_MESSAGE, FieldDescriptor.TYPE_GROUP):
        return text_violations(value, path)
    return []


def _in_map(field: FieldDescriptor, mapping: Any, path: str) -> list[FieldViolation]:
    key_field = field.message_type.fields_by_name["key"]
    value_field = field.message_type.fields_by_name["value"]
    found: list[FieldViolation] = []
    for key in mapping:
        if key_field.type == FieldDescriptor.TYPE_STRING and (problem := refused_character(key)):
            found.append(FieldViolation(f"{path} (a key)", problem))
            continue
        found += _in_one(value_field, mapping[key], f"{path}[{key}]")
    return found


def _in_struct(struct: Any, prefix: str) -> list[FieldViolation]:
    found: list[FieldViolation] = []
    for key in struct.fields:
        if problem := refused_character(key):
            found.append(FieldViolation(f"{prefix} (a key)", problem))
            continue
        found += _in_value(struct.fields[key], f"{prefix}.{key}" if prefix else key)
    return found


def _in_value(value: Any, path: str) -> list[FieldViolation]:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        problem = refused_character(value.string_value)
        return [FieldViolation(path, problem)] if problem else []
    if kind == "struct_value":
        return _in_struct(value.struct_value, path)
    if kind == "list_value":
        return _in_list(value.list_value, path)
    return []


def _in_list(values: Any, path: str) -> list[FieldViolation]:
    found: list[FieldViolation] = []
    for index, item in enumerate(values.values):
        found += _in_value(item, f"{path}[{index}]")
    return found
