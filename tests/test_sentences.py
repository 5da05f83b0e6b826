"""Sentence splitting on real news text: hard cases stay whole, offsets always hold."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from storybrief.analyze.sentences import split_sentences

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Secretary of State Anthony J. Blinken met Sen. Bob Menendez in Washington. "
            "The talks lasted an hour.",
            [
                "Secretary of State Anthony J. Blinken met Sen. Bob Menendez in Washington.",
                "The talks lasted an hour.",
            ],
        ),
        (
            "The U.S. economy grew 3.5 percent. Officials at the U.S. Treasury said "
            "$1.2 billion was spent.",
            [
                "The U.S. economy grew 3.5 percent.",
                "Officials at the U.S. Treasury said $1.2 billion was spent.",
            ],
        ),
        (
            "Talks resumed with the U.S. The Russians were not impressed.",
            ["Talks resumed with the U.S.", "The Russians were not impressed."],
        ),
        (
            "He arrived at 9 a.m. Eastern time on Sept. 11, 2001. Mr. and Mrs. Smith were there.",
            [
                "He arrived at 9 a.m. Eastern time on Sept. 11, 2001.",
                "Mr. and Mrs. Smith were there.",
            ],
        ),
        (
            "The vote is set for 5 p.m. The Senate will then adjourn.",
            ["The vote is set for 5 p.m.", "The Senate will then adjourn."],
        ),
        (
            "Dr. Jones works for Apple Inc. The company is based in Cupertino.",
            ["Dr. Jones works for Apple Inc.", "The company is based in Cupertino."],
        ),
        (
            "Shares of Acme Corp. rose after Gen. Mark A. Milley and Rep. Adam Schiff spoke.",
            ["Shares of Acme Corp. rose after Gen. Mark A. Milley and Rep. Adam Schiff spoke."],
        ),
        (
            '"Is it?" he asked. "Yes," she said.',
            ['"Is it?" he asked.', '"Yes," she said.'],
        ),
        (
            "He said the deal was “dead.” Then he left the room.",
            ["He said the deal was “dead.”", "Then he left the room."],
        ),
        (
            "It was the No. 2 official. J.R.R. Tolkien wrote it. Ms. Lee went to St. Louis.",
            [
                "It was the No. 2 official.",
                "J.R.R. Tolkien wrote it.",
                "Ms. Lee went to St. Louis.",
            ],
        ),
        (
            "He met the U.K. Prime Minister on Jan. 21. It went well.",
            ["He met the U.K. Prime Minister on Jan. 21.", "It went well."],
        ),
        (
            "Troops massed (about 100,000 of them.) The West warned Moscow! Would it listen?",
            [
                "Troops massed (about 100,000 of them.)",
                "The West warned Moscow!",
                "Would it listen?",
            ],
        ),
        (
            "For us, it is the most serious challenge — a challenge to our security, he said.",
            ["For us, it is the most serious challenge — a challenge to our security, he said."],
        ),
        (
            "Headline without a full stop\nFirst line of the story. Second one.\n\nAfter a blank",
            [
                "Headline without a full stop",
                "First line of the story.",
                "Second one.",
                "After a blank",
            ],
        ),
    ],
)
def test_news_sentences(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_datelines_and_wire_quotes() -> None:
    assert texts("MOBILE, Ala. (AP) -- A white supremacist was arrested.") == [
        "MOBILE, Ala. (AP) -- A white supremacist was arrested."
    ]
    assert texts("He died in Mansura, La. He was 89.") == ["He died in Mansura, La.", "He was 89."]
    assert texts("``Dr. Smith said so,'' he said. ``Dr. Jones disagreed.''") == [
        "``Dr. Smith said so,'' he said.",
        "``Dr. Jones disagreed.''",
    ]
    assert texts("It is Art. IV of the treaty. No. I think not.") == [
        "It is Art. IV of the treaty.",
        "No.",
        "I think not.",
    ]


def test_ellipses_split_only_before_a_new_sentence() -> None:
    assert texts("So . . . no progress. At all.") == ["So . . . no progress.", "At all."]
    assert texts("I hate to admit it but… That sounds fair… and so on.") == [
        "I hate to admit it but…",
        "That sounds fair… and so on.",
    ]
    assert texts("Wait... What happened?") == ["Wait...", "What happened?"]


def read(name_prefix: str) -> str:
    return next(p for p in EXAMPLES if p.name.startswith(name_prefix)).read_text(encoding="utf-8")


def test_example_sentences_come_out_whole() -> None:
    bbc = texts(read("003"))
    assert '"This is a critical moment," Mr Blinken said in his opening remarks.' in bbc
    assert (
        "The US will present Russia with a written response to its security red lines "
        '"next week", he added.'
    ) in bbc
    assert "Lies on top of lies." in bbc
    assert (
        "Blinken did tell Lavrov the US will respond to Russia's proposals by January 30 with "
        '. . . get this . . . . "some ideas."'
    ) in bbc
    axios = texts(read("002"))
    assert (
        "- The two diplomats plan further discussions after the U.S. consults with its "
        "European allies on the written answers."
    ) in axios
    assert (
        "But the U.S. and NATO have called those proposals \"non-starters,\" and Friday's meeting "
        "offered no breakthroughs, so it's unclear how written answers might change the equation."
    ) in axios
    tvn = texts(read("004"))
    assert (
        "US State Department spokesman Nate Price said Tuesday that “Secretary of State Anthony J. "
        "Blingen spoke with Russian Secretary of State Sergei Lavrov today.”"
    ) in tvn
    assert (
        "Ukraine and Western nations believe that Russia’s deployment of 100,000 troops on the "
        "Ukrainian border is intended to put pressure on Kiev and its supporting capitals."
    ) in tvn


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_offsets_index_the_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    sentences = split_sentences(text, doc_id="d")
    assert sentences
    previous_end = 0
    for sentence in sentences:
        assert sentence.doc_id == "d"
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text
        assert "\n" not in sentence.text
        assert sentence.start >= previous_end
        previous_end = sentence.end
    # Nothing but whitespace is lost between sentences.
    covered = "".join(s.text for s in sentences)
    assert "".join(covered.split()) == "".join(text.split())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_sub_range_offsets(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    whole = split_sentences(text)
    middle = whole[len(whole) // 2]
    start, end = middle.start - 3, len(text) - 5
    part = split_sentences(text, start=start, end=end)
    assert all(start <= s.start < s.end <= end for s in part)
    assert all(text[s.start : s.end] == s.text for s in part)
    # Apart from the cut edges, splitting a range gives the same sentences as the whole.
    inner = {(s.start, s.end) for s in part[1:-1]}
    assert inner <= {(s.start, s.end) for s in whole}


def _best_time(run: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        begin = time.perf_counter()
        run()
        times.append(time.perf_counter() - begin)
    return min(times)


def test_fast_on_a_story_sized_corpus() -> None:
    """Splitting costs a small multiple of finding the words (a floor timed in the same run,
    so a busy machine slows both): about 2x here."""
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in EXAMPLES) * 5  # ~23k words
    assert len(split_sentences(corpus)) > 1000
    words = re.compile(r"\w+")
    assert _best_time(lambda: split_sentences(corpus)) < 10 * _best_time(
        lambda: words.findall(corpus)
    )
