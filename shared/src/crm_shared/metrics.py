"""Prometheus metrics common to every service, served on /metrics."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from wsgiref.simple_server import WSGIServer

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


@dataclass
class MetricsServer:
    """/metrics served on a thread of the process."""

    server: WSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        """The port bound: the one asked for, or the one the system chose for port 0."""
        return int(self.server.server_address[1])

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve_metrics(port: int, host: str = "0.0.0.0") -> MetricsServer:
    """Serve /metrics on host:port; port 0 binds a free port (see .port)."""
    server, thread = start_http_server(port, addr=host)
    return MetricsServer(server, thread)
