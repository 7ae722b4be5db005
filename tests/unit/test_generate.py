"""The build (scripts/generate.py) on specs that make the generator warn or write broken code,
and its exit status on breaking changes, run as a user runs it: the script in a fresh process,
on a copy of the checkout where it must change files."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate.py"


def _generate_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docextract_build_generate", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _generate_module()


def _run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(cwd / "scripts" / "generate.py"), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=cwd,
    )


def _spec(paths: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Drill", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _json_response(ref: str) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{ref}"}
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


# LlamaCloud's real spec (2026-08-20) declares `project_id` of GET /api/v1/projects/{project_id}
# as anyOf[uuid, null]: the generator refuses a nullable path parameter and drops the operation.
NULLABLE_PATH = _spec(
    {
        "/api/v1/projects/{project_id}": {
            "get": {
                "operationId": "get_project",
                "tags": ["projects"],
                "parameters": [
                    {
                        "name": "project_id",
                        "in": "path",
                        "required": True,
                        "schema": {
                            "anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]
                        },
                    }
                ],
                "responses": _json_response("Project"),
            }
        },
        "/api/v1/projects": {
            "get": {
                "operationId": "list_projects",
                "tags": ["projects"],
                "responses": _json_response("Project"),
            }
        },
    },
    {"Project": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}},
)

# What LlamaCloud's real spec does to the generator's `use_path_prefixes_for_title_model_names:
# false`: two inline schemas titled alike ("DataSchema" in two parents) collide; the second
# parent is dropped while a model that refers to it is still written.
TITLE_COLLISION = _spec(
    {
        "/api/v2/extract/{job_id}": {
            "get": {
                "operationId": "get_extract_job",
                "tags": ["extract"],
                "parameters": [
                    {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": _json_response("ExtractV2Job"),
            }
        }
    },
    {
        "ExtractV2Job": {
            "type": "object",
            "required": ["id", "configuration"],
            "properties": {
                "id": {"type": "string"},
                "configuration": {"$ref": "#/components/schemas/ExtractConfiguration"},
                "agent": {"$ref": "#/components/schemas/ExtractAgent"},
            },
        },
        "ExtractAgent": {
            "type": "object",
            "properties": {
                "data_schema": {
                    "title": "DataSchema",
                    "type": "object",
                    "properties": {"kind": {"type": "string"}},
                }
            },
        },
        "ExtractConfiguration": {
            "type": "object",
            "required": ["data_schema"],
            "properties": {
                "data_schema": {
                    "title": "DataSchema",
                    "type": "object",
                    "properties": {"fields": {"type": "integer"}},
                }
            },
        },
    },
)


def _write(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    target = tmp_path / name
    target.write_text(json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data))
    return target


def test_a_generator_warning_is_reported_by_kind_and_operation_not_a_crash(tmp_path: Path) -> None:
    spec = _write(tmp_path, "spec.json", NULLABLE_PATH)
    result = _run("--spec", spec, "--into", tmp_path / "out", "--package", "drill_client")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "endpoint-dropped: GET /api/v1/projects/{project_id}" in result.stderr
    assert "NOT ACCEPTED" in result.stderr
    assert "object at 0x" not in result.stderr


def test_an_accepted_warning_is_matched_by_its_key_and_a_stale_one_fails(tmp_path: Path) -> None:
    spec = _write(tmp_path, "spec.json", NULLABLE_PATH)
    entry = {
        "kind": "endpoint-dropped",
        "operation": "GET /api/v1/projects/{project_id}",
        "reason": "a nullable path parameter",
    }
    config = _write(
        tmp_path, "build.yaml", {"package": "drill_client", "accepted_warnings": [entry]}
    )
    built = _run("--spec", spec, "--into", tmp_path / "out", "--config", config)
    assert built.returncode == 0, built.stderr
    assert "[accepted: a nullable path parameter]" in built.stderr
    assert (tmp_path / "out" / "drill_client" / "api" / "projects" / "list_projects.py").is_file()

    stale = {**entry, "operation": "GET /api/v1/gone"}
    both = {"package": "drill_client", "accepted_warnings": [entry, stale]}
    config = _write(tmp_path, "stale.yaml", both)
    again = _run("--spec", spec, "--into", tmp_path / "again", "--config", config)
    assert again.returncode == 1
    expected = "accepted warning no longer happens, remove it: endpoint-dropped GET /api/v1/gone"
    assert expected in again.stderr


def test_an_entry_matching_message_text_is_refused(tmp_path: Path) -> None:
    spec = _write(tmp_path, "spec.json", NULLABLE_PATH)
    by_text = {"accepted_warnings": [{"match": "UUID", "reason": "r"}]}
    config = _write(tmp_path, "build.yaml", by_text)
    result = _run("--spec", spec, "--into", tmp_path / "out", "--config", config)
    assert result.returncode == 1
    assert "not by message text" in result.stderr


def _accepting(line: str) -> dict[str, str]:
    """The build.yaml entry accepting a warning line `NAME: warning KIND: SUBJECT (...) [...]`."""
    kind, _, rest = line.split(": warning ", 1)[1].partition(": ")
    subject = rest.split(" (")[0].split(" [")[0]
    if kind == "schema-dropped":
        return {"kind": kind, "schema": subject, "reason": "drill"}
    method, path, *status = subject.split(" ")
    entry = {"kind": kind, "operation": f"{method} {path}", "reason": "drill"}
    return {**entry, "status": status[0]} if status else entry


def test_the_post_build_check_names_the_model_the_generator_left_broken(tmp_path: Path) -> None:
    """Even with every warning accepted, a model that refers to a dropped one fails the build."""
    spec = _write(tmp_path, "spec.json", TITLE_COLLISION)
    options = {"use_path_prefixes_for_title_model_names": False}
    probe = _write(tmp_path, "probe.yaml", {"package": "drill_client", "generator": options})
    first = _run("--spec", spec, "--into", tmp_path / "probe", "--config", probe)
    assert first.returncode == 1
    assert "schema-dropped: ExtractConfiguration" in first.stderr
    accepted = [_accepting(line) for line in first.stderr.splitlines() if ": warning " in line]
    assert {
        "kind": "schema-dropped",
        "schema": "ExtractConfiguration",
        "reason": "drill",
    } in accepted
    config = _write(
        tmp_path,
        "build.yaml",
        {"package": "drill_client", "generator": options, "accepted_warnings": accepted},
    )
    result = _run("--spec", spec, "--into", tmp_path / "out", "--config", config)
    assert result.returncode == 1
    assert "the generated package is broken" in result.stderr
    # named when its module is imported (models import the models they refer to at the end of
    # their module: build/templates/model.py.jinja), else on its instance
    assert "model ExtractAgent (drill_client.models.extract_agent" in result.stderr
    assert "ModuleNotFoundError" in result.stderr


def test_the_default_option_keeps_every_schema_of_the_same_spec(tmp_path: Path) -> None:
    spec = _write(tmp_path, "spec.json", TITLE_COLLISION)
    result = _run("--spec", spec, "--into", tmp_path / "out", "--package", "drill_client")
    assert result.returncode == 0, result.stderr
    assert "3 models round-tripped" in result.stdout or "models round-tripped" in result.stdout
    models = {p.stem for p in (tmp_path / "out" / "drill_client" / "models").glob("*.py")}
    assert {
        "extract_v2_job",
        "extract_configuration",
        "extract_configuration_data_schema",
    } <= models


def test_error_level_enum_and_object_addresses_give_a_stable_key() -> None:
    from openapi_python_client.parser.errors import ErrorLevel, ParseError

    error = ParseError(
        detail="Cannot parse response for status code <x.UntrustedString object at 0x7f00ab> "
        "(Unsupported content_type image/jpeg), response will be omitted from generated client",
        level=ErrorLevel.WARNING,
    )
    error.header = "WARNING parsing GET /api/v1/image/{name} within parsing."
    (warning,) = generate.classify_generator_error(error, {"paths": {}})
    assert warning.key == ("response-dropped", "GET /api/v1/image/{name}", None, None)
    assert "0x" not in warning.message


# ---------------------------------------------------------------- breaking changes stop the build


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the build's inputs and outputs in its own git repository."""
    root = tmp_path_factory.mktemp("checkout")
    for folder in ("specs", "scripts", "build", "generated", "overlay"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    return root


def _rename_retab_field(root: Path) -> tuple[Path, str]:
    spec = root / "specs" / "retab" / "openapi.yaml"
    original = spec.read_text()
    document = yaml.safe_load(original)
    schema = document["components"]["schemas"]["RetabParsedChatCompletion"]
    schema["properties"] = {
        ("model_name" if k == "model" else k): v for k, v in schema["properties"].items()
    }
    schema["required"] = ["model_name" if r == "model" else r for r in schema["required"]]
    spec.write_text(yaml.safe_dump(document, sort_keys=False))
    return spec, original


def test_a_breaking_change_fails_and_leaves_generated_as_it_was(checkout: Path) -> None:
    spec, original = _rename_retab_field(checkout)
    model = checkout / "generated" / "retab_client" / "models" / "retab_parsed_chat_completion.py"
    before = model.read_bytes()
    try:
        result = _run("--provider", "retab", cwd=checkout)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "[response-field-removed]" in result.stdout  # the wire report
        assert "RetabParsedChatCompletion.model: attribute model was removed" in result.stdout
        assert "retab: NOT regenerated: " in result.stderr
        assert model.read_bytes() == before

        operation = "POST /v1/projects/extract/{project_id}"
        path = "$.responses.200.application/json.body.model"
        attribute = (
            "retab_client.models.retab_parsed_chat_completion.RetabParsedChatCompletion.model"
        )
        build_yaml = checkout / "specs" / "retab" / "build.yaml"
        config = yaml.safe_load(build_yaml.read_text())
        config["accepted_breaking"] = [
            {"code": "response-field-removed", "operation": operation, "path": path, "reason": "r"},
            {"code": "python-attribute-removed", "object": attribute, "reason": "r"},
        ]
        original_config = build_yaml.read_text()
        build_yaml.write_text(yaml.safe_dump(config, sort_keys=False))
        try:
            accepted = _run("--provider", "retab", cwd=checkout)
        finally:
            build_yaml.write_text(original_config)
        assert accepted.returncode == 0, accepted.stdout + accepted.stderr
        assert "model_name" in model.read_text()
    finally:
        spec.write_text(original)
        assert _run("--provider", "retab", "--accept-breaking", cwd=checkout).returncode == 0


def test_accept_breaking_regenerates_and_check_stays_strict(checkout: Path) -> None:
    spec, original = _rename_retab_field(checkout)
    try:
        assert _run("--provider", "retab", "--check", cwd=checkout).returncode == 1
        result = _run("--provider", "retab", "--accept-breaking", cwd=checkout)
        assert result.returncode == 0, result.stderr
        assert "retab: generated generated/retab_client" in result.stdout
        assert _run("--provider", "retab", "--check", cwd=checkout).returncode == 0
    finally:
        spec.write_text(original)
        assert _run("--provider", "retab", "--accept-breaking", cwd=checkout).returncode == 0


def test_docextract_generate_exits_non_zero_on_a_breaking_change(checkout: Path) -> None:
    spec, original = _rename_retab_field(checkout)
    command = [sys.executable, "-m", "docextract", "generate", "--provider", "retab"]
    try:
        refused = subprocess.run(
            command, cwd=checkout, capture_output=True, text=True, check=False, timeout=300
        )
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert "retab: NOT regenerated" in refused.stderr
        accepted = subprocess.run(
            [*command, "--accept-breaking"],
            cwd=checkout,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    finally:
        spec.write_text(original)
        assert _run("--provider", "retab", "--accept-breaking", cwd=checkout).returncode == 0


UPSTREAM = ROOT.parent / "shared" / "upstream" / "llamacloud" / "openapi-2026-08-20.json"


@pytest.mark.skipif(not UPSTREAM.is_file(), reason=f"needs the published spec at {UPSTREAM}")
def test_the_whole_published_llamacloud_spec_builds(tmp_path: Path) -> None:
    """All 157 paths, no subset: every model round-trips; only the two operations the
    generator cannot express (a nullable path parameter) are left out, as build.yaml says."""
    config = ROOT / "build" / "full" / "llamacloud.build.yaml"
    result = _run("--spec", UPSTREAM, "--config", config, "--into", tmp_path / "full")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "llamacloud_full_client built in" in result.stdout
    assert "544 models round-tripped, 2 accepted warning(s)" in result.stdout
    package = tmp_path / "full" / "llamacloud_full_client"
    assert (package / "api" / "v2" / "create_extract_job_api_v2_extract_post.py").is_file()
    assert (package / "models" / "extract_configuration.py").is_file()


def test_a_partial_spec_example_is_a_note_and_the_instance_decides(tmp_path: Path) -> None:
    spec = json.loads(json.dumps(NULLABLE_PATH))
    del spec["paths"]["/api/v1/projects/{project_id}"]
    spec["components"]["schemas"]["Project"]["example"] = {"name": "no id"}  # lacks required id
    result = _run("--spec", _write(tmp_path, "s.json", spec), "--into", tmp_path / "o")
    assert result.returncode == 0, result.stderr
    assert "note: the spec's example of Project fails: KeyError: 'id'" in result.stderr
