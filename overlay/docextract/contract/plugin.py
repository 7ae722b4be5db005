"""The docextract pytest plugin (entry point `pytest11: docextract`, with `docextract[contract]`).

    @pytest.mark.docextract(cassette="cassettes/numind_job.yaml", provider="numind")
    def test_invoice(docextract_cassette):
        numind = docextract_cassette.client()
        job = docextract.submit("numind", "structured", client=numind, ...)
        docextract.wait(job, client=numind, poll=docextract_cassette.poll)

Replay (the default): the client answers from the cassette (docextract.contract.playback: a
`wait()` gets its recorded polls in order, query parameters matched), nothing leaves the
process, and at teardown every recorded answer is checked against the spec's schema for its
operation and status and round-tripped through the generated model; a request the cassette
cannot answer, or an answer that breaks the contract, fails the test.

`--docextract-record`: the client talks to the provider (`base_url=` of the marker, else
`<PROVIDER>_BASE_URL`, else the spec's server) with the key from the provider's variable
(NUMIND_API_KEY, ...); when the test passes, the exchanges are written to the cassette with
the key scrubbed, and a cassette that would still hold the key in any form is not written.

The marker's `spec=` and `package=` name the spec and generated package of a provider of the
user's own (the cassette's `docextract:` provenance keeps them); the cassette path defaults to
`cassettes/<test name>.yaml` next to the test file.
"""

import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from docextract.extras import MissingExtra, require

if TYPE_CHECKING:
    from docextract.contract.session import Cassette

# Installed with docextract, this module is loaded by every pytest run, `contract` extra or
# not: the modules that need the extra (YAML, jsonschema, vcrpy) are imported by the fixture.
RECORD_OPTION = "--docextract-record"
_REPORT = pytest.StashKey[pytest.TestReport]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("docextract", "docextract contract tests")
    group.addoption(
        RECORD_OPTION,
        action="store_true",
        default=False,
        help="record docextract cassettes against the provider (keys from the environment; "
        "scrubbed before writing) instead of replaying them",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "docextract(cassette=None, provider=None, spec=None, package=None, base_url=None): "
        "the cassette the docextract_cassette fixture replays or records",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[_REPORT] = report
    return report


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("docextract")
    return dict(marker.kwargs) if marker is not None else {}


def _resolve(base: Path, value: Any) -> Path | None:
    if value is None:
        return None
    path = Path(str(value))
    return path if path.is_absolute() else base / path


@pytest.fixture
def docextract_cassette(request: pytest.FixtureRequest) -> "Iterator[Cassette]":
    """The test's cassette (see the module's docstring): replayed, or recorded with
    --docextract-record."""
    try:
        require("contract", "the docextract_cassette fixture")
    except MissingExtra as exc:
        pytest.fail(str(exc), pytrace=False)
    from docextract.contract.cassettes import interactions_in
    from docextract.contract.recording import write_cassette
    from docextract.contract.scrub import SecretLeakError
    from docextract.contract.session import Cassette
    from docextract.providers import get_provider

    options = _marker_options(request)
    here = Path(str(request.node.path)).parent
    name = request.node.name.replace("/", "_")
    path = _resolve(here, options.get("cassette")) or here / "cassettes" / f"{name}.yaml"
    recording = bool(request.config.getoption(RECORD_OPTION))
    if not recording and not path.exists():
        pytest.fail(f"no cassette at {path}: record it with {RECORD_OPTION}", pytrace=False)
    provenance: dict[str, Any] = {}
    if not recording:
        provenance = interactions_in(path)[0].metadata if interactions_in(path) else {}
    provider = str(options.get("provider") or provenance.get("provider") or "")
    if not provider:
        pytest.fail(f"{path}: say which provider: @pytest.mark.docextract(provider=...)")
    spec_file = _resolve(request.config.rootpath, options.get("spec") or provenance.get("spec"))
    package = options.get("package") or provenance.get("package")
    base_url = options.get("base_url")
    key = ""
    if recording:
        env_var = get_provider(provider).env_var
        key = os.environ.get(env_var, "").strip()
        if not key:
            pytest.fail(f"{RECORD_OPTION} needs the key in {env_var}", pytrace=False)
        base_url = base_url or os.environ.get(get_provider(provider).base_url_env)
    cassette = Cassette(
        path,
        provider,
        recording=recording,
        base_url=base_url,
        spec_file=spec_file,
        package=package,
    )
    yield cassette
    report = request.node.stash.get(_REPORT, None)
    if recording:
        if report is None or not report.passed:
            return
        details = {
            "provider": provider,
            "base_url": cassette.base_url or "",
            "test": request.node.nodeid,
        }
        details.update(
            {k: str(v) for k, v in (("spec", options.get("spec")), ("package", package)) if v}
        )
        try:
            write_cassette(path, cassette.recorder.exchanges, keys=[key], provenance=details)
        except SecretLeakError as exc:
            pytest.fail(f"{path} not written: {exc}", pytrace=False)
        return
    problems = cassette.problems()
    if problems:
        pytest.fail(f"{path}:\n" + "\n".join(problems), pytrace=False)
