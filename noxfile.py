"""Sessions: generate, check, lint, typecheck, tests, demo, bench, record, spec_diff.

`nox -s tests` is what CI runs: drift checks, lint, types, then the whole pytest suite, with
Prism (installed from package-lock.json by `npm ci`) required.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["tests"]

PYTHON = None  # the interpreter nox runs on (3.11+)
LINTED = ["overlay", "scripts", "tests", "examples", "noxfile.py"]
ROOT = Path(__file__).resolve().parent
# One environment for every session that needs the same packages (generate, check, lint,
# typecheck, tests, demo, record, spec_diff): the second session reuses what the first
# installed. nox makes one virtualenv per session, so these sessions run without one of
# their own (venv_backend="none") in .nox/shared, which is reinstalled when pyproject.toml or
# this file changes.
SHARED = ROOT / ".nox" / "shared"
SHARED_BIN = SHARED / ("Scripts" if sys.platform == "win32" else "bin")
EXTRAS = "cli,sandbox,contract,generate"
GROUPS = ("dev",)


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
    session.run("pytest", *session.posargs, env={"DOCEXTRACT_REQUIRE_PRISM": "1"})


@nox.session(venv_backend="none")  # in .nox/shared (see _install)
def demo(session: nox.Session) -> None:
    """The main job: regenerate if needed, then one extraction per provider on the sandbox."""
    _install(session)
    session.run("python", "scripts/generate.py")
    session.run("python", "scripts/demo.py", *session.posargs)


@nox.session(python=PYTHON)  # its own environment: the providers' SDKs stay out of the shared one
def bench(session: nox.Session) -> None:
    """Import time, per-call time and memory, side by side with the providers' own SDKs."""
    session.install("-e", ".[cli,sandbox]")
    session.install("llama-cloud", "contextual-client", "retab", "numind")
    session.run("python", "scripts/bench.py", *session.posargs)


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
