from http import HTTPStatus
from typing import Any, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...models.job_id_response import JobIdResponse
from ...models.post_api_markdown_infer_async_body import PostApiMarkdownInferAsyncBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: PostApiMarkdownInferAsyncBody,
    temperature: float | Unset = 0.0,
    rasterization_dpi: int | Unset = 170,
    max_output_tokens: int | Unset = UNSET,
    timeout: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["temperature"] = temperature

    params["rasterizationDPI"] = rasterization_dpi

    params["maxOutputTokens"] = max_output_tokens

    params["timeout"] = timeout

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/markdown/infer-async",
    }

    _kwargs["files"] = body.to_multipart()

    # httpx sets the multipart Content-Type, with a random boundary

    _kwargs["headers"] = headers
    if params:
        _kwargs["params"] = params

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | JobIdResponse | str:
    if response.status_code == 200:
        response_200 = JobIdResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = response.text
        return response_400

    response_default = cast(Any, None)
    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | JobIdResponse | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PostApiMarkdownInferAsyncBody,
    temperature: float | Unset = 0.0,
    rasterization_dpi: int | Unset = 170,
    max_output_tokens: int | Unset = UNSET,
    timeout: str | Unset = UNSET,
) -> Response[Any | JobIdResponse | str]:
    """Start a NuMarkdown job

     Starts an asynchronous job that converts the uploaded file to markdown
    with the NuMarkdown model, which also produces a reasoning trace. The
    model reads images only, so other formats (PDFs, etc.) are rasterized at
    **rasterizationDPI**.

    Answers the job ID. Once the job completes successfully, its output data
    is a `MarkdownResponse`: `result` holds the markdown and `thinkingTrace`
    the reasoning. When either is empty, `rawModelOutput` holds the model's
    raw output and the result is marked with HTTP 206.

    Args:
        temperature (float | Unset):  Default: 0.0.
        rasterization_dpi (int | Unset):  Default: 170.
        max_output_tokens (int | Unset):
        timeout (str | Unset):
        body (PostApiMarkdownInferAsyncBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | JobIdResponse | str]
    """

    kwargs = _get_kwargs(
        body=body,
        temperature=temperature,
        rasterization_dpi=rasterization_dpi,
        max_output_tokens=max_output_tokens,
        timeout=timeout,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return client.answered("post_api_markdown_infer_async", _build_response, response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: PostApiMarkdownInferAsyncBody,
    temperature: float | Unset = 0.0,
    rasterization_dpi: int | Unset = 170,
    max_output_tokens: int | Unset = UNSET,
    timeout: str | Unset = UNSET,
) -> Any | JobIdResponse | str | None:
    """Start a NuMarkdown job

     Starts an asynchronous job that converts the uploaded file to markdown
    with the NuMarkdown model, which also produces a reasoning trace. The
    model reads images only, so other formats (PDFs, etc.) are rasterized at
    **rasterizationDPI**.

    Answers the job ID. Once the job completes successfully, its output data
    is a `MarkdownResponse`: `result` holds the markdown and `thinkingTrace`
    the reasoning. When either is empty, `rawModelOutput` holds the model's
    raw output and the result is marked with HTTP 206.

    Args:
        temperature (float | Unset):  Default: 0.0.
        rasterization_dpi (int | Unset):  Default: 170.
        max_output_tokens (int | Unset):
        timeout (str | Unset):
        body (PostApiMarkdownInferAsyncBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | JobIdResponse | str
    """

    return sync_detailed(
        client=client,
        body=body,
        temperature=temperature,
        rasterization_dpi=rasterization_dpi,
        max_output_tokens=max_output_tokens,
        timeout=timeout,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PostApiMarkdownInferAsyncBody,
    temperature: float | Unset = 0.0,
    rasterization_dpi: int | Unset = 170,
    max_output_tokens: int | Unset = UNSET,
    timeout: str | Unset = UNSET,
) -> Response[Any | JobIdResponse | str]:
    """Start a NuMarkdown job

     Starts an asynchronous job that converts the uploaded file to markdown
    with the NuMarkdown model, which also produces a reasoning trace. The
    model reads images only, so other formats (PDFs, etc.) are rasterized at
    **rasterizationDPI**.

    Answers the job ID. Once the job completes successfully, its output data
    is a `MarkdownResponse`: `result` holds the markdown and `thinkingTrace`
    the reasoning. When either is empty, `rawModelOutput` holds the model's
    raw output and the result is marked with HTTP 206.

    Args:
        temperature (float | Unset):  Default: 0.0.
        rasterization_dpi (int | Unset):  Default: 170.
        max_output_tokens (int | Unset):
        timeout (str | Unset):
        body (PostApiMarkdownInferAsyncBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | JobIdResponse | str]
    """

    kwargs = _get_kwargs(
        body=body,
        temperature=temperature,
        rasterization_dpi=rasterization_dpi,
        max_output_tokens=max_output_tokens,
        timeout=timeout,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return client.answered("post_api_markdown_infer_async", _build_response, response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: PostApiMarkdownInferAsyncBody,
    temperature: float | Unset = 0.0,
    rasterization_dpi: int | Unset = 170,
    max_output_tokens: int | Unset = UNSET,
    timeout: str | Unset = UNSET,
) -> Any | JobIdResponse | str | None:
    """Start a NuMarkdown job

     Starts an asynchronous job that converts the uploaded file to markdown
    with the NuMarkdown model, which also produces a reasoning trace. The
    model reads images only, so other formats (PDFs, etc.) are rasterized at
    **rasterizationDPI**.

    Answers the job ID. Once the job completes successfully, its output data
    is a `MarkdownResponse`: `result` holds the markdown and `thinkingTrace`
    the reasoning. When either is empty, `rawModelOutput` holds the model's
    raw output and the result is marked with HTTP 206.

    Args:
        temperature (float | Unset):  Default: 0.0.
        rasterization_dpi (int | Unset):  Default: 170.
        max_output_tokens (int | Unset):
        timeout (str | Unset):
        body (PostApiMarkdownInferAsyncBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | JobIdResponse | str
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            temperature=temperature,
            rasterization_dpi=rasterization_dpi,
            max_output_tokens=max_output_tokens,
            timeout=timeout,
        )
    ).parsed
