"""The pytest plugin a user's suite gets from the wheel (docextract.contract.plugin).

Each test runs a small user test suite with pytester: recorded against the sandbox with
`--docextract-record`, then replayed with the sandbox gone; a wait() gets its recorded polls; a
cassette that breaks the contract, a request the cassette cannot answer, and a key left in a
cassette each fail, naming what.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from docextract.contract import check_cassette
from docextract.contract.cassettes import PROVENANCE, dump_cassette, load_data
from docextract.sandbox import SandboxConfig, running_sandbox

pytest_plugins = ["pytester"]

KEY = "plugin-test-key-7f3a"
USER_TEST = """
import docextract
import pytest
from docextract.waiting import PollPolicy

POLL = PollPolicy(initial="50ms", maximum="50ms", jitter=0.0)


@pytest.mark.docextract(cassette="cassettes/numind_job.yaml", provider="numind")
def test_structured_job(docextract_cassette, tmp_path):
    document = tmp_path / "invoice.txt"
    document.write_text("Invoice INV-1 total 12.50 EUR")
    numind = docextract_cassette.client()
    job = docextract.submit(
        "numind", "structured", client=numind, document=str(document),
        project_id="numind-invoice",
    )
    result = docextract.wait(
        job, client=numind, mode="poll", timeout="30s",
        poll=docextract_cassette.poll or POLL,
    )
    assert result.result is not None
"""


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    config = SandboxConfig(api_key=KEY, step_seconds=0.2)
    with running_sandbox(config) as sandbox:
        yield sandbox.url


def _suite(pytester: pytest.Pytester, body: str = USER_TEST) -> Path:
    pytester.makepyfile(test_user=body)
    return pytester.path / "cassettes" / "numind_job.yaml"


def _record(pytester: pytest.Pytester, url: str) -> pytest.RunResult:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NUMIND_API_KEY", KEY)
        env.setenv("NUMIND_BASE_URL", f"{url}/numind")
        return pytester.runpytest("--docextract-record", "-p", "no:cacheprovider")


def test_records_against_the_sandbox_then_replays_without_it(
    pytester: pytest.Pytester, sandbox_url: str
) -> None:
    cassette = _suite(pytester)
    _record(pytester, sandbox_url).assert_outcomes(passed=1)
    data = load_data(cassette)
    text = cassette.read_text(encoding="utf-8")
    assert KEY not in text
    assert base64.b64encode(KEY.encode()).decode().rstrip("=") not in text
    assert data[PROVENANCE]["provider"] == "numind"
    assert data[PROVENANCE]["base_url"] == f"{sandbox_url}/numind"
    assert "metadata" not in data  # stock pytest-recording reads it
    polls = [i for i in data["interactions"] if i["request"]["uri"].endswith("/status")]
    assert len(polls) >= 2, "the job was polled while running, then seen completed"
    assert check_cassette(cassette) == []

    # no key, no base URL: replay makes no request
    replayed = pytester.runpytest("-p", "no:cacheprovider")
    replayed.assert_outcomes(passed=1)


def test_replay_fails_on_an_answer_that_breaks_the_contract(
    pytester: pytest.Pytester, sandbox_url: str
) -> None:
    cassette = _suite(pytester)
    _record(pytester, sandbox_url).assert_outcomes(passed=1)
    data = load_data(cassette)
    # a status poll's answer: the job's status becomes a number (the spec says a string)
    poll = next(i for i in data["interactions"] if i["request"]["uri"].endswith("/status"))
    answer = json.loads(poll["response"]["body"]["string"])
    poll["response"]["body"]["string"] = json.dumps({**answer, "status": 7})
    cassette.write_text(dump_cassette(data["interactions"], data[PROVENANCE]), encoding="utf-8")
    problems = check_cassette(cassette)
    assert any("spec schema" in p and "status" in p for p in problems), problems
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)  # the test body may pass; teardown fails it
    result.stdout.fnmatch_lines(["*numind_job.yaml*", "*spec schema*"])


def test_replay_fails_naming_a_request_the_cassette_cannot_answer(
    pytester: pytest.Pytester, sandbox_url: str
) -> None:
    _suite(pytester)
    _record(pytester, sandbox_url).assert_outcomes(passed=1)
    pytester.makepyfile(
        test_user=USER_TEST.replace('project_id="numind-invoice"', 'project_id="other-project"')
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*no answer for POST /numind/api/structured-extraction/*"])


LEAKY_TEST = """
import httpx
import pytest


@pytest.mark.docextract(cassette="cassettes/numind_job.yaml", provider="numind")
def test_leaks(docextract_cassette):
    numind = docextract_cassette.client()
    # the key, base64-encoded, in a query parameter: the scrubber does not rewrite that form
    import base64, os
    leaked = base64.b64encode(os.environ["NUMIND_API_KEY"].encode()).decode()
    numind.get_httpx_client().get("/api/jobs/00000000-0000-0000-0000-000000000000/status",
                                  params={"trace": leaked})
"""


def test_record_mode_refuses_a_cassette_that_still_holds_the_key(
    pytester: pytest.Pytester, sandbox_url: str
) -> None:
    cassette = _suite(pytester, LEAKY_TEST)
    result = _record(pytester, sandbox_url)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*not written: the cassette still contains the key at*base64*"])
    assert KEY not in result.stdout.str()
    assert not cassette.exists()


def test_record_mode_needs_the_key(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _suite(pytester)
    monkeypatch.delenv("NUMIND_API_KEY", raising=False)
    result = pytester.runpytest("--docextract-record", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*--docextract-record needs the key in NUMIND_API_KEY*"])


def test_replay_without_a_cassette_says_how_to_record_one(pytester: pytest.Pytester) -> None:
    _suite(pytester)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*no cassette at *numind_job.yaml: record it with*"])


WITHOUT_EXTRA = """
import sys

for name in ("yaml", "jsonschema", "vcr"):
    sys.modules[name] = None  # as if the `contract` extra were not installed
import pytest

sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", "-p", "no:recording", *sys.argv[1:]]))
"""


def test_without_the_contract_extra_pytest_still_runs_and_the_fixture_says_why(
    tmp_path: Path,
) -> None:
    (tmp_path / "test_plain.py").write_text("def test_plain():\n    pass\n", encoding="utf-8")
    (tmp_path / "test_cassette.py").write_text(
        "def test_uses(docextract_cassette):\n    pass\n", encoding="utf-8"
    )
    runner = tmp_path / "run.py"
    runner.write_text(WITHOUT_EXTRA, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(runner), str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert "1 passed" in done.stdout, done.stdout + done.stderr
    assert "1 error" in done.stdout
    assert "needs the `contract` extra (missing: yaml, jsonschema, vcr)" in done.stdout
