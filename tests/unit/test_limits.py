"""AdaptiveLimiter: a pace a 429 halves and pauses, that successes win back; on a fake clock."""

import asyncio

import pytest

from docextract.errors import InvalidParameter
from docextract.limits import FLOOR_RATE, START_RATE, AdaptiveLimiter, Limit


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def test_the_pace_spaces_turns_by_one_over_the_rate() -> None:
    clock = Clock()
    limiter = AdaptiveLimiter(Limit(rate=10.0), clock=clock, sleep=clock.sleep)
    assert [round(limiter.delay(), 6) for _ in range(4)] == [0.0, 0.1, 0.2, 0.3]
    clock.now += 1.0  # time passed: no debt carried over
    assert limiter.delay() == 0.0


def test_a_429_halves_the_rate_and_pauses_until_retry_after() -> None:
    clock = Clock()
    limiter = AdaptiveLimiter(Limit(rate=16.0), clock=clock, sleep=clock.sleep)
    limiter.delay()
    limiter.throttled(2.0)
    assert limiter.rate == 8.0
    assert limiter.throttles == 1
    assert limiter.delay() == pytest.approx(2.0)  # nothing before Retry-After
    assert limiter.delay() == pytest.approx(2.0 + 1 / 8.0)
    for _ in range(100):
        limiter.succeeded()
    assert limiter.rate == 16.0  # won back, never past the configured rate


def test_no_configured_rate_starts_pacing_at_the_first_429_then_recovers() -> None:
    clock = Clock()
    limiter = AdaptiveLimiter(Limit(), clock=clock, sleep=clock.sleep)
    assert [limiter.delay() for _ in range(3)] == [0.0, 0.0, 0.0]
    limiter.throttled(None)
    assert limiter.rate == START_RATE / 2
    for _ in range(100):
        limiter.succeeded()
    assert limiter.rate is None
    for _ in range(100):
        limiter.throttled(0)
    assert limiter.rate == FLOOR_RATE


def test_turn_sleeps_only_when_it_must() -> None:
    clock = Clock()
    limiter = AdaptiveLimiter(Limit(rate=2.0), clock=clock, sleep=clock.sleep)

    async def three() -> None:
        for _ in range(3):
            await limiter.turn()

    asyncio.run(three())
    assert clock.slept == [0.5, 1.0]


@pytest.mark.parametrize("field", ["rate", "concurrency", "active_jobs"])
@pytest.mark.parametrize("bad", [0, -1, True, "5"])
def test_limits_must_be_positive(field: str, bad: object) -> None:
    with pytest.raises(InvalidParameter, match=field):
        Limit(**{field: bad})  # type: ignore[arg-type]
