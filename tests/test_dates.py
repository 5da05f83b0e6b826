"""Date mentions and document-date inference on real news text."""

from __future__ import annotations

import datetime
import itertools
import os
import re
import sys
from pathlib import Path

import pytest

from storybrief.analyze.dates import explain_document_date, find_dates, infer_document_date
from storybrief.analyze.pile_dates import infer_pile_dates

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


# --- dates over a whole pile (analyze/pile_dates.py) ---------------------------------

#: Wire dispatches as a user saves them: title, blank line, dateline without a year.
QUAKE = (
    "Turkey Quake Toll Rises\n\n"
    "IZMIT, August 20 (Xinhua) -- The death toll from the earthquake in northwest Turkey "
    "rose to 10,000 on Friday, the government crisis center said.\n\n"
    "Rescue teams from 19 countries searched the ruins through Friday.\n"
)
QUAKE_TODAY = QUAKE.replace("rose to 10,000 on Friday", "rose to 10,000 today")
BACKGROUND = (
    "Turkey Has a History of Strong Quakes\n\n"
    "ANKARA -- Scientists said a quake on the same fault in March 1999 had been a warning. "
    "The fault broke in 1939 and again in 1967, killing thousands.\n"
)
AFTERSHOCK = (
    "Aftershock Rattles Istanbul\n\n"
    "ISTANBUL, August 24 (Xinhua) -- A strong aftershock shook Istanbul on Tuesday, sending "
    "residents into the streets, officials said.\n"
)


def test_a_pile_year_and_the_reported_weekday_date_a_year_less_dateline() -> None:
    # The background page fixes the pile's latest past month (March 1999); 20 August falls
    # on a Friday in 1999 only, among 1999-2001.
    quake, background = infer_pile_dates([QUAKE, BACKGROUND])
    assert quake.date == D(1999, 8, 20) and quake.inferred
    assert quake.rule == "dateline, weekday and the pile's latest year"
    assert background.date is None  # no dateline, no day of writing
    # Alone, the dispatch gives no year at all.
    assert infer_pile_dates([QUAKE])[0].date is None


def test_a_weekday_that_disagrees_or_a_text_that_says_today_leaves_the_dateline_undated() -> None:
    # 20 August is a Friday in 1999, a Sunday in 2000, a Monday in 2001: never a Wednesday.
    wrong_day = QUAKE.replace("Friday", "Wednesday")
    assert infer_pile_dates([wrong_day, BACKGROUND])[0].date is None
    # "today" is the dateline's day; a weekday in such a text names another day.
    assert infer_pile_dates([QUAKE_TODAY.replace("through Friday", "on Thursday"), BACKGROUND])[
        0
    ].date is None


def test_a_dateline_near_a_dated_page_takes_its_year_on_the_reported_weekday() -> None:
    # The first page has a published date (no year in any text): 24 August, four days later,
    # on the Tuesday the aftershock report gives, is 1999.
    first, aftershock = infer_pile_dates([QUAKE, AFTERSHOCK], [D(1999, 8, 20), None])
    assert (first.date, first.inferred) == (D(1999, 8, 20), False)
    assert aftershock.date == D(1999, 8, 24) and aftershock.rule == "dateline near a dated page"
    on_wednesday = AFTERSHOCK.replace("Tuesday", "Wednesday")
    assert infer_pile_dates([QUAKE, on_wednesday], [D(1999, 8, 20), None])[1].date is None


def test_the_brief_dates_a_story_from_another_storys_page(tmp_path: Path) -> None:
    # The year comes from a page of an unrelated story in the same pile: the dates are
    # inferred over the whole pile before the stories are briefed.
    from storybrief.pipeline import brief

    budget = (
        "Budget Vote Delayed\n\nThe finance committee delayed its budget vote after members "
        "disputed the spending figures. The finance ministry drafted the budget in March 1999, "
        "and committee members asked for new spending figures.\n"
    )
    (tmp_path / "quake.txt").write_text(QUAKE, encoding="utf-8")
    (tmp_path / "budget.txt").write_text(budget, encoding="utf-8")
    result = brief([str(tmp_path)])
    docs = {Path(d["path"]).name: d for d in result["documents"]}
    assert docs["quake.txt"]["story"] != docs["budget.txt"]["story"]
    assert docs["quake.txt"]["date"] == "1999-08-20" and docs["quake.txt"]["date_inferred"]
    assert docs["budget.txt"]["date"] is None


def test_a_mostly_undated_brief_says_so_and_orders_nothing_by_invented_dates(
    tmp_path: Path,
) -> None:
    from storybrief.pipeline import brief
    from storybrief.render.html import render_html
    from storybrief.render.markdown import render_markdown

    for name, text in (("quake.txt", QUAKE), ("aftershock.txt", AFTERSHOCK)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = brief([str(tmp_path)])
    assert result["events"] and all(e["date"] is None for e in result["events"])
    assert all(entry["date"] is None for entry in result["timeline"])
    assert all(d["date"] is None for d in result["documents"])
    markdown = render_markdown(result)
    assert "Most documents are undated (2 of 2)" in markdown
    assert "| undated |" in markdown and "(inferred)" not in markdown
    page = render_html(result)
    assert "Most documents are undated (2 of 2)" in page
    # The seed brief dates all its events: no such note.
    examples = brief([str(EXAMPLES)])
    assert all(e["date"] for e in examples["events"])
    assert "undated" not in render_markdown(examples).split("## Sources")[0]


ROOT = Path(__file__).resolve().parents[1]
#: The eval data lives beside the repository (../shared/eval), never in it.
EVAL_DIRS = [
    Path(os.environ.get("STORYBRIEF_EVAL", ROOT.parent / "shared" / "eval")),
    ROOT.parent.parent / "shared" / "eval",
]


@pytest.mark.parametrize("split", ["duc2007-main", "duc2007-update"])
def test_pile_dates_on_duc_2007_are_right_or_absent(split: str) -> None:
    """Real articles (read at test time; skipped without the data): every pile rule's dates
    are within 31 days of the true publication date at least 90% of the time."""
    import gzip
    import json

    path = next(
        (p for d in EVAL_DIRS if (p := d / "summarization" / f"{split}.jsonl.gz").exists()), None
    )
    if path is None:
        pytest.skip(f"{split}.jsonl.gz not present")
    dated = right = 0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            cluster = json.loads(line)
            texts = [f"{d['title']}\n\n{d['text'].strip()}\n" for d in cluster["docs"]]
            for doc, date in zip(cluster["docs"], infer_pile_dates(texts), strict=True):
                if date.date is not None:
                    truth = D.fromisoformat(doc["date"][:10])
                    dated += 1
                    right += abs((date.date - truth).days) <= 31
    assert dated >= 10
    assert right >= 0.9 * dated


def test_plain_absolute_phrases_parse_as_dateparser_parses_them() -> None:
    """``_plain_absolute`` (the phrases parsed without dateparser) against dateparser on
    every plain form: each month spelling, ordinals right and wrong, zero-padded days, days a
    month lacks (left to dateparser), with and without a year, comma or "of"."""
    from storybrief.analyze import dates

    months = ["January", "May", "September", "Sept", "Sep.", "Feb", "Dec."]
    phrases = [("year", y) for y in ("1700", "1999", "2000", "2024", "2099")]
    phrases += [("month", m) for m in ("January", "May", "December")]
    phrases += [("month_year", f"{m} {of}2016") for m in months for of in ("", "of ")]
    for month, day, suffix, year in itertools.product(
        months, ("1", "02", "29", "30", "31"), ("", "st", "th"), ("", " 2019", ", 2020")
    ):
        phrases.append(("month_day", f"{month} {day}{suffix}{year}"))
        phrases.append(("day_month", f"{day}{suffix} {month}{year}"))
    phrases += [("iso", d) for d in ("2019-11-19", "2020-02-29", "2019-02-29", "2019-13-01")]
    numbers = ("0", "1", "01", "9", "10", "12", "13", "28", "29", "30", "31", "32")
    for first, second in itertools.product(numbers, numbers):
        phrases.append(("numeric", f"{first}/{second}/2019"))
        phrases.append(("url", f"2020/{first}/{second}"))
    fast = 0
    for kind, phrase in phrases:
        plain = dates._plain_absolute(kind, phrase)
        if plain is not None:
            fast += 1
            assert plain == dates._parse(phrase, dates._NEUTRAL_BASE, "current_period"), phrase
    assert fast > 0.6 * len(phrases)  # the rest: days a month lacks, left to dateparser


# --- the patterns' first-character lookaheads (``dates._starting``) lose no match ---------

_MONTHS = [
    *"January February March April May June July August September October November December".split(),
    *"Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sept. Sep. Oct. Nov. Dec.".split(),
]
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_PREPOSITIONS = "on in since until till by from during before after of around through".split()
#: For each guarded pattern, phrases that it matches, one per way a match can start.
_FIRST_WORDS = {
    "month_day": [f"{m} 21" for m in _MONTHS] + [f"{d}, June 2" for d in _DAYS] + ["the May 3"],
    "day_month": ["21 January", "the 21st of January", *(f"{d} 4 May" for d in _DAYS)],
    "month_year": [f"{m} 2021" for m in _MONTHS],
    "month": [
        f"{cue} January"
        for cue in "in since until till by from during early late mid- of before after".split()
    ],
    "year": [f"{cue} 2019" for cue in [*_PREPOSITIONS, "early", "late", "mid-", "between", "circa"]],
    "weekday": [f"{cue} Monday" for cue in ["last", "next", "this", *_PREPOSITIONS]] + _DAYS,
    "period": [
        *"earlier this week|later this month|last year|next week|this month|past year".split("|"),
        *(
            f"{n} days ago"
            for n in "3 a an one two three four five six seven eight nine ten".split()
        ),
        *"yesterday today tomorrow tonight|last night|this morning".replace(" ", "|", 3).split("|"),
    ],
}


def _unguarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` without the lookahead ``_starting`` put in front of it."""
    text = pattern.pattern
    flags = "(?i)" if text.startswith("(?i)") else ""
    text = text[len(flags) :]
    assert text.startswith("(?=")
    depth = 0
    for end, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return re.compile(flags + text[end + 1 :])
    raise AssertionError("unbalanced lookahead")


def _first_characters() -> list[str]:
    """Every code point that is a digit, or whose case forms hold an ASCII letter (what
    case-insensitive matching can fold onto the letter a date word starts with: "ſ", "ı",
    "K" (Kelvin)...)."""
    found = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        forms = char.lower() + char.upper() + char.casefold()
        if char.isdigit() or any("a" <= c.lower() <= "z" for c in forms if c.isascii()):
            found.append(char)
    return found


def test_date_pattern_lookaheads_keep_every_match() -> None:
    from storybrief.analyze import dates

    patterns = dict(dates._ABSOLUTE_PATTERNS + dates._RELATIVE_PATTERNS)
    firsts = _first_characters()
    assert {"ſ", "ı", "İ", "\u212a", "٣", "３"} <= set(firsts)
    for kind, phrases in _FIRST_WORDS.items():
        guarded, plain = patterns[kind], _unguarded(patterns[kind])
        for phrase in phrases:
            assert plain.match(phrase), (kind, phrase)
            for char in firsts:
                text = char + phrase[1:]
                found, expected = guarded.match(text), plain.match(text)
                assert (found and found.span()) == (expected and expected.span()), (kind, text)
