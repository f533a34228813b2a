import json

import grpc
import pytest
from crm.document_versioning.v1 import document_versioning_pb2 as docs_pb
from crm.lead_routing.v1 import lead_routing_pb2 as leads_pb
from crm_shared.domain.errors import FieldViolation, Violation
from crm_shared.grpc_errors import RemoteError
from gateway.adapters.backends import to_json
from gateway.entrypoints.middleware import trace_id_from
from gateway.problems import from_remote_error, from_validation_errors
from google.protobuf.timestamp_pb2 import Timestamp


@pytest.mark.parametrize(
    "code,status",
    [
        (grpc.StatusCode.INVALID_ARGUMENT, 400),
        (grpc.StatusCode.NOT_FOUND, 404),
        (grpc.StatusCode.ALREADY_EXISTS, 409),
        (grpc.StatusCode.FAILED_PRECONDITION, 409),
        (grpc.StatusCode.PERMISSION_DENIED, 403),
        (grpc.StatusCode.ABORTED, 409),
        (grpc.StatusCode.UNAVAILABLE, 503),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, 413),  # a size limit (document content)
        (grpc.StatusCode.DEADLINE_EXCEEDED, 503),
        (grpc.StatusCode.INTERNAL, 502),
        (grpc.StatusCode.UNKNOWN, 502),
        (grpc.StatusCode.UNIMPLEMENTED, 502),
    ],
)
def test_grpc_status_maps_to_http(code: grpc.StatusCode, status: int) -> None:
    problem = from_remote_error(RemoteError(code, "secret internals"), "approval")
    body = problem.body()
    assert body["status"] == status and body["type"].startswith("urn:crm:problem:")
    if status >= 500:
        assert "secret" not in body["detail"] and "approval" in body["detail"]


def test_invalid_argument_names_each_field() -> None:
    remote = RemoteError(
        grpc.StatusCode.INVALID_ARGUMENT,
        "bad",
        field_violations=[FieldViolation("company_name", "is required"), FieldViolation("phone", "not a phone")],
    )
    body = from_remote_error(remote).body()
    assert body["errors"] == [
        {"field": "company_name", "description": "is required"},
        {"field": "phone", "description": "not a phone"},
    ]
    assert "violations" not in body


def test_failed_precondition_lists_violations() -> None:
    remote = RemoteError(
        grpc.StatusCode.FAILED_PRECONDITION,
        "gate not met",
        precondition_violations=[Violation("document", "contract", "no signed contract")],
    )
    body = from_remote_error(remote).body()
    assert body["status"] == 409 and body["detail"] == "gate not met"
    assert body["violations"] == [{"type": "document", "subject": "contract", "description": "no signed contract"}]


def test_validation_errors_name_nested_fields() -> None:
    problem = from_validation_errors(
        [
            {"loc": ("body", "budget", "amount_minor"), "msg": "Input should be a valid integer"},
            {"loc": ("body", "items", 0, "name"), "msg": "Field required"},
            {"loc": ("query", "page_size"), "msg": "too small"},
            {"loc": ("body",), "msg": "JSON decode error"},
        ]
    )
    assert problem.status == 422
    fields = [e["field"] for e in problem.body()["errors"]]
    assert fields == ["budget.amount_minor", "items[0].name", "query.page_size", "body"]


def test_to_json_keeps_int64_numbers_iso_times_and_nulls() -> None:
    created = Timestamp(seconds=1_763_800_000)
    budget = {"amount_minor": 9_007_199_254_740_993, "currency": "CNY"}
    lead = leads_pb.Lead(lead_id="l1", budget=budget, created_at=created)
    out = to_json(lead)
    assert out["budget"] == {"amount_minor": 9_007_199_254_740_993, "currency": "CNY"}
    assert out["created_at"] == "2025-11-22T08:26:40Z"
    assert out["company_name"] == "" and to_json(leads_pb.Lead())["budget"] is None
    reply = to_json(docs_pb.GetVersionResponse(content="合同".encode()))
    assert reply["content"] == "5ZCI5ZCM" and reply["version"] is None


def test_trace_id_from_request_id_traceparent_or_new() -> None:
    assert trace_id_from({b"x-request-id": b"abc-123"}) == "abc-123"
    tp = b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    assert trace_id_from({b"traceparent": tp}) == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert len(trace_id_from({b"x-request-id": b"bad value\n"})) == 36


def test_to_json_answers_a_non_finite_number_as_null_so_the_reply_stays_json() -> None:
    lead = leads_pb.Lead(lead_id="l1", latitude=float("inf"), longitude=float("nan"))
    out = to_json(lead)
    assert (out["latitude"], out["longitude"]) == (None, None)
    json.dumps(out, allow_nan=False)  # what the HTTP response does; raised before
