"""What changed in the public Python API of a generated client package: the names and signatures
a user's code calls, where `docextract.spec_diff` reports what changed on the wire.

`diff_packages(old_root, new_root, package)` loads both versions of ``package`` statically with
griffe (nothing is imported or run) and reports removed, renamed and changed classes,
attributes and functions (griffe's breaking-change finder) and what was added. Every change has
a stable code (see `API_CHANGE_CODES`) and names the object by its dotted path. A class removed
while one with the same fields appears is reported once, as renamed.

Command line: ``python -m docextract.api_diff OLD_ROOT NEW_ROOT PACKAGE [--json]`` exits 1 when
something breaks, 0 otherwise, 2 when a package cannot be found.
"""

import argparse
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

if TYPE_CHECKING:
    import griffe

Kind: TypeAlias = Literal["breaking", "non-breaking"]

API_CHANGE_CODES: Final[Mapping[str, Kind]] = MappingProxyType(
    {
        "python-module-removed": "breaking",
        "python-class-removed": "breaking",
        "python-class-renamed": "breaking",
        "python-attribute-removed": "breaking",
        "python-function-removed": "breaking",
        "python-object-removed": "breaking",
        "python-kind-changed": "breaking",
        "python-signature-changed": "breaking",
        "python-return-type-changed": "breaking",
        "python-attribute-type-changed": "breaking",
        "python-attribute-value-changed": "breaking",
        "python-class-base-removed": "breaking",
        "python-module-added": "non-breaking",
        "python-class-added": "non-breaking",
        "python-attribute-added": "non-breaking",
        "python-function-added": "non-breaking",
    }
)
"""Every change code of the Python-API report, with the kind of change it always is."""

# Values that change with every spec change and are data, not API (the spec facts table).
_DATA_ATTRIBUTES: Final = frozenset({"SPEC_FACTS"})


@dataclass(frozen=True)
class ApiChange:
    kind: Kind
    code: str
    object: str  # dotted path, e.g. <provider>_client.models.<module>.<Model>.<field>
    message: str

    def to_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "code": self.code,
            "object": self.object,
            "message": self.message,
        }


@dataclass(frozen=True)
class ApiReport:
    package: str
    changes: list[ApiChange]

    @property
    def breaking(self) -> list[ApiChange]:
        return [change for change in self.changes if change.kind == "breaking"]

    @property
    def non_breaking(self) -> list[ApiChange]:
        return [change for change in self.changes if change.kind == "non-breaking"]

    def to_json(self) -> dict[str, object]:
        return {
            "package": self.package,
            "breaking": len(self.breaking),
            "non_breaking": len(self.non_breaking),
            "changes": [change.to_json() for change in self.changes],
        }

    def format_text(self) -> str:
        lines = [f"{self.package} (Python API)"]
        for change in self.changes:
            label = "BREAKING" if change.kind == "breaking" else "non-breaking"
            lines.append(f"  {label:<12}  {change.object}: {change.message} [{change.code}]")
        counts = f"{len(self.breaking)} breaking, {len(self.non_breaking)} non-breaking"
        lines.append(f"{counts} Python API changes")
        return "\n".join(lines)


def diff_packages(old_root: Path, new_root: Path, package: str) -> ApiReport:
    """The public API changes of ``package`` from the copy under ``old_root`` to the one under
    ``new_root`` (each a folder that holds the package's folder)."""
    old, new = _load(old_root, package), _load(new_root, package)
    changes = [*_breakages(old, new), *_additions(old, new)]
    reported = {(change.code, change.object) for change in changes}
    changes += [c for c in _type_changes(old, new) if (c.code, c.object) not in reported]
    changes = _fold_renames(changes, old, new)
    return ApiReport(
        package, sorted(changes, key=lambda c: (c.kind != "breaking", c.object, c.code))
    )


def _load(root: Path, package: str) -> "griffe.Module":
    import griffe  # imported here: only the build needs it

    loaded = griffe.load(
        package,
        search_paths=[str(root)],
        allow_inspection=False,
        resolve_aliases=True,
        resolve_external=False,
    )
    assert isinstance(loaded, griffe.Module)
    return loaded


def _breakages(old: "griffe.Module", new: "griffe.Module") -> Iterator[ApiChange]:
    import griffe

    codes = {
        griffe.BreakageKind.PARAMETER_MOVED: "python-signature-changed",
        griffe.BreakageKind.PARAMETER_REMOVED: "python-signature-changed",
        griffe.BreakageKind.PARAMETER_CHANGED_KIND: "python-signature-changed",
        griffe.BreakageKind.PARAMETER_CHANGED_DEFAULT: "python-signature-changed",
        griffe.BreakageKind.PARAMETER_CHANGED_REQUIRED: "python-signature-changed",
        griffe.BreakageKind.PARAMETER_ADDED_REQUIRED: "python-signature-changed",
        griffe.BreakageKind.RETURN_CHANGED_TYPE: "python-return-type-changed",
        griffe.BreakageKind.OBJECT_CHANGED_KIND: "python-kind-changed",
        griffe.BreakageKind.ATTRIBUTE_CHANGED_TYPE: "python-attribute-type-changed",
        griffe.BreakageKind.ATTRIBUTE_CHANGED_VALUE: "python-attribute-value-changed",
        griffe.BreakageKind.CLASS_REMOVED_BASE: "python-class-base-removed",
    }
    for breakage in griffe.find_breaking_changes(old, new):
        obj = breakage.obj
        if obj.name in _DATA_ATTRIBUTES:
            continue
        if breakage.kind is griffe.BreakageKind.OBJECT_REMOVED:
            code = f"python-{_kind(obj)}-removed"
            message = f"{_kind(obj)} {obj.name} was removed"
        else:
            code = codes.get(breakage.kind, "python-signature-changed")
            detail = breakage.explain(style=griffe.ExplanationStyle.ONE_LINE).split(": ", 2)[-1]
            message = _plain(
                f"{breakage.kind.value}: {_show(breakage.old_value)} -> {_show(breakage.new_value)}"
                if breakage.old_value is not None or breakage.new_value is not None
                else detail
            )
        yield ApiChange(API_CHANGE_CODES[code], code, obj.path, message)


def _type_changes(old: "griffe.Module", new: "griffe.Module") -> Iterator[ApiChange]:
    """Annotations that changed (griffe's finder compares names and values, not types): an
    attribute's type, a parameter's type, a return type."""
    import griffe

    before, after = _public_paths(old), _public_paths(new)
    for path in sorted(before.keys() & after.keys()):
        was, now = before[path], after[path]
        if isinstance(was, griffe.Attribute) and isinstance(now, griffe.Attribute):
            if was.name not in _DATA_ATTRIBUTES and str(was.annotation) != str(now.annotation):
                message = f"type changed: {was.annotation} -> {now.annotation}"
                yield ApiChange("breaking", "python-attribute-type-changed", path, message)
        elif isinstance(was, griffe.Function) and isinstance(now, griffe.Function):
            old_params = {p.name: str(p.annotation) for p in was.parameters}
            for parameter in now.parameters:
                if parameter.name in old_params and old_params[parameter.name] != str(
                    parameter.annotation
                ):
                    message = (
                        f"parameter {parameter.name}: {old_params[parameter.name]} -> "
                        f"{parameter.annotation}"
                    )
                    yield ApiChange("breaking", "python-signature-changed", path, message)
            if str(was.returns) != str(now.returns):
                message = f"return type changed: {was.returns} -> {now.returns}"
                yield ApiChange("breaking", "python-return-type-changed", path, message)


def _additions(old: "griffe.Module", new: "griffe.Module") -> Iterator[ApiChange]:
    """Public objects of ``new`` that ``old`` does not have (only the outermost new one)."""
    old_paths = set(_public_paths(old))
    for path, obj in _public_paths(new).items():
        parent = path.rpartition(".")[0]
        if path not in old_paths and (parent in old_paths or parent == ""):
            code = f"python-{_kind(obj)}-added"
            if code in API_CHANGE_CODES:
                yield ApiChange("non-breaking", code, path, f"{_kind(obj)} {obj.name} was added")


def _public_paths(module: "griffe.Module") -> dict[str, "griffe.Object"]:
    import griffe

    found: dict[str, griffe.Object] = {}

    def walk(obj: griffe.Object) -> None:
        found[obj.path] = obj
        for member in obj.members.values():
            if isinstance(member, griffe.Alias) or member.name.startswith("_"):
                continue
            if isinstance(member, griffe.Module | griffe.Class):
                walk(member)
            elif isinstance(member, griffe.Object):
                found[member.path] = member

    walk(module)
    return found


def _fold_renames(
    changes: list[ApiChange], old: "griffe.Module", new: "griffe.Module"
) -> list[ApiChange]:
    """Classes are compared by name across modules (a generated package's class names are
    unique); a class removed while an added one has the same public fields is one rename."""
    old_classes, new_classes = _classes(old), _classes(new)
    removed = sorted(old_classes.keys() - new_classes.keys())
    added = sorted(new_classes.keys() - old_classes.keys())
    result = [c for c in changes if c.code not in ("python-class-removed", "python-class-added")]
    taken: set[str] = set()
    for name in removed:
        before = old_classes[name]
        fields = _fields(before)
        matches = [a for a in added if a not in taken and _fields(new_classes[a]) == fields]
        if len(matches) == 1:
            taken.add(matches[0])
            after = new_classes[matches[0]]
            message = f"class {name} was renamed to {after.name} ({after.path}), same fields"
            result.append(ApiChange("breaking", "python-class-renamed", before.path, message))
        else:
            message = f"class {name} was removed"
            result.append(ApiChange("breaking", "python-class-removed", before.path, message))
    for name in added:
        if name not in taken:
            path = new_classes[name].path
            result.append(
                ApiChange("non-breaking", "python-class-added", path, f"class {name} was added")
            )
    return result


def _classes(module: "griffe.Module") -> dict[str, "griffe.Object"]:
    import griffe

    return {
        obj.name: obj for obj in _public_paths(module).values() if isinstance(obj, griffe.Class)
    }


def _fields(obj: "griffe.Object") -> frozenset[str]:
    return frozenset(name for name in obj.members if not name.startswith("_"))


def _kind(obj: "griffe.Object | griffe.Alias") -> str:
    kind = str(obj.kind.value)
    return kind if kind in ("module", "class", "attribute", "function") else "object"


def _show(value: object) -> str:
    if value is None:
        return "(none)"
    annotation = getattr(value, "annotation", None)
    if annotation is not None:
        return str(annotation)
    return str(getattr(value, "name", value))


def _plain(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="api_diff", description="Report the public API changes of a generated package."
    )
    parser.add_argument("old_root", type=Path, help="the folder holding the old package")
    parser.add_argument("new_root", type=Path, help="the folder holding the new package")
    parser.add_argument("package", help="the package name, a generated <provider>_client")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    for root in (args.old_root, args.new_root):
        if not (root / args.package / "__init__.py").is_file():
            print(f"api_diff: {root}: no package {args.package} in it", file=sys.stderr)
            return 2
    report = diff_packages(args.old_root, args.new_root, args.package)
    print(json.dumps(report.to_json(), indent=2) if args.json else report.format_text())
    return 1 if report.breaking else 0


if __name__ == "__main__":
    raise SystemExit(main())
