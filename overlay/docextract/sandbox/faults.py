"""Injected faults: what can go wrong on a route, how it is written, and the answers it produces.

A fault applies to one operation of a provider (its route key: the spec's method and path
template, e.g. ``GET /api/jobs/{jobId}``) or to every operation of it (``*``). Written as a
string (the CLI's ``--fault``): ``PROVIDER:ROUTE=KIND[:ARG][xCOUNT]``, for instance
``numind:GET /api/jobs/{jobId}=status:503x3``, ``retab:*=slow:2``, ``llamacloud:*=drop x1``.
Without ``xCOUNT`` a fault is sticky; with it, it clears after COUNT requests.

Kinds: ``status:CODE`` (an error answer, 503 by default), ``rate_limit:SECONDS`` (429 with
``Retry-After``), ``drop`` (headers announcing a body, then the connection closes), ``slow:SECONDS``
(the answer comes late), ``silent`` (no answer until the client leaves or the server stops),
``truncated`` (200 with the first half of the body), ``html`` (a 502 HTML error page). The
operation runs for ``drop``, ``slow`` and ``truncated`` (the server acted, the answer got lost),
even when the client has left meanwhile (its request was read in full first: see
`RUNS_THE_OPERATION`); it does not for the others.
"""

import asyncio
import contextlib
import math
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Literal, get_args

import attrs
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from docextract.errors import InvalidParameter
from docextract.providers import PROVIDERS, ProviderName
from docextract.sandbox import responses

RUNS_THE_OPERATION = frozenset({"drop", "slow", "truncated"})
"""Kinds whose request is read in full before the fault acts, so the operation runs anyway."""
FaultKind = Literal["status", "rate_limit", "drop", "slow", "silent", "truncated", "html"]
KINDS: tuple[str, ...] = get_args(FaultKind)
ANY_ROUTE = "*"
_SPEC = re.compile(
    r"^(?P<provider>[a-z]+):(?P<route>.+)=\s*(?P<kind>[a-z_]+)(?::(?P<arg>[0-9.]+))?"
    r"(?:\s*x(?P<count>[0-9]+))?$"
)
_HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>502 Bad Gateway</h1><p>The upstream server did not answer.</p></body></html>"
)


def route_keys(provider: str) -> list[str]:
    """The route keys of a provider's operations, from its spec: ``METHOD /path/template``."""
    operations = PROVIDERS[provider].facts["operations"].values()
    return [f"{op['method']} {op['path']}" for op in operations]


MAX_DELAY = 3600  # seconds: an hour is more than any test waits


def _integer(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidParameter(name, value, "an integer")


def _check_provider(_: object, __: object, provider: str) -> None:
    if provider not in PROVIDERS:
        raise InvalidParameter("provider", provider, "one of " + ", ".join(PROVIDERS))


@attrs.frozen
class Fault:
    """A fault on `route` of `provider`; `count` requests (None: until cleared)."""

    provider: ProviderName = attrs.field(validator=_check_provider)
    route: str = ANY_ROUTE
    kind: FaultKind = "status"
    status: int = 503
    retry_after: int = 1
    delay: float = 1.0
    count: int | None = None

    def __attrs_post_init__(self) -> None:
        # every field checked for its type too: JSON gives 1.5, 503.5, 1e999 or NaN as readily
        _integer("status", self.status)
        _integer("retry_after", self.retry_after)
        if self.count is not None:
            _integer("count", self.count)
        if not isinstance(self.route, str) or not isinstance(self.kind, str):
            raise InvalidParameter("route/kind", (self.route, self.kind), "strings")
        if (
            isinstance(self.delay, bool)
            or not isinstance(self.delay, int | float)
            or not math.isfinite(self.delay)
            or not 0 <= self.delay <= MAX_DELAY
        ):
            raise InvalidParameter("delay", self.delay, f"a number of seconds, 0 to {MAX_DELAY}")
        if self.retry_after > MAX_DELAY:
            raise InvalidParameter("retry_after", self.retry_after, f"0 to {MAX_DELAY} seconds")
        if self.route != ANY_ROUTE and self.route not in route_keys(self.provider):
            known = ", ".join([ANY_ROUTE, *route_keys(self.provider)])
            raise InvalidParameter("route", self.route, f"one of {known}")
        if self.kind not in KINDS:
            raise InvalidParameter("kind", self.kind, "one of " + ", ".join(KINDS))
        if not 400 <= self.status <= 599:
            raise InvalidParameter("status", self.status, "an HTTP error status (400-599)")
        if self.retry_after < 0 or self.delay < 0:
            raise InvalidParameter("retry_after/delay", (self.retry_after, self.delay), ">= 0")
        if self.count is not None and self.count < 1:
            raise InvalidParameter("count", self.count, "an integer >= 1, or None (sticky)")

    @classmethod
    def parse(cls, text: str) -> "Fault":
        """A fault written as ``PROVIDER:ROUTE=KIND[:ARG][xCOUNT]`` (see the module docstring)."""
        match = _SPEC.match(text.strip())
        if match is None:
            raise InvalidParameter("fault", text, "PROVIDER:ROUTE=KIND[:ARG][xCOUNT]")
        kind, arg = match["kind"], match["arg"]
        count = int(match["count"]) if match["count"] else None
        options: dict[str, float] = {}
        if arg is not None:
            names = {"status": "status", "rate_limit": "retry_after", "slow": "delay"}
            if kind not in names:
                raise InvalidParameter("fault", text, f"no argument after {kind!r}")
            try:
                options[names[kind]] = float(arg) if kind == "slow" else int(arg)
            except ValueError:
                raise InvalidParameter("fault", text, f"a number after {kind!r}") from None
        return cls.from_json(
            {"provider": match["provider"], "route": match["route"].strip(), "kind": kind}
            | options
            | {"count": count}
        )

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> "Fault":
        unknown = set(data) - set(attrs.fields_dict(cls))
        if unknown:
            raise InvalidParameter("fault", sorted(unknown), "known fields only")
        try:
            return cls(**data)  # type: ignore[arg-type]
        except TypeError as error:
            raise InvalidParameter("fault", dict(data), str(error)) from None

    def to_json(self) -> dict[str, object]:
        return attrs.asdict(self)


class FaultBook:
    """The faults in force: at most one per (provider, route key); counted ones wear out."""

    def __init__(self, faults: Iterable[Fault] = ()) -> None:
        self._faults: dict[tuple[str, str], Fault] = {}
        for fault in faults:
            self.set(fault)

    def set(self, fault: Fault) -> None:
        self._faults[fault.provider, fault.route] = fault

    def clear(self) -> None:
        self._faults.clear()

    def all(self) -> list[Fault]:
        return list(self._faults.values())

    def take(self, provider: str, route: str) -> Fault | None:
        """The fault that applies to this request, counting it; the route's own before ``*``."""
        for key in ((provider, route), (provider, ANY_ROUTE)):
            fault = self._faults.get(key)
            if fault is None:
                continue
            if fault.count is None:
                return fault
            if fault.count == 1:
                del self._faults[key]
            else:
                self._faults[key] = attrs.evolve(fault, count=fault.count - 1)
            return fault
        return None


async def apply(
    fault: Fault, answer: Callable[[], Awaitable[Response]], stopped: asyncio.Event
) -> Response:
    """The answer to a request that `fault` hits; `answer()` runs the operation."""
    provider = fault.provider
    if fault.kind == "status":
        return responses.error(provider, fault.status, f"{_phrase(fault.status)} (injected fault)")
    if fault.kind == "rate_limit":
        headers = {"Retry-After": str(fault.retry_after)}
        return responses.error(provider, 429, "Too many requests (injected fault)", headers)
    if fault.kind == "html":
        return HTMLResponse(_HTML_PAGE, status_code=502)
    if fault.kind == "silent":
        return Silent(stopped)
    if fault.kind == "slow":
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopped.wait(), fault.delay)
    response = await answer()
    if fault.kind == "drop":
        return Dropped(response)
    if fault.kind == "truncated":
        body = bytes(response.body) if hasattr(response, "body") else b""
        return Response(body[: len(body) // 2], media_type="application/json")
    return response


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class Dropped(Response):
    """Sends the status line and headers of `answer` (Content-Length included), then no body:
    the server closes the connection, and the client sees a protocol error."""

    def __init__(self, answer: Response) -> None:
        super().__init__(status_code=answer.status_code)
        self.raw_headers = answer.raw_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )


class Silent(Response):
    """Never answers: returns when the client disconnects or `stopped` is set."""

    def __init__(self, stopped: asyncio.Event) -> None:
        super().__init__()
        self._stopped = stopped

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def disconnected() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        waits = [asyncio.ensure_future(disconnected()), asyncio.ensure_future(self._stopped.wait())]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()
