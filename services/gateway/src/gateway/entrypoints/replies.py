"""Response models: what `to_json` (adapters/backends.py) makes of a response
message, derived from the message's descriptor so the OpenAPI document says
what comes back and a generated client gets typed models. One model per
message full name, named as the message (<name>Reply when a request body
has that name, e.g. MoneyReply beside the Money a client sends); a route declares
`response_model=reply(lead_routing.GetLead)`.

Every field is present (to_json writes defaults too), typed by its protobuf
type: integers as integers (int64 too), double/float as numbers or null (a
non-finite one), bytes as base64 text, Timestamp as a date-time text, Struct
as an object, a message or proto3 `optional` field as nullable, repeated as a
list, enums by name. Unknown keys are refused, so a reply the model does not
describe fails loudly instead of losing a field."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model

from gateway.adapters.stubs import Method
from gateway.entrypoints.schemas import BODY_NAMES

Timestamp = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
Base64 = Annotated[str, WithJsonSchema({"type": "string", "format": "byte"})]

_INTEGERS = {
    FieldDescriptor.TYPE_INT32,
    FieldDescriptor.TYPE_INT64,
    FieldDescriptor.TYPE_UINT32,
    FieldDescriptor.TYPE_UINT64,
    FieldDescriptor.TYPE_SINT32,
    FieldDescriptor.TYPE_SINT64,
    FieldDescriptor.TYPE_FIXED32,
    FieldDescriptor.TYPE_FIXED64,
    FieldDescriptor.TYPE_SFIXED32,
    FieldDescriptor.TYPE_SFIXED64,
}
_WELL_KNOWN: dict[str, Any] = {"google.protobuf.Timestamp": Timestamp, "google.protobuf.Struct": dict[str, Any]}

_models: dict[str, type[BaseModel]] = {}


class Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")


def reply(method: Method) -> type[BaseModel]:
    """The response model of a route that answers with `method`'s response."""
    return model_of(method.response.DESCRIPTOR)


def model_of(message: Descriptor) -> type[BaseModel]:
    model = _models.get(message.full_name)
    if model is None:
        fields: dict[str, Any] = {}
        for field in message.fields:
            # A field named like a BaseModel attribute (json, schema, copy ...) keeps its name on the wire only.
            python_name = f"{field.name}_" if hasattr(Reply, field.name) else field.name
            fields[python_name] = (_annotation(field), Field(alias=field.name))
        model = create_model(_model_name(message), __base__=Reply, __module__=__name__, **fields)
        _models[message.full_name] = model
    return model


_named: dict[str, str] = {}  # model name -> the message's full name


def _model_name(message: Descriptor) -> str:
    """The message's name, unique in the OpenAPI document: two packages' messages of one name
    (document-versioning's and finance's Instalment) are told apart by their package
    (FinanceReconciliationInstalment), or a generated client could not hold both."""
    name = f"{message.name}Reply" if message.name in BODY_NAMES else message.name
    if _named.setdefault(name, message.full_name) != message.full_name:
        package = message.file.package.split(".")[1]  # crm.<package>.v1
        name = "".join(part.title() for part in package.split("_")) + name
        _named[name] = message.full_name
    return name


def _annotation(field: FieldDescriptor) -> Any:
    if field.type == FieldDescriptor.TYPE_MESSAGE and field.message_type.GetOptions().map_entry:
        raise TypeError(f"{field.full_name}: map fields have no JSON form in the gateway yet")
    one = _one(field)
    if field.is_repeated:
        return list[one]  # type: ignore[valid-type]
    if field.type == FieldDescriptor.TYPE_MESSAGE or field.has_presence:
        return one | None  # unset: null
    return one


def _one(field: FieldDescriptor) -> Any:
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        return _WELL_KNOWN.get(field.message_type.full_name) or model_of(field.message_type)
    if field.type in _INTEGERS:
        return int
    if field.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return float | None  # JSON has no infinity or NaN: to_json writes null
    if field.type == FieldDescriptor.TYPE_BOOL:
        return bool
    if field.type == FieldDescriptor.TYPE_BYTES:
        return Base64
    if field.type == FieldDescriptor.TYPE_ENUM:
        return Literal[tuple(value.name for value in field.enum_type.values)]
    return str
