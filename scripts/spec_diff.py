"""Report the OpenAPI changes that matter to API clients: ``spec_diff.py OLD NEW [--json]``.

Exit status: 1 if a change breaks clients, 0 otherwise, 2 if a document cannot be read.
Runs from a checkout without installing docextract.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "overlay"))

from docextract.spec_diff import main

if __name__ == "__main__":
    raise SystemExit(main())
