"""Waiting for jobs by polling: results, backoff, deadlines, terminal states and errors.

Every test runs against pytest-httpserver routes that step a job through its statuses, on a fake
clock that only the wait's (fake) sleeps advance, and in both the blocking and the asyncio form.
"""

import logging
import random
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lifecycle_servers import (
    CTX_DOCUMENT,
    CTX_JOB,
    CTX_SCHEMA,
    FLAVOURS,
    LLAMA_JOB,
    NUMIND_JOB,
    PROVIDER_JOBS,
    AsyncRecordingTransport,
    FakeClock,
    RecordingTransport,
    Reply,
    Script,
    as_response,
    call_api,
    cancel_path,
    cancelled,
    client,
    completed,
    ctx_created,
    ctx_results,
    ctx_status,
    eta_in,
    failed,
    llama_job,
    numind_extraction,
    numind_job,
    numind_markdown,
    paths,
    result_route,
    result_total,
    running,
    serve,
    status_path,
)
from pytest_httpserver import HTTPServer

from contextual_client.models import ExtractJobResultsResponse
from docextract import jobs
from docextract.durations import DurationError
from docextract.errors import (
    AuthenticationError,
    DocExtractError,
    InvalidResponse,
    JobCancelled,
    JobFailed,
    JobTimeout,
    NotFound,
    PermissionDenied,
)
from docextract.jobs import Job
from docextract.retry import RetryPolicy
from docextract.waiting import NO_TIME, JobProgress, PollPolicy
from llamacloud_client.models import ExtractV2Job
from numind_client.models import ExtractionResponse, MarkdownResponse

PROVIDERS = ("numind", "llamacloud", "contextual")
NO_JITTER = PollPolicy(jitter=0.0)


@pytest.fixture(params=FLAVOURS)
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def wait_outcome(flavour: str, *args: Any, client: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("mode", "poll")
    return call_api(flavour, jobs.wait_outcome, *args, client=client, **kwargs)


def serve_job(
    httpserver: HTTPServer, provider: str, *statuses: Any, clock: FakeClock | None = None
) -> tuple[Script, Script | None]:
    """The job's status route answering `statuses` in turn, and its result route if any."""
    status = serve(httpserver, status_path(provider), Script(*statuses, clock=clock))
    route = result_route(provider)
    result = serve(httpserver, route[0], Script(route[1])) if route else None
    return status, result


# ---------------------------------------------------------------- results


def test_numind_structured_result_is_decoded_from_output_data(
    httpserver: HTTPServer, flavour: str
) -> None:
    fake = FakeClock()
    status = serve(
        httpserver,
        status_path("numind"),
        Script(numind_job("pending"), numind_job("running"), numind_job("completed")),
    )
    output = numind_extraction({"invoice": "F-1", "total": 12.5})
    full = serve(
        httpserver,
        f"/api/jobs/{NUMIND_JOB}",
        Script(numind_job("completed", output=output)),
    )
    job = Job("numind", "structured", NUMIND_JOB)

    outcome = wait_outcome(
        flavour, job, client=client("numind", httpserver.url_for("/")), fake=fake
    )

    assert isinstance(outcome.result, ExtractionResponse)
    assert outcome.result.result.to_dict() == {"invoice": "F-1", "total": 12.5}
    assert outcome.result.total_tokens == 352
    assert outcome.snapshot.status == "completed"
    assert (status.calls, full.calls) == (3, 1)
    assert outcome.requests == 4
    assert len(fake.sleeps) == 2


@pytest.mark.parametrize("operation", ["markdown", None], ids=["job", "resumed-from-id"])
def test_numind_markdown_result(
    httpserver: HTTPServer, flavour: str, operation: str | None
) -> None:
    fake = FakeClock()
    serve(httpserver, status_path("numind"), Script(numind_job("running"), numind_job("completed")))
    output = numind_markdown("# Invoice\n\nTotal: 12.50")
    serve(httpserver, f"/api/jobs/{NUMIND_JOB}", Script(numind_job("completed", output=output)))
    c = client("numind", httpserver.url_for("/"))

    if operation is None:
        result = call_api(
            flavour, jobs.wait, "numind", NUMIND_JOB, client=c, mode="poll", fake=fake
        )
    else:
        job = Job("numind", operation, NUMIND_JOB)
        result = call_api(flavour, jobs.wait, job, client=c, mode="poll", fake=fake)

    assert isinstance(result, MarkdownResponse)
    assert result.result == "# Invoice\n\nTotal: 12.50"
    assert result.thinking_trace == "looked at it"


def test_numind_structured_result_resumed_from_the_id_alone(
    httpserver: HTTPServer, flavour: str
) -> None:
    fake = FakeClock()
    serve(httpserver, status_path("numind"), Script(numind_job("completed")))
    output = numind_extraction({"name": "ACME"})
    serve(httpserver, f"/api/jobs/{NUMIND_JOB}", Script(numind_job("completed", output=output)))

    result = call_api(
        flavour,
        jobs.wait,
        "numind",
        NUMIND_JOB,
        client=client("numind", httpserver.url_for("/")),
        mode="poll",
        fake=fake,
    )

    assert isinstance(result, ExtractionResponse)
    assert result.result.to_dict() == {"name": "ACME"}
    assert fake.sleeps == []  # already done: the first look, at once, told


def test_llamacloud_result_is_the_completed_job(httpserver: HTTPServer, flavour: str) -> None:
    fake = FakeClock()
    status = serve(
        httpserver,
        status_path("llamacloud"),
        Script(
            llama_job("PENDING"),
            llama_job("RUNNING"),
            llama_job("COMPLETED", result={"vendor": "ACME", "total": 7}),
        ),
    )

    outcome = wait_outcome(
        flavour,
        "llamacloud",
        LLAMA_JOB,
        client=client("llamacloud", httpserver.url_for("/")),
        fake=fake,
    )

    assert isinstance(outcome.result, ExtractV2Job)
    assert str(outcome.result.status) == "COMPLETED"
    assert outcome.result.extract_result.to_dict() == {"vendor": "ACME", "total": 7}
    assert outcome.requests == status.calls == 3
    # per-field metadata is asked for with every look, so the finished job carries it
    assert all(r.args.getlist("expand") == ["extract_metadata"] for r in status.requests)


def test_contextual_status_then_results(httpserver: HTTPServer, flavour: str) -> None:
    fake = FakeClock()
    status = serve(
        httpserver,
        status_path("contextual"),
        Script(ctx_status("pending"), ctx_status("processing", 50.0), ctx_status("completed", 100)),
    )
    results = serve(
        httpserver, f"/extract/jobs/{CTX_JOB}/results", Script(ctx_results({"parties": ["A"]}))
    )

    outcome = wait_outcome(
        flavour,
        "contextual",
        CTX_JOB,
        client=client("contextual", httpserver.url_for("/")),
        fake=fake,
    )

    assert isinstance(outcome.result, ExtractJobResultsResponse)
    assert outcome.result.results.to_dict() == {"parties": ["A"]}
    assert (status.calls, results.calls, outcome.requests) == (3, 1, 4)
    assert paths(httpserver)[-1] == f"/extract/jobs/{CTX_JOB}/results"


# ---------------------------------------------------------------- when to look


def test_first_look_at_once_then_exponential_backoff_with_jitter(
    httpserver: HTTPServer, flavour: str
) -> None:
    fake = FakeClock()
    policy = PollPolicy(initial=0.5, maximum=10.0, multiplier=1.6, jitter=0.25)
    status, _ = serve_job(
        httpserver,
        "llamacloud",
        *[running("llamacloud")] * 14,
        completed("llamacloud"),
        clock=fake,
    )

    wait_outcome(
        flavour,
        "llamacloud",
        LLAMA_JOB,
        client=client("llamacloud", httpserver.url_for("/")),
        fake=fake,
        poll=policy,
    )

    assert status.times[0] == fake.start  # the first look did not wait
    assert len(fake.sleeps) == 14
    for step, slept in enumerate(fake.sleeps):
        base = min(10.0, 0.5 * 1.6**step)
        assert 0.75 * base <= slept <= base, (step, slept)
        assert 0.375 <= slept <= 10.0
    assert max(fake.sleeps) > 7.5  # it did reach the maximum
    assert len(set(fake.sleeps)) == len(fake.sleeps)  # jittered, not a fixed ladder


def test_without_jitter_the_delays_are_the_exact_ladder(
    httpserver: HTTPServer, flavour: str
) -> None:
    fake = FakeClock()
    serve_job(httpserver, "contextual", *[running("contextual")] * 6, completed("contextual"))

    wait_outcome(
        flavour,
        "contextual",
        CTX_JOB,
        client=client("contextual", httpserver.url_for("/")),
        fake=fake,
        poll=PollPolicy(initial=1.0, maximum=5.0, multiplier=2.0, jitter=0.0),
    )

    assert fake.sleeps == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


def test_throttled_slows_down_more_than_running(httpserver: HTTPServer, flavour: str) -> None:
    def sleeps_for(status: str) -> list[float]:
        httpserver.clear()
        fake = FakeClock()
        serve_job(httpserver, "llamacloud", *[llama_job(status)] * 4, completed("llamacloud"))
        wait_outcome(
            flavour,
            "llamacloud",
            LLAMA_JOB,
            client=client("llamacloud", httpserver.url_for("/")),
            fake=fake,
            poll=NO_JITTER,
        )
        return fake.sleeps

    normal, throttled = sleeps_for("RUNNING"), sleeps_for("THROTTLED")

    assert len(normal) == len(throttled) == 4
    assert all(t > n for t, n in zip(throttled, normal, strict=True)), (throttled, normal)


def test_429_slows_down_and_retry_after_is_honoured(httpserver: HTTPServer, flavour: str) -> None:
    fake = FakeClock()
    too_many = Reply(429, '{"detail": "slow down"}')
    asked = Reply(429, '{"detail": "slow down"}', headers={"Retry-After": "30"})
    serve_job(
        httpserver,
        "llamacloud",
        running("llamacloud"),
        too_many,
        running("llamacloud"),
        asked,
        completed("llamacloud"),
    )

    outcome = wait_outcome(
        flavour,
        "llamacloud",
        LLAMA_JOB,
        client=client("llamacloud", httpserver.url_for("/")),
        fake=fake,
        poll=NO_JITTER,
    )

    assert str(outcome.result.status) == "COMPLETED"
    plain = [min(10.0, 0.5 * 1.6**k) for k in range(4)]
    assert fake.sleeps[0] == plain[0]
    assert fake.sleeps[1] > plain[1]  # the 429 skipped ahead on the ladder
    assert fake.sleeps[3] == 30.0  # Retry-After, beyond even the policy's maximum, honoured


def test_contextual_estimated_completion_pushes_the_next_look(
    httpserver: HTTPServer, flavour: str
) -> None:
    fake = FakeClock()
    created = serve(httpserver, "/extract/jobs", Script(ctx_created(eta=eta_in(20))), method="POST")
    serve_job(
        httpserver,
        "contextual",
        ctx_status("pending"),
        ctx_status("processing", 50),
        completed("contextual"),
        clock=fake,
    )
    c = client("contextual", httpserver.url_for("/"))
    job = call_api(
        flavour,
        jobs.submit,
        "contextual",
        "extract",
        client=c,
        document_id=CTX_DOCUMENT,
        schema_id=CTX_SCHEMA,
    )
    assert job.estimated_completion is not None
    assert created.calls == 1

    call_api(
        flavour,
        jobs.wait,
        job,
        client=client("contextual", httpserver.url_for("/")),
        fake=fake,
        poll=PollPolicy(initial=0.5, maximum=60.0, jitter=0.0),
    )

    assert fake.sleeps[0] > 15.0  # not 0.5: the provider said about 20 s
    assert fake.sleeps[0] <= 20.0
    assert fake.sleeps[1] < 15.0  # past the estimate: the usual ladder again


def test_estimated_completion_is_capped_at_the_maximum(
    httpserver: HTTPServer, flavour: str
) -> None:
    fake = FakeClock()
    serve_job(httpserver, "contextual", running("contextual"), completed("contextual"))
    job = Job("contextual", "extract", CTX_JOB, estimated_completion=eta_in(3600))

    call_api(
        flavour,
        jobs.wait,
        job,
        client=client("contextual", httpserver.url_for("/")),
        fake=fake,
        poll=PollPolicy(maximum=8.0),
    )

    assert fake.sleeps == [8.0]


# ---------------------------------------------------------------- the deadline


@pytest.mark.parametrize("provider", PROVIDERS)
def test_deadline_is_total_and_hard(httpserver: HTTPServer, flavour: str, provider: str) -> None:
    fake = FakeClock()
    status, _ = serve_job(httpserver, provider, running(provider), clock=fake)

    with pytest.raises(JobTimeout) as caught:
        wait_outcome(
            flavour,
            provider,
            PROVIDER_JOBS[provider],
            client=client(provider, httpserver.url_for("/")),
            fake=fake,
            timeout="45s",
        )

    err = caught.value
    assert sum(fake.sleeps) == pytest.approx(45.0)
    elapsed = 0.0
    for slept in fake.sleeps:  # no sleep ever went past what was left
        assert slept <= 45.0 - elapsed + 1e-9
        elapsed += slept
    assert status.times[-1] < fake.start + 45.0  # no look after the deadline
    assert (err.provider, err.job_id, err.status) == (
        provider,
        PROVIDER_JOBS[provider],
        str(running(provider)["status"]),
    )
    assert err.waited == pytest.approx(timedelta(seconds=45), abs=timedelta(milliseconds=1))
    assert not err.cancelled
    assert PROVIDER_JOBS[provider] in str(err)
    assert all("cancel" not in p for p in paths(httpserver))


@pytest.mark.parametrize("flavour_", FLAVOURS)
def test_every_status_request_gets_the_remaining_budget_as_its_timeout(
    httpserver: HTTPServer, flavour_: str
) -> None:
    fake = FakeClock()
    status, _ = serve_job(httpserver, "llamacloud", *[running("llamacloud")] * 8, clock=fake)
    sync_rec, async_rec = RecordingTransport(), AsyncRecordingTransport()
    c = client("llamacloud", httpserver.url_for("/"), transport=sync_rec, async_transport=async_rec)

    with pytest.raises(JobTimeout):
        wait_outcome(flavour_, "llamacloud", LLAMA_JOB, client=c, fake=fake, timeout="30s")

    sent = sync_rec.sent if flavour_ == "sync" else async_rec.sent
    assert len(sent) == status.calls > 3
    for request, at in zip(sent, status.times, strict=True):
        left = 30.0 - (at - fake.start)
        timeouts = request.extensions["timeout"]
        for phase in ("connect", "read", "write", "pool"):
            # the client's own read timeout is 60 s: each phase got what was left, no more
            assert timeouts[phase] <= left + 1e-6
        assert timeouts["read"] > left - 5.0  # (minus the real time the request took to build)


@pytest.mark.parametrize("provider", ["numind", "llamacloud"])
def test_cancel_on_timeout_cancels_first(
    httpserver: HTTPServer, flavour: str, provider: str
) -> None:
    fake = FakeClock()
    serve_job(httpserver, provider, running(provider))
    answer = numind_job("cancelled") if provider == "numind" else llama_job("CANCELLED")
    cancel = serve(httpserver, cancel_path(provider), Script(answer), method="POST")

    with pytest.raises(JobTimeout) as caught:
        wait_outcome(
            flavour,
            provider,
            PROVIDER_JOBS[provider],
            client=client(provider, httpserver.url_for("/")),
            fake=fake,
            timeout="20s",
            cancel_on_timeout=True,
        )

    assert cancel.calls == 1
    assert paths(httpserver)[-1] == cancel_path(provider)  # the cancel came last
    assert caught.value.cancelled
    assert "cancelled" in str(caught.value)
    assert caught.value.job_id == PROVIDER_JOBS[provider]


def test_cancel_on_timeout_does_not_cancel_contextual(httpserver: HTTPServer, flavour: str) -> None:
    fake = FakeClock()
    serve_job(httpserver, "contextual", running("contextual"))

    with pytest.raises(JobTimeout) as caught:
        wait_outcome(
            flavour,
            "contextual",
            CTX_JOB,
            client=client("contextual", httpserver.url_for("/")),
            fake=fake,
            timeout="20s",
            cancel_on_timeout=True,
        )

    assert not caught.value.cancelled
    assert set(paths(httpserver)) == {status_path("contextual")}  # only status looks


def test_a_failing_cancel_still_raises_job_timeout(httpserver: HTTPServer, flavour: str) -> None:
    fake = FakeClock()
    serve_job(httpserver, "numind", running("numind"))
    cancel = serve(httpserver, cancel_path("numind"), Script(Reply(500, "{}")), method="POST")

    with pytest.raises(JobTimeout) as caught:
        wait_outcome(
            flavour,
            "numind",
            NUMIND_JOB,
            client=client("numind", httpserver.url_for("/")),
            fake=fake,
            timeout="5s",
            cancel_on_timeout=True,
        )

    assert cancel.calls == 1
    assert not caught.value.cancelled


# ---------------------------------------------------------------- how jobs end


@pytest.mark.parametrize("provider", PROVIDERS)
def test_failed_job_raises_job_failed_with_the_providers_message(
    httpserver: HTTPServer, flavour: str, provider: str
) -> None:
    fake = FakeClock()
    serve_job(httpserver, provider, running(provider), failed(provider, "page 3 is unreadable"))

    with pytest.raises(JobFailed) as caught:
        wait_outcome(
            flavour,
            provider,
            PROVIDER_JOBS[provider],
            client=client(provider, httpserver.url_for("/")),
            fake=fake,
        )

    err = caught.value
    assert err.message == "page 3 is unreadable"
    assert "page 3 is unreadable" in str(err)
    assert err.job_id == PROVIDER_JOBS[provider]
    assert err.job_id in str(err)
    assert err.status == str(failed(provider, "x")["status"])
    if provider == "numind":
        assert err.error_code == "E_MODEL"
        assert "E_MODEL" in str(err)
    # no result is fetched for a failed job
    assert set(paths(httpserver)) == {status_path(provider)}


def test_numind_error_status_is_a_failure(httpserver: HTTPServer, flavour: str) -> None:
    serve_job(httpserver, "numind", numind_job("error", error_message="timeout", error_code="T1"))

    with pytest.raises(JobFailed) as caught:
        wait_outcome(
            flavour,
            "numind",
            NUMIND_JOB,
            client=client("numind", httpserver.url_for("/")),
            fake=FakeClock(),
        )

    assert (caught.value.message, caught.value.error_code) == ("timeout", "T1")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_cancelled_job_raises_job_cancelled(
    httpserver: HTTPServer, flavour: str, provider: str
) -> None:
    serve_job(httpserver, provider, running(provider), cancelled(provider))

    with pytest.raises(JobCancelled) as caught:
        wait_outcome(
            flavour,
            provider,
            PROVIDER_JOBS[provider],
            client=client(provider, httpserver.url_for("/")),
            fake=FakeClock(),
        )

    assert caught.value.job_id == PROVIDER_JOBS[provider]
    assert PROVIDER_JOBS[provider] in str(caught.value)


@pytest.mark.parametrize(
    ("provider", "weird", "other"),
    [
        ("llamacloud", lambda s: llama_job(s), ("QUEUED_REMOTE", "WARMING_UP")),
        ("contextual", lambda s: ctx_status(s, 20.0), ("queued_remote", "warming_up")),
    ],
)
def test_unknown_status_is_running_and_logged_once(
    httpserver: HTTPServer,
    flavour: str,
    caplog: pytest.LogCaptureFixture,
    provider: str,
    weird: Any,
    other: tuple[str, str],
) -> None:
    first, second = other
    serve_job(
        httpserver,
        provider,
        weird(first),
        weird(first),
        weird(second),
        weird(first),
        weird(second),
        completed(provider),
    )
    caplog.set_level(logging.WARNING, logger="docextract.jobs")

    outcome = wait_outcome(
        flavour,
        provider,
        PROVIDER_JOBS[provider],
        client=client(provider, httpserver.url_for("/")),
        fake=FakeClock(),
    )

    assert outcome.snapshot.status == str(completed(provider)["status"])
    warnings = [r for r in caplog.records if r.name == "docextract.jobs"]
    assert len(warnings) == 2
    assert first in warnings[0].getMessage()
    assert second in warnings[1].getMessage()
    assert all(r.levelno == logging.WARNING for r in warnings)


def test_known_statuses_are_not_logged(
    httpserver: HTTPServer, flavour: str, caplog: pytest.LogCaptureFixture
) -> None:
    serve_job(
        httpserver,
        "llamacloud",
        llama_job("PENDING"),
        llama_job("THROTTLED"),
        llama_job("RUNNING"),
        completed("llamacloud"),
    )
    caplog.set_level(logging.WARNING, logger="docextract.jobs")

    wait_outcome(
        flavour,
        "llamacloud",
        LLAMA_JOB,
        client=client("llamacloud", httpserver.url_for("/")),
        fake=FakeClock(),
    )

    assert [r for r in caplog.records if r.name == "docextract.jobs"] == []


# ---------------------------------------------------------------- transient failures


@pytest.mark.parametrize("provider", PROVIDERS)
def test_transient_failures_do_not_end_the_wait(
    httpserver: HTTPServer, flavour: str, provider: str
) -> None:
    fake = FakeClock()
    status, _ = serve_job(
        httpserver,
        provider,
        running(provider),
        Reply(503, '{"detail": "busy"}'),
        Reply(502, "<html>bad gateway</html>", content_type="text/html"),
        Reply(200, '{"status": "runn'),  # truncated JSON
        Reply(200, "<html>maintenance</html>", content_type="text/html"),
        Reply(500, '{"detail": "oops"}'),
        running(provider),
        completed(provider),
    )

    outcome = wait_outcome(
        flavour,
        provider,
        PROVIDER_JOBS[provider],
        client=client(provider, httpserver.url_for("/")),
        fake=fake,
    )

    assert result_total(provider, outcome.result) == 42
    assert status.calls == 8


def test_retries_exhausted_in_the_transport_do_not_end_the_wait(
    httpserver: HTTPServer, flavour: str
) -> None:
    fake = FakeClock()
    busy = Reply(503, '{"detail": "busy"}')
    status, _ = serve_job(httpserver, "llamacloud", busy, busy, busy, busy, completed("llamacloud"))
    c = client(
        "llamacloud",
        httpserver.url_for("/"),
        retry_policy=RetryPolicy(max_retries=2, initial_delay=0.0, max_delay=0.0),
    )

    outcome = wait_outcome(flavour, "llamacloud", LLAMA_JOB, client=c, fake=fake)

    assert str(outcome.result.status) == "COMPLETED"
    assert status.calls == 5  # 3 attempts (retries exhausted), then 2 more
    assert outcome.requests == 2  # as the waiting layer counts them
    assert len(fake.sleeps) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
def test_transient_failures_until_the_deadline_end_in_job_timeout(
    httpserver: HTTPServer, flavour: str, provider: str
) -> None:
    fake = FakeClock()
    serve_job(httpserver, provider, running(provider), Reply(503, '{"detail": "busy"}'))

    with pytest.raises(JobTimeout) as caught:
        wait_outcome(
            flavour,
            provider,
            PROVIDER_JOBS[provider],
            client=client(provider, httpserver.url_for("/")),
            fake=fake,
            timeout="1m",
        )

    assert caught.value.status == str(running(provider)["status"])  # the last status seen
    assert sum(fake.sleeps) == pytest.approx(60.0)


def test_transient_failure_fetching_the_result_is_retried(
    httpserver: HTTPServer, flavour: str
) -> None:
    fake = FakeClock()
    serve(httpserver, status_path("contextual"), Script(completed("contextual")))
    results = serve(
        httpserver,
        f"/extract/jobs/{CTX_JOB}/results",
        Script(Reply(503, "{}"), Reply(200, "{trunc"), ctx_results({"total": 42})),
    )

    outcome = wait_outcome(
        flavour,
        "contextual",
        CTX_JOB,
        client=client("contextual", httpserver.url_for("/")),
        fake=fake,
    )

    assert outcome.result.results["total"] == 42
    assert results.calls == 3


# ---------------------------------------------------------------- not found, and errors' job IDs


@pytest.mark.parametrize("provider", PROVIDERS)
def test_404_right_after_creation_is_tolerated(
    httpserver: HTTPServer, flavour: str, provider: str
) -> None:
    fake = FakeClock()
    missing = Reply(404, '{"detail": "Not Found"}')
    status, _ = serve_job(
        httpserver, provider, missing, missing, running(provider), completed(provider)
    )

    outcome = wait_outcome(
        flavour,
        provider,
        PROVIDER_JOBS[provider],
        client=client(provider, httpserver.url_for("/")),
        fake=fake,
    )

    assert result_total(provider, outcome.result) == 42
    assert status.calls == 4


@pytest.mark.parametrize("provider", PROVIDERS)
def test_404_after_the_grace_period_is_not_found(
    httpserver: HTTPServer, flavour: str, provider: str
) -> None:
    fake = FakeClock()
    status, _ = serve_job(httpserver, provider, Reply(404, '{"detail": "Not Found"}'), clock=fake)

    with pytest.raises(NotFound) as caught:
        wait_outcome(
            flavour,
            provider,
            PROVIDER_JOBS[provider],
            client=client(provider, httpserver.url_for("/")),
            fake=fake,
            poll=PollPolicy(not_found_grace=12.0),
        )

    assert status.calls > 3
    assert status.times[-2] - fake.start <= 12.0 < status.times[-1] - fake.start
    assert caught.value.job_id == PROVIDER_JOBS[provider]
    assert PROVIDER_JOBS[provider] in str(caught.value)


def _bad_output(httpserver: HTTPServer) -> None:
    serve(httpserver, status_path("numind"), Script(numind_job("completed")))
    serve(
        httpserver,
        f"/api/jobs/{NUMIND_JOB}",
        Script(numind_job("completed", output="{'result': not json")),
    )


ERROR_CASES = {
    "failed": (
        "llamacloud",
        lambda s: serve_job(s, "llamacloud", failed("llamacloud", "bad")),
        JobFailed,
    ),
    "cancelled": ("numind", lambda s: serve_job(s, "numind", cancelled("numind")), JobCancelled),
    "timeout": (
        "contextual",
        lambda s: serve_job(s, "contextual", running("contextual")),
        JobTimeout,
    ),
    "not-found": (
        "numind",
        lambda s: serve_job(s, "numind", Reply(404, "no such job", content_type="text/plain")),
        NotFound,
    ),
    "unauthorized": (
        "llamacloud",
        lambda s: serve_job(
            s, "llamacloud", running("llamacloud"), Reply(401, '{"detail": "bad key"}')
        ),
        AuthenticationError,
    ),
    "forbidden": (
        "numind",
        lambda s: serve_job(
            s, "numind", running("numind"), Reply(403, "quota exhausted", content_type="text/plain")
        ),
        PermissionDenied,
    ),
    "bad-output": ("numind", _bad_output, InvalidResponse),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_every_error_after_the_job_exists_names_it(
    httpserver: HTTPServer, flavour: str, case: str
) -> None:
    provider, setup, expected = ERROR_CASES[case]
    setup(httpserver)

    with pytest.raises(DocExtractError) as caught:
        wait_outcome(
            flavour,
            provider,
            PROVIDER_JOBS[provider],
            client=client(provider, httpserver.url_for("/")),
            fake=FakeClock(),
            timeout="2m",
        )

    err = caught.value
    assert type(err) is expected
    assert err.job_id == PROVIDER_JOBS[provider]
    assert PROVIDER_JOBS[provider] in str(err)
    assert err.provider == provider


def test_errors_of_submit_and_wait_name_the_new_job(httpserver: HTTPServer, flavour: str) -> None:
    serve(httpserver, "/extract/jobs", Script(ctx_created()), method="POST")
    serve_job(httpserver, "contextual", running("contextual"), failed("contextual", "schema"))

    with pytest.raises(JobFailed) as caught:
        call_api(
            flavour,
            jobs.submit_and_wait,
            "contextual",
            "extract",
            client=client("contextual", httpserver.url_for("/")),
            fake=FakeClock(),
            mode="poll",
            document_id=CTX_DOCUMENT,
            schema_id=CTX_SCHEMA,
        )

    assert caught.value.job_id == CTX_JOB
    assert CTX_JOB in str(caught.value)


# ---------------------------------------------------------------- progress


def test_on_progress_reports_status_changes_and_progress_numbers(
    httpserver: HTTPServer, flavour: str
) -> None:
    fake = FakeClock()
    serve_job(
        httpserver,
        "contextual",
        ctx_status("pending", 0.0),
        ctx_status("processing", 25.0, fields_processed=1, total_fields=4, current_step="extract"),
        ctx_status("processing", 25.0, fields_processed=1, total_fields=4, current_step="extract"),
        ctx_status("processing", 75.0, fields_processed=3, total_fields=4, current_step="extract"),
        ctx_status("completed", 100.0, fields_processed=4, total_fields=4, current_step="done"),
    )
    seen: list[JobProgress] = []

    wait_outcome(
        flavour,
        "contextual",
        CTX_JOB,
        client=client("contextual", httpserver.url_for("/")),
        fake=fake,
        on_progress=seen.append,
    )

    assert [(p.status, p.percentage, p.fields_processed, p.total_fields) for p in seen] == [
        ("pending", 0.0, None, None),
        ("processing", 25.0, 1, 4),
        ("processing", 75.0, 3, 4),
        ("completed", 100.0, 4, 4),
    ]
    assert {(p.provider, p.job_id) for p in seen} == {("contextual", CTX_JOB)}
    assert seen[1].current_step == "extract"
    assert [p.elapsed for p in seen] == sorted(p.elapsed for p in seen)
    assert seen[0].elapsed == timedelta(0)
    assert seen[-1].elapsed == timedelta(seconds=sum(fake.sleeps))


def test_on_progress_for_status_only_providers(httpserver: HTTPServer, flavour: str) -> None:
    serve_job(
        httpserver,
        "llamacloud",
        llama_job("PENDING"),
        llama_job("PENDING"),
        llama_job("RUNNING"),
        llama_job("RUNNING"),
        completed("llamacloud"),
    )
    seen: list[JobProgress] = []

    wait_outcome(
        flavour,
        "llamacloud",
        LLAMA_JOB,
        client=client("llamacloud", httpserver.url_for("/")),
        fake=FakeClock(),
        on_progress=seen.append,
    )

    assert [p.status for p in seen] == ["PENDING", "RUNNING", "COMPLETED"]


# ---------------------------------------------------------------- status and cancel


@pytest.mark.parametrize("provider", PROVIDERS)
def test_status_is_one_look(httpserver: HTTPServer, flavour: str, provider: str) -> None:
    status, _ = serve_job(httpserver, provider, running(provider))

    snapshot = call_api(
        flavour,
        jobs.status,
        provider,
        PROVIDER_JOBS[provider],
        client=client(provider, httpserver.url_for("/")),
    )

    assert snapshot.status == str(running(provider)["status"])
    assert status.calls == 1


@pytest.mark.parametrize("provider", ["numind", "llamacloud"])
def test_cancel(httpserver: HTTPServer, flavour: str, provider: str) -> None:
    answer = numind_job("cancelled") if provider == "numind" else llama_job("CANCELLED")
    cancel = serve(httpserver, cancel_path(provider), Script(answer), method="POST")

    state = call_api(
        flavour,
        jobs.cancel,
        provider,
        PROVIDER_JOBS[provider],
        client=client(provider, httpserver.url_for("/")),
    )

    assert cancel.calls == 1
    assert str(state.status) in ("cancelled", "CANCELLED")


def test_contextual_cannot_cancel(httpserver: HTTPServer, flavour: str) -> None:
    with pytest.raises(ValueError, match="cancelled"):
        call_api(
            flavour,
            jobs.cancel,
            "contextual",
            CTX_JOB,
            client=client("contextual", httpserver.url_for("/")),
        )
    assert httpserver.log == []


def test_retab_is_not_waited_for(httpserver: HTTPServer) -> None:
    with pytest.raises(ValueError, match=r"docextract\.extract"):
        jobs.wait("retab", "x", client=client("retab", httpserver.url_for("/")))


def test_bad_mode_is_refused_before_any_request(httpserver: HTTPServer) -> None:
    with pytest.raises(ValueError, match="mode"):
        jobs.wait("numind", NUMIND_JOB, client=client("numind", httpserver.url_for("/")), mode="x")
    assert httpserver.log == []


def test_policy_rng_makes_the_jitter_reproducible(httpserver: HTTPServer) -> None:
    def run() -> list[float]:
        httpserver.clear()
        fake = FakeClock()
        serve_job(httpserver, "llamacloud", *[running("llamacloud")] * 5, completed("llamacloud"))
        jobs.wait(
            "llamacloud",
            LLAMA_JOB,
            client=client("llamacloud", httpserver.url_for("/")),
            clock=fake,
            sleep=fake.sleep,
            poll=PollPolicy(rng=random.Random(7)),
        )
        return fake.sleeps

    assert run() == run()


def test_a_job_that_ended_as_the_deadline_passed_is_not_cancelled(
    httpserver: HTTPServer, flavour: str
) -> None:
    fake = FakeClock()

    def slow_look(request: Any) -> Any:
        fake.now += 31.0  # this look took the rest of the budget (and a bit more)
        return as_response(numind_job("completed"))

    httpserver.expect_request(status_path("numind")).respond_with_handler(slow_look)
    serve(httpserver, f"/api/jobs/{NUMIND_JOB}", Script(numind_job("completed", output={})))
    cancel = serve(
        httpserver, cancel_path("numind"), Script(numind_job("cancelled")), method="POST"
    )

    with pytest.raises(JobTimeout) as caught:
        wait_outcome(
            flavour,
            "numind",
            NUMIND_JOB,
            client=client("numind", httpserver.url_for("/")),
            fake=fake,
            timeout="30s",
            cancel_on_timeout=True,
        )

    assert caught.value.status == "completed"
    assert cancel.calls == 0  # a finished job is not cancelled
    assert not caught.value.cancelled


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    looks=st.lists(
        st.sampled_from(["PENDING", "RUNNING", "THROTTLED", "503", "429", "bad-json"]),
        max_size=12,
    ),
    end=st.sampled_from(["COMPLETED", "FAILED", "CANCELLED", None]),
    initial=st.floats(0.1, 5.0),
    spread=st.floats(1.0, 20.0),
    timeout=st.floats(1.0, 120.0),
    flavour_=st.sampled_from(FLAVOURS),
    start=st.sampled_from([1000.0, 1.7e9]),
)
def test_through_the_real_drivers_the_sleeps_fit_the_deadline(
    httpserver: HTTPServer,
    looks: list[str],
    end: str | None,
    initial: float,
    spread: float,
    timeout: float,
    flavour_: str,
    start: float,
) -> None:
    httpserver.clear()
    fake = FakeClock(start)
    answers: dict[str, Any] = {
        "503": Reply(503, "{}"),
        "429": Reply(429, "{}", headers={"Retry-After": "3"}),
        "bad-json": Reply(200, "{"),
    }
    replies = [answers.get(s) or llama_job(s) for s in looks]
    replies.append(llama_job(end or "RUNNING", error_message="x"))
    status = serve(httpserver, status_path("llamacloud"), Script(*replies, clock=fake))
    policy = PollPolicy(initial=initial, maximum=initial * spread)

    ended: Any
    try:
        ended = wait_outcome(
            flavour_,
            "llamacloud",
            LLAMA_JOB,
            # no transport retries: their real sleeps are invisible to the fake clock; the
            # wait's own handling of 503/429/bad JSON is what is under test
            client=client("llamacloud", httpserver.url_for("/"), max_retries=0),
            fake=fake,
            poll=policy,
            timeout=timeout,
        )
    except (JobTimeout, JobFailed, JobCancelled) as exc:
        ended = exc

    if isinstance(ended, JobTimeout):
        assert end is None or not status.finished
        assert ended.waited == pytest.approx(
            timedelta(seconds=timeout), abs=timedelta(milliseconds=1)
        )
    elif isinstance(ended, JobFailed | JobCancelled):
        assert end in ("FAILED", "CANCELLED")
        assert status.finished
    else:
        assert end == "COMPLETED"
        assert status.finished
        assert ended.requests == status.calls
    # clock readings near 1.7e9 resolve to ~2e-7 s: within the core's own resolution (NO_TIME)
    assert sum(fake.sleeps) <= timeout + NO_TIME
    assert all(t - fake.start < timeout for t in status.times)  # no look after the deadline
    assert status.times[0] == fake.start


def test_retry_after_is_honoured_when_fetching_the_result(
    httpserver: HTTPServer, flavour: str
) -> None:
    fake = FakeClock()
    serve(httpserver, status_path("contextual"), Script(completed("contextual")))
    results = serve(
        httpserver,
        f"/extract/jobs/{CTX_JOB}/results",
        Script(Reply(429, "{}", headers={"Retry-After": "12"}), ctx_results({"total": 42})),
    )

    outcome = wait_outcome(
        flavour,
        "contextual",
        CTX_JOB,
        client=client("contextual", httpserver.url_for("/")),
        fake=fake,
    )

    assert outcome.result.results["total"] == 42
    assert results.calls == 2
    assert fake.sleeps == [12.0]


def test_poll_policy_takes_durations_in_any_form() -> None:
    policy = PollPolicy(initial="250ms", maximum=timedelta(seconds=5), not_found_grace=3)

    assert (policy.initial, policy.maximum, policy.not_found_grace) == (0.25, 5.0, 3.0)
    with pytest.raises(DurationError, match='"1d"'):
        PollPolicy(maximum="1d")
