"""Rendering pages and their htmx fragments."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import pass_context
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup, escape

from web import i18n
from web.nav import nav_for

TEMPLATES = Jinja2Blocks(directory=str(Path(__file__).parent / "templates"))
env = TEMPLATES.env
env.autoescape = True
env.trim_blocks = True
env.lstrip_blocks = True


@pass_context
def _yuan(ctx: Any, fen: Any, currency: str = "CNY") -> str:
    return i18n.yuan(fen, currency, ctx.get("lang", "zh_CN"))


env.filters["yuan"] = _yuan
env.filters["shanghai"] = i18n.shanghai
env.filters["shanghai_date"] = i18n.shanghai_date


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def tr(request: Request, message: str, **values: Any) -> str:
    """A message in the request's language (for text made in Python, e.g. a flash)."""
    return i18n.gettext(request.state.lang, message, **values)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    block_name: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """The page `name` (templates/…), or only its block `block_name` (an htmx partial update)."""
    s = request.state.session
    lang = request.state.lang
    ctx = {
        "request": request,
        "session": s,
        "lang": lang,
        "_": partial(i18n.gettext, lang),
        "csrf_token": s.csrf if s else request.state.anonymous_csrf,
        "csrf_field": lambda: Markup(
            f'<input type="hidden" name="csrf_token" value="{escape(s.csrf if s else request.state.anonymous_csrf)}">'
        ),
        "nav": nav_for(s.role if s else None),
        "path": request.url.path,
        "problem": None,
    }
    ctx.update(context or {})
    return TEMPLATES.TemplateResponse(
        request, name, ctx, block_name=block_name, status_code=status_code, headers=headers
    )
