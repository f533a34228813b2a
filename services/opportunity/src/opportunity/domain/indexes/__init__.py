"""The indexes managers steer by (issue: indexes and forecasts): contact depth (CDI), process health (PHI),
KPI views, customer value tiers and health, the win probability model and the forecast. Pure rules; each
module's definitions are written down in docs/adr/0013-indexes.md."""
