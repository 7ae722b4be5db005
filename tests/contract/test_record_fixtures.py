"""scripts/record_fixtures.py, shown working against loopback stand-ins of the providers: it
records every operation through the generated clients, scrubs the key everywhere, writes a
cassette the contract checks accept, and refuses to write one that would still hold the key."""

from __future__ import annotations

import base64
import sys
from pathlib import Path
from types import ModuleType

import pytest
from pytest_httpserver import HTTPServer
from vcr.request import Request as VcrRequest

from contract.cassettes import interactions_of, load_data
from contract.mimic import Mimic, every_string
from contract.replay import check_request
from docextract.contract import scrub
from docextract.contract.checks import check_model, check_schema, locate
from docextract.contract.specs import PROVIDERS, provider_spec

KEY = "sk-docextract-SENTINEL-7f3a9c2e51"


@pytest.fixture(scope="module")
def recorder() -> ModuleType:
    scripts = str(Path(__file__).resolve().parents[2] / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import record_fixtures

    return record_fixtures


def no_sleep(seconds: float) -> None:
    assert seconds == 0


def run(recorder: ModuleType, provider: str, base_url: str, out: Path) -> int:
    argv = ["--provider", provider, "--base-url", base_url, "--out", str(out), "--name", "c.yaml"]
    status: int = recorder.main(
        [*argv, "--poll-interval", "0", "--max-polls", "10"], sleep=no_sleep
    )
    return status


@pytest.mark.parametrize("provider", PROVIDERS)
def test_records_every_operation_and_scrubs_the_key(
    provider: str,
    recorder: ModuleType,
    httpserver: HTTPServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(recorder.KEY_ENV[provider], KEY)
    base_url = Mimic(provider, KEY).install(httpserver)

    assert run(recorder, provider, base_url, tmp_path) == 0

    cassette = tmp_path / "c.yaml"
    text = cassette.read_text(encoding="utf-8")
    data = load_data(cassette)
    assert KEY not in text
    assert not any(KEY in s for s in every_string(data))
    assert scrub.find_leaks(data, KEY) == []
    assert data["docextract"]["source"] == "recorded"
    assert data["docextract"]["base_url"] == base_url
    assert data["docextract"]["complete"] is True
    assert data["docextract"]["recorded_at"].endswith("Z")
    interactions = interactions_of(data, f"{provider}/recorded/c.yaml")
    header = provider_spec(provider).facts["security"]["header"]
    for interaction in interactions:
        assert interaction.request.header(header) == "<redacted>"
        assert interaction.response.header("set-cookie") == "<redacted>"
        assert interaction.response.header("x-seen-key") == "<redacted>"
    recorded_operations = {locate(i).op.operation_id for i in interactions}
    assert recorded_operations == set(provider_spec(provider).operations)

    httpserver.clear()
    for interaction in interactions:
        assert check_schema(interaction).problems == [], interaction.where
        assert check_model(interaction) == [], interaction.where
        httpserver.clear()
        assert check_request(interaction, httpserver) == [], interaction.where


def test_repeated_polls_of_one_status_are_kept_once(
    recorder: ModuleType, httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUMIND_API_KEY", KEY)
    base_url = Mimic("numind", KEY).install(httpserver)

    assert run(recorder, "numind", base_url, tmp_path) == 0

    data = load_data(tmp_path / "c.yaml")
    polls = [i for i in data["interactions"] if i["note"]["step"] == "poll"]
    assert [b"running" in i["response"]["body"]["string"].encode() for i in polls] == [True, False]
    job_status = "/numind/api/jobs/0b6f2f3e-5d0c-4c1e-9a57-2f8f6c1d7a10/status"
    assert len([entry for entry in httpserver.log if entry[0].path == job_status]) == 4


def test_refuses_to_record_without_a_key(
    recorder: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RETAB_API_KEY", raising=False)
    assert run(recorder, "retab", "http://127.0.0.1:9/retab", tmp_path) == recorder.EXIT_USAGE
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_write_a_cassette_that_still_holds_the_key(
    recorder: ModuleType,
    httpserver: HTTPServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CONTEXTUAL_API_KEY", KEY)
    base_url = Mimic("contextual", KEY, leak_base64=True).install(httpserver)

    assert run(recorder, "contextual", base_url, tmp_path) == recorder.EXIT_LEAK

    assert list(tmp_path.iterdir()) == []
    err = capsys.readouterr().err
    assert "refused, nothing written" in err
    assert "response.headers.x-key-digest[0]: the key in base64" in err
    assert KEY not in err
    assert base64.b64encode(KEY.encode()).decode().rstrip("=") not in err


def test_the_guard_looks_inside_binary_bodies(recorder: ModuleType) -> None:
    body = b"\x00\xff" + KEY.encode() + b"\x80"
    data = {
        "interactions": [{"request": {"body": body}, "response": {"body": {"string": b""}}}],
        "docextract": {},
    }
    assert scrub.find_leaks(data, KEY) == ["$.interactions[0].request.body: the key"]
    with pytest.raises(scrub.SecretLeakError) as raised:
        scrub.assert_no_leak(data, KEY)
    assert KEY not in str(raised.value)


def test_scrubbing_covers_headers_query_cookies_and_bodies(recorder: ModuleType) -> None:
    request = VcrRequest(
        "POST",
        f"https://api.example/v1/x/{KEY}?access_token=tok-1&page=2&k={KEY}",
        f'{{"api_key": "{KEY}"}}'.encode(),
        {"Authorization": f"Bearer {KEY}", "Api-Key": KEY, "Cookie": "s=1", "X-Trace": KEY},
    )
    scrubbed = scrub.scrub_request(request, KEY)
    assert scrubbed.uri == (
        "https://api.example/v1/x/%3Credacted%3E"
        "?access_token=%3Credacted%3E&page=2&k=%3Credacted%3E"
    )
    assert scrubbed.body == b'{"api_key": "<redacted>"}'
    assert dict(scrubbed.headers) == {
        "Authorization": "<redacted>",
        "Api-Key": "<redacted>",
        "Cookie": "<redacted>",
        "X-Trace": "<redacted>",
    }
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {"Set-Cookie": ["a=1", "b=2"], "X-Echo": [f"key={KEY}"]},
        "body": {"string": f"hello {KEY}".encode()},
    }
    cleaned = scrub.scrub_response(response, KEY)
    assert cleaned["headers"] == {
        "Set-Cookie": ["<redacted>", "<redacted>"],
        "X-Echo": ["key=<redacted>"],
    }
    assert cleaned["body"]["string"] == b"hello <redacted>"


def test_a_scenario_that_stops_early_writes_what_it_recorded(
    recorder: ModuleType, httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLAMA_CLOUD_API_KEY", KEY)
    httpserver.expect_request("/llamacloud/api/v1/beta/files").respond_with_data(
        "upstream down", status=503
    )

    status = run(recorder, "llamacloud", httpserver.url_for("/llamacloud"), tmp_path)

    assert status == recorder.EXIT_PARTIAL
    data = load_data(tmp_path / "c.yaml")
    assert data["docextract"]["complete"] is False
    assert "expected HTTP 201, got 503" in data["docextract"]["stopped_by"]
    assert [i["response"]["status"]["code"] for i in data["interactions"]] == [503]
