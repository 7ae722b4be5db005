"""The per-call half of scripts/bench.py: one read operation per provider, through each stack.

Each `Pair` holds the stacks that send the same request to the sandbox: docextract's `call()`
(what users get: validation, retries, redaction, typed errors), the bare generated
`sync_detailed` on a plain generated client (for reference), and the provider's own SDK when
it can make the request and read the sandbox's answer. When it cannot, the pair says why and
only the docextract side is measured.
"""

from __future__ import annotations

import gc
import io
import time
import tracemalloc
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

import httpx

import docextract
from docextract.calls import call
from docextract.providers import get_provider

SANDBOX_KEY = "sandbox"
DOCUMENT = b"""INVOICE INV-2024-0042
Date: 2024-03-15
Vendor: Acme Paper Supplies Ltd.
Total: 1,234.50 EUR
Status: PAID
"""
INVOICE_SCHEMA = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string"},
        "total_amount": {"type": "number"},
        "currency": {"type": "string"},
    },
}


@dataclass(frozen=True)
class Stack:
    """One way of making the pair's request. `call` makes it once; `check` tells whether the
    answer is the one expected (run once before timing, so that no stack is timed failing)."""

    label: str
    call: Callable[[], Any]
    check: Callable[[Any], bool]


@dataclass
class Pair:
    provider: str
    operation: str  # method and path, as the spec names them
    docextract: Stack
    bare: Stack
    sdk: Stack | None = None
    floor: Stack | None = None  # the same GET through a bare httpx.Client: no parsing at all
    skipped: str | None = None  # why there is no SDK stack
    note: str | None = None  # what differs about the SDK stack
    clients: list[Any] = field(default_factory=list)  # closed by `close`

    @property
    def stacks(self) -> list[Stack]:
        return [s for s in (self.docextract, self.bare, self.sdk) if s is not None]

    def close(self) -> None:
        for client in self.clients:
            client.close()


@dataclass(frozen=True)
class Jobs:
    """The jobs created (through docextract) for the read operations to read."""

    numind: str
    llamacloud: str
    contextual: str


# ---------------------------------------------------------------- setup


def docextract_clients(base_url: Callable[[str], str]) -> dict[str, Any]:
    return {
        name: docextract.client(name, api_key=SANDBOX_KEY, base_url=base_url(name))
        for name in ("numind", "llamacloud", "retab", "contextual")
    }


def create_jobs(clients: dict[str, Any]) -> Jobs:
    """One finished job per provider with jobs, created and waited for through docextract."""
    jobs = [
        docextract.submit(
            "numind",
            "structured",
            client=clients["numind"],
            document=DOCUMENT,
            project_id="numind-invoice",
        ),
        docextract.submit(
            "llamacloud",
            "extract",
            client=clients["llamacloud"],
            document=DOCUMENT,
            data_schema=INVOICE_SCHEMA,
        ),
        docextract.submit(
            "contextual",
            "extract",
            client=clients["contextual"],
            document_id=str(uuid.uuid5(uuid.NAMESPACE_URL, "bench-document")),
            schema_id=str(uuid.uuid5(uuid.NAMESPACE_URL, "bench-schema")),
        ),
    ]
    for job in jobs:
        docextract.wait(job, client=clients[job.provider], timeout="1m")
    ids = {job.provider: job.id for job in jobs}
    return Jobs(numind=ids["numind"], llamacloud=ids["llamacloud"], contextual=ids["contextual"])


def plain_client(provider: str, base_url: str) -> Any:
    """The generated AuthenticatedClient as openapi-python-client makes it: no retries, no hooks."""
    spec = get_provider(provider)
    return spec.package_module().AuthenticatedClient(
        base_url=base_url,
        token=SANDBOX_KEY,
        prefix=spec.auth_prefix,
        auth_header_name=spec.auth_header,
    )


def floor(provider: str, base_url: str, path: str) -> tuple[Stack, httpx.Client]:
    """The GET with nothing around it: what any httpx-based stack allocates at least."""
    spec = get_provider(provider)
    key = f"{spec.auth_prefix} {SANDBOX_KEY}" if spec.auth_prefix else SANDBOX_KEY
    http = httpx.Client(base_url=base_url, headers={spec.auth_header: key})
    return Stack("bare httpx GET", lambda: http.get(path), lambda r: r.is_success), http


def _probe(stack: Stack) -> str | None:
    """None if the stack answers as expected; else why not (one line)."""
    try:
        answer = stack.call()
    except Exception as exc:  # an SDK that cannot read the sandbox's answer
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return f"{type(exc).__name__}: {' / '.join(lines[:3])}"
    return None if stack.check(answer) else f"unexpected answer {answer!r:.120}"


def _with_sdk(pair: Pair, sdk: Stack, note: str | None = None) -> Pair:
    problem = _probe(sdk)
    if problem is None:
        pair.sdk, pair.note = sdk, note
    else:
        pair.skipped = f"{sdk.label} cannot read the sandbox's answer ({problem})"
    return pair


# ---------------------------------------------------------------- the four pairs


def llamacloud_pair(client: Any, base_url: str, job_id: str) -> Pair:
    import llama_cloud

    from llamacloud_client.api.extract import get_extract_job

    plain = plain_client("llamacloud", base_url)
    lowest, http = floor("llamacloud", base_url, f"/api/v2/extract/{job_id}")
    sdk = llama_cloud.LlamaCloud(api_key=SANDBOX_KEY, base_url=base_url)
    pair = Pair(
        "llamacloud",
        "GET /api/v2/extract/{job_id}",
        Stack(
            "docextract call()",
            lambda: call(client, "llamacloud", "get_extract_job", job_id=job_id),
            lambda r: r.parsed.id == job_id,
        ),
        Stack(
            "generated sync_detailed",
            lambda: get_extract_job.sync_detailed(job_id, client=plain),
            lambda r: r.parsed.id == job_id,
        ),
        floor=lowest,
        clients=[plain.get_httpx_client(), http, sdk],
    )
    return _with_sdk(
        pair,
        Stack(
            f"llama-cloud {version('llama-cloud')} extract.get",
            lambda: sdk.extract.get(job_id),
            lambda r: r.id == job_id,
        ),
    )


def contextual_pair(client: Any, base_url: str, job_id: str) -> Pair:
    import contextual

    from contextual_client.api.extract import (
        get_extraction_job_status_extract_jobs_job_id_get as get_status,
    )

    job_uuid = uuid.UUID(job_id)
    plain = plain_client("contextual", base_url)
    lowest, http = floor("contextual", base_url, f"/extract/jobs/{job_id}")
    sdk = contextual.ContextualAI(api_key=SANDBOX_KEY, base_url=base_url)
    pair = Pair(
        "contextual",
        "GET /extract/jobs/{job_id}",
        Stack(
            "docextract call()",
            lambda: call(
                client,
                "contextual",
                "get_extraction_job_status_extract_jobs__job_id__get",
                job_id=job_uuid,
            ),
            lambda r: str(r.parsed.job_id) == job_id,
        ),
        Stack(
            "generated sync_detailed",
            lambda: get_status.sync_detailed(job_uuid, client=plain),
            lambda r: str(r.parsed.job_id) == job_id,
        ),
        floor=lowest,
        clients=[plain.get_httpx_client(), http, sdk],
    )
    if hasattr(sdk, "extract"):
        pair.skipped = "the SDK now has an `extract` resource: call it here instead of client.get"
        return pair
    return _with_sdk(
        pair,
        Stack(
            f"contextual-client {version('contextual-client')} client.get",
            lambda: sdk.get(f"/extract/jobs/{job_id}", cast_to=object),
            lambda r: r["job_id"] == job_id,
        ),
        note="the SDK has no extract resource: its documented client.get for undocumented "
        "endpoints (retries, auth, errors; a dict, no typed model)",
    )


def numind_pair(client: Any, base_url: str, job_id: str) -> Pair:
    import numind

    from numind_client.api.jobs import get_api_jobs_jobid_status

    plain = plain_client("numind", base_url)
    lowest, http = floor("numind", base_url, f"/api/jobs/{job_id}/status")
    configuration = numind.Configuration(host=base_url, access_token=SANDBOX_KEY)
    sdk = numind.NuMind(configuration=configuration)
    pair = Pair(
        "numind",
        "GET /api/jobs/{jobId}/status",
        Stack(
            "docextract call()",
            lambda: call(client, "numind", "get_api_jobs_jobid_status", job_id=job_id),
            lambda r: r.parsed.id == job_id,
        ),
        Stack(
            "generated sync_detailed",
            lambda: get_api_jobs_jobid_status.sync_detailed(job_id, client=plain),
            lambda r: r.parsed.id == job_id,
        ),
        floor=lowest,
        clients=[plain.get_httpx_client(), http],
    )
    return _with_sdk(
        pair,
        Stack(
            f"numind {version('numind')} get_api_jobs_jobid_status",
            lambda: sdk.get_api_jobs_jobid_status(job_id),
            lambda r: r.id == job_id,
        ),
    )


def retab_pair(client: Any, base_url: str) -> Pair:
    import retab

    from retab_client.api.projects import extract_project
    from retab_client.models import ProjectExtractRequest
    from retab_client.types import File

    def body() -> ProjectExtractRequest:  # a new one each call: the upload reads the file
        document = File(io.BytesIO(DOCUMENT), file_name="invoice.txt", mime_type="text/plain")
        return ProjectExtractRequest(document=document)

    plain = plain_client("retab", base_url)
    sdk = retab.Retab(api_key=SANDBOX_KEY, base_url=base_url)
    params = {"project_id": "proj_invoice"}
    pair = Pair(
        "retab",
        "POST /v1/projects/extract/{project_id}",
        Stack(
            "docextract call()",
            lambda: call(
                client, "retab", "extract_project", body=body(), idempotency_key=_key(), **params
            ),
            lambda r: bool(r.parsed.choices),
        ),
        Stack(
            "generated sync_detailed",
            lambda: extract_project.sync_detailed(
                client=plain, body=body(), idempotency_key=_key(), **params
            ),
            lambda r: bool(r.parsed.choices),
        ),
        clients=[plain.get_httpx_client(), sdk],
    )
    resources = sorted(n for n in vars(sdk) if not n.startswith("_"))
    if "projects" in resources:
        pair.skipped = "the SDK now has a `projects` resource: call its extraction here"
    else:
        pair.skipped = (
            f"retab {version('retab')} has no method for this operation "
            f"(its resources: {', '.join(r for r in resources if r not in _SETTINGS)})"
        )
    return pair


_SETTINGS = {"api_key", "base_url", "timeout", "max_retries", "headers", "client"}


def _key() -> str:
    return str(uuid.uuid4())  # one per logical call, as providers.retab.retab_extract sends


def build_pairs(clients: dict[str, Any], base_url: Callable[[str], str], jobs: Jobs) -> list[Pair]:
    return [
        llamacloud_pair(clients["llamacloud"], base_url("llamacloud"), jobs.llamacloud),
        contextual_pair(clients["contextual"], base_url("contextual"), jobs.contextual),
        numind_pair(clients["numind"], base_url("numind"), jobs.numind),
        retab_pair(clients["retab"], base_url("retab")),
    ]


def check_stacks(pair: Pair) -> None:
    for stack in (pair.docextract, pair.bare):
        problem = _probe(stack)
        if problem is not None:
            raise RuntimeError(f"{pair.provider} {stack.label}: {problem}")


# ---------------------------------------------------------------- measuring


@dataclass
class Timings:
    """Per batch: seconds per call, wall clock and this process's CPU."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def time_stacks(stacks: list[Stack], *, batches: int, calls: int, warmup: int) -> list[Timings]:
    """Warm every stack up, then interleave batches: each batch runs every stack `calls` times
    in turn, the order reversed every other batch."""
    for stack in stacks:
        for _ in range(warmup):
            stack.call()
    results = [Timings() for _ in stacks]
    for batch in range(batches):
        order = list(range(len(stacks)))
        if batch % 2:
            order.reverse()
        for index in order:
            wall, cpu = _time_batch(stacks[index].call, calls)
            results[index].wall.append(wall)
            results[index].cpu.append(cpu)
    return results


def _time_batch(make_call: Callable[[], Any], calls: int) -> tuple[float, float]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        make_call()
    return (time.perf_counter() - wall) / calls, (time.process_time() - cpu) / calls


@dataclass(frozen=True)
class Memory:
    """tracemalloc, per call: the peak of memory allocated during the call (over what was
    allocated before it), and what stayed allocated after it (averaged over the calls)."""

    peaks: list[int]
    retained: float


def memory_of(stack: Stack, calls: int) -> Memory:
    """A pass of its own, never timed: tracing slows every allocation down."""
    tracemalloc.start()
    try:
        stack.call()  # anything first use caches is allocated before the count starts
        gc.collect()
        start = tracemalloc.get_traced_memory()[0]
        peaks = []
        for _ in range(calls):
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            stack.call()
            peaks.append(tracemalloc.get_traced_memory()[1] - before)
        gc.collect()
        retained = (tracemalloc.get_traced_memory()[0] - start) / calls
    finally:
        tracemalloc.stop()
    return Memory(peaks, retained)
