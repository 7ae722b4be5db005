"""docextract.validation: the checks themselves (no network), a property test of the numeric
rule against an independent oracle, and the facts they apply checked against the specs."""

import math
import re
from collections.abc import Mapping
from enum import Enum
from typing import Any

import pytest
from _loopback import PROVIDERS, spec
from hypothesis import example, given
from hypothesis import strategies as st

from docextract.errors import InvalidParameter
from docextract.providers import get_provider
from docextract.validation import check_parameters, check_value

NUMIND = get_provider("numind")
MARKDOWN = NUMIND.operation_facts("post_api_markdown_infer_async")
DPI = MARKDOWN["parameters"]["rasterization_dpi"]
TEMPERATURE = MARKDOWN["parameters"]["temperature"]
TIMEOUT = MARKDOWN["parameters"]["timeout"]


class Unset:
    """Stands for a generated package's UNSET (recognised by its class name)."""


def reject(name: str, value: object, facts: Mapping[str, Any]) -> InvalidParameter:
    with pytest.raises(InvalidParameter) as raised:
        check_value(name, value, facts)
    assert raised.value.parameter == name
    return raised.value


# --- single values ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 2, 170, 299, 300, 1.0, 300.0])
def test_integer_in_range(value: float) -> None:
    check_value("rasterizationDPI", value, DPI)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "an integer >= 1 and <= 300"),
        (301, "an integer >= 1 and <= 300"),
        (-(10**30), "an integer"),
        (10**400, "an integer"),  # larger than any float
        (1.5, "an integer"),
        (True, "an integer"),
        (False, "an integer"),
        ("170", "an integer"),
        (None, "null is not allowed"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        (b"170", "an integer"),
        ([170], "an integer"),
    ],
)
def test_integer_rejected(value: object, words: str) -> None:
    error = reject("rasterizationDPI", value, DPI)
    assert words in str(error)
    assert str(error).startswith("rasterizationDPI=")


@pytest.mark.parametrize("value", [0, 0.0, 0.5, 1, 1.0, 5e-324])
def test_number_in_range(value: float) -> None:
    check_value("temperature", value, TEMPERATURE)


@pytest.mark.parametrize("value", [-0.0001, 1.0000001, -math.inf, math.inf, math.nan, True, "0.1"])
def test_number_rejected(value: object) -> None:
    error = reject("temperature", value, TEMPERATURE)
    assert ">= 0 and <= 1" in error.allowed


def test_null_rejected_unless_nullable() -> None:
    assert "null is not allowed" in reject("temperature", None, TEMPERATURE).allowed


def test_exclusive_bounds() -> None:
    facts = {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}
    check_value("x", 0.5, facts)
    for value in (0, 1, -1, 2):
        assert reject("x", value, facts).allowed == "a number > 0 and < 1"


@pytest.mark.parametrize("value", ["5s", "1m30s", "1.5h", "250ms", "10µs", "3ns"])
def test_pattern_accepted(value: str) -> None:
    check_value("timeout", value, TIMEOUT)


@pytest.mark.parametrize("value", ["", "5", "5 s", "-5s", "five seconds", "5sec", "1d"])
def test_pattern_rejected(value: str) -> None:
    assert "matching" in reject("timeout", value, TIMEOUT).allowed


def test_string_lengths() -> None:
    facts = {"type": "string", "minLength": 2, "maxLength": 3}
    check_value("s", "ab", facts)
    check_value("s", "abc", facts)
    assert reject("s", "a", facts).allowed == "at least 2 characters"
    assert reject("s", "abcd", facts).allowed == "at most 3 characters"


class Colour(Enum):
    RED = "red"
    TEAL = "teal"


def test_enum_values() -> None:
    facts = {"type": "string", "enum": ["red", "green"]}
    check_value("colour", "red", facts)
    check_value("colour", Colour.RED, facts)  # an Enum member counts by its value
    assert reject("colour", "blue", facts).allowed == "one of 'red', 'green'"
    assert reject("colour", Colour.TEAL, facts).value == "teal"
    assert reject("colour", 1, facts).parameter == "colour"


def test_booleans() -> None:
    facts = {"type": "boolean"}
    check_value("flag", True, facts)
    check_value("flag", False, facts)
    for value in (1, 0, "true", None):
        reject("flag", value, facts)


def test_nullable() -> None:
    check_value("n", None, {"type": "integer", "nullable": True})
    reject("n", None, {"type": "integer", "nullable": False})


# --- whole calls -------------------------------------------------------------------------------


def test_unset_and_absent_parameters_are_skipped() -> None:
    check_parameters(MARKDOWN, {"body": object(), "temperature": Unset(), "timeout": Unset()})
    check_parameters(MARKDOWN, {"body": object()})


def test_required_parameter_and_body() -> None:
    job = NUMIND.operation_facts("get_api_jobs_jobid")
    with pytest.raises(InvalidParameter) as raised:
        check_parameters(job, {})
    assert raised.value.parameter == "jobId"
    check_parameters(job, {"job_id": "j"})

    with pytest.raises(InvalidParameter) as raised:
        check_parameters(MARKDOWN, {})
    assert raised.value.parameter == "body"


def test_first_bad_parameter_is_reported_by_its_wire_name() -> None:
    structured = NUMIND.operation_facts(
        "post_api_structured_extraction_structuredextractionprojectid_jobs"
    )
    params = {
        "structured_extraction_project_id": "p",
        "body": object(),
        "min_example_similarity": 3,
    }
    with pytest.raises(InvalidParameter) as raised:
        check_parameters(structured, params)
    assert raised.value.parameter == "minExampleSimilarity"


class Model:
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> dict[str, Any]:
        return self._data


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        (
            {"document_id": "d", "schema_id": "s", "config": {"temperature": 3}},
            "config.temperature",
        ),
        (
            {"document_id": "d", "schema_id": "s", "config": {"max_num_concurrent_requests": 0}},
            "config.max_num_concurrent_requests",
        ),
        ({"document_id": "d", "schema_id": "s", "stream": "yes"}, "stream"),
        ({"document_id": None, "schema_id": "s"}, "document_id"),
    ],
)
def test_nested_body_fields(body: dict[str, Any], parameter: str) -> None:
    facts = get_provider("contextual").operation_facts("start_extraction_job_extract_jobs_post")
    for given_body in (body, Model(body)):
        with pytest.raises(InvalidParameter) as raised:
            check_parameters(facts, {"body": given_body})
        assert raised.value.parameter == parameter


def test_null_parent_object_skips_its_fields() -> None:
    facts = get_provider("contextual").operation_facts("start_extraction_job_extract_jobs_post")
    check_parameters(facts, {"body": {"document_id": "d", "schema_id": "s", "config": None}})
    check_parameters(facts, {"body": {"document_id": "d", "schema_id": "s", "config": {}}})


# --- the numeric rule, against an oracle --------------------------------------------------------


def _numeric_facts() -> list[tuple[str, Mapping[str, Any]]]:
    found = []
    for provider in PROVIDERS:
        for operation_id, operation in get_provider(provider).facts["operations"].items():
            fields = {f["name"]: f for f in operation["parameters"].values()}
            if operation["body"]:
                fields.update(operation["body"]["fields"])
            for name, facts in fields.items():
                if facts.get("type") in ("number", "integer"):
                    found.append((f"{provider}.{operation_id}.{name}", facts))
    return found


NUMERIC = _numeric_facts()


def oracle(value: object, facts: Mapping[str, Any]) -> bool:
    """Whether the spec accepts `value`: written apart from the implementation."""
    if value is None:
        return bool(facts.get("nullable"))
    if type(value) not in (int, float):
        return False
    if type(value) is float and (value != value or value in (math.inf, -math.inf)):
        return False
    if facts["type"] == "integer" and type(value) is float and value != int(value):
        return False
    return (
        ("minimum" not in facts or value >= facts["minimum"])
        and ("maximum" not in facts or value <= facts["maximum"])
        and ("exclusiveMinimum" not in facts or value > facts["exclusiveMinimum"])
        and ("exclusiveMaximum" not in facts or value < facts["exclusiveMaximum"])
    )


def test_there_are_numeric_constraints() -> None:
    names = {name.rsplit(".", 1)[-1] for name, _ in NUMERIC}
    assert {"rasterizationDPI", "temperature", "n_consensus", "page_size"} <= names
    assert "max_num_concurrent_requests" in {name.rsplit(".", 2)[-1] for name, _ in NUMERIC}


@given(
    target=st.sampled_from(NUMERIC),
    value=st.one_of(
        st.integers(),
        st.integers(min_value=-(10**400), max_value=10**400),
        st.floats(),
        st.floats(min_value=-3, max_value=400),
        st.booleans(),
        st.none(),
        st.text(max_size=3),
    ),
)
@example(target=NUMERIC[0], value=10**400)
def test_numeric_rule_matches_the_oracle(
    target: tuple[str, Mapping[str, Any]], value: object
) -> None:
    name, facts = target
    if oracle(value, facts):
        check_value(name, value, facts)
    else:
        with pytest.raises(InvalidParameter) as raised:
            check_value(name, value, facts)
        assert raised.value.parameter == name


# --- the facts agree with the specs ------------------------------------------------------------

CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "pattern", "enum")


def _resolve(document: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    for _ in range(20):  # bounded: $ref chains are short
        if "$ref" not in node:
            return node
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    raise AssertionError("$ref chain too long")


def _schema(document: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """The schema without its null alternative (`anyOf: [X, {type: null}]`)."""
    node = _resolve(document, node)
    for key in ("anyOf", "oneOf"):
        if key in node:
            others = [
                _resolve(document, n)
                for n in node[key]
                if _resolve(document, n).get("type") != "null"
            ]
            if len(others) == 1:
                return {**others[0], **{k: v for k, v in node.items() if k != key}}
    return node


def _spec_constraints(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {k: schema[k] for k in CONSTRAINTS if k in schema}


def _facts_constraints(facts: Mapping[str, Any]) -> dict[str, Any]:
    return {k: facts[k] for k in CONSTRAINTS if k in facts}


def _cases() -> list[tuple[str, str]]:
    return [
        (provider, operation_id)
        for provider in PROVIDERS
        for operation_id in get_provider(provider).facts["operations"]
    ]


@pytest.mark.parametrize(("provider", "operation_id"), _cases())
def test_facts_match_the_spec(provider: str, operation_id: str) -> None:
    document = spec(provider)
    facts = get_provider(provider).operation_facts(operation_id)
    operation = document["paths"][facts["path"]][facts["method"].lower()]
    assert operation["operationId"] == operation_id

    by_name = {}
    for node in operation.get("parameters", []):
        parameter = _resolve(document, node)
        by_name[parameter["name"]] = parameter
    assert {f["name"] for f in facts["parameters"].values()} == set(by_name)
    for fact in facts["parameters"].values():
        parameter = by_name[fact["name"]]
        assert fact["in"] == parameter["in"]
        assert fact["required"] == parameter.get("required", False), fact["name"]
        schema = _schema(document, parameter["schema"])
        assert _facts_constraints(fact) == _spec_constraints(schema), fact["name"]

    body = operation.get("requestBody")
    assert (facts["body"] is None) == (body is None)
    if body is None:
        return
    [(content_type, media)] = body["content"].items()
    assert facts["body"]["content_type"] == content_type
    root = _schema(document, media["schema"])
    for path, fact in facts["body"]["fields"].items():
        node: Mapping[str, Any] = root
        for part in path.split("."):
            node = _schema(document, node["properties"][part])
        assert _facts_constraints(fact) == _spec_constraints(node), path


def test_wire_name_differs_from_python_name_where_the_spec_says_so() -> None:
    names = {python: f["name"] for python, f in MARKDOWN["parameters"].items()}
    assert names["rasterization_dpi"] == "rasterizationDPI"
    assert names["max_output_tokens"] == "maxOutputTokens"
    assert re.fullmatch(TIMEOUT["pattern"], "1h2m3s")
