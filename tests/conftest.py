"""Shared test fixtures: every server a test talks to listens on loopback only."""

import pytest


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver binds to 127.0.0.1 on a free port."""
    return ("127.0.0.1", 0)
