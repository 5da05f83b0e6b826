"""Date mentions and document-date inference on real news text."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from storybrief.analyze.dates import explain_document_date, find_dates, infer_document_date

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
D = datetime.date
FRIDAY = D(2022, 1, 21)  # the Geneva meeting


def example(prefix: str) -> str:
    return next(EXAMPLES.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


Found = list[tuple[str, datetime.date, str]]


def found(text: str, reference: datetime.date | None = None) -> Found:
    return [(m.text, m.value, m.granularity) for m in find_dates(text, reference)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They met on 21 January 2022 in Geneva.", [("21 January 2022", D(2022, 1, 21), "day")]),
        ("The 2022-01-21 meeting.", [("2022-01-21", D(2022, 1, 21), "day")]),
        ("Filed 1/21/2022 in court.", [("1/21/2022", D(2022, 1, 21), "day")]),
        (
            "The attacks of Sept. 11, 2001 changed everything.",
            [("Sept. 11, 2001", D(2001, 9, 11), "day")],
        ),
        (
            "Russia announced the demands in December 2021, which it calls guarantees.",
            [("December 2021", D(2021, 12, 1), "month")],
        ),
        (
            "A Cold War-era pact that the US scrapped in 2019, after accusing Russia.",
            [("2019", D(2019, 1, 1), "year")],
        ),
    ],
)
def test_absolute_dates(text: str, expected: Found) -> None:
    assert found(text) == expected


def test_spans_index_the_text() -> None:
    text = "Lavrov and Blinken met face-to-face on January 21st Geneva. Talks began on Tuesday."
    for mention in find_dates(text, reference=D(2022, 2, 1)):
        assert text[mention.start : mention.end] == mention.text
    assert [m.text for m in find_dates(text, D(2022, 2, 1))] == ["January 21st", "Tuesday"]


def test_not_dates() -> None:
    text = (
        "He may resign. Troops march on. Prices rose 2021 percent and 2,019 troops left at "
        "10:30 a.m. on 12/25 while 100,000 soldiers waited for 30 minutes."
    )
    assert find_dates(text) == []
    assert find_dates(text, reference=FRIDAY) == []


def test_day_month_without_year_needs_a_reference() -> None:
    text = "Blinken said the US would respond by January 30."
    assert find_dates(text) == []
    (mention,) = find_dates(text, reference=FRIDAY)
    assert (mention.text, mention.value) == ("January 30", D(2022, 1, 30))
    assert not mention.explicit_year and not mention.relative
    # Closest plausible year: a January date seen from late December is next month.
    (january,) = find_dates("Talks could begin on Jan. 10.", reference=D(2021, 12, 21))
    assert january.value == D(2022, 1, 10)
    (may,) = find_dates("The vote is in May.", reference=D(2022, 1, 21))
    assert (may.value, may.granularity) == (D(2022, 5, 1), "month")


def test_weekday_given_with_the_date_picks_the_year() -> None:
    # 21 January is a Friday in 2022 but not in 2021 or 2023.
    (mention,) = find_dates("On Friday, January 21, they met.", reference=D(2023, 3, 1))
    assert mention.value == D(2022, 1, 21)


def test_relative_dates_resolve_against_the_reference() -> None:
    text = (
        "The ministers met on Friday. Also on Thursday, the US warned Moscow. Earlier this week, "
        "Britain sent weapons. Yesterday officials spoke; two days ago talks stalled, and last "
        "week Russia held drills. Next Monday they meet again."
    )
    got = {m.text: (m.value, m.granularity) for m in find_dates(text, reference=FRIDAY)}
    assert got == {
        "Friday": (D(2022, 1, 21), "day"),  # a Friday report's "on Friday" is the same day
        "Thursday": (D(2022, 1, 20), "day"),
        "Earlier this week": (D(2022, 1, 17), "week"),  # weeks start on Monday
        "Yesterday": (D(2022, 1, 20), "day"),
        "two days ago": (D(2022, 1, 19), "day"),
        "last week": (D(2022, 1, 10), "week"),
        "Next Monday": (D(2022, 1, 24), "day"),
    }
    assert all(m.relative for m in find_dates(text, reference=FRIDAY))
    assert find_dates(text) == []


def test_tuesday_is_on_or_before_the_reference() -> None:
    (before,) = find_dates("Blinken spoke with Lavrov on Tuesday.", reference=D(2022, 2, 3))
    assert before.value == D(2022, 2, 1)
    (same,) = find_dates("Blinken spoke with Lavrov on Tuesday.", reference=D(2022, 2, 1))
    assert same.value == D(2022, 2, 1)


def test_published_date_wins() -> None:
    assert infer_document_date(example("004"), published=D(2022, 2, 1)) == (D(2022, 2, 1), False)


def test_tvn24_call_is_the_tuesday_after_the_geneva_meeting() -> None:
    # "demands in December 2021" dates "January 21st" to 2022 (a Friday); the call "on
    # Tuesday" came after it. The text cannot say which Tuesday (it was 1 February): the
    # rule takes the first one.
    date, inferred = infer_document_date(example("004"))
    assert inferred
    assert date == D(2022, 1, 25)
    assert date.weekday() == 1


def test_donfried_briefing_is_dated_from_a_linked_url() -> None:
    # Only a comment's link (/2021/12/22/) carries a date; the report says "Tuesday".
    result = explain_document_date(example("001"))
    assert result.date == D(2021, 12, 21)
    assert "URL" in result.basis


def test_report_with_only_weekdays_and_a_deadline_is_undated() -> None:
    # "by January 30" is a deadline and "in 2019" a past year: the year is not in the text.
    assert infer_document_date(example("003")) == (None, True)
    # With the story's date known, its weekdays resolve: the meeting day is the Friday.
    days = {m.text: m.value for m in find_dates(example("003"), reference=FRIDAY)}
    assert days["Friday"] == FRIDAY and days["Wednesday"] == D(2022, 1, 19)


def test_reported_day_is_the_latest_of_the_named_weekdays() -> None:
    text = (
        "On Wednesday, March 3, 2021, the deal was signed. On Thursday the parliament debated "
        "it, and on Friday it was ratified."
    )
    assert infer_document_date(text) == (D(2021, 3, 5), True)


def test_explicit_dates_of_other_years_are_history_not_the_date() -> None:
    text = "The treaty was signed on 8 December 1987 and scrapped in 2019. Talks resumed Monday."
    assert infer_document_date(text) == (None, True)
    assert infer_document_date("Nothing dated here.") == (None, True)


def test_a_near_date_resolves_day_months_and_weekdays() -> None:
    text = "The ministers met in Geneva on 28 January. On Tuesday they spoke by phone."
    assert infer_document_date(text) == (None, True)
    # Friday 28 January 2022, then the first Tuesday after it.
    assert infer_document_date(text, near=D(2022, 2, 3)) == (D(2022, 2, 1), True)
    # A stated day far from the near date is history, not the date of writing.
    assert infer_document_date("It began on 28 January.", near=D(2022, 9, 1)) == (None, True)
