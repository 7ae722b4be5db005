"""Waits against servers that misbehave on the socket: silent, slow, dropping connections.

These run on the real clock where the point is a real timeout (a silent server), with short
budgets (0.3 s); they assert what happened (which requests, which error), never how long it took,
except that a wait bounded by 0.3 s did not reach the client's own 20 s read timeout.
"""

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from lifecycle_servers import (
    DROP,
    FLAVOURS,
    HOLD,
    LLAMA_JOB,
    NUMIND_JOB,
    FakeClock,
    Pause,
    Routes,
    StreamServer,
    call_api,
    cancel_path,
    client,
    completed,
    http_head,
    json_answer,
    llama_job,
    numind_extraction,
    numind_job,
    sse_head,
    status_path,
    stream_servers,
)

from docextract import jobs
from docextract.errors import JobTimeout
from docextract.retry import RetryPolicy

READ_TIMEOUT = 20.0  # the clients' own read timeout: a wait bounded by its budget ends far sooner
STREAM = f"/api/jobs/{NUMIND_JOB}/stream"
FULL = f"/api/jobs/{NUMIND_JOB}"
DONE = numind_job("completed", output=numind_extraction({"total": 42}))


@pytest.fixture(params=FLAVOURS)
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def raw() -> Iterator[Callable[..., StreamServer]]:
    with stream_servers() as start:
        yield start


def loopback(provider: str, server: StreamServer, **options: Any) -> Any:
    return client(provider, server.url, timeout=READ_TIMEOUT, **options)


def assert_bounded(err: JobTimeout, budget: float) -> None:
    assert err.waited >= timedelta(seconds=budget)
    assert err.waited < timedelta(seconds=READ_TIMEOUT)  # the silent server did not stretch it


# ---------------------------------------------------------------- silence


@pytest.mark.parametrize("provider", ["numind", "llamacloud", "contextual"])
def test_a_silent_server_cannot_stretch_the_wait(
    raw: Callable[..., StreamServer], flavour: str, provider: str
) -> None:
    server = raw(Routes({status_path(provider): [[HOLD]]}))

    with pytest.raises(JobTimeout) as caught:
        call_api(
            flavour,
            jobs.wait,
            provider,
            _job(provider),
            client=loopback(provider, server),
            timeout=0.3,
            mode="poll",
        )

    assert_bounded(caught.value, 0.3)
    assert caught.value.status is None  # never got an answer
    assert server.paths() == [status_path(provider)]


def test_a_server_silent_after_a_first_answer(
    raw: Callable[..., StreamServer], flavour: str
) -> None:
    server = raw(
        Routes({status_path("llamacloud"): [json_answer(200, llama_job("RUNNING")), [HOLD]]})
    )

    with pytest.raises(JobTimeout) as caught:
        call_api(
            flavour,
            jobs.wait,
            "llamacloud",
            LLAMA_JOB,
            client=loopback("llamacloud", server),
            timeout=0.3,
        )

    assert_bounded(caught.value, 0.3)
    assert caught.value.status == "RUNNING"  # the last status it saw
    assert caught.value.job_id == LLAMA_JOB


@pytest.mark.parametrize("provider", ["numind", "llamacloud"])
def test_cancel_on_timeout_after_silence(
    raw: Callable[..., StreamServer], flavour: str, provider: str
) -> None:
    answer = numind_job("cancelled") if provider == "numind" else llama_job("CANCELLED")
    server = raw(
        Routes({status_path(provider): [[HOLD]], cancel_path(provider): [json_answer(200, answer)]})
    )

    with pytest.raises(JobTimeout) as caught:
        call_api(
            flavour,
            jobs.wait,
            provider,
            _job(provider),
            client=loopback(provider, server),
            timeout=0.3,
            mode="poll",
            cancel_on_timeout=True,
        )

    assert caught.value.cancelled
    assert server.paths() == [status_path(provider), cancel_path(provider)]


@pytest.mark.parametrize(
    "stream", [[HOLD], [sse_head(), HOLD]], ids=["no-headers", "headers-then-nothing"]
)
def test_a_silent_stream_cannot_stretch_the_wait(
    raw: Callable[..., StreamServer], flavour: str, stream: list[Any]
) -> None:
    server = raw(Routes({STREAM: [stream], status_path("numind"): [[HOLD]]}))

    with pytest.raises(JobTimeout) as caught:
        call_api(
            flavour,
            jobs.wait,
            "numind",
            NUMIND_JOB,
            client=loopback("numind", server),
            timeout=0.3,
            mode="stream",
        )

    assert_bounded(caught.value, 0.3)
    assert server.paths()[0] == STREAM


def test_a_slow_body_cannot_stretch_the_wait(
    raw: Callable[..., StreamServer], flavour: str
) -> None:
    """Headers, then one byte every 0.1 s for 4 s: no single read times out, the deadline must
    (blocking: docextract.watchdog cuts the connection; asyncio: asyncio.timeout)."""
    body = b'{"id": "' + b"x" * 30 + b'"}'
    trickle: list[Any] = [http_head(200, "Content-Type: application/json", length=len(body))]
    for byte in body:
        trickle += [bytes([byte]), Pause(0.1)]
    server = raw(Routes({status_path("llamacloud"): [trickle]}))

    with pytest.raises(JobTimeout) as caught:
        call_api(
            flavour,
            jobs.wait,
            "llamacloud",
            LLAMA_JOB,
            client=loopback("llamacloud", server, connect_timeout=0.3),
            timeout=0.3,
        )

    assert caught.value.waited >= timedelta(seconds=0.3)
    assert caught.value.waited < timedelta(seconds=0.05 * len(body))  # not the body's 4 s


# ---------------------------------------------------------------- dropped connections


@pytest.mark.parametrize("retries", [0, 2])
def test_dropped_connections_do_not_end_the_wait(
    raw: Callable[..., StreamServer], flavour: str, retries: int
) -> None:
    fake = FakeClock()
    half = json_answer(200, llama_job("RUNNING"))[0][:40]
    server = raw(
        Routes(
            {
                status_path("llamacloud"): [
                    [DROP],  # closed before answering
                    [half, DROP],  # closed in the middle of the answer
                    json_answer(200, llama_job("RUNNING")),
                    [DROP],
                    json_answer(200, completed("llamacloud")),
                ]
            }
        )
    )
    c = loopback(
        "llamacloud",
        server,
        retry_policy=RetryPolicy(max_retries=retries, initial_delay=0.0, max_delay=0.0),
    )

    outcome = call_api(flavour, jobs.wait_outcome, "llamacloud", LLAMA_JOB, client=c, fake=fake)

    assert str(outcome.result.status) == "COMPLETED"
    assert len(server.paths()) == 5
    assert outcome.requests == (5 if retries == 0 else 2)


def test_stream_dropped_before_any_event_falls_back(
    raw: Callable[..., StreamServer], flavour: str
) -> None:
    server = raw(
        Routes(
            {
                STREAM: [[sse_head(), DROP]],
                status_path("numind"): [json_answer(200, numind_job("completed"))],
                FULL: [json_answer(200, DONE)],
            }
        )
    )

    result = call_api(
        flavour,
        jobs.wait,
        "numind",
        NUMIND_JOB,
        client=loopback("numind", server),
        mode="auto",
        fake=FakeClock(),
    )

    assert result.result["total"] == 42
    assert server.paths() == [STREAM, status_path("numind"), FULL]


def _job(provider: str) -> str:
    from lifecycle_servers import PROVIDER_JOBS

    return PROVIDER_JOBS[provider]


@pytest.mark.parametrize("kind", ["comments", "partial-event"])
def test_a_stream_that_trickles_without_events_cannot_stretch_the_wait(
    raw: Callable[..., StreamServer], flavour: str, kind: str
) -> None:
    """Keep-alive comments (or an event that never completes), 20 per second for 20 s: every
    read succeeds, no event comes; the wait must still end at its deadline."""
    piece = b": keep-alive\n\n" if kind == "comments" else b"d"
    trickle: list[Any] = [http_head(200, "Content-Type: text/event-stream")]
    if kind == "partial-event":
        trickle.append(b"event: result\ndata: ")
    for _ in range(400):
        trickle += [piece, Pause(0.05)]
    server = raw(Routes({STREAM: [trickle], status_path("numind"): [[HOLD]]}))

    with pytest.raises(JobTimeout) as caught:
        call_api(
            flavour,
            jobs.wait,
            "numind",
            NUMIND_JOB,
            client=loopback("numind", server),
            timeout=0.3,
            mode="stream",
        )

    assert_bounded(caught.value, 0.3)


def test_retab_timeout_is_a_total_budget(raw: Callable[..., StreamServer], flavour: str) -> None:
    from docextract.errors import TransportError
    from docextract.providers.retab import retab_extract

    server = raw(Routes({"/v1/projects/extract/proj_1": [[HOLD]]}))
    c = loopback("retab", server, retry_policy=RetryPolicy(max_retries=2, initial_delay=0.0))

    with pytest.raises(TransportError):
        call_api(flavour, retab_extract, b"%PDF-1.7", project_id="proj_1", client=c, timeout=0.3)

    # timed out with the budget: not resent (the budget is spent), the key was sent
    [request] = server.requests
    assert request.headers["idempotency-key"]
