"""Duplicate marking on the bundled example crawls and edited copies of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybrief.clean.duplicates import (
    DEFAULT_THRESHOLD,
    comparison_text,
    mark_duplicates,
    normalised_words,
    shingles,
)
from storybrief.model import Block, BlockLabel, Document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
#: Example 000: article lines 1-8, reader comments from line 9 on.
ARTICLE_000_LINES = 8


def example_text(prefix: str) -> str:
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def labelled(doc_id: str, lines: list[str], body_lines: int) -> Document:
    """A document of ``lines`` whose first ``body_lines`` are body and the rest comments."""
    text = "\n".join(lines)
    blocks: list[Block] = []
    pos = 0
    for number, line in enumerate(lines, 1):
        label: BlockLabel = "body" if number <= body_lines else "comment"
        if line.strip():
            blocks.append(Block(pos, pos + len(line), line, label))
        pos += len(line) + 1
    return Document(id=doc_id, text=text, blocks=blocks)


@pytest.fixture(scope="module")
def lines_000() -> list[str]:
    return example_text("000").split("\n")


def test_words_ignore_case_punctuation_and_wrapping() -> None:
    assert normalised_words("“Should we fight NATO then?”\nHas anyone") == normalised_words(
        '"should  we fight nato then" has ANYONE'
    )
    assert shingles(["a", "b"]) == {"a b"}
    assert len(shingles([str(i) for i in range(10)])) == 6


def test_same_article_with_other_comments_is_a_duplicate(lines_000: list[str]) -> None:
    article = lines_000[:ARTICLE_000_LINES]
    original = labelled("orig", lines_000, ARTICLE_000_LINES)
    copy = labelled("copy", [*article, "First!", "Who pays for all this?"], ARTICLE_000_LINES)
    mark_duplicates([original, copy])
    assert original.duplicate_of is None
    assert copy.duplicate_of == "orig"
    assert copy.duplicate_similarity == 1.0  # reporting text is identical


def test_rewrapped_and_edited_copy_is_a_near_duplicate(lines_000: list[str]) -> None:
    article = "\n".join(lines_000[:ARTICLE_000_LINES])
    # Re-wrapped into short lines with straight quotes, a new headline, three words changed.
    edited = (
        article.replace("Tuesday", "Wednesday", 1)
        .replace("follow-up questions", "further questions")
        .replace("tough sanctions", "harsh sanctions")
        .replace("“", '"')
        .replace("”", '"')
    )
    assert edited != article
    wrapped = "US, Russia keep talking\n" + "\n".join(
        edited[i : i + 70] for i in range(0, len(edited), 70)
    )
    docs = [Document(id="a", text=article), Document(id="b", text=wrapped)]
    mark_duplicates(docs)
    assert docs[1].duplicate_of == "a"
    assert docs[1].duplicate_similarity is not None
    assert DEFAULT_THRESHOLD <= docs[1].duplicate_similarity < 1.0


def test_different_examples_are_not_duplicates() -> None:
    docs = [Document(id=p.stem, text=p.read_text("utf-8")) for p in sorted(EXAMPLES.glob("*.txt"))]
    assert len(docs) == 5
    mark_duplicates(docs)
    assert all(d.duplicate_of is None and d.duplicate_similarity is None for d in docs)


def test_copies_point_to_the_earliest_document() -> None:
    texts = {p.stem[:3]: p.read_text("utf-8") for p in EXAMPLES.glob("*.txt")}
    docs = [
        Document(id="x1", text=texts["001"]),
        Document(id="y1", text=texts["002"]),
        Document(id="x2", text=texts["001"].upper()),  # exact after normalisation
        Document(id="x3", text=texts["001"] + "\nOne more reader comment about the talks."),
        Document(id="y2", text=texts["002"]),
    ]
    mark_duplicates(docs)
    assert [d.duplicate_of for d in docs] == [None, None, "x1", "x1", "y1"]
    assert docs[2].duplicate_similarity == 1.0
    assert docs[4].duplicate_similarity == 1.0
    assert docs[3].duplicate_similarity is not None and docs[3].duplicate_similarity > 0.9


def test_deterministic_and_rerunnable(lines_000: list[str]) -> None:
    article = "\n".join(lines_000[:ARTICLE_000_LINES])

    def run() -> list[tuple[str | None, float | None]]:
        docs = [
            Document(id="a", text=article),
            Document(id="b", text=article.replace("Lavrov", "Lavrow")),
        ]
        mark_duplicates(docs)
        mark_duplicates(docs)  # a second pass replaces, never accumulates
        return [(d.duplicate_of, d.duplicate_similarity) for d in docs]

    first = run()
    assert first == run()
    assert first[1][0] == "a"


def test_empty_documents_do_not_crash_and_are_never_duplicates() -> None:
    docs = [Document(id="e1", text=""), Document(id="e2", text="  \n…"), Document(id="e3", text="")]
    mark_duplicates(docs)
    assert all(d.duplicate_of is None for d in docs)


def test_blocks_without_reporting_fall_back_to_whole_text() -> None:
    doc = Document(
        id="c", text="only a comment", blocks=[Block(0, 14, "only a comment", "comment")]
    )
    assert comparison_text(doc) == "only a comment"


def test_different_articles_sharing_one_paragraph_stay_apart(lines_000: list[str]) -> None:
    texts = {p.stem[:3]: p.read_text("utf-8") for p in EXAMPLES.glob("*.txt")}
    shared = lines_000[3]
    docs = [
        Document(id="a", text=texts["001"] + "\n" + shared),
        Document(id="b", text=texts["003"] + "\n" + shared),
    ]
    mark_duplicates(docs)
    assert docs[1].duplicate_of is None


def test_threshold_is_validated() -> None:
    with pytest.raises(ValueError, match="threshold"):
        mark_duplicates([], threshold=0.0)


def test_minhash_lsh_path_agrees_with_exact_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large runs go through datasketch's MinHash LSH; it must mark what exact Jaccard marks."""
    from storybrief.clean import duplicates

    def build() -> list[Document]:
        texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
        edited = texts[3].replace("luxury Swiss hotel", "Swiss hotel").replace("Friday", "Thursday")
        return [Document(id=f"d{i}", text=t) for i, t in enumerate([*texts, edited, texts[1]])]

    exact = build()
    mark_duplicates(exact)
    monkeypatch.setattr(duplicates, "LSH_MIN_DOCUMENTS", 0)
    sketched = build()
    mark_duplicates(sketched)
    assert [d.duplicate_of for d in sketched] == [d.duplicate_of for d in exact]
    assert [d.duplicate_of for d in exact][-2:] == ["d3", "d1"]
    near = sketched[-2].duplicate_similarity
    assert near is not None and abs(near - (exact[-2].duplicate_similarity or 0)) < 0.1
