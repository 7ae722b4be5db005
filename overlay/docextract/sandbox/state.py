"""Everything a running sandbox holds: jobs, uploaded files, cached answers, faults, counters.

All of it is touched from the server's event loop only (the control API is the way in from
elsewhere), so no locks are needed.
"""

import asyncio
import contextlib
import time
from collections import Counter
from typing import Any, TypeVar, cast

import attrs

from docextract.providers import PROVIDERS, ProviderName
from docextract.sandbox.config import JSONSchema, SandboxConfig, Schedule
from docextract.sandbox.faults import FaultBook
from docextract.sandbox.jobs import Job

P = TypeVar("P")


@attrs.frozen
class StoredFile:
    """An uploaded document (LlamaCloud): its bytes and the answer describing it."""

    data: bytes
    record: dict[str, Any]


HELD_SECONDS = 86_400.0  # a held job's first status, until released (finite: answers show it)


@attrs.define
class Durations:
    """A job-duration schedule (the control API's /durations): each new job of the provider
    lasts the next of `seconds` in total, taken in turn and cycled. `hold`: a new job stays in
    its first status until /_sandbox/release, and its total counts from then (so that a
    benchmark's jobs all start together, however long creating them took)."""

    seconds: tuple[float, ...]
    taken: int = 0
    hold: bool = False

    def take(self) -> float:
        value = self.seconds[self.taken % len(self.seconds)]
        self.taken += 1
        return value


class SandboxState:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.projects: dict[str, JSONSchema] = config.all_projects()
        self.stopped = asyncio.Event()
        self._wake = asyncio.Event()
        self.reset()

    def reset(self) -> None:
        """Forget jobs, files, cached answers and counters; back to the schedules and faults of
        the config."""
        self.jobs: dict[str, dict[str, Job[Any]]] = {name: {} for name in PROVIDERS}
        self.files: dict[str, StoredFile] = {}
        self.idempotent: dict[str, asyncio.Future[bytes]] = {}
        self.requests: Counter[str] = Counter()
        self.jobs_created: Counter[str] = Counter({name: 0 for name in PROVIDERS})
        self.schedules: dict[str, Schedule] = {
            name: self.config.schedule(cast(ProviderName, name)) for name in PROVIDERS
        }
        self.faults = FaultBook(self.config.faults)
        self.durations: dict[str, Durations] = {}
        self.held: dict[str, list[tuple[Job[Any], float]]] = {name: [] for name in PROVIDERS}
        self.buckets: dict[str, tuple[float, float]] = {}  # provider: tokens, when counted
        self.wake()

    def configure(self, provider: str, changes: dict[str, Any]) -> Schedule:
        schedule = self.config.resolve(attrs.evolve(self.schedules[provider], **changes))
        schedule.check_for(provider)
        self.schedules[provider] = schedule
        return schedule

    def add_job(self, provider: str, job: Job[P]) -> Job[P]:
        durations = self.durations.get(provider)
        if durations is not None:  # this job's total, spread evenly over its statuses
            total = durations.take()
            job.plan = tuple((name, total / len(job.plan)) for name, _ in job.plan)
            if durations.hold:  # its first status lasts until the release
                job.plan = ((job.plan[0][0], HELD_SECONDS), *job.plan[1:])
                self.held[provider].append((job, total))
        self.jobs[provider][job.id] = job
        self.jobs_created[provider] += 1
        return job

    def creation_refused(self, provider: str) -> float | None:
        """None if `provider` may create a job now (and the creation is counted), else the
        seconds until it may: its schedule's `creations_per_second`, a bucket that holds one
        second's worth."""
        rate = self.schedules[provider].creations_per_second
        if rate is None:
            return None
        now = time.monotonic()
        tokens, then = self.buckets.get(provider, (max(rate, 1.0), now))
        tokens = min(max(rate, 1.0), tokens + (now - then) * rate)
        if tokens < 1.0:
            self.buckets[provider] = (tokens, now)
            return (1.0 - tokens) / rate
        self.buckets[provider] = (tokens - 1.0, now)
        return None

    def release(self, provider: str) -> int:
        """Start every held job of `provider` now: each lasts its total from this moment."""
        now = time.time()
        held, self.held[provider] = self.held[provider], []
        for job, total in held:
            if job.cancelled is None:
                share = total / len(job.plan)
                job.plan = ((job.plan[0][0], now - job.created + share), *job.plan[1:])
        self.wake()
        return len(held)

    def find_job(self, provider: str, job_id: str, payload: type[P]) -> Job[P] | None:
        """`provider`'s job `job_id`, if it exists and its payload is a `payload`."""
        job = self.jobs[provider].get(job_id)
        if job is None or not isinstance(job.payload, payload):
            return None
        return cast(Job[P], job)

    def active_jobs(self, provider: str) -> list[Job[Any]]:
        now = time.time()
        return [job for job in self.jobs[provider].values() if job.view(now).outcome is None]

    def peak_active(self, provider: str) -> int:
        """The most of `provider`'s jobs ever running at once (from creation to end, ends
        first at a tie), over the jobs since the last reset."""
        ends = [
            (job.created, job.cancelled if job.cancelled is not None else job.planned_end)
            for job in self.jobs[provider].values()
        ]
        events = sorted([(start, 1) for start, _ in ends] + [(end, -1) for _, end in ends])
        running = peak = 0
        for _, change in events:
            running += change
            peak = max(peak, running)
        return peak

    def wake(self) -> None:
        """Wake every `pause` (a job was cancelled, the state was reset, the server stops)."""
        self._wake.set()
        self._wake = asyncio.Event()

    def stop(self) -> None:
        self.stopped.set()
        self.wake()

    async def pause(self, until: float) -> None:
        """Sleep until `until` (a `time.time()` value) or the next `wake`, whichever is first."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), max(0.0, until - time.time()))
