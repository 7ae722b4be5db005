"""This repository's fixtures (tests/fixtures/), read with docextract.contract.cassettes."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from docextract.contract.cassettes import (
    Interaction,
    RecordedRequest,
    RecordedResponse,
    interactions_of,
    load_data,
    media_type,
    provenance_of,
)
from docextract.contract.cassettes import cassette_paths as _cassette_paths

__all__ = [
    "FIXTURES",
    "ROOT",
    "Interaction",
    "RecordedRequest",
    "RecordedResponse",
    "all_interactions",
    "cassette_paths",
    "interactions_of",
    "load_data",
    "media_type",
    "provenance_of",
]

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def cassette_paths(root: Path = FIXTURES) -> list[Path]:
    return _cassette_paths(root)


@cache
def all_interactions() -> tuple[Interaction, ...]:
    out: list[Interaction] = []
    for path in cassette_paths():
        label = path.relative_to(FIXTURES).as_posix()
        out += interactions_of(load_data(path), label)
    return tuple(out)
