#!/usr/bin/env python3
"""Waiting on many jobs: docextract's scheduler against the other ways, side by side.

One `docextract sandbox` subprocess; for each N and each strategy (interleaved), a fresh child
process creates N LlamaCloud extraction jobs on it, then waits for all of them with that
strategy. Every run gets the same job-duration schedule (seeded, 3-8 s per job: the sandbox's
/_sandbox/durations), held until all N exist, then released at once (/_sandbox/release) just
before the wait begins, so every job lasts its 3-8 s from then, whatever N. Measured in the
child, from the moment the wait begins:

- wall - longest job: when the last end was learned, minus when the last job ended;
- requests / job: status requests the sandbox counted (GET job and list), per job;
- detection latency: when the caller learned a job ended minus when it ended (the job's final
  `updated_at`), p50 / p90 / max;
- client CPU (the child's process time while waiting, all threads) and peak RSS.

Strategies: docextract `as_completed_async` (the scheduler); docextract before it (`wait_async`
under a Semaphore(8), as `wait_all_async` was); llama-cloud's `wait_for_completion` x gather;
a naive httpx loop (1 s sleeps, Semaphore(100)). Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

KEY = "sandbox"
SEED = 13
SHORTEST, LONGEST = 3.0, 8.0
STATUS_ROUTES = ("llamacloud GET /api/v2/extract/{job_id}", "llamacloud GET /api/v2/extract")
SCHEMA = {"type": "object", "properties": {"invoice_number": {"type": "string"}}}

Detection = tuple[str, float, float]  # job ID, learned at, ended at (time.time())
Strategy = Callable[[list[Any], Any, str, list[Detection]], Awaitable[None]]
GIVE_UP = 300.0  # seconds: a run still waiting then is reported as such, with what it saw


def _ended(value: Any) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


# ---------------------------------------------------------------- strategies (in the child)


async def docextract_scheduler(
    jobs: list[Any], client: Any, url: str, seen: list[Detection]
) -> None:
    import docextract

    async for done in docextract.as_completed_async(jobs, client=client, timeout="10m"):
        learned = time.time()
        if done.error is not None:
            raise done.error
        seen.append((done.job.id, learned, _ended(done.result.updated_at)))


async def docextract_before(jobs: list[Any], client: Any, url: str, seen: list[Detection]) -> None:
    """wait_all_async as it was: every wait whole, at most 8 at once."""
    import docextract

    gate = asyncio.Semaphore(8)

    async def one(job: Any) -> None:
        async with gate:
            result = await docextract.wait_async(job, client=client, timeout="10m")
        seen.append((job.id, time.time(), _ended(result.updated_at)))

    await asyncio.gather(*(one(job) for job in jobs))


async def llama_cloud_sdk(jobs: list[Any], client: Any, url: str, seen: list[Detection]) -> None:
    import llama_cloud

    sdk = llama_cloud.AsyncLlamaCloud(api_key=KEY, base_url=f"{url}/llamacloud")

    async def one(job: Any) -> None:
        done = await sdk.extract.wait_for_completion(job.id)
        seen.append((job.id, time.time(), _ended(done.updated_at)))

    try:
        await asyncio.gather(*(one(job) for job in jobs))
    finally:
        await sdk.close()


async def naive_loop(jobs: list[Any], client: Any, url: str, seen: list[Detection]) -> None:
    gate = asyncio.Semaphore(100)
    headers = {"Authorization": f"Bearer {KEY}"}
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)  # no churn
    async with httpx.AsyncClient(base_url=f"{url}/llamacloud", headers=headers, limits=limits) as h:

        async def one(job: Any) -> None:
            while True:
                async with gate:
                    data = (await h.get(f"/api/v2/extract/{job.id}")).json()
                if data["status"] in ("COMPLETED", "FAILED", "CANCELLED"):
                    seen.append((job.id, time.time(), _ended(data["updated_at"])))
                    return
                await asyncio.sleep(1.0)

        await asyncio.gather(*(one(job) for job in jobs))


STRATEGIES: dict[str, tuple[str, Strategy]] = {
    "scheduler": ("docextract as_completed_async (scheduler)", docextract_scheduler),
    "before": ("docextract before: wait_async x Semaphore(8)", docextract_before),
    "llama_cloud": ("llama-cloud wait_for_completion x gather", llama_cloud_sdk),
    "naive": ("naive httpx, 1 s sleeps, Semaphore(100), 100 kept-alive connections", naive_loop),
}


async def _status_requests(control: httpx.AsyncClient) -> int:
    counts = (await control.get("/stats")).json()["requests"]
    return sum(counts.get(route, 0) for route in STATUS_ROUTES)


async def child(strategy: str, n: int, url: str) -> dict[str, Any]:
    import docextract
    from docextract.limits import Limit

    client = docextract.client(
        "llamacloud", api_key=KEY, base_url=f"{url}/llamacloud", max_retries=0
    )
    control = httpx.AsyncClient(
        base_url=f"{url}/_sandbox", headers={"Authorization": f"Bearer {KEY}"}, timeout=30
    )
    first = await docextract.submit_async(
        "llamacloud", "extract", client=client, document=b"INVOICE INV-1", data_schema=SCHEMA
    )
    answer = (await client.get_async_httpx_client().get(f"/api/v2/extract/{first.id}")).json()
    file_id = answer.get("file_input") or answer["document_input_value"]
    created = await docextract.submit_all_async(
        [file_id] * (n - 1), provider="llamacloud", client=client, data_schema=SCHEMA,
        limit=Limit(),  # the sandbox does not throttle creation: no pace
    )  # fmt: skip
    jobs = [first, *created]
    if not all(isinstance(job, docextract.Job) for job in jobs):
        raise RuntimeError(
            f"creation failed: {[j for j in jobs if not isinstance(j, docextract.Job)][:3]}"
        )
    requests_before = await _status_requests(control)
    released = await control.post("/release", json={"provider": "llamacloud"})
    if released.json()["released"] != n:
        raise RuntimeError(f"released {released.json()['released']} held jobs, not {n}")
    started, cpu = time.time(), time.process_time()
    seen: list[Detection] = []
    with contextlib.suppress(TimeoutError):  # reported: how many it had seen end by then
        await asyncio.wait_for(STRATEGIES[strategy][1](jobs, client, url, seen), GIVE_UP)
    cpu = time.process_time() - cpu
    requests = await _status_requests(control) - requests_before
    await client.get_async_httpx_client().aclose()
    await control.aclose()
    latencies = sorted(learned - ended for _, learned, ended in seen) or [math.nan]
    return {
        "n": n,
        "tail": (  # None: it gave up first
            max(learned for _, learned, _ in seen) - max(ended for _, _, ended in seen)
            if len(seen) == n
            else None
        ),
        "requests_per_job": requests / n,
        "p50": _quantile(latencies, 0.5),
        "p90": _quantile(latencies, 0.9),
        "max": latencies[-1],
        "cpu": cpu,
        "cpu_per_job_ms": 1000 * cpu / n,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "ended_before_wait": sum(ended < started for _, _, ended in seen),
        "seen": len(seen),
    }


def _quantile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# ---------------------------------------------------------------- extract_all, per provider

CELERY_JOBS = (1.0, 3.0)  # seconds per job through Celery: worker threads, not the pace, bound it
THROTTLE = 15.0  # LlamaCloud job creations per second the sandbox accepts, in rows 4 and 5
SHORT = (0.1, 0.4)  # seconds per job in the extract_all and Celery rows (Contextual: 5 at once)
EXTRACT_ARGS: dict[str, dict[str, Any]] = {
    "numind": {"project_id": "numind-invoice"},
    "llamacloud": {"schema": SCHEMA},
    "retab": {"project_id": "proj_invoice"},
    "contextual": {"schema_id": "6f1c1f7e-3c1a-4c52-9f0e-2b7d8a6c5e41"},
}


async def extract_child(provider: str, n: int, url: str, folder: str) -> dict[str, Any]:
    import uuid

    import docextract

    client = docextract.client(provider, api_key=KEY, base_url=f"{url}/{provider}", max_retries=0)
    if provider == "contextual":
        documents: list[Any] = [str(uuid.uuid4()) for _ in range(n)]
    else:
        documents = [os.path.join(folder, f"doc-{i}.txt") for i in range(n)]
    started, cpu = time.monotonic(), time.process_time()
    results = await docextract.extract_all_async(
        documents, provider=provider, client=client, timeout="10m", **EXTRACT_ARGS[provider]
    )
    wall, cpu = time.monotonic() - started, time.process_time() - cpu
    await client.get_async_httpx_client().aclose()
    failed = [r for r in results if isinstance(r, Exception)]
    return {
        "wall": wall,
        "rate": n / wall,
        "cpu_per_doc_ms": 1000 * cpu / n,
        "failed": len(failed),
        "first_error": str(failed[0]) if failed else "",
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def extract_rows(url: str, control: httpx.Client, n: int) -> None:
    import tempfile

    print(
        f"\n4. extract_all of {n} documents per provider (jobs of {SHORT[0]}-{SHORT[1]} s; the "
        f"sandbox refuses LlamaCloud creations past {THROTTLE:.0f}/s, Contextual's past 5 active)"
    )
    header = ("provider", "wall", "docs/s", "requests/doc", "refused (429)", "CPU/doc", "peak RSS")
    lines: list[tuple[str, ...]] = [header]
    with tempfile.TemporaryDirectory() as folder:
        for i in range(n):
            with open(os.path.join(folder, f"doc-{i}.txt"), "w", encoding="utf-8") as file:
                file.write(f"INVOICE INV-{i:04}\nTotal: {i}.00 EUR\n")
        for provider in EXTRACT_ARGS:
            control.post("/reset").raise_for_status()
            rng = random.Random(SEED)  # noqa: S311 (a seeded schedule, not a secret)
            seconds = [round(rng.uniform(*SHORT), 3) for _ in range(n)]
            if provider == "retab":  # synchronous: each extraction takes its step
                body = {"provider": "retab", "step_seconds": SHORT[1]}
                control.post("/schedules", json=body).raise_for_status()
            else:
                body = {"provider": provider, "seconds": seconds}
                control.post("/durations", json=body).raise_for_status()
            if provider == "llamacloud":  # as LlamaCloud does (users report 429s past ~15/s)
                throttle = {"provider": provider, "creations_per_second": THROTTLE}
                control.post("/schedules", json=throttle).raise_for_status()
            command = [sys.executable, __file__, "--extract-child", provider, "--n", str(n),
                       "--url", url, "--folder", folder]  # fmt: skip
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=1800, check=False
            )
            if done.returncode != 0:
                lines.append((provider, "failed: " + done.stderr.strip()[-200:], *[""] * 5))
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            stats = control.get("/stats").json()
            sent, creates = _sent(stats, provider)
            created = stats["jobs_created"][provider] if provider != "retab" else n
            lines.append(
                (
                    provider
                    + (f" ({r['failed']} failed: {r['first_error'][:60]})" if r["failed"] else ""),
                    f"{r['wall']:.1f} s",
                    f"{r['rate']:.1f}",
                    f"{sent / n:.2f}",
                    str(max(0, creates - created)),
                    f"{r['cpu_per_doc_ms']:.2f} ms",
                    f"{r['rss_mb']:.0f} MB",
                )
            )
    _print(lines)


def _sent(stats: dict[str, Any], provider: str) -> tuple[int, int]:
    """The provider's requests the sandbox counted: all of them, and the creating ones (a POST
    that is neither an upload nor a cancel; a refused one counts too)."""
    requests: dict[str, int] = stats["requests"]
    mine = {k: v for k, v in requests.items() if k.startswith(f"{provider} ")}
    creates = sum(
        v for k, v in mine.items()
        if k.startswith(f"{provider} POST") and "files" not in k and "cancel" not in k
    )  # fmt: skip
    return sum(mine.values()), creates


def _print(lines: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(lines[0]))]
    for i, line in enumerate(lines):
        print("  ".join(str(v).ljust(w) for v, w in zip(line, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * w for w in widths))


# ---------------------------------------------------------------- Celery


CELERY_PROVIDERS: dict[str, dict[str, Any]] = {
    # what bounds each: LlamaCloud's creation pace; NuMind: none (the workers); Contextual: its
    # five active jobs (shared by every worker through Redis)
    "llamacloud": {"env": "LLAMA_CLOUD_API_KEY", "jobs": CELERY_JOBS, "args": {"schema": SCHEMA}},
    "numind": {
        "env": "NUMIND_API_KEY",
        "jobs": CELERY_JOBS,
        "args": {"project_id": "numind-invoice"},
    },
    "contextual": {"env": "CONTEXTUAL_API_KEY", "jobs": SHORT, "args": EXTRACT_ARGS["contextual"]},
}


def celery_rows(url: str, control: httpx.Client, n: int, counts: Sequence[int]) -> None:
    import shutil
    import tempfile
    import uuid

    print(
        f"\n5. a batch of {n} documents through Celery, 8 threads per worker (LlamaCloud and "
        f"NuMind jobs {CELERY_JOBS[0]}-{CELERY_JOBS[1]} s, LlamaCloud creations past "
        f"{THROTTLE:.0f}/s refused; Contextual jobs {SHORT[0]}-{SHORT[1]} s, past 5 active refused)"
    )
    redis_server = shutil.which("redis-server")
    try:
        from docextract import celery_app
    except ImportError:
        print("   skipped: the celery extra is not installed (pip install .[celery])")
        return
    if redis_server is None:
        print("   skipped: redis-server is not installed")
        return
    lines: list[tuple[str, ...]] = [
        ("provider", "workers", "wall", "docs/s", "requests/doc", "refused (429)", "failed")
    ]
    with tempfile.TemporaryDirectory() as folder:
        sock = os.path.join(folder, "redis.sock")
        redis_process = subprocess.Popen(
            [redis_server, "--port", "0", "--unixsocket", sock, "--save", "", "--dir", folder],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            while not os.path.exists(sock):
                time.sleep(0.05)
            broker = f"redis+socket://{sock}"
            celery_app.configure(broker)
            paths = []
            for i in range(n):
                path = os.path.join(folder, f"doc-{i}.txt")
                with open(path, "w", encoding="utf-8") as file:
                    file.write(f"INVOICE INV-{i:04}\n")
                paths.append(path)
            for provider in CELERY_PROVIDERS:
                documents = (
                    [str(uuid.uuid4()) for _ in paths] if provider == "contextual" else paths
                )
                for count in counts:
                    row = _celery_run(url, control, broker, provider, documents, count, folder)
                    lines.append((provider, *row))
        finally:
            redis_process.terminate()
            redis_process.wait(15)
    _print(lines)


def _celery_run(
    url: str,
    control: httpx.Client,
    broker: str,
    provider: str,
    documents: list[str],
    count: int,
    folder: str,
) -> tuple[str, ...]:
    import signal

    from docextract import celery_app

    setup = CELERY_PROVIDERS[provider]
    control.post("/reset").raise_for_status()
    rng = random.Random(SEED)  # noqa: S311 (a seeded schedule, not a secret)
    seconds = [round(rng.uniform(*setup["jobs"]), 3) for _ in documents]
    control.post("/durations", json={"provider": provider, "seconds": seconds}).raise_for_status()
    if provider == "llamacloud":
        throttle = {"provider": provider, "creations_per_second": THROTTLE}
        control.post("/schedules", json=throttle).raise_for_status()
    env = {**os.environ, "DOCEXTRACT_BROKER_URL": broker, setup["env"]: KEY}
    workers = []
    for i in range(count):
        log = os.path.join(folder, f"{provider}-w{count}-{i}.log")
        command = [sys.executable, "-m", "celery", "-A", "docextract.celery_app", "worker",
                   "--pool", "threads", "--concurrency", "8", "-n", f"{provider}{count}-{i}@%h",
                   "--without-gossip", "--without-mingle", "--without-heartbeat",
                   "-l", "info", "--logfile", log]  # fmt: skip
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        workers.append((process, log))
    try:
        deadline = time.monotonic() + 120
        for process, log in workers:
            while not (os.path.exists(log) and "ready." in Path(log).read_text(errors="replace")):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"a celery worker did not start (see {log})")
                time.sleep(0.1)
        started = time.monotonic()
        outcomes = celery_app.extract_all_celery(
            documents, provider=provider, base_url=f"{url}/{provider}", result_timeout=600,
            **setup["args"],
        )  # fmt: skip
        wall = time.monotonic() - started
    finally:
        for process, _ in workers:
            process.send_signal(signal.SIGTERM)
        for process, _ in workers:
            process.wait(60)
    stats = control.get("/stats").json()
    sent, creates = _sent(stats, provider)
    failed = sum(o["state"] != "completed" for o in outcomes)
    n = len(documents)
    refused = creates - stats["jobs_created"][provider]
    return (
        str(count), f"{wall:.1f} s", f"{n / wall:.1f}", f"{sent / n:.2f}", str(refused), str(failed)
    )  # fmt: skip


# ---------------------------------------------------------------- the parent


def durations(n: int) -> list[float]:
    """The same seeded schedule for every strategy of one N (held until the wait begins)."""
    rng = random.Random(SEED + n)  # noqa: S311 (a seeded schedule, not a secret)
    return [round(rng.uniform(SHORTEST, LONGEST), 3) for _ in range(n)]


def run_child(strategy: str, n: int, url: str) -> dict[str, Any] | str:
    command = [sys.executable, __file__, "--child", strategy, "--n", str(n), "--url", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["failed"])[-1]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def table(rows: list[tuple[str, str, dict[str, Any] | str]]) -> None:
    header = (
        "N", "strategy", "wall - longest", "req/job", "latency p50", "p90", "max",
        "CPU", "CPU/job", "peak RSS",
    )  # fmt: skip
    lines = [header]
    for n, label, r in rows:
        if isinstance(r, str):
            lines.append((n, label, f"failed: {r}", *[""] * 7))
            continue
        lines.append(
            (
                n,
                label,
                f"{r['tail']:+.2f} s"
                if r["tail"] is not None
                else f"gave up at {GIVE_UP:.0f} s ({r['seen']} of {r['n']} seen: latencies of those)",  # noqa: E501
                f"{r['requests_per_job']:.2f}",
                f"{r['p50']:.2f} s",
                f"{r['p90']:.2f} s",
                f"{r['max']:.2f} s",
                f"{r['cpu']:.2f} s",
                f"{r['cpu_per_job_ms']:.2f} ms",
                f"{r['rss_mb']:.0f} MB",
            )
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    for i, line in enumerate(lines):
        print("  ".join(str(v).ljust(w) for v, w in zip(line, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * w for w in widths))


def ratios(rows: list[tuple[str, str, dict[str, Any] | str]]) -> None:
    by = {(n, label): r for n, label, r in rows if not isinstance(r, str)}
    ours = STRATEGIES["scheduler"][0]
    for n in sorted({n for n, _, _ in rows}, key=int):
        mine = by.get((n, ours))
        if mine is None:
            continue
        parts = []
        for key, (label, _) in STRATEGIES.items():
            other = by.get((n, label))
            if key == "scheduler" or other is None:
                continue
            if other["tail"] is None:
                parts.append(f"{key}: gave up at {GIVE_UP:.0f} s, {other['seen']} of {n} seen")
                continue
            parts.append(
                f"{key}: p50 latency {other['p50'] / max(mine['p50'], 1e-6):.2f}x, "
                f"requests {other['requests_per_job'] / max(mine['requests_per_job'], 1e-6):.2f}x, "
                f"CPU {other['cpu'] / max(mine['cpu'], 1e-6):.2f}x"
            )
        print(f"   N={n}, other / scheduler (above 1: the scheduler is ahead): " + "; ".join(parts))


def main(argv: Sequence[str] | None = None) -> int:
    from docextract.sandbox import sandbox_process

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="N = 50 and 200: a smoke run")
    parser.add_argument("--sizes", help="comma-separated N (default 200,1000,5000)")
    parser.add_argument("--strategies", help="comma-separated, of " + ", ".join(STRATEGIES))
    parser.add_argument("--no-extract", action="store_true", help="skip the extract_all rows")
    parser.add_argument("--no-celery", action="store_true", help="skip the Celery rows")
    parser.add_argument("--extract-n", type=int, help="documents per provider (default 500)")
    parser.add_argument("--celery-n", type=int, help="documents through Celery (default 200)")
    parser.add_argument("--no-wait", action="store_true", help="skip the waiting rows")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--extract-child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(asyncio.run(child(args.child, args.n, args.url))))
        return 0
    if args.extract_child:
        result = asyncio.run(extract_child(args.extract_child, args.n, args.url, args.folder))
        print(json.dumps(result))
        return 0
    sizes = [
        int(s) for s in (args.sizes or ("50,200" if args.quick else "200,1000,5000")).split(",")
    ]
    chosen = (args.strategies or ",".join(STRATEGIES)).split(",")
    unknown = set(chosen) - set(STRATEGIES)
    if unknown:
        parser.error(f"--strategies: unknown {', '.join(sorted(unknown))}")
    try:
        import llama_cloud  # noqa: F401
    except ImportError:
        chosen = [s for s in chosen if s != "llama_cloud"]
        print("bench: llama-cloud is not installed: its row is skipped", file=sys.stderr)
    rows: list[tuple[str, str, dict[str, Any] | str]] = []
    print(
        f"\n3. waiting on N LlamaCloud jobs ({SHORTEST:.0f}-{LONGEST:.0f} s each, seeded; one "
        f"fresh process per run; load {', '.join(f'{v:.2f}' for v in os.getloadavg())})"
    )
    with sandbox_process("--api-key", KEY) as (url, _process):
        control = httpx.Client(
            base_url=f"{url}/_sandbox", headers={"Authorization": f"Bearer {KEY}"}, timeout=30
        )
        for n in [] if args.no_wait else sizes:
            for strategy in chosen:
                control.post("/reset").raise_for_status()
                body = {"provider": "llamacloud", "seconds": durations(n), "hold": True}
                control.post("/durations", json=body).raise_for_status()
                rows.append((str(n), STRATEGIES[strategy][0], run_child(strategy, n, url)))
        if rows:
            table(rows)
            ratios(rows)
        if not args.no_extract:
            extract_rows(url, control, args.extract_n or (50 if args.quick else 500))
        if not args.no_celery:
            celery_rows(url, control, args.celery_n or (40 if args.quick else 200), (1, 2, 4))
        control.close()
    late = [
        f"N={n} {label}"
        for n, label, r in rows
        if not isinstance(r, str) and r["ended_before_wait"]
    ]
    if late:
        print(f"   note: some jobs ended before the wait began (not held?): {late}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
