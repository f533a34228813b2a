"""The console's navigation per role: what each user sees in the menu. The
gateway still decides every access; the menu only leaves out what a role has no use for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str  # English msgid; translated in the template
    roles: frozenset[str]


def _roles(*names: str) -> frozenset[str]:
    return frozenset(names)


STAFF = _roles("rep", "manager", "finance", "reviewer", "admin")
NAV: tuple[NavItem, ...] = (
    NavItem("/", "Home", _roles("rep", "manager", "finance", "reviewer", "admin", "partner")),
    NavItem("/leads", "My leads", _roles("rep", "manager", "admin")),
    NavItem("/pool", "Lead pool", _roles("rep", "manager", "admin")),
    NavItem("/tasks", "Tasks", _roles("rep", "manager")),
    NavItem("/visits/new", "Log a visit", _roles("rep", "manager")),
    NavItem("/board", "Pipeline", _roles("rep", "manager", "admin")),
    NavItem("/customers", "Customers", STAFF),
    NavItem("/approvals", "Approvals", STAFF),
    NavItem("/routing", "Routing rules", _roles("manager", "admin")),
    NavItem("/finance/matching", "Matching", _roles("finance", "admin")),
    NavItem("/finance/statements", "Statements", _roles("finance", "admin")),
    NavItem("/finance/aging", "Aging", _roles("finance", "manager", "admin")),
    NavItem("/dashboard", "Dashboard", _roles("manager", "admin", "rep")),
    NavItem("/signals/high-intent", "High intent", _roles("rep", "manager", "admin")),
    NavItem("/signals/conversion", "Intent conversion", _roles("manager", "admin")),
    NavItem("/signals/flags", "Anomaly flags", _roles("manager", "admin")),
    NavItem("/signals/import", "Import chats", _roles("rep", "manager", "admin")),
    NavItem("/signals/settings", "Signal settings", _roles("manager", "admin")),
    NavItem("/indexes/cdi", "Contact depth", _roles("rep", "manager", "admin")),
    NavItem("/indexes/follow-up-heat-map", "Follow-up heat map", _roles("rep", "manager", "admin")),
    NavItem("/indexes/phi", "Process health", _roles("rep", "manager", "admin")),
    NavItem("/indexes/kpi", "KPI", _roles("rep", "manager", "admin")),
    NavItem("/indexes/profile", "Sales capability profile", _roles("rep", "manager", "admin")),
    NavItem("/indexes/value-tiers", "Value tiers", STAFF),
    NavItem("/indexes/health-alerts", "Health alerts", STAFF),
    NavItem("/forecast", "Forecast", _roles("rep", "manager", "admin")),
    NavItem("/forecast/model", "Win model", _roles("manager", "admin")),
    NavItem("/partner/clashes", "Clashes", _roles("manager", "admin")),  # 撞单: the channel manager decides
    NavItem("/partner/registrations", "Registrations", _roles("partner")),
    NavItem("/partner/promotions", "Promotions", _roles("partner")),
    NavItem("/partner/rebates", "Rebates", _roles("partner")),
)


def nav_for(role: str | None) -> list[NavItem]:
    if role is None:
        return []
    return [item for item in NAV if role in item.roles]
