"""Entities with merged name variants, on the bundled examples and small inline news texts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from storybrief.analyze.entities import Entity, extract_entities
from storybrief.analyze.entities_lexicon import place_names

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.txt"))


@pytest.fixture(scope="module")
def texts() -> list[tuple[str, str]]:
    return [(p.stem, p.read_text(encoding="utf-8")) for p in EXAMPLES]


@pytest.fixture(scope="module")
def entities(texts: list[tuple[str, str]]) -> list[Entity]:
    return extract_entities(texts)


def holding(entities: list[Entity], surface: str) -> list[Entity]:
    return [e for e in entities if surface in e.variants]


def test_one_blinken_with_machine_translation_misspellings(entities: list[Entity]) -> None:
    found = [e for e in entities if any("Blin" in v for v in e.variants)]
    assert len(found) == 1
    blinken = found[0]
    assert blinken.type == "person"
    assert blinken.name == "Antony Blinken"
    for variant in ("Antony Blinken", "Mr Blinken", "Blinken", "Anthony J. Blingen", "Blingen"):
        assert variant in blinken.variants
    assert {"Blingen", "Anthony J. Blingen", "Anthony Blingen"} <= set(blinken.misspellings)
    assert not {"Antony Blinken", "Blinken", "Mr Blinken"} & set(blinken.misspellings)
    assert "Secretary of State" in blinken.roles
    assert len(blinken.documents) == 4


def test_one_lavrov_and_transliterations_are_not_misspellings(entities: list[Entity]) -> None:
    found = [e for e in entities if any("Lavrov" in v for v in e.variants)]
    assert len(found) == 1
    lavrov = found[0]
    assert lavrov.type == "person"
    assert {"Sergey Lavrov", "Sergei Lavrov", "Lavrov", "Mr Lavrov"} <= set(lavrov.variants)
    assert lavrov.misspellings == []
    assert any("Foreign Minister" in role for role in lavrov.roles)


def test_types_of_well_known_names(entities: list[Entity]) -> None:
    def kind(surface: str) -> str:
        (entity,) = holding(entities, surface)
        return entity.type

    assert kind("Putin") == "person"
    assert kind("NATO") == "organization"
    assert holding(entities, "Nato") == holding(entities, "NATO")
    assert kind("State Department") == "organization"
    assert kind("Ukraine") == "place"
    assert kind("Geneva") == "place"
    assert holding(entities, "US") == holding(entities, "United States")


def test_mentions_are_exact_spans(texts: list[tuple[str, str]], entities: list[Entity]) -> None:
    by_id = dict(texts)
    for entity in entities:
        assert sum(entity.variants.values()) == len(entity.mentions)
        for m in entity.mentions:
            assert by_id[m.doc_id][m.start : m.end] == m.text


def test_sorted_by_mention_count(entities: list[Entity]) -> None:
    counts = [len(e.mentions) for e in entities]
    assert counts == sorted(counts, reverse=True)


def test_sentence_openers_are_not_entities(entities: list[Entity]) -> None:
    surfaces = {v for e in entities for v in e.variants}
    for word in ("Despite", "Speaking", "Beforehand", "Apparently", "LOOKED", "The", "Each Other"):
        assert not any(s == word or s.startswith(word + " ") for s in surfaces), word


def test_possessive_is_not_part_of_the_name() -> None:
    text = ("Foreign Minister Sergei Lavrov said the meeting came at Blinken's request. "
            "Secretary of State Antony Blinken said Russia's demands were non-starters.")
    entities = extract_entities([("d", text)])
    (blinken,) = holding(entities, "Blinken")
    assert set(blinken.variants) == {"Blinken", "Antony Blinken"}
    assert holding(entities, "Russia")[0].type == "place"
    assert not any("'s" in v for e in entities for v in e.variants)


def test_same_role_same_surname_merges_and_flags_the_rarer_spelling() -> None:
    docs = [
        ("a", "State Department spokesman Ned Price said on Monday that talks would go on. "
              "Ned Price added that the offer stands."),
        ("b", "State Department spokesman Ned Price told reporters the talks were useful."),
        ("c", "US State Department spokesman Nate Price said Tuesday the call took place."),
    ]
    entities = extract_entities(docs)
    (price,) = holding(entities, "Ned Price")
    assert "Nate Price" in price.variants
    assert price.name == "Ned Price"
    assert price.misspellings == ["Nate Price"]
    assert price.documents == ["a", "b", "c"]


def test_different_people_sharing_a_surname_stay_apart() -> None:
    text = ("President Donald Trump met Emmanuel Macron. Melania Trump greeted Brigitte Macron. "
            "Trump said the talks went well. Macron agreed.")
    entities = extract_entities([("d", text)])
    assert holding(entities, "Donald Trump") != holding(entities, "Melania Trump")
    assert holding(entities, "Trump") == holding(entities, "Donald Trump")


def test_korean_family_name_first_and_spaced_hyphen() -> None:
    text = ("North Korean leader Kim Jong Un met South Korean President Moon Jae - in. "
            "Mr. Kim said the meeting was historic, and Mr. Moon agreed.")
    entities = extract_entities([("d", text)])
    assert holding(entities, "Mr. Kim") == holding(entities, "Kim Jong Un")
    (moon,) = holding(entities, "Moon Jae - in")
    assert "Mr. Moon" in moon.variants
    assert "South Korean President" in moon.roles
    assert holding(entities, "North Korean") == []


def test_deterministic(texts: list[tuple[str, str]], entities: list[Entity]) -> None:
    assert extract_entities(list(reversed(texts)))[0].name == entities[0].name
    assert extract_entities(texts) == entities


def test_fast_on_the_examples(texts: list[tuple[str, str]]) -> None:
    place_names()  # the gazetteer loads once per process; time the work per call
    started = time.perf_counter()
    extract_entities(texts)
    assert time.perf_counter() - started < 0.3


def test_tokenize_peels_punctuation_and_marks_sentence_starts() -> None:
    from storybrief.analyze.entities_mentions import tokenize

    text = "He met Mr. Lavrov's aide. “Kremlin-backed groups,” said J. Smith — in Moscow-based TV."
    tokens = tokenize(text, base=10)
    for tok in tokens:
        assert text[tok.start - 10 : tok.end - 10] == tok.text
    got = {t.text: t for t in tokens}
    assert got["Mr."].trail == "" and got["Lavrov"].possessive
    assert got["Kremlin"].trail.startswith("-") and got["Kremlin"].sentence_start  # after “
    assert got["Kremlin"].lead == "“" and got["groups"].trail == ",”"
    assert got["J."].text == "J." and not got["Smith"].sentence_start
    assert got["Moscow"].trail == "-" and got["aide"].ends_sentence
    assert [t.text for t in tokens if t.sentence_start] == ["He", "Kremlin"]
