"""A durable journal of submissions: a batch restarted after a crash or `kill -9` resumes.

    journal = Journal("batch.sqlite")
    key = journal.key(provider, operation, name, document_digest, params_digest)
    journal.submitting(key, ...)     # committed before the creating request is sent
    journal.created(key, job)        # committed as soon as the provider named the job
    journal.finished(key, result)    # or journal.failed(key, error)

One SQLite file (the standard library; WAL, one commit per change: a killed process loses
nothing committed). On resume a document whose entry is `completed` or `failed` is not redone,
one that is `created` is waited for (its Job is stored as JSON), not created again, and one left
`submitting` — the process died while its creating request was out, so a job may exist — is
not resubmitted unless the caller says so (`uncertain` documents are reported). A creating
request whose answer was lost after it named the job (cut short) leaves its entry `created`.
"""

import enum
import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from docextract.errors import InvalidParameter, InvalidResponse, ServerError, TransportError
from docextract.jobs import Job

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    key TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    provider TEXT NOT NULL,
    operation TEXT NOT NULL,
    document TEXT NOT NULL,
    document_digest TEXT NOT NULL,
    params_digest TEXT NOT NULL,
    state TEXT NOT NULL,
    job TEXT,
    result TEXT,
    result_location TEXT,
    error TEXT,
    updated REAL NOT NULL
)
"""


class State(enum.Enum):
    SUBMITTING = "submitting"  # the creating request may be out: a job may exist
    CREATED = "created"  # the job exists; wait for it
    COMPLETED = "completed"
    FAILED = "failed"  # the job (or its wait) ended badly: finished, not redone
    ERROR = "error"  # failed before any job could exist: done again on resume


FINISHED = (State.COMPLETED, State.FAILED)


@attrs.frozen
class Entry:
    key: str
    position: int
    provider: str
    operation: str
    document: str
    document_digest: str
    params_digest: str
    state: State
    job: Job[Any] | None
    result: Any
    result_location: str | None
    error: str | None


def may_have_created(error: BaseException) -> bool:
    """Whether a creating request that failed so may still have created a job: no answer,
    a server error, or a success whose body did not parse (a refusal — 4xx — created none)."""
    return isinstance(error, TransportError | ServerError | InvalidResponse)


def named_job(error: BaseException) -> str | None:
    """The job a failed creating request still named: its answer was cut short or did not
    parse after the job's ID (the drivers read it from what came), so the job exists."""
    job_id = getattr(error, "job_id", None)
    return job_id if isinstance(job_id, str) and job_id else None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_digest(document: Any) -> str:
    """A path's bytes, bytes, or a provider-side ID: what the document is, by content."""
    if isinstance(document, bytes | bytearray):
        return digest(bytes(document))
    path = Path(str(document))
    if path.is_file():
        hasher = hashlib.sha256()
        with path.open("rb") as file:
            for chunk in iter(lambda: file.read(1 << 20), b""):
                hasher.update(chunk)
        return hasher.hexdigest()
    return digest(f"id:{document}".encode())


def params_digest(params: Mapping[str, Any]) -> str:
    """The parameters of a submission, canonical JSON, hashed (a changed schema is new work)."""
    return digest(json.dumps(params, sort_keys=True, default=str).encode())


class Journal:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # durable across a killed process
            self._db.execute(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InvalidParameter("journal", str(path), f"a SQLite journal file ({exc})") from None

    @staticmethod
    def key(provider: str, operation: str, document: str, doc: str, params: str) -> str:
        return digest("\0".join((provider, operation, document, doc, params)).encode())

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- reading

    def get(self, key: str) -> Entry | None:
        row = self._db.execute("SELECT * FROM submissions WHERE key = ?", (key,)).fetchone()
        return None if row is None else _entry(row)

    def entries(self) -> Iterator[Entry]:
        for row in self._db.execute("SELECT * FROM submissions ORDER BY position, key"):
            yield _entry(row)

    def __len__(self) -> int:
        count: int = self._db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        return count

    def counts(self) -> dict[State, int]:
        rows = self._db.execute("SELECT state, COUNT(*) FROM submissions GROUP BY state")
        return {State(state): n for state, n in rows}

    # ---------------------------------------------------------------- writing

    def submitting(
        self,
        key: str,
        *,
        position: int,
        provider: str,
        operation: str,
        document: str,
        document_digest: str,
        params_digest: str,
    ) -> None:
        self._db.execute(
            "INSERT INTO submissions (key, position, provider, operation, document,"
            " document_digest, params_digest, state, updated) VALUES (?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(key) DO UPDATE SET state = excluded.state, position = excluded.position,"
            " job = NULL, result = NULL, error = NULL, updated = excluded.updated",
            (
                key,
                position,
                provider,
                operation,
                document,
                document_digest,
                params_digest,
                State.SUBMITTING.value,
                time.time(),
            ),
        )

    def created(self, key: str, job: Job[Any]) -> None:
        self._set(key, State.CREATED, job=job.to_json())

    def finished(self, key: str, result: Any, location: str | None = None) -> None:
        self._set(
            key,
            State.COMPLETED,
            result=json.dumps(result, default=str),
            result_location=location,
        )

    def failed(
        self, key: str, error: BaseException, *, job_exists: bool, creating: bool = False
    ) -> None:
        """The document's work ended with `error`. job_exists: its job was created (finished,
        not redone). creating: its creating request was out — if the error names the job all
        the same, the entry is `created` with it (waited for on resume, not created again);
        if it says a job may exist, it stays `submitting` (uncertain); else `error` (redone)."""
        message = f"{type(error).__name__}: {error}"
        job_id = named_job(error)
        entry = self.get(key) if creating and not job_exists and job_id else None
        if entry is not None and job_id is not None:
            job: Job[Any] = Job(entry.provider, entry.operation, job_id)
            self._set(key, State.CREATED, job=job.to_json(), error=message)
            return
        if job_exists:
            state = State.FAILED
        elif creating and may_have_created(error):
            state = State.SUBMITTING
        else:
            state = State.ERROR
        self._set(key, state, error=message)

    def _set(self, key: str, state: State, **values: str | None) -> None:
        columns = ", ".join(f"{name} = ?" for name in values)
        self._db.execute(
            f"UPDATE submissions SET state = ?, updated = ?{', ' if values else ''}{columns}"  # noqa: S608 (fixed column names)
            " WHERE key = ?",
            (state.value, time.time(), *values.values(), key),
        )


def _entry(row: tuple[Any, ...]) -> Entry:
    (key, position, provider, operation, document, ddigest, pdigest, state, job, result) = row[:10]
    location, error = row[10], row[11]
    return Entry(
        key=key,
        position=position,
        provider=provider,
        operation=operation,
        document=document,
        document_digest=ddigest,
        params_digest=pdigest,
        state=State(state),
        job=None if job is None else Job.from_json(job),
        result=None if result is None else json.loads(result),
        result_location=location,
        error=error,
    )
