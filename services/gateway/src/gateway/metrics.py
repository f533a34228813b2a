"""HTTP metrics of the gateway (the backends' gRPC metrics are their own)."""

from prometheus_client import Counter, Gauge, Histogram

HTTP_LATENCY = Histogram(
    "crm_http_request_duration_seconds", "HTTP request handling time", ["method", "route", "status"]
)
HTTP_IN_FLIGHT = Gauge("crm_http_requests_in_flight", "HTTP requests being handled")

NOTIFICATIONS_DELIVERED = Counter("crm_notifications_delivered_total", "Notifications handed to a channel", ["channel"])
SSE_CONNECTIONS = Gauge("crm_sse_connections", "Open notification streams (SSE) on this replica")
