"""Keeping an API key out of a cassette: the scrubber, and the guard that refuses a cassette still
holding the key.

Scrubbed: `Authorization`, `Api-Key`, cookies and `Set-Cookie`, the `access_token`/`api_key`
query parameters, and every occurrence of the key (as is, percent-encoded, form-encoded or
JSON-escaped; in headers, URIs and bodies) become `<redacted>`. The guard then searches the
cassette for the key in more forms than the scrubber rewrites (base64 too, binary bodies
included): `SecretLeakError` names where (never the key).
"""

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

from docextract.contract.cassettes import PROVENANCE, dump_cassette

REDACTED = "<redacted>"
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "api-key", "x-api-key", "cookie", "set-cookie"}
)
SECRET_QUERY = frozenset({"access_token", "api_key"})


class SecretLeakError(Exception):
    """The cassette would still contain the key; `locations` says where (never the key)."""

    def __init__(self, locations: list[str]) -> None:
        super().__init__("the cassette still contains the key at: " + ", ".join(locations))
        self.locations = locations


# ---------------------------------------------------------------- scrubbing


def scrub_forms(key: str) -> list[str]:
    """The spellings of the key the scrubber rewrites: as is, percent-encoded, JSON-escaped."""
    forms = {key, quote(key, safe=""), quote_plus(key), json.dumps(key)[1:-1]}
    return sorted(forms, key=len, reverse=True)


def scrub_text(text: str, key: str) -> str:
    for form in scrub_forms(key):
        text = text.replace(form, REDACTED)
    return text


def scrub_bytes(data: bytes, key: str) -> bytes:
    for form in scrub_forms(key):
        data = data.replace(form.encode(), REDACTED.encode())
    return data


def scrub_body(body: Any, key: str) -> Any:
    if isinstance(body, bytes):
        return scrub_bytes(body, key)
    if isinstance(body, str):
        return scrub_text(body, key)
    return body


def scrub_uri(uri: str, key: str) -> str:
    """The key (percent-encoded `<redacted>` in its place) and secret query values removed."""
    for form in scrub_forms(key):
        uri = uri.replace(form, quote(REDACTED, safe=""))
    parts = urlsplit(uri)
    if not parts.query:
        return uri
    query = [
        (name, REDACTED if name.lower() in SECRET_QUERY else value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def scrub_request(request: Any, key: str) -> Any:
    """vcrpy `before_record_request` hook (it hands us a copy)."""
    for name in list(request.headers):
        if name.lower() in SECRET_HEADERS:
            request.headers[name] = REDACTED
        else:
            request.headers[name] = scrub_text(str(request.headers[name]), key)
    request.uri = scrub_uri(request.uri, key)
    request.body = scrub_body(request.body, key)
    return request


def scrub_response(response: dict[str, Any], key: str) -> dict[str, Any]:
    """vcrpy `before_record_response` hook."""
    headers: dict[str, list[str]] = response.get("headers", {})
    for name, values in list(headers.items()):
        if name.lower() in SECRET_HEADERS:
            headers[name] = [REDACTED for _ in values]
        else:
            headers[name] = [scrub_text(str(value), key) for value in values]
    body = response.get("body")
    if isinstance(body, dict) and "string" in body:
        body["string"] = scrub_body(body["string"], key)
    return response


# ---------------------------------------------------------------- the leak guard


def leak_forms(key: str) -> dict[str, str]:
    """Every spelling of the key the guard looks for: more than the scrubber rewrites."""
    raw = key.encode()
    forms = {
        "the key": key,
        "the key percent-encoded": quote(key, safe=""),
        "the key form-encoded": quote_plus(key),
        "the key JSON-escaped": json.dumps(key)[1:-1],
        "the key in base64": base64.b64encode(raw).decode().rstrip("="),
        "the key in URL-safe base64": base64.urlsafe_b64encode(raw).decode().rstrip("="),
    }
    distinct: dict[str, str] = {}
    for label, form in forms.items():
        if form and form not in distinct.values():
            distinct[label] = form
    return distinct


def _walk(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for name, value in node.items():
            yield from _walk(name, f"{where} (a key)")
            yield from _walk(value, f"{where}.{name}")
    elif isinstance(node, list | tuple):
        for index, value in enumerate(node):
            yield from _walk(value, f"{where}[{index}]")
    elif isinstance(node, bytes):
        yield where, node.decode("latin-1")
    elif node is not None:
        yield where, str(node)


def find_leaks(data: Any, key: str) -> list[str]:
    """Where (as `$.interactions[0].response.body.string: the key in base64`) the key remains."""
    forms = leak_forms(key)
    return [
        f"{where}: {label}"
        for where, text in _walk(data, "$")
        for label, form in forms.items()
        if form in text
    ]


def assert_no_leak(data: dict[str, Any], key: str) -> str:
    """The cassette's text, after checking neither its data nor that text holds the key."""
    leaks = find_leaks(data, key)
    text = dump_cassette(data["interactions"], data.get(PROVENANCE) or {})
    leaks += [f"cassette text: {label}" for label, form in leak_forms(key).items() if form in text]
    if leaks:
        raise SecretLeakError(leaks)
    return text
