#!/usr/bin/env python3
"""Waiting on many jobs: docextract's scheduler against the other ways, side by side.

One `docextract sandbox` subprocess; for each N and each strategy (interleaved), a fresh child
process creates N LlamaCloud extraction jobs on it, then waits for all of them with that
strategy. Every run gets the same job-duration schedule (seeded, 3-8 s per job, plus a margin
that covers the creation of all N before any can end: the sandbox's /_sandbox/durations).
Measured in the child, from the moment the wait begins:

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
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

import httpx

KEY = "sandbox"
SEED = 13
SHORTEST, LONGEST = 3.0, 8.0
STATUS_ROUTES = ("llamacloud GET /api/v2/extract/{job_id}", "llamacloud GET /api/v2/extract")
SCHEMA = {"type": "object", "properties": {"invoice_number": {"type": "string"}}}

Detection = tuple[str, float, float]  # job ID, learned at, ended at (time.time())
Strategy = Callable[[list[Any], Any, str], Awaitable[list[Detection]]]


def _ended(value: Any) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


# ---------------------------------------------------------------- strategies (in the child)


async def docextract_scheduler(jobs: list[Any], client: Any, url: str) -> list[Detection]:
    import docextract

    seen = []
    async for done in docextract.as_completed_async(jobs, client=client, timeout="10m"):
        learned = time.time()
        if done.error is not None:
            raise done.error
        seen.append((done.job.id, learned, _ended(done.result.updated_at)))
    return seen


async def docextract_before(jobs: list[Any], client: Any, url: str) -> list[Detection]:
    """wait_all_async as it was: every wait whole, at most 8 at once."""
    import docextract

    gate = asyncio.Semaphore(8)

    async def one(job: Any) -> Detection:
        async with gate:
            result = await docextract.wait_async(job, client=client, timeout="10m")
        return (job.id, time.time(), _ended(result.updated_at))

    return list(await asyncio.gather(*(one(job) for job in jobs)))


async def llama_cloud_sdk(jobs: list[Any], client: Any, url: str) -> list[Detection]:
    import llama_cloud

    sdk = llama_cloud.AsyncLlamaCloud(api_key=KEY, base_url=f"{url}/llamacloud")

    async def one(job: Any) -> Detection:
        done = await sdk.extract.wait_for_completion(job.id)
        return (job.id, time.time(), _ended(done.updated_at))

    try:
        return list(await asyncio.gather(*(one(job) for job in jobs)))
    finally:
        await sdk.close()


async def naive_loop(jobs: list[Any], client: Any, url: str) -> list[Detection]:
    gate = asyncio.Semaphore(100)
    headers = {"Authorization": f"Bearer {KEY}"}
    limits = httpx.Limits(max_connections=100)
    async with httpx.AsyncClient(base_url=f"{url}/llamacloud", headers=headers, limits=limits) as h:

        async def one(job: Any) -> Detection:
            while True:
                async with gate:
                    data = (await h.get(f"/api/v2/extract/{job.id}")).json()
                if data["status"] in ("COMPLETED", "FAILED", "CANCELLED"):
                    return (job.id, time.time(), _ended(data["updated_at"]))
                await asyncio.sleep(1.0)

        return list(await asyncio.gather(*(one(job) for job in jobs)))


STRATEGIES: dict[str, tuple[str, Strategy]] = {
    "scheduler": ("docextract as_completed_async (scheduler)", docextract_scheduler),
    "before": ("docextract before: wait_async x Semaphore(8)", docextract_before),
    "llama_cloud": ("llama-cloud wait_for_completion x gather", llama_cloud_sdk),
    "naive": ("naive httpx, 1 s sleeps, Semaphore(100)", naive_loop),
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
    file_id = (await client.get_async_httpx_client().get(f"/api/v2/extract/{first.id}")).json()[
        "document_input_value"
    ]
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
    started, cpu = time.time(), time.process_time()
    seen = await STRATEGIES[strategy][1](jobs, client, url)
    cpu = time.process_time() - cpu
    requests = await _status_requests(control) - requests_before
    await client.get_async_httpx_client().aclose()
    await control.aclose()
    latencies = sorted(learned - ended for _, learned, ended in seen)
    return {
        "n": n,
        "tail": max(learned for _, learned, _ in seen) - max(ended for _, _, ended in seen),
        "requests_per_job": requests / n,
        "p50": _quantile(latencies, 0.5),
        "p90": _quantile(latencies, 0.9),
        "max": latencies[-1],
        "cpu": cpu,
        "cpu_per_job_ms": 1000 * cpu / n,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "ended_before_wait": sum(ended < started for _, _, ended in seen),
    }


def _quantile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# ---------------------------------------------------------------- the parent


def durations(n: int) -> list[float]:
    """The same seeded schedule for every strategy of one N; the margin covers creation."""
    rng = random.Random(SEED + n)  # noqa: S311 (a seeded schedule, not a secret)
    margin = 2.0 + n / 250
    return [round(margin + rng.uniform(SHORTEST, LONGEST), 3) for _ in range(n)]


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
                f"{r['tail']:+.2f} s",
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
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(asyncio.run(child(args.child, args.n, args.url))))
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
        for n in sizes:
            for strategy in chosen:
                control.post("/reset").raise_for_status()
                control.post(
                    "/durations", json={"provider": "llamacloud", "seconds": durations(n)}
                ).raise_for_status()
                rows.append((str(n), STRATEGIES[strategy][0], run_child(strategy, n, url)))
        control.close()
    table(rows)
    ratios(rows)
    late = [
        f"N={n} {label}"
        for n, label, r in rows
        if not isinstance(r, str) and r["ended_before_wait"]
    ]
    if late:
        print(f"   note: some jobs ended before the wait began (the margin was short): {late}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
