"""`python -m web` serves the console; `python -m web migrate` has nothing to migrate (no database)."""

from __future__ import annotations

import sys

from crm_shared.logs import configure_logging
from pydantic import ValidationError

from web.config import SERVICE, Settings


def main(argv: list[str]) -> int:
    try:
        settings = Settings()
    except ValidationError as exc:
        names = ", ".join(f"WEB_{str(e['loc'][0]).upper()}" if e["loc"] else e["msg"] for e in exc.errors())
        print(f"{SERVICE}: invalid or missing settings: {names}\n{exc}", file=sys.stderr)
        return 2
    configure_logging(SERVICE, settings.log_level)
    command = argv[0] if argv else "serve"
    if command == "migrate":
        return 0  # browser sessions live in their cookies: there is no database
    if command != "serve":
        print("usage: python -m web [serve|migrate]", file=sys.stderr)
        return 2
    import uvicorn

    from web.bootstrap import create_app

    app = create_app(settings)
    uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
