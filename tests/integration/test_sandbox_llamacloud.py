"""LlamaCloud on the sandbox, through the generated client: upload, create, get (expand), list
(filters, newest first, pages), cancel, delete; each terminal status; validation (unknown query
parameters and expand values too) and unknown IDs."""

import io
import json
from typing import Any

import pytest
from conftest import (
    INVOICE_TEXT,
    INVOICE_VALUES,
    ClientFactory,
    follow,
    in_order,
    wait_until_async,
)

from docextract.sandbox import INVOICE, Sandbox
from llamacloud_client.api.extract import (
    cancel_extract_job,
    create_extract_job,
    delete_extract_job,
    get_extract_job,
    list_extract_jobs,
)
from llamacloud_client.api.files import upload_file
from llamacloud_client.models import (
    ExtractConfiguration,
    ExtractConfigurationDataSchema,
    ExtractConfigurationExtractionTarget,
    ExtractV2Job,
    ExtractV2JobCreate,
    ExtractV2JobList,
    FileUploadForm,
    FileUploadResponse,
    HTTPValidationError,
    ListExtractJobsStatusType0,
)
from llamacloud_client.types import UNSET, File

ORDER = ["PENDING", "THROTTLED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]
TERMINAL = {"COMPLETED", "FAILED", "CANCELLED"}


def upload(client: Any, text: str = INVOICE_TEXT, name: str = "invoice.txt") -> str:
    form = FileUploadForm(
        file=File(payload=io.BytesIO(text.encode()), file_name=name),
        purpose="extract",
        external_file_id="inv-42",
    )
    response = upload_file.sync_detailed(client=client, body=form)
    assert response.status_code == 201
    assert isinstance(response.parsed, FileUploadResponse)
    return response.parsed.id


def create(client: Any, file_id: str, **configuration: Any) -> ExtractV2Job:
    schema = ExtractConfigurationDataSchema.from_dict(dict(INVOICE))
    body = ExtractV2JobCreate(
        file_input=file_id,
        configuration=ExtractConfiguration(data_schema=schema, **configuration),
    )
    response = create_extract_job.sync_detailed(client=client, body=body)
    assert response.status_code == 200
    assert isinstance(response.parsed, ExtractV2Job)
    return response.parsed


def get(client: Any, job_id: str, *expand: str) -> ExtractV2Job:
    parsed = get_extract_job.sync_detailed(
        job_id, client=client, expand=list(expand) if expand else UNSET
    ).parsed
    assert isinstance(parsed, ExtractV2Job)
    return parsed


def test_upload_then_extract_to_completion(make_client: ClientFactory) -> None:
    client = make_client("llamacloud")
    file_id = upload(client)
    assert file_id.startswith("dfl-")
    job = create(client, file_id, cite_sources=True, confidence_scores=True)
    assert job.id.startswith("ext-")
    assert job.file_input == file_id
    seen = follow(lambda: get(client, job.id).status, TERMINAL)
    assert seen[-1] == "COMPLETED"
    assert in_order(seen, ORDER)

    plain = get(client, job.id)
    assert plain.configuration is UNSET
    assert plain.extract_metadata is UNSET
    assert plain.extract_result.to_dict() == INVOICE_VALUES  # type: ignore[union-attr]
    assert plain.metadata.usage.num_pages_extracted == 1  # type: ignore[union-attr]

    expanded = get(client, job.id, "configuration", "extract_metadata")
    assert expanded.configuration.data_schema.to_dict() == INVOICE  # type: ignore[union-attr]
    document = expanded.extract_metadata.field_metadata.document_metadata  # type: ignore[union-attr]
    assert document["vendor"]["citation"][0]["matching_text"] == "Vendor: Acme Supplies Ltd"


def test_saved_configuration_and_page_targets(make_client: ClientFactory) -> None:
    client = make_client("llamacloud")
    pages = INVOICE_TEXT + "\fInvoice number: INV-2\nTotal amount: 7\n"
    file_id = upload(client, pages)
    saved = create_extract_job.sync_detailed(
        client=client,
        body=ExtractV2JobCreate(file_input=file_id, configuration_id="cfg-invoice"),
    ).parsed
    per_page = create(
        client, file_id, extraction_target=ExtractConfigurationExtractionTarget.PER_PAGE
    )
    assert isinstance(saved, ExtractV2Job)
    follow(lambda: get(client, saved.id).status, TERMINAL)
    follow(lambda: get(client, per_page.id).status, TERMINAL)
    assert get(client, saved.id).configuration_id == "cfg-invoice"
    result = get(client, per_page.id).extract_result
    assert isinstance(result, list)
    assert len(result) == 2
    assert [page.to_dict()["invoice_number"] for page in result] == ["INV-2026-0042", "INV-2"]
    assert result[1].to_dict()["total_amount"] == 7.0


@pytest.mark.parametrize(("outcome", "status"), [("failed", "FAILED"), ("cancelled", "CANCELLED")])
def test_jobs_end_as_configured_through_the_throttled_step(
    sandbox: Sandbox, make_client: ClientFactory, outcome: Any, status: str
) -> None:
    sandbox.configure("llamacloud", outcome=outcome, extra_step=True)
    client = make_client("llamacloud")
    job = create(client, upload(client))
    seen = follow(lambda: get(client, job.id).status, TERMINAL)
    assert seen[-1] == status
    assert in_order(seen, ORDER)
    ended = get(client, job.id)
    assert ended.extract_result is None
    assert (ended.error_message is not None) == (status == "FAILED")


def test_cancel(sandbox: Sandbox, make_client: ClientFactory) -> None:
    sandbox.configure("llamacloud", step_seconds=60)
    client = make_client("llamacloud")
    job = create(client, upload(client))
    assert job.status == "PENDING"
    cancelled = cancel_extract_job.sync_detailed(job.id, client=client).parsed
    assert isinstance(cancelled, ExtractV2Job)
    assert cancelled.status == "CANCELLED"
    assert get(client, job.id).status == "CANCELLED"


async def test_async_operations(make_async_client: ClientFactory) -> None:
    client = make_async_client("llamacloud")
    form = FileUploadForm(
        file=File(payload=io.BytesIO(INVOICE_TEXT.encode()), file_name="a.txt"),
        purpose="extract",
    )
    uploaded = (await upload_file.asyncio_detailed(client=client, body=form)).parsed
    assert isinstance(uploaded, FileUploadResponse)
    body = ExtractV2JobCreate(file_input=uploaded.id, configuration_id="cfg-invoice")
    created = (await create_extract_job.asyncio_detailed(client=client, body=body)).parsed
    assert isinstance(created, ExtractV2Job)

    async def completed() -> ExtractV2Job | None:
        job = (await get_extract_job.asyncio_detailed(created.id, client=client)).parsed
        assert isinstance(job, ExtractV2Job)
        return job if job.status == "COMPLETED" else None

    job = await wait_until_async(completed)
    assert job.extract_result.to_dict() == INVOICE_VALUES  # type: ignore[union-attr]
    cancelled = (await cancel_extract_job.asyncio_detailed(created.id, client=client)).parsed
    assert isinstance(cancelled, ExtractV2Job)
    assert cancelled.status == "COMPLETED"
    listed = (await list_extract_jobs.asyncio_detailed(client=client)).parsed
    assert isinstance(listed, ExtractV2JobList)
    assert [j.id for j in listed.items] == [created.id]


def test_list_filters_and_pages(sandbox: Sandbox, make_client: ClientFactory) -> None:
    client = make_client("llamacloud")
    file_id = upload(client)
    done = [create(client, file_id).id for _ in range(3)]
    for job_id in done:
        follow(lambda job_id=job_id: get(client, job_id).status, TERMINAL)
    sandbox.configure("llamacloud", step_seconds=60)
    pending = create(client, file_id).id

    ids: list[str] = []
    token: Any = UNSET
    for _ in range(10):
        page = list_extract_jobs.sync_detailed(client=client, page_size=2, page_token=token).parsed
        assert isinstance(page, ExtractV2JobList)
        assert page.total_size == 4
        ids += [job.id for job in page.items]
        if not page.next_page_token:
            break
        token = page.next_page_token
    assert ids == [pending, *reversed(done)]  # newest first

    only = list_extract_jobs.sync_detailed(
        client=client, status=ListExtractJobsStatusType0.PENDING, expand=["configuration"]
    ).parsed
    assert isinstance(only, ExtractV2JobList)
    assert [job.id for job in only.items] == [pending]
    assert only.total_size == 1
    assert only.items[0].configuration is not UNSET


@pytest.mark.parametrize(
    ("call", "loc", "kind"),
    [
        (
            lambda c: list_extract_jobs.sync_detailed(client=c, expand=["usage"]),
            "expand",
            "enum",
        ),
        (
            lambda c: get_extract_job.sync_detailed("x", client=c, expand=["everything"]),
            "expand",
            "enum",
        ),
        (
            lambda c: c.get_httpx_client().get("/api/v2/extract", params={"pagesize": "2"}),
            "pagesize",
            "extra_forbidden",
        ),
        (
            lambda c: list_extract_jobs.sync_detailed(client=c, page_token="nope"),
            "page_token",
            "value_error",
        ),
        (
            lambda c: c.get_httpx_client().get("/api/v2/extract", params={"status": "DONE"}),
            "status",
            "enum",
        ),
        (
            lambda c: c.get_httpx_client().get("/api/v2/extract/x", params={"project_id": "p"}),
            "project_id",
            "uuid_parsing",
        ),
    ],
)
def test_bad_query_parameters_answer_422(
    make_client: ClientFactory, call: Any, loc: str, kind: str
) -> None:
    response = call(make_client("llamacloud"))
    assert response.status_code == 422
    detail = json.loads(response.content)["detail"]
    assert detail[0]["loc"][:2] == ["query", loc]
    assert detail[0]["type"] == kind
    assert detail[0]["msg"].startswith(("Input should be", "Value error", "Extra inputs"))


def test_bad_bodies_answer_422(make_client: ClientFactory) -> None:
    client = make_client("llamacloud")
    http = client.get_httpx_client()
    file_id = upload(client)
    cases = [
        (
            {"file_input": "dfl-unknown", "configuration_id": "cfg-invoice"},
            ["body", "file_input"],
        ),
        ({"file_input": file_id}, ["body"]),
        (
            {"file_input": file_id, "configuration_id": "cfg-nope"},
            ["body", "configuration_id"],
        ),
        (
            {"file_input": file_id, "configuration": {"data_schema": {}, "max_pages": 0}},
            ["body", "configuration", "max_pages"],
        ),
        (
            {"file_input": file_id, "configuration": {"tier": "cost_effective"}},
            ["body", "configuration", "data_schema"],
        ),
        ({"configuration_id": "cfg-invoice"}, ["body", "file_input"]),
    ]
    for body, loc in cases:
        response = http.post("/api/v2/extract", json=body)
        assert response.status_code == 422, body
        parsed = HTTPValidationError.from_dict(response.json())
        assert parsed.detail[0].loc == loc  # type: ignore[index]
    broken = http.post(
        "/api/v2/extract", content=b"{", headers={"content-type": "application/json"}
    )
    assert broken.json()["detail"][0]["type"] == "json_invalid"
    no_purpose = http.post("/api/v1/beta/files", files={"file": ("a.txt", b"x")})
    assert no_purpose.json()["detail"][0]["loc"] == ["body", "purpose"]
    bad_purpose = http.post(
        "/api/v1/beta/files", files={"file": ("a.txt", b"x")}, data={"purpose": "fun"}
    )
    assert bad_purpose.json()["detail"][0]["type"] == "enum"


def test_unknown_job_answers_404(make_client: ClientFactory) -> None:
    client = make_client("llamacloud")
    for response in (
        get_extract_job.sync_detailed("ext-unknown", client=client),
        cancel_extract_job.sync_detailed("ext-unknown", client=client),
    ):
        assert response.status_code == 404
        assert response.content == b'{"detail":"Extract job not found"}'


def test_list_filters_filter(make_client: ClientFactory) -> None:
    client = make_client("llamacloud")
    first, second = upload(client), upload(client)
    a = create(client, first).id
    b = create(client, second).id
    saved = create_extract_job.sync_detailed(
        client=client, body=ExtractV2JobCreate(file_input=first, configuration_id="cfg-invoice")
    ).parsed
    assert isinstance(saved, ExtractV2Job)

    def ids(**filters: Any) -> list[str]:
        page = list_extract_jobs.sync_detailed(client=client, **filters).parsed
        assert isinstance(page, ExtractV2JobList)
        return [job.id for job in page.items]

    assert ids(file_input=first) == [saved.id, a]
    assert ids(document_input_value=second) == [b]  # the deprecated name still filters
    assert ids(job_ids=[a, b]) == [b, a]
    assert ids(configuration_id="cfg-invoice") == [saved.id]
    assert ids(document_input_type="parse_job_id") == []
    assert ids(created_at_on_or_before="2000-01-01T00:00:00Z") == []


def test_usage_expansion_and_delete(make_client: ClientFactory) -> None:
    client = make_client("llamacloud")
    job = create(client, upload(client))
    follow(lambda: get(client, job.id).status, TERMINAL)
    billed = get(client, job.id, "usage")
    assert billed.usage.credits_ == 5.0  # type: ignore[union-attr]
    assert billed.metadata.usage.num_pages_billed == 1  # type: ignore[union-attr]
    assert get(client, job.id).usage is UNSET

    assert delete_extract_job.sync_detailed(job.id, client=client).status_code == 200
    assert get_extract_job.sync_detailed(job.id, client=client).status_code == 404
    assert delete_extract_job.sync_detailed(job.id, client=client).status_code == 404


def test_creation_past_the_configured_pace_answers_429(sandbox: Sandbox) -> None:
    import httpx

    sandbox.configure("llamacloud", creations_per_second=2)
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    with httpx.Client(base_url=sandbox.base_url("llamacloud"), headers=headers) as h:
        upload = h.post(
            "/api/v1/beta/files",
            files={"file": ("a.txt", b"INVOICE INV-1")},
            data={"purpose": "extract"},
        )
        body = {"file_input": upload.json()["id"], "configuration": {"data_schema": INVOICE}}
        answers = [h.post("/api/v2/extract", json=body) for _ in range(4)]
    codes = [answer.status_code for answer in answers]
    assert codes[:2] == [200, 200]  # a bucket of one second's worth
    assert 429 in codes[2:]
    refused = next(answer for answer in answers if answer.status_code == 429)
    assert int(refused.headers["Retry-After"]) >= 1
    assert sandbox.stats().jobs_created["llamacloud"] == codes.count(200)


@pytest.mark.parametrize(
    ("provider", "value"),
    [
        ("llamacloud", 0),
        ("llamacloud", -1),
        ("llamacloud", True),
        ("llamacloud", "9"),
        ("numind", 5),
    ],
)
def test_a_bad_creation_pace_is_refused(sandbox: Sandbox, provider: str, value: object) -> None:
    import httpx

    answer = httpx.post(
        f"{sandbox.url}/_sandbox/schedules",
        headers={"Authorization": f"Bearer {sandbox.api_key}"},
        json={"provider": provider, "creations_per_second": value},
    )
    assert answer.status_code == 422, answer.text
    assert "creations_per_second" in answer.text
