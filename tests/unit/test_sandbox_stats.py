"""The sandbox's peak of active jobs (/_sandbox/stats `peak_active_jobs`): the most of a
provider's jobs running at once, from creation to end (or cancellation)."""

import asyncio

from docextract.sandbox import SandboxConfig
from docextract.sandbox.jobs import Job
from docextract.sandbox.routes.llamacloud import LIFECYCLE
from docextract.sandbox.state import SandboxState


def job(name: str, created: float, seconds: float, cancelled: float | None = None) -> Job[None]:
    plan = tuple((status, seconds / len(LIFECYCLE.steps)) for status in LIFECYCLE.steps)
    return Job(name, LIFECYCLE, plan, "completed", None, created=created, cancelled=cancelled)


def test_the_peak_counts_overlapping_jobs_and_ends_before_starts_at_a_tie() -> None:
    async def peaks() -> tuple[int, int, int]:
        state = SandboxState(SandboxConfig(api_key="k"))
        empty = state.peak_active("llamacloud")
        for j in (
            job("a", 100.0, 10.0),  # 100-110
            job("b", 105.0, 10.0),  # 105-115
            job("c", 108.0, 100.0, cancelled=109.0),  # 108-109: cancelled
            job("d", 110.0, 1.0),  # starts as `a` ends: not at once
            job("e", 120.0, 1.0),
        ):
            state.jobs["llamacloud"][j.id] = j
        return empty, state.peak_active("llamacloud"), state.peak_active("numind")

    assert asyncio.run(peaks()) == (0, 3, 0)
