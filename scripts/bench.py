#!/usr/bin/env python3
"""Is docextract faster to import and leaner per call than the providers' own SDKs?

Side by side, in one run (`nox -s bench`, which installs llama-cloud, contextual-client, retab
and numind), printed as tables with the ratio SDK / docextract (above 1: docextract is ahead):

1. Import cost. Each snippet runs in a fresh interpreter, docextract's and the SDK's in turn
   (A, B, A, B...), after one unmeasured run of each. Measured: the import and client
   construction inside the child (perf_counter), the child process's wall time, and its peak
   RSS. Every child reads and writes bytecode under one temporary PYTHONPYCACHEPREFIX, so
   neither side compiles source while measured (PYTHONDONTWRITEBYTECODE would otherwise leave
   an editable docextract recompiling on every run, while installed SDKs ship .pyc files).
2. Per call: scripts/bench_calls.py — the same GET through every stack (raw httpx, the
   generated function, docextract's full call path, the SDK), sync and asyncio (1 and 50 in
   flight, httpx's AsyncClient and the aiohttp transport), against a minimal loopback server;
   paired interleaved batches, each ratio to raw httpx taken per pair; CPU and wall.

Timings are reported, never asserted. `--quick`: small counts, a smoke run (under a minute).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import bench_calls

SANDBOX_KEY = "sandbox"
UNUSED_URL = "http://127.0.0.1:9"  # import snippets build clients; nothing is sent
SDK_DISTRIBUTIONS = {  # provider: (distribution, import name), checked at start
    "llamacloud": ("llama-cloud", "llama_cloud"),
    "contextual": ("contextual-client", "contextual"),
    "retab": ("retab", "retab"),
    "numind": ("numind", "numind"),
}
VERSIONS = [
    "docextract",
    *(d for d, _ in SDK_DISTRIBUTIONS.values()),
    "httpx",
    "httpx-aiohttp",
    "aiohttp",
    "pydantic",
    "attrs",
]


@dataclass(frozen=True)
class Settings:
    runs: int  # import: fresh processes per snippet
    calls: bench_calls.Settings  # per call


FULL = Settings(runs=15, calls=bench_calls.FULL)
QUICK = Settings(runs=2, calls=bench_calls.QUICK)


# ---------------------------------------------------------------- statistics and tables


@dataclass(frozen=True)
class Summary:
    median: float
    low: float  # 25th percentile
    high: float  # 75th percentile


def summarize(values: Sequence[float]) -> Summary:
    if len(values) < 2:
        return Summary(values[0], values[0], values[0])
    low, median, high = statistics.quantiles(values, n=4, method="inclusive")
    return Summary(median, low, high)


def cell(summary: Summary | None, unit: str, scale: float, digits: int = 0) -> str:
    if summary is None:
        return "—"
    m, lo, hi = (v * scale for v in (summary.median, summary.low, summary.high))
    if lo == hi:
        return f"{m:.{digits}f} {unit}"
    return f"{m:.{digits}f} {unit} ({lo:.{digits}f}–{hi:.{digits}f})"


def ratio(docextract: Summary | None, sdk: Summary | None) -> str:
    if docextract is None or sdk is None or docextract.median <= 0:
        return "—"
    return f"{sdk.median / docextract.median:.2f}×"


Row = tuple[str, str, str, str]


def print_table(title: str, rows: list[Row]) -> None:
    header: Row = ("what", "docextract", "SDK", "ratio SDK/docextract")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}\n{line}")
    for i, row in enumerate([header, *rows]):
        left = [row[0].ljust(widths[0])]
        print("  ".join(left + [v.rjust(w) for v, w in zip(row[1:], widths[1:], strict=True)]))
        if i == 0:
            print(line)


# ---------------------------------------------------------------- machine


def machine_line() -> str:
    versions = []
    for name in VERSIONS:
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"machine: {os.cpu_count()} CPUs ({platform.machine()}, {platform.system()} "
        f"{platform.release()}), load {load}; Python {platform.python_version()} "
        f"({platform.python_implementation()}); " + ", ".join(versions)
    )


def missing_sdks() -> list[str]:
    return [
        dist
        for dist, module in SDK_DISTRIBUTIONS.values()
        if importlib.util.find_spec(module) is None
    ]


# ---------------------------------------------------------------- 1. import cost

CHILD = """\
import time
_started = time.perf_counter()
{code}
_seconds = time.perf_counter() - _started
print(_seconds, {peak_rss})
"""
# the child's own high-water mark: ru_maxrss would also count the parent's pages at fork time
PEAK_RSS_LINUX = "[int(l.split()[1]) * 1024 for l in open('/proc/self/status') if 'VmHWM' in l][0]"
PEAK_RSS_OTHER = "__import__('resource').getrusage(0).ru_maxrss"  # bytes on macOS


@dataclass(frozen=True)
class Snippet:
    code: str


@dataclass(frozen=True)
class ImportCase:
    what: str
    docextract: Snippet
    sdk: Snippet | None
    why_no_sdk: str = ""


@dataclass
class ImportResult:
    seconds: list[float]  # import and build, inside the child
    wall: list[float]  # the whole child process, seen from here
    peak_rss: list[float]  # bytes


def _dx_client(provider: str) -> str:
    return (
        f"import docextract, {provider}_client\n"
        f"c = docextract.client({provider!r}, api_key={SANDBOX_KEY!r}, "
        f"base_url={UNUSED_URL + '/' + provider!r})"
    )


def _dx_operation(provider: str, operation_id: str) -> str:
    """What a first `call()` loads besides the client: calls, validation, the endpoint module."""
    return (
        _dx_client(provider) + "\nimport docextract.calls\n"
        "from docextract.providers import get_provider\n"
        f"get_provider({provider!r}).endpoint({operation_id!r})"
    )


def _sdk_client(provider: str) -> str:
    url, key = f"{UNUSED_URL}/{provider}", SANDBOX_KEY
    return {
        "llamacloud": f"import llama_cloud\nc = llama_cloud.LlamaCloud(api_key={key!r}, "
        f"base_url={url!r})",
        "contextual": f"import contextual\nc = contextual.ContextualAI(api_key={key!r}, "
        f"base_url={url!r})",
        "retab": f"import retab\nc = retab.Retab(api_key={key!r}, base_url={url!r})",
        "numind": "import numind\nc = numind.NuMind(configuration=numind.Configuration("
        f"host={url!r}, access_token={key!r}))",
    }[provider]


# what the SDK loads before its first call of the benchmarked operation (its resources are lazy)
SDK_OPERATION = {
    "llamacloud": "c.extract.get",
    "contextual": "c.get",  # no extract resource: the generic request method
    "numind": "c.get_api_jobs_jobid_status",  # bound at construction
}
BENCHED_OPERATION = {
    "llamacloud": "get_extract_job",
    "contextual": "get_extraction_job_status_extract_jobs__job_id__get",
    "numind": "get_api_jobs_jobid_status",
    "retab": "extract_project",
}


def import_cases() -> list[ImportCase]:
    cases = [ImportCase("import docextract", Snippet("import docextract"), None)]
    for provider in ("llamacloud", "contextual", "retab", "numind"):
        cases.append(
            ImportCase(
                f"{provider}: import + client",
                Snippet(_dx_client(provider)),
                Snippet(_sdk_client(provider)),
            )
        )
        operation = SDK_OPERATION.get(provider)
        cases.append(
            ImportCase(
                f"{provider}: + operation loaded",
                Snippet(_dx_operation(provider, BENCHED_OPERATION[provider])),
                None if operation is None else Snippet(_sdk_client(provider) + "\n" + operation),
                why_no_sdk="" if operation else "the SDK has no method for the operation",
            )
        )
    return cases


PEAK_RSS = PEAK_RSS_LINUX if Path("/proc/self/status").exists() else PEAK_RSS_OTHER


def run_child(snippet: Snippet, env: dict[str, str], cwd: str) -> tuple[float, float, float]:
    """(seconds inside, process wall seconds, peak RSS bytes) of one fresh interpreter."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(code=snippet.code, peak_rss=PEAK_RSS)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"snippet failed:\n{snippet.code}\n{done.stderr.strip()}")
    seconds, peak = done.stdout.split()
    return float(seconds), wall, float(peak)


def measure_imports(cases: list[ImportCase], runs: int) -> list[list[ImportResult | None]]:
    """Per case: [docextract, SDK] results; each snippet is run once unmeasured, first."""
    cache = tempfile.mkdtemp(prefix="bench-pycache-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    try:
        results = []
        for case in cases:
            sides = [case.docextract, case.sdk]
            measured: list[ImportResult | None] = [
                None if s is None else ImportResult([], [], []) for s in sides
            ]
            for round_ in range(runs + 1):
                for snippet, result in zip(sides, measured, strict=True):
                    if snippet is None or result is None:
                        continue
                    seconds, wall, peak = run_child(snippet, env, cache)
                    if round_ > 0:  # round 0 compiles bytecode and warms the page cache
                        result.seconds.append(seconds)
                        result.wall.append(wall)
                        result.peak_rss.append(peak)
            results.append(measured)
            print(f"  measured {case.what}", file=sys.stderr, flush=True)
        return results
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def import_rows(
    cases: list[ImportCase], results: list[list[ImportResult | None]]
) -> tuple[list[Row], list[str]]:
    rows, notes = [], []
    metrics: list[tuple[str, Callable[[ImportResult], list[float]], str, float, int]] = [
        ("time in child", lambda r: r.seconds, "ms", 1e3, 0),
        ("process wall", lambda r: r.wall, "ms", 1e3, 0),
        ("peak RSS", lambda r: r.peak_rss, "MB", 1e-6, 1),
    ]
    for case, (dx, sdk) in zip(cases, results, strict=True):
        for name, values, unit, scale, digits in metrics:
            a = None if dx is None else summarize(values(dx))
            b = None if sdk is None else summarize(values(sdk))
            rows.append((f"{case.what} — {name}", *_cells(a, b, unit, scale, digits)))
        if case.why_no_sdk:
            notes.append(f"{case.what}: no SDK side ({case.why_no_sdk})")
    return rows, notes


def _cells(
    a: Summary | None, b: Summary | None, unit: str, scale: float, digits: int
) -> tuple[str, str, str]:
    return cell(a, unit, scale, digits), cell(b, unit, scale, digits), ratio(a, b)


def baseline_rows(runs: int) -> list[Row]:
    """The bare interpreter and `import httpx`, for scale: every child above pays them."""
    cases = [
        ImportCase("python -c pass", Snippet("pass"), None),
        ImportCase("import httpx", Snippet("import httpx"), None),
    ]
    (bare, _), (httpx_, _) = measure_imports(cases, runs)
    assert bare is not None
    assert httpx_ is not None
    return [
        ("python -c pass — process wall", cell(summarize(bare.wall), "ms", 1e3), "", ""),
        ("python -c pass — peak RSS", cell(summarize(bare.peak_rss), "MB", 1e-6, 1), "", ""),
        ("import httpx — time in child", cell(summarize(httpx_.seconds), "ms", 1e3), "", ""),
        ("import httpx — process wall", cell(summarize(httpx_.wall), "ms", 1e3), "", ""),
    ]


# ---------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small counts: a smoke run")
    parser.add_argument("--runs", type=int, help="import: fresh processes per snippet")
    parser.add_argument("--batches", type=int, help="per call: paired batches per stack")
    parser.add_argument("--calls", type=int, help="per call: calls per batch")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else FULL
    calls = base.calls
    return Settings(
        runs=args.runs or base.runs,
        calls=bench_calls.Settings(
            batches=args.batches or calls.batches,
            calls=args.calls or calls.calls,
            warmup=calls.warmup,
            in_flight=calls.in_flight,
        ),
    )


def main(argv: Sequence[str] | None = None) -> int:
    settings = parse_args(argv)
    missing = missing_sdks()
    if missing:
        print(f"bench: install the SDKs first: pip install {' '.join(missing)}", file=sys.stderr)
        return 2
    print(machine_line())
    print(
        f"import: {settings.runs} fresh processes per snippet, docextract and SDK in turn; "
        "cells: median (p25–p75)"
    )
    cases = import_cases()
    import_results = measure_imports(cases, settings.runs)
    rows, notes = import_rows(cases, import_results)
    print_table("1. import cost (fresh process each run)", baseline_rows(settings.runs) + rows)
    for note in notes:
        print(f"   {note}")
    print("\n2. per call")
    bench_calls.run_all(settings.calls)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:
        traceback.print_exc()
        sys.exit(1)
