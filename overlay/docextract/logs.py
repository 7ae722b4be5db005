"""`DOCEXTRACT_LOG=debug|info|warning|error`: docextract's log records on stderr, keys masked.

`debug` also shows httpx's request lines. Read when a client is built and when the CLI starts;
without the variable nothing is configured (the application's own logging setup applies).
"""

import logging
import os
import sys

from docextract.errors import InvalidParameter
from docextract.redact import RedactingFilter, install_log_filter

VARIABLE = "DOCEXTRACT_LOG"
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
LEVELS["error"] = logging.ERROR
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler this module installs (so that configuring twice does not add a second)."""


def configure_logging() -> int | None:
    """Apply DOCEXTRACT_LOG; the level set, or None when the variable is unset or empty."""
    value = os.environ.get(VARIABLE, "").strip().lower()
    if not value:
        return None
    if value not in LEVELS:
        raise InvalidParameter(VARIABLE, value, " or ".join(LEVELS))
    level = LEVELS[value]
    install_log_filter()
    names = ["docextract", *(["httpx"] if level <= logging.DEBUG else [])]
    for name in names:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        handler = next((h for h in logger.handlers if isinstance(h, _Handler)), None)
        if handler is None:
            handler = _Handler(sys.stderr)
            handler.setFormatter(logging.Formatter(FORMAT))
            handler.addFilter(RedactingFilter())  # the children's records pass here too
            logger.addHandler(handler)
        handler.setLevel(level)
    return level
