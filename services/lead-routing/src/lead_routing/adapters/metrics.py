"""Prometheus metrics of routing (served with the common ones on /metrics)."""

from prometheus_client import Counter, Gauge, Histogram

FIRST_TOUCH_SECONDS = Histogram(
    "crm_lead_first_touch_seconds",
    "Time from a lead's assignment to its first touch",
    ["tenant"],
    buckets=(300, 900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 24 * 3600, 48 * 3600, 72 * 3600, 7 * 24 * 3600),
)
IDLE_LEADS = Gauge("crm_leads_idle", "Open leads untouched and unchanged for over 72 hours (refreshed by the SLA job)")
ASSIGNMENTS = Counter("crm_lead_assignments_total", "Leads assigned, per rep and mode", ["tenant", "rep", "mode"])
RECLAIMS = Counter(
    "crm_lead_reclaims_total", "Leads reclaimed to the pool after a missed first-touch deadline", ["tenant"]
)
RERANK_SECONDS = Histogram("crm_pool_rerank_seconds", "Time to re-rank a tenant's pool", ["scope"])
