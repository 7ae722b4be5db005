"""LlamaCloud (LlamaExtract v2): file upload, and extraction jobs (create, get, list, cancel,
delete). Statuses: PENDING, THROTTLED (optional), RUNNING, then COMPLETED, FAILED or CANCELLED.
As the provider does: lists are newest first, their filters filter, unknown `expand` values and
unknown query parameters are refused (422)."""

import math
import time
import uuid
from pathlib import PurePosixPath
from typing import Any

import attrs
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from docextract.providers import PROVIDERS
from docextract.sandbox import checks, extraction, responses
from docextract.sandbox.checks import Invalid
from docextract.sandbox.forms import read_form
from docextract.sandbox.jobs import Job, Lifecycle
from docextract.sandbox.responses import iso
from docextract.sandbox.routing import operation_routes
from docextract.sandbox.state import SandboxState, StoredFile

PROVIDER = "llamacloud"
SPEC = PROVIDERS[PROVIDER]
LIFECYCLE = Lifecycle(
    steps=("PENDING", "RUNNING"),
    extra_steps=("PENDING", "THROTTLED", "RUNNING"),
    working=frozenset({"RUNNING"}),
    ended={
        "completed": "COMPLETED",
        "nonconforming": "COMPLETED",
        "failed": "FAILED",
        "cancelled": "CANCELLED",
    },
)
DEFAULT_PROJECT = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://docextract.invalid/llamacloud"))
FAILURE = "Extraction failed: the document could not be processed (simulated failure)"
PAGE_SIZE = 10
# What `expand` may name, per operation (the provider lists them in the parameter's description).
EXPAND = {
    "get_extract_job": ("configuration", "extract_metadata", "usage"),
    "list_extract_jobs": ("configuration", "extract_metadata"),
}
PURPOSES = ("extract", "user_data", "parse", "split", "classify", "sheet", "agent_app")
CREDITS_PER_PAGE = {"cost_effective": 5.0, "agentic": 15.0, "agentic_plus": 50.0}
FILE_LIFETIME = 30 * 24 * 3600.0


@attrs.frozen
class Work:
    """A job's input and the result it will answer once completed."""

    file_input: str
    project_id: str
    configuration: dict[str, Any]
    configuration_id: str | None
    result: Any
    field_metadata: dict[str, Any]
    usage: dict[str, int]
    credits: float


def routes(state: SandboxState) -> list[Route]:
    return operation_routes(
        state,
        PROVIDER,
        {
            "upload_file": upload_file,
            "create_extract_job": create_job,
            "get_extract_job": get_job,
            "list_extract_jobs": list_jobs,
            "cancel_extract_job": cancel_job,
            "delete_extract_job": delete_job,
        },
    )


async def upload_file(request: Request, state: SandboxState) -> Response:
    operation = SPEC.operation_facts("upload_file")
    try:
        params = checks.parameters(request, operation)
        fields = checks.form_body(await read_form(request), operation)
        if fields["purpose"] not in PURPOSES:
            msg = _one_of(PURPOSES)
            raise Invalid(("body", "purpose"), msg, "enum")
    except Invalid as problem:
        return responses.invalid(PROVIDER, problem)
    document, now = fields["file"], time.time()
    name = document.filename or "document"
    record = {
        "id": f"dfl-{uuid.uuid4()}",
        "name": name,
        "project_id": params.get("project_id", DEFAULT_PROJECT),
        "external_file_id": fields.get("external_file_id"),
        "file_type": PurePosixPath(name).suffix.lstrip(".").lower() or None,
        "last_modified_at": iso(now),
        "expires_at": iso(now + FILE_LIFETIME),
        "purpose": fields["purpose"],
    }
    state.files[record["id"]] = StoredFile(document.data, record)
    return responses.ok(record, 201)


async def create_job(request: Request, state: SandboxState) -> Response:
    operation = SPEC.operation_facts("create_extract_job")
    try:
        params = checks.parameters(request, operation)
        data = checks.json_body(await request.body(), operation)
        configuration = _configuration(data, state)
        stored = state.files.get(data["file_input"])
        if stored is None:
            loc = ("body", "file_input")
            raise Invalid(loc, "Value error, no uploaded file has this ID", "value_error")
    except Invalid as problem:
        return responses.invalid(PROVIDER, problem)
    wait = state.creation_refused(PROVIDER)
    if wait is not None:
        message = "Rate limit exceeded: too many extraction jobs created, retry later"
        return responses.error(
            PROVIDER, 429, message, {"Retry-After": str(max(1, math.ceil(wait)))}
        )
    result, field_metadata, usage = _extract(configuration, extraction.document_text(stored.data))
    tier = configuration.get("tier") or "cost_effective"
    work = Work(
        file_input=data["file_input"],
        project_id=params.get("project_id", DEFAULT_PROJECT),
        configuration=configuration,
        configuration_id=data.get("configuration_id"),
        result=result,
        field_metadata=field_metadata,
        usage=usage,
        credits=CREDITS_PER_PAGE.get(tier, 5.0) * usage["num_pages_billed"],
    )
    schedule = state.schedules[PROVIDER]
    job_id = f"ext-{uuid.uuid4()}"
    job = Job(job_id, LIFECYCLE, LIFECYCLE.plan(schedule), schedule.outcome, work)
    return responses.ok(job_json(state.add_job(PROVIDER, job), ()))


async def get_job(request: Request, state: SandboxState) -> Response:
    try:
        params = checks.parameters(request, SPEC.operation_facts("get_extract_job"))
        _check_expand(params, "get_extract_job")
    except Invalid as problem:
        return responses.invalid(PROVIDER, problem)
    job = state.find_job(PROVIDER, params["job_id"], Work)
    return responses.ok(job_json(job, params.get("expand", ()))) if job else _unknown()


async def cancel_job(request: Request, state: SandboxState) -> Response:
    try:
        params = checks.parameters(request, SPEC.operation_facts("cancel_extract_job"))
    except Invalid as problem:
        return responses.invalid(PROVIDER, problem)
    job = state.find_job(PROVIDER, params["job_id"], Work)
    if job is None:
        return _unknown()
    if job.cancel(time.time()):
        state.wake()
    return responses.ok(job_json(job, ()))


async def delete_job(request: Request, state: SandboxState) -> Response:
    try:
        params = checks.parameters(request, SPEC.operation_facts("delete_extract_job"))
    except Invalid as problem:
        return responses.invalid(PROVIDER, problem)
    job = state.find_job(PROVIDER, params["job_id"], Work)
    if job is None:
        return _unknown()
    job.cancel(time.time())
    del state.jobs[PROVIDER][job.id]
    state.wake()
    return responses.ok({})


async def list_jobs(request: Request, state: SandboxState) -> Response:
    """Newest first; a page token is the ID of the first job of the next page."""
    try:
        params = checks.parameters(request, SPEC.operation_facts("list_extract_jobs"))
        _check_expand(params, "list_extract_jobs")
        now = time.time()
        jobs = [
            job for job in reversed(state.jobs[PROVIDER].values()) if _matches(job, params, now)
        ]
        ids = [job.id for job in jobs]
        token = params.get("page_token")
        if token is not None and token not in ids:
            raise Invalid(("query", "page_token"), "Value error, unknown page token", "value_error")
    except Invalid as problem:
        return responses.invalid(PROVIDER, problem)
    start = ids.index(token) if token is not None else 0
    stop = start + params.get("page_size", PAGE_SIZE)
    expand = params.get("expand", ())
    return responses.ok(
        {
            "items": [job_json(job, expand) for job in jobs[start:stop]],
            "next_page_token": ids[stop] if stop < len(ids) else None,
            "total_size": len(ids),
        }
    )


def _check_expand(params: dict[str, Any], operation: str) -> None:
    allowed = EXPAND[operation]
    for index, value in enumerate(params.get("expand", ())):
        if value not in allowed:
            msg = _one_of(allowed)
            raise Invalid(("query", "expand", index), msg, "enum")


def _one_of(values: tuple[str, ...]) -> str:
    quoted = [f"'{value}'" for value in values]
    return f"Input should be {', '.join(quoted[:-1])} or {quoted[-1]}"


def _matches(job: Job[Any], params: dict[str, Any], now: float) -> bool:
    """Whether a job passes the list's filters (`document_input_value` is file_input's old name)."""
    work, view = job.payload, job.view(now)
    if not isinstance(work, Work):
        return False
    file_input = params.get("file_input", params.get("document_input_value"))
    kind = "parse_job_id" if work.file_input.startswith("pjb-") else "file_id"
    created = [params.get("created_at_on_or_after"), params.get("created_at_on_or_before")]
    return (
        params.get("status") in (None, view.status)
        and file_input in (None, work.file_input)
        and params.get("document_input_type") in (None, kind)
        and params.get("configuration_id") in (None, work.configuration_id)
        and ("job_ids" not in params or job.id in params["job_ids"])
        and (created[0] is None or iso(view.created) >= _iso_z(created[0]))
        and (created[1] is None or iso(view.created) <= _iso_z(created[1]))
    )


def _iso_z(moment: str) -> str:
    """A date-time parameter in the form `iso` writes, so that the two compare as text."""
    from datetime import UTC, datetime

    parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return iso(parsed.timestamp())


def job_json(job: Job[Work], expand: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """An ExtractV2Job; `configuration`, `extract_metadata` and `usage` only when expanded."""
    view, work = job.view(time.time()), job.payload
    data: dict[str, Any] = {
        "id": job.id,
        "created_at": iso(view.created),
        "file_input": work.file_input,
        "project_id": work.project_id,
        "status": view.status,
        "updated_at": iso(view.updated),
        "configuration_id": work.configuration_id,
        "error_message": FAILURE if view.outcome == "failed" else None,
        "extract_result": work.result if view.completed else None,
        "metadata": {"usage": work.usage} if view.completed else None,
    }
    if "configuration" in expand:
        data["configuration"] = work.configuration
    if "usage" in expand:
        data["usage"] = (
            {"credits": work.credits, "extract_credits": work.credits, "parse_credits": 0.0}
            if view.completed
            else {"credits": None, "extract_credits": None, "parse_credits": None}
        )
    if "extract_metadata" in expand:
        data["extract_metadata"] = (
            {
                "field_metadata": work.field_metadata,
                "parse_job_id": f"pjb-{job.id.removeprefix('ext-')}",
                "parse_tier": work.configuration.get("parse_tier") or "fast",
            }
            if view.completed
            else None
        )
    return data


def _configuration(data: dict[str, Any], state: SandboxState) -> dict[str, Any]:
    """The inline configuration, or the saved one `configuration_id` names."""
    if data.get("configuration") is not None:
        return dict(data["configuration"])
    saved_id = data.get("configuration_id")
    if saved_id is None:
        raise Invalid(
            ("body",), "Value error, give configuration or configuration_id", "value_error"
        )
    schema = state.projects.get(saved_id)
    if schema is None:
        loc = ("body", "configuration_id")
        raise Invalid(loc, "Value error, no saved configuration has this ID", "value_error")
    return {"data_schema": dict(schema), "extraction_target": "per_doc", "tier": "cost_effective"}


def _extract(
    configuration: dict[str, Any], text: str
) -> tuple[Any, dict[str, Any], dict[str, int]]:
    """The result for the configuration's target, its field metadata, and the usage."""
    schema, target = configuration["data_schema"], configuration.get("extraction_target")
    pages = extraction.pages(text)[: configuration.get("max_pages") or None]
    field_metadata: dict[str, Any]
    if target == "per_page":
        found = [extraction.extract(schema, page) for page in pages]
        result: Any = [each.values for each in found]
        field_metadata = {
            "page_metadata": [_fields(each, page) for page, each in enumerate(found, start=1)]
        }
    elif target == "per_table_row":
        rows = [extraction.extract(schema, block) for block in extraction.blocks("\f".join(pages))]
        found = [row for row in rows if row.findings]
        result = [row.values for row in found]
        field_metadata = {"row_metadata": [_fields(row) for row in found]}
    else:
        whole = extraction.extract(schema, "\f".join(pages))
        result, field_metadata = whole.values, {"document_metadata": _fields(whole)}
    usage = {"num_pages_extracted": len(pages), "num_pages_billed": len(pages)}
    return result, field_metadata, usage


def _fields(found: extraction.Extraction, page: int | None = None) -> dict[str, Any]:
    """Per field found: its confidence and where it was read."""
    return {
        ".".join(finding.path): {
            "confidence": finding.confidence,
            "citation": [{"page": page or finding.page, "matching_text": finding.line}],
        }
        for finding in found.findings
    }


def _unknown() -> Response:
    return responses.error(PROVIDER, 404, "Extract job not found")
