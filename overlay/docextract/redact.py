"""Keeps API keys out of every string the suite produces: messages, reprs and log records.

Keys are registered when a client is built; `redact` replaces them wherever they appear, and
`install_log_filter` applies it to the records of the loggers that see requests (ours and httpx's).
"""

import base64
import logging
import re
import threading
from urllib.parse import quote, quote_plus

MASK = "[redacted]"
_secrets: set[str] = set()
_forms: tuple[str, ...] = ()  # every form of every secret, longest first; replaced, never mutated
_lock = threading.Lock()
MIN_SECRET_LENGTH = 4  # shorter strings would mask ordinary words


def register_secret(secret: str) -> None:
    global _forms
    if len(secret) >= MIN_SECRET_LENGTH:
        with _lock:
            if secret in _secrets:
                return
            _secrets.add(secret)
            forms = {form for known in _secrets for form in encoded_forms(known)}
            # longest first: a key that contains another key is masked whole
            _forms = tuple(sorted(forms, key=lambda form: (-len(form), form)))


def encoded_forms(secret: str) -> set[str]:
    """`secret` as it may appear in text: as is, percent-encoded (upper- or lower-case hex,
    `+` for spaces), and base64 (standard or URL-safe, at any offset inside a larger blob)."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret, safe="")}
    forms |= {re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), f) for f in set(forms)}
    raw = secret.encode()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode()
        if offset == 0:
            forms |= {encoded, encoded.rstrip("=")}
        # the characters that depend only on the secret's bytes, whatever precedes it
        whole = (offset + len(raw)) // 3 * 4
        core = encoded[4 if offset else 0 : whole]
        if len(core) >= 2 * MIN_SECRET_LENGTH:
            forms.add(core)
    forms |= {f.replace("+", "-").replace("/", "_") for f in set(forms) if "%" not in f}
    return {f for f in forms if len(f) >= MIN_SECRET_LENGTH}


def redact(text: str) -> str:
    for form in _forms:  # a snapshot: register_secret replaces the tuple, never changes it
        if form in text:
            text = text.replace(form, MASK)
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
