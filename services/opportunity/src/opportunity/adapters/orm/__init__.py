"""Table definitions, one module per area, all on one MetaData (the migrations
create them; each table is written by its aggregate's repository only).
Importing the package defines every table, so `metadata` is complete for the
migrations' env and foreign keys between areas resolve."""

from opportunity.adapters.orm import (  # noqa: F401  (each module adds its tables to metadata)
    activities,
    anomalies,
    contact_depth,
    conversations,
    customer_value,
    customers,
    deliveries,
    intent,
    opportunities,
    process_health,
    receipts,
    reps,
    stage_hints,
    tagging,
    tasks,
    win_model,
)
from opportunity.adapters.orm.base import metadata

__all__ = ["metadata"]
