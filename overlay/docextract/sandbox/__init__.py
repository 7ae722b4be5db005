"""A local stand-in for the four providers' APIs (the `sandbox` extra: Starlette and uvicorn).

    with running_sandbox(SandboxConfig(step_seconds=0.01)) as sandbox:
        client = docextract.client("numind", api_key=sandbox.api_key,
                                   base_url=sandbox.base_url("numind"))

Every operation of the vendored specs, stateful jobs on a configurable schedule, injectable
faults and a control API: see docextract.sandbox.server, .faults and .control.
"""

from docextract.sandbox.config import INVOICE, Outcome, SandboxConfig, Schedule
from docextract.sandbox.faults import Fault
from docextract.sandbox.handle import Sandbox, SandboxStats
from docextract.sandbox.server import main, running_sandbox, sandbox_process, serve

__all__ = [
    "INVOICE",
    "Fault",
    "Outcome",
    "Sandbox",
    "SandboxConfig",
    "SandboxStats",
    "Schedule",
    "main",
    "running_sandbox",
    "sandbox_process",
    "serve",
]
