"""One scheduler for any number of jobs: every wait runs at once, requests are capped.

    results = wait_all(jobs, client=c)                   # in order; a failure as its exception
    for done in as_completed(jobs, client=c):            # as they end
        done.job, done.result, done.error
    (and wait_all_async / as_completed_async on your event loop)

Each job is one step generator (docextract.waiting) with its own next-look time: its backoff,
the provider's `Retry-After`, `estimated_completion` and THROTTLED. Nothing queues a whole
wait behind another: a job that ended is looked at when its own time comes, whatever N is. What
is capped is what costs: requests in flight (at most `concurrency`, and never more than the
client's connection pool, so httpcore never queues), streams (each holds a connection for its
life: at most `streams` per client, and a job that finds none free polls instead), and, per
provider, a pace that a 429 slows (docextract.limits). Where the provider's spec can answer
for many jobs in one request (its adapter's `batch_lookup`, where the spec has the filter),
the status looks due at the same moment share one request per page of jobs.

The sync twins run the same scheduler on one private event loop thread, with each client's
async connection pool.
"""

import asyncio
import contextlib
import inspect
import math
import queue
import threading
import time
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
    Sequence,
)
from typing import Any

import attrs
from httpx_sse import EventSource

from docextract.calls import call_async
from docextract.drivers import (
    _is_event_stream,
    _next_event_async,
    _open_stream_async,
    _read_plain_async,
)
from docextract.errors import (
    DocExtractError,
    InvalidParameter,
    RateLimited,
    TransportError,
    api_error,
)
from docextract.jobs import Job, _waiting
from docextract.lifecycles import Snapshot
from docextract.limits import AdaptiveLimiter, Limit, Pace
from docextract.providers import get_provider
from docextract.providers.adapter import BatchLookup
from docextract.waiting import (
    Action,
    CloseStream,
    Fetch,
    NextEvent,
    OpenStream,
    PlainAnswer,
    Run,
    Sleep,
    Waiting,
    WaitOutcome,
    wait_steps,
)

DEFAULT_POOL = 100  # httpx's default max_connections, when a transport does not say
DEFAULT_STREAMS = 16  # streams per client; a quarter of the pool at most
BATCH_WINDOW = 0.005  # seconds: looks due this close together share one batch request
BATCH_TICK = 0.25  # seconds: with batch status, looks are due on the ticks of one clock
BATCH_LONGEST = 0.5  # seconds: with batch status, the longest time between two looks
WAIT_OPTIONS = ("timeout", "mode", "on_progress", "cancel_on_timeout", "poll", "clock", "sleep")

Sleeper = Callable[[float], Awaitable[object]]


@attrs.frozen
class Done:
    """One job's end: its result, or the error that ended its wait (naming the job)."""

    index: int  # its position in the jobs given
    job: Job[Any]
    result: Any = None
    error: DocExtractError | None = None
    snapshot: Snapshot | None = None
    requests: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None

    def unwrap(self) -> Any:
        """The result, or raise the job's error."""
        if self.error is not None:
            raise self.error
        return self.result


def pool_size(client: Any) -> int:
    """The most connections the client's async pool opens (httpx's default when unknown)."""
    transport: Any = client.get_async_httpx_client()._transport
    for _ in range(4):  # through the retry transport (and test wrappers) to httpx's own
        pool = getattr(transport, "_pool", None)
        if pool is not None:
            size = getattr(pool, "_max_connections", None)
            return int(size) if isinstance(size, int) and size > 0 else DEFAULT_POOL
        transport = getattr(transport, "_transport", None) or getattr(transport, "_inner", None)
        if transport is None:
            break
    return DEFAULT_POOL


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidParameter(name, value, "an integer >= 1")
    return value


@attrs.define
class _Lane:
    """One client's share of the scheduler: its request cap, open streams, batch looks."""

    requests: asyncio.Semaphore
    streams_left: int
    batcher: "_Batcher | None" = None


class Scheduler:
    """Drives many step generators on one event loop under shared caps."""

    def __init__(
        self,
        *,
        concurrency: int | None = None,
        streams: int = DEFAULT_STREAMS,
        limits: Mapping[str, Limit] | None = None,
        sleep: Sleeper = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        batch: bool = True,
        limiters: Mapping[str, Pace] | None = None,
    ) -> None:
        self.concurrency = None if concurrency is None else _count("concurrency", concurrency)
        self.streams = 0 if streams == 0 else _count("streams", streams)
        self.sleep, self.clock, self.batch = sleep, clock, batch
        self._limits = dict(limits or {})
        self._limiters: dict[str, Pace] = dict(limiters or {})
        self._lanes: dict[int, _Lane] = {}
        self._gate = asyncio.Semaphore(self.concurrency) if self.concurrency else None

    def limiter(self, provider: str) -> Pace:
        """The provider's pacing, shared by every job of it in this scheduler."""
        if provider not in self._limiters:
            limit = self._limits.get(provider, Limit())
            self._limiters[provider] = AdaptiveLimiter(limit, clock=self.clock, sleep=self.sleep)
        return self._limiters[provider]

    def lane(self, client: Any, provider: str) -> _Lane:
        lane = self._lanes.get(id(client))
        if lane is None:
            pool = pool_size(client)
            cap = min(self.concurrency or pool, pool)
            lane = _Lane(asyncio.Semaphore(cap), min(self.streams, pool // 4))
            spec = batch_status(provider) if self.batch else None
            if spec is not None:
                lane.batcher = _Batcher(self, client, provider, spec)
            self._lanes[id(client)] = lane
        return lane

    async def fetch(self, w: Run, client: Any, action: Fetch, *, pace: bool = False) -> Any:
        """One request under the caps; `pace`: also under the provider's pace (submissions).
        A 429 slows the provider's pace either way."""
        lane = self.lane(client, w.provider)
        limiter = self.limiter(w.provider)
        if lane.batcher is not None and lane.batcher.covers(action):
            return await lane.batcher.look(w, action)
        if pace:
            await limiter.turn()
        async with self._gate or contextlib.nullcontext(), lane.requests:
            w.requests += 1
            try:
                result = await call_async(
                    client,
                    w.provider,
                    action.request.operation_id,
                    deadline=_deadline(action.budget),
                    for_job=w.job_id or None,
                    **action.request.params,
                )
            except RateLimited as exc:
                limiter.throttled(exc.retry_after)
                raise
        if pace:
            limiter.succeeded()
        return result

    async def run(
        self,
        steps: Generator[Action, Any, Any],
        w: Run,
        client: Any,
        paced: Callable[[Fetch], bool] | None = None,
    ) -> Any:
        """Carry out one job's steps (as docextract.drivers.run_async does, under the caps);
        the Fetches `paced` picks also wait for the provider's pace (job creation).

        Written again rather than reusing run_async: every action goes through the caps."""
        lane = self.lane(client, w.provider)
        stream: Any = None
        ends_at = 0.0
        events: Any = None
        result: Any = None
        error: BaseException | None = None
        throttled = False  # the last request was refused with 429: its sleep is the server's
        try:
            while True:
                try:
                    action = steps.throw(error) if error is not None else steps.send(result)
                except StopIteration as stop:
                    return stop.value
                result, error = None, None
                try:
                    if isinstance(action, Fetch):
                        result = await self.fetch(
                            w, client, action, pace=paced is not None and paced(action)
                        )
                    elif isinstance(action, Sleep):
                        await self.sleep(self._sleep_for(lane, w, action.seconds, throttled))
                    elif isinstance(action, OpenStream):
                        if lane.streams_left <= 0:  # the core falls back to polling
                            raise _no_stream_slot(w, action)
                        lane.streams_left -= 1
                        w.requests += 1
                        ends_at = asyncio.get_running_loop().time() + action.budget
                        try:
                            stream = await _open_stream_async(client, w, action, ends_at)
                        except BaseException:
                            lane.streams_left += 1
                            raise
                        if _is_event_stream(stream):
                            events = EventSource(stream).aiter_sse()
                        else:  # read under the stream's deadline, as the drivers do
                            try:
                                result = PlainAnswer(await _read_plain_async(w, stream, ends_at))
                            finally:
                                await self._close(lane, stream)
                                stream = None
                    elif isinstance(action, NextEvent):
                        result = await _next_event_async(w, events, ends_at)
                    elif isinstance(action, CloseStream):
                        await self._close(lane, stream)
                        stream = events = None
                except Exception as exc:  # handed to the generator, which decides
                    error = exc
                throttled = isinstance(error, RateLimited)
        finally:
            await self._close(lane, stream)
            steps.close()

    def _sleep_for(self, lane: _Lane, w: Run, seconds: float, throttled: bool) -> float:
        """Where looks share requests (batch status), they are cheap: look at least every
        BATCH_LONGEST seconds (never sooner than a 429's Retry-After), and on the ticks of one
        clock, so that the looks of many jobs fall together into one request per page.

        The tick is the last one by `now + seconds` (a look answered a little after its tick
        comes back BATCH_LONGEST after that tick, not a tick later), or, for a sleep shorter
        than a tick or after a 429, the first one at or after it."""
        if lane.batcher is None:
            return seconds
        if not throttled:
            seconds = min(seconds, BATCH_LONGEST)
        now = self.clock()
        wake = math.floor((now + seconds) / BATCH_TICK) * BATCH_TICK
        if throttled or seconds < BATCH_TICK or wake <= now:
            wake = math.ceil((now + seconds) / BATCH_TICK) * BATCH_TICK
        remaining = w.remaining() if isinstance(w, Waiting) else wake - now
        return max(0.0, min(wake - now, remaining))

    async def _close(self, lane: _Lane, stream: Any) -> None:
        if stream is not None:
            lane.streams_left += 1
            await stream.aclose()

    # ---------------------------------------------------------------- many waits

    async def wait_one(
        self, index: int, job: Job[Any], client: Any, options: Mapping[str, Any]
    ) -> Done:
        w = _waiting(
            job,
            options.get("timeout", "10m"),
            options.get("mode", "auto"),
            options.get("on_progress"),
            options.get("cancel_on_timeout", False),
            options.get("poll"),
            options.get("clock") or self.clock,
        )
        try:
            outcome: WaitOutcome = await self.run(wait_steps(w), w, client)
        except DocExtractError as exc:
            return Done(index, job, error=exc, snapshot=w.last, requests=w.requests)
        return Done(index, job, outcome.result, None, outcome.snapshot, outcome.requests)


def batch_status(provider: str) -> BatchLookup | None:
    """The provider's batch lookup, if its adapter declares one and its spec has the filter."""
    adapter = get_provider(provider)
    lookup = adapter.capabilities.batch_lookup
    return lookup if lookup is not None and lookup.enabled(adapter.facts) else None


def _deadline(budget: float | None) -> float | None:
    return None if budget is None else time.monotonic() + max(budget, 0.0)


def _no_stream_slot(w: Run, action: OpenStream) -> TransportError:
    import httpx

    cause = httpx.PoolTimeout("every stream slot of this client is in use")
    return TransportError(
        provider=w.provider, operation=action.request.operation_id, cause=cause, job_id=w.job_id
    )


# ---------------------------------------------------------------- batch status


@attrs.frozen
class _Answer:
    """What a status Fetch gives back when a batch request answered for the job."""

    parsed: Any
    status_code: int = 200
    content: bytes = b""


class _Batcher:
    """Status looks due together, for one client: one list request per page of job IDs."""

    def __init__(self, scheduler: Scheduler, client: Any, provider: str, spec: BatchLookup) -> None:
        self.scheduler, self.client, self.provider, self.spec = scheduler, client, provider, spec
        self.status_operation = str(get_provider(provider).jobs().status_request("x").operation_id)
        self._due: dict[str, list[asyncio.Future[Any]]] = {}
        self._flush: asyncio.Task[None] | None = None

    def covers(self, action: Fetch) -> bool:
        return action.request.operation_id == self.status_operation

    async def look(self, w: Run, action: Fetch) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._due.setdefault(str(w.job_id), []).append(future)
        if self._flush is None:
            self._flush = asyncio.create_task(self._send_soon())
        w.requests += 1  # the job's share: one look (the batch request counts once per page)
        return await future

    async def _send_soon(self) -> None:
        await asyncio.sleep(BATCH_WINDOW)
        due, self._due, self._flush = self._due, {}, None
        ids = list(due)
        pages = [ids[i : i + self.spec.page_size] for i in range(0, len(ids), self.spec.page_size)]
        await asyncio.gather(*(self._page(page, due) for page in pages))

    async def _page(self, ids: list[str], due: dict[str, list[asyncio.Future[Any]]]) -> None:
        run = Run(self.provider)
        request = Fetch(_request(self.spec.operation_id, self.spec.params(ids)))
        try:
            answer = await self.scheduler.fetch(run, self.client, request)
            items = {str(item.id): item for item in (answer.parsed.items or [])}
        except Exception as exc:  # every job of the page sees the error, as its own look would
            for job_id in ids:
                for future in due[job_id]:
                    if not future.done():
                        future.set_exception(_for_job(exc, job_id))
            return
        for job_id in ids:
            item = items.get(job_id)
            for future in due[job_id]:
                if future.done():
                    continue
                if item is None:  # not (yet) listed: the wait's not-found grace applies
                    future.set_exception(
                        api_error(
                            provider=self.provider,
                            operation=self.spec.operation_id,
                            status_code=404,
                            headers={},
                            body=b"",
                            job_id=job_id,
                        )
                    )
                else:
                    future.set_result(_Answer(item))


def _request(operation_id: str, params: dict[str, Any]) -> Any:
    from docextract.lifecycles import Request

    return Request(operation_id, params)


def _for_job(exc: Exception, job_id: str) -> Exception:
    if isinstance(exc, DocExtractError) and exc.job_id is None:
        exc.job_id = job_id
    return exc


# ---------------------------------------------------------------- the public calls


def _clients_for(
    jobs: Sequence[Job[Any]], client: Any, clients: Mapping[str, Any] | None
) -> list[Any]:
    chosen = []
    for job in jobs:
        if not isinstance(job, Job):
            raise InvalidParameter("jobs", job, "docextract.Job objects")
        c = (clients or {}).get(job.provider, client)
        if c is None:
            raise InvalidParameter("clients", job.provider, "a client for every provider in jobs")
        get_provider(job.provider).jobs()  # a provider with jobs
        chosen.append(c)
    return chosen


def _async_sleep(sleep: Callable[[float], Any] | None) -> Sleeper:
    if sleep is None:
        return asyncio.sleep
    if inspect.iscoroutinefunction(sleep):
        return sleep

    async def blocking(seconds: float) -> None:  # a test's fake sleep: advance, then yield
        sleep(seconds)
        await asyncio.sleep(0)

    return blocking


def _scheduler(
    concurrency: int | None, streams: int, options: Mapping[str, Any], batch: bool = True
) -> Scheduler:
    unknown = set(options) - set(WAIT_OPTIONS)
    if unknown:
        raise InvalidParameter(", ".join(sorted(unknown)), None, "not an option of the wait")
    if "timeout" in options:
        from docextract.durations import to_seconds

        to_seconds(options["timeout"], name="timeout")
    return Scheduler(
        concurrency=concurrency,
        streams=streams,
        sleep=_async_sleep(options.get("sleep")),
        clock=options.get("clock") or time.monotonic,
        batch=batch,
    )


async def as_completed_async(
    jobs: Sequence[Job[Any]],
    *,
    client: Any = None,
    clients: Mapping[str, Any] | None = None,
    concurrency: int | None = None,
    streams: int = DEFAULT_STREAMS,
    batch: bool = True,
    **options: Any,
) -> AsyncIterator[Done]:
    """Wait for all `jobs` at once; yield each one's `Done` as it ends.

    concurrency: requests in flight at once (default and most: the client's connection pool).
    streams: event streams open at once per client (a job that finds none free polls).
    batch: where the provider can look at many jobs in one request (its batch status), do.
    options: each job's wait options (timeout, mode, on_progress, cancel_on_timeout, poll, ...);
    `timeout` is per job, counted from the call. Leaving the loop early cancels the rest.
    """
    jobs = list(jobs)
    chosen = _clients_for(jobs, client, clients)
    scheduler = _scheduler(concurrency, streams, options, batch)
    async for done in _run_all(scheduler, jobs, chosen, options):
        yield done


async def _run_all(
    scheduler: Scheduler, jobs: list[Job[Any]], chosen: list[Any], options: Mapping[str, Any]
) -> AsyncIterator[Done]:
    finished: asyncio.Queue[Done | BaseException] = asyncio.Queue()

    async def one(index: int) -> None:
        try:
            done = await scheduler.wait_one(index, jobs[index], chosen[index], options)
        except Exception as exc:  # not a DocExtractError: a bug, raised, never a hang
            finished.put_nowait(exc)
        else:
            finished.put_nowait(done)

    tasks = [asyncio.create_task(one(i)) for i in range(len(jobs))]
    try:
        for _ in jobs:
            item = await finished.get()
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def wait_all_async(
    jobs: Sequence[Job[Any]],
    *,
    client: Any = None,
    clients: Mapping[str, Any] | None = None,
    concurrency: int | None = None,
    streams: int = DEFAULT_STREAMS,
    batch: bool = True,
    **options: Any,
) -> list[Any]:
    """Wait for many jobs at once; results in the jobs' order, a failure as its exception.

    One client per provider (`clients`, or `client` for all). No job is abandoned when another
    fails. See `as_completed_async` for the options.
    """
    results: list[Any] = [None] * len(jobs)
    stream = as_completed_async(
        jobs,
        client=client,
        clients=clients,
        concurrency=concurrency,
        streams=streams,
        batch=batch,
        **options,
    )
    async for done in stream:
        results[done.index] = done.result if done.ok else done.error
    return results


# ---------------------------------------------------------------- sync twins


class _LoopThread:
    """One event loop on a daemon thread for the sync calls: clients' async pools stay on it."""

    _lock = threading.Lock()
    _loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def loop(cls) -> asyncio.AbstractEventLoop:
        with cls._lock:
            if cls._loop is None or cls._loop.is_closed():
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="docextract-scheduler", daemon=True
                )
                thread.start()
                cls._loop = loop
            return cls._loop


_END = object()


def as_completed(
    jobs: Sequence[Job[Any]],
    *,
    client: Any = None,
    clients: Mapping[str, Any] | None = None,
    concurrency: int | None = None,
    streams: int = DEFAULT_STREAMS,
    batch: bool = True,
    **options: Any,
) -> Iterator[Done]:
    """The blocking twin of `as_completed_async` (input is checked at once, not on first next)."""
    jobs = list(jobs)
    chosen = _clients_for(jobs, client, clients)
    _scheduler(concurrency, streams, options)  # checks the options here, in the caller's thread
    return _iterate(jobs, chosen, concurrency, streams, options, batch)


def _iterate(
    jobs: list[Job[Any]],
    chosen: list[Any],
    concurrency: int | None,
    streams: int,
    options: Mapping[str, Any],
    batch: bool,
) -> Iterator[Done]:
    handoff: queue.Queue[Any] = queue.Queue()

    async def produce() -> None:
        try:
            scheduler = _scheduler(concurrency, streams, options, batch)
            async for done in _run_all(scheduler, jobs, chosen, options):
                handoff.put(done)
        except BaseException as exc:  # handed to the caller's thread
            handoff.put(exc)
            raise
        finally:
            handoff.put(_END)

    future = asyncio.run_coroutine_threadsafe(produce(), _LoopThread.loop())
    try:
        while (item := handoff.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        future.cancel()
        with contextlib.suppress(BaseException):
            future.result(timeout=30)


def wait_all(
    jobs: Sequence[Job[Any]],
    *,
    client: Any = None,
    clients: Mapping[str, Any] | None = None,
    concurrency: int | None = None,
    streams: int = DEFAULT_STREAMS,
    batch: bool = True,
    **options: Any,
) -> list[Any]:
    """The blocking twin of `wait_all_async`."""
    results: list[Any] = [None] * len(jobs)
    for done in as_completed(
        jobs,
        client=client,
        clients=clients,
        concurrency=concurrency,
        streams=streams,
        batch=batch,
        **options,
    ):
        results[done.index] = done.result if done.ok else done.error
    return results
