"""The vendored specs as the contract tests use them: operations, responses, JSON Schema validation.

OpenAPI 3.1 schemas are JSON Schema 2020-12: they are validated with jsonschema's 2020-12
validator, `$ref`s resolved into the spec (and into its events.schema.json) by a `referencing`
registry, `date-time` and `uuid` formats asserted. One deliberate allowance: a string that an
all-string `enum` does not list passes (the generated enums keep unknown values, so a provider
adding a status must not break users' builds); it is reported as a warning instead.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from docextract.contract.differ import RFC3339, join

# The vendored specs: in the wheel, docextract/specs/; in a checkout, the repository's specs/.
_BUNDLED = Path(__file__).resolve().parents[1] / "specs"
_CHECKOUT = Path(__file__).resolve().parents[3] / "specs"
SPECS = _BUNDLED if _BUNDLED.is_dir() else _CHECKOUT
ROOT = SPECS.parent
BASE_URI = "https://docextract.invalid/specs"
PROVIDERS = ("numind", "llamacloud", "retab", "contextual")

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not RFC3339.match(instance):
        raise ValueError("not an RFC 3339 date-time")
    dt.datetime.fromisoformat(instance.upper().replace("Z", "+00:00"))
    return True


@FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    uuid.UUID(instance)
    if len(instance) != 36 or any(instance[i] != "-" for i in (8, 13, 18, 23)):
        raise ValueError("not a hyphenated UUID")
    return True


def _open_enum(
    validator: Any, enums: list[Any], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """`enum`, except that an unlisted string passes when every listed value is a string."""
    if isinstance(instance, str) and all(isinstance(value, str) for value in enums):
        return
    if instance not in enums:
        yield ValidationError(f"{instance!r} is not one of {enums!r}")


OpenEnumValidator = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"enum": _open_enum}
)


@dataclass(frozen=True)
class Operation:
    provider: str
    operation_id: str
    method: str
    template: str  # the spec's path, e.g. /api/jobs/{jobId}
    node: dict[str, Any]
    pointer: str  # JSON pointer of the operation object in the spec
    facts: dict[str, Any]  # generated/<p>_client/spec_facts.py entry

    @property
    def regex(self) -> re.Pattern[str]:
        pattern = re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.template))
        return re.compile(f"^{pattern}$")


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class ProviderSpec:
    """One provider's spec, its registry and its operations.

    By default the vendored spec and the installed `<provider>_client`; `spec_file` and `package`
    name another document of the provider and the package generated from it (a user's own
    provider, a changed spec). Stream event schemas are read from `events.schema.json` next to
    the spec file.
    """

    def __init__(
        self, provider: str, *, spec_file: Path | None = None, package: str | None = None
    ) -> None:
        self.provider = provider
        document = spec_file if spec_file is not None else SPECS / provider / "openapi.yaml"
        # next to the spec; a changed copy of a vendored spec uses the vendored events schema
        candidates = [
            document.parent / "events.schema.json",
            SPECS / provider / "events.schema.json",
        ]
        self.doc: dict[str, Any] = yaml.safe_load(document.read_text("utf-8"))
        self.uri = f"{BASE_URI}/{provider}/openapi.yaml"
        resources = [(self.uri, DRAFT202012.create_resource(self.doc))]
        events = next((path for path in candidates if path.exists()), None)
        if events is not None:
            contents = json.loads(events.read_text(encoding="utf-8"))
            resource = Resource.from_contents(contents, default_specification=DRAFT202012)
            resources.append((f"{BASE_URI}/{provider}/events.schema.json", resource))
        self.registry: Registry[Any] = Registry().with_resources(resources)
        self.package = package if package is not None else f"{provider}_client"
        facts = importlib.import_module(f"{self.package}.spec_facts").SPEC_FACTS
        self.facts: dict[str, Any] = facts
        self.operations: dict[str, Operation] = {}
        for path, item in self.doc["paths"].items():
            for method, node in item.items():
                op_id = node["operationId"]
                self.operations[op_id] = Operation(
                    provider,
                    op_id,
                    method.upper(),
                    path,
                    node,
                    f"#/paths/{escape(path)}/{method}",
                    facts["operations"][op_id],
                )

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation answering `method path` (path without the base URL's path)."""
        candidates = sorted(self.operations.values(), key=lambda op: op.template.count("{"))
        for op in candidates:
            found = op.regex.match(path)
            if op.method == method and found:
                return op, found.groupdict()
        return None

    def response(self, op: Operation, status: int) -> tuple[str, str] | None:
        """(status key, JSON pointer) of the response documented for `status`."""
        responses = op.node.get("responses", {})
        for key in (str(status), f"{status // 100}XX", "default"):
            if key in responses:
                return key, self.final_pointer(f"{op.pointer}/responses/{key}")
        return None

    def final_pointer(self, pointer: str) -> str:
        """The pointer of what `pointer` designates once its local `$ref`s are followed."""
        for _ in range(32):  # bounded: a cycle of references would be a broken spec
            node = self.registry.resolver(base_uri=self.uri).lookup(urljoin(self.uri, pointer))
            ref = node.contents.get("$ref") if isinstance(node.contents, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#"):
                return pointer
            pointer = ref
        raise ValueError(f"{pointer}: too many references")

    def node(self, pointer: str) -> Any:
        """The node at a pointer of this spec, `$ref`s followed."""
        resolved = self.registry.resolver(base_uri=self.uri).lookup(urljoin(self.uri, pointer))
        contents = resolved.contents
        while isinstance(contents, dict) and "$ref" in contents:
            resolved = resolved.resolver.lookup(contents["$ref"])
            contents = resolved.contents
        return contents

    def errors(self, ref: str, instance: Any) -> tuple[list[str], list[str]]:
        """Validate against the schema at `ref` (relative to the spec): (problems, warnings)."""
        target = {"$ref": urljoin(self.uri, ref)}
        lenient = OpenEnumValidator(target, registry=self.registry, format_checker=FORMATS)
        problems = [describe(error) for error in lenient.iter_errors(instance)]
        strict = Draft202012Validator(target, registry=self.registry, format_checker=FORMATS)
        warnings = [
            f"{error.json_path}: {error.message} (an enum value the spec does not list)"
            for top in strict.iter_errors(instance)
            for error in _leaves(top)
            if error.validator == "enum"
        ]
        return sorted(problems), sorted(set(warnings))


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    if not error.context:
        yield error
        return
    for child in error.context:
        yield from _leaves(child)


def _most_telling(error: ValidationError) -> ValidationError:
    """For anyOf/oneOf: the error of the branch the instance's type fits (else best_match's)."""
    if not error.context:
        return error
    branches: dict[Any, list[ValidationError]] = {}
    for child in error.context:
        branches.setdefault(child.relative_schema_path[0], []).append(child)
    fitting = [
        errors
        for errors in branches.values()
        if not any(e.validator == "type" and not e.relative_path for e in errors)
    ]
    if len(fitting) == 1:
        return _most_telling(fitting[0][0])
    chosen = best_match(error.context)
    return error if chosen is None else _most_telling(chosen)


def describe(error: ValidationError) -> str:
    """`$.path: message`; a missing required property is named in the path."""
    error = _most_telling(error)
    path = error.json_path
    if error.validator == "required":
        required: Any = error.validator_value
        instance: Any = error.instance
        names = [n for n in required if n not in instance]
        named = [n for n in names if repr(n) in error.message] or names
        if named:
            return f"{join(path, named[0])}: required property missing"
    return f"{path}: {error.message}"


@cache
def provider_spec(provider: str) -> ProviderSpec:
    return ProviderSpec(provider)
