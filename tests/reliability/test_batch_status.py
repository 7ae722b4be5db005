"""Batch status: where a provider's spec can list jobs by ID, the looks due together share one
request per page. Driven here with the list answers scripted in place of the requests (the
sandbox runs it end to end in tests/integration/test_many_jobs.py)."""

from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest
from lifecycle_servers import FakeClock, client, llama_job

from docextract import scheduler
from docextract.errors import JobFailed, api_error
from docextract.jobs import Job
from docextract.providers.adapter import BatchLookup
from llamacloud_client.models import ExtractV2Job

PAGE = 3


def test_batch_status_is_on_where_the_spec_has_the_filter() -> None:
    """Enabled from the spec's facts: LlamaCloud's list has a `job_ids` filter; no other has."""
    assert scheduler.batch_status("llamacloud") is not None
    for provider in ("numind", "retab", "contextual"):
        assert scheduler.batch_status(provider) is None


class Lister:
    """Answers list requests: each job runs for `looks[job]` looks, then ends."""

    def __init__(self, looks: dict[str, int], *, hidden_once: str = "", failing: set[str]) -> None:
        self.looks, self.hidden_once, self.failing = looks, hidden_once, failing
        self.seen: Counter[str] = Counter()
        self.pages: list[list[str]] = []
        self.fail_next_page = False

    async def __call__(self, client: Any, provider: str, operation_id: str, **params: Any) -> Any:
        assert operation_id == "list_extract_jobs", operation_id  # never one look per job
        ids = params["job_ids"]
        assert len(ids) <= PAGE
        assert params["page_size"] == len(ids)
        self.pages.append(ids)
        if self.fail_next_page:
            self.fail_next_page = False
            raise api_error(
                provider=provider, operation=operation_id, status_code=503, headers={}, body=b""
            )
        items = []
        for job_id in ids:
            self.seen[job_id] += 1
            if job_id == self.hidden_once and self.seen[job_id] == 1:
                continue  # not listed yet: the not-found grace applies
            ended = self.seen[job_id] >= self.looks[job_id]
            status = ("FAILED" if job_id in self.failing else "COMPLETED") if ended else "RUNNING"
            body = llama_job(status, job_id=job_id, result={"id": job_id}, error_message="bad")
            items.append(ExtractV2Job.from_dict(body))
        return SimpleNamespace(parsed=SimpleNamespace(items=items), status_code=200)


@pytest.fixture
def batched(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = BatchLookup("list_extract_jobs", "job_ids", PAGE)
    monkeypatch.setattr(scheduler, "batch_status", lambda provider: spec)


async def test_looks_due_together_share_one_request_per_page(
    batched: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [f"ext-{i}" for i in range(7)]
    lister = Lister(
        {job_id: 1 + i % 3 for i, job_id in enumerate(ids)}, hidden_once="ext-2", failing={"ext-4"}
    )
    monkeypatch.setattr(scheduler, "call_async", lister)
    lister.fail_next_page = True  # the first page's request fails: its jobs look again
    fake = FakeClock()
    c = client("llamacloud", "http://127.0.0.1:9")
    results = await scheduler.wait_all_async(
        [Job("llamacloud", "extract", job_id) for job_id in ids],
        client=c,
        clock=fake,
        sleep=fake.asleep,
    )
    for job_id, result in zip(ids, results, strict=True):
        if job_id == "ext-4":
            assert isinstance(result, JobFailed)
            assert result.job_id == "ext-4"
        else:
            assert isinstance(result, ExtractV2Job)
            assert result.id == job_id
    # the first sweep covered all seven jobs in ceil(7 / 3) = 3 requests
    assert sorted(job_id for page in lister.pages[:3] for job_id in page) == sorted(ids)
    assert len(lister.pages) < sum(lister.seen.values())  # fewer requests than looks


async def test_with_batch_status_looks_fall_on_shared_ticks(
    batched: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real time (about a second): twenty jobs of three looks each, whose jittered backoffs
    would all differ, look on the same ticks: a few requests per sweep, not one per look."""
    ids = [f"ext-{i}" for i in range(20)]
    lister = Lister(dict.fromkeys(ids, 3), failing=set())
    monkeypatch.setattr(scheduler, "call_async", lister)
    c = client("llamacloud", "http://127.0.0.1:9")
    results = await scheduler.wait_all_async(
        [Job("llamacloud", "extract", job_id) for job_id in ids], client=c, timeout="1m"
    )
    assert [r.id for r in results] == ids
    assert sum(lister.seen.values()) == 60
    # 7 pages a sweep, 3 sweeps: 21 (unaligned, the same looks take 30 or more)
    assert len(lister.pages) <= 25


@pytest.mark.parametrize(
    ("now", "seconds", "throttled", "wake"),
    [
        (10.03, 5.0, False, 10.5),  # answered 30 ms after its tick: BATCH_LONGEST after it
        (10.0, 0.5, False, 10.5),
        (10.2, 0.1, False, 10.5),  # shorter than a tick: the first tick after
        (10.26, 0.1, False, 10.5),
        (10.03, 2.0, True, 12.25),  # a 429's Retry-After: never sooner
        (10.0, 0.3, False, 10.25),
        (10.1, 0.3, False, 10.25),  # the last tick by now + seconds, even if a little sooner
    ],
)
def test_batched_looks_wake_on_the_tick_their_backoff_allows(
    batched: None, now: float, seconds: float, throttled: bool, wake: float
) -> None:
    s = scheduler.Scheduler(clock=lambda: now)
    lane = s.lane(client("llamacloud", "http://127.0.0.1:9"), "llamacloud")
    assert lane.batcher is not None
    slept = s._sleep_for(lane, scheduler.Run("llamacloud"), seconds, throttled)
    assert slept == pytest.approx(wake - now)
