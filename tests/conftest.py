"""Shared test fixtures: every server a test talks to listens on loopback only."""

import os

import pytest


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver binds to 127.0.0.1 on a free port."""
    return ("127.0.0.1", 0)


@pytest.fixture(autouse=True)
def _async_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    """DOCEXTRACT_TEST_ASYNC_TRANSPORT=aiohttp: the whole suite on aiohttp's asyncio transport
    (what `nox -s tests` runs a second time over the tests that send asyncio requests)."""
    choice = os.environ.get("DOCEXTRACT_TEST_ASYNC_TRANSPORT")
    if choice:
        monkeypatch.setattr("docextract.aiohttp_transport.DEFAULT", choice)
