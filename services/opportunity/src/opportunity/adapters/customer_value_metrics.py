"""Prometheus metrics of customer value tiers and health (the service's /metrics).
Tenant-level labels only (no per-customer ones)."""

from prometheus_client import Counter, Gauge, Histogram

_SECONDS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 180, 600)
TIER_CUSTOMERS = Gauge("crm_value_tier_customers", "Customers per value tier", ["tenant", "tier"])
RECOMPUTE_DURATION = Histogram(
    "crm_value_tier_recompute_duration_seconds",
    "Time to recompute a chunk of customers' value tiers",
    ["trigger"],
    buckets=_SECONDS,
)
HEALTH_ALERTS = Counter("crm_customer_health_alerts_total", "Customer health alerts raised (seed 001)", ["tenant"])
