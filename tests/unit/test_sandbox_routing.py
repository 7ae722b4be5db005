"""One provider's bad spec never takes the sandbox down: an operation missing from its spec is
named and left out, a provider whose routes cannot be built answers 503 naming itself, and the
other providers are served as usual."""

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from docextract.providers import PROVIDERS
from docextract.sandbox import SandboxConfig, app
from docextract.sandbox.routes import llamacloud
from docextract.sandbox.state import SandboxState

KEY = "sandbox-key"


@pytest.fixture
def without_upload() -> Iterator[None]:
    """LlamaCloud's spec facts as a spec without `upload_file` would give them."""
    provider = PROVIDERS["llamacloud"]
    facts = dict(provider.facts)
    operations = {k: v for k, v in facts["operations"].items() if k != "upload_file"}
    provider.__dict__["facts"] = {**facts, "operations": operations}
    yield
    provider.__dict__["facts"] = facts


def _get(path: str, **headers: str) -> httpx.Response:
    async def go() -> httpx.Response:
        state = SandboxState(SandboxConfig(api_key=KEY))
        transport = httpx.ASGITransport(app=app.create_app(state))
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            return await client.get(path, headers=headers)

    return asyncio.run(go())


def test_a_missing_operation_is_named_and_the_rest_is_served(
    without_upload: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="docextract.sandbox"):
        listed = _get("/llamacloud/api/v2/extract", authorization=f"Bearer {KEY}")
    assert listed.status_code == 200
    assert "sandbox: llamacloud: operation(s) upload_file not in its spec" in caplog.text
    upload = _get("/llamacloud/api/v1/beta/files", authorization=f"Bearer {KEY}")
    assert upload.status_code in (404, 405)


def test_a_provider_whose_routes_fail_answers_503_and_the_others_serve(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(state: SandboxState) -> list[Any]:
        raise KeyError("document_input_value")

    monkeypatch.setattr(llamacloud, "routes", broken)
    with caplog.at_level(logging.ERROR, logger="docextract.sandbox"):
        answer = _get("/llamacloud/api/v2/extract", authorization=f"Bearer {KEY}")
    assert answer.status_code == 503
    assert answer.json() == {
        "detail": "the sandbox cannot serve llamacloud: KeyError: 'document_input_value'",
        "provider": "llamacloud",
    }
    assert "sandbox: llamacloud is unavailable" in caplog.text
    numind = _get(
        "/numind/api/jobs/00000000-0000-4000-8000-000000000000", authorization=f"Bearer {KEY}"
    )
    assert numind.status_code == 404  # served: an unknown job, not an unavailable provider
    assert numind.text == "No job with this ID"
