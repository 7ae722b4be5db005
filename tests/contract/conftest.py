"""pytest-recording reads the fixtures' cassettes, top-level `metadata:` included.

pytest-recording 0.14 loads every cassette through its CombinedPersister, which unpacks vcrpy's
`deserialize()` into (requests, responses); vcrpy 9.4 returns the cassette's metadata as a third
value when there is one, so the unpacking fails. This hook swaps in a persister that keeps the
metadata (users replaying these fixtures with pytest-recording need the same hook; see
`test_pytest_recording_extra_cassette_paths_read_cassettes_with_metadata`).
"""

from __future__ import annotations

from itertools import chain
from types import ModuleType
from typing import Any

import pytest
from pytest_recording._vcr import CombinedPersister
from vcr.cassette import CassetteNotFoundError
from vcr.serialize import deserialize


class MetadataAwarePersister(CombinedPersister):
    """CombinedPersister that also returns the first cassette's metadata, as vcrpy expects."""

    def load_cassette(self, cassette_path: str, serializer: ModuleType) -> Any:
        requests: list[Any] = []
        responses: list[Any] = []
        metadata: dict[str, Any] = {}
        for path in dict.fromkeys(chain([cassette_path], self.extra_paths)):
            try:
                with open(path, encoding="utf-8") as cassette:
                    loaded = deserialize(cassette.read(), serializer)
            except OSError:
                continue
            requests += loaded[0]
            responses += loaded[1]
            if len(loaded) > 2 and not metadata:
                metadata = loaded[2]
        if not requests:
            raise CassetteNotFoundError("No cassettes found.")
        return (requests, responses, metadata) if metadata else (requests, responses)


@pytest.hookimpl
def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_persister(MetadataAwarePersister(list(vcr.persister.extra_paths)))
