"""The providers: one adapter module each (docextract/providers/<name>.py), listed in one table.

    get_provider("llamacloud").lifecycle      # its jobs
    register(toy.PROVIDER)                    # a provider added at run time (tests, plugins)

The generic modules (jobs, extraction, clients, cli) know providers only through this table.
"""

from typing import Literal

from docextract.errors import InvalidParameter
from docextract.lifecycles import is_unset
from docextract.providers.adapter import (
    Capabilities,
    Extraction,
    Planner,
    Provider,
    Summary,
    Synchronous,
)

ProviderName = Literal["numind", "llamacloud", "retab", "contextual"]
"""The built-in providers (a registered one is passed as a plain `str`)."""

PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    """Add (or replace) a provider in the table; returns it."""
    PROVIDERS[provider.name] = provider
    return provider


def get_provider(name: str) -> Provider:
    """The registered provider `name`; InvalidParameter naming the choices otherwise."""
    try:
        return PROVIDERS[name]
    except KeyError:
        raise InvalidParameter("provider", name, f"one of {', '.join(PROVIDERS)}") from None


# The table. Imported after the functions above: adapters reach them through other modules.
from docextract.providers import contextual, llamacloud, numind, retab  # noqa: E402

for _adapter in (numind, llamacloud, retab, contextual):
    register(_adapter.PROVIDER)

__all__ = [
    "PROVIDERS",
    "Capabilities",
    "Extraction",
    "Planner",
    "Provider",
    "ProviderName",
    "Summary",
    "Synchronous",
    "get_provider",
    "is_unset",
    "register",
]
