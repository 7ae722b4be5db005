"""docextract.client(): auth, key lookup, base URL, timeouts, retries, User-Agent, one object for
sync and asyncio, the http:// rule, and redirects that must not carry the key (real loopback
servers; request logs prove what was sent)."""

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from _loopback import (
    ENV_VARS,
    PROBES,
    PROVIDERS,
    RawRequest,
    RawServer,
    json_response,
    raw_servers,
    response,
    spec,
)
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import docextract
from docextract.calls import call
from docextract.errors import InvalidParameter, MissingAPIKey, ServerError
from docextract.providers import get_provider
from docextract.retry import RetryPolicy

KEY = "test-key-c1f0a9d2"


@pytest.fixture
def raw() -> Iterator[Callable[..., RawServer]]:
    with raw_servers() as start:
        yield start


def send(client: Any, provider: str, mode: str) -> Any:
    """One generated `*_detailed` call of the provider's probe operation, sync or asyncio."""
    probe = PROBES[provider]
    module = get_provider(provider).endpoint(probe.operation_id)
    if mode == "sync":
        return module.sync_detailed(client=client, **probe.params())
    return asyncio.run(module.asyncio_detailed(client=client, **probe.params()))


def ok(probe_provider: str) -> Callable[[RawRequest], bytes]:
    return lambda _: json_response(200, PROBES[probe_provider].ok_body)


# --- credentials --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_sends_the_providers_auth_scheme_and_user_agent(
    raw: Callable[..., RawServer], provider: str, mode: str
) -> None:
    server = raw(ok(provider))
    client = docextract.client(provider, api_key=KEY, base_url=server.url)

    answer = send(client, provider, mode)

    assert answer.status_code == 200
    assert answer.parsed is not None
    [request] = server.requests
    assert request.target.split("?")[0] == PROBES[provider].path
    if provider == "retab":
        assert request.headers["api-key"] == KEY
        assert "authorization" not in request.headers
    else:
        assert request.headers["authorization"] == f"Bearer {KEY}"
        assert "api-key" not in request.headers
    assert request.headers["user-agent"] == f"docextract/{docextract.__version__}"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_key_comes_from_the_environment(
    raw: Callable[..., RawServer], monkeypatch: pytest.MonkeyPatch, provider: str
) -> None:
    for variable in ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv(ENV_VARS[provider], "env-key-77aa")
    server = raw(ok(provider))

    send(docextract.client(provider, base_url=server.url), provider, "sync")
    send(docextract.client(provider, api_key=KEY, base_url=server.url), provider, "sync")

    sent = [r.headers.get("authorization", r.headers.get("api-key")) for r in server.requests]
    prefix = "" if provider == "retab" else "Bearer "
    assert sent == [f"{prefix}env-key-77aa", f"{prefix}{KEY}"]  # the argument wins


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_key_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, provider: str, value: str | None
) -> None:
    monkeypatch.delenv(ENV_VARS[provider], raising=False)
    if value is not None:
        monkeypatch.setenv(ENV_VARS[provider], value)

    with pytest.raises(MissingAPIKey) as raised:
        docextract.client(provider)

    assert ENV_VARS[provider] in str(raised.value)
    assert raised.value.variable == ENV_VARS[provider]
    assert raised.value.provider == provider


def test_unknown_provider_is_an_invalid_parameter() -> None:
    with pytest.raises(InvalidParameter, match="provider") as raised:
        docextract.client("acme", api_key=KEY)
    assert "numind" in str(raised.value)


# --- configuration -------------------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
def test_default_base_url_is_the_specs_server(provider: str) -> None:
    client = docextract.client(provider, api_key=KEY)

    server = spec(provider)["servers"][0]["url"].rstrip("/")
    assert str(client.get_httpx_client().base_url).rstrip("/") == server
    assert str(client.get_async_httpx_client().base_url).rstrip("/") == server
    assert server.startswith("https://")


@pytest.mark.parametrize(
    ("provider", "read"),
    [("numind", 60.0), ("llamacloud", 60.0), ("contextual", 60.0), ("retab", 900.0)],
)
def test_default_timeouts(provider: str, read: float) -> None:
    client = docextract.client(provider, api_key=KEY)

    for http in (client.get_httpx_client(), client.get_async_httpx_client()):
        assert http.timeout.read == read
        assert http.timeout.connect == 10.0
    if provider == "retab":  # a synchronous extraction takes minutes
        assert client.get_httpx_client().timeout.read >= 600


def test_timeouts_accept_durations() -> None:
    client = docextract.client("retab", api_key=KEY, timeout="2m", connect_timeout=3)

    for http in (client.get_httpx_client(), client.get_async_httpx_client()):
        assert http.timeout.read == 120.0
        assert http.timeout.connect == 3.0


def test_read_timeout_is_applied(raw: Callable[..., RawServer]) -> None:
    server = raw(lambda _: None)  # never answers
    client = docextract.client(
        "numind", api_key=KEY, base_url=server.url, timeout=0.2, max_retries=0
    )

    with pytest.raises(httpx.ReadTimeout):
        client.get_httpx_client().get("/api/jobs/x")
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_retries_through_the_retry_transport(raw: Callable[..., RawServer], mode: str) -> None:
    answers = iter(
        [
            response(503, "", "retry-after-ms: 0"),
            response(502, "", "retry-after-ms: 0"),
            json_response(200, PROBES["numind"].ok_body),
        ]
    )
    server = raw(lambda _: next(answers))
    client = docextract.client("numind", api_key=KEY, base_url=server.url)

    assert send(client, "numind", mode).status_code == 200
    assert len(server.requests) == 3


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_max_retries_zero_sends_once(raw: Callable[..., RawServer], mode: str) -> None:
    server = raw(lambda _: response(503, "", "retry-after-ms: 0"))
    client = docextract.client("numind", api_key=KEY, base_url=server.url, max_retries=0)

    with pytest.raises(docextract.ServerError) as raised:  # a generated call raises, too
        send(client, "numind", mode)
    assert raised.value.status_code == 503
    assert len(server.requests) == 1


def test_retry_policy_is_used(raw: Callable[..., RawServer]) -> None:
    server = raw(lambda _: response(503, "", "retry-after-ms: 0"))
    client = docextract.client(
        "numind", api_key=KEY, base_url=server.url, retry_policy=RetryPolicy(max_retries=4)
    )

    with pytest.raises(ServerError):
        call(client, "numind", "get_api_jobs_jobid", job_id="j")
    assert len(server.requests) == 5


@pytest.mark.parametrize("value", [-1, True, 1.5, "2"])
def test_max_retries_must_be_a_count(value: Any) -> None:
    with pytest.raises(InvalidParameter, match="max_retries"):
        docextract.client("numind", api_key=KEY, max_retries=value)


def test_extra_headers_are_sent_but_cannot_replace_the_key(raw: Callable[..., RawServer]) -> None:
    server = raw(ok("numind"))
    client = docextract.client(
        "numind",
        api_key=KEY,
        base_url=server.url,
        headers={"X-Team": "docs", "Authorization": "Bearer other"},
    )

    send(client, "numind", "sync")

    [request] = server.requests
    assert request.headers["x-team"] == "docs"
    assert request.headers["authorization"] == f"Bearer {KEY}"


# --- one object, shared pools -----------------------------------------------------------------


def test_one_object_serves_sync_and_asyncio(raw: Callable[..., RawServer]) -> None:
    server = raw(ok("numind"))
    client = docextract.client("numind", api_key=KEY, base_url=server.url)

    assert client.get_httpx_client() is client.get_httpx_client()
    assert client.get_async_httpx_client() is client.get_async_httpx_client()

    sync_answers = [send(client, "numind", "sync") for _ in range(3)]

    async def three() -> list[Any]:
        module = get_provider("numind").endpoint("get_api_jobs_jobid")
        return [await module.asyncio_detailed("j", client=client) for _ in range(3)]

    async_answers = asyncio.run(three())

    assert [a.status_code for a in sync_answers + async_answers] == [200] * 6
    assert len(server.requests) == 6
    # keep-alive: three sync calls share one connection, three asyncio calls another
    assert server.connections == 2
    assert [r.connection for r in server.requests] == [0, 0, 0, 1, 1, 1]


async def test_asyncio_calls_share_one_pool(raw: Callable[..., RawServer]) -> None:
    server = raw(ok("llamacloud"))
    client = docextract.client("llamacloud", api_key=KEY, base_url=server.url)
    module = get_provider("llamacloud").endpoint("get_extract_job")

    for _ in range(4):
        assert (await module.asyncio_detailed("j", client=client)).status_code == 200

    assert len(server.requests) == 4
    assert server.connections == 1
    await client.get_async_httpx_client().aclose()


# --- the http:// rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://127.0.0.2",
        "http://[::1]:9000",
        "http://localhost:9000/v1",
        "https://api.example.com",
        "https://10.0.0.1:8443",
    ],
)
def test_allowed_base_urls(url: str) -> None:
    client = docextract.client("contextual", api_key=KEY, base_url=url)
    assert str(client.get_httpx_client().base_url).rstrip("/") == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://api.contextual.ai/v1",
        "http://10.0.0.1",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
        "http://[::2]",
        "http://0.0.0.0:8080",
    ],
)
def test_plain_http_is_refused_off_loopback(url: str) -> None:
    with pytest.raises(InvalidParameter) as raised:
        docextract.client("contextual", api_key=KEY, base_url=url)

    assert raised.value.parameter == "base_url"
    assert "allow_insecure_http" in str(raised.value)
    # ... unless the caller opts in
    client = docextract.client("contextual", api_key=KEY, base_url=url, allow_insecure_http=True)
    assert client.get_httpx_client().base_url.scheme == "http"


@pytest.mark.parametrize("url", ["ftp://example.com", "example.com", "/v1", "http://"])
def test_base_url_must_be_absolute_http(url: str) -> None:
    with pytest.raises(InvalidParameter, match="base_url"):
        docextract.client("contextual", api_key=KEY, base_url=url, allow_insecure_http=True)


# --- redirects never carry the key to another origin ---------------------------------------------


def _has_key(request: RawRequest) -> bool:
    return any(KEY in value for value in request.headers.values())


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("status", [302, 307])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_cross_origin_redirect_drops_the_key(
    raw: Callable[..., RawServer], provider: str, status: int, mode: str
) -> None:
    other = raw(ok(provider))  # server B: another port is another origin
    first = raw(lambda r: response(status, "", f"Location: {other.url}{r.target}"))
    client = docextract.client(provider, api_key=KEY, base_url=first.url)

    send(client, provider, mode)

    [sent] = first.requests
    [redirected] = other.requests
    assert _has_key(sent)
    assert "authorization" not in redirected.headers
    assert "api-key" not in redirected.headers
    assert not _has_key(redirected)
    assert redirected.headers["user-agent"].startswith("docextract/")


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_redirect_to_another_host_name_drops_the_key(
    raw: Callable[..., RawServer], provider: str, mode: str
) -> None:
    """localhost and 127.0.0.1 reach the same socket but are different origins."""
    hops: list[str] = []

    def reply(request: RawRequest) -> bytes:
        hops.append(request.headers["host"])
        if request.headers["host"].startswith("127.0.0.1"):
            port = request.headers["host"].split(":")[1]
            return response(307, "", f"Location: http://localhost:{port}{request.target}")
        return json_response(200, PROBES[provider].ok_body)

    server = raw(reply)
    client = docextract.client(provider, api_key=KEY, base_url=server.url)

    send(client, provider, mode)

    first, second = server.requests
    assert _has_key(first)
    assert second.headers["host"].startswith("localhost")
    assert not _has_key(second)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_same_origin_redirect_keeps_the_key(
    raw: Callable[..., RawServer], provider: str, mode: str
) -> None:
    def reply(request: RawRequest) -> bytes:
        if not request.target.startswith("/moved"):
            return response(307, "", f"Location: /moved{request.target}")
        return json_response(200, PROBES[provider].ok_body)

    server = raw(reply)
    client = docextract.client(provider, api_key=KEY, base_url=server.url)

    assert send(client, provider, mode).status_code == 200

    first, second = server.requests
    assert second.target == "/moved" + first.target
    assert _has_key(first)
    assert _has_key(second)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_key_is_not_restored_when_redirected_back(raw: Callable[..., RawServer], mode: str) -> None:
    """A -> B -> A: once the key was dropped, the chain does not pick it up again."""
    home: list[RawServer] = []
    other = raw(lambda r: response(302, "", f"Location: {home[0].url}/back"))
    home.append(
        raw(
            lambda r: (
                json_response(200, PROBES["retab"].ok_body)
                if r.target == "/back"
                else response(307, "", f"Location: {other.url}/x")
            )
        )
    )
    client = docextract.client("retab", api_key=KEY, base_url=home[0].url)

    send(client, "retab", mode)

    first, back = home[0].requests
    assert _has_key(first)
    assert not _has_key(other.requests[0])
    assert not _has_key(back)


def test_redirects_can_be_turned_off(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/jobs/j").respond_with_response(
        Response(status=302, headers={"Location": "http://127.0.0.1:1/x"})
    )
    client = docextract.client(
        "numind", api_key=KEY, base_url=httpserver.url_for(""), follow_redirects=False
    )

    with pytest.raises(docextract.APIError) as raised:
        call(client, "numind", "get_api_jobs_jobid", job_id="j")
    assert raised.value.status_code == 302
    assert len(httpserver.log) == 1


def test_httpserver_sees_the_headers(httpserver: HTTPServer) -> None:
    """The same checks through pytest-httpserver (werkzeug parses the request)."""
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return Response(PROBES["retab"].ok_body, content_type="application/json")

    httpserver.expect_request("/v1/projects/extract/proj_1", method="POST").respond_with_handler(
        handler
    )
    client = docextract.client("retab", api_key=KEY, base_url=httpserver.url_for(""))

    send(client, "retab", "sync")

    [request] = seen
    assert request.headers["Api-Key"] == KEY
    assert "Authorization" not in request.headers
    assert request.headers["User-Agent"] == f"docextract/{docextract.__version__}"


# build/templates/client.py.jinja: the copies keep the configured httpx clients
def test_with_headers_keeps_the_configuration(raw: Callable[..., RawServer]) -> None:
    other = raw(ok("retab"))
    first = raw(lambda r: response(307, "", f"Location: {other.url}{r.target}"))
    client = docextract.client("retab", api_key=KEY, base_url=first.url)

    send(client.with_headers({"X-Team": "docs"}), "retab", "sync")

    assert not _has_key(other.requests[0])
