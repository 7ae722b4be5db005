"""Invoke a generated operation: the one path every overlay request takes.

`call` / `call_async` check the parameters against the spec, send the request the generated
module builds (with the remaining deadline as its timeout), and turn what comes back into the
generated typed Response or one of docextract's errors — never `None`, never a bare
UnexpectedStatus. The two share `_prepare` and `_finish`; only the sending differs.
"""

import asyncio
import time
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from types import ModuleType
from typing import Any

import attrs
import httpx

from docextract.errors import (
    DeadlineExceeded,
    InvalidParameter,
    InvalidResponse,
    TransportError,
    api_error,
    tried,
)
from docextract.providers import Provider, get_provider
from docextract.retry import DEADLINE_EXTENSION
from docextract.validation import check_parameters
from docextract.watchdog import deadline as deadline_in_force

DEADLINE_SLACK = 0.005  # seconds: a timeout this close to the deadline was the deadline's


@attrs.frozen
class _Prepared:
    provider: Provider
    operation_id: str
    module: Any
    request: dict[str, Any]
    job_id: str | None
    deadline: float | None

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()


@cache
def _operation(provider: str, operation_id: str) -> tuple[Provider, Mapping[str, Any], ModuleType]:
    """The provider, the operation's spec facts and its generated module: looked up once."""
    spec = get_provider(provider)
    return spec, spec.operation_facts(operation_id), spec.endpoint(operation_id)


def _prepare(
    provider: str,
    operation_id: str,
    deadline: float | None,
    job_id: str | None,
    params: dict[str, Any],
) -> _Prepared:
    spec, facts, module = _operation(provider, operation_id)
    check_parameters(facts, params)
    request = module._get_kwargs(**params)
    if deadline is not None:
        request["extensions"] = {DEADLINE_EXTENSION: deadline}
    return _Prepared(spec, operation_id, module, request, job_id, deadline)


def _absolute(request: dict[str, Any], http: httpx.Client | httpx.AsyncClient) -> dict[str, Any]:
    """The request with its URL joined to the client's base URL, parsed: httpx would parse the
    relative URL, then the joined one again (~25 µs a call). A URL is immutable, so the parsed
    one is kept for the next request to it (a job's status polls ask for the same URL)."""
    base = http.base_url
    url = request["url"]
    if base.query or not isinstance(url, str) or not url.startswith("/"):
        return request
    return {**request, "url": _joined(base, url)}


@lru_cache(maxsize=1024)  # keyed by the base URL's text and the path: a new base, a new entry
def _joined(base: httpx.URL, path: str) -> httpx.URL:
    return httpx.URL(str(base).rstrip("/") + path)


def _timeout(prepared: _Prepared, client: Any, default: httpx.Timeout) -> httpx.Timeout:
    remaining = prepared.remaining()
    if remaining is None:
        return default
    if remaining <= 0:
        # the waiting layer turns this into JobTimeout with what it knows of the job
        raise _transport_error(prepared, httpx.TimeoutException("the deadline passed"))
    # every phase gets at most what is left of the caller's budget
    return httpx.Timeout(
        connect=_min(default.connect, remaining),
        read=_min(default.read, remaining),
        write=_min(default.write, remaining),
        pool=_min(default.pool, remaining),
    )


def _min(configured: float | None, remaining: float) -> float:
    return remaining if configured is None else min(configured, remaining)


def _transport_error(
    prepared: _Prepared, exc: httpx.HTTPError, received: bytes = b""
) -> TransportError:
    remaining = prepared.remaining()
    deadline_passed = remaining is not None and remaining <= DEADLINE_SLACK
    kind = (
        DeadlineExceeded
        if isinstance(exc, httpx.TimeoutException) and deadline_passed
        else TransportError
    )
    return kind(
        provider=prepared.provider.name,
        operation=prepared.operation_id,
        cause=exc,
        job_id=prepared.job_id,
        body=received,
    )


def build_request(
    http: httpx.Client | httpx.AsyncClient,
    request: dict[str, Any],
    timeout: httpx.Timeout,
    params: dict[str, Any],
) -> httpx.Request:
    """`http.build_request` of the absolute URL, with a URL httpx refuses (too long) as the
    parameter's error."""
    try:
        return http.build_request(**_absolute(request, http), timeout=timeout)
    except httpx.InvalidURL as exc:
        texts = {k: v for k, v in params.items() if isinstance(v, str)}
        name = max(texts, key=lambda k: len(texts[k]), default="url")
        shown = texts.get(name, "")
        value = shown if len(shown) <= 80 else f"{shown[:40]}… ({len(shown)} characters)"
        raise InvalidParameter(name, value, f"a value that fits in a URL ({exc})") from None


def _finish(prepared: _Prepared, client: Any, raw: httpx.Response) -> Any:
    return finish(
        prepared.provider,
        prepared.operation_id,
        prepared.module._build_response,
        client,
        raw,
        prepared.job_id,
    )


def finish(
    provider: Provider,
    operation: str,
    build: Callable[..., Any],
    client: Any,
    raw: httpx.Response,
    job_id: str | None = None,
) -> Any:
    """The generated Response (`build`'s) for a documented success; the matching error
    otherwise. Also what a generated function on a docextract.client() answers through."""
    name = provider.name
    try:
        response = build(client=client, response=raw)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        if raw.is_success:
            raise InvalidResponse(
                provider=name,
                operation=operation,
                status_code=raw.status_code,
                body=raw.content,
                reason=f"{type(exc).__name__}: {exc}",
                job_id=job_id,
            ) from exc
        response = None  # an error body that does not match the spec: keep the raw excerpt
    if (
        raw.is_success
        and response.parsed is None
        and str(raw.status_code) not in provider.operation_facts(operation)["responses"]
    ):
        # a 2xx the spec does not list: the generated parser gave up (parsed=None)
        raise InvalidResponse(
            provider=name,
            operation=operation,
            status_code=raw.status_code,
            body=raw.content,
            reason="a success status the spec does not document for this operation",
            job_id=job_id,
        )
    if not raw.is_success:
        raise api_error(
            provider=name,
            operation=operation,
            status_code=raw.status_code,
            headers=raw.headers,
            body=raw.content,
            detail=None if response is None else response.parsed,
            job_id=job_id,
            url=tried(raw),
        )
    return response


def call(
    client: Any,
    provider: str,
    operation_id: str,
    *,
    deadline: float | None = None,
    for_job: str | None = None,
    **params: Any,
) -> Any:
    """Send `operation_id` with the generated module's `params`; return its typed Response.

    deadline: absolute `time.monotonic()` time; the request's timeouts never pass it.
    for_job: the ID of the job this request concerns, named by every error raised.
    """
    prepared = _prepare(provider, operation_id, deadline, for_job, params)
    http = client.get_httpx_client()
    timeout = _timeout(prepared, client, http.timeout)
    request = build_request(http, prepared.request, timeout, params)
    try:
        # every socket operation, retries included, gets only what is left of the deadline
        with deadline_in_force(prepared.deadline):
            raw = http.send(request, stream=True)
            received = bytearray()  # kept when the connection breaks: a job ID may be in it
            try:
                for piece in raw.iter_bytes():
                    received += piece
            except httpx.HTTPError as exc:
                raw.close()
                raise _transport_error(prepared, exc, bytes(received)) from exc
            raw._content = bytes(received)  # what raw.read() keeps (httpx is pinned to 0.28)
    except httpx.HTTPError as exc:
        raise _transport_error(prepared, exc) from exc
    return _finish(prepared, client, raw)


async def call_async(
    client: Any,
    provider: str,
    operation_id: str,
    *,
    deadline: float | None = None,
    for_job: str | None = None,
    **params: Any,
) -> Any:
    """The asyncio twin of `call`; the deadline is also enforced on the whole request."""
    prepared = _prepare(provider, operation_id, deadline, for_job, params)
    http = client.get_async_httpx_client()
    timeout = _timeout(prepared, client, http.timeout)
    request = prepared.request
    content: Any = request.get("content")
    if hasattr(content, "read"):
        # a generated `File` body (an octet-stream body): httpx's AsyncClient refuses file
        # objects, so the twins would differ; read it, off the event loop
        request = {**request, "content": await asyncio.to_thread(content.read)}
    remaining = prepared.remaining()
    received = bytearray()  # kept when the connection breaks: a job ID may be in it
    try:
        async with asyncio.timeout(remaining):
            raw = await http.send(build_request(http, request, timeout, params), stream=True)
            try:
                async for piece in raw.aiter_bytes():
                    received += piece
            finally:
                await raw.aclose()
            raw._content = bytes(received)  # what raw.aread() keeps (httpx is pinned to 0.28)
    except TimeoutError as exc:
        cause = httpx.TimeoutException(str(exc) or "deadline")
        raise _transport_error(prepared, cause, bytes(received)) from exc
    except httpx.HTTPError as exc:
        raise _transport_error(prepared, exc, bytes(received)) from exc
    return _finish(prepared, client, raw)
