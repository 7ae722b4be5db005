"""Contextual AI: extraction jobs on an uploaded document and a schema, both by UUID.

Statuses: pending/processing, then completed, failed or cancelled; the result is fetched from
the results endpoint. A job created with `stream=true` streams its progress from creation.
"""

import json
import uuid
from collections.abc import Mapping
from typing import Any, ClassVar

from docextract.errors import InvalidParameter
from docextract.lifecycles import (
    Lifecycle,
    Phase,
    Request,
    Snapshot,
    Submission,
    status_text,
    value_of,
)
from docextract.limits import Limit
from docextract.providers.adapter import (
    Capabilities,
    Extraction,
    Provider,
    Summary,
    no_leftovers,
    plain,
)

NAME = "contextual"
CREATE = "start_extraction_job_extract_jobs_post"


def job_uuid(job_id: str, *, parameter: str = "job_id") -> uuid.UUID:
    """A Contextual ID (they are UUIDs), or InvalidParameter naming `parameter`."""
    try:
        return uuid.UUID(job_id)
    except (ValueError, AttributeError, TypeError):
        raise InvalidParameter(parameter, job_id, "a UUID (Contextual IDs are UUIDs)") from None


class ContextualJobs(Lifecycle):
    """Status with progress numbers; the result from its own endpoint."""

    provider = NAME
    PHASES: ClassVar = {
        "completed": Phase.SUCCEEDED,
        "failed": Phase.FAILED,
        "cancelled": Phase.CANCELLED,
    }

    def status_request(self, job_id: str) -> Request:
        return Request(
            "get_extraction_job_status_extract_jobs__job_id__get", {"job_id": job_uuid(job_id)}
        )

    def snapshot(self, model: Any) -> Snapshot:
        status, known = status_text(model.status)
        phase = self.PHASES.get(status, Phase.RUNNING)
        step = value_of(model.current_step)
        return Snapshot(
            status=status,
            phase=phase,
            known=known,
            percentage=value_of(model.completion_percentage),
            fields_processed=value_of(model.fields_processed),
            total_fields=value_of(model.total_fields),
            current_step=step,
            message=step if phase is Phase.FAILED else None,
            model=model,
        )

    def result_request(self, job_id: str, snapshot: Snapshot) -> Request | None:
        return Request(
            "get_extraction_job_results_extract_jobs__job_id__results_get",
            {"job_id": job_uuid(job_id)},
        )

    def stream_started(self, event: str, data: str) -> tuple[str, int | None] | None:
        if event != "start":
            return None
        try:
            payload = json.loads(data)
            total = payload.get("total_subtrees")
            return str(payload["job_id"]), total if isinstance(total, int) else None
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def plan_extract(params: dict[str, Any]) -> Submission:
    """document_id (or document), schema_id (UUIDs), config (a dict or ExtractConfig)."""
    from contextual_client.models import ExtractConfig, ExtractJobRequest

    document_id = params.pop("document_id", None) or params.pop("document", None)
    schema_id = params.pop("schema_id", None)
    config = params.pop("config", None)
    no_leftovers("contextual extract", params)
    if not isinstance(document_id, str) or not isinstance(schema_id, str):
        raise InvalidParameter(
            "document_id/schema_id",
            (document_id, schema_id),
            "the UUIDs of an uploaded document and a schema",
        )
    body = ExtractJobRequest(
        document_id=job_uuid(document_id, parameter="document_id"),
        schema_id=job_uuid(schema_id, parameter="schema_id"),
    )
    if config is not None:
        body.config = ExtractConfig.from_dict(config) if isinstance(config, Mapping) else config
    request = Request(CREATE, {"body": body})
    streaming = ExtractJobRequest.from_dict({**body.to_dict(), "stream": True})
    return Submission(
        NAME, "extract", lambda _: request, create_streaming=Request(CREATE, {"body": streaming})
    )


def _is_usage(key: str) -> bool:
    return "cost" in key or "token" in key


def summarize(operation: str, raw: Any) -> Summary:
    """ExtractJobResultsResponse: results, cost and token usage, attributions."""
    metadata = plain(raw.metadata) or {}
    return Summary(
        data=plain(raw.results),
        # the spec's metadata reports cost and token counts side by side (total_cost_usd,
        # input_tokens, output_tokens): usage keeps both
        usage=metadata.get("usage") or {k: v for k, v in metadata.items() if _is_usage(k)},
        confidence=plain(raw.attributions),
    )


PROVIDER = Provider(
    name=NAME,
    env_var="CONTEXTUAL_API_KEY",
    base_url_env="CONTEXTUAL_AI_BASE_URL",  # as its official SDK names it
    operations={"extract": plan_extract},
    lifecycle=ContextualJobs(),
    extraction=Extraction(
        operation="extract", summarize=summarize, document_parameter="document_id"
    ),
    # five active extraction jobs per user
    capabilities=Capabilities(stream_on_create=True, submissions=Limit(active_jobs=5)),
)
