"""The toy provider's adapter: everything docextract needs to know of it, in one module."""

from typing import Any

from docextract.errors import InvalidParameter
from docextract.lifecycles import Lifecycle, Phase, Request, Snapshot, Submission, status_text
from docextract.providers.adapter import (
    Capabilities,
    Extraction,
    Provider,
    Summary,
    no_leftovers,
    plain,
)

PHASES = {"done": Phase.SUCCEEDED, "failed": Phase.FAILED, "cancelled": Phase.CANCELLED}


class ToyJobs(Lifecycle):
    provider = "toy"

    def status_request(self, job_id: str) -> Request:
        return Request("get_job", {"job_id": job_id})

    def snapshot(self, model: Any) -> Snapshot:
        status, known = status_text(model.status)
        return Snapshot(
            status=status, phase=PHASES.get(status, Phase.RUNNING), known=known, model=model
        )


def plan_extract(params: dict[str, Any]) -> Submission:
    from toy_client.models import JobCreate

    document = params.pop("document", None)
    temperature = params.pop("temperature", None)
    no_leftovers("toy extract", params)
    if isinstance(document, bytes):
        document = document.decode("utf-8")
    if not isinstance(document, str) or not document:
        raise InvalidParameter("document", document, "the text to extract from")
    body = JobCreate(text=document)
    if temperature is not None:
        body.temperature = temperature
    request = Request("create_job", {"body": body})
    return Submission("toy", "extract", lambda _: request)


def summarize(operation: str, job: Any) -> Summary:
    return Summary(data=plain(job.result), usage={"words": plain(job.words)})


PROVIDER = Provider(
    name="toy",
    env_var="TOY_API_KEY",
    operations={"extract": plan_extract},
    lifecycle=ToyJobs(),
    extraction=Extraction(operation="extract", summarize=summarize),
    capabilities=Capabilities(),
)
