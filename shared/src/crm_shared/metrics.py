"""Prometheus metrics common to every service, served on /metrics."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import Counter, Gauge, Histogram, make_wsgi_app
from prometheus_client.exposition import ThreadingWSGIServer

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
        self.server.shutdown()  # within one poll interval
        self.server.server_close()
        self.thread.join(timeout=5)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Scrapes are not logged."""


# serve_forever notices a shutdown only at its next poll; the library's 0.5 s held up every
# service's close (and the event loop with it) by that much.
POLL_INTERVAL_S = 0.05


def serve_metrics(port: int, host: str = "0.0.0.0") -> MetricsServer:
    """Serve /metrics on host:port on a daemon thread; port 0 binds a free port (see .port)."""
    server = make_server(host, port, make_wsgi_app(), ThreadingWSGIServer, handler_class=_QuietHandler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": POLL_INTERVAL_S}, name="metrics", daemon=True
    )
    thread.start()
    return MetricsServer(server, thread)
