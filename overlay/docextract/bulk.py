"""Many documents at once: `submit_all` and `extract_all` (and their `_async` twins).

    jobs = docextract.submit_all(["a.pdf", "b.pdf"], provider="llamacloud", client=c,
                                 data_schema={...})                 # Jobs, in order
    results = docextract.extract_all(paths, provider="numind", project_id="...")

Every document's work runs on one scheduler (docextract.scheduler): its waits at once, its
requests under the caps. Submissions follow the provider's limits (its adapter's
`capabilities.submissions`): a pace for job creation, creating requests at once, jobs active
at once (held from creation to the job's end, so only where the call waits: extract_all).
A 429 slows that provider's pace; the refused request, which created nothing, is sent again
when the pace allows. No other creating request is ever resent (one that failed otherwise may
have created a job: its document's error says so; one whose answer named the job before it
was cut short is waited for). One document's failure stops no other;
results keep the order.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterable, Mapping
from typing import Any

import attrs

from docextract.clients import client as make_client
from docextract.durations import DurationLike
from docextract.errors import DocExtractError, InvalidParameter, RateLimited
from docextract.extraction import ExtractionResult, _Call, _result
from docextract.extraction import _call as _extraction_call
from docextract.jobs import Job, _create
from docextract.jobs import plan as _job_plan
from docextract.journal import named_job
from docextract.lifecycles import Submission as _Submission
from docextract.limits import Limit, Pace
from docextract.providers import get_provider
from docextract.scheduler import WAIT_OPTIONS, Done, Scheduler, _async_sleep, _LoopThread
from docextract.waiting import Action, Fetch, Run

SUBMITTING_AT_ONCE = 32  # documents read and being submitted at once (memory stays bounded)
THROTTLED_RESENDS = 8
CLIENT_OPTIONS = (
    "api_key",
    "base_url",
    "max_retries",
    "allow_insecure_http",
)  # a creating request refused with 429 this many times: its error stands


@attrs.frozen
class Finished:
    """One document's end: its result (an ExtractionResult, or a Job for submit_all), or the
    error that ended it. `job` is the job created for it, if one was."""

    index: int
    document: Any
    job: Job[Any] | None = None
    result: Any = None
    error: DocExtractError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@attrs.frozen
class Item:
    """A document to work on; `job`: its job already exists (a resumed batch): wait, not create."""

    index: int
    document: Any
    job: Job[Any] | None = None


@attrs.define
class _Upload:
    file_id: str | None = None  # kept across a resend: the file is not uploaded twice


def _creation_steps(
    submission: _Submission, upload: _Upload, before_create: Callable[[], Any]
) -> Generator[Action, Any, Job[Any]]:
    if submission.upload is not None and upload.file_id is None:
        upload.file_id = str((yield Fetch(submission.upload)).parsed.id)
    before_create()  # from here on a job may exist (a journal records that first)
    return (yield from _create(submission, submission.create(upload.file_id)))


class Bulk:
    """One provider's documents on one scheduler: how each is submitted, waited for, extracted."""

    def __init__(
        self,
        provider: str,
        client: Any,
        scheduler: Scheduler,
        plan: Callable[[Any], _Call],
        wait_options: Mapping[str, Any],
    ) -> None:
        self.provider, self.client, self.scheduler = provider, client, scheduler
        self.plan, self.wait_options = plan, wait_options
        self.limiter = scheduler.limiter(provider)
        self._submitting = asyncio.Semaphore(SUBMITTING_AT_ONCE)

    async def submit(
        self, document: Any, before_create: Callable[[], Any] = lambda: None
    ) -> Job[Any]:
        async with self._submitting:
            return await self._submit(_submission(self.plan(document)), before_create)

    async def _submit(self, submission: _Submission, before_create: Callable[[], Any]) -> Job[Any]:
        upload = _Upload()
        for resend in range(THROTTLED_RESENDS + 1):
            try:
                async with self.limiter.slot():
                    run = Run(self.provider)
                    job: Job[Any] = await self.scheduler.run(
                        _creation_steps(submission, upload, before_create),
                        run,
                        self.client,
                        paced=lambda fetch: fetch.request is not submission.upload,
                    )
                    return job
            except RateLimited:  # refused, nothing created: again when the slowed pace allows
                if resend == THROTTLED_RESENDS:
                    raise
        raise AssertionError("unreachable")

    async def extract(
        self,
        item: Item,
        on_submitting: Callable[[Item], Any],
        on_submitted: Callable[[Item, Job[Any]], Any],
    ) -> Finished:
        started = time.monotonic()
        job = item.job
        try:
            if get_provider(self.provider).synchronous is not None:
                return Finished(item.index, item.document, None, await self._once(item, started))
            async with self.limiter.active():
                if job is None:
                    job = await self._create(item, on_submitting)
                    on_submitted(item, job)
                done: Done = await self.scheduler.wait_one(
                    item.index, job, self.client, self.wait_options
                )
            if done.error is not None:
                return Finished(item.index, item.document, job, error=done.error)
            call = self.plan(item.document)
            outcome = _Outcome(done.result, done.snapshot, done.requests)
            result = _result(call, job.id, done.result, outcome, started)  # type: ignore[arg-type]
            return Finished(item.index, item.document, job, result)
        except DocExtractError as exc:
            return Finished(item.index, item.document, job, error=exc)

    async def _create(self, item: Item, on_submitting: Callable[[Item], Any]) -> Job[Any]:
        """The item's job; one whose creating answer was cut short after naming it exists all
        the same, and is waited for like any other (never created again)."""
        try:
            return await self.submit(item.document, lambda: on_submitting(item))
        except DocExtractError as exc:
            job = self.recovered(item.document, exc)
            if job is None:
                raise
            return job

    def recovered(self, document: Any, error: DocExtractError) -> Job[Any] | None:
        """The job a failed creating request still named, if the provider can follow it."""
        job_id = named_job(error)
        if job_id is None:
            return None
        try:
            get_provider(self.provider).jobs().status_request(job_id)
        except InvalidParameter:  # not an ID its routes take: the error stands
            return None
        return Job(self.provider, _submission(self.plan(document)).operation, job_id)

    async def _once(self, item: Item, started: float) -> ExtractionResult[Any]:
        """A synchronous provider's extraction (Retab): its concurrency cap and pace, and a 429
        (nothing was extracted) sent again when the slowed pace allows."""
        call = self.plan(item.document)
        synchronous = call.provider.synchronous
        assert synchronous is not None
        params = {**call.params, "timeout": self.wait_options.get("timeout", "10m")}
        for resend in range(THROTTLED_RESENDS + 1):
            async with self.limiter.slot():
                await self.limiter.turn()
                try:
                    raw = await synchronous.run_async(self.client, params)
                except RateLimited as exc:
                    self.limiter.throttled(exc.retry_after)
                    if resend == THROTTLED_RESENDS:
                        raise
                    continue
            self.limiter.succeeded()
            return _result(call, None, raw, None, started)
        raise AssertionError("unreachable")


def _submission(call: _Call) -> _Submission:
    """The creating request(s) of a planned extraction (its wait's options left out)."""
    params = {k: v for k, v in call.params.items() if k not in WAIT_OPTIONS}
    return _job_plan(call.provider.name, call.operation, params)


def _check_first(plan: Callable[[Any], _Call], documents: list[Any]) -> None:
    """Bad input is refused before any request: the first document's plan, in full."""
    if documents:
        first = plan(documents[0])
        if first.provider.synchronous is None:
            _submission(first)


@attrs.frozen
class _Outcome:  # what extraction's summaries read of a wait
    result: Any
    snapshot: Any
    requests: int


def _limits(provider: str, limit: Limit | None) -> dict[str, Limit]:
    return {
        provider: limit if limit is not None else get_provider(provider).capabilities.submissions
    }


def _planner(
    provider: str,
    schema: Any,
    project_id: str | None,
    timeout: DurationLike,
    options: Mapping[str, Any],
) -> Callable[[Any], _Call]:
    def plan(document: Any) -> _Call:
        params = {k: v for k, v in options.items() if k not in WAIT_OPTIONS}
        return _extraction_call(document, provider, schema, project_id, params)

    return plan


async def extract_stream_async(
    items: Iterable[Item],
    *,
    provider: str,
    client: Any = None,
    schema: Any = None,
    project_id: str | None = None,
    timeout: DurationLike = "10m",
    concurrency: int | None = None,
    limit: Limit | None = None,
    on_submitting: Callable[[Item], Any] = lambda item: None,
    on_submitted: Callable[[Item, Job[Any]], Any] = lambda item, job: None,
    limiters: Mapping[str, Pace] | None = None,
    **options: Any,
) -> AsyncIterator[Finished]:
    """The core of extract_all and of `docextract batch`: each item's Finished as it ends.

    on_submitting(item) is called just before its creating request is sent, on_submitted(item,
    job) as soon as the job exists (a journal records both).
    """
    items = list(items)
    settings = {k: options.pop(k) for k in CLIENT_OPTIONS if k in options}
    wait_options = {k: options.pop(k) for k in WAIT_OPTIONS if k in options}
    wait_options["timeout"] = timeout
    plan = _planner(provider, schema, project_id, timeout, options)
    _check_first(plan, [item.document for item in items if item.job is None][:1])
    owned = client is None
    http = make_client(provider, **settings) if owned else client
    scheduler = Scheduler(
        concurrency=concurrency,
        limits=_limits(provider, limit),
        sleep=_async_sleep(wait_options.get("sleep")),
        clock=wait_options.get("clock") or time.monotonic,
        limiters=limiters,
    )
    bulk = Bulk(provider, http, scheduler, plan, wait_options)
    finished: asyncio.Queue[Finished | BaseException] = asyncio.Queue()

    async def one(item: Item) -> None:
        try:
            done = await bulk.extract(item, on_submitting, on_submitted)
        except Exception as exc:  # not a DocExtractError: a bug, raised, never a hang
            finished.put_nowait(exc)
        else:
            finished.put_nowait(done)

    tasks = [asyncio.create_task(one(item)) for item in items]
    try:
        for _ in items:
            got = await finished.get()
            if isinstance(got, BaseException):
                raise got
            yield got
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if owned:
            await http.get_async_httpx_client().aclose()


async def extract_all_async(
    documents: Iterable[Any], *, provider: str, **options: Any
) -> list[ExtractionResult[Any] | DocExtractError]:
    """`extract()` for many documents at once; results in order, a failure as its error.

    Takes extract()'s arguments (client, schema, project_id, timeout, the provider's and the
    wait's options), plus concurrency (requests in flight) and limit (a docextract.limits.Limit
    instead of the provider's own)."""
    items = [Item(i, d) for i, d in enumerate(documents)]
    results: list[Any] = [None] * len(items)
    async for f in extract_stream_async(items, provider=provider, **options):
        results[f.index] = f.result if f.ok else f.error
    return results


def extract_all(
    documents: Iterable[Any], *, provider: str, **options: Any
) -> list[ExtractionResult[Any] | DocExtractError]:
    """The blocking twin of `extract_all_async` (run on the scheduler's own event loop)."""
    documents = list(documents)
    coroutine = extract_all_async(documents, provider=provider, **options)
    return asyncio.run_coroutine_threadsafe(coroutine, _LoopThread.loop()).result()


async def submit_all_async(
    documents: Iterable[Any],
    *,
    provider: str,
    client: Any,
    operation: str | None = None,
    concurrency: int | None = None,
    limit: Limit | None = None,
    **params: Any,
) -> list[Job[Any] | DocExtractError]:
    """`submit()` for many documents (paths, bytes or provider-side IDs); Jobs in order, a
    failure as its error. `operation` defaults to the provider's extraction (NuMind:
    structured). The provider's pace and creating-request cap apply; its active-job cap needs
    the jobs to be waited for (extract_all)."""
    get_provider(provider).jobs()  # a provider with jobs (Retab: extract_all)
    if operation is not None:
        params["operation"] = operation
    documents = list(documents)
    plan = _planner(provider, None, params.pop("project_id", None), "10m", params)
    _check_first(plan, documents)
    if client is None:
        raise InvalidParameter("client", None, f"a {provider} client (docextract.client)")
    scheduler = Scheduler(concurrency=concurrency, limits=_limits(provider, limit))
    bulk = Bulk(provider, client, scheduler, plan, {})

    async def one(document: Any) -> Job[Any] | DocExtractError:
        try:
            return await bulk.submit(document)
        except DocExtractError as exc:
            return exc

    return list(await asyncio.gather(*(one(d) for d in documents)))


def submit_all(
    documents: Iterable[Any], *, provider: str, client: Any, **params: Any
) -> list[Job[Any] | DocExtractError]:
    """The blocking twin of `submit_all_async`."""
    coroutine = submit_all_async(list(documents), provider=provider, client=client, **params)
    return asyncio.run_coroutine_threadsafe(coroutine, _LoopThread.loop()).result()
