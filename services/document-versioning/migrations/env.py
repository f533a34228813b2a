from crm_shared.migrations_env import run_env
from document_versioning.adapters.orm import metadata

run_env(metadata)
