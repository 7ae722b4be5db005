"""The build: regenerate the typed clients in generated/ from the vendored specs in specs/.

    python scripts/generate.py                    # every provider whose inputs changed
    python scripts/generate.py --provider numind  # one provider
    python scripts/generate.py --force            # regenerate even when inputs are unchanged
    python scripts/generate.py --check            # fail, listing files, if generated/ is stale
    python scripts/generate.py --schema invoice.schema.json --output invoice_model.py

Each provider's build is described by specs/<provider>/build.yaml. The build is deterministic:
pinned generator versions, isolated ruff settings, no timestamps. generated/MANIFEST.json records
the fingerprint of every input and of the output, so a provider whose inputs did not change and
whose output was not touched is skipped without importing the generators.

It lives in the package (the `generate` extra) so that `docextract generate` runs it in any
project (docextract.project: `[tool.docextract]`); scripts/generate.py runs it on this
repository's own specs. `configure()` points it at another project's folders.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE_DIR.parents[1]  # overlay/docextract/ -> the repository
# in the wheel: docextract/templates and docextract/specs; in a checkout: build/ and specs/
_WHEEL_TEMPLATES = PACKAGE_DIR / "templates"
TEMPLATES = _WHEEL_TEMPLATES if _WHEEL_TEMPLATES.is_dir() else _CHECKOUT / "build" / "templates"
BUNDLED_SPECS = PACKAGE_DIR / "specs" if (PACKAGE_DIR / "specs").is_dir() else _CHECKOUT / "specs"
ROOT = _CHECKOUT
SPECS = ROOT / "specs"
GENERATED = ROOT / "generated"
MANIFEST = GENERATED / "MANIFEST.json"
GENERATED_BY = "scripts/generate.py"  # named in generated files
# a user's project: the spec each package was last built from (what its change report compares
# with); None in this repository, whose reports compare with git HEAD
SNAPSHOTS: Path | None = None


def configure(root: Path, generated: Path, specs: Path | None = None) -> None:
    """Build another project: its root (paths are shown relative to it), output and specs."""
    global ROOT, SPECS, GENERATED, MANIFEST, GENERATED_BY, SNAPSHOTS
    GENERATED_BY = "docextract generate"
    ROOT, GENERATED = root.resolve(), generated.resolve()
    SPECS = (specs or root / "specs").resolve()
    MANIFEST = GENERATED / "MANIFEST.json"
    SNAPSHOTS = GENERATED / "docextract-specs"


def shown(path: Path) -> str:
    """A path as messages and fingerprints name it: relative to the project, else to the
    installed package's folder (the wheel's templates), else as is."""
    resolved = path.resolve()
    for base in (ROOT, PACKAGE_DIR.parent):
        if resolved.is_relative_to(base):
            return resolved.relative_to(base).as_posix()
    return resolved.as_posix()


# every folder of specs/ with a build.yaml is a provider: adding one needs no edit here
PROVIDERS = tuple(sorted(p.parent.name for p in SPECS.glob("*/build.yaml")))
RUFF_LINE_LENGTH = "120"
# The versions the committed output was produced with; a different one would change bytes.
PINNED = {"openapi-python-client": "0.29.1", "datamodel-code-generator": "0.89.0", "ruff": "0.17.5"}


class BuildError(Exception):
    """The build cannot produce a faithful client; the message says why."""


@dataclass(frozen=True)
class ProviderBuild:
    name: str
    spec: Path
    config_file: Path
    package: str
    generator_options: dict[str, Any]
    accepted_warnings: tuple[AcceptedWarning, ...]
    accepted_breaking: tuple[AcceptedBreaking, ...]
    events_schema: Path | None
    output_dir: Path | None = None  # default: GENERATED (a user's project names its own)

    @classmethod
    def load(cls, name: str) -> ProviderBuild:
        folder = SPECS / name
        return cls.from_files(name, folder / "openapi.yaml", folder / "build.yaml", None)

    @classmethod
    def from_files(
        cls, name: str, spec: Path, config_file: Path | None, package: str | None
    ) -> ProviderBuild:
        import yaml

        data: dict[str, Any] = {}
        if config_file is not None:
            if not config_file.is_file():
                raise BuildError(f"{config_file}: no such build.yaml")
            data = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
        events = data.get("events_schema")
        accepted = tuple(
            AcceptedWarning.parse(entry, config_file or spec)
            for entry in data.get("accepted_warnings") or ()
        )
        breaking = tuple(
            AcceptedBreaking.parse(entry, config_file or spec)
            for entry in data.get("accepted_breaking") or ()
        )
        default_package = "".join(c if c.isalnum() else "_" for c in name.lower()) + "_client"
        return cls(
            name=name,
            spec=spec,
            config_file=config_file or spec,
            package=package or data.get("package", default_package),
            generator_options=dict(data.get("generator") or {}),
            accepted_warnings=accepted,
            accepted_breaking=breaking,
            events_schema=spec.parent / events if events else None,
        )

    @property
    def output(self) -> Path:
        return (self.output_dir or GENERATED) / self.package

    def input_files(self) -> list[Path]:
        files = [self.spec, self.config_file, Path(__file__).resolve()]
        files += sorted(TEMPLATES.rglob("*.jinja"))
        if self.events_schema is not None:
            files.append(self.events_schema)
        return files


# ---------------------------------------------------------------- fingerprints


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def input_fingerprint(build: ProviderBuild) -> dict[str, str]:
    prints = {shown(p): _sha256(p.read_bytes()) for p in build.input_files()}
    prints.update({f"version:{tool}": version for tool, version in PINNED.items()})
    return prints


def tree_files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def tree_fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for name, data in tree_files(folder).items():
        digest.update(name.encode() + b"\0" + _sha256(data).encode() + b"\n")
    return digest.hexdigest()


def read_manifest() -> dict[str, Any]:
    if MANIFEST.exists():
        loaded: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
        return loaded
    return {}


def write_manifest(manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    MANIFEST.write_text(text, encoding="utf-8")


def is_current(build: ProviderBuild, manifest: dict[str, Any]) -> bool:
    entry = manifest.get(build.name)
    return (
        entry is not None
        and entry.get("inputs") == input_fingerprint(build)
        and entry.get("output") == tree_fingerprint(build.output)
    )


# ---------------------------------------------------------------- generation


def check_tool_versions() -> None:
    from importlib.metadata import version

    wrong = {tool: version(tool) for tool in PINNED if version(tool) != PINNED[tool]}
    if wrong:
        found = ", ".join(f"{t} {v} (pinned {PINNED[t]})" for t, v in wrong.items())
        raise BuildError(f"the build needs its pinned tools: found {found}; run `nox -s generate`")


def validate_spec(build: ProviderBuild) -> dict[str, Any]:
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    document = _load_document(build.spec)
    try:
        validate(document)
    except OpenAPIValidationError as exc:
        raise BuildError(f"{shown(build.spec)} is not valid OpenAPI: {exc}") from exc
    except Exception as exc:  # the validator's own errors: a $ref to nowhere, say
        raise BuildError(f"{shown(build.spec)} cannot be validated: {exc!r}"[:2000]) from exc
    loaded: dict[str, Any] = document
    return loaded


def _upstream_aware_loader(custom: Path) -> Any:
    """Custom templates first; the generator's own templates also reachable as `upstream/<name>`,
    so a custom template can include the one it adjusts instead of copying it whole."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

    upstream = PackageLoader("openapi_python_client")
    return ChoiceLoader(
        [FileSystemLoader(str(custom)), PrefixLoader({"upstream": upstream}), upstream]
    )


@dataclass(frozen=True)
class GeneratorWarning:
    """One part of the spec the generator dropped or changed, under a key that stays the same
    from run to run: `kind` plus the operation (``GET /path``, with ``status`` for a response)
    or the schema it concerns. The generator's own messages carry object addresses, so they are
    kept for people to read and never matched."""

    kind: str
    operation: str | None = None
    status: str | None = None
    schema: str | None = None
    message: str = ""

    @property
    def key(self) -> tuple[str, str | None, str | None, str | None]:
        return (self.kind, self.operation, self.status, self.schema)

    def describe(self) -> str:
        subject = " ".join(filter(None, (self.operation, self.status, self.schema)))
        return f"{self.kind}: {subject}" + (f" ({self.message})" if self.message else "")


WARNING_KINDS = (
    "endpoint-dropped",  # the operation has no generated function
    "response-dropped",  # one response of an operation is not parsed by the generated function
    "endpoint-warning",  # anything else the generator says about an operation
    "schema-dropped",  # a schema (and what depends on it) has no generated model
    "generator-warning",  # a warning the build cannot attach to an operation or schema
)


@dataclass(frozen=True)
class ModelCase:
    """A generated model and the JSON values it must parse and round-trip: an instance built
    from its schema (every property present) and, when the spec has one, its example."""

    class_name: str
    module: str
    instance: Any
    example: Any = None
    multipart: bool = False


@dataclass(frozen=True)
class GeneratorRun:
    warnings: tuple[GeneratorWarning, ...]
    models: tuple[ModelCase, ...]


def run_openapi_python_client(
    build: ProviderBuild, destination: Path, document: dict[str, Any] | None = None
) -> GeneratorRun:
    """Generate the package into `destination`; return the generator's warnings (with stable
    keys) and, for the post-build check, every model with a value to round-trip."""
    import openapi_python_client as opc
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser.errors import GeneratorError

    options = {**build.generator_options, "package_name_override": build.package, "post_hooks": []}
    config = Config.from_sources(
        ConfigFile(**options),
        MetaType.NONE,
        build.spec,
        "utf-8",
        overwrite=True,
        output_path=destination,
    )
    project = opc._get_project_for_url_or_path(config=config, custom_template_path=TEMPLATES)
    if isinstance(project, GeneratorError):
        raise BuildError(f"{build.name}: {project.header}: {project.detail}")
    project.env.loader = _upstream_aware_loader(TEMPLATES)
    errors = project.build()
    document = document if document is not None else _load_document(build.spec)
    warnings = tuple(w for error in errors for w in classify_generator_error(error, document))
    models = tuple(model_cases(document, project.openapi.models))
    return GeneratorRun(warnings=_unique(warnings), models=models)


def _load_document(spec: Path) -> dict[str, Any]:
    """The spec as data: JSON read as JSON (a YAML parser takes seconds on a 1.5 MB spec)."""
    import yaml

    text = spec.read_text(encoding="utf-8")
    try:
        loaded: dict[str, Any] = json.loads(text)
    except ValueError:
        loaded = yaml.safe_load(text)
    return loaded


def _unique(warnings: Iterable[GeneratorWarning]) -> tuple[GeneratorWarning, ...]:
    """One warning per key (the generator reports an endpoint once per tag it carries)."""
    by_key: dict[tuple[str, str | None, str | None, str | None], GeneratorWarning] = {}
    for warning in warnings:
        by_key.setdefault(warning.key, warning)
    return tuple(sorted(by_key.values(), key=lambda w: tuple(str(k) for k in w.key)))


_ENDPOINT_HEADER = re.compile(
    r"parsing (?P<method>[A-Z]+) (?P<path>\S+) within .*?\."
    r"(?P<dropped> Endpoint will not be generated\.)?\s*$"
)
_SCHEMA_HEADER = re.compile(r"Unable to process schema (?P<ref>\S+?):?\s*$")
_REMOVED_REF = re.compile(r"^/components/schemas/(?P<name>\S+)$", re.MULTILINE)
_OBJECT_ADDRESS = re.compile(r"<[\w.]+ object at 0x[0-9a-fA-F]+>")


def _readable(text: str | None) -> str:
    """The generator's text without object addresses (it prints some of its strings' reprs)."""
    cleaned = _OBJECT_ADDRESS.sub("?", text or "")
    return " ".join(cleaned.split("\n\nFailure to process")[0].split())


def _dumped(data: Any) -> Any:
    return data.model_dump(mode="json", by_alias=True, exclude_unset=True) if data else None


def classify_generator_error(error: Any, document: dict[str, Any]) -> list[GeneratorWarning]:
    """Turn one openapi-python-client error into warnings keyed by operation or schema name."""
    level = getattr(error.level, "value", error.level)  # an ErrorLevel enum, or a plain string
    header, detail = error.header or "", _readable(error.detail)
    if str(level).upper() != "WARNING":
        raise BuildError(f"the generator failed: {_readable(header)} {detail}".strip())
    if endpoint := _ENDPOINT_HEADER.search(header):
        operation = f"{endpoint['method']} {endpoint['path']}"
        if endpoint["dropped"]:
            return [GeneratorWarning("endpoint-dropped", operation=operation, message=detail)]
        if "response will be omitted" in detail:
            status = _response_status(document, endpoint["method"], endpoint["path"], error)
            return [
                GeneratorWarning(
                    "response-dropped", operation=operation, status=status, message=detail
                )
            ]
        return [GeneratorWarning("endpoint-warning", operation=operation, message=detail)]
    removed = [m["name"] for m in _REMOVED_REF.finditer(error.detail or "")]
    if schema := _SCHEMA_HEADER.search(header.strip()):
        root = schema["ref"].rsplit("/", 1)[-1]
        names = [root, *(name for name in removed if name != root)]
    else:
        names = removed or _component_names(document, _dumped(getattr(error, "data", None)))
    if names:
        return [
            GeneratorWarning(
                "schema-dropped",
                schema=name,
                message=detail if name == names[0] else f"{detail}; depends on {names[0]}",
            )
            for name in names
        ]
    return [GeneratorWarning("generator-warning", message=f"{_readable(header)} {detail}".strip())]


def _component_names(document: dict[str, Any], data: Any) -> list[str]:
    if data is None:
        return []
    schemas = document.get("components", {}).get("schemas", {})
    return [name for name, schema in schemas.items() if schema == data]


def _response_status(document: dict[str, Any], method: str, path: str, error: Any) -> str | None:
    """Which status of the operation the dropped response is (the generator's message prints
    the status as an object address): the one whose response, or its schema, is the error's data."""
    responses = document.get("paths", {}).get(path, {}).get(method.lower(), {}).get("responses", {})
    data = _dumped(getattr(error, "data", None))
    matches = [
        str(status)
        for status, response in responses.items()
        if data in (response, *(m.get("schema") for m in response.get("content", {}).values()))
    ]
    return matches[0] if len(matches) == 1 else None


@dataclass(frozen=True)
class AcceptedWarning:
    kind: str
    operation: str | None
    status: str | None
    schema: str | None
    message: str | None
    reason: str

    @classmethod
    def parse(cls, entry: Any, source: Path) -> AcceptedWarning:
        where = shown(source)
        if not isinstance(entry, dict):
            raise BuildError(f"{where}: an accepted warning is a mapping, got {entry!r}")
        if "match" in entry:
            raise BuildError(
                f"{where}: accepted warnings are matched by `kind` and `operation` or `schema`, "
                f"not by message text (`match: {entry['match']!r}`)"
            )
        kind = entry.get("kind")
        if kind not in WARNING_KINDS:
            raise BuildError(
                f"{where}: accepted warning `kind` must be one of "
                f"{', '.join(WARNING_KINDS)}; got {kind!r}"
            )
        if not entry.get("reason"):
            raise BuildError(f"{where}: accepted warning {kind} needs a `reason`")
        subject = {"generator-warning": "message"}.get(
            kind, "schema" if kind == "schema-dropped" else "operation"
        )
        if not entry.get(subject):
            raise BuildError(f"{where}: accepted warning {kind} needs `{subject}`")
        status = entry.get("status")
        return cls(
            kind=kind,
            operation=entry.get("operation"),
            status=None if status is None else str(status),
            schema=entry.get("schema"),
            message=entry.get("message"),
            reason=str(entry["reason"]),
        )

    def accepts(self, warning: GeneratorWarning) -> bool:
        if self.kind != warning.kind:
            return False
        if self.kind == "generator-warning":
            return self.message == warning.message
        return (self.operation, self.status, self.schema) == (
            warning.operation,
            self.status and warning.status,  # no `status`: every response of the operation
            warning.schema,
        )


def check_warnings(build: ProviderBuild, warnings: Iterable[GeneratorWarning]) -> None:
    """Report every warning; fail on one no entry of build.yaml accepts, and on an entry that
    accepts nothing any more (the spec changed: the reason is stale)."""
    warnings = list(warnings)
    for warning in warnings:
        accepted = next((a for a in build.accepted_warnings if a.accepts(warning)), None)
        state = f"accepted: {accepted.reason}" if accepted else "NOT ACCEPTED"
        print(f"{build.name}: warning {warning.describe()} [{state}]", file=sys.stderr)
    unaccepted = [w for w in warnings if not any(a.accepts(w) for a in build.accepted_warnings)]
    stale = [a for a in build.accepted_warnings if not any(a.accepts(w) for w in warnings)]
    problems = [f"{w.describe()}" for w in unaccepted]
    problems += [
        f"accepted warning no longer happens, remove it: {a.kind} "
        + " ".join(filter(None, (a.operation, a.status, a.schema, a.message)))
        for a in stale
    ]
    if problems:
        listing = "\n  - ".join(problems)
        raise BuildError(
            f"{build.name}: the generator dropped or changed parts of the spec:\n  - {listing}\n"
            "Fix the spec, change the generator options, or accept the warning (kind, operation "
            f"or schema, reason) in {shown(build.config_file)}."
        )


# ---------------------------------------------------------------- post-build check
# The generator can write a package that imports but whose models fail at parse time (a model
# whose nested model was dropped raises ModuleNotFoundError from `from_dict`). So, after
# generating, a fresh interpreter imports every module and round-trips every model.

_SAMPLE_DEPTH = 6
_BINARY = "__docextract_binary__"  # stands for file content in a JSON case; the check sends bytes


def model_cases(document: dict[str, Any], models: Iterable[Any]) -> Iterable[ModelCase]:
    for model in models:
        schema = _dumped(model.data) or {}
        yield ModelCase(
            class_name=str(model.class_info.name),
            module=str(model.class_info.module_name),
            instance=sample_instance(document, schema),
            example=_example(schema),
            multipart=bool(getattr(model, "is_multipart_body", False)),
        )


def _example(schema: dict[str, Any]) -> Any:
    if isinstance(schema.get("example"), dict):
        return schema["example"]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples and isinstance(examples[0], dict):
        return examples[0]
    return None


class _Omit:
    pass


_OMIT = _Omit()
_STRING_SAMPLES = {
    "date-time": "2026-01-02T03:04:05Z",
    "date": "2026-01-02",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "binary": _BINARY,
    "email": "user@example.com",
    "uri": "https://example.com/",
}


def sample_instance(document: dict[str, Any], schema: Any) -> Any:
    """A JSON value of `schema` with every property present (so that every nested model's parser
    runs), recursion cut where a schema recurs."""
    value = _sample(document, schema, 0, ())
    return {} if value is _OMIT else value


def _sample(document: dict[str, Any], schema: Any, depth: int, refs: tuple[str, ...]) -> Any:
    if not isinstance(schema, dict) or depth > _SAMPLE_DEPTH:
        return _OMIT
    if isinstance(ref := schema.get("$ref"), str):
        if ref in refs:
            return _OMIT
        target = _resolve(document, {"$ref": ref})
        merged = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        return _sample(document, merged, depth, (*refs, ref))
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list):
        return next((v for v in schema["enum"] if v is not None), None)
    if schema.get("allOf"):
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for member in schema["allOf"]:
            resolved = _resolve(document, member)
            merged["properties"] = {
                **resolved.get("properties", {}),
                **merged.get("properties", {}),
            }
            merged["required"] = [*resolved.get("required", ()), *merged.get("required", ())]
            merged.setdefault("type", resolved.get("type"))
        return _sample(document, merged, depth, refs)
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            nullable = False
            for variant in schema[key]:
                if _resolve(document, variant).get("type") == "null":
                    nullable = True
                    continue
                value = _sample(document, variant, depth, refs)
                if value is not _OMIT:
                    return value
            return None if nullable else _OMIT
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or (kind is None and "properties" in schema):
        result: dict[str, Any] = {}
        for name, prop in schema.get("properties", {}).items():
            value = _sample(document, prop, depth + 1, refs)
            if value is _OMIT:
                if name in schema.get("required", ()):
                    return _OMIT
                continue
            result[name] = value
        return result
    if kind == "array":
        item = _sample(document, schema.get("items", {}), depth + 1, refs)
        return [] if item is _OMIT else [item] * max(1, int(schema.get("minItems", 1)))
    if kind == "string":
        sample = _STRING_SAMPLES.get(str(schema.get("format")), "x")
        return sample * max(1, int(schema.get("minLength", 1))) if sample == "x" else sample
    if kind in ("integer", "number"):
        low, above = schema.get("minimum"), schema.get("exclusiveMinimum")
        if isinstance(above, int | float) and not isinstance(above, bool):
            low = above + 1  # 3.1: a number; 3.0's boolean form leaves `minimum` as it is
        elif not isinstance(low, int | float) or isinstance(low, bool):
            low = 0
        return int(low) if kind == "integer" else float(low)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return "x"  # any value: a string is one


def verify_package(
    package_dir: Path, build: ProviderBuild, run: GeneratorRun, operations: dict[str, Any]
) -> None:
    """Import every generated module and round-trip every model in a fresh interpreter; fail
    naming each broken module, operation and model."""
    dropped = {w.operation for w in run.warnings if w.kind == "endpoint-dropped"}
    cases = {
        "package": build.package,
        "root": str(package_dir.parent),
        "operations": {
            op_id: facts["module"]
            for op_id, facts in operations.items()
            if f"{facts['method']} {facts['path']}" not in dropped
        },
        "models": [case.__dict__ for case in run.models],
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(cases, handle)
    try:
        result = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--verify-package", handle.name],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        Path(handle.name).unlink()
    if result.returncode != 0:
        raise BuildError(
            f"{build.name}: the generated package is broken:\n"
            f"{result.stdout}{result.stderr}".rstrip()
        )
    for line in result.stdout.splitlines():
        print(f"{build.name}:{line.removeprefix(' ')}", file=sys.stderr)


def verify_main(cases_file: str) -> int:
    """The post-build check, run in a fresh interpreter: exit 1 listing every failure."""
    import importlib
    import pkgutil

    cases = json.loads(Path(cases_file).read_text(encoding="utf-8"))
    sys.path.insert(0, cases["root"])
    package = cases["package"]
    failures: list[str] = []
    root = importlib.import_module(package)
    if not str(root.__file__).startswith(cases["root"]):
        print(f"  - {package} imported from {root.__file__}, not from the build")
        return 1
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        try:
            importlib.import_module(info.name)
        except Exception as exc:
            failures.append(f"module {info.name} does not import: {type(exc).__name__}: {exc}")
    for operation, module in sorted(cases["operations"].items()):
        try:
            importlib.import_module(module)
        except Exception as exc:
            failures.append(
                f"operation {operation}: {module} does not import: {type(exc).__name__}: {exc}"
            )

    notes: list[str] = []
    for case in cases["models"]:
        where = f"{package}.models.{case['module']}"
        try:
            module = importlib.import_module(where)
            cls = getattr(module, case["class_name"])
        except Exception as exc:
            failures.append(f"model {case['class_name']} ({where}): {type(exc).__name__}: {exc}")
            continue
        problem = _round_trip(cls, case["instance"], multipart=case["multipart"])
        if problem:
            failures.append(f"model {case['class_name']} ({where}, on its instance): {problem}")
        # a provider's example may be incomplete or stale: a note, the instance decides
        example = case["example"]
        trouble = (
            None
            if example is None or case["multipart"]
            else _round_trip(cls, example, multipart=False)
        )
        if trouble:
            notes.append(f"the spec's example of {case['class_name']} fails: {trouble}")
    for failure in failures:
        print(f"  - {failure}")
    for note in notes:
        print(f"  note: {note}")
    return 1 if failures else 0


def _round_trip(cls: Any, value: Any, *, multipart: bool) -> str | None:
    """What goes wrong when `value` goes through the model and back (None: nothing)."""
    try:
        if multipart:
            cls.from_dict(_with_bytes(value)).to_multipart()
            return None
        once = cls.from_dict(value).to_dict()
        twice = cls.from_dict(once).to_dict()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    if once != twice:
        return f"to_dict(from_dict(x)) is not stable: {once!r} != {twice!r}"
    if isinstance(value, dict) and not set(value) <= set(once):
        return f"fields lost in a round trip: {', '.join(sorted(set(value) - set(once)))}"
    return None


def _with_bytes(value: Any) -> Any:
    if value == _BINARY:
        return b"x"
    if isinstance(value, dict):
        return {k: _with_bytes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_bytes(v) for v in value]
    return value


def run_datamodel_codegen(schema: Path, output: Path, *, class_name: str | None = None) -> None:
    header = f"# Generated by docextract's build from {schema.name}; do not edit"
    args = [
        sys.executable, "-m", "datamodel_code_generator",
        "--input", str(schema), "--input-file-type", "jsonschema",
        "--output", str(output), "--output-model-type", "pydantic_v2.BaseModel",
        "--target-python-version", "3.11", "--use-standard-collections", "--use-union-operator",
        "--use-schema-description", "--field-constraints", "--disable-timestamp",
        "--use-title-as-name", "--allow-extra-fields",
        "--custom-file-header", header,
    ]  # fmt: skip
    if class_name:
        args += ["--class-name", class_name]
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BuildError(f"datamodel-code-generator failed on {schema.name}:\n{result.stderr}")


def ruff_format(folder_or_file: Path) -> None:
    base = [sys.executable, "-m", "ruff"]
    isolated = ["--isolated", "--line-length", RUFF_LINE_LENGTH]
    for args in (["check", "--fix-only", "--select", "F401,I", "--quiet"], ["format", "--quiet"]):
        result = subprocess.run(
            [*base, *args, *isolated, str(folder_or_file)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:  # the templates rendered code that does not parse
            raise BuildError(f"ruff {args[0]} failed:\n{result.stderr or result.stdout}")


def build_into(build: ProviderBuild, destination: Path) -> GeneratorRun:
    """Produce the provider's whole package in `destination` (which must not exist), then
    check that it imports and that every model round-trips."""
    document = validate_spec(build)
    run = run_openapi_python_client(build, destination, document)
    check_warnings(build, run.warnings)
    if build.events_schema is not None:
        run_datamodel_codegen(build.events_schema, destination / "stream_events.py")
    facts = write_spec_facts(document, build, destination / "spec_facts.py")
    write_query_params(facts, build, destination / "query_params.py")
    (destination / "py.typed").write_text("", encoding="utf-8")  # PEP 561: its types are used
    ruff_format(destination)
    verify_package(destination, build, run, facts["operations"])
    return run


# ---------------------------------------------------------------- spec facts
# The overlay checks parameters before sending and picks base URL and auth from the spec;
# it reads them from this module rather than parsing YAML at run time.

CONSTRAINT_KEYS = (
    "type", "format", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "minLength", "maxLength", "pattern", "default", "const",
)  # fmt: skip


def _resolve(document: dict[str, Any], node: Any) -> Any:
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            break
        seen.add(ref)
        node = document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _non_null(document: dict[str, Any], schema: Any) -> tuple[dict[str, Any], bool]:
    """The schema without its null alternative, and whether null is allowed."""
    schema = _resolve(document, schema) or {}
    for key in ("anyOf", "oneOf"):
        options = [_resolve(document, o) for o in schema.get(key, ())]
        rest = [o for o in options if o.get("type") != "null"]
        if len(rest) == 1 and len(rest) < len(options):
            merged = {**{k: v for k, v in schema.items() if k != key}, **rest[0]}
            return _non_null(document, merged)[0], True
    types = schema.get("type")
    if isinstance(types, list) and "null" in types:
        rest_types = [t for t in types if t != "null"]
        return {**schema, "type": rest_types[0] if len(rest_types) == 1 else rest_types}, True
    return schema, False


def _constraints(document: dict[str, Any], schema: Any, *, required: bool) -> dict[str, Any]:
    resolved, nullable = _non_null(document, schema)
    facts = {k: resolved[k] for k in CONSTRAINT_KEYS if k in resolved}
    return {**facts, "required": required, "nullable": nullable}


def _fields(
    document: dict[str, Any], schema: Any, prefix: str = "", depth: int = 0
) -> dict[str, Any]:
    """Flatten an object schema to dotted field paths with their constraints."""
    resolved, _ = _non_null(document, schema)
    required = set(resolved.get("required", ()))
    fields: dict[str, Any] = {}
    for name, prop in sorted(resolved.get("properties", {}).items()):
        path = f"{prefix}{name}"
        fields[path] = _constraints(document, prop, required=name in required)
        if depth < 4 and _non_null(document, prop)[0].get("properties"):
            fields.update(_fields(document, prop, f"{path}.", depth + 1))
    return fields


def spec_facts(document: dict[str, Any], package: str) -> dict[str, Any]:
    from openapi_python_client.strings import PythonIdentifier

    schemes = document.get("components", {}).get("securitySchemes", {})

    def how(scheme: dict[str, Any]) -> dict[str, str]:
        if scheme.get("type") == "apiKey":
            return {"header": scheme["name"], "prefix": ""}
        return {"header": "Authorization", "prefix": "Bearer"}

    security = how(next(iter(schemes.values()), {}))  # the first scheme: the client's default
    operations: dict[str, Any] = {}
    for path, item in sorted(document.get("paths", {}).items()):
        shared = item.get("parameters", [])
        for method in ("get", "put", "post", "delete", "patch"):
            operation = item.get(method)
            if operation is None:
                continue
            parameters = {}
            for raw in [*shared, *operation.get("parameters", [])]:
                param = _resolve(document, raw)
                python_name = str(PythonIdentifier(param["name"], prefix="field_"))
                parameters[python_name] = {
                    "name": param["name"],
                    "in": param["in"],
                    **_constraints(
                        document, param.get("schema", {}), required=param.get("required", False)
                    ),
                }
            body = _resolve(document, operation.get("requestBody")) or {}
            content = body.get("content", {})
            content_type = next(iter(content), None)
            tag = str(PythonIdentifier((operation.get("tags") or ["default"])[0], prefix="field_"))
            operation_id = operation["operationId"]
            operations[operation_id] = {
                "method": method.upper(),
                "path": path,
                "module": f"{package}.api.{tag}.{PythonIdentifier(operation_id, prefix='field_')}",
                "parameters": parameters,
                "body": None if content_type is None else {
                    "content_type": content_type,
                    "required": body.get("required", False),
                    "fields": _fields(document, content[content_type].get("schema", {})),
                },
                "responses": sorted(str(code) for code in operation.get("responses", {})),
            }  # fmt: skip
    return {
        "title": document["info"]["title"],
        "version": document["info"]["version"],
        "server_url": document["servers"][0]["url"],
        "security": security,
        # every scheme the spec accepts (Retab: its Api-Key header, or a Bearer token)
        "schemes": {name: how(scheme) for name, scheme in schemes.items()},
        "operations": operations,
    }


def write_spec_facts(
    document: dict[str, Any], build: ProviderBuild, target: Path
) -> dict[str, Any]:
    facts = spec_facts(document, build.package)
    target.write_text(
        f'"""Facts of {shown(build.spec)} that the overlay needs at run time.\n\n'
        f'Generated by {GENERATED_BY}; do not edit."""\n\n'
        "from typing import Any\n\n"
        f"SPEC_FACTS: dict[str, Any] = {facts!r}\n",
        encoding="utf-8",
    )
    return facts


QUERY_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def _query_type(facts: dict[str, Any]) -> str:
    kind = facts.get("type")
    if kind == "array":
        text = "list[Any]"
    elif kind == "object":
        text = "dict[str, Any]"
    else:
        text = QUERY_TYPES.get(kind, "Any") if isinstance(kind, str) else "Any"
    text = f"{text} | None" if facts.get("nullable") and text != "Any" else text
    return text if not facts.get("required") else f"Required[{text}]"


def write_query_params(facts: dict[str, Any], build: ProviderBuild, target: Path) -> None:
    """Per operation with query parameters, a TypedDict of them (names and types from the
    spec): typed wrappers take `**query: Unpack[...]`, so a new or retyped query parameter
    reaches them with no hand edit."""
    classes = []
    for operation_id, operation in sorted(facts["operations"].items()):
        query = {n: p for n, p in operation["parameters"].items() if p["in"] == "query"}
        if not query:
            continue
        module = operation["module"].rsplit(".", 1)[1]
        name = "".join(part.capitalize() for part in module.split("_"))
        fields = "".join(f"    {n}: {_query_type(p)}\n" for n, p in query.items())
        doc = f'    """The query parameters of {operation_id}."""\n\n'
        classes.append(f"class {name}Query(TypedDict, total=False):\n{doc}{fields}")
    header = (
        f"Each operation's query parameters, from {shown(build.spec)}, for typed\n"
        "wrappers to take as `**query: Unpack[...]`.\n\n"
        f"Generated by {GENERATED_BY}; do not edit."
    )
    body = "\n\n".join(classes)
    imports = "from typing import Any, Required, TypedDict\n\n\n"
    target.write_text(f'"""{header}"""\n\n{imports}{body}', encoding="utf-8")


# ---------------------------------------------------------------- commands


@dataclass(frozen=True)
class AcceptedBreaking:
    """A breaking change build.yaml says is intended: its `code` and the `operation` (and
    optionally `path`) of a wire change, or the `object` (dotted path) of a Python API change."""

    code: str
    operation: str | None
    path: str | None
    object: str | None
    reason: str

    @classmethod
    def parse(cls, entry: Any, source: Path) -> AcceptedBreaking:
        where = shown(source)
        if not isinstance(entry, dict) or not entry.get("code") or not entry.get("reason"):
            raise BuildError(f"{where}: every accepted breaking change needs `code` and `reason`")
        if not (entry.get("operation") or entry.get("object") or entry.get("path")):
            raise BuildError(
                f"{where}: accepted breaking change {entry['code']} must name its `operation`, "
                "`path` or `object`"
            )
        return cls(
            code=str(entry["code"]),
            operation=entry.get("operation"),
            path=entry.get("path"),
            object=entry.get("object"),
            reason=str(entry["reason"]),
        )

    def accepts(self, change: Any) -> bool:
        mine = (self.operation, self.path, self.object)
        theirs = (
            getattr(change, "operation", None),
            getattr(change, "path", None),
            getattr(change, "object", None),
        )
        return self.code == change.code and all(
            want is None or want == have for want, have in zip(mine, theirs, strict=True)
        )


def _overlay_on_path() -> None:
    overlay = str(ROOT / "overlay")
    if overlay not in sys.path:
        sys.path.insert(0, overlay)


def committed_spec(build: ProviderBuild) -> str | None:
    """The provider's spec as committed at git HEAD (None: new, or not a git checkout); in a
    user's project, as it was when its package was last generated."""
    if SNAPSHOTS is not None:
        snapshot = SNAPSHOTS / f"{build.package}.yaml"
        return snapshot.read_text(encoding="utf-8") if snapshot.is_file() else None
    if not build.spec.resolve().is_relative_to(ROOT):
        return None
    relative = shown(build.spec)
    committed = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"HEAD:{relative}"],
        capture_output=True,
        text=True,
        check=False,
    )
    return committed.stdout if committed.returncode == 0 else None


def change_reports(build: ProviderBuild, staged: Path) -> tuple[Any, Any]:
    """The wire report (committed spec -> current spec; None if unchanged) and the Python API
    report (generated/ as it is -> the staged package; None if there is no old package)."""
    _overlay_on_path()
    from docextract.api_diff import diff_packages
    from docextract.spec_diff import diff_specs, load_spec

    wire = None
    old_text = committed_spec(build)
    current = build.spec.read_text(encoding="utf-8")
    if old_text is not None and old_text != current:
        wire = diff_specs(load_spec(old_text), load_spec(current))
    api = None
    if (build.output / "__init__.py").is_file():
        api = diff_packages(build.output.parent, staged.parent, build.package)
    return wire, api


def unaccepted_breaking(build: ProviderBuild, wire: Any, api: Any) -> list[str]:
    """Breaking changes (wire and Python API) that no `accepted_breaking` entry names."""
    changes = [*(wire.breaking if wire else ()), *(api.breaking if api else ())]
    left = []
    for change in changes:
        if not any(entry.accepts(change) for entry in build.accepted_breaking):
            subject = getattr(change, "object", None) or f"{change.operation} {change.path}"
            left.append(f"{change.code}: {subject}")
    return left


def print_reports(build: ProviderBuild, wire: Any, api: Any) -> None:
    if wire is not None:
        since = "the committed spec" if SNAPSHOTS is None else f"{build.package} was generated"
        print(f"== {build.name}: {shown(build.spec)} changed since {since} (wire)")
        print(wire.format_text())
    if api is not None and api.changes:
        print(f"== {build.name}: {shown(build.output)} (Python API)")
        print(api.format_text())


def regenerate(
    builds: Sequence[ProviderBuild], *, force: bool, accept_breaking: bool = False
) -> int:
    """Regenerate the stale providers. A change breaking on the wire or in the Python API
    leaves generated/ as it was and fails, unless accepted (flag or build.yaml)."""
    manifest = read_manifest()
    stale = [b for b in builds if force or not is_current(b, manifest)]
    for build in builds:
        if build not in stale:
            print(f"{build.name}: up to date")
    if not stale:
        return 0
    check_tool_versions()
    refused = 0
    for build in stale:
        with tempfile.TemporaryDirectory(prefix=f"docextract-{build.name}-") as tmp:
            staged = Path(tmp) / build.package
            build_into(build, staged)
            wire, api = change_reports(build, staged)
            print_reports(build, wire, api)
            breaking = unaccepted_breaking(build, wire, api)
            if breaking and not accept_breaking:
                refused += 1
                listing = "\n  - ".join(breaking)
                print(
                    f"{build.name}: NOT regenerated: {len(breaking)} breaking change(s) not "
                    f"accepted:\n  - {listing}\nIf they are intended, run again with "
                    "--accept-breaking, or name each in accepted_breaking (code, operation/path "
                    f"or object, reason) in {shown(build.config_file)}.",
                    file=sys.stderr,
                )
                continue
            shutil.rmtree(build.output, ignore_errors=True)
            shutil.copytree(staged, build.output)
        if SNAPSHOTS is not None:
            SNAPSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(build.spec, SNAPSHOTS / f"{build.package}.yaml")
        manifest[build.name] = {
            "inputs": input_fingerprint(build),
            "output": tree_fingerprint(build.output),
        }
        print(f"{build.name}: generated {shown(build.output)}")
    write_manifest(manifest)
    return 1 if refused else 0


def check(builds: Sequence[ProviderBuild]) -> int:
    """Regenerate into a temporary place and compare with generated/, file by file."""
    check_tool_versions()
    stale = 0
    for build in builds:
        with tempfile.TemporaryDirectory(prefix=f"docextract-check-{build.name}-") as tmp:
            staged = Path(tmp) / build.package
            build_into(build, staged)
            differences = compare_trees(staged, build.output)
        if differences:
            stale += 1
            print(f"{build.name}: {shown(build.output)} is out of step with its spec:")
            for line in differences:
                print(f"  {line}")
        else:
            print(f"{build.name}: {shown(build.output)} matches its spec")
    if stale:
        print("Run `nox -s generate` (or `python scripts/generate.py`) and commit the result.")
    return 1 if stale else 0


def compare_trees(expected_dir: Path, actual_dir: Path) -> list[str]:
    expected, actual = tree_files(expected_dir), tree_files(actual_dir)
    lines = [f"missing: {name}" for name in sorted(expected.keys() - actual.keys())]
    lines += [f"unexpected: {name}" for name in sorted(actual.keys() - expected.keys())]
    for name in sorted(expected.keys() & actual.keys()):
        if expected[name] != actual[name]:
            diff = difflib.unified_diff(
                actual[name].decode(errors="replace").splitlines(),
                expected[name].decode(errors="replace").splitlines(),
                lineterm="",
                n=0,
            )
            changed = sum(1 for d in diff if d[:1] in "+-" and d[:3] not in ("+++", "---"))
            lines.append(f"differs: {name} ({changed} lines)")
    return lines


def report_unchanged_specs(builds: Sequence[ProviderBuild]) -> None:
    """The wire report of providers whose spec differs from git HEAD but whose generated/ is
    current (regenerated earlier, not committed yet)."""
    _overlay_on_path()
    from docextract.spec_diff import diff_specs, load_spec

    manifest = read_manifest()
    for build in builds:
        old_text = committed_spec(build)
        current = build.spec.read_text(encoding="utf-8")
        if is_current(build, manifest) and old_text is not None and old_text != current:
            print_reports(build, diff_specs(load_spec(old_text), load_spec(current)), None)


def generate_schema_model(schema: Path, output: Path, class_name: str | None) -> int:
    """Turn a JSON Schema (an extraction template, say) into a pydantic model module."""
    check_tool_versions()
    output.parent.mkdir(parents=True, exist_ok=True)
    run_datamodel_codegen(schema, output, class_name=class_name)
    ruff_format(output)
    print(f"{schema}: model written to {output}")
    return 0


def build_standalone(spec: Path, into: Path, config: Path | None, package: str | None) -> int:
    """Build any OpenAPI document (a provider's full published spec, say) into `into`, with
    the same checks as a provider's build; build.yaml options apply when `config` is given."""
    check_tool_versions()
    if not spec.is_file():
        raise BuildError(f"--spec {spec}: no such file")
    if into.exists():
        raise BuildError(f"--into {into}: already exists; give a new folder")
    build = ProviderBuild.from_files(spec.stem, spec.resolve(), config, package)
    started = time.perf_counter()
    run = build_into(build, into / build.package)
    files = sum(1 for p in (into / build.package).rglob("*.py"))
    print(
        f"{spec}: {build.package} built in {time.perf_counter() - started:.1f}s, {files} modules, "
        f"{len(run.models)} models round-tripped, {len(run.warnings)} accepted warning(s)"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--provider", choices=PROVIDERS, action="append")
    parser.add_argument(
        "--force", action="store_true", help="regenerate even if inputs are unchanged"
    )
    parser.add_argument("--check", action="store_true", help="fail if generated/ is out of step")
    parser.add_argument(
        "--accept-breaking",
        action="store_true",
        help="regenerate even if a change breaks the wire or the Python API",
    )
    parser.add_argument(
        "--report-changes",
        action="store_true",
        help="also print the wire report of up-to-date providers whose spec differs from git HEAD",
    )
    parser.add_argument("--schema", type=Path, help="a JSON Schema to turn into a model module")
    parser.add_argument("--output", type=Path, help="with --schema: the module to write")
    parser.add_argument("--class-name", help="with --schema: the root model's class name")
    parser.add_argument("--spec", type=Path, help="build this OpenAPI document (with --into)")
    parser.add_argument("--into", type=Path, help="with --spec: a new folder for the package")
    parser.add_argument("--config", type=Path, help="with --spec: a build.yaml to apply")
    parser.add_argument("--package", help="with --spec: the package name")
    parser.add_argument("--verify-package", help=argparse.SUPPRESS)  # the post-build check
    args = parser.parse_args(argv)
    try:
        if args.verify_package:
            return verify_main(args.verify_package)
        if args.schema:
            if not args.output:
                parser.error("--schema needs --output")
            return generate_schema_model(args.schema, args.output, args.class_name)
        if args.spec:
            if not args.into:
                parser.error("--spec needs --into")
            return build_standalone(args.spec, args.into, args.config, args.package)
        builds = [ProviderBuild.load(name) for name in (args.provider or PROVIDERS)]
        if args.check:
            return check(builds)
        status = regenerate(builds, force=args.force, accept_breaking=args.accept_breaking)
        if args.report_changes:
            report_unchanged_specs(builds)
        return status
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
