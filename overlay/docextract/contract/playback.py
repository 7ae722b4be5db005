"""Replaying a cassette through the generated clients and the overlay: an httpx transport.

vcrpy patches httpx and serves each recorded answer once, matching on the URL; it cannot tell
that a job's fourth status poll should get the recorded `completed`, nor that the recording
dropped repeated identical polls. This transport matches a request on its method, path and query
parameters (as a multiset: order does not matter, repeats do), serves the matching recordings in
the order they were recorded, and once they are all played serves the last one again for a GET
(a poll of a job that has not changed). A request no recording matches raises `UnmatchedRequest`
naming it and what the cassette holds. Nothing leaves the process.
"""

from collections import Counter
from collections.abc import Iterable, Sequence

import httpx

from docextract.contract.cassettes import Interaction

DROPPED_HEADERS = frozenset({"content-length", "content-encoding", "transfer-encoding"})
Key = tuple[str, str, tuple[tuple[str, str], ...]]


class UnmatchedRequest(Exception):
    """A request the cassette holds no answer for (method, path and query named)."""


def _key(method: str, path: str, query: Iterable[tuple[str, str]]) -> Key:
    return method.upper(), path, tuple(sorted(query))


def request_key(request: httpx.Request) -> Key:
    query = [(k, v) for k, v in httpx.QueryParams(request.url.query).multi_items()]
    return _key(request.method, request.url.path, query)


def _describe(key: Key) -> str:
    method, path, query = key
    shown = "&".join(f"{k}={v}" for k, v in query)
    return f"{method} {path}{'?' + shown if shown else ''}"


class ReplayTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serves a cassette's answers, sync and async; `played` counts each interaction's uses."""

    def __init__(self, interactions: Sequence[Interaction]) -> None:
        self.interactions = list(interactions)
        self._by_key: dict[Key, list[int]] = {}
        for index, interaction in enumerate(self.interactions):
            request = interaction.request
            key = _key(request.method, request.path, request.query)
            self._by_key.setdefault(key, []).append(index)
        self.played: Counter[int] = Counter()
        self.unmatched: list[str] = []

    def answer(self, request: httpx.Request) -> httpx.Response:
        key = request_key(request)
        indices = self._by_key.get(key)
        if not indices:
            self.unmatched.append(_describe(key))
            recorded = sorted({_describe(k) for k in self._by_key})
            raise UnmatchedRequest(
                f"the cassette has no answer for {_describe(key)}; it holds: " + "; ".join(recorded)
            )
        fresh = [index for index in indices if not self.played[index]]
        if fresh:
            chosen = fresh[0]
        elif key[0] == "GET":
            chosen = indices[-1]
        else:
            self.unmatched.append(_describe(key))
            raise UnmatchedRequest(
                f"{_describe(key)} was sent {len(indices) + 1} times; the cassette holds "
                f"{len(indices)} (only GETs are replayed again)"
            )
        self.played[chosen] += 1
        return as_response(self.interactions[chosen], request)

    @property
    def unplayed(self) -> list[Interaction]:
        return [i for index, i in enumerate(self.interactions) if not self.played[index]]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return self.answer(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self.answer(request)


def as_response(interaction: Interaction, request: httpx.Request) -> httpx.Response:
    recorded = interaction.response
    headers = [
        (name, value)
        for name, values in recorded.headers.items()
        if name not in DROPPED_HEADERS
        for value in values
    ]
    return httpx.Response(recorded.status, headers=headers, content=recorded.body, request=request)
