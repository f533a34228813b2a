"""A correctly signed user token still has to be short-lived and name a
known user of its tenant with that user's role."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from gateway.auth import Authenticator, DevIssuer, FileUserDirectory, user_directory
from gateway.config import Settings
from gateway.problems import Problem

SETTINGS = Settings(dev_auth=True)
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ISSUER = DevIssuer(SETTINGS, key=KEY)
YEAR = 365 * 24 * 3600


def sign(**overrides: object) -> str:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": SETTINGS.issuer,
        "aud": SETTINGS.audience,
        "sub": "zhangwei",
        "tenant": "demo",
        "role": "rep",
        "iat": now,
        "exp": now + 3600,
    } | overrides
    return "Bearer " + jwt.encode({k: v for k, v in claims.items() if v is not None}, KEY, algorithm="RS256")


async def refused(header: str, authenticator: Authenticator | None = None) -> str:
    with pytest.raises(Problem) as err:
        await (authenticator or Authenticator(SETTINGS, ISSUER)).authenticate(header)
    assert err.value.status == 401 and err.value.headers["WWW-Authenticate"] == "Bearer"
    return err.value.detail


async def test_a_short_lived_token_of_a_known_user_acts_as_that_user() -> None:
    principal = await Authenticator(SETTINGS, ISSUER).authenticate(sign())
    assert (principal.user_id, principal.tenant_id, principal.role, principal.name) == (
        "zhangwei",
        "demo",
        "rep",
        "张伟",
    )


async def test_a_token_valid_for_a_hundred_years_is_refused() -> None:
    now = int(time.time())
    assert "more than the 43200 s allowed" in await refused(sign(iat=now, exp=now + 100 * YEAR))
    assert (await Authenticator(SETTINGS, ISSUER).authenticate(sign(iat=now, exp=now + 12 * 3600))).user_id


async def test_a_token_without_iat_or_issued_in_the_future_is_refused() -> None:
    now = int(time.time())
    assert "iat" in await refused(sign(iat=None))
    assert "not yet valid" in await refused(sign(iat=now + 3600, exp=now + 7200))
    # Backdating iat to shorten the lifetime still needs the lifetime check to pass.
    assert "more than" in await refused(sign(iat=now - 1, exp=now + 2 * YEAR))


@pytest.mark.parametrize(
    "claims,reason",
    [
        ({"sub": "ghost"}, "not a known user of its tenant"),
        ({"sub": "zhangwei", "tenant": "other"}, "not a known user of its tenant"),  # a user of another tenant
        ({"sub": "other-rep", "tenant": "demo"}, "not a known user of its tenant"),
        ({"sub": "zhangwei", "role": "manager"}, "not the user's role"),
        ({"sub": "zhaolei", "role": "admin"}, "not the user's role"),  # the partner claiming admin
    ],
)
async def test_unknown_users_and_claimed_roles_are_refused(claims: dict[str, str], reason: str) -> None:
    assert reason in await refused(sign(**claims))


def directory_file(path: Path, users: list[dict[str, str]]) -> Path:
    path.write_text(json.dumps(users, ensure_ascii=False), encoding="utf-8")
    return path


async def test_production_users_come_from_the_directory_file(tmp_path: Path) -> None:
    path = directory_file(
        tmp_path / "users.json",
        [{"tenant": "acme", "user_id": "u-1", "role": "manager", "name": "周敏"}],
    )
    settings = Settings(dev_auth=True, user_directory_path=str(path))
    directory = FileUserDirectory(str(path), check_every_s=0)
    authenticator = Authenticator(settings, ISSUER, directory)
    principal = await authenticator.authenticate(sign(sub="u-1", tenant="acme", role="manager"))
    assert (principal.user_id, principal.tenant_id, principal.role, principal.name) == (
        "u-1",
        "acme",
        "manager",
        "周敏",
    )
    # The demo users are not in this directory.
    assert "not a known user" in await refused(sign(), authenticator)
    # A change to the file (a ConfigMap update) is picked up: u-1 is now a rep.
    directory_file(path, [{"tenant": "acme", "user_id": "u-1", "role": "rep", "name": "周敏"}])
    os.utime(path, (time.time() + 5, time.time() + 5))
    assert "not the user's role" in await refused(sign(sub="u-1", tenant="acme", role="manager"), authenticator)
    # A broken new version keeps the last good one.
    path.write_text("[{", encoding="utf-8")
    os.utime(path, (time.time() + 10, time.time() + 10))
    assert (await authenticator.authenticate(sign(sub="u-1", tenant="acme", role="rep"))).role == "rep"


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps([{"tenant": "acme", "user_id": "u-1", "role": "system"}]),
        json.dumps([{"tenant": "acme", "user_id": "", "role": "rep"}]),
        json.dumps([{"tenant": "acme", "role": "rep"}]),
        json.dumps({"people": []}),
    ],
)
def test_a_broken_directory_stops_the_gateway_naming_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "users.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="GATEWAY_USER_DIRECTORY_PATH"):
        user_directory(Settings(dev_auth=True, user_directory_path=str(path)))
    with pytest.raises(ValueError, match="GATEWAY_USER_DIRECTORY_PATH"):
        user_directory(Settings(dev_auth=True, user_directory_path=str(tmp_path / "missing.json")))


def test_production_needs_a_user_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GATEWAY_DEV_AUTH", raising=False)
    with pytest.raises(ValueError, match="GATEWAY_USER_DIRECTORY_PATH"):
        Settings(jwks_url="https://login.example.com/jwks.json")
    with pytest.raises(ValueError, match="GATEWAY_TOKEN_TTL_S"):
        Settings(dev_auth=True, token_ttl_s=13 * 3600)
    assert Settings(jwks_url="https://login.example.com/jwks.json", user_directory_path="/etc/crm/users.json")
