"""Process health's Prometheus metrics: how long a recompute takes (per event, per tenant sweep)
and the tenant's share of healthy reps (low cardinality: tenant and trigger only)."""

from prometheus_client import Gauge, Histogram

RECOMPUTE_SECONDS = Histogram(
    "crm_opportunity_phi_recompute_seconds",
    "Seconds to recompute PHI rows (one rep on an event, every rep of a tenant in the sweep)",
    ["trigger"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
HEALTHY_SHARE = Gauge(
    "crm_opportunity_phi_healthy_reps_ratio",
    "Share of a tenant's reps whose current-month PHI composite is at least half healthy",
    ["tenant"],
)
