"""The typed entry points (docextract.providers.typed) against the generated code.

Each `submit` overload takes its operation's query parameters as `**query: Unpack[...]` of the
TypedDict the build writes from the spec (query_params.py), so a new or retyped query parameter
flows through with no hand edit; its other keywords are the document and the path and body
parameters, checked here against the generated function and its body model, so a spec change
to those fails the build until the overload follows. The adapters' planners take the same
query names from the spec (checked by building a request with every one of them).
"""

import importlib
import inspect
import typing
from typing import Any, get_args

import attrs
import pytest
from pytest_httpserver import HTTPServer

from docextract.providers import get_provider, typed

# (provider, operation): (generated operation ID, overload name -> generated path parameter,
# body model fields the overload sets)
OPERATIONS: dict[tuple[str, str], tuple[str, dict[str, str], tuple[str, ...]]] = {
    ("numind", "structured"): (
        "post_api_structured_extraction_structuredextractionprojectid_jobs",
        {"project_id": "structured_extraction_project_id"},
        (),
    ),
    ("numind", "markdown"): ("post_api_markdown_infer_async", {}, ()),
    ("llamacloud", "extract"): ("create_extract_job", {}, ("configuration", "configuration_id")),
    ("contextual", "extract"): (
        "start_extraction_job_extract_jobs_post",
        {},
        ("document_id", "schema_id", "config"),
    ),
}
ADDED = {"client", "document", "data_schema"}  # the document is read or uploaded by docextract
# a value of the right type for each query parameter the planners pass on
SAMPLES = {"str": "x", "int": 1, "float": 0.5, "bool": True}


def _overloads() -> dict[tuple[str, str], inspect.Signature]:
    found = {}
    for overload in typing.get_overloads(typed.submit):
        signature = inspect.signature(overload)
        provider = get_args(signature.parameters["provider"].annotation)[0]
        operation = get_args(signature.parameters["operation"].annotation)[0]
        found[(provider, operation)] = signature
    return found


def _query_typed_dict(signature: inspect.Signature, package: str) -> Any:
    """The generated TypedDict an overload's `**query` unpacks (None: it has none)."""
    query = signature.parameters.get("query")
    if query is None:
        return None
    assert query.kind is inspect.Parameter.VAR_KEYWORD
    forward = str(query.annotation)  # Unpack of a forward reference, e.g. "numind_query.X"
    name = forward.rsplit(".", 1)[1].rstrip("')]")
    return getattr(importlib.import_module(f"{package}.query_params"), name)


def test_every_submittable_operation_has_a_typed_overload() -> None:
    submittable = {
        (name, operation)
        for name in ("numind", "llamacloud", "retab", "contextual")
        for operation in get_provider(name).operations
    }
    assert set(_overloads()) == submittable == set(OPERATIONS)


@pytest.mark.parametrize("key", OPERATIONS, ids=[f"{p}-{o}" for p, o in OPERATIONS])
def test_overload_parameters_follow_the_generated_function(key: tuple[str, str]) -> None:
    operation_id, renamed, body_fields = OPERATIONS[key]
    signature = _overloads()[key]
    adapter = get_provider(key[0])
    generated = inspect.signature(adapter.endpoint(operation_id).sync_detailed).parameters
    query = set(adapter.query_names(operation_id))
    typed_dict = _query_typed_dict(signature, adapter.package)

    # the query parameters: exactly the spec's, through the generated TypedDict
    assert set(typing.get_type_hints(typed_dict) if typed_dict else ()) == query
    explicit = {n for n, p in signature.parameters.items() if p.kind is p.KEYWORD_ONLY}
    paths = {n for n in generated if n not in query and n not in ("client", "body")}
    assert {renamed.get(n, n) for n in explicit} - ADDED - set(body_fields) == paths
    body = generated.get("body")
    fields = {f.name for f in attrs.fields(body.annotation)} if body is not None else set()
    assert set(body_fields) <= fields, f"{key}: not fields of the request body"


@pytest.mark.parametrize("key", [("numind", "structured"), ("numind", "markdown")])
def test_planners_pass_every_query_parameter_of_the_spec(key: tuple[str, str]) -> None:
    operation_id = OPERATIONS[key][0]
    adapter = get_provider(key[0])
    hints = typing.get_type_hints(_query_typed_dict(_overloads()[key], adapter.package))
    given = {name: SAMPLES[hint.__name__] for name, hint in hints.items() if name != "timeout"}

    project = {"project_id": "p"} if key[1] == "structured" else {}
    submission = adapter.planner(key[1])(
        {"document": b"%PDF-1.7", **project, **given, "timeout": "1m"}
    )

    sent = submission.create(None)
    assert sent.operation_id == operation_id
    assert {k: v for k, v in sent.params.items() if k in hints} == {**given, "timeout": "1m"}


def test_retab_extract_takes_every_field_of_the_request_body() -> None:
    """Retab's extraction has no job: its typed function takes the body's fields by name."""
    from docextract.providers.retab import retab_extract, retab_extract_async
    from retab_client.models import ProjectExtractRequest

    fields = {f.name for f in attrs.fields(ProjectExtractRequest)} - {"additional_properties"}
    for function in (retab_extract, retab_extract_async):
        assert fields <= set(inspect.signature(function).parameters)


def test_retab_extract_takes_several_documents_or_one(httpserver: HTTPServer) -> None:
    """retab 0.0.118 sends several `documents` parts as an alternative to one `document`."""
    import docextract
    from docextract.errors import InvalidParameter
    from docextract.providers.retab import retab_extract

    client = docextract.client("retab", api_key="k" * 12, base_url=httpserver.url_for(""))
    with pytest.raises(InvalidParameter, match="document/documents"):
        retab_extract(b"one", documents=[b"two"], project_id="p", client=client)
    with pytest.raises(InvalidParameter, match="document/documents"):
        retab_extract(project_id="p", client=client)
    assert httpserver.log == []  # refused before any request
