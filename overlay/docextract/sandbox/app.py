"""The sandbox as one ASGI app: each provider under its own prefix (`/numind/api/jobs/...`), with
the paths of its spec below it, and the control API under `/_sandbox`."""

from starlette.applications import Starlette
from starlette.routing import Mount

from docextract.sandbox import control
from docextract.sandbox.routing import provider_routes, route_factories
from docextract.sandbox.state import SandboxState

CONTROL_PREFIX = "/_sandbox"


def create_app(state: SandboxState) -> Starlette:
    mounts = [
        Mount(f"/{name}", routes=provider_routes(state, name, routes))
        for name, routes in route_factories().items()
    ]
    return Starlette(routes=[*mounts, Mount(CONTROL_PREFIX, routes=control.routes(state))])
