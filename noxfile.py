"""Sessions: generate, check, lint, typecheck, tests, demo, bench, record, spec_diff.

`nox -s tests` is what CI runs: drift check, lint, types, then the whole pytest suite.
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["tests"]

PYTHON = None  # the interpreter nox runs on (3.11+)
LINTED = ["overlay", "scripts", "tests", "noxfile.py"]


def _install(session: nox.Session) -> None:
    session.install("-e", ".[dev]")


def _check(session: nox.Session) -> None:
    session.run("python", "scripts/generate.py", "--check")


def _lint(session: nox.Session) -> None:
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)


def _typecheck(session: nox.Session) -> None:
    session.run("mypy")


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate clients whose specs changed (report spec changes first). Args go to the script."""
    _install(session)
    session.run("python", "scripts/generate.py", "--report-changes", *session.posargs)


@nox.session(python=PYTHON)
def check(session: nox.Session) -> None:
    """Fail if generated/ is out of step with specs/."""
    _install(session)
    _check(session)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    _install(session)
    _lint(session)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    _install(session)
    _typecheck(session)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Everything CI checks, in one environment."""
    _install(session)
    _check(session)
    _lint(session)
    _typecheck(session)
    session.run("pytest", *session.posargs)
