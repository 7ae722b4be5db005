"""Retab: project extraction, one synchronous request that may take minutes (no jobs).

`retab_extract` generates one Idempotency-Key per logical call and sends it on every attempt:
Retab answers a repeated key with the cached result, so the retry transport may safely resend
this POST after a timeout or a 5xx without creating a second extraction.
"""

import json
import time
import uuid
from collections.abc import Generator, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx

from docextract.documents import DocumentInput, read_document
from docextract.durations import DurationLike, to_seconds
from docextract.errors import InvalidParameter, TransportError
from docextract.lifecycles import Request
from docextract.limits import Limit
from docextract.providers.adapter import (
    Capabilities,
    Extraction,
    Provider,
    Summary,
    Synchronous,
    plain,
)

if TYPE_CHECKING:
    import retab_client
    from docextract.waiting import Action
    from retab_client.models import RetabParsedChatCompletion

NAME = "retab"
OPTIONS = ("model", "temperature", "image_resolution_dpi", "n_consensus", "seed", "store")
PARAMETERS = (
    "document", "documents", "project_id", "idempotency_key", "timeout", "metadata",
    "extraction_id", *OPTIONS,
)  # fmt: skip
NO_TIME = 0.001  # seconds: a budget smaller than this is no budget (as docextract.waiting)

RESENDS = 2
"""Resends after an answer lost on its way (the connection broke once it had begun): the retry
transport cannot see those, as the body is read after it returned the response."""
LOST_ANSWER = (httpx.RemoteProtocolError, httpx.ReadError)


def _request(
    document: Any,
    documents: Sequence[Any] | None,
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
    if (document is None) == (not documents):
        given = document if documents is None else (document, documents)
        raise InvalidParameter("document/documents", given, "one document, or several documents")
    body = ProjectExtractRequest()
    if documents:  # several, extracted together (retab 0.0.118 sends them so)
        body.documents = [read_document(each).as_file(File) for each in documents]
    else:
        body.document = read_document(document).as_file(File)
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


def _steps(request: Request, budget: float | None) -> Generator["Action", Any, Any]:
    """One extraction: resent with the same Idempotency-Key if its answer got lost, so that
    Retab replays the first extraction's answer instead of running a second one."""
    from docextract.waiting import Fetch

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
    document: DocumentInput | None = None,
    *,
    project_id: str,
    documents: Sequence[DocumentInput] | None = None,
    client: "retab_client.AuthenticatedClient",
    idempotency_key: str | None = None,
    timeout: DurationLike | None = None,
    metadata: Mapping[str, Any] | str | None = None,
    extraction_id: str | None = None,
    model: str | None = None,
    temperature: float | None = None,
    image_resolution_dpi: int | None = None,
    n_consensus: int | None = None,
    seed: int | None = None,
    store: bool | None = None,
) -> "RetabParsedChatCompletion":
    """Extract `document` (path or bytes) with a Retab project; or several `documents`, which
    Retab extracts together (give one or the other).

    model, temperature (0..2), image_resolution_dpi, n_consensus, seed, store: the request's
    fields (see the spec); None leaves one out.
    timeout: total budget for the call, retries included (default: the client's read timeout).
    """
    from docextract.drivers import run_sync
    from docextract.waiting import Run

    options = {
        "model": model,
        "temperature": temperature,
        "image_resolution_dpi": image_resolution_dpi,
        "n_consensus": n_consensus,
        "seed": seed,
        "store": store,
    }
    request = _request(
        document, documents, project_id, idempotency_key, metadata, extraction_id, options
    )
    budget = None if timeout is None else to_seconds(timeout, name="timeout")
    result: RetabParsedChatCompletion = run_sync(_steps(request, budget), Run(NAME), client)
    return result


async def retab_extract_async(
    document: DocumentInput | None = None,
    *,
    project_id: str,
    documents: Sequence[DocumentInput] | None = None,
    client: "retab_client.AuthenticatedClient",
    idempotency_key: str | None = None,
    timeout: DurationLike | None = None,
    metadata: Mapping[str, Any] | str | None = None,
    extraction_id: str | None = None,
    model: str | None = None,
    temperature: float | None = None,
    image_resolution_dpi: int | None = None,
    n_consensus: int | None = None,
    seed: int | None = None,
    store: bool | None = None,
) -> "RetabParsedChatCompletion":
    """The asyncio twin of `retab_extract`."""
    from docextract.drivers import run_async
    from docextract.waiting import Run

    options = {
        "model": model,
        "temperature": temperature,
        "image_resolution_dpi": image_resolution_dpi,
        "n_consensus": n_consensus,
        "seed": seed,
        "store": store,
    }
    request = _request(
        document, documents, project_id, idempotency_key, metadata, extraction_id, options
    )
    budget = None if timeout is None else to_seconds(timeout, name="timeout")
    steps = _steps(request, budget)
    result: RetabParsedChatCompletion = await run_async(steps, Run(NAME), client)
    return result


def summarize(operation: str, raw: Any) -> Summary:
    """RetabParsedChatCompletion: the first choice's parsed message, usage, likelihoods, and
    the human-review flag as a warning."""
    choice = raw.choices[0] if raw.choices else None
    review = plain(raw.requires_human_review) is True
    return Summary(
        data=plain(choice.message.parsed) if choice else None,
        usage=plain(raw.usage) or {},
        confidence=plain(raw.likelihoods),
        warnings=("Retab flags this extraction for human review",) if review else (),
    )


def _known(params: Mapping[str, Any]) -> Mapping[str, Any]:
    """The string-keyed path's parameters, an unknown one refused by name."""
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        raise InvalidParameter(", ".join(unknown), None, "not a parameter of Retab extraction")
    return params


def _run(client: Any, params: Mapping[str, Any]) -> Any:
    return retab_extract(client=client, **_known(params))


async def _run_async(client: Any, params: Mapping[str, Any]) -> Any:
    return await retab_extract_async(client=client, **_known(params))


PROVIDER = Provider(
    name=NAME,
    env_var="RETAB_API_KEY",
    base_url_env="RETAB_API_BASE_URL",  # as its official SDK names it
    extraction=Extraction(operation="extract_project", summarize=summarize),
    synchronous=Synchronous(run=_run, run_async=_run_async),
    # synchronous: each extraction holds a connection for its whole run; a few at once
    capabilities=Capabilities(submissions=Limit(concurrency=4)),
    # the extraction is synchronous and can take minutes
    read_timeout=timedelta(minutes=15),
)
