"""Comments that paste article text, on the bundled examples and small inline pages."""

from __future__ import annotations

from pathlib import Path

from storybrief.clean.quoting import MIN_QUOTED_WORDS, find_quoted_span, mark_quoted_comments
from storybrief.model import Block, BlockLabel, Document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def build(text: str, body: set[int]) -> Document:
    """One block per non-empty line; 1-based line numbers in ``body`` are body, others comments."""
    blocks: list[Block] = []
    pos = 0
    for number, line in enumerate(text.split("\n"), 1):
        label: BlockLabel = "body" if number in body else "comment"
        if line.strip():
            blocks.append(Block(pos, pos + len(line), line, label))
        pos += len(line) + 1
    return Document(id="doc", text=text, blocks=blocks)


def example(prefix: str, body: set[int]) -> Document:
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    return build(path.read_text(encoding="utf-8"), body)


def line(doc: Document, number: int) -> Block:
    """The block of 1-based line ``number``."""
    (block,) = [b for b in doc.blocks if doc.text.count("\n", 0, b.start) + 1 == number]
    return block


def marked_lines(doc: Document) -> list[int]:
    return [doc.text.count("\n", 0, b.start) + 1 for b in doc.blocks if b.quotes_span]


def test_example_000_comment_pastes_putin_quote() -> None:
    doc = example("000", body=set(range(1, 9)))
    mark_quoted_comments(doc)
    assert marked_lines(doc) == [12]
    comment, article = line(doc, 12), line(doc, 5)
    assert comment.quotes_span is not None
    start, end = comment.quotes_span
    assert article.start <= start < end <= article.end
    # The whole paste, quotation marks included, and it is the article's opening passage.
    assert doc.text[start:end] == comment.text
    assert start == article.start
    assert doc.text[start:end].endswith("Has anyone thought about it?”")


def test_example_000_comment_quoting_another_comment_is_not_marked() -> None:
    doc = example("000", body=set(range(1, 9)))
    mark_quoted_comments(doc)
    # Line 29 quotes comment line 26, not the article.
    assert line(doc, 29).quotes_span is None
    assert line(doc, 26).text.find(line(doc, 29).text.strip("“”")) >= 0


def test_example_001_comment_copies_whole_paragraph() -> None:
    doc = example("001", body=set(range(1, 8)))
    mark_quoted_comments(doc)
    assert marked_lines(doc) == [18]
    article = line(doc, 4)
    assert line(doc, 18).quotes_span == (article.start, article.end)


def test_paste_inside_own_words_points_at_the_sentence_only() -> None:
    article = (
        "Russia submitted its proposals to the US last week amid heightened tensions. "
        "Moscow is seeking several guarantees, including one that NATO won't expand eastward."
    )
    comment = (
        'Re: "moscow is seeking several guarantees, including one that NATO won’t expand '
        'eastward" -- they were promised that in 1990.'
    )
    doc = build(f"{article}\n{comment}", body={1})
    mark_quoted_comments(doc)
    span = doc.blocks[1].quotes_span
    assert span is not None
    assert doc.text[span[0] : span[1]] == (
        "Moscow is seeking several guarantees, including one that NATO won't expand eastward"
    )


def test_comment_sharing_only_common_words_is_not_marked() -> None:
    article = (
        "Despite his frustration, Putin still said Russia is interested in continuing talks to "
        "ease tensions in the region, a State Department official said on Tuesday."
    )
    comments = [
        "Putin said Russia is interested in talks? The State Department official said nothing.",
        "Tensions in the region will not ease while the State Department keeps talking.",
    ]
    doc = build("\n".join([article, *comments]), body={1})
    mark_quoted_comments(doc)
    assert [b.quotes_span for b in doc.blocks[1:]] == [None, None]


def test_minimum_length_is_respected() -> None:
    article = (
        "The talks between the two diplomats came just a day after Russia unveiled naval drills."
    )
    words = article.split()
    short = " ".join(words[: MIN_QUOTED_WORDS - 1])
    enough = " ".join(words[:MIN_QUOTED_WORDS])
    doc = build(article, body={1})
    assert find_quoted_span(f"So: {short}", doc) is None
    span = find_quoted_span(f"So: {enough}", doc)
    assert span is not None and doc.text[span[0] : span[1]] == enough


def test_rerun_clears_stale_marks_and_leaves_other_blocks_alone() -> None:
    doc = example("001", body=set(range(1, 8)))
    line(doc, 20).quotes_span = (0, 5)
    line(doc, 1).quotes_span = (0, 5)
    mark_quoted_comments(doc)
    mark_quoted_comments(doc)
    assert line(doc, 20).quotes_span is None
    assert line(doc, 1).quotes_span == (0, 5)
    assert marked_lines(doc) == [1, 18]


def test_document_without_reporting_blocks() -> None:
    doc = build("A comment that says a few things about the talks in Geneva today.", body=set())
    mark_quoted_comments(doc)
    assert doc.blocks[0].quotes_span is None


def test_a_link_whose_slug_repeats_a_headline_is_not_a_paste() -> None:
    text = (
        "Lavrov and Putin on the US and NATO replies to the security proposals\n"
        "https://example.org/lavrov-and-putin-on-the-us-and-nato-replies-to-the-security-proposals/\n"
        "Read this: Lavrov and Putin on the US and NATO replies to the security proposals"
    )
    doc = build(text, body={1})
    mark_quoted_comments(doc)
    assert marked_lines(doc) == [3]  # the pasted headline counts, the bare link does not
