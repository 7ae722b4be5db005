"""What the sdist and the wheel hold, and the user-side example project run from the wheel."""

import shutil
import sys
import tarfile
import zipfile
from pathlib import Path

from distribution.conftest import ROOT, Dist, UserEnv, run

EXAMPLE = ROOT / "examples" / "userproject"


def test_the_wheel_holds_the_package_the_specs_the_templates_and_the_plugin(dist: Dist) -> None:
    with zipfile.ZipFile(dist.wheel) as wheel:
        names = set(wheel.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(info).decode()
        entry_points = wheel.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    for provider in ("numind", "llamacloud", "retab", "contextual"):
        assert f"docextract/specs/{provider}/openapi.yaml" in names
        assert f"{provider}_client/spec_facts.py" in names
    assert "docextract/templates/client.py.jinja" in names
    assert "docextract/contract/plugin.py" in names
    assert not [n for n in names if n.startswith(("tests/", "scripts/"))]
    assert "[pytest11]\ndocextract = docextract.contract.plugin" in entry_points
    assert "License-Expression: Apache-2.0" in metadata
    assert "Classifier: Framework :: Pytest" in metadata
    assert "Project-URL: Source" in metadata
    assert "Provides-Extra: dev" not in metadata  # development tools are dependency groups


def test_the_sdist_holds_what_rebuilding_needs_and_nothing_else(dist: Dist, tmp_path: Path) -> None:
    with tarfile.open(dist.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
        sdist.extractall(tmp_path, filter="data")
    assert not [n for n in names if n.startswith(("tests/", "node_modules/", ".nox/"))]
    assert {"LICENSE", "pyproject.toml", "scripts/generate.py"} <= names
    assert "build/templates/client.py.jinja" in names
    (unpacked,) = tmp_path.iterdir()
    # the generated clients are in step with the specs and templates the sdist carries
    done = run(sys.executable, "scripts/generate.py", "--check", cwd=unpacked)
    assert "out of step" not in done.stdout + done.stderr


def test_the_example_project_replays_its_cassette_from_the_wheel(
    user_env: UserEnv, tmp_path: Path
) -> None:
    project = tmp_path / "userproject"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    done = user_env.run(
        user_env.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    # the plugin and the package came from the wheel, not from this checkout
    where = user_env.run(
        user_env.python, "-c", "import docextract; print(docextract.__file__)", cwd=project
    )
    assert str(user_env.root) in where.stdout, where.stdout
