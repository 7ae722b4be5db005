"""Creating jobs (`submit`, `submit_and_wait`) and Retab's synchronous extraction: what goes on
the wire, checked on a loopback pytest-httpserver, sync and asyncio alike."""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from lifecycle_servers import (
    CTX_DOCUMENT,
    CTX_JOB,
    CTX_SCHEMA,
    FLAVOURS,
    LLAMA_JOB,
    NUMIND_JOB,
    FakeClock,
    Reply,
    Script,
    call_api,
    client,
    ctx_created,
    eta_in,
    llama_job,
    numind_extraction,
    numind_job,
    paths,
    serve,
    status_path,
)
from pytest_httpserver import HTTPServer

from docextract import jobs
from docextract.errors import InvalidParameter, ServerError
from docextract.jobs import Job
from docextract.providers import get_provider
from docextract.providers.retab import retab_extract
from docextract.retry import RetryPolicy

PDF = b"%PDF-1.7\n\xe2\xe3\xcf\xd3\x00\xff binary \r\n body"
PROJECT = "4e1f8a52-2c4b-4b8e-8f0a-6d2b1c9e3f77"
SCHEMA = {"type": "object", "properties": {"total": {"type": "number"}}}
SPECS = Path(__file__).resolve().parents[2] / "specs"


@pytest.fixture(params=FLAVOURS)
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def submit(flavour: str, provider: str, operation: str, url: str, **params: Any) -> Job:
    job: Job = call_api(
        flavour, jobs.submit, provider, operation, client=client(provider, url), **params
    )
    return job


# ---------------------------------------------------------------- NuMind


@pytest.mark.parametrize(
    ("timeout", "sent"),
    [("90s", "90s"), (timedelta(minutes=2), "2m"), (1.5, "1500ms"), ("1m30s", "90s")],
)
def test_numind_structured_sends_the_bytes_and_all_seven_parameters(
    httpserver: HTTPServer, flavour: str, timeout: Any, sent: str
) -> None:
    create = serve(
        httpserver,
        f"/api/structured-extraction/{PROJECT}/jobs",
        Script({"jobId": NUMIND_JOB}),
        method="POST",
    )

    job = submit(
        flavour,
        "numind",
        "structured",
        httpserver.url_for("/"),
        document=PDF,
        project_id=PROJECT,
        temperature=0.2,
        rasterization_dpi=150,
        max_output_tokens=0,
        max_example_token_number=2000,
        max_example_number=3,
        min_example_similarity=0.5,
        timeout=timeout,
    )

    assert (job.provider, job.operation, job.id) == ("numind", "structured", NUMIND_JOB)
    [request] = create.requests
    assert create.bodies[0] == PDF
    assert request.headers["Content-Type"] == "application/octet-stream"
    # the names of before 2026-12 still work: rasterization_dpi is sent as `dpi`, numbers as
    # the text NuMind reads, and max_output_tokens=0 (no limit) as `Unlimited`
    assert request.args.to_dict() == {
        "temperature": "0.2",
        "dpi": "150",
        "maxOutputTokens": "Unlimited",
        "maxExampleTokenNumber": "2000",
        "maxExampleNumber": "3",
        "minExampleSimilarity": "0.5",
        "timeout": sent,
    }


def test_numind_structured_sends_todays_settings(httpserver: HTTPServer, flavour: str) -> None:
    create = serve(
        httpserver,
        f"/api/structured-extraction/{PROJECT}/jobs",
        Script({"jobId": NUMIND_JOB}),
        method="POST",
    )

    submit(
        flavour,
        "numind",
        "structured",
        httpserver.url_for("/"),
        document=PDF,
        project_id=PROJECT,
        temperature=1.8,
        dpi="automatic",
        max_output_tokens="Unlimited",
        max_example_number=0,
        enable_thinking=True,
        thinking_token_budget=4096,
        loop_detection=False,
        random_seed="random",
        image_width="original",
    )

    assert create.requests[0].args.to_dict() == {
        "temperature": "1.8",
        "dpi": "automatic",
        "maxOutputTokens": "Unlimited",
        "maxExampleNumber": "0",
        "enableThinking": "true",
        "thinkingTokenBudget": "4096",
        "loopDetection": "false",
        "randomSeed": "random",
        "imageWidth": "original",
    }


def test_numind_structured_reads_a_path(
    httpserver: HTTPServer, flavour: str, tmp_path: Path
) -> None:
    create = serve(
        httpserver,
        f"/api/structured-extraction/{PROJECT}/jobs",
        Script({"jobId": NUMIND_JOB}),
        method="POST",
    )
    document = tmp_path / "scan.pdf"
    document.write_bytes(PDF)

    submit(
        flavour,
        "numind",
        "structured",
        httpserver.url_for("/"),
        document=document,
        project_id=PROJECT,
    )

    assert create.bodies == [PDF]
    assert create.requests[0].args.to_dict() == {}  # nothing not asked for


def test_numind_markdown_is_multipart(httpserver: HTTPServer, flavour: str, tmp_path: Path) -> None:
    create = serve(
        httpserver, "/api/markdown/infer-async", Script({"jobId": NUMIND_JOB}), method="POST"
    )
    document = tmp_path / "page.png"
    document.write_bytes(PDF)

    job = submit(
        flavour,
        "numind",
        "markdown",
        httpserver.url_for("/"),
        document=str(document),
        temperature=0.0,
        rasterization_dpi=170,
        timeout="10m",
    )

    assert (job.operation, job.id) == ("markdown", NUMIND_JOB)
    [request] = create.requests
    assert request.mimetype == "multipart/form-data"
    upload = request.files["file"]
    assert upload.filename == "page.png"
    assert upload.mimetype == "image/png"
    assert upload.read() == PDF
    assert request.args.to_dict() == {
        "temperature": "0.0",
        "rasterizationDPI": "170",
        "timeout": "10m",
    }


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"document": PDF}, "project_id"),
        ({"document": PDF, "project_id": PROJECT, "dots": 100}, "dots"),  # not a parameter
        ({"document": b"", "project_id": PROJECT}, "document"),  # empty
        ({"document": "/no/such/file.pdf", "project_id": PROJECT}, "document"),
        ({"document": PDF, "project_id": PROJECT, "temperature": 2.5}, "temperature"),
        ({"document": PDF, "project_id": PROJECT, "timeout": "ten seconds"}, "timeout"),
        ({"document": PDF, "project_id": PROJECT, "dpi": 200, "rasterization_dpi": 200}, "dpi"),
        ({"document": PDF, "project_id": PROJECT, "max_example_number": 1.5}, "max_example"),
        ({"document": PDF, "project_id": PROJECT, "dpi": "601"}, "dpi"),
    ],
    ids=[
        "no-project",
        "unknown-parameter",
        "empty",
        "missing-file",
        "temperature",
        "timeout",
        "dpi-twice",
        "not-a-whole-number",
        "dpi-above-600",
    ],
)
def test_numind_bad_input_is_refused_before_any_request(
    httpserver: HTTPServer, flavour: str, params: dict[str, Any], named: str
) -> None:
    with pytest.raises(ValueError, match=named):  # InvalidParameter / DurationError
        submit(flavour, "numind", "structured", httpserver.url_for("/"), **params)

    assert httpserver.log == []


def test_unknown_operation_is_refused(httpserver: HTTPServer) -> None:
    with pytest.raises(InvalidParameter, match="operation"):
        jobs.submit("numind", "translate", client=client("numind", httpserver.url_for("/")))


# ---------------------------------------------------------------- LlamaCloud


def serve_llamacloud(httpserver: HTTPServer) -> tuple[Script, Script]:
    upload = serve(
        httpserver,
        "/api/v1/beta/files",
        Script(
            Reply(
                201,
                json.dumps(
                    {
                        "id": "dfl-up-1",
                        "name": "doc",
                        "project_id": "0b6f3c2e-1d4a-4e5b-9c7d-8a9b0c1d2e3f",
                    }
                ),
            )
        ),
        method="POST",
    )
    create = serve(
        httpserver,
        "/api/v2/extract",
        Script(llama_job("PENDING", document="dfl-up-1")),
        method="POST",
    )
    return upload, create


@pytest.mark.parametrize("kind", ["path", "bytes"])
def test_llamacloud_uploads_the_document_first(
    httpserver: HTTPServer, flavour: str, tmp_path: Path, kind: str
) -> None:
    upload, create = serve_llamacloud(httpserver)
    path = tmp_path / "invoice.pdf"
    path.write_bytes(PDF)

    job = submit(
        flavour,
        "llamacloud",
        "extract",
        httpserver.url_for("/"),
        document=path if kind == "path" else PDF,
        data_schema=SCHEMA,
        project_id="0b6f3c2e-1d4a-4e5b-9c7d-8a9b0c1d2e3f",
    )

    assert (job.provider, job.operation, job.id) == ("llamacloud", "extract", LLAMA_JOB)
    assert paths(httpserver) == ["/api/v1/beta/files", "/api/v2/extract"]
    [sent] = upload.requests
    assert sent.mimetype == "multipart/form-data"
    assert sent.form["purpose"] == "extract"
    assert sent.files["file"].read() == PDF
    if kind == "path":
        assert sent.files["file"].filename == "invoice.pdf"
    assert sent.args["project_id"] == "0b6f3c2e-1d4a-4e5b-9c7d-8a9b0c1d2e3f"
    body = json.loads(create.bodies[0])
    assert body["file_input"] == "dfl-up-1"  # the uploaded file's ID
    assert body["configuration"]["data_schema"] == SCHEMA
    assert "configuration_id" not in body
    assert create.requests[0].args["project_id"] == "0b6f3c2e-1d4a-4e5b-9c7d-8a9b0c1d2e3f"


def test_llamacloud_file_id_is_used_directly(httpserver: HTTPServer, flavour: str) -> None:
    upload, create = serve_llamacloud(httpserver)

    submit(
        flavour,
        "llamacloud",
        "extract",
        httpserver.url_for("/"),
        document="dfl-existing-9",
        configuration_id="cfg-7",
    )

    assert upload.calls == 0
    body = json.loads(create.bodies[0])
    assert body["file_input"] == "dfl-existing-9"
    assert body["configuration_id"] == "cfg-7"
    assert "configuration" not in body


@pytest.mark.parametrize("name", ["document", "file_input"])
def test_llamacloud_takes_the_file_as_document_or_file_input(
    httpserver: HTTPServer, flavour: str, name: str
) -> None:
    """`file_input` is the API's name since 2026-08; `document=` (the suite's) keeps working."""
    upload, create = serve_llamacloud(httpserver)

    submit(flavour, "llamacloud", "extract", httpserver.url_for("/"), configuration_id="c",
           **{name: "dfl-existing-9"})  # fmt: skip

    assert upload.calls == 0
    assert json.loads(create.bodies[0])["file_input"] == "dfl-existing-9"


def test_llamacloud_refuses_document_and_file_input_together(httpserver: HTTPServer) -> None:
    with pytest.raises(InvalidParameter, match="file_input") as caught:
        submit("sync", "llamacloud", "extract", httpserver.url_for("/"), document="dfl-1",
               file_input="dfl-2", configuration_id="c")  # fmt: skip
    assert "document or file_input, not both" in str(caught.value)


def test_llamacloud_full_configuration(httpserver: HTTPServer, flavour: str) -> None:
    _, create = serve_llamacloud(httpserver)
    configuration = {"data_schema": SCHEMA, "tier": "agentic", "cite_sources": True}

    submit(
        flavour,
        "llamacloud",
        "extract",
        httpserver.url_for("/"),
        document="dfl-1",
        configuration=configuration,
    )

    sent = json.loads(create.bodies[0])["configuration"]
    assert {k: sent[k] for k in configuration} == configuration


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"data_schema": SCHEMA, "configuration_id": "cfg-1"},
        {"configuration": {"data_schema": SCHEMA}, "configuration_id": "cfg-1"},
    ],
    ids=["neither", "schema-and-id", "configuration-and-id"],
)
def test_llamacloud_needs_exactly_one_configuration(
    httpserver: HTTPServer, flavour: str, params: dict[str, Any]
) -> None:
    serve_llamacloud(httpserver)

    with pytest.raises(InvalidParameter, match="exactly one"):
        submit(flavour, "llamacloud", "extract", httpserver.url_for("/"), document=PDF, **params)

    assert httpserver.log == []  # not even the upload


def test_a_failed_creation_is_not_resent(httpserver: HTTPServer, flavour: str) -> None:
    create = serve(
        httpserver, "/api/v2/extract", Script(Reply(503, '{"detail": "busy"}')), method="POST"
    )
    c = client("llamacloud", httpserver.url_for("/"), max_retries=3)

    with pytest.raises(ServerError) as caught:
        call_api(
            flavour,
            jobs.submit,
            "llamacloud",
            "extract",
            client=c,
            document="dfl-1",
            configuration_id="cfg-1",
        )

    assert create.calls == 1  # a POST that may have created a job is never repeated blindly
    assert caught.value.job_id is None


# ---------------------------------------------------------------- Contextual


def test_contextual_submit(httpserver: HTTPServer, flavour: str) -> None:
    create = serve(httpserver, "/extract/jobs", Script(ctx_created(eta=eta_in(300))), method="POST")

    job = submit(
        flavour,
        "contextual",
        "extract",
        httpserver.url_for("/"),
        document_id=CTX_DOCUMENT,
        schema_id=CTX_SCHEMA,
        config={"temperature": 0.1},
    )

    assert (job.provider, job.operation, job.id) == ("contextual", "extract", CTX_JOB)
    assert job.estimated_completion is not None
    assert job.created_at is not None
    body = json.loads(create.bodies[0])
    assert body["document_id"] == CTX_DOCUMENT
    assert body["schema_id"] == CTX_SCHEMA
    assert body["config"]["temperature"] == 0.1
    assert body.get("stream") in (None, False)


@pytest.mark.parametrize(
    ("document_id", "schema_id", "bad"),
    [
        ("doc-1", CTX_SCHEMA, "document_id"),
        (CTX_DOCUMENT, "schema-1", "schema_id"),
        (None, CTX_SCHEMA, "document_id"),
    ],
)
def test_contextual_needs_uuids(
    httpserver: HTTPServer, flavour: str, document_id: Any, schema_id: Any, bad: str
) -> None:
    with pytest.raises(InvalidParameter, match=bad):
        submit(
            flavour,
            "contextual",
            "extract",
            httpserver.url_for("/"),
            document_id=document_id,
            schema_id=schema_id,
        )

    assert httpserver.log == []


def test_contextual_job_ids_must_be_uuids_before_any_request(httpserver: HTTPServer) -> None:
    with pytest.raises(InvalidParameter, match="UUID"):
        jobs.wait("contextual", "job-1", client=client("contextual", httpserver.url_for("/")))

    assert httpserver.log == []


# ---------------------------------------------------------------- submit_and_wait


def test_numind_submit_and_wait_polls_the_new_job(httpserver: HTTPServer, flavour: str) -> None:
    serve(
        httpserver,
        f"/api/structured-extraction/{PROJECT}/jobs",
        Script({"jobId": NUMIND_JOB}),
        method="POST",
    )
    serve(httpserver, status_path("numind"), Script(numind_job("running"), numind_job("completed")))
    output = numind_extraction({"total": 42})
    serve(httpserver, f"/api/jobs/{NUMIND_JOB}", Script(numind_job("completed", output=output)))
    fake = FakeClock()

    job, outcome = call_api(
        flavour,
        jobs.submit_and_wait,
        "numind",
        "structured",
        client=client("numind", httpserver.url_for("/")),
        fake=fake,
        mode="poll",
        document=PDF,
        project_id=PROJECT,
        temperature=0.1,
    )

    assert job.id == NUMIND_JOB
    assert outcome.result.result["total"] == 42
    assert outcome.requests == 4  # create, two looks, the result
    assert paths(httpserver)[0] == f"/api/structured-extraction/{PROJECT}/jobs"


def test_contextual_submit_and_wait_honours_the_estimate(
    httpserver: HTTPServer, flavour: str
) -> None:
    serve(httpserver, "/extract/jobs", Script(ctx_created(eta=eta_in(3600))), method="POST")
    serve(
        httpserver,
        status_path("contextual"),
        Script(
            {"job_id": CTX_JOB, "status": "pending", "completion_percentage": 0},
            {"job_id": CTX_JOB, "status": "completed", "completion_percentage": 100},
        ),
    )
    serve(httpserver, f"/extract/jobs/{CTX_JOB}/results", Script({"results": {}, "metadata": {}}))
    fake = FakeClock()

    call_api(
        flavour,
        jobs.submit_and_wait,
        "contextual",
        "extract",
        client=client("contextual", httpserver.url_for("/")),
        fake=fake,
        mode="poll",
        document_id=CTX_DOCUMENT,
        schema_id=CTX_SCHEMA,
    )

    assert fake.sleeps == [10.0]  # the default maximum, not the first rung (0.5 s)


# ---------------------------------------------------------------- Retab


def retab_answer() -> dict[str, Any]:
    spec = yaml.safe_load((SPECS / "retab" / "openapi.yaml").read_text("utf-8"))
    post = spec["paths"]["/v1/projects/extract/{project_id}"]["post"]
    value: dict[str, Any] = post["responses"]["200"]["content"]["application/json"]["examples"][
        "seed"
    ]["value"]
    return value


def retab_client(url: str) -> Any:
    # retries on, with no real waiting between attempts
    policy = RetryPolicy(max_retries=2, initial_delay=0.0, max_delay=0.0)
    return client("retab", url, retry_policy=policy)


def test_retab_resends_with_the_same_idempotency_key(httpserver: HTTPServer, flavour: str) -> None:
    extract = serve(
        httpserver,
        "/v1/projects/extract/proj_1",
        Script(Reply(503, '{"detail": "busy"}'), retab_answer()),
        method="POST",
    )

    result = call_api(
        flavour,
        retab_extract,
        PDF,
        project_id="proj_1",
        client=retab_client(httpserver.url_for("/")),
        model="gpt-4o-mini",
        n_consensus=1,
    )

    assert result.choices  # the parsed chat completion
    assert extract.calls == 2
    first, second = (r.headers["Idempotency-Key"] for r in extract.requests)
    assert first == second
    assert len(first) >= 16
    assert extract.requests[1].files["document"].read() == PDF  # the whole body, again
    assert extract.requests[1].form["model"] == "gpt-4o-mini"


def test_retab_uses_a_new_key_for_the_next_call(httpserver: HTTPServer, flavour: str) -> None:
    extract = serve(
        httpserver, "/v1/projects/extract/proj_1", Script(retab_answer()), method="POST"
    )
    c = retab_client(httpserver.url_for("/"))

    call_api(flavour, retab_extract, PDF, project_id="proj_1", client=c)
    call_api(
        flavour,
        retab_extract,
        PDF,
        project_id="proj_1",
        client=retab_client(httpserver.url_for("/")),
    )

    assert extract.calls == 2
    first, second = (r.headers["Idempotency-Key"] for r in extract.requests)
    assert first != second


def test_retab_given_key_is_sent(httpserver: HTTPServer, flavour: str) -> None:
    extract = serve(
        httpserver, "/v1/projects/extract/proj_1", Script(retab_answer()), method="POST"
    )

    call_api(
        flavour,
        retab_extract,
        PDF,
        project_id="proj_1",
        client=retab_client(httpserver.url_for("/")),
        idempotency_key="order-77",
        metadata={"batch": 3},
    )

    assert extract.requests[0].headers["Idempotency-Key"] == "order-77"
    assert json.loads(extract.requests[0].form["metadata"]) == {"batch": 3}


@pytest.mark.parametrize(
    "params",
    [{"project_id": ""}, {"project_id": "p", "colour": "red"}],
    ids=["no-project", "unknown-option"],
)
def test_retab_bad_input_is_refused_before_any_request(
    httpserver: HTTPServer, params: dict[str, Any]
) -> None:
    # the string-keyed path (extract()'s): an unknown option is refused by name
    run = get_provider("retab").synchronous
    assert run is not None
    with pytest.raises(InvalidParameter):
        run.run(retab_client(httpserver.url_for("/")), {"document": PDF, **params})
    assert httpserver.log == []


def test_extract_sends_numind_job_timeout_apart_from_its_own_wait_budget(
    httpserver: HTTPServer,
) -> None:
    """extract(timeout=...) is the wait's budget; NuMind's own timeout goes as job_timeout."""
    import docextract

    httpserver.expect_request(
        "/api/structured-extraction/p1/jobs", method="POST"
    ).respond_with_json({"jobId": "j1"})
    job = {
        "id": "j1", "jobType": "structured", "status": "completed", "ownerUser": "u",
        "timeoutSeconds": 3600,
        "inputData": "{}", "startedAt": "2026-01-01T00:00:00Z",
        "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z",
        "outputData": json.dumps({
            "result": {"a": 1}, "rawModelOutput": "{}", "outputTokens": 1, "inputTokens": 1,
            "totalTokens": 2, "logprobs": 0.0, "outputTokenProbability": 1.0, "randomSeed": 1,
            "isTruncated": False,
        }),
    }  # fmt: skip
    httpserver.expect_request("/api/jobs/j1/status").respond_with_json(job)
    httpserver.expect_request("/api/jobs/j1").respond_with_json(job)
    client = docextract.client("numind", api_key="k" * 12, base_url=httpserver.url_for(""))
    result = docextract.extract(
        b"total: 1", provider="numind", client=client, project_id="p1",
        timeout="30s", job_timeout=timedelta(minutes=2), mode="poll",
    )  # fmt: skip
    submitted = httpserver.log[0][0]
    assert submitted.args.get("timeout") == "2m"
    assert result.data == {"a": 1}
