"""The API key never shows: not in repr()/str() of the client or its httpx objects, not in any
error the suite raises (message, repr, args, body excerpt, traceback), not in any log record,
with DEBUG logging on for every logger (httpx, httpcore, docextract.retry...).

The servers here are hostile: they echo the request headers into error bodies and response
headers, so the key does reach the client and must be masked on the way out.
"""

import asyncio
import json
import logging
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _loopback import (
    ENV_VARS,
    PROBES,
    PROVIDERS,
    RawRequest,
    RawServer,
    json_response,
    raw_servers,
    refused_url,
    response,
)

import docextract
from docextract import aiohttp_transport
from docextract.calls import call, call_async
from docextract.errors import (
    APIError,
    DocExtractError,
    InvalidParameter,
    InvalidResponse,
    MissingAPIKey,
    TransportError,
    excerpt,
)
from docextract.redact import MASK, redact
from docextract.retry import RetryPolicy

KEY = "sk-SENTINEL-9d8c7b6a5f4e"
FAST = RetryPolicy(max_retries=2, initial_delay=0.0, max_delay=0.0)


@pytest.fixture
def raw() -> Iterator[Callable[..., RawServer]]:
    with raw_servers() as start:
        yield start


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # root: every logger without its own level
    return caplog


def transport_logs(mode: str, *loggers: str) -> tuple[str, ...]:
    """The loggers that must have logged: httpcore's only where httpcore sent the request (the
    aiohttp transport logs nothing of its own, so there is nothing of it to check)."""
    if mode == "async" and aiohttp_transport.DEFAULT == "aiohttp":
        return tuple(name for name in loggers if not name.startswith("httpcore"))
    return loggers


def assert_no_key_in_logs(caplog: pytest.LogCaptureFixture, *, expect: tuple[str, ...]) -> None:
    names = {record.name for record in caplog.records}
    for prefix in expect:  # proves the loggers that could leak did log
        assert any(name.startswith(prefix) for name in names), (prefix, names)
    assert KEY not in caplog.text
    for record in caplog.records:
        assert KEY not in record.getMessage()


def error_texts(exc: BaseException) -> list[str]:
    texts = [str(exc), repr(exc), *map(str, exc.args), *map(repr, exc.args)]
    texts.append("".join(traceback.format_exception(exc)))  # chained causes included
    for name in ("body_excerpt", "request_id", "value", "allowed", "operation"):
        texts.append(repr(getattr(exc, name, None)))
    detail = getattr(exc, "detail", None)
    if isinstance(detail, str):
        texts.append(detail)
    return texts


def assert_no_key_in_error(exc: BaseException) -> None:
    assert isinstance(exc, DocExtractError)
    for text in error_texts(exc):
        assert KEY not in text


def echo(status: int, *, content_type: str = "application/json") -> Callable[[RawRequest], bytes]:
    """Answers `status` with every request header echoed: in the body and as response headers."""

    def reply(request: RawRequest) -> bytes:
        sent = {k: v for k, v in request.headers.items() if k in ("authorization", "api-key")}
        assert sent, "the key was not sent, so this test would prove nothing"
        echoed = [f"X-Echo-{name}: {value}" for name, value in sent.items()]
        if status == 422:
            body = json.dumps(
                {
                    "detail": [
                        {"loc": ["header", name], "msg": "bad key", "type": "x", "input": value}
                        for name, value in sent.items()
                    ]
                }
            )
        elif content_type == "application/json":
            body = json.dumps({"error": "denied", "request_headers": request.headers})
        else:
            body = "denied: " + " ".join(f"{k}={v}" for k, v in request.headers.items())
        return response(
            status, body, f"Content-Type: {content_type}", "X-Request-Id: req-1", *echoed
        )

    return reply


def run(mode: str, client: Any, provider: str, operation: str, **params: Any) -> Any:
    if mode == "sync":
        return call(client, provider, operation, **params)
    return asyncio.run(call_async(client, provider, operation, **params))


def send(client: Any, provider: str, mode: str, **kwargs: Any) -> Any:
    probe = PROBES[provider]
    params = {**probe.params(), **kwargs}
    if mode == "sync":
        return call(client, provider, probe.operation_id, for_job="job-9", **params)
    return asyncio.run(call_async(client, provider, probe.operation_id, for_job="job-9", **params))


# --- objects one would print ---------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
def test_client_and_httpx_objects_do_not_show_the_key(
    provider: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for client in (
        docextract.client(provider, api_key=KEY),
        docextract.client(provider, api_key=KEY, base_url="http://127.0.0.1:1"),
        _from_env(provider, monkeypatch),
    ):
        printed: list[object] = [client]
        for http in (client.get_httpx_client(), client.get_async_httpx_client()):
            printed += [
                http,
                http.headers,
                http.auth,
                http.base_url,
                http.timeout,
                http.cookies,
                http.event_hooks,
                http.build_request("GET", "/x"),
                http.build_request("GET", "/x").headers,
                dict(http.build_request("GET", "/x").headers),  # as a dict is printed unmasked
            ]
        for obj in printed:
            assert KEY not in repr(obj), obj
            assert KEY not in str(obj), obj


def _from_env(provider: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv(ENV_VARS[provider], KEY)
    return docextract.client(provider)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_key_still_goes_on_the_wire(raw: Callable[..., RawServer], provider: str) -> None:
    """The reprs are clean because the key is added per request, not because it is missing."""
    server = raw(lambda _: json_response(200, PROBES[provider].ok_body))
    client = docextract.client(provider, api_key=KEY, base_url=server.url)

    send(client, provider, "sync")

    [request] = server.requests
    header = "api-key" if provider == "retab" else "authorization"
    assert request.headers[header].endswith(KEY)


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 429, 500])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_api_errors_from_an_echoing_server(
    raw: Callable[..., RawServer],
    logs: pytest.LogCaptureFixture,
    provider: str,
    status: int,
    mode: str,
) -> None:
    server = raw(echo(status))
    client = docextract.client(provider, api_key=KEY, base_url=server.url, max_retries=0)

    with pytest.raises(APIError) as raised:
        send(client, provider, mode)

    assert raised.value.status_code == status
    assert raised.value.request_id == "req-1"
    assert MASK in raised.value.body_excerpt  # the echo was there, and was masked
    assert_no_key_in_error(raised.value)
    assert_no_key_in_logs(
        logs, expect=transport_logs(mode, "httpx", "httpcore.http11", "httpcore.connection")
    )


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_numind_text_error_detail_is_masked(
    raw: Callable[..., RawServer], logs: pytest.LogCaptureFixture, mode: str
) -> None:
    server = raw(echo(400, content_type="text/plain"))
    client = docextract.client("numind", api_key=KEY, base_url=server.url, max_retries=0)

    with pytest.raises(APIError) as raised:
        run(mode, client, "numind", "post_api_markdown_infer_async", body=_markdown_body())

    assert isinstance(raised.value.detail, str)
    assert raised.value.detail.startswith("denied:")
    assert_no_key_in_error(raised.value)
    assert_no_key_in_logs(logs, expect=("httpx",))


def _markdown_body() -> Any:
    import io

    from numind_client.models import PostApiMarkdownInferAsyncBody
    from numind_client.types import File

    return PostApiMarkdownInferAsyncBody(file=File(io.BytesIO(b"doc"), "a.txt", "text/plain"))


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_retries_and_their_logs(
    raw: Callable[..., RawServer], logs: pytest.LogCaptureFixture, mode: str
) -> None:
    answers = iter([echo(503)] * 2 + [lambda _: json_response(200, PROBES["numind"].ok_body)])
    server = raw(lambda request: next(answers)(request))
    client = docextract.client("numind", api_key=KEY, base_url=server.url, retry_policy=FAST)

    assert send(client, "numind", mode).status_code == 200

    assert len(server.requests) == 3
    assert_no_key_in_logs(
        logs, expect=transport_logs(mode, "docextract.retry", "httpx", "httpcore.http11")
    )


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_retries_exhausted_on_server_errors(
    raw: Callable[..., RawServer], logs: pytest.LogCaptureFixture, provider: str, mode: str
) -> None:
    server = raw(echo(503))
    client = docextract.client(provider, api_key=KEY, base_url=server.url, retry_policy=FAST)

    with pytest.raises(APIError) as raised:
        send(client, provider, mode)

    # a POST without Idempotency-Key is not resent on 503 (Retab's extraction may have run)
    assert len(server.requests) == (1 if provider == "retab" else 3)
    assert_no_key_in_error(raised.value)
    assert_no_key_in_logs(logs, expect=("httpx",))


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    "body",
    [
        '{"id": "' + KEY + '", "status": ',  # truncated JSON
        "<html><body>Bad gateway " + KEY + "</body></html>",
        '{"unexpected": "' + KEY + '"}',  # JSON, but not the model
    ],
)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_invalid_responses(
    raw: Callable[..., RawServer],
    logs: pytest.LogCaptureFixture,
    provider: str,
    body: str,
    mode: str,
) -> None:
    server = raw(lambda _: response(200, body, "Content-Type: application/json"))
    client = docextract.client(provider, api_key=KEY, base_url=server.url)

    with pytest.raises(InvalidResponse) as raised:
        send(client, provider, mode)

    assert MASK in raised.value.body_excerpt
    assert_no_key_in_error(raised.value)
    assert_no_key_in_logs(logs, expect=("httpx",))


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_connection_refused(logs: pytest.LogCaptureFixture, provider: str, mode: str) -> None:
    client = docextract.client(provider, api_key=KEY, base_url=refused_url(), retry_policy=FAST)

    with pytest.raises(TransportError) as raised:
        send(client, provider, mode)

    assert "ConnectError" in str(raised.value)
    assert_no_key_in_error(raised.value)
    assert_no_key_in_logs(
        logs, expect=transport_logs(mode, "docextract.retry", "httpcore.connection")
    )


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_read_timeout(
    raw: Callable[..., RawServer], logs: pytest.LogCaptureFixture, provider: str, mode: str
) -> None:
    server = raw(lambda _: None)
    client = docextract.client(
        provider, api_key=KEY, base_url=server.url, timeout=0.2, retry_policy=FAST
    )

    with pytest.raises(TransportError) as raised:
        send(client, provider, mode)

    assert "ReadTimeout" in str(raised.value)
    assert len(server.requests) == (1 if provider == "retab" else 3)
    assert_no_key_in_error(raised.value)
    assert_no_key_in_logs(logs, expect=transport_logs(mode, "httpcore.http11"))


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_invalid_parameter_holding_the_key(logs: pytest.LogCaptureFixture, mode: str) -> None:
    client = docextract.client("numind", api_key=KEY, base_url="http://127.0.0.1:1")
    params = {"body": _markdown_body(), "timeout": KEY}

    with pytest.raises(InvalidParameter) as raised:
        run(mode, client, "numind", "post_api_markdown_infer_async", **params)

    assert raised.value.parameter == "timeout"
    assert_no_key_in_error(raised.value)
    assert_no_key_in_logs(logs, expect=())


@pytest.mark.parametrize("provider", PROVIDERS)
def test_base_url_carrying_the_key_is_refused(
    logs: pytest.LogCaptureFixture, provider: str
) -> None:
    for url in (
        f"http://127.0.0.1:1/?key={KEY}",
        f"https://api.example.com/v1?api_key={KEY}",
        f"http://api.example.com/{KEY}/",  # and over plain http to a remote host
    ):
        with pytest.raises(InvalidParameter) as raised:
            docextract.client(provider, api_key=KEY, base_url=url)

        assert raised.value.parameter == "base_url"
        assert_no_key_in_error(raised.value)
    assert_no_key_in_logs(logs, expect=())


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_cross_origin_redirect_to_an_echoing_server(
    raw: Callable[..., RawServer], logs: pytest.LogCaptureFixture, provider: str, mode: str
) -> None:
    other = raw(lambda r: response(401, json.dumps(r.headers), "Content-Type: application/json"))
    first = raw(lambda r: response(307, "", f"Location: {other.url}{r.target}"))
    client = docextract.client(provider, api_key=KEY, base_url=first.url, max_retries=0)

    with pytest.raises(APIError) as raised:
        send(client, provider, mode)

    assert raised.value.status_code == 401
    assert MASK not in raised.value.body_excerpt  # nothing to mask: the key never got there
    assert_no_key_in_error(raised.value)
    assert_no_key_in_logs(logs, expect=("httpx",))


@pytest.mark.parametrize(
    "bad_key",
    [f"{KEY}\nX-Injected: 1", f"ab\r{KEY}", f"{KEY}\x00", f"{KEY} {KEY}", f"ключ{KEY}"],
)
def test_key_that_cannot_be_a_header_is_refused(
    raw: Callable[..., RawServer],
    logs: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    bad_key: str,
) -> None:
    """h11 would reject it while sending, quoting it escaped (past the masking); refuse it first."""
    server = raw(lambda _: response(404, ""))
    sources: list[dict[str, str]] = [{"api_key": bad_key}]
    if "\x00" not in bad_key:  # the environment cannot hold a NUL
        monkeypatch.setenv("NUMIND_API_KEY", bad_key)
        sources.append({})

    for given in sources:
        with pytest.raises(InvalidParameter) as raised:
            docextract.client("numind", base_url=server.url, max_retries=0, **given)

        assert raised.value.parameter == "api_key"
        assert "NUMIND_API_KEY" in str(raised.value)
        assert_no_key_in_error(raised.value)
        assert repr(bad_key)[1:-1] not in "".join(error_texts(raised.value))
    assert server.requests == []
    assert_no_key_in_logs(logs, expect=())


def test_missing_key_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RETAB_API_KEY", raising=False)
    with pytest.raises(MissingAPIKey) as raised:
        docextract.client("retab")
    assert "RETAB_API_KEY" in str(raised.value)


# --- the masking itself -------------------------------------------------------------------------


def test_excerpt_never_keeps_part_of_a_key() -> None:
    docextract.client("numind", api_key=KEY)  # registers the key
    for cut in range(len(KEY) + 2):
        body = "x" * (1000 - cut) + KEY + "y" * 50
        text = excerpt(body)
        assert KEY[:6] not in text, cut


def test_redact_masks_every_occurrence() -> None:
    docextract.client("numind", api_key=KEY)
    assert redact(f"a {KEY} b {KEY}") == f"a {MASK} b {MASK}"


def test_error_built_before_the_key_was_known_is_masked_when_shown() -> None:
    late = "sk-LATE-0a1b2c3d4e5f"
    error = APIError(provider="numind", operation="op", status_code=401, body=late)
    docextract.client("numind", api_key=late)
    assert late not in str(error)
