from crm_shared.migrations_env import run_env
from gateway.adapters.orm import metadata

run_env(metadata)
