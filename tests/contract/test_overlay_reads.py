"""The fields the overlay reads exist in the spec: a spec that drops one fails here, in CI,
naming the model and the field, instead of at run time (where a status the overlay cannot read
once looked like a job that never ended: `JobTimeout ... last status: unknown`).

Every recorded 200 answer of each provider's status operation is parsed by the generated client
and read by the overlay's own lifecycle (`snapshot`, then `result_request`), through a proxy that
records each attribute the overlay asks for that the generated model does not define. A drill
regenerates LlamaCloud's client from a copy of its spec without `error_message` and shows the
check failing on it.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from contract.cassettes import Interaction, all_interactions
from docextract.contract.checks import as_httpx, endpoint, locate
from docextract.contract.specs import ROOT, SPECS, ProviderSpec
from docextract.errors import InvalidResponse
from docextract.lifecycles import Lifecycle, Phase, Snapshot
from docextract.providers import PROVIDERS

# each provider's adapter: its jobs' lifecycle, and how extract() reads a finished job's result
LIFECYCLES: dict[str, Lifecycle] = {
    name: p.lifecycle for name, p in PROVIDERS.items() if p.lifecycle is not None
}
SUMMARIES = {
    name: lambda outcome, p=PROVIDERS[name]: p.extraction.summarize(
        p.extraction.operation, outcome.result
    )
    for name in LIFECYCLES
}


class Reads:
    """A generated model as the overlay sees it: reads pass through; a read of an attribute
    the model's class does not define is recorded (and raises AttributeError, as it would)."""

    def __init__(self, model: Any, missing: list[str]) -> None:
        object.__setattr__(self, "_model", model)
        object.__setattr__(self, "_missing", missing)

    def __getattr__(self, name: str) -> Any:
        model = object.__getattribute__(self, "_model")
        if not hasattr(type(model), name):
            object.__getattribute__(self, "_missing").append(f"{type(model).__name__}.{name}")
            raise AttributeError(f"{type(model).__name__} has no attribute {name!r}")
        return getattr(model, name)


# Reads the overlay makes with getattr(..., None) on purpose, each with the model that has the
# field: NuMind's snapshot model is a JobResponse when it comes from the job stream (output
# included) and a JobStatusResponse when polled (then the overlay fetches the job).
OPTIONAL_READS: dict[str, tuple[str, str]] = {
    "numind:JobStatusResponse.output_data": ("JobResponse", "output_data"),
    # a structured result says with `error` that its output did not fit the template (HTTP
    # 206); a NuMarkdown result has no template, and no `error`
    "numind:MarkdownResponse.error": ("ExtractionResponse", "error"),
}


def status_operation(provider: str) -> str:
    return LIFECYCLES[provider].status_request(str(uuid.uuid4())).operation_id


def status_answers(provider: str) -> list[Interaction]:
    operation = status_operation(provider)
    return [
        interaction
        for interaction in all_interactions()
        if interaction.provider == provider
        and interaction.response.status == 200
        and interaction.cassette.endswith(f"/{operation}.yaml")
    ]


def unread_fields(interaction: Interaction, spec: ProviderSpec | None = None) -> list[str]:
    """The attributes the overlay reads from this answer that its generated model lacks."""
    located = locate(interaction, spec)
    package = importlib.import_module(located.spec.package)
    client = package.Client(base_url=interaction.base_url)
    parsed = endpoint(located)._build_response(client=client, response=as_httpx(interaction))
    missing: list[str] = []
    lifecycle = LIFECYCLES[interaction.provider]
    try:
        snapshot = lifecycle.snapshot(Reads(parsed.parsed, missing))
        lifecycle.result_request(str(uuid.uuid4()), snapshot)
    except AttributeError:
        assert missing, "an AttributeError the proxy did not record"
    allowed = {
        read.split(":", 1)[1]
        for read in OPTIONAL_READS
        if read.startswith(f"{interaction.provider}:")
    }
    return sorted(set(missing) - allowed)


def test_each_optional_read_is_a_field_of_the_model_that_carries_it() -> None:
    for read, (model, field) in OPTIONAL_READS.items():
        provider = read.split(":", 1)[0]
        models = importlib.import_module(f"{provider}_client.models")
        assert hasattr(getattr(models, model), field), f"{read}: {model}.{field} is gone"


ANSWERS = [i for provider in sorted(LIFECYCLES) for i in status_answers(provider)]


def test_every_lifecycle_has_recorded_status_answers() -> None:
    assert {i.provider for i in ANSWERS} == set(LIFECYCLES)


@pytest.mark.parametrize("interaction", ANSWERS, ids=[i.test_id for i in ANSWERS])
def test_every_field_the_overlay_reads_is_in_the_spec(interaction: Interaction) -> None:
    missing = unread_fields(interaction)
    assert not missing, (
        f"{interaction.provider}: the overlay reads {', '.join(missing)}, which the spec "
        f"(specs/{interaction.provider}/openapi.yaml) no longer has ({interaction.where})"
    )


def _generate_module() -> Any:
    name = "_docextract_build_generate_reads"
    loaded = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "generate.py")
    assert loaded is not None
    assert loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    sys.modules[name] = module
    loaded.loader.exec_module(module)
    return module


def test_a_spec_without_a_field_the_overlay_reads_fails_naming_it(tmp_path: Path) -> None:
    document = yaml.safe_load((SPECS / "llamacloud" / "openapi.yaml").read_text())
    job = document["components"]["schemas"]["ExtractV2Job"]
    assert "error_message" in job["properties"], "the drill is stale"
    del job["properties"]["error_message"]
    job["required"] = [name for name in job.get("required", []) if name != "error_message"]
    spec_file = tmp_path / "llamacloud.yaml"
    spec_file.write_text(yaml.safe_dump(document, sort_keys=False))
    package = "reads_drill_llamacloud_client"
    generate = _generate_module()
    build = dataclasses.replace(
        generate.ProviderBuild.load("llamacloud"), spec=spec_file, package=package
    )
    generate.build_into(build, tmp_path / "packages" / package)
    sys.path.insert(0, str(tmp_path / "packages"))
    try:
        importlib.invalidate_caches()
        spec = ProviderSpec("llamacloud", spec_file=spec_file, package=package)
        found = {field for i in status_answers("llamacloud") for field in unread_fields(i, spec)}
    finally:
        sys.path.remove(str(tmp_path / "packages"))
        for name in [n for n in sys.modules if n.split(".")[0] == package]:
            del sys.modules[name]
    assert found == {"ExtractV2Job.error_message"}


# ---------------------------------------------------------------- what extract() reads of a result

# The answer each provider's finished job is read from by extract() (docextract.extraction).
RESULT_OPERATIONS = {
    "numind": "get_api_jobs_jobid",
    "llamacloud": "get_extract_job",
    "contextual": "get_extraction_job_results_extract_jobs__job_id__results_get",
}


def _parsed(interaction: Interaction) -> Any:
    located = locate(interaction)
    package = importlib.import_module(located.spec.package)
    client = package.Client(base_url=interaction.base_url)
    return endpoint(located)._build_response(client=client, response=as_httpx(interaction)).parsed


def result_reads(interaction: Interaction) -> list[str] | None:
    """The attributes extract() reads from this finished job's answer that its models lack."""
    missing: list[str] = []
    provider = interaction.provider
    result: Any = Reads(_parsed(interaction), missing)
    try:
        if provider == "numind":  # the output is a JSON string in the job: the lifecycle parses it
            done = Snapshot(status="completed", phase=Phase.SUCCEEDED, model=result)
            result = Reads(LIFECYCLES[provider].result(None, done, result), missing)
        SUMMARIES[provider](SimpleNamespace(result=result))
    except AttributeError:
        assert missing, "an AttributeError the proxy did not record"
    except InvalidResponse:
        return None  # not a finished job's answer (no output): not one extract() reads
    allowed = {read.split(":", 1)[1] for read in OPTIONAL_READS if read.startswith(f"{provider}:")}
    return sorted(set(missing) - allowed)


RESULTS = [
    interaction
    for interaction in all_interactions()
    if interaction.response.status == 200
    and interaction.cassette.endswith(f"/{RESULT_OPERATIONS.get(interaction.provider)}.yaml")
    and result_reads(interaction) is not None  # a finished job's answer (unfinished: no output)
]


def test_summaries_cover_the_result_operations() -> None:
    assert set(SUMMARIES) == set(RESULT_OPERATIONS)
    assert {i.provider for i in RESULTS} == set(RESULT_OPERATIONS)


@pytest.mark.parametrize("interaction", RESULTS, ids=[i.test_id for i in RESULTS])
def test_every_field_extract_reads_of_a_result_is_in_the_spec(interaction: Interaction) -> None:
    missing = result_reads(interaction)
    assert not missing, (
        f"{interaction.provider}: extract() reads {', '.join(missing)}, which the spec "
        f"(specs/{interaction.provider}/openapi.yaml) no longer has ({interaction.where})"
    )
