"""The four providers: their generated packages, key variables, and the facts of their specs."""

import importlib
from collections.abc import Mapping
from datetime import timedelta
from functools import cached_property
from types import ModuleType
from typing import Any, Literal

import attrs

from docextract.errors import InvalidParameter

ProviderName = Literal["numind", "llamacloud", "retab", "contextual"]


@attrs.frozen(slots=False)  # slots=False: cached_property stores in the instance __dict__
class Provider:
    name: ProviderName
    env_var: str
    # where the provider's official SDK reads a base URL from (none for NuMind's: ours)
    base_url_env: str
    # Retab answers an extraction in one synchronous request that can take minutes.
    read_timeout: timedelta = timedelta(seconds=60)

    @property
    def package(self) -> str:
        return f"{self.name}_client"

    @cached_property
    def facts(self) -> Mapping[str, Any]:
        """What the build read from the spec (generated/<provider>_client/spec_facts.py)."""
        module = importlib.import_module(f"{self.package}.spec_facts")
        facts: Mapping[str, Any] = module.SPEC_FACTS
        return facts

    @property
    def default_base_url(self) -> str:
        return str(self.facts["server_url"])

    @property
    def auth_header(self) -> str:
        return str(self.facts["security"]["header"])

    @property
    def auth_prefix(self) -> str:
        return str(self.facts["security"]["prefix"])

    def operation_facts(self, operation_id: str) -> Mapping[str, Any]:
        operations: Mapping[str, Mapping[str, Any]] = self.facts["operations"]
        if operation_id not in operations:
            allowed = f"an operation of {self.name}'s spec: {', '.join(sorted(operations))}"
            raise InvalidParameter("operation_id", operation_id, allowed)
        return operations[operation_id]

    def package_module(self) -> ModuleType:
        return importlib.import_module(self.package)

    def endpoint(self, operation_id: str) -> ModuleType:
        """The generated module of an operation (imported on first use)."""
        return importlib.import_module(self.operation_facts(operation_id)["module"])


PROVIDERS: dict[str, Provider] = {
    "numind": Provider("numind", "NUMIND_API_KEY", "NUMIND_BASE_URL"),
    "llamacloud": Provider("llamacloud", "LLAMA_CLOUD_API_KEY", "LLAMA_CLOUD_BASE_URL"),
    "retab": Provider(
        "retab", "RETAB_API_KEY", "RETAB_API_BASE_URL", read_timeout=timedelta(minutes=15)
    ),
    "contextual": Provider("contextual", "CONTEXTUAL_API_KEY", "CONTEXTUAL_AI_BASE_URL"),
}


def is_unset(value: object) -> bool:
    """A generated package's UNSET marker (each package has its own Unset class)."""
    return type(value).__name__ == "Unset"


def get_provider(name: str) -> Provider:
    try:
        return PROVIDERS[name]
    except KeyError:
        raise InvalidParameter("provider", name, f"one of {', '.join(PROVIDERS)}") from None
