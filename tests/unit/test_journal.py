"""Job <-> JSON, and the SQLite journal: what is committed survives a reopen."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from docextract.errors import (
    BadRequest,
    InvalidParameter,
    InvalidResponse,
    JobFailed,
    ServerError,
    TransportError,
)
from docextract.jobs import Job
from docextract.journal import Journal, State, document_digest, params_digest


def test_a_job_round_trips_through_json() -> None:
    job = Job(
        "contextual",
        "extract",
        "0b7e1c8a-1d2f-4c3b-9a8e-7f6d5c4b3a21",
        created_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        estimated_completion=datetime(2026, 12, 1, 9, 31, 5, tzinfo=UTC),
    )
    assert Job.from_json(job.to_json()) == job
    bare = Job("llamacloud", None, "ext-1")
    assert Job.from_json(bare.to_json()) == bare


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[]",
        '{"provider": "numind"}',
        '{"provider": "nope", "id": "x"}',
        '{"provider": "numind", "id": ""}',
    ],
)
def test_bad_job_json_is_refused(text: str) -> None:
    with pytest.raises(InvalidParameter):
        Job.from_json(text)


def test_digests_name_content_not_names(tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(b"same")
    b.write_bytes(b"same")
    assert document_digest(str(a)) == document_digest(str(b)) == document_digest(b"same")
    assert document_digest("file-123") != document_digest("file-124")
    assert params_digest({"a": 1, "b": [2]}) == params_digest({"b": [2], "a": 1})


def test_the_journal_keeps_every_step_across_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    job = Job("numind", "structured", "nm-1")
    with Journal(path) as journal:
        key = journal.key("numind", "structured", "a.pdf", "d", "p")
        journal.submitting(
            key,
            position=0,
            provider="numind",
            operation="structured",
            document="a.pdf",
            document_digest="d",
            params_digest="p",
        )
        assert journal.get(key).state is State.SUBMITTING
        journal.created(key, job)
    with Journal(path) as journal:
        entry = journal.get(key)
        assert entry.state is State.CREATED
        assert entry.job == job
        journal.failed(
            key, JobFailed(provider="numind", job_id="nm-1", status="failed"), job_exists=True
        )
        assert journal.get(key).state is State.FAILED
        assert "nm-1" in journal.get(key).error
        journal.finished(key, {"data": {"n": 1}}, location="out.jsonl")
    with Journal(path) as journal:
        (entry,) = journal.entries()
        assert entry.state is State.COMPLETED
        assert entry.result == {"data": {"n": 1}}
        assert journal.counts() == {State.COMPLETED: 1}


def test_a_file_that_is_not_a_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "not.sqlite"
    path.write_bytes(b"this is not a database, not at all" * 100)
    with pytest.raises(InvalidParameter, match="journal"):
        Journal(path)


def _entry(journal: Journal) -> str:
    key = journal.key("llamacloud", "extract", "a.pdf", "d", "p")
    journal.submitting(
        key,
        position=0,
        provider="llamacloud",
        operation="extract",
        document="a.pdf",
        document_digest="d",
        params_digest="p",
    )
    return key


def test_a_creation_whose_answer_named_the_job_is_created_not_uncertain(tmp_path: Path) -> None:
    cut = InvalidResponse(
        provider="llamacloud",
        operation="create_extract_job",
        status_code=200,
        body='{"id": "ext-7", "sta',
        reason="the answer is cut short",
        job_id="ext-7",
    )
    with Journal(tmp_path / "j.sqlite") as journal:
        key = _entry(journal)
        journal.failed(key, cut, job_exists=False, creating=True)
        entry = journal.get(key)
        assert entry is not None
        assert entry.state is State.CREATED  # waited for on resume, never created again
        assert entry.job == Job("llamacloud", "extract", "ext-7")
        assert entry.error is not None
        assert "ext-7" in entry.error


@pytest.mark.parametrize(
    ("error", "creating", "state"),
    [
        (
            TransportError(provider="llamacloud", operation="create", cause=OSError("reset")),
            True,
            "s",
        ),
        (ServerError(provider="llamacloud", operation="create", status_code=503), True, "s"),
        (BadRequest(provider="llamacloud", operation="create", status_code=400), True, "e"),
        (
            TransportError(provider="llamacloud", operation="upload", cause=OSError("reset")),
            False,
            "e",
        ),
    ],
    ids=["no-answer", "5xx", "refused", "before-creating"],
)
def test_a_failed_creation_without_its_job_is_uncertain_or_redone(
    tmp_path: Path, error: Exception, creating: bool, state: str
) -> None:
    with Journal(tmp_path / "j.sqlite") as journal:
        key = _entry(journal)
        journal.failed(key, error, job_exists=False, creating=creating)
        entry = journal.get(key)
        assert entry is not None
        assert entry.state is {"s": State.SUBMITTING, "e": State.ERROR}[state]
        assert entry.job is None
