#!/usr/bin/env python3
"""Build the reference cassettes, tests/fixtures/<provider>/reference/<operationId>.yaml, from the
examples of the vendored specs (which come from the providers' references).

    python scripts/fixtures_from_spec.py           # write them
    python scripts/fixtures_from_spec.py --check   # fail, listing files, if they are stale

One cassette per operation, one interaction per case: every documented response status, and
every job status of every provider. Each cassette says `source: reference` in its top-level
`docextract:` mapping (the provenance, where vcrpy and pytest-recording ignore it); each
interaction has a `note:` naming its operation, its case, the spec example it comes from (a
JSON pointer into the spec) and, when the example was changed to make the case (a status value
set, a field added), how. Requests are what a client sends to the spec's server
URL: credentials as the literal `<redacted>`, JSON bodies, multipart bodies (a fixed boundary, so
the output is reproducible) and raw bytes. The output is deterministic: same specs, same bytes.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from record_fixtures import write_text_atomically

from docextract.contract.cassettes import dump_cassette
from docextract.contract.scrub import REDACTED

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
FIXTURES = ROOT / "tests" / "fixtures"
BOUNDARY = "docextract-reference-boundary"
NO_BODY = object()

# Bytes no text decoder would keep intact: the cassette stores them as !!binary.
PDF = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
# A PDF of ASCII bytes only, for multipart bodies: the cassette then shows them as text.
TEXT_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@dataclass(frozen=True)
class Part:
    """One multipart part: a form field, or a file when `filename` is set."""

    name: str
    value: bytes | str
    filename: str | None = None
    content_type: str | None = None


@dataclass
class Case:
    operation: str
    case: str
    status: int
    path: dict[str, str] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    json_body: Any = NO_BODY
    parts: list[Part] | None = None
    raw_body: bytes | None = None
    response_type: str | None = "application/json"
    response_body: Any = None
    example: str | None = None
    derived: str | None = None
    client_cannot_send: str | None = None


class SpecGap(Exception):
    """The spec lacks something a cassette is built from; the message names it."""


class _Operations(dict[str, tuple[str, str, dict[str, Any]]]):
    """Operations by ID; an ID the spec does not have is a SpecGap naming it and those it has."""

    def __missing__(self, operation: str) -> tuple[str, str, dict[str, Any]]:
        known = ", ".join(sorted(self))
        raise SpecGap(f"operation {operation!r} is not in the spec (it has: {known})")


class Spec:
    """One vendored spec: its operations and its examples."""

    def __init__(self, provider: str) -> None:
        self.provider = provider
        self.doc: dict[str, Any] = yaml.safe_load(
            (SPECS / provider / "openapi.yaml").read_text(encoding="utf-8")
        )
        self.server_url: str = self.doc["servers"][0]["url"].rstrip("/")
        self.operations = _Operations(
            (op["operationId"], (method.upper(), path, op))
            for path, item in self.doc["paths"].items()
            for method, op in item.items()
            if isinstance(op, dict) and "operationId" in op
        )
        scheme = next(iter(self.doc["components"]["securitySchemes"].values()))
        self.auth_header = scheme["name"] if scheme["type"] == "apiKey" else "Authorization"

    def resolve(self, pointer: str) -> tuple[Any, str]:
        """The node at `pointer` (`#/paths/...`), following `$ref`s; and its final pointer."""
        node: Any = self.doc
        for token in pointer.removeprefix("#/").split("/"):
            try:
                node = node[token.replace("~1", "/").replace("~0", "~")]
            except (KeyError, IndexError, TypeError):
                raise SpecGap(f"{pointer} is not in the spec") from None
        while isinstance(node, dict) and "$ref" in node:
            pointer = node["$ref"]
            node, pointer = self.resolve(pointer)
        return node, pointer

    def example(
        self, operation: str, status: str, name: str = "seed", media: str = "application/json"
    ) -> tuple[Any, str]:
        """A response example's value (a copy) and the pointer it lives at."""
        method, path, _ = self.operations[operation]
        escaped = path.replace("~", "~0").replace("/", "~1")
        response, _ = self.resolve(f"#/paths/{escaped}/{method.lower()}/responses/{status}")
        try:
            node = response["content"][media]["examples"][name]
        except (KeyError, TypeError):
            where = f"{method} {path} ({operation}) response {status} {media}"
            raise SpecGap(f"{where} has no example {name!r}") from None
        pointer = f"#/paths/{escaped}/{method.lower()}/responses/{status}/content/"
        pointer += f"{media.replace('/', '~1')}/examples/{name}"
        if "$ref" in node:
            node, pointer = self.resolve(node["$ref"])
        return copy.deepcopy(node["value"]), pointer

    def request_example(self, operation: str, name: str = "seed") -> tuple[Any, str]:
        method, path, op = self.operations[operation]
        escaped = path.replace("~", "~0").replace("/", "~1")
        try:
            value = op["requestBody"]["content"]["application/json"]["examples"][name]["value"]
        except (KeyError, TypeError):
            where = f"{method} {path} ({operation}) request body application/json"
            raise SpecGap(f"{where} has no example {name!r}") from None
        pointer = f"#/paths/{escaped}/{method.lower()}/requestBody/content/"
        pointer += f"application~1json/examples/{name}"
        return copy.deepcopy(value), pointer


# ---------------------------------------------------------------- interactions


def build_request(spec: Spec, case: Case) -> dict[str, Any]:
    method, template, _ = spec.operations[case.operation]
    path = template.format(**{name: quote(value, safe="") for name, value in case.path.items()})
    uri = spec.server_url + path
    if case.query:
        uri += "?" + urlencode(case.query, quote_via=quote)
    headers: dict[str, list[str]] = {spec.auth_header: [REDACTED]}
    headers.update({name: [value] for name, value in case.headers.items()})
    body: Any = None
    if case.json_body is not NO_BODY:
        body = json.dumps(case.json_body, ensure_ascii=False, separators=(",", ":"))
        headers["Content-Type"] = ["application/json"]
    elif case.parts is not None:
        content_type = f"multipart/form-data; boundary={BOUNDARY}"
        files = [(part.name, (part.filename, part.value, part.content_type)) for part in case.parts]
        encoded = httpx.Request(method, uri, files=files, headers={"Content-Type": content_type})
        body = encoded.read()
        headers["Content-Type"] = [content_type]
    elif case.raw_body is not None:
        body = case.raw_body
        headers["Content-Type"] = ["application/octet-stream"]
    if isinstance(body, str | bytes):
        headers["Content-Length"] = [str(len(body.encode() if isinstance(body, str) else body))]
    return {"method": method, "uri": uri, "body": body, "headers": headers}


def build_response(case: Case) -> dict[str, Any]:
    headers: dict[str, list[str]] = {}
    body = ""
    if case.response_type == "application/json":
        body = json.dumps(case.response_body, ensure_ascii=False, indent=None)
    elif case.response_type is not None:
        body = case.response_body
    if case.response_type is not None:
        charset = "; charset=utf-8" if case.response_type.startswith("text/") else ""
        headers["Content-Type"] = [case.response_type + charset]
    headers["Content-Length"] = [str(len(body.encode()))]
    return {
        "status": {"code": case.status, "message": HTTPStatus(case.status).phrase},
        "headers": headers,
        "body": {"string": body},
    }


def build_note(case: Case) -> dict[str, Any]:
    note: dict[str, Any] = {"operation": case.operation, "case": case.case}
    if case.example:
        note["example"] = case.example
    if case.derived:
        note["derived"] = case.derived
    if case.client_cannot_send:
        note["client_cannot_send"] = case.client_cannot_send
    return note


def cassettes(spec: Spec, cases: list[Case]) -> dict[str, str]:
    """File name → cassette text, one per operation, interactions in case order."""
    out: dict[str, str] = {}
    for operation in spec.operations:
        mine = [case for case in cases if case.operation == operation]
        if not mine:
            raise SystemExit(f"{spec.provider}: no reference case for {operation}")
        interactions = [
            {
                "request": build_request(spec, c),
                "response": build_response(c),
                "note": build_note(c),
            }
            for c in mine
        ]
        metadata = {
            "source": "reference",
            "provider": spec.provider,
            "operation": operation,
            "spec": f"specs/{spec.provider}/openapi.yaml",
            "spec_version": str(spec.doc["info"]["version"]),
            "base_url": spec.server_url,
            "built_by": "scripts/fixtures_from_spec.py",
            "about": "Built from the spec's examples (which come from the provider's reference); "
            "interactions whose note says `derived` change an example as stated.",
        }
        out[f"{operation}.yaml"] = dump_cassette(interactions, metadata)
    unknown = {case.operation for case in cases} - set(spec.operations)
    if unknown:
        raise SystemExit(f"{spec.provider}: cases for unknown operations {sorted(unknown)}")
    return out


def sse(events: list[tuple[str, Any]]) -> str:
    blocks = []
    for name, data in events:
        payload = "" if data is None else json.dumps(data, separators=(",", ":"))
        blocks.append(f"event: {name}\ndata: {payload}\n")
    return "\n".join(blocks) + "\n"


def without(value: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k not in names}


# ---------------------------------------------------------------- NuMind


def numind_cases(spec: Spec) -> list[Case]:
    project = "4e1f8a52-2c4b-4b8e-8f0a-6d2b1c9e3f77"
    job = "0b6f2f3e-5d0c-4c1e-9a57-2f8f6c1d7a10"
    start = "post_api_structured_extraction_structuredextractionprojectid_jobs"
    result = "get_api_structured_extraction_jobs_structuredextractionjobid"
    started, started_at = spec.example(start, "200")
    cases = [
        Case(
            start,
            "200 job started, every parameter",
            200,
            path={"structuredExtractionProjectId": project},
            query=[
                ("temperature", "1.5"),
                ("dpi", "200"),
                ("maxOutputTokens", "Unlimited"),
                ("maxExampleTokenNumber", "2048"),
                ("maxExampleNumber", "3"),
                ("minExampleSimilarity", "0.8"),
                ("enableThinking", "true"),
                ("thinkingTokenBudget", "8000"),
                ("loopDetection", "true"),
                ("randomSeed", "99"),
                ("imageWidth", "automatic"),
                ("timeout", "1h30m"),
            ],
            raw_body=PDF,
            response_body=started,
            example=started_at,
        ),
        Case(
            start,
            "200 job started on a text document, project settings",
            200,
            path={"structuredExtractionProjectId": project},
            raw_body="Invoice INV-2026-0042 — total 1 284,50 €\n".encode(),
            response_body=started,
            example=started_at,
        ),
    ]
    message, pointer = spec.example(start, "400", media="text/plain")
    cases.append(
        Case(
            start,
            "400 invalid temperature",
            400,
            path={"structuredExtractionProjectId": project},
            query=[("temperature", "3.4")],
            raw_body=PDF,
            response_type="text/plain",
            response_body=message,
            example=pointer,
        )
    )
    for status, label in ((403, "403 no inference right"), (404, "404 no such project")):
        cases.append(
            Case(
                start,
                label,
                status,
                path={"structuredExtractionProjectId": project},
                raw_body=PDF,
                response_type=None,
                derived="the spec documents no body for this status",
            )
        )
    for status, name in (("200", "seed"), ("206", "seed")):
        value, pointer = spec.example(result, status, name)
        label = "200 conforming result" if status == "200" else "206 non-conforming raw output"
        cases.append(
            Case(
                result,
                label,
                int(status),
                path={"structuredExtractionJobId": job},
                response_body=value,
                example=pointer,
            )
        )
    cases += [
        Case(
            result,
            f"{status} refused",
            status,
            path={"structuredExtractionJobId": job},
            response_type=None,
            derived="the spec documents no body for this status",
        )
        for status in (403, 404)
    ]

    markdown = "post_api_markdown_infer_async"
    page = [Part("file", PNG, "scan-page-1.png", "image/png")]
    md_message, md_pointer = spec.example(markdown, "400", media="text/plain")
    cases += [
        Case(
            markdown,
            "200 job started",
            200,
            query=[
                ("temperature", "0.0"),
                ("rasterizationDPI", "170"),
                ("maxOutputTokens", "4096"),
                ("timeout", "10s"),
            ],
            parts=page,
            response_body=started,
            example=started_at,
        ),
        Case(
            markdown,
            "400 DPI out of range",
            400,
            query=[("temperature", "0.0"), ("rasterizationDPI", "301")],
            parts=page,
            response_type="text/plain",
            response_body=md_message,
            example=md_pointer,
        ),
    ]

    get_job = "get_api_jobs_jobid"
    completed, completed_at = spec.example(get_job, "200")
    md_done, md_done_at = spec.example(get_job, "200", "seed-markdown")
    cases += [
        Case(
            get_job,
            "200 completed extraction job",
            200,
            path={"jobId": job},
            response_body=completed,
            example=completed_at,
        ),
        Case(
            get_job,
            "200 completed markdown job",
            200,
            path={"jobId": md_done["id"]},
            response_body=md_done,
            example=md_done_at,
        ),
    ]
    ended = "2026-11-23T10:15:09Z"
    variants: list[tuple[str, dict[str, Any], str]] = [
        (
            "running",
            {"updatedAt": "2026-11-23T10:15:04Z"},
            "status running; no outputData nor completedAt yet",
        ),
        (
            "failed",
            {
                "errorMessage": "The document could not be read",
                "errorCode": "INVALID_FILE",
                "completedAt": ended,
            },
            "status failed with errorMessage and errorCode",
        ),
        (
            "error",
            {"errorMessage": "Inference timed out", "errorCode": "TIMEOUT", "completedAt": ended},
            "status error with errorMessage and errorCode",
        ),
        (
            "cancelled",
            {"completedAt": "2026-11-23T10:15:05Z", "updatedAt": "2026-11-23T10:15:05Z"},
            "status cancelled",
        ),
    ]
    for status, extra, how in variants:
        body = {**without(completed, "outputData", "completedAt"), "status": status, **extra}
        cases.append(
            Case(
                get_job,
                f"200 {status} job",
                200,
                path={"jobId": job},
                response_body=body,
                example=completed_at,
                derived=how,
            )
        )
    cases += [
        Case(
            get_job,
            f"{s} refused",
            s,
            path={"jobId": job},
            response_type=None,
            derived="the spec documents no body for this status",
        )
        for s in (403, 404)
    ]

    get_status = "get_api_jobs_jobid_status"
    running, running_at = spec.example(get_status, "200")
    cases.append(
        Case(
            get_status,
            "200 running",
            200,
            path={"jobId": job},
            response_body=running,
            example=running_at,
        )
    )
    status_variants: list[tuple[str, dict[str, Any]]] = [
        ("pending", {}),
        ("completed", {"completedAt": ended, "updatedAt": ended}),
        (
            "failed",
            {
                "completedAt": ended,
                "updatedAt": ended,
                "errorMessage": "The document could not be read",
                "errorCode": "INVALID_FILE",
            },
        ),
        (
            "error",
            {
                "completedAt": ended,
                "updatedAt": ended,
                "errorMessage": "Inference timed out",
                "errorCode": "TIMEOUT",
            },
        ),
        ("cancelled", {"completedAt": "2026-11-23T10:15:05Z", "updatedAt": "2026-11-23T10:15:05Z"}),
    ]
    for status, extra in status_variants:
        cases.append(
            Case(
                get_status,
                f"200 {status}",
                200,
                path={"jobId": job},
                response_body={**running, "status": status, **extra},
                example=running_at,
                derived=f"status {status}",
            )
        )
    cases += [
        Case(
            get_status,
            f"{s} refused",
            s,
            path={"jobId": job},
            response_type=None,
            derived="the spec documents no body for this status",
        )
        for s in (403, 404)
    ]
    cases.append(
        Case(
            get_status,
            "503 any other answer (default)",
            503,
            path={"jobId": job},
            response_type=None,
            derived="the `default` response; no body documented",
        )
    )

    stream = "get_api_jobs_jobid_stream"
    text, text_at = spec.example(stream, "200", media="text/event-stream")
    failed_job = {
        **without(completed, "outputData"),
        "status": "failed",
        "errorMessage": "The document could not be read",
        "errorCode": "INVALID_FILE",
    }
    cases += [
        Case(
            stream,
            "200 ping then result of a completed job",
            200,
            path={"jobId": job},
            response_type="text/event-stream",
            response_body=text,
            example=text_at,
        ),
        Case(
            stream,
            "200 result of a failed job",
            200,
            path={"jobId": job},
            response_type="text/event-stream",
            response_body=sse([("result", failed_job)]),
            example=completed_at,
            derived="one `result` event carrying the job, status failed",
        ),
        Case(
            stream,
            "200 error event (timeout)",
            200,
            path={"jobId": job},
            response_type="text/event-stream",
            response_body=sse(
                [
                    ("ping", None),
                    (
                        "error",
                        {
                            "code": "TIMEOUT",
                            "message": "The job did not end within the stream's timeout",
                        },
                    ),
                ]
            ),
            derived="a ping, then an `error` event (events.schema.json#/$defs/JobStreamError); "
            "the spec has no example of it",
        ),
    ]
    cases += [
        Case(
            stream,
            f"{s} refused",
            s,
            path={"jobId": job},
            response_type=None,
            derived="the spec documents no body for this status",
        )
        for s in (403, 404)
    ]

    cancel = "post_api_jobs_jobid_cancel"
    cancelled, cancelled_at = spec.example(cancel, "200")
    cases.append(
        Case(
            cancel,
            "200 cancelled",
            200,
            path={"jobId": job},
            response_body=cancelled,
            example=cancelled_at,
        )
    )
    cases += [
        Case(
            cancel,
            f"{s} refused",
            s,
            path={"jobId": job},
            response_type=None,
            derived="the spec documents no body for this status",
        )
        for s in (403, 404)
    ]
    return cases


# ---------------------------------------------------------------- LlamaCloud


def llamacloud_cases(spec: Spec) -> list[Case]:
    project = "c3a1f6d2-8b4e-4f7a-9d0c-1e2f3a4b5c6d"
    job = "ext-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
    upload = "upload_file"
    uploaded, uploaded_at = spec.example(upload, "201")
    invoice = Part("file", TEXT_PDF, "invoice.pdf", "application/pdf")
    cases = [
        Case(
            upload,
            "201 uploaded for extraction",
            201,
            query=[("project_id", project)],
            parts=[
                invoice,
                Part("purpose", "extract"),
                Part("external_file_id", "invoice-2019-12"),
            ],
            response_body=uploaded,
            example=uploaded_at,
        ),
        Case(
            upload,
            "422 unknown purpose",
            422,
            parts=[invoice, Part("purpose", "receipts")],
            response_body={
                "detail": [
                    {
                        "loc": ["body", "purpose"],
                        "type": "enum",
                        "msg": "Input should be 'extract', 'user_data', 'parse', 'split', "
                        "'classify', 'sheet' or 'agent_app'",
                    }
                ]
            },
            example="#/components/responses/ValidationError/content/application~1json/examples/seed",
            derived="the shared validation example, located at the multipart `purpose` field",
        ),
    ]

    create = "create_extract_job"
    request, request_at = spec.request_example(create)
    created, created_at = spec.example(create, "200")
    cases += [
        Case(
            create,
            "200 job created with an inline configuration",
            200,
            json_body=request,
            response_body=created,
            example=created_at,
            derived=f"request body: {request_at}",
        ),
        Case(
            create,
            "200 job created with a saved configuration",
            200,
            query=[("project_id", project)],
            json_body={
                "file_input": request["file_input"],
                "configuration_id": "cfg-11111111-2222-3333-4444-555555555555",
            },
            response_body={
                **created,
                "configuration_id": "cfg-11111111-2222-3333-4444-555555555555",
            },
            example=created_at,
            derived="configuration_id given instead of configuration",
        ),
        Case(
            create,
            "422 max_pages below 1",
            422,
            json_body={**request, "configuration": {**request["configuration"], "max_pages": 0}},
            response_body={
                "detail": [
                    {
                        "loc": ["body", "configuration", "max_pages"],
                        "msg": "Input should be greater than or equal to 1",
                        "type": "greater_than_equal",
                    }
                ]
            },
            example="#/components/responses/ValidationError/content/application~1json/examples/seed",
            derived="the shared validation example, located at configuration.max_pages",
        ),
    ]

    get = "get_extract_job"
    full, full_at = spec.example(get, "200")
    expand = [("expand", "configuration"), ("expand", "extract_metadata")]
    cases.append(
        Case(
            get,
            "200 COMPLETED, expanded",
            200,
            path={"job_id": job},
            query=expand,
            response_body=full,
            example=full_at,
        )
    )
    plain = without(full, "configuration", "extract_metadata", "usage")
    in_progress = {**plain, "error_message": None, "extract_result": None, "metadata": None}
    for status in ("PENDING", "THROTTLED", "RUNNING"):
        cases.append(
            Case(
                get,
                f"200 {status}",
                200,
                path={"job_id": job},
                response_body={**in_progress, "status": status},
                example=full_at,
                derived=f"status {status}, no result yet, not expanded",
            )
        )
    cases += [
        Case(
            get,
            "200 COMPLETED per page",
            200,
            path={"job_id": job},
            response_body={
                **plain,
                "error_message": None,
                "extract_result": [{"total": 120.5}, {"total": 80}],
            },
            example=full_at,
            derived="a per_page result: a list of records",
        ),
        Case(
            get,
            "200 FAILED",
            200,
            path={"job_id": job},
            response_body={
                **in_progress,
                "status": "FAILED",
                "error_message": "The document could not be parsed",
            },
            example=full_at,
            derived="status FAILED with error_message",
        ),
        Case(
            get,
            "200 CANCELLED",
            200,
            path={"job_id": job},
            response_body={**in_progress, "status": "CANCELLED"},
            example=full_at,
            derived="status CANCELLED",
        ),
        Case(
            get,
            "422 unknown expand value",
            422,
            path={"job_id": job},
            query=[("expand", "everything")],
            response_body={
                "detail": [
                    {
                        "loc": ["query", "expand", 0],
                        "type": "enum",
                        "msg": "Input should be 'configuration', 'extract_metadata' or 'usage'",
                    }
                ]
            },
            example="#/components/responses/ValidationError/content/application~1json/examples/seed",
            derived="the shared validation example, located at the expand parameter",
        ),
    ]

    cancel = "cancel_extract_job"
    cancelled, cancelled_at = spec.example(cancel, "200")
    cases += [
        Case(
            cancel,
            "200 CANCELLED",
            200,
            path={"job_id": job},
            response_body=cancelled,
            example=cancelled_at,
        ),
        Case(
            cancel,
            "422 invalid job id",
            422,
            path={"job_id": "not a job"},
            response_body={
                "detail": [
                    {
                        "loc": ["path", "job_id"],
                        "type": "value_error",
                        "msg": "Value error, invalid job ID",
                    }
                ]
            },
            example="#/components/responses/ValidationError/content/application~1json/examples/seed",
            derived="the shared validation example, located at the job_id path parameter",
        ),
    ]

    listing = "list_extract_jobs"
    page, page_at = spec.example(listing, "200")
    _, invalid_at = spec.example(listing, "422")
    running_job = {
        **in_progress,
        "id": "ext-bbbbbbbb-cccc-dddd-eeee-ffffffffffff",
        "status": "RUNNING",
    }
    failed_job = {
        **in_progress,
        "status": "FAILED",
        "error_message": "The document could not be parsed",
        "configuration": full["configuration"],
    }
    cases += [
        Case(
            listing,
            "200 first page",
            200,
            query=[("page_size", "1")],
            response_body=page,
            example=page_at,
        ),
        Case(
            listing,
            "200 last page",
            200,
            query=[("page_size", "1"), ("page_token", "next_page_token")],
            response_body={"items": [running_job], "next_page_token": None, "total_size": 2},
            example=page_at,
            derived="the second page: a RUNNING job, next_page_token null",
        ),
        Case(
            listing,
            "200 FAILED jobs, expanded",
            200,
            query=[("status", "FAILED"), ("expand", "configuration"), ("project_id", project)],
            response_body={"items": [failed_job]},
            example=page_at,
            derived="filtered on FAILED: one job with its configuration; no token, no total",
        ),
        Case(
            listing,
            "200 jobs of one file and configuration",
            200,
            query=[
                ("file_input", full["file_input"]),
                ("configuration_id", "cfg-11111111-2222-3333-4444-555555555555"),
            ],
            response_body={"items": [page["items"][0]], "next_page_token": None, "total_size": 1},
            example=page_at,
            # not job_ids: Prism (5.x) cannot match a repeated query value to anyOf[array, null]
            derived="filtered on file_input and configuration_id: the one completed job",
        ),
        Case(
            listing,
            "422 unknown status",
            422,
            query=[("status", "DONE")],
            response_body={
                "detail": [
                    {
                        "loc": ["query", "status"],
                        "type": "enum",
                        "msg": "Input should be 'PENDING', 'THROTTLED', 'RUNNING', 'COMPLETED', "
                        "'FAILED' or 'CANCELLED'",
                    }
                ]
            },
            example=invalid_at,
            derived="the shared validation example, located at the status parameter",
        ),
    ]

    delete = "delete_extract_job"
    deleted, deleted_at = spec.example(delete, "200")
    cases += [
        Case(
            delete,
            "200 deleted",
            200,
            path={"job_id": job},
            response_body=deleted,
            example=deleted_at,
        ),
        Case(
            delete,
            "422 invalid project id",
            422,
            path={"job_id": job},
            query=[("project_id", "not-a-uuid")],
            response_body={
                "detail": [
                    {
                        "loc": ["query", "project_id"],
                        "type": "uuid_parsing",
                        "msg": "Input should be a valid UUID",
                    }
                ]
            },
            example="#/components/responses/ValidationError/content/application~1json/examples/seed",
            derived="the shared validation example, located at the project_id parameter",
        ),
    ]
    return cases


# ---------------------------------------------------------------- Retab


def retab_cases(spec: Spec) -> list[Case]:
    project = "proj_F0FE8DFqyouQdZXDTWRg0"
    op = "extract_project"
    completion, completion_at = spec.example(op, "200")
    invalid, invalid_at = spec.example(op, "422", "invalid_temperature")
    document = Part("document", TEXT_PDF, "invoice.pdf", "application/pdf")
    full = {
        **completion,
        "service_tier": "default",
        "system_fingerprint": "fp_44709d6fcb",
        "requires_human_review": True,
        "request_at": "2025-04-10T20:22:17.120Z",
        "first_token_at": "2025-04-10T20:22:22.482Z",
        "last_token_at": "2025-04-10T20:22:22.482Z",
        "extraction_id": "ext_custom_0042",
    }
    return [
        Case(
            op,
            "200 extraction",
            200,
            path={"project_id": project},
            headers={"Idempotency-Key": "8f14e45f-ceea-467f-a0e6-2d6b5f3c9a10"},
            parts=[
                document,
                Part("model", "gpt-4o-mini"),
                Part("n_consensus", "3"),
                Part("store", "true"),
            ],
            response_body=completion,
            example=completion_at,
        ),
        Case(
            op,
            "200 extraction flagged for review, every field",
            200,
            path={"project_id": project},
            query=[("access_token", REDACTED)],
            parts=[
                document,
                Part("model", "gpt-4o-mini"),
                Part("temperature", "0.0"),
                Part("image_resolution_dpi", "150"),
                Part("n_consensus", "3"),
                Part("seed", "42"),
                Part("store", "false"),
                Part("metadata", '{"customer":"acme","batch":7}'),
                Part("extraction_id", "ext_custom_0042"),
            ],
            response_body=full,
            example=completion_at,
            derived="requires_human_review true, service_tier, system_fingerprint, timestamps; "
            "the access_token query parameter is redacted like a key",
        ),
        Case(
            op,
            "422 temperature above 2",
            422,
            path={"project_id": project},
            parts=[document, Part("temperature", "2.5")],
            response_body=invalid,
            example=invalid_at,
        ),
    ]


# ---------------------------------------------------------------- Contextual AI


def contextual_cases(spec: Spec) -> list[Case]:
    start = "start_extraction_job_extract_jobs_post"
    status_op = "get_extraction_job_status_extract_jobs__job_id__get"
    results_op = "get_extraction_job_results_extract_jobs__job_id__results_get"
    request, request_at = spec.request_example(start)
    job, job_at = spec.example(start, "200")
    missing, missing_at = spec.example(start, "422", "missing_schema_id")
    limit, limit_at = spec.example(start, "429", "concurrency_limit")
    results, results_at = spec.example(results_op, "200")
    bare = without(request, "config")
    streaming = {
        **bare,
        "stream": True,
        "config": {"model": "gemini-2.5-pro", "per_key_attribution": True},
    }
    events = sse(
        [
            (
                "start",
                {
                    "job_id": job["job_id"],
                    "total_subtrees": 3,
                    "start_time": "2025-01-11T18:35:00Z",
                },
            ),
            (
                "subtree_result",
                {
                    "extracted_result": {"company_name": "Acme Corporation", "fiscal_year": 2024},
                    "attributions": {"company_name": results["attributions"]["company_name"]},
                    "usage_metadata": {"input_tokens": 18211, "output_tokens": 402},
                },
            ),
            ("agentic_array_progress", {"path": "executives", "items_extracted": 1}),
            (
                "subtree_result",
                {
                    "extracted_result": {"executives": results["results"]["executives"]},
                    "attributions": None,
                    "usage_metadata": None,
                },
            ),
            (
                "subtree_error",
                {
                    "error_message": "The revenue table could not be read",
                    "error_type": "ExtractionError",
                },
            ),
        ]
    )
    nil = "00000000-0000-0000-0000-000000000000"
    cases = [
        Case(
            start,
            "200 job created",
            200,
            json_body=request,
            response_body=job,
            example=job_at,
            derived=f"request body: {request_at}",
        ),
        Case(
            start,
            "200 event stream (stream=true)",
            200,
            json_body=streaming,
            response_type="text/event-stream",
            response_body=events,
            example="events.schema.json#/$defs",
            derived="the spec has no stream example: one event of each kind "
            "(events.schema.json), values from the spec's other examples; "
            "agentic_array_progress fields are illustrative (the reference names none)",
        ),
        Case(
            start,
            "400 document_id not accepted",
            400,
            json_body={**bare, "document_id": nil},
            response_body={"detail": f"Invalid document_id: {nil}"},
            derived="no example in the spec: ErrorResponse with an illustrative message",
        ),
        Case(
            start,
            "404 no such document",
            404,
            json_body=bare,
            response_body={"detail": f"Document {bare['document_id']} not found"},
            derived="no example in the spec: ErrorResponse with an illustrative message",
        ),
        Case(
            start,
            "422 schema_id missing",
            422,
            json_body=without(bare, "schema_id"),
            response_body=missing,
            example=missing_at,
            client_cannot_send="schema_id is required: the generated model always sends it",
        ),
        Case(
            start,
            "429 five active jobs",
            429,
            json_body=bare,
            response_body=limit,
            example=limit_at,
        ),
        Case(
            start,
            "500 processing error",
            500,
            json_body=bare,
            response_body={"detail": "Internal error while processing the extraction"},
            derived="no example in the spec: ErrorResponse with an illustrative message",
        ),
    ]

    progress, progress_at = spec.example(status_op, "200")
    invalid_status, invalid_status_at = spec.example(status_op, "422", "invalid_job_id")
    job_id = progress["job_id"]
    cases.append(
        Case(
            status_op,
            "200 processing",
            200,
            path={"job_id": job_id},
            response_body=progress,
            example=progress_at,
        )
    )
    steps: list[tuple[str, dict[str, Any]]] = [
        ("pending", {"completion_percentage": 0, "current_step": None, "fields_processed": 0}),
        ("retrying", {"completion_percentage": 40, "current_step": "extraction"}),
        (
            "completed",
            {"completion_percentage": 100, "current_step": "done", "fields_processed": 10},
        ),
        ("failed", {"completion_percentage": 40, "current_step": "extraction"}),
        (
            "cancelled",
            {
                "completion_percentage": 40,
                "current_step": None,
                "fields_processed": None,
                "total_fields": None,
            },
        ),
    ]
    for status, extra in steps:
        cases.append(
            Case(
                status_op,
                f"200 {status}",
                200,
                path={"job_id": job_id},
                response_body={**progress, "status": status, **extra},
                example=progress_at,
                derived=f"status {status}",
            )
        )
    cases += [
        Case(
            status_op,
            "404 no such job",
            404,
            path={"job_id": nil},
            response_body={"detail": f"Extraction job {nil} not found"},
            derived="no example in the spec: ErrorResponse with an illustrative message",
        ),
        Case(
            status_op,
            "422 job_id not a UUID",
            422,
            path={"job_id": "not-a-uuid"},
            response_body=invalid_status,
            example=invalid_status_at,
        ),
    ]

    invalid_results, invalid_results_at = spec.example(results_op, "422", "invalid_job_id")
    cases += [
        Case(
            results_op,
            "200 results with attributions",
            200,
            path={"job_id": job_id},
            response_body=results,
            example=results_at,
        ),
        Case(
            results_op,
            "200 results without attributions",
            200,
            path={"job_id": job_id},
            response_body={**results, "attributions": None},
            example=results_at,
            derived="attributions null (per_key_attribution was off)",
        ),
        Case(
            results_op,
            "404 no such job",
            404,
            path={"job_id": nil},
            response_body={"detail": f"Extraction job {nil} not found"},
            derived="no example in the spec: ErrorResponse with an illustrative message",
        ),
        Case(
            results_op,
            "422 job_id not a UUID",
            422,
            path={"job_id": "not-a-uuid"},
            response_body=invalid_results,
            example=invalid_results_at,
        ),
    ]
    return cases


BUILDERS = {
    "numind": numind_cases,
    "llamacloud": llamacloud_cases,
    "retab": retab_cases,
    "contextual": contextual_cases,
}


def build_all() -> tuple[dict[Path, str], dict[str, str]]:
    """Relative path under tests/fixtures → cassette text; and, by provider, why its cassettes
    could not be built (the spec lacks what a case is made from: the others are still built)."""
    out: dict[Path, str] = {}
    failed: dict[str, str] = {}
    for provider, builder in BUILDERS.items():
        try:
            spec = Spec(provider)
            built = cassettes(spec, builder(spec))
        except SpecGap as gap:
            failed[provider] = str(gap)
            continue
        except (KeyError, IndexError, TypeError) as exc:  # a shape the builders do not expect
            failed[provider] = f"the spec does not have the shape its cases expect ({exc!r})"
            continue
        for name, text in built.items():
            out[Path(provider) / "reference" / name] = text
    return out, failed


def existing(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.glob("*/reference/*.yaml")}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    parser.add_argument("--out", type=Path, default=FIXTURES, help="fixtures folder")
    args = parser.parse_args(argv)
    wanted, failed = build_all()
    for provider, reason in failed.items():
        print(
            f"fixtures_from_spec: {provider}: cannot build its reference cassettes from "
            f"specs/{provider}/openapi.yaml: {reason}; update {provider}_cases() in "
            "scripts/fixtures_from_spec.py to the spec",
            file=sys.stderr,
        )
    stale = sorted(p for p in existing(args.out) - set(wanted) if p.parts[0] not in failed)
    if args.check:
        problems = [f"{p}: not built from the specs (remove it)" for p in stale]
        for rel, text in sorted(wanted.items()):
            path = args.out / rel
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                diff = difflib.unified_diff(
                    current.splitlines(), text.splitlines(), str(rel), "rebuilt", lineterm="", n=1
                )
                problems.append(f"{rel}: out of date\n" + "\n".join(list(diff)[:20]))
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run: python scripts/fixtures_from_spec.py", file=sys.stderr)
        return 1 if problems or failed else 0
    for rel in stale:
        (args.out / rel).unlink()
    for rel, text in sorted(wanted.items()):
        write_text_atomically(args.out / rel, text)
    print(f"wrote {len(wanted)} reference cassettes under {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
