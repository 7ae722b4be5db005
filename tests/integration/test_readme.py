"""Every code block of README.md runs, as written, against the sandbox.

The "Try it on the sandbox" block starts the sandbox and evals its `--env` lines in one bash
process that stays up while the other blocks run (its port, 8700 in the README, is swapped for
a free one: tests never use fixed ports). Then, in a scratch folder holding `invoice.pdf` (the
example invoice) and `old.yaml`/`new.yaml` (a vendored spec), with that environment: each `sh`
line runs in bash and must exit 0; each `python` block runs as a script; the plugin's example is
a test file, recorded with `--docextract-record`, then replayed. `text` blocks are output, not
code. A block preceded by `<!-- readme-test: skip — reason -->` is left out, and the reason is
checked to be given.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BASH = "/bin/bash"
TIMEOUT = 120
_BLOCK = re.compile(r"(?:<!-- (readme-test: skip[^>]*)-->\n)?```(\w+)\n(.*?)```", re.DOTALL)


@dataclass(frozen=True)
class Block:
    language: str
    code: str
    skip: str | None
    line: int

    @property
    def id(self) -> str:
        return f"README.md:{self.line}-{self.language}"


def blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    return [
        Block(m.group(2), m.group(3), m.group(1), text.count("\n", 0, m.start()) + 1)
        for m in _BLOCK.finditer(text)
    ]


BLOCKS = blocks()
SANDBOX_BLOCK = next(b for b in BLOCKS if "docextract sandbox --env" in b.code)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    shutil.copy(ROOT / "examples" / "invoice.txt", folder / "invoice.pdf")
    for name in ("old.yaml", "new.yaml"):
        shutil.copy(ROOT / "specs" / "numind" / "openapi.yaml", folder / name)
    return folder


@pytest.fixture(scope="module")
def readme_env(workdir: Path) -> Iterator[dict[str, str]]:
    """The environment after the README's sandbox block ran (the sandbox still serving)."""
    port = str(free_port())
    bin_dir = str(Path(sys.executable).parent)  # where `docextract` and `python` are installed
    script = SANDBOX_BLOCK.code.replace("8700", port)
    # bounded: up to 10 s for the sandbox to listen (bash's /dev/tcp tries a connection)
    script += "\nfor _ in $(seq 100); do\n"
    script += "  (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1\ndone\n"
    script += "env -0\nprintf '\\0READY\\0'\nwait\n"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PORT": port}
    for name in list(env):
        if name.endswith(("_API_KEY", "_BASE_URL")):
            del env[name]
    process = subprocess.Popen(
        [BASH, "-c", script], cwd=workdir, env=env, stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        assert process.stdout is not None
        raw = b""
        while b"\0READY\0" not in raw:
            chunk = process.stdout.read1(65536)
            assert chunk, "the README's sandbox block ended early"
            raw += chunk
        pairs = raw.split(b"\0READY\0")[0].split(b"\0")
        exported = dict(p.decode().split("=", 1) for p in pairs if b"=" in p)
        assert exported["NUMIND_BASE_URL"] == f"http://127.0.0.1:{port}/numind"
        yield exported
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()


def test_every_block_is_run_or_says_why_not() -> None:
    assert {b.language for b in BLOCKS} <= {"sh", "console", "python", "text", "toml"}
    # a `console` transcript (commands with their output) cannot run as written: it says why
    assert all(b.skip for b in BLOCKS if b.language == "console")
    for block in BLOCKS:
        if block.skip:
            assert "—" in block.skip, block.id
            assert len(block.skip.split("—", 1)[1].strip()) > 10, block.id
    runnable = [b for b in BLOCKS if b.language in ("sh", "python") and not b.skip]
    assert len(runnable) >= 4


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


SH_BLOCKS = [b for b in BLOCKS if b.language == "sh" and not b.skip and b is not SANDBOX_BLOCK]
PY_BLOCKS = [b for b in BLOCKS if b.language == "python" and not b.skip]


@pytest.mark.parametrize("block", SH_BLOCKS, ids=[b.id for b in SH_BLOCKS])
def test_sh_block_runs(block: Block, readme_env: dict[str, str], workdir: Path) -> None:
    for line in block.code.strip().splitlines():
        done = run([BASH, "-c", line], workdir, readme_env)
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"


@pytest.mark.parametrize("block", PY_BLOCKS, ids=[b.id for b in PY_BLOCKS])
def test_python_block_runs(block: Block, readme_env: dict[str, str], workdir: Path) -> None:
    if "docextract_cassette" not in block.code:
        done = run([sys.executable, "-c", block.code], workdir, readme_env)
        assert done.returncode == 0, done.stdout + done.stderr
        return
    project = workdir / "project"
    (project / "tests").mkdir(parents=True, exist_ok=True)
    shutil.copy(workdir / "invoice.pdf", project / "invoice.pdf")
    (project / "tests" / "test_invoice.py").write_text(block.code, encoding="utf-8")
    pytest_args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    recorded = run([*pytest_args, "--docextract-record"], project, readme_env)
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    assert (project / "tests" / "cassettes" / "numind_invoice.yaml").exists()
    offline = {k: v for k, v in readme_env.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
    replayed = run(pytest_args, project, offline)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
