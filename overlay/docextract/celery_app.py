"""Past one machine: the batch's submit and wait as Celery tasks (`pip install docextract[celery]`).

    # each worker machine (keys from its own environment, never from the broker):
    DOCEXTRACT_BROKER_URL=redis://broker:6379/0 LLAMA_CLOUD_API_KEY=... \\
        celery -A docextract.celery_app worker --concurrency 4
    # the client:
    results = extract_all_celery(paths, provider="llamacloud", schema=..., journal="b.sqlite")

Per document, a `docextract.submit` task creates the job (journaled before its creating
request goes out and once it exists), then a `docextract.wait` task waits for it and returns
the result as JSON (to the result backend, and to the journal); a synchronous provider's
(Retab's) extraction is one `docextract.extract` task. The provider's limits (its
adapter's `capabilities.submissions`, or `limit=`) are shared by every worker through the
broker's Redis (docextract.redis_limits), per provider and per API key: the pace of job
creation, the creating requests in flight, and the jobs active at once. An active job holds a
lease from before its creating request to its end: the submit task takes it, the job carries
it to the wait task, which renews it while waiting and gives it back when the job ends; a lost
worker's lease lapses after its TTL. A submit task that finds every lease held gives its thread
back and comes again later (a retry after a jittered countdown growing to a few seconds): it
never holds a thread that the wait tasks queued behind it need to free a lease.

Both tasks are acknowledged when they end and redelivered if their worker dies. A submit task's
creating request goes out at most once however often it is delivered: first the task claims
its ID in Redis; a copy that finds the claim takes over the job it names or, if the job was
not named yet, reports the document uncertain (`submitting`: a job may exist) rather than
creating a second. A retry for want of a lease sent nothing: it is not a second creation.
Waiting again is harmless. Documents are paths the workers can read or provider-side IDs; the
journal is a path the workers can write (one machine, or storage they share).
"""

import asyncio
import contextlib
import logging
import os
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from celery import Celery, chain
from celery.exceptions import TimeoutError as CeleryTimeout

from docextract.bulk import Bulk, Item, _planner
from docextract.errors import DocExtractError
from docextract.jobs import Job
from docextract.journal import Journal, may_have_created
from docextract.limits import Limit
from docextract.providers import get_provider

BROKER_ENV = "DOCEXTRACT_BROKER_URL"
BACKEND_ENV = "DOCEXTRACT_RESULT_BACKEND"
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
CLAIM_PREFIX = "docextract:claim"  # + a submit task's ID: its creating request may be out
CLAIM_SECONDS = 7 * 24 * 3600
SENT = "sent"  # a claim's value until the job is named (then the Job's JSON)
RETRY_COUNTDOWN = (0.25, 4.0)  # seconds: a submit task without a lease comes back after this
_random = secrets.SystemRandom()
log = logging.getLogger(__name__)

app = Celery("docextract")
app.conf.update(
    broker_url=os.environ.get(BROKER_ENV, DEFAULT_BROKER),
    result_backend=os.environ.get(BACKEND_ENV) or os.environ.get(BROKER_ENV, DEFAULT_BROKER),
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    result_expires=7 * 24 * 3600,
)


def configure(broker_url: str, result_backend: str | None = None) -> Celery:
    """Point this process's app (the client's side) at a broker and a result backend."""
    app.conf.update(broker_url=broker_url, result_backend=result_backend or broker_url)
    return app


def redis_url(broker_url: str) -> str:
    """The broker's Redis as redis-py names it (kombu's redis+socket:// is unix://)."""
    if broker_url.startswith("redis+socket://"):
        return "unix://" + broker_url.removeprefix("redis+socket://")
    return broker_url


def retry_countdown(retries: int) -> float:
    """How long a submit task without a lease waits before it comes again: doubling from
    RETRY_COUNTDOWN[0] to [1], jittered (half to all of it) so waiting tasks spread out."""
    low, high = RETRY_COUNTDOWN
    return min(high, low * 2.0 ** min(retries, 16)) * _random.uniform(0.5, 1.0)


def _error(error: BaseException) -> dict[str, Any]:
    return {
        "type": type(error).__name__,
        "message": str(error),
        "job_id": getattr(error, "job_id", None),
    }


@attrs.frozen
class _Worker:
    """What one task works with: the document's Bulk, its client, the shared limiter (pace and
    creating requests in flight) and the shared cap of active jobs (the tasks' own leases)."""

    bulk: Bulk
    http: Any
    limiter: Any
    active: Any

    async def close(self) -> None:
        await self.limiter.settle()
        await self.http.get_async_httpx_client().aclose()


def _limit(work: Mapping[str, Any]) -> Limit:
    given = work.get("limit")
    return Limit(**given) if given else get_provider(work["provider"]).capabilities.submissions


def _worker(work: Mapping[str, Any], shared: Any) -> _Worker:
    """A Bulk for one document, its limits shared through the broker's Redis."""
    from docextract.clients import client
    from docextract.redis_limits import ACTIVE, RedisCap, RedisLimiter, cap_name, key_scope
    from docextract.scheduler import Scheduler

    provider = work["provider"]
    http = client(provider, **({"base_url": work["base_url"]} if work.get("base_url") else {}))
    limit, scope = _limit(work), key_scope(http.token)
    # the active-job lease spans two tasks: taken by submit, kept by wait, not by the Bulk
    limiter = RedisLimiter(shared, provider, attrs.evolve(limit, active_jobs=None), scope=scope)
    active = None
    if limit.active_jobs is not None:
        active = RedisCap(shared, cap_name(provider, scope, ACTIVE), limit.active_jobs)
    scheduler = Scheduler(limiters={provider: limiter})
    options = dict(work.get("options") or {})
    plan = _planner(provider, work.get("schema"), work.get("project_id"), work["timeout"], options)
    wait_options = {"timeout": work["timeout"], "mode": options.get("mode", "auto")}
    return _Worker(Bulk(provider, http, scheduler, plan, wait_options), http, limiter, active)


def _redis() -> Any:
    import redis.asyncio

    return redis.asyncio.Redis.from_url(redis_url(str(app.conf.broker_url)))


def _journal(work: Mapping[str, Any]) -> Journal | None:
    return Journal(work["journal"]) if work.get("journal") else None


async def _submit(work: dict[str, Any], task_id: str | None) -> dict[str, Any] | None:
    """The submitted payload for the wait task; None: no active-job lease is free (retry)."""
    shared = _redis()
    worker = _worker(work, shared)
    try:
        return await _create(work, task_id, shared, worker)
    finally:
        await worker.close()
        await shared.aclose()


async def _create(
    work: dict[str, Any], task_id: str | None, shared: Any, worker: _Worker
) -> dict[str, Any] | None:
    from docextract.redis_limits import release

    claim = f"{CLAIM_PREFIX}:{task_id}" if task_id else None
    lease = worker.active.lease(task_id) if worker.active is not None else None
    if claim is not None and (earlier := await shared.get(claim)) is not None:
        return _claimed(work, earlier, lease)  # delivered again: never a second creation
    if worker.active is not None and await worker.active.acquire(task_id) is None:
        return None
    give_back = True  # the lease goes back unless a job holds it, or may
    journal = _journal(work)
    try:
        if claim is not None and not await shared.set(claim, SENT, nx=True, ex=CLAIM_SECONDS):
            give_back = False  # a copy delivered at once claimed it first: the lease is its
            return _claimed(work, await shared.get(claim) or SENT, lease)
        job, failure = await _created(work, worker.bulk, journal)
        if job is None:
            assert failure is not None
            give_back = not failure.get("uncertain")  # a job may exist: its lease lapses
            return failure
        give_back = False  # it travels with the job, to the wait task
        if claim is not None:
            await shared.set(claim, job.to_json(), ex=CLAIM_SECONDS)
        return {"work": work, "job": job.to_json(), "lease": lease and lease.to_json()}
    except BaseException:
        give_back = False  # an unexpected end: a job may exist, its lease lapses
        raise
    finally:
        if lease is not None and give_back:
            await release(shared, lease)
        if journal is not None:
            journal.close()


async def _created(
    work: Mapping[str, Any], bulk: Bulk, journal: Journal | None
) -> tuple[Job[Any] | None, dict[str, Any] | None]:
    """The document's job, or the submitted payload of its failure (journaled either way)."""
    creating = False

    def before_create() -> None:
        nonlocal creating
        creating = True
        if journal is not None:
            journal.submitting(work["key"], **work["entry"])

    try:
        job = await bulk.submit(work["document"], before_create)
    except DocExtractError as exc:
        recovered = bulk.recovered(work["document"], exc)
        if recovered is None:
            if journal is not None:
                journal.failed(work["key"], exc, job_exists=False, creating=creating)
            uncertain = creating and may_have_created(exc)
            return None, {"work": work, "error": _error(exc)} | (
                {"uncertain": True} if uncertain else {}
            )
        log.warning("%s: the job exists all the same, waited for", exc)
        job = recovered
    if journal is not None:
        journal.created(work["key"], job)
    return job, None


def _claimed(work: dict[str, Any], claim: bytes | str, lease: Any) -> dict[str, Any]:
    """A submit task delivered again: the job its first delivery named, or uncertain."""
    text = claim.decode() if isinstance(claim, bytes) else claim
    if text != SENT:
        return {"work": work, "job": text, "lease": lease and lease.to_json()}
    message = (
        "an earlier delivery of this submission sent its creating request and ended before "
        "the job was known: a job may exist, not created again"
    )
    error = {"type": None, "message": message, "job_id": None}
    return {"work": work, "error": error, "uncertain": True}


async def _wait(submitted: dict[str, Any]) -> dict[str, Any]:
    from docextract.extraction import result_json
    from docextract.redis_limits import Lease, kept

    work = submitted["work"]
    line: dict[str, Any] = {"document": work["name"], "position": work["position"]}
    if "error" in submitted:
        state = "submitting" if submitted.get("uncertain") else "error"
        return {**line, "state": state, "error": submitted["error"]}
    job = Job.from_json(submitted["job"])
    shared = _redis()
    worker = _worker(work, shared)
    lease = submitted.get("lease")
    held = Lease.from_json(lease) if lease else worker.active and worker.active.lease()
    try:  # a resumed job had no lease: it takes one (or runs over the cap, logged)
        async with kept(shared, held) if held else contextlib.nullcontext():
            finished = await worker.bulk.extract(Item(0, work["document"], job), _nothing, _nothing)
    finally:
        await worker.close()
        await shared.aclose()
    journal = _journal(work)
    try:
        if finished.ok:
            result = result_json(finished.result)
            if journal is not None:
                journal.finished(work["key"], result)
            return {**line, "state": "completed", "job_id": job.id, "result": result}
        assert finished.error is not None
        if journal is not None:
            journal.failed(work["key"], finished.error, job_exists=True)
        return {**line, "state": "failed", "job_id": job.id, "error": _error(finished.error)}
    finally:
        if journal is not None:
            journal.close()


async def _extract(work: dict[str, Any]) -> dict[str, Any]:
    """A synchronous provider's extraction (Retab: no job to create or wait for), in one task,
    under its limits shared through Redis (its pace, its requests in flight)."""
    from docextract.extraction import result_json

    line: dict[str, Any] = {"document": work["name"], "position": work["position"]}
    journal = _journal(work)
    if journal is not None:  # from here on the extraction may run: uncertain if the worker dies
        journal.submitting(work["key"], **work["entry"])
    shared = _redis()
    worker = _worker(work, shared)
    try:
        finished = await worker.bulk.extract(Item(0, work["document"]), _nothing, _nothing)
    finally:
        await worker.close()
        await shared.aclose()
    try:
        if finished.ok:
            result = result_json(finished.result)
            if journal is not None:
                journal.finished(work["key"], result)
            return {**line, "state": "completed", "result": result}
        assert finished.error is not None
        if journal is not None:  # nothing was extracted: done again on resume
            journal.failed(work["key"], finished.error, job_exists=False)
        return {**line, "state": "error", "error": _error(finished.error)}
    finally:
        if journal is not None:
            journal.close()


def _nothing(*_: Any) -> None:
    return None


@app.task(
    bind=True,
    name="docextract.submit",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def submit_task(self: Any, work: dict[str, Any]) -> dict[str, Any]:
    """Create one document's job, its creating request sent at most once (see the module)."""
    submitted = asyncio.run(_submit(work, self.request.id))
    if submitted is None:  # every active-job lease is held and nothing was sent: this thread
        # goes back to the pool (a wait task may need it to end a job) and the task comes again
        raise self.retry(countdown=retry_countdown(self.request.retries))
    return submitted


@app.task(name="docextract.extract", acks_late=False)
def extract_task(work: dict[str, Any]) -> dict[str, Any]:
    """A synchronous provider's extraction; acknowledged on receipt: it cannot be looked up
    afterwards, so it is never run twice (a lost worker leaves it `submitting`, reported)."""
    return asyncio.run(_extract(work))


@app.task(name="docextract.wait", acks_late=True, reject_on_worker_lost=True)
def wait_task(submitted: dict[str, Any]) -> dict[str, Any]:
    """Wait for one created job and return its result (redelivered if its worker dies)."""
    return asyncio.run(_wait(submitted))


def extract_all_celery(
    documents: Sequence[str],
    *,
    provider: str,
    journal: str | None = None,
    resume: bool = False,
    schema: Any = None,
    project_id: str | None = None,
    timeout: str = "10m",
    base_url: str | None = None,
    result_timeout: float | None = None,
    limit: Limit | None = None,
    queue: str | None = None,
    **options: Any,
) -> list[dict[str, Any]]:
    """Each document's outcome (as `docextract batch` writes it), in order, via the workers.

    With a `journal` and `resume`, finished documents are not redone, created jobs are only
    waited for, and documents a crash left uncertain are reported, not resubmitted. `limit`:
    the provider's limits to share instead of its adapter's (docextract.limits.Limit).
    `queue`: the Celery queue the tasks go to (workers started with `-Q` it; default Celery's).
    `result_timeout`: seconds to wait for all the results (else DeadlineExceeded).
    """
    from docextract.batch import _documents, expand
    from docextract.extraction import load_schema
    from docextract.journal import FINISHED, State, params_digest

    names = expand(documents, provider)
    json_schema, _ = load_schema(schema)
    operation = get_provider(provider).extraction.operation
    digest = params_digest(
        {"provider": provider, "schema": json_schema, "project_id": project_id, **options}
    )
    book = Journal(journal) if journal else None
    if book is not None and not resume and len(book):
        from docextract.errors import InvalidParameter

        raise InvalidParameter("journal", journal, "a new journal, or resume=True")
    outcomes: list[Any] = []
    where: list[dict[str, Any]] = []  # each outcome's document, for a task that raised
    try:
        for d in _documents(names, provider, operation, digest):
            work = {
                "provider": provider,
                "document": str(d.source),
                "name": d.name,
                "position": d.position,
                "schema": json_schema,
                "project_id": project_id,
                "timeout": timeout,
                "base_url": base_url,
                "options": options,
                "limit": None if limit is None else attrs.asdict(limit),
                "journal": journal,
                "key": d.key,
                "entry": {
                    "position": d.position,
                    "provider": provider,
                    "operation": operation,
                    "document": d.name,
                    "document_digest": _document_digest(d.name),
                    "params_digest": digest,
                },
            }
            where.append({"document": d.name, "position": d.position})
            entry = book.get(d.key) if book is not None else None
            if entry is not None and entry.state in FINISHED:
                outcomes.append(
                    {"document": d.name, "position": d.position, "state": entry.state.value}
                    | ({"result": entry.result} if entry.state is State.COMPLETED else {})
                    | ({"error": entry.error} if entry.error else {})
                )
            elif entry is not None and entry.state is State.CREATED and entry.job is not None:
                submitted = {"work": work, "job": entry.job.to_json()}
                outcomes.append(wait_task.apply_async((submitted,), queue=queue))
            elif entry is not None and entry.state is State.SUBMITTING:
                outcomes.append(
                    {
                        "document": d.name,
                        "position": d.position,
                        "state": "submitting",
                        "error": "a job may exist: not resubmitted",
                    }
                )
            elif get_provider(provider).synchronous is not None:
                outcomes.append(extract_task.apply_async((work,), queue=queue))
            else:
                steps = submit_task.s(work).set(queue=queue), wait_task.s().set(queue=queue)
                outcomes.append(chain(*steps).apply_async())
    finally:
        if book is not None:
            book.close()
    return _collect(outcomes, where, result_timeout, provider)


RESULT_POLL = 0.25  # seconds between two reads of the pending results


def _collect(
    outcomes: list[Any], where: list[dict[str, Any]], result_timeout: float | None, provider: str
) -> list[dict[str, Any]]:
    """The outcomes in order, the tasks' results read from the backend by polling its stored
    results (one MGET per round), not through its pub/sub messages: Celery's Redis result
    consumer can miss a result published while it subscribes, leaving `get()` waiting until its
    timeout (celery/celery#4039) for a task that has succeeded."""
    from docextract.errors import DeadlineExceeded

    pending = {o.id: o for o in outcomes if not isinstance(o, dict)}
    consumer = getattr(app.backend, "result_consumer", None)
    if consumer is not None:
        for task_id in pending:
            consumer.cancel_for(task_id)  # no pub/sub messages to pile up unread
    found: dict[str, Any] = {}
    try:
        for task_id, meta in app.backend.get_many(
            set(pending), timeout=result_timeout, interval=RESULT_POLL
        ):
            found[task_id] = meta
    except (TimeoutError, CeleryTimeout) as exc:
        missing = len(pending) - len(found)
        cause = TimeoutError(
            f"{missing} of {len(outcomes)} documents' results not back within "
            f"{result_timeout} s (their jobs are in the journal, if one was given)"
        )
        raise DeadlineExceeded(
            provider=provider, operation="extract_all_celery", cause=cause
        ) from exc
    return [
        o if isinstance(o, dict) else _outcome(found[o.id], line)
        for o, line in zip(outcomes, where, strict=True)
    ]


def _outcome(meta: Mapping[str, Any], line: dict[str, Any]) -> dict[str, Any]:
    if meta.get("status") == "SUCCESS":
        return dict(meta["result"])
    error = meta.get("result")  # a task that raised: a bug in the worker, said as it is
    if isinstance(error, Mapping):  # {"exc_type": ..., "exc_message": [args]}
        args = error.get("exc_message")
        text = ", ".join(map(str, args)) if isinstance(args, list | tuple) else str(args)
        message = f"{error.get('exc_type', 'Exception')}: {text}"
    else:
        message = str(error)
    return {
        **line,
        "state": "error",
        "error": {"type": meta.get("status"), "message": str(message)},
    }


def _document_digest(name: str) -> str:
    from docextract.journal import document_digest

    return document_digest(name)
