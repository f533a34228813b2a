from approval.adapters.orm import metadata
from crm_shared.migrations_env import run_env

run_env(metadata)
