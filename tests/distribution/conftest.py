"""The distribution as a user gets it: sdist and wheel built once per session (python -m build),
and a fresh virtualenv outside the repository with only the wheel installed
(`docextract[contract,generate]`, dependencies from the package index)."""

import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 600  # seconds: building and installing on a loaded 2-core machine


@dataclass(frozen=True)
class Dist:
    wheel: Path
    sdist: Path


@dataclass(frozen=True)
class UserEnv:
    """A virtualenv holding only the built wheel and its dependencies."""

    root: Path

    @property
    def python(self) -> Path:
        return self.root / ("Scripts" if sys.platform == "win32" else "bin") / "python"

    @property
    def bin(self) -> Path:
        return self.python.parent

    def run(
        self, *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(a) for a in args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=env,
        )


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, ROOT)
    (wheel,) = out.glob("docextract-*.whl")
    (sdist,) = out.glob("docextract-*.tar.gz")
    return Dist(wheel, sdist)


@pytest.fixture(scope="session")
def user_env(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> UserEnv:
    root = tmp_path_factory.mktemp("user-venv")
    venv.create(root, with_pip=True, clear=True)
    env = UserEnv(root)
    run(env.python, "-m", "pip", "install", "-q", f"{dist.wheel}[contract,generate]")
    return env
