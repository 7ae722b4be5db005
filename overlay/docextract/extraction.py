"""`extract()`: submit, wait and fetch with any provider in one call.

    result = docextract.extract("invoice.pdf", provider="numind", project_id="...")
    result.data        # the extracted object (an instance of `schema` when it is a model class)
    result.raw         # the provider's typed model
    result.usage, result.confidence, result.warnings

The document is a path or bytes (NuMind, Retab; LlamaCloud uploads it first) or a provider-side
ID (a LlamaCloud file ID; a Contextual document_id, which also needs schema_id).
"""

import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from docextract.clients import client as make_client
from docextract.durations import DurationLike
from docextract.errors import InvalidParameter, InvalidResponse
from docextract.jobs import WAIT_OPTIONS, submit_and_wait, submit_and_wait_async
from docextract.providers import get_provider, is_unset
from docextract.retab import retab_extract, retab_extract_async

if TYPE_CHECKING:
    from pydantic import BaseModel

CLIENT_OPTIONS = ("api_key", "base_url", "max_retries", "allow_insecure_http")


@attrs.frozen
class ExtractionResult:
    provider: str
    job_id: str | None  # None for Retab, whose extraction is synchronous
    data: Any
    raw: Any = attrs.field(repr=False)
    usage: Mapping[str, Any] = attrs.field(factory=dict)
    confidence: Any = None
    warnings: tuple[str, ...] = ()
    status: str | None = None
    requests: int = 0
    elapsed: float = 0.0


def plain(value: Any) -> Any:
    """A generated model (or UNSET, or a list of models) as plain JSON values."""
    if is_unset(value):
        return None
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


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


def _typed(result: ExtractionResult, model: type["BaseModel"] | None) -> ExtractionResult:
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


# ---------------------------------------------------------------- per provider


def _numind(outcome: Any) -> dict[str, Any]:
    raw = outcome.result
    error = plain(getattr(raw, "error", None))
    warnings: tuple[str, ...] = ()
    if error:  # what the API marks with HTTP 206: the output did not fit the template
        message = error.get("message") or "no message"
        warnings = (f"the model output did not conform to the project template: {message}",)
    return {
        "data": plain(raw.result),
        "usage": {
            "input_tokens": raw.input_tokens,
            "output_tokens": raw.output_tokens,
            "total_tokens": raw.total_tokens,
        },
        "confidence": {"output_token_probability": raw.output_token_probability},
        "warnings": warnings,
    }


def _llamacloud(outcome: Any) -> dict[str, Any]:
    job = outcome.result
    metadata = plain(job.metadata) or {}
    field_metadata = (plain(job.extract_metadata) or {}).get("field_metadata")
    return {
        "data": plain(job.extract_result),
        "usage": metadata.get("usage") or {},
        "confidence": field_metadata,
    }


def _is_usage(key: str) -> bool:
    return "cost" in key or "token" in key


def _contextual(outcome: Any) -> dict[str, Any]:
    raw = outcome.result
    metadata = plain(raw.metadata) or {}
    return {
        "data": plain(raw.results),
        # the spec's metadata reports cost and token counts side by side (total_cost_usd,
        # input_tokens, output_tokens): usage keeps both
        "usage": metadata.get("usage") or {k: v for k, v in metadata.items() if _is_usage(k)},
        "confidence": plain(raw.attributions),
    }


SUMMARIES: dict[str, Callable[[Any], dict[str, Any]]] = {
    "numind": _numind,
    "llamacloud": _llamacloud,
    "contextual": _contextual,
}


def _retab_result(raw: Any, elapsed: float) -> ExtractionResult:
    choice = raw.choices[0] if raw.choices else None
    review = plain(raw.requires_human_review) is True
    return ExtractionResult(
        provider="retab",
        job_id=None,
        data=plain(choice.message.parsed) if choice else None,
        raw=raw,
        usage=plain(raw.usage) or {},
        confidence=plain(raw.likelihoods),
        warnings=("Retab flags this extraction for human review",) if review else (),
        status="completed",
        requests=1,
        elapsed=elapsed,
    )


# ---------------------------------------------------------------- the call


@attrs.frozen
class _Plan:
    provider: str
    operation: str
    params: dict[str, Any]
    model: type["BaseModel"] | None


def _plan(
    document: Any,
    provider: str,
    schema: Any,
    project_id: str | None,
    timeout: DurationLike,
    options: dict[str, Any],
) -> _Plan:
    get_provider(provider)
    json_schema, model = load_schema(schema)
    if json_schema is not None and model is None and provider != "llamacloud":
        raise InvalidParameter(
            "schema",
            "<JSON Schema>",
            f"a generated model class: {provider} keeps its schema server-side "
            "(project_id / schema_id); a model class types the result",
        )
    params: dict[str, Any] = {"timeout": timeout, **options}
    if project_id is not None:
        params["project_id"] = project_id
    if provider == "numind":
        params["document"] = document
        params.setdefault("operation", "structured")
    elif provider == "llamacloud":
        params["document"] = document
        if json_schema is not None:
            params["data_schema"] = json_schema
    elif provider == "contextual":
        params["document_id"] = document
    elif provider == "retab":  # synchronous: nothing to wait for
        if not project_id:
            raise InvalidParameter("project_id", project_id, "the Retab project's ID")
        params = {k: v for k, v in params.items() if k not in WAIT_OPTIONS or k == "timeout"}
        params["document"] = document
    operation = params.pop("operation", "extract")
    return _Plan(provider, operation, params, model)


def _client_for(provider: str, given: Any, settings: dict[str, Any]) -> tuple[Any, bool]:
    """The caller's client, or one built here (owned: closed when the call ends)."""
    if given is not None:
        return given, False
    return make_client(provider, **settings), True


def _split(options: dict[str, Any]) -> dict[str, Any]:
    """Take the client's settings out of `options`, leaving the operation's and the wait's."""
    return {k: options.pop(k) for k in CLIENT_OPTIONS if k in options}


def extract(
    document: Any,
    *,
    provider: str,
    client: Any = None,
    schema: Any = None,
    project_id: str | None = None,
    timeout: DurationLike = "5m",
    **options: Any,
) -> ExtractionResult:
    """Extract structured data from `document` with `provider`, waiting for the result.

    schema: a JSON Schema (dict or .json file) — LlamaCloud's inline data_schema — or a model
        class generated from one (`scripts/generate.py --schema`), which also types `data`.
    options: the provider's parameters (see docextract.submit / retab_extract: schema_id and
        config for Contextual, configuration_id for LlamaCloud, temperature, ...), the wait's
        (mode, on_progress, cancel_on_timeout), or a client's when none is given (api_key,
        base_url, max_retries, allow_insecure_http).
    """
    started = time.monotonic()
    settings = _split(options)
    # bad input is refused before a client (and its connection pools) exists
    plan = _plan(document, provider, schema, project_id, timeout, options)
    http, owned = _client_for(provider, client, settings)
    try:
        if provider == "retab":
            raw = retab_extract(client=http, **plan.params)
            return _typed(_retab_result(raw, time.monotonic() - started), plan.model)
        job, outcome = submit_and_wait(provider, plan.operation, client=http, **plan.params)
    finally:
        if owned:
            http.get_httpx_client().close()
    return _typed(_result(plan, job.id, outcome, time.monotonic() - started), plan.model)


async def extract_async(
    document: Any,
    *,
    provider: str,
    client: Any = None,
    schema: Any = None,
    project_id: str | None = None,
    timeout: DurationLike = "5m",
    **options: Any,
) -> ExtractionResult:
    started = time.monotonic()
    settings = _split(options)
    # bad input is refused before a client (and its connection pools) exists
    plan = _plan(document, provider, schema, project_id, timeout, options)
    http, owned = _client_for(provider, client, settings)
    try:
        if provider == "retab":
            raw = await retab_extract_async(client=http, **plan.params)
            return _typed(_retab_result(raw, time.monotonic() - started), plan.model)
        job, outcome = await submit_and_wait_async(
            provider, plan.operation, client=http, **plan.params
        )
    finally:
        if owned:
            await http.get_async_httpx_client().aclose()
    return _typed(_result(plan, job.id, outcome, time.monotonic() - started), plan.model)


def _result(plan: _Plan, job_id: str, outcome: Any, elapsed: float) -> ExtractionResult:
    if plan.provider == "numind" and plan.operation == "markdown":
        summary = {"data": outcome.result.result, "usage": {}, "confidence": None}
    else:
        summary = SUMMARIES[plan.provider](outcome)
    return ExtractionResult(
        provider=plan.provider,
        job_id=job_id,
        raw=outcome.result,
        status=outcome.snapshot.status,
        requests=outcome.requests,
        elapsed=elapsed,
        **summary,
    )
