"""The job lifecycle every provider shares; providers differ only in their status names.

A job is planned when it is created: a sequence of non-terminal statuses, each lasting a fixed
time, then its outcome. Its state at any moment is computed from the clock (nothing runs in the
background), and a cancellation freezes it.
"""

import time
from collections.abc import Mapping
from typing import Generic, TypeVar

import attrs

from docextract.sandbox.config import Outcome, Schedule

P = TypeVar("P")


@attrs.frozen
class Lifecycle:
    """A provider's status names.

    steps: the non-terminal statuses, in order. extra_steps: the same with the provider's optional
    status (`Schedule.extra_step`). working: the statuses during which the work progresses.
    ended: the terminal status of each outcome.
    """

    steps: tuple[str, ...]
    extra_steps: tuple[str, ...]
    working: frozenset[str]
    ended: Mapping[Outcome, str]

    def plan(self, schedule: Schedule) -> tuple[tuple[str, float], ...]:
        seconds = schedule.step_seconds or 0.0
        names = self.extra_steps if schedule.extra_step else self.steps
        return tuple((name, seconds) for name in names)


@attrs.frozen
class JobView:
    """A job at one moment. `outcome` is None while it runs; times are `time.time()` seconds.

    started: when work began (the first working status), if it has. updated: the last change.
    progress: the share of the working time done, from 0 to 1.
    """

    status: str
    outcome: Outcome | None
    created: float
    started: float | None
    ended: float | None
    updated: float
    progress: float

    @property
    def completed(self) -> bool:
        return self.outcome in ("completed", "nonconforming")


@attrs.define
class Job(Generic[P]):
    """One job: its plan, its provider-specific `payload` (input, precomputed result)."""

    id: str
    lifecycle: Lifecycle
    plan: tuple[tuple[str, float], ...]
    outcome: Outcome
    payload: P
    created: float = attrs.field(factory=time.time)
    cancelled: float | None = None

    @property
    def planned_end(self) -> float:
        return self.created + sum(seconds for _, seconds in self.plan)

    def view(self, now: float) -> JobView:
        end = self.cancelled if self.cancelled is not None else self.planned_end
        at = min(now, end)
        status, updated = self.plan[0][0], self.created
        started: float | None = None
        worked = total_work = 0.0
        begin = self.created
        for name, seconds in self.plan:
            if name in self.lifecycle.working:
                total_work += seconds
                if begin <= at:
                    started = begin if started is None else started
                    worked += min(seconds, at - begin)
            if begin <= at:
                status, updated = name, begin
            begin += seconds
        if now < end:
            return JobView(status, None, self.created, started, None, updated, worked / total_work)
        outcome: Outcome = "cancelled" if self.cancelled is not None else self.outcome
        progress = worked / total_work if total_work else 1.0
        return JobView(
            self.lifecycle.ended[outcome], outcome, self.created, started, end, end, progress
        )

    def cancel(self, now: float) -> bool:
        """Cancel the job unless it has ended; whether it was cancelled."""
        if self.view(now).outcome is not None:
            return False
        self.cancelled = now
        return True

    def next_change(self, now: float) -> float | None:
        """When the status changes next, or None once the job has ended."""
        if self.cancelled is not None or now >= self.planned_end:
            return None
        begin = self.created
        for _, seconds in self.plan:
            begin += seconds
            if begin > now:
                return begin
        return self.planned_end

    def when_progress(self, share: float) -> float:
        """When the planned work reaches `share` (0 to 1) of its total."""
        work = share * sum(s for name, s in self.plan if name in self.lifecycle.working)
        begin = self.created
        for name, seconds in self.plan:
            if name in self.lifecycle.working:
                if work <= seconds:
                    return begin + work
                work -= seconds
            begin += seconds
        return self.planned_end
