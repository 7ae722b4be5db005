"""The sandbox behind `prism proxy`, one per vendored spec: the demo flows run through it, and
any request or response that violates the spec fails the test. This keeps the sandbox honest
(and the overlay's requests with it)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from contract.prism import Prism, prism_server, unavailable_reason, violations

import docextract
from docextract.sandbox import SandboxConfig, running_sandbox

pytestmark = pytest.mark.prism

_REASON = unavailable_reason()
if _REASON:
    pytest.skip(_REASON, allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]
INVOICE = ROOT / "examples" / "invoice.txt"
SCHEMA = ROOT / "examples" / "invoice.schema.json"
PROVIDERS = ("numind", "llamacloud", "retab", "contextual")


class Recording(httpx.BaseTransport):
    """Keeps what Prism answered to every request the client sent."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.seen: list[tuple[str, str, int, list[dict[str, Any]]]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        found = violations(response)
        self.seen.append((request.method, request.url.path, response.status_code, found))
        return response

    def close(self) -> None:
        self.inner.close()


@pytest.fixture(scope="module")
def proxies() -> Iterator[dict[str, Prism]]:
    config = SandboxConfig(api_key="sandbox", step_seconds=0.05, ping_interval=0.05)
    with running_sandbox(config) as sandbox, ExitStack() as stack:
        yield {
            provider: stack.enter_context(
                prism_server(
                    "proxy",
                    ROOT / "specs" / provider / "openapi.yaml",
                    "--errors",
                    upstream=sandbox.base_url(provider),
                )
            )
            for provider in PROVIDERS
        }


def _run(proxies: dict[str, Prism], provider: str, document: Any, **options: Any) -> Any:
    recording = Recording()
    client = docextract.client(
        provider, api_key="sandbox", base_url=proxies[provider].url, transport=recording
    )
    try:
        result = docextract.extract(document, provider=provider, client=client, **options)
    finally:
        client.get_httpx_client().close()
    problems = [entry for entry in recording.seen if entry[3] or entry[2] >= 400]
    assert recording.seen, "no request went through Prism"
    assert problems == [], f"Prism found the exchange off-spec: {problems}"
    return result


def test_numind_structured_through_prism(proxies: dict[str, Prism]) -> None:
    result = _run(proxies, "numind", INVOICE, project_id="numind-invoice", mode="poll")
    assert result.data["invoice_number"] == "INV-2026-0042"


def test_numind_markdown_through_prism(proxies: dict[str, Prism]) -> None:
    result = _run(proxies, "numind", INVOICE, operation="markdown", mode="poll")
    assert "INV-2026-0042" in result.data


def test_llamacloud_upload_and_extract_through_prism(proxies: dict[str, Prism]) -> None:
    result = _run(proxies, "llamacloud", INVOICE, schema=SCHEMA)
    assert result.status == "COMPLETED"
    assert result.data["total_amount"] == 1234.5


def test_retab_extract_through_prism(proxies: dict[str, Prism]) -> None:
    result = _run(proxies, "retab", INVOICE, project_id="proj_invoice")
    assert result.data["vendor"] == "Acme Tooling GmbH"


def test_contextual_extract_through_prism(proxies: dict[str, Prism]) -> None:
    document = str(uuid.uuid5(uuid.NAMESPACE_URL, "prism-document"))
    schema = str(uuid.uuid5(uuid.NAMESPACE_URL, "prism-schema"))
    result = _run(proxies, "contextual", document, schema_id=schema, mode="poll")
    assert result.status == "completed"
    assert result.data["invoice_number"].startswith("INV-")


def test_the_proxy_flags_an_answer_the_spec_does_not_allow(proxies: dict[str, Prism]) -> None:
    """LlamaCloud's spec documents no 404; the sandbox answers one for an unknown job, and the
    proxy must say so — otherwise the tests above could not fail."""
    answer = httpx.get(
        f"{proxies['llamacloud'].url}/api/v2/extract/ext-unknown",
        headers={"Authorization": "Bearer sandbox"},
        timeout=30,
    )
    assert answer.status_code == 404
    assert violations(answer), "Prism's proxy reported nothing for an undocumented status"
