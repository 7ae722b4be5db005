"""Carrying out steps: the blocking and the asyncio driver of docextract.waiting's generators.

A step generator yields actions (Fetch, Sleep, OpenStream, NextEvent, CloseStream) and receives
their results, or their exceptions thrown back in. These drivers are the only place that does
the I/O; `run_sync` and `run_async` are twins, line for line.
"""

import asyncio
import time
from collections.abc import Callable, Generator
from typing import Any

import httpx
from httpx_sse import EventSource, ServerSentEvent

from docextract.calls import call, call_async
from docextract.errors import APIError, TransportError, api_error, tried
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
from docextract.watchdog import Watchdog


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
    watchdog: Watchdog | None = None  # ends the open stream at its deadline
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
                    if _is_event_stream(stream):
                        watchdog = Watchdog(stream, action.budget).__enter__()
                        events = EventSource(stream).iter_sse()
                    else:  # answered without a stream: the core decides what it means
                        result = PlainAnswer(stream.read())
                        _close_sync(stream, None)
                        stream = None
                elif isinstance(action, NextEvent):
                    assert watchdog is not None
                    result = _next_event_sync(w, events, watchdog)
                elif isinstance(action, CloseStream):
                    _close_sync(stream, watchdog)
                    stream = watchdog = events = None
            except Exception as exc:  # handed to the generator, which decides
                error = exc
    finally:
        _close_sync(stream, watchdog)
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
                    stream = await _open_stream_async(client, w, action)
                    if _is_event_stream(stream):
                        events = EventSource(stream).aiter_sse()
                    else:  # answered without a stream: the core decides what it means
                        result = PlainAnswer(await stream.aread())
                        await stream.aclose()
                        stream = None
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
        url=tried(response),
    )


_DEADLINE_ENDED_IT = "the wait's deadline ended the stream"


def _stream_error(w: Run, cause: BaseException) -> TransportError:
    return TransportError(provider=w.provider, operation="stream", cause=cause, job_id=_job(w))


def _next_event_sync(w: Run, events: Any, watchdog: Watchdog) -> ServerSentEvent | None:
    try:
        event: ServerSentEvent | None = next(events, None)
    except httpx.HTTPError as exc:
        cause = httpx.ReadTimeout(_DEADLINE_ENDED_IT) if watchdog.fired else exc
        raise _stream_error(w, cause) from exc
    if event is None and watchdog.fired:  # cut at the deadline: not an ordinary end
        raise _stream_error(w, httpx.ReadTimeout(_DEADLINE_ENDED_IT))
    return event


async def _next_event_async(w: Run, events: Any, ends_at: float) -> ServerSentEvent | None:
    try:
        async with asyncio.timeout_at(ends_at):
            event: ServerSentEvent | None = await anext(events, None)
    except TimeoutError as exc:
        raise _stream_error(w, httpx.ReadTimeout(_DEADLINE_ENDED_IT)) from exc
    except httpx.HTTPError as exc:
        raise _stream_error(w, exc) from exc
    return event


def _close_sync(stream: httpx.Response | None, watchdog: Watchdog | None) -> None:
    if watchdog is not None:
        watchdog.__exit__(None, None, None)
    if stream is not None:
        stream.close()
