"""Prometheus metrics of contact depth (served on the service's /metrics).
No per-customer or per-tenant labels: `trigger` is event | sweep | tenant."""

from prometheus_client import Histogram

_SECONDS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 180, 600)
# The event's occurred_at to the CDI row written: the freshness promised (under 3 minutes).
RECOMPUTE_LAG = Histogram(
    "crm_cdi_recompute_lag_seconds", "Event occurred to the customer's CDI row written", buckets=_SECONDS
)
RECOMPUTE_DURATION = Histogram(
    "crm_cdi_recompute_duration_seconds", "Time to recompute a batch of customers' CDI", ["trigger"], buckets=_SECONDS
)
