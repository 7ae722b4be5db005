"""Submit, look at, cancel and wait for jobs, for every asynchronous operation.

    job = submit("llamacloud", "extract", client=c, document="a.pdf", data_schema={...})
    result = wait(job, client=c, timeout="5m")              # or, from a new process:
    result = wait("llamacloud", "ext-...", client=c)

Every function has an `_async` twin; both run the same core (docextract.waiting). Every error
raised once a job exists names its ID.
"""

import asyncio
import json
import time
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs

from docextract.documents import is_local_document, read_document
from docextract.drivers import run_async, run_sync
from docextract.durations import DurationLike, format_duration, to_seconds, to_timedelta
from docextract.errors import InvalidParameter
from docextract.lifecycles import (
    Lifecycle,
    Request,
    Snapshot,
    job_uuid,
    lifecycle_of,
    parse_timestamp,
)
from docextract.waiting import (
    Action,
    Fetch,
    JobProgress,
    Outcome,
    PollPolicy,
    Run,
    Waiting,
    stream_submission_steps,
    wait_steps,
)

MODES = ("auto", "poll", "stream")


@attrs.frozen
class Job:
    """A job the provider created. `operation` may be None for a job resumed from its ID."""

    provider: str
    operation: str | None
    id: str
    created_at: datetime | None = None
    estimated_completion: datetime | None = None

    def to_json(self) -> str:
        """The job as JSON, to resume it in any process (`Job.from_json`)."""
        return json.dumps(
            {
                "provider": self.provider,
                "operation": self.operation,
                "id": self.id,
                "created_at": _iso(self.created_at),
                "estimated_completion": _iso(self.estimated_completion),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> "Job":
        try:
            data = json.loads(text)
            job = cls(
                provider=str(data["provider"]),
                operation=None if data.get("operation") is None else str(data["operation"]),
                id=str(data["id"]),
                created_at=parse_timestamp(data.get("created_at")),
                estimated_completion=parse_timestamp(data.get("estimated_completion")),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidParameter("job", text[:200], f"a Job's JSON ({exc})") from None
        if not job.id:
            raise InvalidParameter("job", text[:200], "a Job's JSON with its ID")
        lifecycle_of(job.provider)  # checks the provider
        return job


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# ---------------------------------------------------------------- submit


@attrs.frozen
class _Submission:
    """A planned submission: an optional upload (LlamaCloud), then the creating request."""

    provider: str
    operation: str
    create: Callable[[str | None], Request]  # given the uploaded file's ID, if any
    upload: Request | None = None
    create_streaming: Request | None = None  # a creating request that streams progress


def _take(params: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Keyword arguments for a generated function: the given, non-None ones."""
    return {n: params.pop(n) for n in names if params.get(n) is not None}


def _no_leftovers(operation: str, params: Mapping[str, Any]) -> None:
    if params:
        raise InvalidParameter(", ".join(sorted(params)), None, f"not a parameter of {operation}")


def _numind_timeout(params: dict[str, Any]) -> dict[str, Any]:
    """NuMind's own `timeout` query parameter: `timeout` in submit(); `job_timeout` where
    `timeout` is already the wait's budget (submit_and_wait, extract)."""
    name = "job_timeout" if params.get("job_timeout") is not None else "timeout"
    value = params.pop(name, None)
    params.pop("job_timeout", None)
    if value is None:
        return {}
    return {"timeout": format_duration(to_timedelta(value, name=name))}


NUMIND_COMMON = ("temperature", "rasterization_dpi", "max_output_tokens")


def _numind_structured(params: dict[str, Any]) -> _Submission:
    from numind_client.types import File

    document = read_document(params.pop("document", None))
    project_id = params.pop("project_id", None)
    if not project_id:
        raise InvalidParameter("project_id", project_id, "the structured extraction project's ID")
    query = _take(
        params,
        (
            *NUMIND_COMMON,
            "max_example_token_number",
            "max_example_number",
            "min_example_similarity",
        ),
    )
    query.update(_numind_timeout(params))
    _no_leftovers("numind structured", params)
    request = Request(
        "post_api_structured_extraction_structuredextractionprojectid_jobs",
        {"structured_extraction_project_id": project_id, "body": document.as_file(File), **query},
    )
    return _Submission("numind", "structured", lambda _: request)


def _numind_markdown(params: dict[str, Any]) -> _Submission:
    from numind_client.models import PostApiMarkdownInferAsyncBody
    from numind_client.types import File

    document = read_document(params.pop("document", None))
    query = _take(params, NUMIND_COMMON)
    query.update(_numind_timeout(params))
    _no_leftovers("numind markdown", params)
    body = PostApiMarkdownInferAsyncBody(file=document.as_file(File))
    request = Request("post_api_markdown_infer_async", {"body": body, **query})
    return _Submission("numind", "markdown", lambda _: request)


def _llamacloud_extract(params: dict[str, Any]) -> _Submission:
    from llamacloud_client.models import (
        ExtractConfiguration,
        ExtractV2JobCreate,
        FilePurpose,
        FileUploadForm,
    )
    from llamacloud_client.types import File

    source = params.pop("document", None)
    configuration = params.pop("configuration", None)
    data_schema = params.pop("data_schema", None)
    configuration_id = params.pop("configuration_id", None)
    if data_schema is not None:
        configuration = {**(configuration or {}), "data_schema": data_schema}
    if (configuration is None) == (configuration_id is None):
        raise InvalidParameter(
            "configuration",
            configuration,
            "exactly one of configuration/data_schema or configuration_id",
        )
    scope = _take(params, ("project_id", "organization_id"))
    _no_leftovers("llamacloud extract", params)
    inline = (
        ExtractConfiguration.from_dict(configuration)
        if isinstance(configuration, Mapping)
        else configuration
    )
    upload = None
    if is_local_document(source):
        form = FileUploadForm(
            file=read_document(source).as_file(File), purpose=FilePurpose("extract")
        )
        upload = Request("upload_file", {"body": form, **scope})
    elif not isinstance(source, str) or not source:
        raise InvalidParameter("document", source, "a path, bytes, or a LlamaCloud file ID")

    def create(file_id: str | None) -> Request:
        body = ExtractV2JobCreate(document_input_value=file_id or str(source))
        if inline is not None:
            body.configuration = inline
        else:
            body.configuration_id = configuration_id
        return Request("create_extract_job", {"body": body, **scope})

    return _Submission("llamacloud", "extract", create, upload)


def _contextual_extract(params: dict[str, Any]) -> _Submission:
    from contextual_client.models import ExtractConfig, ExtractJobRequest

    document_id = params.pop("document_id", None) or params.pop("document", None)
    schema_id = params.pop("schema_id", None)
    config = params.pop("config", None)
    _no_leftovers("contextual extract", params)
    if not isinstance(document_id, str) or not isinstance(schema_id, str):
        raise InvalidParameter(
            "document_id/schema_id",
            (document_id, schema_id),
            "the UUIDs of an uploaded document and a schema",
        )
    body = ExtractJobRequest(
        document_id=_uuid("document_id", document_id), schema_id=_uuid("schema_id", schema_id)
    )
    if config is not None:
        body.config = ExtractConfig.from_dict(config) if isinstance(config, Mapping) else config
    request = Request("start_extraction_job_extract_jobs_post", {"body": body})
    streaming = ExtractJobRequest.from_dict({**body.to_dict(), "stream": True})
    return _Submission(
        "contextual",
        "extract",
        lambda _: request,
        create_streaming=Request("start_extraction_job_extract_jobs_post", {"body": streaming}),
    )


PLANNERS: dict[tuple[str, str], Callable[[dict[str, Any]], _Submission]] = {
    ("numind", "structured"): _numind_structured,
    ("numind", "markdown"): _numind_markdown,
    ("llamacloud", "extract"): _llamacloud_extract,
    ("contextual", "extract"): _contextual_extract,
}


def _plan(provider: str, operation: str, params: dict[str, Any]) -> _Submission:
    planner = PLANNERS.get((provider, operation))
    if planner is None:
        choices = ", ".join(f"{p} {o}" for p, o in PLANNERS)
        raise InvalidParameter("operation", f"{provider} {operation}", f"one of: {choices}")
    return planner(params)


def _uuid(name: str, value: str) -> Any:
    try:
        return job_uuid(value)
    except InvalidParameter:
        raise InvalidParameter(name, value, "a UUID") from None


def _job(submission: _Submission, parsed: Any) -> Job:
    job_id = getattr(parsed, "job_id", None) or getattr(parsed, "id", None)
    created = parse_timestamp(getattr(parsed, "created_at", None)) or datetime.now(UTC)
    return Job(
        provider=submission.provider,
        operation=submission.operation,
        id=str(job_id),
        created_at=created,
        estimated_completion=parse_timestamp(getattr(parsed, "estimated_completion", None)),
    )


def _submit_steps(
    submission: _Submission, budget: Callable[[], float | None] = lambda: None
) -> Generator[Action, Any, Job]:
    file_id = None
    if submission.upload is not None:
        file_id = str((yield Fetch(submission.upload, budget())).parsed.id)
    created = yield Fetch(submission.create(file_id), budget())
    return _job(submission, created.parsed)


def submit(provider: str, operation: str, *, client: Any, **params: Any) -> Job:
    """Create a job: numind `structured`/`markdown`, llamacloud `extract`, contextual `extract`.

    numind: document (path or bytes), project_id (structured), temperature, rasterization_dpi,
        max_output_tokens, max_example_token_number, max_example_number, min_example_similarity,
        timeout or job_timeout (a duration, sent as the provider's duration string).
    llamacloud: document (path or bytes, uploaded first; or a file ID), configuration (dict) or
        data_schema or configuration_id, project_id, organization_id.
    contextual: document_id, schema_id (UUIDs), config (dict).
    """
    submission = _plan(provider, operation, dict(params))
    job: Job = run_sync(_submit_steps(submission), Run(provider), client)
    return job


async def submit_async(provider: str, operation: str, *, client: Any, **params: Any) -> Job:
    submission = _plan(provider, operation, dict(params))
    job: Job = await run_async(_submit_steps(submission), Run(provider), client)
    return job


# ---------------------------------------------------------------- status and cancel


def _resolve(job_or_provider: Job | str, job_id: str | None) -> Job:
    if isinstance(job_or_provider, Job):
        return job_or_provider
    if not job_id:
        raise InvalidParameter("job_id", job_id, "a job ID when the first argument is a provider")
    lifecycle_of(job_or_provider)  # checks the provider
    return Job(provider=job_or_provider, operation=None, id=job_id)


def _status_steps(lifecycle: Lifecycle, job: Job) -> Generator[Action, Any, Snapshot]:
    response = yield Fetch(lifecycle.status_request(job.id))
    return lifecycle.snapshot(response.parsed)


def _cancel_steps(lifecycle: Lifecycle, job: Job) -> Generator[Action, Any, Any]:
    request = lifecycle.cancel_request(job.id)
    if request is None:
        raise InvalidParameter("provider", job.provider, "a provider whose jobs can be cancelled")
    return (yield Fetch(request)).parsed


def status(job: Job | str, job_id: str | None = None, *, client: Any) -> Snapshot:
    """One look at the job, no waiting."""
    job = _resolve(job, job_id)
    snapshot: Snapshot = run_sync(
        _status_steps(lifecycle_of(job.provider), job), Run(job.provider, job.id), client
    )
    return snapshot


async def status_async(job: Job | str, job_id: str | None = None, *, client: Any) -> Snapshot:
    job = _resolve(job, job_id)
    snapshot: Snapshot = await run_async(
        _status_steps(lifecycle_of(job.provider), job), Run(job.provider, job.id), client
    )
    return snapshot


def cancel(job: Job | str, job_id: str | None = None, *, client: Any) -> Any:
    """Ask the provider to cancel the job; returns its answer (the job's new state)."""
    job = _resolve(job, job_id)
    return run_sync(
        _cancel_steps(lifecycle_of(job.provider), job), Run(job.provider, job.id), client
    )


async def cancel_async(job: Job | str, job_id: str | None = None, *, client: Any) -> Any:
    job = _resolve(job, job_id)
    steps = _cancel_steps(lifecycle_of(job.provider), job)
    return await run_async(steps, Run(job.provider, job.id), client)


# ---------------------------------------------------------------- wait


def _waiting(
    job: Job,
    timeout: DurationLike,
    mode: str,
    on_progress: Callable[[JobProgress], None] | None,
    cancel_on_timeout: bool,
    poll: PollPolicy | None,
    clock: Callable[[], float] | None,
) -> Waiting:
    if mode not in MODES:
        raise InvalidParameter("mode", mode, "one of " + ", ".join(MODES))
    lifecycle = lifecycle_of(job.provider)
    return Waiting(
        provider=lifecycle.provider,
        lifecycle=lifecycle,
        job_id=job.id,
        operation=job.operation,
        timeout=to_seconds(timeout, name="timeout"),
        clock=clock or time.monotonic,
        policy=poll or PollPolicy(),
        mode=mode,
        on_progress=on_progress,
        cancel_on_timeout=cancel_on_timeout,
        eta=job.estimated_completion,
    )


def wait_outcome(
    job: Job | str,
    job_id: str | None = None,
    *,
    client: Any,
    timeout: DurationLike = "10m",
    mode: str = "auto",
    on_progress: Callable[[JobProgress], None] | None = None,
    cancel_on_timeout: bool = False,
    poll: PollPolicy | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Outcome:
    """`wait`, returning also the final snapshot and the number of requests made."""
    w = _waiting(_resolve(job, job_id), timeout, mode, on_progress, cancel_on_timeout, poll, clock)
    outcome: Outcome = run_sync(wait_steps(w), w, client, sleep or time.sleep)
    return outcome


async def wait_outcome_async(
    job: Job | str,
    job_id: str | None = None,
    *,
    client: Any,
    timeout: DurationLike = "10m",
    mode: str = "auto",
    on_progress: Callable[[JobProgress], None] | None = None,
    cancel_on_timeout: bool = False,
    poll: PollPolicy | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], Any] | None = None,
) -> Outcome:
    w = _waiting(_resolve(job, job_id), timeout, mode, on_progress, cancel_on_timeout, poll, clock)
    outcome: Outcome = await run_async(wait_steps(w), w, client, sleep or asyncio.sleep)
    return outcome


def _submit_and_wait_steps(
    submission: _Submission, w: Waiting
) -> Generator[Action, Any, tuple[Job, Outcome]]:
    if w.mode in ("auto", "stream") and submission.create_streaming is not None:
        outcome = yield from stream_submission_steps(w, submission.create_streaming)
        return Job(submission.provider, submission.operation, w.job_id), outcome
    job = yield from _submit_steps(submission, w.remaining)
    w.job_id, w.operation = job.id, job.operation
    w.set_eta(job.estimated_completion)
    return job, (yield from wait_steps(w))


def _waiting_for_new(provider: str, operation: str, options: dict[str, Any]) -> Waiting:
    job = Job(provider, operation, "")  # its ID is known once the provider created it
    return _waiting(
        job,
        options.pop("timeout", "10m"),
        options.pop("mode", "auto"),
        options.pop("on_progress", None),
        options.pop("cancel_on_timeout", False),
        options.pop("poll", None),
        options.pop("clock", None),
    )


WAIT_OPTIONS = ("timeout", "mode", "on_progress", "cancel_on_timeout", "poll", "clock", "sleep")


def submit_and_wait(
    provider: str, operation: str, *, client: Any, **params: Any
) -> tuple[Job, Outcome]:
    """`submit` then `wait` as one run under one total `timeout` (the wait options of `wait`).

    Where the provider streams from creation (Contextual), mode "auto"/"stream" uses it.
    """
    options = {k: params.pop(k) for k in WAIT_OPTIONS if k in params}
    sleep = options.pop("sleep", None) or time.sleep
    submission = _plan(provider, operation, params)
    w = _waiting_for_new(provider, operation, options)
    result: tuple[Job, Outcome] = run_sync(_submit_and_wait_steps(submission, w), w, client, sleep)
    return result


async def submit_and_wait_async(
    provider: str, operation: str, *, client: Any, **params: Any
) -> tuple[Job, Outcome]:
    options = {k: params.pop(k) for k in WAIT_OPTIONS if k in params}
    sleep = options.pop("sleep", None) or asyncio.sleep
    submission = _plan(provider, operation, params)
    w = _waiting_for_new(provider, operation, options)
    steps = _submit_and_wait_steps(submission, w)
    result: tuple[Job, Outcome] = await run_async(steps, w, client, sleep)
    return result


def wait(job: Job | str, job_id: str | None = None, *, client: Any, **options: Any) -> Any:
    """Wait until the job ends; return the provider's typed result.

    NuMind: ExtractionResponse or MarkdownResponse (decoded from the job's outputData);
    LlamaCloud: the completed ExtractV2Job; Contextual: ExtractJobResultsResponse.
    Raises JobFailed, JobCancelled, JobTimeout (all with the job's ID).

    timeout: total and hard (default 10m). mode: "auto" (stream where the provider offers it),
    "stream", or "poll". on_progress: called with JobProgress on each change.
    cancel_on_timeout: cancel the job before raising JobTimeout, where the provider can.
    """
    return wait_outcome(job, job_id, client=client, **options).result


async def wait_async(
    job: Job | str, job_id: str | None = None, *, client: Any, **options: Any
) -> Any:
    return (await wait_outcome_async(job, job_id, client=client, **options)).result


async def wait_all_async(jobs: Sequence[Job], **options: Any) -> list[Any]:
    """Wait for many jobs at once; see docextract.scheduler (where it lives)."""
    from docextract import scheduler  # it builds on this module

    return await scheduler.wait_all_async(jobs, **options)
