"""The dev issuer's sign-in page and its page for a bad request, in 中文 or English."""

from __future__ import annotations

import html

from fastapi.responses import HTMLResponse

from gateway.dev_oidc.parameters import FIELD_LIMITS, NO_STORE, AuthorizeRequest, BadParameter

# The sign-in page loads nothing and may not be framed. No form-action: browsers apply it to the
# redirect that follows the form, and that goes to the client.
PAGE_HEADERS = NO_STORE | {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}

TEXTS = {
    "zh-CN": {
        "title": "登录",
        "intro": "CRM 开发环境登录：演示用户，密码为 demo。",
        "username": "用户名",
        "password": "密码",
        "submit": "登录",
        "wrong": "用户名或密码错误。",
        "bad_request": "登录请求无效",
        "bad_detail": "请求参数有误，请从应用重新发起登录。",
    },
    "en": {
        "title": "Sign in",
        "intro": "CRM development sign-in: demo users, password demo.",
        "username": "Username",
        "password": "Password",
        "submit": "Sign in",
        "wrong": "Wrong username or password.",
        "bad_request": "Invalid sign-in request",
        "bad_detail": "A parameter of the request is wrong; start signing in again from the application.",
    },
}
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1f2328}"
    "main{max-width:22rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px}"
    "label{display:block;margin-top:1rem;font-weight:600}"
    "input{box-sizing:border-box;width:100%;padding:.6rem;margin-top:.3rem;font-size:1rem;border:1px solid #6e7781}"
    "button{margin-top:1.5rem;width:100%;padding:.7rem;font-size:1rem;background:#0550ae;color:#fff;border:0}"
    "[role=alert]{color:#a40e26;font-weight:600}"
)


def language(ui_locales: str) -> str:
    """The first of the requested languages (OIDC ui_locales: space-separated tags) the page speaks."""
    for tag in ui_locales.split():
        if tag.lower().startswith("en"):
            return "en"
        if tag.lower().startswith("zh"):
            return "zh-CN"
    return "zh-CN"


def _page(lang: str, heading: str, body: str, status: int) -> HTMLResponse:
    page = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(heading)} · CRM</title><style>{STYLE}</style></head>"
        f"<body><main><h1>{html.escape(heading)}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(page, status_code=status, headers=PAGE_HEADERS)


def sign_in_page(request: AuthorizeRequest, username: str = "", wrong: bool = False) -> HTMLResponse:
    lang = language(request.ui_locales)
    text = TEXTS[lang]
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
        for name, value in request.hidden_fields().items()
    )
    error = f'<p role="alert" id="sign-in-error">{text["wrong"]}</p>' if wrong else ""
    invalid = ' aria-invalid="true" aria-describedby="sign-in-error"' if wrong else ""
    body = (
        f"<p>{text['intro']}</p>{error}"
        # Relative: the form posts back to this path wherever the gateway is mounted.
        f'<form method="post" action="authorize">{hidden}'
        f'<label for="username">{text["username"]}</label>'
        f'<input id="username" name="username" autocomplete="username" required autofocus '
        f'maxlength="{FIELD_LIMITS["username"]}" value="{html.escape(username)}"{invalid}>'
        f'<label for="password">{text["password"]}</label>'
        f'<input id="password" name="password" type="password" autocomplete="current-password" required '
        f'maxlength="{FIELD_LIMITS["password"]}"{invalid}>'
        f'<button type="submit">{text["submit"]}</button></form>'
    )
    return _page(lang, text["title"], body, 401 if wrong else 200)


def bad_request_page(problem: BadParameter, ui_locales: str) -> HTMLResponse:
    lang = language(ui_locales if len(ui_locales) <= FIELD_LIMITS["ui_locales"] else "")
    text = TEXTS[lang]
    body = (
        f'<p role="alert">{text["bad_detail"]}</p>'
        f"<p><code>{html.escape(problem.field)}</code>: {html.escape(problem.detail)}</p>"
    )
    return _page(lang, text["bad_request"], body, 400)
