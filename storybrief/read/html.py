"""HTML pages: main text, metadata and reader comments, extracted by trafilatura.

The document text is the title, the article's lines and the comments' lines joined by "\\n",
with one Block per line labelled from what trafilatura found: ``title``, ``heading`` (its
``<head>`` elements), ``body`` and ``comment`` (``boilerplate`` for the comment section's
own headings). The labels are "given by the source"
(confidence 1.0); the cleaner may still revise them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from storybrief.model import BlockLabel, Document

if TYPE_CHECKING:
    from trafilatura.settings import Extractor
from storybrief.read.document import Meta, iso_date, lines_document, one_line
from storybrief.read.limits import MAX_HTML_ELEMENTS, ReadFailure, too_large

LOGGER = logging.getLogger(__name__)

_HAS_DOCUMENT_ELEMENT = re.compile(r"<(?:html|body)\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_START_TAG = re.compile(r"<[A-Za-z]")


def _extractor(url: str | None) -> Extractor:
    from trafilatura.settings import Extractor

    """The one set of trafilatura options storybrief uses (comments on, metadata on)."""
    return Extractor(
        output_format="python",
        comments=True,
        tables=True,
        with_metadata=True,
        url=url,
    )


def html_document(
    html: str,
    path: str | None,
    url: str | None = None,
    fmt: str = "html",
    default_published: str | None = None,
    meta: Meta | None = None,
) -> Document:
    """Extract one page; ``meta`` values (from a JSONL record) win over the page's own.

    ``default_published`` (a crawl date) is used only when neither gives a date.

    Raises ReadFailure when the page has no extractable text or cannot be parsed at all
    (including pathological nesting that would exhaust the parser's recursion).
    """
    elements = sum(1 for _ in _START_TAG.finditer(html))
    if elements > MAX_HTML_ELEMENTS:
        raise too_large(elements, MAX_HTML_ELEMENTS, "HTML elements")  # before parsing it
    if not _HAS_DOCUMENT_ELEMENT.search(html[:4096]):
        # trafilatura rejects bare fragments ("<p>..</p>"); give them a document to live in
        html = f"<html><body><div>{html}</div></body></html>"
    try:
        import trafilatura  # imported on first use: ~0.15 s that text-only runs never pay

        extracted = trafilatura.bare_extraction(html, options=_extractor(url))
    except RecursionError:
        raise ReadFailure("HTML nested too deeply to parse") from None
    except Exception as exc:  # noqa: BLE001 - a third-party parser on hostile input
        LOGGER.debug("trafilatura failed on %s", path, exc_info=True)
        raise ReadFailure(f"HTML could not be parsed ({type(exc).__name__}: {exc})") from None
    if extracted is None or isinstance(extracted, dict):
        raise ReadFailure("no article text found in the HTML")
    given = {key: value for key, value in (meta or {}).items() if value}
    title = one_line(given.get("title") or extracted.title)
    body = _split(extracted.text)
    comments = _split(extracted.comments)
    if not body and not comments:
        raise ReadFailure("no article text found in the HTML")
    headings = _headings(extracted.body)
    comment_headings = _headings(getattr(extracted, "commentsbody", None))
    published = given.get("published") or iso_date(extracted.date) or default_published
    found: dict[str, str | None] = {
        "url": url or extracted.url,
        "title": title,
        "published": published,
        "author": one_line(extracted.author),
        "site": one_line(extracted.sitename) or extracted.hostname,
    }
    found.update(given)
    lines = _labelled(title, body, comments, headings, comment_headings)
    return lines_document(lines, path, fmt, found)


def _headings(body: Any) -> set[str]:
    """Texts of the elements trafilatura marked as headings (``<head>`` in its XML)."""
    if body is None:
        return set()
    found = (one_line("".join(el.itertext())) for el in body.iter("head"))
    return {text for text in found if text}


def _split(text: str | None) -> list[str]:
    return [line for line in (one_line(raw) for raw in (text or "").split("\n")) if line]


def _labelled(
    title: str | None,
    body: list[str],
    comments: list[str],
    headings: set[str],
    comment_headings: set[str],
) -> Iterator[tuple[str, BlockLabel]]:
    """Title, then article lines (the page's <h1> is the title again: not repeated), comments.

    A heading inside the comment section ("Comments", "12 responses") is nobody's comment:
    it is labelled boilerplate.
    """
    if title:
        yield title, "title"
        if body and _same_words(body[0], title):
            body = body[1:]
    for line in body:
        yield line, "heading" if line in headings else "body"
    for line in comments:
        yield line, "boilerplate" if line in comment_headings else "comment"


def _same_words(a: str, b: str) -> bool:
    return _WORD.findall(a.lower()) == _WORD.findall(b.lower())
