"""Submit, look at, cancel and wait for jobs, for every asynchronous operation.

    job = submit(provider, operation, client=c, document="a.pdf", **parameters)
    result = wait(job, client=c, timeout="5m")              # or, from a new process:
    result = wait(provider, job_id, client=c)

These are the string-keyed functions (the typed ones, per provider and operation, are
docextract.providers.typed's). What differs between providers comes from their adapters
(docextract.providers). Every function has an `_async` twin; both run the same core
(docextract.waiting). Every error raised once a job exists names its ID.
"""

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Generator, Sequence
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypedDict, TypeVar, Unpack

import attrs

from docextract.drivers import run_async, run_sync
from docextract.durations import DurationLike, to_seconds
from docextract.errors import InvalidParameter
from docextract.lifecycles import Lifecycle, Snapshot, Submission, parse_timestamp
from docextract.providers import get_provider
from docextract.waiting import (
    Action,
    Fetch,
    JobProgress,
    PollPolicy,
    Run,
    Waiting,
    WaitOutcome,
    stream_submission_steps,
    wait_steps,
)

Mode = Literal["auto", "poll", "stream"]
"""How to wait: "auto" streams where the provider offers it, else polls; "stream"; "poll"."""
MODES: tuple[Mode, ...] = ("auto", "poll", "stream")
R = TypeVar("R")


@attrs.frozen
class Job(Generic[R]):
    """A job the provider created, typed by the result waiting for it returns (`R`).

    `operation` may be None for a job resumed from its ID.
    """

    provider: str
    operation: str | None
    id: str
    created_at: datetime | None = None
    estimated_completion: datetime | None = None

    def to_json(self) -> str:
        """The job as JSON, to resume it in any process (`Job.from_json`)."""
        return json.dumps(
            {
                "provider": self.provider,
                "operation": self.operation,
                "id": self.id,
                "created_at": _iso(self.created_at),
                "estimated_completion": _iso(self.estimated_completion),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> "Job[Any]":
        try:
            data = json.loads(text)
            job = cls(
                provider=str(data["provider"]),
                operation=None if data.get("operation") is None else str(data["operation"]),
                id=str(data["id"]),
                created_at=parse_timestamp(data.get("created_at")),
                estimated_completion=parse_timestamp(data.get("estimated_completion")),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidParameter("job", text[:200], f"a Job's JSON ({exc})") from None
        if not job.id:
            raise InvalidParameter("job", text[:200], "a Job's JSON with its ID")
        get_provider(job.provider).jobs()  # checks the provider: one with jobs
        return job


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# ---------------------------------------------------------------- submit


def plan(provider: str, operation: str, params: dict[str, Any]) -> Submission:
    """The adapter's plan of the job `operation` would create (bad input refused, named)."""
    return get_provider(provider).planner(operation)(params)


def _created(submission: Submission, parsed: Any) -> Job[Any]:
    """The Job from the creating request's answer."""
    job_id = getattr(parsed, "job_id", None) or getattr(parsed, "id", None)
    created = parse_timestamp(getattr(parsed, "created_at", None)) or datetime.now(UTC)
    return Job(
        provider=submission.provider,
        operation=submission.operation,
        id=str(job_id),
        created_at=created,
        estimated_completion=parse_timestamp(getattr(parsed, "estimated_completion", None)),
    )


def _submit_steps(
    submission: Submission, budget: Callable[[], float | None] = lambda: None
) -> Generator[Action, Any, Job[Any]]:
    file_id = None
    if submission.upload is not None:
        file_id = str((yield Fetch(submission.upload, budget())).parsed.id)
    created = yield Fetch(submission.create(file_id), budget())
    return _created(submission, created.parsed)


def submit(provider: str, operation: str, *, client: Any, **params: Any) -> Job[Any]:
    """Create a job, string-keyed (for scripts; `docextract.submit` is the typed path).

    The operations and their parameters are the adapters' (docextract.providers.<name>).
    """
    submission = plan(provider, operation, dict(params))
    job: Job[Any] = run_sync(_submit_steps(submission), Run(provider), client)
    return job


async def submit_async(provider: str, operation: str, *, client: Any, **params: Any) -> Job[Any]:
    """The asyncio twin of `submit`."""
    submission = plan(provider, operation, dict(params))
    job: Job[Any] = await run_async(_submit_steps(submission), Run(provider), client)
    return job


# ---------------------------------------------------------------- status and cancel


def _resolve(job_or_provider: "Job[R] | str", job_id: str | None) -> "Job[R]":
    if isinstance(job_or_provider, Job):
        return job_or_provider
    if not job_id:
        raise InvalidParameter("job_id", job_id, "a job ID when the first argument is a provider")
    _lifecycle(job_or_provider)  # checks the provider
    return Job(provider=job_or_provider, operation=None, id=job_id)


def _lifecycle(provider: str) -> Lifecycle:
    return get_provider(provider).jobs()


def _status_steps(lifecycle: Lifecycle, job: Job[Any]) -> Generator[Action, Any, Snapshot]:
    response = yield Fetch(lifecycle.status_request(job.id))
    return lifecycle.snapshot(response.parsed)


def _cancel_steps(lifecycle: Lifecycle, job: Job[Any]) -> Generator[Action, Any, Any]:
    request = lifecycle.cancel_request(job.id)
    if request is None:
        raise InvalidParameter("provider", job.provider, "a provider whose jobs can be cancelled")
    return (yield Fetch(request)).parsed


def status(job: Job[Any] | str, job_id: str | None = None, *, client: Any) -> Snapshot:
    """One look at the job, no waiting."""
    job = _resolve(job, job_id)
    snapshot: Snapshot = run_sync(
        _status_steps(_lifecycle(job.provider), job), Run(job.provider, job.id), client
    )
    return snapshot


async def status_async(job: Job[Any] | str, job_id: str | None = None, *, client: Any) -> Snapshot:
    """The asyncio twin of `status`."""
    job = _resolve(job, job_id)
    snapshot: Snapshot = await run_async(
        _status_steps(_lifecycle(job.provider), job), Run(job.provider, job.id), client
    )
    return snapshot


def cancel(job: Job[Any] | str, job_id: str | None = None, *, client: Any) -> Any:
    """Ask the provider to cancel the job; returns its answer (the job's new state)."""
    job = _resolve(job, job_id)
    return run_sync(_cancel_steps(_lifecycle(job.provider), job), Run(job.provider, job.id), client)


async def cancel_async(job: Job[Any] | str, job_id: str | None = None, *, client: Any) -> Any:
    """The asyncio twin of `cancel`."""
    job = _resolve(job, job_id)
    steps = _cancel_steps(_lifecycle(job.provider), job)
    return await run_async(steps, Run(job.provider, job.id), client)


# ---------------------------------------------------------------- wait


def _waiting(
    job: Job[Any],
    timeout: DurationLike,
    mode: Mode,
    on_progress: Callable[[JobProgress], None] | None,
    cancel_on_timeout: bool,
    poll: PollPolicy | None,
    clock: Callable[[], float] | None,
) -> Waiting:
    if mode not in MODES:
        raise InvalidParameter("mode", mode, "one of " + ", ".join(MODES))
    lifecycle = _lifecycle(job.provider)
    return Waiting(
        provider=job.provider,
        lifecycle=lifecycle,
        job_id=job.id,
        operation=job.operation,
        timeout=to_seconds(timeout, name="timeout"),
        clock=clock or time.monotonic,
        policy=poll or PollPolicy(),
        mode=mode,
        on_progress=on_progress,
        cancel_on_timeout=cancel_on_timeout,
        eta=job.estimated_completion,
    )


def wait_outcome(
    job: Job[R] | str,
    job_id: str | None = None,
    *,
    client: Any,
    timeout: DurationLike = "10m",
    mode: Mode = "auto",
    on_progress: Callable[[JobProgress], None] | None = None,
    cancel_on_timeout: bool = False,
    poll: PollPolicy | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> WaitOutcome:
    """`wait`, returning also the final snapshot and the number of requests made."""
    w = _waiting(_resolve(job, job_id), timeout, mode, on_progress, cancel_on_timeout, poll, clock)
    outcome: WaitOutcome = run_sync(wait_steps(w), w, client, sleep or time.sleep)
    return outcome


async def wait_outcome_async(
    job: Job[R] | str,
    job_id: str | None = None,
    *,
    client: Any,
    timeout: DurationLike = "10m",
    mode: Mode = "auto",
    on_progress: Callable[[JobProgress], None] | None = None,
    cancel_on_timeout: bool = False,
    poll: PollPolicy | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> WaitOutcome:
    """The asyncio twin of `wait_outcome`."""
    w = _waiting(_resolve(job, job_id), timeout, mode, on_progress, cancel_on_timeout, poll, clock)
    outcome: WaitOutcome = await run_async(wait_steps(w), w, client, sleep or asyncio.sleep)
    return outcome


class WaitOptions(TypedDict, total=False):
    """How to wait (see `wait`): one typed set of options, passed on whole."""

    timeout: DurationLike
    mode: Mode
    on_progress: Callable[[JobProgress], None] | None
    cancel_on_timeout: bool
    poll: PollPolicy | None
    clock: Callable[[], float] | None  # injected by tests


def wait(
    job: Job[R] | str,
    job_id: str | None = None,
    *,
    client: Any,
    sleep: Callable[[float], None] | None = None,
    **options: Unpack[WaitOptions],
) -> Any:
    """Wait until the job ends; return the provider's typed result (the `R` of `Job[R]`).

    Raises JobFailed, JobCancelled, JobTimeout (all with the job's ID).
    timeout: total and hard (default 10m). mode: "auto" (stream where the provider offers it),
    "stream", or "poll". on_progress: called with JobProgress on each change.
    cancel_on_timeout: cancel the job before raising JobTimeout, where the provider can.
    poll: how often to look; clock and sleep: injected by tests.
    """
    return wait_outcome(job, job_id, client=client, sleep=sleep, **options).result


async def wait_async(
    job: Job[R] | str,
    job_id: str | None = None,
    *,
    client: Any,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    **options: Unpack[WaitOptions],
) -> Any:
    """The asyncio twin of `wait`."""
    return (await wait_outcome_async(job, job_id, client=client, sleep=sleep, **options)).result


def _submit_and_wait_steps(
    submission: Submission, w: Waiting
) -> Generator[Action, Any, tuple[Job[Any], WaitOutcome]]:
    if w.mode in ("auto", "stream") and submission.create_streaming is not None:
        outcome = yield from stream_submission_steps(w, submission.create_streaming)
        return Job(submission.provider, submission.operation, w.job_id), outcome
    job = yield from _submit_steps(submission, w.remaining)
    w.job_id, w.operation = job.id, job.operation
    w.set_eta(job.estimated_completion)
    return job, (yield from wait_steps(w))


def submit_and_wait(
    provider: str,
    operation: str,
    *,
    client: Any,
    timeout: DurationLike = "10m",
    mode: Mode = "auto",
    on_progress: Callable[[JobProgress], None] | None = None,
    cancel_on_timeout: bool = False,
    poll: PollPolicy | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
    **params: Any,
) -> tuple[Job[Any], WaitOutcome]:
    """`submit` then `wait` as one run under one total `timeout` (the wait options of `wait`;
    `params` are the operation's). Where the provider streams from creation, mode
    "auto"/"stream" uses it."""
    submission = plan(provider, operation, params)
    job = Job[Any](provider, operation, "")  # its ID is known once the provider created it
    w = _waiting(job, timeout, mode, on_progress, cancel_on_timeout, poll, clock)
    steps = _submit_and_wait_steps(submission, w)
    result: tuple[Job[Any], WaitOutcome] = run_sync(steps, w, client, sleep or time.sleep)
    return result


async def submit_and_wait_async(
    provider: str,
    operation: str,
    *,
    client: Any,
    timeout: DurationLike = "10m",
    mode: Mode = "auto",
    on_progress: Callable[[JobProgress], None] | None = None,
    cancel_on_timeout: bool = False,
    poll: PollPolicy | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    **params: Any,
) -> tuple[Job[Any], WaitOutcome]:
    """The asyncio twin of `submit_and_wait`."""
    submission = plan(provider, operation, params)
    job = Job[Any](provider, operation, "")
    w = _waiting(job, timeout, mode, on_progress, cancel_on_timeout, poll, clock)
    steps = _submit_and_wait_steps(submission, w)
    result: tuple[Job[Any], WaitOutcome] = await run_async(steps, w, client, sleep or asyncio.sleep)
    return result


async def wait_all_async(jobs: Sequence[Job[Any]], **options: Any) -> list[Any]:
    """Wait for many jobs at once; see docextract.scheduler (where it lives)."""
    from docextract import scheduler  # it builds on this module

    return await scheduler.wait_all_async(jobs, **options)
