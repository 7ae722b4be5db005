"""Client-side checks from the spec: bad input is refused, naming the parameter, before any request.

The constraints come from the spec through the build (generated/<provider>_client/spec_facts.py);
this module only applies them. jsonschema would do it too, but costs an import of ~0.1 s on every
process for six keywords: these few lines are cheaper.
"""

import math
import re
from collections.abc import Mapping
from enum import Enum
from typing import Any

from docextract.errors import InvalidParameter
from docextract.providers import is_unset


def check_parameters(operation: Mapping[str, Any], params: Mapping[str, object]) -> None:
    """Check a generated call's keyword arguments (`params`) against the operation's facts."""
    for python_name, facts in operation["parameters"].items():
        value = params.get(python_name, _MISSING)
        if _absent(value):
            if facts["required"] and value is _MISSING:
                raise InvalidParameter(facts["name"], None, "a value is required")
            continue
        check_value(facts["name"], value, facts)
    body = operation["body"]
    if body is None:
        return
    data = params.get("body", _MISSING)
    if _absent(data) or data is None:  # None: the generated module would fail on it
        if body["required"]:
            raise InvalidParameter("body", None, f"a {body['content_type']} body is required")
        return
    as_dict = data.to_dict() if hasattr(data, "to_dict") else data
    if isinstance(as_dict, Mapping):
        for path, facts in body["fields"].items():
            value = _lookup(as_dict, path)
            if not _absent(value):
                check_value(path, value, facts)


def check_value(name: str, value: object, facts: Mapping[str, Any]) -> None:
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        if not facts.get("nullable"):
            raise InvalidParameter(name, value, "a value (null is not allowed)")
        return
    kind = facts.get("type")
    if kind in ("number", "integer"):
        _check_number(name, value, facts)
    elif kind == "string" and isinstance(value, str):
        _check_string(name, value, facts)
    elif kind == "boolean" and not isinstance(value, bool):
        raise InvalidParameter(name, value, "true or false")
    if "enum" in facts and value not in facts["enum"]:
        raise InvalidParameter(name, value, "one of " + ", ".join(map(repr, facts["enum"])))


def _check_number(name: str, value: object, facts: Mapping[str, Any]) -> None:
    integer = facts.get("type") == "integer"
    wanted = "an integer" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidParameter(name, value, wanted + _range_text(facts))
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        raise InvalidParameter(name, value, "a finite number" + _range_text(facts))
    if integer and isinstance(value, float) and not value.is_integer():
        raise InvalidParameter(name, value, wanted + _range_text(facts))
    low, high = facts.get("minimum"), facts.get("maximum")
    xlow, xhigh = facts.get("exclusiveMinimum"), facts.get("exclusiveMaximum")
    if (
        (low is not None and value < low)
        or (high is not None and value > high)
        or (xlow is not None and value <= xlow)
        or (xhigh is not None and value >= xhigh)
    ):
        raise InvalidParameter(name, value, wanted + _range_text(facts))


def _check_string(name: str, value: str, facts: Mapping[str, Any]) -> None:
    if "minLength" in facts and len(value) < facts["minLength"]:
        raise InvalidParameter(name, value, f"at least {facts['minLength']} characters")
    if "maxLength" in facts and len(value) > facts["maxLength"]:
        raise InvalidParameter(name, value, f"at most {facts['maxLength']} characters")
    if "pattern" in facts and re.search(facts["pattern"], value) is None:
        raise InvalidParameter(name, value, f"a string matching {facts['pattern']}")


def _range_text(facts: Mapping[str, Any]) -> str:
    bounds = []
    if "minimum" in facts:
        bounds.append(f">= {facts['minimum']}")
    if "exclusiveMinimum" in facts:
        bounds.append(f"> {facts['exclusiveMinimum']}")
    if "maximum" in facts:
        bounds.append(f"<= {facts['maximum']}")
    if "exclusiveMaximum" in facts:
        bounds.append(f"< {facts['exclusiveMaximum']}")
    return f" {' and '.join(bounds)}" if bounds else ""


class _Missing:
    pass


_MISSING = _Missing()


def _absent(value: object) -> bool:
    """Not given: our marker, or a generated package's UNSET."""
    return value is _MISSING or is_unset(value)


def _lookup(data: Mapping[str, Any], dotted: str) -> object:
    node: object = data
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return _MISSING
        node = node[part]
    return node
