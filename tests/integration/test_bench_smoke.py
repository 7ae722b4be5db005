"""scripts/bench_calls.py runs end to end (tiny counts; nothing is timed or compared here:
speed is `nox -s bench`'s business). The SDK rows appear only where the SDKs are installed."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_calls.py"


def test_the_per_call_benchmark_runs_and_labels_its_rows() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for title in ("— sync", "— asyncio, 1 in flight", "— asyncio, 4 in flight"):
        assert f"llamacloud GET /api/v2/extract/{{job_id}} {title}" in out
    assert "| raw httpx.Client.get + json.loads | " in out
    assert "| docextract call() — the full call path | " in out
    assert "| docextract call_async(), client(async_transport='aiohttp') | " in out
    assert out.count("1.00× (floor)") >= 4  # every table has its floor, and ratios to it


MANY = SCRIPT.with_name("bench_many.py")


def test_the_many_jobs_benchmark_runs_and_labels_its_rows() -> None:
    """A tiny run of every part but Celery's (tests/integration/test_celery.py covers it)."""
    command = [sys.executable, str(MANY), "--sizes", "12", "--strategies", "scheduler,naive"]
    command += ["--extract-n", "6", "--no-celery"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)

    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    rows = [line.split("  ") for line in out.splitlines() if line.startswith("12  ")]
    labels = [next(cell for cell in row[1:] if cell).strip() for row in rows]
    assert labels == [
        "docextract as_completed_async (scheduler)",
        "naive httpx, 1 s sleeps, Semaphore(100), 100 kept-alive connections",
    ]
    for row in rows:  # every run saw all its jobs end: "wall - longest" is a signed time
        assert any(cell.strip().startswith(("+", "-")) for cell in row), row
    assert "N=12, other / scheduler" in out
    assert "4. extract_all of 6 documents per provider" in out
    for provider in ("numind", "llamacloud", "retab", "contextual"):
        row = next(line for line in out.splitlines() if line.startswith(provider))
        assert "failed" not in row, row
    assert "not held?" not in out  # every job began when the wait did
