"""Contextual AI on the sandbox, through the generated client: jobs and their progress, results
with attributions, the event stream, the 5-job limit, validation and unknown IDs."""

import json
import uuid
from typing import Any

import pytest
from conftest import ClientFactory, event_problems, follow, in_order
from httpx_sse import aconnect_sse, connect_sse

from contextual_client.api.extract import (
    get_extraction_job_results_extract_jobs_job_id_results_get as get_results,
)
from contextual_client.api.extract import (
    get_extraction_job_status_extract_jobs_job_id_get as get_status,
)
from contextual_client.api.extract import start_extraction_job_extract_jobs_post as start_job
from contextual_client.models import (
    ErrorResponse,
    ExtractConfig,
    ExtractJobRequest,
    ExtractJobResponse,
    ExtractJobResultsResponse,
    ExtractJobStatusResponse,
    HTTPValidationError,
)
from docextract.sandbox import Sandbox
from docextract.sandbox.extraction import synthetic_invoice

DOCUMENT = uuid.UUID("123e4567-e89b-12d3-a456-426614174000")
SCHEMA = uuid.UUID("987fcdeb-51a2-43d1-b456-426614174000")
NIL = uuid.UUID(int=0)
ORDER = ["pending", "processing", "retrying", "processing", "completed", "failed", "cancelled"]
TERMINAL = {"completed", "failed", "cancelled"}


def start(client: Any, *, attributions: bool = False) -> ExtractJobResponse:
    body = ExtractJobRequest(
        document_id=DOCUMENT,
        schema_id=SCHEMA,
        config=ExtractConfig(per_key_attribution=attributions),
    )
    response = start_job.sync_detailed(client=client, body=body)
    assert response.status_code == 200
    assert isinstance(response.parsed, ExtractJobResponse)
    return response.parsed


def status(client: Any, job_id: str) -> ExtractJobStatusResponse:
    parsed = get_status.sync_detailed(uuid.UUID(job_id), client=client).parsed
    assert isinstance(parsed, ExtractJobStatusResponse)
    return parsed


def expected_values(document: uuid.UUID = DOCUMENT) -> dict[str, Any]:
    """What the synthetic invoice of `document` says, read independently of the sandbox."""
    lines = dict(
        line.split(": ", 1) for line in synthetic_invoice(document).splitlines() if ": " in line
    )
    return {
        "invoice_number": lines["Invoice number"],
        "date": lines["Date"],
        "vendor": lines["Vendor"],
        "total_amount": float(lines["Total amount"]),
        "currency": lines["Currency"],
        "paid": lines["Paid"] == "yes",
    }


def stream(client: Any, **request: Any) -> list[tuple[str, dict[str, Any]]]:
    body = {"document_id": str(DOCUMENT), "schema_id": str(SCHEMA), "stream": True, **request}
    with connect_sse(client.get_httpx_client(), "POST", "/extract/jobs", json=body) as source:
        received = [(event.event, event.data) for event in source.iter_sse()]
    assert [p for name, data in received for p in event_problems("contextual", name, data)] == []
    return [(name, json.loads(data)) for name, data in received]


def test_job_progresses_to_results_with_attributions(make_client: ClientFactory) -> None:
    client = make_client("contextual")
    job = start(client, attributions=True)
    assert job.status == "pending"
    assert job.estimated_completion >= job.created_at
    views: list[ExtractJobStatusResponse] = []

    def read() -> str:
        views.append(status(client, job.job_id))
        return views[-1].status

    seen = follow(read, TERMINAL)
    assert seen[-1] == "completed"
    assert in_order(seen, ORDER)
    done = [view.fields_processed for view in views]
    assert done == sorted(done)
    assert views[-1].fields_processed == views[-1].total_fields == 6
    assert views[-1].completion_percentage == 100

    results = get_results.sync_detailed(uuid.UUID(job.job_id), client=client).parsed
    assert isinstance(results, ExtractJobResultsResponse)
    assert results.results.to_dict() == expected_values()
    assert results.metadata.to_dict()["output_tokens"] > 0
    attributions = results.attributions.to_dict()  # type: ignore[union-attr]
    assert attributions["vendor"]["pages"] == [1]
    assert attributions["vendor"]["confidence"] > 0.5


def test_every_uuid_names_a_different_invoice(make_client: ClientFactory) -> None:
    client = make_client("contextual")
    other = uuid.UUID("00000000-0000-4000-8000-0000000000ff")
    body = ExtractJobRequest(document_id=other, schema_id=SCHEMA)
    job = start_job.sync_detailed(client=client, body=body).parsed
    assert isinstance(job, ExtractJobResponse)
    follow(lambda: status(client, job.job_id).status, TERMINAL)
    results = get_results.sync_detailed(uuid.UUID(job.job_id), client=client).parsed
    assert isinstance(results, ExtractJobResultsResponse)
    assert results.results.to_dict() == expected_values(other) != expected_values()
    assert results.attributions is None


@pytest.mark.parametrize("outcome", ["failed", "cancelled"])
def test_jobs_end_as_configured_through_retrying(
    sandbox: Sandbox, make_client: ClientFactory, outcome: Any
) -> None:
    sandbox.configure("contextual", outcome=outcome, extra_step=True)
    client = make_client("contextual")
    job = start(client)
    seen = follow(lambda: status(client, job.job_id).status, TERMINAL)
    assert seen[-1] == outcome
    assert in_order(seen, ORDER)
    ended = status(client, job.job_id)
    assert ended.fields_processed == 3  # the first subtree was done, the last one failed
    results = get_results.sync_detailed(uuid.UUID(job.job_id), client=client)
    assert results.status_code == 404
    assert isinstance(results.parsed, ErrorResponse)


def test_stream_sends_start_and_one_result_per_subtree(make_client: ClientFactory) -> None:
    client = make_client("contextual")
    events = stream(client, config={"per_key_attribution": True})
    assert [name for name, _ in events] == ["start", "subtree_result", "subtree_result"]
    start_event = events[0][1]
    assert start_event["total_subtrees"] == 2
    merged = {**events[1][1]["extracted_result"], **events[2][1]["extracted_result"]}
    assert merged == expected_values()
    assert set(events[1][1]["attributions"]) == set(events[1][1]["extracted_result"])
    assert events[1][1]["usage_metadata"]["output_tokens"] > 0
    persisted = status(client, start_event["job_id"])
    assert persisted.status == "completed"


def test_stream_of_a_failing_job_ends_with_a_subtree_error(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    sandbox.configure("contextual", outcome="failed")
    events = stream(make_client("contextual"))
    assert [name for name, _ in events] == ["start", "subtree_result", "subtree_error"]
    assert events[2][1]["error_type"] == "failed"


async def test_async_stream_and_status(make_async_client: ClientFactory) -> None:
    client = make_async_client("contextual")
    body = {"document_id": str(DOCUMENT), "schema_id": str(SCHEMA), "stream": True}
    async with aconnect_sse(
        client.get_async_httpx_client(), "POST", "/extract/jobs", json=body
    ) as source:
        names = [event.event async for event in source.aiter_sse()]
    assert names == ["start", "subtree_result", "subtree_result"]
    job = (
        await start_job.asyncio_detailed(
            client=client, body=ExtractJobRequest(document_id=DOCUMENT, schema_id=SCHEMA)
        )
    ).parsed
    assert isinstance(job, ExtractJobResponse)
    read = (await get_status.asyncio_detailed(uuid.UUID(job.job_id), client=client)).parsed
    assert isinstance(read, ExtractJobStatusResponse)
    assert read.job_id == job.job_id
    results = await get_results.asyncio_detailed(uuid.UUID(job.job_id), client=client)
    assert results.status_code in (200, 404)


def test_a_sixth_active_job_answers_429_with_retry_after(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    sandbox.configure("contextual", step_seconds=60)
    client = make_client("contextual")
    for _ in range(5):
        start(client)
    refused = start_job.sync_detailed(
        client=client, body=ExtractJobRequest(document_id=DOCUMENT, schema_id=SCHEMA)
    )
    assert refused.status_code == 429
    assert isinstance(refused.parsed, ErrorResponse)
    assert "5 active" in refused.parsed.detail
    assert int(refused.headers["retry-after"]) >= 1
    assert sandbox.stats().jobs_created["contextual"] == 5
    sandbox.configure("contextual", step_seconds=0)  # new jobs would end at once, old ones not
    assert (
        start_job.sync_detailed(
            client=client, body=ExtractJobRequest(document_id=DOCUMENT, schema_id=SCHEMA)
        ).status_code
        == 429
    )


def test_malformed_unknown_and_invalid_requests(make_client: ClientFactory) -> None:
    client = make_client("contextual")
    http = client.get_httpx_client()
    malformed = http.post("/extract/jobs", json={"document_id": "nope", "schema_id": str(SCHEMA)})
    assert malformed.status_code == 400
    assert "document_id" in malformed.json()["detail"]
    for document, schema in ((NIL, SCHEMA), (DOCUMENT, NIL)):
        body = ExtractJobRequest(document_id=document, schema_id=schema)
        missing = start_job.sync_detailed(client=client, body=body)
        assert missing.status_code == 404
        assert isinstance(missing.parsed, ErrorResponse)
    cases = [
        ({"document_id": str(DOCUMENT)}, ["body", "schema_id"], "missing"),
        (
            {"document_id": str(DOCUMENT), "schema_id": str(SCHEMA), "extra": 1},
            ["body", "extra"],
            "extra_forbidden",
        ),
        (
            {
                "document_id": str(DOCUMENT),
                "schema_id": str(SCHEMA),
                "config": {"max_num_concurrent_requests": 21},
            },
            ["body", "config", "max_num_concurrent_requests"],
            "less_than_equal",
        ),
        (
            {"document_id": str(DOCUMENT), "schema_id": str(SCHEMA), "config": {"model": "gpt"}},
            ["body", "config", "model"],
            "enum",
        ),
        (
            {"document_id": str(DOCUMENT), "schema_id": str(SCHEMA), "stream": "yes"},
            ["body", "stream"],
            "bool_type",
        ),
    ]
    for body, loc, kind in cases:
        response = http.post("/extract/jobs", json=body)
        assert response.status_code == 422, body
        error = HTTPValidationError.from_dict(response.json()).detail[0]  # type: ignore[index]
        assert (error.loc, error.type_) == (loc, kind)
    for path in ("/extract/jobs/not-a-uuid", "/extract/jobs/not-a-uuid/results"):
        assert http.get(path).json()["detail"][0]["type"] == "uuid_parsing"
    for operation in (get_status, get_results):
        unknown = operation.sync_detailed(NIL, client=client)  # type: ignore[attr-defined]
        assert unknown.status_code == 404
        assert isinstance(unknown.parsed, ErrorResponse)


def test_an_unknown_query_parameter_is_refused(make_client: ClientFactory) -> None:
    client = make_client("contextual", checked=False)
    response = client.get_httpx_client().post(
        "/extract/jobs", params={"wait": "true"}, json={"document_id": "x", "schema_id": "y"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "wait"]
    assert response.json()["detail"][0]["type"] == "extra_forbidden"
