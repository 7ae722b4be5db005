"""The answers' shapes: JSON, each provider's error bodies, Server-Sent Events, timestamps.

NuMind answers errors in plain text (`Invalid value for: query parameter temperature`); the other
three are FastAPI services: `{"detail": "..."}`, and 422 `{"detail": [{loc, msg, type}]}`.
"""

import json
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse

from docextract.sandbox.checks import Invalid


def iso(moment: float) -> str:
    """`time.time()` seconds as ISO 8601 in UTC, with milliseconds and a Z."""
    text = datetime.fromtimestamp(moment, UTC).isoformat(timespec="milliseconds")
    return text.removesuffix("+00:00") + "Z"


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def ok(data: Mapping[str, Any], status: int = 200) -> Response:
    return JSONResponse(data, status_code=status)


def error(
    provider: str, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    if provider == "numind":
        return PlainTextResponse(message, status_code=status, headers=headers)
    return JSONResponse({"detail": message}, status_code=status, headers=headers)


def invalid(provider: str, problem: Invalid) -> Response:
    """A rejected input: NuMind's 400 in its own words, FastAPI's 422 elsewhere."""
    if provider == "numind":
        where = f"query parameter {problem.loc[1]}" if problem.loc[0] == "query" else "body"
        return PlainTextResponse(f"Invalid value for: {where}", status_code=400)
    detail = [{"loc": list(problem.loc), "msg": problem.msg, "type": problem.type}]
    return JSONResponse({"detail": detail}, status_code=422)


def sse(event: str, data: str = "") -> str:
    return f"event: {event}\ndata: {data}\n\n"


def event_stream(events: AsyncIterator[str]) -> Response:
    return StreamingResponse(
        events, media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )
