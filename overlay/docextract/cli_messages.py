"""Errors in the words of the command line: flags, not Python parameters.

`InvalidParameter("configuration_id", ...)` from the library reads, on the command line,
`--configuration-id=...`; `api_key=` becomes `--api-key`; a missing key names `--api-key` and
the variable; a timeout names the limit given with `--timeout`.
"""

import re

from docextract.errors import DocExtractError, DurationError, InvalidParameter, JobTimeout
from docextract.errors import MissingAPIKey as _MissingAPIKey

# the library's parameter names that are not simply `--name-with-dashes`
SPECIAL = {
    "document": "FILE",
    "file": "FILE",
    "data_schema": "--schema",
    "configuration": "--config",
}
SPECIAL["config"] = "--config"
_IDENTIFIER = re.compile(r"\b([a-z]+(?:_[a-z]+)+)(=)?")


def flag(parameter: str, known: frozenset[str]) -> str:
    """The flag of a library parameter (`schema_id` → `--schema-id`), if the CLI has one."""
    if "/" in parameter:
        return "/".join(flag(part, known) for part in parameter.split("/"))
    if parameter in SPECIAL:
        return SPECIAL[parameter]
    dashed = "--" + parameter.replace("_", "-")
    return dashed if dashed in known else parameter


def in_flags(text: str, known: frozenset[str]) -> str:
    """`text` with each snake_case parameter name the CLI has a flag for written as the flag."""

    def swap(match: re.Match[str]) -> str:
        name = match.group(1)
        named = flag(name, known)
        return named if named != name else match.group(0)

    return _IDENTIFIER.sub(swap, text)


def describe(error: DocExtractError, known: frozenset[str], timeout: str | None = None) -> str:
    if isinstance(error, _MissingAPIKey):
        return f"no API key for {error.provider}: pass --api-key or set {error.variable}"
    if isinstance(error, InvalidParameter):
        name = flag(error.parameter, known)
        return f"{name} {error.value!r} is not allowed: {in_flags(error.allowed, known)}"
    if isinstance(error, DurationError) and error.name:
        return in_flags(
            str(error).replace(f"{error.name}:", f"{flag(error.name, known)}:", 1), known
        )
    if isinstance(error, JobTimeout) and timeout is not None:
        return f"{error} (the limit: --timeout {timeout})"
    return str(error)  # the provider's own words are left alone
