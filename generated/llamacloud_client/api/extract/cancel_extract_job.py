from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.extract_v2_job import ExtractV2Job
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    job_id: str,
    *,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_project_id: None | str | Unset
    if isinstance(project_id, Unset):
        json_project_id = UNSET
    elif isinstance(project_id, UUID):
        json_project_id = str(project_id)
    else:
        json_project_id = project_id
    params["project_id"] = json_project_id

    json_organization_id: None | str | Unset
    if isinstance(organization_id, Unset):
        json_organization_id = UNSET
    elif isinstance(organization_id, UUID):
        json_organization_id = str(organization_id)
    else:
        json_organization_id = organization_id
    params["organization_id"] = json_organization_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v2/extract/{job_id}/cancel".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

    if params:
        _kwargs["params"] = params

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ExtractV2Job | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = ExtractV2Job.from_dict(response.json())

        return response_200

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ExtractV2Job | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> Response[ExtractV2Job | HTTPValidationError]:
    """Cancel Extract Job

     Asks for a job to stop; answers the job as it stands afterwards.

    Args:
        job_id (str):
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExtractV2Job | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        project_id=project_id,
        organization_id=organization_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return client.answered("cancel_extract_job", _build_response, response)


def sync(
    job_id: str,
    *,
    client: AuthenticatedClient,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> ExtractV2Job | HTTPValidationError | None:
    """Cancel Extract Job

     Asks for a job to stop; answers the job as it stands afterwards.

    Args:
        job_id (str):
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExtractV2Job | HTTPValidationError
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
        project_id=project_id,
        organization_id=organization_id,
    ).parsed


async def asyncio_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> Response[ExtractV2Job | HTTPValidationError]:
    """Cancel Extract Job

     Asks for a job to stop; answers the job as it stands afterwards.

    Args:
        job_id (str):
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExtractV2Job | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        project_id=project_id,
        organization_id=organization_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return client.answered("cancel_extract_job", _build_response, response)


async def asyncio(
    job_id: str,
    *,
    client: AuthenticatedClient,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> ExtractV2Job | HTTPValidationError | None:
    """Cancel Extract Job

     Asks for a job to stop; answers the job as it stands afterwards.

    Args:
        job_id (str):
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExtractV2Job | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
            project_id=project_id,
            organization_id=organization_id,
        )
    ).parsed
