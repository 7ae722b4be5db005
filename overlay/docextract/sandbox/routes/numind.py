"""NuMind: structured-extraction and NuMarkdown jobs, and the job operations (read, status,
stream, cancel). Statuses: queued, running, then completed, failed or cancelled."""

import math
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import attrs
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from docextract.durations import parse_duration
from docextract.providers import PROVIDERS
from docextract.sandbox import checks, extraction, responses
from docextract.sandbox.checks import Invalid
from docextract.sandbox.config import JSONSchema
from docextract.sandbox.forms import read_form
from docextract.sandbox.jobs import Job, Lifecycle
from docextract.sandbox.responses import dumps, iso, sse
from docextract.sandbox.routing import operation_routes
from docextract.sandbox.state import SandboxState

PROVIDER = "numind"
SPEC = PROVIDERS[PROVIDER]
LIFECYCLE = Lifecycle(
    steps=("queued", "running"),
    extra_steps=("queued", "running"),
    working=frozenset({"running"}),
    ended={
        "completed": "completed",
        "nonconforming": "completed",
        "failed": "failed",
        "cancelled": "cancelled",
    },
)
OWNER = "local-user"
FAILURE = ("The model could not process the document (simulated failure)", "INFERENCE_FAILED")
CANCELLED = ("The job was cancelled", "CANCELLED")
NOT_JSON = {"message": "The model output is not valid JSON", "errorCode": "INVALID_JSON"}
DEFAULT_TIMEOUT = 3600  # seconds: the server's default of 60m
# Documents NuMind reads as images (a PDF's pages, pictures); anything else is read as text.
IMAGE_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")
STRUCTURED, MARKDOWN = "structured-extraction", "markdown"
RESULT = "get_api_structured_extraction_jobs_structuredextractionjobid"


@attrs.frozen
class Work:
    """What a job was given and will answer: `output` once completed; `empty` is the empty
    template a structured extraction answers when it did not complete."""

    job_type: str
    input_data: str
    output: dict[str, Any]
    empty: dict[str, Any] | None = None
    timeout_seconds: int = DEFAULT_TIMEOUT


def routes(state: SandboxState) -> list[Route]:
    return operation_routes(
        state,
        PROVIDER,
        {
            "post_api_structured_extraction_structuredextractionprojectid_jobs": start_extraction,
            "get_api_structured_extraction_jobs_structuredextractionjobid": read_extraction,
            "post_api_markdown_infer_async": start_markdown,
            "get_api_jobs_jobid": read_job,
            "get_api_jobs_jobid_status": read_status,
            "get_api_jobs_jobid_stream": stream_job,
            "post_api_jobs_jobid_cancel": cancel_job,
        },
    )


async def start_extraction(request: Request, state: SandboxState) -> Response:
    operation = SPEC.operation_facts(
        "post_api_structured_extraction_structuredextractionprojectid_jobs"
    )
    try:
        params = checks.parameters(request, operation)
        body = await request.body()
        if not body:
            raise Invalid(("body",), "Field required", "missing")
    except Invalid as problem:
        return responses.invalid(PROVIDER, problem)
    project = params.pop("structuredExtractionProjectId")
    template = state.projects.get(project)
    if template is None:
        return responses.error(PROVIDER, 404, f"No project {project!r}")
    text = extraction.document_text(body)
    nonconforming = state.schedules[PROVIDER].outcome == "nonconforming"
    output = extraction_response(template, text, nonconforming=nonconforming)
    output["documentInfo"] = document_info(body, text, params.get("dpi"))
    output["randomSeed"] = _seed(params.get("randomSeed"), body)
    input_data = dumps({"projectId": project, "documentBytes": len(body), **params})
    timeout = _timeout_seconds(params.get("timeout"))
    work = Work(STRUCTURED, input_data, output, extraction.empty(template), timeout)
    return responses.ok({"jobId": _start(state, work).id})


async def start_markdown(request: Request, state: SandboxState) -> Response:
    operation = SPEC.operation_facts("post_api_markdown_infer_async")
    try:
        params = checks.parameters(request, operation)
        document = checks.form_body(await read_form(request), operation)["file"]
    except Invalid as problem:
        return responses.invalid(PROVIDER, problem)
    text = extraction.document_text(document.data)
    output = markdown_response(text, state.schedules[PROVIDER].outcome == "nonconforming")
    input_data = dumps(
        {"fileName": document.filename, "documentBytes": len(document.data), **params}
    )
    work = Work(
        MARKDOWN, input_data, output, timeout_seconds=_timeout_seconds(params.get("timeout"))
    )
    return responses.ok({"jobId": _start(state, work).id})


async def read_extraction(request: Request, state: SandboxState) -> Response:
    if refused := _refused(request, RESULT):
        return refused
    job = state.find_job(PROVIDER, request.path_params["structuredExtractionJobId"], Work)
    if job is None or job.payload.empty is None:
        return responses.error(PROVIDER, 404, "No structured-extraction job with this ID")
    view = job.view(time.time())
    if view.outcome is None:
        return responses.error(PROVIDER, 409, f"The job has not ended (status: {view.status})")
    if view.completed:
        return responses.ok(job.payload.output, 206 if view.outcome == "nonconforming" else 200)
    message, code = FAILURE if view.outcome == "failed" else CANCELLED
    return responses.ok(
        {
            "result": job.payload.empty,
            "rawModelOutput": "",
            "error": {"message": message, "errorCode": code},
            "outputTokens": 0,
            "inputTokens": 0,
            "totalTokens": 0,
            "logprobs": 0.0,
            "outputTokenProbability": 0.0,
            "randomSeed": job.payload.output.get("randomSeed", 0),
            "isTruncated": False,
        }
    )


async def read_job(request: Request, state: SandboxState) -> Response:
    if refused := _refused(request, "get_api_jobs_jobid"):
        return refused
    job = _job(request, state)
    return responses.ok(job_json(job, full=True)) if job else _unknown()


async def read_status(request: Request, state: SandboxState) -> Response:
    if refused := _refused(request, "get_api_jobs_jobid_status"):
        return refused
    job = _job(request, state)
    return responses.ok(job_json(job, full=False)) if job else _unknown()


async def cancel_job(request: Request, state: SandboxState) -> Response:
    if refused := _refused(request, "post_api_jobs_jobid_cancel"):
        return refused
    job = _job(request, state)
    if job is None:
        return _unknown()
    if job.cancel(time.time()):
        state.wake()
    return responses.ok(job_json(job, full=False))


async def stream_job(request: Request, state: SandboxState) -> Response:
    if refused := _refused(request, "get_api_jobs_jobid_stream"):
        return refused
    job = _job(request, state)
    if job is None:
        return _unknown()
    return responses.event_stream(_events(job, state, fail=state.schedules[PROVIDER].stream_error))


async def _events(job: Job[Work], state: SandboxState, *, fail: bool) -> AsyncIterator[str]:
    """A ping at once and every ping interval while the job runs, then its result."""
    if fail:
        message = "The job stream failed (injected fault)"
        yield sse("error", dumps({"code": "INTERNAL_ERROR", "message": message}))
        return
    next_ping = time.time()
    while not state.stopped.is_set():
        now = time.time()
        if job.view(now).outcome is not None:
            yield sse("result", dumps(job_json(job, full=True)))
            return
        if now >= next_ping:
            yield sse("ping")
            next_ping = now + state.config.ping_interval
        await state.pause(min(next_ping, job.next_change(now) or next_ping))


def job_json(job: Job[Work], *, full: bool) -> dict[str, Any]:
    """A JobResponse (`full`) or a JobStatusResponse."""
    view = job.view(time.time())
    data: dict[str, Any] = {
        "id": job.id,
        "jobType": job.payload.job_type,
        "status": view.status,
        "ownerUser": OWNER,
    }
    if full:
        data["inputData"] = job.payload.input_data
        if view.completed:
            data["outputData"] = dumps(job.payload.output)
    if view.outcome == "failed":
        data["errorMessage"], data["errorCode"] = FAILURE
    data["startedAt"] = iso(view.started if view.started is not None else view.created)
    if view.ended is not None:
        data["completedAt"] = iso(view.ended)
    data["createdAt"] = iso(view.created)
    data["updatedAt"] = iso(view.updated)
    data["timeoutSeconds"] = job.payload.timeout_seconds
    return data


def extraction_response(template: JSONSchema, text: str, *, nonconforming: bool) -> dict[str, Any]:
    """An ExtractionResponse. Non-conforming: the raw output is cut short, and the result keeps
    the fields the cut output still holds (the first half), the others empty."""
    found = extraction.extract(template, text)
    result, raw = found.values, dumps(found.values)
    if nonconforming:
        kept = list(result)[: len(result) // 2]
        result = {
            name: result[name] if name in kept else value
            for name, value in extraction.empty(template).items()
        }
        raw = raw[: len(raw) // 2]
    output_tokens = extraction.tokens(raw)
    input_tokens = extraction.tokens(text) + extraction.tokens(dumps(template))
    logprobs = found.log_likelihood()
    response: dict[str, Any] = {"result": result, "rawModelOutput": raw}
    if nonconforming:
        response["error"] = NOT_JSON
    return response | {
        "outputTokens": output_tokens,
        "inputTokens": input_tokens,
        "totalTokens": input_tokens + output_tokens,
        "logprobs": logprobs,
        "outputTokenProbability": round(math.exp(logprobs / output_tokens), 4),
        "randomSeed": 0,
        "isTruncated": nonconforming,  # the cut-short output stands for one that hit its limit
    }


def document_info(body: bytes, text: str, dpi: str | None) -> dict[str, Any]:
    """NuMind's documentInfo: an ImageInfo for files read as images, a TextInfo for text."""
    document_id = str(uuid.uuid5(uuid.NAMESPACE_OID, f"document:{len(body)}:{text[:64]}"))
    file_id = str(uuid.uuid5(uuid.NAMESPACE_OID, f"file:{document_id}"))
    if not body.startswith(IMAGE_MAGIC):
        return {"documentId": document_id, "fileId": file_id, "text": text, "type": "text"}
    info: dict[str, Any] = {
        "documentId": document_id,
        "fileId": file_id,
        "fileName": "document",  # the body is raw bytes: no name comes with it
        "partCount": max(1, len(extraction.pages(text))),
        "type": "image",
    }
    if dpi is not None and dpi.isdigit():
        info["dpi"] = int(dpi)
    return info


def _seed(given: str | None, body: bytes) -> int:
    """The seed the inference ran with: the given one, else one drawn for it."""
    if given is not None and given != "random":
        return int(given)
    return int.from_bytes(uuid.uuid5(uuid.NAMESPACE_OID, str(len(body))).bytes[:4], "big")


def _timeout_seconds(duration: str | None) -> int:
    if duration is None:
        return DEFAULT_TIMEOUT
    return max(1, math.ceil(parse_duration(duration).total_seconds()))


def markdown_response(text: str, nonconforming: bool) -> dict[str, Any]:
    """A MarkdownResponse; non-conforming: no thinking trace (the raw output holds it all)."""
    result, trace = extraction.markdown(text)
    raw = f"<think>{trace}</think>\n{result}"
    output_tokens, input_tokens = extraction.tokens(raw), extraction.tokens(text)
    response: dict[str, Any] = {"result": result}
    if not nonconforming:
        response["thinkingTrace"] = trace
    return response | {
        "rawModelOutput": raw,
        "outputTokens": output_tokens,
        "inputTokens": input_tokens,
        "totalTokens": input_tokens + output_tokens,
        "logprobs": round(-0.02 * output_tokens, 4),
        "outputTokenProbability": round(math.exp(-0.02), 4),
    }


def _start(state: SandboxState, work: Work) -> Job[Work]:
    schedule = state.schedules[PROVIDER]
    job = Job(str(uuid.uuid4()), LIFECYCLE, LIFECYCLE.plan(schedule), schedule.outcome, work)
    return state.add_job(PROVIDER, job)


def _refused(request: Request, operation: str) -> Response | None:
    """NuMind's 400 for a query parameter the operation does not have (or a bad value)."""
    try:
        checks.parameters(request, SPEC.operation_facts(operation))
    except Invalid as problem:
        return responses.invalid(PROVIDER, problem)
    return None


def _job(request: Request, state: SandboxState) -> Job[Work] | None:
    return state.find_job(PROVIDER, request.path_params["jobId"], Work)


def _unknown() -> Response:
    return responses.error(PROVIDER, 404, "No job with this ID")
