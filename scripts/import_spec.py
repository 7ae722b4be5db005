#!/usr/bin/env python3
"""Import a provider's published OpenAPI document as the vendored spec: what our operations reach.

    python scripts/import_spec.py llamacloud ../shared/upstream/llamacloud/openapi-2026-08-20.json
    python scripts/import_spec.py llamacloud PATH --check   # fail if the vendored spec differs
    nox -s import_spec -- llamacloud PATH

`specs/<provider>/build.yaml` says what to take:

    upstream:
      document: ../shared/upstream/llamacloud/openapi-2026-08-20.json  # last imported (provenance)
      published: "2026-08-20"
      sha256: ...                    # written by this script
      tags: {Extract: extract}       # the provider's tag -> ours (the generated `api.<tag>` module)
      schemas: {FileV2: FileUploadResponse}  # the provider's schema name -> ours (class names)
    operations:
      create_extract_job: POST /api/v2/extract   # our operation ID -> the provider's route

What is kept and what is ours: docextract.importer (the stage itself, shipped in the wheel so
that `docextract generate` runs it in any project); this script runs this checkout's copy of it
on this checkout's specs/ and records the provenance in build.yaml.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

# this checkout's overlay first: not another copy of docextract installed in the environment
sys.path.insert(0, str(ROOT / "overlay"))

from docextract.importer import *  # noqa: E402, F403 (the stage's names, for tests and tools)
from docextract.importer import SpecImportError, dump, import_spec, load_document  # noqa: E402

ImportError_ = SpecImportError


def run(provider: str, upstream_path: Path, *, check: bool) -> int:
    folder = SPECS / provider
    build_file = folder / "build.yaml"
    if not build_file.exists():
        raise ImportError_(f"no such provider: {build_file} does not exist")
    build_text = build_file.read_text(encoding="utf-8")
    build = yaml.safe_load(build_text) or {}
    raw = upstream_path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    spec_file = folder / "openapi.yaml"
    current = yaml.safe_load(spec_file.read_text(encoding="utf-8")) if spec_file.exists() else None
    document = import_spec(
        load_document(upstream_path), build, current, source=str(upstream_path), digest=digest
    )
    text = dump(document)
    relative = _display(upstream_path)
    new_build = _with_provenance(build_text, relative, digest)
    if check:
        stale = [
            f
            for f, t in ((spec_file, text), (build_file, new_build))
            if f.read_text(encoding="utf-8") != t
        ]
        for f in stale:
            print(
                f"{f.relative_to(ROOT)} is out of step with {relative}; run scripts/import_spec.py"
            )
        return 1 if stale else 0
    spec_file.write_text(text, encoding="utf-8")
    build_file.write_text(new_build, encoding="utf-8")
    count = sum(len(item) for item in document["paths"].values())
    schemas = len(document["components"].get("schemas", {}))
    print(
        f"{provider}: {spec_file.relative_to(ROOT)} imported from {relative}: "
        f"{count} operations, {schemas} schemas"
    )
    return 0


def _display(path: Path) -> str:
    """The upstream path as build.yaml records it: relative to the checkout (not resolved, so
    that a symlinked evidence folder keeps its name)."""
    import os

    return Path(os.path.relpath(path.absolute(), ROOT)).as_posix()


def _with_provenance(build_text: str, document: str, digest: str) -> str:
    """build.yaml with `upstream.document` and `upstream.sha256` set, comments kept."""
    lines = build_text.splitlines()
    try:
        start = lines.index("upstream:")
    except ValueError as exc:
        raise ImportError_("build.yaml has no top-level `upstream:` mapping") from exc
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith(" ")),
        len(lines),
    )
    block = [line for line in lines[start + 1 : end] if not re.match(r"  (document|sha256):", line)]
    block = [f"  document: {document}", f"  sha256: {digest}", *block]
    return "\n".join([*lines[: start + 1], *block, *lines[end:]]) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("provider")
    parser.add_argument("upstream", type=Path, help="the provider's published OpenAPI document")
    parser.add_argument("--check", action="store_true", help="fail if the vendored spec differs")
    args = parser.parse_args(argv)
    try:
        return run(args.provider, args.upstream, check=args.check)
    except (ImportError_, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
