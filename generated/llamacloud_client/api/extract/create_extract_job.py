from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.extract_v2_job import ExtractV2Job
from ...models.extract_v2_job_create import ExtractV2JobCreate
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ExtractV2JobCreate,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

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
        "url": "/api/v2/extract",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
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
    *,
    client: AuthenticatedClient,
    body: ExtractV2JobCreate,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> Response[ExtractV2Job | HTTPValidationError]:
    """Create Extract Job

     Starts an extraction job on an uploaded file (or a parse job's output). Give either an inline
    `configuration` or the ID of a saved one (`configuration_id`). The job starts in a non-terminal
    status; poll it with Get Extract Job.

    Args:
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):
        body (ExtractV2JobCreate): A new extraction job. Give either `configuration` (inline) or
            `configuration_id` (saved).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExtractV2Job | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
        project_id=project_id,
        organization_id=organization_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return client.answered("create_extract_job", _build_response, response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ExtractV2JobCreate,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> ExtractV2Job | HTTPValidationError | None:
    """Create Extract Job

     Starts an extraction job on an uploaded file (or a parse job's output). Give either an inline
    `configuration` or the ID of a saved one (`configuration_id`). The job starts in a non-terminal
    status; poll it with Get Extract Job.

    Args:
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):
        body (ExtractV2JobCreate): A new extraction job. Give either `configuration` (inline) or
            `configuration_id` (saved).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExtractV2Job | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        body=body,
        project_id=project_id,
        organization_id=organization_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ExtractV2JobCreate,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> Response[ExtractV2Job | HTTPValidationError]:
    """Create Extract Job

     Starts an extraction job on an uploaded file (or a parse job's output). Give either an inline
    `configuration` or the ID of a saved one (`configuration_id`). The job starts in a non-terminal
    status; poll it with Get Extract Job.

    Args:
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):
        body (ExtractV2JobCreate): A new extraction job. Give either `configuration` (inline) or
            `configuration_id` (saved).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExtractV2Job | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
        project_id=project_id,
        organization_id=organization_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return client.answered("create_extract_job", _build_response, response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ExtractV2JobCreate,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> ExtractV2Job | HTTPValidationError | None:
    """Create Extract Job

     Starts an extraction job on an uploaded file (or a parse job's output). Give either an inline
    `configuration` or the ID of a saved one (`configuration_id`). The job starts in a non-terminal
    status; poll it with Get Extract Job.

    Args:
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):
        body (ExtractV2JobCreate): A new extraction job. Give either `configuration` (inline) or
            `configuration_id` (saved).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExtractV2Job | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            project_id=project_id,
            organization_id=organization_id,
        )
    ).parsed
