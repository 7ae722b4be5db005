"""The sandbox is a server users run: abuse gets the provider's refusal, never a 500 or a hang.

Deep JSON, control-API bodies of the wrong types, half-open connections by the thousand, and
clients that leave in the middle of a slow fault. One sandbox per test (in-process), or a child
process where the file limit is the point; every connection the tests open is closed by them.
"""

import json
import logging
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest

from docextract.sandbox import Sandbox, SandboxConfig, running_sandbox
from docextract.sandbox.server import LISTENING

KEY = "sandbox-abuse-key-1"
DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with running_sandbox(SandboxConfig(api_key=KEY, step_seconds=0.05)) as running:
        yield running


def control(sandbox: Sandbox) -> httpx.Client:
    return httpx.Client(
        base_url=sandbox.url + "/_sandbox", headers={"Authorization": f"Bearer {KEY}"}, timeout=10
    )


@pytest.mark.parametrize(
    ("provider", "path", "header"),
    [
        ("llamacloud", "/api/v2/extract", "Authorization"),
        ("contextual", "/extract/jobs", "Authorization"),
    ],
)
def test_a_deep_create_body_is_the_providers_422(
    sandbox: Sandbox, provider: str, path: str, header: str
) -> None:
    with httpx.Client(timeout=10) as http:
        answer = http.post(
            sandbox.base_url(provider) + path,
            content=DEEP,
            headers={header: f"Bearer {KEY}", "Content-Type": "application/json"},
        )

    assert answer.status_code == 422, answer.text
    assert "detail" in answer.json()


def test_a_deep_control_body_is_422(sandbox: Sandbox) -> None:
    with control(sandbox) as http:
        answer = http.post("/faults", content=DEEP, headers={"Content-Type": "application/json"})

    assert answer.status_code == 422, answer.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("count", 1.5),
        ("count", True),
        ("status", 503.5),
        ("status", "503"),
        ("delay", "1e999"),
        ("delay", float("inf")),
        ("delay", float("nan")),
        ("delay", -1),
        ("retry_after", 2.5),
        ("route", ["GET /x"]),
        ("provider", ["numind"]),
    ],
)
def test_the_control_api_names_a_field_of_the_wrong_type(
    sandbox: Sandbox, field: str, value: object
) -> None:
    fault = {"provider": "numind", "route": "*", "kind": "status", field: value}
    body = json.dumps(fault).replace('"1e999"', "1e999")  # JSON numbers as a client sends them

    with control(sandbox) as http:
        answer = http.post("/faults", content=body, headers={"Content-Type": "application/json"})
        faults = http.get("/faults").json()["faults"]

    assert answer.status_code == 422, answer.text
    assert field in answer.json()["detail"]
    assert faults == []


@pytest.mark.parametrize("spec", ["numind:*=status:503.5", "numind:*=slow:1.2.3", "numind:*=x"])
def test_a_fault_spec_that_does_not_parse_is_422(sandbox: Sandbox, spec: str) -> None:
    with control(sandbox) as http:
        answer = http.post("/faults", json={"spec": spec})

    assert answer.status_code == 422, answer.text


def test_a_slow_fault_runs_the_operation_although_the_client_left(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    route = "POST /api/structured-extraction/{structuredExtractionProjectId}/jobs"
    sandbox.set_fault(f"numind:{route}=slow:1")
    url = sandbox.base_url("numind") + "/api/structured-extraction/numind-invoice/jobs"

    with caplog.at_level(logging.WARNING), httpx.Client(timeout=0.2) as http:
        with pytest.raises(httpx.ReadTimeout):
            http.post(
                url,
                content=b"Invoice INV-1, total 10 EUR",
                headers={"Authorization": f"Bearer {KEY}", "Content-Type": "text/plain"},
            )
        deadline = time.monotonic() + 10
        while sandbox.stats().jobs_created["numind"] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)

    assert sandbox.stats().jobs_created["numind"] == 1
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


def test_a_normal_request_is_served_while_a_thousand_idle_connections_are_open() -> None:
    """In a child process whose file limit is 256: 1,000 connections that never send a byte
    (and a few that trickle their headers) must not stop it serving anyone."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"the test process itself needs 1,200 file descriptors (hard limit {hard})")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    limited = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256)); "
        "from docextract.sandbox.server import main; sys.exit(main(sys.argv[1:]))"
    )
    command = [sys.executable, "-c", limited, "--port", "0", "--api-key", KEY]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline().strip() if process.stdout else ""
        assert first.startswith(LISTENING), first
        url = first.removeprefix(LISTENING)
        host, port = url.removeprefix("http://").split(":")
        with ExitStack() as idle:
            for n in range(1000):
                conn = idle.enter_context(socket.create_connection((host, int(port)), timeout=10))
                if n % 100 == 0:
                    conn.sendall(b"GET /numind/api/jobs/x/status HTTP/1.1\r\nHost: x\r\n")
            with httpx.Client(timeout=10) as http:
                answer = http.get(
                    f"{url}/numind/api/jobs/nm-unknown/status",
                    headers={"Authorization": f"Bearer {KEY}"},
                )
        assert answer.status_code == 404, answer.text
    finally:
        process.terminate()
        try:
            _, errors = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            _, errors = process.communicate()
    assert "Too many open files" not in errors
    assert "Traceback" not in errors


@pytest.mark.parametrize("trickle", [False, True], ids=["silent", "slow headers"])
def test_a_connection_without_a_request_is_closed_after_the_idle_timeout(
    monkeypatch: pytest.MonkeyPatch, trickle: bool
) -> None:
    from docextract.sandbox import server

    monkeypatch.setattr(server, "IDLE_SECONDS", 1.0)
    with running_sandbox(SandboxConfig(api_key=KEY)) as running:
        host, port = running.url.removeprefix("http://").split(":")
        started = time.monotonic()
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            conn.settimeout(0.3)
            closed = False
            head = b"GET /numind/api/jobs/x/status HTTP/1.1\r\n" + b"X-Slow: y\r\n" * 50
            for byte in head if trickle else b"":
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    closed = True
                    break
                time.sleep(0.1)
                if time.monotonic() - started > 8:
                    break
            conn.settimeout(8)
            if not closed:
                try:
                    closed = conn.recv(1024) == b""
                except ConnectionResetError:
                    closed = True
                except TimeoutError:  # still open 8 s on
                    closed = False
        took = time.monotonic() - started

    assert closed
    assert took < 1.0 + 3.0, f"closed after {took:.1f}s for a 1s idle timeout"
