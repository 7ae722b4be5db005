"""The typed entry points (docextract.providers.typed) against the generated signatures.

Each `submit` overload's keyword parameters come from its operation's generated function (the
query parameters, names and types) and its body model (the fields a caller sets). A spec change
that adds, renames or retypes one regenerates the client and fails here until the overload
follows.
"""

import inspect
import typing
from typing import get_args

import attrs
import pytest

from docextract.providers import get_provider, typed

# (provider, operation): (generated operation ID, overload name -> generated name, body model
# fields the overload sets, generated parameters deliberately not offered (with why))
OPERATIONS: dict[tuple[str, str], tuple[str, dict[str, str], tuple[str, ...], dict[str, str]]] = {
    ("numind", "structured"): (
        "post_api_structured_extraction_structuredextractionprojectid_jobs",
        {"project_id": "structured_extraction_project_id"},
        (),
        {},
    ),
    ("numind", "markdown"): ("post_api_markdown_infer_async", {}, (), {}),
    ("llamacloud", "extract"): (
        "create_extract_job",
        {},
        ("configuration", "configuration_id"),
        {},
    ),
    ("contextual", "extract"): (
        "start_extraction_job_extract_jobs_post",
        {},
        ("document_id", "schema_id", "config"),
        {},
    ),
}
# what the overloads add to the generated parameters (the document is read or uploaded)
ADDED = {"client", "document", "data_schema"}
# a duration where the spec has its duration string; a UUID given as its text
SUBSTITUTES = {"str": {"str", "DurationLike", "timedelta", "float"}, "UUID": {"str"}}


def _types(annotation: object) -> set[str]:
    text = annotation if isinstance(annotation, str) else str(annotation)
    names = {part.strip().strip("'\"").rsplit(".", 1)[-1] for part in text.split("|")}
    return names - {"None", "Unset", "NoneType"}


def _overloads() -> dict[tuple[str, str], inspect.Signature]:
    found = {}
    for overload in typing.get_overloads(typed.submit):
        signature = inspect.signature(overload)
        provider = get_args(signature.parameters["provider"].annotation)[0]
        operation = get_args(signature.parameters["operation"].annotation)[0]
        found[(provider, operation)] = signature
    return found


def test_every_submittable_operation_has_a_typed_overload() -> None:
    submittable = {
        (name, operation)
        for name in ("numind", "llamacloud", "retab", "contextual")
        for operation in get_provider(name).operations
    }
    assert set(_overloads()) == submittable == set(OPERATIONS)


@pytest.mark.parametrize("key", OPERATIONS, ids=[f"{p}-{o}" for p, o in OPERATIONS])
def test_overload_parameters_follow_the_generated_function(key: tuple[str, str]) -> None:
    operation_id, renamed, body_fields, left_out = OPERATIONS[key]
    overload = _overloads()[key].parameters
    adapter = get_provider(key[0])
    generated = inspect.signature(adapter.endpoint(operation_id).sync_detailed).parameters
    offered = {name: p for name, p in overload.items() if name not in ("provider", "operation")}

    for name, parameter in generated.items():
        if name in ("client", "body") or name in left_out:
            continue
        ours = next((o for o, g in renamed.items() if g == name), name)
        assert ours in offered, f"{key}: the generated parameter {name} is not offered"
        wanted = {t for g in _types(parameter.annotation) for t in SUBSTITUTES.get(g, {g})}
        assert _types(offered[ours].annotation) <= wanted | _types(parameter.annotation), (
            f"{key}: {ours} is {offered[ours].annotation}, the spec's {parameter.annotation}"
        )
    body = generated.get("body")
    model_fields = set()
    if body is not None and attrs.has(body.annotation):
        model_fields = {f.name for f in attrs.fields(body.annotation)}
    for name in body_fields:
        assert name in model_fields, f"{key}: {name} is not a field of the request body"
    known = {*generated, *renamed, *body_fields, *ADDED}
    unknown = set(offered) - known - {"timeout"}
    assert unknown == set(), f"{key}: parameters the spec does not have: {unknown}"
