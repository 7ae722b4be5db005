"""One hierarchy of errors for every provider.

    DocExtractError
    ├── APIError                 the provider answered with an error status
    │   ├── BadRequest (400)  AuthenticationError (401)  PermissionDenied (403)  NotFound (404)
    │   ├── Conflict (409)  UnprocessableEntity (422)  RateLimited (429)  ServerError (5xx)
    ├── InvalidResponse          a success status whose body does not parse
    ├── TransportError           connect/read failures and timeouts
    │   └── DeadlineExceeded     the caller's deadline passed before the answer came
    ├── JobError                 a job exists; its ID is on the error
    │   ├── JobFailed  JobCancelled  JobTimeout
    ├── InvalidParameter         bad input caught before any request (also a ValueError)
    ├── MissingAPIKey            no key given and none in the environment
    └── DurationError            a duration that does not parse (also a ValueError)

Every error raised after a job was created carries `job_id`, and its message names it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus

from docextract.redact import redact

BODY_EXCERPT_LIMIT = 1000
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id")


class DocExtractError(Exception):
    """Base of every error the suite raises."""

    provider: str | None = None
    job_id: str | None = None

    def __init__(self, *args: object) -> None:
        # masked at once, so that args and repr() are clean too; __str__ and __repr__ mask
        # again for keys registered after the error was built
        super().__init__(*(redact(arg) if isinstance(arg, str) else arg for arg in args))

    def __str__(self) -> str:
        return redact(super().__str__())

    def __repr__(self) -> str:
        return redact(super().__repr__())


class APIError(DocExtractError):
    """The provider answered `status_code`.

    `detail` is the parsed error model where the spec has one (FastAPI's HTTPValidationError,
    a text/plain message); `body_excerpt` is a bounded excerpt of the body.
    """

    def __init__(
        self,
        *,
        provider: str,
        operation: str,
        status_code: int,
        body: bytes | str = b"",
        detail: object = None,
        request_id: str | None = None,
        job_id: str | None = None,
        url: str | None = None,
    ) -> None:
        self.provider = provider
        self.operation = operation
        self.status_code = status_code
        self.url = url  # "GET https://…/path": what was tried
        self.body_excerpt = excerpt(body)
        self.detail = detail
        self.request_id = request_id
        self.job_id = job_id
        super().__init__(self._message())

    def _message(self) -> str:
        try:
            reason = HTTPStatus(self.status_code).phrase
        except ValueError:
            reason = "unexpected status"
        parts = [f"{self.provider} {self.operation}: HTTP {self.status_code} {reason}"]
        if self.job_id:
            parts.append(f"job {self.job_id}")
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        if self.url:
            parts.append(self.url)
        if self.body_excerpt:
            parts.append(self.body_excerpt)
        return " | ".join(parts)


class BadRequest(APIError):
    """400"""


class AuthenticationError(APIError):
    """401: the key is missing, malformed or revoked."""


class PermissionDenied(APIError):
    """403: the key may not do this (or, for some providers, the quota is exhausted)."""


class NotFound(APIError):
    """404"""


class Conflict(APIError):
    """409"""


class UnprocessableEntity(APIError):
    """422: FastAPI's validation error; `detail` holds the generated HTTPValidationError."""


class RateLimited(APIError):
    """429; `retry_after` is the server's requested delay in seconds, when it sent one."""

    def __init__(self, *, retry_after: float | None = None, **kwargs: object) -> None:
        self.retry_after = retry_after
        super().__init__(**kwargs)  # type: ignore[arg-type]


class ServerError(APIError):
    """5xx"""


STATUS_ERRORS: dict[int, type[APIError]] = {
    400: BadRequest,
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    422: UnprocessableEntity,
    429: RateLimited,
}


class InvalidResponse(DocExtractError):
    """A success status whose body is not what the spec says (truncated JSON, an HTML page...)."""

    def __init__(
        self,
        *,
        provider: str,
        operation: str,
        status_code: int,
        body: bytes | str,
        reason: str,
        job_id: str | None = None,
    ) -> None:
        self.provider, self.operation, self.status_code = provider, operation, status_code
        self.body_excerpt = excerpt(body)
        self.job_id = job_id
        where = f" (job {job_id})" if job_id else ""
        super().__init__(
            f"{provider} {operation}{where}: HTTP {status_code} with a body that does not parse: "
            f"{reason} | {self.body_excerpt}"
        )


class TransportError(DocExtractError):
    """The request did not get an answer: connection refused or dropped, or a timeout."""

    def __init__(
        self, *, provider: str, operation: str, cause: BaseException, job_id: str | None = None
    ) -> None:
        self.provider, self.operation, self.job_id = provider, operation, job_id
        self.url = tried(cause)
        where = f" (job {job_id})" if job_id else ""
        at = f" [{self.url}]" if self.url else ""
        super().__init__(f"{provider} {operation}{where}: {type(cause).__name__}: {cause}{at}")


def tried(about: object) -> str | None:
    """`METHOD URL` of the request an httpx error or response is about, when it says."""
    try:
        request = getattr(about, "request", None)
    except RuntimeError:  # httpx raises RuntimeError when none is attached
        return None
    method, url = getattr(request, "method", None), getattr(request, "url", None)
    return f"{method} {url}" if method and url else None


class DeadlineExceeded(TransportError):
    """The caller's deadline (a `timeout` of docextract's) passed before the answer came.

    While waiting on a job this becomes JobTimeout; before a job exists (a submission, a
    synchronous extraction) it is raised as is.
    """


class JobError(DocExtractError):
    """A job that exists ended badly or could not be waited for; `job_id` says which."""

    def __init__(self, message: str, *, provider: str, job_id: str, status: str | None) -> None:
        self.provider, self.job_id, self.status = provider, job_id, status
        super().__init__(f"{provider} job {job_id}: {message} (last status: {status or 'unknown'})")


class JobFailed(JobError):
    """The provider reports the job failed; `message` and `error_code` are its own words."""

    def __init__(
        self,
        *,
        provider: str,
        job_id: str,
        status: str | None,
        message: str | None = None,
        error_code: str | None = None,
    ) -> None:
        self.message, self.error_code = message, error_code
        code = f" [{error_code}]" if error_code else ""
        super().__init__(
            f"failed{code}: {message or 'no message'}",
            provider=provider,
            job_id=job_id,
            status=status,
        )


class JobCancelled(JobError):
    """The job was cancelled (by anyone) before it finished."""

    def __init__(self, *, provider: str, job_id: str, status: str | None) -> None:
        super().__init__("was cancelled", provider=provider, job_id=job_id, status=status)


class JobTimeout(JobError):
    """The deadline passed before the job ended; the job may still be running (see `cancelled`)."""

    def __init__(
        self,
        *,
        provider: str,
        job_id: str,
        status: str | None,
        waited: timedelta,
        cancelled: bool = False,
    ) -> None:
        self.waited, self.cancelled = waited, cancelled
        after = "; the job was cancelled" if cancelled else "; the job may still be running"
        super().__init__(
            f"did not finish within {waited.total_seconds():.3g}s{after}",
            provider=provider,
            job_id=job_id,
            status=status,
        )


class InvalidParameter(DocExtractError, ValueError):
    """Input the spec rejects, caught before any request is sent."""

    def __init__(self, parameter: str, value: object, allowed: str) -> None:
        value = redact(value) if isinstance(value, str) else value
        self.parameter, self.value, self.allowed = parameter, value, allowed
        super().__init__(f"{parameter}={value!r} is not allowed: {allowed}")


class MissingAPIKey(DocExtractError):
    """No key was given and the provider's environment variable is empty or unset."""

    def __init__(self, provider: str, variable: str) -> None:
        self.provider, self.variable = provider, variable
        super().__init__(f"no API key for {provider}: pass api_key= or set {variable}")


DURATION_HINT = '; use e.g. "10s", "1m30s", "500ms"'


class DurationError(DocExtractError, ValueError):
    """A value that is not a valid duration.

    ``text`` is the input (its ``repr`` when it was not a string), ``reason`` what is wrong,
    ``position`` the index into ``text`` where it is wrong (``None`` when the input was not a
    string), ``name`` the parameter it was given for, if known.
    """

    text: str
    position: int | None
    reason: str
    name: str | None

    def __init__(
        self, text: str, reason: str, position: int | None = None, name: str | None = None
    ) -> None:
        self.text, self.reason, self.position, self.name = text, reason, position, name
        prefix = f"{name}: " if name else ""
        if position is None:
            message = f"{prefix}{text} is not a duration: {reason}"
        else:
            quoted = _quote_input(text)
            message = f"{prefix}{quoted} is not a duration: {reason} (at position {position})"
            message += DURATION_HINT
        super().__init__(message)

    def __reduce__(self) -> tuple[type[DurationError], tuple[str, str, int | None, str | None]]:
        return (type(self), (self.text, self.reason, self.position, self.name))


def _quote_input(text: str, limit: int = 80) -> str:
    """``text`` in double quotes, non-printable characters escaped, cut after 80 characters."""
    body = "".join(
        "\\" + c if c in '"\\' else c if c.isprintable() else repr(c)[1:-1] for c in text[:limit]
    )
    return f'"{body}"' if len(text) <= limit else f'"{body}"… ({len(text)} characters)'


# ---------------------------------------------------------------- building errors from answers


def excerpt(body: bytes | str, limit: int = BODY_EXCERPT_LIMIT) -> str:
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    text = " ".join(redact(text).split())  # masked before it is cut: no key prefix survives
    return text if len(text) <= limit else text[:limit] + f"... ({len(text) - limit} more chars)"


def request_id(headers: Mapping[str, str]) -> str | None:
    lowered = {k.lower(): v for k, v in headers.items()}
    return next((lowered[h] for h in REQUEST_ID_HEADERS if h in lowered), None)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The delay a server asked for: `retry-after-ms` first (as Stainless), then `Retry-After`
    in seconds or as an HTTP date (measured on the server's clock, its `Date` header, if sent)."""
    milliseconds = _seconds(_header(headers, "retry-after-ms"), scale=1000.0)
    if milliseconds is not None:
        return milliseconds
    value = _header(headers, "retry-after")
    if value is None:
        return None
    seconds = _seconds(value, scale=1.0)
    return seconds if seconds is not None else _seconds_until(value, _header(headers, "date"))


def _seconds(value: str | None, *, scale: float) -> float | None:
    """A finite, non-negative number of seconds from a header value, else ``None``."""
    if value is None:
        return None
    try:
        seconds = float(value) / scale
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _seconds_until(http_date: str, server_date: str | None) -> float | None:
    """Seconds to an HTTP date, on the server's clock (its ``Date`` header) if it sent one."""
    try:
        now = parsedate_to_datetime(server_date) if server_date else datetime.now(UTC)
        return max((parsedate_to_datetime(http_date) - now).total_seconds(), 0.0)
    except (TypeError, ValueError):  # unparsable, or a naive date (``-0000`` zone)
        return None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive lookup that works on httpx.Headers and plain dicts alike."""
    return next((v for k, v in headers.items() if k.lower() == name), None)


def api_error(
    *,
    provider: str,
    operation: str,
    status_code: int,
    headers: Mapping[str, str],
    body: bytes,
    detail: object = None,
    job_id: str | None = None,
    url: str | None = None,
) -> APIError:
    """The APIError subclass for `status_code`; `url` is the `METHOD URL` that was tried."""
    common = {
        "url": url,
        "provider": provider,
        "operation": operation,
        "status_code": status_code,
        "body": body,
        "detail": redact(detail) if isinstance(detail, str) else detail,
        "request_id": request_id(headers),
        "job_id": job_id,
    }
    if status_code == 429:
        return RateLimited(retry_after=retry_after_seconds(headers), **common)
    if status_code >= 500:
        return ServerError(**common)  # type: ignore[arg-type]
    return STATUS_ERRORS.get(status_code, APIError)(**common)  # type: ignore[arg-type]
