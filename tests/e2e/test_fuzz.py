"""A property-based fuzzer over the whole gateway (schemathesis): every
operation of the running gateway's /openapi.json, with data that fits the
documented schema and data that does not, with made-up ids and with the ids
of a rep's real objects (lead, customer, opportunity, document, approval,
task...), as every demo role (one token per role) and without a token. Whatever a client sends, the answer is never a
5xx (schemathesis's `not_a_server_error` check) and the connection is never
cut; the status code and content type are ones the operation documents and
the body matches its documented schema (error bodies the Problem; 2xx bodies
are checked as far as the gateway documents them, which is little until it
has response models).

The number of examples per operation, mode and role is bounded so the run
takes about ten minutes on two cores (more on a busy machine: its own timeout
is 30 minutes, the suite's 5 would stop it midway): CRM_FUZZ_EXAMPLES (default
2; admin, who reaches the most code, gets three times as many) and
CRM_FUZZ_SEED (default 0: the same inputs every run, so a failure repeats;
change it to explore).
It runs after the other end-to-end tests (see conftest.py): what it creates
and changes would disturb them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from scripts.localstack import Stack, token
from tests.e2e.test_access_every_route import USERS as ACCESS_USERS
from tests.e2e.test_access_every_route import _path_params, build_world

EXAMPLES = int(os.environ.get("CRM_FUZZ_EXAMPLES", "2"))
SEED = int(os.environ.get("CRM_FUZZ_SEED", "0"))
# One token per role; None is a caller without a token.
USERS = ("admin", "zhangwei", "lina", "zhoumin", "wangqiang", "liufang", "chenjing", "zhaolei", "other-rep", None)
# No 5xx; and what the gateway documents holds: the status code is one it lists for the operation, the
# content type is the one it documents, and the body matches the documented schema (for errors, the Problem).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Server-sent events never end: the status line is read and the stream closed. A version's content has
# the version's own content type (documented as octet-stream): only its status is checked too.
STREAMS = {("GET", "/v1/notifications/stream"), ("GET", "/v1/document-versions/{version_id}/content")}


@dataclass
class Findings:
    """The first example of each (operation, user, status), and how many more."""

    first: dict[tuple[str, str, str], str] = field(default_factory=dict)
    count: dict[tuple[str, str, str], int] = field(default_factory=dict)
    requests: int = 0

    def add(self, operation: str, user: str, outcome: str, example: str) -> None:
        key = (operation, user, outcome)
        self.first.setdefault(key, example)
        self.count[key] = self.count.get(key, 0) + 1

    def report(self) -> str:
        lines = []
        for (operation, user, outcome), example in sorted(self.first.items()):
            n = self.count[(operation, user, outcome)]
            lines.append(f"{operation} | as {user} | {outcome} ({n}x) | {example}")
        return "\n".join(lines)


@pytest.fixture(scope="module")
def api_schema(stack: Stack) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{stack.gateway_url}/openapi.json", wait_for_schema=30)


def _example(case: schemathesis.Case, base_url: str) -> str:
    try:
        curl = case.as_curl_command(headers={"Authorization": "Bearer <token>"})
    except Exception as exc:  # noqa: BLE001 - an input curl cannot spell is still reported, as its parts
        return f"(no curl: {type(exc).__name__}) headers={case.headers!r} query={case.query!r} body={case.body!r}"[:600]
    return curl.replace(base_url, "")[:600]


def _raised(exc: BaseException) -> str:
    """An exception as a finding names it: its type and message, and those of
    the exceptions it groups (hypothesis's Flaky carries the first run's)."""
    said = f"{type(exc).__name__}: {str(exc)[:200]}"
    if not str(exc) and exc.__cause__ is not None:  # a wrapper, e.g. of a BaseException inside a Flaky
        said += f"from {_raised(exc.__cause__)}"
    if isinstance(exc, BaseExceptionGroup):
        said += " [" + "; ".join(_raised(inner) for inner in exc.exceptions) + "]"
    return said.replace("\n", " ")


def _stopped_inside(exc: Exception) -> BaseException | None:
    """A timeout or interrupt (a BaseException: pytest-timeout's Failed, KeyboardInterrupt) that struck inside an
    example, which hypothesis reports as Flaky once the example's replay passes, wrapped as a cause."""
    for inner in getattr(exc, "exceptions", ()):
        for candidate in (inner, inner.__cause__):
            if candidate is not None and not isinstance(candidate, Exception):
                return candidate
    return None


def _fuzz_operation(
    operation, base_url: str, headers: dict[str, str], user: str, findings: Findings, ids: dict[str, str], examples: int
) -> None:
    label = f"{operation.method.upper()} {operation.path}"
    streaming = (operation.method.upper(), operation.path) in STREAMS

    def check(case: schemathesis.Case) -> None:
        # Whatever goes wrong is a finding named by its exception, never an exception out of the test
        # function: hypothesis would replay the input and, should it pass then, report only "Flaky".
        try:
            send_and_validate(case)
        except Exception as exc:  # noqa: BLE001 - see above
            findings.add(label, user, f"raised {_raised(exc)}", _example(case, base_url))

    def send_and_validate(case: schemathesis.Case) -> None:
        findings.requests += 1
        try:
            if streaming:
                kwargs = case.as_transport_kwargs(base_url=base_url, headers=headers)
                with requests.request(**kwargs, stream=True, timeout=10) as response:
                    if response.status_code >= 500:
                        findings.add(label, user, f"{response.status_code}", _example(case, base_url))
                return
            response = case.call(base_url=base_url, headers=headers, timeout=30)
        except requests.RequestException as exc:
            findings.add(label, user, f"no answer: {type(exc).__name__}", _example(case, base_url))
            return
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, BaseExceptionGroup) as exc:
            failed = exc.exceptions if isinstance(exc, BaseExceptionGroup) else [exc]
            titles = "; ".join(sorted({getattr(f, "title", type(f).__name__) for f in failed}))
            detail = response.text[:200].replace("\n", " ")
            findings.add(label, user, f"{response.status_code} {titles}: {detail}", _example(case, base_url))

    # Made-up ids, valid and invalid data; then the ids of real objects (deeper into the services).
    real = {name: ids[name] for name in _path_params(operation.path) if name in ids}
    runs = [(GenerationMode.POSITIVE, {}), (GenerationMode.NEGATIVE, {})] + (
        [(GenerationMode.POSITIVE, real)] if real else []
    )
    for mode, path_parameters in runs:
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None)
        run: Callable[[], None] = settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )(seed(SEED)(given(case=strategy)(check)))
        try:
            run()
        except Unsatisfiable:
            pass  # no parameters to break: nothing negative to send
        except Exception as exc:  # an operation schemathesis cannot generate for is a finding too
            if (stopped := _stopped_inside(exc)) is not None:
                raise stopped from exc  # the test's own end, not a finding about this operation
            findings.add(label, user, f"not generated ({mode.value})", _raised(exc)[:600])


# Every operation x mode x caller: longer than the suite's per-test timeout, whose alarm would strike inside an
# example (and, taken by hypothesis for a flaky input, read as a finding about whatever operation was running).
@pytest.mark.timeout(1800)
def test_no_input_gives_a_server_error_or_an_undocumented_answer(stack: Stack, api_schema: schemathesis.BaseSchema) -> None:
    base_url = stack.gateway_url
    findings = Findings()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 50, "the gateway's OpenAPI document lists too few operations"
    clients = {role: httpx.Client(base_url=base_url, timeout=15,
                                  headers={"Authorization": f"Bearer {token(base_url, user)}"})
               for role, user in ACCESS_USERS.items()}
    ids = build_world(clients, stack.now()).ids
    started = time.monotonic()
    for user in USERS:
        # Admin reaches the most code: more examples.
        examples = EXAMPLES * 3 if user == "admin" else EXAMPLES
        headers = {"Authorization": f"Bearer {token(base_url, user)}"} if user else {}
        for operation in operations:
            _fuzz_operation(operation, base_url, headers, user or "anonymous", findings, ids, examples)
    elapsed = time.monotonic() - started
    print(f"\nfuzzed {len(operations)} operations as {len(USERS)} callers: {findings.requests} requests "
          f"in {elapsed:.0f}s")
    assert not findings.first, (
        f"{len(findings.first)} server errors, cut connections or undocumented answers "
        "(operation | caller | status and check | first input):\n"
        + findings.report()
    )
