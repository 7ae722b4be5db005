"""The fixture set itself: complete (every operation, documented status and job status), up to
date with the specs, in vcrpy's format (vcrpy and pytest-recording replay it), free of keys."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import vcr

from contract.cassettes import (
    FIXTURES,
    ROOT,
    Interaction,
    all_interactions,
    cassette_paths,
    load_data,
    provenance_of,
)
from docextract.contract.checks import locate
from docextract.contract.specs import PROVIDERS, provider_spec

REDACTED = "<redacted>"
CREDENTIAL_HEADERS = ("authorization", "api-key")


def import_script(name: str) -> ModuleType:
    scripts = str(ROOT / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    return importlib.import_module(name)


def reference_interactions(provider: str) -> list[Interaction]:
    return [
        i
        for i in all_interactions()
        if i.provider == provider and i.metadata.get("source") == "reference"
    ]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_operation_and_documented_status_has_a_reference_interaction(
    provider: str,
) -> None:
    spec = provider_spec(provider)
    seen: dict[str, set[str]] = defaultdict(set)
    for interaction in reference_interactions(provider):
        op = locate(interaction).op
        key, _ = spec.response(op, interaction.response.status) or ("undocumented", "")
        seen[op.operation_id].add(key)
    missing = {
        op_id: sorted(set(op.node["responses"]) - {"default"} - seen[op_id])
        for op_id, op in spec.operations.items()
    }
    assert {op_id: statuses for op_id, statuses in missing.items() if statuses} == {}


def _statuses(cassette: str, field: str = "status") -> set[str]:
    found = set()
    for interaction in all_interactions():
        if interaction.cassette == cassette and interaction.response.status == 200:
            found.add(load_json(interaction.response.body)[field])
    return found


def load_json(body: bytes) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(body)
    return loaded


def test_every_llamacloud_job_status_is_covered() -> None:
    # the job's `status` is a plain string in the spec; List Extract Jobs' filter enumerates them
    listing = provider_spec("llamacloud").doc["paths"]["/api/v2/extract"]["get"]["parameters"]
    status = next(p for p in listing if p["name"] == "status")["schema"]["anyOf"][0]
    enum = status["enum"]
    assert _statuses("llamacloud/reference/get_extract_job.yaml") == set(enum)


def test_every_contextual_job_status_is_covered() -> None:
    enum = provider_spec("contextual").doc["components"]["schemas"]["DocumentStatusEnum"]["enum"]
    cassette = "contextual/reference/get_extraction_job_status_extract_jobs__job_id__get.yaml"
    assert _statuses(cassette) == set(enum)


@pytest.mark.parametrize(
    "cassette",
    ["numind/reference/get_api_jobs_jobid_status.yaml", "numind/reference/get_api_jobs_jobid.yaml"],
)
def test_numind_status_strings_are_covered(cassette: str) -> None:
    assert {"running", "completed", "failed", "error", "cancelled"} <= _statuses(cassette)


def test_every_cassette_says_where_it_comes_from() -> None:
    for path in cassette_paths():
        data = load_data(path)
        assert "metadata" not in data, "provenance goes under `docextract:` (pytest-recording)"
        metadata = provenance_of(data)
        rel = path.relative_to(FIXTURES).as_posix()
        assert metadata.get("source") in ("reference", "recorded"), rel
        assert metadata.get("provider") == rel.split("/", 1)[0], rel
        assert str(metadata.get("base_url", "")).startswith(("https://", "http://")), rel
        if metadata["source"] == "recorded":
            assert metadata.get("recorded_at"), rel
    for interaction in all_interactions():
        if interaction.metadata["source"] == "reference":
            assert interaction.note.get("operation"), interaction.where
            assert interaction.note.get("case"), interaction.where


def test_reference_cassettes_are_up_to_date_with_the_specs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    builder = import_script("fixtures_from_spec")
    status = builder.main(["--check"])
    assert status == 0, capsys.readouterr().err


def test_reference_cassettes_build_deterministically(tmp_path: Path) -> None:
    builder = import_script("fixtures_from_spec")
    assert builder.main(["--out", str(tmp_path)]) == 0
    first = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.yaml")}
    assert builder.main(["--out", str(tmp_path), "--check"]) == 0
    assert first == {
        p.relative_to(FIXTURES): p.read_bytes() for p in FIXTURES.glob("*/reference/*.yaml")
    }


@pytest.mark.parametrize(
    "path", cassette_paths(), ids=[p.relative_to(FIXTURES).as_posix() for p in cassette_paths()]
)
def test_vcrpy_replays_the_cassette(path: Path) -> None:
    data = load_data(path)
    expected = data["interactions"]
    replayer = vcr.VCR(record_mode="none")
    with replayer.use_cassette(str(path)) as cassette, httpx.Client() as client:
        assert len(cassette.data) == len(expected)
        for recorded in expected:
            request = recorded["request"]
            answer = client.request(
                request["method"],
                request["uri"],
                content=request.get("body") or b"",
                headers={k: v[0] for k, v in request["headers"].items()},
            )
            assert answer.status_code == recorded["response"]["status"]["code"]
            body = recorded["response"]["body"]["string"]
            assert answer.content == (body.encode() if isinstance(body, str) else body)
        assert cassette.all_played


STATUS_CASSETTE = FIXTURES / "numind" / "reference" / "get_api_jobs_jobid_status.yaml"


@pytest.fixture
def vcr_cassette_dir() -> str:
    """pytest-recording: where the cassette of a `@pytest.mark.vcr` test lives."""
    return str(STATUS_CASSETTE.parent)


@pytest.fixture
def default_cassette_name() -> str:
    """pytest-recording: the cassette's name (it adds `.yaml`)."""
    return STATUS_CASSETTE.stem


@pytest.mark.vcr
def test_pytest_recording_serves_a_reference_cassette_to_the_generated_client() -> None:
    """How users replay these fixtures in their own tests: pytest-recording's `vcr` marker with
    `vcr_cassette_dir` / `default_cassette_name` pointing at a fixture (record mode: none)."""
    from numind_client import AuthenticatedClient
    from numind_client.api.jobs import get_api_jobs_jobid_status
    from numind_client.models import JobStatusResponse

    client = AuthenticatedClient(base_url="https://nuextract.ai", token="unused")
    with client:
        answer = get_api_jobs_jobid_status.sync_detailed(
            "0b6f2f3e-5d0c-4c1e-9a57-2f8f6c1d7a10", client=client
        )
    assert isinstance(answer.parsed, JobStatusResponse)
    assert answer.parsed.status == "running"


def test_pytest_recording_extra_cassette_paths_read_our_cassettes(tmp_path: Path) -> None:
    """pytest-recording's CombinedPersister (`@pytest.mark.vcr(<path>)`), with no hook."""
    from pytest_recording._vcr import CombinedPersister
    from vcr.serializers import yamlserializer

    persister = CombinedPersister(extra_paths=[str(STATUS_CASSETTE)])
    requests, responses = persister.load_cassette(str(tmp_path / "absent.yaml"), yamlserializer)
    assert len(requests) == len(responses) == len(load_data(STATUS_CASSETTE)["interactions"])


STOCK_TEST = """
import httpx
import pytest


@pytest.mark.vcr({cassette!r})
def test_replayed() -> None:
    with httpx.Client() as client:
        answer = client.get("https://nuextract.ai/api/jobs/{job}/status")
    assert answer.status_code == 200
    assert answer.json()["status"] == "running"
"""


def test_stock_pytest_recording_replays_a_cassette_with_no_hook(tmp_path: Path) -> None:
    """A project of its own (no conftest, no docextract plugin), stock pytest-recording."""
    job = "0b6f2f3e-5d0c-4c1e-9a57-2f8f6c1d7a10"
    test = tmp_path / "test_stock.py"
    test.write_text(STOCK_TEST.format(cassette=str(STATUS_CASSETTE), job=job), encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:docextract",
            "-p",
            "no:cacheprovider",
            "--record-mode=none",
            "--rootdir",
            str(tmp_path),
            str(test),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def test_no_cassette_holds_credentials() -> None:
    for interaction in all_interactions():
        for name in CREDENTIAL_HEADERS:
            value = interaction.request.header(name)
            assert value in (None, REDACTED), f"{interaction.where}: {name} is not redacted"
        for name, value in interaction.request.query:
            if name in ("access_token", "api_key"):
                assert value == REDACTED, f"{interaction.where}: {name} is not redacted"
        for name in ("cookie", "set-cookie"):
            values = interaction.request.headers.get(name, []) + interaction.response.headers.get(
                name, []
            )
            assert set(values) <= {REDACTED}, f"{interaction.where}: {name} is not redacted"
