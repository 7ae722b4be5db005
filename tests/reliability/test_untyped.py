"""Nothing escapes untyped, no job is lost behind an error: real sockets, both drivers.

Answers that can never be read (deep JSON, truncated bodies, IDs that are not IDs) must become
an InvalidResponse naming provider, operation and — once a job exists — its ID, at once rather
than at the deadline.
"""

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from lifecycle_servers import (
    CTX_DOCUMENT,
    CTX_JOB,
    CTX_SCHEMA,
    FLAVOURS,
    LLAMA_JOB,
    NUMIND_JOB,
    call_api,
    client,
    ctx_created,
    llama_job,
    running,
    status_path,
)
from rawserver import DROP, RawServer, Routes, answer, deep_json, deep_object, head, raw_servers

from docextract import jobs
from docextract.errors import InvalidResponse
from docextract.providers.retab import retab_extract, retab_extract_async

PROVIDERS = ("numind", "llamacloud", "contextual")
JOB_IDS = {"numind": NUMIND_JOB, "llamacloud": LLAMA_JOB, "contextual": CTX_JOB}
CREATE = {
    "numind": "POST /api/structured-extraction/proj-1/jobs",
    "llamacloud": "POST /api/v2/extract",
    "contextual": "POST /extract/jobs",
}
CREATED = {
    "numind": {"jobId": NUMIND_JOB},
    "llamacloud": llama_job("PENDING"),
    "contextual": ctx_created(),
}
SUBMIT = {
    "numind": {"document": b"%PDF-1.4 x", "project_id": "proj-1"},
    "llamacloud": {"document": "dfl-file-1", "data_schema": {"type": "object"}},
    "contextual": {"document_id": CTX_DOCUMENT, "schema_id": CTX_SCHEMA},
}
OPERATION = {"numind": "structured", "llamacloud": "extract", "contextual": "extract"}


@pytest.fixture(params=FLAVOURS)
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def serve() -> Iterator[Callable[..., RawServer]]:
    with raw_servers() as start:
        yield start


def raised(func: Callable[[], Any]) -> BaseException:
    with pytest.raises(Exception) as caught:  # noqa: PT011 - the test checks the type below
        func()
    return caught.value


def submit(flavour: str, provider: str, url: str) -> Any:
    c = client(provider, url)
    return call_api(
        flavour, jobs.submit, provider, OPERATION[provider], client=c, **SUBMIT[provider]
    )


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_deep_status_answer_is_invalid_and_names_the_job_at_once(
    serve: Callable[..., RawServer], flavour: str, provider: str
) -> None:
    server = serve(Routes({f"GET {status_path(provider)}": [answer(200, deep_json())]}))
    c = client(provider, server.url)
    started = time.monotonic()

    error = raised(
        lambda: call_api(
            flavour, jobs.wait, provider, JOB_IDS[provider], client=c, mode="poll", timeout=60
        )
    )

    assert isinstance(error, InvalidResponse), repr(error)
    assert (error.provider, error.job_id) == (provider, JOB_IDS[provider])
    assert time.monotonic() - started < 30  # permanent: not polled until the 60 s deadline
    assert server.paths().count(f"GET {status_path(provider)}") <= 3


@pytest.mark.parametrize("provider", PROVIDERS)
def test_one_status_look_at_deep_json_is_invalid(
    serve: Callable[..., RawServer], flavour: str, provider: str
) -> None:
    server = serve(Routes({f"GET {status_path(provider)}": [answer(200, deep_object("status"))]}))
    c = client(provider, server.url)

    error = raised(lambda: call_api(flavour, jobs.status, provider, JOB_IDS[provider], client=c))

    assert isinstance(error, InvalidResponse), repr(error)
    assert error.job_id == JOB_IDS[provider]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_status_that_never_parses_is_invalid_with_its_body(
    serve: Callable[..., RawServer], flavour: str, provider: str
) -> None:
    broken = {k: v for k, v in running(provider).items() if k != "status"}
    broken["marker"] = "not a status"
    server = serve(Routes({f"GET {status_path(provider)}": [answer(200, broken)]}))
    c = client(provider, server.url)

    error = raised(
        lambda: call_api(
            flavour, jobs.wait, provider, JOB_IDS[provider], client=c, mode="poll", timeout=60
        )
    )

    assert isinstance(error, InvalidResponse), repr(error)
    assert error.job_id == JOB_IDS[provider]
    assert "not a status" in error.body_excerpt
    assert server.paths().count(f"GET {status_path(provider)}") <= 3


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_deep_create_answer_is_invalid(
    serve: Callable[..., RawServer], flavour: str, provider: str
) -> None:
    server = serve(Routes({CREATE[provider]: [answer(200, deep_json())]}))

    error = raised(lambda: submit(flavour, provider, server.url))

    assert isinstance(error, InvalidResponse), repr(error)
    assert error.provider == provider


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_truncated_create_answer_still_names_the_job(
    serve: Callable[..., RawServer], flavour: str, provider: str
) -> None:
    import json

    body = json.dumps(CREATED[provider]).encode()
    cut = body[: body.index(JOB_IDS[provider].encode()) + len(JOB_IDS[provider]) + 1]
    server = serve(Routes({CREATE[provider]: [answer(200, cut)]}))

    error = raised(lambda: submit(flavour, provider, server.url))

    assert isinstance(error, InvalidResponse), repr(error)
    assert error.job_id == JOB_IDS[provider]
    assert JOB_IDS[provider] in str(error)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_create_answer_cut_by_the_connection_still_names_the_job(
    serve: Callable[..., RawServer], flavour: str, provider: str
) -> None:
    import json

    body = json.dumps(CREATED[provider]).encode()
    top = head(200, "Content-Type: application/json", length=len(body) + 50)
    server = serve(Routes({CREATE[provider]: [[top + body, DROP]]}))

    error = raised(lambda: submit(flavour, provider, server.url))

    assert getattr(error, "job_id", None) == JOB_IDS[provider], repr(error)
    assert server.paths().count(CREATE[provider]) == 1  # never resent


@pytest.mark.parametrize("job_id", [None, "", 12, "x" * 100_000])
def test_numind_create_without_a_usable_job_id_is_invalid(
    serve: Callable[..., RawServer], flavour: str, job_id: Any
) -> None:
    server = serve(Routes({CREATE["numind"]: [answer(200, {"jobId": job_id})]}))

    error = raised(lambda: submit(flavour, "numind", server.url))

    assert isinstance(error, InvalidResponse), repr(error)
    assert len(str(error)) < 5000


def test_contextual_create_with_a_malformed_job_id_names_what_came_back(
    serve: Callable[..., RawServer], flavour: str
) -> None:
    server = serve(Routes({CREATE["contextual"]: [answer(200, ctx_created(job_id="not-a-uuid"))]}))
    c = client("contextual", server.url)

    error = raised(
        lambda: call_api(
            flavour,
            jobs.submit_and_wait,
            "contextual",
            "extract",
            client=c,
            mode="poll",
            timeout=5,
            **SUBMIT["contextual"],
        )
    )

    assert isinstance(error, InvalidResponse), repr(error)
    assert "not-a-uuid" in str(error)


def test_retab_deep_answer_is_invalid(serve: Callable[..., RawServer], flavour: str) -> None:
    server = serve(Routes({"POST /v1/projects/extract/proj-1": [answer(200, deep_json())]}))
    c = client("retab", server.url)

    def run() -> Any:
        if flavour == "sync":
            return retab_extract(b"%PDF x", project_id="proj-1", client=c, timeout=5)
        import asyncio

        return asyncio.run(retab_extract_async(b"%PDF x", project_id="proj-1", client=c, timeout=5))

    error = raised(run)

    assert isinstance(error, InvalidResponse), repr(error)
    assert error.provider == "retab"
