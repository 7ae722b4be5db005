"""Loopback simulators of the providers' job lifecycles, and the fake clock the waits run on.

- `FakeClock`: the `clock=` of a wait and, through `.sleep` / `.asleep`, its `sleep=`; every
  sleep is recorded and advances the clock, so a ten-minute wait runs in milliseconds.
- `Script`: a pytest-httpserver handler that answers a route with the next of its replies (the
  last one repeats), counting the requests it saw: a job stepping through its statuses.
- `StreamServer`: a raw HTTP/1.1 server on 127.0.0.1 for what pytest-httpserver cannot do: stay
  silent, drop a connection, or break an event stream in the middle of a chunk.
- `call_api`: one docextract function, sync or through its `_async` twin in a fresh event loop
  (the client's async pool closed in that loop), so that every test runs in both forms.
- Bodies: the providers' job, status and result documents, as their specs describe them.
"""

import asyncio
import json
import socket
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import httpx
from werkzeug import Request, Response

import docextract

KEY = "test-key-5b0e61c2d9"
NUMIND_JOB = "nm-job-7f3a"
LLAMA_JOB = "ext-job-91c2"
CTX_JOB = "6a0f3c1e-9b2d-4e8a-8c71-2d5e4f0a1b93"  # Contextual's job IDs are UUIDs
CTX_DOCUMENT = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
CTX_SCHEMA = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
STAMP = "2026-01-01T00:00:00+00:00"
PROVIDER_JOBS = {"numind": NUMIND_JOB, "llamacloud": LLAMA_JOB, "contextual": CTX_JOB}


# ---------------------------------------------------------------- the fake clock


class FakeClock:
    """A monotonic clock that only the fake sleeps advance; records every sleep."""

    def __init__(self, start: float = 1000.0, max_sleeps: int = 5000) -> None:
        self.now = start
        self.start = start
        self.sleeps: list[float] = []
        self.max_sleeps = max_sleeps  # a runaway wait fails the test instead of spinning

    def __call__(self) -> float:
        return self.now

    @property
    def elapsed(self) -> float:
        return self.now - self.start

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0, f"negative sleep {seconds}"
        self.sleeps.append(seconds)
        if len(self.sleeps) > self.max_sleeps:
            raise RuntimeError(f"more than {self.max_sleeps} sleeps: the wait does not end")
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)  # let the other waits on the loop run, as a real sleep would


# ---------------------------------------------------------------- sync and async alike


FLAVOURS = ("sync", "async")


def client(
    provider: str, url: str, *, max_retries: int = 0, **options: Any
) -> Any:  # the generated AuthenticatedClient
    """A docextract client for a loopback server; no transport retries unless asked."""
    return docextract.client(
        provider, api_key=KEY, base_url=url.rstrip("/"), max_retries=max_retries, **options
    )


def call_api(
    flavour: str,
    func: Callable[..., Any],
    *args: Any,
    client: Any,
    fake: FakeClock | None = None,
    **kwargs: Any,
) -> Any:
    """`func(*args, client=client, **kwargs)`, or its `_async` twin in a fresh event loop.

    fake: passed as `clock=` and `sleep=` (its async sleep for the async twin).
    """
    if flavour == "sync":
        if fake is not None:
            kwargs.update(clock=fake, sleep=fake.sleep)
        return func(*args, client=client, **kwargs)
    twin = getattr(sys.modules[func.__module__], func.__name__ + "_async")
    if fake is not None:
        kwargs.update(clock=fake, sleep=fake.asleep)

    async def run() -> Any:
        try:
            return await twin(*args, client=client, **kwargs)
        finally:
            await client.get_async_httpx_client().aclose()

    return asyncio.run(run())


# ---------------------------------------------------------------- scripted routes


@attrs.frozen
class Reply:
    status: int = 200
    body: str | bytes = b""
    headers: Mapping[str, str] = attrs.field(factory=dict)
    content_type: str = "application/json"


def as_response(reply: Any) -> Response:
    if isinstance(reply, Response):
        return reply
    if isinstance(reply, Reply):
        return Response(
            reply.body,
            status=reply.status,
            headers=dict(reply.headers),
            content_type=reply.content_type,
        )
    return Response(json.dumps(reply), status=200, content_type="application/json")


class Script:
    """A route's answers in order (dicts are JSON 200s); the last one repeats. Thread-safe."""

    def __init__(self, *replies: Any, clock: FakeClock | None = None) -> None:
        assert replies
        self.replies = list(replies)
        self.requests: list[Request] = []
        self.bodies: list[bytes] = []
        self.times: list[float] = []  # the fake clock's reading at each request
        self._clock = clock
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        with self._lock:
            index = min(len(self.requests), len(self.replies) - 1)
            self.requests.append(request)
            self.bodies.append(request.get_data())
            if self._clock is not None:
                self.times.append(self._clock.now)
        return as_response(self.replies[index])

    @property
    def calls(self) -> int:
        return len(self.requests)

    @property
    def finished(self) -> bool:
        """Every reply was served (the job's last state was fetched)."""
        return self.calls >= len(self.replies)


def serve(httpserver: Any, path: str, script: Script, method: str = "GET") -> Script:
    httpserver.expect_request(path, method=method).respond_with_handler(script)
    return script


def paths(httpserver: Any) -> list[str]:
    """The paths of every request the server saw, in order."""
    return [request.path for request, _ in httpserver.log]


# ---------------------------------------------------------------- provider bodies


def numind_job(
    status: str,
    *,
    job_id: str = NUMIND_JOB,
    output: Any = None,
    error_message: str | None = None,
    error_code: str | None = None,
    full: bool = False,
) -> dict[str, Any]:
    """NuMind JobStatusResponse, or JobResponse (`full`, or any output) with `outputData`."""
    body: dict[str, Any] = {
        "id": job_id,
        "jobType": "structured-extraction",
        "status": status,
        "ownerUser": "user-1",
        "startedAt": STAMP,
        "createdAt": STAMP,
        "updatedAt": STAMP,
        "timeoutSeconds": 3600,
    }
    if full or output is not None:
        body["inputData"] = "{}"
    if output is not None:
        body["outputData"] = output if isinstance(output, str) else json.dumps(output)
    if error_message is not None:
        body["errorMessage"] = error_message
    if error_code is not None:
        body["errorCode"] = error_code
    return body


def numind_extraction(result: Mapping[str, Any]) -> dict[str, Any]:
    """ExtractionResponse, as the job's outputData holds it."""
    return {
        "result": dict(result),
        "rawModelOutput": json.dumps(result),
        "outputTokens": 12,
        "inputTokens": 340,
        "totalTokens": 352,
        "logprobs": -0.25,
        "outputTokenProbability": 0.97,
        "randomSeed": 7,
        "isTruncated": False,
    }


def numind_markdown(text: str) -> dict[str, Any]:
    """MarkdownResponse, as the job's outputData holds it."""
    return {
        "result": text,
        "thinkingTrace": "looked at it",
        "rawModelOutput": text,
        "outputTokens": 5,
        "inputTokens": 50,
        "totalTokens": 55,
        "logprobs": -0.5,
        "outputTokenProbability": 0.9,
    }


def llama_job(
    status: str,
    *,
    job_id: str = LLAMA_JOB,
    result: Mapping[str, Any] | None = None,
    error_message: str | None = None,
    document: str = "dfl-file-1",
) -> dict[str, Any]:
    """LlamaCloud ExtractV2Job."""
    body: dict[str, Any] = {
        "id": job_id,
        "created_at": STAMP,
        "updated_at": STAMP,
        "file_input": document,
        "project_id": "0b6f3c2e-1d4a-4e5b-9c7d-8a9b0c1d2e3f",
        "status": status,
    }
    if result is not None:
        body["extract_result"] = dict(result)
    if error_message is not None:
        body["error_message"] = error_message
    return body


def ctx_created(
    *, job_id: str = CTX_JOB, eta: datetime | None = None, status: str = "pending"
) -> dict[str, Any]:
    """Contextual ExtractJobResponse (the answer to POST /extract/jobs)."""
    now = datetime.now(UTC)
    return {
        "job_id": job_id,
        "status": status,
        "created_at": now.isoformat(),
        "estimated_completion": (eta or now).isoformat(),
    }


def ctx_status(
    status: str,
    percentage: float = 0.0,
    *,
    job_id: str = CTX_JOB,
    fields_processed: int | None = None,
    total_fields: int | None = None,
    current_step: str | None = None,
) -> dict[str, Any]:
    """Contextual ExtractJobStatusResponse."""
    body: dict[str, Any] = {
        "job_id": job_id,
        "status": status,
        "completion_percentage": percentage,
    }
    if fields_processed is not None:
        body["fields_processed"] = fields_processed
    if total_fields is not None:
        body["total_fields"] = total_fields
    if current_step is not None:
        body["current_step"] = current_step
    return body


def ctx_results(results: Mapping[str, Any]) -> dict[str, Any]:
    """Contextual ExtractJobResultsResponse."""
    return {"results": dict(results), "metadata": {"cost_usd": 0.01, "duration_ms": 1200}}


def status_path(provider: str, job_id: str | None = None) -> str:
    job_id = job_id or PROVIDER_JOBS[provider]
    return {
        "numind": f"/api/jobs/{job_id}/status",
        "llamacloud": f"/api/v2/extract/{job_id}",
        "contextual": f"/extract/jobs/{job_id}",
    }[provider]


def cancel_path(provider: str, job_id: str | None = None) -> str:
    job_id = job_id or PROVIDER_JOBS[provider]
    return {
        "numind": f"/api/jobs/{job_id}/cancel",
        "llamacloud": f"/api/v2/extract/{job_id}/cancel",
    }[provider]


def running(provider: str, job_id: str | None = None) -> dict[str, Any]:
    """A still-running status document of `provider`."""
    job_id = job_id or PROVIDER_JOBS[provider]
    return {
        "numind": lambda: numind_job("running", job_id=job_id),
        "llamacloud": lambda: llama_job("RUNNING", job_id=job_id),
        "contextual": lambda: ctx_status("processing", 10.0, job_id=job_id),
    }[provider]()


def completed(provider: str, job_id: str | None = None) -> dict[str, Any]:
    """The status document of a job that succeeded."""
    job_id = job_id or PROVIDER_JOBS[provider]
    return {
        "numind": lambda: numind_job("completed", job_id=job_id),
        "llamacloud": lambda: llama_job("COMPLETED", job_id=job_id, result={"total": 42}),
        "contextual": lambda: ctx_status("completed", 100.0, job_id=job_id),
    }[provider]()


def failed(provider: str, message: str, job_id: str | None = None) -> dict[str, Any]:
    job_id = job_id or PROVIDER_JOBS[provider]
    return {
        "numind": lambda: numind_job(
            "failed", job_id=job_id, error_message=message, error_code="E_MODEL"
        ),
        "llamacloud": lambda: llama_job("FAILED", job_id=job_id, error_message=message),
        "contextual": lambda: ctx_status("failed", 40.0, job_id=job_id, current_step=message),
    }[provider]()


def cancelled(provider: str, job_id: str | None = None) -> dict[str, Any]:
    job_id = job_id or PROVIDER_JOBS[provider]
    return {
        "numind": lambda: numind_job("cancelled", job_id=job_id),
        "llamacloud": lambda: llama_job("CANCELLED", job_id=job_id),
        "contextual": lambda: ctx_status("cancelled", 40.0, job_id=job_id),
    }[provider]()


def result_route(provider: str, job_id: str | None = None) -> tuple[str, dict[str, Any]] | None:
    """Where a finished job's result is fetched, and the body there (None: in the status)."""
    job_id = job_id or PROVIDER_JOBS[provider]
    if provider == "numind":
        output = numind_extraction({"total": 42})
        return f"/api/jobs/{job_id}", numind_job("completed", job_id=job_id, output=output)
    if provider == "contextual":
        return f"/extract/jobs/{job_id}/results", ctx_results({"total": 42})
    return None


def result_total(provider: str, result: Any) -> Any:
    """The `total` field of a provider's typed result, as the bodies above carry it."""
    if provider == "numind":
        return result.result["total"]
    if provider == "llamacloud":
        return result.extract_result["total"]
    return result.results["total"]


def sse(*events: tuple[str, str | Mapping[str, Any]]) -> str:
    """A text/event-stream body: (event, data) pairs; dict data is JSON."""
    parts = []
    for event, data in events:
        text = data if isinstance(data, str) else json.dumps(data)
        lines = "".join(f"data: {line}\n" for line in text.split("\n"))
        parts.append(f"event: {event}\n{lines}\n")
    return "".join(parts)


def sse_reply(*events: tuple[str, str | Mapping[str, Any]]) -> Reply:
    return Reply(body=sse(*events), content_type="text/event-stream")


# ---------------------------------------------------------------- raw servers

DROP = object()  # close the connection at once, mid-answer
HOLD = object()  # send nothing more: hold the connection open until the server stops


@attrs.frozen
class Pause:
    """Wait this long (real time) before the next part: a slow server."""

    seconds: float


Part = bytes | object


@attrs.frozen
class RawRequest:
    method: str
    path: str  # without the query
    target: str
    headers: dict[str, str]
    body: bytes


def http_head(status: int, *headers: str, length: int | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} X", *headers]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def json_answer(status: int, body: Any, *headers: str) -> list[Part]:
    data = (body if isinstance(body, str) else json.dumps(body)).encode()
    return [http_head(status, "Content-Type: application/json", *headers, length=len(data)) + data]


def chunk(data: str | bytes) -> bytes:
    raw = data.encode() if isinstance(data, str) else data
    return f"{len(raw):x}\r\n".encode() + raw + b"\r\n"


def sse_head() -> bytes:
    return http_head(200, "Content-Type: text/event-stream", "Transfer-Encoding: chunked")


def broken_sse(*events: tuple[str, str | Mapping[str, Any]]) -> list[Part]:
    """A chunked event stream that sends `events`, then half a chunk, then drops the connection."""
    return [sse_head(), *(chunk(sse(e)) for e in events), b"40\r\nevent: res", DROP]


def ended_sse(*events: tuple[str, str | Mapping[str, Any]]) -> list[Part]:
    """A complete chunked event stream with `events` and nothing else."""
    return [sse_head(), *(chunk(sse(e)) for e in events), b"0\r\n\r\n"]


RawHandler = Callable[[RawRequest], Iterable[Part]]


class StreamServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 whose answers are sent part by part.

    Each answer is a sequence of byte strings, possibly ending in DROP (close the connection
    now) or HOLD (stay silent until `stop`). Connections are kept alive between answers.
    """

    def __init__(self, handler: RawHandler) -> None:
        self._handler = handler
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.02)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.requests: list[RawRequest] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._conns: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)
        with self._lock:
            conns, threads = list(self._conns), list(self._threads)
        for conn in conns:
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(timeout=10)
        assert not self._thread.is_alive()
        assert not any(t.is_alive() for t in threads)

    def _serve(self) -> None:
        with self._listener:
            while not self._stopping.is_set():
                try:
                    conn, _ = self._listener.accept()
                except TimeoutError:
                    continue
                with self._lock:
                    self.connections += 1
                    self._conns.append(conn)
                    thread = threading.Thread(target=self._handle, args=(conn,), daemon=True)
                    self._threads.append(thread)
                thread.start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(0.05)
        buffer = b""
        with conn:
            for _ in range(1000):  # bounded: answers on one connection
                request, buffer = self._read(conn, buffer)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                for part in self._handler(request):
                    if part is DROP:
                        return
                    if part is HOLD:
                        self._stopping.wait(timeout=30)
                        return
                    if isinstance(part, Pause):
                        if self._stopping.wait(timeout=part.seconds):
                            return
                        continue
                    try:
                        conn.sendall(part)  # type: ignore[arg-type]
                    except OSError:
                        return

    def _read(self, conn: socket.socket, buffer: bytes) -> tuple[RawRequest | None, bytes]:
        for _ in range(100_000):  # bounded; each recv waits at most 0.05 s
            if b"\r\n\r\n" in buffer:
                break
            chunk_ = self._recv(conn)
            if not chunk_:
                if chunk_ is None and not self._stopping.is_set():
                    continue
                return None, b""
            buffer += chunk_
        else:
            return None, b""
        head, _, rest = buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        for _ in range(100_000):
            if len(rest) >= length:
                break
            chunk_ = self._recv(conn)
            if not chunk_:
                if chunk_ is None and not self._stopping.is_set():
                    continue
                return None, b""
            rest += chunk_
        body, buffer = rest[:length], rest[length:]
        path = target.split("?", 1)[0]
        return RawRequest(method, path, target, headers, body), buffer

    def _recv(self, conn: socket.socket) -> bytes | None:
        try:
            return conn.recv(65536)
        except TimeoutError:
            return None
        except OSError:
            return b""


@contextmanager
def stream_servers() -> Iterator[Callable[[RawHandler], StreamServer]]:
    servers: list[StreamServer] = []

    def start(handler: RawHandler) -> StreamServer:
        servers.append(StreamServer(handler))
        return servers[-1]

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


class Routes:
    """A RawHandler: per path, the answers in order (the last repeats); 404 elsewhere."""

    def __init__(self, routes: Mapping[str, Sequence[Sequence[Part]]]) -> None:
        self._routes = {path: list(answers) for path, answers in routes.items()}
        self.counts: dict[str, int] = dict.fromkeys(self._routes, 0)
        self._lock = threading.Lock()

    def __call__(self, request: RawRequest) -> Iterable[Part]:
        answers = self._routes.get(request.path)
        if answers is None:
            return json_answer(404, {"detail": "no such route"})
        with self._lock:
            index = min(self.counts[request.path], len(answers) - 1)
            self.counts[request.path] += 1
        return answers[index]


# ---------------------------------------------------------------- transports that watch


class WatchingTransport(httpx.AsyncBaseTransport):
    """Counts the requests in flight through one async pool (and the most at once).

    Each request yields to the event loop once before it is sent, so that every wait able to
    start a request does so: the count then shows how many the caller lets run at once.
    """

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.in_flight = 0
        self.most = 0
        self.sent: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        self.sent.append(request)
        try:
            await asyncio.sleep(0)
            response = await self._inner.handle_async_request(request)
            await response.aread()
            return response
        finally:
            self.in_flight -= 1

    async def aclose(self) -> None:
        await self._inner.aclose()


class RecordingTransport(httpx.BaseTransport):
    """Records each request's timeout extension (sync)."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.sent: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class AsyncRecordingTransport(httpx.AsyncBaseTransport):
    """Records each request's timeout extension (async)."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.sent: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def eta_in(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)
