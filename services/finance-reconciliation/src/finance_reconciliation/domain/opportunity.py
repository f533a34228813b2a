"""The opportunity projection, kept from opportunity.created and opportunity.closed."""

from __future__ import annotations

from dataclasses import dataclass

from crm_shared.regions import macro_region


@dataclass(frozen=True)
class Opportunity:
    """This service's projection of an opportunity (the opportunity service's
    database is never read): amount facts as opportunity.created told them,
    and where and what it sold as opportunity.closed told them (province, its
    大区 and the product line: aging, reports and plan templates group by
    them; "" until told). Its owner is the first one and is never updated,
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
    region: str = ""
    # The distributor whose approved registration the deal is (opportunity.created): its receipts count
    # towards that distributor's rebates (domain/rebate.py). "" for the manufacturer's own deals.
    partner_org_id: str = ""


@dataclass(frozen=True)
class Placement:
    """What opportunity.closed adds to the projection."""

    opportunity_id: str
    tenant_id: str
    owner_id: str
    province: str
    product_line: str
    amount_minor: int | None
    currency: str

    @property
    def region(self) -> str:
        return macro_region(self.province)

    def as_opportunity(self) -> Opportunity:
        """The row to insert when the close arrives before the creation (it fills in later)."""
        return Opportunity(
            opportunity_id=self.opportunity_id, tenant_id=self.tenant_id, customer_name="",
            owner_id=self.owner_id, amount_minor=self.amount_minor, currency=self.currency,
            province=self.province, product_line=self.product_line, region=self.region,
        )


CREATED_FIELDS = ("customer_name", "owner_id", "amount_minor", "currency", "lead_id", "partner_org_id")
PLACEMENT_FIELDS = ("province", "product_line", "region")
