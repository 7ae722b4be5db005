"""llama-cloud 2.19.0, LlamaCloud's official SDK, as the outside oracle: every covered operation
through the SDK's own calls against the sandbox with `_strict_response_validation=True` (each
answer validated against the SDK's models), its `wait_for_completion` (sync and async), its
cursor pagination over our page tokens, and every reference fixture body parsed by the SDK's
model for that operation and status."""

import asyncio
from typing import Any

import pytest
import sdk_oracles as oracles
from conftest import KEY

from docextract.providers import PROVIDERS
from docextract.sandbox import INVOICE, Sandbox

llama_cloud = oracles.sdk("llama_cloud", "llama-cloud==2.19.0")
from llama_cloud.types import (  # noqa: E402 (after the SDK check)
    ExtractV2Job,
    ExtractV2JobQueryResponse,
    FileCreateResponse,
)
from llama_cloud.types.extract_configuration import ExtractConfiguration  # noqa: E402

SDK = "llama-cloud 2.19.0"
INVOICE_TEXT = (
    "Invoice number: INV-2026-0042\nDate: 2026-11-02\nVendor: Acme Supplies Ltd\n"
    "Total amount: 1284.50\nCurrency: EUR\nPaid: no\n"
)
MODELS: dict[tuple[str, str], type[Any]] = {
    ("upload_file", "201"): FileCreateResponse,
    ("create_extract_job", "200"): ExtractV2Job,
    ("get_extract_job", "200"): ExtractV2Job,
    ("cancel_extract_job", "200"): ExtractV2Job,
    ("list_extract_jobs", "200"): ExtractV2JobQueryResponse,
}


def client(sandbox: Sandbox) -> Any:
    return llama_cloud.LlamaCloud(
        api_key=KEY,
        base_url=sandbox.base_url("llamacloud"),
        _strict_response_validation=True,
        max_retries=0,
    )


def upload(sdk: Any) -> str:
    uploaded = oracles.checked(
        SDK,
        "files.create",
        lambda: sdk.files.create(
            file=("invoice.txt", INVOICE_TEXT.encode(), "text/plain"), purpose="extract"
        ),
    )
    assert isinstance(uploaded, FileCreateResponse)
    assert uploaded.purpose == "extract"
    return str(uploaded.id)


def test_every_covered_operation_through_the_sdk(sandbox: Sandbox) -> None:
    sdk = client(sandbox)
    file_id = upload(sdk)
    configuration = {"data_schema": dict(INVOICE), "cite_sources": True, "confidence_scores": True}
    job = oracles.checked(
        SDK,
        "extract.create",
        lambda: sdk.extract.create(file_input=file_id, configuration=configuration),
    )
    assert job.file_input == file_id
    done = oracles.checked(
        SDK,
        "extract.wait_for_completion",
        lambda: sdk.extract.wait_for_completion(job.id, polling_interval=0.02, timeout=30),
    )
    assert done.status == "COMPLETED"
    assert done.extract_result["invoice_number"] == "INV-2026-0042"
    assert done.metadata.usage.num_pages_extracted == 1
    expanded = oracles.checked(
        SDK,
        "extract.get(expand=configuration,extract_metadata,usage)",
        lambda: sdk.extract.get(job.id, expand=["configuration", "extract_metadata", "usage"]),
    )
    assert expanded.configuration.data_schema == dict(INVOICE)
    assert expanded.usage.credits is not None
    assert expanded.extract_metadata.field_metadata is not None

    saved = oracles.checked(
        SDK,
        "extract.create(configuration_id)",
        lambda: sdk.extract.create(file_input=file_id, configuration_id="cfg-invoice"),
    )
    sandbox.configure("llamacloud", step_seconds=60)
    running = oracles.checked(
        SDK,
        "extract.create",
        lambda: sdk.extract.create(file_input=file_id, configuration=configuration),
    )
    cancelled = oracles.checked(SDK, "extract.cancel", lambda: sdk.extract.cancel(running.id))
    assert cancelled.status == "CANCELLED"

    # the SDK's cursor follows our page tokens; the list is newest first
    pages = oracles.checked(SDK, "extract.list", lambda: list(sdk.extract.list(page_size=2)))
    assert [j.id for j in pages] == [running.id, saved.id, job.id]
    only = oracles.checked(
        SDK, "extract.list(filters)", lambda: list(sdk.extract.list(job_ids=[saved.id]))
    )
    assert [j.id for j in only] == [saved.id]

    oracles.checked(SDK, "extract.delete", lambda: sdk.extract.delete(saved.id))
    with pytest.raises(llama_cloud.NotFoundError):
        sdk.extract.get(saved.id)

    facts = dict(PROVIDERS["llamacloud"].facts["operations"])
    reached = oracles.reached(dict(sandbox.stats().requests), "llamacloud", facts)
    assert reached == set(facts) - oracles.no_call("llamacloud"), "operations not reached"


def test_the_async_sdk_and_its_waiting_helper(sandbox: Sandbox) -> None:
    async def scenario() -> None:
        sdk = llama_cloud.AsyncLlamaCloud(
            api_key=KEY,
            base_url=sandbox.base_url("llamacloud"),
            _strict_response_validation=True,
            max_retries=0,
        )
        uploaded = await oracles.checked_async(
            SDK,
            "async files.create",
            lambda: sdk.files.create(file=("a.txt", INVOICE_TEXT.encode()), purpose="extract"),
        )
        job = await oracles.checked_async(
            SDK,
            "async extract.create",
            lambda: sdk.extract.create(
                file_input=uploaded.id, configuration={"data_schema": dict(INVOICE)}
            ),
        )
        done = await oracles.checked_async(
            SDK,
            "async extract.wait_for_completion",
            lambda: sdk.extract.wait_for_completion(job.id, polling_interval=0.02, timeout=30),
        )
        assert done.status == "COMPLETED"
        await sdk.close()

    asyncio.run(scenario())


def test_a_failed_job_is_the_sdks_polling_error(sandbox: Sandbox) -> None:
    sandbox.configure("llamacloud", outcome="failed")
    sdk = client(sandbox)
    job = sdk.extract.create(file_input=upload(sdk), configuration={"data_schema": dict(INVOICE)})
    with pytest.raises(llama_cloud._polling.PollingError, match="FAILED"):
        sdk.extract.wait_for_completion(job.id, polling_interval=0.02, timeout=30)


def test_strict_validation_rejects_a_wrong_answer() -> None:
    """Sanity of the oracle: strict validation really rejects a wrong answer."""
    with pytest.raises(Exception, match="file_input"):
        ExtractV2Job.model_validate({"id": "x", "status": "RUNNING"})


@pytest.mark.parametrize(
    "answer", list(oracles.answers("llamacloud")), ids=lambda a: f"{a.operation}-{a.case}"
)
def test_every_fixture_body_parses_with_the_sdks_model(answer: oracles.Answer) -> None:
    if oracles.unmodelled("llamacloud", answer.operation, answer.status):
        return  # listed, with its reason, in disagreements.yaml
    if answer.bodiless:
        return  # nothing for a model to parse
    model = MODELS.get((answer.operation, answer.status))
    assert model is not None, f"{answer.where}: no SDK model and not in disagreements.yaml"
    oracles.checked(
        SDK, f"{model.__name__} on {answer.where}", lambda: model.model_validate(answer.body)
    )


def test_sdk_only_values_are_still_sdk_only() -> None:
    """Each `sdk-only` entry holds: the SDK has it, the vendored spec does not (when the spec
    catches up, the entry must go)."""
    import yaml

    spec = yaml.safe_load((oracles.ROOT / "specs" / "llamacloud" / "openapi.yaml").read_text())
    ours = spec["components"]["schemas"]["ExtractConfiguration"]["properties"]
    sdk_fields = ExtractConfiguration.model_fields
    for entry in oracles.disagreements("llamacloud", "sdk-only"):
        field = entry["field"]
        assert field in sdk_fields, entry
        if entry["values"] == ["field"]:
            assert field not in ours, entry
        elif entry["values"] == ["enum"]:
            assert "enum" not in str(ours[field]), entry
        else:
            assert not set(entry["values"]) & set(ours[field].get("enum", [])), entry
            assert all(v in str(sdk_fields[field].annotation) for v in entry["values"]), entry
