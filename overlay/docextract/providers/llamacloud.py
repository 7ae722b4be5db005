"""LlamaCloud (LlamaExtract v2): a local document is uploaded first, then an extraction job runs.

Statuses: PENDING, THROTTLED, RUNNING, then COMPLETED, FAILED or CANCELLED; the finished job
(ExtractV2Job) carries the result, and with `expand=extract_metadata` its per-field metadata.
"""

from collections.abc import Mapping
from typing import Any, ClassVar

from docextract.documents import is_local_document, read_document
from docextract.errors import InvalidParameter
from docextract.lifecycles import Lifecycle, Phase, Request, Snapshot, Submission, status_text
from docextract.lifecycles import value_of as _value
from docextract.limits import Limit
from docextract.providers.adapter import (
    BatchLookup,
    Capabilities,
    Extraction,
    Provider,
    Summary,
    no_leftovers,
    plain,
    take,
)

NAME = "llamacloud"
CREATE, UPLOAD = "create_extract_job", "upload_file"


class LlamaCloudJobs(Lifecycle):
    """The job itself is its status; cancel exists; no stream."""

    provider = NAME
    PHASES: ClassVar = {
        "COMPLETED": Phase.SUCCEEDED,
        "FAILED": Phase.FAILED,
        "CANCELLED": Phase.CANCELLED,
    }

    # The job's `status` is a plain string in the published spec (only List Extract Jobs' filter
    # enumerates the values), so which ones are known is said here.
    KNOWN: ClassVar = frozenset({"PENDING", "THROTTLED", "RUNNING", *PHASES})

    def status_request(self, job_id: str) -> Request:
        # per-field metadata comes with the finished job: no second request for it
        return Request("get_extract_job", {"job_id": job_id, "expand": ["extract_metadata"]})

    def snapshot(self, model: Any) -> Snapshot:
        status, _ = status_text(model.status)
        return Snapshot(
            status=status,
            phase=self.PHASES.get(status, Phase.RUNNING),
            known=status in self.KNOWN,
            throttled=status == "THROTTLED",
            message=_value(model.error_message),
            model=model,
        )

    def cancel_request(self, job_id: str) -> Request | None:
        return Request("cancel_extract_job", {"job_id": job_id})


def plan_extract(params: dict[str, Any]) -> Submission:
    """document or file_input (path or bytes, uploaded first; or a file ID), configuration (a
    dict or ExtractConfiguration) or data_schema (a JSON Schema) or configuration_id, and the
    query parameters of the spec's create (project_id, organization_id), sent with the upload
    too."""
    from llamacloud_client.models import (
        ExtractConfiguration,
        ExtractV2JobCreate,
        FileUploadForm,
    )
    from llamacloud_client.types import File

    # `file_input` is the API's name since 2026-08; `document` (a path, bytes or a file ID) stays
    source = params.pop("document", None)
    if "file_input" in params:
        if source is not None:
            raise InvalidParameter(
                "file_input", params["file_input"], "document or file_input, not both"
            )
        source = params.pop("file_input")
    configuration = params.pop("configuration", None)
    data_schema = params.pop("data_schema", None)
    configuration_id = params.pop("configuration_id", None)
    if data_schema is not None:
        configuration = {**(configuration or {}), "data_schema": data_schema}
    if (configuration is None) == (configuration_id is None):
        raise InvalidParameter(
            "configuration",
            configuration,
            "exactly one of configuration/data_schema or configuration_id",
        )
    scope = take(params, PROVIDER.query_names(CREATE))
    no_leftovers("llamacloud extract", params)
    inline = (
        ExtractConfiguration.from_dict(configuration)
        if isinstance(configuration, Mapping)
        else configuration
    )
    upload = None
    if is_local_document(source):
        form = FileUploadForm(file=read_document(source).as_file(File), purpose="extract")
        shared = set(PROVIDER.query_names(UPLOAD))
        upload = Request(UPLOAD, {"body": form, **{k: v for k, v in scope.items() if k in shared}})
    elif not isinstance(source, str) or not source:
        raise InvalidParameter("document", source, "a path, bytes, or a LlamaCloud file ID")

    def create(file_id: str | None) -> Request:
        body = ExtractV2JobCreate(file_input=file_id or str(source))
        if inline is not None:
            body.configuration = inline
        else:
            body.configuration_id = configuration_id
        return Request(CREATE, {"body": body, **scope})

    return Submission(NAME, "extract", create, upload)


def summarize(operation: str, job: Any) -> Summary:
    """ExtractV2Job: extract_result, usage from its metadata, per-field metadata."""
    metadata = plain(job.metadata) or {}
    field_metadata = (plain(job.extract_metadata) or {}).get("field_metadata")
    return Summary(
        data=plain(job.extract_result),
        usage=metadata.get("usage") or {},
        confidence=field_metadata,
    )


def _batch_extra() -> dict[str, Any]:
    return {"expand": ["extract_metadata"]}  # as the single-job look asks


PROVIDER = Provider(
    name=NAME,
    env_var="LLAMA_CLOUD_API_KEY",
    operations={"extract": plan_extract},
    lifecycle=LlamaCloudJobs(),
    extraction=Extraction(operation="extract", summarize=summarize, schema_parameter="data_schema"),
    capabilities=Capabilities(
        cancel=True,
        list_jobs=True,
        # users report 429s past about 15 job creations per second
        submissions=Limit(rate=15.0),
        # the list's job-ID filter, once the spec has it (BatchLookup.enabled)
        batch_lookup=BatchLookup("list_extract_jobs", "job_ids", 100, _batch_extra),
    ),
)
