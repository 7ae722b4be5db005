"""Retrying httpx transports (sync and async) around one sans-I/O decision core.

Modelled on the retry logic of Stainless-generated SDKs: bounded retries, exponential backoff
with full jitter, ``retry-after-ms`` / ``Retry-After`` honoured. A request that may have created
something on the server (a job, an upload) is never sent twice.

Use ``httpx.Client(transport=RetryTransport())`` or, for generated clients,
``httpx_args={"transport": RetryTransport(policy)}``.
"""

import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable

import attrs
import httpx
from httpx._multipart import DataField, FileField, MultipartStream  # httpx is pinned to 0.28.x

from docextract.errors import retry_after_seconds

__all__ = [
    "ATTEMPTS_EXTENSION",
    "DEADLINE_EXTENSION",
    "IDEMPOTENT_METHODS",
    "MAX_SERVER_DELAY",
    "AsyncRetryTransport",
    "Attempt",
    "RetryDecision",
    "RetryPolicy",
    "RetryTransport",
]

DEADLINE_EXTENSION = "docextract_deadline"
"""``request.extensions`` key: absolute ``time.monotonic()`` deadline; no sleep may pass it."""

ATTEMPTS_EXTENSION = "docextract_attempts"
"""``response.extensions`` key set on the returned response: number of attempts made (int)."""

MAX_SERVER_DELAY = 60.0
"""Longest server-requested delay (seconds) honoured; a longer one returns the response at once."""

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# Errors raised before any byte of the request was sent: the server cannot have acted on it.
_NOTHING_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Transient errors worth another try (LocalProtocolError, UnsupportedProtocol, ProxyError are not).
_TRANSIENT_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

logger = logging.getLogger("docextract.retry")


def _asyncio_sleep(seconds: float) -> Awaitable[None]:
    import asyncio  # imported when first needed: ~20 ms that a sync-only process never pays

    return asyncio.sleep(seconds)


Attempt = httpx.Response | httpx.TransportError
"""What one try of a request came to: an answer, or a transport error."""


@attrs.frozen
class RetryDecision:
    """Retry after ``delay`` seconds because of ``reason`` (``status 503``, ``ConnectError``...)."""

    delay: float
    reason: str


def _status_codes(statuses: Iterable[int]) -> frozenset[int]:
    return frozenset(statuses)


@attrs.frozen
class RetryPolicy:
    """When and how long to wait before resending a request. Immutable; share it freely."""

    max_retries: int = attrs.field(
        default=2,
        validator=[
            attrs.validators.instance_of(int),
            attrs.validators.ge(0),
            attrs.validators.le(100),  # bounded; also keeps 2**attempt within float range
        ],
    )
    initial_delay: float = attrs.field(default=0.5, validator=attrs.validators.ge(0.0))
    max_delay: float = attrs.field(default=8.0, validator=attrs.validators.ge(0.0))
    max_total_sleep: float = attrs.field(default=30.0, validator=attrs.validators.ge(0.0))
    """Bound on the sum of the sleeps for one request."""
    retry_statuses: frozenset[int] = attrs.field(
        default=frozenset({408, 429, 500, 502, 503, 504}),
        converter=_status_codes,
        validator=attrs.validators.deep_iterable(
            attrs.validators.and_(
                attrs.validators.instance_of(int),
                attrs.validators.ge(100),
                attrs.validators.le(599),
            )
        ),
    )
    rng: random.Random = attrs.field(factory=random.Random, eq=False, repr=False)

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in ``[0, min(initial_delay * 2**attempt, max_delay)]``."""
        return self.rng.uniform(0.0, min(self.initial_delay * 2**attempt, self.max_delay))

    def decide(
        self, request: httpx.Request, attempt: int, outcome: Attempt, *, slept: float, now: float
    ) -> RetryDecision | None:
        """Whether to resend ``request`` after its try ``attempt`` (0-based) ended in ``outcome``.

        ``slept`` is the time already slept for this request, ``now`` the ``time.monotonic()``
        reading compared with the request's ``DEADLINE_EXTENSION``. ``None`` means stop: return
        the response / raise the error.
        """
        if attempt >= self.max_retries or not _is_replayable(request.stream):
            return None
        reason = _retry_reason(request, outcome, self.retry_statuses)
        if reason is None:
            return None
        delay = self._delay(attempt, outcome)
        if delay is None or slept + delay > self.max_total_sleep:
            return None
        deadline = request.extensions.get(DEADLINE_EXTENSION)
        if deadline is not None and now + delay > float(deadline):
            return None
        return RetryDecision(delay, reason)

    def _delay(self, attempt: int, outcome: Attempt) -> float | None:
        requested = (
            retry_after_seconds(outcome.headers) if isinstance(outcome, httpx.Response) else None
        )
        if requested is None:
            return self.backoff(attempt)
        # The server's own figure is used as is (no jitter), unless it is unreasonably long.
        return requested if requested <= MAX_SERVER_DELAY else None


def _retry_reason(request: httpx.Request, outcome: Attempt, statuses: frozenset[int]) -> str | None:
    """Why ``outcome`` may be retried, or ``None`` when a resend could act twice on the server."""
    if isinstance(outcome, httpx.Response):
        if outcome.status_code not in statuses:
            return None
        # 429: the provider rejected the request before acting on it (some providers check their
        # concurrency limit before creating a job), so even a POST can be resent.
        safe_anyway = outcome.status_code == 429
        reason = f"status {outcome.status_code}"
    else:
        if not isinstance(outcome, _TRANSIENT_ERRORS):
            return None
        # Connect/pool failures: no byte was sent, so even a POST can be resent. A POST that
        # timed out on read or lost its connection after sending may have created a job.
        safe_anyway = isinstance(outcome, _NOTHING_SENT_ERRORS)
        reason = type(outcome).__name__
    return reason if safe_anyway or _is_idempotent(request) else None


def _is_idempotent(request: httpx.Request) -> bool:
    # With an Idempotency-Key the provider returns its cached result: a resend creates nothing.
    return request.method in IDEMPOTENT_METHODS or "idempotency-key" in request.headers


def _is_replayable(stream: object) -> bool:
    """Bytes bodies (``ByteStream``, also the empty body) replay; multipart does if files rewind."""
    if isinstance(stream, httpx.ByteStream):
        return True
    return isinstance(stream, MultipartStream) and all(map(_is_rewindable, stream.fields))


def _is_rewindable(field: DataField | FileField) -> bool:
    # httpx seeks file fields back to 0 before each send; a non-seekable file would replay short.
    return (
        isinstance(field, DataField) or isinstance(field.file, bytes | str) or field.file.seekable()
    )


@attrs.define
class _Attempts:
    """Per-request retry state shared by the sync and async shells."""

    policy: RetryPolicy
    request: httpx.Request
    clock: Callable[[], float]
    made: int = 0
    slept: float = 0.0

    def retry_delay(self, outcome: Attempt) -> float | None:
        """Record one finished attempt; the delay before the next one, or ``None`` to stop."""
        self.made += 1
        decision = self.policy.decide(
            self.request, self.made - 1, outcome, slept=self.slept, now=self.clock()
        )
        if decision is None:
            return None
        logger.debug(  # the path only: queries may carry secrets (an access_token)
            "%s %s attempt %d/%d failed (%s); retrying in %.3fs",
            self.request.method,
            self.request.url.path,
            self.made,
            self.policy.max_retries + 1,
            decision.reason,
            decision.delay,
        )
        self.slept += decision.delay
        return decision.delay

    def finish(self, response: httpx.Response) -> httpx.Response:
        response.extensions[ATTEMPTS_EXTENSION] = self.made
        return response


class RetryTransport(httpx.BaseTransport):
    """Sync transport resending failed requests per ``policy`` through ``transport``."""

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], object] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._policy = policy or RetryPolicy()
        self._transport = transport or httpx.HTTPTransport()
        self._sleep = sleep or time.sleep
        self._clock = clock or time.monotonic

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempts = _Attempts(self._policy, request, self._clock)
        while True:  # bounded: decide() stops at max_retries
            try:
                response = self._transport.handle_request(request)
            except httpx.TransportError as exc:
                if (delay := attempts.retry_delay(exc)) is None:
                    raise
            else:
                if (delay := attempts.retry_delay(response)) is None:
                    return attempts.finish(response)
                response.close()
            self._sleep(delay)

    def close(self) -> None:
        self._transport.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Async twin of ``RetryTransport``."""

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._policy = policy or RetryPolicy()
        self._transport = transport or httpx.AsyncHTTPTransport()
        self._sleep = sleep or _asyncio_sleep
        self._clock = clock or time.monotonic

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        attempts = _Attempts(self._policy, request, self._clock)
        while True:  # bounded: decide() stops at max_retries
            try:
                response = await self._transport.handle_async_request(request)
            except httpx.TransportError as exc:
                if (delay := attempts.retry_delay(exc)) is None:
                    raise
            else:
                if (delay := attempts.retry_delay(response)) is None:
                    return attempts.finish(response)
                await response.aclose()
            await self._sleep(delay)

    async def aclose(self) -> None:
        await self._transport.aclose()
