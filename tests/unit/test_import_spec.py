"""scripts/import_spec.py: the upstream stage. A small real-shaped upstream document shows what
is kept, renamed, replaced and refused; the provider's real 157-path document (when the shared
evidence folder is there) shows that the vendored LlamaCloud spec is exactly its import."""

import copy
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM = ROOT.parent / "shared" / "upstream" / "llamacloud" / "openapi-2026-08-20.json"


@pytest.fixture(scope="module")
def importer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "import_spec", ROOT / "scripts" / "import_spec.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_spec"] = module
    spec.loader.exec_module(module)
    return module


NULLABLE_UUID = {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]}
UPSTREAM_DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Platform", "version": "0.1.0"},
    "servers": [{"url": "https://api.example.invalid"}],
    "paths": {
        "/api/v2/extract": {
            "post": {
                "tags": ["V2", "Extract"],
                "summary": "Create Extract Job",
                "description": "The provider's long prose.",
                "operationId": "create_extract_job_api_v2_extract_post",
                "security": [{"HTTPBearer": []}],
                "parameters": [
                    {"name": "project_id", "in": "query", "required": False,
                     "schema": {**NULLABLE_UUID, "title": "Project Id"}},
                    {"name": "session", "in": "cookie", "required": False,
                     "schema": {"type": "string"}},
                ],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/JobCreate"}}}},
                "responses": {"200": {"description": "Successful Response", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}}},
            }
        },
        "/api/v1/files": {
            "post": {
                "tags": ["Beta", "Files"],
                "operationId": "upload_file_api_v1_files_post",
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                    "$ref": "#/components/schemas/Body_upload_file_api_v1_files_post"}}}},
                "responses": {"201": {"description": "Successful Response"}},
            }
        },
        "/api/v1/unrelated": {"get": {"operationId": "unrelated", "responses": {}}},
    },
    "components": {
        "securitySchemes": {"HTTPBearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "JobCreate": {
                "type": "object", "title": "JobCreate", "description": "Prose.",
                "required": ["file_input"],
                "properties": {
                    "file_input": {"type": "string", "maxLength": 200, "title": "File Input",
                                   "description": "Prose.", "examples": ["dfl-1"]},
                    "tier": {"type": "string", "enum": ["a", "b"], "default": "a"},
                    "title": {"type": "string", "description": "A field named title."},
                },
            },
            "Job": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"}, "status": {"type": "string"}}},
            "Body_upload_file_api_v1_files_post": {"type": "object", "required": ["file"],
                "properties": {"file": {"type": "string",
                                        "contentMediaType": "application/octet-stream"}}},
            "Unused": {"type": "object"},
        },
    },
}  # fmt: skip
BUILD: dict[str, Any] = {
    "upstream": {
        "published": "2026-08-20",
        "tags": {"Extract": "extract", "Files": "files"},
        "schemas": {"Body_upload_file_api_v1_files_post": "FileUploadForm"},
    },
    "operations": {"create_job": "POST /api/v2/extract", "upload_file": "POST /api/v1/files"},
}
OURS: dict[str, Any] = {
    "info": {"title": "Ours", "version": "old", "x-source": [{"reference": "seed"}]},
    "tags": [{"name": "extract", "description": "Our words about extraction."}],
    "paths": {
        "/api/v2/extract": {
            "post": {
                "operationId": "create_job",
                "summary": "Create a job",
                "description": "Our description.",
                "parameters": [{"name": "project_id", "in": "query", "description": "Ours."}],
                "requestBody": {"content": {"application/json": {"examples": {
                    "seed": {"value": {"file_input": "dfl-1"}}}}}},
            }
        }
    },
    "components": {"schemas": {"JobCreate": {"description": "Our job.", "properties": {
        "file_input": {"description": "Our field words."}}}}},
}  # fmt: skip


def run_import(importer: ModuleType, current: dict[str, Any] | None = OURS) -> dict[str, Any]:
    document: dict[str, Any] = importer.import_spec(
        copy.deepcopy(UPSTREAM_DOC), BUILD, copy.deepcopy(current), source="up.json", digest="d"
    )
    return document


def test_keeps_only_what_the_operations_reach_under_our_names(importer: ModuleType) -> None:
    document = run_import(importer)
    assert list(document["paths"]) == ["/api/v2/extract", "/api/v1/files"]
    create = document["paths"]["/api/v2/extract"]["post"]
    assert create["operationId"] == "create_job"
    assert create["tags"] == ["extract"]
    assert document["paths"]["/api/v1/files"]["post"]["tags"] == ["files"]
    assert sorted(document["components"]["schemas"]) == ["FileUploadForm", "Job", "JobCreate"]
    assert [t["name"] for t in document["tags"]] == ["extract", "files"]
    body = create["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/JobCreate"}


def test_wire_facts_are_kept_and_prose_is_ours(importer: ModuleType) -> None:
    document = run_import(importer)
    create = document["paths"]["/api/v2/extract"]["post"]
    assert create["summary"] == "Create a job"
    assert create["description"] == "Our description."
    assert create["security"] == [{"HTTPBearer": []}]
    [project] = create["parameters"]  # the browser-session cookie is left out
    assert project == {
        "name": "project_id", "in": "query", "description": "Ours.", "required": False,
        "schema": NULLABLE_UUID,
    }  # fmt: skip
    job = document["components"]["schemas"]["JobCreate"]
    assert job["description"] == "Our job."
    assert job["required"] == ["file_input"]
    assert job["properties"]["file_input"] == {
        "type": "string", "maxLength": 200, "description": "Our field words.",
    }  # fmt: skip
    assert job["properties"]["tier"]["enum"] == ["a", "b"]
    assert job["properties"]["tier"]["default"] == "a"
    assert job["properties"]["tier"]["description"] == "Tier."  # no words of ours: a plain one
    assert "title" in job["properties"]  # a field called `title` is a field, not prose
    assert "title" not in job
    examples = create["requestBody"]["content"]["application/json"]["examples"]
    assert examples == {"seed": {"value": {"file_input": "dfl-1"}}}  # our examples survive
    assert document["info"]["title"] == "Ours"
    assert document["info"]["version"] == "2026-08-20"
    assert document["info"]["x-source"][0]["upstream"] == "published spec"
    assert document["info"]["x-source"][1] == {"reference": "seed"}


def test_a_multipart_file_gets_format_binary(importer: ModuleType) -> None:
    document = run_import(importer)
    file = document["components"]["schemas"]["FileUploadForm"]["properties"]["file"]
    assert file["format"] == "binary"
    assert file["contentMediaType"] == "application/octet-stream"


def test_same_upstream_same_bytes(importer: ModuleType) -> None:
    first = importer.dump(run_import(importer))
    again = importer.dump(run_import(importer, yaml.safe_load(first)))
    assert first == again
    assert importer.dump(run_import(importer)) == first


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b["operations"].update(gone="GET /api/v9/nothing"), "GET /api/v9/nothing"),
        (lambda b: b["upstream"]["tags"].pop("Files"), "upload_file: none of its tags"),
        (lambda b: b["upstream"]["schemas"].update(Nope="X"), "['Nope']"),
        (lambda b: b.update(operations={}), "names no `operations`"),
    ],
)
def test_a_bad_build_yaml_is_refused_naming_the_problem(
    importer: ModuleType, change: Any, message: str
) -> None:
    build = copy.deepcopy(BUILD)
    change(build)
    with pytest.raises(importer.ImportError_, match=message.replace("[", r"\[")):
        importer.import_spec(copy.deepcopy(UPSTREAM_DOC), build, OURS, source="u", digest="d")


@pytest.mark.skipif(not UPSTREAM.exists(), reason=f"{UPSTREAM} (shared evidence) is not here")
def test_the_vendored_llamacloud_spec_is_the_import_of_the_published_one(
    importer: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--check` re-imports the 157-path document and compares bytes: the committed spec and
    build.yaml are exactly what the stage writes (run twice, nothing moves)."""
    assert importer.main(["llamacloud", str(UPSTREAM), "--check"]) == 0, capsys.readouterr().out
    spec = yaml.safe_load((ROOT / "specs" / "llamacloud" / "openapi.yaml").read_text())
    assert (
        spec["info"]["x-source"][0]["sha256"]
        == importer.hashlib.sha256(UPSTREAM.read_bytes()).hexdigest()
    )
