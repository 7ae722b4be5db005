"""Carrying out steps: the blocking and the asyncio driver of docextract.waiting's generators.

A step generator yields actions (Fetch, Sleep, OpenStream, NextEvent, CloseStream) and receives
their results, or their exceptions thrown back in. These drivers are the only place that does
the I/O; `run_sync` and `run_async` are twins, line for line.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from typing import Any

import httpx
from httpx_sse import EventSource, ServerSentEvent

from docextract.calls import call, call_async
from docextract.errors import APIError, TransportError, api_error
from docextract.providers import get_provider
from docextract.retry import DEADLINE_EXTENSION
from docextract.waiting import Action, CloseStream, Fetch, NextEvent, OpenStream, Run, Sleep


def _job(w: Run) -> str | None:
    """The job the errors name: None until the provider created it (submit_and_wait)."""
    return w.job_id or None


def _real_deadline(budget: float | None) -> float | None:
    return None if budget is None else time.monotonic() + max(budget, 0.0)


def run_sync(
    steps: Generator[Action, Any, Any],
    w: Run,
    client: Any,
    sleep: Callable[[float], None] = time.sleep,
) -> Any:
    """Carry out `steps` with blocking I/O; return what the generator returns."""
    stream: Any = None
    reads: Any = None  # the open stream's _ReadBudget
    events: Any = None
    result: Any = None
    error: BaseException | None = None
    try:
        while True:
            try:
                action = steps.throw(error) if error is not None else steps.send(result)
            except StopIteration as stop:
                return stop.value
            result, error = None, None
            try:
                if isinstance(action, Fetch):
                    w.requests += 1
                    result = call(
                        client,
                        w.provider,
                        action.request.operation_id,
                        deadline=_real_deadline(action.budget),
                        for_job=_job(w),
                        **action.request.params,
                    )
                elif isinstance(action, Sleep):
                    sleep(action.seconds)
                elif isinstance(action, OpenStream):
                    w.requests += 1
                    stream = _open_stream_sync(client, w, action)
                    reads = _ReadBudget.install(stream, action.budget)
                    events = EventSource(stream).iter_sse()
                elif isinstance(action, NextEvent):
                    reads.start()
                    result = _next_event_sync(w, events)
                elif isinstance(action, CloseStream):
                    if stream is not None:
                        stream.close()
                    stream = events = None
            except Exception as exc:  # handed to the generator, which decides
                error = exc
    finally:
        if stream is not None:
            stream.close()
        steps.close()


async def run_async(
    steps: Generator[Action, Any, Any],
    w: Run,
    client: Any,
    sleep: Callable[[float], Any] = asyncio.sleep,
) -> Any:
    """The asyncio twin of `run_sync`; each stream read is also bounded by the deadline."""
    stream: Any = None
    reads: Any = None  # the open stream's _ReadBudget
    events: Any = None
    result: Any = None
    error: BaseException | None = None
    try:
        while True:
            try:
                action = steps.throw(error) if error is not None else steps.send(result)
            except StopIteration as stop:
                return stop.value
            result, error = None, None
            try:
                if isinstance(action, Fetch):
                    w.requests += 1
                    result = await call_async(
                        client,
                        w.provider,
                        action.request.operation_id,
                        deadline=_real_deadline(action.budget),
                        for_job=_job(w),
                        **action.request.params,
                    )
                elif isinstance(action, Sleep):
                    await sleep(action.seconds)
                elif isinstance(action, OpenStream):
                    w.requests += 1
                    stream = await _open_stream_async(client, w, action)
                    reads = _ReadBudget.install(stream, action.budget)
                    events = EventSource(stream).aiter_sse()
                elif isinstance(action, NextEvent):
                    reads.start()
                    result = await _next_event_async(w, events, reads.seconds)
                elif isinstance(action, CloseStream):
                    if stream is not None:
                        await stream.aclose()
                    stream = events = None
            except Exception as exc:
                error = exc
    finally:
        if stream is not None:
            await stream.aclose()
        steps.close()


def _stream_request(w: Run, action: OpenStream, http: Any) -> httpx.Request:
    module = get_provider(w.provider).endpoint(action.request.operation_id)
    kwargs = module._get_kwargs(**action.request.params)
    headers = {**kwargs.pop("headers", {}), "Accept": "text/event-stream"}
    timeout = httpx.Timeout(action.budget, connect=min(action.budget, 10.0))
    # as for every other request: the retry transport's sleeps must not pass the deadline
    extensions = {DEADLINE_EXTENSION: _real_deadline(action.budget)}
    request: httpx.Request = http.build_request(
        **kwargs, headers=headers, timeout=timeout, extensions=extensions
    )
    return request


def _open_stream_sync(client: Any, w: Run, action: OpenStream) -> httpx.Response:
    http = client.get_httpx_client()
    try:
        response: httpx.Response = http.send(_stream_request(w, action, http), stream=True)
    except httpx.HTTPError as exc:
        raise TransportError(
            provider=w.provider, operation=action.request.operation_id, cause=exc, job_id=_job(w)
        ) from exc
    if not response.is_success:
        response.read()
        response.close()
        raise _stream_refused(w, action, response)
    return response


async def _open_stream_async(client: Any, w: Run, action: OpenStream) -> httpx.Response:
    http = client.get_async_httpx_client()
    try:
        async with asyncio.timeout(action.budget):
            response: httpx.Response = await http.send(
                _stream_request(w, action, http), stream=True
            )
    except (httpx.HTTPError, TimeoutError) as exc:
        raise TransportError(
            provider=w.provider, operation=action.request.operation_id, cause=exc, job_id=_job(w)
        ) from exc
    if not response.is_success:
        await response.aread()
        await response.aclose()
        raise _stream_refused(w, action, response)
    return response


def _stream_refused(w: Run, action: OpenStream, response: httpx.Response) -> APIError:
    return api_error(
        provider=w.provider,
        operation=action.request.operation_id,
        status_code=response.status_code,
        headers=response.headers,
        body=response.content,
        job_id=_job(w),
    )


def _next_event_sync(w: Run, events: Any) -> ServerSentEvent | None:
    try:
        event: ServerSentEvent | None = next(events, None)
    except httpx.HTTPError as exc:
        raise TransportError(
            provider=w.provider, operation="stream", cause=exc, job_id=_job(w)
        ) from exc
    return event


async def _next_event_async(w: Run, events: Any, seconds: float) -> ServerSentEvent | None:
    try:
        async with asyncio.timeout(seconds):
            event: ServerSentEvent | None = await anext(events, None)
    except TimeoutError as exc:
        raise TransportError(
            provider=w.provider,
            operation="stream",
            cause=httpx.ReadTimeout(f"no event within {seconds:.3g}s"),
            job_id=_job(w),
        ) from exc
    except httpx.HTTPError as exc:
        raise TransportError(
            provider=w.provider, operation="stream", cause=exc, job_id=_job(w)
        ) from exc
    return event


class _ReadBudget(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Bounds the wait for each event, not only each read: the response's byte stream, checked
    against a deadline that every NextEvent sets (`start`).

    A stream can keep every read short and still deliver no event (keep-alive comments, an
    event that never completes); the waiting core relies on a NextEvent ending within the
    stream's budget. The async driver also bounds it with asyncio.timeout; the blocking one
    notices at the next chunk.
    """

    def __init__(self, inner: Any, seconds: float) -> None:
        self._inner = inner
        self.seconds = seconds
        self._deadline = time.monotonic() + seconds

    @classmethod
    def install(cls, response: httpx.Response, seconds: float) -> "_ReadBudget":
        budget = cls(response.stream, seconds)
        response.stream = budget
        return budget

    def start(self) -> None:
        self._deadline = time.monotonic() + self.seconds

    def _check(self) -> None:
        if time.monotonic() > self._deadline:
            raise httpx.ReadTimeout(f"no event within {self.seconds:.3g}s")

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            self._check()
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._check()
            yield chunk

    def close(self) -> None:
        self._inner.close()

    async def aclose(self) -> None:
        await self._inner.aclose()
