#!/usr/bin/env python3
"""Record live interactions with a provider into a VCR cassette that the contract tests replay.

    NUMIND_API_KEY=... python scripts/record_fixtures.py --provider numind
    RETAB_API_KEY=sandbox python scripts/record_fixtures.py --provider retab \\
        --base-url http://127.0.0.1:8700/retab
    python scripts/record_fixtures.py --provider contextual \\
        --input document_id=<uuid> --input schema_id=<uuid>

Opt-in and key-bound: it refuses to run without the provider's key (NUMIND_API_KEY,
LLAMA_CLOUD_API_KEY, RETAB_API_KEY, CONTEXTUAL_API_KEY). It drives the provider's operations
through the generated clients (start a job, poll it to the end, read it, its result, cancel a
second one, and a read-only request the provider must refuse) under vcrpy, and writes
tests/fixtures/<provider>/recorded/<name>.yaml with a top-level `docextract:` mapping
(`source: recorded`, when, against which base URL).

Secrets: `Authorization`, `Api-Key`, cookies and `Set-Cookie`, the `access_token` query parameter
and every occurrence of the key (as is, percent-encoded or JSON-escaped; in headers, URIs and
bodies) become `<redacted>` before anything is stored. The finished cassette is then searched for
the key in more forms than the scrubber rewrites (base64 too, inside binary bodies as well): if
any remains, nothing is written and the exit status is 3.

Exit status: 0 recorded; 1 the scenario stopped early (what was recorded is written, marked
`complete: false`); 2 usage error or no key; 3 refused: the cassette would contain the key.

This module also holds the cassette format helpers that scripts/fixtures_from_spec.py uses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import io
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from docextract.contract.cassettes import (
    CASSETTE_VERSION,
    PROVENANCE,
    load_cassette,
)
from docextract.contract.scrub import (
    SecretLeakError,
    assert_no_leak,
    scrub_request,
    scrub_response,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
PROVIDERS = ("numind", "llamacloud", "retab", "contextual")
KEY_ENV = {
    "numind": "NUMIND_API_KEY",
    "llamacloud": "LLAMA_CLOUD_API_KEY",
    "retab": "RETAB_API_KEY",
    "contextual": "CONTEXTUAL_API_KEY",
}

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_LEAK = 0, 1, 2, 3


class RecordingError(Exception):
    """The scenario could not go on (unexpected answer, job that never ends)."""


# ---------------------------------------------------------------- cassette format and scrubbing
# (docextract.contract: the pytest plugin's record mode uses the same)


def write_text_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


# ---------------------------------------------------------------- the sample document


def sample_pdf() -> bytes:
    """A small valid one-page PDF (an invoice line), used when --document is not given."""
    stream = b"BT /F1 14 Tf 72 720 Td (Invoice INV-2026-0042  Total 1284.50 EUR) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass(frozen=True)
class Document:
    content: bytes
    name: str
    mime_type: str

    def file(self, provider: str) -> Any:
        """The document as the `File` of `provider`'s generated client."""
        types = importlib.import_module(f"{provider}_client.types")
        return types.File(
            payload=io.BytesIO(self.content), file_name=self.name, mime_type=self.mime_type
        )


def load_document(path: str | None) -> Document:
    if path is None:
        return Document(sample_pdf(), "invoice.pdf", "application/pdf")
    file = Path(path)
    mime = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}
    return Document(
        file.read_bytes(), file.name, mime.get(file.suffix.lower(), "application/octet-stream")
    )


# ---------------------------------------------------------------- driving the generated clients


def import_generated(provider: str) -> ModuleType:
    """`<provider>_client`, from the installed package or from generated/ in this checkout."""
    for folder in (ROOT / "generated", ROOT / "overlay"):
        if str(folder) not in sys.path:
            sys.path.append(str(folder))
    return importlib.import_module(f"{provider}_client")


def spec_facts(provider: str) -> dict[str, Any]:
    facts: dict[str, Any] = importlib.import_module(f"{provider}_client.spec_facts").SPEC_FACTS
    return facts


@dataclass
class Session:
    """One recording: the client, the inputs, and a note for each request made."""

    provider: str
    client: Any
    inputs: dict[str, str]
    document: Document
    poll_interval: float
    max_polls: int
    stream: bool
    sleep: Callable[[float], None] = time.sleep
    log: Callable[[str], None] = print
    notes: list[dict[str, Any]] = field(default_factory=list)

    def op(self, operation_id: str) -> ModuleType:
        module: ModuleType = importlib.import_module(
            spec_facts(self.provider)["operations"][operation_id]["module"]
        )
        return module

    def call(self, step: str, operation_id: str, *args: Any, **kwargs: Any) -> Any:
        response = self.op(operation_id).sync_detailed(*args, client=self.client, **kwargs)
        self._note(step, operation_id, int(response.status_code))
        return response

    def call_raw(self, step: str, operation_id: str, **kwargs: Any) -> Any:
        """Send what the generated module builds without parsing the answer (event streams)."""
        request = self.op(operation_id)._get_kwargs(**kwargs)
        response = self.client.get_httpx_client().request(**request)
        self._note(step, operation_id, response.status_code)
        return response

    def _note(self, step: str, operation_id: str, status: int) -> None:
        self.notes.append({"operation": operation_id, "step": step})
        self.log(f"  {operation_id} [{step}] -> HTTP {status}")

    def value(self, name: str, default: str) -> str:
        return self.inputs.get(name, default)

    def poll(
        self,
        operation_id: str,
        job_id: Any,
        status_of: Callable[[Any], str],
        terminal: frozenset[str],
        **kwargs: Any,
    ) -> Any:
        """Read the job until it ends; repeated reads of the same status keep one note."""
        last: str | None = None
        for _ in range(self.max_polls):
            response = self.call("poll", operation_id, job_id, **kwargs)
            if response.status_code != 200:
                return response
            status = str(status_of(response.parsed))
            if status == last:
                self.notes[-1]["drop"] = True
            last = status
            if status in terminal:
                self.notes[-1].pop("drop", None)
                return response
            self.sleep(self.poll_interval)
        raise RecordingError(f"job still running after {self.max_polls} reads")


def expect(response: Any, status: int, what: str) -> Any:
    if int(response.status_code) != status or response.parsed is None:
        raise RecordingError(f"{what}: expected HTTP {status}, got {int(response.status_code)}")
    return response.parsed


def record_numind(s: Session) -> None:
    models = importlib.import_module("numind_client.models")
    terminal = frozenset({"completed", "failed", "error", "cancelled"})
    project = s.value("project_id", "4e1f8a52-2c4b-4b8e-8f0a-6d2b1c9e3f77")
    op_start = "post_api_structured_extraction_structuredextractionprojectid_jobs"
    started = s.call("start", op_start, project, body=s.document.file(s.provider), temperature=0.0)
    job_id = expect(started, 200, "start extraction").job_id
    s.poll("get_api_jobs_jobid_status", job_id, lambda job: job.status, terminal)
    s.call("stream an ended job", "get_api_jobs_jobid_stream", job_id)
    s.call("read", "get_api_jobs_jobid", job_id)
    s.call("result", "get_api_structured_extraction_jobs_structuredextractionjobid", job_id)
    body = models.PostApiMarkdownInferAsyncBody(file=s.document.file(s.provider))
    markdown = s.call("start", "post_api_markdown_infer_async", body=body)
    markdown_id = expect(markdown, 200, "start markdown").job_id
    s.call("cancel", "post_api_jobs_jobid_cancel", markdown_id)
    s.call("after cancel", "get_api_jobs_jobid_status", markdown_id)
    s.call("unknown job", "get_api_jobs_jobid_status", "00000000-0000-0000-0000-000000000000")


def record_llamacloud(s: Session) -> None:
    models = importlib.import_module("llamacloud_client.models")
    terminal = frozenset({"COMPLETED", "FAILED", "CANCELLED"})
    scope = {k: uuid.UUID(v) for k, v in s.inputs.items() if k in ("project_id",)}
    form = models.FileUploadForm(file=s.document.file(s.provider), purpose="extract")
    uploaded = expect(s.call("upload", "upload_file", body=form, **scope), 201, "upload")
    schema = {
        "type": "object",
        "properties": {"invoice_number": {"type": "string"}, "total": {"type": "number"}},
    }

    def create(step: str) -> Any:
        body = models.ExtractV2JobCreate(
            file_input=uploaded.id,
            configuration=models.ExtractConfiguration(
                data_schema=models.ExtractConfigurationDataSchema.from_dict(schema),
                tier=models.ExtractConfigurationTier.COST_EFFECTIVE,
                extraction_target=models.ExtractConfigurationExtractionTarget.PER_DOC,
            ),
        )
        return expect(s.call(step, "create_extract_job", body=body, **scope), 200, step)

    job = create("create")
    s.poll("get_extract_job", job.id, lambda j: j.status, terminal)
    expand = ["configuration", "extract_metadata", "usage"]
    s.call("read expanded", "get_extract_job", job.id, expand=expand)
    s.call("list", "list_extract_jobs", page_size=2)
    second = create("create to cancel")
    s.call("cancel", "cancel_extract_job", second.id)
    s.call("after cancel", "get_extract_job", second.id)
    s.call("delete", "delete_extract_job", second.id)
    s.call("invalid status", "list_extract_jobs", status=models.ListExtractJobsStatusType0("DONE"))


def record_retab(s: Session) -> None:
    models = importlib.import_module("retab_client.models")
    project = s.value("project_id", "proj_F0FE8DFqyouQdZXDTWRg0")
    body = models.ProjectExtractRequest(document=s.document.file(s.provider))
    if "model" in s.inputs:
        body.model = s.inputs["model"]
    key = str(uuid.uuid4())
    expect(
        s.call("extract", "extract_project", project, body=body, idempotency_key=key),
        200,
        "extract",
    )
    invalid = models.ProjectExtractRequest(temperature=2.5)
    s.call("invalid temperature", "extract_project", project, body=invalid)


def record_contextual(s: Session) -> None:
    models = importlib.import_module("contextual_client.models")
    terminal = frozenset({"completed", "failed", "cancelled"})
    request = models.ExtractJobRequest(
        document_id=uuid.UUID(s.value("document_id", "123e4567-e89b-12d3-a456-426614174000")),
        schema_id=uuid.UUID(s.value("schema_id", "987fcdeb-51a2-43d1-b456-426614174000")),
    )
    started = expect(
        s.call("start", "start_extraction_job_extract_jobs_post", body=request), 200, "start"
    )
    job_id = started.job_id
    op_status = "get_extraction_job_status_extract_jobs__job_id__get"
    s.poll(op_status, job_id, lambda j: j.status, terminal)
    s.call("results", "get_extraction_job_results_extract_jobs__job_id__results_get", job_id)
    s.call("not a UUID", op_status, "not-a-uuid")
    if s.stream:
        request.stream = True
        s.call_raw("start streaming", "start_extraction_job_extract_jobs_post", body=request)


SCENARIOS: dict[str, Callable[[Session], None]] = {
    "numind": record_numind,
    "llamacloud": record_llamacloud,
    "retab": record_retab,
    "contextual": record_contextual,
}


def make_client(provider: str, base_url: str, key: str, timeout: float) -> Any:
    import httpx

    package = import_generated(provider)
    security = spec_facts(provider)["security"]
    return package.AuthenticatedClient(
        base_url=base_url,
        token=key,
        prefix=security["prefix"],
        auth_header_name=security["header"],
        timeout=httpx.Timeout(timeout, connect=15.0),
    )


@dataclass(frozen=True)
class Options:
    provider: str
    base_url: str
    out: Path
    name: str
    inputs: dict[str, str]
    document: Document
    poll_interval: float
    max_polls: int
    timeout: float
    stream: bool


def record(
    options: Options,
    key: str,
    *,
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] = print,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> tuple[Path, Exception | None]:
    """Record one scenario; returns the cassette written and the error that stopped it early."""
    import httpx
    import vcr

    recorder = vcr.VCR(
        record_mode="all",
        decode_compressed_response=True,
        before_record_request=lambda request: scrub_request(request, key),
        before_record_response=lambda response: scrub_response(response, key),
    )
    started = now()
    error: Exception | None = None
    with tempfile.TemporaryDirectory(prefix="docextract-record-") as folder:
        scratch = Path(folder) / "cassette.yaml"
        with recorder.use_cassette(str(scratch)):
            client = make_client(options.provider, options.base_url, key, options.timeout)
            session = Session(
                options.provider,
                client,
                options.inputs,
                options.document,
                options.poll_interval,
                options.max_polls,
                options.stream,
                sleep,
                log,
            )
            with client:
                try:
                    SCENARIOS[options.provider](session)
                except (RecordingError, httpx.HTTPError) as exc:
                    error = exc
        if not scratch.exists():
            raise RecordingError(f"nothing was recorded ({error})")
        recorded = load_cassette(scratch.read_text(encoding="utf-8"))
    data = finish(recorded["interactions"], session.notes, options, started, error)
    text = assert_no_leak(data, key)
    path = options.out / options.name
    write_text_atomically(path, text)
    return path, error


def finish(
    interactions: list[dict[str, Any]],
    notes: list[dict[str, Any]],
    options: Options,
    started: dt.datetime,
    error: Exception | None,
) -> dict[str, Any]:
    """Attach each request's note, drop repeated identical polls, add the provenance."""
    kept = interactions
    if len(notes) == len(interactions):
        kept = []
        for interaction, note in zip(interactions, notes, strict=True):
            if not note.get("drop"):
                kept.append({**interaction, "note": note})
    facts = spec_facts(options.provider)
    metadata: dict[str, Any] = {
        "source": "recorded",
        "provider": options.provider,
        "recorded_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "base_url": options.base_url,
        "spec": f"specs/{options.provider}/openapi.yaml",
        "spec_version": facts["version"],
        "spec_server_url": facts["server_url"],
        "recorded_by": "scripts/record_fixtures.py",
        "complete": error is None,
    }
    if error is not None:
        metadata["stopped_by"] = f"{type(error).__name__}: {error}"
    return {"version": CASSETTE_VERSION, "interactions": kept, PROVENANCE: metadata}


# ---------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--provider", required=True, choices=PROVIDERS)
    parser.add_argument(
        "--base-url",
        help="where the provider answers (default: the spec's server URL); the sandbox serves "
        "provider P under http://127.0.0.1:PORT/P",
    )
    parser.add_argument("--out", type=Path, help="folder (default tests/fixtures/P/recorded)")
    parser.add_argument("--name", help="cassette file name (default recorded-<UTC time>.yaml)")
    parser.add_argument(
        "--input",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="scenario input: numind project_id; llamacloud project_id; retab project_id, "
        "model; contextual document_id, schema_id",
    )
    parser.add_argument("--document", help="document to send (default: a small sample PDF)")
    parser.add_argument("--poll-interval", type=float, default=2.0, help="seconds between reads")
    parser.add_argument("--max-polls", type=int, default=150, help="reads of a job at most")
    parser.add_argument("--timeout", type=float, default=300.0, help="read timeout, seconds")
    parser.add_argument(
        "--no-stream", action="store_true", help="contextual: skip the stream=true extraction"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, *, sleep: Callable[[float], None] = time.sleep) -> int:
    args = parse_args(argv)
    key = os.environ.get(KEY_ENV[args.provider], "").strip()
    if not key:
        print(
            f"refusing to record: {KEY_ENV[args.provider]} is not set (recording is opt-in)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    inputs = dict(item.split("=", 1) for item in args.input if "=" in item)
    if len(inputs) != len(args.input):
        print("--input takes NAME=VALUE", file=sys.stderr)
        return EXIT_USAGE
    now = dt.datetime.now(dt.UTC)
    options = Options(
        provider=args.provider,
        base_url=(args.base_url or spec_facts_for_cli(args.provider)).rstrip("/"),
        out=args.out or FIXTURES / args.provider / "recorded",
        name=args.name or f"recorded-{now:%Y%m%dT%H%M%SZ}.yaml",
        inputs=inputs,
        document=load_document(args.document),
        poll_interval=args.poll_interval,
        max_polls=args.max_polls,
        timeout=args.timeout,
        stream=not args.no_stream,
    )
    print(f"recording {args.provider} at {options.base_url}")
    try:
        path, error = record(options, key, sleep=sleep)
    except SecretLeakError as exc:
        print(f"refused, nothing written: {exc}", file=sys.stderr)
        return EXIT_LEAK
    except RecordingError as exc:
        print(f"nothing recorded: {exc}", file=sys.stderr)
        return EXIT_PARTIAL
    print(f"wrote {path}")
    if error is not None:
        print(f"the scenario stopped early: {error}", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


def spec_facts_for_cli(provider: str) -> str:
    import_generated(provider)
    server_url: str = spec_facts(provider)["server_url"]
    return server_url


if __name__ == "__main__":
    sys.exit(main())
