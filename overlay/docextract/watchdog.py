"""Ending a blocking read at a deadline.

httpx's timeouts bound each read, not a whole response: a server that trickles bytes, or a
stream that pings, keeps every read short and can outlast any deadline. asyncio code wraps the
reads in `asyncio.timeout`; blocking code has nothing comparable, so this module shuts the
connection's socket down when the deadline comes — the one thing that wakes a thread blocked in
recv() — and the read fails at once. No library offers this for httpx's blocking client.
"""

import contextlib
import socket
import threading
from types import TracebackType

import httpx


class Watchdog:
    """`with Watchdog(response, seconds):` — reads of `response` inside fail after `seconds`.

    `fired` tells afterwards whether the deadline cut the connection.
    """

    def __init__(self, response: httpx.Response, seconds: float) -> None:
        self.response = response
        self.fired = False
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(max(seconds, 0.0), self._cut)
        self._timer.daemon = True

    def __enter__(self) -> "Watchdog":
        self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        with self._lock:
            self._done = True
        self._timer.cancel()

    def _cut(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            stream = self.response.extensions.get("network_stream")
            sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):  # already closed: the read has ended anyway
                sock.shutdown(socket.SHUT_RDWR)
