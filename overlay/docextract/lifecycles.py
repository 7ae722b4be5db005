"""The contract between a provider's adapter and the one waiting core: how a job is created,
looked at, cancelled, streamed, and where its result lives.

Each provider's `Lifecycle` (in docextract.providers.<name>) turns its own status model into a
`Snapshot` with a `Phase`; docextract.waiting does everything else the same way for all of them.
A `Submission` is an adapter's plan of the requests that create one job.
"""

import abc
import enum
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import attrs


class Phase(enum.Enum):
    """What a job's status means: still running, or how it ended."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


@attrs.frozen
class Snapshot:
    """One look at a job: the provider's own status string and what it means."""

    status: str
    phase: Phase
    known: bool = True  # False: a status the spec does not list (treated as running)
    throttled: bool = False
    percentage: float | None = None
    fields_processed: int | None = None
    total_fields: int | None = None
    current_step: str | None = None
    message: str | None = None
    error_code: str | None = None
    model: Any = None  # the provider's typed status model


@attrs.frozen
class Request:
    """A generated operation and the keyword arguments of its generated function."""

    operation_id: str
    params: Mapping[str, Any] = attrs.field(factory=dict)


class StreamSignal(enum.Enum):
    KEEP_WAITING = "keep-waiting"  # ping, or an event that says nothing about the end
    BROKEN = "broken"  # the server says the stream failed: learn the outcome by polling


def is_unset(value: object) -> bool:
    """A generated package's UNSET marker (each package has its own Unset class)."""
    return type(value).__name__ == "Unset"


def value_of(value: Any) -> Any:
    """A generated field's value, with the generator's UNSET as None."""
    return None if is_unset(value) else value


def status_text(status: Any) -> tuple[str, bool]:
    """A generated status (a forward-compatible enum or a string): its text, and whether the
    spec lists it."""
    known = getattr(status, "is_known", True)
    return str(status), bool(known)


@attrs.frozen
class Submission:
    """An adapter's plan of one job's creation: an optional upload, then the creating request."""

    provider: str
    operation: str
    create: Callable[[str | None], Request]  # given the uploaded file's ID, if any
    upload: Request | None = None
    create_streaming: Request | None = None  # a creating request that streams progress


class Lifecycle(abc.ABC):
    """A provider's jobs: one subclass per provider, in its adapter module."""

    provider: str = ""

    @abc.abstractmethod
    def status_request(self, job_id: str) -> Request:
        """The request that looks at the job once."""

    @abc.abstractmethod
    def snapshot(self, model: Any) -> Snapshot:
        """The provider's typed status model, read as a Snapshot."""

    def result_request(self, job_id: str, snapshot: Snapshot) -> Request | None:
        """The request that fetches a finished job's result, or None when the snapshot has it."""
        return None

    def result(self, operation: str | None, snapshot: Snapshot, fetched: Any) -> Any:
        """The finished job's typed result, from its snapshot or the fetched answer."""
        return snapshot.model if fetched is None else fetched

    def cancel_request(self, job_id: str) -> Request | None:
        """The request that cancels the job, or None when the provider cannot."""
        return None

    def stream_request(self, job_id: str) -> Request | None:
        """The request that opens the job's event stream, or None when there is none."""
        return None

    def stream_event(self, event: str, data: str) -> Snapshot | StreamSignal:
        """One event of the job's stream, read."""
        return StreamSignal.KEEP_WAITING

    def stream_started(self, event: str, data: str) -> tuple[str, int | None] | None:
        """From the first event of a creating stream: the job's ID and its number of parts."""
        return None


def parse_timestamp(value: Any) -> datetime | None:
    """A generated timestamp field (datetime or ISO text) as an aware datetime, else None."""
    value = value_of(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None
