"""Many jobs through one scheduler, on the sandbox: every wait runs at once, requests in flight
stay under the cap and the pool, streams under their own cap, one failure stops no other."""

import asyncio
from typing import Any

import httpx
import pytest
from conftest import INVOICE_TEXT, KEY, ClientFactory

import docextract
from docextract import scheduler
from docextract.errors import InvalidParameter, JobFailed
from docextract.jobs import Job
from docextract.sandbox import INVOICE, Sandbox

DOCUMENT = INVOICE_TEXT.encode()


class CountingTransport(httpx.AsyncBaseTransport):
    """httpx's own transport (with the given pool) counting requests in flight."""

    def __init__(self, max_connections: int = 100) -> None:
        limits = httpx.Limits(max_connections=max_connections)
        self._transport = httpx.AsyncHTTPTransport(limits=limits)
        self.in_flight = self.most = self.sent = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.sent += 1
        self.most = max(self.most, self.in_flight)
        try:
            await asyncio.sleep(0)  # let every other ready look start, if it may
            response = await self._transport.handle_async_request(request)
            await response.aread()
            return response
        finally:
            self.in_flight -= 1

    async def aclose(self) -> None:
        await self._transport.aclose()


async def llama_jobs(c: Any, n: int) -> list[Job]:
    return [
        await docextract.submit_async(
            "llamacloud", "extract", client=c, document=DOCUMENT, data_schema=dict(INVOICE)
        )
        for _ in range(n)
    ]


async def test_a_short_job_is_seen_first_however_many_long_ones_wait(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    c = make_async_client("llamacloud")
    sandbox.configure("llamacloud", step_seconds=1.0)  # two steps: about 2 s each
    long = await llama_jobs(c, 8)
    sandbox.configure("llamacloud", step_seconds=0.01)
    (short,) = await llama_jobs(c, 1)
    order = [
        done.job.id
        async for done in docextract.as_completed_async([*long, short], client=c, concurrency=2)
    ]
    # a wait no longer queues behind another: the short job, last in the list, ends first
    assert order[0] == short.id
    assert sorted(order) == sorted(job.id for job in [*long, short])


async def test_requests_in_flight_never_exceed_the_pool(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    counting = CountingTransport(max_connections=3)
    c = make_async_client("llamacloud", async_transport=counting)
    sandbox.configure("llamacloud", step_seconds=0.05)
    jobs = await llama_jobs(c, 20)
    counting.most = 0
    results = await docextract.wait_all_async(jobs, client=c, concurrency=50, batch=False)
    assert [r.id for r in results] == [job.id for job in jobs]  # in order, all completed
    assert all(str(r.status) == "COMPLETED" for r in results)
    assert counting.most == 3  # the pool's size, although 50 were allowed
    assert scheduler.pool_size(c) == 3


async def test_the_cap_holds_and_is_used(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    counting = CountingTransport()
    c = make_async_client("llamacloud", async_transport=counting)
    sandbox.configure("llamacloud", step_seconds=0.05)
    jobs = await llama_jobs(c, 12)
    counting.most = 0
    async for done in docextract.as_completed_async(jobs, client=c, concurrency=4, batch=False):
        assert done.ok, done.error
        assert done.requests >= 1
    assert counting.most == 4


def test_sync_wait_all_one_failure_stops_no_other(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    c = make_client("llamacloud")
    jobs = asyncio.run(_mixed_jobs(sandbox))
    results = docextract.wait_all(jobs, client=c)
    for job, result in zip(jobs, results, strict=True):
        if job.operation == "failing":
            assert isinstance(result, JobFailed)
            assert result.job_id == job.id
            assert job.id in str(result)
        else:
            assert str(result.status) == "COMPLETED"
            assert result.id == job.id


async def _mixed_jobs(sandbox: Sandbox) -> list[Job]:
    c = docextract.client("llamacloud", api_key=KEY, base_url=sandbox.base_url("llamacloud"))
    try:
        sandbox.configure("llamacloud", step_seconds=0.02)
        good = await llama_jobs(c, 3)
        sandbox.configure("llamacloud", outcome="failed")
        bad = [Job(j.provider, "failing", j.id) for j in await llama_jobs(c, 2)]
    finally:
        await c.get_async_httpx_client().aclose()
    return [good[0], bad[0], good[1], bad[1], good[2]]


def test_sync_as_completed_can_stop_early(sandbox: Sandbox, make_client: ClientFactory) -> None:
    c = make_client("llamacloud")
    jobs = asyncio.run(_mixed_jobs(sandbox))
    for done in docextract.as_completed(jobs, client=c):
        assert done.job in jobs
        break  # the rest are cancelled; nothing hangs


async def test_streams_have_their_own_cap_and_the_rest_poll(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    c = make_async_client("numind")
    sandbox.configure("numind", step_seconds=0.05)
    jobs = [
        await docextract.submit_async(
            "numind", "structured", client=c, document=DOCUMENT, project_id="numind-invoice"
        )
        for _ in range(6)
    ]
    results = await docextract.wait_all_async(jobs, client=c, streams=1)
    assert all(r.result["invoice_number"] for r in results)
    stats = sandbox.stats()
    assert stats.requests_to("numind", "GET /api/jobs/{jobId}/stream") == 1
    assert stats.requests_to("numind", "GET /api/jobs/{jobId}/status") >= 5


@pytest.mark.parametrize(
    ("options", "name"),
    [({"concurrency": 0}, "concurrency"), ({"streams": -1}, "streams"), ({"colour": 1}, "colour")],
)
def test_bad_options_are_refused_before_any_request(
    sandbox: Sandbox, make_client: ClientFactory, options: dict[str, Any], name: str
) -> None:
    c = make_client("llamacloud")
    with pytest.raises(InvalidParameter, match=name):
        docextract.as_completed([Job("llamacloud", "extract", "ext-1")], client=c, **options)
    assert sandbox.stats().requests_to("llamacloud") == 0


async def test_llamacloud_jobs_are_looked_at_a_page_per_request(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    """LlamaCloud's list filters by job IDs (its spec says so): one request per page of due
    looks, none per job, and every result as complete as a single look's."""
    c = make_async_client("llamacloud")
    sandbox.configure("llamacloud", step_seconds=0.3)
    jobs = await llama_jobs(c, 30)
    before = sandbox.stats()
    results = await docextract.wait_all_async(jobs, client=c)
    assert [r.id for r in results] == [job.id for job in jobs]
    assert all(r.extract_result.to_dict()["invoice_number"] for r in results)
    after = sandbox.stats()
    single = "GET /api/v2/extract/{job_id}"
    assert after.requests_to("llamacloud", single) == before.requests_to("llamacloud", single)
    lists = after.requests_to("llamacloud", "GET /api/v2/extract")
    assert 1 <= lists < len(jobs)  # fewer requests than jobs, let alone looks
