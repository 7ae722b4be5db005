"""Carrying out steps: the blocking and the asyncio driver of docextract.waiting's generators.

A step generator yields actions (Fetch, Sleep, OpenStream, NextEvent, CloseStream) and receives
their results, or their exceptions thrown back in. These drivers are the only place that does
the I/O; `run_sync` and `run_async` are twins, line for line.
"""

import asyncio
import time
from collections.abc import Callable, Generator
from contextlib import ExitStack
from typing import Any

import httpx
from httpx_sse import EventSource, ServerSentEvent

from docextract.calls import build_request, call, call_async
from docextract.errors import APIError, DeadlineExceeded, TransportError, api_error, tried
from docextract.providers import get_provider
from docextract.retry import DEADLINE_EXTENSION
from docextract.waiting import (
    Action,
    CloseStream,
    Fetch,
    NextEvent,
    OpenStream,
    PlainAnswer,
    Run,
    Sleep,
)
from docextract.watchdog import deadline, passed


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
    stream: ExitStack | None = None  # the open stream, and its deadline in force
    ends_at: float | None = None  # the open stream's deadline
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
                    ends_at = _real_deadline(action.budget)
                    opened = _open_sync(client, w, action, ends_at)
                    if isinstance(opened, PlainAnswer):  # the core decides what it means
                        result = opened
                    else:
                        stream, events = opened
                elif isinstance(action, NextEvent):
                    result = _next_event_sync(w, events, ends_at)
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
    ends_at = 0.0  # the open stream's deadline, on the event loop's clock
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
                    ends_at = asyncio.get_running_loop().time() + action.budget
                    stream = await _open_stream_async(client, w, action, ends_at)
                    if not _is_event_stream(stream):  # the core decides what it means
                        try:
                            result = PlainAnswer(await _read_plain_async(w, stream, ends_at))
                        finally:
                            await stream.aclose()
                            stream = None
                    else:
                        events = EventSource(stream).aiter_sse()
                elif isinstance(action, NextEvent):
                    result = await _next_event_async(w, events, ends_at)
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


def _is_event_stream(response: httpx.Response) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.startswith("text/event-stream")


def _stream_request(w: Run, action: OpenStream, http: Any) -> httpx.Request:
    module = get_provider(w.provider).endpoint(action.request.operation_id)
    kwargs = module._get_kwargs(**action.request.params)
    headers = {**kwargs.pop("headers", {}), "Accept": "text/event-stream"}
    # reads may be silent for read_timeout; the whole stream ends with budget (see the drivers)
    timeout = httpx.Timeout(action.read_timeout, connect=min(action.read_timeout, 10.0))
    # as for every other request: the retry transport's sleeps must not pass the deadline
    extensions = {DEADLINE_EXTENSION: _real_deadline(action.budget)}
    built = {**kwargs, "headers": headers, "extensions": extensions}
    return build_request(http, built, timeout, dict(action.request.params))


def _open_sync(
    client: Any, w: Run, action: OpenStream, ends_at: float | None
) -> tuple[ExitStack, Any] | PlainAnswer:
    """Open the stream, its deadline in force from connect to the last byte: the scope that
    closes it and its events, or the plain answer the server sent instead of a stream."""
    scope = ExitStack()  # on close: the stream first, then its deadline
    scope.enter_context(deadline(ends_at))
    try:
        http = client.get_httpx_client()
        response: httpx.Response = http.send(_stream_request(w, action, http), stream=True)
        scope.callback(response.close)
        if not response.is_success:
            response.read()
            raise _stream_refused(w, action, response)
        if _is_event_stream(response):
            return scope, EventSource(response).iter_sse()
        plain = PlainAnswer(response.read())
    except httpx.HTTPError as exc:
        scope.close()
        raise _stream_error(w, exc, _ended_by(exc, ends_at), action.request.operation_id) from exc
    except BaseException:
        scope.close()
        raise
    scope.close()
    return plain


async def _open_stream_async(
    client: Any, w: Run, action: OpenStream, ends_at: float
) -> httpx.Response:
    http = client.get_async_httpx_client()
    operation = action.request.operation_id
    try:
        async with asyncio.timeout_at(ends_at):
            response: httpx.Response = await http.send(
                _stream_request(w, action, http), stream=True
            )
            if not response.is_success:
                try:
                    await response.aread()
                finally:
                    await response.aclose()
                raise _stream_refused(w, action, response)
    except TimeoutError as exc:
        raise _stream_error(w, httpx.ReadTimeout(_DEADLINE_ENDED_IT), True, operation) from exc
    except httpx.HTTPError as exc:
        raise _stream_error(w, exc, False, operation) from exc
    return response


async def _read_plain_async(w: Run, response: httpx.Response, ends_at: float) -> bytes:
    try:
        async with asyncio.timeout_at(ends_at):
            return await response.aread()
    except TimeoutError as exc:
        raise _stream_error(w, httpx.ReadTimeout(_DEADLINE_ENDED_IT), True) from exc
    except httpx.HTTPError as exc:
        raise _stream_error(w, exc, False) from exc


def _stream_refused(w: Run, action: OpenStream, response: httpx.Response) -> APIError:
    return api_error(
        provider=w.provider,
        operation=action.request.operation_id,
        status_code=response.status_code,
        headers=response.headers,
        body=response.content,
        job_id=_job(w),
        url=tried(response),
    )


_DEADLINE_ENDED_IT = "the wait's deadline ended the stream"


def _stream_error(
    w: Run, cause: httpx.HTTPError, at_deadline: bool, operation: str = "stream"
) -> TransportError:
    """DeadlineExceeded when the deadline ended the exchange, else TransportError."""
    kind = DeadlineExceeded if at_deadline else TransportError
    return kind(provider=w.provider, operation=operation, cause=cause, job_id=_job(w))


def _ended_by(exc: httpx.HTTPError, ends_at: float | None) -> bool:
    return isinstance(exc, httpx.TimeoutException) and passed(ends_at)


def _next_event_sync(w: Run, events: Any, ends_at: float | None) -> ServerSentEvent | None:
    try:
        event: ServerSentEvent | None = next(events, None)
    except httpx.HTTPError as exc:
        raise _stream_error(w, exc, _ended_by(exc, ends_at)) from exc
    return event


async def _next_event_async(w: Run, events: Any, ends_at: float) -> ServerSentEvent | None:
    try:
        async with asyncio.timeout_at(ends_at):
            event: ServerSentEvent | None = await anext(events, None)
    except TimeoutError as exc:
        raise _stream_error(w, httpx.ReadTimeout(_DEADLINE_ENDED_IT), True) from exc
    except httpx.HTTPError as exc:
        raise _stream_error(w, exc, False) from exc
    return event
