"""`docextract generate` and `docextract init` in a user's own project.

The project says what to build in `[tool.docextract]` of its pyproject.toml, or at the top level
of a docextract.toml (found in the current folder or the nearest parent):

    [tool.docextract]
    output = "clients"                     # where the packages go (default: generated)

    [tool.docextract.providers.numind]     # a bundled provider: its build settings come along
    spec = "specs/numind/openapi.yaml"
    package = "acme_numind"                # the user's own name: nothing collides

    [tool.docextract.providers.toy]        # a provider of the user's own
    spec = "specs/toy/openapi.yaml"
    package = "toy_client"
    build = "specs/toy/build.yaml"         # optional: generator options, accepted warnings

Before a package is regenerated, the change between the spec it was built from (kept in the
output folder's docextract-specs/) and the current one is reported, breaking changes first.
In this repository's checkout with no such table, the four bundled clients are built. A change
that breaks the wire or the generated Python API stops `generate` (exit 1) unless accepted:
`--accept-breaking`, or `accepted_breaking` in the provider's build.yaml.
"""

import shutil
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from docextract.errors import InvalidParameter
from docextract.providers import PROVIDERS

CONFIG_FILES = ("pyproject.toml", "docextract.toml")


@dataclass(frozen=True)
class Entry:
    name: str
    spec: Path
    package: str
    output: Path
    build_file: Path | None


@dataclass(frozen=True)
class Project:
    root: Path
    config_file: Path
    output: Path
    entries: tuple[Entry, ...]


def _table(path: Path) -> dict[str, Any] | None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if path.name == "pyproject.toml":
        found = data.get("tool", {}).get("docextract")
        return found if isinstance(found, dict) else None
    return data


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml with `[tool.docextract]`, or docextract.toml."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and _table(candidate) is not None:
                return candidate
    return None


def bundled_build_file(name: str) -> Path | None:
    from docextract.generator import BUNDLED_SPECS

    candidate = BUNDLED_SPECS / name / "build.yaml"
    return candidate if name in PROVIDERS and candidate.is_file() else None


def load(config_file: Path) -> Project:
    table = _table(config_file) or {}
    root = config_file.parent.resolve()
    where = f"{config_file.name} [tool.docextract]" if config_file.name == "pyproject.toml" else (
        config_file.name
    )  # fmt: skip
    output = root / str(table.get("output", "generated"))
    providers = table.get("providers")
    if not isinstance(providers, dict) or not providers:
        raise InvalidParameter(
            f"{where} providers", providers, "a table per provider: run `docextract init NAME`"
        )
    entries = []
    for name, raw in providers.items():
        if not isinstance(raw, dict) or not raw.get("spec"):
            raise InvalidParameter(f"{where} providers.{name}", raw, "a table with `spec = PATH`")
        spec = root / str(raw["spec"])
        if not spec.is_file():
            raise InvalidParameter(f"{where} providers.{name}.spec", str(raw["spec"]), "a file")
        package = str(raw.get("package") or f"{name}_client")
        if not package.isidentifier():
            raise InvalidParameter(f"{where} providers.{name}.package", package, "a Python name")
        if package in {p.package for p in PROVIDERS.values()}:
            raise InvalidParameter(
                f"{where} providers.{name}.package",
                package,
                "a name of your own (docextract's wheel already holds this package)",
            )
        build = root / str(raw["build"]) if raw.get("build") else bundled_build_file(name)
        out = root / str(raw["output"]) if raw.get("output") else output
        entries.append(Entry(name, spec, package, out, build))
    return Project(root, config_file, output, tuple(entries))


# ---------------------------------------------------------------- generate


def _builds(project: Project, only: Sequence[str]) -> list[Any]:
    from docextract.generator import ProviderBuild

    unknown = [name for name in only if name not in {e.name for e in project.entries}]
    if unknown:
        names = ", ".join(e.name for e in project.entries)
        raise InvalidParameter("--provider", unknown[0], f"one of {names} ({project.config_file})")
    chosen = [e for e in project.entries if not only or e.name in only]
    return [
        replace(
            ProviderBuild.from_files(e.name, e.spec, e.build_file, e.package), output_dir=e.output
        )
        for e in chosen
    ]


def generate(
    project: Project,
    *,
    only: Sequence[str] = (),
    check: bool = False,
    accept_breaking: bool = False,
) -> int:
    """Regenerate what changed, each spec's change report first (a breaking change stops it
    unless accepted); with `check`, report and compare only."""
    from docextract import generator

    generator.configure(project.root, project.output)
    builds = _builds(project, only)
    if check:
        generator.report_unchanged_specs(builds)
        for build in builds:  # the report of specs changed since their package was generated
            if not generator.is_current(build, generator.read_manifest()):
                previous = generator.committed_spec(build)
                if previous is not None and previous != build.spec.read_text(encoding="utf-8"):
                    from docextract.spec_diff import diff_specs, load_spec

                    wire = diff_specs(load_spec(previous), load_spec(build.spec.read_text("utf-8")))
                    generator.print_reports(build, wire, None)
        return generator.check(builds)
    for output in {b.output.parent for b in builds}:
        output.mkdir(parents=True, exist_ok=True)
    return generator.regenerate(builds, force=False, accept_breaking=accept_breaking)


# ---------------------------------------------------------------- init


def init(name: str, folder: Path) -> tuple[Path, list[str]]:
    """Add a starter `[tool.docextract.providers.NAME]` entry to the project in `folder`
    (pyproject.toml if there is one, else docextract.toml); a bundled provider's spec (and its
    events schema) is copied to specs/NAME/. Returns the file written and what was done."""
    if not name.isidentifier() or not name.islower():
        raise InvalidParameter("PROVIDER", name, "a lower-case Python name, e.g. numind or acme")
    pyproject = folder / "pyproject.toml"
    target = pyproject if pyproject.is_file() else folder / "docextract.toml"
    existing = target.read_text(encoding="utf-8") if target.is_file() else ""
    table = _table(target) if existing else None
    prefix = "tool.docextract." if target.name == "pyproject.toml" else ""
    if table and name in (table.get("providers") or {}):
        raise InvalidParameter("PROVIDER", name, f"a provider not yet in {target.name}")
    done: list[str] = []
    spec = Path("specs") / name / "openapi.yaml"
    if name in PROVIDERS:
        from docextract.generator import BUNDLED_SPECS

        for source in sorted((BUNDLED_SPECS / name).glob("*")):
            if source.name in ("openapi.yaml", "events.schema.json"):
                destination = folder / "specs" / name / source.name
                if not destination.exists():
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, destination)
                    done.append(
                        f"copied the bundled {name} spec to {destination.relative_to(folder)}"
                    )
        note = f"# the bundled {name} spec (its build settings come with docextract)"
    else:
        note = f"# put {name}'s OpenAPI document at {spec.as_posix()}"
    lines = []
    if table is None and target.name == "pyproject.toml":
        lines += ["", "[tool.docextract]", 'output = "generated"']
    elif table is None:
        lines += ['output = "generated"']
    lines += [
        "",
        f"[{prefix}providers.{name}]",
        note,
        f'spec = "{spec.as_posix()}"',
        f'package = "{name}_api"  # your own name: not one of the packages docextract ships',
    ]
    if existing:
        text = existing.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    else:
        text = "\n".join(lines).lstrip("\n") + "\n"
    tomllib.loads(text)  # what we write must read back
    target.write_text(text, encoding="utf-8")
    done.append(f"added providers.{name} to {target.name}")
    return target, done
