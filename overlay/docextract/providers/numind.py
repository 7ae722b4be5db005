"""NuMind: NuExtract structured extraction and NuMarkdown, as jobs with an event stream.

Statuses are free strings: `completed` is success; failed/error/cancelled end the job. The
result is the job's `outputData`, a JSON text decoded into ExtractionResponse or
MarkdownResponse.
"""

import json
from datetime import timedelta
from typing import Any

from docextract.documents import read_document
from docextract.durations import format_duration, to_timedelta
from docextract.errors import InvalidParameter, InvalidResponse
from docextract.lifecycles import (
    Lifecycle,
    Phase,
    Request,
    Snapshot,
    StreamSignal,
    Submission,
    value_of,
)
from docextract.providers.adapter import (
    Capabilities,
    Extraction,
    Provider,
    Summary,
    no_leftovers,
    plain,
    take,
)

NAME = "numind"
STRUCTURED = "post_api_structured_extraction_structuredextractionprojectid_jobs"
MARKDOWN = "post_api_markdown_infer_async"
JOB = "get_api_jobs_jobid"


class NuMindJobs(Lifecycle):
    """Status from the status endpoint, the result from the job, progress from its stream."""

    provider = NAME
    FAILED = frozenset({"failed", "error"})
    CANCELLED = frozenset({"cancelled", "canceled"})

    def status_request(self, job_id: str) -> Request:
        return Request("get_api_jobs_jobid_status", {"job_id": job_id})

    def snapshot(self, model: Any) -> Snapshot:
        status = str(model.status)
        lowered = status.lower()
        if lowered == "completed":
            phase = Phase.SUCCEEDED
        elif lowered in self.FAILED:
            phase = Phase.FAILED
        elif lowered in self.CANCELLED:
            phase = Phase.CANCELLED
        else:
            phase = Phase.RUNNING
        return Snapshot(
            status=status,
            phase=phase,
            message=value_of(model.error_message),
            error_code=value_of(model.error_code),
            model=model,
        )

    def result_request(self, job_id: str, snapshot: Snapshot) -> Request | None:
        # a stream's `result` event carries the whole JobResponse, output included
        if value_of(getattr(snapshot.model, "output_data", None)) is not None:
            return None
        return Request(JOB, {"job_id": job_id})

    def result(self, operation: str | None, snapshot: Snapshot, fetched: Any) -> Any:
        from numind_client.models import ExtractionResponse, MarkdownResponse

        job = snapshot.model if fetched is None else fetched
        raw = value_of(job.output_data)
        try:
            data = json.loads(raw) if raw is not None else None
        except ValueError as exc:
            raise self._bad_output(job, f"outputData is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise self._bad_output(job, "outputData holds no result object")
        markdown = operation == "markdown" or (
            operation is None and isinstance(data.get("result"), str)
        )
        model = MarkdownResponse if markdown else ExtractionResponse
        try:
            return model.from_dict(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise self._bad_output(job, f"outputData is not a {model.__name__}: {exc}") from exc

    def _bad_output(self, job: Any, reason: str) -> InvalidResponse:
        return InvalidResponse(
            provider=self.provider,
            operation=JOB,
            status_code=200,
            body=str(value_of(job.output_data)),
            reason=reason,
            job_id=str(job.id),
        )

    def cancel_request(self, job_id: str) -> Request | None:
        return Request("post_api_jobs_jobid_cancel", {"job_id": job_id})

    def stream_request(self, job_id: str) -> Request | None:
        return Request("get_api_jobs_jobid_stream", {"job_id": job_id})

    def stream_event(self, event: str, data: str) -> Snapshot | StreamSignal:
        if event == "result":
            from numind_client.models import JobResponse

            try:
                return self.snapshot(JobResponse.from_dict(json.loads(data)))
            except (KeyError, TypeError, ValueError):
                return StreamSignal.BROKEN  # unreadable: polling will tell
        if event == "error":
            return StreamSignal.BROKEN
        return StreamSignal.KEEP_WAITING


# ---------------------------------------------------------------- submitting


def _query(operation_id: str, params: dict[str, Any]) -> dict[str, Any]:
    """The spec's query parameters of the operation that were given; NuMind's own `timeout`
    (the job's) as its duration string."""
    names = tuple(n for n in PROVIDER.query_names(operation_id) if n != "timeout")
    return {**take(params, names), **_job_timeout(params)}


def _job_timeout(params: dict[str, Any]) -> dict[str, Any]:
    """NuMind's own `timeout` query parameter: `timeout` in submit(); `job_timeout` where
    `timeout` is already the wait's budget (submit_and_wait, extract)."""
    name = "job_timeout" if params.get("job_timeout") is not None else "timeout"
    value = params.pop(name, None)
    params.pop("job_timeout", None)
    if value is None:
        return {}
    return {"timeout": format_duration(to_timedelta(value, name=name))}


# Structured extraction's settings that NuMind takes as text (numind==0.4.2): a number or a word.
TEXT_SETTINGS = (
    "dpi", "max_output_tokens", "max_example_number", "thinking_token_budget", "random_seed",
    "image_width",
)  # fmt: skip


def _structured_settings(params: dict[str, Any]) -> None:
    """Structured extraction's wire name is `dpi`; `rasterization_dpi` (this suite's name before
    2026-12, and the markdown operation's) still means it. Numbers are sent as the text NuMind
    reads; `max_output_tokens=0` keeps its old meaning, no limit (`Unlimited`)."""
    if params.get("rasterization_dpi") is not None:
        if params.get("dpi") is not None:
            raise InvalidParameter("dpi", params["dpi"], "dpi or rasterization_dpi, not both")
        params["dpi"] = params.pop("rasterization_dpi")
    params.pop("rasterization_dpi", None)
    if params.get("max_output_tokens") == 0:
        params["max_output_tokens"] = "Unlimited"
    for name in TEXT_SETTINGS:
        value = params.get(name)
        if isinstance(value, bool) or not isinstance(value, str | int | None):
            raise InvalidParameter(name, value, "a whole number or the provider's word for it")
        if isinstance(value, int):
            params[name] = str(value)


def plan_structured(params: dict[str, Any]) -> Submission:
    """document (path or bytes), project_id, the query parameters of its spec (temperature,
    dpi — `rasterization_dpi` still works —, max_output_tokens, ...), timeout/job_timeout."""
    from numind_client.types import File

    document = read_document(params.pop("document", None))
    project_id = params.pop("project_id", None)
    if not project_id:
        raise InvalidParameter("project_id", project_id, "the structured extraction project's ID")
    _structured_settings(params)
    query = _query(STRUCTURED, params)
    no_leftovers("numind structured", params)
    request = Request(
        STRUCTURED,
        {"structured_extraction_project_id": project_id, "body": document.as_file(File), **query},
    )
    return Submission(NAME, "structured", lambda _: request)


def plan_markdown(params: dict[str, Any]) -> Submission:
    """document (path or bytes), the query parameters of its spec, timeout/job_timeout."""
    from numind_client.models import PostApiMarkdownInferAsyncBody
    from numind_client.types import File

    document = read_document(params.pop("document", None))
    query = _query(MARKDOWN, params)
    no_leftovers("numind markdown", params)
    body = PostApiMarkdownInferAsyncBody(file=document.as_file(File))
    request = Request(MARKDOWN, {"body": body, **query})
    return Submission(NAME, "markdown", lambda _: request)


# ---------------------------------------------------------------- reading a result


def summarize(operation: str, raw: Any) -> Summary:
    """ExtractionResponse: data, token usage, output-token probability, the 206 warning;
    MarkdownResponse: the markdown text."""
    if operation == "markdown":
        return Summary(data=raw.result)
    error = plain(getattr(raw, "error", None))
    warnings: tuple[str, ...] = ()
    if error:  # what the API marks with HTTP 206: the output did not fit the template
        message = error.get("message") or "no message"
        warnings = (f"the model output did not conform to the project template: {message}",)
    return Summary(
        data=plain(raw.result),
        usage={
            "input_tokens": raw.input_tokens,
            "output_tokens": raw.output_tokens,
            "total_tokens": raw.total_tokens,
        },
        confidence={"output_token_probability": raw.output_token_probability},
        warnings=warnings,
    )


PROVIDER = Provider(
    name=NAME,
    env_var="NUMIND_API_KEY",
    operations={"structured": plan_structured, "markdown": plan_markdown},
    lifecycle=NuMindJobs(),
    extraction=Extraction(operation="structured", summarize=summarize),
    capabilities=Capabilities(stream=True, cancel=True),
    read_timeout=timedelta(seconds=60),
)
