from crm_shared.migrations_env import run_env
from lead_routing.adapters.orm import metadata

run_env(metadata)
