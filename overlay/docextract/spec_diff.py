"""What changed between two OpenAPI documents, from the point of view of an API client.

`diff_specs(old, new)` compares two OpenAPI 3.0 or 3.1 documents operation by operation and
classifies each change as *breaking* (a client built from ``old`` can fail against ``new``) or
*non-breaking*. Every change carries a stable code (see `CHANGE_CODES`).

Schemas are compared after normalisation, so spellings of the same thing are not changes: local
``$ref`` chains are followed (only ``#/...`` references), ``allOf`` members are merged, and
nullability reads alike from 3.0 ``nullable: true``, 3.1 ``type: [X, "null"]`` and
``anyOf``/``oneOf`` with a ``{"type": "null"}`` member. Descriptions and examples are ignored.
Within one parameter or body, a change inside a schema is reported once, where a walk in name
order first meets it: recursive schemas end where they recur, and a schema used in several places
reports at the first.

Command line: ``python -m docextract.spec_diff OLD NEW [--json]`` exits 1 when something breaks,
0 otherwise, and 2 when a document cannot be read.
"""

import argparse
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, NamedTuple, TypeAlias, TypeGuard
from urllib.parse import unquote

JsonValue: TypeAlias = "dict[str, JsonValue] | list[JsonValue] | str | int | float | bool | None"
Kind: TypeAlias = Literal["breaking", "non-breaking"]
_Role: TypeAlias = Literal["request", "response"]
_Node: TypeAlias = Mapping[str, JsonValue]
_Raw: TypeAlias = "JsonValue | _Node"

_B: Final = "breaking"
_NB: Final = "non-breaking"

CHANGE_CODES: Final[Mapping[str, Kind]] = MappingProxyType(
    {
        # document-wide
        "server-changed": _NB,
        "security-scheme-removed": _B,
        "security-scheme-changed": _B,
        "security-scheme-added": _NB,
        "security-requirement-removed": _B,
        "security-requirement-added": _NB,
        "security-moved": _NB,
        "schema-renamed": _NB,
        # operations, parameters, bodies, responses
        "operation-removed": _B,
        "operation-added": _NB,
        "operation-deprecated": _NB,
        "request-parameter-deprecated": _NB,
        "request-parameter-added-required": _B,
        "request-parameter-became-required": _B,
        "request-parameter-added": _NB,
        "request-parameter-became-optional": _NB,
        "request-parameter-removed": _NB,
        "request-body-became-required": _B,
        "request-content-type-removed": _B,
        "request-content-type-added": _NB,
        "success-response-removed": _B,
        "response-status-removed": _NB,
        "response-status-added": _NB,
        "response-content-type-removed": _B,
        "response-content-type-added": _NB,
        # schemas
        "type-changed": _B,
        "request-field-added-required": _B,
        "request-field-became-required": _B,
        "request-nullable-removed": _B,
        "request-enum-value-removed": _B,
        "request-constraint-narrowed": _B,
        "request-variant-removed": _B,
        "request-field-added": _NB,
        "request-field-removed": _NB,
        "request-field-became-optional": _NB,
        "request-nullable-added": _NB,
        "request-enum-value-added": _NB,
        "request-constraint-widened": _NB,
        "request-variant-added": _NB,
        "request-known-value-removed": _NB,
        "request-known-value-added": _NB,
        "request-field-deprecated": _NB,
        "request-default-changed": _B,
        "request-default-added": _NB,
        "request-default-removed": _NB,
        "binary-spelling-changed": _NB,
        "response-field-removed": _B,
        "response-field-became-optional": _B,
        "response-nullable-added": _B,
        "response-field-added": _NB,
        "response-field-became-required": _NB,
        "response-nullable-removed": _NB,
        "response-enum-value-added": _NB,
        "response-enum-value-removed": _NB,
        "response-constraint-widened": _NB,
        "response-constraint-narrowed": _NB,
        "response-variant-added": _NB,
        "response-variant-removed": _NB,
        "response-known-value-removed": _NB,
        "response-known-value-added": _NB,
        "response-field-deprecated": _NB,
        "response-default-changed": _NB,
        "response-default-added": _NB,
        "response-default-removed": _NB,
    }
)
"""Every change code, with the kind of change it always is."""

_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# keys that may sit beside a `$ref` without changing what it means
_ANNOTATIONS: Final = frozenset(
    {"$ref", "description", "summary", "title", "example", "examples", "default", "deprecated"}
)
# ordered limits; sign +1: a larger value narrows, -1: a smaller value narrows
_LIMITS: Final = (
    ("minimum", 1),
    ("maximum", -1),
    ("minLength", 1),
    ("maxLength", -1),
    ("minItems", 1),
    ("maxItems", -1),
)
_EXCLUSIVE: Final = {"minimum": "exclusiveMinimum", "maximum": "exclusiveMaximum"}
_EMPTY: Final[_Node] = MappingProxyType({})
_SCALARS: Final = frozenset({"string", "integer", "number", "boolean"})
# keys that leave a schema a bare union of its members
_UNION_KEYS: Final = _ANNOTATIONS | {"anyOf", "oneOf", "discriminator"}
# keys that describe a schema to people and never change what a client sends or receives
_PROSE: Final = frozenset(
    {"title", "description", "summary", "example", "examples", "x-enum-order-preserved"}
)


# --- public API ------------------------------------------------------------------------------


class SpecLoadError(ValueError):
    """A document could not be read or is not an OpenAPI 3.x document; the message names it."""


@dataclass(frozen=True)
class Change:
    """One change. ``path`` locates it inside the operation (``$.parameters.query.page_size``,
    ``$.responses.200.application/json.body.items[].id``) or the document (operation None)."""

    kind: Kind
    code: str
    operation: str | None
    path: str
    message: str
    old: JsonValue = None
    new: JsonValue = None

    def to_json(self) -> dict[str, JsonValue]:
        return {
            "kind": self.kind,
            "code": self.code,
            "operation": self.operation,
            "path": self.path,
            "message": self.message,
            "old": self.old,
            "new": self.new,
        }


@dataclass(frozen=True)
class Report:
    """The changes, global ones first, then by path and method; breaking before non-breaking."""

    changes: list[Change]

    @property
    def breaking(self) -> list[Change]:
        return [change for change in self.changes if change.kind == _B]

    @property
    def non_breaking(self) -> list[Change]:
        return [change for change in self.changes if change.kind == _NB]

    def to_json(self) -> dict[str, JsonValue]:
        changes: list[JsonValue] = [change.to_json() for change in self.changes]
        return {
            "breaking": len(self.breaking),
            "non_breaking": len(self.non_breaking),
            "changes": changes,
        }

    def format_text(self) -> str:
        lines: list[str] = []
        for operation, group in groupby(self.changes, key=lambda change: change.operation):
            lines.append(operation or "(global)")
            for change in group:
                label = "BREAKING" if change.kind == _B else "non-breaking"
                lines.append(f"  {label:<12}  {change.path}: {change.message} [{change.code}]")
            lines.append("")
        lines.append(
            f"{len(self.breaking)} breaking, {len(self.non_breaking)} non-breaking changes"
        )
        return "\n".join(lines)


def load_spec(source: str | os.PathLike[str]) -> dict[str, JsonValue]:
    """Parse an OpenAPI document from YAML or JSON.

    A ``str`` that contains a newline or starts with ``{`` is the document itself; any other
    ``str`` or path-like is a file name. Raises `SpecLoadError`.
    """
    if isinstance(source, str) and ("\n" in source or source.lstrip().startswith("{")):
        text, origin = source, "<text>"
    else:
        origin = os.fspath(source)
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecLoadError(f"{origin}: cannot read file ({exc})") from exc
    try:
        data: object = json.loads(text)
    except ValueError:
        import yaml  # imported here, only when needed, to keep `import docextract` fast

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise SpecLoadError(f"{origin}: neither JSON nor YAML ({exc})") from exc
    try:
        spec = _to_json(data)
    except RecursionError as exc:  # a YAML alias that contains itself
        raise SpecLoadError(f"{origin}: the document contains itself") from exc
    if not isinstance(spec, dict) or not str(spec.get("openapi", "")).startswith("3."):
        raise SpecLoadError(f"{origin}: not an OpenAPI 3.x document")
    return spec


def diff_specs(old: Mapping[str, object], new: Mapping[str, object]) -> Report:
    """Every change from ``old`` to ``new`` that an API client could notice."""
    differ = _Differ(_Doc(old), _Doc(new))
    changes = [_change(None, finding) for finding in _document_findings(differ)]
    old_ops, new_ops = _operations(differ.old), _operations(differ.new)
    for label in old_ops.keys() | new_ops.keys():
        findings = _operation_findings(differ, label, old_ops.get(label), new_ops.get(label))
        changes.extend(_change(label, finding) for finding in findings)
    return Report(sorted(changes, key=_order))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="spec_diff", description="Report the changes between two OpenAPI documents."
    )
    parser.add_argument("old", help="the OpenAPI document clients were built from")
    parser.add_argument("new", help="the OpenAPI document to compare it with")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        old, new = load_spec(Path(args.old)), load_spec(Path(args.new))
    except SpecLoadError as exc:
        print(f"spec_diff: {exc}", file=sys.stderr)
        return 2
    report = diff_specs(old, new)
    print(json.dumps(report.to_json(), indent=2) if args.json else report.format_text())
    return 1 if report.breaking else 0


# --- documents and normalised schemas --------------------------------------------------------


def _to_json(value: object) -> JsonValue:
    """``value`` as plain JSON data: string keys everywhere (YAML reads ``200:`` as an int),
    anything that is not JSON (YAML dates) as its string."""
    if isinstance(value, Mapping):
        return {str(key): _to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_to_json(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _obj(value: _Raw) -> _Node:
    return value if isinstance(value, Mapping) else _EMPTY


def _arr(value: JsonValue) -> list[JsonValue]:
    return value if isinstance(value, list) else []


def _is_number(value: JsonValue) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Limit(NamedTuple):
    rank: tuple[float, int]  # larger = narrower
    shown: JsonValue


@dataclass
class _Schema:
    """A schema with references followed, ``allOf`` merged and nullability made explicit."""

    types: set[str] = field(default_factory=set)
    format: str | None = None
    nullable: bool = False
    read_only: bool = False
    write_only: bool = False
    enum: list[JsonValue] | None = None
    limits: dict[str, _Limit] = field(default_factory=dict)
    pattern: str | None = None
    properties: dict[str, JsonValue] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: JsonValue = None
    values: JsonValue = None  # the schema of additionalProperties
    variants: dict[str, JsonValue] = field(default_factory=dict)  # anyOf/oneOf, null left out
    known: list[JsonValue] | None = None  # an open enum's listed values (any value is accepted)
    default: JsonValue = None
    has_default: bool = False
    deprecated: bool = False
    binary_spelling: str | None = None  # how a file is spelled: format binary or contentMediaType

    @property
    def signature(self) -> str:
        """The type as a client sees it: ``integer/int64``, ``string``, ``Cat | Dog``."""
        if self.variants:
            return " | ".join(sorted(self.variants))
        kinds = "|".join(sorted(self.types)) or "any"
        return f"{kinds}/{self.format}" if self.format else kinds


class _Doc:
    """One document: follows local references and normalises schemas (once per node)."""

    def __init__(self, spec: Mapping[str, object]) -> None:
        self.root: dict[str, JsonValue] = {str(key): _to_json(value) for key, value in spec.items()}
        self._schemas: dict[int, _Schema] = {}
        self._made: list[JsonValue] = []  # nodes built here: kept alive, their id()s stay unique
        self._prints: dict[int, str] = {}

    def lookup(self, ref: str) -> JsonValue:
        if not ref.startswith("#/"):
            return None  # external references are not followed
        node: JsonValue = self.root
        for token in ref[2:].split("/"):
            token = unquote(token).replace("~1", "/").replace("~0", "~")
            if isinstance(node, list):
                node = node[int(token)] if token.isdigit() and int(token) < len(node) else None
            else:
                node = _obj(node).get(token)
        return node

    def target(self, node: _Raw) -> _Node:
        """``node``, or what its ``$ref`` chain leads to when it is nothing but a reference."""
        current, seen = _obj(node), set[str]()
        while (
            isinstance(ref := current.get("$ref"), str)
            and current.keys() <= _ANNOTATIONS
            and ref not in seen
        ):
            seen.add(ref)
            current = _obj(self.lookup(ref))
        return current

    def schema(self, node: JsonValue) -> _Schema:
        target = self.target(node)
        key = id(target)
        if key not in self._schemas:
            self._schemas[key] = _Schema()  # stands in while a union that contains itself is read
            self._schemas[key] = self._normalize(target)
        return self._schemas[key]

    def _normalize(self, node: _Node) -> _Schema:
        schema = _Schema()
        self._merge(schema, node, set())
        if not schema.types and not schema.variants:
            if schema.properties or schema.values is not None:
                schema.types.add("object")
            elif schema.items is not None:
                schema.types.add("array")
        return schema

    def _merge(self, schema: _Schema, raw: _Raw, seen: set[int]) -> None:
        outer = _obj(raw)  # a default or deprecation beside a `$ref` belongs to this use of it
        if "default" in outer:
            schema.default, schema.has_default = outer["default"], True
        schema.deprecated |= outer.get("deprecated") is True
        node = self.target(raw)
        if id(node) in seen:
            return
        seen.add(id(node))
        if "default" in node and not schema.has_default:
            schema.default, schema.has_default = node["default"], True
        schema.deprecated |= node.get("deprecated") is True
        if isinstance(ref := node.get("$ref"), str):  # a reference with keywords beside it
            self._merge(schema, self.lookup(ref), seen)
        declared = node.get("type")
        for kind in declared if isinstance(declared, list) else [declared]:
            if kind == "null":
                schema.nullable = True
            elif isinstance(kind, str):
                schema.types.add(kind)
        schema.nullable |= node.get("nullable") is True
        schema.read_only |= node.get("readOnly") is True
        schema.write_only |= node.get("writeOnly") is True
        if isinstance(fmt := node.get("format"), str):
            schema.format = fmt
            if fmt == "binary":
                schema.binary_spelling = "format: binary"
        elif isinstance(media := node.get("contentMediaType"), str) and not media.startswith(
            "text/"
        ):
            # OpenAPI 3.1 spells a file as a string with contentMediaType: one wire, two spellings
            schema.format = schema.format or "binary"
            schema.binary_spelling = f"contentMediaType: {media}"
        _merge_enum(schema, node)
        _merge_limits(schema, node)
        schema.properties.update(_obj(node.get("properties")))
        schema.required.update(str(name) for name in _arr(node.get("required")))
        if "items" in node:
            schema.items = node["items"]
        if isinstance(values := node.get("additionalProperties"), dict):
            schema.values = values
        for member in _arr(node.get("allOf")):
            self._merge(schema, member, seen)
        for keyword in ("anyOf", "oneOf"):
            self._merge_union(schema, _arr(node.get(keyword)), seen)

    def _merge_union(self, schema: _Schema, variants: list[JsonValue], seen: set[int]) -> None:
        """A union as the set of values and types it admits: nested unions are flattened, null
        makes it nullable, scalar members of one type merge into that type with the union of
        their enums (open: any value of the type, when one member lists none)."""
        kept, nullable = self._flatten(variants, set())
        schema.nullable |= nullable
        if len(kept) == 1:
            self._merge(schema, kept[0], seen)
            return
        scalars: dict[str, list[_Schema]] = {}
        structured: list[JsonValue] = []
        for variant in kept:
            member = self.schema(variant)
            kind = next(iter(member.types)) if len(member.types) == 1 else None
            if kind in _SCALARS and not member.variants and not member.properties:
                scalars.setdefault(str(kind), []).append(member)
                schema.nullable |= member.nullable
            else:
                structured.append(variant)
        if len(scalars) == 1 and not structured:
            kind, members = next(iter(scalars.items()))
            self._merge_scalars(schema, kind, members)
            return
        for kind, members in sorted(scalars.items()):
            merged = _Schema()
            self._merge_scalars(merged, kind, members)
            node: dict[str, JsonValue] = {"type": kind}
            if merged.enum:
                node["enum"] = merged.enum
            if merged.format:
                node["format"] = merged.format
            self._made.append(node)
            schema.variants[merged.signature] = node
        for variant in structured:
            name = self._variant_name(variant)
            if name in schema.variants:  # two inline variants of one type
                name = f"{name}#{len(schema.variants)}"
            schema.variants[name] = variant

    def _flatten(self, variants: list[JsonValue], seen: set[int]) -> tuple[list[JsonValue], bool]:
        """The non-null members of a union, members that are unions themselves expanded."""
        kept: list[JsonValue] = []
        nullable = False
        for variant in variants:
            if self._is_null(variant):
                nullable = True
                continue
            node = self.target(variant)
            inner = node.get("anyOf", node.get("oneOf"))
            if isinstance(inner, list) and node.keys() <= _UNION_KEYS and id(node) not in seen:
                seen.add(id(node))
                members, inner_nullable = self._flatten(inner, seen)
                kept += members
                nullable |= inner_nullable
            else:
                kept.append(variant)
        return kept, nullable

    @staticmethod
    def _merge_scalars(schema: _Schema, kind: str, members: list[_Schema]) -> None:
        schema.types.add(kind)
        listed = [value for member in members for value in member.enum or ()]
        values = list(dict.fromkeys(json.dumps(value) for value in listed))
        if all(member.enum is not None for member in members):
            schema.enum = [json.loads(value) for value in values]
        else:
            schema.known = [json.loads(value) for value in values] or None
        formats = {member.format for member in members}
        if len(formats) == 1:
            schema.format = formats.pop()
        for member in members:
            if len(members) == 1 or member.enum is None:
                schema.limits.update(member.limits)
                schema.pattern = schema.pattern or member.pattern

    def fingerprint(self, node: JsonValue) -> str:
        """The content of a schema, references followed and prose left out: two schemas with
        one fingerprint accept and produce the same values, whatever they are named."""
        target = self.target(node)
        key = id(target)
        if key not in self._prints:
            self._prints[key] = json.dumps(self._content(dict(target), ()), sort_keys=True)
        return self._prints[key]

    def _content(self, node: JsonValue, refs: tuple[str, ...]) -> JsonValue:
        if isinstance(node, list):
            return [self._content(item, refs) for item in node]
        if not isinstance(node, dict):
            return node
        if isinstance(ref := node.get("$ref"), str):
            if ref in refs:
                return {"$recursive": refs.index(ref)}
            rest = {k: v for k, v in node.items() if k not in _PROSE and k != "$ref"}
            return self._content({**_obj(self.lookup(ref)), **rest}, (*refs, ref))
        return {key: self._content(value, refs) for key, value in node.items() if key not in _PROSE}

    def _is_null(self, variant: JsonValue) -> bool:
        node = self.target(variant)
        return node.get("type") in ("null", ["null"]) or node.get("enum") == [None]

    def _variant_name(self, variant: JsonValue) -> str:
        ref = _obj(variant).get("$ref")
        if isinstance(ref, str) and _obj(variant).keys() <= _ANNOTATIONS:
            return ref.rsplit("/", 1)[-1]
        return self.schema(variant).signature


def _merge_enum(schema: _Schema, node: _Node) -> None:
    if "enum" in node:
        values = _arr(node["enum"])
    elif "const" in node:
        values = [node["const"]]
    else:
        return
    schema.nullable |= None in values
    schema.enum = [value for value in values if value is not None]


def _merge_limits(schema: _Schema, node: _Node) -> None:
    """Keep the tightest of each limit; exclusive bounds read as 3.0 booleans or 3.1 numbers."""
    for name, sign in _LIMITS:
        value, exclusive = node.get(name), node.get(_EXCLUSIVE.get(name, ""))
        bounds = [(value, exclusive is True)] if _is_number(value) else []
        if _is_number(exclusive):
            bounds.append((exclusive, True))
        for bound, is_exclusive in bounds:
            limit = _Limit(
                (sign * bound, int(is_exclusive)), _show_limit(name, bound, is_exclusive)
            )
            current = schema.limits.get(name)
            if current is None or limit.rank > current.rank:
                schema.limits[name] = limit
    if isinstance(pattern := node.get("pattern"), str):
        schema.pattern = pattern


def _show_limit(name: str, value: int | float, exclusive: bool) -> JsonValue:
    if name == "minimum":
        return f"> {value}" if exclusive else f">= {value}"
    if name == "maximum":
        return f"< {value}" if exclusive else f"<= {value}"
    return value


# --- schema comparison -----------------------------------------------------------------------


class _Finding(NamedTuple):
    code: str
    loc: tuple[str, ...]
    message: str
    old: JsonValue = None
    new: JsonValue = None


def _under(loc: tuple[str, ...], findings: Iterable[_Finding]) -> list[_Finding]:
    return [finding._replace(loc=(*loc, *finding.loc)) for finding in findings]


class _Differ:
    """Compares the schemas of the old and the new document. Within one parameter or body, each
    pair of schema nodes (old, new) is compared once, at the first place a walk in name order
    meets it; so the work is bounded by the number of pairs, however references nest or recur."""

    def __init__(self, old: _Doc, new: _Doc) -> None:
        self.old, self.new = old, new
        self._seen: set[tuple[int, int]] = set()

    def compare(self, old: JsonValue, new: JsonValue, role: _Role) -> list[_Finding]:
        """The changes in the schema of one parameter or body."""
        self._seen = set()
        return self._pair(old, new, role)

    def _pair(self, old: JsonValue, new: JsonValue, role: _Role) -> list[_Finding]:
        pair = (id(self.old.target(old)), id(self.new.target(new)))
        if pair in self._seen:
            return []
        self._seen.add(pair)
        return self._compare(self.old.schema(old), self.new.schema(new), role)

    def _compare(self, old: _Schema, new: _Schema, role: _Role) -> list[_Finding]:
        found = _nullable_findings(old, new, role) + _annotation_findings(old, new, role)
        if old.variants and new.variants:
            return found + self._variant_findings(old, new, role)
        if old.signature != new.signature:
            plain = not old.variants and not new.variants and old.types == new.types
            if not plain or (old.format is not None and new.format is not None):
                message = f"type changed from {old.signature} to {new.signature}"
                finding = _Finding("type-changed", (), message, old.signature, new.signature)
                return [*found, finding]
            # a format added narrows the values, one removed widens them
            narrowed, widened = new.format is not None, old.format is not None
            found.append(_constraint(role, "format", narrowed, widened, old, new))
        found += _binary_findings(old, new)
        found += _enum_findings(old, new, role) + _limit_findings(old, new, role)
        found += self._property_findings(old, new, role)
        if old.items is not None and new.items is not None:
            found += _under(("[]",), self._pair(old.items, new.items, role))
        if old.values is not None and new.values is not None:
            found += _under(("{}",), self._pair(old.values, new.values, role))
        return found

    def _property_findings(self, old: _Schema, new: _Schema, role: _Role) -> list[_Finding]:
        before, after = _travelling(self.old, old, role), _travelling(self.new, new, role)
        removed = {name: self.old.schema(before[name]).signature for name in before.keys() - after}
        added = {name: self.new.schema(after[name]).signature for name in after.keys() - before}
        renamed = _probable_renames(removed, added)
        found: list[_Finding] = []
        for name in sorted(removed):
            hint = f" (probably renamed to '{renamed[name]}')" if name in renamed else ""
            message = f"{role} field '{name}' was removed{hint}"
            found.append(_Finding(f"{role}-field-removed", (name,), message))
        renamed_from = {new_name: old_name for old_name, new_name in renamed.items()}
        for name in sorted(added):
            hint = (
                f" (probably renamed from '{renamed_from[name]}')" if name in renamed_from else ""
            )
            required = role == "request" and name in new.required
            code = "request-field-added-required" if required else f"{role}-field-added"
            message = f"{'required ' if required else ''}{role} field '{name}' was added{hint}"
            found.append(_Finding(code, (name,), message))
        for name in sorted(before.keys() & after.keys()):
            if (name in old.required) != (name in new.required):
                state = "required" if name in new.required else "optional"
                note = "; clients may now get no value" if role == "response" else ""
                message = f"{role} field '{name}' is now {state}{note}"
                found.append(_Finding(f"{role}-field-became-{state}", (name,), message))
            found += _under((name,), self._pair(before[name], after[name], role))
        return found

    def _variant_findings(self, old: _Schema, new: _Schema, role: _Role) -> list[_Finding]:
        """Members compared by name; a member gone and one come with the same content (a
        renamed `$ref`, an inline schema moved behind a `$ref`) are the same member, and so
        are the only gone and the only come member of one type."""
        removed = [name for name in old.variants if name not in new.variants]
        added = [name for name in new.variants if name not in old.variants]
        paired: dict[str, str] = {}
        for name in removed:
            content = self.old.fingerprint(old.variants[name])
            same = [a for a in added if self.new.fingerprint(new.variants[a]) == content]
            same = [a for a in same if a not in paired.values()]
            if len(same) == 1:
                paired[name] = same[0]
        left_old = [name for name in removed if name not in paired]
        left_new = [name for name in added if name not in paired.values()]
        if len(left_old) == len(left_new) == 1:
            before, after = (
                self.old.schema(old.variants[left_old[0]]),
                self.new.schema(new.variants[left_new[0]]),
            )
            if before.types == after.types and not before.variants and not after.variants:
                paired[left_old[0]] = left_new[0]
        found: list[_Finding] = []
        for name in sorted(old.variants.keys() | new.variants.keys()):
            if name in paired.values():
                continue
            if name in paired:
                compared = self._pair(old.variants[name], new.variants[paired[name]], role)
                found += _under((f"<{name}>",), compared)
            elif name not in new.variants:
                message = f"{role} union no longer includes {name}"
                found.append(_Finding(f"{role}-variant-removed", (), message, name, None))
            elif name not in old.variants:
                note = "; clients that handle only the known variants will break"
                message = f"{role} union now includes {name}{note if role == 'response' else ''}"
                found.append(_Finding(f"{role}-variant-added", (), message, None, name))
            else:
                compared = self._pair(old.variants[name], new.variants[name], role)
                found += _under((f"<{name}>",), compared)
        return found


def _travelling(doc: _Doc, schema: _Schema, role: _Role) -> dict[str, JsonValue]:
    """The properties sent in ``role``: readOnly ones only in responses, writeOnly in requests."""
    travelling: dict[str, JsonValue] = {}
    for name, node in schema.properties.items():
        prop = doc.schema(node)
        if not (prop.read_only if role == "request" else prop.write_only):
            travelling[name] = node
    return travelling


def _probable_renames(removed: Mapping[str, str], added: Mapping[str, str]) -> dict[str, str]:
    """Removed name -> added name, where exactly one removed and one added field share a type."""
    renames: dict[str, str] = {}
    for signature in set(removed.values()) & set(added.values()):
        olds = [name for name, sig in removed.items() if sig == signature]
        news = [name for name, sig in added.items() if sig == signature]
        if len(olds) == len(news) == 1:
            renames[olds[0]] = news[0]
    return renames


def _nullable_findings(old: _Schema, new: _Schema, role: _Role) -> list[_Finding]:
    if old.nullable == new.nullable:
        return []
    note = "; clients may now get None" if role == "response" and new.nullable else ""
    state = "now nullable" if new.nullable else "no longer nullable"
    code = f"{role}-nullable-{'added' if new.nullable else 'removed'}"
    return [_Finding(code, (), f"{role} value is {state}{note}", old.nullable, new.nullable)]


def _enum_findings(old: _Schema, new: _Schema, role: _Role) -> list[_Finding]:
    if old.enum is None and new.enum is None:
        return _known_value_findings(old.known or [], new.known or [], role)
    if old.enum is None or new.enum is None:
        if old.enum == new.enum:
            return []
        return [_constraint(role, "enum", new.enum is not None, old.enum is not None, old, new)]
    lost = [value for value in old.enum if value not in new.enum]
    gained = [value for value in new.enum if value not in old.enum]
    found: list[_Finding] = []
    if lost:
        message = f"{role} enum no longer includes {_show(lost)}"
        found.append(_Finding(f"{role}-enum-value-removed", (), message, lost, None))
    if gained:
        note = "; clients that treat this enum as closed will break" if role == "response" else ""
        message = f"{role} enum now includes {_show(gained)}{note}"
        found.append(_Finding(f"{role}-enum-value-added", (), message, None, gained))
    return found


def _known_value_findings(
    before: list[JsonValue], after: list[JsonValue], role: _Role
) -> list[_Finding]:
    """An open enum (``anyOf[{enum}, {type}]``) lists values but accepts any of its type."""
    lost = [value for value in before if value not in after]
    gained = [value for value in after if value not in before]
    found: list[_Finding] = []
    note = "; the enum is open: any value of its type is still valid"
    if lost:
        message = f"{role} open enum no longer lists {_show(lost)}{note}"
        found.append(_Finding(f"{role}-known-value-removed", (), message, lost, None))
    if gained:
        message = f"{role} open enum now lists {_show(gained)}{note}"
        found.append(_Finding(f"{role}-known-value-added", (), message, None, gained))
    return found


def _annotation_findings(old: _Schema, new: _Schema, role: _Role) -> list[_Finding]:
    """Deprecations and defaults. A changed request default changes what the server does for
    every client that leaves the value out: breaking. In a response it is documentation."""
    found: list[_Finding] = []
    if new.deprecated and not old.deprecated:
        found.append(_Finding(f"{role}-field-deprecated", (), f"{role} value is now deprecated"))
    if old.has_default and new.has_default and old.default != new.default:
        message = f"{role} default changed: {_show(old.default)} -> {_show(new.default)}"
        found.append(_Finding(f"{role}-default-changed", (), message, old.default, new.default))
    elif new.has_default and not old.has_default:
        message = f"{role} default is now {_show(new.default)}"
        found.append(_Finding(f"{role}-default-added", (), message, None, new.default))
    elif old.has_default and not new.has_default:
        message = f"{role} default {_show(old.default)} was removed"
        found.append(_Finding(f"{role}-default-removed", (), message, old.default, None))
    return found


def _binary_findings(old: _Schema, new: _Schema) -> list[_Finding]:
    before, after = old.binary_spelling, new.binary_spelling
    if before is None or after is None or before == after:
        return []
    message = (
        f"file content spelled '{before}' -> '{after}': the same bytes on the wire, but the "
        "generated field changes type (File -> str): see the Python API report"
    )
    return [_Finding("binary-spelling-changed", (), message, before, after)]


def _limit_findings(old: _Schema, new: _Schema, role: _Role) -> list[_Finding]:
    found: list[_Finding] = []
    for name in sorted(old.limits.keys() | new.limits.keys()):
        before, after = old.limits.get(name), new.limits.get(name)
        narrowed = after is not None and (before is None or after.rank > before.rank)
        widened = before is not None and (after is None or after.rank < before.rank)
        if narrowed or widened:
            found.append(_constraint(role, name, narrowed, widened, old, new))
    if old.pattern != new.pattern:
        narrowed, widened = new.pattern is not None, old.pattern is not None
        found.append(_constraint(role, "pattern", narrowed, widened, old, new))
    return found


def _constraint(
    role: _Role, name: str, narrowed: bool, widened: bool, old: _Schema, new: _Schema
) -> _Finding:
    """A changed limit; one that both narrows and widens (a new pattern) counts as the worse."""
    if role == "request":
        direction = "narrowed" if narrowed else "widened"
    else:
        direction = "widened" if widened else "narrowed"
    before, after = _constraint_value(old, name), _constraint_value(new, name)
    message = f"{role} constraint {name} {direction}: {_show(before)} -> {_show(after)}"
    return _Finding(f"{role}-constraint-{direction}", (), message, before, after)


def _constraint_value(schema: _Schema, name: str) -> JsonValue:
    if name == "enum":
        return schema.enum if schema.enum is not None else f"any {schema.signature}"
    if name == "format":
        return schema.format
    if name == "pattern":
        return schema.pattern
    limit = schema.limits.get(name)
    return None if limit is None else limit.shown


def _show(value: JsonValue) -> str:
    if value is None:
        return "(none)"
    return value if isinstance(value, str) else json.dumps(value)


# --- operations and the document -------------------------------------------------------------


class _Operation(NamedTuple):
    node: _Node
    parameters: dict[tuple[str, str], _Node]  # (in, name) -> parameter; header names lowercased


def _operations(doc: _Doc) -> dict[str, _Operation]:
    operations: dict[str, _Operation] = {}
    for path, raw_item in _obj(doc.root.get("paths")).items():
        item = doc.target(raw_item)
        for method in _METHODS:
            if isinstance(node := item.get(method), dict):
                parameters = _parameters(
                    doc, [*_arr(item.get("parameters")), *_arr(node.get("parameters"))]
                )
                operations[f"{method.upper()} {path}"] = _Operation(node, parameters)
    return operations


def _parameters(doc: _Doc, declared: list[JsonValue]) -> dict[tuple[str, str], _Node]:
    """Path-level then operation-level parameters: a later one replaces an earlier one."""
    parameters: dict[tuple[str, str], _Node] = {}
    for raw in declared:
        parameter = doc.target(raw)
        where, name = str(parameter.get("in", "")), str(parameter.get("name", ""))
        parameters[(where, name.lower() if where == "header" else name)] = parameter
    return parameters


def _operation_findings(
    differ: _Differ, label: str, old: _Operation | None, new: _Operation | None
) -> list[_Finding]:
    if new is None:
        return [_Finding("operation-removed", (), f"operation {label} was removed")]
    if old is None:
        return [_Finding("operation-added", (), f"operation {label} was added")]
    deprecated = []
    if new.node.get("deprecated") is True and old.node.get("deprecated") is not True:
        deprecated.append(_Finding("operation-deprecated", (), f"operation {label} is deprecated"))
    return [
        *deprecated,
        *_parameter_findings(differ, old.parameters, new.parameters),
        *_request_body_findings(differ, old.node, new.node),
        *_response_findings(differ, old.node, new.node),
        *_operation_security_findings(differ, old.node, new.node),
    ]


def _parameter_findings(
    differ: _Differ, old: Mapping[tuple[str, str], _Node], new: Mapping[tuple[str, str], _Node]
) -> list[_Finding]:
    found: list[_Finding] = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        where, name = key[0], str((after if after is not None else old[key]).get("name"))
        loc, what = ("parameters", where, name), f"{where} parameter '{name}'"
        if after is None:
            found.append(_Finding("request-parameter-removed", loc, f"{what} was removed"))
        elif before is None:
            required = _is_required(after)
            code = "request-parameter-added-required" if required else "request-parameter-added"
            message = f"{'required' if required else 'optional'} {what} was added"
            found.append(_Finding(code, loc, message))
        else:
            if _is_required(before) != _is_required(after):
                state = "required" if _is_required(after) else "optional"
                message = f"{what} is now {state}"
                found.append(_Finding(f"request-parameter-became-{state}", loc, message))
            compared = differ.compare(
                _parameter_schema(before), _parameter_schema(after), "request"
            )
            schema_deprecated = any(
                f.code == "request-field-deprecated" and not f.loc for f in compared
            )
            compared = [f for f in compared if f.code != "request-field-deprecated" or f.loc]
            if schema_deprecated or (
                after.get("deprecated") is True and before.get("deprecated") is not True
            ):
                message = f"{what} is deprecated"
                found.append(_Finding("request-parameter-deprecated", loc, message))
            found += _under(loc, compared)
    return found


def _is_required(parameter: _Node) -> bool:
    return parameter.get("in") == "path" or parameter.get("required") is True


def _parameter_schema(parameter: _Node) -> JsonValue:
    if "schema" in parameter:
        return parameter["schema"]
    media = next(iter(_obj(parameter.get("content")).values()), None)
    return _obj(media).get("schema")


def _request_body_findings(differ: _Differ, old_op: _Node, new_op: _Node) -> list[_Finding]:
    before = differ.old.target(old_op.get("requestBody"))
    after = differ.new.target(new_op.get("requestBody"))
    found: list[_Finding] = []
    if after.get("required") is True and before.get("required") is not True:
        message = "request body is now required"
        found.append(_Finding("request-body-became-required", ("requestBody",), message))
    return found + _content_findings(differ, before, after, "request", ("requestBody",))


def _response_findings(differ: _Differ, old_op: _Node, new_op: _Node) -> list[_Finding]:
    before, after = _obj(old_op.get("responses")), _obj(new_op.get("responses"))
    found: list[_Finding] = []
    for status in sorted(before.keys() | after.keys()):
        loc = ("responses", status)
        if status not in after:
            success = status.startswith("2")
            code = "success-response-removed" if success else "response-status-removed"
            message = f"{'success ' if success else ''}response {status} was removed"
            found.append(_Finding(code, loc, message))
        elif status not in before:
            found.append(_Finding("response-status-added", loc, f"response {status} was added"))
        else:
            old_response = differ.old.target(before[status])
            new_response = differ.new.target(after[status])
            found += _content_findings(differ, old_response, new_response, "response", loc)
    return found


def _content_findings(
    differ: _Differ, old: _Node, new: _Node, role: _Role, loc: tuple[str, ...]
) -> list[_Finding]:
    before, after = _obj(old.get("content")), _obj(new.get("content"))
    found: list[_Finding] = []
    for media in sorted(before.keys() | after.keys()):
        where = (*loc, media)
        if media not in after:
            message = f"{role} content type {media} was removed"
            found.append(_Finding(f"{role}-content-type-removed", where, message))
        elif media not in before:
            message = f"{role} content type {media} was added"
            found.append(_Finding(f"{role}-content-type-added", where, message))
        else:
            old_schema, new_schema = (
                _obj(before[media]).get("schema"),
                _obj(after[media]).get("schema"),
            )
            found += _under((*where, "body"), differ.compare(old_schema, new_schema, role))
    return found


def _document_findings(differ: _Differ) -> list[_Finding]:
    old, new = differ.old.root, differ.new.root
    old_urls: list[JsonValue] = [_obj(server).get("url") for server in _arr(old.get("servers"))]
    new_urls: list[JsonValue] = [_obj(server).get("url") for server in _arr(new.get("servers"))]
    found: list[_Finding] = []
    if old_urls != new_urls:
        message = f"servers changed from {_show(old_urls)} to {_show(new_urls)}"
        found.append(_Finding("server-changed", ("servers",), message, old_urls, new_urls))
    found += _scheme_findings(differ) + _renamed_schema_findings(differ)
    before, after = _requirements(old.get("security")), _requirements(new.get("security"))
    if before == after:
        return found
    old_ops, new_ops = _operations(differ.old), _operations(differ.new)
    common = old_ops.keys() & new_ops.keys()
    inheriting = [
        label
        for label in common
        if "security" not in old_ops[label].node and "security" not in new_ops[label].node
    ]
    if inheriting or not common:
        return found + _requirement_findings(before, after)
    old_list: list[JsonValue] = [*sorted(before)]
    new_list: list[JsonValue] = [*sorted(after)]
    message = (
        f"document-wide security changed from {_show(old_list)} to {_show(new_list)}, "
        "but every operation declares its own: each operation's change, if any, is listed there"
    )
    return [*found, _Finding("security-moved", ("security",), message, old_list, new_list)]


def _renamed_schema_findings(differ: _Differ) -> list[_Finding]:
    """A component schema gone and one come with the same content: the wire is the same, the
    generated class is renamed."""

    def named(doc: _Doc) -> dict[str, JsonValue]:
        return dict(_obj(_obj(doc.root.get("components")).get("schemas")))

    before, after = named(differ.old), named(differ.new)
    added = {
        differ.new.fingerprint(after[name]): name for name in sorted(after.keys() - before.keys())
    }
    found: list[_Finding] = []
    for name in sorted(before.keys() - after.keys()):
        if (new_name := added.pop(differ.old.fingerprint(before[name]), None)) is not None:
            message = (
                f"schema {name} was renamed to {new_name} with the same content: the same on "
                f"the wire; the generated class {name} becomes {new_name} (breaking for Python "
                "code: see the Python API report)"
            )
            loc = ("components", "schemas", name)
            found.append(_Finding("schema-renamed", loc, message, name, new_name))
    return found


def _scheme_findings(differ: _Differ) -> list[_Finding]:
    def schemes(doc: _Doc) -> dict[str, str]:
        declared = _obj(_obj(doc.root.get("components")).get("securitySchemes"))
        return {name: _describe_scheme(doc.target(node)) for name, node in declared.items()}

    before, after = schemes(differ.old), schemes(differ.new)
    found: list[_Finding] = []
    for name in sorted(before.keys() | after.keys()):
        loc = ("components", "securitySchemes", name)
        if name not in after:
            message = f"security scheme '{name}' was removed"
            found.append(_Finding("security-scheme-removed", loc, message, before[name], None))
        elif name not in before:
            message = f"security scheme '{name}' was added"
            found.append(_Finding("security-scheme-added", loc, message, None, after[name]))
        elif before[name] != after[name]:
            message = f"security scheme '{name}' changed from {before[name]} to {after[name]}"
            found.append(
                _Finding("security-scheme-changed", loc, message, before[name], after[name])
            )
    return found


def _describe_scheme(scheme: _Node) -> str:
    kind, where, name = (str(scheme.get(key, "")) for key in ("type", "in", "name"))
    if kind == "apiKey":
        return f"apiKey in {where} '{name.lower() if where == 'header' else name}'"
    if kind == "http":
        return f"http {str(scheme.get('scheme', '')).lower()}"
    return kind


def _requirements(security: JsonValue) -> set[str]:
    """The accepted ways to authenticate, each as ``A+B[scope]``; ``none`` is anonymous access."""

    def one(requirement: _Node) -> str:
        parts = (
            f"{name}[{','.join(sorted(map(str, _arr(scopes))))}]" if _arr(scopes) else name
            for name, scopes in requirement.items()
        )
        return "+".join(sorted(parts)) or "none"

    return {one(_obj(requirement)) for requirement in _arr(security)} or {"none"}


def _requirement_findings(before: set[str], after: set[str]) -> list[_Finding]:
    removed = [
        _Finding(
            "security-requirement-removed",
            ("security",),
            f"security requirement '{requirement}' is no longer accepted",
            requirement,
            None,
        )
        for requirement in sorted(before - after)
    ]
    added = [
        _Finding(
            "security-requirement-added",
            ("security",),
            f"security requirement '{requirement}' is now accepted",
            None,
            requirement,
        )
        for requirement in sorted(after - before)
    ]
    return removed + added


def _operation_security_findings(differ: _Differ, old_op: _Node, new_op: _Node) -> list[_Finding]:
    """Only operations that declare their own requirements: document-wide ones are reported once."""
    if "security" not in old_op and "security" not in new_op:
        return []
    before = _requirements(old_op.get("security", differ.old.root.get("security")))
    after = _requirements(new_op.get("security", differ.new.root.get("security")))
    return _requirement_findings(before, after)


# --- report ----------------------------------------------------------------------------------


def _change(operation: str | None, finding: _Finding) -> Change:
    path = "$" + "".join(
        segment if segment in ("[]", "{}") or segment.startswith("<") else f".{segment}"
        for segment in finding.loc
    )
    return Change(
        CHANGE_CODES[finding.code],
        finding.code,
        operation,
        path,
        finding.message,
        finding.old,
        finding.new,
    )


def _order(change: Change) -> tuple[str, str, bool, str, str, str]:
    method, _, path = (change.operation or "").partition(" ")
    return (path, method, change.kind != _B, change.path, change.code, change.message)


if __name__ == "__main__":
    raise SystemExit(main())
