from crm_shared.migrations_env import run_env
from opportunity.adapters.orm import metadata

run_env(metadata)
