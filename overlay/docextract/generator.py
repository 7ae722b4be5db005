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
import shutil
import subprocess
import sys
import tempfile
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


def configure(root: Path, generated: Path, specs: Path | None = None) -> None:
    """Build another project: its root (paths are shown relative to it), output and specs."""
    global ROOT, SPECS, GENERATED, MANIFEST, GENERATED_BY
    GENERATED_BY = "docextract generate"
    ROOT, GENERATED = root.resolve(), generated.resolve()
    SPECS = (specs or root / "specs").resolve()
    MANIFEST = GENERATED / "MANIFEST.json"


def shown(path: Path) -> str:
    """A path as messages and fingerprints name it: relative to the project, else to the
    installed package's folder (the wheel's templates), else as is."""
    resolved = path.resolve()
    for base in (ROOT, PACKAGE_DIR.parent):
        if resolved.is_relative_to(base):
            return resolved.relative_to(base).as_posix()
    return resolved.as_posix()


PROVIDERS = ("numind", "llamacloud", "retab", "contextual")
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
    accepted_warnings: tuple[dict[str, str], ...]
    events_schema: Path | None
    output_dir: Path | None = None  # default: GENERATED

    @classmethod
    def load(
        cls,
        name: str,
        *,
        spec: Path | None = None,
        config_file: Path | None = None,
        package: str | None = None,
        output_dir: Path | None = None,
    ) -> ProviderBuild:
        """specs/<name>/ by default; a user's project names its spec, its build.yaml (optional:
        generator options, accepted warnings, events schema), package and output folder."""
        import yaml

        folder = SPECS / name
        config_file = config_file or folder / "build.yaml"
        data = (
            yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
            if config_file.is_file()
            else {}
        )
        events = data.get("events_schema")
        accepted = tuple(data.get("accepted_warnings") or ())
        for entry in accepted:
            if not entry.get("match") or not entry.get("reason"):
                raise BuildError(
                    f"{config_file}: every accepted warning needs `match` and `reason`"
                )
        return cls(
            name=name,
            spec=spec or folder / "openapi.yaml",
            config_file=config_file,
            package=package or data.get("package", f"{name}_client"),
            generator_options=dict(data.get("generator") or {}),
            accepted_warnings=accepted,
            events_schema=config_file.parent / events if events else None,
            output_dir=output_dir,
        )

    @property
    def output(self) -> Path:
        return (self.output_dir or GENERATED) / self.package

    def input_files(self) -> list[Path]:
        files = [self.spec, Path(__file__).resolve()]
        if self.config_file.is_file():
            files.insert(1, self.config_file)
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
    import yaml
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    document = yaml.safe_load(build.spec.read_text(encoding="utf-8"))
    try:
        validate(document)
    except OpenAPIValidationError as exc:
        raise BuildError(f"{shown(build.spec)} is not valid OpenAPI: {exc}") from exc
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


def run_openapi_python_client(build: ProviderBuild, destination: Path) -> list[str]:
    """Generate the package into `destination`; return the generator's warnings, formatted."""
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
    return [
        " ".join(filter(None, (e.level.value.upper(), e.header, e.detail))) for e in project.build()
    ]


def check_warnings(build: ProviderBuild, warnings: Iterable[str]) -> None:
    unaccepted = [w for w in warnings if not any(a["match"] in w for a in build.accepted_warnings)]
    if unaccepted:
        listing = "\n  - ".join(unaccepted)
        raise BuildError(
            f"{build.name}: the generator dropped or changed parts of the spec:\n  - {listing}\n"
            "Fix the spec, or accept the warning with a reason in "
            f"{shown(build.config_file)}."
        )


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


def build_into(build: ProviderBuild, destination: Path) -> None:
    """Produce the provider's whole package in `destination` (which must not exist)."""
    document = validate_spec(build)
    check_warnings(build, run_openapi_python_client(build, destination))
    if build.events_schema is not None:
        run_datamodel_codegen(build.events_schema, destination / "stream_events.py")
    write_spec_facts(document, build, destination / "spec_facts.py")
    ruff_format(destination)


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
    scheme: dict[str, Any] = next(iter(schemes.values()), {})
    if scheme.get("type") == "apiKey":
        security = {"header": scheme["name"], "prefix": ""}
    else:
        security = {"header": "Authorization", "prefix": "Bearer"}
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
        "operations": operations,
    }


def write_spec_facts(document: dict[str, Any], build: ProviderBuild, target: Path) -> None:
    facts = spec_facts(document, build.package)
    target.write_text(
        f'"""Facts of {shown(build.spec)} that the overlay needs at run time.\n\n'
        f'Generated by {GENERATED_BY}; do not edit."""\n\n'
        "from typing import Any\n\n"
        f"SPEC_FACTS: dict[str, Any] = {facts!r}\n",
        encoding="utf-8",
    )


# ---------------------------------------------------------------- commands


def regenerate(builds: Sequence[ProviderBuild], *, force: bool) -> int:
    manifest = read_manifest()
    stale = [b for b in builds if force or not is_current(b, manifest)]
    for build in builds:
        if build not in stale:
            print(f"{build.name}: up to date")
    if not stale:
        return 0
    check_tool_versions()
    for build in stale:
        with tempfile.TemporaryDirectory(prefix=f"docextract-{build.name}-") as tmp:
            staged = Path(tmp) / build.package
            build_into(build, staged)
            shutil.rmtree(build.output, ignore_errors=True)
            shutil.copytree(staged, build.output)
        manifest[build.name] = {
            "inputs": input_fingerprint(build),
            "output": tree_fingerprint(build.output),
        }
        print(f"{build.name}: generated {shown(build.output)}")
    write_manifest(manifest)
    return 0


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


def report_spec_changes(builds: Sequence[ProviderBuild]) -> None:
    """Print the client-facing change report of every spec that differs from the committed one."""
    from docextract.spec_diff import diff_specs, load_spec

    for build in builds:
        relative = shown(build.spec)
        committed = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"HEAD:{relative}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if committed.returncode != 0:
            continue  # new or not a git checkout: nothing to compare with
        current = build.spec.read_text(encoding="utf-8")
        if committed.stdout == current:
            continue
        report = diff_specs(load_spec(committed.stdout), load_spec(current))
        print(f"== {build.name}: {relative} differs from the committed spec")
        print(report.format_text())


def generate_schema_model(schema: Path, output: Path, class_name: str | None) -> int:
    """Turn a JSON Schema (an extraction template, say) into a pydantic model module."""
    check_tool_versions()
    output.parent.mkdir(parents=True, exist_ok=True)
    run_datamodel_codegen(schema, output, class_name=class_name)
    ruff_format(output)
    print(f"{schema}: model written to {output}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--provider", choices=PROVIDERS, action="append")
    parser.add_argument(
        "--force", action="store_true", help="regenerate even if inputs are unchanged"
    )
    parser.add_argument("--check", action="store_true", help="fail if generated/ is out of step")
    parser.add_argument("--report-changes", action="store_true", help="diff specs against git HEAD")
    parser.add_argument("--schema", type=Path, help="a JSON Schema to turn into a model module")
    parser.add_argument("--output", type=Path, help="with --schema: the module to write")
    parser.add_argument("--class-name", help="with --schema: the root model's class name")
    args = parser.parse_args(argv)
    try:
        if args.schema:
            if not args.output:
                parser.error("--schema needs --output")
            return generate_schema_model(args.schema, args.output, args.class_name)
        builds = [ProviderBuild.load(name) for name in (args.provider or PROVIDERS)]
        if args.report_changes:
            report_spec_changes(builds)
        return check(builds) if args.check else regenerate(builds, force=args.force)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
