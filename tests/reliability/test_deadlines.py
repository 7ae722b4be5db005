"""Hard deadlines on real sockets, real clock: sync and asyncio alike.

Each test points a client at a raw loopback server that trickles, stalls or lies, and checks
three things: the error's type, the job ID where a job exists, and that the call ended within
its budget plus a generous margin (MARGIN: a correctness bound, not a speed target).
"""

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from lifecycle_servers import (
    CTX_DOCUMENT,
    CTX_JOB,
    CTX_SCHEMA,
    FLAVOURS,
    LLAMA_JOB,
    NUMIND_JOB,
    call_api,
    client,
    completed,
    ctx_created,
    numind_job,
    result_route,
    running,
    status_path,
)
from rawserver import (
    HOLD,
    Pause,
    RawServer,
    Routes,
    answer,
    head,
    raw_servers,
    short_body,
    stalled_after_head,
    trickled_body,
    trickled_head,
)

from docextract import jobs
from docextract.errors import DeadlineExceeded, DocExtractError, JobTimeout
from docextract.providers.retab import retab_extract, retab_extract_async

MARGIN = 1.0  # seconds past the budget a call may take on a loaded 2-core machine
PROVIDERS = ("numind", "llamacloud", "contextual")
JOB_IDS = {"numind": NUMIND_JOB, "llamacloud": LLAMA_JOB, "contextual": CTX_JOB}


@pytest.fixture(params=FLAVOURS)
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def serve() -> Iterator[Callable[..., RawServer]]:
    with raw_servers() as start:
        yield start


def timed(func: Callable[[], Any]) -> tuple[BaseException | None, float, Any]:
    started = time.monotonic()
    try:
        value = func()
    except BaseException as exc:
        return exc, time.monotonic() - started, None
    return None, time.monotonic() - started, value


def wait(flavour: str, provider: str, url: str, **options: Any) -> Any:
    c = client(provider, url, max_retries=options.pop("max_retries", 0))
    return call_api(flavour, jobs.wait, provider, JOB_IDS[provider], client=c, **options)


def assert_job_timeout(error: BaseException | None, provider: str, took: float, budget: float):
    assert isinstance(error, JobTimeout), repr(error)
    assert error.job_id == JOB_IDS[provider]
    assert took < budget + MARGIN, f"{took:.2f}s for a {budget}s budget"


# ---------------------------------------------------------------- polling


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_status_answer_with_trickled_headers_ends_at_the_deadline(
    serve: Callable[..., RawServer], flavour: str, provider: str
) -> None:
    server = serve(Routes({f"GET {status_path(provider)}": [trickled_head(200, {}, 0.2)]}))

    error, took, _ = timed(lambda: wait(flavour, provider, server.url, mode="poll", timeout=1.5))

    assert_job_timeout(error, provider, took, 1.5)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_status_answer_with_a_trickled_body_ends_at_the_deadline(
    serve: Callable[..., RawServer], flavour: str, provider: str
) -> None:
    body = running(provider)
    server = serve(Routes({f"GET {status_path(provider)}": [trickled_body(200, body, 0.1)]}))

    error, took, _ = timed(lambda: wait(flavour, provider, server.url, mode="poll", timeout=1.5))

    assert_job_timeout(error, provider, took, 1.5)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_resent_request_gets_only_what_is_left_of_the_budget(
    serve: Callable[..., RawServer], flavour: str, provider: str
) -> None:
    """503 + Retry-After: 1.5, then silence: the retry's timeouts are recomputed, not the
    first try's (1.5 s + a full 2 s read before)."""
    retry_later = answer(503, {"detail": "later"}, "Retry-After: 1.5")
    server = serve(Routes({f"GET {status_path(provider)}": [retry_later, [HOLD]]}))

    error, took, _ = timed(
        lambda: wait(flavour, provider, server.url, mode="poll", timeout=2, max_retries=2)
    )

    assert_job_timeout(error, provider, took, 2.0)
    assert server.paths().count(f"GET {status_path(provider)}") == 2


# ---------------------------------------------------------------- NuMind's job stream

STREAM = f"GET /api/jobs/{NUMIND_JOB}/stream"
STATUS = f"GET {status_path('numind')}"


def test_a_stream_with_trickled_headers_ends_at_the_deadline(
    serve: Callable[..., RawServer], flavour: str
) -> None:
    server = serve(Routes({STREAM: [trickled_head(200, {}, 0.3)], STATUS: [[HOLD]]}))

    error, took, _ = timed(lambda: wait(flavour, "numind", server.url, mode="stream", timeout=2))

    assert_job_timeout(error, "numind", took, 2.0)


def test_a_plain_answer_to_a_stream_request_is_read_within_the_deadline(
    serve: Callable[..., RawServer], flavour: str
) -> None:
    server = serve(
        Routes({STREAM: [trickled_body(200, numind_job("running"), 0.03)], STATUS: [[HOLD]]})
    )

    error, took, _ = timed(lambda: wait(flavour, "numind", server.url, mode="stream", timeout=0.5))

    assert_job_timeout(error, "numind", took, 0.5)


def test_a_plain_answer_to_a_stream_request_that_breaks_falls_back_to_polling(
    serve: Callable[..., RawServer], flavour: str
) -> None:
    path, done = result_route("numind")  # type: ignore[misc]
    server = serve(
        Routes(
            {
                STREAM: [short_body(200, numind_job("running"))],
                STATUS: [answer(200, completed("numind"))],
                f"GET {path}": [answer(200, done)],
            }
        )
    )

    error, _, result = timed(lambda: wait(flavour, "numind", server.url, mode="stream", timeout=5))

    assert error is None, repr(error)
    assert result.result["total"] == 42


# ---------------------------------------------------------------- submissions

CREATE = {
    "numind": "POST /api/structured-extraction/proj-1/jobs",
    "llamacloud": "POST /api/v2/extract",
    "contextual": "POST /extract/jobs",
}
CREATED = {
    "numind": {"jobId": NUMIND_JOB},
    "llamacloud": {**running("llamacloud"), "status": "PENDING"},
    "contextual": ctx_created(),
}
SUBMIT = {
    "numind": {"document": b"%PDF-1.4 x", "project_id": "proj-1"},
    "llamacloud": {"document": "dfl-file-1", "data_schema": {"type": "object"}},
    "contextual": {"document_id": CTX_DOCUMENT, "schema_id": CTX_SCHEMA},
}
OPERATION = {"numind": "structured", "llamacloud": "extract", "contextual": "extract"}


def submit_and_wait(flavour: str, provider: str, url: str, **options: Any) -> Any:
    c = client(provider, url)
    params = {**SUBMIT[provider], **options}
    return call_api(
        flavour, jobs.submit_and_wait, provider, OPERATION[provider], client=c, **params
    )


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_create_answer_that_trickles_ends_in_deadline_exceeded(
    serve: Callable[..., RawServer], flavour: str, provider: str
) -> None:
    server = serve(Routes({CREATE[provider]: [trickled_head(200, CREATED[provider], 0.2)]}))

    error, took, _ = timed(
        lambda: submit_and_wait(flavour, provider, server.url, mode="poll", timeout=1.5)
    )

    assert isinstance(error, DeadlineExceeded), repr(error)
    assert took < 1.5 + MARGIN, f"{took:.2f}s for a 1.5s budget"


@pytest.mark.parametrize("stall", ["before the head", "after the head"])
def test_contextual_streaming_create_at_its_deadline_is_deadline_exceeded(
    serve: Callable[..., RawServer], flavour: str, stall: str
) -> None:
    parts = (
        [[HOLD]]
        if stall == "before the head"
        else [[head(200, "Content-Type: text/event-stream", "Transfer-Encoding: chunked"), HOLD]]
    )
    server = serve(Routes({CREATE["contextual"]: parts}))

    error, took, _ = timed(
        lambda: submit_and_wait(flavour, "contextual", server.url, mode="stream", timeout=1.0)
    )

    assert isinstance(error, DeadlineExceeded), repr(error)
    assert took < 1.0 + MARGIN, f"{took:.2f}s for a 1s budget"
    assert server.paths() == [CREATE["contextual"]]  # a job-creating POST is never resent


def test_a_completed_job_whose_result_trickles_ends_at_the_deadline(
    serve: Callable[..., RawServer], flavour: str
) -> None:
    path, done = result_route("contextual")  # type: ignore[misc]
    server = serve(
        Routes(
            {
                f"GET {status_path('contextual')}": [answer(200, completed("contextual"))],
                f"GET {path}": [trickled_head(200, done, 0.2)],
            }
        )
    )

    error, took, _ = timed(
        lambda: wait(flavour, "contextual", server.url, mode="poll", timeout=1.5)
    )

    assert_job_timeout(error, "contextual", took, 1.5)


# ---------------------------------------------------------------- Retab (synchronous)

RETAB = "POST /v1/projects/extract/proj-1"


@pytest.mark.parametrize(
    "parts",
    [trickled_head(200, {}, 0.2), stalled_after_head(), [Pause(0.2), HOLD]],
    ids=["trickled head", "stalled body", "silent"],
)
def test_retab_extraction_ends_at_its_deadline(
    serve: Callable[..., RawServer], flavour: str, parts: list[Any]
) -> None:
    server = serve(Routes({RETAB: [parts]}))
    c = client("retab", server.url)

    def run() -> Any:
        if flavour == "sync":
            return retab_extract(b"%PDF x", project_id="proj-1", client=c, timeout=1.5)
        import asyncio

        return asyncio.run(
            retab_extract_async(b"%PDF x", project_id="proj-1", client=c, timeout=1.5)
        )

    error, took, _ = timed(run)

    assert isinstance(error, DeadlineExceeded), repr(error)
    assert isinstance(error, DocExtractError)
    assert took < 1.5 + MARGIN, f"{took:.2f}s for a 1.5s budget"


# ---------------------------------------------------------------- extract(), every provider

EXTRACT = {
    "numind": {"project_id": "proj-1"},
    "llamacloud": {"schema": {"type": "object"}},
    "contextual": {"schema_id": CTX_SCHEMA},
    "retab": {"project_id": "proj-1"},
}


@pytest.mark.parametrize("provider", [*PROVIDERS, "retab"])
def test_extract_ends_at_its_deadline_when_the_answers_trickle(
    serve: Callable[..., RawServer], flavour: str, provider: str
) -> None:
    """The job is created at once; every later answer trickles its headers. JobTimeout names
    the job (Retab, synchronous: DeadlineExceeded)."""
    import asyncio

    import docextract

    if provider == "retab":
        routes = {RETAB: [trickled_head(200, {}, 0.2)]}
    else:
        routes = {
            CREATE[provider]: [answer(200, CREATED[provider])],
            f"GET {status_path(provider)}": [trickled_head(200, running(provider), 0.2)],
            f"GET /api/jobs/{NUMIND_JOB}/stream": [trickled_head(200, {}, 0.2)],
        }
    server = serve(Routes(routes))
    document = {"contextual": CTX_DOCUMENT, "llamacloud": "dfl-file-1"}.get(provider, b"%PDF x")
    options = {**EXTRACT[provider], "api_key": "test-key-5b0e61c2d9", "base_url": server.url}

    def run() -> Any:
        if flavour == "sync":
            return docextract.extract(document, provider=provider, timeout=1.5, **options)
        return asyncio.run(
            docextract.extract_async(document, provider=provider, timeout=1.5, **options)
        )

    error, took, _ = timed(run)

    if provider == "retab":
        assert isinstance(error, DeadlineExceeded), repr(error)
        assert took < 1.5 + MARGIN, f"{took:.2f}s for a 1.5s budget"
    else:
        assert_job_timeout(error, provider, took, 1.5)


# ---------------------------------------------------------------- resets and lies


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize(
    "misbehaviour",
    ["reset", "reset mid-body", "short body", "deep json"],
)
def test_a_status_route_that_misbehaves_ends_in_a_typed_error_naming_the_job(
    serve: Callable[..., RawServer], flavour: str, provider: str, misbehaviour: str
) -> None:
    from rawserver import RESET, deep_json, json_bytes

    body = json_bytes(running(provider))
    top = head(200, "Content-Type: application/json", length=len(body))
    parts = {
        "reset": [RESET],
        "reset mid-body": [top + body[:10], Pause(0.05), RESET],
        "short body": short_body(200, running(provider)),
        "deep json": answer(200, deep_json()),
    }[misbehaviour]
    server = serve(Routes({f"GET {status_path(provider)}": [parts]}))

    error, took, _ = timed(lambda: wait(flavour, provider, server.url, mode="poll", timeout=1.5))

    assert isinstance(error, DocExtractError), repr(error)
    assert error.job_id == JOB_IDS[provider], repr(error)
    assert took < 1.5 + MARGIN, f"{took:.2f}s for a 1.5s budget"
