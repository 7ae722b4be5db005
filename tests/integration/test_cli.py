"""The `docextract` command against the bundled sandbox: `extract` with every provider, exit codes,
`--json` output, progress lines, keys never echoed, `jobs`, `spec-diff`, `generate`, `sandbox`.

Most cases call `docextract.cli.main(argv, out=..., err=...)` in-process; a few run the real
command (`python -m docextract`) as a subprocess. One sandbox serves the module (reset before
each test); jobs step every few milliseconds, so nothing here waits long, and every wait is bounded.
"""

import io
import itertools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from docextract.cli import EXIT_TIMEOUT, main
from docextract.sandbox import Outcome, Sandbox, SandboxConfig, running_sandbox

ROOT = Path(__file__).resolve().parents[2]
INVOICE = ROOT / "examples" / "invoice.txt"
SCHEMA = ROOT / "examples" / "invoice.schema.json"
KEY = "cli-test-key-5c1d"  # the one key the module's sandbox accepts
SENTINEL = "SENTINEL-never-echo-9f2e7a41"  # a key the sandbox refuses (403)
KEY_VARIABLES = {
    "numind": "NUMIND_API_KEY",
    "llamacloud": "LLAMA_CLOUD_API_KEY",
    "retab": "RETAB_API_KEY",
    "contextual": "CONTEXTUAL_API_KEY",
}
DOCUMENT_ID = "3f2b8c1e-0000-4000-8000-000000000001"  # Contextual: provider-side IDs
SCHEMA_ID = "3f2b8c1e-0000-4000-8000-000000000002"
SLOW = 30.0  # seconds per job status: a job that will not end while a test runs
SUBPROCESS_TIMEOUT = 60
ERROR_KEYS = {"type", "message", "provider", "job_id", "status_code"}
REPORT_KEYS = {
    "provider",
    "job_id",
    "status",
    "data",
    "usage",
    "confidence",
    "warnings",
    "elapsed_seconds",
    "requests",
}
INVOICE_FIELDS = {"invoice_number", "date", "vendor", "total_amount", "currency", "paid"}
INVOICE_VALUES = {  # what examples/invoice.txt says
    "invoice_number": "INV-2026-0042",
    "date": "2026-11-02",
    "vendor": "Acme Tooling GmbH",
    "total_amount": 1234.5,
    "currency": "EUR",
    "paid": False,
}


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def module_sandbox() -> Iterator[Sandbox]:
    config = SandboxConfig(api_key=KEY, step_seconds=0.01, ping_interval=0.05)
    with running_sandbox(config) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    """The module's sandbox, reset: no jobs, default schedules, zero counters."""
    module_sandbox.reset()
    return module_sandbox


@pytest.fixture(autouse=True)
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every provider's key variable holds the sandbox's key (tests remove or override it)."""
    for variable in KEY_VARIABLES.values():
        monkeypatch.setenv(variable, KEY)


class Run:
    """What one in-process run of the CLI did."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        """stdout as exactly one JSON document on one line."""
        assert self.out.endswith("\n"), self.out
        assert self.out.count("\n") == 1, self.out
        return json.loads(self.out)

    def error(self) -> dict[str, Any]:
        document = self.json()
        assert set(document) == {"error"}, document
        error: dict[str, Any] = document["error"]
        assert set(error) == ERROR_KEYS, error
        return error


class TTY(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def cli(*argv: str, err: io.StringIO | None = None) -> Run:
    out, err = io.StringIO(), err if err is not None else io.StringIO()
    code = main(list(argv), out=out, err=err)
    return Run(code, out.getvalue(), err.getvalue())


def subprocess_env(**variables: str) -> dict[str, str]:
    """The environment of a `python -m docextract` run: no provider key unless given; the
    checkout's packages first on the path (harmless when docextract is installed)."""
    env = {k: v for k, v in os.environ.items() if k not in KEY_VARIABLES.values()}
    paths = [str(ROOT / "overlay"), str(ROOT / "generated"), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    return env | variables


def run_command(
    *argv: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "docextract", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env if env is not None else subprocess_env(),
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )


def extract_args(provider: str, sandbox: Sandbox | str) -> list[str]:
    """`extract` arguments that succeed against the sandbox for `provider`."""
    base_url = sandbox if isinstance(sandbox, str) else sandbox.base_url(provider)
    target = {
        "numind": [str(INVOICE), "--project-id", "numind-invoice"],
        "llamacloud": [str(INVOICE), "--schema", str(SCHEMA)],
        "retab": [str(INVOICE), "--project-id", "proj_invoice"],
        "contextual": ["--document-id", DOCUMENT_ID, "--schema-id", SCHEMA_ID],
    }[provider]
    return ["extract", *target, "--provider", provider, "--base-url", base_url]


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def assert_invoice(provider: str, data: dict[str, Any]) -> None:
    if provider == "contextual":  # no uploaded text: the sandbox invents the document's values
        assert set(data) == INVOICE_FIELDS
        assert re.fullmatch(r"INV-[0-9A-F]{8}", data["invoice_number"])
        assert data["currency"] in {"EUR", "USD", "GBP", "CHF"}
    else:
        assert data == INVOICE_VALUES


# ---------------------------------------------------------------- extract: success


@pytest.mark.parametrize("provider", ["numind", "llamacloud", "retab", "contextual"])
def test_extract_json_prints_one_report(sandbox: Sandbox, provider: str) -> None:
    run = cli(*extract_args(provider, sandbox), "--json")

    assert run.code == 0, run.out + run.err
    assert run.err == ""  # --json: no progress, nothing but the report
    report = run.json()
    assert set(report) == REPORT_KEYS
    assert report["provider"] == provider
    assert_invoice(provider, report["data"])
    assert report["warnings"] == []
    assert isinstance(report["usage"], dict)
    assert report["usage"]
    assert report["requests"] >= 1
    stats = sandbox.stats()
    if provider == "retab":  # synchronous: no job
        assert report["job_id"] is None
        assert report["status"] == "completed"
        assert stats.jobs_created.get("retab") == 1
    else:
        assert isinstance(report["job_id"], str)
        assert report["job_id"]
        assert report["status"].lower() == "completed"
        assert stats.jobs_created.get(provider) == 1
    assert stats.requests_to(provider) >= report["requests"]


@pytest.mark.parametrize("provider", ["numind", "llamacloud", "retab", "contextual"])
def test_extract_human_output_and_plain_progress_lines(sandbox: Sandbox, provider: str) -> None:
    run = cli(*extract_args(provider, sandbox))

    assert run.code == 0, run.out + run.err
    headline, _, body = run.out.partition("\n")
    match = re.fullmatch(rf"{provider}(?: job (\S+))?: (\w+) in \d+\.\ds", headline)
    assert match, headline
    job_id, status = match.groups()
    assert status.lower() == "completed"
    assert_invoice(provider, json.loads(body))
    lines = run.err.splitlines()
    if provider == "retab":  # answered at once: nothing to wait for, no progress
        assert job_id is None
        assert lines == []
        return
    # not a terminal: plain lines, one per change of status or progress, the last one the end
    assert lines, "no progress lines"
    pattern = re.compile(rf"{provider} job {re.escape(str(job_id))}: (\w+) · \d+\.\ds(.*)")
    changes = []
    for line in lines:
        parsed = pattern.fullmatch(line)
        assert parsed, line
        changes.append(parsed.groups())
    assert all(a != b for a, b in itertools.pairwise(changes)), lines
    assert changes[-1][0].lower() == "completed"
    assert "\x1b" not in run.err  # no terminal control codes


def test_extract_progress_is_live_on_a_terminal(sandbox: Sandbox) -> None:
    pytest.importorskip("rich")
    terminal = TTY()
    run = cli(*extract_args("contextual", sandbox), err=terminal)

    assert run.code == 0, run.out + run.err
    assert run.out.startswith("contextual job ")
    # a live status line (rich): the cursor is hidden while it runs and shown again at the end
    hide, show = "\x1b[?25l", "\x1b[?25h"
    assert hide in run.err, repr(run.err)
    assert show in run.err, repr(run.err)
    assert run.err.index(hide) < run.err.rindex(show)
    assert not any(re.fullmatch(r"contextual job \S+: \w+ · .*", x) for x in run.err.split("\n"))


def test_extract_with_api_key_option_and_no_variable(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NUMIND_API_KEY")
    run = cli(*extract_args("numind", sandbox), "--api-key", KEY, "--json")

    assert run.code == 0, run.out + run.err
    assert run.json()["data"] == INVOICE_VALUES
    assert KEY not in run.out + run.err


def test_extract_as_a_subprocess(sandbox: Sandbox) -> None:
    done = run_command(
        *extract_args("llamacloud", sandbox),
        "--json",
        env=subprocess_env(LLAMA_CLOUD_API_KEY=KEY),
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("\n") == 1
    report = json.loads(done.stdout)
    assert report["provider"] == "llamacloud"
    assert report["job_id"].startswith("ext-")
    assert report["data"] == INVOICE_VALUES
    assert KEY not in done.stdout + done.stderr


def test_extract_as_a_subprocess_prints_progress_lines_on_stderr(sandbox: Sandbox) -> None:
    done = run_command(*extract_args("numind", sandbox), env=subprocess_env(NUMIND_API_KEY=KEY))

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("numind job ")
    assert "INV-2026-0042" in done.stdout
    lines = done.stderr.splitlines()  # a pipe is not a terminal: plain lines
    assert lines, done.stderr
    assert all(line.startswith("numind job ") for line in lines), done.stderr
    assert lines[-1].split(": ", 1)[1].startswith("completed · ")


# ---------------------------------------------------------------- exit 2: bad input


@pytest.mark.parametrize("output", ["human", "json"])
def test_a_duration_without_unit_is_bad_input_naming_the_option(
    sandbox: Sandbox, output: str
) -> None:
    flags = ["--json"] if output == "json" else []
    run = cli(*extract_args("numind", sandbox), "--timeout", "10", *flags)

    assert run.code == 2
    if output == "json":
        error = run.error()
        assert error["type"] == "DurationError"
        message = error["message"]
        assert run.err == ""
    else:
        assert run.out == ""
        message = run.err
    assert "timeout" in message
    assert '"10"' in message
    assert "not a duration" in message
    assert sandbox.stats().requests_to("numind") == 0  # refused before any request


def test_a_negative_timeout_is_bad_input(sandbox: Sandbox) -> None:
    run = cli(*extract_args("numind", sandbox), "--timeout=-1s", "--json")

    assert run.code == 2
    assert "timeout" in run.error()["message"]


@pytest.mark.parametrize("given", ["neither", "both"])
def test_extract_needs_exactly_one_of_file_and_document_id(sandbox: Sandbox, given: str) -> None:
    document = [str(INVOICE), "--document-id", DOCUMENT_ID] if given == "both" else []
    argv = ["extract", *document, "--provider", "numind", "--project-id", "numind-invoice"]
    run = cli(*argv, "--base-url", sandbox.base_url("numind"), "--json")

    assert run.code == 2
    error = run.error()
    assert error["type"] == "InvalidParameter"
    assert "FILE" in error["message"]
    assert "--document-id" in error["message"]
    assert error["job_id"] is None
    assert sandbox.stats().requests_to("numind") == 0


@pytest.mark.parametrize("provider", ["numind", "llamacloud", "retab", "contextual"])
def test_a_missing_key_names_the_variable(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, provider: str
) -> None:
    monkeypatch.delenv(KEY_VARIABLES[provider])
    run = cli(*extract_args(provider, sandbox))

    assert run.code == 2
    assert run.out == ""
    assert KEY_VARIABLES[provider] in run.err
    assert run.err.startswith("docextract: ")
    assert sandbox.stats().requests_to(provider) == 0


def test_a_missing_key_as_json(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RETAB_API_KEY")
    run = cli(*extract_args("retab", sandbox), "--json")

    assert run.code == 2
    error = run.error()
    assert error["type"] == "MissingAPIKey"
    assert error["provider"] == "retab"
    assert "RETAB_API_KEY" in error["message"]


def test_an_unknown_provider_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["extract", str(INVOICE), "--provider", "unknown"])
    assert exited.value.code == 2
    assert "invalid choice: 'unknown'" in capsys.readouterr().err


def test_no_command_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    assert "usage: docextract" in capsys.readouterr().err


def test_an_unknown_provider_exits_2_as_a_subprocess() -> None:
    done = run_command("extract", str(INVOICE), "--provider", "unknown", "--json")

    assert done.returncode == 2
    assert done.stdout == ""
    assert "invalid choice: 'unknown'" in done.stderr


@pytest.mark.parametrize(
    ("provider", "argv", "parameter"),
    [
        # errors name the CLI's flags, not the library's parameters
        ("numind", [str(INVOICE), "--project-id", ""], "--project-id"),
        ("numind", [str(INVOICE)], "--project-id"),  # no project at all
        ("numind", [str(ROOT / "no-such-invoice.pdf"), "--project-id", "x"], "FILE"),
        ("numind", [str(INVOICE), "--project-id", "x", "--schema", str(SCHEMA)], "--schema"),
        ("llamacloud", [str(INVOICE)], "--configuration-id"),  # neither schema nor a config
        ("llamacloud", [str(INVOICE), "--schema", str(ROOT / "no-such.json")], "--schema"),
        ("contextual", ["--document-id", "nope", "--schema-id", SCHEMA_ID], "--document-id"),
        ("contextual", ["--document-id", DOCUMENT_ID], "--schema-id"),
    ],
)
def test_parameters_the_spec_refuses_are_bad_input_before_any_request(
    sandbox: Sandbox, provider: str, argv: list[str], parameter: str
) -> None:
    base_url = sandbox.base_url(provider)
    run = cli("extract", *argv, "--provider", provider, "--base-url", base_url, "--json")

    assert run.code == 2, run.out + run.err
    error = run.error()
    assert error["type"] == "InvalidParameter"
    assert parameter in error["message"]
    assert sandbox.stats().requests_to(provider) == 0


# ---------------------------------------------------------------- exit 3: API and network errors


@pytest.mark.parametrize(
    ("provider", "argv"),
    [
        ("numind", [str(INVOICE), "--project-id", "no-such-project"]),
        ("retab", [str(INVOICE), "--project-id", "proj_no_such_project"]),
    ],
)
def test_an_unknown_project_is_an_api_error(
    sandbox: Sandbox, provider: str, argv: list[str]
) -> None:
    base_url = sandbox.base_url(provider)
    run = cli("extract", *argv, "--provider", provider, "--base-url", base_url, "--json")

    assert run.code == 3
    error = run.error()
    assert error["type"] == "NotFound"
    assert error["status_code"] == 404
    assert error["provider"] == provider
    assert error["job_id"] is None  # no job was created
    assert sandbox.stats().jobs_created.get(provider, 0) == 0


def test_an_unknown_project_in_human_output(sandbox: Sandbox) -> None:
    run = cli(
        "extract",
        str(INVOICE),
        "--provider",
        "numind",
        "--project-id",
        "nope",
        "--base-url",
        sandbox.base_url("numind"),
    )

    assert run.code == 3
    assert run.out == ""
    assert run.err.startswith("docextract: ")
    assert "404" in run.err


@pytest.mark.parametrize("provider", ["numind", "llamacloud", "retab", "contextual"])
@pytest.mark.parametrize("output", ["human", "json"])
def test_a_wrong_api_key_is_refused_and_never_echoed(
    sandbox: Sandbox, provider: str, output: str
) -> None:
    flags = ["--json"] if output == "json" else []
    run = cli(*extract_args(provider, sandbox), "--api-key", SENTINEL, *flags)

    assert run.code == 3, run.out + run.err
    assert SENTINEL not in run.out + run.err
    if output == "json":
        error = run.error()
        assert error["status_code"] in (401, 403)
        assert error["type"] in ("AuthenticationError", "PermissionDenied")
        assert error["provider"] == provider
    else:
        assert "403" in run.err


def test_a_wrong_api_key_is_never_echoed_by_the_command(sandbox: Sandbox) -> None:
    for flags in ([], ["--json"]):
        done = run_command(
            *extract_args("numind", sandbox),
            "--api-key",
            SENTINEL,
            *flags,
            env=subprocess_env(NUMIND_API_KEY=KEY),
        )
        assert done.returncode == 3, done.stdout + done.stderr
        assert SENTINEL not in done.stdout + done.stderr
        assert "403" in done.stdout + done.stderr


@pytest.mark.parametrize("provider", ["numind", "retab"])
def test_a_refused_connection_is_an_api_error(provider: str) -> None:
    base_url = f"http://127.0.0.1:{closed_port()}/{provider}"
    run = cli(*extract_args(provider, base_url), "--json")

    assert run.code == 3
    error = run.error()
    assert error["type"] == "TransportError"
    assert error["provider"] == provider
    assert error["job_id"] is None
    assert error["status_code"] is None
    assert "refused" in error["message"].lower() or "connect" in error["message"].lower()


# ---------------------------------------------------------------- exit 4 and 5: jobs that end badly


@pytest.mark.parametrize(
    ("provider", "outcome"),
    [
        ("numind", "failed"),
        ("numind", "cancelled"),
        ("llamacloud", "failed"),
        ("llamacloud", "cancelled"),
        ("contextual", "failed"),  # Contextual has no cancellation
    ],
)
def test_a_job_that_fails_or_is_cancelled_exits_4_with_its_id(
    sandbox: Sandbox, provider: str, outcome: Outcome
) -> None:
    sandbox.configure(provider, outcome=outcome)
    run = cli(*extract_args(provider, sandbox), "--json")

    assert run.code == 4, run.out + run.err
    error = run.error()
    assert error["type"] == {"failed": "JobFailed", "cancelled": "JobCancelled"}[outcome]
    assert error["provider"] == provider
    job_id = error["job_id"]
    assert isinstance(job_id, str)
    assert job_id
    assert job_id in error["message"]
    assert sandbox.stats().jobs_created.get(provider) == 1
    # the job is the sandbox's, and it ended as reported
    status = cli(
        "jobs", "status", provider, job_id, "--base-url", sandbox.base_url(provider), "--json"
    )
    assert status.code == 0, status.out
    assert status.json()["phase"] == outcome


def test_a_failed_job_in_human_output(sandbox: Sandbox) -> None:
    sandbox.configure("numind", outcome="failed")
    run = cli(*extract_args("numind", sandbox))

    assert run.code == 4
    assert run.out == ""
    assert re.search(r"docextract: numind job \S+: failed", run.err), run.err


@pytest.mark.parametrize("provider", ["numind", "llamacloud", "contextual"])
def test_a_job_that_outlasts_the_timeout_exits_5(sandbox: Sandbox, provider: str) -> None:
    sandbox.configure(provider, step_seconds=SLOW)
    run = cli(*extract_args(provider, sandbox), "--timeout", "0.3s", "--json")

    assert run.code == 5, run.out + run.err
    error = run.error()
    assert error["type"] == "JobTimeout"
    assert error["provider"] == provider
    assert error["job_id"]
    assert error["job_id"] in error["message"]


def test_a_timeout_in_human_output(sandbox: Sandbox) -> None:
    sandbox.configure("numind", step_seconds=SLOW)
    run = cli(*extract_args("numind", sandbox), "--timeout", "300ms")

    assert run.code == 5
    assert run.out == ""
    assert "did not finish within" in run.err


# ---------------------------------------------------------------- jobs status|wait|cancel


def submit_job(sandbox: Sandbox, provider: str) -> str:
    """Start a job through the CLI the way a user would (a short timeout while it is slow) and
    answer its ID; the test's schedule says how it goes on."""
    run = cli(*extract_args(provider, sandbox), "--timeout", "200ms", "--json")
    assert run.code == 5, run.out + run.err
    job_id: str = run.error()["job_id"]
    return job_id


@pytest.mark.parametrize("provider", ["numind", "llamacloud", "contextual"])
def test_jobs_status_then_wait(sandbox: Sandbox, provider: str) -> None:
    sandbox.configure(provider, step_seconds=SLOW)
    job_id = submit_job(sandbox, provider)
    base_url = sandbox.base_url(provider)

    status = cli("jobs", "status", provider, job_id, "--base-url", base_url, "--json")
    assert status.code == 0, status.out + status.err
    report = status.json()
    assert report["provider"] == provider
    assert report["job_id"] == job_id
    assert report["phase"] == "running"

    # still slow: the wait times out, with the job's ID
    waited = cli(
        "jobs", "wait", provider, job_id, "--base-url", base_url, "--timeout", "200ms", "--json"
    )
    assert waited.code == 5
    assert waited.error()["job_id"] == job_id

    # the next job runs quickly: wait prints its result
    sandbox.configure(provider, step_seconds=0.01)
    quick = cli(*extract_args(provider, sandbox), "--json").json()["job_id"]
    waited = cli(
        "jobs", "wait", provider, quick, "--base-url", base_url, "--timeout", "10s", "--json"
    )
    assert waited.code == 0, waited.out + waited.err
    report = waited.json()
    assert report["job_id"] == quick
    assert report["status"].lower() == "completed"
    assert "INV-" in json.dumps(report["result"])

    done = cli("jobs", "status", provider, quick, "--base-url", base_url)
    assert done.code == 0
    assert json.loads(done.out)["phase"] == "succeeded"  # human output: indented JSON


@pytest.mark.parametrize("provider", ["numind", "llamacloud"])
def test_jobs_cancel_where_the_provider_can(sandbox: Sandbox, provider: str) -> None:
    sandbox.configure(provider, step_seconds=SLOW)
    job_id = submit_job(sandbox, provider)
    base_url = sandbox.base_url(provider)

    cancelled = cli("jobs", "cancel", provider, job_id, "--base-url", base_url, "--json")
    assert cancelled.code == 0, cancelled.out + cancelled.err
    report = cancelled.json()
    assert report["job_id"] == job_id
    assert report["answer"]["status"].lower() == "cancelled"

    status = cli("jobs", "status", provider, job_id, "--base-url", base_url, "--json")
    assert status.json()["phase"] == "cancelled"
    waited = cli("jobs", "wait", provider, job_id, "--base-url", base_url, "--json")
    assert waited.code == 4
    assert waited.error()["type"] == "JobCancelled"
    assert waited.error()["job_id"] == job_id


def test_jobs_cancel_is_refused_for_contextual(sandbox: Sandbox) -> None:
    job_id = cli(*extract_args("contextual", sandbox), "--json").json()["job_id"]
    before = sandbox.stats().requests_to("contextual")
    run = cli(
        "jobs",
        "cancel",
        "contextual",
        job_id,
        "--base-url",
        sandbox.base_url("contextual"),
        "--json",
    )

    assert run.code == 2
    message = run.error()["message"]
    assert "contextual" in message
    assert "cancel" in message
    assert sandbox.stats().requests_to("contextual") == before


def test_jobs_of_an_unknown_id_is_an_api_error(sandbox: Sandbox) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    run = cli(
        "jobs",
        "status",
        "llamacloud",
        unknown,
        "--base-url",
        sandbox.base_url("llamacloud"),
        "--json",
    )

    assert run.code == 3
    error = run.error()
    assert error["status_code"] == 404
    assert error["job_id"] == unknown


def test_jobs_with_a_wrong_key_never_echo_it(sandbox: Sandbox) -> None:
    run = cli(
        "jobs",
        "status",
        "numind",
        "00000000-0000-4000-8000-000000000000",
        "--base-url",
        sandbox.base_url("numind"),
        "--api-key",
        SENTINEL,
    )

    assert run.code == 3
    assert SENTINEL not in run.out + run.err


def test_jobs_against_a_refused_connection(sandbox: Sandbox) -> None:
    base_url = f"http://127.0.0.1:{closed_port()}/llamacloud"
    run = cli("jobs", "status", "llamacloud", "ext-1", "--base-url", base_url, "--json")

    assert run.code == 3
    error = run.error()
    assert error["type"] == "TransportError"
    assert error["job_id"] == "ext-1"


def test_jobs_has_no_retab(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["jobs", "status", "retab", "x"])
    assert exited.value.code == 2
    assert "invalid choice: 'retab'" in capsys.readouterr().err


# ---------------------------------------------------------- spec-diff, generate, sandbox, help


@pytest.fixture
def llamacloud_specs(tmp_path: Path) -> tuple[Path, Path]:
    """specs/llamacloud/openapi.yaml, and a copy whose job model renames a response field."""
    old = tmp_path / "old.yaml"
    shutil.copy(ROOT / "specs" / "llamacloud" / "openapi.yaml", old)
    spec = yaml.safe_load(old.read_text(encoding="utf-8"))
    properties = spec["components"]["schemas"]["ExtractV2Job"]["properties"]
    properties["extraction_result"] = properties.pop("extract_result")
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return old, new


def test_spec_diff_reports_a_renamed_response_field_as_breaking(
    llamacloud_specs: tuple[Path, Path],
) -> None:
    old, new = map(str, llamacloud_specs)

    text = cli("spec-diff", old, new)
    assert text.code == 1
    assert "BREAKING" in text.out
    assert "extract_result" in text.out

    report = cli("spec-diff", old, new, "--json")
    assert report.code == 1
    parsed = json.loads(report.out)
    assert parsed["breaking"] >= 1
    removed = [c for c in parsed["changes"] if c["code"] == "response-field-removed"]
    assert removed
    assert all("extract_result" in c["path"] for c in removed)


def test_spec_diff_of_identical_specs_exits_0(llamacloud_specs: tuple[Path, Path]) -> None:
    old, _ = llamacloud_specs
    run = cli("spec-diff", str(old), str(old), "--json")

    assert run.code == 0
    assert json.loads(run.out)["breaking"] == 0


def test_spec_diff_of_a_missing_file_exits_2(llamacloud_specs: tuple[Path, Path]) -> None:
    old, _ = llamacloud_specs
    run = cli("spec-diff", str(old), str(old.parent / "missing.yaml"))

    assert run.code == 2
    assert "missing.yaml" in run.err


def test_generate_check_passes_in_the_checkout() -> None:
    done = run_command("generate", "--check")

    assert done.returncode == 0, done.stdout + done.stderr
    for provider in KEY_VARIABLES:
        assert f"{provider}: " in done.stdout + done.stderr


def test_generate_outside_a_project_is_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("generate", "--check")

    assert run.code == 2
    assert "[tool.docextract]" in run.err
    assert "docextract init PROVIDER" in run.err
    assert str(tmp_path) in run.err


def test_sandbox_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["sandbox", "--help"])
    assert exited.value.code == 0
    assert "usage: docextract sandbox" in capsys.readouterr().out


def test_help_lists_the_exit_codes() -> None:
    done = run_command("--help")

    assert done.returncode == 0, done.stderr
    for code, meaning in [
        ("0", "success"),
        ("2", "bad input"),
        ("3", "could not be reached"),
        ("4", "failed or was cancelled"),
        ("5", "did not finish in time"),
    ]:
        assert re.search(rf"^\s+{code}\s+.*{meaning}", done.stdout, re.MULTILINE), done.stdout
    for command in ("extract", "jobs", "generate", "spec-diff", "sandbox"):
        assert command in done.stdout


def test_extract_help_lists_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["extract", "--help"])
    assert exited.value.code == 0
    assert "exit codes:" in capsys.readouterr().out


def test_a_deadline_that_passes_before_any_job_exists_is_a_timeout(sandbox: Sandbox) -> None:
    """Retab answers synchronously (no job): its deadline passing is exit 5, not a network error."""
    sandbox.configure("retab", step_seconds=5)
    run = cli(*extract_args("retab", sandbox), "--timeout", "0.2s", "--json")

    assert run.code == EXIT_TIMEOUT
    error = json.loads(run.out)["error"]
    assert error["type"] == "DeadlineExceeded"
    assert error["provider"] == "retab"
    assert error["job_id"] is None
