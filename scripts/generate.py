#!/usr/bin/env python3
"""Regenerate the typed clients in generated/ from the vendored specs in specs/.

    python scripts/generate.py                    # every provider whose inputs changed
    python scripts/generate.py --provider numind  # one provider
    python scripts/generate.py --force            # regenerate even when inputs are unchanged
    python scripts/generate.py --check            # fail, listing files, if generated/ is stale
    python scripts/generate.py --schema invoice.schema.json --output invoice_model.py

The build itself is docextract.generator (shipped in the wheel, so that `docextract generate`
runs it in any project); this script runs this checkout's copy of it on this checkout.
"""

import sys
from pathlib import Path

# this checkout's overlay first: not another copy of docextract installed in the environment
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "overlay"))

from docextract.generator import *  # noqa: F403 (the build's names, for tests and tools)
from docextract.generator import main

if __name__ == "__main__":
    sys.exit(main())
