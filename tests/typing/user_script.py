# pyright: strict
"""docextract as a user's project uses it, checked by `mypy --strict` and `pyright --strict`
(`nox -s typecheck`). Never run: every `assert_type` is a claim the checkers verify."""

from typing import assert_type

from pydantic import BaseModel

import contextual_client
import docextract
import llamacloud_client
import numind_client
import retab_client
from contextual_client.models import ExtractJobResultsResponse
from docextract import ExtractionResult, Job, JobProgress, NotFound, UnprocessableEntity
from docextract.providers.retab import retab_extract
from llamacloud_client.api.extract import get_extract_job
from llamacloud_client.models import ExtractV2Job, HTTPValidationError
from llamacloud_client.types import Response
from numind_client.models import ExtractionResponse, MarkdownResponse
from retab_client.models import RetabParsedChatCompletion


class Invoice(BaseModel):
    invoice_number: str
    total: float


def generated_calls() -> None:
    with docextract.client("llamacloud", timeout="30s", max_retries=3) as api:
        assert_type(api, llamacloud_client.AuthenticatedClient)
        try:
            job = get_extract_job.sync("ext-1", client=api)
            assert_type(job, ExtractV2Job | HTTPValidationError | None)
            detailed = get_extract_job.sync_detailed("ext-1", client=api)
            assert_type(detailed, Response[ExtractV2Job | HTTPValidationError])
        except NotFound as missing:
            assert_type(missing.request_id, str | None)
            assert_type(missing.status_code, int)
        except UnprocessableEntity as invalid:
            assert_type(invalid.detail, object)


def clients() -> None:
    assert_type(docextract.client("numind"), numind_client.AuthenticatedClient)
    assert_type(docextract.client("retab"), retab_client.AuthenticatedClient)
    assert_type(docextract.client("contextual"), contextual_client.AuthenticatedClient)


def show(progress: JobProgress) -> None:
    print(progress.status, progress.percentage)


def numind_jobs() -> None:
    api = docextract.client("numind")
    job = docextract.submit(
        "numind",
        "structured",
        client=api,
        document="invoice.pdf",
        project_id="proj",
        temperature=0.1,
        max_example_number="3",  # text since 2026-12 (numind 0.4.2): a count or "Unlimited"
        timeout="1m",
    )
    assert_type(job, Job[ExtractionResponse])
    assert_type(docextract.wait(job, client=api, timeout="10m", mode="poll"), ExtractionResponse)
    markdown = docextract.submit("numind", "markdown", client=api, document=b"%PDF-1.7")
    assert_type(docextract.wait(markdown, client=api, on_progress=show), MarkdownResponse)
    resumed = docextract.wait("numind", "job-id", client=api)
    assert_type(resumed, ExtractionResponse | MarkdownResponse)
    api.close()


def llamacloud_jobs() -> None:
    with docextract.client("llamacloud") as api:
        job = docextract.submit(
            "llamacloud",
            "extract",
            client=api,
            document="invoice.pdf",
            data_schema={"type": "object"},
        )
        assert_type(job, Job[ExtractV2Job])
        assert_type(docextract.wait(job, client=api, cancel_on_timeout=True), ExtractV2Job)
        assert_type(docextract.wait("llamacloud", "ext-1", client=api), ExtractV2Job)


def retab_extraction() -> None:
    with docextract.client("retab") as api:
        completion = retab_extract("invoice.pdf", project_id="proj", client=api, n_consensus=2)
        assert_type(completion, RetabParsedChatCompletion)


def extraction() -> None:
    typed = docextract.extract("invoice.pdf", provider="numind", schema=Invoice, project_id="p")
    assert_type(typed, ExtractionResult[Invoice])
    assert_type(typed.data, Invoice)
    assert_type(typed.job_id, str | None)
    loose = docextract.extract("invoice.pdf", provider="llamacloud", schema={"type": "object"})
    print(loose.data, loose.usage, loose.warnings)


async def async_variant() -> None:
    async with docextract.client("contextual") as api:
        job = await docextract.submit_async(
            "contextual",
            "extract",
            client=api,
            document_id="5f0c6c4e-3a43-4f5b-9a43-1f1f3b0c9a10",
            schema_id="0b3f5a4e-2c1d-4e7f-8a9b-0c1d2e3f4a5b",
        )
        assert_type(job, Job[ExtractJobResultsResponse])
        results = await docextract.wait_async(job, client=api, timeout="5m")
        assert_type(results, ExtractJobResultsResponse)
    extracted = await docextract.extract_async(b"%PDF", provider="llamacloud", schema=Invoice)
    assert_type(extracted, ExtractionResult[Invoice])
