"""Soak: minutes of mixed load with faults on, against one sandbox (`nox -s soak`, by hand).

    python tests/reliability/soak.py [--seconds 180] [--concurrency 8] [--seed 7]

Runs extract() for NuMind, LlamaCloud, Contextual (streaming creation) and Retab on one event
loop, plus blocking extract() calls on threads, while a fault changes every second (seeded).
Faults that would lose a created job's answer (drop, slow, truncated) are set only on routes
that create nothing; on creating routes only faults under which the server does not act.

Then it prints, for the job providers, jobs created (the sandbox's count), returned (results),
and named in errors (errors carrying a job ID): the three must agree — created = returned +
named, no job lost behind an error — and no job ID may come back twice. For Retab (synchronous,
resent with its Idempotency-Key) it prints extractions run against calls made. Open file
descriptors and RSS of the sandbox and of this process, at the start and the end, must be flat.
Exit status 1 when an invariant fails.
"""

import argparse
import asyncio
import os
import random
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docextract
from docextract.errors import DocExtractError
from docextract.sandbox import Fault, Sandbox
from docextract.sandbox.faults import route_keys
from docextract.sandbox.server import sandbox_process

ROOT = Path(__file__).resolve().parents[2]
INVOICE = (ROOT / "examples" / "invoice.txt").read_bytes()
SCHEMA = str(ROOT / "examples" / "invoice.schema.json")
KEY = "soak-key-7d1e"
JOB_PROVIDERS = ("numind", "llamacloud", "contextual")
CREATES = {
    "numind": "POST /api/structured-extraction/{structuredExtractionProjectId}/jobs",
    "llamacloud": "POST /api/v2/extract",
    "contextual": "POST /extract/jobs",
    "retab": "POST /v1/projects/extract/{project_id}",
}
HARMLESS_ON_CREATE = ("status", "rate_limit", "html", "silent")  # the server does not act
ANY_KIND = ("status", "rate_limit", "html", "silent", "drop", "slow", "truncated")
FD_SLACK = 16  # descriptors a run may end with above its start (pooled connections)
RSS_GROWTH = 2.0  # a leak doubles memory within minutes; the jobs the sandbox keeps do not


def arguments(
    provider: str, url: str, sync: bool
) -> tuple[Any, dict[str, Any]]:  # document, options
    common: dict[str, Any] = {
        "api_key": KEY,
        "base_url": url,
        "timeout": 15,
        "max_retries": 2,
        "poll": docextract.PollPolicy(initial=0.05, maximum=0.5),
    }
    if provider == "numind":
        return INVOICE, {**common, "project_id": "numind-invoice"}
    if provider == "llamacloud":
        return INVOICE, {**common, "schema": SCHEMA}
    if provider == "retab":
        del common["poll"]
        return INVOICE, {**common, "project_id": "proj_invoice"}
    document = str(uuid.uuid5(uuid.NAMESPACE_URL, "soak-document"))
    schema_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "soak-schema"))
    return document, {**common, "schema_id": schema_id, "mode": "poll" if sync else "auto"}


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.returned: Counter[str] = Counter()
        self.named: Counter[str] = Counter()
        self.anonymous: Counter[str] = Counter()  # errors without a job ID
        self.ids: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()

    def record(self, provider: str, outcome: Any) -> None:
        with self.lock:
            self.calls[provider] += 1
            if isinstance(outcome, BaseException):
                self.kinds[f"{provider} {type(outcome).__name__}"] += 1
                job_id = getattr(outcome, "job_id", None)
                (self.named if job_id else self.anonymous)[provider] += 1
            else:
                job_id = outcome.job_id
                self.returned[provider] += 1
            if job_id:
                self.ids[f"{provider} {job_id}"] += 1


def usage(pid: int) -> tuple[int, int]:
    """Open file descriptors and resident memory (KiB) of process `pid`."""
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    status = Path(f"/proc/{pid}/status").read_text()
    rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
    return fds, rss


async def load(url: str, stop: float, concurrency: int, seed: int, tally: Tally) -> None:
    rng = random.Random(seed)
    providers = [*JOB_PROVIDERS, "retab"]

    async def worker(n: int) -> None:
        while time.monotonic() < stop:
            provider = providers[(n + rng.randrange(4)) % 4]
            document, options = arguments(provider, f"{url}/{provider}", sync=False)
            try:
                outcome: Any = await docextract.extract_async(
                    document, provider=provider, **options
                )
            except DocExtractError as exc:
                outcome = exc
            tally.record(provider, outcome)

    await asyncio.gather(*(worker(n) for n in range(concurrency)))


def blocking_load(url: str, stop: float, n: int, tally: Tally) -> None:
    providers = [*JOB_PROVIDERS, "retab"]
    i = n
    while time.monotonic() < stop:
        provider = providers[i % 4]
        i += 1
        document, options = arguments(provider, f"{url}/{provider}", sync=True)
        try:
            outcome: Any = docextract.extract(document, provider=provider, **options)
        except DocExtractError as exc:
            outcome = exc
        tally.record(provider, outcome)


def faults(sandbox: Sandbox, stop: float, seed: int, changed: Callable[[], None]) -> None:
    rng = random.Random(seed + 1)
    while time.monotonic() < stop - 1:
        provider = rng.choice([*JOB_PROVIDERS, "retab"])
        route = rng.choice(route_keys(provider))
        # Retab resends with its Idempotency-Key: an answer lost there is replayed, not lost
        creates = route == CREATES[provider] and provider != "retab"
        kind = rng.choice(HARMLESS_ON_CREATE if creates else ANY_KIND)
        fault = Fault(provider, route, kind, delay=rng.choice([0.2, 1.0]), count=rng.randint(3, 30))
        sandbox.clear_faults()
        sandbox.set_fault(fault)
        changed()
        time.sleep(1.0)
    sandbox.clear_faults()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    tally = Tally()
    fault_count = [0]
    sandbox_args = ("--api-key", KEY, "--step-seconds", "0.05")
    with sandbox_process(*sandbox_args) as (url, process), Sandbox(url, KEY) as sandbox:
        warm = docextract.extract(INVOICE, provider="numind", project_id="numind-invoice",
                                  api_key=KEY, base_url=f"{url}/numind", timeout=15)  # fmt: skip
        tally.record("numind", warm)
        start_server, start_client = usage(process.pid), usage(os.getpid())
        stop = time.monotonic() + args.seconds

        def count() -> None:
            fault_count[0] += 1

        side = [
            threading.Thread(target=faults, args=(sandbox, stop, args.seed, count)),
            *(
                threading.Thread(target=blocking_load, args=(url, stop, n, tally))
                for n in range(args.threads)
            ),
        ]
        for thread in side:
            thread.start()
        asyncio.run(load(url, stop, args.concurrency, args.seed, tally))
        for thread in side:
            thread.join(timeout=60)
        time.sleep(2.0)  # let the sandbox close what the clients left
        stats = sandbox.stats()
        end_server, end_client = usage(process.pid), usage(os.getpid())
    return report(tally, stats.jobs_created, fault_count[0], start_server, end_server,
                  start_client, end_client)  # fmt: skip


def report(
    tally: Tally,
    created: Any,
    faults_set: int,
    start_server: tuple[int, int],
    end_server: tuple[int, int],
    start_client: tuple[int, int],
    end_client: tuple[int, int],
) -> int:
    failures: list[str] = []
    print(f"faults set: {faults_set}; calls: {sum(tally.calls.values())}")
    print(f"{'provider':<11} {'created':>8} {'returned':>9} {'named':>6} {'no id':>6}")
    for provider in JOB_PROVIDERS:
        made, back, named = created[provider], tally.returned[provider], tally.named[provider]
        print(f"{provider:<11} {made:>8} {back:>9} {named:>6} {tally.anonymous[provider]:>6}")
        if made != back + named:
            failures.append(f"{provider}: {made} created, {back} returned + {named} named")
    runs, calls = created["retab"], tally.calls["retab"]
    print(f"retab: {runs} extractions run for {calls} calls ({tally.returned['retab']} returned)")
    if runs > calls:
        failures.append(f"retab: {runs} extractions for {calls} calls")
    duplicates = {key: n for key, n in tally.ids.items() if n > 1}
    print(f"duplicates: {len(duplicates)}")
    if duplicates:
        failures.append(f"job IDs seen twice: {sorted(duplicates)[:5]}")
    measured = (("sandbox", start_server, end_server), ("client", start_client, end_client))
    for name, start, end in measured:
        print(f"{name}: fds {start[0]} -> {end[0]}, RSS {start[1]} -> {end[1]} KiB")
        if end[0] > start[0] + FD_SLACK:
            failures.append(f"{name}: file descriptors grew from {start[0]} to {end[0]}")
        if end[1] > RSS_GROWTH * start[1]:  # the sandbox keeps every job: some growth is state
            failures.append(f"{name}: RSS grew from {start[1]} to {end[1]} KiB")
    print("errors:", dict(sorted(tally.kinds.items())))
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
