"""The generated clients against Stoplight Prism, a third-party contract checker.

For each provider, `prism mock specs/<p>/openapi.yaml --errors` (request validation on: a request
that breaks the spec gets a 4xx answer and an `sl-violations` header). Every operation, called
through the generated client with valid inputs, must pass Prism's validation, and the client
must parse Prism's answer; the reference fixtures' requests that the provider answers with
success must pass it too; and a request that breaks the spec must be caught, proving Prism checks.

Skipped when node_modules/.bin/prism is missing (run `npm ci`), unless DOCEXTRACT_REQUIRE_PRISM
is set (as in CI), in which case it fails. Each Prism starts once per module and always stops.
"""

from __future__ import annotations

import dataclasses
import io
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from contract.cassettes import Interaction, RecordedResponse, all_interactions
from contract.prism import Prism, prism_server, unavailable_reason, violations

from docextract.contract.checks import check_model, check_schema
from docextract.contract.specs import PROVIDERS, provider_spec

pytestmark = pytest.mark.prism

_REASON = unavailable_reason()
if _REASON:
    pytest.skip(_REASON, allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]
KEY = "prism-test-key"
JOB = "0b6f2f3e-5d0c-4c1e-9a57-2f8f6c1d7a10"
UUID_JOB = uuid.UUID("456e7890-e89b-12d3-a456-426614174000")
PROJECT = uuid.UUID("c3a1f6d2-8b4e-4f7a-9d0c-1e2f3a4b5c6d")
ORGANIZATION = uuid.UUID("9f1e2d3c-4b5a-4968-8776-655443322110")
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"


class Prisms:
    """One Prism per provider, started on first use, all stopped at the end of the module."""

    def __init__(self, stack: ExitStack, *args: str) -> None:
        self.stack = stack
        self.args = args
        self.running: dict[str, Prism] = {}

    def __call__(self, provider: str) -> Prism:
        if provider not in self.running:
            spec = ROOT / "specs" / provider / "openapi.yaml"
            self.running[provider] = self.stack.enter_context(
                prism_server("mock", spec, *self.args)
            )
        return self.running[provider]


@pytest.fixture(scope="module")
def prisms() -> Iterator[Prisms]:
    with ExitStack() as stack:
        yield Prisms(stack, "--errors")


def client_for(provider: str, prism: Prism) -> Any:
    package = __import__(f"{provider}_client")
    security = provider_spec(provider).facts["security"]
    return package.AuthenticatedClient(
        base_url=prism.url,
        token=KEY,
        prefix=security["prefix"],
        auth_header_name=security["header"],
    )


# ---------------------------------------------------------------- every operation, valid inputs


def _numind(operation: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    from numind_client.models import PostApiMarkdownInferAsyncBody
    from numind_client.types import File

    if operation == "post_api_structured_extraction_structuredextractionprojectid_jobs":
        document = File(
            payload=io.BytesIO(PDF), file_name="invoice.pdf", mime_type="application/pdf"
        )
        return ("4e1f8a52-2c4b-4b8e-8f0a-6d2b1c9e3f77",), {
            "body": document,
            "temperature": 1.5,
            "dpi": "200",
            "max_output_tokens": "Unlimited",
            "max_example_token_number": 2048,
            "max_example_number": "3",
            "min_example_similarity": 0.8,
            "enable_thinking": True,
            "thinking_token_budget": "512",
            "loop_detection": True,
            "random_seed": "99",
            "image_width": "automatic",
            "timeout": "1h30m",
        }
    if operation == "post_api_markdown_infer_async":
        page = File(payload=io.BytesIO(PNG), file_name="page.png", mime_type="image/png")
        return (), {
            "body": PostApiMarkdownInferAsyncBody(file=page),
            "temperature": 0.5,
            "rasterization_dpi": 300,
            "max_output_tokens": 4096,
            "timeout": "10s",
        }
    return (JOB,), {}


def _llamacloud(operation: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    from llamacloud_client.models import (
        ExtractV2JobCreate,
        FileUploadForm,
        ListExtractJobsStatusType0,
    )
    from llamacloud_client.types import File

    scope = {"project_id": PROJECT, "organization_id": ORGANIZATION}
    expand = ["configuration", "extract_metadata"]
    if operation == "upload_file":
        document = File(
            payload=io.BytesIO(PDF), file_name="invoice.pdf", mime_type="application/pdf"
        )
        form = FileUploadForm(file=document, purpose="extract", external_file_id="inv-1")
        return (), {"body": form, **scope}
    if operation == "create_extract_job":
        spec = provider_spec("llamacloud").operations[operation].node
        seed = spec["requestBody"]["content"]["application/json"]["examples"]["seed"]["value"]
        return (), {"body": ExtractV2JobCreate.from_dict(seed), **scope}
    if operation == "get_extract_job":
        return ("ext-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",), {"expand": expand, **scope}
    if operation == "list_extract_jobs":
        return (), {
            "status": ListExtractJobsStatusType0.RUNNING,
            "page_size": 10,
            "page_token": "next_page_token",
            "expand": expand,
            **scope,
        }
    return ("ext-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",), {}


def _retab(operation: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    from retab_client.models import ProjectExtractRequest
    from retab_client.types import File

    document = File(payload=io.BytesIO(PDF), file_name="invoice.pdf", mime_type="application/pdf")
    body = ProjectExtractRequest(
        document=document,
        model="gpt-4o-mini",
        temperature=0.5,
        image_resolution_dpi=150,
        n_consensus=3,
        seed=42,
        metadata=json.dumps({"customer": "acme"}),
        extraction_id="ext_custom_1",
    )
    return ("proj_F0FE8DFqyouQdZXDTWRg0",), {
        "body": body,
        "access_token": "tok-123",
        "idempotency_key": "idem-0001",
    }


def _contextual(operation: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    from contextual_client.models import ExtractConfig, ExtractConfigModel, ExtractJobRequest

    if operation == "start_extraction_job_extract_jobs_post":
        config = ExtractConfig(
            model=ExtractConfigModel.GEMINI_2_5_PRO,
            max_num_concurrent_requests=4,
            validate_response_schema=True,
            per_key_attribution=True,
            temperature=0.1,
            seed=7,
            enable_thinking=False,
            n_max_retries=2,
            additional_instructions="Amounts in EUR.",
            enable_agentic_array_extraction=False,
        )
        body = ExtractJobRequest(
            document_id=uuid.UUID("123e4567-e89b-12d3-a456-426614174000"),
            schema_id=uuid.UUID("987fcdeb-51a2-43d1-b456-426614174000"),
            config=config,
        )
        return (), {"body": body}
    return (UUID_JOB,), {}


ARGUMENTS: dict[str, Callable[[str], tuple[tuple[Any, ...], dict[str, Any]]]] = {
    "numind": _numind,
    "llamacloud": _llamacloud,
    "retab": _retab,
    "contextual": _contextual,
}
OPERATIONS = [(p, op) for p in PROVIDERS for op in provider_spec(p).operations]


@pytest.mark.parametrize(("provider", "operation"), OPERATIONS, ids=[o for _, o in OPERATIONS])
def test_operation_passes_prism_validation_and_parses(
    prisms: Prisms, provider: str, operation: str
) -> None:
    prism = prisms(provider)
    module = __import__(
        provider_spec(provider).operations[operation].facts["module"], fromlist=["sync_detailed"]
    )
    args, kwargs = ARGUMENTS[provider](operation)
    with client_for(provider, prism) as client:
        answer = module.sync_detailed(*args, client=client, **kwargs)

    broken = violations(httpx.Response(200, headers=answer.headers))
    assert broken == [], f"Prism rejected the request of {operation}: {broken}"
    assert 200 <= answer.status_code < 300, answer.content[:300]
    assert answer.parsed is not None


# ---------------------------------------------------------------- the reference fixtures' requests


def _successful_reference(provider: str) -> list[Interaction]:
    return [
        i
        for i in all_interactions()
        if i.provider == provider
        and i.metadata.get("source") == "reference"
        and 200 <= i.response.status < 300
    ]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_reference_requests_of_successful_answers_pass_prism(prisms: Prisms, provider: str) -> None:
    prism = prisms(provider)
    security = provider_spec(provider).facts["security"]
    credentials = {security["header"]: f"{security['prefix']} {KEY}".strip()}
    problems = []
    with httpx.Client() as client:
        for interaction in _successful_reference(provider):
            path = interaction.request.uri.removeprefix(interaction.base_url)
            headers = {
                name: values[0]
                for name, values in interaction.request.headers.items()
                if name not in ("content-length", "authorization", "api-key")
            }
            answer = client.request(
                interaction.request.method,
                prism.url + path,
                content=interaction.request.body,
                headers={**headers, **credentials},
            )
            if violations(answer) or answer.status_code >= 400:
                problems.append(f"{interaction.where}: {answer.status_code} {violations(answer)}")
    assert problems == []


# ---------------------------------------------------------------- Prism does catch bad requests


BAD_REQUESTS: dict[str, tuple[str, str, dict[str, Any], list[str]]] = {
    "numind": (
        "POST",
        "/api/markdown/infer-async?rasterizationDPI=301",
        {"files": {"file": ("page.png", PNG, "image/png")}},
        ["request", "query", "rasterizationDPI"],
    ),
    "llamacloud": ("GET", "/api/v2/extract?status=DONE", {}, ["request", "query", "status"]),
    "retab": (
        "POST",
        "/v1/projects/extract/p1",
        {"files": {"temperature": (None, b"5")}},
        ["request", "body", "temperature"],
    ),
    "contextual": ("GET", "/extract/jobs/not-a-uuid", {}, ["request", "path", "job_id"]),
}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_prism_rejects_a_request_that_breaks_the_spec(prisms: Prisms, provider: str) -> None:
    prism = prisms(provider)
    method, path, extra, location = BAD_REQUESTS[provider]
    security = provider_spec(provider).facts["security"]
    headers = {security["header"]: f"{security['prefix']} {KEY}".strip()}
    with httpx.Client() as client:
        answer = client.request(method, prism.url + path, headers=headers, **extra)

    assert answer.status_code in (400, 422)
    # Prism reports query parameter names in lower case (rasterizationDPI → rasterizationdpi).
    found = [[str(step).lower() for step in v["location"]] for v in violations(answer)]
    assert [step.lower() for step in location] in found


def test_prism_accepts_the_retab_body_with_its_default_store(prisms: Prisms) -> None:
    from retab_client.api.projects import extract_project
    from retab_client.models import ProjectExtractRequest
    from retab_client.types import File

    document = File(payload=io.BytesIO(PDF), file_name="invoice.pdf", mime_type="application/pdf")
    with client_for("retab", prisms("retab")) as client:
        answer = extract_project.sync_detailed(
            "proj_1", client=client, body=ProjectExtractRequest(document=document)
        )
    assert violations(httpx.Response(200, headers=answer.headers)) == []


# ---------------------------------------------------------------- Prism's own answers


@pytest.fixture(scope="module")
def dynamic_prisms() -> Iterator[Prisms]:
    """Prism generating answers from the schemas (json-schema-faker), seeded: deterministic."""
    with ExitStack() as stack:
        yield Prisms(stack, "--dynamic", "--seed", "docextract")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_answers_prism_generates_from_the_schemas_pass_checks_1_and_2(
    dynamic_prisms: Prisms, provider: str
) -> None:
    """Data the examples do not show (every optional field, nulls, numbers) still validates
    against the spec and round-trips through the generated models."""
    prism = dynamic_prisms(provider)
    security = provider_spec(provider).facts["security"]
    credentials = {security["header"]: f"{security['prefix']} {KEY}".strip()}
    problems = []
    with httpx.Client() as client:
        for interaction in _successful_reference(provider):
            headers = {
                name: values[0]
                for name, values in interaction.request.headers.items()
                if name not in ("content-length", "authorization", "api-key")
            }
            answer = client.request(
                interaction.request.method,
                prism.url + interaction.request.uri.removeprefix(interaction.base_url),
                content=interaction.request.body,
                headers={**headers, **credentials},
            )
            generated = dataclasses.replace(
                interaction,
                response=RecordedResponse(
                    answer.status_code,
                    {name.lower(): answer.headers.get_list(name) for name in answer.headers},
                    answer.content,
                ),
            )
            found = check_schema(generated).problems or check_model(generated)
            problems += [f"{interaction.where} (Prism's answer): {p}" for p in found]
    assert problems == []
