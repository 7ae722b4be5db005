from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.http_validation_error import HTTPValidationError
from ...models.project_extract_request import ProjectExtractRequest
from ...models.retab_parsed_chat_completion import RetabParsedChatCompletion
from ...types import UNSET, Response, Unset


def _get_kwargs(
    project_id: str,
    *,
    body: ProjectExtractRequest,
    access_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    json_access_token: None | str | Unset
    if isinstance(access_token, Unset):
        json_access_token = UNSET
    else:
        json_access_token = access_token
    params["access_token"] = json_access_token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/projects/extract/{project_id}".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    _kwargs["files"] = body.to_multipart()

    # httpx sets the multipart Content-Type, with a random boundary

    _kwargs["headers"] = headers
    if params:
        _kwargs["params"] = params

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HTTPValidationError | RetabParsedChatCompletion | None:
    if response.status_code == 200:
        response_200 = RetabParsedChatCompletion.from_dict(response.json())

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
) -> Response[HTTPValidationError | RetabParsedChatCompletion]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ProjectExtractRequest,
    access_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[HTTPValidationError | RetabParsedChatCompletion]:
    """Extract data from a document with a project

     Runs the project's extraction on the uploaded document and answers when it is done (this can take
    minutes). Send an Idempotency-Key to make the call safe to repeat.

    Args:
        project_id (str):
        access_token (None | str | Unset):
        idempotency_key (None | str | Unset):
        body (ProjectExtractRequest): Multipart form of a project extraction request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | RetabParsedChatCompletion]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
        access_token=access_token,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return client.answered("extract_project", _build_response, response)


def sync(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ProjectExtractRequest,
    access_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> HTTPValidationError | RetabParsedChatCompletion | None:
    """Extract data from a document with a project

     Runs the project's extraction on the uploaded document and answers when it is done (this can take
    minutes). Send an Idempotency-Key to make the call safe to repeat.

    Args:
        project_id (str):
        access_token (None | str | Unset):
        idempotency_key (None | str | Unset):
        body (ProjectExtractRequest): Multipart form of a project extraction request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | RetabParsedChatCompletion
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        body=body,
        access_token=access_token,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ProjectExtractRequest,
    access_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[HTTPValidationError | RetabParsedChatCompletion]:
    """Extract data from a document with a project

     Runs the project's extraction on the uploaded document and answers when it is done (this can take
    minutes). Send an Idempotency-Key to make the call safe to repeat.

    Args:
        project_id (str):
        access_token (None | str | Unset):
        idempotency_key (None | str | Unset):
        body (ProjectExtractRequest): Multipart form of a project extraction request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPValidationError | RetabParsedChatCompletion]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
        access_token=access_token,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return client.answered("extract_project", _build_response, response)


async def asyncio(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ProjectExtractRequest,
    access_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> HTTPValidationError | RetabParsedChatCompletion | None:
    """Extract data from a document with a project

     Runs the project's extraction on the uploaded document and answers when it is done (this can take
    minutes). Send an Idempotency-Key to make the call safe to repeat.

    Args:
        project_id (str):
        access_token (None | str | Unset):
        idempotency_key (None | str | Unset):
        body (ProjectExtractRequest): Multipart form of a project extraction request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPValidationError | RetabParsedChatCompletion
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
            access_token=access_token,
            idempotency_key=idempotency_key,
        )
    ).parsed
