"""Retab on the sandbox, through the generated client: synchronous extraction, likelihoods and
review, Idempotency-Key replays, validation and unknown projects."""

import asyncio
import io
import json
from typing import Any

import pytest
from conftest import INVOICE_TEXT, INVOICE_VALUES, ClientFactory

from docextract.errors import InvalidParameter
from docextract.sandbox import Sandbox
from retab_client.api.projects import extract_project
from retab_client.models import (
    HTTPValidationError,
    ProjectExtractRequest,
    RetabParsedChatCompletion,
)
from retab_client.types import File

PROJECT = "proj_invoice"


def request(text: str = INVOICE_TEXT, **fields: Any) -> ProjectExtractRequest:
    document = File(payload=io.BytesIO(text.encode()), file_name="invoice.txt")
    return ProjectExtractRequest(document=document, **fields)


def extract(client: Any, body: ProjectExtractRequest, **params: Any) -> RetabParsedChatCompletion:
    response = extract_project.sync_detailed(PROJECT, client=client, body=body, **params)
    assert response.status_code == 200
    assert isinstance(response.parsed, RetabParsedChatCompletion)
    return response.parsed


def test_extraction_answers_a_chat_completion(sandbox: Sandbox, make_client: ClientFactory) -> None:
    client = make_client("retab")
    answer = extract(
        client,
        request(model="gpt-4o-mini", temperature=0.5, n_consensus=3, seed=7, metadata='{"a": 1}'),
        access_token="unused",
    )
    message = answer.choices[0].message
    assert answer.object_ == "chat.completion"
    assert answer.model == "gpt-4o-mini"
    assert message.parsed.to_dict() == INVOICE_VALUES  # type: ignore[union-attr]
    assert json.loads(str(message.content)) == INVOICE_VALUES
    assert set(answer.likelihoods.to_dict()) == set(INVOICE_VALUES)  # type: ignore[union-attr]
    assert answer.requires_human_review is False
    usage = answer.usage
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens  # type: ignore[union-attr]
    assert sandbox.stats().jobs_created["retab"] == 1


def test_a_missing_field_calls_for_review(make_client: ClientFactory) -> None:
    answer = extract(make_client("retab"), request(INVOICE_TEXT.replace("Paid: no\n", "")))
    assert answer.choices[0].message.parsed.to_dict()["paid"] is None  # type: ignore[union-attr]
    assert answer.likelihoods.to_dict()["paid"] < 0.5  # type: ignore[union-attr]
    assert answer.requires_human_review is True


def test_idempotency_key_replays_the_first_answer(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    client = make_client("retab")
    first = extract(client, request(extraction_id="mine"), idempotency_key="key-1")
    again = extract(client, request(), idempotency_key="key-1")
    other = extract(client, request(), idempotency_key="key-2")
    assert again.to_dict() == first.to_dict()
    assert first.extraction_id == "mine"
    assert other.id != first.id
    stats = sandbox.stats()
    assert stats.jobs_created["retab"] == 2
    assert stats.requests_to("retab", "POST /v1/projects/extract/{project_id}") == 3


async def test_concurrent_requests_with_one_key_run_one_extraction(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    sandbox.configure("retab", step_seconds=0.2)
    client = make_async_client("retab")
    answers = await asyncio.gather(
        *(
            extract_project.asyncio_detailed(
                PROJECT, client=client, body=request(), idempotency_key="same"
            )
            for _ in range(3)
        )
    )
    parsed = [answer.parsed for answer in answers]
    assert all(isinstance(p, RetabParsedChatCompletion) for p in parsed)
    assert len({p.id for p in parsed}) == 1  # type: ignore[union-attr]
    assert sandbox.stats().jobs_created["retab"] == 1


@pytest.mark.parametrize(
    ("fields", "loc", "kind"),
    [
        ({"temperature": 2.5}, ["body", "temperature"], "less_than_equal"),
        ({"n_consensus": 0}, ["body", "n_consensus"], "greater_than_equal"),
        ({"metadata": "[1]"}, ["body", "metadata"], "value_error"),
    ],
)
def test_bad_fields_answer_422(
    make_client: ClientFactory, fields: dict[str, Any], loc: list[str], kind: str
) -> None:
    response = extract_project.sync_detailed(
        PROJECT, client=make_client("retab"), body=request(**fields)
    )
    assert response.status_code == 422
    assert isinstance(response.parsed, HTTPValidationError)
    error = response.parsed.detail[0]  # type: ignore[index]
    assert (error.loc, error.type_) == (loc, kind)


def test_form_values_of_the_wrong_type_and_a_missing_document(make_client: ClientFactory) -> None:
    http = make_client("retab").get_httpx_client()
    url = f"/v1/projects/extract/{PROJECT}"
    not_a_number = http.post(url, files={"document": ("a.txt", b"x")}, data={"seed": "seven"})
    assert not_a_number.json()["detail"][0] == {
        "loc": ["body", "seed"],
        "msg": "Input should be a valid integer, unable to parse string as an integer",
        "type": "int_parsing",
    }
    no_document = http.post(url, data={"model": "m"})
    assert no_document.json()["detail"][0]["loc"] == ["body", "document"]


def test_unknown_project_answers_404(make_client: ClientFactory) -> None:
    response = extract_project.sync_detailed(
        "proj_nope", client=make_client("retab"), body=request()
    )
    assert response.status_code == 404
    assert json.loads(response.content) == {"detail": "Project not found"}


def test_either_auth_scheme_is_accepted(make_client: ClientFactory) -> None:
    """retab 0.0.118 sends `Api-Key` (the default); 0.0.160 sends `Authorization: Bearer`."""
    default = make_client("retab")
    bearer = make_client("retab", auth_scheme="HTTPBearer")
    seen: list[dict[str, str]] = []
    for client in (default, bearer):
        client.get_httpx_client().event_hooks["request"].append(
            lambda r: seen.append({k: v for k, v in r.headers.items() if k in AUTH_HEADERS})
        )
        assert extract(client, request()).choices[0].message.parsed is not None
    assert [set(headers) for headers in seen] == [{"api-key"}, {"authorization"}]
    assert seen[1]["authorization"].startswith("Bearer ")
    wrong = make_client("retab", checked=False, auth_scheme="HTTPBearer", api_key="not-the-key")
    assert extract_project.sync_detailed(PROJECT, client=wrong, body=request()).status_code == 403


AUTH_HEADERS = {"api-key", "authorization"}


def test_an_unknown_auth_scheme_is_refused_naming_it(make_client: ClientFactory) -> None:
    with pytest.raises(InvalidParameter, match=r"auth_scheme.*Api-Key, HTTPBearer"):
        make_client("retab", auth_scheme="OAuth")


def test_several_documents_are_extracted_together(make_client: ClientFactory) -> None:
    client = make_client("retab")
    first, rest = INVOICE_TEXT.split("\n", 1)
    parts = [
        File(payload=io.BytesIO(t.encode()), file_name=f"p{i}.txt")
        for i, t in enumerate((first, rest))
    ]
    answer = extract(client, ProjectExtractRequest(documents=parts))
    assert answer.choices[0].message.parsed.to_dict() == INVOICE_VALUES  # type: ignore[union-attr]

    both = ProjectExtractRequest(document=parts[0], documents=parts)
    refused = extract_project.sync_detailed(PROJECT, client=client, body=both)
    assert refused.status_code == 422
    assert isinstance(refused.parsed, HTTPValidationError)
    assert refused.parsed.detail[0].loc == ["body", "documents"]  # type: ignore[index]
