"""Retab's project extraction: one synchronous request that may take minutes.

`retab_extract` generates one Idempotency-Key per logical call and sends it on every attempt:
Retab answers a repeated key with the cached result, so the retry transport may safely resend
this POST after a timeout or a 5xx without creating a second extraction.
"""

import json
import time
import uuid
from collections.abc import Generator, Mapping
from typing import Any

import httpx

from docextract.documents import read_document
from docextract.drivers import run_async, run_sync
from docextract.durations import DurationLike, to_seconds
from docextract.errors import InvalidParameter, TransportError
from docextract.lifecycles import Request
from docextract.waiting import NO_TIME, Action, Fetch, Run

OPTIONS = ("model", "temperature", "image_resolution_dpi", "n_consensus", "seed", "store")
RESENDS = 2
"""Resends after an answer lost on its way (the connection broke once it had begun): the retry
transport cannot see those, as the body is read after it returned the response."""
LOST_ANSWER = (httpx.RemoteProtocolError, httpx.ReadError)


def _request(
    document: Any,
    project_id: str,
    idempotency_key: str | None,
    metadata: Mapping[str, Any] | str | None,
    extraction_id: str | None,
    options: Mapping[str, Any],
) -> Request:
    from retab_client.models import ProjectExtractRequest
    from retab_client.types import File

    if not project_id:
        raise InvalidParameter("project_id", project_id, "the Retab project's ID")
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise InvalidParameter(", ".join(unknown), None, "not a parameter of Retab extraction")
    body = ProjectExtractRequest(document=read_document(document).as_file(File))
    for name, value in options.items():
        if value is not None:
            setattr(body, name, value)
    if metadata is not None:
        body.metadata = metadata if isinstance(metadata, str) else json.dumps(dict(metadata))
    if extraction_id is not None:
        body.extraction_id = extraction_id
    return Request(
        "extract_project",
        {
            "project_id": project_id,
            "body": body,
            "idempotency_key": idempotency_key or str(uuid.uuid4()),
        },
    )


def _steps(request: Request, budget: float | None) -> Generator[Action, Any, Any]:
    """One extraction: resent with the same Idempotency-Key if its answer got lost, so that
    Retab replays the first extraction's answer instead of running a second one."""
    deadline = None if budget is None else time.monotonic() + budget
    resends = 0
    while True:
        remaining = None if deadline is None else deadline - time.monotonic()
        try:
            return (yield Fetch(request, remaining)).parsed
        except TransportError as exc:
            lost = isinstance(exc.__cause__, LOST_ANSWER)
            left = None if deadline is None else deadline - time.monotonic()
            if not lost or resends >= RESENDS or (left is not None and left < NO_TIME):
                raise
            resends += 1


def retab_extract(
    document: Any,
    *,
    project_id: str,
    client: Any,
    idempotency_key: str | None = None,
    timeout: DurationLike | None = None,
    metadata: Mapping[str, Any] | str | None = None,
    extraction_id: str | None = None,
    **options: Any,
) -> Any:
    """Extract `document` (path or bytes) with a Retab project; returns RetabParsedChatCompletion.

    options: model, temperature (0..2), image_resolution_dpi, n_consensus, seed, store.
    timeout: total budget for the call, retries included (default: the client's read timeout).
    """
    request = _request(document, project_id, idempotency_key, metadata, extraction_id, options)
    budget = None if timeout is None else to_seconds(timeout, name="timeout")
    return run_sync(_steps(request, budget), Run("retab"), client)


async def retab_extract_async(
    document: Any,
    *,
    project_id: str,
    client: Any,
    idempotency_key: str | None = None,
    timeout: DurationLike | None = None,
    metadata: Mapping[str, Any] | str | None = None,
    extraction_id: str | None = None,
    **options: Any,
) -> Any:
    request = _request(document, project_id, idempotency_key, metadata, extraction_id, options)
    budget = None if timeout is None else to_seconds(timeout, name="timeout")
    return await run_async(_steps(request, budget), Run("retab"), client)
