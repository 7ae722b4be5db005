"""Run mypy --strict and pyright --strict on mistakes.py: each must report an error on every
line marked `# mistake`, and on no other line.

    python tests/typing/check_mistakes.py      (nox -s typecheck runs it)
"""

import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MISTAKES = HERE / "mistakes.py"


def expected_lines() -> set[int]:
    lines = MISTAKES.read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(lines, 1) if "# mistake" in line}


def mypy_lines() -> set[int]:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(MISTAKES)],
        capture_output=True,
        text=True,
        check=False,
    )
    pattern = re.compile(r"mistakes\.py:(\d+): error:")
    return {int(m.group(1)) for m in pattern.finditer(result.stdout)}


def pyright_lines() -> set[int]:
    result = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", str(MISTAKES)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    return {
        d["range"]["start"]["line"] + 1
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    }


def main() -> int:
    expected = expected_lines()
    failed = False
    for checker, found in (("mypy", mypy_lines()), ("pyright", pyright_lines())):
        missed, extra = sorted(expected - found), sorted(found - expected)
        if missed or extra:
            failed = True
            print(f"{checker}: mistakes not reported on lines {missed}; other errors on {extra}")
        else:
            print(f"{checker}: all {len(expected)} mistakes rejected, nothing else reported")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
