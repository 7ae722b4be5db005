"""docextract.api_diff on small packages written here: what a user's code would hit (removed,
renamed, retyped names), what it would not (additions), and the command line."""

import json
from pathlib import Path

import pytest

from docextract.api_diff import API_CHANGE_CODES, diff_packages, main

OLD = {
    "__init__.py": "",
    "models/__init__.py": "from .job import Job\nfrom .tier import Tier\n",
    "models/job.py": (
        "from types import File\n\n\nclass Job:\n    id: str\n    file: File\n"
        "    document_input_value: str\n"
    ),
    "models/tier.py": "class Tier:\n    fast: str\n    slow: str\n",
    "api/__init__.py": "",
    "api/jobs.py": "def get_job(job_id: str, *, expand: bool = False) -> int:\n    return 0\n",
    "spec_facts.py": "SPEC_FACTS = {'version': '1'}\n",
}
NEW = {
    "__init__.py": "",
    "models/__init__.py": "from .job import Job\nfrom .extract_tier import ExtractTier\n",
    "models/job.py": (
        "class Job:\n    id: str\n    file: str\n    file_input: str\n    created_at: str\n"
    ),
    "models/extract_tier.py": "class ExtractTier:\n    fast: str\n    slow: str\n",
    "api/__init__.py": "",
    "api/jobs.py": "def get_job(job_id: int, *, expand: bool = False) -> str:\n    return ''\n",
    "spec_facts.py": "SPEC_FACTS = {'version': '2'}\n",
}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / "pkg" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return root


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path / "old", OLD), write(tmp_path / "new", NEW)


def test_each_change_a_user_would_hit(roots: tuple[Path, Path]) -> None:
    report = diff_packages(*roots, "pkg")
    found = {(c.kind, c.code, c.object) for c in report.changes}
    assert found == {
        ("breaking", "python-module-removed", "pkg.models.tier"),
        ("breaking", "python-class-renamed", "pkg.models.tier.Tier"),
        ("non-breaking", "python-module-added", "pkg.models.extract_tier"),
        ("breaking", "python-attribute-removed", "pkg.models.job.Job.document_input_value"),
        ("breaking", "python-attribute-type-changed", "pkg.models.job.Job.file"),
        ("non-breaking", "python-attribute-added", "pkg.models.job.Job.file_input"),
        ("non-breaking", "python-attribute-added", "pkg.models.job.Job.created_at"),
        ("breaking", "python-signature-changed", "pkg.api.jobs.get_job"),
        ("breaking", "python-return-type-changed", "pkg.api.jobs.get_job"),
    }
    renamed = next(c for c in report.changes if c.code == "python-class-renamed")
    assert renamed.message.startswith("class Tier was renamed to ExtractTier")
    retyped = next(c for c in report.changes if c.code == "python-attribute-type-changed")
    assert retyped.message == "type changed: File -> str"
    assert {c.code for c in report.changes} <= set(API_CHANGE_CODES)


def test_the_same_package_has_no_changes(tmp_path: Path) -> None:
    old, new = write(tmp_path / "a", OLD), write(tmp_path / "b", OLD)
    assert diff_packages(old, new, "pkg").changes == []


def test_command_line(roots: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = roots
    assert main([str(old), str(new), "pkg", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["breaking"] == 6
    assert main([str(old), str(old), "pkg"]) == 0
    assert "0 breaking, 0 non-breaking Python API changes" in capsys.readouterr().out
    assert main([str(old), str(new / "nowhere"), "pkg"]) == 2
    assert "no package pkg in it" in capsys.readouterr().err
