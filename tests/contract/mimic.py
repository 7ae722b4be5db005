"""A loopback stand-in for a provider, for testing scripts/record_fixtures.py.

It answers under `/<provider>` (as the sandbox does) with the reference fixtures' answers: jobs
go through non-terminal statuses before a terminal one, cancelled jobs read as cancelled, the
recorder's probes get the documented refusals. It checks the key, and echoes it back (a cookie,
a header, a field of JSON answers) so the tests can show that the recording scrubs it; with
`leak_base64` it also sends the key base64-encoded, which the scrubber leaves alone and the
recorder's guard must catch.
"""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from contract.cassettes import Interaction, all_interactions
from contract.replay import decode_multipart
from docextract.contract.specs import provider_spec

NIL = "00000000-0000-0000-0000-000000000000"


@dataclass
class Mimic:
    provider: str
    key: str
    leak_base64: bool = False
    polls: Counter[str] = field(default_factory=Counter)
    cancelled: set[str] = field(default_factory=set)

    def install(self, server: HTTPServer) -> str:
        """Serve on `server`; returns the base URL to record against."""
        server.expect_request(re.compile(f"^/{self.provider}/.*")).respond_with_handler(self.handle)
        return server.url_for(f"/{self.provider}")

    def handle(self, request: Request) -> Response:
        security = provider_spec(self.provider).facts["security"]
        expected = f"{security['prefix']} {self.key}".strip()
        if request.headers.get(security["header"]) != expected:
            return Response('{"detail":"Unauthorized"}', status=401, mimetype="application/json")
        path = request.path.removeprefix(f"/{self.provider}")
        found = provider_spec(self.provider).match(request.method, path)
        if found is None:
            return Response("no such route", status=404)
        op, params = found
        case = CHOOSERS[self.provider](self, op.operation_id, params, request)
        return self.answer(reference_answer(op.operation_id, case))

    def poll(self, job: str, sequence: list[str]) -> str:
        self.polls[job] += 1
        return sequence[min(self.polls[job], len(sequence)) - 1]

    def answer(self, interaction: Interaction) -> Response:
        body = interaction.response.body
        media = interaction.response.media_type
        if media == "application/json" and body:
            loaded = json.loads(body)
            if isinstance(loaded, dict):
                body = json.dumps({**loaded, "echo": f"seen {self.key}"}).encode()
        headers = [("Set-Cookie", f"session={self.key}; Path=/"), ("X-Seen-Key", self.key)]
        if self.leak_base64:
            headers.append(("X-Key-Digest", base64.b64encode(self.key.encode()).decode()))
        content_type = interaction.response.header("content-type")
        if content_type:
            headers.append(("Content-Type", content_type))
        return Response(body, status=interaction.response.status, headers=headers)


def reference_answer(operation: str, case: str) -> Interaction:
    for interaction in all_interactions():
        note = interaction.note
        if note.get("operation") == operation and note.get("case") == case:
            return interaction
    raise LookupError(f"no reference case {operation} / {case}")


def _numind(m: Mimic, op: str, params: dict[str, str], request: Request) -> str:
    job = params.get("jobId", "")
    if op == "get_api_jobs_jobid_status":
        if job == NIL:
            return "404 refused"
        if job in m.cancelled:
            return "200 cancelled"
        return m.poll(job, ["200 running", "200 running", "200 completed"])
    if op == "post_api_jobs_jobid_cancel":
        m.cancelled.add(job)
    return {
        "post_api_structured_extraction_structuredextractionprojectid_jobs": (
            "200 job started, every parameter"
        ),
        "post_api_markdown_infer_async": "200 job started",
        "get_api_jobs_jobid": "200 completed extraction job",
        "get_api_jobs_jobid_stream": "200 ping then result of a completed job",
        "get_api_structured_extraction_jobs_structuredextractionjobid": "200 conforming result",
        "post_api_jobs_jobid_cancel": "200 cancelled",
    }[op]


def _llamacloud(m: Mimic, op: str, params: dict[str, str], request: Request) -> str:
    job = params.get("job_id", "")
    if op == "get_extract_job":
        if job in m.cancelled:
            return "200 CANCELLED"
        if request.args.getlist("expand"):
            return "200 COMPLETED, expanded"
        return m.poll(job, ["200 PENDING", "200 RUNNING", "200 COMPLETED per page"])
    if op == "cancel_extract_job":
        m.cancelled.add(job)
        return "200 CANCELLED"
    if op == "list_extract_jobs":
        return "422 unknown status" if request.args.get("status") == "DONE" else "200 first page"
    return {
        "delete_extract_job": "200 deleted",
        "upload_file": "201 uploaded for extraction",
        "create_extract_job": "200 job created with an inline configuration",
    }[op]


def _retab(m: Mimic, op: str, params: dict[str, str], request: Request) -> str:
    parts = decode_multipart(request.headers.get("Content-Type", ""), request.get_data())
    too_hot = any(p.name == "temperature" and float(p.data) > 2 for p in parts)
    return "422 temperature above 2" if too_hot else "200 extraction"


def _contextual(m: Mimic, op: str, params: dict[str, str], request: Request) -> str:
    if op == "start_extraction_job_extract_jobs_post":
        streaming = json.loads(request.get_data()).get("stream") is True
        return "200 event stream (stream=true)" if streaming else "200 job created"
    job = params["job_id"]
    if job == "not-a-uuid":
        return "422 job_id not a UUID"
    if op == "get_extraction_job_status_extract_jobs__job_id__get":
        return m.poll(job, ["200 pending", "200 processing", "200 processing", "200 completed"])
    return "200 results with attributions"


CHOOSERS: dict[str, Callable[[Mimic, str, dict[str, str], Request], str]] = {
    "numind": _numind,
    "llamacloud": _llamacloud,
    "retab": _retab,
    "contextual": _contextual,
}


def every_string(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in [str(key), *every_string(value)]]
    if isinstance(node, list):
        return [s for value in node for s in every_string(value)]
    if isinstance(node, bytes):
        return [node.decode("latin-1")]
    return [] if node is None else [str(node)]
