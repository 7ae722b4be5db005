"""Server-side input checks, driven by the spec facts the build extracted (spec_facts.py).

`docextract.validation.check_value` decides whether a value is allowed; this module reads the
values out of a request (path, query, JSON or multipart body) and words a refusal as FastAPI does
(`Input should be greater than or equal to 1`, type `greater_than_equal`).
"""

import json
import uuid
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from docextract.errors import InvalidParameter
from docextract.sandbox.forms import Part
from docextract.validation import check_value

Loc = tuple[str | int, ...]


class Invalid(Exception):
    """A refused input: where (`loc`, FastAPI style), why (`msg`), and the error `type`."""

    def __init__(self, loc: Loc, msg: str, type_: str) -> None:
        super().__init__(f"{'.'.join(map(str, loc))}: {msg}")
        self.loc, self.msg, self.type = loc, msg, type_


_TYPES = {
    "integer": ("Input should be a valid integer", "int_type", int),
    "number": ("Input should be a valid number", "float_type", float),
    "boolean": ("Input should be a valid boolean", "bool_type", bool),
    "string": ("Input should be a valid string", "string_type", str),
    "object": ("Input should be a valid dictionary", "dict_type", dict),
    "array": ("Input should be a valid list", "list_type", list),
}
_PARSING = {
    "integer": "Input should be a valid integer, unable to parse string as an integer",
    "number": "Input should be a valid number, unable to parse string as a number",
    "boolean": "Input should be a valid boolean, unable to interpret input",
}
_CONSTRAINTS = {
    "enum": ("Input should be {enum}", "enum"),
    "minimum": ("Input should be greater than or equal to {minimum}", "greater_than_equal"),
    "maximum": ("Input should be less than or equal to {maximum}", "less_than_equal"),
    "exclusiveMinimum": ("Input should be greater than {exclusiveMinimum}", "greater_than"),
    "exclusiveMaximum": ("Input should be less than {exclusiveMaximum}", "less_than"),
    "pattern": ("String should match pattern '{pattern}'", "string_pattern_mismatch"),
    "minLength": ("String should have at least {minLength} characters", "string_too_short"),
    "maxLength": ("String should have at most {maxLength} characters", "string_too_long"),
}
_TRUE = {"true", "1", "yes", "y", "on", "t"}
_FALSE = {"false", "0", "no", "n", "off", "f"}


def check(loc: Loc, value: object, facts: Mapping[str, Any]) -> None:
    """Raise Invalid unless `value` is allowed by `facts` (one parameter's or field's)."""
    kind = facts.get("type")
    if value is None:
        if facts.get("nullable"):
            return
        message, type_, _ = _TYPES.get(str(kind), ("Input should not be null", "value_error", None))
        raise Invalid(loc, message, type_)
    if kind in _TYPES and not _has_type(value, kind):
        raise Invalid(loc, *_TYPES[kind][:2])
    for key, (template, type_) in _CONSTRAINTS.items():
        if key not in facts:
            continue
        try:
            check_value(str(loc[-1]), value, {"type": kind, key: facts[key]})
        except InvalidParameter:
            words = {**facts, "enum": _alternatives(facts.get("enum", []))}
            raise Invalid(loc, template.format(**words), type_) from None
    if facts.get("format") == "uuid" and not is_uuid(value):
        raise Invalid(loc, "Input should be a valid UUID", "uuid_parsing")


def parameters(request: Request, operation: Mapping[str, Any]) -> dict[str, Any]:
    """The path and query parameters the operation declares, parsed and checked, by spec name;
    a query parameter the operation does not declare is refused."""
    declared = {f["name"] for f in operation["parameters"].values() if f["in"] == "query"}
    for name in request.query_params:
        if name not in declared:  # a misspelt parameter would otherwise be silently ignored
            raise Invalid(("query", name), "Extra inputs are not permitted", "extra_forbidden")
    values: dict[str, Any] = {}
    for facts in operation["parameters"].values():
        name, where = facts["name"], facts["in"]
        if where == "path":
            raw = [request.path_params[name]]
        elif where == "query":
            raw = request.query_params.getlist(name)
        else:
            continue
        if not raw:
            if facts["required"]:
                raise Invalid((where, name), "Field required", "missing")
            continue
        value = raw if facts["type"] == "array" else parse_text((where, name), raw[-1], facts)
        check((where, name), value, facts)
        values[name] = value
    return values


def json_body(
    body: bytes, operation: Mapping[str, Any], *, forbid_extra: bool = False
) -> dict[str, Any]:
    """A JSON body, its fields checked (dotted paths in the facts: `configuration.max_pages`)."""
    try:
        data = json.loads(body)
    except ValueError as error:
        raise Invalid(
            ("body", getattr(error, "pos", 0)), "JSON decode error", "json_invalid"
        ) from None
    if not isinstance(data, dict):
        raise Invalid(("body",), "Input should be a valid dictionary", "dict_type")
    fields: Mapping[str, Mapping[str, Any]] = operation["body"]["fields"]
    for path, facts in fields.items():
        parent_path, _, name = path.rpartition(".")
        parent = _lookup(data, parent_path)
        if not isinstance(parent, Mapping):
            continue  # the parent is absent or null: nothing below it to check
        if name in parent:
            check(("body", *path.split(".")), parent[name], facts)
        elif facts["required"]:
            raise Invalid(("body", *path.split(".")), "Field required", "missing")
    if forbid_extra:
        _no_extra(data, fields)
    return data


def form_body(form: Mapping[str, Part], operation: Mapping[str, Any]) -> dict[str, Any]:
    """A multipart body's fields, parsed and checked: files as Parts, the others as values."""
    values: dict[str, Any] = {}
    for name, facts in operation["body"]["fields"].items():
        part = form.get(name)
        loc: Loc = ("body", name)
        if part is None:
            if facts["required"]:
                raise Invalid(loc, "Field required", "missing")
            continue
        if facts.get("format") == "binary":
            values[name] = part
            continue
        value = parse_text(loc, part.text(), facts)
        check(loc, value, facts)
        values[name] = value
    return values


def parse_text(loc: Loc, text: str, facts: Mapping[str, Any]) -> object:
    """A query or form value (text) as the type the facts declare."""
    kind = facts.get("type")
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        type_ = f"{'int' if kind == 'integer' else 'float'}_parsing"
        raise Invalid(loc, _PARSING[str(kind)], type_) from None
    if kind == "boolean":
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise Invalid(loc, _PARSING["boolean"], "bool_parsing")
    return text


def is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _has_type(value: object, kind: str) -> bool:
    if kind in ("integer", "number", "boolean"):
        try:
            check_value("value", value, {"type": kind})
        except InvalidParameter:
            return False
        return True
    return isinstance(value, _TYPES[kind][2])


def _alternatives(values: list[object]) -> str:
    quoted = [f"'{value}'" for value in values]
    return " or ".join([", ".join(quoted[:-1]), quoted[-1]]) if len(quoted) > 1 else "".join(quoted)


def _lookup(data: Mapping[str, Any], dotted: str) -> object:
    node: object = data
    for part in dotted.split(".") if dotted else ():
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _no_extra(data: Mapping[str, Any], fields: Mapping[str, object]) -> None:
    known: dict[str, set[str]] = {}
    for path in fields:
        parent, _, name = path.rpartition(".")
        known.setdefault(parent, set()).add(name)
    for parent, names in known.items():
        node = _lookup(data, parent)
        for key in node if isinstance(node, Mapping) else ():
            if key not in names:
                loc = ("body", *parent.split("."), key) if parent else ("body", key)
                raise Invalid(loc, "Extra inputs are not permitted", "extra_forbidden")
