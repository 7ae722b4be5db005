#!/usr/bin/env python3
"""Per-call cost: the same GET through each stack, against one minimal loopback server.

    python scripts/bench_calls.py [--quick] [--batches N] [--calls N]   # or via scripts/bench.py

The server (`serve`, run as a child process so that its CPU is not this process's) is a raw
asyncio HTTP/1.1 keep-alive loop that answers every request under `/<provider>/` with that
provider's recorded reference answer (tests/fixtures/<provider>/reference/, the first 200), and
nothing else: no routing, no validation, no logging. What is measured is the client.

Every stack sends the same request over a kept-alive connection and reads the same bytes. The
first stack of each table is the floor, raw httpx + `json.loads`; every row names its exact
stack and what it does beyond the floor (or less than it). Batches are paired and interleaved:
batch b runs every stack `calls` times in turn (the order rotated each batch, so that no stack
is always first or last), and each stack's ratio to the floor is taken within the batch, then
summarized over the batches: the ratio is a median of paired ratios, not a ratio of medians.
Reported: CPU of this process (the server is another process) and wall time per call, median
(p25–p75) over batches. Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
KEY = "bench-key-0000"
# provider: the reference operation whose first 200 answer the server sends back
OPERATIONS = {
    "llamacloud": "get_extract_job",
    "contextual": "get_extraction_job_status_extract_jobs__job_id__get",
    "numind": "get_api_jobs_jobid_status",
}


# ---------------------------------------------------------------- the server (child process)


def reference_answer(provider: str) -> bytes:
    import yaml

    path = FIXTURES / provider / "reference" / f"{OPERATIONS[provider]}.yaml"
    for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
        if interaction["response"]["status"]["code"] == 200:
            return str(interaction["response"]["body"]["string"]).encode()
    raise RuntimeError(f"{path}: no 200 answer")


def _http_answer(body: bytes) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}"
    return head.encode() + b"\r\n\r\n" + body


NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


async def _serve() -> None:
    answers = {p.encode(): _http_answer(reference_answer(p)) for p in OPERATIONS}

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                if length:
                    await reader.readexactly(length)
                target = head.split(b" ", 2)[1]
                writer.write(answers.get(target.split(b"/", 2)[1], NOT_FOUND))
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass  # the client hung up, or the server is stopping
        finally:
            writer.close()

    server = await asyncio.start_server(connection, "127.0.0.1", 0, backlog=256)
    print(server.sockets[0].getsockname()[1], flush=True)
    # serve until the parent closes our stdin (it does on exit, or dies)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    server.close()


@contextmanager
def loopback_server() -> Iterator[str]:
    """Start the server as a child process; yield its base URL; stop it."""
    child = subprocess.Popen(
        [sys.executable, __file__, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        assert child.stdin is not None
        child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


# ---------------------------------------------------------------- stacks


@dataclass(frozen=True)
class Stack:
    """One way of making the request. `work` says what it does beyond the floor (or less)."""

    label: str
    run: Callable[[], Any]  # sync: makes the call; async: returns the awaitable
    check: Callable[[Any], bool]
    work: str = ""


@dataclass
class Table:
    title: str
    stacks: list[Stack]
    is_async: bool = False
    in_flight: int = 1
    notes: list[str] = field(default_factory=list)
    closers: list[Callable[[], Any]] = field(default_factory=list)


def _dist(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def llamacloud_tables(url: str, *, in_flight: Sequence[int]) -> list[Table]:
    import httpx

    import docextract
    from docextract.calls import call
    from llamacloud_client import AuthenticatedClient
    from llamacloud_client.api.extract import get_extract_job
    from llamacloud_client.models import ExtractV2Job

    base = f"{url}/llamacloud"
    job_id = json.loads(reference_answer("llamacloud"))["id"]
    path = f"/api/v2/extract/{job_id}"
    auth = {"Authorization": f"Bearer {KEY}"}
    typed = "ExtractV2Job.from_dict (the typed model)"

    def is_job(answer: Any) -> bool:
        parsed = getattr(answer, "parsed", answer)
        if isinstance(parsed, dict):
            return parsed["id"] == job_id
        return getattr(parsed, "id", None) == job_id or getattr(answer, "id", None) == job_id

    raw = httpx.Client(base_url=base, headers=auth)
    plain = AuthenticatedClient(base_url=base, token=KEY)
    dx = docextract.client("llamacloud", api_key=KEY, base_url=base)
    sync = [
        Stack(
            "raw httpx.Client.get + json.loads", lambda: json.loads(raw.get(path).content), is_job
        ),
        Stack(
            "raw httpx.Client.get(full URL) + json.loads",
            lambda: json.loads(raw.get(base + path).content),
            is_job,
            "the same, the URL not joined to base_url by httpx (parsed once, not twice), "
            "as call() sends it",
        ),
        Stack(
            "raw httpx.Client.get + json.loads + ExtractV2Job.from_dict",
            lambda: ExtractV2Job.from_dict(json.loads(raw.get(path).content)),
            is_job,
            typed,
        ),
        Stack(
            "generated get_extract_job.sync_detailed, plain generated client",
            lambda: get_extract_job.sync_detailed(job_id, client=plain),
            is_job,
            f"{typed}, the generated Response; no retries, auth hook or guard",
        ),
        Stack(
            "generated get_extract_job.sync_detailed on docextract.client()",
            lambda: get_extract_job.sync_detailed(job_id, client=dx),
            is_job,
            f"{typed}, retry transport, key auth, credential guard; no checks, no typed errors",
        ),
        Stack(
            "docextract call() — the full call path",
            lambda: call(dx, "llamacloud", "get_extract_job", job_id=job_id),
            is_job,
            f"{typed}, retries, key auth, guard, spec checks, typed errors",
        ),
        Stack(
            "docextract call(deadline=now+60s)",
            lambda: call(
                dx, "llamacloud", "get_extract_job", job_id=job_id, deadline=time.monotonic() + 60
            ),
            is_job,
            "the full path + a deadline (per-phase timeouts, the body-read watchdog)",
        ),
        Stack(
            "docextract.status() — one look at the job",
            lambda: docextract.status("llamacloud", job_id, client=dx),
            lambda snapshot: snapshot.status == "COMPLETED",
            "the full path + the job's Snapshot (phase, progress)",
        ),
    ]
    closers: list[Callable[[], Any]] = [raw.close, plain.get_httpx_client().close]
    sdk_version = _dist("llama-cloud")
    sdk_async: Any = None
    if sdk_version:
        import llama_cloud

        sdk = llama_cloud.LlamaCloud(api_key=KEY, base_url=base)
        sdk_async = llama_cloud.AsyncLlamaCloud(api_key=KEY, base_url=base)
        sync.append(
            Stack(
                f"llama-cloud {sdk_version} LlamaCloud.extract.get",
                lambda: sdk.extract.get(job_id),
                is_job,
                "the provider's SDK: a typed pydantic model, its retries and errors",
            )
        )
        closers.append(sdk.close)
    tables = [Table("llamacloud GET /api/v2/extract/{job_id} — sync", sync, closers=closers)]
    tables += llamacloud_async_tables(base, path, job_id, is_job, sdk_async, in_flight)
    return tables


def llamacloud_async_tables(
    base: str,
    path: str,
    job_id: str,
    is_job: Callable[[Any], bool],
    sdk_async: Any,
    in_flight: Sequence[int],
) -> list[Table]:
    import httpx

    import docextract
    from docextract.calls import call_async
    from llamacloud_client import AuthenticatedClient
    from llamacloud_client.api.extract import get_extract_job

    auth = {"Authorization": f"Bearer {KEY}"}
    aiohttp_version = _dist("httpx-aiohttp")
    tables = []
    for n in in_flight:
        # every httpx client here has httpx's default pool (100 connections, 20 kept alive),
        # docextract.client()'s included: the same settings on both sides
        raw = httpx.AsyncClient(base_url=base, headers=auth)
        plain = AuthenticatedClient(base_url=base, token=KEY)
        dx = docextract.client("llamacloud", api_key=KEY, base_url=base)

        async def raw_get(client: httpx.AsyncClient = raw, url: str = path) -> Any:
            return json.loads((await client.get(url)).content)

        def full(client: Any) -> Callable[[], Awaitable[Any]]:
            return lambda: call_async(client, "llamacloud", "get_extract_job", job_id=job_id)

        stacks = [
            Stack("raw httpx.AsyncClient.get + json.loads", raw_get, is_job),
            Stack(
                "raw httpx.AsyncClient.get(full URL) + json.loads",
                lambda raw=raw: raw_get(raw, base + path),
                is_job,
                "the same, the URL not joined to base_url by httpx, as call_async() sends it",
            ),
            Stack(
                "generated get_extract_job.asyncio_detailed, plain generated client",
                lambda plain=plain: get_extract_job.asyncio_detailed(job_id, client=plain),
                is_job,
                "ExtractV2Job.from_dict, the generated Response; no retries, auth hook or guard",
            ),
            Stack(
                "docextract call_async() — the full call path",
                full(dx),
                is_job,
                "typed model, retries, key auth, guard, spec checks, typed errors",
            ),
            Stack(
                "docextract.status_async()",
                lambda dx=dx: docextract.status_async("llamacloud", job_id, client=dx),
                lambda snapshot: snapshot.status == "COMPLETED",
                "the full path + the job's Snapshot",
            ),
        ]
        closers: list[Callable[[], Any]] = [
            raw.aclose,
            plain.get_async_httpx_client().aclose,
            dx.get_async_httpx_client().aclose,
        ]
        if aiohttp_version:
            from httpx_aiohttp import AiohttpTransport

            raw_aio = httpx.AsyncClient(base_url=base, headers=auth, transport=AiohttpTransport())
            stacks.append(
                Stack(
                    f"raw httpx.AsyncClient on httpx-aiohttp {aiohttp_version} + json.loads",
                    lambda raw_aio=raw_aio: raw_get(raw_aio),
                    is_job,
                    "the floor's work, sent by aiohttp",
                )
            )
            closers.append(raw_aio.aclose)
        if importlib.util.find_spec("docextract.aiohttp_transport") is None:
            notes = ["no async_transport='aiohttp' row: this docextract has no such option"]
        else:
            dx_aio = docextract.client(
                "llamacloud", api_key=KEY, base_url=base, async_transport="aiohttp"
            )
            notes = []
            stacks.append(
                Stack(
                    "docextract call_async(), client(async_transport='aiohttp')",
                    full(dx_aio),
                    is_job,
                    "the full path, sent by aiohttp",
                )
            )
            closers.append(dx_aio.get_async_httpx_client().aclose)
        if sdk_async is not None:
            stacks.append(
                Stack(
                    f"llama-cloud {_dist('llama-cloud')} AsyncLlamaCloud.extract.get",
                    lambda: sdk_async.extract.get(job_id),
                    is_job,
                    "the provider's SDK: a typed pydantic model, its retries and errors",
                )
            )
        title = f"llamacloud GET /api/v2/extract/{{job_id}} — asyncio, {n} in flight"
        table = Table(title, stacks, is_async=True, in_flight=n, notes=notes, closers=closers)
        if n > 1:
            table.notes.append(
                "pools: every httpx client its default (100 connections, 20 kept alive: at "
                f"{n} in flight some are reopened); aiohttp's connector keeps up to 100 alive"
            )
        tables.append(table)
    if sdk_async is not None:
        tables[-1].closers.append(sdk_async.close)
    return tables


def other_tables(url: str) -> list[Table]:
    """Contextual and NuMind: the floor, the full path, and the SDK where it can do the same."""
    import httpx

    import docextract
    from docextract.calls import call
    from docextract.providers import get_provider

    tables = []
    for provider, path_of, sdk_stack in (
        ("contextual", lambda i: f"/extract/jobs/{i}", _contextual_sdk),
        ("numind", lambda i: f"/api/jobs/{i}/status", _numind_sdk),
    ):
        base = f"{url}/{provider}"
        answer = json.loads(reference_answer(provider))
        job_id = answer.get("id") or answer["job_id"]
        spec = get_provider(provider)
        prefix = f"{spec.auth_prefix} " if spec.auth_prefix else ""
        raw = httpx.Client(base_url=base, headers={spec.auth_header: prefix + KEY})
        dx = docextract.client(provider, api_key=KEY, base_url=base)
        operation = OPERATIONS[provider]
        path = path_of(job_id)
        params = {"job_id": job_id}

        def is_job(answer: Any, job_id: str = job_id) -> bool:
            parsed = getattr(answer, "parsed", answer)
            got = (
                parsed.get("id") or parsed.get("job_id")
                if isinstance(parsed, dict)
                else (getattr(parsed, "id", None) or getattr(parsed, "job_id", None))
            )
            return str(got) == job_id

        stacks = [
            Stack(
                "raw httpx.Client.get + json.loads",
                lambda r=raw, p=path: json.loads(r.get(p).content),
                is_job,
            ),
            Stack(
                "docextract call() — the full call path",
                lambda dx=dx, o=operation, provider=provider, params=params: call(
                    dx, provider, o, **params
                ),
                is_job,
                "typed model, retries, key auth, guard, spec checks, typed errors",
            ),
        ]
        table = Table(
            f"{provider} GET {path.replace(job_id, '{job_id}')} — sync",
            stacks,
            closers=[raw.close, dx.get_httpx_client().close],
        )
        extra, note = sdk_stack(base, job_id, is_job)
        if extra is not None:
            stacks.append(extra)
        if note:
            table.notes.append(note)
        tables.append(table)
    return tables


def _contextual_sdk(
    base: str, job_id: str, is_job: Callable[[Any], bool]
) -> tuple[Stack | None, str]:
    sdk_version = _dist("contextual-client")
    if not sdk_version:
        return None, "contextual-client not installed: no SDK row"
    import contextual

    sdk = contextual.ContextualAI(api_key=KEY, base_url=base)
    if hasattr(sdk, "extract"):
        return None, "contextual-client now has an `extract` resource: benchmark it here"
    stack = Stack(
        f"contextual-client {sdk_version} ContextualAI.get(cast_to=object)",
        lambda: sdk.get(f"/extract/jobs/{job_id}", cast_to=object),
        is_job,
        "LESS work: the SDK has no extract resource; its generic get returns an untyped dict",
    )
    return stack, "contextual: the SDK row is not the same work (a dict, no typed model)"


def _numind_sdk(base: str, job_id: str, is_job: Callable[[Any], bool]) -> tuple[Stack | None, str]:
    sdk_version = _dist("numind")
    if not sdk_version:
        return None, "numind not installed: no SDK row"
    import numind

    sdk = numind.NuMind(configuration=numind.Configuration(host=base, access_token=KEY))
    stack = Stack(
        f"numind {sdk_version} get_api_jobs_jobid_status",
        lambda: sdk.get_api_jobs_jobid_status(job_id),
        is_job,
        "the provider's SDK: a typed pydantic model",
    )
    problem = _probe_sync(stack)
    if problem:
        return None, f"numind: no SDK row: the SDK cannot read the reference answer ({problem})"
    return stack, ""


def _probe_sync(stack: Stack) -> str | None:
    try:
        answer = stack.run()
    except Exception as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return f"{type(exc).__name__}: {' / '.join(lines[:2])}"[:200]
    return None if stack.check(answer) else f"unexpected answer {answer!r:.100}"


# ---------------------------------------------------------------- measuring


@dataclass
class Timings:
    """Per batch: seconds per call, CPU of this process and wall clock."""

    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)


def _order(count: int, batch: int) -> list[int]:
    return [(batch + i) % count for i in range(count)]


def time_sync(stacks: list[Stack], *, batches: int, calls: int, warmup: int) -> list[Timings]:
    for stack in stacks:
        answer = None
        for _ in range(warmup):
            answer = stack.run()
        if not stack.check(answer):
            raise RuntimeError(f"{stack.label}: unexpected answer {answer!r:.200}")
    results = [Timings() for _ in stacks]
    for batch in range(batches):
        for index in _order(len(stacks), batch):
            run = stacks[index].run
            gc.collect()
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(calls):
                run()
            results[index].cpu.append((time.process_time() - cpu) / calls)
            results[index].wall.append((time.perf_counter() - wall) / calls)
    return results


async def time_async(
    stacks: list[Stack], *, batches: int, calls: int, warmup: int, in_flight: int
) -> list[Timings]:
    async def burst(run: Callable[[], Awaitable[Any]], count: int) -> Any:
        if in_flight == 1:
            answer = None
            for _ in range(count):
                answer = await run()
            return answer

        async def worker(share: int) -> Any:
            answer = None
            for _ in range(share):
                answer = await run()
            return answer

        shares = [count // in_flight + (i < count % in_flight) for i in range(in_flight)]
        answers = await asyncio.gather(*(worker(s) for s in shares if s))
        return answers[0]

    for stack in stacks:
        answer = await burst(stack.run, max(warmup, in_flight))
        if not stack.check(answer):
            raise RuntimeError(f"{stack.label}: unexpected answer {answer!r:.200}")
    results = [Timings() for _ in stacks]
    for batch in range(batches):
        for index in _order(len(stacks), batch):
            gc.collect()
            cpu, wall = time.process_time(), time.perf_counter()
            await burst(stacks[index].run, calls)
            results[index].cpu.append((time.process_time() - cpu) / calls)
            results[index].wall.append((time.perf_counter() - wall) / calls)
    return results


def peak_memory(stack: Stack, calls: int) -> float:
    """tracemalloc: median peak of memory allocated during one call (a pass of its own)."""
    tracemalloc.start()
    try:
        stack.run()
        peaks = []
        for _ in range(calls):
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            stack.run()
            peaks.append(tracemalloc.get_traced_memory()[1] - before)
    finally:
        tracemalloc.stop()
    return statistics.median(peaks)


# ---------------------------------------------------------------- reporting


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        return values[0], values[0], values[0]
    low, median, high = statistics.quantiles(values, n=4, method="inclusive")
    return median, low, high


def _cell(values: Sequence[float], scale: float = 1e6, digits: int = 0) -> str:
    m, lo, hi = (v * scale for v in quartiles(values))
    return f"{m:.{digits}f} ({lo:.{digits}f}–{hi:.{digits}f})"


def _ratio(values: Sequence[float], floor: Sequence[float]) -> str:
    ratios = [v / f for v, f in zip(values, floor, strict=True) if f > 0]
    m, lo, hi = quartiles(ratios)
    return f"{m:.2f}× ({lo:.2f}–{hi:.2f})"


def render(table: Table, timings: list[Timings], memory: list[float] | None) -> str:
    floor = timings[0]
    header = ["stack", "CPU µs/call", "× floor (CPU)", "wall µs/call", "× floor (wall)"]
    if memory is not None:
        header.append("peak KB/call")
    rows = [header]
    for i, (stack, timing) in enumerate(zip(table.stacks, timings, strict=True)):
        row = [
            stack.label,
            _cell(timing.cpu),
            "1.00× (floor)" if i == 0 else _ratio(timing.cpu, floor.cpu),
            _cell(timing.wall),
            "1.00× (floor)" if i == 0 else _ratio(timing.wall, floor.wall),
        ]
        if memory is not None:
            row.append(f"{memory[i] / 1e3:.1f}")
        rows.append(row)
    lines = [f"\n### {table.title}\n"]
    lines.append("| " + " | ".join(rows[0]) + " |")
    lines.append("|" + "---|" * len(rows[0]))
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    works = [f"- {s.label}: {s.work}" for s in table.stacks if s.work]
    if works:
        lines.append("\nbeyond the floor (raw httpx + json.loads: an untyped dict):")
        lines += works
    lines += [f"- note: {note}" for note in table.notes]
    return "\n".join(lines)


@dataclass(frozen=True)
class Settings:
    batches: int
    calls: int
    warmup: int
    in_flight: tuple[int, ...] = (1, 50)
    only: str = ""  # run only the tables whose title contains this


FULL = Settings(batches=15, calls=200, warmup=50)
QUICK = Settings(batches=2, calls=5, warmup=2, in_flight=(1, 4))


def run_all(settings: Settings, out: Callable[[str], None] = print) -> None:
    with loopback_server() as url:
        tables = llamacloud_tables(url, in_flight=settings.in_flight) + other_tables(url)
        skipped = [t for t in tables if settings.only not in t.title]
        tables = [t for t in tables if t not in skipped]
        out(
            f"per call: loopback server {url} (a child process: {Path(__file__).name} serve), "
            f"{settings.warmup} warm-up calls per stack, then {settings.batches} paired batches "
            f"of {settings.calls} calls per stack, order rotated each batch; cells: median "
            "(p25–p75) over batches; ratios: per batch to the floor, then median (p25–p75)"
        )
        loop = asyncio.new_event_loop()
        try:
            for table in tables:
                if table.is_async:
                    timings = loop.run_until_complete(
                        time_async(
                            table.stacks,
                            batches=settings.batches,
                            calls=settings.calls,
                            warmup=settings.warmup,
                            in_flight=table.in_flight,
                        )
                    )
                    memory = None
                else:
                    timings = time_sync(
                        table.stacks,
                        batches=settings.batches,
                        calls=settings.calls,
                        warmup=settings.warmup,
                    )
                    memory = [peak_memory(s, min(settings.calls, 50)) for s in table.stacks]
                out(render(table, timings, memory))
        finally:
            for table in tables + skipped:
                for close in table.closers:
                    result = close()
                    if asyncio.iscoroutine(result):
                        loop.run_until_complete(result)
            loop.close()


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["serve"]:
        asyncio.run(_serve())
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="tiny counts: a smoke run")
    parser.add_argument("--batches", type=int)
    parser.add_argument("--calls", type=int)
    parser.add_argument("--only", default="", help="only the tables whose title contains this")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else FULL
    settings = Settings(
        batches=args.batches or base.batches,
        calls=args.calls or base.calls,
        warmup=base.warmup,
        in_flight=base.in_flight,
        only=args.only,
    )
    run_all(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
