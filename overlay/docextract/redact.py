"""Keeps API keys out of every string the suite produces: messages, reprs and log records.

Keys are registered when a client is built; `redact` replaces them wherever they appear, and
`install_log_filter` applies it to the records of the loggers that see requests (ours and httpx's).
"""

import logging
import threading

MASK = "[redacted]"
_secrets: set[str] = set()
_lock = threading.Lock()
MIN_SECRET_LENGTH = 4  # shorter strings would mask ordinary words


def register_secret(secret: str) -> None:
    if len(secret) >= MIN_SECRET_LENGTH:
        with _lock:
            _secrets.add(secret)


def redact(text: str) -> str:
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """Renders each record's message with secrets masked (args are folded into the message)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            message = record.getMessage()
            cleaned = redact(message)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return True


_FILTER = RedactingFilter()
# A logger's filters see only records logged on it, not its children's: name each one.
WATCHED_LOGGERS = (
    "docextract",
    "docextract.retry",
    "docextract.jobs",
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


def install_log_filter() -> None:
    for name in WATCHED_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
