"""Reader reaction summary on the bundled example crawls and small inline threads."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybrief.clean.lines import label_lines
from storybrief.clean.quoting import mark_quoted_comments
from storybrief.model import Block, Document
from storybrief.summarize.reactions import normalise_url, summarize_reactions

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _load(path: Path) -> Document:
    text = path.read_text(encoding="utf-8")
    doc = Document(id=path.stem[:3], text=text, blocks=label_lines(text))
    mark_quoted_comments(doc)
    return doc


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return [_load(p) for p in sorted(EXAMPLES.glob("*.txt"))]


def _thread(article: str, comments: list[str], doc_id: str = "t") -> Document:
    """A document of one body line followed by comment lines, labelled by hand."""
    text = "\n".join([article, *comments])
    blocks, pos = [], 0
    for i, line in enumerate(text.split("\n")):
        blocks.append(Block(pos, pos + len(line), line, "body" if i == 0 else "comment"))
        pos += len(line) + 1
    doc = Document(id=doc_id, text=text, blocks=blocks)
    mark_quoted_comments(doc)
    return doc


def test_counts_follow_the_labels(docs: list[Document]) -> None:
    r = summarize_reactions(docs)
    for doc in docs:
        assert r.per_document[doc.id] == len(doc.blocks_labelled("comment"))
    assert r.total == sum(r.per_document.values())
    assert r.per_document["004"] == 0  # the translated news page has no comments


def test_pasted_article_is_counted_and_never_representative(docs: list[Document]) -> None:
    r = summarize_reactions(docs)
    # 000 pastes Putin's quote, 001 pastes Donfried's paragraph.
    assert r.quoting_article >= 2
    pasted = {(d.id, b.start) for d in docs for b in d.blocks_labelled("comment") if b.quotes_span}
    shown = r.representative + [e for t in r.themes for e in t.examples]
    assert shown
    assert not {(c.doc_id, c.start) for c in shown} & pasted


def test_examples_cite_exact_spans_and_say_something(docs: list[Document]) -> None:
    r = summarize_reactions(docs)
    by_id = {d.id: d for d in docs}
    for ref in r.representative + [e for t in r.themes for e in t.examples]:
        assert by_id[ref.doc_id].text[ref.start : ref.end] == ref.text
        assert len(ref.text.split()) >= 6
        assert not ref.text.startswith("http")
    texts = [c.text for c in r.representative]
    assert "Ours." not in texts and "Thank you." not in texts
    assert len(set(texts)) == len(texts)


def test_themes_find_what_readers_argue_about(docs: list[Document]) -> None:
    r = summarize_reactions(docs)
    assert 3 <= len(r.themes) <= 6
    terms = {t.lower() for theme in r.themes for t in theme.terms}
    assert "sanctions" in terms
    assert "nato" in terms
    # Story-wide words are not themes.
    assert "russia" not in terms
    for theme in r.themes:
        assert theme.comment_count >= 2
        assert theme.label
    counts = [t.comment_count for t in r.themes]
    assert counts == sorted(counts, reverse=True)


def test_links_are_normalised_and_counted(docs: list[Document]) -> None:
    r = summarize_reactions(docs)
    urls = dict(r.links)
    assert "https://thesaker.is/lavrov-and-putin-on-the-us-nato-replies" in urls
    doc = _thread(
        "Talks in Geneva ended without a deal on Friday.",
        [
            "Read this: https://www.Example.com/story/?utm_source=x&id=3#top",
            "Same here http://example.com/story?id=3.",
            "Another view https://other.org/a",
        ],
    )
    links = summarize_reactions([doc]).links
    assert links == [("https://example.com/story?id=3", 2), ("https://other.org/a", 1)]


def test_normalise_url_keeps_meaningful_parts() -> None:
    assert normalise_url("www.site.org/a/b/") == "https://site.org/a/b"
    assert normalise_url("https://site.org/p?page=2&fbclid=abc") == "https://site.org/p?page=2"


def test_inline_thread_groups_comments_by_topic() -> None:
    doc = _thread(
        "The foreign ministers met in Geneva on Friday and agreed to talk again next week.",
        [
            "The sanctions on oil exports never worked and never will work against them.",
            "More sanctions on oil exports will just raise fuel prices for everyone here.",
            "Oil sanctions hurt the poorest people first, as they always do in the end.",
            "NATO expansion to the east is what started this whole mess in the first place.",
            "Stop the NATO expansion and the tension goes away within a single month.",
            "Ours.",
        ],
    )
    r = summarize_reactions([doc])
    assert r.total == 6 and r.quoting_article == 0
    labels = {t.lower() for theme in r.themes for t in theme.terms}
    assert {"oil", "sanctions", "nato expansion"} <= labels
    sizes = sorted(t.comment_count for t in r.themes)
    assert sizes == [2, 3]


def test_deterministic(docs: list[Document]) -> None:
    assert summarize_reactions(docs) == summarize_reactions(docs)
    assert summarize_reactions(list(docs)) == summarize_reactions(docs[:])


def test_no_comments() -> None:
    doc = _thread("Only an article here, nobody commented on it yet.", [])
    r = summarize_reactions([doc])
    assert r.total == 0 and r.themes == [] and r.representative == [] and r.links == []
