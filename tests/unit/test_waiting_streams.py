"""Waiting through event streams: NuMind's job stream, Contextual's streaming submission.

Complete streams come from pytest-httpserver; streams that break mid-chunk or end early come from
raw loopback servers (lifecycle_servers.StreamServer). Sync and asyncio alike, on a fake clock.
"""

import json
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from lifecycle_servers import (
    CTX_DOCUMENT,
    CTX_JOB,
    CTX_SCHEMA,
    FLAVOURS,
    NUMIND_JOB,
    FakeClock,
    Reply,
    Routes,
    Script,
    StreamServer,
    broken_sse,
    call_api,
    client,
    ctx_created,
    ctx_results,
    ctx_status,
    ended_sse,
    json_answer,
    numind_extraction,
    numind_job,
    paths,
    serve,
    sse_reply,
    status_path,
    stream_servers,
)
from pytest_httpserver import HTTPServer

from contextual_client.models import ExtractJobResultsResponse
from docextract import jobs
from docextract.errors import InvalidResponse, JobFailed, ServerError
from docextract.jobs import Job
from docextract.waiting import JobProgress, PollPolicy
from numind_client.models import ExtractionResponse

STREAM = f"/api/jobs/{NUMIND_JOB}/stream"
FULL = f"/api/jobs/{NUMIND_JOB}"
OUTPUT = numind_extraction({"total": 42})
DONE = numind_job("completed", output=OUTPUT)


@pytest.fixture(params=FLAVOURS)
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def raw() -> Iterator[Callable[..., StreamServer]]:
    with stream_servers() as start:
        yield start


def wait_outcome(flavour: str, *args: Any, client: Any, **kwargs: Any) -> Any:
    return call_api(flavour, jobs.wait_outcome, *args, client=client, **kwargs)


def serve_polling(httpserver: HTTPServer) -> tuple[Script, Script]:
    """The polling routes of a NuMind job that is running, then completed."""
    status = serve(
        httpserver, status_path("numind"), Script(numind_job("running"), numind_job("completed"))
    )
    return status, serve(httpserver, FULL, Script(DONE))


# ---------------------------------------------------------------- NuMind's job stream


@pytest.mark.parametrize("mode", ["stream", "auto"])
def test_numind_stream_learns_the_end_with_one_request(
    httpserver: HTTPServer, flavour: str, mode: str
) -> None:
    fake = FakeClock()
    stream = serve(httpserver, STREAM, Script(sse_reply(("result", DONE))))

    outcome = wait_outcome(
        flavour,
        Job("numind", "structured", NUMIND_JOB),
        client=client("numind", httpserver.url_for("/")),
        mode=mode,
        fake=fake,
    )

    assert isinstance(outcome.result, ExtractionResponse)
    assert outcome.result.result["total"] == 42
    assert len(httpserver.log) == 1
    assert stream.calls == 1
    assert outcome.requests == 1
    assert stream.requests[0].headers["Accept"] == "text/event-stream"
    assert fake.sleeps == []


def test_numind_stream_pings_keep_waiting(httpserver: HTTPServer, flavour: str) -> None:
    pings = [("ping", "")] * 5
    stream = serve(httpserver, STREAM, Script(sse_reply(*pings, ("result", DONE))))
    seen: list[JobProgress] = []

    outcome = wait_outcome(
        flavour,
        "numind",
        NUMIND_JOB,
        client=client("numind", httpserver.url_for("/")),
        mode="stream",
        fake=FakeClock(),
        on_progress=seen.append,
    )

    assert outcome.result.result["total"] == 42
    assert stream.calls == 1
    assert len(httpserver.log) == 1
    assert [p.status for p in seen] == ["completed"]


def test_numind_stream_reports_a_failed_job(httpserver: HTTPServer, flavour: str) -> None:
    failed = numind_job("failed", full=True, error_message="no pages", error_code="E_EMPTY")
    serve(httpserver, STREAM, Script(sse_reply(("ping", ""), ("result", failed))))

    with pytest.raises(JobFailed) as caught:
        wait_outcome(
            flavour,
            "numind",
            NUMIND_JOB,
            client=client("numind", httpserver.url_for("/")),
            mode="stream",
            fake=FakeClock(),
        )

    assert (caught.value.message, caught.value.error_code) == ("no pages", "E_EMPTY")
    assert caught.value.job_id == NUMIND_JOB
    assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    "stream_reply",
    [
        sse_reply(("ping", ""), ("error", {"code": "TIMEOUT", "message": "stream timed out"})),
        # after an error event nothing on that stream is believed
        sse_reply(("error", {"code": "INTERNAL", "message": "oops"}), ("result", DONE)),
        sse_reply(("ping", ""), ("result", "{not json")),
        sse_reply(("ping", ""), ("ping", "")),  # ends without a result
        Reply(500, '{"detail": "no streams today"}'),
        Reply(404, "no such job", content_type="text/plain"),
    ],
    ids=[
        "error-event",
        "error-then-result",
        "unreadable-result",
        "ended-without-result",
        "refused-500",
        "refused-404",
    ],
)
def test_numind_stream_trouble_falls_back_to_polling(
    httpserver: HTTPServer, flavour: str, stream_reply: Reply
) -> None:
    fake = FakeClock()
    stream = serve(httpserver, STREAM, Script(stream_reply))
    status, full = serve_polling(httpserver)

    outcome = wait_outcome(
        flavour,
        "numind",
        NUMIND_JOB,
        client=client("numind", httpserver.url_for("/")),
        mode="stream",
        fake=fake,
    )

    assert outcome.result.result["total"] == 42
    assert (stream.calls, status.calls, full.calls) == (1, 2, 1)
    assert paths(httpserver)[0] == STREAM  # the stream first, then the same job polled
    assert outcome.requests == 4


@pytest.mark.parametrize("mode", ["stream", "auto"])
def test_numind_stream_dropped_midway_falls_back_to_polling(
    raw: Callable[..., StreamServer], flavour: str, mode: str
) -> None:
    routes = Routes(
        {
            STREAM: [broken_sse(("ping", ""), ("ping", ""))],
            status_path("numind"): [json_answer(200, numind_job("completed"))],
            FULL: [json_answer(200, DONE)],
        }
    )
    server = raw(routes)

    outcome = wait_outcome(
        flavour,
        "numind",
        NUMIND_JOB,
        client=client("numind", server.url),
        mode=mode,
        fake=FakeClock(),
    )

    assert outcome.result.result["total"] == 42
    assert server.paths() == [STREAM, status_path("numind"), FULL]


def test_numind_stream_that_ends_cleanly_without_result_falls_back(
    raw: Callable[..., StreamServer], flavour: str
) -> None:
    server = raw(
        Routes(
            {
                STREAM: [ended_sse(("ping", ""))],
                status_path("numind"): [json_answer(200, numind_job("completed"))],
                FULL: [json_answer(200, DONE)],
            }
        )
    )

    outcome = wait_outcome(
        flavour,
        "numind",
        NUMIND_JOB,
        client=client("numind", server.url),
        mode="stream",
        fake=FakeClock(),
    )

    assert outcome.result.result["total"] == 42
    assert server.paths() == [STREAM, status_path("numind"), FULL]


def test_poll_mode_never_touches_the_stream(httpserver: HTTPServer, flavour: str) -> None:
    stream = serve(httpserver, STREAM, Script(sse_reply(("result", DONE))))
    status, full = serve_polling(httpserver)

    wait_outcome(
        flavour,
        "numind",
        NUMIND_JOB,
        client=client("numind", httpserver.url_for("/")),
        mode="poll",
        fake=FakeClock(),
    )

    assert stream.calls == 0
    assert STREAM not in paths(httpserver)
    assert (status.calls, full.calls) == (2, 1)


def test_providers_without_a_job_stream_poll_in_auto_mode(
    httpserver: HTTPServer, flavour: str
) -> None:
    from lifecycle_servers import LLAMA_JOB, llama_job

    status = serve(
        httpserver,
        status_path("llamacloud"),
        Script(llama_job("RUNNING"), llama_job("COMPLETED", result={"a": 1})),
    )

    wait_outcome(
        flavour,
        "llamacloud",
        LLAMA_JOB,
        client=client("llamacloud", httpserver.url_for("/")),
        mode="auto",
        fake=FakeClock(),
    )

    assert status.calls == 2
    assert len(httpserver.log) == 2


# ---------------------------------------------------------------- Contextual: stream from creation


def start_event(total: int = 2) -> tuple[str, dict[str, Any]]:
    return (
        "start",
        {"job_id": CTX_JOB, "total_subtrees": total, "start_time": "2026-01-01T00:00Z"},
    )


def subtree(result: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return ("subtree_result", {"extracted_result": result, "usage_metadata": {"tokens": 3}})


def submit_and_wait(flavour: str, url: str, **options: Any) -> Any:
    return call_api(
        flavour,
        jobs.submit_and_wait,
        "contextual",
        "extract",
        client=client("contextual", url),
        document_id=CTX_DOCUMENT,
        schema_id=CTX_SCHEMA,
        config={"per_key_attribution": True},
        **options,
    )


@pytest.mark.parametrize("mode", ["stream", "auto"])
def test_contextual_streaming_submission(httpserver: HTTPServer, flavour: str, mode: str) -> None:
    fake = FakeClock()
    create = serve(
        httpserver,
        "/extract/jobs",
        Script(
            sse_reply(
                start_event(total=2),
                subtree({"buyer": "A"}),
                ("agentic_array_progress", {"done": 1}),
                ("subtree_error", {"error_message": "n/a", "error_type": "x"}),
                subtree({"seller": "B"}),
            )
        ),
        method="POST",
    )
    status = serve(httpserver, status_path("contextual"), Script(ctx_status("completed", 100.0)))
    results = serve(
        httpserver, f"/extract/jobs/{CTX_JOB}/results", Script(ctx_results({"total": 42}))
    )
    seen: list[JobProgress] = []

    job, outcome = submit_and_wait(
        flavour, httpserver.url_for("/"), mode=mode, fake=fake, on_progress=seen.append
    )

    sent = json.loads(create.bodies[0])
    assert sent["stream"] is True
    assert (sent["document_id"], sent["schema_id"]) == (CTX_DOCUMENT, CTX_SCHEMA)
    assert sent["config"] == {"per_key_attribution": True}
    assert job.id == CTX_JOB
    assert job.provider == "contextual"
    assert isinstance(outcome.result, ExtractJobResultsResponse)
    assert outcome.result.results["total"] == 42
    assert [(p.status, p.percentage) for p in seen] == [
        ("processing", 50.0),
        ("processing", 100.0),
        ("completed", 100.0),
    ]
    assert {p.job_id for p in seen} == {CTX_JOB}
    assert (create.calls, status.calls, results.calls) == (1, 1, 1)  # one look, one fetch
    assert outcome.requests == 3
    assert fake.sleeps == []


def test_contextual_poll_mode_posts_without_streaming(httpserver: HTTPServer, flavour: str) -> None:
    create = serve(httpserver, "/extract/jobs", Script(ctx_created()), method="POST")
    status = serve(
        httpserver,
        status_path("contextual"),
        Script(ctx_status("processing", 10.0), ctx_status("completed", 100.0)),
    )
    serve(httpserver, f"/extract/jobs/{CTX_JOB}/results", Script(ctx_results({"total": 42})))

    job, outcome = submit_and_wait(flavour, httpserver.url_for("/"), mode="poll", fake=FakeClock())

    assert json.loads(create.bodies[0]).get("stream") in (None, False)
    assert job.id == CTX_JOB
    assert job.estimated_completion is not None
    assert outcome.result.results["total"] == 42
    assert status.calls == 2


def test_contextual_stream_broken_after_start_falls_back_to_polling(
    raw: Callable[..., StreamServer], flavour: str
) -> None:
    server = raw(
        Routes(
            {
                "/extract/jobs": [broken_sse(start_event(total=3), subtree({"a": 1}))],
                status_path("contextual"): [
                    json_answer(200, ctx_status("processing", 66.0)),
                    json_answer(200, ctx_status("completed", 100.0)),
                ],
                f"/extract/jobs/{CTX_JOB}/results": [json_answer(200, ctx_results({"total": 42}))],
            }
        )
    )
    seen: list[JobProgress] = []

    job, outcome = submit_and_wait(
        flavour, server.url, mode="stream", fake=FakeClock(), on_progress=seen.append
    )

    assert job.id == CTX_JOB
    assert outcome.result.results["total"] == 42
    assert server.paths() == [
        "/extract/jobs",
        status_path("contextual"),
        status_path("contextual"),
        f"/extract/jobs/{CTX_JOB}/results",
    ]
    assert [p.percentage for p in seen] == [33.3, 66.0, 100.0]


def test_contextual_stream_failure_after_start_names_the_job(
    raw: Callable[..., StreamServer], flavour: str
) -> None:
    server = raw(
        Routes(
            {
                "/extract/jobs": [broken_sse(start_event())],
                status_path("contextual"): [
                    json_answer(200, ctx_status("failed", 10.0, current_step="schema invalid"))
                ],
            }
        )
    )

    with pytest.raises(JobFailed) as caught:
        submit_and_wait(flavour, server.url, mode="stream", fake=FakeClock())

    assert caught.value.job_id == CTX_JOB
    assert CTX_JOB in str(caught.value)
    assert caught.value.message == "schema invalid"


def test_contextual_stream_without_start_event_is_invalid(
    httpserver: HTTPServer, flavour: str
) -> None:
    serve(httpserver, "/extract/jobs", Script(sse_reply(subtree({"a": 1}))), method="POST")

    with pytest.raises(InvalidResponse, match="start"):
        submit_and_wait(flavour, httpserver.url_for("/"), mode="stream", fake=FakeClock())

    assert len(httpserver.log) == 1


def test_contextual_streaming_submission_refused(httpserver: HTTPServer, flavour: str) -> None:
    serve(
        httpserver,
        "/extract/jobs",
        Script(Reply(500, '{"detail": "processing error"}')),
        method="POST",
    )

    with pytest.raises(ServerError) as caught:
        submit_and_wait(flavour, httpserver.url_for("/"), mode="stream", fake=FakeClock())

    assert caught.value.job_id is None  # no job was created
    assert len(httpserver.log) == 1  # a job-creating POST is not resent


def test_a_refused_stream_is_not_retried_past_the_deadline(
    httpserver: HTTPServer, flavour: str
) -> None:
    """The transport honours Retry-After, but not beyond the wait's deadline (3 s here).

    The polls' delays are seeded and short, so the fake clock leaves each poll nearly all of
    the 3 s as its real budget (a request's budget is real time): nothing depends on chance
    or on how loaded the machine is."""
    stream = serve(
        httpserver,
        STREAM,
        Script(Reply(503, '{"detail": "later"}', headers={"Retry-After": "30"})),
    )
    serve_polling(httpserver)
    fake = FakeClock()

    outcome = wait_outcome(
        flavour,
        "numind",
        NUMIND_JOB,
        client=client("numind", httpserver.url_for("/"), max_retries=2),
        mode="stream",
        fake=fake,
        timeout=3.0,
        poll=PollPolicy(initial=0.01, maximum=0.01, jitter=0.0, rng=random.Random(0)),
    )

    assert outcome.result.result["total"] == 42
    assert stream.calls == 1  # 30 s is past the deadline: not resent
    assert fake.sleeps == [0.01]  # the one poll that found it running, then completed


def test_a_stream_that_is_not_an_event_stream_falls_back(
    httpserver: HTTPServer, flavour: str
) -> None:
    stream = serve(httpserver, STREAM, Script(DONE))  # JSON, not text/event-stream
    status, full = serve_polling(httpserver)

    outcome = wait_outcome(
        flavour,
        "numind",
        NUMIND_JOB,
        client=client("numind", httpserver.url_for("/")),
        mode="stream",
        fake=FakeClock(),
    )

    assert outcome.result.result["total"] == 42
    assert (stream.calls, status.calls, full.calls) == (1, 2, 1)


def test_contextual_answering_json_to_stream_true_still_yields_the_job(
    httpserver: HTTPServer, flavour: str
) -> None:
    """A server that ignores stream=true answers the created job as JSON: its ID is taken from
    that answer and the job is polled — not lost behind an error with no job ID."""
    create = serve(httpserver, "/extract/jobs", Script(ctx_created()), method="POST")
    status = serve(httpserver, status_path("contextual"), Script(ctx_status("completed", 100.0)))
    serve(httpserver, f"/extract/jobs/{CTX_JOB}/results", Script(ctx_results({"total": 42})))

    job, outcome = submit_and_wait(
        flavour, httpserver.url_for("/"), mode="stream", fake=FakeClock()
    )

    assert json.loads(create.bodies[0])["stream"] is True
    assert job.id == CTX_JOB
    assert outcome.result.results["total"] == 42
    assert (create.calls, status.calls) == (1, 1)
