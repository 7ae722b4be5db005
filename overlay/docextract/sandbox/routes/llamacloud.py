"""LlamaCloud (LlamaExtract v2): file upload, and extraction jobs (create, get, list, cancel).
Statuses: PENDING, THROTTLED (optional), RUNNING, then COMPLETED, FAILED or CANCELLED."""

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
from docextract.sandbox.responses import dumps, iso
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
FILE_LIFETIME = 30 * 24 * 3600.0


@attrs.frozen
class Work:
    """A job's input and the result it will answer once completed."""

    document_input_value: str
    project_id: str
    configuration: dict[str, Any]
    configuration_id: str | None
    result: Any
    field_metadata: dict[str, Any]
    usage: dict[str, int]


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
        },
    )


async def upload_file(request: Request, state: SandboxState) -> Response:
    operation = SPEC.operation_facts("upload_file")
    try:
        params = checks.parameters(request, operation)
        fields = checks.form_body(await read_form(request), operation)
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
        stored = state.files.get(data["document_input_value"])
        if stored is None:
            loc = ("body", "document_input_value")
            raise Invalid(loc, "Value error, no uploaded file has this ID", "value_error")
    except Invalid as problem:
        return responses.invalid(PROVIDER, problem)
    result, field_metadata, usage = _extract(configuration, extraction.document_text(stored.data))
    work = Work(
        document_input_value=data["document_input_value"],
        project_id=params.get("project_id", DEFAULT_PROJECT),
        configuration=configuration,
        configuration_id=data.get("configuration_id"),
        result=result,
        field_metadata=field_metadata,
        usage=usage,
    )
    schedule = state.schedules[PROVIDER]
    job_id = f"ext-{uuid.uuid4()}"
    job = Job(job_id, LIFECYCLE, LIFECYCLE.plan(schedule), schedule.outcome, work)
    return responses.ok(job_json(state.add_job(PROVIDER, job), ()))


async def get_job(request: Request, state: SandboxState) -> Response:
    try:
        params = checks.parameters(request, SPEC.operation_facts("get_extract_job"))
    except Invalid as problem:
        return responses.invalid(PROVIDER, problem)
    job = state.find_job(PROVIDER, params["job_id"], Work)
    return responses.ok(job_json(job, params.get("expand", ()))) if job else _unknown()


async def cancel_job(request: Request, state: SandboxState) -> Response:
    job = state.find_job(PROVIDER, request.path_params["job_id"], Work)
    if job is None:
        return _unknown()
    if job.cancel(time.time()):
        state.wake()
    return responses.ok(job_json(job, ()))


async def list_jobs(request: Request, state: SandboxState) -> Response:
    """Oldest first; a page token is the ID of the first job of the next page."""
    try:
        params = checks.parameters(request, SPEC.operation_facts("list_extract_jobs"))
        now = time.time()
        jobs = [
            job
            for job in state.jobs[PROVIDER].values()
            if params.get("status") in (None, job.view(now).status)
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


def job_json(job: Job[Work], expand: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """An ExtractV2Job; `configuration` and `extract_metadata` only when expanded."""
    view, work = job.view(time.time()), job.payload
    data: dict[str, Any] = {
        "id": job.id,
        "created_at": iso(view.created),
        "document_input_value": work.document_input_value,
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
    usage = {
        "num_document_tokens": extraction.tokens(text),
        "num_output_tokens": extraction.tokens(dumps(result)),
        "num_pages_extracted": len(pages),
    }
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
