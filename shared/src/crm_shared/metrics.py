"""Prometheus metrics common to every service, served on /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, start_http_server

GRPC_LATENCY = Histogram(
    "crm_grpc_server_handling_seconds", "gRPC handling time", ["service", "method"]
)
GRPC_ERRORS = Counter(
    "crm_grpc_server_errors_total", "gRPC calls that ended in an error", ["service", "method", "code"]
)
OUTBOX_DEPTH = Gauge("crm_outbox_depth", "Events committed but not yet published", ["service"])
OUTBOX_PUBLISHED = Counter("crm_outbox_published_total", "Events published by the relay", ["service"])
OUTBOX_PUBLISH_FAILURES = Counter(
    "crm_outbox_publish_failures_total", "Relay publish attempts that failed", ["service"]
)
EVENTS_HANDLED = Counter(
    "crm_events_handled_total", "Events handled by a consumer", ["service", "consumer", "outcome"]
)
EVENT_LAG = Histogram(
    "crm_event_lag_seconds", "Time from an event's occurrence to its handling", ["service", "consumer"]
)
DEAD_LETTERS = Counter(
    "crm_dead_letters_total", "Messages parked in the dead-letter stream", ["service", "consumer"]
)
JOB_RUNS = Counter("crm_job_runs_total", "Periodic job runs on this replica", ["service", "job", "outcome"])


def serve_metrics(port: int) -> None:
    start_http_server(port)
