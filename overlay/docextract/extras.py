"""The optional parts of the distribution, and the one-line message when one is missing.

cli       rich (live progress)          sandbox   starlette, uvicorn
contract  the pytest plugin             generate  `docextract generate` (the build)
"""

import importlib.util

EXTRAS: dict[str, tuple[str, ...]] = {
    "cli": ("rich",),
    "sandbox": ("starlette", "uvicorn"),
    "contract": ("pytest", "yaml", "jsonschema", "vcr"),
    "generate": ("openapi_python_client", "datamodel_code_generator", "yaml", "griffe"),
}


class MissingExtra(Exception):
    """What needs an extra that is not installed; the message says how to install it."""

    def __init__(self, what: str, extra: str, missing: list[str]) -> None:
        self.what, self.extra, self.missing = what, extra, missing
        super().__init__(
            f"{what} needs the `{extra}` extra (missing: {', '.join(missing)}): "
            f"pip install 'docextract[{extra}]'"
        )


def missing_modules(extra: str) -> list[str]:
    return [name for name in EXTRAS[extra] if importlib.util.find_spec(name) is None]


def require(extra: str, what: str) -> None:
    """Raise MissingExtra unless every module of `extra` can be imported."""
    missing = missing_modules(extra)
    if missing:
        raise MissingExtra(what, extra, missing)
