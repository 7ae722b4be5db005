"""`docextract.client(provider)`: the provider's generated client, authenticated and configured.

One object serves sync and asyncio calls: it holds one httpx.Client and one httpx.AsyncClient,
each with its own connection pool and the retry transport, built at once so that both share the
same settings, credentials hook and TLS context. Its generated functions raise docextract's
errors for any status the spec does not document as a success (the answer hook, below). Close
it with `close()` / `aclose()` or use it as a context manager; one garbage-collected with a pool
in use warns (ResourceWarning).
"""

import ipaddress
import os
import ssl
import warnings
import weakref
from collections.abc import Callable, Generator, Mapping
from functools import cache
from typing import Any, TypedDict
from urllib.parse import unquote

import httpx

from docextract._version import __version__
from docextract.aiohttp_transport import AsyncTransportChoice, async_transport_for
from docextract.durations import DurationLike, to_seconds
from docextract.errors import InvalidParameter, MissingAPIKey
from docextract.logs import configure_logging
from docextract.providers import Provider, get_provider
from docextract.redact import MASK, install_log_filter, redact, register_secret
from docextract.retry import AsyncRetryTransport, RetryPolicy, RetryTransport
from docextract.tls import client_context

USER_AGENT = f"docextract/{__version__}"


class ClientSettings(TypedDict, total=False):
    """The keyword settings of `client()` (see there), for typed wrappers to pass on."""

    api_key: str | None
    base_url: str | None
    timeout: DurationLike | None
    connect_timeout: DurationLike
    max_retries: int
    retry_policy: RetryPolicy | None
    allow_insecure_http: bool
    follow_redirects: bool
    headers: Mapping[str, str] | None
    auth_scheme: str | None
    transport: httpx.BaseTransport | None
    async_transport: httpx.AsyncBaseTransport | AsyncTransportChoice | None


def client(
    provider: str,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    timeout: DurationLike | None = None,
    connect_timeout: DurationLike = "10s",
    max_retries: int = 2,
    retry_policy: RetryPolicy | None = None,
    allow_insecure_http: bool = False,
    follow_redirects: bool = True,
    headers: Mapping[str, str] | None = None,
    auth_scheme: str | None = None,
    transport: httpx.BaseTransport | None = None,
    async_transport: httpx.AsyncBaseTransport | AsyncTransportChoice | None = None,
) -> Any:
    """Build `provider`'s generated AuthenticatedClient (typed per provider by
    docextract.client, docextract.providers.typed).

    api_key: the key, else the provider's environment variable (its adapter's `env_var`).
    base_url: else the provider's variable, named as its official SDK names it (its adapter's
        `base_url_env`: NUMIND_BASE_URL, LLAMA_CLOUD_BASE_URL, RETAB_API_BASE_URL,
        CONTEXTUAL_AI_BASE_URL), else the spec's server. `http://` only for loopback hosts
        unless `allow_insecure_http`.
    timeout: read timeout; by default the adapter's (60s; longer for a synchronous extraction).
    max_retries / retry_policy: see docextract.retry (a POST is never resent blindly).
    auth_scheme: which of the spec's security schemes carries the key; the spec's first by
        default. Retab: "Api-Key" (its header, the default) or "HTTPBearer" (`Authorization:
        Bearer`, as Retab's newer SDKs send it).
    transport / async_transport: the innermost transports (tests use them); retries wrap them.
        `async_transport="aiohttp"` sends asyncio requests with aiohttp (the `aiohttp` extra:
        httpx-aiohttp), at about a third less CPU per call; "httpx" (the default) is httpx's own.
    """
    spec = get_provider(provider)
    configure_logging()
    key = _api_key(spec, api_key)
    url = _base_url(spec, base_url, key, allow_insecure_http=allow_insecure_http)
    read = (
        to_seconds(timeout, name="timeout")
        if timeout is not None
        else spec.read_timeout.total_seconds()
    )
    httpx_timeout = httpx.Timeout(read, connect=to_seconds(connect_timeout, name="connect_timeout"))
    policy = retry_policy or RetryPolicy(max_retries=_max_retries(max_retries))
    auth_header, auth_prefix = _scheme(spec, auth_scheme)
    auth_value = f"{auth_prefix} {key}" if auth_prefix else key
    # The key is added to each request as it is sent (KeyAuth), not kept in the clients' default
    # headers: httpx's Headers repr masks Authorization but would print a custom key header.
    auth = KeyAuth(auth_header, auth_value)
    all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    guard = _credential_guard(httpx.URL(url), auth_header)

    async def async_guard(request: httpx.Request) -> None:
        guard(request)

    common = {
        "base_url": url,
        "headers": all_headers,
        "auth": auth,
        "timeout": httpx_timeout,
        "follow_redirects": follow_redirects,
    }
    sync_client = httpx.Client(
        transport=RetryTransport(policy, transport=transport or httpx.HTTPTransport(verify=_tls())),
        event_hooks={"request": [guard]},
        **common,  # type: ignore[arg-type]
    )
    async_client = httpx.AsyncClient(
        transport=AsyncRetryTransport(
            policy, transport=async_transport_for(async_transport, _tls())
        ),
        event_hooks={"request": [async_guard]},
        **common,  # type: ignore[arg-type]
    )
    generated = spec.package_module().AuthenticatedClient(
        base_url=url,
        token=key,
        prefix=auth_prefix,
        auth_header_name=auth_header,
        timeout=httpx_timeout,
        follow_redirects=follow_redirects,
        raise_on_unexpected_status=False,  # the answer hook raises docextract's errors instead
        answer_hook=_answer_hook(spec),
    )
    generated.set_httpx_client(sync_client)
    generated.set_async_httpx_client(async_client)
    warn = weakref.finalize(generated, _warn_if_open, spec.name, sync_client, async_client)
    warn.atexit = False  # a warning for garbage collection, not for every client at exit
    return generated


def _answer_hook(spec: Provider) -> Callable[[str, Callable[..., Any], Any, httpx.Response], Any]:
    """What a generated function answers through: its Response, or the docextract error."""

    def hook(operation: str, build: Callable[..., Any], client: Any, raw: httpx.Response) -> Any:
        from docextract.calls import finish

        return finish(spec, operation, build, client, raw)

    return hook


def _warn_if_open(provider: str, *pools: httpx.Client | httpx.AsyncClient) -> None:
    """At garbage collection: a pool that was used and not closed holds connections."""
    if any(_in_use(pool) for pool in pools):
        warnings.warn(
            f"a docextract {provider} client was garbage-collected with its connections open: "
            "call close() / aclose(), or use it as a context manager",
            ResourceWarning,
            stacklevel=1,
        )


def _in_use(pool: httpx.Client | httpx.AsyncClient) -> bool:
    # httpx (pinned to 0.28.x) keeps whether a client was opened and not closed in `_state`
    return getattr(pool, "_state", None) is httpx._client.ClientState.OPENED


def _scheme(spec: Provider, name: str | None) -> tuple[str, str]:
    """(header, prefix) of the named security scheme; the spec's default when None."""
    if name is None:
        return spec.auth_header, spec.auth_prefix
    schemes = spec.auth_schemes
    if name not in schemes:
        raise InvalidParameter("auth_scheme", name, f"one of {', '.join(schemes)}")
    return schemes[name]


def _api_key(spec: Provider, api_key: str | None) -> str:
    key = api_key if api_key is not None else os.environ.get(spec.env_var, "")
    key = key.strip()
    if not key:
        raise MissingAPIKey(spec.name, spec.env_var)
    register_secret(key)
    install_log_filter()
    if not all("!" <= char <= "~" for char in key):
        # h11 would refuse the header with the key in its message, escaped past our masking
        raise InvalidParameter(
            "api_key", MASK, f"visible ASCII characters only (from api_key= or {spec.env_var})"
        )
    return key


def _base_url(spec: Provider, base_url: str | None, key: str, *, allow_insecure_http: bool) -> str:
    from_env = os.environ.get(spec.base_url_env, "").strip()
    # an error names where the URL came from: base_url= or the variable
    name = "base_url" if base_url or not from_env else spec.base_url_env
    text = base_url or from_env or spec.default_base_url
    if key in text or key in unquote(text):
        # it would show in the generated client's repr, httpx's URL reprs and request logs
        raise InvalidParameter(
            name,
            redact(text),
            f"a URL without the API key (it is sent in {spec.auth_header})",
        )
    url = httpx.URL(text)
    if url.scheme not in ("http", "https") or not url.host:
        raise InvalidParameter(name, str(url), "an absolute http(s):// URL")
    if url.scheme == "http" and not allow_insecure_http and not is_loopback(url.host):
        raise InvalidParameter(
            name,
            str(url),
            "https:// (plain http:// sends the key in clear; it is allowed for loopback hosts, "
            "or with allow_insecure_http=True)",
        )
    return str(url).rstrip("/")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _max_retries(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidParameter("max_retries", value, "an integer >= 0")
    return value


class KeyAuth(httpx.Auth):
    """Sets the key header on each request as it is sent; its repr does not show the key."""

    def __init__(self, header: str, value: str) -> None:
        self._header, self._value = header, value

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._header] = self._value
        yield request

    def __repr__(self) -> str:
        return f"KeyAuth({self._header!r}, {MASK!r})"


def _credential_guard(origin: httpx.URL, auth_header: str) -> Callable[[httpx.Request], None]:
    """A request hook that drops the key from any request leaving the configured origin.

    httpx drops `Authorization` on a cross-origin redirect but keeps custom headers such as
    an `Api-Key`; this hook runs for every request, redirects included, and drops both.
    """
    expected = (origin.scheme, origin.host, origin.port)

    def guard(request: httpx.Request) -> None:
        if (request.url.scheme, request.url.host, request.url.port) != expected:
            request.headers.pop(auth_header, None)
            request.headers.pop("Authorization", None)

    return guard


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context per process, its CA bundle loaded by the first TLS handshake."""
    return client_context()
