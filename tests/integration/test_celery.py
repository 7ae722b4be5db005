"""Celery scale-out with a real Redis (started and stopped here) and real workers, against
the sandbox: a batch through two workers, a resume, a pace and caps shared through Redis (its
lease scripts on the real server), and a submit task delivered twice creating one job."""

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from conftest import INVOICE_TEXT, KEY

from docextract.limits import Limit
from docextract.sandbox import INVOICE, Sandbox

pytest.importorskip("celery", reason="the celery extra is not installed: pip install .[celery]")
redis = pytest.importorskip("redis", reason="the celery extra is not installed")

from docextract import celery_app  # noqa: E402
from docextract.redis_limits import (  # noqa: E402
    ACTIVE,
    EXTENDED,
    IN_FLIGHT,
    REFUSED,
    TAKEN,
    RedisCap,
    RedisLimiter,
    cap_name,
    kept,
    key_scope,
    release,
    renew,
    take,
)

T = TypeVar("T")

START_TIMEOUT = 60.0


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server of this test module's own, on a unix socket (no port to collide on)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    folder = tmp_path_factory.mktemp("redis")
    socket = folder / "redis.sock"
    server = subprocess.Popen(
        [binary, "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700",
         "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if socket.exists() and redis.Redis(unix_socket_path=str(socket)).ping():
                    break
            except redis.ConnectionError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
        yield f"redis+socket://{socket}"
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def workers(broker: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Path]]:
    """Two real Celery workers (threads pool), keys from their own environment."""
    folder = tmp_path_factory.mktemp("workers")
    keys = {"LLAMA_CLOUD_API_KEY": KEY, "CONTEXTUAL_API_KEY": KEY, "RETAB_API_KEY": KEY}
    env = {**os.environ, "DOCEXTRACT_BROKER_URL": broker, **keys}
    started: list[tuple[subprocess.Popen[bytes], Path]] = []
    try:
        for name in ("w1", "w2"):
            log = folder / f"{name}.log"
            command = [
                sys.executable, "-m", "celery", "-A", "docextract.celery_app", "worker",
                "--pool", "threads", "--concurrency", "4", "-n", f"{name}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info",
                "--logfile", str(log),
            ]  # fmt: skip
            process = subprocess.Popen(
                command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            started.append((process, log))
        deadline = time.monotonic() + START_TIMEOUT
        for process, log in started:
            while not (log.exists() and "ready." in log.read_text(errors="replace")):
                if process.poll() is not None or time.monotonic() > deadline:
                    text = log.read_text(errors="replace") if log.exists() else ""
                    pytest.fail(f"a celery worker did not start:\n{text[-2000:]}")
                time.sleep(0.1)
        celery_app.configure(broker)
        yield [log for _, log in started]
    finally:
        for process, _ in started:
            process.send_signal(signal.SIGTERM)
        for process, _ in started:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def documents(folder: Path, n: int) -> list[str]:
    folder.mkdir()
    paths = []
    for i in range(n):
        path = folder / f"invoice-{i:02}.txt"
        path.write_text(INVOICE_TEXT.replace("INV-2026-0042", f"INV-{i:04}"), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_a_batch_runs_through_the_workers_and_resumes(
    sandbox: Sandbox, workers: list[Path], tmp_path: Path
) -> None:
    paths = documents(tmp_path / "docs", 8)
    journal = str(tmp_path / "batch.sqlite")
    options = {
        "provider": "llamacloud",
        "schema": dict(INVOICE),
        "journal": journal,
        "base_url": sandbox.base_url("llamacloud"),
        "result_timeout": 120,
    }
    outcomes = celery_app.extract_all_celery(paths, **options)
    assert [o["state"] for o in outcomes] == ["completed"] * 8, outcomes
    assert [o["result"]["data"]["invoice_number"] for o in outcomes] == [
        f"INV-{i:04}" for i in range(8)
    ]
    assert [o["document"] for o in outcomes] == paths
    assert sandbox.stats().jobs_created["llamacloud"] == 8
    # the tasks ran on the workers, each of which wrote to the journal
    logs = "".join(log.read_text(errors="replace") for log in workers)
    assert logs.count("docextract.submit") >= 8
    assert logs.count("docextract.wait") >= 8

    again = celery_app.extract_all_celery(paths, resume=True, **options)
    assert [o["result"]["data"] for o in again] == [o["result"]["data"] for o in outcomes]
    assert sandbox.stats().jobs_created["llamacloud"] == 8  # nothing redone


def test_a_synchronous_provider_runs_one_task_per_document_and_resumes(
    sandbox: Sandbox, workers: list[Path], tmp_path: Path
) -> None:
    """Retab has no jobs: each document is one extraction task, journaled, never redone."""
    paths = documents(tmp_path / "docs", 6)
    journal = str(tmp_path / "retab.sqlite")
    sandbox.configure("retab", step_seconds=0.05)
    options = {
        "provider": "retab",
        "project_id": "proj_invoice",
        "journal": journal,
        "base_url": sandbox.base_url("retab"),
        "result_timeout": 120,
    }
    outcomes = celery_app.extract_all_celery(paths, **options)
    assert [o["state"] for o in outcomes] == ["completed"] * 6, outcomes
    assert [o["result"]["data"]["invoice_number"] for o in outcomes] == [
        f"INV-{i:04}" for i in range(6)
    ]

    def extractions() -> int:
        requests = sandbox.stats().requests
        return sum(count for route, count in requests.items() if route.startswith("retab POST"))

    assert extractions() == 6
    again = celery_app.extract_all_celery(paths, resume=True, **options)
    assert [o["result"]["data"] for o in again] == [o["result"]["data"] for o in outcomes]
    assert extractions() == 6  # nothing redone


def test_results_not_back_in_time_are_a_typed_deadline(
    sandbox: Sandbox, workers: list[Path], tmp_path: Path
) -> None:
    from docextract.errors import DeadlineExceeded

    with pytest.raises(DeadlineExceeded, match=r"2 of 2 documents' results not back within 0.3 s"):
        celery_app.extract_all_celery(
            documents(tmp_path / "docs", 2),
            provider="llamacloud",
            schema=dict(INVOICE),
            base_url=sandbox.base_url("llamacloud"),
            result_timeout=0.3,
            queue="no-worker-listens",  # the tasks wait there: nothing is created meanwhile
        )
    assert sandbox.stats().jobs_created["llamacloud"] == 0


def test_a_failed_job_comes_back_with_its_id(
    sandbox: Sandbox, workers: list[Path], tmp_path: Path
) -> None:
    sandbox.configure("llamacloud", outcome="failed")
    outcomes = celery_app.extract_all_celery(
        documents(tmp_path / "docs", 2),
        provider="llamacloud",
        schema=dict(INVOICE),
        base_url=sandbox.base_url("llamacloud"),
        result_timeout=120,
    )
    for outcome in outcomes:
        assert outcome["state"] == "failed"
        assert outcome["error"]["type"] == "JobFailed"
        assert outcome["error"]["job_id"] == outcome["job_id"]
    # keys never travel through the broker: the workers read their own environment
    assert KEY not in json.dumps(outcomes)


def test_the_pace_is_shared_by_every_worker(broker: str) -> None:
    async def main() -> tuple[list[float], float]:
        url = celery_app.redis_url(broker)
        first = redis.asyncio.Redis.from_url(url)
        second = redis.asyncio.Redis.from_url(url)
        scope = key_scope("pace-test-key-1")
        a = RedisLimiter(first, "llamacloud", Limit(rate=10.0), scope=scope)
        b = RedisLimiter(second, "llamacloud", Limit(rate=10.0), scope=scope)
        delays = [await (a if i % 2 else b).delay() for i in range(20)]
        # a 429 seen by one slows the other: no turn before Retry-After, at half the rate
        await a.athrottled(3.0)
        after = await b.delay()
        await first.aclose()
        await second.aclose()
        return delays, after

    delays, after = asyncio.run(main())
    # one queue for both: the twentieth turn is about 1.9 s out, whichever asked it
    assert delays[0] == pytest.approx(0.0, abs=0.05)
    # (two queues would put it at 0.9 s)
    assert delays[-1] == pytest.approx(1.9, abs=0.6)
    assert after >= 2.5


def test_the_pace_is_per_key(broker: str) -> None:
    async def main() -> list[float]:
        client = redis.asyncio.Redis.from_url(celery_app.redis_url(broker))
        limiters = [
            RedisLimiter(client, "contextual", Limit(rate=1.0), scope=key_scope(key))
            for key in ("key-a", "key-b")
        ]
        delays = [await limiter.delay() for limiter in limiters]
        await client.aclose()
        return delays

    assert asyncio.run(main()) == [pytest.approx(0.0, abs=0.05)] * 2
    assert "key-a" not in key_scope("key-a")


# ---------------------------------------------------------------- the caps' leases, on Redis


def on_redis(broker: str, body: Callable[[Any], Awaitable[T]]) -> T:
    async def main() -> T:
        client = redis.asyncio.Redis.from_url(celery_app.redis_url(broker))
        try:
            return await body(client)
        finally:
            await client.aclose()

    return asyncio.run(main())


def fresh_cap() -> str:
    return cap_name("contextual", key_scope(f"test-{uuid.uuid4()}"), ACTIVE)


def forget_caps(broker: str, provider: str) -> None:
    """No lease left over from an earlier test (a failed one keeps them until their TTL)."""
    names = [cap_name(provider, key_scope(KEY), kind) for kind in (ACTIVE, IN_FLIGHT)]
    on_redis(broker, lambda client: client.delete(*names))


def test_a_cap_leases_up_to_its_size_and_refuses_past_it(broker: str) -> None:
    async def body(client: Any) -> dict[str, Any]:
        cap = RedisCap(client, fresh_cap(), 3)
        leases = [await cap.acquire() for _ in range(3)]
        seen = {"leases": leases, "refused": await cap.acquire()}
        seen["again"] = await cap.acquire(leases[0].token)  # its own lease, not a second one
        seen["held"] = await cap.held()
        await release(client, leases[1])
        await release(client, leases[1])  # twice: nothing more is given back
        seen["after"] = await cap.acquire()
        seen["then"] = await cap.acquire()
        seen["final"] = await cap.held()
        return seen

    seen = on_redis(broker, body)
    assert all(seen["leases"])
    assert len({lease.token for lease in seen["leases"]}) == 3
    assert seen["refused"] is None
    assert seen["again"] == seen["leases"][0]
    assert seen["held"] == 3
    assert seen["after"] is not None
    assert seen["then"] is None
    assert seen["final"] == 3


def test_a_lease_not_renewed_lapses_and_the_cap_heals(broker: str) -> None:
    async def body(client: Any) -> tuple[Any, ...]:
        cap = RedisCap(client, fresh_cap(), 2, ttl=0.3)
        taken = [await cap.acquire(), await cap.acquire()]
        refused = await cap.acquire()
        kept_for = await client.pttl(cap.name)
        await asyncio.sleep(1.0)  # past the TTL: as if both holders had died
        return taken, refused, kept_for, await cap.held(), await cap.acquire()

    taken, refused, kept_for, held, healed = on_redis(broker, body)
    assert all(taken)
    assert refused is None
    assert 0 < kept_for <= 300  # the set itself is forgotten when its leases have lapsed
    assert held == 0
    assert healed is not None


def test_renewing_extends_a_lease_and_takes_back_one_that_lapsed(broker: str) -> None:
    async def body(client: Any) -> dict[str, Any]:
        cap = RedisCap(client, fresh_cap(), 1, ttl=30.0)
        lease = await cap.acquire()
        assert lease is not None
        seen: dict[str, Any] = {"before": await client.zscore(cap.name, lease.token)}
        await asyncio.sleep(0.05)
        seen["extended"] = await take(client, lease)
        seen["after"] = await client.zscore(cap.name, lease.token)
        await client.zrem(cap.name, lease.token)  # as if it had lapsed, the cap free
        seen["retaken"] = await renew(client, lease)
        seen["other"] = await cap.acquire()  # refused: the lease is back
        await client.zrem(cap.name, lease.token)
        seen["taker"] = await cap.acquire()  # someone else took the free one meanwhile
        seen["lost"] = await renew(client, lease)
        seen["refusal"] = await take(client, lease)
        return seen

    seen = on_redis(broker, body)
    assert seen["extended"] == EXTENDED
    assert seen["after"] >= seen["before"] + 0.04
    assert seen["retaken"] is True
    assert seen["other"] is None
    assert seen["taker"] is not None
    assert seen["lost"] is False
    assert seen["refusal"] == REFUSED
    assert TAKEN not in (seen["extended"], seen["refusal"])


def test_caps_are_per_provider_and_per_key_and_never_name_the_key(broker: str) -> None:
    keys = ("secret-key-a-1234567", "secret-key-b-7654321")

    async def body(client: Any) -> tuple[list[Any], list[str]]:
        caps = [RedisCap(client, cap_name("contextual", key_scope(k), ACTIVE), 1) for k in keys]
        caps.append(RedisCap(client, cap_name("llamacloud", key_scope(keys[0]), ACTIVE), 1))
        await client.delete(*(cap.name for cap in caps))
        got = [await cap.acquire() for cap in caps]  # each its own: all granted
        got.append(await caps[0].acquire())  # the first is full
        names = [name.decode() for name in await client.keys("docextract:*")]
        for cap in caps:
            await client.delete(cap.name)
        return got, names

    got, names = on_redis(broker, body)
    assert all(got[:3])
    assert got[3] is None
    assert len({lease.name for lease in got[:3]}) == 3
    assert names
    for key in keys:
        assert not any(key in name or key[-7:] in name for name in names)


def test_a_kept_lease_outlives_its_ttl_and_is_given_back_however_the_work_ends(
    broker: str,
) -> None:
    async def body(client: Any) -> tuple[Any, ...]:
        cap = RedisCap(client, fresh_cap(), 1, ttl=1.0)
        lease = await cap.acquire()
        assert lease is not None
        async with kept(client, lease):
            await asyncio.sleep(2.5)  # 2.5 TTLs: alive only by its heartbeat
            during = await cap.acquire()
        after = await cap.held()
        second = await cap.acquire()
        assert second is not None
        with pytest.raises(RuntimeError):
            async with kept(client, second):
                raise RuntimeError("the wait broke")
        return during, after, await cap.held()

    during, after, after_error = on_redis(broker, body)
    assert during is None
    assert after == 0
    assert after_error == 0


def test_the_creating_requests_in_flight_are_capped_across_limiters(broker: str) -> None:
    async def body(client: Any) -> tuple[int, int]:
        scope = key_scope(f"inflight-{uuid.uuid4()}")
        limiters = [
            RedisLimiter(client, "llamacloud", Limit(concurrency=2), scope=scope) for _ in range(3)
        ]
        inside = peak = 0

        async def one(limiter: RedisLimiter) -> None:
            nonlocal inside, peak
            async with limiter.slot():
                inside += 1
                peak = max(peak, inside)
                await asyncio.sleep(0.1)
                inside -= 1

        await asyncio.gather(*(one(limiters[i % 3]) for i in range(9)))
        assert limiters[0].in_flight is not None
        return peak, await limiters[0].in_flight.held()

    peak, held = on_redis(broker, body)
    assert 1 <= peak <= 2  # three limiters, one cap of two (not two each)
    assert held == 0


# ---------------------------------------------------------------- caps across real workers


def redis_text(broker: str) -> str:
    """Every key and every value in the broker's Redis, as text (to look for a key in)."""

    async def body(client: Any) -> str:
        parts: list[bytes] = []
        for name in await client.keys("*"):
            parts.append(name)
            kind = (await client.type(name)).decode()
            if kind == "string":
                parts.append(await client.get(name) or b"")
            elif kind == "list":
                parts.extend(await client.lrange(name, 0, -1))
            elif kind == "hash":
                for field, value in (await client.hgetall(name)).items():
                    parts.extend((field, value))
            elif kind == "zset":
                parts.extend(await client.zrange(name, 0, -1))
            elif kind == "set":
                parts.extend(await client.smembers(name))
        return b"\n".join(parts).decode("utf-8", errors="replace")

    return on_redis(broker, body)


def test_contextual_never_runs_more_than_five_jobs_across_the_workers(
    sandbox: Sandbox, workers: list[Path], tmp_path: Path, broker: str
) -> None:
    forget_caps(broker, "contextual")
    sandbox.configure("contextual", step_seconds=0.5)  # each job about a second
    documents_ = [str(uuid.uuid4()) for _ in range(20)]
    journal = str(tmp_path / "contextual.sqlite")
    outcomes = celery_app.extract_all_celery(
        documents_,
        provider="contextual",
        schema_id=str(uuid.uuid4()),
        journal=journal,
        base_url=sandbox.base_url("contextual"),
        result_timeout=240,
    )
    assert [o["state"] for o in outcomes] == ["completed"] * 20, outcomes
    assert len({o["job_id"] for o in outcomes}) == 20
    stats = sandbox.stats()
    assert stats.jobs_created["contextual"] == 20
    # the sandbox answers 429 past five active jobs: none was refused, none sent twice
    assert stats.requests_to("contextual", "POST /extract/jobs") == 20
    assert stats.peak_active_jobs["contextual"] <= 5
    # eight worker threads, five leases: submit tasks gave their thread back and came again
    logs = "".join(log.read_text(errors="replace") for log in workers)
    assert "docextract.submit" in logs
    assert "retry: Retry in" in logs
    leases = cap_name("contextual", key_scope(KEY), ACTIVE)
    assert on_redis(broker, lambda client: client.zcard(leases)) == 0  # every lease given back
    assert KEY not in redis_text(broker)


def test_a_cap_given_as_a_limit_holds_across_the_workers(
    sandbox: Sandbox, workers: list[Path], tmp_path: Path, broker: str
) -> None:
    forget_caps(broker, "llamacloud")
    sandbox.configure("llamacloud", step_seconds=0.2)
    outcomes = celery_app.extract_all_celery(
        documents(tmp_path / "docs", 6),
        provider="llamacloud",
        schema=dict(INVOICE),
        base_url=sandbox.base_url("llamacloud"),
        result_timeout=180,
        limit=Limit(active_jobs=2),
    )
    assert [o["state"] for o in outcomes] == ["completed"] * 6, outcomes
    stats = sandbox.stats()
    assert stats.jobs_created["llamacloud"] == 6
    assert 1 <= stats.peak_active_jobs["llamacloud"] <= 2  # the sandbox itself has no cap here


def test_a_create_answer_cut_after_the_id_is_waited_for_not_created_again(
    sandbox: Sandbox, workers: list[Path], tmp_path: Path
) -> None:
    sandbox.set_fault("llamacloud:POST /api/v2/extract=truncated x1")
    paths = documents(tmp_path / "docs", 3)
    journal = str(tmp_path / "batch.sqlite")
    options: dict[str, Any] = {
        "provider": "llamacloud",
        "schema": dict(INVOICE),
        "journal": journal,
        "base_url": sandbox.base_url("llamacloud"),
        "result_timeout": 120,
    }
    outcomes = celery_app.extract_all_celery(paths, **options)
    assert sandbox.faults() == [], "the fault was never met"
    assert [o["state"] for o in outcomes] == ["completed"] * 3, outcomes
    stats = sandbox.stats()
    assert stats.jobs_created["llamacloud"] == 3
    assert stats.requests_to("llamacloud", "POST /api/v2/extract") == 3

    again = celery_app.extract_all_celery(paths, resume=True, **options)
    assert [o["state"] for o in again] == ["completed"] * 3
    assert sandbox.stats().requests_to("llamacloud", "POST /api/v2/extract") == 3


def test_a_submit_task_delivered_again_never_creates_a_second_job(
    sandbox: Sandbox, broker: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The task's body, run as a redelivery would run it (same task ID), in this process."""
    monkeypatch.setenv("LLAMA_CLOUD_API_KEY", KEY)
    celery_app.configure(broker)
    forget_caps(broker, "llamacloud")
    (path,) = documents(tmp_path / "docs", 1)
    work: dict[str, Any] = {
        "provider": "llamacloud",
        "document": path,
        "name": path,
        "position": 0,
        "schema": dict(INVOICE),
        "project_id": None,
        "timeout": "2m",
        "base_url": sandbox.base_url("llamacloud"),
        "options": {},
        "limit": {"rate": None, "concurrency": None, "active_jobs": 1},
        "journal": None,
        "key": "k",
        "entry": {},
    }
    task_id = str(uuid.uuid4())
    first = asyncio.run(celery_app._submit(work, task_id))
    assert first is not None
    assert "job" in first, first
    again = asyncio.run(celery_app._submit(work, task_id))
    assert again is not None
    assert again["job"] == first["job"]
    assert again["lease"] == first["lease"]
    assert sandbox.stats().jobs_created["llamacloud"] == 1
    # its lease (a cap of one) is held: another document's submit sends nothing, to retry
    assert asyncio.run(celery_app._submit(work, str(uuid.uuid4()))) is None
    assert sandbox.stats().requests_to("llamacloud", "POST /api/v2/extract") == 1
    # the wait gives the lease back when the job ends
    assert asyncio.run(celery_app._wait(first))["state"] == "completed"
    leases = cap_name("llamacloud", key_scope(KEY), ACTIVE)
    assert on_redis(broker, lambda client: client.zcard(leases)) == 0

    # a delivery that finds its claim but no job (the first died mid-creation): uncertain
    died = str(uuid.uuid4())
    claim = f"{celery_app.CLAIM_PREFIX}:{died}"
    on_redis(broker, lambda client: client.set(claim, celery_app.SENT))
    uncertain = asyncio.run(celery_app._submit(work, died))
    assert uncertain is not None
    assert uncertain.get("uncertain") is True
    assert asyncio.run(celery_app._wait(uncertain))["state"] == "submitting"
    assert sandbox.stats().requests_to("llamacloud", "POST /api/v2/extract") == 1


def test_a_retry_countdown_is_bounded_and_jittered() -> None:
    low, high = celery_app.RETRY_COUNTDOWN
    first = [celery_app.retry_countdown(0) for _ in range(200)]
    late = [celery_app.retry_countdown(50) for _ in range(200)]
    assert all(low / 2 <= c <= low for c in first)
    assert all(high / 2 <= c <= high for c in late)
    assert len(set(late)) > 100  # spread out, not in lockstep


def test_a_task_that_raised_is_an_error_line_naming_its_document() -> None:
    """A worker-side bug (the task raised, not a docextract error) still names its document."""
    meta = {"status": "FAILURE", "result": {"exc_type": "OSError", "exc_message": ["disk full"]}}
    line = {"document": "invoice-07.txt", "position": 7}
    assert celery_app._outcome(meta, line) == {
        "document": "invoice-07.txt",
        "position": 7,
        "state": "error",
        "error": {"type": "FAILURE", "message": "OSError: disk full"},
    }
    done = {"status": "SUCCESS", "result": {"document": "a", "position": 0, "state": "completed"}}
    assert celery_app._outcome(done, line) == done["result"]
