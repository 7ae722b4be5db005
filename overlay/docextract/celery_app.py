"""Past one machine: the batch's submit and wait as Celery tasks (`pip install docextract[celery]`).

    # each worker machine (keys from its own environment, never from the broker):
    DOCEXTRACT_BROKER_URL=redis://broker:6379/0 LLAMA_CLOUD_API_KEY=... \\
        celery -A docextract.celery_app worker --concurrency 4
    # the client:
    results = extract_all_celery(paths, provider="llamacloud", schema=..., journal="b.sqlite")

Per document, a `docextract.submit` task creates the job (journaled before its creating
request goes out and once it exists), then a `docextract.wait` task waits for it and returns
the result as JSON (to the result backend, and to the journal). Job creation is paced per
provider and per API key through Redis (docextract.redis_limits), shared by every worker.

A submit task is never run twice: it is acknowledged on receipt, so a worker lost mid-creation
leaves its document `submitting` (uncertain) rather than creating a second job. A wait task is
acknowledged when it ends and redelivered if its worker dies: waiting again is harmless.
Documents are paths the workers can read or provider-side IDs; the journal is a path the
workers can write (one machine, or storage they share).
"""

import asyncio
import os
from collections.abc import Mapping, Sequence
from typing import Any

from celery import Celery, chain

from docextract.bulk import Bulk, Item, _planner
from docextract.errors import DocExtractError
from docextract.jobs import Job
from docextract.journal import Journal
from docextract.providers import get_provider

BROKER_ENV = "DOCEXTRACT_BROKER_URL"
BACKEND_ENV = "DOCEXTRACT_RESULT_BACKEND"
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"

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


def _error(error: BaseException) -> dict[str, Any]:
    return {
        "type": type(error).__name__,
        "message": str(error),
        "job_id": getattr(error, "job_id", None),
    }


async def _bulk(work: Mapping[str, Any]) -> tuple[Bulk, Any, Any]:
    """A Bulk for one document, its pace shared through the broker's Redis."""
    import redis.asyncio

    from docextract.clients import client
    from docextract.redis_limits import RedisLimiter, key_scope
    from docextract.scheduler import Scheduler

    provider = work["provider"]
    http = client(provider, **({"base_url": work["base_url"]} if work.get("base_url") else {}))
    shared = redis.asyncio.Redis.from_url(redis_url(str(app.conf.broker_url)))
    limit = get_provider(provider).capabilities.submissions
    limiter = RedisLimiter(shared, provider, limit, scope=key_scope(http.token))
    scheduler = Scheduler(limiters={provider: limiter})
    options = dict(work.get("options") or {})
    plan = _planner(provider, work.get("schema"), work.get("project_id"), work["timeout"], options)
    wait_options = {"timeout": work["timeout"], "mode": options.get("mode", "auto")}
    return Bulk(provider, http, scheduler, plan, wait_options), http, limiter


def _journal(work: Mapping[str, Any]) -> Journal | None:
    return Journal(work["journal"]) if work.get("journal") else None


async def _submit(work: dict[str, Any]) -> dict[str, Any]:
    bulk, http, limiter = await _bulk(work)
    journal = _journal(work)
    creating = False

    def before_create() -> None:
        nonlocal creating
        creating = True
        if journal is not None:
            journal.submitting(work["key"], **work["entry"])

    try:
        job = await bulk.submit(work["document"], before_create)
        if journal is not None:
            journal.created(work["key"], job)
        return {"work": work, "job": job.to_json()}
    except DocExtractError as exc:
        if journal is not None:
            journal.failed(work["key"], exc, job_exists=False, creating=creating)
        return {"work": work, "error": _error(exc)}
    finally:
        await limiter.settle()
        await limiter.redis.aclose()
        await http.get_async_httpx_client().aclose()
        if journal is not None:
            journal.close()


async def _wait(submitted: dict[str, Any]) -> dict[str, Any]:
    from docextract.extraction import result_json

    work = submitted["work"]
    line: dict[str, Any] = {"document": work["name"], "position": work["position"]}
    if "error" in submitted:
        return {**line, "state": "error", "error": submitted["error"]}
    job = Job.from_json(submitted["job"])
    bulk, http, limiter = await _bulk(work)
    try:
        finished = await bulk.extract(Item(0, work["document"], job), _nothing, _nothing)
    finally:
        await limiter.redis.aclose()
        await http.get_async_httpx_client().aclose()
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


def _nothing(*_: Any) -> None:
    return None


@app.task(name="docextract.submit", acks_late=False)
def submit_task(work: dict[str, Any]) -> dict[str, Any]:
    """Create one document's job; acknowledged on receipt, so never run twice."""
    return asyncio.run(_submit(work))


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
    **options: Any,
) -> list[dict[str, Any]]:
    """Each document's outcome (as `docextract batch` writes it), in order, via the workers.

    With a `journal` and `resume`, finished documents are not redone, created jobs are only
    waited for, and documents a crash left uncertain are reported, not resubmitted.
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
            entry = book.get(d.key) if book is not None else None
            if entry is not None and entry.state in FINISHED:
                outcomes.append(
                    {"document": d.name, "position": d.position, "state": entry.state.value}
                    | ({"result": entry.result} if entry.state is State.COMPLETED else {})
                    | ({"error": entry.error} if entry.error else {})
                )
            elif entry is not None and entry.state is State.CREATED and entry.job is not None:
                submitted = {"work": work, "job": entry.job.to_json()}
                outcomes.append(wait_task.apply_async((submitted,)))
            elif entry is not None and entry.state is State.SUBMITTING:
                outcomes.append(
                    {
                        "document": d.name,
                        "position": d.position,
                        "state": "submitting",
                        "error": "a job may exist: not resubmitted",
                    }
                )
            else:
                outcomes.append(chain(submit_task.s(work), wait_task.s()).apply_async())
    finally:
        if book is not None:
            book.close()
    return [o if isinstance(o, dict) else o.get(timeout=result_timeout) for o in outcomes]


def _document_digest(name: str) -> str:
    from docextract.journal import document_digest

    return document_digest(name)
