"""Wire tests of the generated Retab client (``retab_client``) against a loopback server.

They check what ``extract_project`` puts on the wire (method, path, query, headers, multipart
parts) and how it parses the answers documented in ``specs/retab/openapi.yaml``.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_httpserver import HTTPServer
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, Preamble
from werkzeug.wrappers import Request

import retab_client
from retab_client.api.projects import extract_project
from retab_client.models import (
    CompletionUsage,
    HTTPValidationError,
    ParsedChatCompletionMessage,
    ProjectExtractRequest,
    RetabParsedChatCompletion,
    RetabParsedChatCompletionServiceTierType0,
    RetabParsedChoice,
    ValidationError,
)
from retab_client.types import UNSET
from retab_client.types import File as UploadFile

SPEC_PATH = Path(__file__).resolve().parents[2] / "specs" / "retab" / "openapi.yaml"
OPERATION_PATH = "/v1/projects/extract/{project_id}"
PROJECT_ID = "proj_F0FE8DFqyouQdZXDTWRg0"
URL_PATH = f"/v1/projects/extract/{PROJECT_ID}"
# Bytes a text-only decoder would mangle: NUL, high bytes, CRLF, a lone LF.
DOCUMENT_BYTES = b"%PDF-1.7\n\x00\x01\xfe\xff binary\r\nbody\n%%EOF"
METADATA = json.dumps({"customer": "acme", "batch": 7})


def _responses() -> dict[str, Any]:
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return spec["paths"][OPERATION_PATH]["post"]["responses"]


SEED_EXAMPLE: dict[str, Any] = _responses()["200"]["content"]["application/json"]["examples"][
    "seed"
]["value"]
VALIDATION_EXAMPLE: dict[str, Any] = _responses()["422"]["content"]["application/json"]["examples"][
    "invalid_temperature"
]["value"]


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes


def multipart_parts(request: Request) -> list[Part]:
    """Decode the request body into its parts, in wire order (werkzeug's sans-I/O decoder)."""
    mimetype, options = request.mimetype, request.mimetype_params
    assert mimetype == "multipart/form-data"
    assert options.get("boundary")
    decoder = MultipartDecoder(options["boundary"].encode("ascii"))
    decoder.receive_data(request.get_data())
    decoder.receive_data(None)
    parts: list[Part] = []
    current: Field | File | None = None
    chunks: list[bytes] = []
    for _ in range(1000):  # bounded: a well-formed body ends well before this
        event = decoder.next_event()
        if isinstance(event, Preamble):
            continue
        if isinstance(event, Field | File):
            current, chunks = event, []
            continue
        if isinstance(event, Data):
            assert current is not None
            chunks.append(event.data)
            if not event.more_data:
                parts.append(
                    Part(
                        name=current.name,
                        filename=current.filename if isinstance(current, File) else None,
                        content_type=current.headers.get("Content-Type"),
                        data=b"".join(chunks),
                    )
                )
                current = None
            continue
        if isinstance(event, Epilogue):
            return parts
        pytest.fail(f"unexpected multipart event {event!r}")
    pytest.fail("multipart body did not end")


@pytest.fixture
def client(httpserver: HTTPServer) -> retab_client.AuthenticatedClient:
    return retab_client.AuthenticatedClient(
        base_url=httpserver.url_for(""),
        token="test-key",
        prefix="",
        auth_header_name="Api-Key",
    )


def full_body() -> ProjectExtractRequest:
    return ProjectExtractRequest(
        document=UploadFile(
            payload=io.BytesIO(DOCUMENT_BYTES),
            file_name="invoice.pdf",
            mime_type="application/pdf",
        ),
        model="gpt-4o-mini",
        temperature=0.5,
        image_resolution_dpi=150,
        n_consensus=3,
        seed=42,
        store=False,
        metadata=METADATA,
        extraction_id="ext_custom_1",
    )


def expect_extract(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request(
        URL_PATH,
        method="POST",
        query_string={"access_token": "tok-123"},
        headers={"Idempotency-Key": "idem-0001", "Api-Key": "test-key"},
    ).respond_with_json(SEED_EXAMPLE)


def assert_full_request(httpserver: HTTPServer) -> None:
    httpserver.check_assertions()
    assert len(httpserver.log) == 1
    request, _ = httpserver.log[0]
    assert request.method == "POST"
    assert request.path == URL_PATH
    assert request.args.to_dict(flat=False) == {"access_token": ["tok-123"]}
    assert request.headers["Idempotency-Key"] == "idem-0001"
    assert request.headers["Api-Key"] == "test-key"
    assert "Authorization" not in request.headers
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")

    parts = multipart_parts(request)
    assert [p.name for p in parts] == [
        "document",
        "model",
        "temperature",
        "image_resolution_dpi",
        "n_consensus",
        "seed",
        "store",
        "metadata",
        "extraction_id",
    ]
    by_name = {p.name: p for p in parts}
    document = by_name["document"]
    assert document.filename == "invoice.pdf"
    assert document.content_type == "application/pdf"
    assert document.data == DOCUMENT_BYTES
    # Scalar parts are plain form fields (no filename) carrying str() of the value.
    assert {name: p.data for name, p in by_name.items() if name != "document"} == {
        "model": b"gpt-4o-mini",
        "temperature": b"0.5",
        "image_resolution_dpi": b"150",
        "n_consensus": b"3",
        "seed": b"42",
        "store": b"false",
        "metadata": METADATA.encode(),
        "extraction_id": b"ext_custom_1",
    }
    assert all(p.filename is None for name, p in by_name.items() if name != "document")
    assert json.loads(by_name["metadata"].data) == {"customer": "acme", "batch": 7}


def assert_seed_completion(parsed: object) -> None:
    assert isinstance(parsed, RetabParsedChatCompletion)
    assert parsed.id == "chatcmpl-abc123"
    assert parsed.object_ == "chat.completion"
    assert parsed.created == 1744316542
    assert parsed.model == "gpt-4o-mini"
    assert parsed.extraction_id == "ext_1234567890"

    assert len(parsed.choices) == 1
    choice = parsed.choices[0]
    assert isinstance(choice, RetabParsedChoice)
    assert choice.index == 0
    assert choice.finish_reason == "stop"
    message = choice.message
    assert isinstance(message, ParsedChatCompletionMessage)
    assert message.role == "assistant"
    assert isinstance(message.content, str)
    assert json.loads(message.content) == {"invoice_number": "INV-42", "total_amount": 123.45}
    assert message.parsed is not None
    assert message.parsed is not UNSET
    assert message.parsed.to_dict() == {"invoice_number": "INV-42", "total_amount": 123.45}

    assert parsed.likelihoods is not None
    assert parsed.likelihoods is not UNSET
    assert parsed.likelihoods.to_dict() == {"invoice_number": 0.95, "total_amount": 0.87}
    # likelihoods mirror the extraction: same keys
    assert set(parsed.likelihoods.to_dict()) == set(message.parsed.to_dict())

    assert isinstance(parsed.usage, CompletionUsage)
    assert parsed.usage.prompt_tokens == 1250
    assert parsed.usage.completion_tokens == 35
    assert parsed.usage.total_tokens == 1285

    # Absent from the example: the generated from_dict leaves optional fields UNSET, even
    # requires_human_review whose schema default (false) is only the constructor default.
    assert parsed.requires_human_review is UNSET
    assert parsed.service_tier is UNSET
    assert parsed.system_fingerprint is UNSET
    assert parsed.request_at is UNSET
    assert parsed.first_token_at is UNSET
    assert parsed.last_token_at is UNSET

    # Round trip: what we parsed serialises back to exactly the wire payload.
    assert parsed.to_dict() == SEED_EXAMPLE


def test_extract_project_sync_wire(
    httpserver: HTTPServer, client: retab_client.AuthenticatedClient
) -> None:
    expect_extract(httpserver)
    with client as c:
        response = extract_project.sync_detailed(
            PROJECT_ID,
            client=c,
            body=full_body(),
            access_token="tok-123",
            idempotency_key="idem-0001",
        )
    assert response.status_code == 200
    assert_full_request(httpserver)
    assert_seed_completion(response.parsed)


async def test_extract_project_async_wire(
    httpserver: HTTPServer, client: retab_client.AuthenticatedClient
) -> None:
    expect_extract(httpserver)
    async with client as c:
        response = await extract_project.asyncio_detailed(
            PROJECT_ID,
            client=c,
            body=full_body(),
            access_token="tok-123",
            idempotency_key="idem-0001",
        )
    assert response.status_code == 200
    assert_full_request(httpserver)
    assert_seed_completion(response.parsed)


def test_extract_project_minimal_request_sends_only_defaults(
    httpserver: HTTPServer, client: retab_client.AuthenticatedClient
) -> None:
    httpserver.expect_oneshot_request(URL_PATH, method="POST").respond_with_json(SEED_EXAMPLE)
    with client as c:
        response = extract_project.sync_detailed(PROJECT_ID, client=c, body=ProjectExtractRequest())
    assert response.status_code == 200
    httpserver.check_assertions()
    request, _ = httpserver.log[0]
    assert request.args.to_dict(flat=False) == {}
    assert "Idempotency-Key" not in request.headers
    assert request.headers["Api-Key"] == "test-key"
    assert "Authorization" not in request.headers
    # Unset optional fields are left out; only store goes out, with its default (true).
    parts = multipart_parts(request)
    assert [(p.name, p.filename, p.data) for p in parts] == [("store", None, b"true")]


def test_extract_project_parses_full_completion(
    httpserver: HTTPServer, client: retab_client.AuthenticatedClient
) -> None:
    payload = {
        **SEED_EXAMPLE,
        "service_tier": "flex",
        "system_fingerprint": "fp_123",
        "requires_human_review": True,
        "request_at": "2026-11-23T10:00:00Z",
        "first_token_at": "2026-11-23T10:00:05.250000Z",
        "last_token_at": "2026-11-23T10:00:05.250000Z",
        "some_future_field": {"kept": True},
    }
    httpserver.expect_oneshot_request(URL_PATH, method="POST").respond_with_json(payload)
    with client as c:
        response = extract_project.sync_detailed(PROJECT_ID, client=c, body=ProjectExtractRequest())
    parsed = response.parsed
    assert isinstance(parsed, RetabParsedChatCompletion)
    assert parsed.service_tier == "flex"
    assert parsed.system_fingerprint == "fp_123"
    assert parsed.requires_human_review is True
    assert parsed.request_at is not None
    assert parsed.request_at is not UNSET
    assert parsed.request_at.isoformat() == "2026-11-23T10:00:00+00:00"
    assert parsed.first_token_at == parsed.last_token_at
    assert parsed.additional_properties == {"some_future_field": {"kept": True}}


def test_extract_project_parses_nulls(
    httpserver: HTTPServer, client: retab_client.AuthenticatedClient
) -> None:
    payload = {
        **SEED_EXAMPLE,
        "usage": None,
        "likelihoods": None,
        "extraction_id": None,
        "service_tier": None,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": None, "parsed": None},
                "finish_reason": "length",
            }
        ],
    }
    httpserver.expect_oneshot_request(URL_PATH, method="POST").respond_with_json(payload)
    with client as c:
        response = extract_project.sync_detailed(PROJECT_ID, client=c, body=ProjectExtractRequest())
    parsed = response.parsed
    assert isinstance(parsed, RetabParsedChatCompletion)
    assert parsed.usage is None
    assert parsed.likelihoods is None
    assert parsed.extraction_id is None
    assert parsed.service_tier is None
    message = parsed.choices[0].message
    assert message.content is None
    assert message.parsed is None
    assert parsed.choices[0].finish_reason == "length"


async def test_extract_project_422_parses_validation_error(
    httpserver: HTTPServer, client: retab_client.AuthenticatedClient
) -> None:
    payload = {
        "detail": [
            *VALIDATION_EXAMPLE["detail"],
            {"loc": ["body", "document", 0], "msg": "Field required", "type": "missing"},
        ]
    }
    httpserver.expect_oneshot_request(URL_PATH, method="POST").respond_with_json(
        payload, status=422
    )
    async with client as c:
        response = await extract_project.asyncio_detailed(
            PROJECT_ID, client=c, body=ProjectExtractRequest(temperature=2.5)
        )
    httpserver.check_assertions()
    assert response.status_code == 422
    error = response.parsed
    assert isinstance(error, HTTPValidationError)
    assert error.detail is not UNSET
    assert len(error.detail) == 2
    first, second = error.detail
    assert isinstance(first, ValidationError)
    assert first.loc == ["body", "temperature"]
    assert first.msg == "Input should be less than or equal to 2"
    assert first.type_ == "less_than_equal"
    assert second.loc == ["body", "document", 0]
    assert isinstance(second.loc[2], int)
    assert second.type_ == "missing"
    request, _ = httpserver.log[0]
    assert [(p.name, p.data) for p in multipart_parts(request)] == [
        ("temperature", b"2.5"),
        ("store", b"true"),
    ]


def test_extract_project_unknown_service_tier_still_parses(
    httpserver: HTTPServer, client: retab_client.AuthenticatedClient
) -> None:
    payload = {
        **SEED_EXAMPLE,
        "service_tier": "turbo",
        "choices": [{**SEED_EXAMPLE["choices"][0], "finish_reason": "something_new"}],
    }
    httpserver.expect_oneshot_request(URL_PATH, method="POST").respond_with_json(payload)
    with client as c:
        response = extract_project.sync_detailed(PROJECT_ID, client=c, body=ProjectExtractRequest())
    parsed = response.parsed
    assert isinstance(parsed, RetabParsedChatCompletion)
    assert isinstance(parsed.service_tier, RetabParsedChatCompletionServiceTierType0)
    assert parsed.service_tier == "turbo"
    assert parsed.service_tier.is_known is False
    assert RetabParsedChatCompletionServiceTierType0("flex").is_known is True
    assert parsed.choices[0].finish_reason == "something_new"
    assert parsed.to_dict()["service_tier"] == "turbo"
