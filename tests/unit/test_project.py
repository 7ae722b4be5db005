"""`[tool.docextract]` / docextract.toml: found, read, refused with the field named; `init`."""

import hashlib
import json
import tomllib
from pathlib import Path

import pytest
import yaml

from docextract.errors import InvalidParameter
from docextract.importer import SpecImportError
from docextract.project import find_config, import_upstream, init, load


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_nearest_table_is_found_from_a_subfolder(tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml", '[tool.docextract]\noutput = "out"\n')
    (tmp_path / "src" / "deep").mkdir(parents=True)
    assert find_config(tmp_path / "src" / "deep") == config


def test_a_pyproject_without_the_table_is_not_a_config(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config(tmp_path) is None
    config = write(tmp_path / "docextract.toml", "[providers.toy]\nspec = 'toy.yaml'\n")
    assert find_config(tmp_path) == config


def test_entries_resolve_against_the_project(tmp_path: Path) -> None:
    write(tmp_path / "toy.yaml", "openapi: 3.1.0\n")
    config = write(
        tmp_path / "pyproject.toml",
        '[tool.docextract]\noutput = "clients"\n'
        '[tool.docextract.providers.toy]\nspec = "toy.yaml"\npackage = "toy_api"\n',
    )
    project = load(config)
    (entry,) = project.entries
    assert (entry.name, entry.package, entry.spec) == ("toy", "toy_api", tmp_path / "toy.yaml")
    assert entry.output == tmp_path / "clients"
    assert entry.build_file is None  # not a bundled provider


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ("[tool.docextract]\n", "providers"),
        ('[tool.docextract.providers.toy]\npackage = "x"\n', "providers.toy"),
        ('[tool.docextract.providers.toy]\nspec = "absent.yaml"\n', "providers.toy.spec"),
        ('[tool.docextract.providers.toy]\nspec = "toy.yaml"\npackage = "a-b"\n', ".package"),
        ('[tool.docextract.providers.numind]\nspec = "toy.yaml"\npackage = "numind_client"\n',
         "providers.numind.package"),
    ],
)  # fmt: skip
def test_a_bad_entry_names_the_field(tmp_path: Path, table: str, named: str) -> None:
    write(tmp_path / "toy.yaml", "openapi: 3.1.0\n")
    config = write(tmp_path / "pyproject.toml", table)
    with pytest.raises(InvalidParameter) as raised:
        load(config)
    assert named in raised.value.parameter
    assert "pyproject.toml [tool.docextract]" in raised.value.parameter


def test_init_a_bundled_provider_copies_its_spec_and_adds_an_entry(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "acme"\n')
    target, done = init("numind", tmp_path)
    assert target == tmp_path / "pyproject.toml"
    assert (tmp_path / "specs" / "numind" / "openapi.yaml").is_file()
    assert (tmp_path / "specs" / "numind" / "events.schema.json").is_file()
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    assert data["project"]["name"] == "acme"  # the rest of the file is kept
    assert data["tool"]["docextract"]["providers"]["numind"] == {
        "spec": "specs/numind/openapi.yaml",
        "package": "numind_api",
    }
    assert any("copied the bundled numind spec" in line for line in done)
    (entry,) = load(target).entries
    assert entry.build_file is not None  # the bundled build settings come along
    with pytest.raises(InvalidParameter, match=r"not yet in pyproject\.toml"):
        init("numind", tmp_path)


def test_init_without_a_pyproject_writes_docextract_toml(tmp_path: Path) -> None:
    target, _ = init("acme", tmp_path)
    assert target == tmp_path / "docextract.toml"
    init("other", tmp_path)
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    assert set(data["providers"]) == {"acme", "other"}
    assert data["providers"]["acme"]["spec"] == "specs/acme/openapi.yaml"


def test_init_refuses_a_name_that_is_not_a_package_name(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameter, match="PROVIDER"):
        init("Acme-API", tmp_path)


# ---------------------------------------------------------------- upstream + operations


def _json(schema: str) -> dict[str, object]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


UPSTREAM_DOC = {
    "openapi": "3.1.0",
    "info": {"title": "Acme", "version": "7.1"},
    "servers": [{"url": "https://api.acme.test"}],
    "paths": {
        "/v2/jobs": {
            "post": {
                "operationId": "create_job_v2_jobs_post",
                "tags": ["Jobs"],
                "summary": "PROVIDER PROSE",
                "requestBody": {
                    "required": True,
                    "content": _json("JobIn"),
                },
                "responses": {
                    "200": {
                        "description": "PROVIDER PROSE",
                        "content": _json("JobV2"),
                    }
                },
            },
        },
        "/v2/jobs/{job_id}": {
            "get": {
                "operationId": "get_job_v2_jobs__job_id__get",
                "tags": ["Jobs"],
                "description": "PROVIDER PROSE",
                "parameters": [
                    {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "PROVIDER PROSE",
                        "content": _json("JobV2"),
                    }
                },
            },
        },
        "/v2/unused": {
            "get": {"operationId": "unused", "tags": ["Other"], "responses": {"204": {}}},
        },
    },
    "components": {
        "schemas": {
            "JobIn": {"type": "object", "required": ["file_id"], "properties": {
                "file_id": {"type": "string", "description": "PROVIDER PROSE"}}},
            "JobV2": {"type": "object", "required": ["id", "status"], "properties": {
                "id": {"type": "string"},
                "status": {"type": "string", "enum": ["PENDING", "SUCCESS"]}}},
            "Unused": {"type": "object"},
        }
    },
}  # fmt: skip

UPSTREAM_ENTRY = """
[tool.docextract.providers.acme]
upstream = "upstream/acme.json"
package = "acme_api"
schemas = {JobV2 = "Job"}

[tool.docextract.providers.acme.operations]
create_job = "POST /v2/jobs"
get_job = "GET /v2/jobs/{job_id}"
"""


def upstream_project(tmp_path: Path) -> Path:
    write(tmp_path / "upstream" / "acme.json", json.dumps(UPSTREAM_DOC))
    write(tmp_path / "pyproject.toml", '[project]\nname = "user"\n' + UPSTREAM_ENTRY)
    return tmp_path / "pyproject.toml"


def test_an_upstream_entry_imports_what_its_operations_reach(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = load(upstream_project(tmp_path))
    (entry,) = project.entries
    assert entry.spec == tmp_path / "specs" / "acme" / "openapi.yaml"  # the default place
    assert import_upstream(project, entry, check=True) == 1  # nothing imported yet
    assert (
        "specs/acme/openapi.yaml is out of step with upstream/acme.json" in capsys.readouterr().out
    )
    assert import_upstream(project, entry, check=False) == 0
    assert "2 operations, 2 schemas" in capsys.readouterr().out
    text = entry.spec.read_text(encoding="utf-8")
    spec = yaml.safe_load(text)
    assert "PROVIDER PROSE" not in text
    assert {op["operationId"] for item in spec["paths"].values() for op in item.values()} == {
        "create_job",
        "get_job",
    }
    assert set(spec["components"]["schemas"]) == {"JobIn", "Job"}  # renamed; Unused left out
    assert spec["components"]["schemas"]["Job"]["properties"]["status"]["enum"] == [
        "PENDING",
        "SUCCESS",
    ]
    assert spec["tags"][0]["name"] == "jobs"  # the provider's tag, as a module name
    assert spec["info"]["version"] == "7.1"  # no `published` in the entry: the document's own
    assert "retrieved" not in spec["info"]["x-source"][0]
    assert spec["info"]["x-source"][0]["describes"] == (
        "The 2 operations of pyproject.toml, by docextract generate."
    )
    assert (
        spec["info"]["x-source"][0]["sha256"]
        == hashlib.sha256((tmp_path / "upstream" / "acme.json").read_bytes()).hexdigest()
    )

    # our own words survive the next import, which is otherwise byte-identical
    spec["components"]["schemas"]["Job"]["description"] = "An Acme job, as we see it."
    write(entry.spec, yaml.safe_dump(spec, sort_keys=False))
    assert import_upstream(project, entry, check=False) == 0
    again = entry.spec.read_text(encoding="utf-8")
    assert "An Acme job, as we see it." in again
    assert import_upstream(project, entry, check=True) == 0
    assert import_upstream(project, entry, check=False) == 0
    assert entry.spec.read_text(encoding="utf-8") == again


@pytest.mark.parametrize(
    ("replace", "by", "named"),
    [
        ('get_job = "GET /v2/jobs/{job_id}"', 'get_job = "fetch it"', "operations.get_job"),
        ('get_job = "GET /v2/jobs/{job_id}"', 'get-job = "GET /v2/jobs/{job_id}"', "operations"),
        ('upstream = "upstream/acme.json"', 'upstream = "nowhere.json"', "acme.upstream"),
        ('schemas = {JobV2 = "Job"}', "schemas = [1]", "acme.schemas"),
    ],
)
def test_a_bad_upstream_entry_names_the_field(
    tmp_path: Path, replace: str, by: str, named: str
) -> None:
    config = upstream_project(tmp_path)
    write(config, config.read_text(encoding="utf-8").replace(replace, by))
    with pytest.raises(InvalidParameter) as raised:
        load(config)
    assert named in raised.value.parameter


def test_an_upstream_route_the_document_lacks_is_a_clear_error(tmp_path: Path) -> None:
    config = upstream_project(tmp_path)
    write(config, config.read_text(encoding="utf-8").replace("/v2/jobs/{job_id}", "/v3/jobs"))
    project = load(config)
    with pytest.raises(SpecImportError, match=r"get_job: GET /v3/jobs"):
        import_upstream(project, project.entries[0], check=False)


def test_init_upstream_lists_its_routes_and_reads_back(tmp_path: Path) -> None:
    write(tmp_path / "acme.json", json.dumps(UPSTREAM_DOC))
    target, _ = init("acme", tmp_path, tmp_path / "acme.json")
    text = target.read_text(encoding="utf-8")
    assert '# create_job = "POST /v2/jobs"' in text  # FastAPI's route suffix dropped
    assert '# get_job = "GET /v2/jobs/{job_id}"' in text
    data = tomllib.loads(text)
    assert data["providers"]["acme"]["upstream"] == "acme.json"
    with pytest.raises(InvalidParameter, match="operations"):  # a starter: the user chooses
        load(target)
    write(target, text.replace('# get_job = "GET', 'get_job = "GET'))
    (entry,) = load(target).entries
    assert entry.upstream is not None
    assert entry.upstream.settings["operations"] == {"get_job": "GET /v2/jobs/{job_id}"}
    with pytest.raises(InvalidParameter, match="--upstream"):
        init("other", tmp_path, tmp_path / "missing.json")


def test_an_upstream_entry_for_a_bundled_provider_brings_its_selection(tmp_path: Path) -> None:
    write(tmp_path / "up.json", json.dumps(UPSTREAM_DOC))
    target, _ = init("llamacloud", tmp_path, tmp_path / "up.json")
    (entry,) = load(target).entries
    assert entry.upstream is not None
    assert entry.upstream.settings["operations"]["upload_file"] == "POST /api/v1/beta/files"
    assert entry.upstream.settings["upstream"]["schemas"]["FileV2"] == "FileUploadResponse"
    assert not (tmp_path / "specs" / "llamacloud" / "openapi.yaml").exists()  # the import writes it
