import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.extract_v2_job_list import ExtractV2JobList
from ...models.http_validation_error import HTTPValidationError
from ...models.list_extract_jobs_status_type_0 import ListExtractJobsStatusType0
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    document_input_type: None | str | Unset = UNSET,
    file_input: None | str | Unset = UNSET,
    document_input_value: None | str | Unset = UNSET,
    status: ListExtractJobsStatusType0 | None | Unset = UNSET,
    page_size: int | None | Unset = UNSET,
    page_token: None | str | Unset = UNSET,
    job_ids: list[str] | None | Unset = UNSET,
    expand: list[str] | Unset = UNSET,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    configuration_id: None | str | Unset = UNSET,
    created_at_on_or_after: datetime.datetime | None | Unset = UNSET,
    created_at_on_or_before: datetime.datetime | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_document_input_type: None | str | Unset
    if isinstance(document_input_type, Unset):
        json_document_input_type = UNSET
    else:
        json_document_input_type = document_input_type
    params["document_input_type"] = json_document_input_type

    json_file_input: None | str | Unset
    if isinstance(file_input, Unset):
        json_file_input = UNSET
    else:
        json_file_input = file_input
    params["file_input"] = json_file_input

    json_document_input_value: None | str | Unset
    if isinstance(document_input_value, Unset):
        json_document_input_value = UNSET
    else:
        json_document_input_value = document_input_value
    params["document_input_value"] = json_document_input_value

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListExtractJobsStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_page_size: int | None | Unset
    if isinstance(page_size, Unset):
        json_page_size = UNSET
    else:
        json_page_size = page_size
    params["page_size"] = json_page_size

    json_page_token: None | str | Unset
    if isinstance(page_token, Unset):
        json_page_token = UNSET
    else:
        json_page_token = page_token
    params["page_token"] = json_page_token

    json_job_ids: list[str] | None | Unset
    if isinstance(job_ids, Unset):
        json_job_ids = UNSET
    elif isinstance(job_ids, list):
        json_job_ids = job_ids

    else:
        json_job_ids = job_ids
    params["job_ids"] = json_job_ids

    json_expand: list[str] | Unset = UNSET
    if not isinstance(expand, Unset):
        json_expand = expand

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

    json_configuration_id: None | str | Unset
    if isinstance(configuration_id, Unset):
        json_configuration_id = UNSET
    else:
        json_configuration_id = configuration_id
    params["configuration_id"] = json_configuration_id

    json_created_at_on_or_after: None | str | Unset
    if isinstance(created_at_on_or_after, Unset):
        json_created_at_on_or_after = UNSET
    elif isinstance(created_at_on_or_after, datetime.datetime):
        json_created_at_on_or_after = created_at_on_or_after.isoformat()
    else:
        json_created_at_on_or_after = created_at_on_or_after
    params["created_at_on_or_after"] = json_created_at_on_or_after

    json_created_at_on_or_before: None | str | Unset
    if isinstance(created_at_on_or_before, Unset):
        json_created_at_on_or_before = UNSET
    elif isinstance(created_at_on_or_before, datetime.datetime):
        json_created_at_on_or_before = created_at_on_or_before.isoformat()
    else:
        json_created_at_on_or_before = created_at_on_or_before
    params["created_at_on_or_before"] = json_created_at_on_or_before

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
    client: AuthenticatedClient,
    document_input_type: None | str | Unset = UNSET,
    file_input: None | str | Unset = UNSET,
    document_input_value: None | str | Unset = UNSET,
    status: ListExtractJobsStatusType0 | None | Unset = UNSET,
    page_size: int | None | Unset = UNSET,
    page_token: None | str | Unset = UNSET,
    job_ids: list[str] | None | Unset = UNSET,
    expand: list[str] | Unset = UNSET,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    configuration_id: None | str | Unset = UNSET,
    created_at_on_or_after: datetime.datetime | None | Unset = UNSET,
    created_at_on_or_before: datetime.datetime | None | Unset = UNSET,
) -> Response[ExtractV2JobList | HTTPValidationError]:
    """List Extract Jobs

     Lists extraction jobs, one page at a time. Pass the `next_page_token` of a page as `page_token` to
    read the next one; there are no more pages when it is absent or null.

    Args:
        document_input_type (None | str | Unset):
        file_input (None | str | Unset):
        document_input_value (None | str | Unset):
        status (ListExtractJobsStatusType0 | None | Unset):
        page_size (int | None | Unset):
        page_token (None | str | Unset):
        job_ids (list[str] | None | Unset):
        expand (list[str] | Unset):
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):
        configuration_id (None | str | Unset):
        created_at_on_or_after (datetime.datetime | None | Unset):
        created_at_on_or_before (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExtractV2JobList | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        document_input_type=document_input_type,
        file_input=file_input,
        document_input_value=document_input_value,
        status=status,
        page_size=page_size,
        page_token=page_token,
        job_ids=job_ids,
        expand=expand,
        project_id=project_id,
        organization_id=organization_id,
        configuration_id=configuration_id,
        created_at_on_or_after=created_at_on_or_after,
        created_at_on_or_before=created_at_on_or_before,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return client.answered("list_extract_jobs", _build_response, response)


def sync(
    *,
    client: AuthenticatedClient,
    document_input_type: None | str | Unset = UNSET,
    file_input: None | str | Unset = UNSET,
    document_input_value: None | str | Unset = UNSET,
    status: ListExtractJobsStatusType0 | None | Unset = UNSET,
    page_size: int | None | Unset = UNSET,
    page_token: None | str | Unset = UNSET,
    job_ids: list[str] | None | Unset = UNSET,
    expand: list[str] | Unset = UNSET,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    configuration_id: None | str | Unset = UNSET,
    created_at_on_or_after: datetime.datetime | None | Unset = UNSET,
    created_at_on_or_before: datetime.datetime | None | Unset = UNSET,
) -> ExtractV2JobList | HTTPValidationError | None:
    """List Extract Jobs

     Lists extraction jobs, one page at a time. Pass the `next_page_token` of a page as `page_token` to
    read the next one; there are no more pages when it is absent or null.

    Args:
        document_input_type (None | str | Unset):
        file_input (None | str | Unset):
        document_input_value (None | str | Unset):
        status (ListExtractJobsStatusType0 | None | Unset):
        page_size (int | None | Unset):
        page_token (None | str | Unset):
        job_ids (list[str] | None | Unset):
        expand (list[str] | Unset):
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):
        configuration_id (None | str | Unset):
        created_at_on_or_after (datetime.datetime | None | Unset):
        created_at_on_or_before (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExtractV2JobList | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        document_input_type=document_input_type,
        file_input=file_input,
        document_input_value=document_input_value,
        status=status,
        page_size=page_size,
        page_token=page_token,
        job_ids=job_ids,
        expand=expand,
        project_id=project_id,
        organization_id=organization_id,
        configuration_id=configuration_id,
        created_at_on_or_after=created_at_on_or_after,
        created_at_on_or_before=created_at_on_or_before,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    document_input_type: None | str | Unset = UNSET,
    file_input: None | str | Unset = UNSET,
    document_input_value: None | str | Unset = UNSET,
    status: ListExtractJobsStatusType0 | None | Unset = UNSET,
    page_size: int | None | Unset = UNSET,
    page_token: None | str | Unset = UNSET,
    job_ids: list[str] | None | Unset = UNSET,
    expand: list[str] | Unset = UNSET,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    configuration_id: None | str | Unset = UNSET,
    created_at_on_or_after: datetime.datetime | None | Unset = UNSET,
    created_at_on_or_before: datetime.datetime | None | Unset = UNSET,
) -> Response[ExtractV2JobList | HTTPValidationError]:
    """List Extract Jobs

     Lists extraction jobs, one page at a time. Pass the `next_page_token` of a page as `page_token` to
    read the next one; there are no more pages when it is absent or null.

    Args:
        document_input_type (None | str | Unset):
        file_input (None | str | Unset):
        document_input_value (None | str | Unset):
        status (ListExtractJobsStatusType0 | None | Unset):
        page_size (int | None | Unset):
        page_token (None | str | Unset):
        job_ids (list[str] | None | Unset):
        expand (list[str] | Unset):
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):
        configuration_id (None | str | Unset):
        created_at_on_or_after (datetime.datetime | None | Unset):
        created_at_on_or_before (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExtractV2JobList | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        document_input_type=document_input_type,
        file_input=file_input,
        document_input_value=document_input_value,
        status=status,
        page_size=page_size,
        page_token=page_token,
        job_ids=job_ids,
        expand=expand,
        project_id=project_id,
        organization_id=organization_id,
        configuration_id=configuration_id,
        created_at_on_or_after=created_at_on_or_after,
        created_at_on_or_before=created_at_on_or_before,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return client.answered("list_extract_jobs", _build_response, response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    document_input_type: None | str | Unset = UNSET,
    file_input: None | str | Unset = UNSET,
    document_input_value: None | str | Unset = UNSET,
    status: ListExtractJobsStatusType0 | None | Unset = UNSET,
    page_size: int | None | Unset = UNSET,
    page_token: None | str | Unset = UNSET,
    job_ids: list[str] | None | Unset = UNSET,
    expand: list[str] | Unset = UNSET,
    project_id: None | Unset | UUID = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    configuration_id: None | str | Unset = UNSET,
    created_at_on_or_after: datetime.datetime | None | Unset = UNSET,
    created_at_on_or_before: datetime.datetime | None | Unset = UNSET,
) -> ExtractV2JobList | HTTPValidationError | None:
    """List Extract Jobs

     Lists extraction jobs, one page at a time. Pass the `next_page_token` of a page as `page_token` to
    read the next one; there are no more pages when it is absent or null.

    Args:
        document_input_type (None | str | Unset):
        file_input (None | str | Unset):
        document_input_value (None | str | Unset):
        status (ListExtractJobsStatusType0 | None | Unset):
        page_size (int | None | Unset):
        page_token (None | str | Unset):
        job_ids (list[str] | None | Unset):
        expand (list[str] | Unset):
        project_id (None | Unset | UUID):
        organization_id (None | Unset | UUID):
        configuration_id (None | str | Unset):
        created_at_on_or_after (datetime.datetime | None | Unset):
        created_at_on_or_before (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExtractV2JobList | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            document_input_type=document_input_type,
            file_input=file_input,
            document_input_value=document_input_value,
            status=status,
            page_size=page_size,
            page_token=page_token,
            job_ids=job_ids,
            expand=expand,
            project_id=project_id,
            organization_id=organization_id,
            configuration_id=configuration_id,
            created_at_on_or_after=created_at_on_or_after,
            created_at_on_or_before=created_at_on_or_before,
        )
    ).parsed
