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

    [tool.docextract.providers.acme]       # or: the provider's whole published document
    upstream = "upstream/acme-openapi.json"
    spec = "specs/acme/openapi.yaml"       # the imported subset (default specs/NAME/openapi.yaml)
    package = "acme_api"
    tags = {Jobs = "jobs"}                 # optional: provider tag -> the `api.<tag>` module
    schemas = {JobV2 = "Job"}              # optional: provider schema -> our class name
    [tool.docextract.providers.acme.operations]  # our operation ID -> the provider's route
    create_job = "POST /v2/jobs"
    get_job = "GET /v2/jobs/{job_id}"

An `upstream` entry runs the import stage (docextract.importer) first: `spec` becomes the subset
of the published document that `operations` reach, its prose replaced by ours (descriptions
written in `spec` survive the next import), byte-identical for the same inputs; `--check` fails
when `spec` is out of step with its upstream. A bundled provider's name brings its operations,
names and descriptions along when the entry names none.

Before a package is regenerated, the change between the spec it was built from (kept in the
output folder's docextract-specs/) and the current one is reported, breaking changes first.
In this repository's checkout with no such table, the four bundled clients are built. A change
that breaks the wire or the generated Python API stops `generate` (exit 1) unless accepted:
`--accept-breaking`, or `accepted_breaking` in the provider's build.yaml.
"""

import hashlib
import json
import os
import re
import shutil
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from docextract.errors import InvalidParameter
from docextract.providers import PROVIDERS

CONFIG_FILES = ("pyproject.toml", "docextract.toml")


ROUTE = re.compile(r"(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE) /\S*")


@dataclass(frozen=True)
class Upstream:
    """An entry's import stage: the published document and what to take from it (the settings
    `docextract.importer.import_spec` reads: `operations`, `upstream.tags`, `upstream.schemas`)."""

    document: Path
    settings: dict[str, Any]
    where: str  # how the config names this entry, for errors and provenance
    borrowed: bool = False  # schema names from the bundled provider's (larger) selection


@dataclass(frozen=True)
class Entry:
    name: str
    spec: Path
    package: str
    output: Path
    build_file: Path | None
    upstream: Upstream | None = None


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
        if not isinstance(raw, dict) or not (raw.get("spec") or raw.get("upstream")):
            raise InvalidParameter(
                f"{where} providers.{name}", raw, "a table with `spec = PATH` or `upstream = PATH`"
            )
        upstream = _upstream(root, name, raw, f"{where} providers.{name}")
        spec = root / str(raw.get("spec") or f"specs/{name}/openapi.yaml")
        if upstream is None and not spec.is_file():
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
        entries.append(Entry(name, spec, package, out, build, upstream))
    return Project(root, config_file, output, tuple(entries))


def _mapping(value: object, where: str, allowed: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidParameter(where, value, allowed)
    return dict(value)


def _upstream(root: Path, name: str, raw: dict[str, Any], where: str) -> Upstream | None:
    """The entry's import settings, checked; None for an entry that names its spec only."""
    if not raw.get("upstream"):
        return None
    document = root / str(raw["upstream"])
    if not document.is_file():
        raise InvalidParameter(f"{where}.upstream", str(raw["upstream"]), "a file")
    operations = _mapping(
        raw.get("operations"), f"{where}.operations", 'a table of OPERATION_ID = "METHOD /path"'
    )
    for op_id, route in operations.items():
        if not op_id.isidentifier() or not ROUTE.fullmatch(route):
            raise InvalidParameter(
                f"{where}.operations.{op_id}", route, 'a Python name = "METHOD /path"'
            )
    settings: dict[str, Any] = {
        "tags": _mapping(raw.get("tags"), f"{where}.tags", 'a table of ProviderTag = "module"'),
        "schemas": _mapping(
            raw.get("schemas"), f"{where}.schemas", 'a table of ProviderSchema = "OurName"'
        ),
    }
    if raw.get("published"):
        settings["published"] = str(raw["published"])
    bundled = _bundled_settings(name)
    if not operations and bundled is None:
        raise InvalidParameter(
            f"{where}.operations", raw.get("operations"), 'a table of OPERATION_ID = "METHOD /path"'
        )
    borrowed = bundled is not None and not settings["schemas"]
    if bundled is not None:  # a bundled provider's names (and, if none named, its selection)
        operations = operations or bundled["operations"]
        settings = {**bundled["upstream"], **{k: v for k, v in settings.items() if v}}
    return Upstream(document, {"upstream": settings, "operations": operations}, where, borrowed)


def _bundled_settings(name: str) -> dict[str, Any] | None:
    build_file = bundled_build_file(name)
    if build_file is None:
        return None
    import yaml

    data = yaml.safe_load(build_file.read_text(encoding="utf-8")) or {}
    if not data.get("operations"):
        return None
    settings = {k: v for k, v in (data.get("upstream") or {}).items() if k in ("tags", "schemas")}
    return {"upstream": settings, "operations": dict(data["operations"])}


# ---------------------------------------------------------------- the import stage


def import_upstream(project: Project, entry: Entry, *, check: bool) -> int:
    """Write (or, with `check`, compare) the entry's spec from its upstream; 1 if out of step."""
    from docextract import importer

    upstream = entry.upstream
    if upstream is None:
        return 0
    raw = upstream.document.read_bytes()
    try:
        document = importer.load_document(upstream.document)
    except ValueError as error:  # not JSON or YAML at all
        raise importer.SpecImportError(f"{upstream.where}.upstream: {error}") from None
    settings = upstream.settings
    if not settings["upstream"].get("tags"):  # each provider tag names its module
        settings = {**settings, "upstream": {**settings["upstream"], "tags": _tags(document)}}
    current = _current(entry)
    imported = importer.import_spec(
        document,
        settings,
        current,
        source=str(upstream.document),
        digest=hashlib.sha256(raw).hexdigest(),
        by="docextract generate",
        settings_name=project.config_file.name,
        renames_must_reach=not upstream.borrowed,
    )
    text = importer.dump(imported, importer.PROJECT_HEADER)
    spec, source = _shown(entry.spec, project.root), _shown(upstream.document, project.root)
    existing = entry.spec.read_text(encoding="utf-8") if entry.spec.is_file() else None
    if existing == text:
        return 0
    if check:
        print(f"{entry.name}: {spec} is out of step with {source}; run docextract generate")
        return 1
    entry.spec.parent.mkdir(parents=True, exist_ok=True)
    entry.spec.write_text(text, encoding="utf-8")
    count = sum(len(item) for item in imported["paths"].values())
    schemas = len(imported["components"].get("schemas", {}))
    print(f"{entry.name}: {spec} imported from {source}: {count} operations, {schemas} schemas")
    return 0


def _tags(document: dict[str, Any]) -> dict[str, str]:
    names = {
        tag
        for item in document["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
        for tag in op.get("tags") or ()
        if isinstance(tag, str)
    }
    return {tag: re.sub(r"\W+", "_", tag).strip("_").lower() or "default" for tag in sorted(names)}


def _current(entry: Entry) -> dict[str, Any] | None:
    """The spec being replaced, whose descriptions and examples the import keeps: the entry's
    own, else (first import of a bundled provider) the bundled one."""
    import yaml

    from docextract.generator import BUNDLED_SPECS

    bundled = BUNDLED_SPECS / entry.name / "openapi.yaml"
    for candidate in (entry.spec, *((bundled,) if entry.name in PROVIDERS else ())):
        if candidate.is_file():
            loaded = yaml.safe_load(candidate.read_text(encoding="utf-8"))
            return loaded if isinstance(loaded, dict) else None
    return None


def _shown(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


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
    chosen = [e for e in project.entries if not only or e.name in only]
    stale = sum(import_upstream(project, e, check=check) for e in chosen if e.upstream)
    if stale:  # --check: the imported specs, then the code built from them
        missing = [e for e in chosen if not e.spec.is_file()]
        if missing:
            return 1
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
        return max(generator.check(builds), 1 if stale else 0)
    for output in {b.output.parent for b in builds}:
        output.mkdir(parents=True, exist_ok=True)
    return generator.regenerate(builds, force=False, accept_breaking=accept_breaking)


# ---------------------------------------------------------------- init


def init(name: str, folder: Path, upstream: Path | None = None) -> tuple[Path, list[str]]:
    """Add a starter `[tool.docextract.providers.NAME]` entry to the project in `folder`
    (pyproject.toml if there is one, else docextract.toml); a bundled provider's spec (and its
    events schema) is copied to specs/NAME/. With `upstream` (the provider's published
    document), the entry imports from it instead: its routes are listed as a starter
    `operations` table, or a bundled provider's own selection applies. Returns the file
    written and what was done."""
    if not name.isidentifier() or not name.islower():
        raise InvalidParameter("PROVIDER", name, "a lower-case Python name, e.g. numind or acme")
    routes = _upstream_routes(upstream) if upstream is not None else None
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

        copied = ("events.schema.json",) if upstream else ("openapi.yaml", "events.schema.json")
        for source in sorted((BUNDLED_SPECS / name).glob("*")):
            if source.name in copied:
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
    lines += ["", f"[{prefix}providers.{name}]"]
    if upstream is not None:
        shown = upstream.as_posix()
        if upstream.is_absolute() and upstream.is_relative_to(folder.absolute()):
            shown = upstream.relative_to(folder.absolute()).as_posix()
        lines += [
            "# the provider's published document: `docextract generate` imports what",
            "# `operations` reach into `spec` (prose replaced by ours), then generates",
            f"upstream = {json.dumps(shown)}",
        ]
    else:
        lines.append(note)
    lines += [
        f'spec = "{spec.as_posix()}"',
        f'package = "{name}_api"  # your own name: not one of the packages docextract ships',
    ]
    if routes is not None:
        bundled = _bundled_settings(name)
        if bundled is not None:  # what applies while the table is empty
            routes = list(bundled["operations"].items())
            lines.append(f"# operations: the bundled {name} selection unless you name yours")
        lines += ["", f"[{prefix}providers.{name}.operations]"]
        lines.append("# our operation ID (the generated module) = the provider's route; uncomment:")
        lines += [f"# {op_id} = {json.dumps(route)}" for op_id, route in routes[:ROUTES_LISTED]]
        if len(routes) > ROUTES_LISTED:
            lines.append(f"# ... {len(routes) - ROUTES_LISTED} more routes in {upstream}")
    if existing:
        text = existing.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    else:
        text = "\n".join(lines).lstrip("\n") + "\n"
    tomllib.loads(text)  # what we write must read back
    target.write_text(text, encoding="utf-8")
    done.append(f"added providers.{name} to {target.name}")
    return target, done


ROUTES_LISTED = 25  # a starter table, not the provider's whole API in pyproject.toml


def _snake(text: str) -> str:
    return re.sub(r"[\W_]+", "_", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)).strip("_").lower()


def _upstream_routes(upstream: Path) -> list[tuple[str, str]]:
    """(a Python name, "METHOD /path") for each operation of the published document."""
    from docextract import importer

    if not upstream.is_file():
        raise InvalidParameter(
            "--upstream", str(upstream), "a file: the provider's OpenAPI document"
        )
    try:
        document = importer.load_document(upstream)
    except (ValueError, importer.SpecImportError) as error:
        raise InvalidParameter(
            "--upstream", str(upstream), f"an OpenAPI document ({error})"
        ) from None
    routes = []
    for path, item in document["paths"].items():
        for method in importer.METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if isinstance(op, dict):
                op_id = _snake(str(op.get("operationId") or f"{method}_{path}"))
                suffix = "_" + _snake(f"{path}_{method}")  # FastAPI's ..._api_v1_jobs_get
                if op_id.endswith(suffix) and len(op_id) > len(suffix):
                    op_id = op_id.removesuffix(suffix)
                if not op_id.isidentifier():
                    op_id = f"{method}_{op_id}"
                routes.append((op_id, f"{method.upper()} {path}"))
    return routes
