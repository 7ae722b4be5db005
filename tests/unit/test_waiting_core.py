"""The sans-I/O waiting core (docextract.waiting), driven directly: Hypothesis draws status
sequences, failures, request durations and policies; the properties are the deadline's.

The driver here plays the provider and the clock: a request takes any time up to the budget it
was given (as a request whose timeouts are that budget would), a sleep takes what it asks.
"""

import math
import random
from collections.abc import Generator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from httpx_sse import ServerSentEvent
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lifecycle_servers import LLAMA_JOB, NUMIND_JOB, llama_job, numind_extraction, numind_job

from docextract.errors import (
    DocExtractError,
    InvalidResponse,
    JobCancelled,
    JobFailed,
    JobTimeout,
    NotFound,
    RateLimited,
    ServerError,
    TransportError,
)
from docextract.lifecycles import Phase
from docextract.providers import get_provider
from docextract.waiting import (
    NO_TIME,
    CloseStream,
    Fetch,
    NextEvent,
    OpenStream,
    PollPolicy,
    Sleep,
    Waiting,
    WaitOutcome,
    wait_steps,
)
from llamacloud_client.models import ExtractV2Job
from numind_client.models import JobResponse, JobStatusResponse

MAX_STEPS = 20_000
START = st.sampled_from([0.0, 1000.0, 12345.678, 1e6, 1.7e9])


def _slack(clock_reading: float, operations: int) -> float:
    """What float rounding may add up to over `operations` additions to the clock."""
    return 1e-6 + operations * math.ulp(max(abs(clock_reading), 1.0))


class Clock:
    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def _error(kind: str, retry_after: float | None = None) -> DocExtractError:
    common: dict[str, Any] = {"provider": "llamacloud", "operation": "get_extract_job"}
    if kind == "503":
        return ServerError(status_code=503, **common)
    if kind == "429":
        return RateLimited(retry_after=retry_after, status_code=429, **common)
    if kind == "404":
        return NotFound(status_code=404, **common)
    if kind == "invalid":
        return InvalidResponse(status_code=200, body="{", reason="truncated", **common)
    return TransportError(cause=httpx.ReadTimeout("timed out"), **common)


def _answer(parsed: Any) -> SimpleNamespace:
    return SimpleNamespace(parsed=parsed, status_code=200, content=b"")


LOOK = st.one_of(
    st.sampled_from(["PENDING", "RUNNING", "THROTTLED", "WARMING_UP"]).map(lambda s: ("status", s)),
    st.sampled_from(["COMPLETED", "FAILED", "CANCELLED"]).map(lambda s: ("status", s)),
    st.sampled_from(["503", "transport", "invalid", "404"]).map(lambda k: ("error", k)),
    st.floats(0, 120).map(lambda r: ("429", r)),
    st.just(("429", None)),
)


@st.composite
def policies(draw: st.DrawFn) -> PollPolicy:
    initial = draw(st.floats(0.1, 5.0))
    return PollPolicy(
        initial=initial,
        maximum=draw(st.floats(initial, 60.0)),
        multiplier=draw(st.floats(1.0, 3.0)),
        jitter=draw(st.floats(0.0, 0.9)),
        not_found_grace=draw(st.floats(0.0, 30.0)),
        rng=random.Random(draw(st.integers(0, 2**32))),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "looks": draw(st.lists(LOOK, max_size=40)),
        "durations": draw(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=40)),
        "policy": draw(policies()),
        "timeout": draw(st.floats(0.05, 600.0)),
        "cancel": draw(st.booleans()),
        # time.monotonic() readings are small; a clock like time.time() reads 1.7e9, where a
        # sleep "to the deadline" may round short of it
        "start": draw(START),
    }


def _drive(
    w: Waiting, steps: Generator[Any, Any, WaitOutcome], scenario: dict[str, Any]
) -> dict[str, Any]:
    """Play the provider: answer each look from `looks` (then RUNNING), let each request take a
    share (from `durations`) of its budget; record what happened."""
    clock: Clock = w.clock  # type: ignore[assignment]
    looks = list(scenario["looks"])
    durations = scenario["durations"]
    record: dict[str, Any] = {"sleeps": [], "fetches": [], "cancelled": 0, "served": []}
    result: Any = None
    error: BaseException | None = None
    for n in range(MAX_STEPS):
        try:
            action = steps.throw(error) if error is not None else steps.send(result)
        except StopIteration as stop:
            record["outcome"] = stop.value
            return record
        except DocExtractError as exc:
            record["error"] = exc
            return record
        result, error = None, None
        if isinstance(action, Sleep):
            left = w.timeout - (clock.now - w.started)
            assert 0 < action.seconds <= left + 1e-9, (action.seconds, left)
            record["sleeps"].append(action.seconds)
            clock.now += action.seconds
        elif isinstance(action, Fetch):
            operation = action.request.operation_id
            if operation == "cancel_extract_job":
                record["cancelled"] += 1
                clock.now += action.budget or 0.0
                result = _answer(ExtractV2Job.from_dict(llama_job("CANCELLED")))
                continue
            left = w.timeout - (clock.now - w.started)
            assert action.budget is not None
            assert 0 < action.budget <= left + 1e-9, (action.budget, left)
            record["fetches"].append((clock.now - w.started, action.budget))
            clock.now += action.budget * durations[n % len(durations)]
            kind, value = looks.pop(0) if looks else ("status", "RUNNING")
            record["served"].append((kind, value))
            if kind == "status":
                result = _answer(ExtractV2Job.from_dict(llama_job(value)))
            elif kind == "429":
                error = _error("429", value)
            else:
                error = _error(value)
        else:  # pragma: no cover - LlamaCloud does not stream
            raise AssertionError(action)
    raise AssertionError(f"no end after {MAX_STEPS} steps")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_the_deadline_is_never_exceeded(scenario: dict[str, Any]) -> None:
    clock = Clock(scenario["start"])
    w = Waiting(
        provider="llamacloud",
        job_id=LLAMA_JOB,
        lifecycle=get_provider("llamacloud").jobs(),
        operation="extract",
        timeout=scenario["timeout"],
        clock=clock,
        policy=scenario["policy"],
        mode="poll",
        cancel_on_timeout=scenario["cancel"],
    )

    record = _drive(w, wait_steps(w), scenario)

    timeout = scenario["timeout"]
    slack = _slack(clock.now, 2 * len(record["sleeps"]) + 2 * len(record["fetches"]) + 2)
    # the sleeps alone, and everything (sleeps and requests) except a cancel, fit the budget
    assert sum(record["sleeps"]) <= timeout + slack
    spent = clock.now - w.started - record["cancelled"] * w.policy.cancel_budget
    assert spent <= timeout + slack
    assert record["cancelled"] <= 1
    # the first look came at once
    if record["fetches"]:
        assert record["fetches"][0][0] == 0.0  # (clock readings minus the start: exact)
    last_kind, last_value = record["served"][-1] if record["served"] else ("none", None)
    error = record.get("error")
    if "outcome" in record:
        assert (last_kind, last_value) == ("status", "COMPLETED")
        assert record["outcome"].snapshot.phase is Phase.SUCCEEDED
        assert record["outcome"].requests == 0  # counted by the drivers, not the core
    elif isinstance(error, JobTimeout):
        assert spent >= timeout - NO_TIME - slack
        assert error.job_id == LLAMA_JOB
        assert error.cancelled == scenario["cancel"]
        assert record["cancelled"] == int(scenario["cancel"])
        statuses = [v for k, v in record["served"] if k == "status"]
        assert error.status == (statuses[-1] if statuses else None)
    elif isinstance(error, JobFailed):
        assert (last_kind, last_value) == ("status", "FAILED")
    elif isinstance(error, JobCancelled):
        assert (last_kind, last_value) == ("status", "CANCELLED")
        assert record["cancelled"] == 0
    elif isinstance(error, NotFound):
        assert (last_kind, last_value) == ("error", "404")
        assert clock.now - w.started > w.policy.not_found_grace
    else:
        pytest.fail(f"unexpected end: {error!r}")
    if not isinstance(error, JobTimeout):
        assert record["cancelled"] == 0  # only a timeout cancels


@settings(max_examples=200, deadline=None)
@given(policies(), st.integers(1, 30))
def test_backoff_stays_on_the_jittered_ladder(policy: PollPolicy, looks: int) -> None:
    clock = Clock()
    w = Waiting(
        provider="llamacloud",
        job_id=LLAMA_JOB,
        lifecycle=get_provider("llamacloud").jobs(),
        operation="extract",
        timeout=1e9,
        clock=clock,
        policy=policy,
        mode="poll",
    )
    scenario = {
        "looks": [("status", "RUNNING")] * looks + [("status", "COMPLETED")],
        "durations": [0.0],
    }

    record = _drive(w, wait_steps(w), scenario)

    assert "outcome" in record
    assert len(record["sleeps"]) == looks
    for step, slept in enumerate(record["sleeps"]):
        top = min(policy.maximum, policy.initial * policy.multiplier**step)
        assert (1 - policy.jitter) * top - 1e-9 <= slept <= top + 1e-9
        assert slept <= policy.maximum + 1e-9


# ---------------------------------------------------------------- the stream, too

EVENT = st.one_of(
    st.just(("ping", "")),
    st.just(("error", '{"code": "X", "message": "m"}')),
    st.just(("result", "running")),
    st.just(("result", "completed")),
    st.just(("result", "failed")),
    st.just(("end", "")),
    st.just(("break", "")),
)


@settings(max_examples=300, deadline=None)
@given(
    events=st.lists(EVENT, max_size=30),
    reads=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=30),
    timeout=st.floats(0.05, 400.0),
    statuses=st.lists(st.sampled_from(["running", "completed", "failed"]), max_size=10),
    start=START,
)
def test_streams_never_outlast_the_deadline(
    events: list[tuple[str, str]],
    reads: list[float],
    timeout: float,
    statuses: list[str],
    start: float,
) -> None:
    clock = Clock(start)
    w = Waiting(
        provider="numind",
        job_id=NUMIND_JOB,
        lifecycle=get_provider("numind").jobs(),
        operation="structured",
        timeout=timeout,
        clock=clock,
        policy=PollPolicy(stream_read_timeout=75.0),
        mode="stream",
    )
    steps = wait_steps(w)
    pending = list(events)
    looks = list(statuses)
    read_budget: float | None = None
    opened = 0
    delivered = 0  # events handed to the core
    result: Any = None
    error: BaseException | None = None
    outcome: Any = None
    for n in range(MAX_STEPS):
        try:
            action = steps.throw(error) if error is not None else steps.send(result)
        except StopIteration as stop:
            outcome = stop.value
            break
        except DocExtractError as exc:
            outcome = exc
            break
        result, error = None, None
        left = w.timeout - (clock.now - w.started)
        if isinstance(action, OpenStream):
            assert 0 < action.budget <= left + 1e-9
            assert 0 < action.read_timeout <= action.budget + 1e-9
            read_budget = action.read_timeout
            stream_ends = clock.now + action.budget  # the drivers end the stream here
            opened += 1
        elif isinstance(action, NextEvent):
            assert read_budget is not None
            # a read takes at most the read timeout of its connection...
            clock.now += read_budget * reads[n % len(reads)]
            kind, data = pending.pop(0) if pending else ("end", "")
            if clock.now > stream_ends:  # ...and the driver cuts the stream at its budget
                clock.now = stream_ends
                kind = "deadline"
            if kind == "deadline":
                error = TransportError(
                    provider="numind", operation="stream", cause=httpx.ReadTimeout("deadline")
                )
            elif kind == "end":
                result = None
            elif kind == "break":
                error = TransportError(
                    provider="numind", operation="stream", cause=httpx.ReadError("gone")
                )
            elif kind == "result":
                body = numind_job(data, full=True, output=numind_extraction({"a": 1}))
                result = ServerSentEvent(event="result", data=_json(body))
                delivered += 1
            else:
                result = ServerSentEvent(event=kind, data=data)
                delivered += 1
        elif isinstance(action, CloseStream):
            read_budget = None
        elif isinstance(action, Fetch):
            assert action.budget is not None
            assert 0 < action.budget <= left + 1e-9
            status = looks.pop(0) if looks else "running"
            if action.request.operation_id == "get_api_jobs_jobid":
                full = numind_job("completed", output=numind_extraction({"a": 1}))
                result = _answer(JobResponse.from_dict(full))
            else:
                result = _answer(JobStatusResponse.from_dict(numind_job(status)))
            clock.now += action.budget * reads[n % len(reads)]
        elif isinstance(action, Sleep):
            assert 0 < action.seconds <= left + 1e-9
            clock.now += action.seconds
    else:
        raise AssertionError("no end")

    slack = _slack(clock.now, 2 * n + 2)
    assert clock.now - w.started <= timeout + slack
    assert isinstance(outcome, WaitOutcome | JobTimeout | JobFailed), outcome
    if isinstance(outcome, JobTimeout):
        assert clock.now - w.started >= timeout - NO_TIME - slack
    # one stream per wait: it is never reopened
    assert opened <= 1


def _json(body: Any) -> str:
    import json

    return json.dumps(body)


@pytest.mark.parametrize(
    "policy",
    [
        {"initial": 0.0},
        {"initial": -1.0},
        {"initial": 2.0, "maximum": 1.0},
        {"multiplier": 0.5},
        {"jitter": 1.0},
        {"jitter": -0.1},
        {"initial": math.nan},
    ],
)
def test_a_policy_that_could_spin_is_refused(policy: dict[str, float]) -> None:
    with pytest.raises((ValueError, TypeError)):
        PollPolicy(**policy)


def test_a_long_wait_keeps_looking_at_the_maximum() -> None:
    """Hours of looks (here 3000, at most 10 s apart): the ladder stays at its top."""
    clock = Clock()
    w = Waiting(
        provider="llamacloud",
        job_id=LLAMA_JOB,
        lifecycle=get_provider("llamacloud").jobs(),
        operation="extract",
        timeout=86_400.0,
        clock=clock,
        policy=PollPolicy(),
        mode="poll",
    )
    scenario = {
        "looks": [("status", "RUNNING")] * 2000
        + [("429", None), ("status", "THROTTLED")] * 500
        + [("status", "COMPLETED")],
        "durations": [0.0],
    }

    record = _drive(w, wait_steps(w), scenario)

    assert "outcome" in record, record.get("error")
    assert len(record["sleeps"]) == 3000
    assert all(7.5 <= s <= 10.0 for s in record["sleeps"][-2500:])


@settings(max_examples=200, deadline=None)
@given(policies(), st.integers(0, 10**9))
def test_any_step_has_a_delay_within_the_policy(policy: PollPolicy, step: int) -> None:
    delay = policy.delay(step)
    assert (1 - policy.jitter) * policy.initial - 1e-9 <= delay <= policy.maximum + 1e-9


@pytest.mark.parametrize("start", [1e9, 1.7e9])
def test_a_large_clock_reading_still_reaches_the_deadline(start: float) -> None:
    """On a clock reading 1e9 a sleep of exactly the time left can round short of the
    deadline; the wait must still end (it once slept slivers of 1e-7 s forever)."""
    clock = Clock(start)
    w = Waiting(
        provider="llamacloud",
        job_id=LLAMA_JOB,
        lifecycle=get_provider("llamacloud").jobs(),
        operation="extract",
        timeout=0.3,
        clock=clock,
        policy=PollPolicy(initial=0.1, maximum=0.3, jitter=0.0),
        mode="poll",
    )

    record = _drive(w, wait_steps(w), {"looks": [], "durations": [0.0]})

    assert isinstance(record.get("error"), JobTimeout)
    assert len(record["sleeps"]) < 10
