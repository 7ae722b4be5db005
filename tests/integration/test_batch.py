"""`docextract batch` on the sandbox: results in order, a journal that resumes — after a real
`kill -9` too — without redoing finished documents or creating any job twice."""

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import INVOICE_TEXT, KEY

from docextract.cli import main
from docextract.sandbox import INVOICE, Sandbox


def invoices(folder: Path, n: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for i in range(n):
        path = folder / f"invoice-{i:02}.txt"
        path.write_text(INVOICE_TEXT.replace("INV-2026-0042", f"INV-{i:04}"), encoding="utf-8")
        paths.append(path)
    return paths


def batch_args(sandbox: Sandbox, tmp_path: Path, *extra: str) -> list[str]:
    schema = tmp_path / "invoice.schema.json"
    schema.write_text(json.dumps(INVOICE), encoding="utf-8")
    return [
        "batch",
        str(tmp_path / "docs"),
        "--provider",
        "llamacloud",
        "--schema",
        str(schema),
        "--out",
        str(tmp_path / "results.jsonl"),
        "--base-url",
        sandbox.base_url("llamacloud"),
        "--api-key",
        KEY,
        *extra,
    ]


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_batch_writes_results_in_order_and_a_resume_redoes_nothing(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    paths = invoices(tmp_path / "docs", 6)
    code, out, err = run(batch_args(sandbox, tmp_path))
    assert code == 0, err
    assert "completed" in err  # the summary table
    results = lines(tmp_path / "results.jsonl")
    assert [r["document"] for r in results] == [str(p) for p in paths]
    assert [r["result"]["data"]["invoice_number"] for r in results] == [
        f"INV-{i:04}" for i in range(6)
    ]
    assert sandbox.stats().jobs_created["llamacloud"] == 6

    code, out, err = run([*batch_args(sandbox, tmp_path), "--resume", "--json"])
    assert code == 0, err
    report = json.loads(out)
    assert report["skipped"] == 6
    assert report["completed"] == 6
    assert sandbox.stats().jobs_created["llamacloud"] == 6  # nothing redone
    assert lines(tmp_path / "results.jsonl") == results


def test_an_existing_journal_needs_resume(sandbox: Sandbox, tmp_path: Path) -> None:
    invoices(tmp_path / "docs", 1)
    assert run(batch_args(sandbox, tmp_path))[0] == 0
    code, _, err = run(batch_args(sandbox, tmp_path))
    assert code == 2
    assert "--journal" in err
    assert "--resume" in err


def test_bad_paths_and_options_are_refused_naming_them(sandbox: Sandbox, tmp_path: Path) -> None:
    args = batch_args(sandbox, tmp_path)
    code, _, err = run(args)  # tmp_path/docs does not exist
    assert code == 2
    assert "PATH" in err
    invoices(tmp_path / "docs", 1)
    code, _, err = run([*args, "--concurrency", "0"])
    assert code == 2
    assert "--concurrency" in err
    assert sandbox.stats().requests_to("llamacloud") == 0


def test_a_failed_document_is_in_the_results_and_the_exit_code(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    invoices(tmp_path / "docs", 3)
    sandbox.configure("llamacloud", outcome="failed")
    code, out, _ = run([*batch_args(sandbox, tmp_path), "--json"])
    assert code == 4
    assert json.loads(out)["failed"] == 3
    results = lines(tmp_path / "results.jsonl")
    assert all(r["state"] == "failed" and r["job_id"] in r["error"] for r in results)


def journal_states(path: Path) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT document, state, job FROM submissions").fetchall()
    return {doc: (state, json.loads(job)["id"] if job else None) for doc, state, job in rows}


def test_kill_9_then_resume_waits_for_created_jobs_and_creates_none_twice(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    n = 8
    invoices(tmp_path / "docs", n)
    sandbox.configure("llamacloud", step_seconds=1.5)  # jobs last about 3 s
    journal = tmp_path / "results.jsonl.journal.sqlite"
    command = [sys.executable, "-m", "docextract", *batch_args(sandbox, tmp_path)]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if journal.exists():
                with _ignored_locks():
                    created = [s for s, _ in journal_states(journal).values() if s == "created"]
                    if len(created) >= n // 2:
                        break
            time.sleep(0.02)
        else:
            pytest.fail("the batch created no jobs in time")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(30)
    assert child.returncode == -signal.SIGKILL
    at_kill = sandbox.stats().jobs_created["llamacloud"]
    before = journal_states(journal)
    created = {doc: job for doc, (state, job) in before.items() if state == "created"}
    uncertain = [doc for doc, (state, _) in before.items() if state == "submitting"]
    assert created

    sandbox.configure("llamacloud", step_seconds=0.01)
    code, out, err = run([*batch_args(sandbox, tmp_path), "--resume", "--json"])
    report = json.loads(out)
    assert report["resumed"] == len(created)
    assert report["uncertain"] == len(uncertain)
    assert code == (4 if uncertain else 0), err
    # every job created before the kill was waited for, none created again; only the
    # documents that had no job (and no creating request out) were submitted now
    fresh = n - len(created) - len(uncertain)
    assert sandbox.stats().jobs_created["llamacloud"] == at_kill + fresh
    results = {r["document"]: r for r in lines(tmp_path / "results.jsonl")}
    for doc, job_id in created.items():
        assert results[doc]["state"] == "completed"
        assert results[doc]["job_id"] == job_id
    assert sum(r["state"] == "completed" for r in results.values()) == n - len(uncertain)


class _ignored_locks:
    """The child writes while the test reads: a locked or half-created file is read again."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: object, traceback: object) -> bool:
        return isinstance(error, sqlite3.OperationalError)


def test_a_creation_that_may_have_succeeded_is_not_redone_unless_asked(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    invoices(tmp_path / "docs", 3)
    sandbox.set_fault("llamacloud:POST /api/v2/extract=status:503x1")
    code, out, _ = run([*batch_args(sandbox, tmp_path), "--json"])
    assert code == 3  # the provider's error
    assert json.loads(out)["completed"] == 2
    states = [s for s, _ in journal_states(tmp_path / "results.jsonl.journal.sqlite").values()]
    assert sorted(states) == ["completed", "completed", "submitting"]

    code, out, _ = run([*batch_args(sandbox, tmp_path), "--resume", "--json"])
    assert code == 4
    assert json.loads(out)["uncertain"] == 1
    assert sandbox.stats().requests_to("llamacloud", "POST /api/v2/extract") == 3  # not resent
    uncertain = [r for r in lines(tmp_path / "results.jsonl") if r["state"] == "submitting"]
    assert len(uncertain) == 1
    assert "--resubmit-uncertain" in uncertain[0]["error"]

    code, out, _ = run(
        [*batch_args(sandbox, tmp_path), "--resume", "--resubmit-uncertain", "--json"]
    )
    assert code == 0
    assert json.loads(out)["completed"] == 3
    assert sandbox.stats().requests_to("llamacloud", "POST /api/v2/extract") == 4


CREATE = "POST /api/v2/extract"


def test_a_create_answer_cut_after_the_id_is_waited_for_in_the_same_run(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    invoices(tmp_path / "docs", 3)
    sandbox.set_fault(f"llamacloud:{CREATE}=truncated x1")  # 200, half the body: its ID
    code, out, err = run([*batch_args(sandbox, tmp_path), "--json"])
    assert code == 0, err
    assert sandbox.faults() == [], "the fault was never met"
    assert json.loads(out)["completed"] == 3
    stats = sandbox.stats()
    assert stats.jobs_created["llamacloud"] == 3
    assert stats.requests_to("llamacloud", CREATE) == 3  # none sent again
    assert len({r["job_id"] for r in lines(tmp_path / "results.jsonl")}) == 3


def test_a_create_answer_cut_after_the_id_is_journaled_created_and_resumed(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    invoices(tmp_path / "docs", 1)
    sandbox.set_fault(f"llamacloud:{CREATE}=truncated x1")
    sandbox.configure("llamacloud", step_seconds=1.5)  # the job outlasts the kill
    journal = tmp_path / "results.jsonl.journal.sqlite"
    command = [sys.executable, "-m", "docextract", *batch_args(sandbox, tmp_path)]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if journal.exists():
                with _ignored_locks():
                    if [s for s, _ in journal_states(journal).values()] == ["created"]:
                        break
            time.sleep(0.02)
        else:
            pytest.fail("the batch journaled no created job in time")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(30)
    assert sandbox.faults() == [], "the fault was never met"
    ((state, job_id),) = journal_states(journal).values()
    assert state == "created"  # not `submitting`: the cut answer named the job
    assert job_id is not None

    code, out, err = run([*batch_args(sandbox, tmp_path), "--resume", "--json"])
    assert code == 0, err
    assert json.loads(out)["resumed"] == 1
    (result,) = lines(tmp_path / "results.jsonl")
    assert result["state"] == "completed"
    assert result["job_id"] == job_id  # that job, waited for
    stats = sandbox.stats()
    assert stats.jobs_created["llamacloud"] == 1
    assert stats.requests_to("llamacloud", CREATE) == 1  # no other created
