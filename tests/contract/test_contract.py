"""The three contract checks, one test per fixture interaction (ids: `<cassette>#<index>-<status>`).

A failure names the provider, the operation, the cassette and interaction, and the JSON paths
that differ. Enum values a spec does not list pass check 1 with a warning (ContractWarning).
"""

from __future__ import annotations

import warnings

import pytest
from pytest_httpserver import HTTPServer

from contract.cassettes import Interaction, all_interactions
from contract.replay import check_request
from docextract.contract.checks import check_model, check_schema, heading

INTERACTIONS = all_interactions()
IDS = [interaction.test_id for interaction in INTERACTIONS]


class ContractWarning(UserWarning):
    """Something the spec does not say, that the client tolerates (an unlisted enum value)."""


def report(interaction: Interaction, check: str, problems: list[str]) -> str:
    return "\n  ".join([heading(interaction, check), *problems])


def test_there_are_fixtures_for_every_provider() -> None:
    assert {i.provider for i in INTERACTIONS} == {"numind", "llamacloud", "retab", "contextual"}


@pytest.mark.parametrize("interaction", INTERACTIONS, ids=IDS)
def test_answer_matches_the_spec_schema(interaction: Interaction) -> None:
    findings = check_schema(interaction)
    for warning in findings.warnings:
        warnings.warn(ContractWarning(report(interaction, "check 1", [warning])), stacklevel=1)
    assert not findings.problems, report(interaction, "check 1 (spec schema)", findings.problems)


@pytest.mark.parametrize("interaction", INTERACTIONS, ids=IDS)
def test_answer_round_trips_through_the_generated_model(interaction: Interaction) -> None:
    problems = check_model(interaction)
    assert not problems, report(interaction, "check 2 (generated model round trip)", problems)


@pytest.mark.parametrize("interaction", INTERACTIONS, ids=IDS)
def test_generated_client_builds_the_recorded_request(
    interaction: Interaction, httpserver: HTTPServer
) -> None:
    problems = check_request(interaction, httpserver)
    assert not problems, report(interaction, "check 3 (request built by the client)", problems)
