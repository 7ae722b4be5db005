"""The providers' official SDKs pointed at `docextract sandbox` (one per session, reset per test),
with their strictest response validation. Run by `nox -s conformance`, which installs the pinned
SDKs into its own environment."""

from collections.abc import Iterator

import pytest

from docextract.sandbox import Sandbox, SandboxConfig, running_sandbox

KEY = "conformance-key-0123456789"  # a placeholder, not a credential


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Sandbox]:
    with running_sandbox(SandboxConfig(api_key=KEY, step_seconds=0.05)) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(sandbox_server: Sandbox) -> Sandbox:
    sandbox_server.reset()
    return sandbox_server
