"""A refusal of any size reaches the caller: the status is cut to fit gRPC's
trailer limits (8 KiB soft), keeping the first problems."""

from __future__ import annotations

import base64
import urllib.parse

from google.rpc import error_details_pb2, status_pb2

from crm_shared.domain.errors import FailedPrecondition, FieldViolation, InvalidArgument, Violation
from crm_shared.grpc_errors import rich_status


def _trailer_bytes(message: str, details: bytes) -> int:
    return len(urllib.parse.quote(message.encode())) + len(base64.b64encode(details))


def test_a_huge_refusal_is_cut_to_fit_the_trailers_and_keeps_the_first_problems() -> None:
    violations = [FieldViolation(f"routes[{i}].condition", "第1行第9列：公式嵌套太深" * 40) for i in range(500)]
    error = InvalidArgument("; ".join(f"{v.field}: {v.description}" for v in violations), violations)
    _, message, details = rich_status(error)
    assert len(message) <= 200 and message.startswith("routes[0].condition: 第1行")
    assert _trailer_bytes(message, details) < 8 * 1024
    status = status_pb2.Status.FromString(details)
    bad = error_details_pb2.BadRequest()
    status.details[0].Unpack(bad)
    fields = [v.field for v in bad.field_violations]
    assert fields[0] == "routes[0].condition" and len(fields) < 500
    assert bad.field_violations[-1].description == f"… and {500 - len(fields) + 1} more problems"
    assert bad.field_violations[-1].field == fields[-1]


def test_a_long_precondition_refusal_is_cut_too() -> None:
    error = FailedPrecondition("门禁" * 5000, [Violation("document", f"doc-{i}", "缺少" * 300) for i in range(100)])
    _, message, details = rich_status(error)
    assert _trailer_bytes(message, details) < 8 * 1024


def test_an_ordinary_refusal_is_unchanged() -> None:
    violation = FieldViolation("formula", "line 1, column 3: unknown field")
    error = InvalidArgument("formula: line 1, column 3: unknown field", [violation])
    _, message, details = rich_status(error)
    bad = error_details_pb2.BadRequest()
    status_pb2.Status.FromString(details).details[0].Unpack(bad)
    assert message == error.message
    assert [(v.field, v.description) for v in bad.field_violations] == [("formula", "line 1, column 3: unknown field")]


def test_a_not_found_naming_a_ten_thousand_character_id_is_cut() -> None:
    from crm_shared.domain.errors import NotFound

    _, message, details = rich_status(NotFound(f"lead {'9' * 10_000} not found"))
    assert len(message) <= 200 and message.startswith("lead 999") and message.endswith("…")
    assert _trailer_bytes(message, details) < 1024
