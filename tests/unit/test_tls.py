"""docextract.tls: the clients' TLS context loads its CA bundle at the first handshake, not when
a client is built, and verifies like httpx's own: an unknown CA is refused, `SSL_CERT_FILE` is
honoured, for the sync client, httpx's asyncio client and the aiohttp transport (HTTPS servers
on 127.0.0.1 with certificates from trustme)."""

import asyncio
import json
import os
import ssl
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme
from _loopback import JOB_ID, PROBES
from pytest_httpserver import HTTPServer

from docextract.tls import DeferredCAContext, client_context

ANSWER = {"ok": True}


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def https(ca: trustme.CA) -> Iterator[HTTPServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.expect_request("/ok").respond_with_json(ANSWER)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


def fresh() -> DeferredCAContext:
    return DeferredCAContext(ssl.PROTOCOL_TLS_CLIENT)


def loaded(context: ssl.SSLContext) -> int:
    return int(context.cert_store_stats()["x509_ca"])


def test_the_context_is_httpx_s_without_its_bundle_yet() -> None:
    ours, theirs = fresh(), httpx.create_ssl_context()
    for setting in ("options", "minimum_version", "verify_flags", "check_hostname", "verify_mode"):
        assert getattr(ours, setting) == getattr(theirs, setting), setting
    assert loaded(ours) == 0
    ours.load_ca_certificates()
    assert loaded(ours) == loaded(theirs) > 0


def get(mode: str, url: str, context: ssl.SSLContext) -> httpx.Response:
    if mode == "sync":
        with httpx.Client(verify=context) as client:
            return client.get(url)

    async def send() -> httpx.Response:
        if mode == "aiohttp":
            from docextract.aiohttp_transport import async_transport_for

            transport = async_transport_for("aiohttp", context)
        else:
            transport = httpx.AsyncHTTPTransport(verify=context)
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.get(url)

    return asyncio.run(send())


MODES = ["sync", "async", "aiohttp"]


@pytest.mark.parametrize("mode", MODES)
def test_an_unknown_ca_is_refused_and_the_bundle_was_loaded_for_it(
    https: HTTPServer, mode: str
) -> None:
    context = fresh()

    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        get(mode, https.url_for("/ok"), context)

    assert loaded(context) > 0  # the default bundle, which does not hold trustme's CA


@pytest.mark.parametrize("mode", MODES)
def test_ssl_cert_file_is_honoured(
    https: HTTPServer, ca_file: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))

    answer = get(mode, https.url_for("/ok"), fresh())

    assert answer.json() == ANSWER


def test_the_shared_context_is_one_per_process() -> None:
    assert client_context() is client_context()
    assert isinstance(client_context(), DeferredCAContext)


CHILD = textwrap.dedent(
    """
    import asyncio, json, sys
    import docextract
    from docextract.calls import call, call_async
    from docextract.tls import client_context

    url, job = sys.argv[1], sys.argv[2]
    statuses = {}
    for transport in ("httpx", "aiohttp"):
        client = docextract.client(
            "llamacloud", api_key="k", base_url=url, async_transport=transport, max_retries=0
        )
        statuses["built " + transport] = client_context().cert_store_stats()["x509_ca"]
        try:
            statuses["sync " + transport] = call(
                client, "llamacloud", "get_extract_job", job_id=job
            ).status_code
            statuses["async " + transport] = asyncio.run(
                call_async(client, "llamacloud", "get_extract_job", job_id=job)
            ).status_code
        except docextract.TransportError as exc:
            statuses["error " + transport] = type(exc.__cause__).__name__
    statuses["loaded"] = client_context().cert_store_stats()["x509_ca"]
    print(json.dumps(statuses))
    """
)


def run_child(url: str, env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url, JOB_ID],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


@pytest.fixture
def child_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}


def test_an_http_loopback_client_never_loads_the_bundle(
    httpserver: HTTPServer, child_env: dict[str, str]
) -> None:
    body = json.loads(PROBES["llamacloud"].ok_body)
    httpserver.expect_request(f"/api/v2/extract/{JOB_ID}").respond_with_json(body)

    statuses = run_child(httpserver.url_for(""), child_env)

    assert statuses["sync httpx"] == statuses["async aiohttp"] == 200
    assert statuses["loaded"] == 0


def test_https_through_the_whole_client_verifies(
    ca: trustme.CA, ca_file: Path, child_env: dict[str, str]
) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    body = json.loads(PROBES["llamacloud"].ok_body)
    server.expect_request(f"/api/v2/extract/{JOB_ID}").respond_with_json(body)
    server.start()
    try:
        url = f"https://127.0.0.1:{server.port}"
        refused = run_child(url, child_env)
        trusted = run_child(url, {**child_env, "SSL_CERT_FILE": str(ca_file)})
    finally:
        server.clear()
        server.stop()

    assert refused["built httpx"] == 0  # building the clients loaded nothing
    assert refused["error httpx"] == refused["error aiohttp"] == "ConnectError"
    assert refused["loaded"] > 0  # type: ignore[operator]
    for transport in ("httpx", "aiohttp"):
        assert trusted[f"sync {transport}"] == trusted[f"async {transport}"] == 200
