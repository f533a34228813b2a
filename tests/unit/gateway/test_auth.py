import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from gateway.auth import DEMO_USERS, Authenticator, DevIssuer
from gateway.config import Settings
from gateway.problems import Problem

SETTINGS = Settings(dev_auth=True)
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def issuer() -> DevIssuer:
    return DevIssuer(SETTINGS, key=KEY)


async def test_demo_user_token_round_trips(issuer: DevIssuer) -> None:
    token = issuer.issue(issuer.login("liufang", "demo"))
    assert token["token_type"] == "bearer" and token["expires_in"] == SETTINGS.token_ttl_s
    principal = await Authenticator(SETTINGS, issuer).authenticate(f"Bearer {token['access_token']}")
    who = (principal.user_id, principal.tenant_id, principal.role, principal.name)
    assert who == ("liufang", "demo", "finance", "刘芳")


def test_demo_users_cover_every_role_and_two_tenants() -> None:
    assert {u.role for u in DEMO_USERS.values()} == {"rep", "manager", "finance", "reviewer", "admin", "partner"}
    assert DEMO_USERS["other-rep"].tenant_id == "other" and DEMO_USERS["zhaolei"].role == "partner"


@pytest.mark.parametrize("username,password", [("zhangwei", "wrong"), ("nobody", "demo")])
def test_login_refuses_unknown_user_or_wrong_password(issuer: DevIssuer, username: str, password: str) -> None:
    with pytest.raises(Problem) as err:
        issuer.login(username, password)
    assert err.value.status == 401


def _sign(claims: dict, key: rsa.RSAPrivateKey = KEY) -> str:
    return jwt.encode(claims, key, algorithm="RS256")


GOOD = {"sub": "zhangwei", "tenant": "demo", "role": "rep", "iss": SETTINGS.issuer, "aud": SETTINGS.audience}


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Basic abc",
        "Bearer ",
        "Bearer not-a-jwt",
        f"Bearer {_sign(GOOD | {'exp': int(time.time()) - 3600})}",  # expired
        f"Bearer {_sign(GOOD | {'exp': int(time.time()) + 60, 'aud': 'someone-else'})}",
        f"Bearer {_sign(GOOD | {'exp': int(time.time()) + 60, 'iss': 'evil'})}",
        f"Bearer {_sign(GOOD | {'exp': int(time.time()) + 60, 'role': 'system'})}",
        f"Bearer {_sign({k: v for k, v in GOOD.items() if k != 'tenant'} | {'exp': int(time.time()) + 60})}",
        f"Bearer {_sign(GOOD)}",  # no exp
        f"Bearer {_sign(GOOD | {'exp': int(time.time()) + 60}, OTHER_KEY)}",  # signed by someone else
        f"Bearer {jwt.encode(GOOD | {'exp': int(time.time()) + 60}, 'x' * 32, algorithm='HS256')}",
    ],
)
async def test_missing_or_invalid_tokens_are_401(issuer: DevIssuer, header: str | None) -> None:
    with pytest.raises(Problem) as err:
        await Authenticator(SETTINGS, issuer).authenticate(header)
    assert err.value.status == 401 and err.value.headers["WWW-Authenticate"] == "Bearer"


def test_jwks_publishes_the_signing_key(issuer: DevIssuer) -> None:
    (jwk,) = issuer.jwks()["keys"]
    assert jwk["kid"] == issuer.kid and jwk["alg"] == "RS256" and jwk["kty"] == "RSA"
    token = issuer.issue(DEMO_USERS["admin"])["access_token"]
    assert jwt.get_unverified_header(token)["kid"] == issuer.kid


def test_dev_key_is_kept_in_the_given_file(tmp_path) -> None:
    path = tmp_path / "dev.pem"
    first = DevIssuer(Settings(dev_auth=True, dev_key_path=str(path)))
    second = DevIssuer(Settings(dev_auth=True, dev_key_path=str(path)))
    assert path.exists() and first.kid == second.kid


def test_production_needs_a_jwks_url(monkeypatch) -> None:
    monkeypatch.delenv("GATEWAY_DEV_AUTH", raising=False)
    with pytest.raises(ValueError, match="GATEWAY_JWKS_URL"):
        Settings()
    monkeypatch.setenv("GATEWAY_LEAD_ROUTING_ADDR", "no-port")
    with pytest.raises(ValueError, match="lead_routing_addr"):
        Settings(dev_auth=True)


async def test_a_token_is_checked_once_then_again_when_it_expires_or_after_a_while(issuer, monkeypatch) -> None:
    from gateway import auth

    auth_ = Authenticator(SETTINGS, issuer)
    header = f"Bearer {issuer.issue(issuer.login('liufang', 'demo'))['access_token']}"
    decoded = []
    real = auth_._decode

    async def counting(token: str):
        decoded.append(token)
        return await real(token)

    monkeypatch.setattr(auth_, "_decode", counting)
    for _ in range(3):
        assert (await auth_.authenticate(header)).user_id == "liufang"
    assert len(decoded) == 1  # the signature is checked once, not per request
    # Past its expiry the cached check no longer counts: the token is decoded (and refused) again.
    now, clock = time.time(), time.monotonic()
    monkeypatch.setattr(auth.time, "time", lambda: now + SETTINGS.token_ttl_s + auth.LEEWAY_S + 1)
    await auth_.authenticate(header)  # PyJWT reads the real clock, so this one still passes
    assert len(decoded) == 2
    monkeypatch.setattr(auth.time, "time", lambda: now)
    monkeypatch.setattr(auth.time, "monotonic", lambda: clock + auth.VERIFIED_FOR_S + 1)
    await auth_.authenticate(header)
    assert len(decoded) == 3  # and its signature again after VERIFIED_FOR_S


async def test_a_partners_token_names_their_organisation_and_must_match_the_directory(issuer: DevIssuer) -> None:
    authenticator = Authenticator(SETTINGS, issuer)
    token = issuer.issue(issuer.login("zhaolei", "demo"))["access_token"]
    assert jwt.decode(token, options={"verify_signature": False})["org"] == "dist-hz"
    assert (await authenticator.authenticate(f"Bearer {token}")).organisation == "dist-hz"
    staff = issuer.issue(issuer.login("zhangwei", "demo"))["access_token"]
    assert "org" not in jwt.decode(staff, options={"verify_signature": False})
    now = int(time.time())
    partner = {"sub": "zhaolei", "tenant": "demo", "role": "partner", "iss": SETTINGS.issuer, "aud": SETTINGS.audience,
               "iat": now, "exp": now + 60}
    for claims in (partner, partner | {"org": "dist-nb"}, GOOD | {"iat": now, "exp": now + 60, "org": "dist-hz"}):
        with pytest.raises(Problem) as err:
            await authenticator.authenticate(f"Bearer {_sign(claims)}")
        assert err.value.status == 401, claims


def test_a_directory_partner_must_name_an_organisation_and_staff_must_not() -> None:
    from gateway.auth import DirectoryEntry

    assert DirectoryEntry(tenant="t", user_id="p", role="partner", organisation="d-1").principal().organisation == "d-1"
    for entry in ({"role": "partner"}, {"role": "rep", "organisation": "d-1"}):
        with pytest.raises(ValueError, match="names an organisation"):
            DirectoryEntry(tenant="t", user_id="u", **entry).principal()
