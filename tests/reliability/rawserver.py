"""A raw-socket HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose.

An answer is a list of parts sent in order: bytes (sent at once), `Pause(s)` (real time),
`Trickle(data, every)` (a few bytes at a time), `RESET` (close with RST), `DROP` (close),
`HOLD` (silent until the server stops). Helpers build the usual lies: headers one line at a
time, a body slower than any deadline, a Content-Length longer than the body, deep JSON.
Every server a test starts is stopped by the fixture; every loop is bounded.
"""

import json
import socket
import struct
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import attrs

DROP = object()  # close the connection now
RESET = object()  # close with a TCP reset (SO_LINGER 0)
HOLD = object()  # send nothing more until the server stops


@attrs.frozen
class Pause:
    seconds: float


@attrs.frozen
class Trickle:
    """`data` sent `size` bytes at a time, one piece every `every` seconds."""

    data: bytes
    every: float
    size: int = 1


Part = bytes | Pause | Trickle | object


@attrs.frozen
class RawRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def head(status: int, *headers: str, length: int | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} X", *headers]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def json_bytes(body: Any) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body).encode()


def answer(status: int, body: Any, *headers: str) -> list[Part]:
    data = json_bytes(body)
    return [head(status, "Content-Type: application/json", *headers, length=len(data)) + data]


def trickled_head(status: int, body: Any, every: float, lines: int = 60) -> list[Part]:
    """Headers one line every `every` seconds (`lines` of them): no read ever waits long."""
    data = json_bytes(body)
    parts: list[Part] = [f"HTTP/1.1 {status} X\r\n".encode()]
    for n in range(lines):
        parts += [Pause(every), f"X-Filler-{n}: {n}\r\n".encode()]
    parts.append(f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n".encode())
    return [*parts, data]


def trickled_body(status: int, body: Any, every: float, *headers: str) -> list[Part]:
    """Headers at once, then the body one byte every `every` seconds."""
    data = json_bytes(body)
    top = head(status, "Content-Type: application/json", *headers, length=len(data))
    return [top, Trickle(data, every)]


def short_body(status: int, body: Any, missing: int = 10) -> list[Part]:
    """Content-Length says `missing` bytes more than are sent, then the connection closes."""
    data = json_bytes(body)
    top = head(status, "Content-Type: application/json", length=len(data) + missing)
    return [top + data, DROP]


def stalled_after_head(status: int = 200, length: int = 100) -> list[Part]:
    return [head(status, "Content-Type: application/json", length=length), HOLD]


def deep_json(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_object(key: str, depth: int = 100_000) -> bytes:
    return f'{{"{key}": '.encode() + deep_json(depth) + b"}"


class RawServer:
    """`RawServer(handler)`: `handler(request)` gives the parts of each answer."""

    def __init__(self, handler: Callable[[RawRequest], Iterable[Part]]) -> None:
        self._handler = handler
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.requests: list[RawRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._conns: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def paths(self) -> list[str]:
        with self._lock:
            return [f"{r.method} {r.path}" for r in self.requests]

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

    def _serve(self) -> None:
        with self._listener:
            while not self._stopping.is_set():
                try:
                    conn, _ = self._listener.accept()
                except TimeoutError:
                    continue
                thread = threading.Thread(target=self._handle, args=(conn,), daemon=True)
                with self._lock:
                    self._conns.append(conn)
                    self._threads.append(thread)
                thread.start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(0.05)
        buffer = b""
        with conn:
            for _ in range(100):  # bounded: answers on one connection
                request, buffer = self._read(conn, buffer)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                if not self._send(conn, self._handler(request)):
                    return

    def _send(self, conn: socket.socket, parts: Iterable[Part]) -> bool:
        """False when the connection is finished."""
        try:
            for part in parts:
                if part is DROP:
                    return False
                if part is RESET:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return False
                if part is HOLD:
                    self._stopping.wait(timeout=30)
                    return False
                if isinstance(part, Pause):
                    if self._stopping.wait(timeout=part.seconds):
                        return False
                elif isinstance(part, Trickle):
                    for start in range(0, len(part.data), part.size):
                        if self._stopping.wait(timeout=part.every):
                            return False
                        conn.sendall(part.data[start : start + part.size])
                else:
                    conn.sendall(part)  # type: ignore[arg-type]
        except OSError:
            return False
        return True

    def _read(self, conn: socket.socket, buffer: bytes) -> tuple[RawRequest | None, bytes]:
        for _ in range(2000):  # each recv waits at most 0.05 s: 100 s at most
            if b"\r\n\r\n" in buffer:
                break
            data = self._recv(conn)
            if data == b"" or self._stopping.is_set():
                return None, b""
            buffer += data or b""
        else:
            return None, b""
        top, _, rest = buffer.partition(b"\r\n\r\n")
        lines = top.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        for _ in range(2000):
            if len(rest) >= length:
                break
            data = self._recv(conn)
            if data == b"" or self._stopping.is_set():
                return None, b""
            rest += data or b""
        body, buffer = rest[:length], rest[length:]
        return RawRequest(method, target.split("?", 1)[0], headers, body), buffer

    def _recv(self, conn: socket.socket) -> bytes | None:
        try:
            return conn.recv(65536)
        except TimeoutError:
            return None
        except OSError:
            return b""


class Routes:
    """Per "METHOD /path", the answers in order (the last repeats); 404 elsewhere."""

    def __init__(self, routes: Mapping[str, Sequence[Sequence[Part]]]) -> None:
        self._routes = {key: list(answers) for key, answers in routes.items()}
        self.counts: dict[str, int] = dict.fromkeys(self._routes, 0)
        self._lock = threading.Lock()

    def __call__(self, request: RawRequest) -> Iterable[Part]:
        key = f"{request.method} {request.path}"
        answers = self._routes.get(key)
        if answers is None:
            return answer(404, {"detail": f"no route {key}"})
        with self._lock:
            index = min(self.counts[key], len(answers) - 1)
            self.counts[key] += 1
        return answers[index]


@contextmanager
def raw_servers() -> Iterator[Callable[[Callable[[RawRequest], Iterable[Part]]], RawServer]]:
    servers: list[RawServer] = []

    def start(handler: Callable[[RawRequest], Iterable[Part]]) -> RawServer:
        servers.append(RawServer(handler))
        return servers[-1]

    try:
        yield start
    finally:
        for server in servers:
            server.stop()
