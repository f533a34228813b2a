"""Table definitions, one module per area, all on one MetaData (the migrations
create them; repositories query them). Each table is written by one repository,
named in its module. Importing the package defines every table, so `metadata`
is complete for the migrations' env."""

from lead_routing.adapters.orm import (  # noqa: F401  (each module adds its tables to metadata)
    assignments,
    distributors,
    leads,
    pool,
    promotions,
    protection,
    registrations,
    reps,
    rules,
)
from lead_routing.adapters.orm.base import metadata

__all__ = ["metadata"]
