"""The CLI never ends in a traceback: bad input exits 2, a bad answer exits 3, each with one line.

In-process (`docextract.cli.main`) against raw loopback servers; no request leaves 127.0.0.1.
"""

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from lifecycle_servers import CTX_JOB, KEY, ctx_status, numind_job
from rawserver import RawServer, Routes, answer, deep_json, raw_servers

import docextract
from docextract.cli import EXIT_API, EXIT_USAGE, main
from docextract.errors import InvalidParameter
from docextract.providers.retab import retab_extract


@pytest.fixture
def serve() -> Iterator[Callable[..., RawServer]]:
    with raw_servers() as start:
        yield start


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--api-key", KEY], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def one_clean_line(err: str) -> None:
    assert "Traceback" not in err
    assert err.startswith("docextract: ")
    assert len(err) < 2000


def test_a_path_that_is_not_utf8_is_read(serve: Callable[..., RawServer], tmp_path: Path) -> None:
    name = os.fsdecode(b"invoice-\xff.pdf")  # a Linux file name no UTF-8 decoder reads
    document = tmp_path / name
    document.write_bytes(b"%PDF-1.4 x")
    created = {"jobId": "nm-job-7f3a"}
    server = serve(Routes({"POST /api/structured-extraction/proj-1/jobs": [answer(200, created)]}))

    job = docextract.submit(
        "numind",
        "structured",
        client=docextract.client("numind", api_key=KEY, base_url=server.url, max_retries=0),
        document=str(document),
        project_id="proj-1",
    )

    assert job.id == "nm-job-7f3a"
    assert server.requests[0].body == b"%PDF-1.4 x"


def test_retab_extract_takes_a_file_name_that_is_not_utf8(
    serve: Callable[..., RawServer], tmp_path: Path
) -> None:
    document = tmp_path / os.fsdecode(b"scan-\xfe.pdf")
    document.write_bytes(b"%PDF-1.4 x")
    server = serve(Routes({"POST /v1/projects/extract/proj-1": [answer(200, deep_json(5))]}))
    c = docextract.client("retab", api_key=KEY, base_url=server.url, max_retries=0)

    with pytest.raises(docextract.errors.InvalidResponse):  # the answer is no completion
        retab_extract(str(document), project_id="proj-1", client=c)

    assert len(server.requests) == 1
    assert "scan-\ufffd.pdf".encode() in server.requests[0].body


def test_a_non_numeric_progress_exits_3(serve: Callable[..., RawServer]) -> None:
    bad = {**ctx_status("processing"), "completion_percentage": "half"}
    server = serve(Routes({f"GET /extract/jobs/{CTX_JOB}": [answer(200, bad)]}))

    code, _, err = run("jobs", "wait", "contextual", CTX_JOB, "--base-url", server.url)

    assert code == EXIT_API, err
    one_clean_line(err)
    assert CTX_JOB in err


def test_a_huge_job_id_exits_2() -> None:
    code, _, err = run(
        "jobs", "status", "numind", "x" * 100_000, "--base-url", "http://127.0.0.1:9"
    )

    assert code == EXIT_USAGE, err
    one_clean_line(err)


def test_a_malformed_base_url_exits_2() -> None:
    code, _, err = run("jobs", "status", "numind", "nm-1", "--base-url", "http://[::1")

    assert code == EXIT_USAGE, err
    one_clean_line(err)
    assert "--base-url" in err  # the CLI names its flag


def test_a_malformed_base_url_is_an_invalid_parameter() -> None:
    with pytest.raises(InvalidParameter, match="base_url"):
        docextract.client("numind", api_key=KEY, base_url="http://[::1")


def test_retab_without_a_project_id_exits_2(tmp_path: Path) -> None:
    document = tmp_path / "a.pdf"
    document.write_bytes(b"%PDF-1.4 x")

    code, _, err = run(
        "extract", str(document), "--provider", "retab", "--base-url", "http://127.0.0.1:9"
    )

    assert code == EXIT_USAGE, err
    one_clean_line(err)
    assert "project" in err


def test_retab_extract_without_a_project_id_is_an_invalid_parameter(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameter, match="project_id"):
        docextract.extract(b"%PDF-1.4 x", provider="retab", api_key=KEY)


def test_a_deep_schema_file_exits_2(tmp_path: Path) -> None:
    schema = tmp_path / "deep.json"
    schema.write_bytes(deep_json())
    document = tmp_path / "a.pdf"
    document.write_bytes(b"%PDF-1.4 x")

    code, _, err = run(
        "extract",
        str(document),
        "--provider",
        "llamacloud",
        "--schema",
        str(schema),
        "--base-url",
        "http://127.0.0.1:9",
    )

    assert code == EXIT_USAGE, err
    one_clean_line(err)
    assert "schema" in err


def test_a_deep_status_answer_exits_3(serve: Callable[..., RawServer]) -> None:
    server = serve(Routes({"GET /api/jobs/nm-1/status": [answer(200, deep_json())]}))

    code, _, err = run("jobs", "status", "numind", "nm-1", "--base-url", server.url)

    assert code == EXIT_API, err
    one_clean_line(err)
    assert "nm-1" in err


def test_a_job_answer_unreadable_in_wait_exits_3(serve: Callable[..., RawServer]) -> None:
    job: dict[str, Any] = numind_job("running", job_id="nm-1")
    del job["status"]
    server = serve(Routes({"GET /api/jobs/nm-1/status": [answer(200, job)]}))

    code, _, err = run("jobs", "wait", "numind", "nm-1", "--mode", "poll", "--base-url", server.url)

    assert code == EXIT_API, err
    one_clean_line(err)
