from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.extract_job_results_response import ExtractJobResultsResponse
from ...models.http_validation_error import HTTPValidationError
from ...types import Response


def _get_kwargs(
    job_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/extract/jobs/{job_id}/results".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ExtractJobResultsResponse | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = ExtractJobResultsResponse.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ExtractJobResultsResponse | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorResponse | ExtractJobResultsResponse | HTTPValidationError]:
    """Get Extraction Job Results

     Reads the results of a completed extraction job: the extracted data, which conforms to the job's
    schema, processing metadata (costs, performance), and, when the job ran with `per_key_attribution`,
    the per-field attributions.

    Args:
        job_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ExtractJobResultsResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return client.answered("get_extraction_job_results_extract_jobs_job_id_results_get", _build_response, response)


def sync(
    job_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorResponse | ExtractJobResultsResponse | HTTPValidationError | None:
    """Get Extraction Job Results

     Reads the results of a completed extraction job: the extracted data, which conforms to the job's
    schema, processing metadata (costs, performance), and, when the job ran with `per_key_attribution`,
    the per-field attributions.

    Args:
        job_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ExtractJobResultsResponse | HTTPValidationError
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorResponse | ExtractJobResultsResponse | HTTPValidationError]:
    """Get Extraction Job Results

     Reads the results of a completed extraction job: the extracted data, which conforms to the job's
    schema, processing metadata (costs, performance), and, when the job ran with `per_key_attribution`,
    the per-field attributions.

    Args:
        job_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ExtractJobResultsResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return client.answered("get_extraction_job_results_extract_jobs_job_id_results_get", _build_response, response)


async def asyncio(
    job_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorResponse | ExtractJobResultsResponse | HTTPValidationError | None:
    """Get Extraction Job Results

     Reads the results of a completed extraction job: the extracted data, which conforms to the job's
    schema, processing metadata (costs, performance), and, when the job ran with `per_key_attribution`,
    the per-field attributions.

    Args:
        job_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ExtractJobResultsResponse | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
        )
    ).parsed
