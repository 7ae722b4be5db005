from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.extraction_response import ExtractionResponse
from ...types import Response


def _get_kwargs(
    structured_extraction_job_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/structured-extraction/jobs/{structured_extraction_job_id}".format(
            structured_extraction_job_id=quote(str(structured_extraction_job_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ExtractionResponse:
    if response.status_code == 200:
        response_200 = ExtractionResponse.from_dict(response.json())

        return response_200

    if response.status_code == 206:
        response_206 = ExtractionResponse.from_dict(response.json())

        return response_206

    if response.status_code == 403:
        response_403 = cast(Any, None)
        return response_403

    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    response_default = cast(Any, None)
    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ExtractionResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    structured_extraction_job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Any | ExtractionResponse]:
    """Read a structured-extraction job's result

     Returns the information extracted by the job. When the extraction
    failed, `result` is an empty template.

    Args:
        structured_extraction_job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ExtractionResponse]
    """

    kwargs = _get_kwargs(
        structured_extraction_job_id=structured_extraction_job_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return client.answered("get_api_structured_extraction_jobs_structuredextractionjobid", _build_response, response)


def sync(
    structured_extraction_job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Any | ExtractionResponse | None:
    """Read a structured-extraction job's result

     Returns the information extracted by the job. When the extraction
    failed, `result` is an empty template.

    Args:
        structured_extraction_job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ExtractionResponse
    """

    return sync_detailed(
        structured_extraction_job_id=structured_extraction_job_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    structured_extraction_job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Any | ExtractionResponse]:
    """Read a structured-extraction job's result

     Returns the information extracted by the job. When the extraction
    failed, `result` is an empty template.

    Args:
        structured_extraction_job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ExtractionResponse]
    """

    kwargs = _get_kwargs(
        structured_extraction_job_id=structured_extraction_job_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return client.answered("get_api_structured_extraction_jobs_structuredextractionjobid", _build_response, response)


async def asyncio(
    structured_extraction_job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Any | ExtractionResponse | None:
    """Read a structured-extraction job's result

     Returns the information extracted by the job. When the extraction
    failed, `result` is an empty template.

    Args:
        structured_extraction_job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ExtractionResponse
    """

    return (
        await asyncio_detailed(
            structured_extraction_job_id=structured_extraction_job_id,
            client=client,
        )
    ).parsed
