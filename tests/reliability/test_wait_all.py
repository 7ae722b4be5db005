"""`wait_all_async`: many jobs on one event loop and one client, with bounded concurrency.

Each job is looked at on its own route here (batch=False: LlamaCloud's batch status is
tested in test_batch_status.py and on the sandbox).

A transport wrapped around the client's one async pool counts the requests in flight; pytest-
httpserver scripts each job's statuses; the fake clock (shared by all the waits) makes the waits
take no real time.
"""

from typing import Any

import pytest
from lifecycle_servers import (
    CTX_JOB,
    FakeClock,
    Script,
    WatchingTransport,
    client,
    ctx_results,
    ctx_status,
    llama_job,
    numind_extraction,
    numind_job,
    serve,
)
from pytest_httpserver import HTTPServer

from docextract import jobs
from docextract.errors import InvalidParameter, JobFailed, JobTimeout
from docextract.jobs import Job
from llamacloud_client.models import ExtractV2Job

JOBS = 8


def llama(httpserver: HTTPServer, index: int, *statuses: str) -> Script:
    job_id = f"ext-{index}"
    replies = [
        llama_job(s, job_id=job_id, result={"n": index}, error_message="bad scan")
        if s in ("COMPLETED", "FAILED")
        else llama_job(s, job_id=job_id)
        for s in statuses
    ]
    return serve(httpserver, f"/api/v2/extract/{job_id}", Script(*replies))


@pytest.mark.parametrize("concurrency", [1, 3, 8])
async def test_many_jobs_one_loop_one_pool_bounded(
    httpserver: HTTPServer, concurrency: int
) -> None:
    scripts = []
    for i in range(JOBS):
        if i == 3:
            scripts.append(llama(httpserver, i, "RUNNING", "FAILED"))
        else:
            scripts.append(
                llama(
                    httpserver, i, *["PENDING", "RUNNING"][: 1 + i % 2] * (1 + i % 3), "COMPLETED"
                )
            )
    watcher = WatchingTransport()
    c = client("llamacloud", httpserver.url_for("/"), async_transport=watcher)
    fake = FakeClock()
    try:
        results = await jobs.wait_all_async(
            [Job("llamacloud", "extract", f"ext-{i}") for i in range(JOBS)],
            batch=False,
            client=c,
            concurrency=concurrency,
            clock=fake,
            sleep=fake.asleep,
        )
    finally:
        await c.get_async_httpx_client().aclose()

    assert len(results) == JOBS
    for i, result in enumerate(results):  # in the order of the jobs
        if i == 3:
            assert isinstance(result, JobFailed)
            assert result.job_id == "ext-3"
            assert result.message == "bad scan"
        else:
            assert isinstance(result, ExtractV2Job), result
            assert result.id == f"ext-{i}"
            assert result.extract_result.to_dict() == {"n": i}
    # no job was abandoned when job 3 failed: each one's last state was fetched
    assert all(s.finished for s in scripts)
    assert watcher.most == concurrency  # as many at once as allowed, never more
    assert len(watcher.sent) == sum(s.calls for s in scripts)  # all through the one pool
    assert watcher.in_flight == 0


async def test_more_waits_than_the_bound_still_all_run(httpserver: HTTPServer) -> None:
    scripts = [llama(httpserver, i, "RUNNING", "RUNNING", "COMPLETED") for i in range(20)]
    watcher = WatchingTransport()
    c = client("llamacloud", httpserver.url_for("/"), async_transport=watcher)
    fake = FakeClock()
    try:
        results = await jobs.wait_all_async(
            [Job("llamacloud", "extract", f"ext-{i}") for i in range(20)],
            batch=False,
            client=c,
            concurrency=4,
            clock=fake,
            sleep=fake.asleep,
        )
    finally:
        await c.get_async_httpx_client().aclose()

    assert [r.id for r in results] == [f"ext-{i}" for i in range(20)]
    assert watcher.most == 4
    assert all(s.calls == 3 for s in scripts)


async def test_a_timeout_is_one_slot_not_the_whole_batch(httpserver: HTTPServer) -> None:
    done = llama(httpserver, 0, "RUNNING", "COMPLETED")
    stuck = llama(httpserver, 1, "RUNNING")
    c = client("llamacloud", httpserver.url_for("/"))
    fake = FakeClock()
    try:
        results = await jobs.wait_all_async(
            [Job("llamacloud", "extract", "ext-0"), Job("llamacloud", "extract", "ext-1")],
            batch=False,
            client=c,
            timeout="2m",
            clock=fake,
            sleep=fake.asleep,
        )
    finally:
        await c.get_async_httpx_client().aclose()

    assert isinstance(results[0], ExtractV2Job)
    assert isinstance(results[1], JobTimeout)
    assert results[1].job_id == "ext-1"
    assert done.finished
    assert stuck.calls > 2


async def test_one_client_per_provider(httpserver: HTTPServer) -> None:
    serve(httpserver, "/api/jobs/nm-1/status", Script(numind_job("completed", job_id="nm-1")))
    serve(
        httpserver,
        "/api/jobs/nm-1",
        Script(numind_job("completed", job_id="nm-1", output=numind_extraction({"n": 1}))),
    )
    serve(httpserver, f"/extract/jobs/{CTX_JOB}", Script(ctx_status("completed", 100.0)))
    serve(httpserver, f"/extract/jobs/{CTX_JOB}/results", Script(ctx_results({"n": 2})))
    numind_watch, ctx_watch = WatchingTransport(), WatchingTransport()
    clients = {
        "numind": client("numind", httpserver.url_for("/"), async_transport=numind_watch),
        "contextual": client("contextual", httpserver.url_for("/"), async_transport=ctx_watch),
    }
    fake = FakeClock()
    try:
        results = await jobs.wait_all_async(
            [Job("numind", "structured", "nm-1"), Job("contextual", "extract", CTX_JOB)],
            batch=False,
            clients=clients,
            mode="poll",
            clock=fake,
            sleep=fake.asleep,
        )
    finally:
        for c in clients.values():
            await c.get_async_httpx_client().aclose()

    assert results[0].result["n"] == 1
    assert results[1].results["n"] == 2
    assert {r.url.path for r in numind_watch.sent} == {"/api/jobs/nm-1/status", "/api/jobs/nm-1"}
    assert {r.url.path for r in ctx_watch.sent} == {
        f"/extract/jobs/{CTX_JOB}",
        f"/extract/jobs/{CTX_JOB}/results",
    }


@pytest.mark.parametrize("bad", [0, -1, True, 2.5])
async def test_concurrency_must_be_a_positive_integer(httpserver: HTTPServer, bad: Any) -> None:
    with pytest.raises(InvalidParameter, match="concurrency"):
        await jobs.wait_all_async(
            [Job("llamacloud", "extract", "ext-0")],
            batch=False,
            client=client("llamacloud", httpserver.url_for("/")),
            concurrency=bad,
        )
    assert httpserver.log == []


async def test_a_missing_client_is_refused_before_any_wait(httpserver: HTTPServer) -> None:
    with pytest.raises(InvalidParameter, match="clients"):
        await jobs.wait_all_async(
            [Job("llamacloud", "extract", "ext-0"), Job("numind", "structured", "nm-1")],
            batch=False,
            clients={"llamacloud": client("llamacloud", httpserver.url_for("/"))},
        )
    assert httpserver.log == []


async def test_a_bug_in_one_wait_is_raised_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from docextract import scheduler

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("not a docextract error")

    monkeypatch.setattr(scheduler, "call_async", broken)
    c = client("llamacloud", "http://127.0.0.1:9")
    async with asyncio.timeout(30):
        with pytest.raises(RuntimeError, match="not a docextract error"):
            await jobs.wait_all_async([Job("llamacloud", "extract", "ext-0")] * 3, client=c)
