"""docextract: typed, contract-tested clients for document-extraction APIs.

    import docextract
    api = docextract.client(provider)                  # key from the provider's variable
    job = docextract.submit(provider, operation, client=api, document="a.pdf", ...)
    result = docextract.wait(job, client=api, timeout="5m")   # typed by the job
    result = docextract.extract("invoice.pdf", provider=provider, project_id="...")

`client`, `submit` and `wait` are overloaded per provider (docextract.providers.typed): the
client is the provider's generated class, each operation takes its own keyword parameters, and
a job's type says what waiting for it returns. Names are loaded on first use, so
`import docextract` costs almost nothing.
"""

import importlib
from typing import TYPE_CHECKING, Any

from docextract._version import __version__

__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequest",
    "ClientSettings",
    "Conflict",
    "DeadlineExceeded",
    "DocExtractError",
    "Done",
    "DurationError",
    "ExtractionResult",
    "InvalidParameter",
    "InvalidResponse",
    "Job",
    "JobCancelled",
    "JobError",
    "JobFailed",
    "JobProgress",
    "JobTimeout",
    "MissingAPIKey",
    "Mode",
    "NotFound",
    "PermissionDenied",
    "Phase",
    "PollPolicy",
    "ProviderName",
    "RateLimited",
    "RetryPolicy",
    "ServerError",
    "Snapshot",
    "TransportError",
    "UnprocessableEntity",
    "WaitOptions",
    "__version__",
    "as_completed",
    "as_completed_async",
    "cancel",
    "cancel_async",
    "client",
    "extract",
    "extract_all",
    "extract_all_async",
    "extract_async",
    "format_duration",
    "parse_duration",
    "status",
    "status_async",
    "submit",
    "submit_all",
    "submit_all_async",
    "submit_and_wait",
    "submit_and_wait_async",
    "submit_async",
    "wait",
    "wait_all",
    "wait_all_async",
    "wait_async",
    "wait_outcome",
    "wait_outcome_async",
]

_EXPORTS = {
    "client": "providers.typed",
    "submit": "providers.typed",
    "submit_async": "providers.typed",
    "wait": "providers.typed",
    "wait_async": "providers.typed",
    "WaitOptions": "jobs",
    "ClientSettings": "clients",
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
    "Mode": "jobs",
    "status": "jobs",
    "status_async": "jobs",
    "cancel": "jobs",
    "cancel_async": "jobs",
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
    "extract": "extraction",
    "extract_async": "extraction",
    "ExtractionResult": "extraction",
    "ProviderName": "providers",
}

if TYPE_CHECKING:
    from docextract.bulk import extract_all, extract_all_async, submit_all, submit_all_async
    from docextract.clients import (
        ClientSettings,
    )
    from docextract.durations import (
        format_duration,
        parse_duration,
    )
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
    from docextract.extraction import (
        ExtractionResult,
        extract,
        extract_async,
    )
    from docextract.jobs import (
        Job,
        Mode,
        WaitOptions,
        cancel,
        cancel_async,
        status,
        status_async,
        submit_and_wait,
        submit_and_wait_async,
        wait_outcome,
        wait_outcome_async,
    )
    from docextract.lifecycles import (
        Phase,
        Snapshot,
    )
    from docextract.providers import (
        ProviderName,
    )
    from docextract.providers.typed import (
        client,
        submit,
        submit_async,
        wait,
        wait_async,
    )
    from docextract.retry import (
        RetryPolicy,
    )
    from docextract.scheduler import (
        Done,
        as_completed,
        as_completed_async,
        wait_all,
        wait_all_async,
    )
    from docextract.waiting import (
        JobProgress,
        PollPolicy,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'docextract' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"docextract.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
