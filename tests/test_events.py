"""Events within a story: grouping, dating and ordering, on the bundled crawls and inline news."""

from __future__ import annotations

import datetime
from pathlib import Path

from storybrief.analyze.events import EventDoc, find_events
from storybrief.clean.lines import label_lines
from storybrief.model import REPORTING_LABELS

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))
D = datetime.date


def reporting(path: Path) -> str:
    blocks = label_lines(path.read_text(encoding="utf-8"))
    return "\n".join(b.text for b in blocks if b.label in REPORTING_LABELS)


def test_examples_give_three_events_in_time_order() -> None:
    docs = [EventDoc(path.name[:3], reporting(path)) for path in EXAMPLES]
    events = find_events(docs)
    assert [e.doc_ids for e in events] == [["001"], ["002", "003"], ["000", "004"]]
    proposal, geneva, call = events
    # The talks were proposed in December 2021 (004 dates Russia's demands to that month).
    assert (proposal.date, proposal.granularity) == (D(2021, 12, 1), "month")
    assert proposal.evidence is not None and "December 2021" in proposal.evidence
    # 004's "met face-to-face on January 21st Geneva" dates the Friday meeting in Geneva.
    assert (geneva.date, geneva.granularity) == (D(2022, 1, 21), "day")
    assert geneva.evidence is not None and "January 21st" in geneva.evidence
    # The Tuesday call comes after that meeting; the text gives only a lower bound.
    assert call.date is not None and D(2022, 1, 22) <= call.date <= D(2022, 2, 8)
    assert call.date.weekday() == 1 and call.granularity == "week"
    assert all(e.date_inferred for e in events)
    assert all(e.label for e in events)


def test_events_are_deterministic_with_content_ids() -> None:
    docs = [EventDoc(path.name[:3], reporting(path)) for path in EXAMPLES]
    first, second = find_events(docs), find_events(list(reversed(docs)))
    assert {e.id: sorted(e.doc_ids) for e in first} == {e.id: sorted(e.doc_ids) for e in second}
    assert [e.date for e in first] == [e.date for e in second]


FIRE_1 = (
    "A fire tore through the Harbour Street warehouse in Leeds overnight, fire crews said. "
    "Forty firefighters fought the warehouse blaze for six hours and the warehouse roof collapsed."
)
FIRE_2 = (
    "The Harbour Street warehouse fire in Leeds sent smoke across the city. Firefighters said the "
    "warehouse was empty and nobody was hurt in the blaze."
)
INQUIRY = (
    "Police arrested a 19-year-old man on suspicion of arson over the Leeds warehouse fire. "
    "Detectives said the arrest followed CCTV appeals; the arson suspect was released on bail."
)


def test_published_dates_group_and_order_events() -> None:
    docs = [
        EventDoc("inquiry", INQUIRY, published=D(2023, 3, 10)),
        EventDoc("fire-1", FIRE_1, published=D(2023, 3, 4)),
        EventDoc("fire-2", FIRE_2, published=D(2023, 3, 4)),
    ]
    events = find_events(docs)
    assert [e.doc_ids for e in events] == [["fire-1", "fire-2"], ["inquiry"]]
    assert [e.date for e in events] == [D(2023, 3, 4), D(2023, 3, 10)]
    assert not any(e.date_inferred for e in events)
    assert "blaze" in events[0].label  # "warehouse" is on every page: not distinctive


def test_a_sibling_page_dates_an_undated_event() -> None:
    talks = (
        "Negotiators met in Vienna on Friday for a new round of nuclear talks. The Vienna "
        "round ended without a deal, and the Vienna delegates left after four hours."
    )
    later = (
        "The envoy said on Tuesday that no new round is planned. Delegates last met in Vienna "
        "on March 3, 2023. The envoy said the sanctions issue still divides the envoys."
    )
    events = find_events([EventDoc("later", later), EventDoc("talks", talks)])
    assert [e.doc_ids for e in events] == [["talks"], ["later"]]
    assert events[0].date == D(2023, 3, 3) and events[0].granularity == "day"  # a Friday
    assert events[1].date == D(2023, 3, 7) and events[1].granularity == "week"  # next Tuesday


def test_different_reported_weekdays_are_different_events() -> None:
    monday = "Rail workers walked out on Monday. The rail strike closed every rail line in Wales."
    thursday = (
        "Rail workers walked out again on Thursday. The rail strike closed rail lines in Wales."
    )
    events = find_events([EventDoc("mon", monday), EventDoc("thu", thursday)])
    assert sorted(e.doc_ids for e in events) == [["mon"], ["thu"]]
    assert all(e.date is None for e in events)  # nothing says which week


def test_empty_story() -> None:
    assert find_events([]) == []


def test_a_follow_up_comes_after_the_announced_week() -> None:
    meeting = (
        "EU ministers met in Rome on Monday, May 8, 2023 to discuss migration. The Rome "
        "ministers said the commission will publish a written proposal on migration next week."
    )
    reaction = (
        "On Thursday Italy criticised the written proposal on migration. Italy said the "
        "written proposal did too little for Italy's ports."
    )
    events = find_events([EventDoc("reaction", reaction), EventDoc("meeting", meeting)])
    assert [e.doc_ids for e in events] == [["meeting"], ["reaction"]]
    assert events[0].date == D(2023, 5, 8)
    # "next week" from Monday 8 May is the week of 15 May; its Thursday is the 18th.
    assert (events[1].date, events[1].granularity) == (D(2023, 5, 18), "week")
    assert events[1].evidence is not None and "written proposal" in events[1].evidence


def test_a_dateline_dates_its_own_page_not_another_pages_event() -> None:
    # "ANKARA, June 21 (Xinhua) --" says when that dispatch was written; the other report of
    # the warning has its own date (from the pile), and keeps it.
    from storybrief.analyze.dates import DocumentDate

    ankara = (
        "ANKARA, June 21 (Xinhua) -- Turkey warned the European Union not to take NATO "
        "facilities in Turkey for granted for EU-led operations, officials said."
    )
    brussels = (
        "Turkey warned the European Union over NATO facilities for EU-led operations. "
        "Turkish officials said the European Union excluded Turkey from its defence plans."
    )
    dates = [
        DocumentDate(None, True, "no usable date in the text"),
        DocumentDate(D(2000, 6, 14), True, "the dateline", "own text"),
    ]
    events = find_events([EventDoc("ankara", ankara), EventDoc("brussels", brussels)], dates)
    date_of = {doc_id: e.date for e in events for doc_id in e.doc_ids}
    assert date_of["brussels"] == D(2000, 6, 14)
    assert date_of["ankara"] in {None, D(2000, 6, 14)}
