"""Running the sandbox: `main` (the `docextract sandbox` command), `serve`, and `running_sandbox`
(in-process, on a background thread, for tests and demos).

The sandbox listens on 127.0.0.1 only. The command's first line on stdout is exactly
`docextract sandbox listening on http://127.0.0.1:PORT`; SIGINT or SIGTERM stop it (exit 0).
"""

import argparse
import contextlib
import logging
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from subprocess import PIPE, Popen, TimeoutExpired
from types import FrameType
from typing import Any, cast

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from docextract.errors import InvalidParameter
from docextract.providers import ProviderName
from docextract.sandbox.app import create_app
from docextract.sandbox.config import Outcome, SandboxConfig, Schedule
from docextract.sandbox.faults import Fault
from docextract.sandbox.handle import Sandbox
from docextract.sandbox.startup import env_lines, summary
from docextract.sandbox.state import SandboxState

HOST = "127.0.0.1"
LISTENING = "docextract sandbox listening on "  # the first line on stdout, then the URL
GRACE_SECONDS = 2
"""Longest wait, once stopping, for requests in flight (streams and silent faults end at once)."""
START_TIMEOUT = STOP_TIMEOUT = 10.0


class _Server(uvicorn.Server):
    """Tells the app as soon as shutdown begins, so that open streams and silent faults end."""

    def __init__(self, config: uvicorn.Config, state: SandboxState) -> None:
        super().__init__(config)
        self._state = state

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._state.stop()
        await super().shutdown(sockets)


class _CutShortOnPurpose(logging.Filter):
    """Hides uvicorn's complaint about answers the `drop` and `silent` faults cut short."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("ASGI callable returned without")


_QUIET = _CutShortOnPurpose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="docextract sandbox",
        description="Serve the four providers' APIs locally, with stateful jobs and faults.",
    )
    parser.add_argument("--host", default=HOST, help="only 127.0.0.1 is accepted")
    parser.add_argument("--port", type=int, default=0, help="0 (the default): any free port")
    parser.add_argument("--api-key", default="sandbox", help="the one key accepted")
    parser.add_argument(
        "--env",
        action="store_true",
        help="print the `export` lines (keys, base URLs) for a sandbox on --port, then exit: "
        'eval "$(docextract sandbox --env --port 8700)"',
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help="PROVIDER:ROUTE=KIND[:ARG][xCOUNT], e.g. 'numind:GET /api/jobs/{jobId}=status:503x3'",
    )
    parser.add_argument("--step-seconds", type=float, default=1.0, help="each job status lasts")
    parser.add_argument("--ping-interval", type=float, default=30.0, help="NuMind stream pings")
    parser.add_argument(
        "--outcome",
        action="append",
        default=[],
        metavar="PROVIDER=OUTCOME",
        help="how the provider's jobs end: completed, failed, cancelled, nonconforming (NuMind)",
    )
    args = parser.parse_args(argv)
    if args.env:
        if not args.port:
            parser.error("--env needs --port: the port the sandbox serves (or will serve) on")
        print("\n".join(env_lines(f"http://{args.host}:{args.port}", args.api_key)))
        return 0
    try:
        outcomes = dict(item.partition("=")[::2] for item in args.outcome)
        config = SandboxConfig(
            api_key=args.api_key,
            step_seconds=args.step_seconds,
            ping_interval=args.ping_interval,
            faults=tuple(Fault.parse(spec) for spec in args.fault),
            schedules={
                cast(ProviderName, name): Schedule(outcome=cast(Outcome, outcome))
                for name, outcome in outcomes.items()
            },
        )
        serve(config, host=args.host, port=args.port)
    except InvalidParameter as error:
        parser.error(str(error))
    except OSError as error:
        parser.exit(1, f"docextract sandbox: cannot listen on {args.host}:{args.port}: {error}\n")
    return 0


def serve(config: SandboxConfig | None = None, *, host: str = HOST, port: int = 0) -> None:
    """Serve until SIGINT or SIGTERM; the first line on stdout says where."""
    listener = bind(host, port)
    server = _server(SandboxState(config or SandboxConfig()), log_config=LOGGING_CONFIG)

    def stop(signum: int, frame: FrameType | None) -> None:
        server.should_exit = True  # also absorbs the signal uvicorn raises again once stopped

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        url = url_of(listener)
        print(f"{LISTENING}{url}", flush=True)  # the first line: scripts read it
        print("\n".join(summary(url, server_key(config))), flush=True)
        server.run(sockets=[listener])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        listener.close()


@contextlib.contextmanager
def sandbox_process(*args: str, stop_timeout: float = 15.0) -> Iterator[tuple[str, Popen[str]]]:
    """`docextract sandbox --port 0 ARGS` as a child process: yields its URL and the process,
    then stops it with SIGTERM (the process's returncode tells how it ended)."""
    command = [sys.executable, "-m", "docextract", "sandbox", "--port", "0", *args]
    process = Popen(command, stdout=PIPE, text=True)  # noqa: S603 (our own module)
    try:
        first = process.stdout.readline().strip() if process.stdout else ""
        if not first.startswith(LISTENING):
            raise RuntimeError(f"the sandbox did not start: {first!r}")
        yield first.removeprefix(LISTENING), process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=stop_timeout)
        except TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def server_key(config: SandboxConfig | None) -> str:
    return (config or SandboxConfig()).api_key


@contextlib.contextmanager
def running_sandbox(config: SandboxConfig | None = None, *, port: int = 0) -> Iterator[Sandbox]:
    """A sandbox serving on a background thread while the block runs; stopped on exit (within
    seconds, streams open or not). Usable from sync and async code alike."""
    config = config or SandboxConfig()
    listener = bind(HOST, port)
    server = _server(SandboxState(config), log_config=None)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="docextract-sandbox", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.005)
        with Sandbox(url_of(listener), config.api_key) as sandbox:
            yield sandbox
    finally:
        server.should_exit = True
        thread.join(STOP_TIMEOUT)
        listener.close()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (any other host is refused); port 0: a free one."""
    if host != HOST:
        raise InvalidParameter("host", host, f"{HOST} (the sandbox listens on loopback only)")
    # IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets of that protocol (else ~40 ms a request)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen()
    except OSError:
        listener.close()
        raise
    return listener


def url_of(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    return f"http://{host}:{port}"


def _server(state: SandboxState, *, log_config: dict[str, Any] | None) -> _Server:
    config = uvicorn.Config(
        create_app(state),
        http="h11",
        ws="none",
        lifespan="off",
        log_config=log_config,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=GRACE_SECONDS,
    )
    logging.getLogger("uvicorn.error").addFilter(_QUIET)  # after the config set logging up
    return _Server(config, state)


if __name__ == "__main__":
    sys.exit(main())
