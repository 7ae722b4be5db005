"""Retab: synchronous project extraction, answered as a chat completion; `Idempotency-Key`
replays the first answer (also to a request that arrives while the first is still running).
One `document` part, or several `documents` parts (extracted together), not both."""

import asyncio
import contextlib
import json
import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from docextract.providers import PROVIDERS
from docextract.sandbox import checks, extraction, responses
from docextract.sandbox.checks import Invalid
from docextract.sandbox.config import JSONSchema
from docextract.sandbox.forms import Part, read_parts
from docextract.sandbox.responses import dumps, iso
from docextract.sandbox.routing import operation_routes
from docextract.sandbox.state import SandboxState

PROVIDER = "retab"
SPEC = PROVIDERS[PROVIDER]
DEFAULT_MODEL = "simulated-extractor"


def routes(state: SandboxState) -> list[Route]:
    return operation_routes(state, PROVIDER, {"extract_project": extract_project})


async def extract_project(request: Request, state: SandboxState) -> Response:
    received = time.time()
    operation = SPEC.operation_facts("extract_project")
    try:
        params = checks.parameters(request, operation)
        parts = await read_parts(request)
        documents = [part for name, part in parts if name == "documents"]
        fields = checks.form_body({n: p for n, p in parts if n != "documents"}, operation)
        _check_documents(fields.get("document"), documents)
        documents = documents or [fields["document"]]
        if "metadata" in fields:
            _check_metadata(fields["metadata"])
    except Invalid as problem:
        return responses.invalid(PROVIDER, problem)
    template = state.projects.get(params["project_id"])
    if template is None:
        return responses.error(PROVIDER, 404, "Project not found")
    key = request.headers.get("Idempotency-Key")
    if key is not None and key in state.idempotent:
        return _json(await asyncio.shield(state.idempotent[key]))
    answer: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
    if key is not None:
        state.idempotent[key] = answer
    try:
        with contextlib.suppress(TimeoutError):  # the extraction takes one step
            await asyncio.wait_for(state.stopped.wait(), state.schedules[PROVIDER].step_seconds)
        text = "\f".join(extraction.document_text(part.data) for part in documents)
        answer.set_result(dumps(completion(template, text, fields, received)).encode())
    finally:
        if not answer.done():
            answer.cancel()
            state.idempotent.pop(key or "", None)
    state.jobs_created[PROVIDER] += 1
    return _json(answer.result())


def completion(
    template: JSONSchema, text: str, fields: dict[str, Any], received: float
) -> dict[str, Any]:
    """The RetabParsedChatCompletion of the extraction of `text` along `template`."""
    found = extraction.extract(template, text)
    content = dumps(found.values)
    prompt = extraction.tokens(text) + extraction.tokens(dumps(template))
    completion_tokens = extraction.tokens(content)
    now = time.time()
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(now),
        "model": fields.get("model") or DEFAULT_MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "parsed": found.values},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt + completion_tokens,
        },
        "extraction_id": fields.get("extraction_id") or f"ext_{uuid.uuid4().hex[:16]}",
        "likelihoods": found.likelihoods,
        "requires_human_review": found.lowest_likelihood() < extraction.LOW_CONFIDENCE,
        "request_at": iso(received),
        "first_token_at": iso(now),
        "last_token_at": iso(now),
    }


def _check_documents(document: Part | None, documents: list[Part]) -> None:
    if document is None and not documents:
        raise Invalid(("body", "document"), "Field required", "missing")
    if document is not None and documents:
        msg = "Value error, give document or documents, not both"
        raise Invalid(("body", "documents"), msg, "value_error")


def _check_metadata(text: str) -> None:
    try:
        metadata = json.loads(text)
    except ValueError:
        metadata = None
    if not isinstance(metadata, dict):
        loc = ("body", "metadata")
        raise Invalid(loc, "Value error, metadata must be a JSON object", "value_error")


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")
