"""Wire tests of the generated Contextual AI client (``contextual_client``) on a loopback server.

For each operation of ``specs/contextual/openapi.yaml`` they check what the client puts on the
wire (method, path, headers, JSON body), through both ``sync_detailed`` and ``asyncio_detailed``,
and how it parses the answers the spec documents (its examples, its error bodies).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request

from contextual_client import AuthenticatedClient
from contextual_client.api.extract import (
    get_extraction_job_results_extract_jobs_job_id_results_get as get_results,
)
from contextual_client.api.extract import (
    get_extraction_job_status_extract_jobs_job_id_get as get_status,
)
from contextual_client.api.extract import (
    start_extraction_job_extract_jobs_post as start_job,
)
from contextual_client.models import (
    DocumentStatusEnum,
    ErrorResponse,
    ExtractConfig,
    ExtractConfigModel,
    ExtractJobAttributions,
    ExtractJobMetadata,
    ExtractJobRequest,
    ExtractJobResponse,
    ExtractJobResults,
    ExtractJobResultsResponse,
    ExtractJobStatusResponse,
    HTTPValidationError,
    ValidationError,
)
from contextual_client.types import UNSET, Response

SPEC_PATH = Path(__file__).resolve().parents[2] / "specs" / "contextual" / "openapi.yaml"
TOKEN = "test-key"
JOB_ID = uuid.UUID("456e7890-e89b-12d3-a456-426614174000")
DOCUMENT_ID = uuid.UUID("123e4567-e89b-12d3-a456-426614174000")
SCHEMA_ID = uuid.UUID("987fcdeb-51a2-43d1-b456-426614174000")
INSTRUCTIONS = (
    "Extract information only about company X. Do not include information about company Y."
)

SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
START_OP: dict[str, Any] = SPEC["paths"]["/extract/jobs"]["post"]
STATUS_OP: dict[str, Any] = SPEC["paths"]["/extract/jobs/{job_id}"]["get"]
RESULTS_OP: dict[str, Any] = SPEC["paths"]["/extract/jobs/{job_id}/results"]["get"]


def _example(operation: dict[str, Any], status: str, name: str) -> dict[str, Any]:
    examples = operation["responses"][status]["content"]["application/json"]["examples"]
    value: dict[str, Any] = examples[name]["value"]
    return copy.deepcopy(value)


REQUEST_EXAMPLE: dict[str, Any] = START_OP["requestBody"]["content"]["application/json"][
    "examples"
]["seed"]["value"]
START_EXAMPLE = _example(START_OP, "200", "seed")
START_422_EXAMPLE = _example(START_OP, "422", "missing_schema_id")
START_429_EXAMPLE = _example(START_OP, "429", "concurrency_limit")
STATUS_EXAMPLE = _example(STATUS_OP, "200", "seed")
STATUS_422_EXAMPLE = _example(STATUS_OP, "422", "invalid_job_id")
RESULTS_EXAMPLE = _example(RESULTS_OP, "200", "seed")
RESULTS_422_EXAMPLE = _example(RESULTS_OP, "422", "invalid_job_id")

MODES = ("sync", "async")


async def call(
    mode: str, operation: ModuleType, server: HTTPServer, *args: Any, **kwargs: Any
) -> Any:
    """Call ``operation`` through a fresh client, sync or async; the client is closed afterwards."""
    client = AuthenticatedClient(base_url=server.url_for(""), token=TOKEN)
    if mode == "sync":
        with client:
            return operation.sync_detailed(*args, client=client, **kwargs)
    async with client:
        return await operation.asyncio_detailed(*args, client=client, **kwargs)


def only_request(server: HTTPServer) -> Request:
    """The one request the server received; fails on handler errors or a second request."""
    server.check_assertions()
    assert len(server.log) == 1
    request, _ = server.log[0]
    return request


def assert_common_wire(request: Request, method: str, path: str) -> None:
    assert request.method == method
    assert request.path == path
    assert request.query_string == b""
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"


def assert_get_wire(request: Request, path: str) -> None:
    assert_common_wire(request, "GET", path)
    assert request.get_data() == b""
    assert "Content-Type" not in request.headers


def seed_request() -> ExtractJobRequest:
    """The reference's example request, built the way a caller builds it."""
    return ExtractJobRequest(
        document_id=DOCUMENT_ID,
        schema_id=SCHEMA_ID,
        config=ExtractConfig(
            model=ExtractConfigModel.GEMINI_2_5_FLASH,
            per_key_attribution=True,
            temperature=0.1,
            enable_thinking=True,
            additional_instructions=INSTRUCTIONS,
        ),
    )


# --- POST /extract/jobs --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_start_job_sends_seed_request_and_parses_seed_response(
    mode: str, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request("/extract/jobs", method="POST").respond_with_json(
        START_EXAMPLE
    )

    resp: Response[Any] = await call(mode, start_job, httpserver, body=seed_request())

    request = only_request(httpserver)
    assert_common_wire(request, "POST", "/extract/jobs")
    assert request.mimetype == "application/json"
    sent = json.loads(request.get_data())
    # The spec's example request, plus what the generated model always sends: the spec's
    # defaults for fields the caller did not set (`enable_agentic_array_extraction`, `stream`).
    assert sent == {
        **REQUEST_EXAMPLE,
        "config": {**REQUEST_EXAMPLE["config"], "enable_agentic_array_extraction": False},
        "stream": False,
    }
    assert sent["document_id"] == "123e4567-e89b-12d3-a456-426614174000"
    assert sent["schema_id"] == "987fcdeb-51a2-43d1-b456-426614174000"
    assert sent["config"]["additional_instructions"] == INSTRUCTIONS

    assert resp.status_code == 200
    parsed = resp.parsed
    assert isinstance(parsed, ExtractJobResponse)
    assert parsed.job_id == "456e7890-e89b-12d3-a456-426614174000"
    assert parsed.status is DocumentStatusEnum.PENDING
    assert parsed.created_at == dt.datetime(2025, 1, 11, 18, 35, tzinfo=dt.UTC)
    assert parsed.estimated_completion == dt.datetime(2025, 1, 11, 18, 40, tzinfo=dt.UTC)
    # date-times serialise back as ISO 8601 with an explicit offset ("Z" becomes "+00:00")
    assert parsed.to_dict() == {
        **START_EXAMPLE,
        "created_at": "2025-01-11T18:35:00+00:00",
        "estimated_completion": "2025-01-11T18:40:00+00:00",
    }


@pytest.mark.parametrize("mode", MODES)
async def test_start_job_sends_only_the_config_fields_set(
    mode: str, httpserver: HTTPServer
) -> None:
    """Fields left UNSET stay off the wire, defaults included: the server applies its own."""
    httpserver.expect_oneshot_request("/extract/jobs", method="POST").respond_with_json(
        START_EXAMPLE
    )
    body = ExtractJobRequest(
        document_id=DOCUMENT_ID,
        schema_id=SCHEMA_ID,
        config=ExtractConfig(
            model=ExtractConfigModel.GEMINI_2_5_PRO,
            per_key_attribution=UNSET,
            enable_thinking=UNSET,
            enable_agentic_array_extraction=UNSET,
            max_num_concurrent_requests=20,
            validate_response_schema=True,
            seed=42,
            n_max_retries=0,
            temperature=None,
        ),
        stream=False,
    )

    resp: Response[Any] = await call(mode, start_job, httpserver, body=body)

    request = only_request(httpserver)
    assert_common_wire(request, "POST", "/extract/jobs")
    assert request.mimetype == "application/json"
    assert json.loads(request.get_data()) == {
        "document_id": str(DOCUMENT_ID),
        "schema_id": str(SCHEMA_ID),
        "config": {
            "model": "gemini-2.5-pro",
            "max_num_concurrent_requests": 20,
            "validate_response_schema": True,
            "seed": 42,
            "n_max_retries": 0,
            "temperature": None,
        },
        "stream": False,
    }
    assert isinstance(resp.parsed, ExtractJobResponse)


@pytest.mark.parametrize("mode", MODES)
async def test_start_job_without_config(mode: str, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/extract/jobs", method="POST").respond_with_json(
        START_EXAMPLE
    )

    body = ExtractJobRequest(document_id=DOCUMENT_ID, schema_id=SCHEMA_ID)
    resp: Response[Any] = await call(mode, start_job, httpserver, body=body)

    request = only_request(httpserver)
    assert json.loads(request.get_data()) == {
        "document_id": str(DOCUMENT_ID),
        "schema_id": str(SCHEMA_ID),
        "stream": False,
    }
    assert isinstance(resp.parsed, ExtractJobResponse)
    assert resp.parsed.status is DocumentStatusEnum.PENDING


def test_stream_flag_and_null_config_serialise() -> None:
    body = ExtractJobRequest(document_id=DOCUMENT_ID, schema_id=SCHEMA_ID, config=None, stream=True)
    assert body.to_dict() == {
        "document_id": str(DOCUMENT_ID),
        "schema_id": str(SCHEMA_ID),
        "config": None,
        "stream": True,
    }
    assert ExtractJobRequest.from_dict(body.to_dict()) == body


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("status", "detail"),
    [
        (400, "Invalid document_id format"),
        (404, "Schema not found"),
        (429, START_429_EXAMPLE["detail"]),
        (500, "Internal processing error"),
    ],
)
async def test_start_job_parses_http_exception_errors(
    mode: str, status: int, detail: str, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request("/extract/jobs", method="POST").respond_with_json(
        {"detail": detail}, status=status
    )

    resp: Response[Any] = await call(mode, start_job, httpserver, body=seed_request())

    only_request(httpserver)
    assert resp.status_code == status
    assert isinstance(resp.parsed, ErrorResponse)
    assert resp.parsed.detail == detail
    assert resp.parsed.to_dict() == {"detail": detail}


def test_429_example_names_the_concurrency_limit() -> None:
    assert "5 active" in START_429_EXAMPLE["detail"]


@pytest.mark.parametrize("mode", MODES)
async def test_start_job_parses_validation_error(mode: str, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/extract/jobs", method="POST").respond_with_json(
        START_422_EXAMPLE, status=422
    )

    resp: Response[Any] = await call(mode, start_job, httpserver, body=seed_request())

    only_request(httpserver)
    assert resp.status_code == 422
    parsed = resp.parsed
    assert isinstance(parsed, HTTPValidationError)
    assert isinstance(parsed.detail, list)
    assert len(parsed.detail) == 1
    error = parsed.detail[0]
    assert isinstance(error, ValidationError)
    assert error.loc == ["body", "schema_id"]
    assert error.msg == "Field required"
    assert error.type_ == "missing"
    assert parsed.to_dict() == START_422_EXAMPLE


# --- GET /extract/jobs/{job_id} ------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_get_status_wire_and_seed_example(mode: str, httpserver: HTTPServer) -> None:
    path = f"/extract/jobs/{JOB_ID}"
    httpserver.expect_oneshot_request(path, method="GET").respond_with_json(STATUS_EXAMPLE)

    resp: Response[Any] = await call(mode, get_status, httpserver, JOB_ID)

    assert_get_wire(only_request(httpserver), path)
    assert resp.status_code == 200
    parsed = resp.parsed
    assert isinstance(parsed, ExtractJobStatusResponse)
    assert parsed.job_id == str(JOB_ID)
    assert parsed.status is DocumentStatusEnum.PROCESSING
    assert parsed.status.is_known
    assert parsed.completion_percentage == 40
    assert parsed.current_step == "extraction"
    assert parsed.fields_processed == 4
    assert parsed.total_fields == 10
    assert parsed.additional_properties == {}
    assert parsed.to_dict() == STATUS_EXAMPLE


@pytest.mark.parametrize("mode", MODES)
async def test_get_status_with_null_and_missing_progress(mode: str, httpserver: HTTPServer) -> None:
    path = f"/extract/jobs/{JOB_ID}"
    payload = {
        "job_id": str(JOB_ID),
        "status": "pending",
        "completion_percentage": 0.0,
        "current_step": None,
        "fields_processed": None,
    }
    httpserver.expect_oneshot_request(path, method="GET").respond_with_json(payload)

    resp: Response[Any] = await call(mode, get_status, httpserver, JOB_ID)

    assert_get_wire(only_request(httpserver), path)
    parsed = resp.parsed
    assert isinstance(parsed, ExtractJobStatusResponse)
    assert parsed.status is DocumentStatusEnum.PENDING
    assert parsed.completion_percentage == 0.0
    assert parsed.current_step is None
    assert parsed.fields_processed is None
    assert parsed.total_fields is UNSET
    assert parsed.to_dict() == payload


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status_value", [member.value for member in DocumentStatusEnum])
async def test_get_status_parses_every_documented_status(
    mode: str, status_value: str, httpserver: HTTPServer
) -> None:
    path = f"/extract/jobs/{JOB_ID}"
    payload = {**STATUS_EXAMPLE, "status": status_value}
    httpserver.expect_oneshot_request(path, method="GET").respond_with_json(payload)

    resp: Response[Any] = await call(mode, get_status, httpserver, JOB_ID)

    only_request(httpserver)
    assert isinstance(resp.parsed, ExtractJobStatusResponse)
    assert resp.parsed.status == DocumentStatusEnum(status_value)
    assert resp.parsed.status.is_known
    assert str(resp.parsed.status) == status_value


def test_status_enum_lists_the_documented_values() -> None:
    assert {member.value for member in DocumentStatusEnum} == {
        "pending",
        "processing",
        "retrying",
        "completed",
        "failed",
        "cancelled",
    }


@pytest.mark.parametrize("mode", MODES)
async def test_get_status_keeps_unknown_status_and_fields(
    mode: str, httpserver: HTTPServer
) -> None:
    """Forward compatibility: a status the spec does not list, and a field it does not know."""
    path = f"/extract/jobs/{JOB_ID}"
    payload = {
        **STATUS_EXAMPLE,
        "status": "queued_for_review",
        "review_queue": {"position": 3, "reviewer": None},
    }
    httpserver.expect_oneshot_request(path, method="GET").respond_with_json(payload)

    resp: Response[Any] = await call(mode, get_status, httpserver, JOB_ID)

    only_request(httpserver)
    parsed = resp.parsed
    assert isinstance(parsed, ExtractJobStatusResponse)
    assert isinstance(parsed.status, DocumentStatusEnum)
    assert str(parsed.status) == "queued_for_review"
    assert parsed.status.value == "queued_for_review"
    assert not parsed.status.is_known
    assert parsed.status not in set(DocumentStatusEnum)
    assert parsed.additional_properties == {"review_queue": {"position": 3, "reviewer": None}}
    assert parsed.to_dict() == payload


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("operation", "suffix", "example_422"),
    [
        (get_status, "", STATUS_422_EXAMPLE),
        (get_results, "/results", RESULTS_422_EXAMPLE),
    ],
)
async def test_job_reads_parse_404_and_422(
    mode: str,
    operation: ModuleType,
    suffix: str,
    example_422: dict[str, Any],
    httpserver: HTTPServer,
) -> None:
    path = f"/extract/jobs/{JOB_ID}{suffix}"
    httpserver.expect_ordered_request(path, method="GET").respond_with_json(
        {"detail": "Job not found"}, status=404
    )
    httpserver.expect_ordered_request(path, method="GET").respond_with_json(example_422, status=422)

    not_found: Response[Any] = await call(mode, operation, httpserver, JOB_ID)
    invalid: Response[Any] = await call(mode, operation, httpserver, JOB_ID)

    httpserver.check_assertions()
    assert len(httpserver.log) == 2
    for request, _ in httpserver.log:
        assert_get_wire(request, path)
    assert not_found.status_code == 404
    assert isinstance(not_found.parsed, ErrorResponse)
    assert not_found.parsed.detail == "Job not found"
    assert invalid.status_code == 422
    assert isinstance(invalid.parsed, HTTPValidationError)
    assert isinstance(invalid.parsed.detail, list)
    assert invalid.parsed.detail[0].loc == ["path", "job_id"]
    assert invalid.parsed.detail[0].type_ == "uuid_parsing"
    assert invalid.parsed.to_dict() == example_422


# --- GET /extract/jobs/{job_id}/results ----------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_get_results_wire_and_seed_example(mode: str, httpserver: HTTPServer) -> None:
    path = f"/extract/jobs/{JOB_ID}/results"
    httpserver.expect_oneshot_request(path, method="GET").respond_with_json(RESULTS_EXAMPLE)

    resp: Response[Any] = await call(mode, get_results, httpserver, JOB_ID)

    assert_get_wire(only_request(httpserver), path)
    assert resp.status_code == 200
    parsed = resp.parsed
    assert isinstance(parsed, ExtractJobResultsResponse)
    assert isinstance(parsed.results, ExtractJobResults)
    assert parsed.results.to_dict() == RESULTS_EXAMPLE["results"]
    assert parsed.results["company_name"] == "Acme Corporation"
    assert parsed.results["executives"] == [
        {"name": "Jane Doe", "title": "Chief Executive Officer"}
    ]
    assert isinstance(parsed.metadata, ExtractJobMetadata)
    assert parsed.metadata["model"] == "gemini-2.5-flash"
    assert parsed.metadata.to_dict() == RESULTS_EXAMPLE["metadata"]
    assert isinstance(parsed.attributions, ExtractJobAttributions)
    assert parsed.attributions["total_revenue"]["pages"] == [14]
    assert parsed.attributions.to_dict() == RESULTS_EXAMPLE["attributions"]
    assert parsed.to_dict() == RESULTS_EXAMPLE


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("attributions", ["missing", None])
async def test_get_results_without_attributions(
    mode: str, attributions: str | None, httpserver: HTTPServer
) -> None:
    """A job run without per_key_attribution: attributions absent or null."""
    path = f"/extract/jobs/{JOB_ID}/results"
    payload: dict[str, Any] = {
        "results": {"company_name": "Acme Corporation"},
        "metadata": {},
    }
    if attributions is None:
        payload["attributions"] = None
    httpserver.expect_oneshot_request(path, method="GET").respond_with_json(payload)

    resp: Response[Any] = await call(mode, get_results, httpserver, JOB_ID)

    only_request(httpserver)
    parsed = resp.parsed
    assert isinstance(parsed, ExtractJobResultsResponse)
    assert parsed.results.to_dict() == {"company_name": "Acme Corporation"}
    assert parsed.metadata.to_dict() == {}
    if attributions is None:
        assert parsed.attributions is None
    else:
        assert parsed.attributions is UNSET
    assert parsed.to_dict() == payload


# --- every operation, both shells ----------------------------------------------------------------


def test_every_operation_has_both_shells() -> None:
    for operation in (start_job, get_status, get_results):
        for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
            assert callable(getattr(operation, name)), (operation.__name__, name)
    operation_ids = {
        op["operationId"]
        for methods in SPEC["paths"].values()
        for op in methods.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert operation_ids == {
        "start_extraction_job_extract_jobs_post",
        "get_extraction_job_status_extract_jobs__job_id__get",
        "get_extraction_job_results_extract_jobs__job_id__results_get",
    }
