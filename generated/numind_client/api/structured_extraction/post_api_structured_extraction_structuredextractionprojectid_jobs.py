from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.job_id_response import JobIdResponse
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    structured_extraction_project_id: str,
    *,
    body: File,
    temperature: float | Unset = UNSET,
    dpi: str | Unset = UNSET,
    max_output_tokens: str | Unset = UNSET,
    max_example_token_number: int | Unset = UNSET,
    max_example_number: str | Unset = UNSET,
    min_example_similarity: float | Unset = UNSET,
    enable_thinking: bool | Unset = UNSET,
    thinking_token_budget: str | Unset = UNSET,
    loop_detection: bool | Unset = UNSET,
    random_seed: str | Unset = UNSET,
    image_width: str | Unset = UNSET,
    timeout: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["temperature"] = temperature

    params["dpi"] = dpi

    params["maxOutputTokens"] = max_output_tokens

    params["maxExampleTokenNumber"] = max_example_token_number

    params["maxExampleNumber"] = max_example_number

    params["minExampleSimilarity"] = min_example_similarity

    params["enableThinking"] = enable_thinking

    params["thinkingTokenBudget"] = thinking_token_budget

    params["loopDetection"] = loop_detection

    params["randomSeed"] = random_seed

    params["imageWidth"] = image_width

    params["timeout"] = timeout

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/structured-extraction/{structured_extraction_project_id}/jobs".format(
            structured_extraction_project_id=quote(str(structured_extraction_project_id), safe=""),
        ),
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "application/octet-stream"

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
) -> Response[Any | JobIdResponse | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    structured_extraction_project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: File,
    temperature: float | Unset = UNSET,
    dpi: str | Unset = UNSET,
    max_output_tokens: str | Unset = UNSET,
    max_example_token_number: int | Unset = UNSET,
    max_example_number: str | Unset = UNSET,
    min_example_similarity: float | Unset = UNSET,
    enable_thinking: bool | Unset = UNSET,
    thinking_token_budget: str | Unset = UNSET,
    loop_detection: bool | Unset = UNSET,
    random_seed: str | Unset = UNSET,
    image_width: str | Unset = UNSET,
    timeout: str | Unset = UNSET,
) -> Response[Any | JobIdResponse | str]:
    """Start a structured-extraction job

     Starts an asynchronous job that extracts information, following the
    project's template, from the document sent as the request body (a file
    or plain text). Files that need it are rasterized to images at **dpi**.
    Every setting that is omitted takes the project's value (or the
    server's default).

    Answers the job ID. Once the job completes successfully, its output data
    is an `ExtractionResponse` whose `result` conforms to the template (the
    raw model output is post-processed). When the raw model output did not
    conform, it is returned alongside the error message and the result is
    served with HTTP 206 (see the GET result operation).

    Args:
        structured_extraction_project_id (str):
        temperature (float | Unset):
        dpi (str | Unset):
        max_output_tokens (str | Unset): A token budget as text, a whole number above 0, or
            `Unlimited`.
        max_example_token_number (int | Unset):
        max_example_number (str | Unset):
        min_example_similarity (float | Unset):
        enable_thinking (bool | Unset):
        thinking_token_budget (str | Unset): A token budget as text, a whole number above 0, or
            `Unlimited`.
        loop_detection (bool | Unset):
        random_seed (str | Unset):
        image_width (str | Unset):
        timeout (str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | JobIdResponse | str]
    """

    kwargs = _get_kwargs(
        structured_extraction_project_id=structured_extraction_project_id,
        body=body,
        temperature=temperature,
        dpi=dpi,
        max_output_tokens=max_output_tokens,
        max_example_token_number=max_example_token_number,
        max_example_number=max_example_number,
        min_example_similarity=min_example_similarity,
        enable_thinking=enable_thinking,
        thinking_token_budget=thinking_token_budget,
        loop_detection=loop_detection,
        random_seed=random_seed,
        image_width=image_width,
        timeout=timeout,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return client.answered(
        "post_api_structured_extraction_structuredextractionprojectid_jobs", _build_response, response
    )


def sync(
    structured_extraction_project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: File,
    temperature: float | Unset = UNSET,
    dpi: str | Unset = UNSET,
    max_output_tokens: str | Unset = UNSET,
    max_example_token_number: int | Unset = UNSET,
    max_example_number: str | Unset = UNSET,
    min_example_similarity: float | Unset = UNSET,
    enable_thinking: bool | Unset = UNSET,
    thinking_token_budget: str | Unset = UNSET,
    loop_detection: bool | Unset = UNSET,
    random_seed: str | Unset = UNSET,
    image_width: str | Unset = UNSET,
    timeout: str | Unset = UNSET,
) -> Any | JobIdResponse | str | None:
    """Start a structured-extraction job

     Starts an asynchronous job that extracts information, following the
    project's template, from the document sent as the request body (a file
    or plain text). Files that need it are rasterized to images at **dpi**.
    Every setting that is omitted takes the project's value (or the
    server's default).

    Answers the job ID. Once the job completes successfully, its output data
    is an `ExtractionResponse` whose `result` conforms to the template (the
    raw model output is post-processed). When the raw model output did not
    conform, it is returned alongside the error message and the result is
    served with HTTP 206 (see the GET result operation).

    Args:
        structured_extraction_project_id (str):
        temperature (float | Unset):
        dpi (str | Unset):
        max_output_tokens (str | Unset): A token budget as text, a whole number above 0, or
            `Unlimited`.
        max_example_token_number (int | Unset):
        max_example_number (str | Unset):
        min_example_similarity (float | Unset):
        enable_thinking (bool | Unset):
        thinking_token_budget (str | Unset): A token budget as text, a whole number above 0, or
            `Unlimited`.
        loop_detection (bool | Unset):
        random_seed (str | Unset):
        image_width (str | Unset):
        timeout (str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | JobIdResponse | str
    """

    return sync_detailed(
        structured_extraction_project_id=structured_extraction_project_id,
        client=client,
        body=body,
        temperature=temperature,
        dpi=dpi,
        max_output_tokens=max_output_tokens,
        max_example_token_number=max_example_token_number,
        max_example_number=max_example_number,
        min_example_similarity=min_example_similarity,
        enable_thinking=enable_thinking,
        thinking_token_budget=thinking_token_budget,
        loop_detection=loop_detection,
        random_seed=random_seed,
        image_width=image_width,
        timeout=timeout,
    ).parsed


async def asyncio_detailed(
    structured_extraction_project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: File,
    temperature: float | Unset = UNSET,
    dpi: str | Unset = UNSET,
    max_output_tokens: str | Unset = UNSET,
    max_example_token_number: int | Unset = UNSET,
    max_example_number: str | Unset = UNSET,
    min_example_similarity: float | Unset = UNSET,
    enable_thinking: bool | Unset = UNSET,
    thinking_token_budget: str | Unset = UNSET,
    loop_detection: bool | Unset = UNSET,
    random_seed: str | Unset = UNSET,
    image_width: str | Unset = UNSET,
    timeout: str | Unset = UNSET,
) -> Response[Any | JobIdResponse | str]:
    """Start a structured-extraction job

     Starts an asynchronous job that extracts information, following the
    project's template, from the document sent as the request body (a file
    or plain text). Files that need it are rasterized to images at **dpi**.
    Every setting that is omitted takes the project's value (or the
    server's default).

    Answers the job ID. Once the job completes successfully, its output data
    is an `ExtractionResponse` whose `result` conforms to the template (the
    raw model output is post-processed). When the raw model output did not
    conform, it is returned alongside the error message and the result is
    served with HTTP 206 (see the GET result operation).

    Args:
        structured_extraction_project_id (str):
        temperature (float | Unset):
        dpi (str | Unset):
        max_output_tokens (str | Unset): A token budget as text, a whole number above 0, or
            `Unlimited`.
        max_example_token_number (int | Unset):
        max_example_number (str | Unset):
        min_example_similarity (float | Unset):
        enable_thinking (bool | Unset):
        thinking_token_budget (str | Unset): A token budget as text, a whole number above 0, or
            `Unlimited`.
        loop_detection (bool | Unset):
        random_seed (str | Unset):
        image_width (str | Unset):
        timeout (str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | JobIdResponse | str]
    """

    kwargs = _get_kwargs(
        structured_extraction_project_id=structured_extraction_project_id,
        body=body,
        temperature=temperature,
        dpi=dpi,
        max_output_tokens=max_output_tokens,
        max_example_token_number=max_example_token_number,
        max_example_number=max_example_number,
        min_example_similarity=min_example_similarity,
        enable_thinking=enable_thinking,
        thinking_token_budget=thinking_token_budget,
        loop_detection=loop_detection,
        random_seed=random_seed,
        image_width=image_width,
        timeout=timeout,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return client.answered(
        "post_api_structured_extraction_structuredextractionprojectid_jobs", _build_response, response
    )


async def asyncio(
    structured_extraction_project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: File,
    temperature: float | Unset = UNSET,
    dpi: str | Unset = UNSET,
    max_output_tokens: str | Unset = UNSET,
    max_example_token_number: int | Unset = UNSET,
    max_example_number: str | Unset = UNSET,
    min_example_similarity: float | Unset = UNSET,
    enable_thinking: bool | Unset = UNSET,
    thinking_token_budget: str | Unset = UNSET,
    loop_detection: bool | Unset = UNSET,
    random_seed: str | Unset = UNSET,
    image_width: str | Unset = UNSET,
    timeout: str | Unset = UNSET,
) -> Any | JobIdResponse | str | None:
    """Start a structured-extraction job

     Starts an asynchronous job that extracts information, following the
    project's template, from the document sent as the request body (a file
    or plain text). Files that need it are rasterized to images at **dpi**.
    Every setting that is omitted takes the project's value (or the
    server's default).

    Answers the job ID. Once the job completes successfully, its output data
    is an `ExtractionResponse` whose `result` conforms to the template (the
    raw model output is post-processed). When the raw model output did not
    conform, it is returned alongside the error message and the result is
    served with HTTP 206 (see the GET result operation).

    Args:
        structured_extraction_project_id (str):
        temperature (float | Unset):
        dpi (str | Unset):
        max_output_tokens (str | Unset): A token budget as text, a whole number above 0, or
            `Unlimited`.
        max_example_token_number (int | Unset):
        max_example_number (str | Unset):
        min_example_similarity (float | Unset):
        enable_thinking (bool | Unset):
        thinking_token_budget (str | Unset): A token budget as text, a whole number above 0, or
            `Unlimited`.
        loop_detection (bool | Unset):
        random_seed (str | Unset):
        image_width (str | Unset):
        timeout (str | Unset):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | JobIdResponse | str
    """

    return (
        await asyncio_detailed(
            structured_extraction_project_id=structured_extraction_project_id,
            client=client,
            body=body,
            temperature=temperature,
            dpi=dpi,
            max_output_tokens=max_output_tokens,
            max_example_token_number=max_example_token_number,
            max_example_number=max_example_number,
            min_example_similarity=min_example_similarity,
            enable_thinking=enable_thinking,
            thinking_token_budget=thinking_token_budget,
            loop_detection=loop_detection,
            random_seed=random_seed,
            image_width=image_width,
            timeout=timeout,
        )
    ).parsed
