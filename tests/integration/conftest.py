"""Fixtures of the sandbox tests: one sandbox for the session (reset before each test), the
generated clients pointed at it, and a checker holding every answer to the vendored specs.

The checker stands in for Prism's validating proxy: for each answer it finds the operation in
`specs/<provider>/openapi.yaml`, then checks that the status is declared (or `default`), that the
content type is one the spec lists for it, and that a JSON body validates against its schema
(formats included: date-times must be RFC 3339). A few statuses the brief asks for and the specs do
not declare are let through (SPEC_GAPS).
"""

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from docextract.clients import client as build_client
from docextract.providers import PROVIDERS
from docextract.sandbox import Sandbox, SandboxConfig, running_sandbox

ROOT = Path(__file__).resolve().parents[2]
KEY = "sandbox-test-key"
STEP = 0.01  # seconds per job status: jobs end within a few tens of milliseconds
SPECS: dict[str, dict[str, Any]] = {
    name: yaml.safe_load((ROOT / "specs" / name / "openapi.yaml").read_text(encoding="utf-8"))
    for name in PROVIDERS
}
EVENTS: dict[str, dict[str, Any]] = {
    name: yaml.safe_load((ROOT / "specs" / name / "events.schema.json").read_text("utf-8"))
    for name in ("numind", "contextual")
}
SPEC_GAPS = {
    # authentication answers: only NuMind documents 403 (and has a `default`)
    **{(name, status): "no 401/403 in the spec" for name in PROVIDERS for status in (401, 403)},
    ("llamacloud", 404): "unknown job: the spec has no 404",
    ("retab", 404): "unknown project: the spec has no 404",
}


def _operation(provider: str, request: httpx.Request) -> dict[str, Any] | None:
    path = request.url.path.removeprefix(f"/{provider}")
    for template, item in SPECS[provider]["paths"].items():
        pattern = re.sub(r"\{[^}]+\}", "[^/]+", template)
        if re.fullmatch(pattern, path) and request.method.lower() in item:
            operation: dict[str, Any] = item[request.method.lower()]
            return operation
    return None


def conformance_problems(provider: str, response: httpx.Response) -> list[str]:
    """What in `response` the provider's spec does not allow (the body must have been read)."""
    spec = SPECS[provider]
    operation = _operation(provider, response.request)
    where = f"{response.request.method} {response.request.url.path} -> {response.status_code}"
    if operation is None:
        return [f"{where}: no such operation in the spec"]
    answers = operation["responses"]
    declared = answers.get(str(response.status_code), answers.get("default"))
    if declared is None:
        gap = SPEC_GAPS.get((provider, response.status_code))
        return [] if gap else [f"{where}: status not declared"]
    if "$ref" in declared:
        declared = spec["components"]["responses"][declared["$ref"].rsplit("/", 1)[1]]
    content = declared.get("content")
    if not content:
        return []
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if media not in content:
        return [f"{where}: content type {media!r} not among {sorted(content)}"]
    if media != "application/json":
        return []
    schema = {**content[media]["schema"], "components": spec["components"]}
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{where}: {error.message}" for error in validator.iter_errors(response.json())]


def event_problems(provider: str, event: str, data: str) -> list[str]:
    """What in one SSE event the spec's `x-sse-events` and events.schema.json do not allow."""
    if provider == "numind" and event == "ping":
        return [] if data == "" else [f"ping with data {data!r}"]
    if provider == "numind" and event == "result":
        schema = {"$ref": "#/components/schemas/JobResponse", **SPECS["numind"]}
    else:
        name = {
            "error": "JobStreamError",
            "start": "StartEvent",
            "subtree_result": "SubtreeResultEvent",
            "subtree_error": "SubtreeErrorEvent",
        }.get(event)
        if name is None:
            return [f"unknown event {event!r}"]
        schema = {"$ref": f"#/$defs/{name}", **EVENTS[provider]}
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{event}: {error.message}" for error in validator.iter_errors(json.loads(data))]


def stream_problems(provider: str, response: httpx.Response) -> list[str]:
    """For an event stream: whether the operation declares one for this status."""
    operation = _operation(provider, response.request)
    declared = (operation or {}).get("responses", {}).get(str(response.status_code), {})
    if "text/event-stream" not in declared.get("content", {}):
        return [f"{response.request.url.path}: event stream not declared"]
    return []


class Conformance:
    """Collects the problems of every answer a checked client receives."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def hooks(self, provider: str) -> tuple[Callable[..., None], Callable[..., Any]]:
        def check(response: httpx.Response) -> None:
            if response.headers.get("content-type", "").startswith("text/event-stream"):
                self.problems += stream_problems(provider, response)
                return
            response.read()
            self.problems += conformance_problems(provider, response)

        async def acheck(response: httpx.Response) -> None:
            if not response.headers.get("content-type", "").startswith("text/event-stream"):
                await response.aread()
            check(response)

        return check, acheck


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Sandbox]:
    config = SandboxConfig(api_key=KEY, step_seconds=STEP, ping_interval=0.02)
    with running_sandbox(config) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(sandbox_server: Sandbox) -> Sandbox:
    """The session's sandbox, reset: no jobs, no faults, default schedules, zero counters."""
    sandbox_server.reset()
    return sandbox_server


@pytest.fixture
def conformance() -> Iterator[Conformance]:
    checker = Conformance()
    yield checker
    assert checker.problems == [], "answers the specs do not allow"


ClientFactory = Callable[..., Any]


@pytest.fixture
def make_client(sandbox: Sandbox, conformance: Conformance) -> Iterator[ClientFactory]:
    """`make_client(provider, checked=True, raw=True, api_key=KEY, **options)`: the generated
    client of `provider` on the sandbox (no retries unless asked); `checked` answers go to the
    checker. `raw`: its generated calls return the sandbox's error answers as Responses (these
    tests look at them) instead of raising docextract's errors, as a docextract.client() does."""
    made: list[Any] = []

    def make(provider: str, *, checked: bool = True, raw: bool = True, **options: Any) -> Any:
        options.setdefault("api_key", KEY)
        options.setdefault("max_retries", 0)
        client = build_client(provider, base_url=sandbox.base_url(provider), **options)
        if raw:
            client.answer_hook = None
        if checked:
            check, acheck = conformance.hooks(provider)
            client.get_httpx_client().event_hooks["response"].append(check)
            client.get_async_httpx_client().event_hooks["response"].append(acheck)
        made.append(client)
        return client

    yield make
    for client in made:
        client.get_httpx_client().close()


@pytest.fixture
async def make_async_client(make_client: ClientFactory) -> AsyncIterator[ClientFactory]:
    """`make_client` for async tests: also closes the async httpx clients, on the test's loop."""
    made: list[Any] = []

    def make(provider: str, **options: Any) -> Any:
        client = make_client(provider, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.get_async_httpx_client().aclose()


async def wait_until_async(
    condition: Callable[[], Awaitable[Any]], *, timeout: float = 10.0
) -> Any:
    """`wait_until` for a coroutine function, sleeping without blocking the loop."""
    deadline = time.monotonic() + timeout
    while True:
        result = await condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout}s")
        await asyncio.sleep(STEP / 2)


def wait_until(condition: Callable[[], Any], *, timeout: float = 10.0) -> Any:
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout}s")
        time.sleep(STEP / 2)


INVOICE_TEXT = """ACME SUPPLIES LTD - INVOICE

Invoice number: INV-2026-0042
Date: 2026-11-02
Vendor: Acme Supplies Ltd
Total amount: 1,284.50
Currency: EUR
Paid: no

Thank you for your business.
"""
INVOICE_VALUES = {
    "invoice_number": "INV-2026-0042",
    "date": "2026-11-02",
    "vendor": "Acme Supplies Ltd",
    "total_amount": 1284.5,
    "currency": "EUR",
    "paid": False,
}


def follow(read_status: Callable[[], str], terminal: set[str]) -> list[str]:
    """Poll a job's status until it is terminal; the distinct statuses seen, in order."""
    seen: list[str] = []

    def ended() -> bool:
        status = read_status()
        if not seen or seen[-1] != status:
            seen.append(status)
        return status in terminal

    wait_until(ended)
    return seen


def in_order(seen: list[str], order: list[str]) -> bool:
    """Whether `seen` is a subsequence of `order` (statuses only move forward)."""
    remaining = iter(order)
    return all(status in remaining for status in seen)
