"""Sessions: generate, check, lint, typecheck, tests, demo, bench, record, spec_diff.

`nox -s tests` is what CI runs: drift checks, lint, types, then the whole pytest suite, with
Prism (installed from package-lock.json by `npm ci`) required.
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["tests"]

PYTHON = None  # the interpreter nox runs on (3.11+)
LINTED = ["overlay", "scripts", "tests", "noxfile.py"]
# run a second time with client(..., async_transport="aiohttp") as the default
ASYNC_TRANSPORT_TESTS = ["tests/unit", "tests/reliability", "tests/integration/test_extract_e2e.py"]


def _install(session: nox.Session) -> None:
    session.install("-e", ".[dev]")


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


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Report spec changes against git HEAD, then regenerate what changed. Args go to the script."""
    _install(session)
    session.run("python", "scripts/generate.py", "--report-changes", *session.posargs)


@nox.session(python=PYTHON)
def check(session: nox.Session) -> None:
    """Fail if generated/ or the reference fixtures are out of step with specs/."""
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
    _prism(session)
    session.run("pytest", *session.posargs, env={"DOCEXTRACT_REQUIRE_PRISM": "1"})
    if not session.posargs:  # the tests that send asyncio requests, again on aiohttp
        session.run(
            "pytest",
            "-q",
            *ASYNC_TRANSPORT_TESTS,
            env={"DOCEXTRACT_TEST_ASYNC_TRANSPORT": "aiohttp"},
        )


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """The main job: regenerate if needed, then one extraction per provider on the sandbox."""
    _install(session)
    session.run("python", "scripts/generate.py")
    session.run("python", "scripts/demo.py", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Import time, per-call time and memory, side by side with the providers' own SDKs."""
    _install(session)
    session.install("llama-cloud", "contextual-client", "retab", "numind")
    session.run("python", "scripts/bench.py", *session.posargs)


@nox.session(python=PYTHON)
def record(session: nox.Session) -> None:
    """Record live fixtures (opt-in; needs the provider's key):
    nox -s record -- --provider P [--base-url URL] [--input key=value]"""
    _install(session)
    session.run("python", "scripts/record_fixtures.py", *session.posargs)


@nox.session(python=PYTHON)
def spec_diff(session: nox.Session) -> None:
    """What changed for a client between two specs: nox -s spec_diff -- OLD NEW [--json]"""
    _install(session)
    session.run("python", "scripts/spec_diff.py", *session.posargs)
