from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.extract_expand import ExtractExpand
from ...models.extract_job_status import ExtractJobStatus
from ...models.extract_v2_job_list import ExtractV2JobList
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ExtractJobStatus | Unset = UNSET,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    expand: list[ExtractExpand] | Unset = UNSET,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["page_size"] = page_size

    params["page_token"] = page_token

    json_expand: list[str] | Unset = UNSET
    if not isinstance(expand, Unset):
        json_expand = []
        for expand_item_data in expand:
            expand_item = expand_item_data.value
            json_expand.append(expand_item)

    params["expand"] = json_expand

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
        "method": "get",
        "url": "/api/v2/extract",
    }

    if params:
        _kwargs["params"] = params

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ExtractV2JobList | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = ExtractV2JobList.from_dict(response.json())

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
) -> Response[ExtractV2JobList | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: ExtractJobStatus | Unset = UNSET,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    expand: list[ExtractExpand] | Unset = UNSET,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> Response[ExtractV2JobList | HTTPValidationError]:
    """List Extract Jobs

     Lists extraction jobs, one page at a time. Pass the `next_page_token` of a page as `page_token` to
    read the next one; there are no more pages when it is absent or null.

    Args:
        status (ExtractJobStatus | Unset): Where a job stands. PENDING, THROTTLED and RUNNING are
            in progress; COMPLETED, FAILED and CANCELLED are terminal. `error_message` is set when the
            job FAILED.
        page_size (int | Unset):
        page_token (str | Unset):
        expand (list[ExtractExpand] | Unset):
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExtractV2JobList | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        status=status,
        page_size=page_size,
        page_token=page_token,
        expand=expand,
        project_id=project_id,
        organization_id=organization_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return client.answered("list_extract_jobs", _build_response, response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    status: ExtractJobStatus | Unset = UNSET,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    expand: list[ExtractExpand] | Unset = UNSET,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> ExtractV2JobList | HTTPValidationError | None:
    """List Extract Jobs

     Lists extraction jobs, one page at a time. Pass the `next_page_token` of a page as `page_token` to
    read the next one; there are no more pages when it is absent or null.

    Args:
        status (ExtractJobStatus | Unset): Where a job stands. PENDING, THROTTLED and RUNNING are
            in progress; COMPLETED, FAILED and CANCELLED are terminal. `error_message` is set when the
            job FAILED.
        page_size (int | Unset):
        page_token (str | Unset):
        expand (list[ExtractExpand] | Unset):
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExtractV2JobList | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        status=status,
        page_size=page_size,
        page_token=page_token,
        expand=expand,
        project_id=project_id,
        organization_id=organization_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: ExtractJobStatus | Unset = UNSET,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    expand: list[ExtractExpand] | Unset = UNSET,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> Response[ExtractV2JobList | HTTPValidationError]:
    """List Extract Jobs

     Lists extraction jobs, one page at a time. Pass the `next_page_token` of a page as `page_token` to
    read the next one; there are no more pages when it is absent or null.

    Args:
        status (ExtractJobStatus | Unset): Where a job stands. PENDING, THROTTLED and RUNNING are
            in progress; COMPLETED, FAILED and CANCELLED are terminal. `error_message` is set when the
            job FAILED.
        page_size (int | Unset):
        page_token (str | Unset):
        expand (list[ExtractExpand] | Unset):
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExtractV2JobList | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        status=status,
        page_size=page_size,
        page_token=page_token,
        expand=expand,
        project_id=project_id,
        organization_id=organization_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return client.answered("list_extract_jobs", _build_response, response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    status: ExtractJobStatus | Unset = UNSET,
    page_size: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    expand: list[ExtractExpand] | Unset = UNSET,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
) -> ExtractV2JobList | HTTPValidationError | None:
    """List Extract Jobs

     Lists extraction jobs, one page at a time. Pass the `next_page_token` of a page as `page_token` to
    read the next one; there are no more pages when it is absent or null.

    Args:
        status (ExtractJobStatus | Unset): Where a job stands. PENDING, THROTTLED and RUNNING are
            in progress; COMPLETED, FAILED and CANCELLED are terminal. `error_message` is set when the
            job FAILED.
        page_size (int | Unset):
        page_token (str | Unset):
        expand (list[ExtractExpand] | Unset):
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExtractV2JobList | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            page_size=page_size,
            page_token=page_token,
            expand=expand,
            project_id=project_id,
            organization_id=organization_id,
        )
    ).parsed
