"""A provider's operations as routes: path and method from its spec, then for every request
count it, apply the fault in force, check the key, and run the operation."""

from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from docextract.providers import PROVIDERS
from docextract.sandbox import auth, faults
from docextract.sandbox.state import SandboxState

Handler = Callable[[Request, SandboxState], Awaitable[Response]]


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

        try:
            fault = state.faults.take(provider, route_key)
            if fault is None:
                return await answer()
            if fault.kind in faults.RUNS_THE_OPERATION:
                await request.body()  # kept by the request: the operation runs if the client left
            return await faults.apply(fault, answer, state.stopped)
        except ClientDisconnect:  # the client left before its request was read: nobody to answer
            return Response(status_code=400)

    return Route(facts["path"], endpoint, methods=[facts["method"]])
