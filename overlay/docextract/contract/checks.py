"""Checks 1 and 2 of the contract tests, on one fixture interaction.

1. The answer validates against the spec's schema for its operation, status and content type
   (`text/plain` and `text/event-stream` bodies as strings; each event's data also against the
   schema `x-sse-events` names for it).
2. The generated client parses it (`_build_response` of the operation's module, unexpected
   statuses raising) and the parsed model serialises back (`to_dict()`) to the same JSON; the
   data of each stream event likewise through its generated model.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import uuid
from dataclasses import dataclass, field
from enum import Enum
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

import attrs
import httpx

from docextract.contract.cassettes import Interaction
from docextract.contract.differ import diff, join
from docextract.contract.specs import Operation, ProviderSpec, escape, provider_spec
from docextract.contract.sse import parse_events

# Answers the generated endpoint cannot parse, by design of the generator: its `_parse_response`
# calls `response.json()` for every 200, so the `text/event-stream` answer of stream=true raises.
# The stream events are still checked against their generated models (stream_events.py).
STREAM_PARSE_GAPS = frozenset({("contextual", "start_extraction_job_extract_jobs_post")})
DROPPED_HEADERS = frozenset({"content-length", "content-encoding", "transfer-encoding"})


class LocateError(Exception):
    """The interaction does not belong to any operation of its provider's spec."""


@dataclass(frozen=True)
class Located:
    spec: ProviderSpec
    op: Operation
    path_params: dict[str, str]


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def locate(interaction: Interaction, spec: ProviderSpec | None = None) -> Located:
    """The operation of `spec` (by default the provider's vendored spec) the interaction calls."""
    if spec is None:
        spec = provider_spec(interaction.provider)
    elif spec.provider != interaction.provider:
        raise LocateError(f"a {interaction.provider} interaction, a {spec.provider} spec")
    base = urlsplit(interaction.base_url)
    uri = urlsplit(interaction.request.uri)
    if (uri.scheme, uri.netloc) != (base.scheme, base.netloc) or not uri.path.startswith(base.path):
        raise LocateError(f"{interaction.request.uri} is not under base_url {interaction.base_url}")
    path = uri.path[len(base.path.rstrip("/")) :]
    found = spec.match(interaction.request.method, path)
    if found is None:
        raise LocateError(f"no operation of the spec answers {interaction.request.method} {path}")
    op, params = found
    noted = interaction.note.get("operation")
    if noted and noted != op.operation_id:
        raise LocateError(f"the note says {noted}, the request is {op.operation_id}")
    return Located(spec, op, {name: unquote(value) for name, value in params.items()})


def heading(interaction: Interaction, check: str) -> str:
    try:
        operation = locate(interaction).op.operation_id
    except LocateError:
        operation = interaction.note.get("operation", "?")
    case = interaction.note.get("case") or interaction.note.get("step") or ""
    return (
        f"[{interaction.provider}] {operation} — {interaction.where} "
        f"(HTTP {interaction.response.status} {interaction.response.media_type or 'no body'}"
        f"{', ' + case if case else ''}): {check}"
    )


def documented_content(located: Located, status: int) -> tuple[str, dict[str, Any]] | None:
    """(pointer of the response, its `content` map) for `status`; None if undocumented."""
    found = located.spec.response(located.op, status)
    if found is None:
        return None
    _, pointer = found
    node = located.spec.node(pointer)
    return pointer, dict(node.get("content") or {})


# ---------------------------------------------------------------- check 1


def check_schema(interaction: Interaction, spec: ProviderSpec | None = None) -> Findings:
    out = Findings()
    try:
        located = locate(interaction, spec)
    except LocateError as exc:
        out.problems.append(str(exc))
        return out
    response = interaction.response
    documented = documented_content(located, response.status)
    if documented is None:
        out.problems.append(f"HTTP {response.status} is not a documented answer")
        return out
    pointer, content = documented
    media = response.media_type
    if not content:
        if response.body:
            out.warnings.append(f"the spec documents no body for HTTP {response.status}")
        return out
    if media not in content:
        if media is None and not response.body:
            out.problems.append(f"empty answer; the spec documents {sorted(content)}")
        else:
            out.problems.append(f"content type {media} is not documented ({sorted(content)})")
        return out
    media_pointer = f"{pointer}/content/{escape(media)}"
    if "schema" not in content[media]:
        return out
    try:
        instance = decode(response.body, media)
    except ValueError as exc:
        out.problems.append(f"the body is not {media}: {exc}")
        return out
    problems, warnings = located.spec.errors(f"{media_pointer}/schema", instance)
    out.problems += problems
    out.warnings += warnings
    if media == "text/event-stream":
        events = content[media].get("x-sse-events") or {}
        _check_events(located.spec, events, instance, out)
    return out


def decode(body: bytes, media: str) -> Any:
    text = body.decode("utf-8")
    if media == "application/json" or media.endswith("+json"):
        return json.loads(text)
    return text


def _check_events(spec: ProviderSpec, events: dict[str, Any], text: str, out: Findings) -> None:
    for number, event in enumerate(parse_events(text)):
        label = f"event #{number} `{event.name}`"
        if event.name not in events:
            out.warnings.append(f"{label}: not an event the spec names ({sorted(events)})")
            continue
        target = events[event.name]
        if target is None:
            if event.data.strip():
                out.problems.append(f"{label}: the spec says it carries no data")
            continue
        try:
            data = json.loads(event.data)
        except ValueError as exc:
            out.problems.append(f"{label}: data is not JSON: {exc}")
            continue
        problems, warnings = spec.errors(target, data)
        out.problems += [f"{label}: {problem}" for problem in problems]
        out.warnings += [f"{label}: {warning}" for warning in warnings]


# ---------------------------------------------------------------- check 2


def as_httpx(interaction: Interaction) -> httpx.Response:
    headers = [
        (name, value)
        for name, values in interaction.response.headers.items()
        if name not in DROPPED_HEADERS
        for value in values
    ]
    request = httpx.Request(interaction.request.method, interaction.request.uri)
    return httpx.Response(
        interaction.response.status,
        headers=headers,
        content=interaction.response.body,
        request=request,
    )


def endpoint(located: Located) -> ModuleType:
    return importlib.import_module(located.op.facts["module"])


def check_model(interaction: Interaction, spec: ProviderSpec | None = None) -> list[str]:
    try:
        located = locate(interaction, spec)
    except LocateError as exc:
        return [str(exc)]
    package = importlib.import_module(located.spec.package)
    client = package.Client(base_url=interaction.base_url, raise_on_unexpected_status=True)
    media = interaction.response.media_type
    problems: list[str] = []
    try:
        built = endpoint(located)._build_response(client=client, response=as_httpx(interaction))
    except Exception as exc:
        gap = (located.spec.provider, located.op.operation_id) in STREAM_PARSE_GAPS
        if not (gap and media == "text/event-stream"):
            return [f"the generated client cannot parse it: {type(exc).__name__}: {exc}"]
    else:
        problems += _compare_parsed(built.parsed, interaction, located)
    if media == "text/event-stream":
        problems += _event_models(interaction, located)
    return problems


def to_json(parsed: Any) -> Any:
    if hasattr(parsed, "to_dict"):
        return parsed.to_dict()
    if isinstance(parsed, list):
        return [to_json(item) for item in parsed]
    return parsed


def _compare_parsed(parsed: Any, interaction: Interaction, located: Located) -> list[str]:
    response = interaction.response
    documented = documented_content(located, response.status)
    content = documented[1] if documented else {}
    media = response.media_type
    if media not in content or "schema" not in content.get(media or "", {}):
        if parsed is not None:
            return [f"nothing is documented to parse, yet the client gave {parsed!r:.80}"]
        return []
    if parsed is None:
        return ["the generated client parsed nothing"]
    expected = decode(response.body, media or "")
    return diff(expected, to_json(parsed)) + raw_fallbacks(parsed)


def _fits(value: Any, hint: str) -> bool:
    """Whether a field's value is of a type its annotation (a string) names."""
    if "Literal[" in hint and repr(value) in hint:
        return True
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", hint))
    kinds: list[tuple[type, set[str]]] = [
        (Enum, {type(value).__name__}),
        (bool, {"bool"}),
        (int, {"int", "float"}),
        (float, {"float"}),
        (str, {"str"}),
        (dt.datetime, {"datetime.datetime", "datetime"}),
        (dt.date, {"datetime.date", "date"}),
        (uuid.UUID, {"UUID"}),
        (dict, {"dict"}),
        (list, {"list"}),
    ]
    if attrs.has(type(value)):
        return type(value).__name__ in words
    for kind, names in kinds:
        if isinstance(value, kind):
            return bool(words & names) or "Any" in words
    return True


def raw_fallbacks(value: Any, path: str = "$") -> list[str]:
    """Fields the generated `from_dict` could not parse into their declared type and kept raw
    (its union parsers fall back to the raw value): the model did not really parse them."""
    if isinstance(value, list):
        return [
            p for index, item in enumerate(value) for p in raw_fallbacks(item, join(path, index))
        ]
    if not attrs.has(type(value)):
        return []
    problems = []
    for spec in attrs.fields(type(value)):
        item = getattr(value, spec.name)
        if spec.name == "additional_properties" or item is None or type(item).__name__ == "Unset":
            continue
        where = join(path, spec.name)
        if not _fits(item, str(spec.type)):
            problems.append(f"{where}: kept raw ({type(item).__name__}), not parsed as {spec.type}")
        elif isinstance(item, list):
            for index, element in enumerate(item):
                if not _fits(element, str(spec.type)):
                    problems.append(f"{join(where, index)}: kept raw ({type(element).__name__})")
                problems += raw_fallbacks(element, join(where, index))
        else:
            problems += raw_fallbacks(item, where)
    return problems


def _event_models(interaction: Interaction, located: Located) -> list[str]:
    documented = documented_content(located, interaction.response.status)
    events = (documented[1] if documented else {}).get("text/event-stream", {})
    targets: dict[str, Any] = events.get("x-sse-events") or {}
    models = importlib.import_module(f"{located.spec.package}.models")
    stream_models = importlib.import_module(f"{located.spec.package}.stream_events")
    problems: list[str] = []
    for number, event in enumerate(parse_events(interaction.response.text)):
        target = targets.get(event.name)
        if not target:
            continue
        data = json.loads(event.data)
        name = str(target).rsplit("/", 1)[1]
        if str(target).startswith("#/components/schemas/"):
            dumped = getattr(models, name).from_dict(data).to_dict()
        else:
            model = getattr(stream_models, name).model_validate(data)
            dumped = model.model_dump(mode="json", exclude_unset=True)
        label = f"event #{number} `{event.name}` ({name})"
        problems += [f"{label}: {problem}" for problem in diff(data, dumped)]
    return problems
