"""The opportunity projection, kept from opportunity.created."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Opportunity:
    """This service's projection of an opportunity, fed by opportunity.created
    (the opportunity service's database is never read): amount facts as the
    opportunity was opened. Its owner is the first one and is never updated,
    so it decides nothing about who may see payments."""

    opportunity_id: str
    tenant_id: str
    customer_name: str
    owner_id: str
    amount_minor: int | None
    currency: str
    lead_id: str = ""
    province: str = ""
    product_line: str = ""
