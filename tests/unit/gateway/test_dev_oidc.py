"""The dev issuer's OpenID Connect authorisation-code flow with PKCE (S256):
discovery, the sign-in page, the code and the token endpoint, and each
refusal; the access token it issues is the password grant's and opens the API."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from fastapi.routing import iter_route_contexts
from gateway.bootstrap import create_app
from gateway.config import Settings
from gateway.dev_oidc.parameters import MAX_FORM_BYTES

from tests.unit.gateway.surface import gateway

CLIENT = "crm-web"
REDIRECT = "http://127.0.0.1:8090/auth/callback"
VERIFIER = "v" * 20 + secrets.token_urlsafe(32)
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()


def authorize_params(**changes: str | None) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": CLIENT,
        "redirect_uri": REDIRECT,
        "state": "s-123",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
        "scope": "openid",
    } | changes
    return {name: value for name, value in params.items() if value is not None}


async def sign_in(
    client: httpx.AsyncClient, username: str = "zhangwei", password: str = "demo", **changes
) -> httpx.Response:
    return await client.post(
        "/v1/auth/authorize", data=authorize_params(**changes) | {"username": username, "password": password}
    )


async def code_of(client: httpx.AsyncClient, username: str = "zhangwei", **changes) -> str:
    reply = await sign_in(client, username, **changes)
    assert reply.status_code == 303, reply.text
    return parse_qs(urlsplit(reply.headers["location"]).query)["code"][0]


def token_form(code: str, **changes: str | None) -> dict[str, str]:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": CLIENT,
        "code_verifier": VERIFIER,
    } | changes
    return {name: value for name, value in form.items() if value is not None}


async def test_discovery_names_the_endpoints_at_the_gateway_as_the_request_sees_it(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        reply = await client.get("/.well-known/openid-configuration", headers={"host": "gw.dev:8443"})
    assert reply.status_code == 200
    base = "http://gw.dev:8443"
    assert reply.json() == {
        "issuer": base,
        "authorization_endpoint": f"{base}/v1/auth/authorize",
        "token_endpoint": f"{base}/v1/auth/oauth/token",
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid"],
    }


async def test_the_whole_flow_signs_a_partner_in_and_the_token_opens_the_api(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        page = await client.get("/v1/auth/authorize", params=authorize_params(redirect_uri=REDIRECT + "?next=%2Fleads"))
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert '<html lang="zh-CN">' in page.text and "<h1>登录</h1>" in page.text
        assert '<label for="username">用户名</label>' in page.text and '<label for="password">密码</label>' in page.text
        assert 'method="post" action="authorize"' in page.text
        hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.text))
        assert hidden["code_challenge"] == CHALLENGE and hidden["state"] == "s-123"
        assert not re.search(r"<(script|link|img)|src=|href=", page.text)  # nothing loaded from anywhere
        assert "default-src 'none'" in page.headers["content-security-policy"]

        signed = await client.post("/v1/auth/authorize", data=hidden | {"username": "zhaolei", "password": "demo"})
        assert signed.status_code == 303
        location = urlsplit(signed.headers["location"])
        query = parse_qs(location.query)
        assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
        assert query["next"] == ["/leads"] and query["state"] == ["s-123"]

        reply = await client.post(
            "/v1/auth/oauth/token", data=token_form(query["code"][0], redirect_uri=REDIRECT + "?next=%2Fleads")
        )
        assert reply.status_code == 200, reply.text
        assert reply.headers["cache-control"] == "no-store"
        body = reply.json()
        assert body["token_type"] == "bearer" and body["expires_in"] == 3600

        password_grant = await client.post("/v1/auth/token", json={"username": "zhaolei", "password": "demo"})
        jwks = (await client.get("/.well-known/jwks.json")).json()
        key = jwt.PyJWK(jwks["keys"][0]).key
        access = jwt.decode(body["access_token"], key, algorithms=["RS256"], audience="crm-api")
        same = jwt.decode(password_grant.json()["access_token"], key, algorithms=["RS256"], audience="crm-api")
        assert {k: v for k, v in access.items() if k not in ("iat", "exp")} == {
            k: v for k, v in same.items() if k not in ("iat", "exp")
        }
        assert access["org"] == "dist-hz" and access["exp"] - access["iat"] == 3600

        id_token = jwt.decode(body["id_token"], key, algorithms=["RS256"], audience=CLIENT, issuer="http://gateway")
        assert jwt.get_unverified_header(body["id_token"])["kid"] == jwks["keys"][0]["kid"]
        assert {k: id_token[k] for k in ("sub", "name", "role", "tenant", "org")} == {
            "sub": "zhaolei",
            "name": "赵磊",
            "role": "partner",
            "tenant": "demo",
            "org": "dist-hz",
        }
        assert id_token["exp"] > id_token["iat"]

        bearer = {"Authorization": f"Bearer {body['access_token']}"}
        assert (await client.get("/v1/partner/registrations", headers=bearer)).status_code == 200
        assert (
            await client.get("/v1/leads", headers={"Authorization": f"Bearer {body['id_token']}"})
        ).status_code == 401


async def test_a_rep_gets_no_org_and_english_is_asked_with_ui_locales(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        page = await client.get("/v1/auth/authorize", params=authorize_params(ui_locales="en"))
        assert '<html lang="en">' in page.text and "<h1>Sign in</h1>" in page.text
        assert '<label for="username">Username</label>' in page.text
        wrong = await sign_in(client, password="nope", ui_locales="en")
        assert wrong.status_code == 401 and "Wrong username or password." in wrong.text and 'lang="en"' in wrong.text
        reply = await client.post("/v1/auth/oauth/token", data=token_form(await code_of(client, "zhangwei")))
        body = reply.json()
        claims = jwt.decode(body["id_token"], options={"verify_signature": False})
        assert claims["sub"] == "zhangwei" and claims["role"] == "rep" and "org" not in claims
        assert (
            await client.get("/v1/leads", headers={"Authorization": f"Bearer {body['access_token']}"})
        ).status_code == 200


async def test_wrong_credentials_show_the_page_again_and_issue_nothing(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        for username, password in (("zhangwei", "wrong"), ("nobody", "demo"), ("", "")):
            reply = await sign_in(client, username, password)
            assert reply.status_code == 401 and "location" not in reply.headers
            assert 'role="alert"' in reply.text and "用户名或密码错误。" in reply.text
            assert "code=" not in reply.text and f'value="{CHALLENGE}"' in reply.text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"response_type": None}, "response_type"),
        ({"response_type": "token"}, "response_type"),
        ({"code_challenge_method": "plain"}, "code_challenge_method"),
        ({"code_challenge_method": None}, "code_challenge_method"),
        ({"code_challenge": None}, "code_challenge"),
        ({"code_challenge": "a" * 42}, "code_challenge"),
        ({"code_challenge": "a" * 129}, "code_challenge"),
        ({"code_challenge": "a" * 42 + "+"}, "code_challenge"),
        ({"client_id": None}, "client_id"),
        ({"redirect_uri": None}, "redirect_uri"),
        ({"redirect_uri": "https://evil.example/cb"}, "redirect_uri"),
        ({"redirect_uri": "https://127.0.0.1/cb"}, "redirect_uri"),  # loopback is http only
        ({"redirect_uri": "http://127.0.0.1.evil.example/cb"}, "redirect_uri"),
        ({"redirect_uri": "http://user@127.0.0.1/cb"}, "redirect_uri"),
        ({"redirect_uri": "http://127.0.0.1:99999/cb"}, "redirect_uri"),
        ({"redirect_uri": "http://localhost/cb#frag"}, "redirect_uri"),
        ({"state": "s" * 1025}, "state"),
    ],
)
async def test_bad_authorisation_requests_get_a_400_page_and_no_redirect(
    tmp_path: Path, changes: dict, field: str
) -> None:
    async with gateway(tmp_path) as (client, _):
        page = await client.get("/v1/auth/authorize", params=authorize_params(**changes))
        posted = await sign_in(client, **changes)
    for reply in (page, posted):
        assert reply.status_code == 400 and "location" not in reply.headers, reply.text
        assert reply.headers["content-type"].startswith("text/html")
        assert f"<code>{field}</code>" in reply.text and "<h1>登录请求无效</h1>" in reply.text


async def test_a_parameter_given_twice_is_refused(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        query = httpx.QueryParams(authorize_params()).add("redirect_uri", "https://evil.example/cb")
        reply = await client.get("/v1/auth/authorize", params=query)
    assert reply.status_code == 400 and "<code>redirect_uri</code>" in reply.text


async def test_loopback_hosts_on_any_port_and_the_listed_uris_are_allowed(tmp_path: Path) -> None:
    listed = "https://console.dev.example/auth/callback"
    async with gateway(tmp_path, dev_redirect_uris=f" {listed} ,https://other.dev.example/cb") as (client, _):
        for uri in ("http://127.0.0.1:51234/cb", "http://localhost/cb", "http://[::1]:8090/auth/callback", listed):
            reply = await client.get("/v1/auth/authorize", params=authorize_params(redirect_uri=uri))
            assert reply.status_code == 200, (uri, reply.text)
        # Listed ones match exactly.
        reply = await client.get("/v1/auth/authorize", params=authorize_params(redirect_uri=listed + "/x"))
        assert reply.status_code == 400


def test_a_listed_redirect_uri_must_be_an_absolute_url() -> None:
    with pytest.raises(ValueError, match="dev_redirect_uris"):
        Settings(dev_auth=True, dev_redirect_uris="console.dev.example/cb")


async def test_the_token_endpoint_refuses_per_rfc_6749(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        code = await code_of(client)
        cases = [
            (token_form(code, code_verifier="w" * 43), "invalid_grant"),  # S256(verifier) != challenge
            (token_form(code, redirect_uri="http://127.0.0.1:8090/other"), "invalid_grant"),
            (token_form(code, client_id="another-client"), "invalid_grant"),
            (token_form(code + "x"), "invalid_grant"),
            (token_form("not-a-code"), "invalid_grant"),
            (token_form(code, grant_type="password"), "unsupported_grant_type"),
            (token_form(code, grant_type=None), "invalid_request"),
            (token_form(code, code_verifier=None), "invalid_request"),
            (token_form(code, code_verifier="short"), "invalid_request"),
            (token_form(code, client_id=None), "invalid_request"),
            (token_form(code, redirect_uri=None), "invalid_request"),
            (token_form(None), "invalid_request"),  # type: ignore[arg-type]
        ]
        for form, error in cases:
            reply = await client.post("/v1/auth/oauth/token", data=form)
            assert reply.status_code == 400, (form, reply.text)
            assert reply.json()["error"] == error and reply.json()["error_description"], (form, reply.text)
        # None of those used the code up; it is redeemed once.
        first = await client.post("/v1/auth/oauth/token", data=token_form(code))
        assert first.status_code == 200, first.text
        again = await client.post("/v1/auth/oauth/token", data=token_form(code))
        assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
        assert "already been used" in again.json()["error_description"]
        as_json = await client.post("/v1/auth/oauth/token", json=token_form(await code_of(client)))
        assert as_json.status_code == 400 and as_json.json()["error"] == "invalid_request"


async def test_a_code_expires_after_60_seconds(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        flow = client._transport.app.state.code_flow  # type: ignore[attr-defined]
        code = await code_of(client)
        flow.clock = lambda: time.time() + 61
        reply = await client.post("/v1/auth/oauth/token", data=token_form(code))
        assert reply.status_code == 400 and reply.json() == {
            "error": "invalid_grant",
            "error_description": "the code has expired",
        }
        flow.clock = lambda: time.time() + 50
        assert (await client.post("/v1/auth/oauth/token", data=token_form(await code_of(client)))).status_code == 200


async def test_a_code_is_not_an_access_token(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        code = await code_of(client)
        reply = await client.get("/v1/leads", headers={"Authorization": f"Bearer {code}"})
        assert reply.status_code == 401
        access = (await client.post("/v1/auth/token", json={"username": "zhangwei", "password": "demo"})).json()
        as_code = await client.post("/v1/auth/oauth/token", data=token_form(access["access_token"]))
        assert as_code.status_code == 400 and as_code.json()["error"] == "invalid_grant"


async def test_a_code_from_one_replica_is_redeemed_at_another(tmp_path: Path) -> None:
    key = tmp_path / "dev-key.pem"
    async with (
        gateway(tmp_path / "a", dev_key_path=str(key)) as (one, _),
        gateway(tmp_path / "b", dev_key_path=str(key)) as (two, _),
    ):
        reply = await two.post("/v1/auth/oauth/token", data=token_form(await code_of(one)))
    assert reply.status_code == 200, reply.text


async def test_large_or_odd_forms_are_4xx(tmp_path: Path) -> None:
    async with gateway(tmp_path) as (client, _):
        big = authorize_params() | {"username": "zhangwei", "password": "x" * (MAX_FORM_BYTES + 1)}
        for path in ("/v1/auth/authorize", "/v1/auth/oauth/token"):
            assert (await client.post(path, data=big)).status_code == 413
            many = "&".join(f"f{i}=1" for i in range(100))
            form = {"content-type": "application/x-www-form-urlencoded"}
            assert (await client.post(path, content=many, headers=form)).status_code == 400
            assert (await client.post(path, content=b"a=\xff\xfe", headers=form)).status_code == 400
            assert (await client.post(path, content=b"", headers=form)).status_code == 400
        long_name = await sign_in(client, "z" * 129)
        assert long_name.status_code == 400 and "<code>username</code>" in long_name.text


def test_the_flow_is_absent_without_dev_auth() -> None:
    app = create_app(Settings(dev_auth=False, jwks_url="https://idp.example/jwks", user_directory_path="/dev/null"))
    paths = {route.path for route in iter_route_contexts(app.routes)}
    assert not paths & {"/.well-known/openid-configuration", "/v1/auth/authorize", "/v1/auth/oauth/token"}


def test_the_flow_is_left_out_of_the_api_description() -> None:
    paths = create_app(Settings(dev_auth=True)).openapi()["paths"]
    assert not set(paths) & {"/.well-known/openid-configuration", "/v1/auth/authorize", "/v1/auth/oauth/token"}
