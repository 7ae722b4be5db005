"""Faults injected into the sandbox, at start and through the control API, and the counters that
show what the clients did; authentication of every provider and of the control API."""

import io
import threading
from typing import Any

import httpx
import pytest
from conftest import INVOICE_TEXT, KEY, ClientFactory, wait_until

from docextract.errors import InvalidParameter
from docextract.retry import RetryPolicy
from docextract.sandbox import Fault, Sandbox, SandboxConfig, running_sandbox
from numind_client.api.jobs import get_api_jobs_jobid_status
from numind_client.api.structured_extraction import (
    post_api_structured_extraction_structuredextractionprojectid_jobs as start_extraction,
)
from numind_client.models import JobIdResponse, JobStatusResponse
from numind_client.types import File

STATUS_ROUTE = "GET /api/jobs/{jobId}/status"


def start_job(client: Any) -> str:
    body = File(payload=io.BytesIO(INVOICE_TEXT.encode()))
    parsed = start_extraction.sync_detailed("numind-invoice", client=client, body=body).parsed
    assert isinstance(parsed, JobIdResponse)
    return parsed.job_id


def read_status(client: Any, job_id: str) -> Any:
    return get_api_jobs_jobid_status.sync_detailed(job_id, client=client)


@pytest.fixture
def numind(make_client: ClientFactory) -> Any:
    return make_client("numind", checked=False)


def test_a_status_burst_then_recovery(sandbox: Sandbox, numind: Any) -> None:
    job_id = start_job(numind)
    sandbox.set_fault(f"numind:{STATUS_ROUTE}=status:503x2")
    answers = [read_status(numind, job_id) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [503, 503, 200]
    assert answers[0].content == b"Service Unavailable (injected fault)"
    assert sandbox.faults() == []
    assert sandbox.stats().requests_to("numind", STATUS_ROUTE) == 3


def test_the_retrying_client_rides_out_a_burst(
    sandbox: Sandbox, make_client: ClientFactory
) -> None:
    policy = RetryPolicy(max_retries=3, initial_delay=0.0)
    client = make_client("numind", checked=False, retry_policy=policy)
    job_id = start_job(client)
    sandbox.set_fault(Fault("numind", STATUS_ROUTE, "status", status=502, count=2))
    assert read_status(client, job_id).status_code == 200
    assert sandbox.stats().requests_to("numind", STATUS_ROUTE) == 3


def test_rate_limit_with_retry_after(sandbox: Sandbox, make_client: ClientFactory) -> None:
    client = make_client("contextual", checked=False)
    sandbox.set_fault("contextual:*=rate_limit:7x1")
    answer = client.get_httpx_client().get(f"/extract/jobs/{'0' * 8}-0000-0000-0000-{'0' * 12}")
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "7"
    assert answer.json() == {"detail": "Too many requests (injected fault)"}
    assert client.get_httpx_client().post("/extract/jobs", json={}).status_code == 422


def test_a_dropped_connection_after_the_work_was_done(sandbox: Sandbox, numind: Any) -> None:
    sandbox.set_fault(
        "numind:POST /api/structured-extraction/{structuredExtractionProjectId}/jobs=drop x1"
    )
    with pytest.raises(httpx.RemoteProtocolError):
        start_job(numind)
    assert (
        sandbox.stats().jobs_created["numind"] == 1
    )  # the job exists: a resend would duplicate it
    start_job(numind)
    assert sandbox.stats().jobs_created["numind"] == 2


async def test_a_dropped_connection_async(
    sandbox: Sandbox, make_async_client: ClientFactory
) -> None:
    client = make_async_client("llamacloud", checked=False)
    sandbox.set_fault("llamacloud:GET /api/v2/extract=drop")
    with pytest.raises(httpx.RemoteProtocolError):
        await client.get_async_httpx_client().get("/api/v2/extract")


def test_slow_answers_come_late_but_whole(sandbox: Sandbox, numind: Any) -> None:
    job_id = start_job(numind)
    sandbox.set_fault(f"numind:{STATUS_ROUTE}=slow:0.3x1")
    with pytest.raises(httpx.ReadTimeout):
        numind.get_httpx_client().get(f"/api/jobs/{job_id}/status", timeout=0.05)
    sandbox.set_fault(f"numind:{STATUS_ROUTE}=slow:0.05x1")
    assert isinstance(read_status(numind, job_id).parsed, JobStatusResponse)


def test_silent_never_answers(sandbox: Sandbox, numind: Any) -> None:
    job_id = start_job(numind)
    sandbox.set_fault(f"numind:{STATUS_ROUTE}=silent")
    with pytest.raises(httpx.ReadTimeout):
        numind.get_httpx_client().get(f"/api/jobs/{job_id}/status", timeout=0.2)
    sandbox.clear_faults()
    assert read_status(numind, job_id).status_code == 200


def test_truncated_json(sandbox: Sandbox, numind: Any) -> None:
    job_id = start_job(numind)
    wait_until(lambda: read_status(numind, job_id).parsed.status == "completed")  # fixed body
    whole = numind.get_httpx_client().get(f"/api/jobs/{job_id}/status").content
    sandbox.set_fault(f"numind:{STATUS_ROUTE}=truncated x1")
    cut = numind.get_httpx_client().get(f"/api/jobs/{job_id}/status")
    assert cut.status_code == 200
    assert cut.headers["content-type"] == "application/json"
    assert cut.content == whole[: len(whole) // 2]


def test_html_error_page(sandbox: Sandbox, make_client: ClientFactory) -> None:
    client = make_client("retab", checked=False)
    sandbox.set_fault("retab:*=html x1")
    answer = client.get_httpx_client().post("/v1/projects/extract/proj_invoice")
    assert answer.status_code == 502
    assert answer.headers["content-type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in answer.text
    assert sandbox.stats().jobs_created["retab"] == 0


def test_faults_given_at_start_and_a_routes_own_before_the_wildcard() -> None:
    config = SandboxConfig(
        api_key="k",
        faults=(
            Fault.parse("numind:*=status:500"),
            Fault.parse(f"numind:{STATUS_ROUTE}=status:504x1"),
        ),
    )
    with running_sandbox(config) as sandbox:
        http = httpx.Client(
            base_url=sandbox.base_url("numind"), headers={"Authorization": "Bearer k"}
        )
        with http:
            codes = [http.get("/api/jobs/x/status").status_code for _ in range(2)]
            codes.append(http.get("/api/jobs/x").status_code)
        assert [fault.count for fault in sandbox.faults()] == [None]
        sandbox.reset()
        assert sandbox.faults() == list(config.faults)  # as at the start
    assert codes == [504, 500, 500]


@pytest.mark.parametrize(
    "text",
    [
        "numind:GET /api/nowhere=status:503",
        "nobody:*=drop",
        "numind:*=explode",
        "numind:*=drop:3",
        "numind:*=status:200",
        "numind:*=status:503x0",
        "numind *=status",
    ],
)
def test_bad_fault_specs_are_refused(text: str) -> None:
    with pytest.raises(InvalidParameter):
        Fault.parse(text)


def test_control_api(sandbox: Sandbox) -> None:
    control = httpx.Client(base_url=sandbox.url + "/_sandbox")
    with control:
        assert control.get("/stats").status_code == 401
        assert control.get("/stats", headers={"Authorization": "Bearer nope"}).status_code == 403
        auth = {"Authorization": f"Bearer {KEY}"}
        added = control.post("/faults", json={"spec": "retab:*=slow:0.5"}, headers=auth)
        assert added.status_code == 201
        assert added.json()["fault"]["delay"] == 0.5
        assert control.post("/faults", json={"provider": "x"}, headers=auth).status_code == 422
        assert control.post("/faults", content=b"[", headers=auth).status_code == 422
        bad = control.post(
            "/schedules", json={"provider": "retab", "outcome": "failed"}, headers=auth
        )
        assert bad.status_code == 422
        for body in ({"provider": "numind", "step_seconds": -1}, {"provider": "numind", "x": 1}):
            assert control.post("/schedules", json=body, headers=auth).status_code == 422
        schedules = control.get("/schedules", headers=auth).json()
        assert schedules["numind"] == {
            "outcome": "completed",
            "step_seconds": 0.01,
            "extra_step": False,
            "stream_error": False,
            "creations_per_second": None,
        }
        assert control.delete("/faults", headers=auth).json() == {"faults": []}


def test_stats_count_requests_and_jobs(sandbox: Sandbox, make_client: ClientFactory) -> None:
    numind = make_client("numind")
    job_id = start_job(numind)
    for _ in range(2):
        read_status(numind, job_id)
    stats = sandbox.stats()
    assert stats.requests == {
        "numind GET /api/jobs/{jobId}/status": 2,
        "numind POST /api/structured-extraction/{structuredExtractionProjectId}/jobs": 1,
    }
    assert stats.jobs_created == {"numind": 1, "llamacloud": 0, "retab": 0, "contextual": 0}
    assert stats.requests_to("numind") == 3
    assert stats.requests_to("retab") == 0


OPERATIONS = {
    "numind": ("GET", "/api/jobs/some-job"),
    "llamacloud": ("GET", "/api/v2/extract"),
    "retab": ("POST", "/v1/projects/extract/proj_invoice"),
    "contextual": ("GET", "/extract/jobs/123e4567-e89b-12d3-a456-426614174000"),
}


@pytest.mark.parametrize("provider", list(OPERATIONS))
def test_a_missing_key_answers_401_and_a_wrong_one_403(
    sandbox: Sandbox, make_client: ClientFactory, provider: str
) -> None:
    method, path = OPERATIONS[provider]
    refused = make_client(provider, api_key="not-the-key").get_httpx_client().request(method, path)
    assert refused.status_code == 403
    header = "Api-Key" if provider == "retab" else "Authorization"
    with httpx.Client(base_url=sandbox.base_url(provider)) as anonymous:
        missing = anonymous.request(method, path)
        malformed = anonymous.request(method, path, headers={header: f"Basic {KEY}"})
    assert missing.status_code == 401
    if provider == "numind":
        assert missing.headers["content-type"].startswith("text/plain")
    else:
        assert set(missing.json()) == {"detail"}
        assert set(refused.json()) == {"detail"}
    assert malformed.status_code == (403 if provider == "retab" else 401)


def test_stopping_ends_open_streams_and_silent_requests() -> None:
    config = SandboxConfig(api_key="k", step_seconds=60, ping_interval=60)
    received: dict[str, str] = {}

    def read(name: str, url: str) -> None:
        with (
            httpx.Client(headers={"Authorization": "Bearer k"}, timeout=30) as http,
            http.stream("GET", url) as answer,
        ):
            received[name] = f"{answer.status_code} {answer.read().decode()}"

    with running_sandbox(config) as sandbox:
        base = sandbox.base_url("numind")
        with httpx.Client(base_url=base, headers={"Authorization": "Bearer k"}) as http:
            job_id = http.post(
                "/api/structured-extraction/numind-invoice/jobs", content=b"x"
            ).json()
        sandbox.set_fault(f"numind:{STATUS_ROUTE}=silent")
        readers = [
            threading.Thread(target=read, args=(name, f"{base}/api/jobs/{job_id['jobId']}{path}"))
            for name, path in (("stream", "/stream"), ("silent", "/status"))
        ]
        for reader in readers:
            reader.start()
        wait_until(lambda: sandbox.stats().requests_to("numind") == 3)
    for reader in readers:
        reader.join(10)
        assert not reader.is_alive()
    assert received["stream"].replace("event: ping\ndata: \n\n", "") == "200 "
    assert not received["silent"].startswith("200")
