"""A JSON differ that names what differs with paths like `$.choices[0].message.parsed`.

Equality is JSON's: numbers compare by value (1 == 1.0), booleans are not numbers, object key order
does not matter. One allowance, for round trips through the generated models: two strings that are
both RFC 3339 date-times are equal when they denote the same instant (`Z` vs `+00:00`, `.117` vs
`.117000`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", re.ASCII
)
_MISSING = object()


def join(path: str, step: str | int) -> str:
    if isinstance(step, int):
        return f"{path}[{step}]"
    if _IDENTIFIER.match(step):
        return f"{path}.{step}"
    return f"{path}[{step!r}]"


def parse_datetime(text: str) -> dt.datetime | None:
    """The instant an RFC 3339 date-time string denotes (None when it is not one)."""
    if not RFC3339.match(text):
        return None
    try:
        return dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return None


def _same_scalar(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return expected == actual
    if isinstance(expected, str) and isinstance(actual, str) and expected != actual:
        left, right = parse_datetime(expected), parse_datetime(actual)
        return left is not None and right is not None and left == right
    return type(expected) is type(actual) and expected == actual


def _show(value: Any) -> str:
    if value is _MISSING:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def diff(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Every difference, as `path: expected X, got Y` (empty when the two are JSON-equal)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key in expected:
            out += diff(expected[key], actual.get(key, _MISSING), join(path, str(key)))
        for key in actual.keys() - expected.keys():
            out.append(f"{join(path, str(key))}: expected nothing, got {_show(actual[key])}")
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        out = []
        for index, (left, right) in enumerate(zip(expected, actual, strict=False)):
            out += diff(left, right, join(path, index))
        for index in range(len(actual), len(expected)):
            out.append(f"{join(path, index)}: expected {_show(expected[index])}, got nothing")
        for index in range(len(expected), len(actual)):
            out.append(f"{join(path, index)}: expected nothing, got {_show(actual[index])}")
        return out
    if actual is _MISSING or not _same_scalar(expected, actual):
        return [f"{path}: expected {_show(expected)}, got {_show(actual)}"]
    return []
