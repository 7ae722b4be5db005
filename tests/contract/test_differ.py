"""The JSON differ names differences by path and compares date-times by instant, nothing else."""

from __future__ import annotations

from docextract.contract.differ import diff, join


def test_equal_documents_have_no_difference() -> None:
    doc = {"a": [1, {"b": None}], "c": "x", "d": True}
    assert diff(doc, {"d": True, "c": "x", "a": [1.0, {"b": None}]}) == []


def test_paths_name_nested_differences() -> None:
    expected = {"choices": [{"message": {"parsed": {"total": 1}}}]}
    actual = {"choices": [{"message": {"parsed": {"total": 2}}}]}
    assert diff(expected, actual) == ["$.choices[0].message.parsed.total: expected 1, got 2"]


def test_missing_and_extra_keys_and_items() -> None:
    assert diff({"a": 1, "b": [1, 2]}, {"b": [1], "c": 3}) == [
        "$.a: expected 1, got nothing",
        "$.b[1]: expected 2, got nothing",
        "$.c: expected nothing, got 3",
    ]


def test_keys_that_are_not_identifiers_are_quoted() -> None:
    assert join("$", "Idempotency-Key") == "$['Idempotency-Key']"
    assert join("$.a", 3) == "$.a[3]"


def test_booleans_are_not_numbers() -> None:
    assert diff({"a": 1}, {"a": True}) == ["$.a: expected 1, got True"]
    assert diff([False], [0]) == ["$[0]: expected False, got 0"]


def test_date_times_compare_by_instant() -> None:
    assert diff("2019-12-27T18:11:19.117Z", "2019-12-27T18:11:19.117000+00:00") == []
    assert diff("2026-11-23T10:15:01Z", "2026-11-23T11:15:01+01:00") == []
    assert diff("2026-11-23T10:15:01Z", "2026-11-23T10:15:02+00:00") != []


def test_only_date_times_get_that_allowance() -> None:
    assert diff("2026-11-23", "2026-11-23T00:00:00Z") != []
    assert diff("10s", "10.0s") != []
    assert diff("1e3", "1000") != []
