"""Sessions: generate, check, lint, typecheck, tests, conformance, demo, bench, record, spec_diff,
import_spec.

`nox -s tests` is what CI runs: drift checks, lint, types, then the whole pytest suite, with
Prism (installed from package-lock.json by `npm ci`) required; then `conformance` (the providers'
official SDKs as outside oracles, in their own environment).
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox
import nox.command

nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["tests"]

PYTHON = None  # the interpreter nox runs on (3.11+)
LINTED = ["overlay", "scripts", "tests", "examples", "noxfile.py"]
# run a second time with client(..., async_transport="aiohttp") as the default
ASYNC_TRANSPORT_TESTS = ["tests/unit", "tests/reliability", "tests/integration/test_extract_e2e.py"]
ROOT = Path(__file__).resolve().parent
# One environment for every session that needs the same packages (generate, check, lint,
# typecheck, tests, demo, record, spec_diff): the second session reuses what the first
# installed. nox makes one virtualenv per session, so these sessions run without one of
# their own (venv_backend="none") in .nox/shared, which is reinstalled when pyproject.toml or
# this file changes.
SHARED = ROOT / ".nox" / "shared"
SHARED_BIN = SHARED / ("Scripts" if sys.platform == "win32" else "bin")
EXTRAS = "cli,sandbox,contract,generate,aiohttp,celery"
GROUPS = ("dev",)
# The providers' official SDKs, the conformance tests' outside oracles (pinned: see issue 9).
CONFORMANCE_SDKS = ("llama-cloud==2.19.0", "numind==0.4.2", "contextual-client==0.11.0")
# The last Retab SDK with projects.extract; it imports on Python 3.12 only: its own venv.
RETAB_SDK = "retab==0.0.118"


def _install(session: nox.Session) -> None:
    """Create or update .nox/shared, then run this session's commands in it."""
    python = SHARED_BIN / "python"
    if not python.exists():
        session.run(sys.executable, "-m", "venv", str(SHARED), external=True)
    stamp = SHARED / "docextract-installed"
    pyproject = nox.project.load_toml(ROOT / "pyproject.toml")
    wanted = [f"-e.[{EXTRAS}]", *nox.project.dependency_groups(pyproject, *GROUPS)]
    digest = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + "\n".join(wanted).encode()
    ).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        session.run(*pip, *wanted, external=True)
        stamp.write_text(digest)
    path = f"{SHARED_BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ["PATH"] = path  # nox finds programs on this process's PATH
    os.environ["VIRTUAL_ENV"] = str(SHARED)
    session.env.update({"PATH": path, "VIRTUAL_ENV": str(SHARED)})


def _check(session: nox.Session) -> None:
    session.run("python", "scripts/generate.py", "--check")
    session.run("python", "scripts/fixtures_from_spec.py", "--check")


def _lint(session: nox.Session) -> None:
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)


TYPING = "tests/typing"


def _typecheck(session: nox.Session) -> None:
    session.run("mypy")
    # as a user's project: the public API under both checkers, and the mistakes they must reject
    session.run("mypy", "--strict", f"{TYPING}/user_script.py")
    session.run("pyright", f"{TYPING}/user_script.py")
    session.run("python", f"{TYPING}/check_mistakes.py")


def _redis_server(session: nox.Session) -> None:
    """The Celery tests start a real redis-server: Debian's, installed here when missing."""
    if shutil.which("redis-server"):
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        session.warn("redis-server is missing and apt-get is not usable: Celery tests will skip")
        return
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    try:
        session.run("apt-get", "update", "-qq", external=True, env=env)
        session.run("apt-get", "install", "-y", "-qq", "redis-server", external=True, env=env)
    except nox.command.CommandFailed:
        session.warn("redis-server could not be installed: the Celery tests will skip")


def _prism(session: nox.Session) -> None:
    session.run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", external=True)


@nox.session(venv_backend="none")  # in .nox/shared (see _install)
def generate(session: nox.Session) -> None:
    """Report spec changes against git HEAD, then regenerate what changed. Args go to the script."""
    _install(session)
    session.run("python", "scripts/generate.py", "--report-changes", *session.posargs)


@nox.session(venv_backend="none")  # in .nox/shared (see _install)
def check(session: nox.Session) -> None:
    """Fail if generated/ or the reference fixtures are out of step with specs/."""
    _install(session)
    _check(session)


@nox.session(venv_backend="none")  # in .nox/shared (see _install)
def lint(session: nox.Session) -> None:
    _install(session)
    _lint(session)


@nox.session(venv_backend="none")  # in .nox/shared (see _install)
def typecheck(session: nox.Session) -> None:
    _install(session)
    _typecheck(session)


@nox.session(venv_backend="none")  # in .nox/shared (see _install)
def tests(session: nox.Session) -> None:
    """Everything CI checks, in one environment."""
    _install(session)
    _check(session)
    _lint(session)
    _typecheck(session)
    _prism(session)
    _redis_server(session)
    # the SDK oracles run in their own session (their packages stay out of this environment)
    session.run(
        "pytest", "--ignore=tests/conformance", *session.posargs,
        env={"DOCEXTRACT_REQUIRE_PRISM": "1"},
    )  # fmt: skip
    if not session.posargs:  # the tests that send asyncio requests, again on aiohttp
        session.run(
            "pytest",
            "-q",
            *ASYNC_TRANSPORT_TESTS,
            env={"DOCEXTRACT_TEST_ASYNC_TRANSPORT": "aiohttp"},
        )
    session.notify("conformance")


def _python_312() -> str | None:
    """A Python 3.12 that runs (a pyenv shim without that version selected does not)."""
    pyenv = sorted(glob.glob(str(Path.home() / ".pyenv/versions/3.12*/bin/python3.12")))
    for candidate in [*reversed(pyenv), shutil.which("python3.12")]:
        if candidate is None:
            continue
        probe = subprocess.run([candidate, "-c", ""], capture_output=True, check=False)  # noqa: S603
        if probe.returncode == 0:
            return candidate
    return None


@nox.session(python=PYTHON)
def conformance(session: nox.Session) -> None:
    """The providers' official SDKs (pinned) against `docextract sandbox`, with strict response
    validation, and on every reference fixture body; deliberate disagreements are listed in
    tests/conformance/disagreements.yaml. retab==0.0.118 runs on a Python 3.12 of its own when
    one exists (else its check is skipped, saying so)."""
    # its own environment: the SDKs stay out of the shared one
    pyproject = nox.project.load_toml(ROOT / "pyproject.toml")
    session.install(f"-e.[{EXTRAS}]", *nox.project.dependency_groups(pyproject, "test"))
    session.install(*CONFORMANCE_SDKS)
    env = {"DOCEXTRACT_CONFORMANCE": "1"}
    python312 = _python_312()
    if python312 is None:
        session.warn(f"no Python 3.12 found: the {RETAB_SDK} checks are skipped")
    else:
        venv = Path(session.virtualenv.location).with_name("conformance-retab")
        python = venv / "bin" / "python"
        marker = venv / f".installed-{RETAB_SDK}"
        if not marker.exists():
            session.run(python312, "-m", "venv", "--clear", str(venv), external=True)
            session.run(str(python), "-m", "pip", "install", "-q", RETAB_SDK, external=True)
            marker.touch()
        env["DOCEXTRACT_RETAB_PYTHON"] = str(python)
    session.run("pytest", "tests/conformance", *session.posargs, env=env)


@nox.session(venv_backend="none")  # in .nox/shared (see _install)
def demo(session: nox.Session) -> None:
    """The main job: regenerate if needed, then one extraction per provider on the sandbox."""
    _install(session)
    session.run("python", "scripts/generate.py")
    session.run("python", "scripts/demo.py", *session.posargs)


@nox.session(python=PYTHON)  # its own environment: the providers' SDKs stay out of the shared one
def bench(session: nox.Session) -> None:
    """Import time and per-call CPU and wall time (sync and asyncio, httpx and aiohttp), side by
    side with raw httpx and the providers' own SDKs (the conformance pins; retab for its import)."""
    session.install("-e", ".[cli,sandbox,aiohttp]")
    session.install(*CONFORMANCE_SDKS, "retab")
    session.run("python", "scripts/bench.py", *session.posargs)
    quick = ["--quick"] if "--quick" in session.posargs else []
    session.run("python", "scripts/bench_many.py", *quick)


@nox.session(python=PYTHON)
def bench_many(session: nox.Session) -> None:
    """Waiting on many jobs only (scripts/bench_many.py): nox -s bench_many -- [--sizes 200]"""
    _install(session)
    session.install("llama-cloud")
    session.run("python", "scripts/bench_many.py", *session.posargs)


@nox.session(venv_backend="none")  # in .nox/shared (see _install)
def record(session: nox.Session) -> None:
    """Record live fixtures (opt-in; needs the provider's key):
    nox -s record -- --provider P [--base-url URL] [--input key=value]"""
    _install(session)
    session.run("python", "scripts/record_fixtures.py", *session.posargs)


@nox.session(venv_backend="none")  # in .nox/shared (see _install)
def spec_diff(session: nox.Session) -> None:
    """What changed for a client between two specs: nox -s spec_diff -- OLD NEW [--json]"""
    _install(session)
    session.run("python", "scripts/spec_diff.py", *session.posargs)


@nox.session(venv_backend="none")  # in .nox/shared (see _install)
def import_spec(session: nox.Session) -> None:
    """Vendor a provider's published spec (the subset build.yaml's operations reach), then
    regenerate: nox -s import_spec -- PROVIDER PATH [--check]"""
    _install(session)
    if len(session.posargs) < 2:
        session.error("usage: nox -s import_spec -- PROVIDER PATH [--check]")
    session.run("python", "scripts/import_spec.py", *session.posargs)
    if "--check" not in session.posargs:
        provider = session.posargs[0]
        session.run("python", "scripts/generate.py", "--report-changes", "--provider", provider)
