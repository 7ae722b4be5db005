"""docextract: typed, contract-tested clients for document-extraction APIs.

    import docextract
    numind = docextract.client("numind")               # key from NUMIND_API_KEY
    job = docextract.submit("numind", "structured", client=numind, document="a.pdf",
                            project_id="...")
    result = docextract.wait(job, client=numind, timeout="5m")
    result = docextract.extract("invoice.pdf", provider="retab", project_id="proj_...")

Names are loaded on first use, so `import docextract` costs almost nothing.
"""

import importlib
from typing import TYPE_CHECKING, Any

from docextract._version import __version__

_EXPORTS = {
    "client": "clients",
    "parse_duration": "durations",
    "format_duration": "durations",
    "DurationError": "errors",
    "DocExtractError": "errors",
    "APIError": "errors",
    "BadRequest": "errors",
    "AuthenticationError": "errors",
    "PermissionDenied": "errors",
    "NotFound": "errors",
    "Conflict": "errors",
    "UnprocessableEntity": "errors",
    "RateLimited": "errors",
    "ServerError": "errors",
    "InvalidResponse": "errors",
    "TransportError": "errors",
    "DeadlineExceeded": "errors",
    "JobError": "errors",
    "JobFailed": "errors",
    "JobCancelled": "errors",
    "JobTimeout": "errors",
    "InvalidParameter": "errors",
    "MissingAPIKey": "errors",
    "RetryPolicy": "retry",
    "Job": "jobs",
    "submit": "jobs",
    "submit_async": "jobs",
    "status": "jobs",
    "status_async": "jobs",
    "cancel": "jobs",
    "cancel_async": "jobs",
    "wait": "jobs",
    "wait_async": "jobs",
    "wait_outcome": "jobs",
    "wait_outcome_async": "jobs",
    "wait_all": "scheduler",
    "wait_all_async": "scheduler",
    "as_completed": "scheduler",
    "as_completed_async": "scheduler",
    "Done": "scheduler",
    "submit_all": "bulk",
    "submit_all_async": "bulk",
    "extract_all": "bulk",
    "extract_all_async": "bulk",
    "submit_and_wait": "jobs",
    "submit_and_wait_async": "jobs",
    "JobProgress": "waiting",
    "PollPolicy": "waiting",
    "Snapshot": "lifecycles",
    "Phase": "lifecycles",
    "retab_extract": "retab",
    "retab_extract_async": "retab",
    "extract": "extraction",
    "extract_async": "extraction",
    "ExtractionResult": "extraction",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from docextract.bulk import extract_all, extract_all_async, submit_all, submit_all_async
    from docextract.clients import client
    from docextract.durations import format_duration, parse_duration
    from docextract.errors import (
        APIError,
        AuthenticationError,
        BadRequest,
        Conflict,
        DeadlineExceeded,
        DocExtractError,
        DurationError,
        InvalidParameter,
        InvalidResponse,
        JobCancelled,
        JobError,
        JobFailed,
        JobTimeout,
        MissingAPIKey,
        NotFound,
        PermissionDenied,
        RateLimited,
        ServerError,
        TransportError,
        UnprocessableEntity,
    )
    from docextract.extraction import ExtractionResult, extract, extract_async
    from docextract.jobs import (
        Job,
        cancel,
        cancel_async,
        status,
        status_async,
        submit,
        submit_and_wait,
        submit_and_wait_async,
        submit_async,
        wait,
        wait_async,
        wait_outcome,
        wait_outcome_async,
    )
    from docextract.lifecycles import Phase, Snapshot
    from docextract.retab import retab_extract, retab_extract_async
    from docextract.retry import RetryPolicy
    from docextract.scheduler import (
        Done,
        as_completed,
        as_completed_async,
        wait_all,
        wait_all_async,
    )
    from docextract.waiting import JobProgress, PollPolicy


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'docextract' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"docextract.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
