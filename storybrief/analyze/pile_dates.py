"""Document dates inferred over a whole pile: the pages of a crawl date each other.

A page alone rarely fixes its own year (``dates.explain_document_date``): wire copy gives
the day and month in its dateline ("MADRID, June 24 (Xinhua) --") and the weekday in its
text ("said Tuesday"), never the year; the years a text states are mostly history. The
other pages of the pile often fix it. The rules, in order, each measured on its own
(``bench/bench_dates.py --rules``); a page no rule dates stays undated, since undated is
better than wrong:

1. ``published``: the source's own date.
2. ``own text``: what the page's text fixes alone (``dates.explain_document_date``).
3. ``dateline after a stated day``: a year-less dateline at most
   ``dates.DATELINE_AFTER_DAYS`` after a day another page states with its year ("the Aug.
   17, 1999 earthquake" elsewhere, "IZMIT, August 19 --" here), the reported weekday
   agreeing.
4. ``dateline, weekday and the pile's latest year``: a year-less dateline whose day falls
   on the weekday the page reports in exactly one year from the latest year the pile's
   pages state for a past day or month (news is not older than the past it reports) to
   ``PILE_YEAR_SPAN`` years later, and not before the latest past year the page itself
   states. A day-month falls on a given weekday once in 5 to 11 years, so the weekday
   picks the year inside that span; the pile gives the span.
5. ``dateline near a dated page``: a year-less dateline within ``DATELINE_NEAR_DAYS`` of
   another page's date (dated by any rule, this one included, repeated until nothing
   changes), in the one year that puts it there on the weekday the page reports.

Rules 4 and 5 trust a page's weekday only when the text does not call its own day "today"
(``_TODAY``). Every look-up goes through an index by day of the year, so a pile of any size
is dated in time linear in its pages.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from storybrief.analyze.dates import (
    DATELINE_AFTER_DAYS,
    DocumentDate,
    explain_document_date,
    latest_past_year,
    reported_weekday,
    stated_days,
    year_less_dateline,
)

__all__ = ["DATELINE_NEAR_DAYS", "PILE_YEAR_SPAN", "infer_pile_dates"]

#: Rule 4 looks for the dateline's weekday from the pile's latest stated past year to this
#: many years later. Chosen on the DUC 2007 main split (bench/README.md, "Dates"; after
#: rules 1-3): 1 year dated 21 articles (19 right), 2 years 30 (28 right), 3 years the same
#: 30; on the update split, held out, 2 years dated 10, all right.
PILE_YEAR_SPAN = 2

#: Rule 5: a year-less dateline takes the year of another page's date when it falls within
#: this many days of it (either side), in exactly one year, on the reported weekday. On DUC
#: 2007, 7 to 62 days all dated the same one article (right) after rules 1-4; without the
#: weekday check, 14 days dated 7, 6 of them wrong.
DATELINE_NEAR_DAYS = 14

#: A text that calls its own day "today" names other days by their weekday ("newspapers
#: reported today ... the spokesman confirmed Thursday"): on DUC 2007 dispatches with a
#: dateline, the reported weekday is the dateline's own day 94 times in 105 without
#: "today", 3 times in 10 with it. Such a text's weekday does not date its dateline.
_TODAY = re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b")

_LEAP_YEAR = 2000  # day-of-year keys are taken in a leap year, so 29 February has one


@dataclass(frozen=True)
class _Page:
    """What the pile rules need of one page, read in one pass over its date phrases."""

    stated: list[datetime.date]  # days it states with their year (``stated_days``)
    dateline: tuple[int, int] | None  # (month, day) of a year-less dateline
    weekday: int | None  # the dateline's weekday as the text reports it
    floor: int | None  # latest year it states for a past day or month
    own: int | None  # latest year it states for anything past


def _page(text: str) -> _Page:
    return _Page(
        stated_days(text),
        year_less_dateline(text),
        _dateline_weekday(text),
        latest_past_year(text, days_and_months=True),
        latest_past_year(text),
    )


def infer_pile_dates(
    texts: Sequence[str], published: Sequence[datetime.date | None] | None = None
) -> list[DocumentDate]:
    """The date of each page of a pile, from its own text and the other pages' (see the
    module docstring for the rules). ``published``: the source's dates, where known."""
    given = list(published) if published is not None else [None] * len(texts)
    if len(given) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(given)} published dates")
    pages = [_page(text) for text in texts]
    stated: dict[tuple[int, int], list[tuple[datetime.date, int]]] = defaultdict(list)
    for i, page in enumerate(pages):
        for day in page.stated:
            stated[(day.month, day.day)].append((day, i))
    results = []
    for i, (text, page, given_day) in enumerate(zip(texts, pages, given, strict=True)):
        # Only the days rule 3 can use: other pages', in the days before the dateline.
        line = page.dateline if given_day is None else None
        keys = _keys_around(line, DATELINE_AFTER_DAYS, 0) if line else iter(())
        before = [d for key in keys for d, j in stated.get(key, ()) if j != i]
        results.append(explain_document_date(text, given_day, story_days=before))
    _weekday_after_pile_year(pages, results)
    _near_dated_pages(pages, results)
    return results


def _weekday_after_pile_year(pages: Sequence[_Page], results: list[DocumentDate]) -> None:
    """Rule 4, in place."""
    years = [page.floor for page in pages if page.floor is not None]
    if not years:
        return
    floor = max(years)
    for i, page in enumerate(pages):
        if results[i].date is not None or page.dateline is None or page.weekday is None:
            continue
        lowest = max(floor, page.own or floor)
        found = [
            day
            for year in range(lowest, floor + PILE_YEAR_SPAN + 1)
            if (day := _day(year, *page.dateline)) is not None and day.weekday() == page.weekday
        ]
        if len(found) == 1:
            day = found[0]
            results[i] = DocumentDate(
                day,
                True,
                f"the dateline in the one year from {floor} (the latest past year the pile "
                f"states) to {floor + PILE_YEAR_SPAN} in which it is a {day:%A}, as the text "
                "reports",
                "dateline, weekday and the pile's latest year",
            )


def _near_dated_pages(pages: Sequence[_Page], results: list[DocumentDate]) -> None:
    """Rule 5, in place: year-less datelines dated by the pile's dated pages, repeatedly."""
    pending = {
        i: (page.dateline, page.weekday)
        for i, page in enumerate(pages)
        if results[i].date is None and page.dateline is not None and page.weekday is not None
    }
    anchors: dict[tuple[int, int], list[datetime.date]] = defaultdict(list)
    for result in results:
        if result.date is not None:
            anchors[(result.date.month, result.date.day)].append(result.date)
    changed = True
    while pending and changed:
        changed = False
        for i, (line, weekday) in sorted(pending.items()):
            options = set()
            for key in _keys_around(line, DATELINE_NEAR_DAYS, DATELINE_NEAR_DAYS):
                for anchor in anchors.get(key, ()):
                    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
                        day = _day(year, *line)
                        if (
                            day is not None
                            and day.weekday() == weekday
                            and abs((day - anchor).days) <= DATELINE_NEAR_DAYS
                        ):
                            options.add((day, anchor))
            if len({day for day, _ in options}) != 1:
                continue
            day, anchor = min(options)
            results[i] = DocumentDate(
                day,
                True,
                f"the dateline, within {DATELINE_NEAR_DAYS} days of another page's date "
                f"({anchor}), on the {day:%A} the text reports",
                "dateline near a dated page",
            )
            anchors[line].append(day)
            del pending[i]
            changed = True


def _dateline_weekday(text: str) -> int | None:
    """The weekday of the dateline's day as the text reports it; None if it says "today"."""
    if _TODAY.search(text):
        return None
    return reported_weekday(text, reports_only=True)


def _keys_around(line: tuple[int, int], before: int, after: int) -> Iterator[tuple[int, int]]:
    """``(month, day)`` keys from ``before`` days before the day-month to ``after`` after
    (on a leap-year calendar, wrapping round the new year)."""
    center = datetime.date(_LEAP_YEAR, *line)
    for offset in range(-before, after + 1):
        day = center + datetime.timedelta(days=offset)
        yield day.month, day.day


def _day(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 29 February in a common year
        return None
