from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.extract_job_request import ExtractJobRequest
from ...models.extract_job_response import ExtractJobResponse
from ...models.http_validation_error import HTTPValidationError
from ...types import Response


def _get_kwargs(
    *,
    body: ExtractJobRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/extract/jobs",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ExtractJobResponse | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = ExtractJobResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ExtractJobResponse | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ExtractJobRequest,
) -> Response[ErrorResponse | ExtractJobResponse | HTTPValidationError]:
    """Start Extraction Job

     Starts a structured extraction job on a previously uploaded PDF document, guided by a previously
    created JSON Schema; `document_id` and `schema_id` must be valid UUIDs of those.

    The pipeline splits the document into sections, parses the schema and checks that its features are
    supported, extracts data section by section, validates the extracted data against the schema's
    constraints and returns it in the schema's shape.

    Models: `gemini-2.5-flash` (fast and cost-effective, the default) and `gemini-2.5-pro` (stronger on
    complex extractions); the configuration also accepts `gemini-3-pro-preview` and `gemini-3-flash-
    preview`.

    Without streaming the call answers the new job (`job_id`, `status`, `created_at`,
    `estimated_completion`); follow it with `GET /extract/jobs/{job_id}` and read it with `GET
    /extract/jobs/{job_id}/results` once it is `completed`. Job lifecycle: `pending` (queued),
    `processing` (extracting), `completed` (results available), `failed` (stopped by an error),
    `cancelled` (cancelled before completion); the status enum also has `retrying`.

    With `stream=true` the call answers a Server-Sent Events stream (`text/event-stream`) instead:
    events `start`, `subtree_result`, `subtree_error` and `agentic_array_progress` arrive as subtrees of
    the schema complete. The job is still created and its results persisted; it runs as a durable
    workflow that keeps going (and retries failed activities) if the client disconnects.

    The document and the schema are checked before the job is created, in both modes: 400 for a
    malformed `document_id` or `schema_id`, 404 when either does not exist, 422 for a request that fails
    validation or an invalid schema definition, 429 when the caller already has 5 active jobs, 500 for a
    processing error.

    Args:
        body (ExtractJobRequest): Body of a request that starts a structured extraction job.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ExtractJobResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return client.answered("start_extraction_job_extract_jobs_post", _build_response, response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ExtractJobRequest,
) -> ErrorResponse | ExtractJobResponse | HTTPValidationError | None:
    """Start Extraction Job

     Starts a structured extraction job on a previously uploaded PDF document, guided by a previously
    created JSON Schema; `document_id` and `schema_id` must be valid UUIDs of those.

    The pipeline splits the document into sections, parses the schema and checks that its features are
    supported, extracts data section by section, validates the extracted data against the schema's
    constraints and returns it in the schema's shape.

    Models: `gemini-2.5-flash` (fast and cost-effective, the default) and `gemini-2.5-pro` (stronger on
    complex extractions); the configuration also accepts `gemini-3-pro-preview` and `gemini-3-flash-
    preview`.

    Without streaming the call answers the new job (`job_id`, `status`, `created_at`,
    `estimated_completion`); follow it with `GET /extract/jobs/{job_id}` and read it with `GET
    /extract/jobs/{job_id}/results` once it is `completed`. Job lifecycle: `pending` (queued),
    `processing` (extracting), `completed` (results available), `failed` (stopped by an error),
    `cancelled` (cancelled before completion); the status enum also has `retrying`.

    With `stream=true` the call answers a Server-Sent Events stream (`text/event-stream`) instead:
    events `start`, `subtree_result`, `subtree_error` and `agentic_array_progress` arrive as subtrees of
    the schema complete. The job is still created and its results persisted; it runs as a durable
    workflow that keeps going (and retries failed activities) if the client disconnects.

    The document and the schema are checked before the job is created, in both modes: 400 for a
    malformed `document_id` or `schema_id`, 404 when either does not exist, 422 for a request that fails
    validation or an invalid schema definition, 429 when the caller already has 5 active jobs, 500 for a
    processing error.

    Args:
        body (ExtractJobRequest): Body of a request that starts a structured extraction job.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ExtractJobResponse | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ExtractJobRequest,
) -> Response[ErrorResponse | ExtractJobResponse | HTTPValidationError]:
    """Start Extraction Job

     Starts a structured extraction job on a previously uploaded PDF document, guided by a previously
    created JSON Schema; `document_id` and `schema_id` must be valid UUIDs of those.

    The pipeline splits the document into sections, parses the schema and checks that its features are
    supported, extracts data section by section, validates the extracted data against the schema's
    constraints and returns it in the schema's shape.

    Models: `gemini-2.5-flash` (fast and cost-effective, the default) and `gemini-2.5-pro` (stronger on
    complex extractions); the configuration also accepts `gemini-3-pro-preview` and `gemini-3-flash-
    preview`.

    Without streaming the call answers the new job (`job_id`, `status`, `created_at`,
    `estimated_completion`); follow it with `GET /extract/jobs/{job_id}` and read it with `GET
    /extract/jobs/{job_id}/results` once it is `completed`. Job lifecycle: `pending` (queued),
    `processing` (extracting), `completed` (results available), `failed` (stopped by an error),
    `cancelled` (cancelled before completion); the status enum also has `retrying`.

    With `stream=true` the call answers a Server-Sent Events stream (`text/event-stream`) instead:
    events `start`, `subtree_result`, `subtree_error` and `agentic_array_progress` arrive as subtrees of
    the schema complete. The job is still created and its results persisted; it runs as a durable
    workflow that keeps going (and retries failed activities) if the client disconnects.

    The document and the schema are checked before the job is created, in both modes: 400 for a
    malformed `document_id` or `schema_id`, 404 when either does not exist, 422 for a request that fails
    validation or an invalid schema definition, 429 when the caller already has 5 active jobs, 500 for a
    processing error.

    Args:
        body (ExtractJobRequest): Body of a request that starts a structured extraction job.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ExtractJobResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return client.answered("start_extraction_job_extract_jobs_post", _build_response, response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ExtractJobRequest,
) -> ErrorResponse | ExtractJobResponse | HTTPValidationError | None:
    """Start Extraction Job

     Starts a structured extraction job on a previously uploaded PDF document, guided by a previously
    created JSON Schema; `document_id` and `schema_id` must be valid UUIDs of those.

    The pipeline splits the document into sections, parses the schema and checks that its features are
    supported, extracts data section by section, validates the extracted data against the schema's
    constraints and returns it in the schema's shape.

    Models: `gemini-2.5-flash` (fast and cost-effective, the default) and `gemini-2.5-pro` (stronger on
    complex extractions); the configuration also accepts `gemini-3-pro-preview` and `gemini-3-flash-
    preview`.

    Without streaming the call answers the new job (`job_id`, `status`, `created_at`,
    `estimated_completion`); follow it with `GET /extract/jobs/{job_id}` and read it with `GET
    /extract/jobs/{job_id}/results` once it is `completed`. Job lifecycle: `pending` (queued),
    `processing` (extracting), `completed` (results available), `failed` (stopped by an error),
    `cancelled` (cancelled before completion); the status enum also has `retrying`.

    With `stream=true` the call answers a Server-Sent Events stream (`text/event-stream`) instead:
    events `start`, `subtree_result`, `subtree_error` and `agentic_array_progress` arrive as subtrees of
    the schema complete. The job is still created and its results persisted; it runs as a durable
    workflow that keeps going (and retries failed activities) if the client disconnects.

    The document and the schema are checked before the job is created, in both modes: 400 for a
    malformed `document_id` or `schema_id`, 404 when either does not exist, 422 for a request that fails
    validation or an invalid schema definition, 429 when the caller already has 5 active jobs, 500 for a
    processing error.

    Args:
        body (ExtractJobRequest): Body of a request that starts a structured extraction job.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ExtractJobResponse | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
