"""Tiny raw HTTP/1.1 servers on 127.0.0.1 for the overlay-core tests (test_clients, test_calls,
test_errors, test_secrets): they record every request with its headers, count TCP connections,
keep connections alive, and can stay silent. Every server is stopped by the fixture that made it.
"""

import io
import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import attrs
import yaml

SPECS = Path(__file__).resolve().parents[2] / "specs"
PROVIDERS = ("numind", "llamacloud", "retab", "contextual")
ENV_VARS = {
    "numind": "NUMIND_API_KEY",
    "llamacloud": "LLAMA_CLOUD_API_KEY",
    "retab": "RETAB_API_KEY",
    "contextual": "CONTEXTUAL_API_KEY",
}


@attrs.frozen
class RawRequest:
    method: str
    target: str  # path and query, as on the request line
    headers: dict[str, str]  # lower-cased names
    body: bytes
    connection: int  # which TCP connection (0-based) carried it


Reply = Callable[[RawRequest], bytes | None]
"""The bytes to answer with; ``None`` stays silent (the connection is held until stop());
``b""`` closes the connection without an answer."""


def response(
    status: int,
    body: bytes | str = b"",
    *headers: str,
    reason: str = "X",
    close: bool = False,
) -> bytes:
    data = body.encode() if isinstance(body, str) else body
    lines = [f"HTTP/1.1 {status} {reason}", *headers, f"Content-Length: {len(data)}"]
    if close:
        lines.append("Connection: close")
    return "\r\n".join([*lines, "", ""]).encode("latin-1") + data


def json_response(status: int, body: str, *headers: str) -> bytes:
    return response(status, body, "Content-Type: application/json", *headers)


class RawServer:
    """A threaded HTTP/1.1 server: one thread accepts, one thread per connection answers."""

    def __init__(self, reply: Reply, host: str = "127.0.0.1") -> None:
        self._reply = reply
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.01)
        port = self._listener.getsockname()[1]
        self.host, self.port = host, port
        self.url = f"http://{host}:{port}"
        self.requests: list[RawRequest] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._conns: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

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
                    number = self.connections
                    self.connections += 1
                    self._conns.append(conn)
                    thread = threading.Thread(target=self._handle, args=(conn, number), daemon=True)
                    self._threads.append(thread)
                thread.start()

    def _handle(self, conn: socket.socket, number: int) -> None:
        conn.settimeout(0.05)
        buffer = b""
        with conn:
            for _ in range(1000):  # bounded: requests on one connection
                request, buffer = self._read(conn, buffer, number)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                answer = self._reply(request)
                if answer is None:  # silent: hold the connection until stop()
                    self._stopping.wait(timeout=30)
                    return
                if not answer:  # drop the connection without answering
                    return
                try:
                    conn.sendall(answer)
                except OSError:
                    return
                if b"connection: close" in answer.lower().split(b"\r\n\r\n")[0]:
                    return

    def _read(
        self, conn: socket.socket, buffer: bytes, number: int
    ) -> tuple[RawRequest | None, bytes]:
        for _ in range(100_000):  # bounded; each recv waits at most 0.05 s
            if b"\r\n\r\n" in buffer:
                break
            if not (chunk := self._recv(conn)):
                if chunk is None and not self._stopping.is_set():
                    continue
                return None, b""
            buffer += chunk
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
            if not (chunk := self._recv(conn)):
                if chunk is None and not self._stopping.is_set():
                    continue
                return None, b""
            rest += chunk
        body, buffer = rest[:length], rest[length:]
        return RawRequest(method, target, headers, body, number), buffer

    def _recv(self, conn: socket.socket) -> bytes | None:
        """Bytes read; ``b""`` when the peer closed; ``None`` when nothing came within 0.05 s."""
        try:
            return conn.recv(65536)
        except TimeoutError:
            return None
        except OSError:
            return b""


@contextmanager
def raw_servers() -> Iterator[Callable[..., RawServer]]:
    servers: list[RawServer] = []

    def start(reply: Reply, host: str = "127.0.0.1") -> RawServer:
        servers.append(RawServer(reply, host))
        return servers[-1]

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


def refused_url() -> str:
    """A loopback port nobody listens on: bound, then released without listen()."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def silent(_: RawRequest) -> None:
    return None


def spec(provider: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((SPECS / provider / "openapi.yaml").read_text("utf-8"))
    return loaded


# --- one representative operation per provider -------------------------------------------------

JOB_ID = "0b8e2f4c-8d5a-4b7e-9a51-3c2d1e0f9a77"  # a UUID: Contextual's job IDs are
STAMP = "2026-01-01T00:00:00+00:00"


@attrs.frozen
class Probe:
    """An operation of `provider` to send through docextract.calls, with a body it accepts."""

    provider: str
    operation_id: str
    path: str  # the path the request goes to
    method: str
    ok_body: str  # a 200 body the generated parser accepts
    params: Callable[[], dict[str, Any]]  # fresh keyword arguments (a file is read once)


def _retab_params() -> dict[str, Any]:
    from retab_client.models import ProjectExtractRequest
    from retab_client.types import File

    document = File(payload=io.BytesIO(b"%PDF-1.7 probe"), file_name="a.pdf", mime_type="x/y")
    return {"project_id": "proj_1", "body": ProjectExtractRequest(document=document)}


def _retab_ok() -> str:
    post = spec("retab")["paths"]["/v1/projects/extract/{project_id}"]["post"]
    example = post["responses"]["200"]["content"]["application/json"]["examples"]["seed"]
    return json.dumps(example["value"])


PROBES: dict[str, Probe] = {
    "numind": Probe(
        "numind",
        "get_api_jobs_jobid",
        f"/api/jobs/{JOB_ID}",
        "GET",
        json.dumps(
            {
                "id": JOB_ID,
                "jobType": "structured-extraction",
                "status": "running",
                "ownerUser": "u",
                "inputData": "{}",
                "startedAt": STAMP,
                "createdAt": STAMP,
                "updatedAt": STAMP,
            }
        ),
        lambda: {"job_id": JOB_ID},
    ),
    "llamacloud": Probe(
        "llamacloud",
        "get_extract_job",
        f"/api/v2/extract/{JOB_ID}",
        "GET",
        json.dumps(
            {
                "id": JOB_ID,
                "created_at": STAMP,
                "file_input": "file-1",
                "project_id": "p",
                "status": "PENDING",
                "updated_at": STAMP,
            }
        ),
        lambda: {"job_id": JOB_ID},
    ),
    "retab": Probe(
        "retab",
        "extract_project",
        "/v1/projects/extract/proj_1",
        "POST",
        _retab_ok(),
        _retab_params,
    ),
    "contextual": Probe(
        "contextual",
        "get_extraction_job_status_extract_jobs__job_id__get",
        f"/extract/jobs/{JOB_ID}",
        "GET",
        json.dumps({"job_id": JOB_ID, "status": "processing", "completion_percentage": 0.5}),
        lambda: {"job_id": JOB_ID},
    ),
}
