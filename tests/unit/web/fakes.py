"""A stand-in for the gateway in the console's unit tests: canned answers by
(method, path), every call recorded. The browser tests use the real one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from web.gateway import GatewayProblem, Verbs

Answer = Any | GatewayProblem | Callable[..., Any]


@dataclass
class Call:
    method: str
    path: str
    token: str
    kwargs: dict[str, Any]


@dataclass
class FakeGateway:
    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)

    def on(self, method: str, path: str, answer: Answer) -> FakeGateway:
        """Answer `method path` with a value, a GatewayProblem (raised) or a function of the call's kwargs."""
        self.answers[(method.upper(), path)] = answer
        return self

    def client(self, token: str) -> FakeClient:
        return FakeClient(self, token)

    def called(self, method: str, path: str) -> list[Call]:
        return [c for c in self.calls if c.method == method.upper() and c.path == path]


def problem(status: int, detail: str = "", *, errors: list[dict[str, str]] | None = None,
            violations: list[dict[str, str]] | None = None, title: str = "") -> GatewayProblem:
    body = {"status": status, "title": title or "refused", "detail": detail,
            "errors": errors or None, "violations": violations or None}
    return GatewayProblem(status=status, title=title or "refused", detail=detail, errors=errors or [],
                          violations=violations or [], body=body)


class FakeClient(Verbs):
    def __init__(self, fake: FakeGateway, token: str) -> None:
        self.fake = fake
        self.token = token

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        self.fake.calls.append(Call(method.upper(), path, self.token, kwargs))
        try:
            answer = self.fake.answers[(method.upper(), path)]
        except KeyError:
            raise GatewayProblem(status=404, title="Not found", detail=f"no canned answer for {method} {path}") from None
        if isinstance(answer, GatewayProblem):
            raise answer
        if callable(answer):
            answer = answer(**kwargs)
            if isinstance(answer, GatewayProblem):
                raise answer
        return answer

    async def stream_lines(self, path: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        self.fake.calls.append(Call("STREAM", path, self.token, {"headers": headers}))
        for line in self.fake.answers.get(("STREAM", path), []):
            yield line
