"""Prometheus metrics of the win model: the latest model's held-out scores per tenant and
predictor (three predictors: low cardinality), and how long training takes."""

from prometheus_client import Gauge, Histogram

BRIER = Gauge("crm_win_model_brier_score", "Held-out Brier score of the latest win model", ["tenant", "predictor"])
LOG_LOSS = Gauge("crm_win_model_log_loss", "Held-out log loss of the latest win model", ["tenant", "predictor"])
TRAINING_SECONDS = Histogram(
    "crm_win_model_training_seconds",
    "Time to read the history, train, report and score a tenant's open opportunities",
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300),
)
