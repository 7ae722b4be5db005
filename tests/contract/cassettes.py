"""Reading the VCR cassettes of tests/fixtures/ into typed interactions."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from vcr.serializers import yamlserializer

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


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
    cassette: str  # path relative to tests/fixtures/
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
        return f"tests/fixtures/{self.cassette} interaction #{self.index}"

    @property
    def test_id(self) -> str:
        return f"{self.cassette}#{self.index}-{self.response.status}"


def interactions_of(data: dict[str, Any], cassette: str) -> list[Interaction]:
    """The interactions of a cassette's data (as loaded from YAML)."""
    metadata: dict[str, Any] = data.get("metadata") or {}
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


def load_data(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yamlserializer.deserialize(path.read_text(encoding="utf-8"))
    return data


def cassette_paths(root: Path = FIXTURES) -> list[Path]:
    return sorted(root.glob("*/**/*.yaml"))


@cache
def all_interactions() -> tuple[Interaction, ...]:
    out: list[Interaction] = []
    for path in cassette_paths():
        out += interactions_of(load_data(path), path.relative_to(FIXTURES).as_posix())
    return tuple(out)
