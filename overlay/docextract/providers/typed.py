"""The typed entry points: `client`, `submit` and `wait` overloaded per provider (a `Literal`).

    api = docextract.client("llamacloud")           # llamacloud_client.AuthenticatedClient
    job = docextract.submit("llamacloud", "extract", client=api, document="a.pdf",
                            data_schema={...})      # Job[ExtractV2Job]
    result = docextract.wait(job, client=api)       # ExtractV2Job

Each operation takes the document, its path and body parameters by name, and its query
parameters as `**query: Unpack[...]` of the TypedDict the build writes from the spec
(generated/<provider>_client/query_params.py): a query parameter the spec adds or retypes
reaches this API, and the adapters (which take the spec's query names), with no hand edit.
tests/unit/test_typed_api.py checks the rest against the generated signatures. A provider
registered at run time is reached through the string-keyed docextract.jobs and
docextract.clients.
"""

from collections.abc import Awaitable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Unpack, overload

from docextract.clients import ClientSettings
from docextract.clients import client as build_client
from docextract.documents import DocumentInput

if TYPE_CHECKING:
    # docextract.jobs (and with it asyncio, the drivers and the waiting core: ~25 ms) loads
    # at the first submit or wait, not with `docextract.client(...)`
    import contextual_client
    import llamacloud_client
    import numind_client
    import retab_client
    from contextual_client.models import ExtractConfig, ExtractJobResultsResponse
    from docextract.jobs import Job, WaitOptions
    from llamacloud_client import query_params as llamacloud_query
    from llamacloud_client.models import ExtractConfiguration, ExtractV2Job
    from numind_client import query_params as numind_query
    from numind_client.models import ExtractionResponse, MarkdownResponse

R = TypeVar("R")


# ---------------------------------------------------------------- client


@overload
def client(
    provider: Literal["numind"], **settings: Unpack[ClientSettings]
) -> "numind_client.AuthenticatedClient": ...
@overload
def client(
    provider: Literal["llamacloud"], **settings: Unpack[ClientSettings]
) -> "llamacloud_client.AuthenticatedClient": ...
@overload
def client(
    provider: Literal["retab"], **settings: Unpack[ClientSettings]
) -> "retab_client.AuthenticatedClient": ...
@overload
def client(
    provider: Literal["contextual"], **settings: Unpack[ClientSettings]
) -> "contextual_client.AuthenticatedClient": ...
def client(provider: str, **settings: Unpack[ClientSettings]) -> Any:
    """`provider`'s generated AuthenticatedClient, authenticated and configured.

    Settings: see docextract.clients.client (api_key, base_url, timeout, max_retries, ...).
    """
    return build_client(provider, **settings)


# ---------------------------------------------------------------- submit


@overload
def submit(
    provider: Literal["numind"],
    operation: Literal["structured"],
    *,
    client: "numind_client.AuthenticatedClient",
    document: DocumentInput,
    project_id: str,
    **query: Unpack[
        "numind_query.PostApiStructuredExtractionStructuredextractionprojectidJobsQuery"
    ],
) -> "Job[ExtractionResponse]": ...
@overload
def submit(
    provider: Literal["numind"],
    operation: Literal["markdown"],
    *,
    client: "numind_client.AuthenticatedClient",
    document: DocumentInput,
    **query: Unpack["numind_query.PostApiMarkdownInferAsyncQuery"],
) -> "Job[MarkdownResponse]": ...
@overload
def submit(
    provider: Literal["llamacloud"],
    operation: Literal["extract"],
    *,
    client: "llamacloud_client.AuthenticatedClient",
    document: DocumentInput,
    configuration: "ExtractConfiguration | Mapping[str, Any] | None" = None,
    data_schema: Mapping[str, Any] | None = None,
    configuration_id: str | None = None,
    **query: Unpack["llamacloud_query.CreateExtractJobQuery"],
) -> "Job[ExtractV2Job]": ...
@overload
def submit(
    provider: Literal["contextual"],
    operation: Literal["extract"],
    *,
    client: "contextual_client.AuthenticatedClient",
    document_id: str,
    schema_id: str,
    config: "ExtractConfig | Mapping[str, Any] | None" = None,
) -> "Job[ExtractJobResultsResponse]": ...
def submit(provider: str, operation: str, *, client: Any, **params: Any) -> "Job[Any]":
    """Create a job; its type says what waiting for it returns.

    numind structured: document (path or bytes), project_id, and the query parameters of its
        spec (temperature, ...; timeout: the job's own, as a duration string such as "10m").
    numind markdown: document, and the query parameters of its spec.
    llamacloud extract: document (path or bytes, uploaded first; or a file ID), and one of
        configuration, data_schema (a JSON Schema) or configuration_id; the query parameters
        of its spec (project_id, organization_id).
    contextual extract: document_id, schema_id (UUIDs), config.
    """
    given = {name: value for name, value in params.items() if value is not None}
    from docextract import jobs

    return jobs.submit(provider, operation, client=client, **given)


@overload
async def submit_async(
    provider: Literal["numind"],
    operation: Literal["structured"],
    *,
    client: "numind_client.AuthenticatedClient",
    document: DocumentInput,
    project_id: str,
    **query: Unpack[
        "numind_query.PostApiStructuredExtractionStructuredextractionprojectidJobsQuery"
    ],
) -> "Job[ExtractionResponse]": ...
@overload
async def submit_async(
    provider: Literal["numind"],
    operation: Literal["markdown"],
    *,
    client: "numind_client.AuthenticatedClient",
    document: DocumentInput,
    **query: Unpack["numind_query.PostApiMarkdownInferAsyncQuery"],
) -> "Job[MarkdownResponse]": ...
@overload
async def submit_async(
    provider: Literal["llamacloud"],
    operation: Literal["extract"],
    *,
    client: "llamacloud_client.AuthenticatedClient",
    document: DocumentInput,
    configuration: "ExtractConfiguration | Mapping[str, Any] | None" = None,
    data_schema: Mapping[str, Any] | None = None,
    configuration_id: str | None = None,
    **query: Unpack["llamacloud_query.CreateExtractJobQuery"],
) -> "Job[ExtractV2Job]": ...
@overload
async def submit_async(
    provider: Literal["contextual"],
    operation: Literal["extract"],
    *,
    client: "contextual_client.AuthenticatedClient",
    document_id: str,
    schema_id: str,
    config: "ExtractConfig | Mapping[str, Any] | None" = None,
) -> "Job[ExtractJobResultsResponse]": ...
async def submit_async(provider: str, operation: str, *, client: Any, **params: Any) -> "Job[Any]":
    """The asyncio twin of `submit`."""
    given = {name: value for name, value in params.items() if value is not None}
    from docextract import jobs

    return await jobs.submit_async(provider, operation, client=client, **given)


# ---------------------------------------------------------------- wait


@overload
def wait(job: "Job[R]", *, client: Any, **options: Unpack["WaitOptions"]) -> R: ...
@overload
def wait(
    job: Literal["numind"],
    job_id: str,
    *,
    client: "numind_client.AuthenticatedClient",
    **options: Unpack["WaitOptions"],
) -> "ExtractionResponse | MarkdownResponse": ...
@overload
def wait(
    job: Literal["llamacloud"],
    job_id: str,
    *,
    client: "llamacloud_client.AuthenticatedClient",
    **options: Unpack["WaitOptions"],
) -> "ExtractV2Job": ...
@overload
def wait(
    job: Literal["contextual"],
    job_id: str,
    *,
    client: "contextual_client.AuthenticatedClient",
    **options: Unpack["WaitOptions"],
) -> "ExtractJobResultsResponse": ...
def wait(
    job: "Job[Any] | str",
    job_id: str | None = None,
    *,
    client: Any,
    **options: Unpack["WaitOptions"],
) -> Any:
    """Wait until the job ends; return its typed result (a resumed job: by provider).

    Raises JobFailed, JobCancelled, JobTimeout (all with the job's ID). Options: see
    docextract.jobs.wait (timeout, mode, on_progress, cancel_on_timeout, poll).
    """
    from docextract import jobs

    return jobs.wait(job, job_id, client=client, **options)


@overload
def wait_async(job: "Job[R]", *, client: Any, **options: Unpack["WaitOptions"]) -> Awaitable[R]: ...
@overload
def wait_async(
    job: Literal["numind"],
    job_id: str,
    *,
    client: "numind_client.AuthenticatedClient",
    **options: Unpack["WaitOptions"],
) -> "Awaitable[ExtractionResponse | MarkdownResponse]": ...
@overload
def wait_async(
    job: Literal["llamacloud"],
    job_id: str,
    *,
    client: "llamacloud_client.AuthenticatedClient",
    **options: Unpack["WaitOptions"],
) -> "Awaitable[ExtractV2Job]": ...
@overload
def wait_async(
    job: Literal["contextual"],
    job_id: str,
    *,
    client: "contextual_client.AuthenticatedClient",
    **options: Unpack["WaitOptions"],
) -> "Awaitable[ExtractJobResultsResponse]": ...
def wait_async(
    job: "Job[Any] | str",
    job_id: str | None = None,
    *,
    client: Any,
    **options: Unpack["WaitOptions"],
) -> Awaitable[Any]:
    """The asyncio twin of `wait` (returns the awaitable of the result)."""
    from docextract import jobs

    return jobs.wait_async(job, job_id, client=client, **options)
