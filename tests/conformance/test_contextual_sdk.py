"""contextual-client 0.11.0, Contextual AI's official SDK. It has no extract resource (seed 004,
the provider's own OpenAPI fragment, is the evidence for our operations), so what it can check
is checked: its job status literal is our DocumentStatusEnum, value for value — the proof that
the vendored spec needs no change."""

import typing

import sdk_oracles as oracles
import yaml
from conftest import KEY

from docextract.sandbox import Sandbox

contextual = oracles.sdk("contextual", "contextual-client==0.11.0")
from contextual.types.parse_jobs_response import Job as ParseJob  # noqa: E402


def test_the_sdks_status_literal_is_our_document_status_enum() -> None:
    spec = yaml.safe_load((oracles.ROOT / "specs" / "contextual" / "openapi.yaml").read_text())
    ours = spec["components"]["schemas"]["DocumentStatusEnum"]["enum"]
    annotation = ParseJob.model_fields["status"].annotation
    assert list(typing.get_args(annotation)) == ours


def test_the_sdk_still_has_no_extract_resource(sandbox: Sandbox) -> None:
    """The `no-call` entry of disagreements.yaml holds; when a release adds one, it must go."""
    client = contextual.ContextualAI(api_key=KEY, base_url=sandbox.base_url("contextual"))
    assert not hasattr(client, "extract")
    listed = oracles.no_call("contextual")
    assert listed == {
        "start_extraction_job_extract_jobs_post",
        "get_extraction_job_status_extract_jobs__job_id__get",
        "get_extraction_job_results_extract_jobs__job_id__results_get",
    }
