"""docextract.errors: every answer a generated call can get becomes the generated Response or one
of docextract's errors -- never None, never a bare UnexpectedStatus -- through docextract.calls,
against loopback servers, sync and asyncio; plus the error builders on their own."""

import asyncio
import email.utils
import io
import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from _loopback import PROBES, PROVIDERS, RawServer, raw_servers, refused_url, response
from pytest_httpserver import HTTPServer

import docextract
from docextract.calls import call, call_async
from docextract.errors import (
    APIError,
    AuthenticationError,
    BadRequest,
    Conflict,
    DocExtractError,
    InvalidParameter,
    InvalidResponse,
    JobCancelled,
    JobFailed,
    JobTimeout,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    TransportError,
    UnprocessableEntity,
    api_error,
    excerpt,
    request_id,
    retry_after_seconds,
)
from docextract.retry import RetryPolicy

KEY = "errors-test-key-3b9e"
FAST = RetryPolicy(max_retries=2, initial_delay=0.0, max_delay=0.0)
MODES = ["sync", "async"]
STATUS_CLASSES: list[tuple[int, type[APIError]]] = [
    (400, BadRequest),
    (401, AuthenticationError),
    (403, PermissionDenied),
    (404, NotFound),
    (409, Conflict),
    (422, UnprocessableEntity),
    (429, RateLimited),
    (500, ServerError),
    (502, ServerError),
    (503, ServerError),
    (504, ServerError),
]
VALIDATION_BODY = (
    '{"detail": [{"loc": ["body", "temperature"], "msg": "too hot", "type": "less_than_equal"}]}'
)


@pytest.fixture
def raw() -> Iterator[Callable[..., RawServer]]:
    with raw_servers() as start:
        yield start


def make(provider: str, url: str, **kwargs: Any) -> Any:
    kwargs.setdefault("max_retries", 0)
    return docextract.client(provider, api_key=KEY, base_url=url, **kwargs)


def run(mode: str, client: Any, provider: str, operation: str, **params: Any) -> Any:
    if mode == "sync":
        return call(client, provider, operation, **params)
    return asyncio.run(call_async(client, provider, operation, **params))


def probe(mode: str, client: Any, provider: str, **kwargs: Any) -> Any:
    p = PROBES[provider]
    return run(mode, client, provider, p.operation_id, **p.params(), **kwargs)


def expect_probe(httpserver: HTTPServer, provider: str) -> Any:
    return httpserver.expect_request(PROBES[provider].path, method=PROBES[provider].method)


# --- statuses through docextract.calls -----------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("status", "error"), STATUS_CLASSES)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_status_becomes_its_error(
    httpserver: HTTPServer, provider: str, status: int, error: type[APIError], mode: str
) -> None:
    body = VALIDATION_BODY if status == 422 else '{"message": "nope"}'
    expect_probe(httpserver, provider).respond_with_data(
        body, status=status, content_type="application/json", headers={"x-request-id": "rq-42"}
    )
    client = make(provider, httpserver.url_for(""))

    with pytest.raises(error) as raised:
        probe(mode, client, provider)

    exc = raised.value
    assert type(exc) is error
    assert isinstance(exc, APIError)
    assert exc.status_code == status
    assert exc.provider == provider
    assert exc.operation == PROBES[provider].operation_id
    assert exc.request_id == "rq-42"
    assert exc.job_id is None
    assert "job " not in str(exc)
    assert f"HTTP {status}" in str(exc)
    assert "rq-42" in str(exc)
    assert exc.body_excerpt == " ".join(body.split())
    assert len(httpserver.log) == 1  # max_retries=0: no resend


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("provider", ["llamacloud", "retab", "contextual"])
def test_422_detail_is_the_generated_validation_error(
    httpserver: HTTPServer, provider: str, mode: str
) -> None:
    expect_probe(httpserver, provider).respond_with_data(
        VALIDATION_BODY, status=422, content_type="application/json"
    )

    with pytest.raises(UnprocessableEntity) as raised:
        probe(mode, make(provider, httpserver.url_for("")), provider)

    detail = raised.value.detail
    package = __import__(f"{provider}_client.models", fromlist=["HTTPValidationError"])
    assert isinstance(detail, package.HTTPValidationError)
    [item] = detail.detail
    assert item.msg == "too hot"
    assert list(item.loc) == ["body", "temperature"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_error_body_that_does_not_match_the_spec_keeps_the_excerpt(
    httpserver: HTTPServer, provider: str, mode: str
) -> None:
    expect_probe(httpserver, provider).respond_with_data(
        "<html>upstream said no</html>", status=422, content_type="text/html"
    )

    with pytest.raises(UnprocessableEntity) as raised:
        probe(mode, make(provider, httpserver.url_for("")), provider)

    assert raised.value.detail is None
    assert raised.value.body_excerpt == "<html>upstream said no</html>"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "operation",
    [
        "post_api_markdown_infer_async",
        "post_api_structured_extraction_structuredextractionprojectid_jobs",
    ],
)
def test_numind_text_400_detail_is_the_text(
    httpserver: HTTPServer, operation: str, mode: str
) -> None:
    httpserver.expect_request(re.compile("/api/.*"), method="POST").respond_with_data(
        "maxOutputTokens must be positive", status=400, content_type="text/plain"
    )
    params = _numind_post_params(operation)

    with pytest.raises(BadRequest) as raised:
        run(mode, make("numind", httpserver.url_for("")), "numind", operation, **params)

    assert raised.value.detail == "maxOutputTokens must be positive"
    assert "maxOutputTokens must be positive" in str(raised.value)


def _numind_post_params(operation: str) -> dict[str, Any]:
    from numind_client.models import PostApiMarkdownInferAsyncBody
    from numind_client.types import File

    document = File(io.BytesIO(b"hello"), "a.txt", "text/plain")
    if operation == "post_api_markdown_infer_async":
        return {"body": PostApiMarkdownInferAsyncBody(file=document)}
    return {"structured_extraction_project_id": "p1", "body": document}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "0.5"}, 0.5),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({}, None),
        ({"Retry-After": "soon"}, None),
    ],
)
def test_rate_limited_retry_after(
    httpserver: HTTPServer, headers: dict[str, str], expected: float | None, mode: str
) -> None:
    expect_probe(httpserver, "llamacloud").respond_with_data(
        '{"detail": "slow down"}', status=429, headers=headers, content_type="application/json"
    )

    with pytest.raises(RateLimited) as raised:
        probe(mode, make("llamacloud", httpserver.url_for("")), "llamacloud")

    assert raised.value.retry_after == expected
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("mode", MODES)
def test_rate_limited_retry_after_http_date(httpserver: HTTPServer, mode: str) -> None:
    # an hour ahead: the figure is seconds from now, so it lies well within (0, 3600]
    import time

    when = email.utils.formatdate(time.time() + 3600, usegmt=True)
    expect_probe(httpserver, "contextual").respond_with_data(
        "{}", status=429, headers={"Retry-After": when}, content_type="application/json"
    )

    with pytest.raises(RateLimited) as raised:
        probe(mode, make("contextual", httpserver.url_for("")), "contextual")

    assert raised.value.retry_after is not None
    assert 3000 < raised.value.retry_after <= 3600


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("provider", "status", "error"),
    [
        ("numind", 418, APIError),  # not in any spec
        ("llamacloud", 409, Conflict),  # get_extract_job documents 200 and 422 only
        ("contextual", 401, AuthenticationError),  # not documented for the status operation
        ("retab", 404, NotFound),
        ("numind", 499, APIError),  # not even an HTTPStatus member
        ("llamacloud", 599, ServerError),
        ("numind", 302, APIError),  # a redirect without Location
    ],
)
def test_undocumented_statuses_still_map_to_an_api_error(
    raw: Callable[..., RawServer], provider: str, status: int, error: type[APIError], mode: str
) -> None:
    server = raw(lambda _: response(status, "odd", "Content-Type: text/plain"))

    with pytest.raises(error) as raised:
        probe(mode, make(provider, server.url), provider)

    assert type(raised.value) is error
    assert raised.value.status_code == status
    assert raised.value.body_excerpt == "odd"
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_success_returns_the_typed_response(
    httpserver: HTTPServer, provider: str, mode: str
) -> None:
    expect_probe(httpserver, provider).respond_with_data(
        PROBES[provider].ok_body, content_type="application/json"
    )

    answer = probe(mode, make(provider, httpserver.url_for("")), provider)

    assert answer.status_code == 200
    assert answer.parsed is not None
    assert type(answer.parsed).__module__.startswith(f"{provider}_client.models")


@pytest.mark.parametrize("mode", MODES)
def test_numind_partial_result_206_is_a_success(httpserver: HTTPServer, mode: str) -> None:
    body = (
        '{"result": {"a": 1}, "rawModelOutput": "{\\"a\\": 1,", "outputTokens": 5, '
        '"inputTokens": 9, "totalTokens": 14, "logprobs": -0.1, "outputTokenProbability": 0.9, '
        '"randomSeed": 7, "isTruncated": true, '
        '"error": {"message": "did not conform", "errorCode": "E_SCHEMA"}}'
    )
    httpserver.expect_request("/api/structured-extraction/jobs/j1").respond_with_data(
        body, status=206, content_type="application/json"
    )

    answer = run(
        mode,
        make("numind", httpserver.url_for("")),
        "numind",
        "get_api_structured_extraction_jobs_structuredextractionjobid",
        structured_extraction_job_id="j1",
    )

    assert answer.status_code == 206
    assert answer.parsed.error.message == "did not conform"
    assert answer.parsed.result.to_dict() == {"a": 1}


# --- success statuses whose body does not parse ------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"id": "job-1", "status": "RUN', "application/json"),  # truncated JSON
        ("<!DOCTYPE html><html><body>Maintenance</body></html>", "text/html"),
        ("[1, 2, 3]", "application/json"),
        ('{"nothing": "expected"}', "application/json"),
        ("", "application/json"),
    ],
)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_unparsable_success_is_an_invalid_response(
    httpserver: HTTPServer, provider: str, body: str, content_type: str, mode: str
) -> None:
    expect_probe(httpserver, provider).respond_with_data(body, content_type=content_type)

    with pytest.raises(InvalidResponse) as raised:
        probe(mode, make(provider, httpserver.url_for("")), provider)

    exc = raised.value
    assert exc.status_code == 200
    assert exc.provider == provider
    assert exc.body_excerpt == body
    assert "does not parse" in str(exc)
    assert exc.__cause__ is not None
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("provider", "status"), [("numind", 201), ("llamacloud", 204)])
def test_undocumented_success_status_is_an_invalid_response(
    raw: Callable[..., RawServer], provider: str, status: int, mode: str
) -> None:
    """A 2xx the spec does not list has no parsed model: not a Response with parsed=None."""
    body = b"" if status == 204 else PROBES[provider].ok_body  # a 204 has no body (RFC 9110)
    server = raw(lambda _: response(status, body))

    with pytest.raises(InvalidResponse) as raised:
        probe(mode, make(provider, server.url), provider)

    assert raised.value.status_code == status


# --- transport failures --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_connection_refused_is_a_transport_error(provider: str, mode: str) -> None:
    with pytest.raises(TransportError) as raised:
        probe(mode, make(provider, refused_url(), retry_policy=FAST), provider)

    assert isinstance(raised.value.__cause__, httpx.ConnectError)
    assert raised.value.provider == provider
    assert PROBES[provider].operation_id in str(raised.value)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_read_timeout_is_a_transport_error_after_the_retries(
    raw: Callable[..., RawServer], provider: str, mode: str
) -> None:
    server = raw(lambda _: None)  # reads the request, never answers
    client = make(provider, server.url, timeout=0.2, retry_policy=FAST)

    with pytest.raises(TransportError) as raised:
        probe(mode, client, provider)

    assert isinstance(raised.value.__cause__, httpx.ReadTimeout)
    # GETs were resent twice; Retab's POST may have started an extraction: sent once
    assert len(server.requests) == (1 if provider == "retab" else 3)


@pytest.mark.parametrize("mode", MODES)
def test_dropped_connection_is_a_transport_error(raw: Callable[..., RawServer], mode: str) -> None:
    server = raw(lambda _: b"")  # closes without answering

    with pytest.raises(TransportError) as raised:
        probe(mode, make("numind", server.url), "numind")

    assert isinstance(raised.value.__cause__, httpx.RemoteProtocolError)
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_server_errors_are_retried_then_raised(raw: Callable[..., RawServer], mode: str) -> None:
    server = raw(lambda _: response(503, "busy", "retry-after-ms: 0"))

    with pytest.raises(ServerError):
        probe(mode, make("contextual", server.url, max_retries=2), "contextual")

    assert len(server.requests) == 3


# --- for_job -------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "answer",
    [
        response(404, '{"detail": "gone"}', "Content-Type: application/json"),
        response(429, "{}", "Retry-After: 1"),
        response(200, "<html>", "Content-Type: text/html"),
        None,  # silent: read timeout
    ],
)
def test_errors_name_the_job(
    raw: Callable[..., RawServer], answer: bytes | None, mode: str
) -> None:
    server = raw(lambda _: answer)
    client = make("llamacloud", server.url, timeout=0.2)

    with pytest.raises(DocExtractError) as raised:
        probe(mode, client, "llamacloud", for_job="job-abc-123")

    assert isinstance(raised.value, APIError | InvalidResponse | TransportError)
    assert raised.value.job_id == "job-abc-123"
    assert "job job-abc-123" in str(raised.value)


@pytest.mark.parametrize("mode", MODES)
def test_refused_connection_names_the_job(mode: str) -> None:
    with pytest.raises(TransportError) as raised:
        probe(mode, make("numind", refused_url()), "numind", for_job="job-77")
    assert raised.value.job_id == "job-77"
    assert "job-77" in str(raised.value)


# --- the builders ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error"),
    [
        *STATUS_CLASSES,
        (418, APIError),
        (405, APIError),
        (410, APIError),
        (501, ServerError),
        (599, ServerError),
        (499, APIError),
    ],
)
def test_api_error_picks_the_class(status: int, error: type[APIError]) -> None:
    exc = api_error(provider="p", operation="op", status_code=status, headers={}, body=b"")
    assert type(exc) is error
    assert exc.status_code == status
    assert isinstance(exc, DocExtractError)
    assert not isinstance(exc, ValueError)


def test_api_error_message() -> None:
    exc = api_error(
        provider="numind",
        operation="get_api_jobs_jobid",
        status_code=404,
        headers={"X-Request-ID": "abc"},
        body=b'{"error":  "no\\n such job"}\n',
        job_id="j-1",
    )
    assert str(exc) == (
        'numind get_api_jobs_jobid: HTTP 404 Not Found | job j-1 | request id abc | {"error": '
        '"no\\n such job"}'
    )


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-request-id": "a"}, "a"),
        ({"X-Request-Id": "b"}, "b"),
        ({"request-id": "c"}, "c"),
        ({"x-amzn-RequestId": "d"}, "d"),
        ({"x-correlation-id": "e", "x-request-id": "f"}, "f"),
        ({}, None),
    ],
)
def test_request_id(headers: dict[str, str], expected: str | None) -> None:
    assert request_id(headers) == expected
    assert request_id(httpx.Headers(headers)) == expected


SERVER_NOW = "Wed, 21 Oct 2015 07:28:00 GMT"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "30"}, 30.0),
        ({"retry-after-ms": "20"}, 0.02),
        ({"Retry-After": "-3"}, None),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT", "Date": SERVER_NOW}, 30.0),
        ({"Retry-After": "Wed, 21 Oct 2015 07:27:00 GMT", "Date": SERVER_NOW}, 0.0),  # past
        ({"Retry-After": "garbage"}, None),
        ({"retry-after-ms": "x", "Retry-After": "2"}, 2.0),
        ({"Retry-After": "inf"}, None),
        ({"Retry-After": "nan"}, None),
        ({"retry-after-ms": "inf", "Retry-After": "3"}, 3.0),
        ({}, None),
    ],
)
def test_retry_after_seconds(headers: dict[str, str], expected: float | None) -> None:
    for given in (headers, httpx.Headers(headers)):
        value = retry_after_seconds(given)
        assert value == expected
        assert value is None or math.isfinite(value)


def test_excerpt_is_bounded_and_flattened() -> None:
    assert excerpt(b"a\n\n  b\tc") == "a b c"
    assert excerpt(b"\xff\xfeok") == "\ufffd\ufffdok"
    long = excerpt("x" * 5000)
    assert long == "x" * 1000 + "... (4000 more chars)"
    assert len(excerpt("y" * 1_000_000, limit=50)) < 100


def test_long_error_body_is_cut() -> None:
    exc = api_error(provider="p", operation="o", status_code=500, headers={}, body=b"z" * 10_000)
    assert len(exc.body_excerpt) < 1100
    assert len(str(exc)) < 1200


def test_invalid_parameter_is_a_value_error() -> None:
    exc = InvalidParameter("rasterizationDPI", 0, "an integer >= 1 and <= 300")
    assert isinstance(exc, ValueError)
    assert isinstance(exc, DocExtractError)
    assert str(exc) == "rasterizationDPI=0 is not allowed: an integer >= 1 and <= 300"


def test_job_errors_name_the_job() -> None:
    from datetime import timedelta

    errors: list[DocExtractError] = [
        JobFailed(provider="numind", job_id="j9", status="failed", message="boom", error_code="E1"),
        JobCancelled(provider="numind", job_id="j9", status="cancelled"),
        JobTimeout(provider="numind", job_id="j9", status="running", waited=timedelta(seconds=5)),
    ]
    for exc in errors:
        assert exc.job_id == "j9"
        assert "job j9" in str(exc)


def test_every_error_is_exported() -> None:
    names = (
        "APIError BadRequest AuthenticationError PermissionDenied NotFound Conflict "
        "UnprocessableEntity RateLimited ServerError InvalidResponse TransportError "
        "InvalidParameter MissingAPIKey DocExtractError JobError JobFailed JobCancelled "
        "JobTimeout DurationError"
    )
    for name in names.split():
        assert issubclass(getattr(docextract, name), DocExtractError)
