"""What differs between providers' jobs: status names, where the result lives, cancel and stream.

Each provider's lifecycle turns its own status model into a `Snapshot` with a `Phase`; the one
waiting core (docextract.waiting) does everything else the same way for all of them.
"""

import abc
import enum
import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

import attrs

from docextract.errors import InvalidParameter, InvalidResponse
from docextract.providers import is_unset


class Phase(enum.Enum):
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


def _value(value: Any) -> Any:
    """A generated field's value, with the generator's UNSET as None."""
    return None if is_unset(value) else value


def _status_text(status: Any) -> tuple[str, bool]:
    known = getattr(status, "is_known", True)
    return str(status), bool(known)


class Lifecycle(abc.ABC):
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
        return snapshot.model if fetched is None else fetched

    def cancel_request(self, job_id: str) -> Request | None:
        return None

    def stream_request(self, job_id: str) -> Request | None:
        return None

    def stream_event(self, event: str, data: str) -> Snapshot | StreamSignal:
        return StreamSignal.KEEP_WAITING

    def stream_started(self, event: str, data: str) -> tuple[str, int | None] | None:
        """From the first event of a creating stream: the job's ID and its number of parts."""
        return None


class NuMind(Lifecycle):
    """Statuses are free strings: `completed` is success; failed/error/cancelled end the job."""

    provider = "numind"
    FAILED = frozenset({"failed", "error"})
    CANCELLED = frozenset({"cancelled", "canceled"})

    def status_request(self, job_id: str) -> Request:
        return Request("get_api_jobs_jobid_status", {"job_id": job_id})

    def snapshot(self, model: Any) -> Snapshot:
        status = str(model.status)
        lowered = status.lower()
        if lowered == "completed":
            phase = Phase.SUCCEEDED
        elif lowered in self.FAILED:
            phase = Phase.FAILED
        elif lowered in self.CANCELLED:
            phase = Phase.CANCELLED
        else:
            phase = Phase.RUNNING
        return Snapshot(
            status=status,
            phase=phase,
            message=_value(model.error_message),
            error_code=_value(model.error_code),
            model=model,
        )

    def result_request(self, job_id: str, snapshot: Snapshot) -> Request | None:
        # a stream's `result` event carries the whole JobResponse, output included
        if _value(getattr(snapshot.model, "output_data", None)) is not None:
            return None
        return Request("get_api_jobs_jobid", {"job_id": job_id})

    def result(self, operation: str | None, snapshot: Snapshot, fetched: Any) -> Any:
        from numind_client.models import ExtractionResponse, MarkdownResponse

        job = snapshot.model if fetched is None else fetched
        raw = _value(job.output_data)
        try:
            data = json.loads(raw) if raw is not None else None
        except ValueError as exc:
            raise self._bad_output(job, f"outputData is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise self._bad_output(job, "outputData holds no result object")
        markdown = operation == "markdown" or (
            operation is None and isinstance(data.get("result"), str)
        )
        model = MarkdownResponse if markdown else ExtractionResponse
        try:
            return model.from_dict(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise self._bad_output(job, f"outputData is not a {model.__name__}: {exc}") from exc

    def _bad_output(self, job: Any, reason: str) -> InvalidResponse:
        return InvalidResponse(
            provider=self.provider,
            operation="get_api_jobs_jobid",
            status_code=200,
            body=str(_value(job.output_data)),
            reason=reason,
            job_id=str(job.id),
        )

    def cancel_request(self, job_id: str) -> Request | None:
        return Request("post_api_jobs_jobid_cancel", {"job_id": job_id})

    def stream_request(self, job_id: str) -> Request | None:
        return Request("get_api_jobs_jobid_stream", {"job_id": job_id})

    def stream_event(self, event: str, data: str) -> Snapshot | StreamSignal:
        if event == "result":
            from numind_client.models import JobResponse

            try:
                return self.snapshot(JobResponse.from_dict(json.loads(data)))
            except (KeyError, TypeError, ValueError):
                return StreamSignal.BROKEN  # unreadable: polling will tell
        if event == "error":
            return StreamSignal.BROKEN
        return StreamSignal.KEEP_WAITING


class LlamaCloud(Lifecycle):
    provider = "llamacloud"
    PHASES: ClassVar = {
        "COMPLETED": Phase.SUCCEEDED,
        "FAILED": Phase.FAILED,
        "CANCELLED": Phase.CANCELLED,
    }

    def status_request(self, job_id: str) -> Request:
        # per-field metadata comes with the finished job: no second request for it
        return Request("get_extract_job", {"job_id": job_id, "expand": ["extract_metadata"]})

    # The job's `status` is a plain string in the published spec (only List Extract Jobs' filter
    # enumerates the values), so which ones are known is said here.
    KNOWN: ClassVar = frozenset(
        {"PENDING", "THROTTLED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"}
    )

    def snapshot(self, model: Any) -> Snapshot:
        status, _ = _status_text(model.status)
        return Snapshot(
            status=status,
            phase=self.PHASES.get(status, Phase.RUNNING),
            known=status in self.KNOWN,
            throttled=status == "THROTTLED",
            message=_value(model.error_message),
            model=model,
        )

    def cancel_request(self, job_id: str) -> Request | None:
        return Request("cancel_extract_job", {"job_id": job_id})


class Contextual(Lifecycle):
    provider = "contextual"
    PHASES: ClassVar = {
        "completed": Phase.SUCCEEDED,
        "failed": Phase.FAILED,
        "cancelled": Phase.CANCELLED,
    }

    def status_request(self, job_id: str) -> Request:
        return Request(
            "get_extraction_job_status_extract_jobs__job_id__get", {"job_id": job_uuid(job_id)}
        )

    def snapshot(self, model: Any) -> Snapshot:
        status, known = _status_text(model.status)
        phase = self.PHASES.get(status, Phase.RUNNING)
        step = _value(model.current_step)
        return Snapshot(
            status=status,
            phase=phase,
            known=known,
            percentage=_value(model.completion_percentage),
            fields_processed=_value(model.fields_processed),
            total_fields=_value(model.total_fields),
            current_step=step,
            message=step if phase is Phase.FAILED else None,
            model=model,
        )

    def result_request(self, job_id: str, snapshot: Snapshot) -> Request | None:
        return Request(
            "get_extraction_job_results_extract_jobs__job_id__results_get",
            {"job_id": job_uuid(job_id)},
        )

    def stream_started(self, event: str, data: str) -> tuple[str, int | None] | None:
        if event != "start":
            return None
        try:
            payload = json.loads(data)
            total = payload.get("total_subtrees")
            return str(payload["job_id"]), total if isinstance(total, int) else None
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def job_uuid(job_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(job_id)
    except ValueError:
        raise InvalidParameter("job_id", job_id, "a UUID (Contextual job IDs are UUIDs)") from None


LIFECYCLES: dict[str, Lifecycle] = {
    lifecycle.provider: lifecycle for lifecycle in (NuMind(), LlamaCloud(), Contextual())
}


def lifecycle_of(provider: str) -> Lifecycle:
    try:
        return LIFECYCLES[provider]
    except KeyError:
        raise InvalidParameter(
            "provider",
            provider,
            "one of " + ", ".join(LIFECYCLES) + " (Retab's extraction is synchronous: "
            "use docextract.retab_extract)",
        ) from None


def parse_timestamp(value: Any) -> datetime | None:
    value = _value(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None
