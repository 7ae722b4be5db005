"""`[tool.docextract]` / docextract.toml: found, read, refused with the field named; `init`."""

import tomllib
from pathlib import Path

import pytest

from docextract.errors import InvalidParameter
from docextract.project import find_config, init, load


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
