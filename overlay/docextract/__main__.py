"""`python -m docextract`: the CLI."""

import sys

from docextract.cli import main

sys.exit(main())
