"""Durations: Go-style strings, seconds and timedeltas, all turned into ``datetime.timedelta``.

Every overlay API that takes a timeout, interval or deadline accepts a :data:`DurationLike` and
converts it with :func:`to_timedelta`, so ``"1m30s"``, ``90``, ``90.0`` and
``timedelta(seconds=90)`` mean the same everywhere, and every bad value fails the same way: with
a :class:`DurationError` that quotes the input and says what is wrong and where.

Hand-written (a small state machine): no library parses Go's duration grammar exactly, with exact
(non-float) arithmetic and positional error messages.

Grammar (that of Go's ``time.ParseDuration``)::

    duration = [ "+" | "-" ] ( "0" | { number unit }+ )
    number   = digits [ "." [ digits ] ] | "." digits        (ASCII digits only)
    unit     = "ns" | "us" | "µs" (U+00B5) | "μs" (U+03BC) | "ms" | "s" | "m" | "h"

As in Go, a unit is the whole run of characters up to the next digit or ``.``, so ``"1hm"`` is the
unknown unit ``'hm'``, and repeated units add up (``"1h1h"`` is two hours).

Decisions, and where this differs from Go:

* Exactness and resolution: each number is read exactly (as a fraction), the sum is rounded once,
  half to even, to the microsecond, as ``timedelta`` itself rounds: ``"1.1s"`` is exactly 1.1 s,
  ``"1ns"`` and ``"500ns"`` are 0, ``"1500ns"`` and ``"2500ns"`` are 2 µs, ``"1h1ns"`` is 1 h.
  ``parse_duration(format_duration(td)) == td`` holds for every ``td >= 0`` (a ``timedelta`` is a
  whole number of microseconds); a string survives ``format_duration(parse_duration(s))`` only in
  value, and only if that value is a whole number of microseconds.
* Sign: a leading ``+`` is accepted. A leading ``-`` is rejected (timeouts and intervals cannot be
  negative) unless the exact value is zero: ``"-0"``, ``"-0s"``, ``"-0.0h"`` are zero, as in Go;
  ``"-1ns"`` is rejected although it rounds to zero.
* Range: up to ``timedelta.max`` (about 2.7 million years), not Go's int64 nanoseconds (about
  292 years): ``"3000000h"`` is accepted here; anything larger is a :class:`DurationError`.
* Whitespace anywhere is rejected with its own message (Go reports an unknown unit or a bad number).
* Positions are indices into the Python ``str`` (code points), not UTF-8 byte offsets.
* Errors: for any ``str``, :func:`parse_duration` raises nothing but :class:`DurationError`; for a
  non-``str`` it raises ``TypeError``. :func:`to_timedelta` raises :class:`DurationError` for a bad
  value of an accepted type (``str``, ``int``, ``float``, ``timedelta``; ``bool`` is rejected) and
  ``TypeError`` for any other type.
"""

import math
from datetime import timedelta
from fractions import Fraction
from typing import NoReturn, TypeAlias

from docextract.errors import DurationError

__all__ = [
    "DurationError",
    "DurationLike",
    "format_duration",
    "parse_duration",
    "to_seconds",
    "to_timedelta",
]

DurationLike: TypeAlias = str | float | timedelta
"""A Go-style duration string, seconds (``int`` or ``float``), or a ``timedelta``."""

_UNIT_NS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,  # U+00B5 MICRO SIGN
    "μs": 1_000,  # U+03BC GREEK SMALL LETTER MU
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_UNIT_LIST = ", ".join(_UNIT_NS)
_FORMAT_UNITS_US = (("h", 3_600_000_000), ("m", 60_000_000), ("s", 1_000_000), ("ms", 1_000))
_MAX_US = (timedelta.max.days * 86_400 + timedelta.max.seconds) * 1_000_000 + 999_999
# An integer part with more significant digits than this is at least 10**23 ns: always too large.
_MAX_INT_DIGITS = len(str(_MAX_US * 1_000))
_DIGIT_CHUNK = 1_000  # int() refuses strings of more than 4300 digits; long fractions go in chunks
_QUOTE_LIMIT = 80  # where error messages cut a quoted input

_NEGATIVE = "negative durations are not allowed as timeouts or intervals"
_TOO_LARGE = "larger than the maximum duration (datetime.timedelta.max, about 2.7 million years)"


def parse_duration(text: str) -> timedelta:
    """Parse a Go-style duration (``"1h30m"``, ``"1.5s"``, ``"500ms"``, ``"0"``) into a timedelta.

    Raises :class:`DurationError` for any invalid string, ``TypeError`` for a non-string.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_duration() expects a str, not {type(text).__name__}")
    return _parse(text, None)


def format_duration(value: timedelta) -> str:
    """One integer and the largest unit that expresses ``value`` exactly: ``"90s"``, ``"1500ms"``.

    ``parse_duration(format_duration(td)) == td`` for every ``td >= 0``. Negative values raise
    :class:`DurationError`, non-timedeltas ``TypeError``.
    """
    if not isinstance(value, timedelta):
        raise TypeError(f"format_duration() expects a timedelta, not {type(value).__name__}")
    if value < timedelta(0):
        raise DurationError(repr(value), "negative durations cannot be formatted")
    us = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    if us == 0:
        return "0s"
    for unit, size in _FORMAT_UNITS_US:
        if us % size == 0:
            return f"{us // size}{unit}"
    return f"{us}us"


def to_timedelta(value: DurationLike, *, name: str) -> timedelta:
    """Convert a duration parameter named ``name`` to a non-negative timedelta.

    A ``str`` is parsed by :func:`parse_duration`; an ``int`` or ``float`` is seconds (finite,
    ``>= 0``, rounded half-even to the microsecond); a ``timedelta`` must be ``>= 0``. ``bool`` is
    rejected. Bad values raise :class:`DurationError` naming ``name``; other types ``TypeError``.
    """
    if isinstance(value, str):
        return _parse(value, name)
    if isinstance(value, timedelta):
        if value < timedelta(0):
            raise DurationError(repr(value), _NEGATIVE, name=name)
        return value
    if isinstance(value, bool):
        reason = 'booleans are not accepted; pass seconds as a number, or a string such as "10s"'
        raise DurationError(repr(value), reason, name=name)
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            raise DurationError(repr(value), "seconds must be a number, not NaN", name=name)
        if value < 0:
            raise DurationError(_safe_repr(value), _NEGATIVE, name=name)
        if isinstance(value, float) and math.isinf(value):
            raise DurationError(repr(value), "infinite durations are not allowed", name=name)
        try:
            return timedelta(seconds=value)
        except OverflowError:
            raise DurationError(_safe_repr(value), _TOO_LARGE, name=name) from None
    raise TypeError(
        f'{name}: expected a duration string such as "10s", seconds as int or float, '
        f"or a timedelta; got {type(value).__name__}"
    )


def to_seconds(value: DurationLike, *, name: str) -> float:
    """:func:`to_timedelta`, as float seconds (for APIs such as ``httpx.Timeout``)."""
    return to_timedelta(value, name=name).total_seconds()


def _parse(text: str, name: str | None) -> timedelta:
    def fail(reason: str, position: int) -> NoReturn:
        raise DurationError(text, reason, position, name)

    if not text:
        fail("empty string", 0)
    for i, char in enumerate(text):
        if char.isspace():
            fail("whitespace is not allowed", i)
    negative = text[0] == "-"
    i = 1 if text[0] in "+-" else 0
    if text[i:] == "0":
        return timedelta(0)
    n = len(text)
    total_ns = Fraction(0)
    overflow_at: int | None = None
    while True:  # one number and unit per turn; each turn consumes at least one character
        start = i
        while i < n and _is_digit(text[i]):
            i += 1
        int_digits = text[start:i]
        frac_digits = ""
        if i < n and text[i] == ".":
            dot = i
            i += 1
            while i < n and _is_digit(text[i]):
                i += 1
            frac_digits = text[dot + 1 : i]
            if not int_digits and not frac_digits:
                fail("expected a digit before or after '.'", dot)
        elif not int_digits:
            fail(f"expected a number, found {_shorten(repr(text[i])) if i < n else 'the end'}", i)
        unit_start = i
        while i < n and text[i] != "." and not _is_digit(text[i]):
            i += 1
        unit = text[unit_start:i]
        if not unit:
            fail(f"missing unit after {_shorten(text[start:i])}", i)
        unit_ns = _UNIT_NS.get(unit)
        if unit_ns is None:
            fail(f"unknown unit {_shorten(repr(unit))}; valid units are {_UNIT_LIST}", unit_start)
        if overflow_at is None:  # once too large, only check the syntax of the rest
            int_digits = int_digits.lstrip("0")
            frac_digits = frac_digits.rstrip("0")
            if len(int_digits) > _MAX_INT_DIGITS:
                overflow_at = start
            else:
                mantissa = _digits_to_int(int_digits + frac_digits)
                total_ns += Fraction(mantissa * unit_ns, 10 ** len(frac_digits))
                if round(total_ns / 1_000) > _MAX_US:
                    overflow_at = start
        if i == n:
            break
    if negative and (overflow_at is not None or total_ns != 0):
        fail(_NEGATIVE, 0)
    if overflow_at is not None:
        fail(_TOO_LARGE, overflow_at)
    return timedelta(microseconds=round(total_ns / 1_000))


def _is_digit(char: str) -> bool:
    return "0" <= char <= "9"


def _digits_to_int(digits: str) -> int:
    value = 0
    for at in range(0, len(digits), _DIGIT_CHUNK):
        chunk = digits[at : at + _DIGIT_CHUNK]
        value = value * 10 ** len(chunk) + int(chunk)
    return value


def _shorten(shown: str) -> str:
    return shown if len(shown) <= _QUOTE_LIMIT else f"{shown[:_QUOTE_LIMIT]}…"


def _safe_repr(value: float) -> str:
    try:
        return repr(value)
    except ValueError:  # an int of more than 4300 digits
        return f"<int of {value.bit_length()} bits>" if isinstance(value, int) else "<number>"
