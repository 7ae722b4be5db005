"""A provider's operations as routes: path and method from its spec, then for every request
count it, apply the fault in force, check the key, and run the operation.

The sandbox's providers are organised as docextract's: one module per provider,
docextract/sandbox/routes/<name>.py, whose `routes(state)` lists its routes; every registered
provider (docextract.providers) with such a module is served, under `/<name>`. A provider added
at run time gives its routes with `register_routes`.
"""

import importlib
from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from docextract.providers import PROVIDERS
from docextract.sandbox import auth, faults
from docextract.sandbox.state import SandboxState

Handler = Callable[[Request, SandboxState], Awaitable[Response]]
RoutesFactory = Callable[[SandboxState], list[Route]]

_REGISTERED: dict[str, RoutesFactory] = {}


def register_routes(provider: str, routes: RoutesFactory) -> None:
    """Serve `provider` (registered in docextract.providers) with `routes(state)`."""
    _REGISTERED[provider] = routes


def provider_routes() -> dict[str, RoutesFactory]:
    """Every registered provider's routes factory, by name (a provider without one is not
    served)."""
    found: dict[str, RoutesFactory] = {}
    for name in PROVIDERS:
        if name in _REGISTERED:
            found[name] = _REGISTERED[name]
            continue
        try:
            module = importlib.import_module(f"docextract.sandbox.routes.{name}")
        except ModuleNotFoundError as missing:
            if missing.name != f"docextract.sandbox.routes.{name}":
                raise
            continue
        found[name] = module.routes
    return found


def operation_routes(
    state: SandboxState, provider: str, handlers: Mapping[str, Handler]
) -> list[Route]:
    """One route per operation ID of `provider`'s spec, each answered by its handler."""
    return [_route(state, provider, operation, handler) for operation, handler in handlers.items()]


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
