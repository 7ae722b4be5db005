"""How fast one provider may be asked: a pacing bucket that a 429 slows down.

    limiter = AdaptiveLimiter(Limit(rate=15.0))
    async with limiter.slot():          # holds a concurrency slot
        await limiter.turn()            # waits for its turn (the pace)
        ...                             # the request
    limiter.throttled(retry_after)      # on a 429: halve the rate, pause until Retry-After
    limiter.succeeded()                 # on success: win back a little of the rate

Reservation-style pacing (GCRA): each caller reserves the next free instant and sleeps until
it, so waiting costs O(1) whatever the number of callers. Hand-written: aiolimiter and friends
neither slow down on a 429 nor take an injected clock.
"""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol

import attrs

from docextract.errors import InvalidParameter

# With no configured rate, the first 429 starts pacing at this rate (per second), halved then.
START_RATE = 20.0
FLOOR_RATE = 0.1  # never slower than one request every ten seconds
RECOVERY = 0.05  # each success wins back this share of the configured rate


def _positive(_: object, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InvalidParameter(attribute.name, value, "a number > 0, or None for no limit")


@attrs.frozen
class Limit:
    """rate: creating requests per second (None: as fast as answered). concurrency: creating
    requests in flight at once. active_jobs: jobs running at once, held from creation to end."""

    rate: float | None = attrs.field(default=None, validator=_positive)
    concurrency: int | None = attrs.field(default=None, validator=_positive)
    active_jobs: int | None = attrs.field(default=None, validator=_positive)


class Pace(Protocol):
    """What the scheduler asks of a provider's limiter (AdaptiveLimiter, or one shared by
    several processes: docextract.redis_limits.RedisLimiter)."""

    async def turn(self) -> None: ...

    def throttled(self, retry_after: float | None) -> None: ...

    def succeeded(self) -> None: ...

    def slot(self) -> contextlib.AbstractAsyncContextManager[None]: ...

    def active(self) -> contextlib.AbstractAsyncContextManager[None]: ...


class AdaptiveLimiter:
    """One provider's pacing and caps, on one event loop."""

    def __init__(
        self,
        limit: Limit,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.limit = limit
        self.rate: float | None = limit.rate
        self.throttles = 0  # 429s seen
        self._clock, self._sleep = clock, sleep
        self._next = 0.0  # the earliest instant the next request may start
        self._concurrency = asyncio.Semaphore(limit.concurrency) if limit.concurrency else None
        self._active = asyncio.Semaphore(limit.active_jobs) if limit.active_jobs else None

    def delay(self) -> float:
        """Reserve the next turn; how long to sleep until it."""
        now = self._clock()
        start = max(now, self._next)
        if self.rate is not None:
            self._next = start + 1.0 / self.rate
        return start - now

    async def turn(self) -> None:
        wait = self.delay()
        if wait > 0:
            await self._sleep(wait)

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the provider's concurrency slots (pacing is `turn`)."""
        async with self._concurrency or contextlib.nullcontext():
            yield

    @contextlib.asynccontextmanager
    async def active(self) -> AsyncIterator[None]:
        """Hold one of the provider's active-job slots (from before creation to the job's end)."""
        async with self._active or contextlib.nullcontext():
            yield

    def throttled(self, retry_after: float | None) -> None:
        """A 429: halve the rate, and start nothing before `retry_after` has passed."""
        self.throttles += 1
        self.rate = max(FLOOR_RATE, (self.rate or START_RATE) / 2)
        pause = retry_after if retry_after is not None else 1.0 / self.rate
        self._next = max(self._next, self._clock() + pause)

    def succeeded(self) -> None:
        """Additive increase back up to the configured rate (or to no pacing at all)."""
        if self.rate is None:
            return
        ceiling = self.limit.rate
        step = RECOVERY * (ceiling or START_RATE)
        self.rate = self.rate + step
        if ceiling is not None:
            self.rate = min(self.rate, ceiling)
        elif self.rate >= START_RATE:
            self.rate = None  # recovered: back to unpaced
