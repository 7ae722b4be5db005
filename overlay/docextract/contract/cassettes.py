"""Cassettes: plain vcrpy cassettes, read into typed interactions and written back.

A cassette is what vcrpy and pytest-recording read and write (`version`, `interactions` with
`request` and `response`). What docextract adds goes where those tools ignore it: each
interaction's `note:` (operation, case, step) and a top-level `docextract:` mapping, the
provenance (provider, base URL recorded against, source, spec). A top-level `metadata:` would be
returned by vcrpy 9.4 as a third value that pytest-recording 0.14 cannot unpack, so it is only
read (older cassettes), never written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from vcr.serializers import compat, yamlserializer  # type: ignore[import-untyped]

PROVENANCE = "docextract"
LEGACY_PROVENANCE = "metadata"
CASSETTE_VERSION = 1


def _as_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    return str(body).encode("utf-8")


def _headers(raw: dict[str, Any] | None) -> dict[str, list[str]]:
    """Header name (lower case) → values; vcrpy stores a list per name (or one value)."""
    out: dict[str, list[str]] = {}
    for name, values in (raw or {}).items():
        listed = values if isinstance(values, list) else [values]
        out.setdefault(name.lower(), []).extend(str(v) for v in listed)
    return out


def media_type(content_type: str | None) -> str | None:
    """`application/json` of `Application/JSON; charset=utf-8`; None when absent."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower()


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    uri: str
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None

    @property
    def path(self) -> str:
        return unquote(urlsplit(self.uri).path)

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.uri).query, keep_blank_values=True)


@dataclass(frozen=True)
class RecordedResponse:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None

    @property
    def media_type(self) -> str | None:
        return media_type(self.header("content-type"))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass(frozen=True)
class Interaction:
    """One request/answer of a cassette, with where it comes from."""

    provider: str
    cassette: str  # the cassette's path as shown in messages
    index: int
    request: RecordedRequest
    response: RecordedResponse
    metadata: dict[str, Any] = field(default_factory=dict)
    note: dict[str, Any] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return str(self.metadata["base_url"]).rstrip("/")

    @property
    def where(self) -> str:
        return f"{self.cassette} interaction #{self.index}"

    @property
    def test_id(self) -> str:
        return f"{self.cassette}#{self.index}-{self.response.status}"


def interactions_of(data: dict[str, Any], cassette: str) -> list[Interaction]:
    """The interactions of a cassette's data (as loaded from YAML)."""
    metadata = provenance_of(data)
    provider = str(metadata.get("provider") or cassette.split("/", 1)[0])
    out = []
    for index, raw in enumerate(data["interactions"]):
        request, response = raw["request"], raw["response"]
        out.append(
            Interaction(
                provider=provider,
                cassette=cassette,
                index=index,
                request=RecordedRequest(
                    method=str(request["method"]).upper(),
                    uri=str(request["uri"]),
                    headers=_headers(request.get("headers")),
                    body=_as_bytes(request.get("body")),
                ),
                response=RecordedResponse(
                    status=int(response["status"]["code"]),
                    headers=_headers(response.get("headers")),
                    body=_as_bytes((response.get("body") or {}).get("string")),
                ),
                metadata=metadata,
                note=dict(raw.get("note") or {}),
            )
        )
    return out


def provenance_of(data: dict[str, Any]) -> dict[str, Any]:
    """The cassette's `docextract:` mapping (or, in older cassettes, its `metadata:`)."""
    found = data.get(PROVENANCE) or data.get(LEGACY_PROVENANCE) or {}
    return dict(found) if isinstance(found, dict) else {}


def load_cassette(text: str) -> dict[str, Any]:
    """A cassette's data, read with vcrpy's safe loader (binary bodies come back as bytes)."""
    data = yamlserializer.deserialize(text)
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        raise ValueError("not a vcrpy cassette (no `interactions:` list)")
    return data


def load_data(path: Path) -> dict[str, Any]:
    return load_cassette(path.read_text(encoding="utf-8"))


def dump_cassette(interactions: Iterable[dict[str, Any]], provenance: dict[str, Any]) -> str:
    """The YAML text of a cassette in vcrpy's own format, provenance under `docextract:`.

    As vcrpy does, bodies that are UTF-8 are stored as text, others as `!!binary`."""
    readable = [
        {
            **interaction,
            "request": compat.convert_to_unicode(dict(interaction["request"])),
            "response": compat.convert_to_unicode(
                {**interaction["response"], "body": dict(interaction["response"]["body"])}
            ),
        }
        for interaction in interactions
    ]
    data = {"version": CASSETTE_VERSION, "interactions": readable, PROVENANCE: provenance}
    text: str = yamlserializer.serialize(data)
    return text


def cassette_paths(root: Path) -> list[Path]:
    return sorted(root.glob("**/*.yaml"))


def interactions_in(path: Path, label: str | None = None) -> list[Interaction]:
    """The interactions of the cassette at `path` (shown as `label`, default the path)."""
    return interactions_of(load_data(path), label if label is not None else path.as_posix())
