"""HTML pages whose reader comments sit in the layouts real sites use (issue 12, HTML).

Each page is built from a seed crawl (``examples/``): the article lines the seed's gold labels
call ``body`` become the article's paragraphs, its ``comment`` lines the readers' comments,
each under its poster's metadata line, inside the markup of one common site template: a
WordPress comment list after a "N thoughts on" heading with a reply form; a Movable Type
layout table (article and comments in one cell, ``commentbody`` blocks, "Posted by: NAME at
DATE"); a Blogger ``comments-block`` under "N comments:"; comments in unnamed ``<div>``s after
a "Comments" heading. trafilatura alone leaves the comments of some of these in the main text.
"""

from __future__ import annotations

import csv
from html import escape
from pathlib import Path

import pytest

from storybrief.clean import clean_document
from storybrief.model import Document
from storybrief.read.html import html_document
from storybrief.read.html_comments import comment_containers, is_comment_container

ROOT = Path(__file__).resolve().parents[1]
LABELS = Path(__file__).parent / "data" / "example_line_labels.tsv"
SEEDS_WITH_COMMENTS = [
    "000_14b6d52274cd5d96.txt",
    "001_e3bfd45d89a0bb3a.txt",
    "002_aa70204ed8885158.txt",
    "003_06a713c4930c40d3.txt",
]
FURNITURE = [
    "Reply",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Save my name, email, and website in this browser for the next time I comment.",
    "Post a Comment",
    "You must be logged in to post a comment.",
]


def seed(name: str) -> tuple[str, list[str], list[str]]:
    """Title, article lines and comment lines of a seed crawl, by its gold labels."""
    lines = (ROOT / "examples" / name).read_text(encoding="utf-8").splitlines()
    with LABELS.open(encoding="utf-8") as handle:
        gold = {
            int(row["line"]): row["label"]
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            if row["file"] == name
        }
    body = [lines[n - 1] for n, label in sorted(gold.items()) if label == "body"]
    comments = [lines[n - 1] for n, label in sorted(gold.items()) if label == "comment"]
    titles = [lines[n - 1] for n, label in gold.items() if label == "title"]
    return (titles[0] if titles else "Talks on European security"), body, comments


def _posted(n: int) -> tuple[str, str]:
    return f"Reader{n}", f"March {n % 27 + 1}, 2024 at {n % 12 + 1}:{n % 60:02d} pm"


def wordpress(title: str, body: list[str], comments: list[str]) -> str:
    items = "".join(
        f'<li id="comment-{n}" class="comment even depth-1"><article class="comment-body">'
        f'<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{_posted(n)[0]}'
        f'</b> <span class="says">says:</span></div><div class="comment-metadata"><time>{_posted(n)[1]}'
        f'</time></div></footer><div class="comment-content"><p>{escape(text)}</p></div>'
        f'<div class="reply"><a class="comment-reply-link">Reply</a></div></article></li>'
        for n, text in enumerate(comments, start=1)
    )
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body)
    return (
        f'<html><head><title>{escape(title)}</title></head><body class="single comments-open">'
        f'<div id="page" class="site has-comments"><div id="main" class="content-with-comments">'
        f'<article class="post hentry"><h1 class="entry-title">{escape(title)}</h1>'
        f'<div class="entry-meta"><a class="comments-link" href="#comments">{len(comments)} Comments</a></div>'
        f'<div class="entry-content">{paragraphs}</div></article>'
        f'<div id="comments" class="comments-area"><h2 class="comments-title">{len(comments)} thoughts on '
        f"&ldquo;{escape(title)}&rdquo;</h2><ol class=\"comment-list\">{items}</ol>"
        f'<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Leave a Reply</h3>'
        f'<form id="commentform"><p class="comment-notes">Your email address will not be published. '
        f'Required fields are marked *</p><p><label for="author">Name</label><input id="author"></p>'
        f'<p class="comment-form-cookies-consent"><input type="checkbox"> Save my name, email, and '
        f"website in this browser for the next time I comment.</p></form></div></div></div></div>"
        f"</body></html>"
    )


def movable_type(title: str, body: list[str], comments: list[str]) -> str:
    items = "".join(
        f'<div class="commentbody by-reader{n}"><div id="c{9730 + n}"><p>{escape(text)}</p></div>'
        f"<p>Posted by: {_posted(n)[0]} at {_posted(n)[1]}</p></div>"
        for n, text in enumerate(comments, start=1)
    )
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body)
    return (
        f"<html><head><title>Blog: {escape(title)}</title></head><body>"
        f'<table class="main"><tr><td class="sidebar"><h3>Blog Menu</h3><p>Archives by Date</p></td>'
        f'<td class="contentcell"><h2 class="date">March 1, 2024</h2><h1>{escape(title)}</h1>'
        f'{paragraphs}<p class="posted">Posted on March 1, 2024 at 6:01 AM</p>'
        f'<h3 id="comments">Comments</h3>{items}<p>You must be logged in to post a comment.</p>'
        f"</td></tr></table></body></html>"
    )


def blogger(title: str, body: list[str], comments: list[str]) -> str:
    items = "".join(
        f'<dt class="comment-author" id="c{n}">{_posted(n)[0]} said...</dt>'
        f'<dd class="comment-body"><p>{escape(text)}</p></dd>'
        f'<dd class="comment-footer"><span class="comment-timestamp">{n % 12 + 1}:15 PM</span></dd>'
        for n, text in enumerate(comments, start=1)
    )
    paragraphs = "<br/>".join(escape(p) for p in body)
    return (
        f"<html><head><title>{escape(title)}</title></head><body><div class=\"blog-posts\">"
        f'<div class="post hentry"><h3 class="post-title">{escape(title)}</h3>'
        f'<div class="post-body entry-content">{paragraphs}</div></div>'
        f'<div class="comments" id="comments"><h4>{len(comments)} comments:</h4>'
        f'<div id="Blog1_comments-block-wrapper"><dl id="comments-block">{items}</dl></div>'
        f'<p class="comment-footer"><a href="#">Post a Comment</a></p></div></div></body></html>'
    )


def unnamed_divs(title: str, body: list[str], comments: list[str]) -> str:
    items = "".join(
        f'<div id="c{n}"><p>{escape(text)}</p><p>Posted by: {_posted(n)[0]} at {_posted(n)[1]}</p></div>'
        for n, text in enumerate(comments, start=1)
    )
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body)
    return (
        f"<html><head><title>{escape(title)}</title></head><body><div id=\"container\">"
        f'<div class="content"><h1>{escape(title)}</h1>{paragraphs}'
        f"<p>Posted by Editor at March 1, 2024 01:23 PM</p>"
        f'<h2 id="comments">Comments</h2>{items}</div></div></body></html>'
    )


TEMPLATES = [wordpress, movable_type, blogger, unnamed_divs]


def _found(line: str, texts: list[str]) -> bool:
    key = " ".join(line.split())[:60]
    return any(key in " ".join(t.split()) for t in texts)


def _read(template, name: str) -> tuple[Document, list[str], list[str]]:  # type: ignore[no-untyped-def]
    title, body, comments = seed(name)
    doc = clean_document(html_document(template(title, body, comments), f"{name}.html"))
    return doc, body, comments


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.__name__)
@pytest.mark.parametrize("name", SEEDS_WITH_COMMENTS)
def test_comments_of_common_templates_leave_the_reporting(template, name: str) -> None:  # type: ignore[no-untyped-def]
    doc, body, comments = _read(template, name)
    reporting = [b.text for b in doc.blocks if b.label in ("title", "heading", "body")]
    found = [b.text for b in doc.blocks_labelled("comment")]
    # readers who paste an article sentence are left out: that text is the article's too
    long_comments = [c for c in comments if len(c.split()) >= 5 and not _found(c, body)]
    assert not [c for c in long_comments if _found(c, reporting)]  # no reader in the reporting
    assert sum(_found(c, found) for c in long_comments) >= 0.9 * len(long_comments)
    kept = sum(_found(line, reporting) for line in body)
    assert kept >= 0.9 * len(body)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.__name__)
def test_comment_section_headers_and_forms_are_not_comments(template) -> None:  # type: ignore[no-untyped-def]
    doc, _, comments = _read(template, SEEDS_WITH_COMMENTS[0])
    found = [b.text for b in doc.blocks_labelled("comment")]
    for furniture in FURNITURE:
        assert furniture not in found
    openers = {f"{len(comments)} comments:", "Comments"}
    assert not openers & set(found)
    assert not any(t.startswith(f"{len(comments)} thoughts on") for t in found)
    assert not any(t.startswith(("Name", "Blog Menu", "Archives")) for t in found)


def test_metadata_lines_stay_with_their_comments() -> None:
    doc, _, comments = _read(movable_type, SEEDS_WITH_COMMENTS[1])
    found = [b.text for b in doc.blocks_labelled("comment")]
    first = found.index(next(t for t in found if _found(comments[0], [t])))
    assert found[first + 1] == f"Posted by: {_posted(1)[0]} at {_posted(1)[1]}"


def test_article_wrappers_named_for_comments_are_not_cut() -> None:
    """``comments-open`` bodies, ``has-comments`` pages and wrappers holding the <h1> keep
    the article; the comment list inside them is still found."""
    import lxml.html

    title, body, comments = seed(SEEDS_WITH_COMMENTS[0])
    tree = lxml.html.fromstring(wordpress(title, body, comments))
    found = comment_containers(tree)
    assert [el.get("id") for el in found] == ["comments"]
    page = tree.get_element_by_id("page")
    assert not is_comment_container(page)  # "has-comments": a state, not a section
    assert is_comment_container(tree.get_element_by_id("main"))  # a candidate, but it holds the <h1>
    assert tree.get_element_by_id("main") not in found
