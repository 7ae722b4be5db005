"""NuMind on the sandbox, through the generated client: structured extraction and NuMarkdown
jobs, the job operations, the job stream, validation and unknown IDs."""

import io
import json
from typing import Any

import httpx
import pytest
from conftest import (
    INVOICE_TEXT,
    INVOICE_VALUES,
    ClientFactory,
    event_problems,
    follow,
    in_order,
    wait_until_async,
)
from httpx_sse import aconnect_sse, connect_sse

from docextract.sandbox import Sandbox
from numind_client.api.jobs import (
    get_api_jobs_jobid,
    get_api_jobs_jobid_status,
    get_api_jobs_jobid_stream,
    post_api_jobs_jobid_cancel,
)
from numind_client.api.markdown import post_api_markdown_infer_async
from numind_client.api.structured_extraction import (
    get_api_structured_extraction_jobs_structuredextractionjobid as read_result,
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
    PostApiMarkdownInferAsyncBody,
    TextInfo,
)
from numind_client.types import File

PROJECT = "numind-invoice"
ORDER = ["queued", "running", "completed", "failed", "cancelled"]
TERMINAL = {"completed", "failed", "cancelled"}


def document(text: str = INVOICE_TEXT) -> File:
    return File(payload=io.BytesIO(text.encode()), file_name="invoice.txt")


def async_document() -> File:
    """The async client sends an octet-stream body as is: bytes (a BytesIO is a sync stream)."""
    return File(payload=INVOICE_TEXT.encode())  # type: ignore[arg-type]


def start(client: Any, data: bytes | None = None, **params: Any) -> str:
    body = File(payload=io.BytesIO(data)) if data is not None else document()
    response = start_extraction.sync_detailed(PROJECT, client=client, body=body, **params)
    assert response.status_code == 200
    assert isinstance(response.parsed, JobIdResponse)
    return response.parsed.job_id


def status_model(client: Any, job_id: str) -> JobStatusResponse:
    parsed = get_api_jobs_jobid_status.sync_detailed(job_id, client=client).parsed
    assert isinstance(parsed, JobStatusResponse)
    return parsed


def status_of(client: Any, job_id: str) -> str:
    return status_model(client, job_id).status


def job(client: Any, job_id: str) -> JobResponse:
    parsed = get_api_jobs_jobid.sync_detailed(job_id, client=client).parsed
    assert isinstance(parsed, JobResponse)
    return parsed


def events(client: Any, job_id: str) -> list[tuple[str, str]]:
    url = f"/api/jobs/{job_id}/stream"
    with connect_sse(client.get_httpx_client(), "GET", url) as source:
        assert source.response.headers["content-type"].startswith("text/event-stream")
        return [(event.event, event.data) for event in source.iter_sse()]


def test_structured_extraction_completes_with_the_documents_values(
    make_client: ClientFactory,
) -> None:
    client = make_client("numind")
    job_id = start(client, temperature=0.2, dpi="150", random_seed="99", timeout="10s")
    seen = follow(lambda: status_of(client, job_id), TERMINAL)
    assert seen[-1] == "completed"
    assert in_order(seen, ORDER)

    finished = job(client, job_id)
    assert finished.completed_at is not None
    assert finished.started_at <= finished.completed_at
    assert json.loads(finished.input_data)["projectId"] == PROJECT
    output = json.loads(str(finished.output_data))
    assert output["result"] == INVOICE_VALUES

    result = read_result.sync_detailed(job_id, client=client)
    assert result.status_code == 200
    assert isinstance(result.parsed, ExtractionResponse)
    assert result.parsed.result.to_dict() == INVOICE_VALUES
    assert result.parsed.total_tokens == result.parsed.input_tokens + result.parsed.output_tokens
    assert json.loads(result.parsed.raw_model_output) == INVOICE_VALUES
    assert result.parsed.random_seed == 99
    assert result.parsed.is_truncated is False
    assert status_model(client, job_id).timeout_seconds == 10
    # a text document is read as text: the provider's TextInfo
    assert isinstance(result.parsed.document_info, TextInfo)
    assert result.parsed.document_info.text == INVOICE_TEXT


def test_a_pdf_is_read_as_images(make_client: ClientFactory) -> None:
    client = make_client("numind")
    pdf = b"%PDF-1.4\n" + INVOICE_TEXT.encode()
    job_id = start(client, pdf, dpi="200")
    follow(lambda: status_of(client, job_id), TERMINAL)
    info = read_result.sync_detailed(job_id, client=client).parsed.document_info  # type: ignore[union-attr]
    assert isinstance(info, ImageInfo)
    assert (info.type_, info.dpi, info.part_count) == ("image", 200, 1)
    assert status_model(client, job_id).timeout_seconds == 3600  # the server's default


def test_a_missing_field_is_null(make_client: ClientFactory) -> None:
    client = make_client("numind")
    text = INVOICE_TEXT.replace("Vendor: Acme Supplies Ltd\n", "")
    response = start_extraction.sync_detailed(PROJECT, client=client, body=document(text))
    assert isinstance(response.parsed, JobIdResponse)
    job_id = response.parsed.job_id
    follow(lambda: status_of(client, job_id), TERMINAL)
    parsed = read_result.sync_detailed(job_id, client=client).parsed
    assert isinstance(parsed, ExtractionResponse)
    assert parsed.result.to_dict() == {**INVOICE_VALUES, "vendor": None}


async def test_async_client_covers_every_operation(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    client = make_async_client("numind")
    started = await start_extraction.asyncio_detailed(PROJECT, client=client, body=async_document())
    assert isinstance(started.parsed, JobIdResponse)
    sandbox.configure("numind", step_seconds=60)
    slow = await start_extraction.asyncio_detailed(PROJECT, client=client, body=async_document())
    assert isinstance(slow.parsed, JobIdResponse)

    cancelled = await post_api_jobs_jobid_cancel.asyncio_detailed(slow.parsed.job_id, client=client)
    assert isinstance(cancelled.parsed, JobStatusResponse)
    assert cancelled.parsed.status == "cancelled"
    assert cancelled.parsed.completed_at is not None

    job_id = started.parsed.job_id

    async def completed() -> bool:
        status = await get_api_jobs_jobid_status.asyncio_detailed(job_id, client=client)
        assert isinstance(status.parsed, JobStatusResponse)
        return status.parsed.status == "completed"

    await wait_until_async(completed)
    read = await get_api_jobs_jobid.asyncio_detailed(job_id, client=client)
    assert isinstance(read.parsed, JobResponse)
    assert read.parsed.status == "completed"
    result = await read_result.asyncio_detailed(started.parsed.job_id, client=client)
    assert isinstance(result.parsed, ExtractionResponse)
    assert result.parsed.result.to_dict() == INVOICE_VALUES

    markdown = await post_api_markdown_infer_async.asyncio_detailed(
        client=client, body=PostApiMarkdownInferAsyncBody(file=document())
    )
    assert isinstance(markdown.parsed, JobIdResponse)
    streamed = await get_api_jobs_jobid_stream.asyncio_detailed(slow.parsed.job_id, client=client)
    assert str(streamed.parsed).startswith("event: result")

    async with aconnect_sse(
        client.get_async_httpx_client(), "GET", f"/api/jobs/{slow.parsed.job_id}/stream"
    ) as source:
        received = [(event.event, event.data) async for event in source.aiter_sse()]
    assert [name for name, _ in received] == ["result"]
    assert json.loads(received[0][1])["status"] == "cancelled"


def test_failed_job_has_an_error_and_an_empty_result(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    sandbox.configure("numind", outcome="failed")
    client = make_client("numind")
    job_id = start(client)
    seen = follow(lambda: status_of(client, job_id), TERMINAL)
    assert seen[-1] == "failed"
    assert in_order(seen, ORDER)
    failed = job(client, job_id)
    assert failed.error_message
    assert failed.error_code
    assert not failed.output_data
    result = read_result.sync_detailed(job_id, client=client).parsed
    assert isinstance(result, ExtractionResponse)
    assert result.result.to_dict() == dict.fromkeys(INVOICE_VALUES)
    assert result.error
    assert result.error.error_code == failed.error_code


def test_configured_cancellation(sandbox: Sandbox, make_client: ClientFactory) -> None:
    sandbox.configure("numind", outcome="cancelled")
    client = make_client("numind")
    job_id = start(client)
    seen = follow(lambda: status_of(client, job_id), TERMINAL)
    assert seen[-1] == "cancelled"
    assert in_order(seen, ORDER)


def test_cancel_stops_a_running_job_and_leaves_an_ended_one(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    client = make_client("numind")
    done = start(client)
    follow(lambda: status_of(client, done), TERMINAL)
    sandbox.configure("numind", step_seconds=60)
    running = start(client)
    assert status_of(client, running) == "queued"

    first = post_api_jobs_jobid_cancel.sync_detailed(running, client=client).parsed
    again = post_api_jobs_jobid_cancel.sync_detailed(running, client=client).parsed
    untouched = post_api_jobs_jobid_cancel.sync_detailed(done, client=client).parsed
    assert isinstance(first, JobStatusResponse)
    assert isinstance(again, JobStatusResponse)
    assert first.status == again.status == "cancelled"
    assert first.completed_at == again.completed_at
    assert isinstance(untouched, JobStatusResponse)
    assert untouched.status == "completed"
    assert read_result.sync_detailed(running, client=client).parsed.error.error_code  # type: ignore[union-attr]


def test_nonconforming_output_is_served_with_206(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    sandbox.configure("numind", outcome="nonconforming")
    client = make_client("numind")
    job_id = start(client)
    assert follow(lambda: status_of(client, job_id), TERMINAL)[-1] == "completed"
    result = read_result.sync_detailed(job_id, client=client)
    assert result.status_code == 206
    assert isinstance(result.parsed, ExtractionResponse)
    assert result.parsed.error
    assert result.parsed.error.error_code == "INVALID_JSON"
    values = result.parsed.result.to_dict()
    assert values["invoice_number"] == INVOICE_VALUES["invoice_number"]
    assert values["paid"] is None
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.parsed.raw_model_output)


def test_result_before_the_job_ends_is_refused(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    sandbox.configure("numind", step_seconds=60)
    client = make_client("numind")
    response = read_result.sync_detailed(start(client), client=client)
    assert response.status_code == 409
    assert "has not ended" in response.content.decode()


def test_markdown_job_converts_the_document(make_client: ClientFactory) -> None:
    client = make_client("numind")
    response = post_api_markdown_infer_async.sync_detailed(
        client=client, body=PostApiMarkdownInferAsyncBody(file=document()), rasterization_dpi=300
    )
    assert isinstance(response.parsed, JobIdResponse)
    job_id = response.parsed.job_id
    assert follow(lambda: status_of(client, job_id), TERMINAL)[-1] == "completed"
    finished = job(client, job_id)
    assert finished.job_type == "markdown"
    output = json.loads(str(finished.output_data))
    assert output["result"].startswith("# ACME SUPPLIES LTD - INVOICE\n")
    assert "- **Invoice number**: INV-2026-0042" in output["result"]
    assert output["thinkingTrace"]
    assert output["rawModelOutput"].endswith(output["result"])
    assert read_result.sync_detailed(job_id, client=client).status_code == 404


def test_stream_pings_while_the_job_runs_then_sends_it(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    sandbox.configure("numind", step_seconds=60)
    client = make_client("numind")
    job_id = start(client)
    received: list[tuple[str, str]] = []
    with connect_sse(client.get_httpx_client(), "GET", f"/api/jobs/{job_id}/stream") as source:
        for event in source.iter_sse():
            received.append((event.event, event.data))
            if len(received) == 3:  # a ping at once, then one every ping interval
                post_api_jobs_jobid_cancel.sync_detailed(job_id, client=client)
    names = [name for name, _ in received]
    assert names[:3] == ["ping"] * 3
    assert names[-1] == "result"
    assert set(names[:-1]) == {"ping"}
    assert all(data == "" for name, data in received if name == "ping")
    assert json.loads(received[-1][1])["status"] == "cancelled"
    assert [p for name, data in received for p in event_problems("numind", name, data)] == []


def test_stream_of_an_ended_job_answers_the_result_at_once(make_client: ClientFactory) -> None:
    client = make_client("numind")
    job_id = start(client)
    follow(lambda: status_of(client, job_id), TERMINAL)
    received = events(client, job_id)
    assert [name for name, _ in received] == ["result"]
    finished = JobResponse.from_dict(json.loads(received[0][1]))
    assert finished.status == "completed"
    assert json.loads(str(finished.output_data))["result"] == INVOICE_VALUES
    assert event_problems("numind", *received[0]) == []


def test_stream_error_event(sandbox: Sandbox, make_client: ClientFactory) -> None:
    sandbox.configure("numind", stream_error=True)
    client = make_client("numind")
    received = events(client, start(client))
    assert [name for name, _ in received] == ["error"]
    assert set(json.loads(received[0][1])) == {"code", "message"}
    assert event_problems("numind", *received[0]) == []


def test_generated_stream_operation_reads_the_whole_stream(make_client: ClientFactory) -> None:
    client = make_client("numind")
    job_id = start(client)
    follow(lambda: status_of(client, job_id), TERMINAL)
    response = get_api_jobs_jobid_stream.sync_detailed(job_id, client=client)
    assert response.status_code == 200
    assert str(response.parsed).startswith("event: result\ndata: {")


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"temperature": 2.5}, "temperature"),
        ({"dpi": "0"}, "dpi"),
        ({"dpi": "high"}, "dpi"),
        ({"max_output_tokens": "0"}, "maxOutputTokens"),
        ({"max_example_token_number": 130_001}, "maxExampleTokenNumber"),
        ({"max_example_number": "-2"}, "maxExampleNumber"),
        ({"random_seed": "lucky"}, "randomSeed"),
        ({"min_example_similarity": 2.0}, "minExampleSimilarity"),
        ({"timeout": "soon"}, "timeout"),
    ],
)
def test_out_of_range_parameters_answer_400_in_plain_text(
    make_client: ClientFactory, params: dict[str, Any], name: str
) -> None:
    client = make_client("numind")
    response = start_extraction.sync_detailed(PROJECT, client=client, body=document(), **params)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.parsed == f"Invalid value for: query parameter {name}"


def test_markdown_validation_and_missing_file(make_client: ClientFactory) -> None:
    client = make_client("numind")
    body = PostApiMarkdownInferAsyncBody(file=document())
    response = post_api_markdown_infer_async.sync_detailed(
        client=client, body=body, rasterization_dpi=301
    )
    assert (response.status_code, response.parsed) == (
        400,
        "Invalid value for: query parameter rasterizationDPI",
    )
    empty = client.get_httpx_client().post("/api/markdown/infer-async", files={"other": b"x"})
    assert (empty.status_code, empty.text) == (400, "Invalid value for: body")
    no_body = start_extraction.sync_detailed(
        PROJECT, client=client, body=File(payload=io.BytesIO(b""))
    )
    assert (no_body.status_code, no_body.parsed) == (400, "Invalid value for: body")


def test_unknown_project_and_job_answer_404(make_client: ClientFactory) -> None:
    client = make_client("numind")
    response = start_extraction.sync_detailed("no-such-project", client=client, body=document())
    assert response.status_code == 404
    for operation in (
        get_api_jobs_jobid,
        get_api_jobs_jobid_status,
        get_api_jobs_jobid_stream,
        post_api_jobs_jobid_cancel,
        read_result,
    ):
        answer = operation.sync_detailed("no-such-job", client=client)  # type: ignore[attr-defined]
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("text/plain")


def test_projects_from_the_config(sandbox_server: Sandbox) -> None:
    """More projects come from the config: `projects={"id": schema}`."""
    from docextract.sandbox import SandboxConfig, running_sandbox

    schema = {"type": "object", "properties": {"order_id": {"type": "integer"}}}
    config = SandboxConfig(api_key="k", step_seconds=0, projects={"orders": schema})
    with running_sandbox(config) as other:
        http = httpx.Client(
            base_url=other.base_url("numind"), headers={"Authorization": "Bearer k"}
        )
        with http:
            job_id = http.post(
                "/api/structured-extraction/orders/jobs", content=b"Order ID: 42"
            ).json()
            result = http.get(f"/api/structured-extraction/jobs/{job_id['jobId']}").json()
    assert result["result"] == {"order_id": 42}


@pytest.mark.parametrize(
    "path",
    ["/api/jobs/{job}", "/api/jobs/{job}/status", "/api/structured-extraction/jobs/{job}"],
)
def test_an_unknown_query_parameter_is_refused_as_numind_does(
    make_client: ClientFactory, path: str
) -> None:
    """A misspelt parameter (`rasterizationDPI` where the operation says `dpi`) is not ignored."""
    client = make_client("numind", checked=False)
    job_id = start(client)
    response = client.get_httpx_client().get(path.format(job=job_id), params={"verbose": "1"})
    assert (response.status_code, response.text) == (
        400,
        "Invalid value for: query parameter verbose",
    )
    started = client.get_httpx_client().post(
        f"/api/structured-extraction/{PROJECT}/jobs",
        params={"rasterizationDPI": "200"},
        content=INVOICE_TEXT.encode(),
        headers={"content-type": "application/octet-stream"},
    )
    assert started.text == "Invalid value for: query parameter rasterizationDPI"
