"""docextract.calls.call / call_async: input the spec rejects never leaves the process (the
server's log stays empty), errors name the parameter as on the wire with its allowed range,
accepted edge values reach the wire unchanged; deadlines bound the request's timeouts."""

import asyncio
import io
import re
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from _loopback import PROBES, RawServer, json_response, raw_servers, response

import docextract
from docextract.calls import call, call_async
from docextract.errors import APIError, InvalidParameter, TransportError
from docextract.retry import DEADLINE_EXTENSION

KEY = "calls-test-key-51d0"
MODES = ["sync", "async"]
NAN, INF = float("nan"), float("inf")
DOC_ID, SCHEMA_ID = uuid.UUID(int=1), uuid.UUID(int=2)


@pytest.fixture
def raw() -> Iterator[Callable[..., RawServer]]:
    with raw_servers() as start:
        yield start


@pytest.fixture
def server(raw: Callable[..., RawServer]) -> RawServer:
    """Answers 404 to anything: these tests look at what was (not) sent."""
    return raw(lambda _: json_response(404, '{"detail": "none"}'))


def run(mode: str, client: Any, provider: str, operation: str, **params: Any) -> Any:
    if mode == "sync":
        return call(client, provider, operation, **params)
    return asyncio.run(call_async(client, provider, operation, **params))


# --- bodies of the generated models ------------------------------------------------------------


def markdown(**query: Any) -> dict[str, Any]:
    from numind_client.models import PostApiMarkdownInferAsyncBody
    from numind_client.types import File

    body = PostApiMarkdownInferAsyncBody(file=File(io.BytesIO(b"doc"), "a.txt", "text/plain"))
    return {"body": body, **query}


def structured(**query: Any) -> dict[str, Any]:
    from numind_client.types import File

    document = File(io.BytesIO(b"doc"), "a.txt", "text/plain")
    return {"structured_extraction_project_id": "p1", "body": document, **query}


def retab(**fields: Any) -> dict[str, Any]:
    from retab_client.models import ProjectExtractRequest
    from retab_client.types import File

    document = File(io.BytesIO(b"%PDF"), "a.pdf", "application/pdf")
    return {"project_id": "proj_1", "body": ProjectExtractRequest(document=document, **fields)}


def llama_create(**configuration: Any) -> dict[str, Any]:
    from llamacloud_client.models import (
        ExtractConfiguration,
        ExtractConfigurationDataSchema,
        ExtractV2JobCreate,
    )

    schema = ExtractConfigurationDataSchema.from_dict({"type": "object"})
    config = ExtractConfiguration(data_schema=schema, **configuration)
    return {"body": ExtractV2JobCreate(file_input="file-1", configuration=config)}


def contextual(**config: Any) -> dict[str, Any]:
    from contextual_client.models import ExtractConfig, ExtractJobRequest

    body = ExtractJobRequest(
        document_id=DOC_ID, schema_id=SCHEMA_ID, config=ExtractConfig(**config)
    )
    return {"body": body}


def llama_enum(name: str, value: str) -> Any:
    import llamacloud_client.models as models

    return getattr(models, name)(value)  # forward-compatible: unknown values still construct


def contextual_model(value: str) -> Any:
    from contextual_client.models import ExtractConfigModel

    return ExtractConfigModel(value)


MARKDOWN = "post_api_markdown_infer_async"
STRUCTURED = "post_api_structured_extraction_structuredextractionprojectid_jobs"
LLAMA_CREATE = "create_extract_job"
LLAMA_LIST = "list_extract_jobs"
CONTEXTUAL_START = "start_extraction_job_extract_jobs_post"

# provider, operation, params (built lazily), wire name, words of the allowed range
REJECTED: list[tuple[str, str, Callable[[], dict[str, Any]], str, str]] = [
    ("numind", MARKDOWN, lambda: markdown(temperature=1.5), "temperature", ">= 0 and <= 1"),
    ("numind", MARKDOWN, lambda: markdown(temperature=-0.01), "temperature", ">= 0 and <= 1"),
    ("numind", MARKDOWN, lambda: markdown(temperature=NAN), "temperature", "finite"),
    ("numind", MARKDOWN, lambda: markdown(temperature=INF), "temperature", "finite"),
    ("numind", MARKDOWN, lambda: markdown(temperature=-INF), "temperature", "finite"),
    ("numind", MARKDOWN, lambda: markdown(temperature=True), "temperature", "a number"),
    ("numind", MARKDOWN, lambda: markdown(temperature="0.5"), "temperature", "a number"),
    (
        "numind",
        MARKDOWN,
        lambda: markdown(rasterization_dpi=0),
        "rasterizationDPI",
        "an integer >= 1 and <= 300",
    ),
    ("numind", MARKDOWN, lambda: markdown(rasterization_dpi=301), "rasterizationDPI", "<= 300"),
    ("numind", MARKDOWN, lambda: markdown(rasterization_dpi=170.5), "rasterizationDPI", "integer"),
    ("numind", MARKDOWN, lambda: markdown(rasterization_dpi=False), "rasterizationDPI", "integer"),
    ("numind", MARKDOWN, lambda: markdown(rasterization_dpi=INF), "rasterizationDPI", "finite"),
    ("numind", MARKDOWN, lambda: markdown(max_output_tokens=-1), "maxOutputTokens", ">= 0"),
    ("numind", MARKDOWN, lambda: markdown(timeout="5 minutes"), "timeout", "matching"),
    ("numind", MARKDOWN, lambda: markdown(timeout="-5s"), "timeout", "matching"),
    ("numind", STRUCTURED, lambda: structured(temperature=2.01), "temperature", "<= 2"),
    ("numind", STRUCTURED, lambda: structured(dpi="0"), "dpi", "matching"),
    ("numind", STRUCTURED, lambda: structured(dpi="601"), "dpi", "matching"),
    (
        "numind",
        STRUCTURED,
        lambda: structured(max_output_tokens="0"),
        "maxOutputTokens",
        "matching",
    ),
    ("numind", STRUCTURED, lambda: structured(random_seed="lucky"), "randomSeed", "matching"),
    (
        "numind",
        STRUCTURED,
        lambda: structured(min_example_similarity=1.01),
        "minExampleSimilarity",
        ">= 0 and <= 1",
    ),
    (
        "numind",
        STRUCTURED,
        lambda: structured(max_example_token_number=130_001),
        "maxExampleTokenNumber",
        "<= 130000",
    ),
    (
        "numind",
        STRUCTURED,
        lambda: structured(max_example_number="-1"),
        "maxExampleNumber",
        "matching",
    ),
    ("retab", "extract_project", lambda: retab(temperature=2.5), "temperature", ">= 0 and <= 2"),
    ("retab", "extract_project", lambda: retab(temperature=-0.1), "temperature", ">= 0"),
    ("retab", "extract_project", lambda: retab(temperature=NAN), "temperature", "finite"),
    ("retab", "extract_project", lambda: retab(n_consensus=0), "n_consensus", "an integer >= 1"),
    ("retab", "extract_project", lambda: retab(n_consensus=True), "n_consensus", "an integer"),
    ("retab", "extract_project", lambda: retab(n_consensus=2.5), "n_consensus", "an integer"),
    ("retab", "extract_project", lambda: retab(store=None), "store", "null is not allowed"),
    ("llamacloud", LLAMA_LIST, lambda: {"page_size": True}, "page_size", "an integer"),
    (
        "llamacloud",
        LLAMA_LIST,
        lambda: {"status": llama_enum("ListExtractJobsStatusType0", "DONE")},
        "status",
        "'COMPLETED'",
    ),
    (
        "llamacloud",
        LLAMA_CREATE,
        lambda: llama_create(max_pages=0),
        "configuration.max_pages",
        "an integer >= 1",
    ),
    (
        "llamacloud",
        LLAMA_CREATE,
        lambda: llama_create(tier=llama_enum("ExtractConfigurationTier", "ultra")),
        "configuration.tier",
        "one of 'cost_effective', 'agentic', 'agentic_plus'",
    ),
    (
        "llamacloud",
        LLAMA_CREATE,
        lambda: llama_create(
            extraction_target=llama_enum("ExtractConfigurationExtractionTarget", "per_word")
        ),
        "configuration.extraction_target",
        "'per_doc'",
    ),
    (
        "contextual",
        CONTEXTUAL_START,
        lambda: contextual(temperature=2.5),
        "config.temperature",
        ">= 0 and <= 2",
    ),
    (
        "contextual",
        CONTEXTUAL_START,
        lambda: contextual(temperature=INF),
        "config.temperature",
        "finite",
    ),
    (
        "contextual",
        CONTEXTUAL_START,
        lambda: contextual(max_num_concurrent_requests=0),
        "config.max_num_concurrent_requests",
        ">= 1 and <= 20",
    ),
    (
        "contextual",
        CONTEXTUAL_START,
        lambda: contextual(max_num_concurrent_requests=21),
        "config.max_num_concurrent_requests",
        ">= 1 and <= 20",
    ),
    (
        "contextual",
        CONTEXTUAL_START,
        lambda: contextual(n_max_retries=-1),
        "config.n_max_retries",
        ">= 0",
    ),
    (
        "contextual",
        CONTEXTUAL_START,
        lambda: contextual(model=contextual_model("gpt-5")),
        "config.model",
        "'gemini-2.5-flash'",
    ),
    (
        "contextual",
        CONTEXTUAL_START,
        lambda: contextual(enable_thinking=1),
        "config.enable_thinking",
        "true or false",
    ),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("provider", "operation", "params", "wire_name", "allowed"),
    REJECTED,
    ids=[f"{case[0]}-{case[3]}-{n}" for n, case in enumerate(REJECTED)],
)
def test_rejected_before_any_request(
    server: RawServer,
    provider: str,
    operation: str,
    params: Callable[[], dict[str, Any]],
    wire_name: str,
    allowed: str,
    mode: str,
) -> None:
    client = docextract.client(provider, api_key=KEY, base_url=server.url)

    with pytest.raises(ValueError, match=re.escape(f"{wire_name}=")) as raised:
        run(mode, client, provider, operation, **params())

    exc = raised.value
    assert isinstance(exc, InvalidParameter)
    assert exc.parameter == wire_name
    assert str(exc).startswith(f"{wire_name}=")
    assert allowed in str(exc)
    assert server.requests == []
    assert server.connections == 0  # not even a connection was opened


# accepted edges: they reach the wire as given
ACCEPTED: list[tuple[str, str, Callable[[], dict[str, Any]], dict[str, str]]] = [
    ("numind", MARKDOWN, lambda: markdown(temperature=0, rasterization_dpi=1), {}),
    ("numind", MARKDOWN, lambda: markdown(temperature=1.0, rasterization_dpi=300), {}),
    ("numind", MARKDOWN, lambda: markdown(max_output_tokens=0, timeout="1m30s"), {}),
    ("numind", STRUCTURED, lambda: structured(temperature=0.5, min_example_similarity=1), {}),
    ("numind", STRUCTURED, lambda: structured(dpi="automatic", max_example_number="Unlimited"), {}),
    ("numind", STRUCTURED, lambda: structured(dpi="600", max_example_token_number=0), {}),
    ("llamacloud", LLAMA_LIST, lambda: {"page_size": 1}, {"page_size": "1"}),
    (
        "llamacloud",
        LLAMA_LIST,
        lambda: {"status": llama_enum("ListExtractJobsStatusType0", "FAILED")},
        {},
    ),
    ("llamacloud", LLAMA_CREATE, lambda: llama_create(max_pages=1), {}),
    ("retab", "extract_project", lambda: retab(temperature=2, n_consensus=1), {}),
    ("retab", "extract_project", lambda: retab(temperature=None, n_consensus=None), {}),
    (
        "contextual",
        CONTEXTUAL_START,
        lambda: contextual(temperature=0, max_num_concurrent_requests=20, seed=None),
        {},
    ),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("provider", "operation", "params", "query"),
    ACCEPTED,
    ids=[f"{case[0]}-{n}" for n, case in enumerate(ACCEPTED)],
)
def test_accepted_edges_are_sent(
    server: RawServer,
    provider: str,
    operation: str,
    params: Callable[[], dict[str, Any]],
    query: dict[str, str],
    mode: str,
) -> None:
    client = docextract.client(provider, api_key=KEY, base_url=server.url, max_retries=0)

    with pytest.raises(APIError) as raised:  # the server answers 404
        run(mode, client, provider, operation, **params())

    assert raised.value.status_code == 404
    [request] = server.requests
    sent = {k: v[0] for k, v in parse_qs(urlsplit(request.target).query).items()}
    assert query.items() <= sent.items()


@pytest.mark.parametrize("mode", MODES)
def test_numind_query_uses_the_wire_names(server: RawServer, mode: str) -> None:
    client = docextract.client("numind", api_key=KEY, base_url=server.url, max_retries=0)

    with pytest.raises(APIError):
        run(
            mode,
            client,
            "numind",
            STRUCTURED,
            **structured(temperature=0.25, dpi="300", max_example_number="0"),
        )

    [request] = server.requests
    assert request.method == "POST"
    assert request.target.startswith("/api/structured-extraction/p1/jobs?")
    query = parse_qs(urlsplit(request.target).query)
    assert query == {
        "temperature": ["0.25"],
        "dpi": ["300"],
        "maxExampleNumber": ["0"],
    }
    assert request.body == b"doc"
    assert request.headers["content-type"] == "application/octet-stream"


@pytest.mark.parametrize("mode", MODES)
def test_retab_idempotency_key_reaches_the_wire(raw: Callable[..., RawServer], mode: str) -> None:
    server = raw(lambda _: json_response(200, PROBES["retab"].ok_body))
    client = docextract.client("retab", api_key=KEY, base_url=server.url)

    answer = run(mode, client, "retab", "extract_project", **retab(), idempotency_key="idem-1")

    assert answer.status_code == 200
    [request] = server.requests
    assert request.headers["idempotency-key"] == "idem-1"


# --- what call() refuses besides values --------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_missing_required_parameters(server: RawServer, mode: str) -> None:
    client = docextract.client("numind", api_key=KEY, base_url=server.url)

    with pytest.raises(InvalidParameter) as raised:
        run(mode, client, "numind", "get_api_jobs_jobid")
    assert raised.value.parameter == "jobId"

    for body in ({}, {"body": None}):
        with pytest.raises(InvalidParameter) as raised:
            run(mode, client, "numind", MARKDOWN, **body)
        assert raised.value.parameter == "body"
        assert "multipart/form-data" in str(raised.value)
    assert server.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_unknown_operation_or_provider(server: RawServer, mode: str) -> None:
    client = docextract.client("numind", api_key=KEY, base_url=server.url)

    with pytest.raises(InvalidParameter) as raised:
        run(mode, client, "numind", "get_extract_job", job_id="j")
    assert raised.value.parameter == "operation_id"
    assert "get_api_jobs_jobid" in str(raised.value)

    with pytest.raises(InvalidParameter) as raised:
        run(mode, client, "nuMind", "get_api_jobs_jobid", job_id="j")
    assert raised.value.parameter == "provider"
    assert server.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_unknown_keyword_is_a_type_error(server: RawServer, mode: str) -> None:
    client = docextract.client("numind", api_key=KEY, base_url=server.url)

    with pytest.raises(TypeError, match="rasterization_DPI"):
        run(mode, client, "numind", MARKDOWN, **markdown(), rasterization_DPI=3000)
    assert server.requests == []


# --- deadlines --------------------------------------------------------------------------------


class Recording(httpx.BaseTransport):
    """Innermost sync transport: records each request's timeouts and extensions, answers 200."""

    def __init__(self, body: str) -> None:
        self.seen: list[dict[str, Any]] = []
        self.body = body

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(dict(request.extensions))
        return httpx.Response(200, text=self.body, headers={"Content-Type": "application/json"})


class AsyncRecording(httpx.AsyncBaseTransport):
    def __init__(self, body: str) -> None:
        self.seen: list[dict[str, Any]] = []
        self.body = body

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(dict(request.extensions))
        return httpx.Response(200, text=self.body, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("mode", MODES)
def test_deadline_bounds_every_timeout(mode: str) -> None:
    body = PROBES["numind"].ok_body
    sync, async_ = Recording(body), AsyncRecording(body)
    client = docextract.client(
        "numind", api_key=KEY, transport=sync, async_transport=async_, timeout=60
    )
    deadline = time.monotonic() + 5.0

    answer = run(mode, client, "numind", "get_api_jobs_jobid", job_id="j", deadline=deadline)

    assert answer.status_code == 200
    [extensions] = (sync if mode == "sync" else async_).seen
    assert extensions[DEADLINE_EXTENSION] == deadline
    timeout = extensions["timeout"]
    for phase in ("connect", "read", "write", "pool"):
        assert 0 < timeout[phase] <= 5.0, phase


@pytest.mark.parametrize("mode", MODES)
def test_no_deadline_keeps_the_client_timeouts(mode: str) -> None:
    body = PROBES["numind"].ok_body
    sync, async_ = Recording(body), AsyncRecording(body)
    client = docextract.client(
        "numind", api_key=KEY, transport=sync, async_transport=async_, timeout=42
    )

    run(mode, client, "numind", "get_api_jobs_jobid", job_id="j")

    [extensions] = (sync if mode == "sync" else async_).seen
    assert DEADLINE_EXTENSION not in extensions
    assert extensions["timeout"] == {"connect": 10.0, "read": 42.0, "write": 42.0, "pool": 42.0}


@pytest.mark.parametrize("mode", MODES)
def test_passed_deadline_sends_nothing(server: RawServer, mode: str) -> None:
    client = docextract.client("numind", api_key=KEY, base_url=server.url)

    with pytest.raises(TransportError) as raised:
        run(
            mode,
            client,
            "numind",
            "get_api_jobs_jobid",
            job_id="j",
            deadline=time.monotonic() - 1,
            for_job="j",
        )

    assert raised.value.job_id == "j"
    assert server.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_deadline_cuts_a_silent_server_short(raw: Callable[..., RawServer], mode: str) -> None:
    """Client read timeout of an hour; the deadline (0.3 s away) ends the wait instead."""
    server = raw(lambda _: None)
    client = docextract.client(
        "numind", api_key=KEY, base_url=server.url, timeout=3600, max_retries=0
    )

    with pytest.raises(TransportError):
        run(
            mode,
            client,
            "numind",
            "get_api_jobs_jobid",
            job_id="j",
            deadline=time.monotonic() + 0.3,
        )
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_returns_the_generated_response(raw: Callable[..., RawServer], mode: str) -> None:
    from numind_client.models import JobResponse

    server = raw(lambda _: json_response(200, PROBES["numind"].ok_body, "X-Request-Id: r"))
    client = docextract.client("numind", api_key=KEY, base_url=server.url)

    answer = run(mode, client, "numind", "get_api_jobs_jobid", job_id="j", for_job="j")

    assert isinstance(answer.parsed, JobResponse)
    assert answer.parsed.status == "running"
    assert answer.headers["x-request-id"] == "r"
    assert server.requests[0].target == "/api/jobs/j"


@pytest.mark.parametrize("mode", MODES)
def test_path_parameters_are_escaped(raw: Callable[..., RawServer], mode: str) -> None:
    server = raw(lambda _: response(404, ""))
    client = docextract.client("numind", api_key=KEY, base_url=server.url, max_retries=0)

    with pytest.raises(APIError):
        run(mode, client, "numind", "get_api_jobs_jobid", job_id="../../admin?x=1")

    [request] = server.requests
    assert request.target == "/api/jobs/..%2F..%2Fadmin%3Fx%3D1"
