"""Table definitions, one module per area, all on one MetaData (the migrations
create them; repositories query them). Importing the package defines every
table, so `metadata` is complete for the migrations' env."""

from finance_reconciliation.adapters.orm import (  # noqa: F401  (each module adds its tables to metadata)
    contracts,
    follow_up,
    matching,
    plans,
    projections,
    rebates,
    receipts,
    statements,
)
from finance_reconciliation.adapters.orm.base import metadata

__all__ = ["metadata"]
