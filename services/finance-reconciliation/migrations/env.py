from crm_shared.migrations_env import run_env
from finance_reconciliation.adapters.orm import metadata

run_env(metadata)
