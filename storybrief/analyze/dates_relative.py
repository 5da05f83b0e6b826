"""Relative date phrases resolved without dateparser, as dateparser resolves them.

``plain_relative(phrase, base)`` gives what ``dates._parse(phrase, base, "past")`` gives for
the phrases the date finder produces most ("Tuesday", "last Tuesday", "next Tuesday", "today",
"yesterday", "tomorrow", "last week", "this month", "next year", "two years ago", "3 days
ago"): a dateparser call costs about a millisecond, and loading its data on the first one
~0.2 s. ``None`` for any other phrase, which dateparser then parses. ``tests/test_dates.py``
checks it against dateparser over three years of reference days.
"""

from __future__ import annotations

import datetime
from typing import Literal

__all__ = ["plain_relative"]

Granularity = Literal["day", "week", "month", "year"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}
_OFFSETS = {"last": -1, "this": 0, "next": 1}
_UNITS: dict[str, Granularity] = {"day": "day", "week": "week", "month": "month", "year": "year"}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


def plain_relative(
    phrase: str, base: datetime.date
) -> tuple[datetime.date, Granularity] | None:
    """``phrase`` (words separated by single spaces) resolved against ``base``, or ``None``."""
    words = phrase.lower().split(" ")
    try:
        if len(words) == 1:
            return _weekday(words[0], "last", base) or _day(words[0], base)
        if len(words) == 2:
            return _weekday(words[1], words[0], base) or _period(words[1], words[0], base)
        if len(words) == 3 and words[2] == "ago":
            return _ago(words[0], words[1], base)
    except (ValueError, OverflowError):  # out of the calendar's range: dateparser decides
        return None
    return None


def _weekday(
    word: str, qualifier: str, base: datetime.date
) -> tuple[datetime.date, Granularity] | None:
    """A bare or "last" weekday is the last such day before ``base`` (a week back on the same
    weekday); "next" the first after it."""
    if word not in _WEEKDAYS or qualifier not in ("last", "next"):
        return None
    ahead = (_WEEKDAYS.index(word) - base.weekday()) % 7
    if qualifier == "next":
        return base + datetime.timedelta(days=ahead or 7), "day"
    return base - datetime.timedelta(days=7 - ahead), "day"


def _day(word: str, base: datetime.date) -> tuple[datetime.date, Granularity] | None:
    shift = _DAYS.get(word)
    return None if shift is None else (base + datetime.timedelta(days=shift), "day")


def _period(
    unit: str, qualifier: str, base: datetime.date
) -> tuple[datetime.date, Granularity] | None:
    """"last week", "this month", "next year": the start of that period."""
    if qualifier not in _OFFSETS or unit not in _UNITS or unit == "day":
        return None
    return _shifted(base, _UNITS[unit], _OFFSETS[qualifier])


def _ago(count: str, unit: str, base: datetime.date) -> tuple[datetime.date, Granularity] | None:
    """"two weeks ago", "3 days ago": the start of the period that many units back."""
    number = int(count) if count.isascii() and count.isdigit() else _NUMBERS.get(count)
    granularity = _UNITS.get(unit[:-1] if unit.endswith("s") else unit)
    if number is None or granularity is None:
        return None
    return _shifted(base, granularity, -number)


def _shifted(
    base: datetime.date, unit: Granularity, amount: int
) -> tuple[datetime.date, Granularity]:
    """``base`` moved by ``amount`` units, as the start of that unit's period."""
    if unit == "day":
        return base + datetime.timedelta(days=amount), "day"
    if unit == "week":
        day = base + datetime.timedelta(weeks=amount)
        return day - datetime.timedelta(days=day.weekday()), "week"
    if unit == "month":
        months = base.year * 12 + base.month - 1 + amount
        return datetime.date(months // 12, months % 12 + 1, 1), "month"
    return datetime.date(base.year + amount, 1, 1), "year"
