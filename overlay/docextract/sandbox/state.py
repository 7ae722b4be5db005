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


@attrs.define
class Durations:
    """A job-duration schedule (the control API's /durations): each new job of the provider
    lasts the next of `seconds` in total, taken in turn and cycled."""

    seconds: tuple[float, ...]
    taken: int = 0

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
        self.jobs[provider][job.id] = job
        self.jobs_created[provider] += 1
        return job

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
