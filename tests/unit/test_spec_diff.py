"""docextract.spec_diff: every change code on small hand-written spec pairs, the normalisation that
keeps respellings quiet (3.0/3.1 nullability, `$ref` chains, `allOf`), recursive and large
documents, the report formats and the command line."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from docextract.spec_diff import (
    CHANGE_CODES,
    Change,
    SpecLoadError,
    diff_specs,
    load_spec,
    main,
)

Spec = dict[str, Any]

DATA = Path(__file__).parent / "data" / "spec_diff"
V1, V1_AS_31, V2 = DATA / "jobs_v1.yaml", DATA / "jobs_v1_as_31.yaml", DATA / "jobs_v2.yaml"
V1_ADDITIVE = DATA / "jobs_v1_additive.json"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "spec_diff.py"

RES = "$.responses.200.application/json.body"
REQ = "$.requestBody.application/json.body"
STR: Spec = {"type": "string"}
INT: Spec = {"type": "integer"}
NULL: Spec = {"type": "null"}
API_KEY: Spec = {"type": "apiKey", "in": "header", "name": "X-API-Key"}
BEARER: Spec = {"type": "http", "scheme": "bearer"}


# --- spec builders -------------------------------------------------------------------------------


def document(
    paths: Spec, *, version: str = "3.1.0", schemas: Spec | None = None, **top: Any
) -> Spec:
    doc: Spec = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths, **top}
    if schemas is not None:
        doc.setdefault("components", {})["schemas"] = schemas
    return doc


def returning(
    schema: Spec,
    *,
    status: str = "200",
    media: tuple[str, ...] = ("application/json",),
    **kwargs: Any,
) -> Spec:
    """GET /jobs, answering ``status`` with ``schema`` in each of ``media``."""
    content = {name: {"schema": schema} for name in media}
    response = {status: {"description": "ok", "content": content}}
    return document({"/jobs": {"get": {"responses": response}}}, **kwargs)


def accepting(
    schema: Spec,
    *,
    media: tuple[str, ...] = ("application/json",),
    required: bool = True,
    **kwargs: Any,
) -> Spec:
    """POST /jobs, with a request body of ``schema`` in each of ``media``."""
    body = {"required": required, "content": {name: {"schema": schema} for name in media}}
    operation = {"requestBody": body, "responses": {"201": {"description": "created"}}}
    return document({"/jobs": {"post": operation}}, **kwargs)


def answering(*statuses: str) -> Spec:
    responses = {status: {"description": status} for status in statuses}
    return document({"/jobs": {"get": {"responses": responses}}})


def with_params(*params: Spec, path_level: tuple[Spec, ...] = (), **kwargs: Any) -> Spec:
    """GET /jobs with operation-level ``params`` and path-level ``path_level``."""
    operation = {"parameters": list(params), "responses": {"200": {"description": "ok"}}}
    return document({"/jobs": {"parameters": list(path_level), "get": operation}}, **kwargs)


def query(name: str = "page", *, required: bool = False, schema: Spec = INT) -> Spec:
    return {"in": "query", "name": name, "required": required, "schema": schema}


def obj(*required: str, **properties: Spec) -> Spec:
    schema: Spec = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def with_security(*, schemes: Spec | None = None, security: list[Spec] | None = None) -> Spec:
    top: Spec = {"components": {"securitySchemes": schemes or {}}}
    if security is not None:
        top["security"] = security
    return document({}, **top)


def secured(operation_security: list[Spec] | None, *, document_security: list[Spec]) -> Spec:
    operation: Spec = {"responses": {"200": {"description": "ok"}}}
    if operation_security is not None:
        operation["security"] = operation_security
    return document({"/jobs": {"get": operation}}, security=document_security)


def found(old: Spec, new: Spec) -> set[tuple[str, str]]:
    return {(change.code, change.path) for change in diff_specs(old, new).changes}


def only_change(old: Spec, new: Spec) -> Change:
    changes = diff_specs(old, new).changes
    assert len(changes) == 1, changes
    return changes[0]


# --- every change code ---------------------------------------------------------------------------

ENUM2: Spec = {"type": "string", "enum": ["fast", "accurate"]}
ENUM1: Spec = {"type": "string", "enum": ["fast"]}
UNION2: Spec = {"oneOf": [STR, INT]}
OPEN2: Spec = {"anyOf": [{"type": "string", "enum": ["fast", "accurate"]}, STR]}
OPEN1: Spec = {"anyOf": [{"type": "string", "enum": ["fast"]}, STR]}
UNION3: Spec = {"oneOf": [STR, INT, {"type": "boolean"}]}

CASES = [
    # document-wide
    pytest.param(
        document({}, servers=[{"url": "https://a.example"}]),
        document({}, servers=[{"url": "https://b.example"}]),
        {("server-changed", "$.servers")},
        id="server-changed",
    ),
    pytest.param(
        with_security(schemes={"ApiKey": API_KEY, "Bearer": BEARER}),
        with_security(schemes={"Bearer": BEARER}),
        {("security-scheme-removed", "$.components.securitySchemes.ApiKey")},
        id="security-scheme-removed",
    ),
    pytest.param(
        with_security(schemes={"Bearer": BEARER}),
        with_security(schemes={"ApiKey": API_KEY, "Bearer": BEARER}),
        {("security-scheme-added", "$.components.securitySchemes.ApiKey")},
        id="security-scheme-added",
    ),
    pytest.param(
        with_security(schemes={"ApiKey": API_KEY}),
        with_security(schemes={"ApiKey": {**API_KEY, "name": "X-Token"}}),
        {("security-scheme-changed", "$.components.securitySchemes.ApiKey")},
        id="security-scheme-changed-header-name",
    ),
    pytest.param(
        with_security(schemes={"ApiKey": API_KEY}),
        with_security(schemes={"ApiKey": {**API_KEY, "in": "query"}}),
        {("security-scheme-changed", "$.components.securitySchemes.ApiKey")},
        id="security-scheme-changed-in",
    ),
    pytest.param(
        with_security(schemes={"Auth": BEARER}),
        with_security(schemes={"Auth": {"type": "http", "scheme": "basic"}}),
        {("security-scheme-changed", "$.components.securitySchemes.Auth")},
        id="security-scheme-changed-scheme",
    ),
    pytest.param(
        with_security(schemes={"Auth": BEARER}),
        with_security(schemes={"Auth": API_KEY}),
        {("security-scheme-changed", "$.components.securitySchemes.Auth")},
        id="security-scheme-changed-type",
    ),
    pytest.param(
        with_security(security=[{"ApiKey": []}, {"Bearer": []}]),
        with_security(security=[{"Bearer": []}]),
        {("security-requirement-removed", "$.security")},
        id="security-requirement-removed",
    ),
    pytest.param(
        with_security(security=[{"Bearer": []}]),
        with_security(security=[{"ApiKey": []}, {"Bearer": []}]),
        {("security-requirement-added", "$.security")},
        id="security-requirement-added",
    ),
    # operations
    pytest.param(
        document({"/jobs": {"get": {"responses": {}}, "delete": {"responses": {}}}}),
        document({"/jobs": {"get": {"responses": {}}}}),
        {("operation-removed", "$")},
        id="operation-removed",
    ),
    pytest.param(
        document({"/jobs": {"get": {"responses": {}}}}),
        document({"/jobs": {"get": {"responses": {}}}, "/files": {"post": {"responses": {}}}}),
        {("operation-added", "$")},
        id="operation-added",
    ),
    # parameters
    pytest.param(
        with_params(query()),
        with_params(),
        {("request-parameter-removed", "$.parameters.query.page")},
        id="request-parameter-removed",
    ),
    pytest.param(
        with_params(),
        with_params(query()),
        {("request-parameter-added", "$.parameters.query.page")},
        id="request-parameter-added",
    ),
    pytest.param(
        with_params(),
        with_params(query(required=True)),
        {("request-parameter-added-required", "$.parameters.query.page")},
        id="request-parameter-added-required",
    ),
    pytest.param(
        with_params(query()),
        with_params(query(required=True)),
        {("request-parameter-became-required", "$.parameters.query.page")},
        id="request-parameter-became-required",
    ),
    pytest.param(
        with_params(query(required=True)),
        with_params(query()),
        {("request-parameter-became-optional", "$.parameters.query.page")},
        id="request-parameter-became-optional",
    ),
    # request bodies
    pytest.param(
        accepting(obj(), required=False),
        accepting(obj()),
        {("request-body-became-required", "$.requestBody")},
        id="request-body-became-required",
    ),
    pytest.param(
        accepting(obj(), media=("application/json", "text/plain")),
        accepting(obj()),
        {("request-content-type-removed", "$.requestBody.text/plain")},
        id="request-content-type-removed",
    ),
    pytest.param(
        accepting(obj()),
        accepting(obj(), media=("application/json", "multipart/form-data")),
        {("request-content-type-added", "$.requestBody.multipart/form-data")},
        id="request-content-type-added",
    ),
    # responses
    pytest.param(
        answering("200", "202"),
        answering("200"),
        {("success-response-removed", "$.responses.202")},
        id="success-response-removed",
    ),
    pytest.param(
        answering("200", "404"),
        answering("200"),
        {("response-status-removed", "$.responses.404")},
        id="response-status-removed",
    ),
    pytest.param(
        answering("200"),
        answering("200", "422"),
        {("response-status-added", "$.responses.422")},
        id="response-status-added",
    ),
    pytest.param(
        returning(obj(), media=("application/json", "text/csv")),
        returning(obj()),
        {("response-content-type-removed", "$.responses.200.text/csv")},
        id="response-content-type-removed",
    ),
    pytest.param(
        returning(obj()),
        returning(obj(), media=("application/json", "application/x-ndjson")),
        {("response-content-type-added", "$.responses.200.application/x-ndjson")},
        id="response-content-type-added",
    ),
    # schemas, either way
    pytest.param(
        returning(obj(count=INT)),
        returning(obj(count=STR)),
        {("type-changed", f"{RES}.count")},
        id="type-changed",
    ),
    pytest.param(
        accepting(obj(at=STR)),
        accepting(obj(at={"type": "string", "format": "date-time"})),
        {("request-constraint-narrowed", f"{REQ}.at")},
        id="request-format-added-narrows",
    ),
    pytest.param(
        accepting(obj(n={"type": "integer", "format": "int32"})),
        accepting(obj(n={"type": "integer", "format": "int64"})),
        {("type-changed", f"{REQ}.n")},
        id="type-changed-format",
    ),
    # request schemas
    pytest.param(
        accepting(obj(name=STR)),
        accepting(obj("lang", name=STR, lang=STR)),
        {("request-field-added-required", f"{REQ}.lang")},
        id="request-field-added-required",
    ),
    pytest.param(
        accepting(obj(name=STR)),
        accepting(obj(name=STR, lang=STR)),
        {("request-field-added", f"{REQ}.lang")},
        id="request-field-added",
    ),
    pytest.param(
        accepting(obj(name=STR, lang=STR)),
        accepting(obj(name=STR)),
        {("request-field-removed", f"{REQ}.lang")},
        id="request-field-removed",
    ),
    pytest.param(
        accepting(obj(name=STR)),
        accepting(obj("name", name=STR)),
        {("request-field-became-required", f"{REQ}.name")},
        id="request-field-became-required",
    ),
    pytest.param(
        accepting(obj("name", name=STR)),
        accepting(obj(name=STR)),
        {("request-field-became-optional", f"{REQ}.name")},
        id="request-field-became-optional",
    ),
    pytest.param(
        accepting(obj(note={"type": ["string", "null"]})),
        accepting(obj(note=STR)),
        {("request-nullable-removed", f"{REQ}.note")},
        id="request-nullable-removed",
    ),
    pytest.param(
        accepting(obj(note=STR), version="3.0.3"),
        accepting(obj(note={"type": "string", "nullable": True}), version="3.0.3"),
        {("request-nullable-added", f"{REQ}.note")},
        id="request-nullable-added",
    ),
    pytest.param(
        accepting(obj(mode=ENUM2)),
        accepting(obj(mode=ENUM1)),
        {("request-enum-value-removed", f"{REQ}.mode")},
        id="request-enum-value-removed",
    ),
    pytest.param(
        accepting(obj(mode=ENUM1)),
        accepting(obj(mode=ENUM2)),
        {("request-enum-value-added", f"{REQ}.mode")},
        id="request-enum-value-added",
    ),
    pytest.param(
        accepting(obj(size={"type": "integer", "maximum": 100})),
        accepting(obj(size={"type": "integer", "maximum": 50})),
        {("request-constraint-narrowed", f"{REQ}.size")},
        id="request-constraint-narrowed",
    ),
    pytest.param(
        accepting(obj(size={"type": "integer", "maximum": 50})),
        accepting(obj(size={"type": "integer", "maximum": 100})),
        {("request-constraint-widened", f"{REQ}.size")},
        id="request-constraint-widened",
    ),
    pytest.param(
        accepting(obj(source=UNION3)),
        accepting(obj(source=UNION2)),
        {("request-variant-removed", f"{REQ}.source")},
        id="request-variant-removed",
    ),
    pytest.param(
        accepting(obj(source=UNION2)),
        accepting(obj(source=UNION3)),
        {("request-variant-added", f"{REQ}.source")},
        id="request-variant-added",
    ),
    # response schemas
    pytest.param(
        returning(obj(a=STR, b=INT)),
        returning(obj(a=STR)),
        {("response-field-removed", f"{RES}.b")},
        id="response-field-removed",
    ),
    pytest.param(
        returning(obj(a=STR)),
        returning(obj(a=STR, b=INT)),
        {("response-field-added", f"{RES}.b")},
        id="response-field-added",
    ),
    pytest.param(
        returning(obj("a", a=STR)),
        returning(obj(a=STR)),
        {("response-field-became-optional", f"{RES}.a")},
        id="response-field-became-optional",
    ),
    pytest.param(
        returning(obj(a=STR)),
        returning(obj("a", a=STR)),
        {("response-field-became-required", f"{RES}.a")},
        id="response-field-became-required",
    ),
    pytest.param(
        returning(obj(a=STR)),
        returning(obj(a={"anyOf": [STR, NULL]})),
        {("response-nullable-added", f"{RES}.a")},
        id="response-nullable-added",
    ),
    pytest.param(
        returning(obj(a={"type": "string", "nullable": True}), version="3.0.3"),
        returning(obj(a=STR), version="3.0.3"),
        {("response-nullable-removed", f"{RES}.a")},
        id="response-nullable-removed",
    ),
    pytest.param(
        returning(obj(mode=ENUM1)),
        returning(obj(mode=ENUM2)),
        {("response-enum-value-added", f"{RES}.mode")},
        id="response-enum-value-added",
    ),
    pytest.param(
        returning(obj(mode=ENUM2)),
        returning(obj(mode=ENUM1)),
        {("response-enum-value-removed", f"{RES}.mode")},
        id="response-enum-value-removed",
    ),
    pytest.param(
        returning(obj(name={"type": "string", "maxLength": 10})),
        returning(obj(name={"type": "string", "maxLength": 20})),
        {("response-constraint-widened", f"{RES}.name")},
        id="response-constraint-widened",
    ),
    pytest.param(
        returning(obj(name={"type": "string", "maxLength": 20})),
        returning(obj(name={"type": "string", "maxLength": 10})),
        {("response-constraint-narrowed", f"{RES}.name")},
        id="response-constraint-narrowed",
    ),
    pytest.param(
        returning(obj(value=UNION2)),
        returning(obj(value=UNION3)),
        {("response-variant-added", f"{RES}.value")},
        id="response-variant-added",
    ),
    pytest.param(
        returning(obj(value=UNION3)),
        returning(obj(value=UNION2)),
        {("response-variant-removed", f"{RES}.value")},
        id="response-variant-removed",
    ),
    # open enums, defaults, deprecations, spellings, renames
    pytest.param(
        accepting(obj(tier=OPEN2)),
        accepting(obj(tier=OPEN1)),
        {("request-known-value-removed", f"{REQ}.tier")},
        id="request-known-value-removed",
    ),
    pytest.param(
        accepting(obj(tier=OPEN1)),
        accepting(obj(tier=OPEN2)),
        {("request-known-value-added", f"{REQ}.tier")},
        id="request-known-value-added",
    ),
    pytest.param(
        returning(obj(tier=OPEN2)),
        returning(obj(tier=OPEN1)),
        {("response-known-value-removed", f"{RES}.tier")},
        id="response-known-value-removed",
    ),
    pytest.param(
        returning(obj(tier=OPEN1)),
        returning(obj(tier=OPEN2)),
        {("response-known-value-added", f"{RES}.tier")},
        id="response-known-value-added",
    ),
    pytest.param(
        accepting(obj(tier={**ENUM2, "default": "fast"})),
        accepting(obj(tier={**ENUM2, "default": "accurate"})),
        {("request-default-changed", f"{REQ}.tier")},
        id="request-default-changed",
    ),
    pytest.param(
        accepting(obj(tier=ENUM2)),
        accepting(obj(tier={**ENUM2, "default": "fast"})),
        {("request-default-added", f"{REQ}.tier")},
        id="request-default-added",
    ),
    pytest.param(
        accepting(obj(tier={**ENUM2, "default": "fast"})),
        accepting(obj(tier=ENUM2)),
        {("request-default-removed", f"{REQ}.tier")},
        id="request-default-removed",
    ),
    pytest.param(
        returning(obj(n={**INT, "default": 1})),
        returning(obj(n={**INT, "default": 2})),
        {("response-default-changed", f"{RES}.n")},
        id="response-default-changed",
    ),
    pytest.param(
        returning(obj(n=INT)),
        returning(obj(n={**INT, "default": 2})),
        {("response-default-added", f"{RES}.n")},
        id="response-default-added",
    ),
    pytest.param(
        returning(obj(n={**INT, "default": 2})),
        returning(obj(n=INT)),
        {("response-default-removed", f"{RES}.n")},
        id="response-default-removed",
    ),
    pytest.param(
        accepting(obj(n=INT)),
        accepting(obj(n={**INT, "deprecated": True})),
        {("request-field-deprecated", f"{REQ}.n")},
        id="request-field-deprecated",
    ),
    pytest.param(
        returning(obj(n=INT)),
        returning(obj(n={**INT, "deprecated": True})),
        {("response-field-deprecated", f"{RES}.n")},
        id="response-field-deprecated",
    ),
    pytest.param(
        with_params(query()),
        with_params({**query(), "deprecated": True}),
        {("request-parameter-deprecated", "$.parameters.query.page")},
        id="request-parameter-deprecated",
    ),
    pytest.param(
        answering("200"),
        document(
            {"/jobs": {"get": {"deprecated": True, "responses": {"200": {"description": "ok"}}}}}
        ),
        {("operation-deprecated", "$")},
        id="operation-deprecated",
    ),
    pytest.param(
        accepting(obj(file={"type": "string", "format": "binary"}), media=("multipart/form-data",)),
        accepting(
            obj(file={"type": "string", "contentMediaType": "application/octet-stream"}),
            media=("multipart/form-data",),
        ),
        {("binary-spelling-changed", "$.requestBody.multipart/form-data.body.file")},
        id="binary-spelling-changed",
    ),
    pytest.param(
        returning({"$ref": "#/components/schemas/Job"}, schemas={"Job": obj(id=STR)}),
        returning({"$ref": "#/components/schemas/ExtractJob"}, schemas={"ExtractJob": obj(id=STR)}),
        {("schema-renamed", "$.components.schemas.Job")},
        id="schema-renamed",
    ),
    pytest.param(
        secured([{"Bearer": []}], document_security=[{"ApiKey": []}]),
        secured([{"Bearer": []}], document_security=[]),
        {("security-moved", "$.security")},
        id="security-moved",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_each_change_is_reported_with_its_code_and_path(
    old: Spec, new: Spec, expected: set[tuple[str, str]]
) -> None:
    assert found(old, new) == expected


def test_the_cases_cover_every_change_code() -> None:
    covered = {code for case in CASES for code, _ in case.values[2]}  # type: ignore[union-attr]
    assert covered == set(CHANGE_CODES)


def test_breaking_codes_are_those_that_can_fail_a_client() -> None:
    breaking = {code for code, kind in CHANGE_CODES.items() if kind == "breaking"}
    assert breaking == {
        "security-scheme-removed",
        "security-scheme-changed",
        "security-requirement-removed",
        "operation-removed",
        "request-parameter-added-required",
        "request-parameter-became-required",
        "request-body-became-required",
        "request-content-type-removed",
        "success-response-removed",
        "response-content-type-removed",
        "type-changed",
        "request-field-added-required",
        "request-field-became-required",
        "request-nullable-removed",
        "request-enum-value-removed",
        "request-constraint-narrowed",
        "request-variant-removed",
        "request-default-changed",
        "response-field-removed",
        "response-field-became-optional",
        "response-nullable-added",
    }


def test_changes_carry_kind_operation_and_values() -> None:
    old = accepting(obj(size={"type": "integer", "maximum": 100}))
    new = accepting(obj(size={"type": "integer", "maximum": 50}))
    assert only_change(old, new) == Change(
        kind="breaking",
        code="request-constraint-narrowed",
        operation="POST /jobs",
        path=f"{REQ}.size",
        message="request constraint maximum narrowed: <= 100 -> <= 50",
        old="<= 100",
        new="<= 50",
    )


def test_a_new_response_enum_value_warns_about_closed_enums() -> None:
    change = only_change(returning(obj(mode=ENUM1)), returning(obj(mode=ENUM2)))
    assert change.kind == "non-breaking"
    assert change.new == ["accurate"]
    assert "closed" in change.message


def test_a_lost_request_enum_value_names_the_value() -> None:
    change = only_change(accepting(obj(mode=ENUM2)), accepting(obj(mode=ENUM1)))
    assert change.old == ["accurate"]
    assert '"accurate"' in change.message


def test_a_required_response_field_turning_optional_warns_of_missing_values() -> None:
    change = only_change(returning(obj("a", a=STR)), returning(obj(a=STR)))
    assert change.kind == "breaking"
    assert "may now get no value" in change.message


def test_operation_changes_name_the_operation() -> None:
    old = document({"/jobs/{id}": {"get": {"responses": {}}, "delete": {"responses": {}}}})
    new = document({"/jobs/{id}": {"get": {"responses": {}}}})
    change = only_change(old, new)
    assert (change.operation, change.kind) == ("DELETE /jobs/{id}", "breaking")
    assert change.message == "operation DELETE /jobs/{id} was removed"


# --- constraints ---------------------------------------------------------------------------------

NUM = {"type": "number"}
TEXT = {"type": "string"}
LIST = {"type": "array", "items": STR}


@pytest.mark.parametrize(
    ("old", "new", "version", "code"),
    [
        ({**NUM, "minimum": 1}, {**NUM, "minimum": 2}, "3.1.0", "narrowed"),
        ({**NUM, "minimum": 2}, {**NUM, "minimum": 1}, "3.1.0", "widened"),
        ({**NUM, "maximum": 10}, {**NUM, "maximum": 9}, "3.1.0", "narrowed"),
        ({**NUM, "minimum": 0}, {**NUM, "exclusiveMinimum": 0}, "3.1.0", "narrowed"),
        ({**NUM, "exclusiveMaximum": 10}, {**NUM, "maximum": 10}, "3.1.0", "widened"),
        (
            {**NUM, "minimum": 0},
            {**NUM, "minimum": 0, "exclusiveMinimum": True},
            "3.0.3",
            "narrowed",
        ),
        (
            {**NUM, "maximum": 5, "exclusiveMaximum": True},
            {**NUM, "maximum": 5},
            "3.0.3",
            "widened",
        ),
        (NUM, {**NUM, "maximum": 5}, "3.1.0", "narrowed"),
        ({**TEXT, "maxLength": 10}, {**TEXT, "maxLength": 5}, "3.1.0", "narrowed"),
        ({**TEXT, "maxLength": 5}, TEXT, "3.1.0", "widened"),
        ({**TEXT, "minLength": 1}, {**TEXT, "minLength": 2}, "3.1.0", "narrowed"),
        ({**TEXT, "pattern": "^a"}, {**TEXT, "pattern": "^b"}, "3.1.0", "narrowed"),
        (TEXT, {**TEXT, "pattern": "^a"}, "3.1.0", "narrowed"),
        ({**TEXT, "pattern": "^a"}, TEXT, "3.1.0", "widened"),
        ({**LIST, "maxItems": 5}, {**LIST, "maxItems": 3}, "3.1.0", "narrowed"),
        ({**LIST, "minItems": 0}, {**LIST, "minItems": 1}, "3.1.0", "narrowed"),
        (TEXT, {**TEXT, "enum": ["a"]}, "3.1.0", "narrowed"),
        ({**TEXT, "enum": ["a"]}, TEXT, "3.1.0", "widened"),
        ({**TEXT, "const": "a"}, {**TEXT, "enum": ["a", "b"]}, "3.1.0", "enum-added"),
    ],
)
def test_request_constraints(old: Spec, new: Spec, version: str, code: str) -> None:
    change = only_change(
        accepting(obj(x=old), version=version), accepting(obj(x=new), version=version)
    )
    expected = "request-enum-value-added" if code == "enum-added" else f"request-constraint-{code}"
    assert (change.code, change.path) == (expected, f"{REQ}.x")


def test_a_changed_pattern_counts_as_widened_in_responses() -> None:
    old = returning(obj(id={**TEXT, "pattern": "^a"}))
    new = returning(obj(id={**TEXT, "pattern": "^b"}))
    assert found(old, new) == {("response-constraint-widened", f"{RES}.id")}


def test_constraint_changes_on_parameters() -> None:
    old = with_params(query(schema={**INT, "maximum": 100}))
    new = with_params(query(schema={**INT, "maximum": 100, "minimum": 1}))
    assert found(old, new) == {("request-constraint-narrowed", "$.parameters.query.page")}


# --- the same thing said differently is no change ------------------------------------------------

SCHEMAS: Spec = {
    "Result": obj(pages=INT),
    "Alias": {"$ref": "#/components/schemas/AliasOfAlias"},
    "AliasOfAlias": {"$ref": "#/components/schemas/Result"},
}
RESULT = {"$ref": "#/components/schemas/Result"}

RESPELLINGS = [
    pytest.param(
        {**STR, "nullable": True}, {"type": ["string", "null"]}, id="nullable-vs-type-list"
    ),
    pytest.param({**STR, "nullable": True}, {"anyOf": [STR, NULL]}, id="nullable-vs-anyOf-null"),
    pytest.param({**STR, "nullable": True}, {"oneOf": [NULL, STR]}, id="nullable-vs-oneOf-null"),
    pytest.param(
        {"allOf": [RESULT], "nullable": True}, {"anyOf": [RESULT, NULL]}, id="nullable-ref"
    ),
    pytest.param(
        {**RESULT, "nullable": True},
        {"anyOf": [{"$ref": "#/components/schemas/Alias"}, {"type": "null", "description": "-"}]},
        id="nullable-ref-sibling-vs-alias-chain",
    ),
    pytest.param(
        {**STR, "enum": ["a", "b"], "nullable": True},
        {"type": ["string", "null"], "enum": ["b", "a", None]},
        id="nullable-enum",
    ),
    pytest.param(
        {**INT, "minimum": 0, "exclusiveMinimum": True}, {**INT, "exclusiveMinimum": 0}, id="bounds"
    ),
    pytest.param(
        RESULT, {"$ref": "#/components/schemas/Alias", "description": "3.1 sibling"}, id="chain"
    ),
    pytest.param(
        {"allOf": [obj(a=STR), {"properties": {"b": INT}, "required": ["b"]}]},
        obj("b", b=INT, a=STR),
        id="allOf-merged",
    ),
    pytest.param({"properties": {"a": STR}}, obj(a=STR), id="implicit-object"),
    pytest.param({"items": STR}, {"type": "array", "items": STR}, id="implicit-array"),
    pytest.param(
        {**STR, "description": "old"}, {**STR, "description": "new", "title": "T"}, id="docs"
    ),
]


@pytest.mark.parametrize(("spelled_30", "spelled_31"), RESPELLINGS)
@pytest.mark.parametrize("build", [returning, accepting])
def test_respellings_are_not_changes(build: Any, spelled_30: Spec, spelled_31: Spec) -> None:
    old = build(obj("x", x=spelled_30), version="3.0.3", schemas=SCHEMAS)
    new = build(obj("x", x=spelled_31), version="3.1.0", schemas=SCHEMAS)
    assert diff_specs(old, new).changes == []
    assert diff_specs(new, old).changes == []


def test_identical_documents_have_no_changes() -> None:
    spec = load_spec(V1)
    assert diff_specs(spec, spec).changes == []
    assert diff_specs(large_spec(), large_spec()).changes == []


def reordered(value: Any) -> Any:
    """``value`` with every mapping's keys, and every list whose order means nothing, reversed."""
    if isinstance(value, dict):
        unordered = {
            "required",
            "enum",
            "parameters",
            "type",
            "anyOf",
            "oneOf",
            "allOf",
            "security",
        }
        return {
            key: reordered(item[::-1] if key in unordered and isinstance(item, list) else item)
            for key, item in reversed(value.items())
        }
    if isinstance(value, list):
        return [reordered(item) for item in value]
    return value


@pytest.mark.parametrize("spec", [pytest.param(V1, id="jobs"), pytest.param(None, id="large")])
def test_reordering_keys_is_not_a_change(spec: Path | None) -> None:
    original = load_spec(spec) if spec else large_spec()
    shuffled = reordered(original)
    assert list(shuffled) == list(reversed(original))
    assert diff_specs(original, shuffled).changes == []


def test_the_same_api_in_30_and_31_spelling_has_no_changes() -> None:
    assert diff_specs(load_spec(V1), load_spec(V1_AS_31)).changes == []


def test_header_names_are_case_insensitive() -> None:
    header = {"in": "header", "name": "X-Request-Id", "schema": STR}
    old = with_params(header)
    new = with_params({**header, "name": "x-request-id"})
    assert diff_specs(old, new).changes == []
    old_schemes = with_security(schemes={"ApiKey": API_KEY})
    new_schemes = with_security(schemes={"ApiKey": {**API_KEY, "name": "x-api-key"}})
    assert diff_specs(old_schemes, new_schemes).changes == []


def test_parameter_identity_includes_its_location() -> None:
    old = with_params(query("page"))
    new = with_params({"in": "header", "name": "page", "schema": INT})
    assert found(old, new) == {
        ("request-parameter-removed", "$.parameters.query.page"),
        ("request-parameter-added", "$.parameters.header.page"),
    }


# --- renames -------------------------------------------------------------------------------------


def test_a_rename_is_a_removal_and_an_addition_flagged_as_probable_rename() -> None:
    old = returning(obj(status=STR, pages=INT))
    new = returning(obj(state=STR, pages=INT))
    changes = {change.code: change for change in diff_specs(old, new).changes}
    assert set(changes) == {"response-field-removed", "response-field-added"}
    assert changes["response-field-removed"].kind == "breaking"
    assert changes["response-field-removed"].path == f"{RES}.status"
    assert "probably renamed to 'state'" in changes["response-field-removed"].message
    assert "probably renamed from 'status'" in changes["response-field-added"].message


def test_a_renamed_request_field_that_is_required_breaks() -> None:
    old = accepting(obj("file_id", file_id=STR))
    new = accepting(obj("document_id", document_id=STR))
    changes = {change.code: change for change in diff_specs(old, new).changes}
    assert set(changes) == {"request-field-removed", "request-field-added-required"}
    assert "probably renamed from 'file_id'" in changes["request-field-added-required"].message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(obj(a=STR), obj(b=INT), id="different-types"),
        pytest.param(obj(a=STR, b=STR), obj(c=STR), id="ambiguous"),
    ],
)
def test_no_rename_is_guessed_without_a_unique_match(old: Spec, new: Spec) -> None:
    changes = diff_specs(returning(old), returning(new)).changes
    assert changes
    assert not any("renamed" in change.message for change in changes)


# --- references, recursion, nested locations -----------------------------------------------------


def test_changes_are_found_through_ref_chains_and_reported_where_they_are_used() -> None:
    def spec(status: Spec) -> Spec:
        schemas = {
            "JobAlias": {"$ref": "#/components/schemas/Job"},
            "Job": {"allOf": [{"$ref": "#/components/schemas/Base"}, obj(id=STR)]},
            "Base": obj(status={"$ref": "#/components/schemas/Status"}),
            "Status": status,
        }
        return returning({"$ref": "#/components/schemas/JobAlias"}, schemas=schemas)

    old, new = spec({**STR, "enum": ["done"]}), spec({**STR, "enum": ["done", "failed"]})
    assert found(old, new) == {("response-enum-value-added", f"{RES}.status")}


def test_parameters_request_bodies_and_responses_by_ref() -> None:
    def spec(page_required: bool, name: Spec, count: Spec) -> Spec:
        components = {
            "parameters": {
                "Page": {"$ref": "#/components/parameters/PageImpl"},
                "PageImpl": query(required=page_required),
            },
            "requestBodies": {"Job": {"content": {"application/json": {"schema": obj(name=name)}}}},
            "responses": {
                "Jobs": {
                    "description": "ok",
                    "content": {"application/json": {"schema": obj(count=count)}},
                }
            },
        }
        operation = {
            "parameters": [{"$ref": "#/components/parameters/Page"}],
            "requestBody": {"$ref": "#/components/requestBodies/Job"},
            "responses": {"200": {"$ref": "#/components/responses/Jobs"}},
        }
        return document({"/jobs": {"post": operation}}, components=components)

    assert found(spec(False, STR, INT), spec(True, INT, STR)) == {
        ("request-parameter-became-required", "$.parameters.query.page"),
        ("type-changed", f"{REQ}.name"),
        ("type-changed", f"{RES}.count"),
    }


def test_path_item_by_ref() -> None:
    def spec(status: str) -> Spec:
        item = {"get": {"responses": {status: {"description": "ok"}}}}
        return document(
            {"/jobs": {"$ref": "#/components/pathItems/Jobs"}},
            components={"pathItems": {"Jobs": item}},
        )

    assert found(spec("200"), spec("201")) == {
        ("success-response-removed", "$.responses.200"),
        ("response-status-added", "$.responses.201"),
    }


def tree(name: Spec) -> Spec:
    """A recursive schema: a Node has child Nodes; so does every Node below it."""
    node = obj(
        name=name, children={"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
    )
    return returning({"$ref": "#/components/schemas/Node"}, schemas={"Node": node})


def test_a_change_in_a_recursive_schema_is_reported_once() -> None:
    changes = diff_specs(tree(STR), tree(INT)).changes
    assert [(change.code, change.path) for change in changes] == [("type-changed", f"{RES}.name")]


def test_mutually_recursive_schemas() -> None:
    def spec(x: Spec) -> Spec:
        schemas = {
            "A": obj(b={"$ref": "#/components/schemas/B"}, label=STR),
            "B": obj(a={"$ref": "#/components/schemas/A"}, x=x),
        }
        return returning({"$ref": "#/components/schemas/A"}, schemas=schemas)

    assert found(spec(INT), spec(STR)) == {("type-changed", f"{RES}.b.x")}


def test_recursion_that_only_one_side_spells_with_refs_at_the_same_depth_ends() -> None:
    # old: a reference at every even depth; new: at every odd depth. Both say "c inside c inside c".
    old_a = obj(c=obj(c={"$ref": "#/components/schemas/A"}))
    old = returning({"$ref": "#/components/schemas/A"}, schemas={"A": old_a})
    new_b = obj(c=obj(c={"$ref": "#/components/schemas/B"}))
    new = returning(obj(c={"$ref": "#/components/schemas/B"}), schemas={"B": new_b})
    # A and B have one content under two names: the same on the wire, a renamed class
    assert [(c.code, c.old, c.new) for c in diff_specs(old, new).changes] == [
        ("schema-renamed", "A", "B")
    ]


def test_reference_cycles_without_content_end() -> None:
    schemas = {
        "A": {"$ref": "#/components/schemas/B"},
        "B": {"$ref": "#/components/schemas/A"},
        "C": {"allOf": [{"$ref": "#/components/schemas/C"}, obj(n=INT)]},
    }
    old = returning(
        obj(a={"$ref": "#/components/schemas/A"}, c={"$ref": "#/components/schemas/C"}),
        schemas=schemas,
    )
    new_schemas = {**schemas, "C": {"allOf": [{"$ref": "#/components/schemas/C"}, obj(n=STR)]}}
    new = returning(
        obj(a={"$ref": "#/components/schemas/A"}, c={"$ref": "#/components/schemas/C"}),
        schemas=new_schemas,
    )
    assert found(old, new) == {("type-changed", f"{RES}.c.n")}


def test_a_schema_used_twice_in_one_body_is_reported_where_first_met() -> None:
    def spec(zip_code: Spec) -> Spec:
        address = {"$ref": "#/components/schemas/Address"}
        schemas = {"Address": obj(zip=zip_code)}
        return returning(obj(shipping=address, billing=address), schemas=schemas)

    assert found(spec(STR), spec(INT)) == {("type-changed", f"{RES}.billing.zip")}


def test_schemas_that_nest_references_exponentially_are_compared_once_each() -> None:
    # Level i refers to level i + 1 twice and back to level 0: 2**40 paths to the last level.
    def spec(last: Spec) -> Spec:
        def ref(i: int) -> Spec:
            return {"$ref": f"#/components/schemas/L{i}"}

        schemas = {f"L{i}": obj(a=ref(i + 1), b=ref(i + 1), back=ref(0)) for i in range(40)}
        schemas["L40"] = obj(value=last)
        return returning(ref(0), schemas=schemas)

    changes = diff_specs(spec(STR), spec(INT)).changes
    assert [(c.code, c.path) for c in changes] == [("type-changed", f"{RES}{'.a' * 40}.value")]


def test_array_items_and_map_values_have_their_own_path_segments() -> None:
    def spec(id_schema: Spec) -> Spec:
        return returning(
            obj(
                items={"type": "array", "items": obj(id=id_schema)},
                fields={"type": "object", "additionalProperties": obj(id=id_schema)},
            )
        )

    assert found(spec(STR), spec(INT)) == {
        ("type-changed", f"{RES}.items[].id"),
        ("type-changed", f"{RES}.fields{{}}.id"),
    }


def test_union_members_are_matched_by_name() -> None:
    def spec(cat: Spec) -> Spec:
        union = {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]
        }
        return returning(obj(pet=union), schemas={"Cat": cat, "Dog": obj(bark=STR)})

    assert found(spec(obj(meow=STR, lives=INT)), spec(obj(lives=INT))) == {
        ("response-field-removed", f"{RES}.pet<Cat>.meow")
    }


def test_a_union_turning_into_one_type_is_a_type_change() -> None:
    change = only_change(returning(obj(v=UNION2)), returning(obj(v=STR)))
    assert (change.code, change.old, change.new) == ("type-changed", "integer | string", "string")


def test_read_only_fields_are_not_request_fields_and_write_only_not_response_fields() -> None:
    old_request = accepting(obj(name=STR))
    new_request = accepting(obj("id", name=STR, id={**STR, "readOnly": True}))
    assert diff_specs(old_request, new_request).changes == []
    old_response = returning(obj(name=STR, secret={**STR, "writeOnly": True}))
    new_response = returning(obj(name=STR))
    assert diff_specs(old_response, new_response).changes == []


# --- parameters: path level and operation level --------------------------------------------------


def test_operation_level_parameters_override_path_level_ones() -> None:
    old = with_params(path_level=(query(),))
    new = with_params(query(required=True), path_level=(query(),))
    assert found(old, new) == {("request-parameter-became-required", "$.parameters.query.page")}


def test_path_level_parameters_apply_to_every_operation() -> None:
    def spec(page: Spec) -> Spec:
        item = {
            "parameters": [page],
            "get": {"responses": {"200": {"description": "ok"}}},
            "delete": {"responses": {"204": {"description": "ok"}}},
        }
        return document({"/jobs": item})

    changes = diff_specs(spec(query()), spec(query(schema=STR))).changes
    assert [(change.operation, change.code) for change in changes] == [
        ("DELETE /jobs", "type-changed"),
        ("GET /jobs", "type-changed"),
    ]


def test_moving_a_parameter_between_levels_is_not_a_change() -> None:
    old = with_params(path_level=(query(),))
    new = with_params(query())
    assert diff_specs(old, new).changes == []


def test_path_parameters_are_always_required() -> None:
    def spec(parameters: list[Spec]) -> Spec:
        operation = {"parameters": parameters, "responses": {"200": {"description": "ok"}}}
        return document({"/jobs/{jobId}": {"get": operation}})

    job_id = {"in": "path", "name": "jobId", "schema": STR}
    assert diff_specs(spec([job_id]), spec([{**job_id, "required": True}])).changes == []
    assert found(spec([]), spec([job_id])) == {
        ("request-parameter-added-required", "$.parameters.path.jobId")
    }


# --- security requirements -----------------------------------------------------------------------


def test_an_operation_that_stops_requiring_its_auth() -> None:
    old = secured(None, document_security=[{"ApiKey": []}])
    new = secured([], document_security=[{"ApiKey": []}])
    changes = diff_specs(old, new).changes
    assert [(c.operation, c.code, c.path, c.old, c.new) for c in changes] == [
        ("GET /jobs", "security-requirement-removed", "$.security", "ApiKey", None),
        ("GET /jobs", "security-requirement-added", "$.security", None, "none"),
    ]


def test_requiring_auth_where_there_was_none_breaks() -> None:
    old = secured(None, document_security=[])
    new = secured(None, document_security=[{"OAuth": ["read"]}])
    changes = diff_specs(old, new).changes
    assert [(c.operation, c.code, c.old, c.new) for c in changes] == [
        (None, "security-requirement-removed", "none", None),
        (None, "security-requirement-added", None, "OAuth[read]"),
    ]


def test_a_new_scope_is_a_different_requirement() -> None:
    old = secured([{"OAuth": ["read"]}], document_security=[])
    new = secured([{"OAuth": ["write", "read"]}], document_security=[])
    assert [(c.code, c.old, c.new) for c in diff_specs(old, new).changes] == [
        ("security-requirement-removed", "OAuth[read]", None),
        ("security-requirement-added", None, "OAuth[read,write]"),
    ]


def test_document_security_changes_are_reported_once_not_per_operation() -> None:
    old = secured(None, document_security=[{"ApiKey": []}])
    new = secured(None, document_security=[{"Bearer": []}])
    changes = diff_specs(old, new).changes
    assert {change.operation for change in changes} == {None}
    assert len(changes) == 2


def test_document_security_that_every_operation_overrides_only_moved() -> None:
    old = secured([{"Bearer": []}], document_security=[{"ApiKey": []}])
    new = secured([{"Bearer": []}], document_security=[{"Bearer": []}])
    assert [(c.kind, c.code) for c in diff_specs(old, new).changes] == [
        ("non-breaking", "security-moved")
    ]


# --- content types -------------------------------------------------------------------------------


def test_multipart_fields_are_request_fields() -> None:
    binary = {"type": "string", "format": "binary"}
    media = ("multipart/form-data",)
    old = accepting(obj("file", file=binary), media=media)
    new = accepting(obj("file", "purpose", file=binary, purpose=STR), media=media)
    assert found(old, new) == {
        ("request-field-added-required", "$.requestBody.multipart/form-data.body.purpose")
    }


def test_octet_stream_and_text_bodies() -> None:
    octet = ("application/octet-stream",)
    old = accepting({"type": "string", "format": "binary"}, media=octet)
    new = accepting(STR, media=octet)
    # the format dropped: any bytes are still accepted (the Python API report has the type)
    assert found(old, new) == {
        ("request-constraint-widened", "$.requestBody.application/octet-stream.body")
    }
    text = ("text/plain",)
    assert found(returning(STR, media=text), returning(INT, media=text)) == {
        ("type-changed", "$.responses.200.text/plain.body")
    }


def test_default_responses_are_compared_and_not_success() -> None:
    old = returning(obj(code=INT, detail=STR), status="default")
    new = returning(obj(code=INT), status="default")
    assert found(old, new) == {
        ("response-field-removed", "$.responses.default.application/json.body.detail")
    }
    assert found(answering("200", "default"), answering("200")) == {
        ("response-status-removed", "$.responses.default")
    }


# --- a large document ----------------------------------------------------------------------------

PATHS = 300


def large_spec(*, changed: int | None = None, shared_tag: Spec = STR) -> Spec:
    """PATHS operations, each answering an Item whose detail chain ends in a recursive Level; all
    Items share Base -> Meta -> Tag (recursive). ``changed``: that Level's value is an integer."""
    schemas: Spec = {
        "Base": obj(meta={"$ref": "#/components/schemas/Meta"}),
        "Meta": obj(tags={"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}),
        "Tag": obj(name=shared_tag, parent={"$ref": "#/components/schemas/Tag"}),
    }
    paths: Spec = {}
    for i in range(PATHS):
        level = {"$ref": f"#/components/schemas/Level{i}"}
        value = {"type": ["integer" if i == changed else "string", "null"]}
        schemas[f"Level{i}"] = obj(value=value, child=level)
        schemas[f"Detail{i}"] = obj(level=level)
        schemas[f"Item{i}"] = {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                obj("id", id=STR, detail={"$ref": f"#/components/schemas/Detail{i}"}),
            ]
        }
        response = {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Item{i}"}}},
        }
        paths[f"/items{i}/{{itemId}}"] = {
            "parameters": [{"$ref": "#/components/parameters/ItemId"}],
            "get": {"parameters": [query()], "responses": {"200": response}},
        }
    components = {
        "schemas": schemas,
        "parameters": {"ItemId": {"in": "path", "name": "itemId", "required": True, "schema": STR}},
    }
    return document(paths, components=components)


def test_one_deep_change_in_a_large_document_is_found_exactly_once() -> None:
    changes = diff_specs(large_spec(), large_spec(changed=137)).changes
    assert [(c.operation, c.code, c.path, c.old, c.new) for c in changes] == [
        ("GET /items137/{itemId}", "type-changed", f"{RES}.detail.level.value", "string", "integer")
    ]


def test_a_change_in_a_schema_every_operation_uses_is_reported_per_operation() -> None:
    changes = diff_specs(large_spec(), large_spec(shared_tag=INT)).changes
    assert len(changes) == PATHS
    assert {(c.code, c.path) for c in changes} == {("type-changed", f"{RES}.meta.tags[].name")}
    assert len({c.operation for c in changes}) == PATHS


# --- the report ----------------------------------------------------------------------------------


def mixed_report_specs() -> tuple[Spec, Spec]:
    old = returning(obj(a=STR, b=INT, mode=ENUM1), servers=[{"url": "https://a.example"}])
    new = returning(obj(a=STR, c=INT, mode=ENUM2), servers=[{"url": "https://b.example"}])
    old["paths"]["/files"] = {"post": {"responses": {}}}
    return old, new


def test_report_order_is_global_then_by_operation_with_breaking_first() -> None:
    report = diff_specs(*mixed_report_specs())
    assert [(c.operation, c.code) for c in report.changes] == [
        (None, "server-changed"),
        ("POST /files", "operation-removed"),
        ("GET /jobs", "response-field-removed"),
        ("GET /jobs", "response-field-added"),
        ("GET /jobs", "response-enum-value-added"),
    ]
    assert [c.code for c in report.breaking] == ["operation-removed", "response-field-removed"]
    assert len(report.non_breaking) == 3


def test_format_text() -> None:
    text = diff_specs(*mixed_report_specs()).format_text()
    servers = 'servers changed from ["https://a.example"] to ["https://b.example"]'
    enum = (
        'response enum now includes ["accurate"]; clients that treat this enum as closed will break'
    )
    assert text.splitlines() == [
        "(global)",
        f"  non-breaking  $.servers: {servers} [server-changed]",
        "",
        "POST /files",
        "  BREAKING      $: operation POST /files was removed [operation-removed]",
        "",
        "GET /jobs",
        f"  BREAKING      {RES}.b: response field 'b' was removed (probably renamed to 'c')"
        " [response-field-removed]",
        f"  non-breaking  {RES}.c: response field 'c' was added (probably renamed from 'b')"
        " [response-field-added]",
        f"  non-breaking  {RES}.mode: {enum} [response-enum-value-added]",
        "",
        "2 breaking, 3 non-breaking changes",
    ]


def test_to_json() -> None:
    report = diff_specs(*mixed_report_specs())
    data = report.to_json()
    assert (data["breaking"], data["non_breaking"]) == (2, 3)
    assert data["changes"] == [change.to_json() for change in report.changes]
    assert data["changes"][1] == {
        "kind": "breaking",
        "code": "operation-removed",
        "operation": "POST /files",
        "path": "$",
        "message": "operation POST /files was removed",
        "old": None,
        "new": None,
    }
    assert json.loads(json.dumps(data)) == data


def test_reports_are_deterministic() -> None:
    old, new = load_spec(V1), load_spec(V2)
    first = diff_specs(old, new).to_json()
    assert diff_specs(reordered(old), reordered(new)).to_json() == first


def test_an_empty_report() -> None:
    report = diff_specs(answering("200"), answering("200"))
    assert report.format_text() == "0 breaking, 0 non-breaking changes"
    assert report.to_json() == {"breaking": 0, "non_breaking": 0, "changes": []}


# --- loading -------------------------------------------------------------------------------------


def test_load_spec_reads_yaml_json_files_and_text(tmp_path: Path) -> None:
    yaml_text = "openapi: 3.0.3\npaths:\n  /a: {get: {responses: {200: {description: ok}}}}\n"
    loaded = load_spec(yaml_text)
    assert list(loaded["paths"]["/a"]["get"]["responses"]) == ["200"]  # YAML read 200 as an int
    assert load_spec(json.dumps(loaded)) == loaded
    path = tmp_path / "spec.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    assert load_spec(path) == load_spec(str(path)) == loaded


def test_load_spec_turns_yaml_dates_into_strings() -> None:
    loaded = load_spec("openapi: 3.1.0\ninfo: {version: 2024-05-01}\npaths: {}\n")
    assert loaded["info"] == {"version": "2024-05-01"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("openapi: [3.1\npaths: {\n", "neither JSON nor YAML"),
        ("- just\n- a list\n", "not an OpenAPI 3.x document"),
        ('{"swagger": "2.0", "paths": {}}', "not an OpenAPI 3.x document"),
        ("openapi: 3.1.0\nx: &loop [*loop]\n", "the document contains itself"),
    ],
)
def test_load_spec_rejects_what_is_not_openapi_3(text: str, reason: str) -> None:
    with pytest.raises(SpecLoadError, match=reason):
        load_spec(text)


def test_load_spec_names_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(SpecLoadError, match=r"nope\.yaml: cannot read file"):
        load_spec(missing)


# --- the command line ----------------------------------------------------------------------------


def test_main_without_changes_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(V1), str(V1_AS_31)]) == 0
    assert capsys.readouterr().out == "0 breaking, 0 non-breaking changes\n"


def test_main_with_only_non_breaking_changes_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(V1), str(V1_ADDITIVE)]) == 0
    out = capsys.readouterr().out
    assert "operation GET /jobs was added [operation-added]" in out
    assert "response 404 was added [response-status-added]" in out
    assert out.endswith("0 breaking, 2 non-breaking changes\n")


def test_main_with_breaking_changes_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(V1), str(V2)]) == 1
    out = capsys.readouterr().out
    assert "  BREAKING      $.requestBody.multipart/form-data.body.language:" in out
    assert out.endswith("3 breaking, 6 non-breaking changes\n")


def test_main_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(V1), str(V2), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["breaking"], data["non_breaking"]) == (3, 6)
    assert [(c["kind"], c["operation"], c["code"], c["path"]) for c in data["changes"]] == [
        ("non-breaking", None, "server-changed", "$.servers"),
        (
            "breaking",
            "POST /jobs",
            "request-constraint-narrowed",
            "$.requestBody.multipart/form-data.body.language",
        ),
        (
            "breaking",
            "POST /jobs",
            "response-field-removed",
            "$.responses.201.application/json.body.error",
        ),
        (
            "non-breaking",
            "POST /jobs",
            "response-field-added",
            "$.responses.201.application/json.body.error_message",
        ),
        (
            "non-breaking",
            "POST /jobs",
            "response-enum-value-added",
            "$.responses.201.application/json.body.status",
        ),
        ("breaking", "GET /jobs/{jobId}", "response-field-removed", f"{RES}.error"),
        (
            "non-breaking",
            "GET /jobs/{jobId}",
            "request-parameter-added",
            "$.parameters.query.include",
        ),
        ("non-breaking", "GET /jobs/{jobId}", "response-field-added", f"{RES}.error_message"),
        ("non-breaking", "GET /jobs/{jobId}", "response-enum-value-added", f"{RES}.status"),
    ]


def test_main_exits_2_naming_an_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.yaml"
    assert main([str(V1), str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"spec_diff: {missing}: cannot read file")


def test_main_exits_2_naming_an_invalid_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [3.1\n", encoding="utf-8")
    assert main([str(broken), str(V1)]) == 2
    assert capsys.readouterr().err.startswith(f"spec_diff: {broken}: neither JSON nor YAML")


def test_the_script_runs_from_a_checkout_without_installing() -> None:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(V1), str(V2), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["breaking"] == 3


# --- drills: real-shaped pairs from fragments of LlamaCloud's published spec ----------------------

DRILLS = DATA / "drills"
DRILL_EXPECTED: dict[str, Any] = json.loads((DRILLS / "expected.json").read_text())


def test_every_drill_pair_has_its_expected_report() -> None:
    pairs = {path.name.split(".")[0] for path in DRILLS.glob("*.old.json")}
    assert pairs == set(DRILL_EXPECTED)
    assert pairs >= {
        "open_enum_value_removed",
        "enum_opened",
        "union_refactored_through_ref",
        "union_member_renamed",
        "security_moved_to_operations",
        "document_input_value_to_file_input",
        "schema_renamed",
        "binary_to_content_media_type",
        "parameter_deprecated",
    }


@pytest.mark.parametrize("name", sorted(DRILL_EXPECTED))
def test_drill_report_and_exit_status(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = DRILLS / f"{name}.old.json", DRILLS / f"{name}.new.json"
    status = main([str(old), str(new), "--json"])
    report = json.loads(capsys.readouterr().out)
    expected = DRILL_EXPECTED[name]
    assert report["changes"] == expected["changes"]
    assert status == expected["exit"]


def test_the_drills_false_alarms_are_gone() -> None:
    """Of the drills, only the document_input_value -> file_input rename breaks a client on
    the wire; every other pair is a respelling (or a rename only Python code sees)."""
    breaking = {
        name
        for name, expected in DRILL_EXPECTED.items()
        if any(change["kind"] == "breaking" for change in expected["changes"])
    }
    assert breaking == {"document_input_value_to_file_input"}
