"""docextract.retry: the decision core, and both transports against loopback servers.

Server-side request counts prove what was and was not resent; sleeps are recorded, never slept.
"""

import asyncio
import io
import logging
import math
import random
import re
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from docextract.retry import (
    ATTEMPTS_EXTENSION,
    DEADLINE_EXTENSION,
    AsyncRetryTransport,
    RetryDecision,
    RetryPolicy,
    RetryTransport,
)

NOW = 1000.0  # the injected monotonic clock never moves
SECRET = "sentinel-secret-5f1c"
JITTER = random.Random(0).uniform(0.0, 0.5)  # first backoff of a policy seeded with 0


def seeded(**kwargs: Any) -> RetryPolicy:
    return RetryPolicy(rng=random.Random(0), **kwargs)


# --- harness: one test body, run through RetryTransport and AsyncRetryTransport ----------------


@attrs.define
class Harness:
    """Sends one request through a client with the retry transport of ``mode``; records sleeps,
    the attempts that reached the inner transport, and whether the inner transport was closed."""

    mode: str
    sleeps: list[float] = attrs.Factory(list)
    responses: list[httpx.Response] = attrs.Factory(list)
    calls: int = 0
    closed: bool = False

    async def send(
        self,
        method: str,
        url: str,
        policy: RetryPolicy | None = None,
        *,
        deadline: float | None = None,
        client_timeout: httpx.Timeout | float = 5.0,
        **kwargs: Any,
    ) -> httpx.Response:
        policy = policy or seeded()
        kwargs["extensions"] = {} if deadline is None else {DEADLINE_EXTENSION: deadline}
        if self.mode == "sync":  # in a worker thread, as a blocking caller would be
            return await asyncio.to_thread(
                self._send_sync, policy, client_timeout, method, url, **kwargs
            )
        transport = AsyncRetryTransport(
            policy, transport=_AsyncCounting(self), sleep=self._sleep, clock=lambda: NOW
        )
        async with httpx.AsyncClient(transport=transport, timeout=client_timeout) as client:
            return await client.request(method, url, **kwargs)

    def _send_sync(
        self, policy: RetryPolicy, timeout: httpx.Timeout | float, *args: Any, **kwargs: Any
    ) -> httpx.Response:
        transport = RetryTransport(
            policy, transport=_Counting(self), sleep=self.sleeps.append, clock=lambda: NOW
        )
        with httpx.Client(transport=transport, timeout=timeout) as client:
            return client.request(*args, **kwargs)

    async def _sleep(self, delay: float) -> None:
        self.sleeps.append(delay)


class _Counting(httpx.HTTPTransport):
    def __init__(self, harness: Harness) -> None:
        super().__init__()
        self._harness = harness

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._harness.calls += 1
        response = super().handle_request(request)
        self._harness.responses.append(response)
        return response

    def close(self) -> None:
        self._harness.closed = True
        super().close()


class _AsyncCounting(httpx.AsyncHTTPTransport):
    def __init__(self, harness: Harness) -> None:
        super().__init__()
        self._harness = harness

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._harness.calls += 1
        response = await super().handle_async_request(request)
        self._harness.responses.append(response)
        return response

    async def aclose(self) -> None:
        self._harness.closed = True
        await super().aclose()


@pytest.fixture(params=["sync", "async"])
def harness(request: pytest.FixtureRequest) -> Harness:
    return Harness(request.param)


# --- raw loopback servers: silent, dropping, scripted -------------------------------------------

Reply = Callable[[int], bytes | None]
SILENT: Reply = lambda n: None  # noqa: E731 - reads the request, never answers
DROP: Reply = lambda n: b""  # noqa: E731 - reads the request, closes the connection


class RawServer:
    """TCP server on 127.0.0.1 in a thread. Reads each request head, then sends ``reply(n)`` for
    the n-th request (0-based) and closes; ``None`` keeps the connection open, silent."""

    def __init__(self, reply: Reply) -> None:
        self._reply = reply
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.01)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.requests = 0
        self._silent: list[socket.socket] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def stop(self) -> int:
        """Stop after serving the connections already queued; return the number of requests."""
        self._stopping.set()
        self._thread.join(timeout=10)
        assert not self._thread.is_alive()
        return self.requests

    def _serve(self) -> None:
        with self._listener:
            while not self._stopping.is_set():
                self._accept()
            self._listener.setblocking(False)
            for _ in range(64):  # the backlog: connections made before stop() was called
                if not self._accept():
                    break
            for conn in self._silent:
                conn.close()

    def _accept(self) -> bool:
        try:
            conn, _ = self._listener.accept()
        except (TimeoutError, BlockingIOError):
            return False
        conn.settimeout(2.0)
        if not _read_request(conn):
            conn.close()
            return True
        reply = self._reply(self.requests)
        self.requests += 1
        if reply is None:
            self._silent.append(conn)
        else:
            with conn:
                conn.sendall(reply)
        return True


def _read_request(conn: socket.socket) -> bool:
    """Read one request, head and Content-Length body (closing early would reset, not drop)."""
    data = b""
    try:
        while b"\r\n\r\n" not in data and (chunk := conn.recv(65536)):
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        remaining = int(length[1]) - len(body) if length else 0
        while remaining > 0 and (chunk := conn.recv(remaining)):
            remaining -= len(chunk)
    except OSError:
        return False
    return b"\r\n\r\n" in data


@pytest.fixture
def raw_server() -> Iterator[Callable[[Reply], RawServer]]:
    servers: list[RawServer] = []

    def start(reply: Reply) -> RawServer:
        servers.append(RawServer(reply))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def refused_url() -> str:
    """A loopback port nobody listens on: bound, then released without listen()."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def raw_response(status: str, *headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", *headers, "Content-Length: 0", "Connection: close", "", ""]
    return "\r\n".join(lines).encode()


# --- transports against loopback servers --------------------------------------------------------


async def test_retries_statuses_until_success(harness: Harness, httpserver: HTTPServer) -> None:
    for status in (503, 503, 200):
        httpserver.expect_ordered_request("/jobs/1").respond_with_data("x", status=status)

    response = await harness.send("GET", httpserver.url_for("/jobs/1"))

    assert response.status_code == 200
    assert len(httpserver.log) == 3
    assert response.extensions[ATTEMPTS_EXTENSION] == 3
    assert len(harness.sleeps) == 2
    assert [r.is_closed for r in harness.responses[:2]] == [True, True]  # discarded, closed
    assert harness.closed  # close()/aclose() delegate


async def test_returns_last_response_when_retries_are_exhausted(
    harness: Harness, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/jobs/1").respond_with_data("busy", status=503)

    response = await harness.send("GET", httpserver.url_for("/jobs/1"))

    assert (response.status_code, response.text) == (503, "busy")
    assert len(httpserver.log) == 3
    assert response.extensions[ATTEMPTS_EXTENSION] == 3


@pytest.mark.parametrize(
    ("headers", "sleep"),
    [
        ({"Retry-After": "2"}, 2.0),
        ({"retry-after-ms": "250", "Retry-After": "7"}, 0.25),
    ],
)
async def test_sleeps_what_the_server_asks(
    harness: Harness, httpserver: HTTPServer, headers: dict[str, str], sleep: float
) -> None:
    httpserver.expect_ordered_request("/jobs").respond_with_data(status=429, headers=headers)
    httpserver.expect_ordered_request("/jobs").respond_with_data("ok")

    response = await harness.send("GET", httpserver.url_for("/jobs"))

    assert response.status_code == 200
    assert harness.sleeps == [sleep]


async def test_sleeps_until_retry_after_http_date(
    harness: Harness, raw_server: Callable[[Reply], RawServer]
) -> None:
    busy = raw_response(
        "503 Service Unavailable",
        "Date: Tue, 01 Jul 2025 12:00:00 GMT",
        "Retry-After: Tue, 01 Jul 2025 12:00:03 GMT",
    )
    server = raw_server([busy, raw_response("200 OK")].__getitem__)

    response = await harness.send("GET", f"{server.url}/jobs")

    assert response.status_code == 200
    assert harness.sleeps == [3.0]
    assert server.stop() == 2


async def test_huge_retry_after_returns_the_response(
    harness: Harness, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/jobs").respond_with_data(status=429, headers={"Retry-After": "120"})

    response = await harness.send("GET", httpserver.url_for("/jobs"))

    assert response.status_code == 429
    assert len(httpserver.log) == 1
    assert harness.sleeps == []


async def test_never_sleeps_past_the_deadline(harness: Harness, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/jobs").respond_with_data(status=429, headers={"Retry-After": "5"})

    response = await harness.send("GET", httpserver.url_for("/jobs"), deadline=NOW + 1.0)

    assert response.status_code == 429
    assert len(httpserver.log) == 1
    assert harness.sleeps == []


@pytest.mark.parametrize(
    ("status", "headers", "requests"),
    [
        (503, {}, 1),  # the server may have created the job
        (503, {"Idempotency-Key": "job-42"}, 2),  # the provider replays its cached result
        (429, {}, 2),  # rejected before any job was created
    ],
)
async def test_post_is_resent_only_when_safe(
    harness: Harness,
    httpserver: HTTPServer,
    status: int,
    headers: dict[str, str],
    requests: int,
) -> None:
    httpserver.expect_ordered_request("/jobs", method="POST").respond_with_data(status=status)
    httpserver.expect_ordered_request("/jobs", method="POST").respond_with_data("created")

    response = await harness.send("POST", httpserver.url_for("/jobs"), json={}, headers=headers)

    assert len(httpserver.log) == requests
    assert response.status_code == (status if requests == 1 else 200)


async def test_post_to_a_refused_port_is_resent(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="docextract.retry")

    with pytest.raises(httpx.ConnectError):
        await harness.send("POST", f"{refused_url()}/jobs", json={})

    assert harness.calls == 3
    assert len(harness.sleeps) == 2
    assert "(ConnectError)" in caplog.text


@pytest.mark.parametrize(
    ("method", "reply", "error", "requests"),
    [
        ("GET", SILENT, httpx.ReadTimeout, 3),
        ("POST", SILENT, httpx.ReadTimeout, 1),  # the server may be creating the job
        ("GET", DROP, httpx.RemoteProtocolError, 3),
        ("POST", DROP, httpx.RemoteProtocolError, 1),  # lost after sending: maybe created
    ],
)
async def test_errors_after_sending_are_resent_only_for_idempotent_requests(
    harness: Harness,
    raw_server: Callable[[Reply], RawServer],
    method: str,
    reply: Reply,
    error: type[httpx.TransportError],
    requests: int,
) -> None:
    server = raw_server(reply)

    with pytest.raises(error):
        await harness.send(
            method, f"{server.url}/jobs", json={}, client_timeout=httpx.Timeout(5.0, read=0.05)
        )

    assert server.stop() == requests
    assert harness.calls == requests


async def test_logs_each_retry_without_query_or_headers(
    harness: Harness, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="docextract.retry")
    httpserver.expect_ordered_request("/jobs/7").respond_with_data(
        status=503, headers={"retry-after-ms": "250"}
    )
    httpserver.expect_ordered_request("/jobs/7").respond_with_data("ok")

    await harness.send(
        "GET",
        httpserver.url_for("/jobs/7"),
        params={"access_token": SECRET},
        headers={"Authorization": f"Bearer {SECRET}"},
    )

    [record] = [r for r in caplog.records if r.name == "docextract.retry"]
    assert record.levelno == logging.DEBUG
    assert record.getMessage() == "GET /jobs/7 attempt 1/3 failed (status 503); retrying in 0.250s"
    client_log = "\n".join(r.getMessage() for r in caplog.records if r.name != "werkzeug")
    assert SECRET not in client_log  # the test server's own access log does show the query
    assert "access_token" not in client_log


# --- the decision core --------------------------------------------------------------------------


def decide(
    policy: RetryPolicy,
    outcome: int | httpx.Response | httpx.TransportError,
    method: str = "GET",
    *,
    attempt: int = 0,
    slept: float = 0.0,
    deadline: float | None = None,
    **request_kwargs: Any,
) -> RetryDecision | None:
    extensions = {} if deadline is None else {DEADLINE_EXTENSION: deadline}
    request = httpx.Request(method, "http://127.0.0.1/x", extensions=extensions, **request_kwargs)
    if isinstance(outcome, int):
        outcome = httpx.Response(outcome)
    return policy.decide(request, attempt, outcome, slept=slept, now=NOW)


@pytest.mark.parametrize(
    ("method", "headers", "outcome", "reason"),
    [
        ("GET", {}, 503, "status 503"),
        ("HEAD", {}, 408, "status 408"),
        ("GET", {}, 404, None),
        ("DELETE", {}, httpx.WriteTimeout("w"), "WriteTimeout"),
        ("PUT", {}, httpx.ReadError("r"), "ReadError"),
        ("OPTIONS", {}, httpx.RemoteProtocolError("p"), "RemoteProtocolError"),
        ("GET", {}, httpx.LocalProtocolError("l"), None),  # our own malformed request
        ("GET", {}, httpx.UnsupportedProtocol("u"), None),
        ("POST", {}, 500, None),
        ("PATCH", {}, 502, None),
        ("POST", {}, 429, "status 429"),
        ("POST", {"Idempotency-Key": "k"}, 503, "status 503"),
        ("POST", {"Idempotency-Key": "k"}, httpx.ReadTimeout("r"), "ReadTimeout"),
        ("POST", {}, httpx.ConnectError("c"), "ConnectError"),
        ("POST", {}, httpx.ConnectTimeout("c"), "ConnectTimeout"),
        ("POST", {}, httpx.PoolTimeout("p"), "PoolTimeout"),
        ("POST", {}, httpx.ReadTimeout("r"), None),
        ("POST", {}, httpx.WriteError("w"), None),
        ("PATCH", {}, httpx.RemoteProtocolError("p"), None),
    ],
)
def test_decision_table(
    method: str,
    headers: dict[str, str],
    outcome: int | httpx.TransportError,
    reason: str | None,
) -> None:
    decision = decide(seeded(), outcome, method, headers=headers)

    assert (decision and decision.reason) == reason


@pytest.mark.parametrize(
    ("headers", "delay"),
    [
        ({"Retry-After": "1.5"}, 1.5),
        ({"Retry-After": "0"}, 0.0),
        ({"retry-after-ms": "250", "Retry-After": "7"}, 0.25),
        ({"retry-after-ms": "soon", "Retry-After": "7"}, 7.0),
        (
            {
                "Date": "Tue, 01 Jul 2025 12:00:00 GMT",
                "Retry-After": "Tue, 01 Jul 2025 12:01:00 GMT",
            },
            60.0,
        ),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # already past: retry now
        ({"Retry-After": "61"}, None),  # unreasonable: give the response back
        ({"Retry-After": "soon"}, JITTER),
        ({"Retry-After": "-3"}, JITTER),
        ({"Retry-After": "nan"}, JITTER),
    ],
)
def test_server_requested_delay(headers: dict[str, str], delay: float | None) -> None:
    decision = decide(seeded(max_total_sleep=100.0), httpx.Response(503, headers=headers))

    assert (decision and decision.delay) == delay


@pytest.mark.parametrize(
    ("slept", "deadline", "retried"),
    [
        (28.0, None, True),
        (28.5, None, False),  # 28.5 + 2 > max_total_sleep
        (0.0, NOW + 2.0, True),  # wakes exactly at the deadline
        (0.0, NOW + 1.9, False),
    ],
)
def test_sleep_budget_and_deadline(slept: float, deadline: float | None, retried: bool) -> None:
    response = httpx.Response(503, headers={"Retry-After": "2"})

    decision = decide(seeded(), response, slept=slept, deadline=deadline)

    assert (decision is not None) == retried


def test_stops_after_max_retries() -> None:
    policy = seeded(max_retries=2)

    assert [decide(policy, 503, attempt=n) is not None for n in range(4)] == [
        True,
        True,
        False,
        False,
    ]


class _Unseekable(io.BytesIO):
    def seekable(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("body", "retried"),
    [
        ({"content": b"{}"}, True),
        ({"content": iter([b"{}"])}, False),  # a stream: consumed by the first send
        ({"files": {"f": ("a.pdf", io.BytesIO(b"%PDF"), "application/pdf")}}, True),
        ({"files": {"f": ("a.pdf", b"%PDF")}, "data": {"k": "v"}}, True),
        ({"files": {"f": ("a.pdf", _Unseekable(b"%PDF"))}}, False),
    ],
)
def test_only_replayable_bodies_are_resent(body: dict[str, Any], retried: bool) -> None:
    assert (decide(seeded(), 503, "PUT", **body) is not None) == retried


@given(
    attempt=st.integers(0, 99),
    seed=st.integers(0, 2**64),
    initial_delay=st.floats(0.0, 10.0),
    max_delay=st.floats(0.0, 60.0),
)
def test_backoff_is_full_jitter_below_the_cap(
    attempt: int, seed: int, initial_delay: float, max_delay: float
) -> None:
    policy = RetryPolicy(
        max_retries=100,
        initial_delay=initial_delay,
        max_delay=max_delay,
        max_total_sleep=math.inf,
        rng=random.Random(seed),
    )
    cap = min(initial_delay * 2**attempt, max_delay)

    decision = decide(policy, 503, attempt=attempt)

    assert decision is not None
    assert 0.0 <= decision.delay <= cap
    assert decision.delay == random.Random(seed).uniform(0.0, cap)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_retries": -1},
        {"max_retries": 101},
        {"max_retries": 1.5},
        {"initial_delay": -0.1},
        {"max_delay": math.nan},
        {"max_total_sleep": -1.0},
        {"retry_statuses": {99}},
    ],
)
def test_policy_rejects_invalid_fields(kwargs: dict[str, Any]) -> None:
    with pytest.raises((TypeError, ValueError)):
        RetryPolicy(**kwargs)


def test_policy_defaults_and_equality() -> None:
    policy = RetryPolicy(retry_statuses={503})

    assert policy.retry_statuses == frozenset({503})
    assert policy == RetryPolicy(retry_statuses=[503], rng=random.Random(1))
    assert "rng" not in repr(policy)
    assert RetryPolicy().retry_statuses == {408, 429, 500, 502, 503, 504}
