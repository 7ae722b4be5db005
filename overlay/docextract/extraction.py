"""`extract()`: submit, wait and fetch with any provider in one call.

    result = docextract.extract("invoice.pdf", provider=provider, project_id="...")
    result.data        # the extracted object (an instance of `schema` when it is a model class)
    result.raw         # the provider's typed model
    result.usage, result.confidence, result.warnings

The document is a path or bytes, or a provider-side ID; which, and where an inline JSON Schema
goes, is the provider's adapter's to say (`Provider.extraction`, docextract.providers).
"""

import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import attrs

from docextract.clients import client as make_client
from docextract.durations import DurationLike
from docextract.errors import InvalidParameter, InvalidResponse
from docextract.jobs import Mode, submit_and_wait, submit_and_wait_async
from docextract.providers import Provider, ProviderName, Summary, get_provider
from docextract.providers.adapter import plain
from docextract.waiting import JobProgress, PollPolicy, WaitOutcome

if TYPE_CHECKING:
    from pydantic import BaseModel

D = TypeVar("D")
M = TypeVar("M", bound="BaseModel")
SchemaInput = Mapping[str, Any] | str | Path
"""A JSON Schema: a dict, or the path of a .json file."""

__all__ = [
    "ExtractionResult",
    "SchemaInput",
    "extract",
    "extract_async",
    "load_schema",
    "plain",
    "result_json",
]


@attrs.frozen
class ExtractionResult(Generic[D]):
    """What `extract()` returns; `data` is an instance of the model class given as `schema`."""

    provider: str
    job_id: str | None  # None for a synchronous extraction (no job)
    data: D
    raw: Any = attrs.field(repr=False)  # the provider's typed result model
    usage: Mapping[str, Any] = attrs.field(factory=dict)
    confidence: Any = None
    warnings: tuple[str, ...] = ()
    status: str | None = None
    requests: int = 0
    elapsed: float = 0.0


# ---------------------------------------------------------------- schemas


def load_schema(schema: Any) -> tuple[dict[str, Any] | None, type["BaseModel"] | None]:
    """(JSON Schema, model class) from a dict, a .json file, or a generated pydantic model class."""
    if schema is None:
        return None, None
    if isinstance(schema, type):
        from pydantic import BaseModel  # only when a model class is given: pydantic is heavy

        if issubclass(schema, BaseModel):
            return schema.model_json_schema(), schema
    if isinstance(schema, Mapping):
        return dict(schema), None
    if isinstance(schema, str | Path) and Path(schema).is_file():
        try:
            loaded = json.loads(Path(schema).read_text(encoding="utf-8"))
        except (ValueError, RecursionError) as exc:
            raise InvalidParameter("schema", str(schema), f"a JSON Schema file ({exc})") from None
        if isinstance(loaded, dict):
            return loaded, None
    raise InvalidParameter(
        "schema", schema, "a JSON Schema (dict or .json file) or a generated model class"
    )


def _typed(result: ExtractionResult[Any], model: type["BaseModel"] | None) -> ExtractionResult[Any]:
    if model is None:
        return result
    try:
        data = model.model_validate(result.data)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise InvalidResponse(
            provider=result.provider,
            operation="extract",
            status_code=200,
            body=json.dumps(result.data, default=str),
            reason=f"the extracted data does not fit {model.__name__}: {exc}",
            job_id=result.job_id,
        ) from exc
    return attrs.evolve(result, data=data)


# ---------------------------------------------------------------- the call


@attrs.frozen
class _Call:
    """An extract() call, checked: whose, which operation, its parameters, the result's model."""

    provider: Provider
    operation: str
    params: dict[str, Any]
    model: type["BaseModel"] | None


def _call(
    document: object, provider: str, schema: object, project_id: str | None, params: dict[str, Any]
) -> _Call:
    adapter = get_provider(provider)
    recipe = adapter.extraction
    json_schema, model = load_schema(schema)
    if json_schema is not None and recipe.schema_parameter is not None:
        params[recipe.schema_parameter] = json_schema  # a model class's schema, too
    elif json_schema is not None and model is None:
        raise InvalidParameter(
            "schema",
            "<JSON Schema>",
            f"a generated model class: {provider} keeps its schema server-side "
            "(project_id / schema_id); a model class types the result",
        )
    if project_id is not None:
        params["project_id"] = project_id
    params[recipe.document_parameter] = document
    operation = params.pop("operation", recipe.operation)
    return _Call(adapter, operation, params, model)


def _client_settings(
    api_key: str | None, base_url: str | None, max_retries: int | None, allow_insecure_http: bool
) -> dict[str, Any]:
    settings: dict[str, Any] = {"api_key": api_key, "base_url": base_url}
    if max_retries is not None:
        settings["max_retries"] = max_retries
    return {**settings, "allow_insecure_http": allow_insecure_http}


def _result(
    call: _Call, job_id: str | None, raw: Any, outcome: WaitOutcome | None, started: float
) -> ExtractionResult[Any]:
    summary: Summary = call.provider.extraction.summarize(call.operation, raw)
    return _typed(
        ExtractionResult(
            provider=call.provider.name,
            job_id=job_id,
            data=summary.data,
            raw=raw,
            usage=summary.usage,
            confidence=summary.confidence,
            warnings=summary.warnings,
            status=outcome.snapshot.status if outcome else "completed",
            requests=outcome.requests if outcome else 1,
            elapsed=time.monotonic() - started,
        ),
        call.model,
    )


@overload
def extract(
    document: object,
    *,
    provider: ProviderName,
    schema: type[M],
    client: Any = None,
    project_id: str | None = None,
    timeout: DurationLike = "5m",
    mode: Mode = "auto",
    on_progress: Callable[[JobProgress], None] | None = None,
    cancel_on_timeout: bool = False,
    poll: PollPolicy | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    max_retries: int | None = None,
    allow_insecure_http: bool = False,
    **params: Any,
) -> ExtractionResult[M]: ...
@overload
def extract(
    document: object,
    *,
    provider: ProviderName,
    schema: SchemaInput | None = None,
    client: Any = None,
    project_id: str | None = None,
    timeout: DurationLike = "5m",
    mode: Mode = "auto",
    on_progress: Callable[[JobProgress], None] | None = None,
    cancel_on_timeout: bool = False,
    poll: PollPolicy | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    max_retries: int | None = None,
    allow_insecure_http: bool = False,
    **params: Any,
) -> ExtractionResult[Any]: ...
def extract(
    document: object,
    *,
    provider: ProviderName,
    schema: "type[BaseModel] | SchemaInput | None" = None,
    client: Any = None,
    project_id: str | None = None,
    timeout: DurationLike = "5m",
    mode: Mode = "auto",
    on_progress: Callable[[JobProgress], None] | None = None,
    cancel_on_timeout: bool = False,
    poll: PollPolicy | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    max_retries: int | None = None,
    allow_insecure_http: bool = False,
    **params: Any,
) -> ExtractionResult[Any]:
    """Extract structured data from `document` with `provider`, waiting for the result.

    schema: a JSON Schema (dict or .json file), for a provider that takes one inline, or a
        model class generated from one (`scripts/generate.py --schema`), which types `data`.
    timeout: the whole call's budget. mode, on_progress, cancel_on_timeout, poll: the wait's
        (see docextract.wait). api_key, base_url, max_retries, allow_insecure_http: the client's
        when none is given (one is then built, and closed when the call ends).
    params: the operation's own parameters (see docextract.submit for each provider).
    """
    started = time.monotonic()
    # bad input is refused before a client (and its connection pools) exists
    call = _call(document, provider, schema, project_id, dict(params))
    owned = client is None
    settings = _client_settings(api_key, base_url, max_retries, allow_insecure_http)
    http_client = make_client(provider, **settings) if owned else client
    try:
        synchronous = call.provider.synchronous
        if synchronous is not None:
            raw = synchronous.run(http_client, {**call.params, "timeout": timeout})
            return _result(call, None, raw, None, started)
        job, outcome = submit_and_wait(
            provider,
            call.operation,
            client=http_client,
            timeout=timeout,
            mode=mode,
            on_progress=on_progress,
            cancel_on_timeout=cancel_on_timeout,
            poll=poll,
            **call.params,
        )
    finally:
        if owned:
            http_client.close()
    return _result(call, job.id, outcome.result, outcome, started)


@overload
async def extract_async(
    document: object,
    *,
    provider: ProviderName,
    schema: type[M],
    client: Any = None,
    project_id: str | None = None,
    timeout: DurationLike = "5m",
    mode: Mode = "auto",
    on_progress: Callable[[JobProgress], None] | None = None,
    cancel_on_timeout: bool = False,
    poll: PollPolicy | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    max_retries: int | None = None,
    allow_insecure_http: bool = False,
    **params: Any,
) -> ExtractionResult[M]: ...
@overload
async def extract_async(
    document: object,
    *,
    provider: ProviderName,
    schema: SchemaInput | None = None,
    client: Any = None,
    project_id: str | None = None,
    timeout: DurationLike = "5m",
    mode: Mode = "auto",
    on_progress: Callable[[JobProgress], None] | None = None,
    cancel_on_timeout: bool = False,
    poll: PollPolicy | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    max_retries: int | None = None,
    allow_insecure_http: bool = False,
    **params: Any,
) -> ExtractionResult[Any]: ...
async def extract_async(
    document: object,
    *,
    provider: ProviderName,
    schema: "type[BaseModel] | SchemaInput | None" = None,
    client: Any = None,
    project_id: str | None = None,
    timeout: DurationLike = "5m",
    mode: Mode = "auto",
    on_progress: Callable[[JobProgress], None] | None = None,
    cancel_on_timeout: bool = False,
    poll: PollPolicy | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    max_retries: int | None = None,
    allow_insecure_http: bool = False,
    **params: Any,
) -> ExtractionResult[Any]:
    """The asyncio twin of `extract`."""
    started = time.monotonic()
    call = _call(document, provider, schema, project_id, dict(params))
    owned = client is None
    settings = _client_settings(api_key, base_url, max_retries, allow_insecure_http)
    http_client = make_client(provider, **settings) if owned else client
    try:
        synchronous = call.provider.synchronous
        if synchronous is not None:
            raw = await synchronous.run_async(http_client, {**call.params, "timeout": timeout})
            return _result(call, None, raw, None, started)
        job, outcome = await submit_and_wait_async(
            provider,
            call.operation,
            client=http_client,
            timeout=timeout,
            mode=mode,
            on_progress=on_progress,
            cancel_on_timeout=cancel_on_timeout,
            poll=poll,
            **call.params,
        )
    finally:
        if owned:
            await http_client.aclose()
    return _result(call, job.id, outcome.result, outcome, started)


def result_json(result: ExtractionResult[Any]) -> dict[str, Any]:
    """The result as JSON-ready data: what `--json`, a batch's results and Celery give back."""
    return {
        "provider": result.provider,
        "job_id": result.job_id,
        "status": result.status,
        "data": plain(result.data),
        "usage": result.usage,
        "confidence": result.confidence,
        "warnings": list(result.warnings),
        "requests": result.requests,
        "elapsed_seconds": round(result.elapsed, 3),
    }
