"""Recording a cassette: an httpx transport that forwards each request and keeps a copy of the
exchange, and the writer that scrubs the keys and refuses a cassette still holding one."""

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpx

from docextract.contract.cassettes import CASSETTE_VERSION, PROVENANCE, dump_cassette
from docextract.contract.scrub import (
    REDACTED,
    SECRET_HEADERS,
    assert_no_leak,
    scrub_body,
    scrub_response,
    scrub_text,
    scrub_uri,
)


def _headers(headers: httpx.Headers) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in headers.multi_items():
        out.setdefault(name, []).append(value)
    return out


def _exchange(request: httpx.Request, response: httpx.Response, body: bytes) -> dict[str, Any]:
    return {
        "request": {
            "method": request.method,
            "uri": str(request.url),
            "headers": _headers(request.headers),
            "body": request.content or None,
        },
        "response": {
            "status": {"code": response.status_code, "message": response.reason_phrase},
            "headers": _headers(response.headers),
            "body": {"string": body},
        },
    }


class RecordingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Forwards to real transports and records each exchange (bodies read in full)."""

    def __init__(
        self,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._sync = transport or httpx.HTTPTransport()
        self._async = async_transport or httpx.AsyncHTTPTransport()
        self.exchanges: list[dict[str, Any]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        response = self._sync.handle_request(request)
        try:
            body = response.read()
        finally:
            response.close()
        return self._keep(request, response, body)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        response = await self._async.handle_async_request(request)
        try:
            body = await response.aread()
        finally:
            await response.aclose()
        return self._keep(request, response, body)

    def _keep(
        self, request: httpx.Request, response: httpx.Response, body: bytes
    ) -> httpx.Response:
        self.exchanges.append(_exchange(request, response, body))
        headers = [
            (k, v)
            for k, v in response.headers.multi_items()
            if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")
        ]
        return httpx.Response(response.status_code, headers=headers, content=body, request=request)

    def close(self) -> None:
        self._sync.close()

    async def aclose(self) -> None:
        await self._async.aclose()


def scrub_exchange(exchange: dict[str, Any], key: str) -> dict[str, Any]:
    request = dict(exchange["request"])
    request["headers"] = {
        name: [REDACTED if name.lower() in SECRET_HEADERS else scrub_text(v, key) for v in values]
        for name, values in request["headers"].items()
    }
    request["uri"] = scrub_uri(request["uri"], key)
    request["body"] = scrub_body(request["body"], key)
    response = scrub_response(
        {
            **exchange["response"],
            "headers": {k: list(v) for k, v in exchange["response"]["headers"].items()},
            "body": dict(exchange["response"]["body"]),
        },
        key,
    )
    return {**exchange, "request": request, "response": response}


def write_cassette(
    path: Path,
    exchanges: Iterable[dict[str, Any]],
    *,
    keys: Iterable[str],
    provenance: dict[str, Any],
) -> Path:
    """Scrub every key from the exchanges, check none remains in any form, write the cassette.

    Raises SecretLeakError (naming where, never the key) and writes nothing if a key remains.
    """
    secrets = [key for key in keys if key]
    interactions = list(exchanges)
    for key in secrets:
        interactions = [scrub_exchange(exchange, key) for exchange in interactions]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    stamped: dict[str, Any] = {"source": "recorded", "recorded_at": stamp, **provenance}
    data = {"version": CASSETTE_VERSION, "interactions": interactions, PROVENANCE: stamped}
    for key in secrets:
        assert_no_leak(data, key)
    text = dump_cassette(interactions, stamped)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
    return path
