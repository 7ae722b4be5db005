"""The documented, typed path end to end on the sandbox: docextract.client(provider) ->
docextract.submit(provider, operation, every keyword of its overload) -> docextract.wait(job),
sync and asyncio, the result the precise generated model."""

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import docextract
from contextual_client.models import ExtractJobResultsResponse
from docextract.sandbox import Sandbox, SandboxConfig, running_sandbox
from docextract.waiting import PollPolicy
from llamacloud_client.models import ExtractV2Job
from numind_client.models import ExtractionResponse, MarkdownResponse

INVOICE = Path(__file__).resolve().parents[2] / "examples" / "invoice.txt"
KEY = "sandbox-typed-key"
POLL = PollPolicy(initial=0.01, maximum=0.05)
DOCUMENT = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://docextract.invalid/typed/doc"))
SCHEMA = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://docextract.invalid/typed/schema"))


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with running_sandbox(SandboxConfig(api_key=KEY, step_seconds=0.02)) as running:
        yield running


def test_numind_structured_with_every_option(sandbox: Sandbox) -> None:
    with docextract.client("numind", api_key=KEY, base_url=sandbox.base_url("numind")) as api:
        job = docextract.submit(
            "numind",
            "structured",
            client=api,
            document=INVOICE,
            project_id="numind-invoice",
            temperature=0.0,
            rasterization_dpi=150,
            max_output_tokens=2000,
            max_example_token_number=1000,
            max_example_number=2,
            min_example_similarity=0.5,
            timeout="2m",
        )
        result = docextract.wait(job, client=api, timeout="10s", poll=POLL)

    assert isinstance(result, ExtractionResponse)
    assert job.provider == "numind"
    assert job.operation == "structured"


def test_numind_markdown(sandbox: Sandbox) -> None:
    with docextract.client("numind", api_key=KEY, base_url=sandbox.base_url("numind")) as api:
        job = docextract.submit(
            "numind", "markdown", client=api, document=INVOICE.read_bytes(), temperature=0.0
        )
        result = docextract.wait(job, client=api, timeout="10s", mode="poll", poll=POLL)

    assert isinstance(result, MarkdownResponse)
    assert "INV-2026-0042" in result.result


def test_llamacloud_extract_and_resume_by_id(sandbox: Sandbox) -> None:
    url = sandbox.base_url("llamacloud")
    with docextract.client("llamacloud", api_key=KEY, base_url=url) as api:
        job = docextract.submit(
            "llamacloud",
            "extract",
            client=api,
            document=INVOICE,
            data_schema={"type": "object", "properties": {"invoice_number": {"type": "string"}}},
        )
        first = docextract.wait(job, client=api, timeout="10s", poll=POLL)
        again = docextract.wait("llamacloud", job.id, client=api, timeout="10s", poll=POLL)

    assert isinstance(first, ExtractV2Job)
    assert isinstance(again, ExtractV2Job)
    assert first.id == again.id == job.id


def test_contextual_extract_async(sandbox: Sandbox) -> None:
    async def run() -> ExtractJobResultsResponse:
        url = sandbox.base_url("contextual")
        async with docextract.client("contextual", api_key=KEY, base_url=url) as api:
            job = await docextract.submit_async(
                "contextual", "extract", client=api, document_id=DOCUMENT, schema_id=SCHEMA
            )
            return await docextract.wait_async(job, client=api, timeout="10s", poll=POLL)

    result = asyncio.run(run())

    assert isinstance(result, ExtractJobResultsResponse)
