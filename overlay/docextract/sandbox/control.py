"""The control API under /_sandbox (same key, as `Authorization: Bearer <key>`).

    GET    /_sandbox/stats       {"requests": {"numind GET /api/jobs/{jobId}": 3, ...},
                                  "jobs_created": {"numind": 1, "llamacloud": 0, ...},
                                  "peak_active_jobs": {"numind": 1, ...}}  (most at once)
    GET    /_sandbox/faults      {"faults": [Fault, ...]}  (counts as they stand)
    POST   /_sandbox/faults      a Fault {"provider", "route", "kind", "status", "retry_after",
                                 "delay", "count"} or {"spec": "numind:*=status:503x2"}
                                 -> 201 {"fault": Fault}
    DELETE /_sandbox/faults      -> {"faults": []}
    GET    /_sandbox/schedules   {"numind": Schedule, ...}
    POST   /_sandbox/schedules   {"provider": "llamacloud", "outcome": "failed",
                                  "step_seconds": 0.01, "extra_step": true, "stream_error": false,
                                  "creations_per_second": 15}
                                 (all but provider optional; for the jobs created afterwards)
                                 -> {"llamacloud": Schedule}
    GET    /_sandbox/durations   {"llamacloud": {"seconds": [...], "taken": 3}, ...}
    POST   /_sandbox/durations   {"provider": "llamacloud", "seconds": [3.2, 7.9, ...]}: each new
                                 job lasts the next of `seconds` in total (in turn, cycled;
                                 at most 100000 finite values >= 0); with "hold": true, each
                                 new job waits in its first status for the release
                                 -> {"llamacloud": {...}}
    POST   /_sandbox/release     {"provider": "llamacloud"}: the held jobs start now, each
                                 lasting its total from now -> {"released": 5000}
    DELETE /_sandbox/durations   back to the schedules' step_seconds -> {}
    POST   /_sandbox/reset       forget jobs, files, counters; back to the start config -> 204

Refusals: 401/403 as for the providers, 422 `{"detail": "..."}` for a bad body.
"""

import math
from collections.abc import Awaitable, Callable
from typing import Any

import attrs
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from docextract.errors import InvalidParameter
from docextract.providers import PROVIDERS
from docextract.sandbox import auth, checks, responses
from docextract.sandbox.auth import CONTROL
from docextract.sandbox.faults import Fault
from docextract.sandbox.state import Durations, SandboxState

Action = Callable[[Request, SandboxState], Awaitable[Response]]


def routes(state: SandboxState) -> list[Route]:
    return [
        _route(state, "/stats", "GET", stats),
        _route(state, "/faults", "GET", list_faults),
        _route(state, "/faults", "POST", add_fault),
        _route(state, "/faults", "DELETE", clear_faults),
        _route(state, "/schedules", "GET", list_schedules),
        _route(state, "/schedules", "POST", set_schedule),
        _route(state, "/durations", "GET", list_durations),
        _route(state, "/durations", "POST", set_durations),
        _route(state, "/durations", "DELETE", clear_durations),
        _route(state, "/release", "POST", release),
        _route(state, "/reset", "POST", reset),
    ]


async def stats(request: Request, state: SandboxState) -> Response:
    return responses.ok(
        {
            "requests": dict(sorted(state.requests.items())),
            "jobs_created": dict(state.jobs_created),
            "peak_active_jobs": {name: state.peak_active(name) for name in state.jobs},
        }
    )


async def list_faults(request: Request, state: SandboxState) -> Response:
    return responses.ok({"faults": [fault.to_json() for fault in state.faults.all()]})


async def add_fault(request: Request, state: SandboxState) -> Response:
    data = await _body(request)
    spec = data.get("spec")
    fault = Fault.parse(spec) if isinstance(spec, str) else Fault.from_json(data)
    state.faults.set(fault)
    return responses.ok({"fault": fault.to_json()}, 201)


async def clear_faults(request: Request, state: SandboxState) -> Response:
    state.faults.clear()
    return responses.ok({"faults": []})


async def list_schedules(request: Request, state: SandboxState) -> Response:
    return responses.ok({name: attrs.asdict(s) for name, s in state.schedules.items()})


async def set_schedule(request: Request, state: SandboxState) -> Response:
    changes = await _body(request)
    provider = _provider(changes.pop("provider", None))
    try:
        schedule = state.configure(provider, changes)
    except TypeError as error:
        raise InvalidParameter("schedule", changes, str(error)) from None
    return responses.ok({provider: attrs.asdict(schedule)})


MAX_DURATIONS = 100_000


async def list_durations(request: Request, state: SandboxState) -> Response:
    return responses.ok({name: attrs.asdict(d) for name, d in state.durations.items()})


async def set_durations(request: Request, state: SandboxState) -> Response:
    data = await _body(request)
    provider = _provider(data.get("provider"))
    seconds = data.get("seconds")
    if (
        not isinstance(seconds, list)
        or not 0 < len(seconds) <= MAX_DURATIONS
        or not all(_duration(value) for value in seconds)
    ):
        shown = seconds if not isinstance(seconds, list) else f"<list of {len(seconds)}>"
        raise InvalidParameter(
            "seconds", shown, f"a list of 1 to {MAX_DURATIONS} finite numbers of seconds >= 0"
        )
    hold = data.get("hold", False)
    if not isinstance(hold, bool):
        raise InvalidParameter("hold", hold, "true or false")
    state.durations[provider] = Durations(tuple(float(value) for value in seconds), hold=hold)
    return responses.ok({provider: attrs.asdict(state.durations[provider])})


def _duration(value: object) -> bool:
    return (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and value >= 0
    )


async def release(request: Request, state: SandboxState) -> Response:
    data = await _body(request)
    provider = _provider(data.get("provider"))
    return responses.ok({"released": state.release(provider)})


async def clear_durations(request: Request, state: SandboxState) -> Response:
    state.durations.clear()
    return responses.ok({})


async def reset(request: Request, state: SandboxState) -> Response:
    state.reset()
    return Response(status_code=204)


def _route(state: SandboxState, path: str, method: str, action: Action) -> Route:
    async def endpoint(request: Request) -> Response:
        refusal = auth.refusal(CONTROL, request, state.config.api_key)
        if refusal is not None:
            return refusal
        try:
            return await action(request, state)
        except InvalidParameter as error:
            return responses.error(CONTROL, 422, str(error))

    return Route(path, endpoint, methods=[method])


def _provider(value: object) -> str:
    """The body's `provider`, one the sandbox serves."""
    provider = str(value)
    if provider not in PROVIDERS:
        raise InvalidParameter("provider", provider, "one of " + ", ".join(PROVIDERS))
    return provider


async def _body(request: Request) -> dict[str, Any]:
    try:
        data = checks.loads(await request.body())
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise InvalidParameter("body", None, "a JSON object")
    return data
