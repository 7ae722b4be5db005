"""Contextual AI: extraction jobs (start, optionally as an event stream; status; results).
Statuses: pending, processing (retrying, processing again: optional), then completed, failed or
cancelled. At most 5 active jobs; more answer 429.

Documents and schemas are created elsewhere: every UUID but the nil one names a document (an
invoice derived from the UUID) and a schema (a configured template, else the invoice schema).
The schema's top-level fields are extracted in subtrees of SUBTREE_FIELDS; a subtree is done once
the work is past its share, and a job that does not complete fails on the subtrees not yet done.
"""

import math
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import attrs
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from docextract.providers import PROVIDERS
from docextract.sandbox import checks, extraction, responses
from docextract.sandbox.checks import Invalid
from docextract.sandbox.config import INVOICE
from docextract.sandbox.jobs import Job, JobView, Lifecycle
from docextract.sandbox.responses import dumps, iso, sse
from docextract.sandbox.routing import operation_routes
from docextract.sandbox.state import SandboxState

PROVIDER = "contextual"
SPEC = PROVIDERS[PROVIDER]
LIFECYCLE = Lifecycle(
    steps=("pending", "processing"),
    extra_steps=("pending", "processing", "retrying", "processing"),
    working=frozenset({"processing"}),
    ended={
        "completed": "completed",
        "nonconforming": "completed",
        "failed": "failed",
        "cancelled": "cancelled",
    },
)
CURRENT_STEP = {"pending": "queued", "processing": "extraction", "retrying": "retrying"}
MAX_ACTIVE_JOBS = 5
SUBTREE_FIELDS = 3
DEFAULT_MODEL = "gemini-2.5-flash"
USD_PER_TOKEN = 3e-7
NIL = uuid.UUID(int=0)


@attrs.frozen
class Work:
    """A job's extraction, computed at its start, and how it is split into subtrees."""

    found: extraction.Extraction
    subtrees: tuple[tuple[str, ...], ...]
    model: str
    attributions: bool
    input_tokens: int

    @property
    def total_fields(self) -> int:
        return sum(map(len, self.subtrees))

    def subtrees_done(self, view: JobView) -> int:
        count = len(self.subtrees)
        if view.completed:
            return count
        return sum(1 for index in range(count) if (index + 1) / count < view.progress)


def routes(state: SandboxState) -> list[Route]:
    return operation_routes(
        state,
        PROVIDER,
        {
            "start_extraction_job_extract_jobs_post": start_job,
            "get_extraction_job_status_extract_jobs__job_id__get": job_status,
            "get_extraction_job_results_extract_jobs__job_id__results_get": job_results,
        },
    )


async def start_job(request: Request, state: SandboxState) -> Response:
    operation = SPEC.operation_facts("start_extraction_job_extract_jobs_post")
    try:
        checks.parameters(request, operation)  # it has none: any query parameter is refused
        data = checks.json_body(await request.body(), operation, forbid_extra=True)
    except Invalid as problem:
        if problem.type == "uuid_parsing":
            return responses.error(PROVIDER, 400, f"{problem.loc[-1]} is not a valid UUID")
        return responses.invalid(PROVIDER, problem)
    document_id, schema_id = uuid.UUID(data["document_id"]), uuid.UUID(data["schema_id"])
    if document_id == NIL:
        return responses.error(PROVIDER, 404, f"Document {document_id} not found")
    if schema_id == NIL:
        return responses.error(PROVIDER, 404, f"Schema {schema_id} not found")
    active = state.active_jobs(PROVIDER)
    if len(active) >= MAX_ACTIVE_JOBS:
        wait = max(1, math.ceil(min(job.planned_end for job in active) - time.time()))
        message = f"Concurrency limit exceeded: at most {MAX_ACTIVE_JOBS} active extraction jobs"
        return responses.error(PROVIDER, 429, message, {"Retry-After": str(wait)})
    job = state.add_job(PROVIDER, _job(data, document_id, schema_id, state))
    if data.get("stream"):
        return responses.event_stream(_events(job, state))
    return responses.ok(
        {
            "job_id": job.id,
            "status": job.view(time.time()).status,
            "created_at": iso(job.created),
            "estimated_completion": iso(job.planned_end),
        }
    )


async def job_status(request: Request, state: SandboxState) -> Response:
    job = _find(request, state, "get_extraction_job_status_extract_jobs__job_id__get")
    if isinstance(job, Response):
        return job
    view, work = job.view(time.time()), job.payload
    done = work.subtrees_done(view)
    return responses.ok(
        {
            "job_id": job.id,
            "status": view.status,
            "completion_percentage": 100.0 if view.completed else round(view.progress * 100, 1),
            "current_step": CURRENT_STEP.get(view.status),
            "fields_processed": sum(map(len, work.subtrees[:done])),
            "total_fields": work.total_fields,
        }
    )


async def job_results(request: Request, state: SandboxState) -> Response:
    job = _find(request, state, "get_extraction_job_results_extract_jobs__job_id__results_get")
    if isinstance(job, Response):
        return job
    view, work = job.view(time.time()), job.payload
    if not view.completed:
        return responses.error(PROVIDER, 404, f"No results: the job is {view.status}")
    output_tokens = extraction.tokens(dumps(work.found.values))
    working = sum(seconds for name, seconds in job.plan if name in LIFECYCLE.working)
    return responses.ok(
        {
            "results": work.found.values,
            "metadata": {
                "model": work.model,
                "processing_time_seconds": round(working, 3),
                "total_cost_usd": round((work.input_tokens + output_tokens) * USD_PER_TOKEN, 6),
                "input_tokens": work.input_tokens,
                "output_tokens": output_tokens,
            },
            "attributions": _attributions(work, work.found.values) if work.attributions else None,
        }
    )


async def _events(job: Job[Work], state: SandboxState) -> AsyncIterator[str]:
    """`start`, then a `subtree_result` as each subtree is done; once the job has ended, a
    `subtree_error` for each subtree left."""
    work = job.payload
    start = {"job_id": job.id, "total_subtrees": len(work.subtrees), "start_time": iso(job.created)}
    yield sse("start", dumps(start))
    sent = 0
    while sent < len(work.subtrees) and not state.stopped.is_set():
        view = job.view(time.time())
        done = work.subtrees_done(view)
        for index in range(sent, done):
            yield sse("subtree_result", dumps(_subtree(work, index)))
        sent = max(sent, done)
        if view.outcome is not None:
            for _ in range(sent, len(work.subtrees)):
                error = {"error_message": f"The job is {view.status}", "error_type": view.status}
                yield sse("subtree_error", dumps(error))
            return
        due = job.when_progress((sent + 1) / len(work.subtrees))
        await state.pause(due + 0.001)


def _job(
    data: dict[str, Any], document_id: uuid.UUID, schema_id: uuid.UUID, state: SandboxState
) -> Job[Work]:
    schema = state.projects.get(str(schema_id), INVOICE)
    text = extraction.synthetic_invoice(document_id)
    names = extraction.field_names(schema)
    subtrees = [
        tuple(names[at : at + SUBTREE_FIELDS]) for at in range(0, len(names), SUBTREE_FIELDS)
    ]
    config = data.get("config") or {}
    work = Work(
        found=extraction.extract(schema, text),
        subtrees=tuple(subtrees) or ((),),
        model=config.get("model", DEFAULT_MODEL),
        attributions=bool(config.get("per_key_attribution")),
        input_tokens=extraction.tokens(text) + extraction.tokens(dumps(schema)),
    )
    schedule = state.schedules[PROVIDER]
    return Job(str(uuid.uuid4()), LIFECYCLE, LIFECYCLE.plan(schedule), schedule.outcome, work)


def _subtree(work: Work, index: int) -> dict[str, Any]:
    values = {name: work.found.values[name] for name in work.subtrees[index]}
    output_tokens = extraction.tokens(dumps(values))
    input_tokens = work.input_tokens // len(work.subtrees)
    return {
        "extracted_result": values,
        "attributions": _attributions(work, values) if work.attributions else None,
        "usage_metadata": {
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cost_usd": round((input_tokens + output_tokens) * USD_PER_TOKEN, 6),
        },
    }


def _attributions(work: Work, values: dict[str, Any]) -> dict[str, Any]:
    """Why each field of `values` that was found has its value."""
    return {
        finding.path[0]: {
            "reasoning": f"Read from the line {finding.line!r}.",
            "confidence": finding.confidence,
            "pages": [finding.page],
        }
        for finding in work.found.findings
        if finding.path[0] in values
    }


def _find(request: Request, state: SandboxState, operation: str) -> Job[Work] | Response:
    """The job the path names, or the answer saying why there is none (422, 404)."""
    try:
        checks.parameters(request, SPEC.operation_facts(operation))
    except Invalid as problem:
        return responses.invalid(PROVIDER, problem)
    job = state.find_job(PROVIDER, str(uuid.UUID(request.path_params["job_id"])), Work)
    return job or responses.error(PROVIDER, 404, "Extraction job not found")
