"""Leads and reps for unit tests: every field defaulted, the few a test means given."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from lead_routing.domain.assignment import Assignment, Explanation
from lead_routing.domain.lead import Lead
from lead_routing.domain.rep import Leave, Rep, RepState

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
TODAY = date(2026, 11, 23)


def lead(lead_id: str = "L1", **fields: Any) -> Lead:
    values: dict[str, Any] = {
        "lead_id": lead_id,
        "tenant_id": "t1",
        "company_name": f"公司{lead_id}",
        "credit_code": None,
        "contact_name": "",
        "phone": None,
        "source": "手工录入",
        "province": "",
        "city": "",
        "district": "",
        "budget_minor": None,
        "currency": "CNY",
        "status": "open",
        "owner_id": None,
        "opportunity_name": None,
        "created_by": "mgr",
        "created_at": NOW,
        "updated_at": NOW,
    }
    if "industry_tags" in fields:
        fields["industry_tags"] = tuple(fields["industry_tags"])
    return Lead(**(values | fields))


def profile(rep_id: str, **fields: Any) -> Rep:
    values: dict[str, Any] = {
        "tenant_id": "t1",
        "rep_id": rep_id,
        "name": rep_id,
        "team": "",
        "manager_id": "",
        "region": "",
        "native_place": "",
        "languages": (),
        "industries": (),
        "seniority": "junior",
        "capacity": 10,
        "daily_claim_limit": 5,
        "leave": (),
        "active": True,
        "updated_by": "admin",
        "created_at": NOW,
        "updated_at": NOW,
    }
    if fields.pop("on_leave", False):
        fields["leave"] = (Leave(TODAY, TODAY),)
    return Rep(**(values | fields))


def rep_state(rep_id: str, *, open_leads: int = 0, conversion: float | None = None, **fields: Any) -> RepState:
    return RepState(profile(rep_id, **fields), TODAY, open_leads=open_leads, conversion=conversion)


def assignment(**fields) -> Assignment:
    values = {
        "assignment_id": "A1",
        "tenant_id": "t1",
        "lead_id": "L1",
        "rep_id": "r1",
        "mode": "claim",
        "actor_id": "r1",
        "route_id": "",
        "route_name": "",
        "score": 50.0,
        "explanation": Explanation("", "", "", 0, "50", 0, 50.0, [], [], 10, 0),
        "cooldown_hours": 24.0,
        "assigned_at": NOW,
        "first_touch_due": NOW + timedelta(hours=24),
    }
    return Assignment(**(values | fields))
