"""The console's Prometheus metrics (served at /metrics)."""

from prometheus_client import Histogram

PAGE_SECONDS = Histogram(
    "crm_web_page_seconds", "Server time of a page or fragment, gateway calls included", ["route", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5),
)
GATEWAY_CALL_SECONDS = Histogram(
    "crm_web_gateway_call_seconds", "Time of one call to the gateway", ["method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
