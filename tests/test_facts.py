"""Facts, independent support and conflicts on the bundled examples and small inline reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybrief.analyze.facts import Conflict, Fact, find_facts
from storybrief.analyze.facts_conflicts import same_name, values_agree
from storybrief.analyze.facts_details import find_dates, find_quantities
from storybrief.analyze.sentences import split_sentences
from storybrief.clean.lines import label_lines
from storybrief.model import Sentence

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _example(prefix: str) -> str:
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _body_sentences(docs: dict[str, str]) -> list[Sentence]:
    """Body sentences the way the pipeline builds them: labelled lines, then sentences."""
    out: list[Sentence] = []
    for doc_id, text in docs.items():
        for block in label_lines(text):
            if block.label == "body":
                out.extend(split_sentences(text, doc_id, block.start, block.end))
    return out


def _inline(docs: dict[str, str]) -> list[Sentence]:
    return [s for doc_id, text in docs.items() for s in split_sentences(text, doc_id)]


def _fact_with(facts: list[Fact], fragment: str) -> Fact:
    hits = [f for f in facts if fragment in f.text]
    assert len(hits) == 1, f"{len(hits)} facts say {fragment!r}"
    return hits[0]


@pytest.fixture(scope="module")
def examples() -> dict[str, str]:
    return {prefix: _example(prefix) for prefix in ("000", "001", "002", "003", "004")}


def test_paraphrased_troop_count_is_one_fact_from_two_sources(examples: dict[str, str]) -> None:
    facts, _ = find_facts(_body_sentences(examples))
    fact = next(f for f in facts if "100,000 troops" in f.text)
    assert fact.support == 2
    assert sorted(s.doc_id for s in fact.sources) == ["003", "004"]
    said = {s.doc_id: examples[s.doc_id][s.start : s.end] for s in fact.sources}
    assert said["003"].startswith("Moscow has 100,000 troops near its borders with Ukraine")
    assert "Russia’s deployment of 100,000 troops on the Ukrainian border" in said["004"]


def test_a_duplicated_document_counts_once(examples: dict[str, str]) -> None:
    docs = {**examples, "003-copy": examples["003"]}
    sentences = _body_sentences(docs)
    facts, _ = find_facts(sentences, duplicate_of={"003-copy": "003"})
    fact = next(f for f in facts if "100,000 troops" in f.text)
    assert sorted(s.doc_id for s in fact.sources) == ["003", "003-copy", "004"]
    assert fact.support == 2
    unfolded, _ = find_facts(sentences)
    assert next(f for f in unfolded if "100,000 troops" in f.text).support == 3


def test_one_source_and_its_copies_support_no_fact_and_no_conflict(
    examples: dict[str, str],
) -> None:
    # What lets a brief skip fact finding for the story of one source (``brief._story``).
    for doc_id, text in examples.items():
        copies = {doc_id: text, "copy": text, "copy-of-copy": text}
        duplicate_of = {"copy": doc_id, "copy-of-copy": "copy"}
        facts, conflicts = find_facts(_body_sentences(copies), duplicate_of)
        assert facts and max(f.support for f in facts) == 1 and conflicts == []


def test_meeting_length_and_call_length_are_different_facts(examples: dict[str, str]) -> None:
    facts, conflicts = find_facts(_body_sentences(examples))
    meeting = next(f for f in facts if "ended after only 90 minutes" in f.text)
    assert all(s.doc_id == "003" for s in meeting.sources)
    assert not [c for c in conflicts if c.kind == "number"]


def test_facts_partition_the_sentences_and_are_ordered(examples: dict[str, str]) -> None:
    sentences = _body_sentences(examples)
    facts, _ = find_facts(sentences)
    cited = [(s.doc_id, s.start, s.end) for f in facts for s in f.sources]
    assert sorted(cited) == sorted((s.doc_id, s.start, s.end) for s in sentences)
    for fact in facts:
        assert len({s.doc_id for s in fact.sources}) == len(fact.sources)  # one per document
        assert any(examples[s.doc_id][s.start : s.end] == fact.text for s in fact.sources)
    keys = [(-f.support, f.members[0]) for f in facts]
    assert keys == sorted(keys)


def test_different_death_tolls_are_a_number_conflict() -> None:
    sentences = _inline(
        {
            "a": "A gunman killed 12 people at a market in Lyon on Monday, police said.",
            "b": "Police said a gunman killed 15 people at a crowded market in Lyon on Monday.",
        }
    )
    facts, conflicts = find_facts(sentences)
    assert facts[0].support == 2
    (conflict,) = conflicts
    assert conflict.kind == "number"
    assert {k: [s.doc_id for s in v] for k, v in conflict.values.items()} == {
        "12 people": ["a"],
        "15 people": ["b"],
    }


def _conflicts(a: str, b: str) -> list[Conflict]:
    facts, conflicts = find_facts(_inline({"a": a, "b": b}))
    assert facts[0].support == 2, "the two reports should be one fact"
    return conflicts


def test_extra_detail_and_spellings_of_one_value_are_not_conflicts() -> None:
    assert not _conflicts(
        "A gunman killed 12 people at a market in Lyon on Monday.",
        "A gunman killed 12 people, including three children, at a market in Lyon on Monday.",
    )
    assert not _conflicts(
        "Moscow has massed 100,000 troops near the border with Ukraine, officials said.",
        "Moscow has massed 100 000 troops near the border with Ukraine.",
    )
    assert not _conflicts(
        "Blinken met Lavrov in Geneva on Friday for talks on Ukraine.",
        "Blingen met Lavrov in Geneva on Friday for talks on Ukraine.",
    )
    assert not _conflicts(
        "Rescuers said more than 100 people died in the flooding in the north.",
        "Rescuers said 130 people died in the flooding in the north.",
    )


def test_swapped_place_and_different_weekday_are_conflicts() -> None:
    (place,) = _conflicts(
        "Blinken and Lavrov held talks in Geneva on Friday about Ukraine.",
        "Blinken and Lavrov held talks in Vienna on Friday about Ukraine.",
    )
    assert place.kind == "place" and set(place.values) == {"Geneva", "Vienna"}
    (date,) = _conflicts(
        "The two ministers spoke by phone on Tuesday about security guarantees.",
        "The two ministers spoke by phone on Wednesday about security guarantees.",
    )
    assert date.kind == "date" and set(date.values) == {"Tuesday", "Wednesday"}


def test_sentences_merely_sharing_names_are_not_one_fact() -> None:
    facts, conflicts = find_facts(
        _inline(
            {
                "a": "Secretary of State Antony Blinken met Russian Foreign Minister Sergei "
                "Lavrov in Geneva.",
                "b": "Antony Blinken said Sergei Lavrov would receive a written answer next week.",
            }
        )
    )
    assert [f.support for f in facts] == [1, 1]
    assert not conflicts


def test_quantities_fold_spellings_and_convert_durations() -> None:
    values = [q.value for q in find_quantities("100,000 troops, 100 000 troops and 100k troops")]
    assert values == [100_000.0] * 3
    (hours, minutes) = find_quantities("scheduled to last two hours; it ended after 90 minutes")
    assert (hours.value, hours.unit, minutes.value) == (120.0, "minutes", 90.0)
    (half,) = find_quantities("the conversation lasted about half an hour")
    assert (half.value, half.bound) == (30.0, "about")
    assert find_quantities("Gilliam, 27, was charged in 2019.") == ()  # age and year: no noun


def test_dates_skip_datelines_and_dates_of_saying() -> None:
    text = "JERUSALEM, February 2 (Xinhua) -- Police said Tuesday the attack happened on Monday."
    assert [(d.kind, d.key) for d in find_dates(text)] == [("weekday", "Monday")]


def test_value_and_name_agreement_rules() -> None:
    assert values_agree(19.5e6, 20e6)  # rounding
    assert not values_agree(12, 15)
    assert values_agree(100, 130, "over", "")  # "more than 100"
    assert values_agree(100, 120, "about", "") and not values_agree(100, 150, "about", "")
    assert same_name("Sergei Lavrov", "Sergey Lavrov") and same_name("Kiev", "Kyiv")
    assert not same_name("Geneva", "Vienna")


def test_a_city_and_its_country_are_not_a_place_conflict() -> None:
    assert not _conflicts(
        "Nega escaped and lived as a refugee in Khartoum for nearly two years before asylum.",
        "Nega escaped and lived as a refugee in Sudan for nearly two years before asylum.",
    )
    assert not _conflicts(
        "The storm made landfall near Houston on Friday, flooding thousands of homes.",
        "The storm made landfall in Texas on Friday, flooding thousands of homes.",
    )


def test_sizes_of_two_products_are_not_a_number_conflict() -> None:
    # "15-inch" and "11-inch" say which product, not how many inches of one.
    assert not _conflicts(
        "Amazon cut the price of the 15-inch MacBook Pro by $200 in a sale this week.",
        "Amazon cut the price of the 11-inch MacBook Air by $200 in a sale this week.",
    )
    (conflict,) = _conflicts(
        "The meeting of the two ministers in Geneva lasted 90 minutes on Friday.",
        "The meeting of the two ministers in Geneva lasted two hours on Friday.",
    )
    assert conflict.kind == "number"


def test_a_source_named_two_ways_is_not_a_name_conflict() -> None:
    # Amnesty's secretary-general and "the AI" (Amnesty International) said the same thing.
    assert not _conflicts(
        "After a 12-day fact-finding mission in Kenya, Sane accused the Kenyan government of "
        "human rights violations and police torture.",
        "After a 12-day fact-finding mission in Kenya, the AI accused the Kenyan government of "
        "human rights violations and police torture.",
    )
    (swap,) = _conflicts(
        "Police arrested Smith at the scene of the Lyon market shooting on Monday night.",
        "Police arrested Jones at the scene of the Lyon market shooting on Monday night.",
    )
    assert swap.kind == "name" and set(swap.values) == {"Smith", "Jones"}


def test_two_dates_against_one_is_not_a_date_conflict(examples: dict[str, str]) -> None:
    # A wire service's schedule line: which of the two days would the other contradict? (In
    # a story's context, as DUC 2007 D0736H has it, the two lines are similar enough to be
    # compared; the example crawls give that context.)
    sentences = _inline(
        {
            "a": "The Hearst News Service has filed or will file the following for Thursday "
            "and Sunday.",
            "b": "The Hearst News Service will file the following for Wednesday.",
        }
    )
    facts, conflicts = find_facts([*sentences, *_body_sentences(examples)])
    assert _fact_with(facts, "Hearst").support == 2
    assert not conflicts


def test_short_labels_are_not_compared() -> None:
    # A page's reading time, read as a line of its reporting, is not a fact of the story.
    facts, conflicts = find_facts(
        _inline({"a": "Reading time: 1 minute", "b": "Reading time: 2 minutes"})
    )
    assert facts[0].support == 2 and not conflicts


def test_amounts_of_different_things_or_magnitudes_are_not_a_number_conflict() -> None:
    assert not _conflicts(
        "The bank reported revenue of $4.2 billion from advising clients on mergers last year.",
        "The bank reported profit of $281 million from advising clients on mergers last year.",
    )
    assert not _conflicts(  # an order of magnitude apart: two figures, not one
        "The bank earned $4.2 billion from advising clients on mergers last year, it said.",
        "The bank earned $281 million from advising clients on mergers last year, it said.",
    )
    (conflict,) = _conflicts(
        "The bank earned $11 million from advising clients on mergers last year, it said.",
        "The bank earned $16 million from advising clients on mergers last year, it said.",
    )
    assert set(conflict.values) == {"$11 million", "$16 million"}
