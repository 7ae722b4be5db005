"""PROVIDER-SPECIFIC FACTS of issue 13 (many jobs), kept in this one module on purpose.

When the provider adapters (docextract.providers.<name>) land, each entry here becomes a
capability field of its provider's adapter and this module goes away.

- submission limits: LlamaCloud throttles job creation past about 15 per second (users report
  429s); Contextual allows 5 active extraction jobs per user; Retab answers each extraction in
  one synchronous request, so its only lever is how many run at once; NuMind documents no limit.
- batch status: a list operation that filters by job IDs answers for a page of jobs in one
  request. Enabled only where the vendored spec has the filter (read from its facts).
"""

from collections.abc import Callable
from typing import Any

import attrs

from docextract.limits import Limit
from docextract.providers import get_provider

SUBMISSION_LIMITS: dict[str, Limit] = {
    "llamacloud": Limit(rate=15.0),
    "contextual": Limit(active_jobs=5),
    "retab": Limit(concurrency=4),
    "numind": Limit(),
}


def submission_limit(provider: str) -> Limit:
    get_provider(provider)  # checks the name
    return SUBMISSION_LIMITS.get(provider, Limit())


@attrs.frozen
class BatchStatus:
    """One request that looks at many jobs: `operation_id` called with `params(job_ids)`;
    its parsed answer's `items` are the jobs' status models (each with its `id`)."""

    operation_id: str
    id_parameter: str
    page_size: int
    extra: Callable[[], dict[str, Any]] = dict

    def params(self, job_ids: list[str]) -> dict[str, Any]:
        return {self.id_parameter: job_ids, "page_size": len(job_ids), **self.extra()}


def _llamacloud_extra() -> dict[str, Any]:
    from llamacloud_client.models import ExtractExpand

    return {"expand": [ExtractExpand("extract_metadata")]}  # as the single-job look asks


BATCH_CANDIDATES: dict[str, BatchStatus] = {
    "llamacloud": BatchStatus("list_extract_jobs", "job_ids", 100, _llamacloud_extra),
}


def batch_status(provider: str) -> BatchStatus | None:
    """The provider's batch status, if its vendored spec has the job-ID filter."""
    candidate = BATCH_CANDIDATES.get(provider)
    if candidate is None:
        return None
    operations = get_provider(provider).facts["operations"]
    parameters = operations.get(candidate.operation_id, {}).get("parameters", {})
    return candidate if candidate.id_parameter in parameters else None
