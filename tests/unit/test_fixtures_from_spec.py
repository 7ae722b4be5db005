"""scripts/fixtures_from_spec.py on a spec that no longer has what a provider's cases are built
from (the provider's own operation IDs, say): a clear message naming the provider and what is
missing, exit 1, no traceback; the other providers' cassettes are still checked."""

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fixtures_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "docextract_fixtures_from_spec", ROOT / "scripts" / "fixtures_from_spec.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    specs = tmp_path / "specs"
    shutil.copytree(ROOT / "specs", specs)
    monkeypatch.setattr(module, "SPECS", specs)
    return module


def _rename_operation(specs: Path, provider: str, old: str, new: str) -> None:
    path = specs / provider / "openapi.yaml"
    document = yaml.safe_load(path.read_text())
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == old:
                operation["operationId"] = new
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def test_a_missing_operation_is_named_not_a_key_error(
    fixtures_script: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    provider_id = "upload_file_api_v1_beta_files_post"  # what LlamaCloud's own spec calls it
    _rename_operation(tmp_path / "specs", "llamacloud", "upload_file", provider_id)
    status = fixtures_script.main(["--check"])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    assert (
        "fixtures_from_spec: llamacloud: cannot build its reference cassettes from "
        "specs/llamacloud/openapi.yaml: operation 'upload_file' is not in the spec (it has: "
    ) in err
    assert provider_id in err
    # the other providers were built and found current: no other complaint
    assert [line for line in err.splitlines() if "out of date" in line] == []


def test_the_unchanged_specs_check_clean(
    fixtures_script: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fixtures_script.main(["--check"]) == 0
    assert capsys.readouterr().err == ""
