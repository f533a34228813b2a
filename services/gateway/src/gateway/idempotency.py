"""Idempotency-Key on POST: the first request with a key runs, its response
(unless 5xx) is stored per (tenant, user, key) and replayed for a retry with
the same body (JSON compared as parsed, so key order and spacing do not
matter; only a sha256 is stored); another body under the same key is a
409; a retry arriving while the first still runs waits for it, then
replays or gets a 409. The backend calls of a request run under its key
(and of a read) may be retried on another replica (gateway.retry).

`decide` is the rule (pure); `Idempotency` runs it against a store;
`IdempotencyMiddleware` applies it to HTTP requests."""

from __future__ import annotations

import asyncio
import enum
import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from crm_shared.clock import Clock, SystemClock
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway import retry
from gateway.entrypoints.middleware import STREAMED_BODY_PATHS
from gateway.problems import Problem

HEADER = "idempotency-key"
REPLAYED = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class KeyScope:
    tenant_id: str
    user_id: str
    key: str


@dataclass(frozen=True)
class Record:
    fingerprint: str
    created_at: datetime
    status_code: int | None = None  # None: the first request is still running
    content_type: str = ""
    body: bytes = b""


class Outcome(enum.Enum):
    REPLAY = "replay"
    MISMATCH = "mismatch"
    IN_PROGRESS = "in_progress"
    TAKE_OVER = "take_over"  # expired, or abandoned by a crashed replica


def canonical_body(body: bytes, content_type: str = "") -> bytes:
    """The body as compared between a request and its retry: a JSON body
    parsed and written again with sorted keys and no whitespace (the same
    object, whatever the client's key order or spacing); any other body,
    or JSON that does not parse, as its bytes."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media and media != "application/json" and not media.endswith("+json"):
        return body
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, too deep, or an integer of too many digits
        return body
    try:
        return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    except (ValueError, RecursionError):
        return body


def valid_key(raw: bytes) -> str:
    """An Idempotency-Key is 1 to 255 printable ASCII characters (a
    structured-field string): no control characters, nothing the key
    column could not store as it was sent."""
    key = raw.strip(b" \t")
    if not 1 <= len(key) <= MAX_KEY_LENGTH or any(not 0x20 <= byte <= 0x7E for byte in key):
        description = f"must be 1 to {MAX_KEY_LENGTH} printable ASCII characters"
        raise Problem(
            400,
            f"Idempotency-Key {description}",
            slug="invalid-argument",
            errors=[{"field": "Idempotency-Key", "description": description}],
        )
    return key.decode("ascii")


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def decide(record: Record, fp: str, now: datetime, ttl: timedelta, lock: timedelta) -> Outcome:
    age = now - record.created_at
    if (record.status_code is None and age > lock) or age > ttl:
        return Outcome.TAKE_OVER
    if record.fingerprint != fp:
        return Outcome.MISMATCH
    return Outcome.IN_PROGRESS if record.status_code is None else Outcome.REPLAY


class Store(Protocol):
    async def claim(self, scope: KeyScope, fp: str, now: datetime) -> Record | None:
        """Insert a running record; None if inserted, else the existing one."""

    async def take_over(self, scope: KeyScope, old: Record, fp: str, now: datetime) -> bool:
        """Replace `old` (compare-and-set on its created_at) with a running record."""

    async def complete(
        self, scope: KeyScope, status_code: int, content_type: str, body: bytes, now: datetime
    ) -> None: ...

    async def release(self, scope: KeyScope) -> None:
        """Forget a running record (the request failed with 5xx or crashed)."""


class Idempotency:
    def __init__(
        self,
        store: Store,
        *,
        wait_s: float,
        ttl_s: float,
        lock_s: float,
        clock: Clock | None = None,
        poll_s: float = 0.05,
    ) -> None:
        self.store = store
        self.wait_s = wait_s
        self.ttl = timedelta(seconds=ttl_s)
        self.lock = timedelta(seconds=lock_s)
        self.clock = clock or SystemClock()
        self.poll_s = poll_s

    async def begin(self, scope: KeyScope, fp: str) -> Record | None:
        """None: the caller runs the request and must `finish`. A Record: replay it."""
        deadline = time.monotonic() + self.wait_s
        while True:
            now = self.clock.now()
            existing = await self.store.claim(scope, fp, now)
            if existing is None:
                return None
            outcome = decide(existing, fp, now, self.ttl, self.lock)
            if outcome is Outcome.REPLAY:
                return existing
            if outcome is Outcome.MISMATCH:
                raise Problem(
                    409,
                    "this Idempotency-Key was already used for a different request",
                    slug="idempotency-key-reused",
                )
            if outcome is Outcome.TAKE_OVER:
                if await self.store.take_over(scope, existing, fp, now):
                    return None
                continue
            if time.monotonic() >= deadline:
                raise Problem(
                    409,
                    "a request with this Idempotency-Key is still being processed; retry later",
                    slug="idempotency-key-in-progress",
                    headers={"Retry-After": "1"},
                )
            await asyncio.sleep(self.poll_s)

    async def finish(self, scope: KeyScope, status_code: int, content_type: str, body: bytes) -> None:
        # A 5xx says nothing about the request itself: let a retry run it again.
        if status_code >= 500:
            await self.store.release(scope)
        else:
            await self.store.complete(scope, status_code, content_type, body, self.clock.now())


class IdempotencyMiddleware:
    """Pure ASGI, so it sees the raw body and the whole response. It needs
    the caller to scope keys, so it authenticates POSTs that carry a key and
    leaves the principal in the scope for the route's dependency."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or ()) if scope["type"] == "http" else {}
        raw_key = headers.get(HEADER.encode())
        path: str = scope.get("path", "")
        # The token endpoint is unauthenticated and has nothing to replay.
        protected = path.startswith("/v1/") and path != "/v1/auth/token"
        # A streamed upload is not read whole to be fingerprinted; its content decides (the same bytes
        # as the document's latest version make no new version).
        protected = protected and path not in STREAMED_BODY_PATHS
        if scope["type"] != "http" or scope["method"] != "POST" or raw_key is None or not protected:
            # Reads may be tried again on another backend replica (gateway.retry); other writes may not.
            token = retry.mark_safe(scope["type"] == "http" and scope["method"] in retry.SAFE_METHODS)
            try:
                await self.app(scope, receive, send)
            finally:
                retry.unmark(token)
            return
        state = scope["app"].state
        try:
            key = valid_key(raw_key)
            auth = headers.get(b"authorization")
            principal = await state.authenticator.authenticate(auth.decode("latin-1") if auth else None)
            scope["crm.principal"] = principal
            body = await _read_body(receive)
            query = scope.get("query_string", b"").decode("latin-1")
            content_type = headers.get(b"content-type", b"").decode("latin-1")
            fp = fingerprint("POST", f"{path}?{query}" if query else path, canonical_body(body, content_type))
            key_scope = KeyScope(principal.tenant_id, principal.user_id, key)
            replay = await state.idempotency.begin(key_scope, fp)
        except Problem as problem:
            await problem.response()(scope, receive, send)
            return
        if replay is not None:
            response = Response(replay.body, replay.status_code, media_type=replay.content_type or None)
            response.headers[REPLAYED] = "true"
            await response(scope, receive, send)
            return
        await self._run(scope, body, receive, send, state.idempotency, key_scope)

    async def _run(
        self, scope: Scope, body: bytes, receive: Receive, send: Send, idempotency: Idempotency, key_scope: KeyScope
    ) -> None:
        sent_body = False

        async def replay_receive() -> Message:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        status = 500
        content_type = ""
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                content_type = dict(message.get("headers") or ()).get(b"content-type", b"").decode("latin-1")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        # Run once per key: its backend calls may be tried again on another replica (gateway.retry).
        token = retry.mark_safe()
        try:
            await self.app(scope, replay_receive, capture)
        except BaseException:
            await idempotency.store.release(key_scope)
            raise
        finally:
            retry.unmark(token)
        await idempotency.finish(key_scope, status, content_type, b"".join(chunks))


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Problem(400, "client disconnected", slug="client-disconnected")
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)
