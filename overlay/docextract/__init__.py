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
    "JobError": "errors",
    "JobFailed": "errors",
    "JobCancelled": "errors",
    "JobTimeout": "errors",
    "InvalidParameter": "errors",
    "MissingAPIKey": "errors",
    "RetryPolicy": "retry",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from docextract.clients import client
    from docextract.durations import format_duration, parse_duration
    from docextract.errors import (
        APIError,
        AuthenticationError,
        BadRequest,
        Conflict,
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
    from docextract.retry import RetryPolicy


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'docextract' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"docextract.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
