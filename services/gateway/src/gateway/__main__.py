"""`python -m gateway` serves HTTP; `python -m gateway migrate` migrates its database."""

from __future__ import annotations

import sys
from pathlib import Path

from crm_shared import identity
from crm_shared.logs import configure_logging, get_logger
from crm_shared.runtime import find_alembic_ini, run_migrations
from pydantic import ValidationError

from gateway.config import SERVICE, Settings


def env_name(field: str) -> str:
    """GATEWAY_<FIELD>, except the variables shared by every deployable (CRM_...)."""
    return field if field.startswith("CRM_") else f"GATEWAY_{field.upper()}"


def main(argv: list[str]) -> int:
    try:
        settings = Settings()
    except ValidationError as exc:
        names = ", ".join(env_name(str(e["loc"][0])) if e["loc"] else e["msg"] for e in exc.errors())
        print(f"{SERVICE}: invalid or missing settings: {names}\n{exc}", file=sys.stderr)
        return 2
    configure_logging(SERVICE, settings.log_level)
    # Every call to a backend carries a token signed as the gateway.
    identity.configure(settings.service_token_keys(), identity.GATEWAY)
    command = argv[0] if argv else "serve"
    url = settings.resolved_database_url()
    if command == "migrate":
        if url.startswith("sqlite"):
            Path(url.split("///", 1)[-1]).parent.mkdir(parents=True, exist_ok=True)
        run_migrations(find_alembic_ini(__file__), url)
        get_logger("crm.gateway").info("migrated", database=url.split("@")[-1])
        return 0
    if command != "serve":
        print("usage: python -m gateway [serve|migrate]", file=sys.stderr)
        return 2
    import uvicorn

    from gateway.bootstrap import create_app
    from gateway.drain import DrainingServer

    app = create_app(settings)
    # log_config=None: keep the JSON logging configured above.
    config = uvicorn.Config(
        app, host=settings.http_host, port=settings.http_port, log_config=None,
        timeout_graceful_shutdown=max(int(settings.shutdown_grace_s), 1),
    )
    DrainingServer(config, app, drain_delay_s=settings.drain_delay_s).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
