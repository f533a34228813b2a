"""HTTP metrics of the gateway (the backends' gRPC metrics are their own)."""

from prometheus_client import Gauge, Histogram

HTTP_LATENCY = Histogram(
    "crm_http_request_duration_seconds", "HTTP request handling time", ["method", "route", "status"]
)
HTTP_IN_FLIGHT = Gauge("crm_http_requests_in_flight", "HTTP requests being handled")
