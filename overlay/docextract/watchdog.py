"""Ending blocking I/O at a deadline: every socket operation of a request gets what is left.

httpx's timeouts bound each read, not a whole exchange: a server that trickles its headers or
its body one line at a time keeps every read short and can outlast any deadline, and a request
the retry transport resends keeps the timeouts computed before its first try. asyncio code wraps
the whole exchange in `asyncio.timeout`; blocking code has nothing comparable. So the blocking
transport's network backend wraps each connection's stream, and every connect, TLS handshake,
write and read is given `min(its own timeout, what is left of the deadline in force)`; once
the deadline has passed, the next operation fails at once with httpcore's timeout error (which
httpx maps to its own). No library offers this for httpx's blocking client.

The deadline in force is a context variable: `with deadline(at):` around the exchange (connect
to last byte, retries included), in the thread (or task) that does the I/O.
"""

import ssl
import time
import typing
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpcore
import httpx

__all__ = ["DEADLINE_PASSED", "DeadlineBackend", "bounded_transport", "deadline", "passed"]

DEADLINE_PASSED = "the deadline passed"
_in_force: ContextVar[float | None] = ContextVar("docextract_deadline", default=None)
_WRITE_CHUNK = 65536  # a large body is written piece by piece, each piece bounded

SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


@contextmanager
def deadline(at: float | None) -> Iterator[None]:
    """Inside, blocking I/O through a `bounded_transport` ends at `at` (`time.monotonic()`)."""
    token = _in_force.set(at)
    try:
        yield
    finally:
        _in_force.reset(token)


def passed(at: float | None, slack: float = 0.005) -> bool:
    """Whether the deadline `at` has passed (or is within `slack` seconds)."""
    return at is not None and at - time.monotonic() <= slack


def _bounded(timeout: float | None, error: type[httpcore.TimeoutException]) -> float | None:
    at = _in_force.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error(DEADLINE_PASSED)
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        view = memoryview(buffer)
        for start in range(0, len(view), _WRITE_CHUNK):
            piece = bytes(view[start : start + _WRITE_CHUNK])
            self._inner.write(piece, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's blocking backend, with every operation bounded by the deadline in force."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_tcp(host, port, bounded, local_address, socket_options))

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, bounded, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bounded_transport(**options: typing.Any) -> httpx.HTTPTransport:
    """`httpx.HTTPTransport(**options)` whose connections obey `deadline()`."""
    transport = httpx.HTTPTransport(**options)
    pool = transport._pool  # httpx is pinned to 0.28.x; its transport has no backend option
    pool._network_backend = DeadlineBackend(pool._network_backend)
    return transport
