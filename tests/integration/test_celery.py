"""Celery scale-out with a real Redis (started and stopped here) and real workers, against
the sandbox: a batch through two workers, a resume, and a pace shared through Redis."""

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import INVOICE_TEXT, KEY

from docextract.limits import Limit
from docextract.sandbox import INVOICE, Sandbox

pytest.importorskip("celery", reason="the celery extra is not installed: pip install .[celery]")
redis = pytest.importorskip("redis", reason="the celery extra is not installed")

from docextract import celery_app  # noqa: E402
from docextract.redis_limits import RedisLimiter, key_scope  # noqa: E402

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
    env = {**os.environ, "DOCEXTRACT_BROKER_URL": broker, "LLAMA_CLOUD_API_KEY": KEY}
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
