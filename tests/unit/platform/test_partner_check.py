"""crm_shared.partner_check without lead-routing: only partners are asked
about, and a partner is Unavailable when lead-routing is not configured or
does not answer (the refusal itself, for rebates and the sales lists:
tests/integration/gateway/test_rebates_gateway.py)."""

from __future__ import annotations

import pytest
from crm_shared.context import Caller
from crm_shared.domain.errors import Unavailable
from crm_shared.partner_check import PartnerCheck

from tests.support.infra import refused_address


async def test_only_a_partner_is_asked_about_and_unanswered_is_unavailable() -> None:
    nobody = PartnerCheck("", "finance-reconciliation")
    for role in ("rep", "manager", "admin", "finance", "system"):
        await nobody.require(Caller("t", "u", role))  # nothing asked, nothing refused
    partner = Caller("t", "zhaolei", "partner", organisation="dist-hz")
    with pytest.raises(Unavailable, match="does not know where lead-routing is"):
        await nobody.require(partner)
    down = PartnerCheck(refused_address(), "finance-reconciliation", timeout_s=2)
    try:
        with pytest.raises(Unavailable, match="could not be asked"):
            await down.require(partner)
    finally:
        await down.close()
