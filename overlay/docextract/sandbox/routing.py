"""A provider's operations as routes: path and method from its spec, then for every request
count it, apply the fault in force, check the key, and run the operation.

One provider's bad spec never takes the others down: an operation its spec no longer has is
left out (and named), and a provider whose routes cannot be built at all answers every request
with a 503 that names it and the reason, while the other providers are served.

The sandbox's providers are organised as docextract's: one module per provider,
docextract/sandbox/routes/<name>.py, whose `routes(state)` lists its routes; every registered
provider (docextract.providers) with such a module is served, under `/<name>`. A provider added
at run time gives its routes with `register_routes`.
"""

import importlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from docextract.errors import InvalidParameter
from docextract.providers import PROVIDERS
from docextract.sandbox import auth, faults
from docextract.sandbox.state import SandboxState

Handler = Callable[[Request, SandboxState], Awaitable[Response]]
RoutesFactory = Callable[[SandboxState], Sequence[BaseRoute]]

_REGISTERED: dict[str, RoutesFactory] = {}


def register_routes(provider: str, routes: RoutesFactory) -> None:
    """Serve `provider` (registered in docextract.providers) with `routes(state)`."""
    _REGISTERED[provider] = routes


def route_factories() -> dict[str, RoutesFactory]:
    """Every registered provider's routes factory, by name: its registered one, else its
    module's `routes` (a provider without a module is not served; one whose module fails to
    import gets a factory raising that error, which `provider_routes` answers with a 503)."""
    found: dict[str, RoutesFactory] = {}
    for name in PROVIDERS:
        if name in _REGISTERED:
            found[name] = _REGISTERED[name]
            continue
        module_name = f"docextract.sandbox.routes.{name}"
        try:
            found[name] = importlib.import_module(module_name).routes
        except ModuleNotFoundError as missing:
            if missing.name != module_name:
                found[name] = _failing(missing)
        except Exception as exc:  # one provider's broken module must not stop the others
            found[name] = _failing(exc)
    return found


def _failing(error: Exception) -> RoutesFactory:
    def routes(state: SandboxState) -> Sequence[BaseRoute]:
        raise error

    return routes


log = logging.getLogger("docextract.sandbox")

_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def operation_routes(
    state: SandboxState, provider: str, handlers: Mapping[str, Handler]
) -> list[Route]:
    """One route per operation ID of `provider`'s spec, each answered by its handler; an
    operation the spec does not have is logged, by provider and operation, and left out."""
    routes: list[Route] = []
    missing: list[str] = []
    for operation, handler in handlers.items():
        try:
            routes.append(_route(state, provider, operation, handler))
        except InvalidParameter:
            missing.append(operation)
    if missing:
        log.warning(
            "sandbox: %s: operation(s) %s not in its spec (specs/%s/openapi.yaml); "
            "serving its other operations",
            provider,
            ", ".join(missing),
            provider,
        )
    return routes


def provider_routes(
    state: SandboxState, provider: str, build: Callable[[SandboxState], Sequence[BaseRoute]]
) -> list[BaseRoute]:
    """`build(state)`, or, if it fails, one route answering 503 naming the provider and why."""
    try:
        return list(build(state))
    except Exception as exc:  # any failure of one provider's routes must not stop the others
        problem = f"{type(exc).__name__}: {exc}"
        log.error("sandbox: %s is unavailable (%s); serving the other providers", provider, problem)
        return [Route("/{path:path}", _unavailable(provider, problem), methods=_ALL_METHODS)]


def _unavailable(provider: str, problem: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        detail = f"the sandbox cannot serve {provider}: {problem}"
        return JSONResponse({"detail": detail, "provider": provider}, status_code=503)

    return endpoint


def _route(state: SandboxState, provider: str, operation: str, handler: Handler) -> Route:
    facts = PROVIDERS[provider].operation_facts(operation)
    route_key = f"{facts['method']} {facts['path']}"

    async def endpoint(request: Request) -> Response:
        state.requests[f"{provider} {route_key}"] += 1

        async def answer() -> Response:
            refusal = auth.refusal(provider, request, state.config.api_key)
            return refusal or await handler(request, state)

        fault = state.faults.take(provider, route_key)
        if fault is None:
            return await answer()
        return await faults.apply(fault, answer, state.stopped)

    return Route(facts["path"], endpoint, methods=[facts["method"]])
