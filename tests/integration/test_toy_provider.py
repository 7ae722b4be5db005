"""Adding a provider is a spec, its build.yaml, one adapter module and its sandbox routes.

A fifth, toy provider (tests/integration/toy/) is built from its tiny spec in a temporary
directory, its adapter and routes are registered from there, and a job goes submit -> wait ->
extract through docextract's generic modules, the CLI and a generated call included. No file of
the project is written or changed: the test checks that too.
"""

import hashlib
import importlib.util
import io
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from docextract import clients, extraction, jobs
from docextract.cli import main
from docextract.errors import NotFound
from docextract.providers import PROVIDERS, register
from docextract.sandbox import Sandbox, SandboxConfig, routing, running_sandbox
from docextract.waiting import PollPolicy

ROOT = Path(__file__).resolve().parents[2]
TOY = Path(__file__).resolve().parent / "toy"
KEY = "toy-sandbox-key"
POLL = PollPolicy(initial=0.01, maximum=0.05)
WATCHED = ("overlay", "generated", "specs", "build", "scripts")


def _tree(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in WATCHED
        for path in sorted((root / folder).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it runs
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """The toy provider built, registered, and served by a sandbox; all undone afterwards."""
    before = _tree(ROOT)
    tmp = tmp_path_factory.mktemp("toy")
    (tmp / "specs" / "toy").mkdir(parents=True)
    for name in ("openapi.yaml", "build.yaml"):
        shutil.copy(TOY / name, tmp / "specs" / "toy" / name)
    (tmp / "adapters").mkdir()
    for name in ("toy_adapter.py", "toy_routes.py"):
        shutil.copy(TOY / name, tmp / "adapters" / name)

    generate = _load(ROOT / "scripts" / "generate.py", "docextract_build_for_toy")
    folder = tmp / "specs" / "toy"
    build = generate.ProviderBuild.from_files(
        "toy", folder / "openapi.yaml", folder / "build.yaml", None
    )
    generate.build_into(build, tmp / "generated" / "toy_client")

    sys.path[:0] = [str(tmp / "generated"), str(tmp / "adapters")]
    adapter = importlib.import_module("toy_adapter")
    register(adapter.PROVIDER)
    routing.register_routes("toy", importlib.import_module("toy_routes").routes)
    try:
        with running_sandbox(SandboxConfig(api_key=KEY, step_seconds=0.02)) as sandbox:
            yield sandbox
    finally:
        PROVIDERS.pop("toy", None)
        routing._REGISTERED.pop("toy", None)
        for name in [m for m in sys.modules if m.split(".")[0] in ("toy_client", "toy_adapter")]:
            del sys.modules[name]
        sys.modules.pop("toy_routes", None)
        sys.modules.pop("docextract_build_for_toy", None)
        sys.path[:] = [p for p in sys.path if not p.startswith(str(tmp))]
    assert _tree(ROOT) == before, "adding the toy provider changed a file of the project"


def test_the_build_makes_a_typed_package(toy: Sandbox) -> None:
    package = Path(importlib.import_module("toy_client").__file__ or "").parent
    assert (package / "py.typed").is_file()
    assert (package / "spec_facts.py").is_file()


def test_submit_then_wait(toy: Sandbox) -> None:
    with clients.client("toy", api_key=KEY, base_url=toy.base_url("toy")) as api:
        job = jobs.submit(
            "toy", "extract", client=api, document="alpha beta gamma", temperature=0.5
        )
        result = jobs.wait(job, client=api, timeout="10s", poll=POLL)

    assert job.provider == "toy"
    assert str(result.status) == "done"
    assert result.result.to_dict() == {"first_word": "alpha", "words": 3}


def test_extract(toy: Sandbox) -> None:
    result = extraction.extract(
        b"hello toy world",
        provider="toy",  # type: ignore[arg-type]  # registered at run time: a plain str
        api_key=KEY,
        base_url=toy.base_url("toy"),
        timeout="10s",
        poll=POLL,
    )

    assert result.provider == "toy"
    assert result.data == {"first_word": "hello", "words": 3}
    assert result.usage == {"words": 3}
    assert result.status == "done"


def test_a_bad_parameter_is_refused_by_the_spec_before_any_request(toy: Sandbox) -> None:
    from docextract.errors import InvalidParameter

    with clients.client("toy", api_key=KEY, base_url=toy.base_url("toy")) as api:
        before = toy.stats().requests
        with pytest.raises(InvalidParameter, match="temperature"):
            jobs.submit("toy", "extract", client=api, document="x", temperature=3.0)
        assert toy.stats().requests == before


def test_a_generated_call_raises(toy: Sandbox) -> None:
    get_job = importlib.import_module("toy_client.api.jobs.get_job")

    with (
        clients.client("toy", api_key=KEY, base_url=toy.base_url("toy")) as api,
        pytest.raises(NotFound) as raised,
    ):
        get_job.sync_detailed("no-such-job", client=api)

    assert (raised.value.provider, raised.value.operation) == ("toy", "get_job")


def test_the_cli_knows_it(toy: Sandbox) -> None:
    with clients.client("toy", api_key=KEY, base_url=toy.base_url("toy")) as api:
        job = jobs.submit("toy", "extract", client=api, document="one two")
        jobs.wait(job, client=api, timeout="10s", poll=POLL)

    out = io.StringIO()
    argv = ["jobs", "status", "toy", job.id, "--json", "--api-key", KEY]
    code = main([*argv, "--base-url", toy.base_url("toy")], out=out)

    assert code == 0
    assert json.loads(out.getvalue())["status"] == "done"
