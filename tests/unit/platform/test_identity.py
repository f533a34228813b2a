"""Service tokens (crm_shared.identity): what a service accepts as its caller."""

from __future__ import annotations

import os
import time

import jwt
import pytest

from crm_shared import identity
from crm_shared.context import Caller, caller_from_metadata
from crm_shared.identity import INTERNAL_AUDIENCE, ServiceTokens, Unauthenticated

KEY = "k" * 40
OTHER_KEY = "o" * 40
TOKENS = ServiceTokens((KEY,))
REP = Caller("demo", "zhangwei", "rep")
SYSTEM = Caller("demo", "opportunity", "system")


def _claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": "gateway",
        "aud": INTERNAL_AUDIENCE,
        "sub": "zhangwei",
        "tenant": "demo",
        "role": "rep",
        "iat": now,
        "exp": now + 60,
    }
    return claims | overrides


def _forge(key: str = KEY, **overrides: object) -> str:
    return jwt.encode({k: v for k, v in _claims(**overrides).items() if v is not None}, key, algorithm="HS256")


def test_a_signed_caller_comes_back_as_itself() -> None:
    claims = TOKENS.verify(TOKENS.sign(REP, "gateway"))
    assert (claims["iss"], claims["sub"], claims["tenant"], claims["role"]) == ("gateway", "zhangwei", "demo", "rep")
    assert claims["aud"] == INTERNAL_AUDIENCE and claims["exp"] - claims["iat"] == identity.TOKEN_LIFETIME_S


@pytest.mark.parametrize(
    "make_token,reason",
    [
        (lambda: _forge(OTHER_KEY), "Signature verification failed"),
        (lambda: _forge(iat=int(time.time()) - 600, exp=int(time.time()) - 540), "expired"),
        (lambda: _forge(aud="crm-api"), "Audience doesn.t match"),
        (lambda: _forge(aud=None), "aud"),
        (lambda: _forge(iat=None), "iat"),
        (lambda: _forge(exp=None), "exp"),
        (lambda: _forge(iss="evil"), "unknown issuer"),
        (lambda: _forge(iss=None), "iss"),
        (lambda: _forge(role="system"), "only for backend services"),
        (lambda: _forge(tenant=None), "tenant"),
        (lambda: _forge(sub=""), "sub"),
        (lambda: _forge(exp=int(time.time()) + 100 * 365 * 24 * 3600), "longer than"),
        (lambda: _forge(iat=int(time.time()) + 3600, exp=int(time.time()) + 3660), "not yet valid"),
        (lambda: jwt.encode(_claims(), None, algorithm="none"), "alg value is not allowed"),
        (lambda: "not-a-token", "invalid service token"),
    ],
)
def test_tokens_a_service_refuses(make_token, reason: str) -> None:  # type: ignore[no-untyped-def]
    # Made when the test runs: a token made at collection would expire in a long session.
    with pytest.raises(Unauthenticated, match=reason):
        TOKENS.verify(make_token())


def test_system_role_is_accepted_from_a_backend_service_only() -> None:
    assert TOKENS.verify(_forge(iss="opportunity", role="system", sub="opportunity"))["role"] == "system"
    with pytest.raises(Unauthenticated):
        TOKENS.verify(TOKENS.sign(SYSTEM, "gateway"))


def test_previous_keys_are_accepted_but_only_the_first_signs() -> None:
    rotating = ServiceTokens((OTHER_KEY, KEY))
    assert rotating.verify(_forge(KEY))["sub"] == "zhangwei"
    with pytest.raises(Unauthenticated):
        TOKENS.verify(rotating.sign(REP, "gateway"))  # signed with OTHER_KEY, which TOKENS does not know


def test_keys_shorter_than_32_bytes_are_refused() -> None:
    with pytest.raises(ValueError, match="CRM_SERVICE_TOKEN_KEY must be at least 32 bytes"):
        ServiceTokens(("short",))
    with pytest.raises(ValueError):
        ServiceTokens(())


def test_metadata_claims_are_ignored_without_a_token() -> None:
    forged = {"x-tenant-id": "other", "x-user-id": "admin", "x-role": "system"}
    with pytest.raises(Unauthenticated, match="missing service token"):
        caller_from_metadata(forged)
    with pytest.raises(Unauthenticated):
        caller_from_metadata(forged | {"authorization": "Basic YWRtaW46YWRtaW4="})


def test_the_caller_comes_from_the_token_not_from_other_metadata() -> None:
    metadata = dict(REP.metadata()) | {"x-tenant-id": "other", "x-role": "admin"}
    assert caller_from_metadata(metadata) == Caller("demo", "zhangwei", "rep")


def test_calls_are_signed_as_the_deployable_making_them() -> None:
    def issuer(caller: Caller) -> str:
        token = dict(caller.metadata())["authorization"].removeprefix("Bearer ")
        return str(jwt.decode(token, options={"verify_signature": False})["iss"])

    # The test session plays the gateway; a system caller outside any call is
    # signed as the backend service it names.
    assert issuer(REP) == "gateway"
    assert issuer(SYSTEM) == "opportunity"
    with identity.acting_as("finance-reconciliation"):
        assert issuer(REP) == "finance-reconciliation"
        assert issuer(SYSTEM) == "finance-reconciliation"
    assert issuer(REP) == "gateway"


def test_a_partners_organisation_travels_in_the_token_and_nobody_elses_is_made_up() -> None:
    partner = Caller("demo", "zhaolei", "partner", "t-1", "dist-hz")
    assert caller_from_metadata(dict(partner.metadata())) == partner
    assert "org" not in TOKENS.verify(TOKENS.sign(REP, "gateway"))
    assert caller_from_metadata(dict(REP.metadata())).organisation == ""
    with pytest.raises(Unauthenticated, match="'org' must be a string"):
        caller_from_metadata({"authorization": f"Bearer {_forge(os.environ[identity.KEY_ENV], org=['dist-hz'])}"})


def test_a_callers_token_is_signed_again_only_after_a_while_and_never_shared_with_another_caller(monkeypatch) -> None:
    tokens = ServiceTokens((KEY,))
    clock = [1_000_000.0]
    monkeypatch.setattr(identity.time, "time", lambda: clock[0])
    first = tokens.sign(REP, "gateway")
    clock[0] += identity.REUSE_S - 1
    assert tokens.sign(REP, "gateway") == first
    assert tokens.sign(Caller("demo", "zhangwei", "rep", "", "dist-hz"), "gateway") != first
    assert tokens.sign(REP, "opportunity") != first and tokens.sign(Caller("demo", "lina", "rep"), "gateway") != first
    clock[0] += 1
    renewed = tokens.sign(REP, "gateway")
    assert renewed != first and jwt.decode(renewed, options={"verify_signature": False})["iat"] == int(clock[0])


def test_a_verified_token_is_not_checked_again_until_it_expires(monkeypatch) -> None:
    tokens = ServiceTokens((KEY,))
    token = tokens.sign(REP, "gateway")
    claims = tokens.verify(token)
    monkeypatch.setattr(identity.jwt, "decode", lambda *a, **k: pytest.fail("checked again"))
    assert tokens.verify(token) == claims
    monkeypatch.setattr(identity.time, "time", lambda: claims["exp"] + 1)
    with pytest.raises(pytest.fail.Exception, match="checked again"):
        tokens.verify(token)  # expired in the cache: checked (and refused) by the signature path again
