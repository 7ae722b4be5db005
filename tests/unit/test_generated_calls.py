"""Generated functions called on a docextract.client(): any status the spec does not document
as a success raises the docextract error (with the parsed error model where the spec has one);
`*_detailed` still gives the Response on success. And the client's lifecycle: close(),
aclose(), both context managers, a ResourceWarning when collected with a pool in use.
Real loopback servers (pytest-httpserver)."""

import asyncio
import gc
import json
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from _loopback import JOB_ID, PROBES
from pytest_httpserver import HTTPServer

import docextract
from docextract import NotFound, ServerError, UnprocessableEntity
from docextract.retry import RetryPolicy
from llamacloud_client.api.extract import get_extract_job
from llamacloud_client.models import ExtractV2Job, HTTPValidationError

KEY = "test-key-6b1d0e"
PATH = f"/api/v2/extract/{JOB_ID}"
OPERATION = "get_extract_job"


def llamacloud(server: HTTPServer, **settings: Any) -> Any:
    return docextract.client("llamacloud", api_key=KEY, base_url=server.url_for("/"), **settings)


def sync_detailed(api: Any) -> Any:
    return get_extract_job.sync_detailed(JOB_ID, client=api)


def sync(api: Any) -> Any:
    return get_extract_job.sync(JOB_ID, client=api)


def asyncio_detailed(api: Any) -> Any:
    return asyncio.run(get_extract_job.asyncio_detailed(JOB_ID, client=api))


def asyncio_(api: Any) -> Any:
    return asyncio.run(get_extract_job.asyncio(JOB_ID, client=api))


CALLS: dict[str, Callable[[Any], Any]] = {
    "sync": sync,
    "sync_detailed": sync_detailed,
    "asyncio": asyncio_,
    "asyncio_detailed": asyncio_detailed,
}
calls = pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())


@calls
def test_a_missing_job_raises_not_found(httpserver: HTTPServer, call: Callable[[Any], Any]) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        '{"detail": "Extract job not found"}',
        status=404,
        headers={"x-request-id": "req-404-abc"},
        content_type="application/json",
    )

    with pytest.raises(NotFound) as raised:
        call(llamacloud(httpserver))

    error = raised.value
    assert (error.provider, error.operation) == ("llamacloud", OPERATION)
    assert (error.status_code, error.request_id) == (404, "req-404-abc")
    assert "Extract job not found" in str(error)
    assert "req-404-abc" in str(error)


@calls
def test_a_503_after_the_retries_raises_server_error(
    httpserver: HTTPServer, call: Callable[[Any], Any]
) -> None:
    httpserver.expect_request(PATH).respond_with_data("busy", status=503)
    policy = RetryPolicy(max_retries=2, initial_delay=0.0, max_delay=0.0)

    with pytest.raises(ServerError) as raised:
        call(llamacloud(httpserver, retry_policy=policy))

    assert raised.value.status_code == 503
    assert raised.value.operation == OPERATION
    assert len(httpserver.log) == 3  # the first try and two retries


@calls
def test_a_documented_422_raises_with_the_parsed_validation_error(
    httpserver: HTTPServer, call: Callable[[Any], Any]
) -> None:
    detail = {"detail": [{"loc": ["path", "job_id"], "msg": "bad id", "type": "value_error"}]}
    httpserver.expect_request(PATH).respond_with_json(detail, status=422)

    with pytest.raises(UnprocessableEntity) as raised:
        call(llamacloud(httpserver))

    parsed = raised.value.detail
    assert isinstance(parsed, HTTPValidationError)
    assert parsed.to_dict() == detail
    assert raised.value.provider == "llamacloud"


@calls
def test_a_success_is_returned_as_the_generator_does(
    httpserver: HTTPServer, call: Callable[[Any], Any]
) -> None:
    httpserver.expect_request(PATH).respond_with_data(
        PROBES["llamacloud"].ok_body, content_type="application/json"
    )

    answer = call(llamacloud(httpserver))

    job = answer if isinstance(answer, ExtractV2Job) else answer.parsed
    assert isinstance(job, ExtractV2Job)
    assert str(job.status) == "PENDING"
    if not isinstance(answer, ExtractV2Job):  # *_detailed: the whole Response
        assert answer.status_code == 200
        assert json.loads(answer.content)["id"] == JOB_ID


def test_an_undocumented_success_status_raises_invalid_response(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data("", status=204)

    with pytest.raises(docextract.InvalidResponse) as raised:
        sync_detailed(llamacloud(httpserver))

    assert raised.value.status_code == 204


def test_a_plain_generated_client_keeps_the_generators_behaviour(httpserver: HTTPServer) -> None:
    """Without docextract's hook (a client built by hand) nothing changes: 404 -> None."""
    import llamacloud_client

    httpserver.expect_request(PATH).respond_with_data("{}", status=404)
    plain = llamacloud_client.AuthenticatedClient(base_url=httpserver.url_for("/"), token=KEY)

    with plain:
        assert get_extract_job.sync(JOB_ID, client=plain) is None


# --- lifecycle ----------------------------------------------------------------------------------


def answer_ok(server: HTTPServer) -> None:
    server.expect_request(PATH).respond_with_data(
        PROBES["llamacloud"].ok_body, content_type="application/json"
    )


def test_close_closes_the_blocking_pool(httpserver: HTTPServer) -> None:
    answer_ok(httpserver)
    api = llamacloud(httpserver)
    sync_detailed(api)

    api.close()

    assert api.get_httpx_client().is_closed


async def test_aclose_closes_both_pools(httpserver: HTTPServer) -> None:
    answer_ok(httpserver)
    api = llamacloud(httpserver)
    sync_detailed(api)
    await get_extract_job.asyncio_detailed(JOB_ID, client=api)

    await api.aclose()

    assert api.get_httpx_client().is_closed
    assert api.get_async_httpx_client().is_closed


def test_the_context_manager_closes(httpserver: HTTPServer) -> None:
    answer_ok(httpserver)
    with llamacloud(httpserver) as api:
        sync_detailed(api)

    assert api.get_httpx_client().is_closed


async def test_the_async_context_manager_closes_both(httpserver: HTTPServer) -> None:
    answer_ok(httpserver)
    async with llamacloud(httpserver) as api:
        await get_extract_job.asyncio_detailed(JOB_ID, client=api)
        sync_detailed(api)

    assert api.get_httpx_client().is_closed
    assert api.get_async_httpx_client().is_closed


def ours(seen: list[warnings.WarningMessage]) -> list[str]:
    return [
        str(w.message)
        for w in seen
        if w.category is ResourceWarning and "docextract" in str(w.message)
    ]


def test_a_client_collected_with_a_pool_in_use_warns(httpserver: HTTPServer) -> None:
    answer_ok(httpserver)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gc.collect()  # earlier tests' garbage warns now, not below
    api = llamacloud(httpserver)
    sync_detailed(api)  # the blocking pool is in use, and never closed

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        del api
        gc.collect()

    [message] = ours(seen)
    assert "llamacloud" in message
    assert "close()" in message


def test_a_closed_or_unused_client_does_not_warn(httpserver: HTTPServer) -> None:
    answer_ok(httpserver)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gc.collect()  # earlier tests' garbage warns now, not below
    closed = llamacloud(httpserver)
    sync_detailed(closed)
    closed.close()
    unused = llamacloud(httpserver)

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        del closed, unused
        gc.collect()

    assert ours(seen) == []
