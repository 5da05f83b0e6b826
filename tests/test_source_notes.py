"""Source notes on the bundled example crawls and small inline texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybrief.analyze.entities import extract_entities
from storybrief.analyze.source_notes import SourceNote, source_notes
from storybrief.clean.lines import label_lines
from storybrief.model import Block, Document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    out = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out.append(Document(id=path.stem[:3], text=text, blocks=label_lines(text)))
    return out


@pytest.fixture(scope="module")
def notes(docs: list[Document]) -> dict[str, SourceNote]:
    entities = extract_entities([(d.id, d.reporting_text) for d in docs])
    return {n.doc_id: n for n in source_notes(docs, entities)}


def _body_doc(lines: list[str], doc_id: str = "x") -> Document:
    text = "\n".join(lines)
    blocks, pos = [], 0
    for line in lines:
        blocks.append(Block(pos, pos + len(line), line, "body"))
        pos += len(line) + 1
    return Document(id=doc_id, text=text, blocks=blocks)


def test_report_with_glued_opinion_post_is_mixed(notes: dict[str, SourceNote]) -> None:
    note = notes["003"]
    assert note.kind == "mixed"
    assert all(s.startswith("post 2/2") for s in note.opinion_signals)
    assert any("LOOKED" in s for s in note.opinion_signals)


def test_plain_reports_are_reporting(notes: dict[str, SourceNote]) -> None:
    for doc_id in ("000", "001", "002", "004"):
        assert notes[doc_id].kind == "reporting", notes[doc_id].opinion_signals


def test_machine_translation_signs(notes: dict[str, SourceNote]) -> None:
    signs = " | ".join(notes["004"].machine_translation)
    assert "Blingen" in signs and "consensus: Antony Blinken" in signs
    assert "Anthony Bling " in signs or "Anthony Bling (" in signs
    # Lavrov given Blinken's title is a calque of the translation.
    assert "Lavrov called Secretary of State" in signs
    for doc_id in ("000", "001", "002", "003"):
        assert notes[doc_id].machine_translation == []


def test_shares_and_counts(docs: list[Document], notes: dict[str, SourceNote]) -> None:
    for doc in docs:
        note = notes[doc.id]
        assert sum(note.counts.values()) == len(doc.blocks)
        assert abs(sum(note.shares.values()) - 1.0) < 0.01
    assert notes["004"].shares["comment"] == 0.0
    assert notes["002"].shares["comment"] > 0.4  # a long reader thread under a short report
    assert notes["002"].counts["boilerplate"] >= 3


def test_duplicate_and_language_are_passed_on() -> None:
    doc = _body_doc(["Talks ended in Geneva.", "Officials said more talks would follow."], "b")
    doc.duplicate_of, doc.language = "a", "en"
    (note,) = source_notes([doc])
    assert note.duplicate_of == "a" and note.language == "en"


def test_inline_opinion_column() -> None:
    doc = _body_doc(
        [
            "Let's be honest about these talks. I think they were a farce from the start.",
            "You can see it in every handshake. Why would anyone believe a word of it?",
            "We have heard these promises before, and we will hear them again!",
            "Frankly, the whole thing was NOT about peace. It was theatre, and we paid for it.",
        ]
    )
    (note,) = source_notes([doc])
    assert note.kind == "opinion"
    joined = " ".join(note.opinion_signals)
    assert "first person" in joined and "few attributions" in joined


def test_inline_wire_report_with_quotes_is_reporting() -> None:
    doc = _body_doc(
        [
            'GENEVA (AP) - "We are ready to talk," the foreign minister told reporters on Friday.',
            "The talks lasted 90 minutes, according to a State Department official.",
            '"I think we made progress. Did we solve everything? No!" the minister added.',
            "Both sides said they would meet again next week in Vienna.",
        ]
    )
    (note,) = source_notes([doc])
    assert note.kind == "reporting", note.opinion_signals


def test_no_reporting_blocks() -> None:
    text = "Great article!\nThanks."
    doc = Document(
        id="c",
        text=text,
        blocks=[Block(0, 14, "Great article!", "comment"), Block(15, 22, "Thanks.", "comment")],
    )
    (note,) = source_notes([doc])
    assert note.kind == "reporting" and note.opinion_signals == []
    assert note.shares["comment"] == 1.0


def test_lowered_expressions_answer_as_the_case_insensitive_ones() -> None:
    """The fast path of the opinion rates: only ``_CASE_TRAPS`` match an ASCII letter ignoring
    case but not once lower-cased (every code point), lower-casing never changes whether a
    character is a word character, and on real sentences both give the same answers."""
    import re
    import sys

    from eval_data import eval_rows

    from storybrief.analyze import source_notes as notes
    from storybrief.analyze.sentences import split_sentences

    points = "".join(chr(p) for p in range(sys.maxunicode + 1) if not 0xD800 <= p <= 0xDFFF)
    # Lower-casing changes a character's length or word-ness, or its match with an ASCII
    # letter ignoring case differs from that of its lower case.
    changed = [(c, c.lower()) for c in points if c.lower() != c]
    traps = {c for c, lower in changed if len(lower) != 1}
    word = re.compile(r"\w")
    traps |= {c for c, lower in changed if bool(word.match(c)) != bool(word.match(lower))}
    ascii_like = set(re.findall("(?i)[a-z]", points)) | {c for c, lower in changed if lower.isascii()}
    traps |= {
        c
        for c in ascii_like
        for letter in "abcdefghijklmnopqrstuvwxyz"
        if bool(re.fullmatch(letter, c, re.IGNORECASE)) != (c.lower() == letter)
    }
    assert traps == notes._CASE_TRAPS
    texts = [row["text"] for row in eval_rows("quotes/polnear-dev.jsonl.gz")]
    sentences = [s.text for t in texts for s in split_sentences(t)]
    sentences += ["CLEARLY, AS DIPLOMATS SAID, I THINK", "İ think, ſo-called, ıt seems"]
    for sentence in sentences:
        assert notes._attributes(sentence) == bool(notes._ATTRIBUTION_RE.search(sentence))
        assert notes._evaluative_count(sentence) == len(notes._EVALUATIVE_RE.findall(sentence))
    assert sum(map(notes._attributes, sentences)) > 100
    assert sum(map(notes._evaluative_count, sentences)) > 20
