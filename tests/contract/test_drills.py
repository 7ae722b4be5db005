"""Drill tests: a copy of each vendored spec is changed the way a provider might change its API,
the client is regenerated from the copy into a temporary place with the build's own code
(scripts/generate.py `build_into`, under another package name), and the spec change report
(docextract.spec_diff) and the contract checks (run against the changed copy and the regenerated
package) must say exactly what the change means: no more, no less.

Three drills for each provider:

1. rename a required response field the fixtures carry: the report has the breaking
   `response-field-removed` (with the rename hint) and the non-breaking `response-field-added` for
   every operation answering the schema; checks 1 and 2 of the recorded answers of those operations
   fail naming the field; every other interaction still passes checks 1 to 3;
2. add a status (enum) value: one non-breaking `*-enum-value-added` per place the enum appears;
   the regenerated enum has the new member; every interaction still passes checks 1 to 3;
3. add a required query parameter to one operation: one breaking
   `request-parameter-added-required`; the regenerated function requires the argument; every
   interaction of the other operations (and the answers of the changed one) still pass, and check
   3 fails on the changed operation's recorded requests, naming the parameter.

Each (provider, drill) is regenerated once per module (about 1.5 s each).
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import inspect
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
import yaml
from pytest_httpserver import HTTPServer

from contract.cassettes import Interaction, all_interactions
from contract.replay import check_request
from docextract import spec_diff
from docextract.contract.checks import check_model, check_schema, locate
from docextract.contract.specs import PROVIDERS, ROOT, SPECS, ProviderSpec

GENERATED = ROOT / "generated"
BODY = "$.responses.200.application/json.body"
PARAMETER = "region"  # the required query parameter drill 3 adds

Doc = dict[str, Any]
Expected = set[tuple[str, str, str, str]]  # (kind, code, operation, path)


# ---------------------------------------------------------------- the changes


def _schema(doc: Doc, name: str) -> Doc:
    schema: Doc = doc["components"]["schemas"][name]
    return schema


def rename_field(schema_name: str, old: str, new: str) -> Callable[[Doc], None]:
    """Rename a required property of a component schema (its place in `required` too)."""

    def change(doc: Doc) -> None:
        schema = _schema(doc, schema_name)
        assert old in schema["properties"], "the drill is stale"
        assert old in schema["required"], "the drill is stale"
        schema["properties"] = {
            (new if name == old else name): node for name, node in schema["properties"].items()
        }
        schema["required"] = [new if name == old else name for name in schema["required"]]

    return change


def add_required_query_parameter(path: str, method: str) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        operation = doc["paths"][path][method]
        operation.setdefault("parameters", []).append(
            {
                "name": PARAMETER,
                "in": "query",
                "required": True,
                "description": "The region that holds the job (a drill).",
                "schema": {"type": "string"},
            }
        )

    return change


def _numind_status_example(doc: Doc) -> None:
    job_status = _schema(doc, "JobStatus")
    assert "enum" not in job_status, "NuMind now enumerates job statuses: drill the enum instead"
    job_status["examples"].append("queued")


def _llamacloud_tier(doc: Doc) -> None:
    # the job's status is a free string in the published spec; the tier is an enum
    _schema(doc, "ExtractConfiguration")["properties"]["tier"]["enum"].append("turbo")


def _retab_service_tier(doc: Doc) -> None:
    tier = _schema(doc, "RetabParsedChatCompletion")["properties"]["service_tier"]
    (values,) = [variant for variant in tier["anyOf"] if "enum" in variant]
    values["enum"].append("turbo")


def _contextual_status(doc: Doc) -> None:
    _schema(doc, "DocumentStatusEnum")["enum"].append("queued")


# ---------------------------------------------------------------- what each drill should give


@dataclass(frozen=True)
class Rename:
    change: Callable[[Doc], None]
    old: str
    new: str
    # operationId -> where the renamed schema sits in its 200 answer: "$" or the name of the
    # top-level array holding it
    answers: dict[str, str]
    report: Expected


@dataclass(frozen=True)
class EnumValue:
    change: Callable[[Doc], None]
    value: str
    enum_class: str | None  # in <package>.models; None: the spec has no enum to grow
    report: Expected


@dataclass(frozen=True)
class RequiredParameter:
    change: Callable[[Doc], None]
    operation_id: str
    report: Expected


@dataclass(frozen=True)
class Drills:
    rename: Rename
    enum: EnumValue
    parameter: RequiredParameter


def _renamed(operations: dict[str, str], old: str, new: str) -> Expected:
    """The two changes of a renamed response field, per operation (label -> body path)."""
    expected: Expected = set()
    for label, body in operations.items():
        expected.add(("breaking", "response-field-removed", label, f"{body}.{old}"))
        expected.add(("non-breaking", "response-field-added", label, f"{body}.{new}"))
    return expected


def _enum_added(operations: dict[str, str]) -> Expected:
    return {
        ("non-breaking", "response-enum-value-added", label, path)
        for label, path in operations.items()
    }


def _parameter_added(label: str) -> Expected:
    path = f"$.parameters.query.{PARAMETER}"
    return {("breaking", "request-parameter-added-required", label, path)}


DRILLS: dict[str, Drills] = {
    "numind": Drills(
        rename=Rename(
            rename_field("JobStatusResponse", "status", "state"),
            "status",
            "state",
            {"get_api_jobs_jobid_status": "$", "post_api_jobs_jobid_cancel": "$"},
            _renamed(
                {"GET /api/jobs/{jobId}/status": BODY, "POST /api/jobs/{jobId}/cancel": BODY},
                "status",
                "state",
            ),
        ),
        # NuMind's spec has no enum at all: JobStatus is a free string whose known values are
        # listed as `examples`. The closest drill adds a status there: no client-visible change.
        enum=EnumValue(_numind_status_example, "queued", None, set()),
        parameter=RequiredParameter(
            add_required_query_parameter("/api/jobs/{jobId}/status", "get"),
            "get_api_jobs_jobid_status",
            _parameter_added("GET /api/jobs/{jobId}/status"),
        ),
    ),
    "llamacloud": Drills(
        rename=Rename(
            rename_field("ExtractV2Job", "status", "state"),
            "status",
            "state",
            {
                "create_extract_job": "$",
                "get_extract_job": "$",
                "cancel_extract_job": "$",
                "list_extract_jobs": "items",
            },
            _renamed(
                {
                    "POST /api/v2/extract": BODY,
                    "GET /api/v2/extract": f"{BODY}.items[]",
                    "GET /api/v2/extract/{job_id}": BODY,
                    "POST /api/v2/extract/{job_id}/cancel": BODY,
                },
                "status",
                "state",
            ),
        ),
        enum=EnumValue(
            _llamacloud_tier,
            "turbo",
            "ExtractConfigurationTier",
            _enum_added(
                {
                    "POST /api/v2/extract": f"{BODY}.configuration.tier",
                    "GET /api/v2/extract": f"{BODY}.items[].configuration.tier",
                    "GET /api/v2/extract/{job_id}": f"{BODY}.configuration.tier",
                    "POST /api/v2/extract/{job_id}/cancel": f"{BODY}.configuration.tier",
                }
            )
            # the configuration is also the create body's
            | {
                (
                    "non-breaking",
                    "request-enum-value-added",
                    "POST /api/v2/extract",
                    "$.requestBody.application/json.body.configuration.tier",
                )
            },
        ),
        parameter=RequiredParameter(
            add_required_query_parameter("/api/v2/extract/{job_id}", "get"),
            "get_extract_job",
            _parameter_added("GET /api/v2/extract/{job_id}"),
        ),
    ),
    "retab": Drills(
        rename=Rename(
            rename_field("RetabParsedChatCompletion", "model", "model_name"),
            "model",
            "model_name",
            {"extract_project": "$"},
            _renamed({"POST /v1/projects/extract/{project_id}": BODY}, "model", "model_name"),
        ),
        # Retab has no job status (the call is synchronous) and `finish_reason` is a free string:
        # the closest enum is the answer's `service_tier`.
        enum=EnumValue(
            _retab_service_tier,
            "turbo",
            "RetabParsedChatCompletionServiceTierType0",
            _enum_added({"POST /v1/projects/extract/{project_id}": f"{BODY}.service_tier"}),
        ),
        parameter=RequiredParameter(
            add_required_query_parameter("/v1/projects/extract/{project_id}", "post"),
            "extract_project",
            _parameter_added("POST /v1/projects/extract/{project_id}"),
        ),
    ),
    "contextual": Drills(
        rename=Rename(
            rename_field("ExtractJobStatusResponse", "completion_percentage", "progress"),
            "completion_percentage",
            "progress",
            {"get_extraction_job_status_extract_jobs__job_id__get": "$"},
            _renamed({"GET /extract/jobs/{job_id}": BODY}, "completion_percentage", "progress"),
        ),
        enum=EnumValue(
            _contextual_status,
            "queued",
            "DocumentStatusEnum",
            _enum_added(
                {
                    "POST /extract/jobs": f"{BODY}.status",
                    "GET /extract/jobs/{job_id}": f"{BODY}.status",
                }
            ),
        ),
        parameter=RequiredParameter(
            add_required_query_parameter("/extract/jobs/{job_id}", "get"),
            "get_extraction_job_status_extract_jobs__job_id__get",
            _parameter_added("GET /extract/jobs/{job_id}"),
        ),
    ),
}


# ---------------------------------------------------------------- copies and regeneration


@dataclass(frozen=True)
class Drilled:
    """A changed copy of a provider's spec and the package regenerated from it."""

    provider: str
    original: Path
    spec_file: Path
    package: str
    spec: ProviderSpec  # the contract tests' view of the copy and of the regenerated package

    def module(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self.package}.{name}")

    @property
    def folder(self) -> Path:
        return Path(importlib.import_module(self.package).__file__ or "").parent

    def report(self) -> spec_diff.Report:
        return spec_diff.diff_specs(
            spec_diff.load_spec(self.original), spec_diff.load_spec(self.spec_file)
        )


@pytest.fixture(scope="module")
def generate() -> Iterator[ModuleType]:
    """scripts/generate.py, the build itself, imported as a module."""
    name = "_docextract_build_generate"
    loaded = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "generate.py")
    assert loaded is not None
    assert loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    sys.modules[name] = module  # dataclasses look their module up while the class is created
    loaded.loader.exec_module(module)
    yield module
    del sys.modules[name]


def copy_spec(provider: str, target: Path, change: Callable[[Doc], None] | None = None) -> Path:
    doc: Doc = yaml.safe_load((SPECS / provider / "openapi.yaml").read_text(encoding="utf-8"))
    if change is not None:
        change(doc)
    target.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def drill(
    generate: ModuleType, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str, str], Drilled]]:
    """`drill(provider, kind)`: the drilled copy and its regenerated package, built on first use.

    The packages (`drill_<provider>_<kind>_client`) are importable beside the installed clients
    while the module runs; the path entry and the modules are removed afterwards."""
    root = tmp_path_factory.mktemp("drills")
    packages = root / "packages"
    packages.mkdir()
    sys.path.insert(0, str(packages))
    built: dict[tuple[str, str], Drilled] = {}

    def get(provider: str, kind: str) -> Drilled:
        if (provider, kind) not in built:
            change = getattr(DRILLS[provider], kind).change
            spec_file = copy_spec(provider, root / f"{provider}-{kind}.yaml", change)
            package = f"drill_{provider}_{kind}_client"
            build = dataclasses.replace(
                generate.ProviderBuild.load(provider), spec=spec_file, package=package
            )
            generate.build_into(build, packages / package)
            importlib.invalidate_caches()
            original = SPECS / provider / "openapi.yaml"
            spec = ProviderSpec(provider, spec_file=spec_file, package=package)
            built[provider, kind] = Drilled(provider, original, spec_file, package, spec)
        return built[provider, kind]

    yield get

    sys.path.remove(str(packages))
    ours = {drilled.package for drilled in built.values()}
    for name in [name for name in sys.modules if name.split(".", 1)[0] in ours]:
        del sys.modules[name]


# ---------------------------------------------------------------- running the checks


def interactions(provider: str) -> list[Interaction]:
    return [i for i in all_interactions() if i.provider == provider]


def operation_of(interaction: Interaction) -> str:
    return locate(interaction).op.operation_id


def triples(report: spec_diff.Report) -> Expected:
    return {(c.kind, c.code, c.operation or "", c.path) for c in report.changes}


def exit_code(drilled: Drilled, capsys: pytest.CaptureFixture[str]) -> int:
    code = spec_diff.main([str(drilled.original), str(drilled.spec_file)])
    capsys.readouterr()
    return code


def failures(
    chosen: list[Interaction],
    drilled: Drilled,
    server: HTTPServer | None,
    checks: tuple[int, ...] = (1, 2, 3),
) -> dict[str, list[str]]:
    """`check N <interaction>` -> problems, for every check that finds any."""
    out: dict[str, list[str]] = {}
    for interaction in chosen:
        for number in checks:
            if number == 1:
                problems = check_schema(interaction, drilled.spec).problems
            elif number == 2:
                problems = check_model(interaction, drilled.spec)
            else:
                assert server is not None
                server.clear()  # check_request reads the first request the server logged
                problems = check_request(interaction, server, drilled.spec)
            if problems:
                out[f"check {number} {interaction.test_id}"] = problems
    return out


def vendored(provider: str) -> Drilled:
    """The vendored spec and the installed client, seen as a drill that changed nothing."""
    spec = ProviderSpec(provider)
    original = SPECS / provider / "openapi.yaml"
    return Drilled(provider, original, original, spec.package, spec)


# ---------------------------------------------------------------- the copy itself


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_unchanged_copy_reports_nothing(provider: str, tmp_path: Path) -> None:
    """The drills' copies are YAML round trips: the round trip alone is no change."""
    copy = copy_spec(provider, tmp_path / "openapi.yaml")
    original = spec_diff.load_spec(SPECS / provider / "openapi.yaml")
    assert spec_diff.diff_specs(original, spec_diff.load_spec(copy)).changes == []


# ---------------------------------------------------------------- drill 1: a renamed field


@pytest.mark.parametrize("provider", PROVIDERS)
def test_renamed_response_field_is_reported_as_breaking_with_the_rename_hint(
    provider: str, drill: Callable[[str, str], Drilled], capsys: pytest.CaptureFixture[str]
) -> None:
    """NuMind JobStatusResponse status->state, LlamaCloud ExtractV2Job status->state, Retab
    RetabParsedChatCompletion model->model_name, Contextual ExtractJobStatusResponse
    completion_percentage->progress: removed (breaking) and added, at every operation answering
    the schema (LlamaCloud's list at `items[]`)."""
    expected = DRILLS[provider].rename
    drilled = drill(provider, "rename")
    report = drilled.report()

    assert triples(report) == expected.report
    assert len(report.changes) == len(expected.report)
    old, new = expected.old, expected.new
    messages = {
        "response-field-removed": f"response field '{old}' was removed"
        f" (probably renamed to '{new}')",
        "response-field-added": f"response field '{new}' was added (probably renamed from '{old}')",
    }
    for change in report.changes:
        assert change.message == messages[change.code]
    assert exit_code(drilled, capsys) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
def test_renamed_response_field_fails_checks_1_and_2_of_its_answers_only(
    provider: str, drill: Callable[[str, str], Drilled], httpserver: HTTPServer
) -> None:
    """Against the drilled spec and the regenerated package, the recorded 200 answers that carry
    the schema fail check 1 (the new name missing, at its JSON path) and check 2 (the regenerated
    model cannot parse them without the new required key); nothing else fails, check 3 included."""
    expected = DRILLS[provider].rename
    drilled = drill(provider, "rename")
    everything = interactions(provider)
    affected = [
        i for i in everything if operation_of(i) in expected.answers and i.response.status == 200
    ]
    assert {operation_of(i) for i in affected} == set(expected.answers), "fixtures missing"

    wanted: dict[str, list[str]] = {}
    for interaction in affected:
        body = json.loads(interaction.response.body)
        where = expected.answers[operation_of(interaction)]
        holders = ["$"] if where == "$" else [f"$.{where}[{n}]" for n in range(len(body[where]))]
        assert holders, f"{interaction.test_id}: no answer carries the schema"
        missing = [f"{holder}.{expected.new}: required property missing" for holder in holders]
        wanted[f"check 1 {interaction.test_id}"] = sorted(missing)
        wanted[f"check 2 {interaction.test_id}"] = [
            f"the generated client cannot parse it: KeyError: '{expected.new}'"
        ]
    assert failures(everything, drilled, httpserver) == wanted
    # The same answers pass against the vendored spec and the installed client.
    assert failures(affected, vendored(provider), server=None, checks=(1, 2)) == {}


# ---------------------------------------------------------------- drill 2: a new enum value


@pytest.mark.parametrize("provider", PROVIDERS)
def test_added_enum_value_is_reported_once_per_place_and_not_as_breaking(
    provider: str, drill: Callable[[str, str], Drilled], capsys: pytest.CaptureFixture[str]
) -> None:
    """LlamaCloud ExtractConfiguration.tier + turbo (four answers and the create body),
    Contextual DocumentStatusEnum + queued (two answers). Retab has no status enum
    and its `finish_reason` is a free string: the closest enum, `service_tier`, gets `turbo`.
    NuMind has no enum at all (JobStatus is a free string with examples): adding `queued` to the
    examples is no change a client can notice, so the report is empty."""
    expected = DRILLS[provider].enum
    drilled = drill(provider, "enum")
    report = drilled.report()

    assert triples(report) == expected.report
    assert len(report.changes) == len(expected.report)
    assert report.breaking == []
    for change in report.changes:
        assert change.new == [expected.value]
    assert exit_code(drilled, capsys) == 0


@pytest.mark.parametrize("provider", PROVIDERS)
def test_added_enum_value_is_a_member_of_the_regenerated_enum(
    provider: str, drill: Callable[[str, str], Drilled], generate: ModuleType
) -> None:
    """The regenerated enum lists the new value (the installed one parses it as an unknown
    member). NuMind: no enum class either way; the regenerated models and endpoints are the
    installed ones, byte for byte, and the status stays a `str`."""
    expected = DRILLS[provider].enum
    drilled = drill(provider, "enum")
    if expected.enum_class is None:
        for part in ("models", "api"):
            regenerated_files = generate.tree_files(drilled.folder / part)
            assert regenerated_files == generate.tree_files(GENERATED / f"{provider}_client" / part)
        model = drilled.module("models").JobStatusResponse
        assert attrs.fields(model).status.type == "str"
        return
    regenerated = getattr(drilled.module("models"), expected.enum_class)
    installed = getattr(importlib.import_module(f"{provider}_client.models"), expected.enum_class)
    assert set(regenerated.__members__) == set(installed.__members__) | {expected.value.upper()}
    assert regenerated[expected.value.upper()].value == expected.value
    assert regenerated(expected.value).is_known
    assert not installed(expected.value).is_known


@pytest.mark.parametrize("provider", PROVIDERS)
def test_added_enum_value_leaves_every_contract_check_passing(
    provider: str, drill: Callable[[str, str], Drilled], httpserver: HTTPServer
) -> None:
    """Checks 1 to 3 of every recorded interaction of the provider, against the drilled spec and
    the regenerated package."""
    drilled = drill(provider, "enum")
    assert failures(interactions(provider), drilled, httpserver) == {}


# ---------------------------------------------------------------- drill 3: a required parameter


@pytest.mark.parametrize("provider", PROVIDERS)
def test_added_required_query_parameter_is_reported_as_breaking(
    provider: str, drill: Callable[[str, str], Drilled], capsys: pytest.CaptureFixture[str]
) -> None:
    """NuMind get_api_jobs_jobid_status, LlamaCloud get_extract_job, Retab extract_project,
    Contextual get_extraction_job_status_...: `region` (string, required, in the query)."""
    expected = DRILLS[provider].parameter
    drilled = drill(provider, "parameter")
    report = drilled.report()

    assert triples(report) == expected.report
    assert len(report.changes) == 1
    assert report.changes[0].message == f"required query parameter '{PARAMETER}' was added"
    assert exit_code(drilled, capsys) == 1


@pytest.mark.parametrize("provider", PROVIDERS)
def test_added_required_query_parameter_is_required_by_the_regenerated_function(
    provider: str, drill: Callable[[str, str], Drilled]
) -> None:
    expected = DRILLS[provider].parameter
    drilled = drill(provider, "parameter")
    facts = drilled.spec.operations[expected.operation_id].facts
    regenerated = importlib.import_module(facts["module"])
    installed = importlib.import_module(
        facts["module"].replace(drilled.package, f"{provider}_client", 1)
    )

    for function in ("sync_detailed", "sync", "asyncio_detailed", "asyncio", "_get_kwargs"):
        if not hasattr(regenerated, function):
            continue
        parameter = inspect.signature(getattr(regenerated, function)).parameters[PARAMETER]
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, function
        assert parameter.default is inspect.Parameter.empty, function
        assert parameter.annotation in (str, "str"), function
        assert PARAMETER not in inspect.signature(getattr(installed, function)).parameters
    assert facts["parameters"][PARAMETER] == {
        "name": PARAMETER,
        "in": "query",
        "type": "string",
        "required": True,
        "nullable": False,
    }


@pytest.mark.parametrize("provider", PROVIDERS)
def test_added_required_query_parameter_leaves_the_other_operations_passing(
    provider: str, drill: Callable[[str, str], Drilled], httpserver: HTTPServer
) -> None:
    """Checks 1 to 3 of every interaction of the other operations, and checks 1 and 2 (the
    answers, unchanged) of the drilled operation's, pass against the drilled spec and package.
    Retab has a single operation: only the latter applies."""
    drilled = drill(provider, "parameter")
    target = DRILLS[provider].parameter.operation_id
    everything = interactions(provider)
    own = [i for i in everything if operation_of(i) == target]
    others = [i for i in everything if operation_of(i) != target]
    assert own, "no fixture of the drilled operation"

    assert failures(others, drilled, httpserver) == {}
    assert failures(own, drilled, httpserver, checks=(1, 2)) == {}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_added_required_query_parameter_fails_check_3_naming_it(
    provider: str, drill: Callable[[str, str], Drilled], httpserver: HTTPServer
) -> None:
    """Replaying the drilled operation's recorded requests through the regenerated client should
    fail, naming the parameter the recordings do not carry."""
    drilled = drill(provider, "parameter")
    target = DRILLS[provider].parameter.operation_id
    own = [i for i in interactions(provider) if operation_of(i) == target]
    found = failures(own, drilled, httpserver, checks=(3,))

    assert set(found) == {f"check 3 {i.test_id}" for i in own}
    for problems in found.values():
        assert any(PARAMETER in problem for problem in problems), problems


# ---------------------------------------------------------------- real-shaped pairs, both levels
# The spec pairs of tests/unit/data/spec_diff/drills (fragments of LlamaCloud's published spec):
# each side is built into a client with the build's own code, and the Python API report of old
# -> new (docextract.api_diff) must be exactly the recorded one; the build's verdict (does
# `generate` stop?) follows from the wire report and the Python API report together.

SPEC_DRILLS = ROOT / "tests" / "unit" / "data" / "spec_diff" / "drills"
SPEC_DRILL_EXPECTED: dict[str, Any] = json.loads((SPEC_DRILLS / "expected.json").read_text())


@pytest.mark.parametrize("name", sorted(SPEC_DRILL_EXPECTED))
def test_spec_drill_python_api_report_and_build_verdict(
    name: str, generate: ModuleType, tmp_path: Path
) -> None:
    from docextract.api_diff import diff_packages

    expected = SPEC_DRILL_EXPECTED[name]
    builds = {}
    for side in ("old", "new"):
        spec_file = SPEC_DRILLS / f"{name}.{side}.json"
        build = generate.ProviderBuild.from_files(name, spec_file, None, "drill_client")
        generate.build_into(build, tmp_path / side / "drill_client")
        builds[side] = build
    api = diff_packages(tmp_path / "old", tmp_path / "new", "drill_client")
    assert [change.to_json() for change in api.changes] == expected["python"]

    old_spec = spec_diff.load_spec(SPEC_DRILLS / f"{name}.old.json")
    wire = spec_diff.diff_specs(old_spec, spec_diff.load_spec(SPEC_DRILLS / f"{name}.new.json"))
    assert [change.to_json() for change in wire.changes] == expected["changes"]
    refused = generate.unaccepted_breaking(builds["new"], wire, api)
    assert (1 if refused else 0) == expected["generate_exit"]


def test_spec_drills_split_the_wire_from_the_python_api() -> None:
    """Respellings the wire does not see still break Python code: a renamed schema renames its
    class, contentMediaType turns a File field into str, an enum opened changes the type."""
    wire_only_safe = {
        name
        for name, expected in SPEC_DRILL_EXPECTED.items()
        if expected["exit"] == 0 and expected["generate_exit"] == 1
    }
    assert wire_only_safe == {
        "binary_to_content_media_type",
        "enum_opened",
        "open_enum_value_removed",
        "schema_renamed",
        "union_member_renamed",
        "union_refactored_through_ref",
    }
    binary = SPEC_DRILL_EXPECTED["binary_to_content_media_type"]["python"]
    assert [(c["code"], c["message"]) for c in binary] == [
        ("python-attribute-type-changed", "type changed: File -> str")
    ]
