"""Wire tests of the generated NuMind client (numind_client).

Every operation is called through the generated module, in its sync and its async form, against a
real loopback HTTP server (pytest-httpserver). The tests check what goes on the wire (method, path,
query names and values, content type, credentials, body bytes) and how the answer is parsed into
the generated models. Answers are the examples of specs/numind/openapi.yaml.
"""

import io
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from functools import cache
from http import HTTPStatus
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from pytest_httpserver import HTTPServer
from werkzeug import Request

from numind_client import AuthenticatedClient
from numind_client.api.jobs import (
    get_api_jobs_jobid,
    get_api_jobs_jobid_status,
    get_api_jobs_jobid_stream,
    post_api_jobs_jobid_cancel,
)
from numind_client.api.markdown import post_api_markdown_infer_async
from numind_client.api.structured_extraction import (
    get_api_structured_extraction_jobs_structuredextractionjobid as get_extraction_result,
)
from numind_client.api.structured_extraction import (
    post_api_structured_extraction_structuredextractionprojectid_jobs as start_extraction,
)
from numind_client.models import (
    ExtractionResponse,
    ImageInfo,
    JobIdResponse,
    JobResponse,
    JobStatusResponse,
    MarkdownResponse,
    PostApiMarkdownInferAsyncBody,
    TextInfo,
)
from numind_client.types import UNSET, File, Response, Unset

SPEC_PATH = Path(__file__).resolve().parents[2] / "specs" / "numind" / "openapi.yaml"
TOKEN = "test-key"
PROJECT_ID = "4e1f8a52-2c4b-4b8e-8f0a-6d2b1c9e3f77"
JOB_ID = "0b6f2f3e-5d0c-4c1e-9a57-2f8f6c1d7a10"
# Bytes that are not valid UTF-8, so any text re-encoding on the way would show.
PDF_BYTES = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\xff\x80trailer\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\xff\xfe"


# ---------------------------------------------------------------- helpers


@cache
def _spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def _resolve(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = _spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def spec_example(
    path: str,
    method: str,
    status: str,
    media_type: str = "application/json",
    name: str = "seed",
) -> Any:
    """The named example the spec gives for one response."""
    response = _resolve(_spec()["paths"][path][method]["responses"][status])
    example = _resolve(response["content"][media_type]["examples"][name])
    return example["value"]


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    mode_name: str = request.param
    return mode_name


async def call(
    mode: str, httpserver: HTTPServer, module: ModuleType, *args: Any, **kwargs: Any
) -> Response[Any]:
    """Call `module` through a fresh client: `sync_detailed` or `asyncio_detailed`."""
    client = AuthenticatedClient(base_url=httpserver.url_for(""), token=TOKEN)
    if mode == "sync":
        with client:
            sync_response: Response[Any] = module.sync_detailed(*args, client=client, **kwargs)
        return sync_response
    async with client:
        async_response: Response[Any] = await module.asyncio_detailed(
            *args, client=client, **kwargs
        )
    return async_response


def assert_authenticated(request: Request) -> None:
    assert request.headers.get("Authorization") == f"Bearer {TOKEN}"


def only_request(httpserver: HTTPServer) -> Request:
    """The one request the server received, after checking it matched an expectation and
    carried the credentials."""
    httpserver.check_assertions()
    assert len(httpserver.log) == 1, [entry[0].url for entry in httpserver.log]
    request: Request = httpserver.log[0][0]
    assert_authenticated(request)
    return request


def assert_bodiless(request: Request, method: str, path: str) -> None:
    assert request.method == method
    assert request.path == path
    assert request.query_string == b""
    assert request.get_data() == b""
    assert "Content-Type" not in request.headers


def json_answer(httpserver: HTTPServer, path: str, method: str, body: Any, status: int) -> None:
    httpserver.expect_oneshot_request(path, method=method).respond_with_data(
        json.dumps(body), status=status, content_type="application/json"
    )


# ---------------------------------------------------------------- structured extraction: start


START_PATH = f"/api/structured-extraction/{PROJECT_ID}/jobs"
START_SPEC_PATH = "/api/structured-extraction/{structuredExtractionProjectId}/jobs"


def _document(mode: str) -> File:
    # The generated async call hands `File.payload` to httpx as `content=`; httpx's AsyncClient
    # refuses a synchronous file object there (see test_async_start_rejects_sync_file_object),
    # so the async twin sends the bytes themselves.
    payload: Any = io.BytesIO(PDF_BYTES) if mode == "sync" else PDF_BYTES
    return File(payload=payload, file_name="invoice.pdf", mime_type="application/pdf")


async def test_start_extraction_sends_document_and_every_parameter(
    mode: str, httpserver: HTTPServer
) -> None:
    answer = spec_example(START_SPEC_PATH, "post", "200")
    json_answer(httpserver, START_PATH, "POST", answer, 200)

    response = await call(
        mode,
        httpserver,
        start_extraction,
        PROJECT_ID,
        body=_document(mode),
        temperature=1.5,
        dpi="200",
        max_output_tokens="Unlimited",
        max_example_token_number=0,
        max_example_number="3",
        min_example_similarity=0.8,
        enable_thinking=False,
        thinking_token_budget="8000",
        loop_detection=True,
        random_seed="99",
        image_width="original",
        timeout="1h30m",
    )

    request = only_request(httpserver)
    assert request.method == "POST"
    assert request.path == START_PATH
    assert request.args.to_dict(flat=False) == {
        "temperature": ["1.5"],
        "dpi": ["200"],
        "maxOutputTokens": ["Unlimited"],
        "maxExampleTokenNumber": ["0"],  # 0 is a value: must be sent, not dropped as falsy
        "maxExampleNumber": ["3"],
        "minExampleSimilarity": ["0.8"],
        "enableThinking": ["false"],
        "thinkingTokenBudget": ["8000"],
        "loopDetection": ["true"],
        "randomSeed": ["99"],
        "imageWidth": ["original"],
        "timeout": ["1h30m"],
    }
    assert request.headers["Content-Type"] == "application/octet-stream"
    assert request.get_data() == PDF_BYTES
    assert request.headers.get("Content-Length") == str(len(PDF_BYTES))

    assert response.status_code == HTTPStatus.OK
    assert isinstance(response.parsed, JobIdResponse)
    assert response.parsed.job_id == answer["jobId"]


async def test_start_extraction_leaves_unset_parameters_to_the_project(
    mode: str, httpserver: HTTPServer
) -> None:
    json_answer(httpserver, START_PATH, "POST", {"jobId": JOB_ID}, 200)

    response = await call(mode, httpserver, start_extraction, PROJECT_ID, body=_document(mode))

    request = only_request(httpserver)
    assert request.query_string == b""
    assert request.get_data() == PDF_BYTES
    assert isinstance(response.parsed, JobIdResponse)
    assert response.parsed.job_id == JOB_ID


async def test_start_extraction_sends_text_documents_unchanged(
    mode: str, httpserver: HTTPServer
) -> None:
    text = "Invoice INV-2026-0042 — total 1 284,50 €\n".encode()
    json_answer(httpserver, START_PATH, "POST", {"jobId": JOB_ID}, 200)
    payload: Any = io.BytesIO(text) if mode == "sync" else text

    await call(mode, httpserver, start_extraction, PROJECT_ID, body=File(payload=payload))

    request = only_request(httpserver)
    assert request.headers["Content-Type"] == "application/octet-stream"
    assert request.get_data() == text


async def test_start_extraction_streams_an_async_payload(httpserver: HTTPServer) -> None:
    """An async iterable payload also works with the async twin (sent chunked)."""
    json_answer(httpserver, START_PATH, "POST", {"jobId": JOB_ID}, 200)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(PDF_BYTES), 16):
            yield PDF_BYTES[start : start + 16]

    payload: Any = chunks()
    response = await call(
        "async", httpserver, start_extraction, PROJECT_ID, body=File(payload=payload)
    )

    request = only_request(httpserver)
    assert request.headers.get("Transfer-Encoding") == "chunked"
    assert request.headers["Content-Type"] == "application/octet-stream"
    assert request.get_data() == PDF_BYTES
    assert isinstance(response.parsed, JobIdResponse)


async def test_async_start_rejects_sync_file_object(httpserver: HTTPServer) -> None:
    """Pins a generator/httpx limitation the overlay must work around: the generated async call
    passes `File.payload` as `content=`, and httpx's AsyncClient refuses a sync file object."""
    client = AuthenticatedClient(base_url=httpserver.url_for(""), token=TOKEN)
    async with client:
        with pytest.raises(RuntimeError, match="sync request with an AsyncClient"):
            await start_extraction.asyncio_detailed(
                PROJECT_ID, client=client, body=File(payload=io.BytesIO(PDF_BYTES))
            )


async def test_start_extraction_invalid_parameter_is_plain_text(
    mode: str, httpserver: HTTPServer
) -> None:
    message = spec_example(START_SPEC_PATH, "post", "400", "text/plain")
    httpserver.expect_oneshot_request(START_PATH, method="POST").respond_with_data(
        message, status=400, content_type="text/plain; charset=utf-8"
    )

    response = await call(
        mode, httpserver, start_extraction, PROJECT_ID, body=_document(mode), temperature=3.4
    )

    assert only_request(httpserver).args["temperature"] == "3.4"
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.parsed == message
    assert message.startswith("Invalid value for: query parameter")


@pytest.mark.parametrize("status", [403, 404])
async def test_start_extraction_refusals_have_no_model(
    mode: str, httpserver: HTTPServer, status: int
) -> None:
    httpserver.expect_oneshot_request(START_PATH, method="POST").respond_with_data(
        "quota exceeded", status=status, content_type="text/plain"
    )

    response = await call(mode, httpserver, start_extraction, PROJECT_ID, body=_document(mode))

    assert only_request(httpserver).path == START_PATH
    assert response.status_code == status
    assert response.parsed is None
    assert response.content == b"quota exceeded"


# ---------------------------------------------------------------- structured extraction: result


RESULT_PATH = f"/api/structured-extraction/jobs/{JOB_ID}"
RESULT_SPEC_PATH = "/api/structured-extraction/jobs/{structuredExtractionJobId}"


async def test_extraction_result_parses_into_extraction_response(
    mode: str, httpserver: HTTPServer
) -> None:
    answer = spec_example(RESULT_SPEC_PATH, "get", "200")
    json_answer(httpserver, RESULT_PATH, "GET", answer, 200)

    response = await call(mode, httpserver, get_extraction_result, JOB_ID)

    assert_bodiless(only_request(httpserver), "GET", RESULT_PATH)
    assert response.status_code == HTTPStatus.OK
    parsed = response.parsed
    assert isinstance(parsed, ExtractionResponse)
    assert parsed.result.to_dict() == answer["result"]
    assert parsed.result["invoiceNumber"] == "INV-2026-0042"
    assert parsed.raw_model_output == answer["rawModelOutput"]
    assert parsed.total_tokens == 1892
    assert parsed.input_tokens == 1830
    assert parsed.output_tokens == 62
    assert parsed.logprobs == pytest.approx(-1.73)
    assert parsed.output_token_probability == pytest.approx(0.972)
    assert parsed.error is UNSET
    assert isinstance(parsed.document_info, ImageInfo)
    assert parsed.document_info.part_count == 1
    assert parsed.document_info.dpi == 200
    assert parsed.random_seed == 99
    assert parsed.is_truncated is False
    assert not isinstance(parsed.selected_examples, Unset)
    assert [(e.example_id, e.example_name, e.tokens_count) for e in parsed.selected_examples] == [
        ("9d3c1b7e-8a2f-4f61-b0c4-5e7a2d9f1c08", "Invoice from Globex", 412)
    ]
    assert parsed.to_dict() == answer


async def test_extraction_result_206_is_an_extraction_response(
    mode: str, httpserver: HTTPServer
) -> None:
    answer = spec_example(RESULT_SPEC_PATH, "get", "206")
    json_answer(httpserver, RESULT_PATH, "GET", answer, 206)

    response = await call(mode, httpserver, get_extraction_result, JOB_ID)

    assert_bodiless(only_request(httpserver), "GET", RESULT_PATH)
    assert response.status_code == HTTPStatus.PARTIAL_CONTENT
    parsed = response.parsed
    assert isinstance(parsed, ExtractionResponse)
    assert not isinstance(parsed.error, Unset)
    assert parsed.error.error_code == "INVALID_JSON"
    assert parsed.error.message == answer["error"]["message"]
    assert parsed.raw_model_output == answer["rawModelOutput"]
    assert parsed.result["issueDate"] is None
    assert parsed.selected_examples is UNSET
    assert parsed.total_tokens == 1847


async def test_extraction_result_keeps_unknown_fields(mode: str, httpserver: HTTPServer) -> None:
    answer = dict(spec_example(RESULT_SPEC_PATH, "get", "200"))
    answer["pageCount"] = 3
    answer["selectedExamples"] = [
        {"exampleId": "ex-1", "exampleName": "First", "tokensCount": 9, "origin": "project"},
    ]
    answer["documentInfo"] = {"documentId": "d", "fileId": "f", "text": "hi", "type": "text"}
    json_answer(httpserver, RESULT_PATH, "GET", answer, 200)

    response = await call(mode, httpserver, get_extraction_result, JOB_ID)

    assert only_request(httpserver).path == RESULT_PATH
    parsed = response.parsed
    assert isinstance(parsed, ExtractionResponse)
    assert parsed["pageCount"] == 3
    assert not isinstance(parsed.selected_examples, Unset)
    assert parsed.selected_examples[0]["origin"] == "project"
    assert isinstance(parsed.document_info, TextInfo)
    assert parsed.to_dict() == answer


@pytest.mark.parametrize("status", [403, 404])
async def test_extraction_result_refusals_have_no_model(
    mode: str, httpserver: HTTPServer, status: int
) -> None:
    httpserver.expect_oneshot_request(RESULT_PATH, method="GET").respond_with_data(
        "", status=status
    )

    response = await call(mode, httpserver, get_extraction_result, JOB_ID)

    assert only_request(httpserver).path == RESULT_PATH
    assert response.status_code == status
    assert response.parsed is None


# ---------------------------------------------------------------- markdown


MARKDOWN_PATH = "/api/markdown/infer-async"


def _page() -> PostApiMarkdownInferAsyncBody:
    return PostApiMarkdownInferAsyncBody(
        file=File(payload=io.BytesIO(PNG_BYTES), file_name="scan-page-1.png", mime_type="image/png")
    )


def assert_multipart_with_file_part(request: Request) -> None:
    content_type = request.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=", 1)[1]
    raw = request.get_data()
    assert raw.startswith(b"--" + boundary.encode() + b"\r\n")
    assert raw.count(b"Content-Disposition: form-data;") == 1
    assert b'name="file"; filename="scan-page-1.png"' in raw
    try:
        assert list(request.form.keys()) == []
        assert list(request.files.keys()) == ["file"]
        part = request.files["file"]
        assert part.filename == "scan-page-1.png"
        assert part.mimetype == "image/png"
        assert part.read() == PNG_BYTES
    finally:
        request.close()  # the parsed parts' temporary files


async def test_markdown_uploads_file_part_with_parameters(
    mode: str, httpserver: HTTPServer
) -> None:
    answer = spec_example(MARKDOWN_PATH, "post", "200")
    json_answer(httpserver, MARKDOWN_PATH, "POST", answer, 200)

    response = await call(
        mode,
        httpserver,
        post_api_markdown_infer_async,
        body=_page(),
        temperature=0.5,
        rasterization_dpi=300,
        max_output_tokens=4096,
        timeout="10s",
    )

    request = only_request(httpserver)
    assert request.method == "POST"
    assert request.path == MARKDOWN_PATH
    assert request.args.to_dict(flat=False) == {
        "temperature": ["0.5"],
        "rasterizationDPI": ["300"],
        "maxOutputTokens": ["4096"],
        "timeout": ["10s"],
    }
    assert_multipart_with_file_part(request)
    assert isinstance(response.parsed, JobIdResponse)
    assert response.parsed.job_id == answer["jobId"]


async def test_markdown_sends_documented_defaults(mode: str, httpserver: HTTPServer) -> None:
    """The spec's defaults (temperature 0, 170 dpi) become the generated defaults and are sent."""
    json_answer(httpserver, MARKDOWN_PATH, "POST", {"jobId": JOB_ID}, 200)

    await call(mode, httpserver, post_api_markdown_infer_async, body=_page())

    request = only_request(httpserver)
    assert request.args.to_dict(flat=False) == {
        "temperature": ["0.0"],
        "rasterizationDPI": ["170"],
    }
    assert_multipart_with_file_part(request)


async def test_markdown_invalid_parameter_is_plain_text(mode: str, httpserver: HTTPServer) -> None:
    message = spec_example(MARKDOWN_PATH, "post", "400", "text/plain")
    httpserver.expect_oneshot_request(MARKDOWN_PATH, method="POST").respond_with_data(
        message, status=400, content_type="text/plain"
    )

    response = await call(
        mode, httpserver, post_api_markdown_infer_async, body=_page(), rasterization_dpi=301
    )

    assert only_request(httpserver).args["rasterizationDPI"] == "301"
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.parsed == "Invalid value for: query parameter rasterizationDPI"


# ---------------------------------------------------------------- jobs


JOB_PATH = f"/api/jobs/{JOB_ID}"


async def test_get_job_parses_job_and_its_extraction_output(
    mode: str, httpserver: HTTPServer
) -> None:
    answer = spec_example("/api/jobs/{jobId}", "get", "200")
    json_answer(httpserver, JOB_PATH, "GET", answer, 200)

    response = await call(mode, httpserver, get_api_jobs_jobid, JOB_ID)

    assert_bodiless(only_request(httpserver), "GET", JOB_PATH)
    job = response.parsed
    assert isinstance(job, JobResponse)
    assert job.id == JOB_ID
    assert job.status == "completed"
    assert job.job_type == "structured-extraction"
    assert job.owner_organization == "org_Acme"
    assert job.error_message is UNSET
    assert job.started_at == datetime(2026, 11, 23, 10, 15, 1, tzinfo=UTC)
    assert job.completed_at == datetime(2026, 11, 23, 10, 15, 9, tzinfo=UTC)
    assert isinstance(job.output_data, str)
    output = ExtractionResponse.from_dict(json.loads(job.output_data))
    assert output.total_tokens == 1861
    assert not isinstance(output.selected_examples, Unset)
    assert output.selected_examples[0].example_name == "Invoice from Globex"


async def test_get_job_output_of_markdown_job_is_a_markdown_response(
    mode: str, httpserver: HTTPServer
) -> None:
    answer = spec_example("/api/jobs/{jobId}", "get", "200", name="seed-markdown")
    path = f"/api/jobs/{answer['id']}"
    json_answer(httpserver, path, "GET", answer, 200)

    response = await call(mode, httpserver, get_api_jobs_jobid, answer["id"])

    assert only_request(httpserver).path == path
    job = response.parsed
    assert isinstance(job, JobResponse)
    assert job.job_type == "markdown"
    assert job.owner_organization is UNSET
    assert isinstance(job.output_data, str)
    output = MarkdownResponse.from_dict(json.loads(job.output_data))
    assert output.result.startswith("# Invoice INV-2026-0042\n")
    assert output.thinking_trace == "One page with a title and a two-column table."
    assert output.total_tokens == 1306


async def test_get_job_status_has_no_data_fields(mode: str, httpserver: HTTPServer) -> None:
    answer = spec_example("/api/jobs/{jobId}/status", "get", "200")
    json_answer(httpserver, f"{JOB_PATH}/status", "GET", answer, 200)

    response = await call(mode, httpserver, get_api_jobs_jobid_status, JOB_ID)

    assert_bodiless(only_request(httpserver), "GET", f"{JOB_PATH}/status")
    status = response.parsed
    assert isinstance(status, JobStatusResponse)
    assert status.status == "running"
    assert status.completed_at is UNSET
    assert status.updated_at == datetime(2026, 11, 23, 10, 15, 4, tzinfo=UTC)
    assert not hasattr(status, "output_data")


async def test_unlisted_job_status_string_is_kept(mode: str, httpserver: HTTPServer) -> None:
    answer = dict(spec_example("/api/jobs/{jobId}/status", "get", "200"), status="queued-gpu")
    json_answer(httpserver, f"{JOB_PATH}/status", "GET", answer, 200)

    response = await call(mode, httpserver, get_api_jobs_jobid_status, JOB_ID)

    assert only_request(httpserver).path == f"{JOB_PATH}/status"
    assert isinstance(response.parsed, JobStatusResponse)
    assert response.parsed.status == "queued-gpu"


async def test_stream_returns_event_stream_text(mode: str, httpserver: HTTPServer) -> None:
    stream = spec_example("/api/jobs/{jobId}/stream", "get", "200", "text/event-stream")
    httpserver.expect_oneshot_request(f"{JOB_PATH}/stream", method="GET").respond_with_data(
        stream, status=200, content_type="text/event-stream"
    )

    response = await call(mode, httpserver, get_api_jobs_jobid_stream, JOB_ID)

    assert_bodiless(only_request(httpserver), "GET", f"{JOB_PATH}/stream")
    assert response.status_code == HTTPStatus.OK
    assert response.parsed == stream
    events = [block.splitlines() for block in response.parsed.strip().split("\n\n")]
    assert [lines[0] for lines in events] == ["event: ping", "event: result"]
    result = JobResponse.from_dict(json.loads(events[1][1].removeprefix("data: ")))
    assert result.status == "completed"
    assert result.id == JOB_ID


async def test_cancel_posts_without_body_and_parses_status(
    mode: str, httpserver: HTTPServer
) -> None:
    answer = spec_example("/api/jobs/{jobId}/cancel", "post", "200")
    json_answer(httpserver, f"{JOB_PATH}/cancel", "POST", answer, 200)

    response = await call(mode, httpserver, post_api_jobs_jobid_cancel, JOB_ID)

    request = only_request(httpserver)
    assert_bodiless(request, "POST", f"{JOB_PATH}/cancel")
    status = response.parsed
    assert isinstance(status, JobStatusResponse)
    assert status.status == "cancelled"
    assert status.completed_at == datetime(2026, 11, 23, 10, 15, 5, tzinfo=UTC)


JOB_OPERATIONS: list[tuple[ModuleType, str, str]] = [
    (get_api_jobs_jobid, "GET", JOB_PATH),
    (get_api_jobs_jobid_status, "GET", f"{JOB_PATH}/status"),
    (get_api_jobs_jobid_stream, "GET", f"{JOB_PATH}/stream"),
    (post_api_jobs_jobid_cancel, "POST", f"{JOB_PATH}/cancel"),
]


@pytest.mark.parametrize("status", [403, 404])
@pytest.mark.parametrize(
    ("module", "method", "path"), JOB_OPERATIONS, ids=[m.__name__ for m, _, _ in JOB_OPERATIONS]
)
async def test_job_refusals_have_no_model(
    mode: str, httpserver: HTTPServer, module: ModuleType, method: str, path: str, status: int
) -> None:
    httpserver.expect_oneshot_request(path, method=method).respond_with_data(
        "no such job", status=status
    )

    response = await call(mode, httpserver, module, JOB_ID)

    assert only_request(httpserver).path == path
    assert response.status_code == status
    assert response.parsed is None
    assert response.content == b"no such job"


# ---------------------------------------------------------------- every operation


def _start_kwargs(mode: str) -> dict[str, Any]:
    return {"body": _document(mode)}


def _markdown_kwargs(mode: str) -> dict[str, Any]:
    return {"body": _page()}


def _no_kwargs(mode: str) -> dict[str, Any]:
    return {}


ALL_OPERATIONS: list[tuple[ModuleType, tuple[str, ...], Callable[[str], dict[str, Any]], str]] = [
    (start_extraction, (PROJECT_ID,), _start_kwargs, START_PATH),
    (get_extraction_result, (JOB_ID,), _no_kwargs, RESULT_PATH),
    (post_api_markdown_infer_async, (), _markdown_kwargs, MARKDOWN_PATH),
    (get_api_jobs_jobid, (JOB_ID,), _no_kwargs, JOB_PATH),
    (get_api_jobs_jobid_status, (JOB_ID,), _no_kwargs, f"{JOB_PATH}/status"),
    (get_api_jobs_jobid_stream, (JOB_ID,), _no_kwargs, f"{JOB_PATH}/stream"),
    (post_api_jobs_jobid_cancel, (JOB_ID,), _no_kwargs, f"{JOB_PATH}/cancel"),
]


@pytest.mark.parametrize(
    ("module", "args", "kwargs", "path"),
    ALL_OPERATIONS,
    ids=[m.__name__.rsplit(".", 1)[1] for m, _, _, _ in ALL_OPERATIONS],
)
async def test_undocumented_status_falls_to_default(
    mode: str,
    httpserver: HTTPServer,
    module: ModuleType,
    args: tuple[str, ...],
    kwargs: Callable[[str], dict[str, Any]],
    path: str,
) -> None:
    httpserver.expect_oneshot_request(path).respond_with_data(
        '{"message":"upstream unavailable"}', status=503, content_type="application/json"
    )

    response = await call(mode, httpserver, module, *args, **kwargs(mode))

    assert only_request(httpserver).path == path
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.parsed is None
    assert json.loads(response.content) == {"message": "upstream unavailable"}
