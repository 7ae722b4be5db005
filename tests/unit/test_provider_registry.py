"""The one table of providers (docextract.providers) and the sandbox's routes found from it."""

from collections.abc import Iterator

import pytest

from docextract.errors import InvalidParameter
from docextract.providers import PROVIDERS, Extraction, Provider, Summary, get_provider, register
from docextract.sandbox import routing

BUILT_IN = {"numind", "llamacloud", "retab", "contextual"}


@pytest.fixture
def ghost() -> Iterator[Provider]:
    """A provider registered at run time, with no sandbox routes module; removed afterwards."""
    provider = register(
        Provider(
            name="ghost",
            env_var="GHOST_API_KEY",
            extraction=Extraction(operation="extract", summarize=lambda _, raw: Summary(raw)),
        )
    )
    yield provider
    PROVIDERS.pop("ghost", None)
    routing._REGISTERED.pop("ghost", None)


def test_the_table_lists_the_built_in_adapters() -> None:
    assert set(PROVIDERS) >= BUILT_IN
    for name in BUILT_IN:
        adapter = get_provider(name)
        assert adapter.name == name
        assert adapter.package == f"{name}_client"
        assert adapter.env_var.endswith("_API_KEY")
        assert (adapter.lifecycle is None) == (adapter.synchronous is not None)


def test_an_unknown_provider_is_refused_naming_the_choices() -> None:
    with pytest.raises(InvalidParameter, match="numind") as raised:
        get_provider("numlnd")
    assert raised.value.parameter == "provider"


def test_a_provider_without_jobs_says_how_to_use_it() -> None:
    with pytest.raises(InvalidParameter, match=r"docextract\.extract"):
        get_provider("retab").jobs()


def test_an_unknown_operation_is_refused_naming_the_operations() -> None:
    with pytest.raises(InvalidParameter, match="structured, markdown"):
        get_provider("numind").planner("summary")


def test_the_sandbox_serves_each_provider_with_a_routes_module(ghost: Provider) -> None:
    factories = routing.route_factories()
    assert set(factories) >= BUILT_IN
    assert "ghost" not in factories  # registered, but no docextract/sandbox/routes/ghost.py

    routing.register_routes("ghost", lambda state: [])
    assert routing.route_factories()["ghost"](None) == []  # type: ignore[arg-type]
