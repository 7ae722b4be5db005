"""The README's main job runs in CI: scripts/demo.py end to end (its own sandbox subprocess)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_extracts_with_every_provider_and_the_cli() -> None:
    env = dict(os.environ)
    paths = [str(ROOT / "overlay"), str(ROOT / "generated"), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split()[:2] for line in done.stdout.splitlines()]
    for provider, operation in [
        ("numind", "extract"),
        ("llamacloud", "upload"),
        ("retab", "project"),
        ("contextual", "extract"),
        ("llamacloud", "CLI"),
    ]:
        assert [provider, operation] in rows, done.stdout
    assert done.stdout.count("INV-2026-0042") == 4  # the document's number, found by 4 of 5 rows
    assert "sandbox stopped (exit 0)" in done.stdout
