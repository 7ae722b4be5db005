"""Waiting for a job, once for every provider and for sync and asyncio alike.

The logic is a generator (`wait_steps`) that never does I/O: it yields actions — fetch this,
sleep that long, open a stream, read its next event — and gets their results (or their
exceptions) back; docextract.drivers carries the actions out, blocking or with asyncio. So
backoff, deadlines, grace periods, throttling, stream fallback and the errors' job IDs exist in
one place.
"""

import json
import logging
import random
from collections.abc import Callable, Generator
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from httpx_sse import ServerSentEvent

from docextract.durations import DurationLike, to_seconds
from docextract.errors import (
    APIError,
    DocExtractError,
    InvalidParameter,
    InvalidResponse,
    JobCancelled,
    JobFailed,
    JobTimeout,
    NotFound,
    RateLimited,
    ServerError,
    TransportError,
)
from docextract.lifecycles import Lifecycle, Phase, Request, Snapshot, StreamSignal

log = logging.getLogger("docextract.jobs")

# Transient while waiting: the job still exists; the next look may well succeed.
TRANSIENT = (TransportError, ServerError, InvalidResponse, RateLimited)
NO_TIME = 0.001  # seconds: a budget smaller than this is no budget


def _seconds(value: DurationLike) -> float:
    return to_seconds(value, name="PollPolicy duration")


@attrs.frozen
class PollPolicy:
    """How often to look.

    initial 0.5 s: short jobs are answered within about a second; maximum 10 s: a finished job
    is noticed at most 10 s late, and a ten-minute job costs about 70 status requests.
    """

    # Durations take "500ms", seconds or a timedelta (docextract.durations), kept as seconds.
    # validated: a zero delay (initial 0, jitter 1) would make a wait spin on the provider
    initial: float = attrs.field(
        default=0.5,
        converter=_seconds,
        validator=attrs.validators.gt(0.0),
    )
    maximum: float = attrs.field(default=10.0, converter=_seconds)
    multiplier: float = attrs.field(default=1.6, validator=attrs.validators.ge(1.0))
    # each delay is drawn from [(1 - jitter) * step, step]
    jitter: float = attrs.field(
        default=0.25, validator=[attrs.validators.ge(0.0), attrs.validators.lt(1.0)]
    )
    # a 404 this soon after submission means "not visible yet"
    not_found_grace: float = attrs.field(default=10.0, converter=_seconds)
    # streams ping every 30 s or so; silent for two and a half pings: the stream is broken, poll
    stream_read_timeout: float = attrs.field(
        default=75.0,
        converter=_seconds,
        validator=attrs.validators.gt(0.0),
    )
    # the one request cancel_on_timeout may make after the deadline
    cancel_budget: float = attrs.field(
        default=10.0,
        converter=_seconds,
        validator=attrs.validators.gt(0.0),
    )
    rng: random.Random = attrs.field(factory=random.Random, eq=False, repr=False)

    @maximum.validator
    def _at_least_initial(self, attribute: "attrs.Attribute[float]", value: float) -> None:
        if not value >= self.initial:
            raise InvalidParameter("maximum", value, f"a delay >= initial ({self.initial})")

    def delay(self, step: int) -> float:
        try:
            base = min(self.maximum, self.initial * self.multiplier**step)
        except OverflowError:  # hours of looks: far past the top of the ladder
            base = self.maximum
        return base * self.rng.uniform(1 - self.jitter, 1.0)


@attrs.frozen
class JobProgress:
    """What `on_progress` receives whenever the status or the progress numbers change."""

    provider: str
    job_id: str
    status: str
    elapsed: timedelta
    percentage: float | None = None
    fields_processed: int | None = None
    total_fields: int | None = None
    current_step: str | None = None


# ---------------------------------------------------------------- actions


@attrs.frozen
class Fetch:
    request: Request
    budget: float | None = None  # seconds this request may take; None: the client's timeouts


@attrs.frozen
class Sleep:
    seconds: float


@attrs.frozen
class OpenStream:
    """Open an event stream. The drivers end it when `budget` seconds have passed, whatever
    arrives meanwhile (pings included): the wait's deadline is hard for streams too."""

    request: Request
    budget: float  # the stream's whole life
    read_timeout: float  # the longest silence before the stream counts as broken


@attrs.frozen
class PlainAnswer:
    """What OpenStream gives back when the server answered with a plain body, not a stream."""

    content: bytes


@attrs.frozen
class NextEvent:
    """The stream's next event, or None when it ended."""


@attrs.frozen
class CloseStream:
    pass


Action = Fetch | Sleep | OpenStream | NextEvent | CloseStream


@attrs.define
class Run:
    """What the drivers need of any run of steps: whose requests, for which job, how many."""

    provider: str
    job_id: str | None = None
    requests: int = attrs.field(default=0, kw_only=True)


@attrs.define(kw_only=True)
class Waiting(Run):
    """The state of one wait; `wait_steps` drives it."""

    job_id: str
    lifecycle: Lifecycle
    operation: str | None
    timeout: float
    clock: Callable[[], float]
    policy: PollPolicy
    mode: str = "auto"
    on_progress: Callable[[JobProgress], None] | None = None
    cancel_on_timeout: bool = False
    eta: datetime | None = None  # the provider's estimated completion, where it gives one
    started: float = attrs.field(init=False)
    eta_at: float | None = attrs.field(init=False, default=None)
    last: Snapshot | None = attrs.field(init=False, default=None)
    seen_unknown: set[str] = attrs.field(init=False, factory=set)

    def __attrs_post_init__(self) -> None:
        self.started = self.clock()
        self.set_eta(self.eta)

    def set_eta(self, eta: datetime | None) -> None:
        self.eta = eta
        if eta is not None and eta.tzinfo is not None:
            self.eta_at = self.clock() + (eta - datetime.now(UTC)).total_seconds()

    def not_before_eta(self, delay: float) -> float:
        """Don't look again long before the provider said the job would be done."""
        if self.eta_at is None:
            return delay
        return max(delay, min(self.eta_at - self.clock(), self.policy.maximum))

    def elapsed(self) -> float:
        return self.clock() - self.started

    def remaining(self) -> float:
        return self.timeout - self.elapsed()

    def read_timeout(self) -> float:
        return min(self.remaining(), self.policy.stream_read_timeout)

    def expired(self) -> bool:
        """Past the deadline, or so close that no request fits (and that a sleep to the
        deadline, rounded on a clock reading of 1e9, could leave a sliver that never ends)."""
        return self.remaining() < NO_TIME

    def observe(self, snapshot: Snapshot) -> None:
        if not snapshot.known and snapshot.status not in self.seen_unknown:
            self.seen_unknown.add(snapshot.status)
            log.warning(
                "%s job %s: status %r is not in the spec; treating it as still running",
                self.provider,
                self.job_id,
                snapshot.status,
            )
        changed = self.last is None or _progress_key(self.last) != _progress_key(snapshot)
        self.last = snapshot
        if changed and self.on_progress is not None:
            self.on_progress(
                JobProgress(
                    provider=self.provider,
                    job_id=self.job_id,
                    status=snapshot.status,
                    elapsed=timedelta(seconds=self.elapsed()),
                    percentage=snapshot.percentage,
                    fields_processed=snapshot.fields_processed,
                    total_fields=snapshot.total_fields,
                    current_step=snapshot.current_step,
                )
            )

    def timed_out(self, cancelled: bool) -> JobTimeout:
        return JobTimeout(
            provider=self.provider,
            job_id=self.job_id,
            status=self.last.status if self.last else None,
            waited=timedelta(seconds=self.elapsed()),
            cancelled=cancelled,
        )


def _progress_key(s: Snapshot) -> tuple[object, ...]:
    return (s.status, s.percentage, s.fields_processed, s.total_fields, s.current_step)


@attrs.frozen
class WaitOutcome:
    """How a wait ended well: the typed result, the final snapshot, the requests it made."""

    result: Any
    snapshot: Snapshot
    requests: int


def wait_steps(w: Waiting) -> Generator[Action, Any, WaitOutcome]:
    """Wait for the job to end; return its result or raise the job's error."""
    snapshot: Snapshot | None = None
    if w.mode in ("auto", "stream") and w.lifecycle.stream_request(w.job_id) is not None:
        snapshot = yield from _stream(w)
    if snapshot is None:
        snapshot = yield from _poll(w)
    return (yield from _ended(w, snapshot))


def _poll(w: Waiting) -> Generator[Action, Any, Snapshot]:
    step = 0
    while True:
        if w.expired():
            yield from _give_up(w)
        try:
            response = yield Fetch(w.lifecycle.status_request(w.job_id), w.remaining())
            snapshot = w.lifecycle.snapshot(_parsed(w, response))
        except NotFound:
            if w.elapsed() > w.policy.not_found_grace:
                raise
            log.debug("%s job %s not found yet; still in the grace period", w.provider, w.job_id)
            delay = w.policy.delay(step)
        except RateLimited as exc:
            step += 2  # throttled: slow down more than the usual backoff
            delay = max(w.policy.delay(step), exc.retry_after or 0.0)
        except TRANSIENT as exc:
            if w.expired():
                yield from _give_up(w)
            log.info("%s job %s: %s; will look again", w.provider, w.job_id, exc)
            delay = w.policy.delay(step)
        else:
            w.observe(snapshot)
            if snapshot.phase is not Phase.RUNNING:
                return snapshot
            if snapshot.throttled:
                step += 1
            delay = w.not_before_eta(w.policy.delay(step))
        step += 1
        delay = min(delay, w.remaining())  # never sleep past the deadline
        if delay > 0:
            yield Sleep(delay)


def _stream(w: Waiting) -> Generator[Action, Any, Snapshot | None]:
    """Learn the end from the provider's event stream; None: fall back to polling.

    One connection for the whole wait: pings keep it open, the drivers end it at the deadline,
    and a stream that breaks, errs, ends without a result or stays silent hands over to polling.
    """
    request = w.lifecycle.stream_request(w.job_id)
    assert request is not None
    try:
        plain = yield OpenStream(request, w.remaining(), w.read_timeout())
    except (APIError, *TRANSIENT) as exc:
        log.info("%s job %s: stream unavailable (%s); polling", w.provider, w.job_id, exc)
        return None
    if plain is not None:
        log.info("%s job %s: no event stream in the answer; polling", w.provider, w.job_id)
        return None
    verdict = yield from _read_stream(w)
    yield CloseStream()
    return verdict


def _read_stream(w: Waiting) -> Generator[Action, Any, Snapshot | None]:
    """Read events until the job ends (its Snapshot) or the stream fails (None)."""
    try:
        while True:
            event: ServerSentEvent | None = yield NextEvent()
            if event is None:
                return None  # ended without a result: polling will tell
            seen = w.lifecycle.stream_event(event.event, event.data)
            if seen is StreamSignal.BROKEN:
                log.info("%s job %s: stream reported an error; polling", w.provider, w.job_id)
                return None
            if isinstance(seen, Snapshot):
                w.observe(seen)
                if seen.phase is not Phase.RUNNING:
                    return seen
    except TRANSIENT as exc:
        log.info("%s job %s: stream broke (%s); polling", w.provider, w.job_id, exc)
        return None


def stream_submission_steps(w: Waiting, request: Request) -> Generator[Action, Any, WaitOutcome]:
    """Create the job with a request that streams its progress (a `stream=true` creation).

    The first event names the job; from then on every error carries its ID. Progress events
    feed on_progress; when the stream ends or breaks (or the deadline ends it), status looks
    (polling) tell the outcome, and the result is fetched as usual.
    """
    plain = yield OpenStream(request, w.remaining(), w.read_timeout())  # error: no job exists
    if plain is not None:  # the server created the job but answered without streaming
        w.job_id = _created_job_id(w, request, plain.content)
        w.mode = "poll"
        return (yield from wait_steps(w))
    first: ServerSentEvent | None = yield NextEvent()
    started = None if first is None else w.lifecycle.stream_started(first.event, first.data)
    if started is None:
        yield CloseStream()
        raise InvalidResponse(
            provider=w.provider,
            operation=request.operation_id,
            status_code=200,
            body="" if first is None else f"event: {first.event}\ndata: {first.data}",
            reason="the stream did not begin with the job's `start` event",
        )
    w.job_id, total = started
    done = 0
    try:
        while True:
            event: ServerSentEvent | None = yield NextEvent()
            if event is None:
                break
            if event.event == "subtree_result":
                done += 1
                share = round(100 * done / total, 1) if total else None
                w.observe(Snapshot(status="processing", phase=Phase.RUNNING, percentage=share))
            elif event.event == "subtree_error":
                log.info("%s job %s: a part failed: %s", w.provider, w.job_id, event.data)
    except TRANSIENT as exc:
        log.info("%s job %s: stream broke (%s); polling", w.provider, w.job_id, exc)
    yield CloseStream()
    w.mode = "poll"
    return (yield from wait_steps(w))


def _created_job_id(w: Waiting, request: Request, content: bytes) -> str:
    try:
        job_id = json.loads(content)["job_id"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidResponse(
            provider=w.provider,
            operation=request.operation_id,
            status_code=200,
            body=content,
            reason="neither an event stream nor the created job",
        ) from exc
    return str(job_id)


def _ended(w: Waiting, snapshot: Snapshot) -> Generator[Action, Any, WaitOutcome]:
    if snapshot.phase is Phase.FAILED:
        raise JobFailed(
            provider=w.provider,
            job_id=w.job_id,
            status=snapshot.status,
            message=snapshot.message,
            error_code=snapshot.error_code,
        )
    if snapshot.phase is Phase.CANCELLED:
        raise JobCancelled(provider=w.provider, job_id=w.job_id, status=snapshot.status)
    request = w.lifecycle.result_request(w.job_id, snapshot)
    fetched = None
    step = 0
    while request is not None:
        if w.expired():
            yield from _give_up(w, cancel=False)  # the job has ended: nothing to cancel
        try:
            fetched = _parsed(w, (yield Fetch(request, w.remaining())))
            break
        except TRANSIENT as exc:
            log.info("%s job %s: result not fetched (%s); retrying", w.provider, w.job_id, exc)
            delay = w.policy.delay(step)
            if isinstance(exc, RateLimited):
                delay = max(delay, exc.retry_after or 0.0)
            delay = min(delay, w.remaining())
            step += 1
            if delay > 0:
                yield Sleep(delay)
    result = w.lifecycle.result(w.operation, snapshot, fetched)
    return WaitOutcome(result=result, snapshot=snapshot, requests=w.requests)


def _parsed(w: Waiting, response: Any) -> Any:
    if response.parsed is None:  # a success status the spec does not describe
        raise InvalidResponse(
            provider=w.provider,
            operation="status",
            status_code=int(response.status_code),
            body=response.content,
            reason="no body the spec describes",
            job_id=w.job_id,
        )
    return response.parsed


def _give_up(w: Waiting, *, cancel: bool = True) -> Generator[Action, Any, None]:
    """The deadline passed: cancel first if asked (one request, bounded), then JobTimeout."""
    cancelled = False
    request = w.lifecycle.cancel_request(w.job_id) if cancel and w.cancel_on_timeout else None
    if request is not None:
        try:
            yield Fetch(request, w.policy.cancel_budget)
            cancelled = True
        except DocExtractError as exc:
            log.warning("%s job %s: cancel after timeout failed: %s", w.provider, w.job_id, exc)
    raise w.timed_out(cancelled)
