"""docextract.durations: Go duration strings, seconds and timedeltas into timedelta."""

import math
import pickle
import re
from datetime import timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docextract.durations import (
    DurationError,
    format_duration,
    parse_duration,
    to_seconds,
    to_timedelta,
)

US = timedelta(microseconds=1)
MS = timedelta(milliseconds=1)
S = timedelta(seconds=1)
M = timedelta(minutes=1)
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", timedelta(0)),
        ("+0", timedelta(0)),
        ("-0", timedelta(0)),  # Go reads it as zero; so do we
        ("-0s", timedelta(0)),
        ("-0.000h", timedelta(0)),
        ("0s", timedelta(0)),
        ("5s", 5 * S),
        ("+5s", 5 * S),
        ("1000ns", US),
        ("11us", 11 * US),
        ("12µs", 12 * US),  # U+00B5 MICRO SIGN
        ("12μs", 12 * US),  # U+03BC GREEK SMALL LETTER MU
        ("13ms", 13 * MS),
        ("15m", 15 * M),
        ("16h", 16 * H),
        ("1h30m", H + 30 * M),
        ("2h45m30.5s", 2 * H + 45 * M + 30 * S + 500 * MS),
        ("1h1h", 2 * H),
        ("30s1h", H + 30 * S),
        ("1.5s", 1500 * MS),
        (".5s", 500 * MS),
        ("5.s", 5 * S),
        ("007s", 7 * S),
        ("1.1s", timedelta(seconds=1, microseconds=100_000)),
        ("0.1s0.2s", 300 * MS),  # exact: no 0.30000000000000004
        ("0.1h", 6 * M),
        ("1.000001s", S + US),
        ("0.0000001s", timedelta(0)),  # 100 ns: rounds to 0 µs
        ("1ns", timedelta(0)),
        ("500ns", timedelta(0)),  # half to even
        ("501ns", US),
        ("1500ns", 2 * US),  # half to even
        ("2500ns", 2 * US),  # half to even
        ("1h1ns", H),
        ("499ns2ns", US),  # rounded once, on the exact sum (each part alone is 0)
        ("3000000h", 3_000_000 * H),  # beyond Go's int64 nanoseconds, within timedelta
        ("999999999h", 999_999_999 * H),
        ("23999999999h59m59.999999s", timedelta.max),
        ("86399999999999999999us", timedelta.max),
        pytest.param("0.1" + "0" * 5000 + "h", 6 * M, id="5000-digit fraction"),  # > int() limit
        pytest.param("0" * 5000 + "1s", S, id="5000 leading zeros"),
    ],
)
def test_parse_valid(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment", "position"),
    [
        ("", "empty string", 0),
        ("10", "missing unit after 10", 2),
        ("1h30", "missing unit after 30", 4),
        ("1d", "unknown unit 'd'", 1),
        ("1hm", "unknown unit 'hm'", 1),
        ("1e3s", "unknown unit 'e'", 1),
        ("1s_", "unknown unit 's_'", 1),
        ("5 s", "whitespace is not allowed", 1),
        (" 5s", "whitespace is not allowed", 0),
        ("5s\n", "whitespace is not allowed", 2),
        ("5\u00a0s", "whitespace is not allowed", 1),
        ("s", "expected a number, found 's'", 0),
        ("+", "expected a number, found the end", 1),
        ("-", "expected a number, found the end", 1),
        ("+-5s", "expected a number, found '-'", 1),
        ("٣s", "expected a number, found '٣'", 0),  # non-ASCII digits are not digits
        (".", "expected a digit before or after '.'", 0),
        (".s", "expected a digit before or after '.'", 0),
        ("1h.m", "expected a digit before or after '.'", 2),
        ("1..5s", "missing unit after 1.", 2),
        ("00", "missing unit after 00", 2),
        ("-5s", "negative durations are not allowed as timeouts", 0),
        ("-1ns", "negative durations are not allowed", 0),  # although it rounds to 0
        ("-1x", "unknown unit 'x'", 2),  # syntax errors come first
        ("1000000000d", "unknown unit 'd'", 10),
        ("24000000000h", "larger than the maximum duration", 0),
        ("1h23999999999h", "larger than the maximum duration", 2),
        ("23999999999h59m59.9999995s", "larger than the maximum duration", 15),  # rounds up
        pytest.param("9" * 5000 + "h", "larger than the maximum", 0, id="5000 nines"),
        pytest.param("9" * 5000 + "h1x", "unknown unit 'x'", 5002, id="5000 nines, bad unit"),
    ],
)
def test_parse_invalid(text: str, fragment: str, position: int) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    error = caught.value
    assert (error.text, error.position) == (text, position)
    assert fragment in error.reason
    message = str(error)
    assert fragment in message
    assert f"(at position {position})" in message
    assert 'use e.g. "10s", "1m30s", "500ms"' in message


def test_error_message_format_and_pickling() -> None:
    with pytest.raises(DurationError) as caught:
        to_timedelta("10", name="timeout")
    assert str(caught.value) == (
        'timeout: "10" is not a duration: missing unit after 10 (at position 2); '
        'use e.g. "10s", "1m30s", "500ms"'
    )
    assert caught.value.name == "timeout"
    assert isinstance(caught.value, ValueError)
    copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own object
    assert (str(copy), copy.position, copy.reason) == (
        str(caught.value),
        caught.value.position,
        caught.value.reason,
    )


def test_error_message_escapes_and_shortens_the_input() -> None:
    with pytest.raises(DurationError, match=r'^"1\\x00s" is not'):
        parse_duration("1\x00s")
    with pytest.raises(DurationError, match=r'^"\\"5s" is not'):
        parse_duration('"5s')
    long = "x" * 10_000
    with pytest.raises(DurationError) as caught:
        parse_duration(long)
    assert "(10000 characters)" in str(caught.value)
    assert len(str(caught.value)) < 300
    assert caught.value.text == long


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (timedelta(0), "0s"),
        (timedelta(seconds=90), "90s"),
        (timedelta(seconds=1.5), "1500ms"),
        (timedelta(hours=2), "2h"),
        (timedelta(minutes=3), "3m"),
        (timedelta(minutes=90), "90m"),
        (timedelta(days=1), "24h"),
        (US, "1us"),
        (timedelta(seconds=1, microseconds=1), "1000001us"),
        (timedelta.max, "86399999999999999999us"),
    ],
)
def test_format(value: timedelta, expected: str) -> None:
    assert format_duration(value) == expected
    assert parse_duration(expected) == value


def test_format_rejects_negative_and_non_timedelta() -> None:
    with pytest.raises(DurationError, match="negative"):
        format_duration(-US)
    with pytest.raises(TypeError):
        format_duration(90)  # type: ignore[arg-type]


@given(st.timedeltas(min_value=timedelta(0)))
def test_round_trip(value: timedelta) -> None:
    assert parse_duration(format_duration(value)) == value


# Go's own test table (src/time/time_test.go, parseDurationTests) for non-negative values, in
# nanoseconds; we round Go's value half-even to the microsecond, as timedelta does.
GO_TABLE = [
    ("0", 0),
    ("5s", 5 * 10**9),
    ("30s", 30 * 10**9),
    ("1478s", 1478 * 10**9),
    ("+5s", 5 * 10**9),
    ("-0", 0),
    ("+0", 0),
    ("5.0s", 5 * 10**9),
    ("5.6s", 5_600_000_000),
    ("5.s", 5 * 10**9),
    (".5s", 500_000_000),
    ("1.0s", 10**9),
    ("1.00s", 10**9),
    ("1.004s", 1_004_000_000),
    ("1.0040s", 1_004_000_000),
    ("100.00100s", 100_001_000_000),
    ("10ns", 10),
    ("11us", 11_000),
    ("12µs", 12_000),
    ("12μs", 12_000),
    ("13ms", 13_000_000),
    ("14s", 14 * 10**9),
    ("15m", 15 * 60 * 10**9),
    ("16h", 16 * 3600 * 10**9),
    ("3h30m", (3 * 3600 + 30 * 60) * 10**9),
    ("10.5s4m", 250_500_000_000),
    ("1h2m3s4ms5us6ns", 3_723_004_005_006),
    ("39h9m14.425s", 140_954_425_000_000),
    ("52763797000ns", 52_763_797_000),
    ("0.3333333333333333333h", 20 * 60 * 10**9),
    ("9007199254740993ns", 2**53 + 1),
    ("9223372036854775807ns", 2**63 - 1),
    ("9223372036854775.807us", 2**63 - 1),
    ("9223372036s854ms775us807ns", 2**63 - 1),
    ("0.100000000000000000000h", 6 * 60 * 10**9),
    ("0.830103483285477580700h", (49 * 60 + 48) * 10**9 + 372_539_827),
    ("1h15m30.918273645s", 4_530_918_273_645),  # time.ParseDuration's doc example
]


@pytest.mark.parametrize(("text", "go_ns"), GO_TABLE)
def test_matches_go(text: str, go_ns: int) -> None:
    assert parse_duration(text) == timedelta(microseconds=round(Fraction(go_ns, 1000)))


# Go rejects these (see parseDurationErrorTests); the overflow cases are accepted here (timedelta
# range), negative ones are rejected as negative.
@pytest.mark.parametrize(
    "text", ["", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "\x85\x85", "\xffff", "\ufffd"]
)
def test_go_rejects_and_so_do_we(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)


# An independent oracle: the grammar as a regular expression, the value through Fraction(str).
_ORACLE = re.compile(r"([+-]?)(0|(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+)")
_ORACLE_PART = re.compile(r"([0-9.]+)([^0-9.]+)")
_UNIT_NS = {"ns": 1, "us": 1000, "µs": 1000, "μs": 1000, "ms": 10**6, "s": 10**9, "m": 60 * 10**9}
_UNIT_NS["h"] = 3600 * 10**9
_MAX_NS = (timedelta.max // US) * 1000


def _oracle(text: str) -> timedelta | None:
    match = _ORACLE.fullmatch(text)
    if match is None:
        return None
    sign, body = match.groups()
    total = sum(
        (Fraction(number) * _UNIT_NS[unit] for number, unit in _ORACLE_PART.findall(body)),
        start=Fraction(0),
    )
    if (sign == "-" and total) or round(total / 1000) * 1000 > _MAX_NS:
        return None
    return timedelta(microseconds=round(total / 1000))


_TOKENS = ["0", "1", "7", "00", "12", ".", "ns", "us", "µs", "μs", "ms", "s", "m", "h", "+", "-"]
_TOKENS += [" ", "d", "x", "٣", "e", "_", "\u00a0", "99999999999"]
near_valid = st.lists(st.sampled_from(_TOKENS), max_size=12).map("".join)
_digits = st.text("0123456789", max_size=25)
_number = st.tuples(_digits, st.sampled_from(["", "."]), _digits).map("".join)
well_formed = st.tuples(
    st.sampled_from(["", "+", "-"]),
    st.lists(st.tuples(_number, st.sampled_from(list(_UNIT_NS))).map("".join), max_size=4),
).map(lambda parts: parts[0] + "".join(parts[1]))


@given(st.one_of(st.text(), near_valid, well_formed))
def test_only_duration_error_escapes_and_oracle_agrees(text: str) -> None:
    expected = _oracle(text)
    if expected is not None:
        assert parse_duration(text) == expected
        return
    with pytest.raises(DurationError) as caught:  # and nothing else
        parse_duration(text)
    assert caught.value.text == text
    assert caught.value.position is not None
    assert 0 <= caught.value.position <= len(text)


@pytest.mark.parametrize("value", [None, b"5s", 5j, [5], Fraction(1, 2)])
def test_non_str_raises_type_error(value: object) -> None:
    with pytest.raises(TypeError):
        parse_duration(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^poll_interval: expected a duration string"):
        to_timedelta(value, name="poll_interval")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1m30s", 90 * S),
        (90, 90 * S),
        (0, timedelta(0)),
        (1.5, 1500 * MS),
        (0.1, 100 * MS),
        (-0.0, timedelta(0)),
        (1e-7, timedelta(0)),
        (90 * S, 90 * S),
        (timedelta(0), timedelta(0)),
    ],
)
def test_to_timedelta_valid(value: str | float | timedelta, expected: timedelta) -> None:
    assert to_timedelta(value, name="timeout") == expected
    assert to_seconds(value, name="timeout") == expected.total_seconds()


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (True, "booleans are not accepted"),
        (False, "booleans are not accepted"),
        (math.nan, "not NaN"),
        (math.inf, "infinite"),
        (-math.inf, "negative"),
        (-1, "negative"),
        (-0.5, "negative"),
        (-S, "negative"),
        (10**20, "larger than the maximum"),
        pytest.param(10**5000, "larger than the maximum", id="10**5000"),
        pytest.param(-(10**5000), "negative", id="-10**5000"),
        (1e300, "larger than the maximum"),
        ("10", "missing unit"),
        ("-1m", "negative"),
    ],
)
def test_to_timedelta_invalid(value: str | float | timedelta, fragment: str) -> None:
    with pytest.raises(DurationError) as caught:
        to_timedelta(value, name="deadline")
    assert str(caught.value).startswith("deadline: ")
    assert fragment in str(caught.value)
    assert caught.value.name == "deadline"
    assert (caught.value.position is None) == (not isinstance(value, str))
    with pytest.raises(DurationError, match=r"^deadline: "):
        to_seconds(value, name="deadline")
