"""Each provider's authentication, as its spec declares it (Bearer, or Retab's `Api-Key` header,
where Retab also takes Bearer: every scheme of the spec is accepted); the control API takes Bearer.

One key is accepted everywhere: no key gives 401, any other key 403.
"""

import secrets

from starlette.requests import Request
from starlette.responses import Response

from docextract.providers import PROVIDERS
from docextract.sandbox import responses

CONTROL = "control"
"""The control API's name where a provider's is expected (its errors are JSON details)."""


def refusal(provider: str, request: Request, api_key: str) -> Response | None:
    """The answer refusing `request`, or None when it carries `api_key` as `provider` expects."""
    header, prefix = "Authorization", "Bearer"
    accepted = [(header, prefix)]
    if provider != CONTROL:
        header, prefix = PROVIDERS[provider].auth_header, PROVIDERS[provider].auth_prefix
        accepted = list(PROVIDERS[provider].auth_schemes.values())
    presented = (presented_key(request, h, p) for h, p in accepted)
    given = next((key for key in presented if key is not None), None)
    if given is None:
        how = f"{prefix} <key>" if prefix else "<key>"
        headers = {"WWW-Authenticate": prefix} if prefix else None
        return responses.error(provider, 401, f"Not authenticated: send {header}: {how}", headers)
    if not secrets.compare_digest(given.encode(), api_key.encode()):
        return responses.error(provider, 403, "Invalid API key")
    return None


def presented_key(request: Request, header: str, prefix: str) -> str | None:
    """The key in `header`, after `prefix` (e.g. `Bearer`) when there is one; None if absent."""
    value = request.headers.get(header, "").strip()
    if prefix:
        scheme, _, value = value.partition(" ")
        if scheme.lower() != prefix.lower():
            return None
    return value.strip() or None
