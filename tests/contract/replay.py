"""Check 3: given the arguments the recorded request carries, the generated client builds the same
request.

The recorded request is turned back into a call of the operation's generated `sync_detailed`
(path and query parameters converted to the types its signature declares, header parameters,
the body as its generated model or `File`); a loopback server answers with the recorded response
and keeps the request the client sent, which is compared with the recorded one: method, path,
query names and values, content type, header parameters, credentials header, and the body (JSON
by value, multipart part by part — names, file names and types, values — not the boundary;
raw bytes as bytes).
"""

from __future__ import annotations

import importlib
import io
import json
import re
import typing
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from types import NoneType, UnionType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pytest_httpserver import HTTPServer
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, Preamble
from werkzeug.wrappers import Request, Response

from contract.cassettes import Interaction, media_type
from docextract.contract.checks import DROPPED_HEADERS, Located, LocateError, endpoint, locate
from docextract.contract.differ import diff
from docextract.contract.specs import ProviderSpec

SENTINEL_KEY = "contract-replay-key"


class NotExpressibleError(Exception):
    """The generated client has no way to send the recorded request."""


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass(frozen=True)
class Wire:
    """What matters of a request, in a comparable form."""

    method: str
    path: str
    query: dict[str, list[str]]
    content_type: str | None
    headers: dict[str, str | None]
    body: Any


def decode_multipart(content_type: str, body: bytes) -> list[Part]:
    boundary = content_type.split("boundary=", 1)[1].split(";", 1)[0].strip().strip('"')
    decoder = MultipartDecoder(boundary.encode("ascii"))
    decoder.receive_data(body)
    decoder.receive_data(None)
    parts: list[Part] = []
    current: Field | File | None = None
    chunks: list[bytes] = []
    for _ in range(10_000):  # bounded: a well-formed body ends well before this
        event = decoder.next_event()
        if isinstance(event, Preamble):
            continue
        if isinstance(event, Field | File):
            current, chunks = event, []
        elif isinstance(event, Data) and current is not None:
            chunks.append(event.data)
            if not event.more_data:
                filename = current.filename if isinstance(current, File) else None
                part_type = current.headers.get("Content-Type") if filename is not None else None
                parts.append(Part(current.name, filename, part_type, b"".join(chunks)))
                current = None
        elif isinstance(event, Epilogue):
            return parts
        else:
            break
    raise ValueError("the multipart body does not end properly")


def grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in pairs:
        out.setdefault(name, []).append(value)
    return out


# ---------------------------------------------------------------- recorded request → call


def _members(hint: Any) -> list[Any]:
    if isinstance(hint, UnionType) or typing.get_origin(hint) is typing.Union:
        members = typing.get_args(hint)
    else:
        members = (hint,)
    return [m for m in members if m is not NoneType and getattr(m, "__name__", "") != "Unset"]


def _scalar(kind: Any, raw: str) -> Any:
    if kind is bool:
        lowered = raw.lower()
        if lowered not in ("true", "false"):
            raise ValueError(raw)
        return lowered == "true"
    if kind in (int, float, uuid.UUID, str) or (isinstance(kind, type) and issubclass(kind, Enum)):
        return kind(raw)
    raise ValueError(f"no conversion to {kind}")


def convert(hint: Any, raw: list[str]) -> Any:
    """The value of the declared type that the client would send as `raw`."""
    members = _members(hint)
    for member in members:
        if typing.get_origin(member) is list:
            (item,) = typing.get_args(member)
            return [convert(item, [value]) for value in raw]
    if len(raw) != 1:
        raise NotExpressibleError(f"{len(raw)} values for a parameter that takes one")
    for member in members:
        try:
            return _scalar(member, raw[0])
        except (ValueError, TypeError):
            continue
    # Not of the declared type (a path UUID that is not one): the generated code str()s it.
    return raw[0]


FIELD_TYPES: dict[str, Callable[[str], Any]] = {
    "integer": int,
    "number": float,
    "boolean": lambda raw: _scalar(bool, raw),
    "string": str,
}


def _body_argument(interaction: Interaction, located: Located, hint: Any) -> Any:
    body_facts = located.op.facts.get("body")
    request = interaction.request
    if body_facts is None:
        if request.body:
            raise NotExpressibleError("the operation takes no body, the request has one")
        return None
    (cls,) = _members(hint)
    kind = body_facts["content_type"]
    sent_type = media_type(request.header("content-type"))
    if sent_type != kind:
        raise NotExpressibleError(f"the client sends {kind}, the request is {sent_type}")
    try:
        if kind == "application/json":
            return cls.from_dict(json.loads(request.body))
        if kind == "multipart/form-data":
            return _multipart_model(
                request.header("content-type") or "", request.body, cls, located
            )
    except (KeyError, ValueError, TypeError) as exc:
        raise NotExpressibleError(f"the body does not fit {cls.__name__}: {exc!r}") from exc
    return cls(payload=io.BytesIO(request.body))


def _multipart_model(content_type: str, body: bytes, cls: Any, located: Located) -> Any:
    fields = located.op.facts["body"]["fields"]
    file_type = importlib.import_module(f"{located.spec.package}.types").File
    values: dict[str, Any] = {}
    files: dict[str, Any] = {}
    for part in decode_multipart(content_type, body):
        if part.filename is not None:
            values[part.name] = part.data
            files[part.name] = file_type(
                payload=io.BytesIO(part.data), file_name=part.filename, mime_type=part.content_type
            )
            continue
        text = part.data.decode("utf-8")
        field_type = fields.get(part.name, {}).get("type", "string")
        values[part.name] = FIELD_TYPES.get(field_type, str)(text)
    model = cls.from_dict(values)
    for name, file in files.items():
        setattr(model, name, file)
    return model


def call_arguments(interaction: Interaction, located: Located, module: Any) -> dict[str, Any]:
    """Keyword arguments of `module.sync_detailed` that should reproduce the recorded request."""
    hints = typing.get_type_hints(module.sync_detailed)
    unset = importlib.import_module(f"{located.spec.package}.types").UNSET
    query = grouped(interaction.request.query)
    kwargs: dict[str, Any] = {}
    for name, parameter in located.op.facts["parameters"].items():
        wire = parameter["name"]
        where = parameter["in"]
        if where == "path":
            kwargs[name] = convert(hints[name], [located.path_params[wire]])
        elif where == "query":
            values = query.pop(wire, None)
            kwargs[name] = unset if values is None else convert(hints[name], values)
        elif where == "header":
            value = interaction.request.header(wire)
            kwargs[name] = unset if value is None else value
        if kwargs.get(name) is unset and parameter.get("required"):
            # the spec now requires what the recorded request did not send: the provider would
            # refuse this request, so the contract is broken
            raise NotExpressibleError(
                f"required {where} parameter {wire!r} is not in the recording"
            )
    if query:
        raise NotExpressibleError(f"query parameters {sorted(query)} are not the operation's")
    if "body" in hints:
        kwargs["body"] = _body_argument(interaction, located, hints["body"])
    elif interaction.request.body:
        raise NotExpressibleError("the operation takes no body, the request has one")
    return kwargs


# ---------------------------------------------------------------- comparison


def wire_of(
    method: str,
    path: str,
    query: list[tuple[str, str]],
    headers: Callable[[str], str | None],
    body: bytes,
    header_names: list[str],
) -> Wire:
    content_type = headers("content-type")
    kind = media_type(content_type)
    content: Any = body or None
    if kind == "application/json" and body:
        content = json.loads(body)
    elif kind == "multipart/form-data":
        content = grouped_parts(decode_multipart(content_type or "", body))
    return Wire(
        method=method.upper(),
        path=path,
        query=grouped(query),
        content_type=kind,
        headers={name: headers(name) for name in header_names},
        body=content,
    )


def grouped_parts(parts: list[Part]) -> dict[str, list[tuple[str | None, str | None, bytes]]]:
    out: dict[str, list[tuple[str | None, str | None, bytes]]] = {}
    for part in parts:
        out.setdefault(part.name, []).append((part.filename, part.content_type, part.data))
    return out


def compare(recorded: Wire, sent: Wire) -> list[str]:
    problems = []
    for label in ("method", "path", "content_type"):
        if getattr(recorded, label) != getattr(sent, label):
            problems.append(
                f"{label}: recorded {getattr(recorded, label)!r}, sent {getattr(sent, label)!r}"
            )
    for name in sorted(recorded.query.keys() | sent.query.keys()):
        if recorded.query.get(name) != sent.query.get(name):
            problems.append(
                f"query {name}: recorded {recorded.query.get(name)}, sent {sent.query.get(name)}"
            )
    for name, value in recorded.headers.items():
        if sent.headers.get(name) != value:
            problems.append(f"header {name}: recorded {value!r}, sent {sent.headers.get(name)!r}")
    if isinstance(recorded.body, dict) and isinstance(sent.body, dict) and recorded.content_type:
        if recorded.content_type == "multipart/form-data":
            problems += _compare_parts(recorded.body, sent.body)
        else:
            problems += [f"body {problem}" for problem in diff(recorded.body, sent.body)]
    elif recorded.body != sent.body:
        problems.append(f"body: recorded {recorded.body!r:.80}, sent {sent.body!r:.80}")
    return problems


def _compare_parts(recorded: dict[str, Any], sent: dict[str, Any]) -> list[str]:
    problems = []
    for name in sorted(recorded.keys() | sent.keys()):
        mine, theirs = recorded.get(name), sent.get(name)
        if mine != theirs:
            problems.append(
                f"multipart part {name!r}: recorded {mine!r:.120}, sent {theirs!r:.120}"
            )
    return problems


def parse_query(raw: bytes) -> list[tuple[str, str]]:
    return parse_qsl(raw.decode("ascii"), keep_blank_values=True)


# ---------------------------------------------------------------- the check


def check_request(
    interaction: Interaction, server: HTTPServer, spec: ProviderSpec | None = None
) -> list[str]:
    """Replay the interaction through the generated client against `server`; the differences."""
    try:
        located = locate(interaction, spec)
    except LocateError as exc:
        return [str(exc)]
    module = endpoint(located)
    cannot = interaction.note.get("client_cannot_send")
    try:
        kwargs = call_arguments(interaction, located, module)
    except NotExpressibleError as exc:
        return [] if cannot else [f"the generated client cannot send this request: {exc}"]
    if cannot:
        return [f"the note says the client cannot send this ({cannot}), yet it can: update it"]
    server.expect_oneshot_request(re.compile(".*")).respond_with_response(
        recorded_answer(interaction)
    )
    security = located.spec.facts["security"]
    package = importlib.import_module(located.spec.package)
    client = package.AuthenticatedClient(
        base_url=server.url_for(urlsplit(interaction.base_url).path.rstrip("/")),
        token=SENTINEL_KEY,
        prefix=security["prefix"],
        auth_header_name=security["header"],
    )
    error: Exception | None = None
    with client:
        try:
            module.sync_detailed(client=client, **kwargs)
        except Exception as exc:  # parsing is check 2's business; the request is what counts
            error = exc
    if not server.log:
        return [f"no request reached the server ({error!r})"]
    sent: Request = server.log[0][0]
    headers = [p["name"] for p in located.op.facts["parameters"].values() if p["in"] == "header"]
    recorded = wire_of(
        interaction.request.method,
        interaction.request.path,
        interaction.request.query,
        interaction.request.header,
        interaction.request.body,
        headers,
    )
    actual = wire_of(
        sent.method,
        sent.path,
        parse_query(sent.query_string),
        sent.headers.get,
        sent.get_data(),
        headers,
    )
    problems = compare(recorded, actual)
    problems += _credentials(interaction, sent, security)
    return problems


def _credentials(interaction: Interaction, sent: Request, security: dict[str, str]) -> list[str]:
    header = security["header"]
    if interaction.request.header(header) is None:
        return [f"the recorded request carries no {header} header"]
    expected = f"{security['prefix']} {SENTINEL_KEY}".strip()
    if sent.headers.get(header) != expected:
        return [f"credentials: the client did not send {header}: {security['prefix']} <key>"]
    return []


def recorded_answer(interaction: Interaction) -> Response:
    headers = [
        (name, value)
        for name, values in interaction.response.headers.items()
        if name not in DROPPED_HEADERS
        for value in values
    ]
    return Response(interaction.response.body, status=interaction.response.status, headers=headers)
