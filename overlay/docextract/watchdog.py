"""Ending a blocking read at a deadline.

httpx's timeouts bound each read, not a whole response: a server that trickles bytes, or a
stream that pings, keeps every read short and can outlast any deadline. asyncio code wraps the
reads in `asyncio.timeout`; blocking code has nothing comparable, so this module shuts the
connection's socket down when the deadline comes — the one thing that wakes a thread blocked in
recv() — and the read fails at once. No library offers this for httpx's blocking client.

Every watchdog of the process shares one timer thread (a heap of deadlines): starting a thread
per request, as `threading.Timer` does, cost ~150 µs of CPU per call with a deadline — more than
the rest of docextract's own per-call work together.
"""

import contextlib
import heapq
import itertools
import os
import socket
import threading
import time
from types import TracebackType

import httpx


class Watchdog:
    """`with Watchdog(response, seconds):` — reads of `response` inside fail after `seconds`.

    `fired` tells afterwards whether the deadline cut the connection.
    """

    def __init__(self, response: httpx.Response, seconds: float) -> None:
        self.response: httpx.Response | None = response
        self.fired = False
        self._done = False
        self._at = time.monotonic() + max(seconds, 0.0)

    def __enter__(self) -> "Watchdog":
        _TIMER.add(self._at, self)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        _TIMER.done(self)

    def _cut(self) -> None:
        """Called by the timer thread at the deadline (never after __exit__ has returned)."""
        response = self.response
        stream = response.extensions.get("network_stream") if response is not None else None
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):  # already closed: the read has ended anyway
                sock.shutdown(socket.SHUT_RDWR)


class _Timer:
    """One daemon thread that fires the watchdogs whose deadline has come, earliest first."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """A fresh state (also in a forked child, which has no timer thread)."""
        self._lock = threading.Condition()
        self._heap: list[tuple[float, int, Watchdog]] = []
        self._order = itertools.count()  # ties: first come, first fired; never compares dogs
        self._finished = 0  # done watchdogs still in the heap (dropped lazily)
        self._thread: threading.Thread | None = None

    def add(self, at: float, dog: Watchdog) -> None:
        with self._lock:
            if self._finished > 256 and self._finished * 2 > len(self._heap):
                self._heap = [entry for entry in self._heap if not entry[2]._done]
                heapq.heapify(self._heap)
                self._finished = 0
            heapq.heappush(self._heap, (at, next(self._order), dog))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="docextract-watchdog", daemon=True
                )
                self._thread.start()
            elif self._heap[0][2] is dog:  # a new earliest deadline: wake the thread early
                self._lock.notify()

    def done(self, dog: Watchdog) -> None:
        with self._lock:
            if not dog._done:
                dog._done = True
                self._finished += 1
            dog.response = None  # the heap may keep the watchdog a while; not the response

    def _run(self) -> None:
        while True:
            with self._lock:
                dog = self._next_due()
                dog.fired = True
                # cut while holding the lock: __exit__ waits for it, so a connection is never
                # shut down after its `with` block has ended (it may be back in the pool)
                dog._cut()
                dog._done = True

    def _next_due(self) -> Watchdog:
        """Wait (lock held) until a watchdog not yet done is due; pop and return it."""
        while True:
            while self._heap and self._heap[0][2]._done:
                heapq.heappop(self._heap)
                self._finished -= 1
            if not self._heap:
                self._lock.wait()
                continue
            delay = self._heap[0][0] - time.monotonic()
            if delay <= 0:
                return heapq.heappop(self._heap)[2]
            self._lock.wait(delay)


_TIMER = _Timer()
os.register_at_fork(after_in_child=_TIMER.reset)
