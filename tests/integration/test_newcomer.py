"""What a newcomer is told: the sandbox's startup printout and `--env`, the providers' base-URL
variables, DOCEXTRACT_LOG, CLI errors in flags, URLs in 404 and connection errors, `jobs cancel`
on an ended job, per-action providers in `jobs --help`, the timeout's limit, `spec-diff --help`,
and a missing extra in one line."""

import io
import json
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from docextract.cli import main
from docextract.clients import client
from docextract.providers import PROVIDERS
from docextract.sandbox import Sandbox, SandboxConfig, running_sandbox, sandbox_process

ROOT = Path(__file__).resolve().parents[2]
INVOICE = ROOT / "examples" / "invoice.txt"
KEY = "newcomer-key-41d9"
SLOW = 30.0
BASH = "/bin/bash"


@pytest.fixture(scope="module")
def module_sandbox() -> Iterator[Sandbox]:
    with running_sandbox(SandboxConfig(api_key=KEY, step_seconds=0.01)) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(module_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    module_sandbox.reset()
    for provider in PROVIDERS.values():
        monkeypatch.setenv(provider.env_var, KEY)
        monkeypatch.delenv(provider.base_url_env, raising=False)
    monkeypatch.delenv("DOCEXTRACT_LOG", raising=False)
    return module_sandbox


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# ---------------------------------------------------------------- the sandbox tells


def test_the_sandbox_prints_base_urls_key_and_seeded_ids_after_its_url() -> None:
    lines: list[str] = []
    with sandbox_process("--api-key", "printed-key") as (url, process):
        assert process.stdout is not None
        for _ in range(30):  # bounded: the summary is a dozen lines
            line = process.stdout.readline()
            lines.append(line.rstrip("\n"))
            if line.startswith("  export CONTEXTUAL_AI_BASE_URL="):
                break
    text = "\n".join(lines)
    assert "key (every provider): printed-key" in text
    for name in PROVIDERS:
        assert f"{url}/{name}" in text
    for seeded in ("numind-invoice", "cfg-invoice", "proj_invoice", "UUID"):
        assert seeded in text
    assert f"export LLAMA_CLOUD_BASE_URL={url}/llamacloud" in text


def test_sandbox_env_prints_lines_a_shell_can_eval(tmp_path: Path) -> None:
    script = (
        f'eval "$({sys.executable} -m docextract sandbox --env --port 8700 --api-key k-1)"\n'
        'echo "$NUMIND_API_KEY $NUMIND_BASE_URL $LLAMA_CLOUD_BASE_URL $RETAB_API_BASE_URL '
        '$CONTEXTUAL_AI_BASE_URL $CONTEXTUAL_API_KEY"\n'
    )
    done = subprocess.run(
        [BASH, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "k-1",
        "http://127.0.0.1:8700/numind",
        "http://127.0.0.1:8700/llamacloud",
        "http://127.0.0.1:8700/retab",
        "http://127.0.0.1:8700/contextual",
        "k-1",
    ]


def test_sandbox_env_without_a_port_names_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["sandbox", "--env"])
    assert exited.value.code == 2
    assert "--env needs --port" in capsys.readouterr().err


def test_a_missing_extra_is_one_line_naming_it() -> None:
    code = (
        "import sys; sys.modules['starlette'] = None\n"
        "from docextract.cli import main\n"
        "sys.exit(main(['sandbox', '--port', '0']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "docextract: docextract sandbox needs the `sandbox` extra (missing: starlette): "
        "pip install 'docextract[sandbox]'"
    ]


# ---------------------------------------------------------------- environment variables


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_the_client_reads_the_sdk_base_url_variable(
    sandbox: Sandbox, provider: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PROVIDERS[provider].base_url_env, sandbox.base_url(provider))
    built = client(provider)
    assert str(built.get_httpx_client().base_url).rstrip("/") == sandbox.base_url(provider)
    # an argument wins over the variable
    other = client(provider, base_url="http://127.0.0.1:9/x")
    assert str(other.get_httpx_client().base_url).rstrip("/") == "http://127.0.0.1:9/x"


def test_a_bad_base_url_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NUMIND_API_KEY", KEY)
    monkeypatch.setenv("NUMIND_BASE_URL", "http://example.com/numind")
    code, _, err = cli("jobs", "status", "numind", "x")
    assert code == 2
    assert "NUMIND_BASE_URL 'http://example.com/numind' is not allowed" in err


def test_the_cli_reads_the_base_url_variable(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETAB_API_BASE_URL", sandbox.base_url("retab"))
    code, out, err = cli("extract", str(INVOICE), "--provider", "retab", "--project-id",
                         "proj_invoice", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["data"]["invoice_number"] == "INV-2026-0042"


def test_docextract_log_debug_shows_requests_without_the_key(sandbox: Sandbox) -> None:
    env = {**os.environ, "DOCEXTRACT_LOG": "debug", "NUMIND_API_KEY": KEY}
    env["NUMIND_BASE_URL"] = sandbox.base_url("numind")
    done = subprocess.run(
        [sys.executable, "-m", "docextract", "extract", str(INVOICE), "--provider", "numind",
         "--project-id", "numind-invoice", "--mode", "poll", "--json"],
        capture_output=True, text=True, timeout=60, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "INFO httpx: HTTP Request: POST http://127.0.0.1:" in done.stderr
    assert KEY not in done.stderr + done.stdout


@pytest.fixture
def restored_loggers() -> Iterator[None]:
    """configure_logging() changes process-wide loggers: put them back as they were."""
    loggers = [logging.getLogger(name) for name in ("docextract", "httpx")]
    saved = [(logger.level, list(logger.handlers)) for logger in loggers]
    yield
    for logger, (level, handlers) in zip(loggers, saved, strict=True):
        logger.setLevel(level)
        logger.handlers[:] = handlers


@pytest.mark.usefixtures("restored_loggers")
def test_docextract_log_info_and_a_wrong_value(monkeypatch: pytest.MonkeyPatch) -> None:
    from docextract.logs import configure_logging

    monkeypatch.setenv("DOCEXTRACT_LOG", "info")
    assert configure_logging() == logging.INFO
    assert logging.getLogger("docextract").level == logging.INFO
    assert configure_logging() == logging.INFO  # a second time adds no second handler
    assert len(logging.getLogger("docextract").handlers) == 1 + len(
        [h for h in logging.getLogger("docextract").handlers if type(h).__name__ != "_Handler"]
    )
    monkeypatch.setenv("DOCEXTRACT_LOG", "loud")
    code, _, err = cli("jobs", "status", "numind", "x")
    assert code == 2
    assert "DOCEXTRACT_LOG='loud' is not allowed: debug or info or warning or error" in err


# ---------------------------------------------------------------- CLI messages


def test_a_missing_key_names_the_flag(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NUMIND_API_KEY")
    code, _, err = cli("jobs", "status", "numind", "x", "--base-url", sandbox.base_url("numind"))
    assert code == 2
    assert "pass --api-key or set NUMIND_API_KEY" in err
    assert "api_key=" not in err


def test_llamacloud_configuration_id_has_a_flag(sandbox: Sandbox) -> None:
    code, out, err = cli("extract", str(INVOICE), "--provider", "llamacloud",
                         "--configuration-id", "cfg-invoice",
                         "--base-url", sandbox.base_url("llamacloud"), "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["data"]["invoice_number"] == "INV-2026-0042"


def test_neither_schema_nor_configuration_names_the_flags(sandbox: Sandbox) -> None:
    code, _, err = cli("extract", str(INVOICE), "--provider", "llamacloud",
                       "--base-url", sandbox.base_url("llamacloud"))  # fmt: skip
    assert code == 2
    assert "--schema" in err
    assert "--configuration-id" in err
    assert "configuration_id" not in err


def test_a_404_names_the_url_it_tried(sandbox: Sandbox) -> None:
    job = "00000000-0000-0000-0000-000000000000"
    code, _, err = cli("jobs", "status", "numind", job, "--base-url", sandbox.base_url("numind"))
    assert code == 3
    assert f"GET {sandbox.base_url('numind')}/api/jobs/{job}/status" in err


def test_a_connection_error_names_the_url_it_tried(sandbox: Sandbox) -> None:
    base = f"http://127.0.0.1:{closed_port()}/llamacloud"
    code, _, err = cli("jobs", "status", "llamacloud", "ext-1", "--base-url", base,
                       "--max-retries", "0")  # fmt: skip
    assert code == 3, err
    assert f"GET {base}/api/v2/extract/ext-1" in err


def test_jobs_cancel_on_an_ended_job_says_nothing_was_cancelled(sandbox: Sandbox) -> None:
    base = sandbox.base_url("numind")
    code, out, err = cli("extract", str(INVOICE), "--provider", "numind", "--project-id",
                         "numind-invoice", "--base-url", base, "--json")  # fmt: skip
    assert code == 0, err
    job = json.loads(out)["job_id"]
    before = sandbox.stats().requests_to("numind")
    code, out, err = cli("jobs", "cancel", "numind", job, "--base-url", sandbox.base_url("numind"))
    assert code == 0, err
    assert "nothing was cancelled: the job had already ended (completed)" in err
    assert json.loads(out)["cancelled"] is False
    assert sandbox.stats().requests_to("numind") == before + 1  # one status read, no cancel


def test_jobs_help_lists_per_action_the_providers_that_support_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["jobs", "--help"])
    help_text = capsys.readouterr().out
    assert "status  contextual, llamacloud, numind" in help_text
    assert "cancel  llamacloud, numind" in help_text


def test_a_timeout_message_gives_the_limit(sandbox: Sandbox) -> None:
    sandbox.configure("numind", step_seconds=SLOW)
    code, _, err = cli("extract", str(INVOICE), "--provider", "numind", "--project-id",
                       "numind-invoice", "--base-url", sandbox.base_url("numind"),
                       "--timeout", "300ms")  # fmt: skip
    assert code == 5
    assert "(the limit: --timeout 300ms)" in err


def test_spec_diff_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["spec-diff", "--help"])
    help_text = capsys.readouterr().out
    assert "0  nothing breaks a client" in help_text
    assert "1  something breaks a client" in help_text
    assert "2  a spec cannot be read" in help_text
