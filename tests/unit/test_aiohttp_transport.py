"""`docextract.client(P, async_transport="aiohttp")`: what it adds to the default transport's
tests (which `nox -s tests` also runs on it, with DOCEXTRACT_TEST_ASYNC_TRANSPORT=aiohttp):
errors that say whether a request may have reached the server, no resend that our retry policy
did not decide, one client across event loops, and choices checked before any request."""

import asyncio
import gc
import os
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from _loopback import PROBES, RawServer, json_response, raw_servers, refused_url, response

import docextract
from docextract import aiohttp_transport
from docextract.aiohttp_transport import async_transport_for
from docextract.calls import call_async
from docextract.errors import InvalidParameter, TransportError
from docextract.retry import RetryPolicy

pytest.importorskip("httpx_aiohttp")  # the `aiohttp` extra (in `dev`, so CI has it)

KEY = "aiohttp-test-key-7d21"
FAST = RetryPolicy(max_retries=2, initial_delay=0.0, max_delay=0.0)


@pytest.fixture
def raw() -> Iterator[Callable[..., RawServer]]:
    with raw_servers() as start:
        yield start


def aio(provider: str, url: str, **kwargs: Any) -> Any:
    return docextract.client(
        provider, api_key=KEY, base_url=url, async_transport="aiohttp", **kwargs
    )


def probe(client: Any, provider: str) -> Any:
    spec = PROBES[provider]
    return asyncio.run(call_async(client, provider, spec.operation_id, **spec.params()))


def create_job(client: Any) -> Any:
    from llamacloud_client.models import (
        ExtractConfiguration,
        ExtractConfigurationDataSchema,
        ExtractV2JobCreate,
    )

    schema = ExtractConfigurationDataSchema.from_dict({"type": "object"})
    body = ExtractV2JobCreate(
        file_input="file-1", configuration=ExtractConfiguration(data_schema=schema)
    )
    return asyncio.run(call_async(client, "llamacloud", "create_extract_job", body=body))


def test_a_dropped_post_is_not_resent(raw: Callable[..., RawServer]) -> None:
    """A server that hangs up after reading the POST may have created the job: one request,
    and the error says the connection broke (httpx-aiohttp alone says ConnectTimeout)."""
    server = raw(lambda _: b"")

    with pytest.raises(TransportError) as raised:
        create_job(aio("llamacloud", server.url, retry_policy=FAST))

    assert isinstance(raised.value.__cause__, httpx.RemoteProtocolError)
    assert len(server.requests) == 1


def test_a_refused_post_is_resent() -> None:
    """Nothing was sent: the retry policy may resend even a POST (a ConnectError)."""
    with pytest.raises(TransportError) as raised:
        create_job(aio("llamacloud", refused_url(), retry_policy=FAST))

    assert isinstance(raised.value.__cause__, httpx.ConnectError)


def test_a_dropped_get_is_resent_by_our_policy_only(raw: Callable[..., RawServer]) -> None:
    """aiohttp would resend a GET on its own when a kept-alive connection drops; the retry
    policy decides instead: with max_retries=0, the server sees exactly one request."""
    answers = iter([json_response(200, PROBES["numind"].ok_body), b""])
    server = raw(lambda _: next(answers))
    client = aio("numind", server.url, max_retries=0)

    async def twice() -> None:
        await call_async(client, "numind", "get_api_jobs_jobid", job_id="j1")
        with pytest.raises(TransportError):  # the kept-alive connection is dropped
            await call_async(client, "numind", "get_api_jobs_jobid", job_id="j1")

    asyncio.run(twice())

    assert len(server.requests) == 2


def test_a_malformed_answer_is_a_transport_error(raw: Callable[..., RawServer]) -> None:
    server = raw(lambda _: b"NOT HTTP AT ALL\r\n\r\n")

    with pytest.raises(TransportError) as raised:
        probe(aio("numind", server.url, max_retries=0), "numind")

    assert isinstance(raised.value.__cause__, httpx.RemoteProtocolError)
    assert KEY not in str(raised.value)


def test_a_truncated_body_is_a_read_error(raw: Callable[..., RawServer]) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\nConnection: close\r\n\r\n"
    server = raw(lambda _: head + b'{"id": ')  # then the server closes the connection

    with pytest.raises(TransportError) as raised:
        probe(aio("numind", server.url, max_retries=0, timeout=10), "numind")

    assert isinstance(raised.value.__cause__, httpx.ReadError)


def test_one_client_serves_successive_event_loops(raw: Callable[..., RawServer]) -> None:
    server = raw(lambda _: json_response(200, PROBES["llamacloud"].ok_body))
    client = aio("llamacloud", server.url)

    for _ in range(3):  # a new loop each time: the session of the last one cannot serve it
        assert probe(client, "llamacloud").status_code == 200

    assert len(server.requests) == 3


def test_a_dropped_client_leaves_no_warnings(raw: Callable[..., RawServer]) -> None:
    server = raw(lambda _: json_response(200, PROBES["llamacloud"].ok_body))

    async def use_and_drop() -> None:
        client = aio("llamacloud", server.url)
        await call_async(client, "llamacloud", "get_extract_job", job_id="j1")
        del client
        gc.collect()

    gc.collect()  # what earlier tests left is not this test's to judge
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(use_and_drop())
        gc.collect()

    unclosed = [w for w in caught if "Unclosed" in str(w.message)]
    assert unclosed == []


def test_aclose_closes_the_session(raw: Callable[..., RawServer]) -> None:
    server = raw(lambda _: response(404, ""))
    client = aio("numind", server.url, max_retries=0)

    async def use_then_close() -> None:
        with pytest.raises(docextract.NotFound):
            await call_async(client, "numind", "get_api_jobs_jobid", job_id="j1")
        await client.get_async_httpx_client().aclose()

    asyncio.run(use_then_close())


def test_the_default_is_httpx_and_a_transport_passes_through() -> None:
    from docextract.tls import client_context

    if os.environ.get("DOCEXTRACT_TEST_ASYNC_TRANSPORT"):
        assert os.environ["DOCEXTRACT_TEST_ASYNC_TRANSPORT"] == aiohttp_transport.DEFAULT
    else:  # what users get
        assert aiohttp_transport.DEFAULT == "httpx"
        assert type(async_transport_for(None, client_context())) is httpx.AsyncHTTPTransport
    assert type(async_transport_for("httpx", client_context())) is httpx.AsyncHTTPTransport
    mock = httpx.MockTransport(lambda request: httpx.Response(200))
    assert async_transport_for(mock, client_context()) is mock


@pytest.mark.parametrize("choice", ["aiohttp2", "", "AIOHTTP", 3])
def test_an_unknown_choice_is_refused(choice: Any) -> None:
    with pytest.raises(InvalidParameter) as raised:
        docextract.client("numind", api_key=KEY, async_transport=choice)

    assert raised.value.parameter == "async_transport"
    assert "'aiohttp'" in str(raised.value)


def test_without_the_extra_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "httpx_aiohttp", None)  # as if not installed

    with pytest.raises(InvalidParameter) as raised:
        docextract.client("numind", api_key=KEY, async_transport="aiohttp")

    assert "docextract[aiohttp]" in str(raised.value)
