"""Contract tests of recorded answers, for this repository and for users' own projects.

- `cassettes`: vcrpy cassettes (provenance under `docextract:`) read into typed interactions.
- `specs`: a provider's OpenAPI spec, its operations, JSON Schema validation of answers.
- `checks`: check 1 (an answer validates against its operation's schema) and check 2 (it
  round-trips through the generated model).
- `playback` / `recording`: httpx transports that replay a cassette and record one.
- `scrub`: keys out of cassettes, and the guard that refuses a cassette still holding one.
- `plugin`: the pytest plugin (`docextract_cassette`, `--docextract-record`).

Needs the `contract` extra: `pip install 'docextract[contract]'`.
"""

from pathlib import Path

# Nothing heavy here: pytest imports this package (for the plugin) in every run.


def check_cassette(
    path: Path, *, spec_file: Path | None = None, package: str | None = None
) -> list[str]:
    """Checks 1 and 2 for every interaction of the cassette at `path`; [] when all pass."""
    from docextract.contract.cassettes import interactions_in
    from docextract.contract.session import contract_problems
    from docextract.contract.specs import ProviderSpec

    interactions = interactions_in(path)
    if not interactions:
        return [f"{path}: no interactions"]
    spec = ProviderSpec(interactions[0].provider, spec_file=spec_file, package=package)
    return contract_problems(interactions, spec)
