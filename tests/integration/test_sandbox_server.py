"""`docextract.sandbox.server.main` as a process: its first line, its answers, its exit on
SIGTERM and SIGINT, and what it refuses; the lifecycle core and the extraction, on their own."""

import os
import re
import select
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator

import httpx
import pytest
from conftest import ROOT

from docextract.errors import InvalidParameter
from docextract.sandbox import INVOICE, Schedule, extraction
from docextract.sandbox.jobs import Job
from docextract.sandbox.routes import contextual, llamacloud
from docextract.sandbox.server import bind, main

FIRST_LINE = re.compile(r"^docextract sandbox listening on http://127\.0\.0\.1:(\d+)\n$")


def launch(*args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "overlay"), str(ROOT / "generated")]),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "docextract.sandbox.server", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.fixture
def process() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)


def first_line(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 20)
    assert ready, "no first line within 20 s"
    return proc.stdout.readline()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_main_serves_until_a_signal(process: list[subprocess.Popen[str]], stop: int) -> None:
    proc = launch(
        "--port",
        "0",
        "--api-key",
        "cli-key",
        "--step-seconds",
        "0.01",
        "--fault",
        "retab:*=status:503x1",
        "--outcome",
        "llamacloud=failed",
    )
    process.append(proc)
    match = FIRST_LINE.match(first_line(proc))
    assert match, "the first line announces the URL"
    url = f"http://127.0.0.1:{match[1]}"
    with httpx.Client(base_url=url, headers={"Authorization": "Bearer cli-key"}) as http:
        assert http.get("/numind/api/jobs/unknown").status_code == 404
        assert http.post("/retab/v1/projects/extract/proj_invoice").status_code == 503
        schedules = http.get("/_sandbox/schedules").json()
    assert schedules["llamacloud"]["outcome"] == "failed"
    assert schedules["numind"]["step_seconds"] == 0.01
    proc.send_signal(stop)
    assert proc.wait(timeout=20) == 0
    assert "cli-key" not in proc.communicate(timeout=10)[1]


@pytest.mark.parametrize(
    "args",
    [
        ["--host", "0.0.0.0"],  # noqa: S104 (the sandbox must refuse it)
        ["--fault", "numind:*=explode"],
        ["--outcome", "retab=failed"],
        ["--step-seconds", "-1"],
    ],
)
def test_main_refuses_bad_arguments(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "docextract sandbox: error:" in err


def test_only_loopback_is_served() -> None:
    with pytest.raises(InvalidParameter):
        bind("localhost", 0)


def test_a_job_is_a_function_of_the_clock() -> None:
    lifecycle = llamacloud.LIFECYCLE
    plan = lifecycle.plan(Schedule(step_seconds=1.0, extra_step=True))
    job = Job("j", lifecycle, plan, "failed", None, created=100.0)
    at = {t: job.view(t) for t in (100.0, 101.5, 102.5, 103.0, 200.0)}
    assert [view.status for view in at.values()] == [
        "PENDING",
        "THROTTLED",
        "RUNNING",
        "FAILED",
        "FAILED",
    ]
    assert at[102.5].progress == 0.5
    assert at[102.5].started == 102.0
    assert at[103.0].ended == 103.0
    assert at[100.0].updated == 100.0
    assert job.next_change(101.5) == 102.0
    assert job.next_change(103.0) is None
    assert job.when_progress(0.5) == 102.5

    running = Job("k", lifecycle, plan, "completed", None, created=100.0)
    assert running.cancel(102.5)
    assert not running.cancel(102.6)
    cancelled = running.view(150.0)
    assert (cancelled.status, cancelled.ended, cancelled.progress) == ("CANCELLED", 102.5, 0.5)


def test_contextual_subtrees_follow_the_work() -> None:
    plan = contextual.LIFECYCLE.plan(Schedule(step_seconds=1.0, extra_step=True))
    assert [name for name, _ in plan] == ["pending", "processing", "retrying", "processing"]
    job = Job("j", contextual.LIFECYCLE, plan, "completed", None, created=0.0)
    assert job.view(1.5).progress == 0.25
    assert job.view(2.5).progress == 0.5
    assert job.view(2.5).status == "retrying"
    assert job.when_progress(0.75) == 3.5


def test_extraction_reads_names_in_any_spelling() -> None:
    schema = {
        "type": "object",
        "properties": {
            "invoiceNumber": {"type": "string"},
            "total": {
                "type": "object",
                "properties": {"amount": {"type": "number"}, "currency": {"enum": ["EUR", "USD"]}},
            },
            "line_count": {"type": ["integer", "null"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "paid": {"type": "boolean"},
        },
    }
    text = (
        "INVOICE-NUMBER = A-1\n**Total Amount**: $1,234.50\nCurrency: usd\n"
        "tags: a, b\nLine count: 3\n"
    )
    found = extraction.extract(schema, text)
    assert found.values == {
        "invoiceNumber": "A-1",
        "total": {"amount": 1234.5, "currency": "USD"},
        "line_count": 3,
        "tags": ["a", "b"],
        "paid": None,
    }
    assert (
        found.likelihoods["paid"] < extraction.LOW_CONFIDENCE < found.likelihoods["invoiceNumber"]
    )
    assert extraction.empty(schema) == {
        "invoiceNumber": None,
        "total": {"amount": None, "currency": None},
        "line_count": None,
        "tags": [],
        "paid": None,
    }


def test_synthetic_invoices_are_deterministic() -> None:
    document = uuid.UUID("123e4567-e89b-12d3-a456-426614174000")
    assert extraction.synthetic_invoice(document) == extraction.synthetic_invoice(document)
    values = extraction.extract(INVOICE, extraction.synthetic_invoice(document)).values
    assert values["invoice_number"] == "INV-123E4567"
    assert None not in values.values()
