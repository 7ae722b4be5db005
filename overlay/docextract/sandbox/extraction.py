"""Deterministic "models": what a document's text says about each field of a JSON Schema, and
the document as markdown.

A field's value is on the first line reading `name: value` or `name = value`; names match
case-insensitively, with `_`, `-`, spaces and camelCase interchangeable; a nested field is
`parent child: value` or `child: value`. The value is coerced to the field's type (number,
integer, boolean, string, enum; a list of them split on commas); no such line, or a value that does
not coerce, gives null. Pages are separated by form feeds. A token is four characters.
"""

import math
import re
import uuid
import zlib
from typing import Any

import attrs

from docextract.sandbox.config import JSONSchema

LOW_CONFIDENCE = 0.5
"""Confidences below this call for a human review."""
_MISSING, _UNREADABLE = 0.1, 0.3
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_PAIR = re.compile(r"^([^:=]{1,60}?)\s*[:=]\s*(.+)$")
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_TRUE = {"true", "yes", "y", "paid", "1", "x"}
_FALSE = {"false", "no", "n", "unpaid", "0"}
_VENDORS = (
    "Acme Supplies Ltd",
    "Globex Corporation",
    "Initech GmbH",
    "Umbrella Logistics",
    "Stark Components",
    "Wayne Paper Co.",
)
_CURRENCIES = ("EUR", "USD", "GBP", "CHF")


@attrs.frozen
class Finding:
    """Where a field's value was read: the line, its page (from 1), how confident the reading is."""

    path: tuple[str, ...]
    line: str
    page: int
    confidence: float


@attrs.frozen
class Extraction:
    """Values in the schema's shape; `likelihoods` mirrors them with a confidence per field."""

    values: dict[str, Any]
    likelihoods: dict[str, Any]
    findings: tuple[Finding, ...]

    def lowest_likelihood(self) -> float:
        return min(_leaves(self.likelihoods), default=1.0)

    def log_likelihood(self) -> float:
        """Sum of the log-confidences: a stand-in for a model's log-probability."""
        return round(sum(math.log(leaf) for leaf in _leaves(self.likelihoods)), 4)


def extract(schema: JSONSchema, text: str) -> Extraction:
    lines = [
        (number, line)
        for number, page in enumerate(pages(text), start=1)
        for line in page.splitlines()
    ]
    findings: list[Finding] = []
    values, likelihoods = _object(schema, (), lines, findings)
    return Extraction(values, likelihoods, tuple(findings))


def empty(schema: JSONSchema) -> dict[str, Any]:
    """The schema's shape with nothing in it: null fields, empty lists."""
    return {name: _empty_field(field) for name, field in _properties(schema).items()}


def pages(text: str) -> list[str]:
    return text.split("\f")


def blocks(text: str) -> list[str]:
    """Paragraphs: runs of lines between blank lines."""
    return [block for block in re.split(r"\n\s*\n|\f", text) if block.strip()]


def document_text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").replace("\x00", "")


def tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4))


def field_names(schema: JSONSchema) -> list[str]:
    """The top-level fields."""
    return list(_properties(schema))


def markdown(text: str) -> tuple[str, str]:
    """The document as markdown (its first line as the title, blocks of `key: value` lines as
    lists, other blocks as paragraphs) and a short account of how it was read."""
    parts = blocks(text)
    if not parts:
        return "\n", "The document has no text."
    title, _, first = parts[0].strip().partition("\n")
    out = [f"# {title.strip()}"]
    items = paragraphs = 0
    for block in [first, *parts[1:]]:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        pairs = [pair for line in lines if (pair := _PAIR.match(line))]
        if lines and len(pairs) == len(lines):
            out.append("\n".join(f"- **{pair[1]}**: {pair[2]}" for pair in pairs))
            items += len(pairs)
        elif lines:
            out.append(" ".join(lines))
            paragraphs += 1
    trace = (
        f"The first line, {title.strip()!r}, is the title; {items} key-value lines become "
        f"list items; {paragraphs} other blocks become paragraphs."
    )
    return "\n\n".join(out) + "\n", trace


def synthetic_invoice(document_id: uuid.UUID) -> str:
    """An invoice whose every detail derives from `document_id` (Contextual's documents)."""
    raw = document_id.bytes
    number = f"INV-{document_id.hex[:8].upper()}"
    total = int.from_bytes(raw[11:14], "big") % 1_000_000 / 100
    return (
        f"Invoice {number}\n\n"
        f"Invoice number: {number}\n"
        f"Date: 2026-{raw[8] % 12 + 1:02d}-{raw[9] % 28 + 1:02d}\n"
        f"Vendor: {_VENDORS[raw[10] % len(_VENDORS)]}\n"
        f"Total amount: {total:.2f}\n"
        f"Currency: {_CURRENCIES[raw[14] % len(_CURRENCIES)]}\n"
        f"Paid: {'yes' if raw[15] & 1 else 'no'}\n\n"
        "Thank you for your business.\n"
    )


Lines = list[tuple[int, str]]


def _object(
    schema: JSONSchema, path: tuple[str, ...], lines: Lines, findings: list[Finding]
) -> tuple[dict[str, Any], dict[str, Any]]:
    values: dict[str, Any] = {}
    likelihoods: dict[str, Any] = {}
    for name, field in _properties(schema).items():
        values[name], likelihoods[name] = _field(field, (*path, name), lines, findings)
    return values, likelihoods


def _field(
    schema: JSONSchema, path: tuple[str, ...], lines: Lines, findings: list[Finding]
) -> tuple[Any, Any]:
    schema = _main(schema)
    kind = _kind(schema)
    items = _main(schema.get("items", {}))
    if kind == "object":
        return _object(schema, path, lines, findings)
    if kind == "array" and _kind(items) == "object":
        values, likelihoods = _object(items, path, lines, findings)
        found = any(value is not None for value in values.values())
        return ([values], [likelihoods]) if found else ([], [])
    found_at = _find(path, lines)
    if found_at is None:
        return ([], []) if kind == "array" else (None, _MISSING)
    page, line, raw = found_at
    value = _coerce(raw, schema)
    if value is None or value == []:
        return ([], []) if kind == "array" else (None, _UNREADABLE)
    confidence = round(0.9 + zlib.crc32(f"{'.'.join(path)}={raw}".encode()) % 10 / 100, 2)
    findings.append(Finding(path, line, page, confidence))
    return value, [confidence] * len(value) if isinstance(value, list) else confidence


def _find(path: tuple[str, ...], lines: Lines) -> tuple[int, str, str] | None:
    names = dict.fromkeys([" ".join(path), path[-1]])
    for name in names:
        words = [word.lower() for word in _WORD.findall(name)]
        pattern = re.compile(
            r"^[\s>*#|-]*" + r"[\s_-]*".join(map(re.escape, words)) + r"[\s*]*[:=]\s*(.*?)\s*$",
            re.IGNORECASE,
        )
        for page, line in lines:
            match = pattern.match(line)
            if match and match[1]:
                return page, line.strip(), match[1]
    return None


def _coerce(raw: str, schema: JSONSchema) -> Any:
    raw = raw.strip().strip("\"'`*").strip()
    if "enum" in schema:
        return next(
            (option for option in schema["enum"] if str(option).lower() == raw.lower()), None
        )
    kind = _kind(schema)
    if kind in ("number", "integer"):
        match = _NUMBER.search(raw)
        number = float(match[0].replace(",", "")) if match else None
        if kind == "integer":
            return int(number) if number is not None and number.is_integer() else None
        return number
    if kind == "boolean":
        word = raw.lower()
        return True if word in _TRUE else False if word in _FALSE else None
    if kind == "array":
        items = _main(schema.get("items", {}))
        coerced = [_coerce(part, items) for part in re.split(r"[,;]", raw) if part.strip()]
        return [value for value in coerced if value is not None]
    return raw or None


def _empty_field(schema: JSONSchema) -> Any:
    schema = _main(schema)
    kind = _kind(schema)
    return empty(schema) if kind == "object" else [] if kind == "array" else None


def _properties(schema: JSONSchema) -> dict[str, JSONSchema]:
    properties = _main(schema).get("properties", {})
    return dict(properties) if isinstance(properties, dict) else {}


def _main(schema: JSONSchema) -> JSONSchema:
    """The schema itself, or for `anyOf`/`oneOf` its first alternative that is not null."""
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key, ()):
            if _kind(option) != "null":
                return _main(option)
    return schema


def _kind(schema: JSONSchema) -> str:
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((name for name in kind if name != "null"), "null")
    return str(kind)


def _leaves(tree: object) -> list[float]:
    if isinstance(tree, dict):
        return [leaf for value in tree.values() for leaf in _leaves(value)]
    if isinstance(tree, list):
        return [leaf for value in tree for leaf in _leaves(value)]
    return [float(tree)] if isinstance(tree, int | float) else []
