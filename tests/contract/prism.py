"""Running Stoplight Prism (node_modules/.bin/prism, installed by `npm ci`) on 127.0.0.1.

    with prism_server("mock", SPEC, "--errors") as prism:
        httpx.get(prism.url + "/api/jobs/x", ...)
    with prism_server("proxy", SPEC, upstream="http://127.0.0.1:8700/numind", args=("--errors",)):
        ...

Prism listens on a free loopback port; the context manager waits (bounded) until Prism says it
listens, and always stops it (its whole process group, which this module started). Prism reports
request validation problems in the `sl-violations` answer header: `violations()` reads it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
PRISM = ROOT / "node_modules" / ".bin" / "prism"
REQUIRE_ENV = "DOCEXTRACT_REQUIRE_PRISM"
READY = "Prism is listening on"
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


class PrismError(RuntimeError):
    """Prism did not start (the message carries its output)."""


@dataclass(frozen=True)
class Prism:
    url: str
    log: Path
    startup_seconds: float

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def available() -> bool:
    return PRISM.exists()


def unavailable_reason() -> str | None:
    """Why Prism tests cannot run (None when they can); raises when CI requires Prism."""
    if available():
        return None
    reason = f"{PRISM.relative_to(ROOT)} is missing: run `npm ci`"
    if os.environ.get(REQUIRE_ENV):
        raise PrismError(f"{REQUIRE_ENV} is set but {reason}")
    return reason


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_ready(process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if READY in log.read_text(encoding="utf-8", errors="replace"):
            return
        if process.poll() is not None:
            raise PrismError(f"prism exited with {process.returncode}:\n{log.read_text()}")
        time.sleep(0.1)
    raise PrismError(f"prism did not listen within {timeout:.0f} s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)


@contextmanager
def prism_server(
    mode: str,
    spec: Path,
    *args: str,
    upstream: str | None = None,
    timeout: float = STARTUP_TIMEOUT,
) -> Iterator[Prism]:
    """`prism mock SPEC` or `prism proxy SPEC UPSTREAM`, with `args`, on 127.0.0.1."""
    if mode not in ("mock", "proxy") or (mode == "proxy") != (upstream is not None):
        raise ValueError("mock takes no upstream; proxy needs one")
    if not available():
        raise PrismError(f"{PRISM} is missing: run `npm ci`")
    port = free_port()
    command = [str(PRISM), mode, str(spec), *([upstream] if upstream else [])]
    command += ["--host", "127.0.0.1", "--port", str(port), *args]
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
    with tempfile.TemporaryDirectory(prefix="docextract-prism-") as folder:
        log = Path(folder) / "prism.log"
        with log.open("wb") as sink:
            started = time.monotonic()
            process = subprocess.Popen(
                command, stdout=sink, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
            try:
                _wait_until_ready(process, log, timeout)
                elapsed = time.monotonic() - started
                yield Prism(f"http://127.0.0.1:{port}", log, elapsed)
            finally:
                _stop(process)


def violations(response: httpx.Response) -> list[dict[str, Any]]:
    """The request-validation problems Prism reported for this answer (empty when none)."""
    raw = response.headers.get("sl-violations")
    loaded: list[dict[str, Any]] = json.loads(raw) if raw else []
    return loaded
