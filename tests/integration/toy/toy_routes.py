"""The toy provider in the sandbox (as docextract/sandbox/routes/<provider>.py)."""

import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from docextract.sandbox import responses
from docextract.sandbox.jobs import Job, Lifecycle
from docextract.sandbox.routing import operation_routes
from docextract.sandbox.state import SandboxState

PROVIDER = "toy"
LIFECYCLE = Lifecycle(
    steps=("queued", "running"),
    extra_steps=("queued", "running"),
    working=frozenset({"running"}),
    ended={
        "completed": "done",
        "nonconforming": "done",
        "failed": "failed",
        "cancelled": "cancelled",
    },
)


def routes(state: SandboxState) -> list[Route]:
    return operation_routes(state, PROVIDER, {"create_job": create_job, "get_job": get_job})


def _json(job: Job[str]) -> dict[str, Any]:
    view = job.view(time.time())
    words = job.payload.split()
    done = view.completed
    return {
        "id": job.id,
        "status": view.status,
        "words": len(words),
        "result": {"first_word": words[0], "words": len(words)} if done else None,
    }


async def create_job(request: Request, state: SandboxState) -> Response:
    body = await request.json()
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text:
        return responses.error(PROVIDER, 422, "text is required")
    schedule = state.schedules[PROVIDER]
    job = Job(str(uuid.uuid4()), LIFECYCLE, LIFECYCLE.plan(schedule), schedule.outcome, text)
    return responses.ok(_json(state.add_job(PROVIDER, job)))


async def get_job(request: Request, state: SandboxState) -> Response:
    job = state.find_job(PROVIDER, request.path_params["job_id"], str)
    if job is None:
        return responses.error(PROVIDER, 404, "No such job")
    return responses.ok(_json(job))
