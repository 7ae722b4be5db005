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
