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
    """The one set of trafilatura options storybrief uses for the main text (comments on).

    Metadata is read separately (``_metadata``), on the same parsed tree. ``fast``: no
    readability/jusText fallback extraction to compare with; on pages whose comment sections
    are cut from the tree first it kept more article text (Dragnet 0.943 against 0.934,
    Scrapinghub 0.975 against 0.974; same comment scores) in three quarters of the time.
    """
    from trafilatura.settings import Extractor

    return Extractor(
        output_format="python", fast=True, comments=True, tables=True, with_metadata=False, url=url
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

    ``default_published`` (a crawl date) is used only when neither gives a date. The page is
    parsed once: its reader-comment containers are cut from the tree (``html_comments``),
    metadata read from what is left, and trafilatura extracts the main text from it.

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
        extracted, found_meta, dom_lines = _extract(html, url)
    except RecursionError:
        raise ReadFailure("HTML nested too deeply to parse") from None
    except ReadFailure:
        raise
    except Exception as exc:  # noqa: BLE001 - a third-party parser on hostile input
        LOGGER.debug("trafilatura failed on %s", path, exc_info=True)
        raise ReadFailure(f"HTML could not be parsed ({type(exc).__name__}: {exc})") from None
    given = {key: value for key, value in (meta or {}).items() if value}
    title = one_line(given.get("title") or found_meta.get("title"))
    body = _split(extracted.text) if extracted is not None else []
    comments = _split(extracted.comments) if extracted is not None else []
    if not body and not comments and not any(_shingles(t) for t in dom_lines):
        raise ReadFailure("no article text found in the HTML")
    headings = _headings(getattr(extracted, "body", None))
    comment_headings = _headings(getattr(extracted, "commentsbody", None))
    published = given.get("published") or iso_date(found_meta.get("date")) or default_published
    found: dict[str, str | None] = {
        "url": url or found_meta.get("url"),
        "title": title,
        "published": published,
        "author": one_line(found_meta.get("author")),
        "site": one_line(found_meta.get("sitename")) or found_meta.get("hostname"),
    }
    found.update(given)
    lines = list(_labelled(title, body, comments, headings, comment_headings))
    lines = comment_zone(lines, dom_lines)
    return lines_document(lines, path, fmt, found)


def _extract(html: str, url: str | None) -> tuple[Any, dict[str, Any], list[str]]:
    """Parse once; cut the comment containers; metadata and trafilatura's main text."""
    import trafilatura  # imported on first use: ~0.15 s that text-only runs never pay
    from trafilatura.utils import load_html

    from storybrief.read.html_comments import cut_comment_sections
    from storybrief.read.html_meta import page_metadata

    tree = load_html(html)
    if tree is None:
        raise ReadFailure("HTML could not be parsed (no document tree)")
    dom_lines = cut_comment_sections(tree)
    found_meta = page_metadata(tree, url)
    extracted = trafilatura.bare_extraction(tree, options=_extractor(url))
    if isinstance(extracted, dict):
        extracted = None
    return extracted, found_meta, dom_lines


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


# --- the comment zone: trafilatura's split revised by the DOM and the line structure -------

_SHINGLE = 5


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def comment_zone(lines: list[tuple[str, BlockLabel]], dom_lines: list[str]) -> list[tuple[str, BlockLabel]]:
    """Move reader comments out of the reporting and add the DOM's comment sections.

    Body lines after a comment-section opener that the line model places in the comment
    zone become comments. ``dom_lines`` (the text of the comment containers cut from the
    page, see ``html_comments``) follow the article: section openers ("12 Comments") and
    comment-form furniture ("Reply", "Leave a Reply") are ``boilerplate``, the rest
    ``comment``: a comment's "Posted by NAME at DATE" line too, as the plain-text line model
    labels it (and as the Dragnet gold counts it).
    trafilatura's own comment lines that repeat a container line are not added twice.
    """
    from storybrief.clean.line_features import is_comment_opener, page_features
    from storybrief.clean.lines import COMMENTS, LineModel

    zones = [0] * len(lines)  # no opener: the reporting stays as trafilatura found it
    if any(label in ("body", "heading") and is_comment_opener(t) for t, label in lines):
        # The title line is the page's metadata put on top, not the post's own first line: the
        # post's header (byline, date, a "trackback" link) is counted from the line under it.
        own = [i for i, (_, label) in enumerate(lines) if label != "title"]
        own_zones, _ = LineModel.load().zones(page_features([lines[i][0] for i in own]))
        for i, zone in zip(own, own_zones, strict=True):
            zones[i] = zone
    out: list[tuple[str, BlockLabel]] = []
    in_comments = False
    for (text, label), zone in zip(lines, zones, strict=True):
        if label not in ("body", "heading"):
            continue
        opener = is_comment_opener(text)
        if opener and (label == "heading" or zone == COMMENTS):
            in_comments = True
            out.append((text, "boilerplate"))
        elif in_comments and (zone == COMMENTS or not _shingles(text)):
            out.append((text, "comment"))
        else:
            out.append((text, label))
    head = [(t, label) for t, label in lines if label == "title"]
    seen = set(dom_lines)
    dom = [(t, _dom_label(t)) for t in dom_lines if _WORD.search(t)]
    rest = [(t, label) for t, label in lines if label not in ("title", "body", "heading") and t not in seen]
    return head + out + dom + rest


def _dom_label(text: str) -> BlockLabel:
    from storybrief.clean.furniture import is_furniture
    from storybrief.clean.line_features import is_comment_opener

    if is_comment_opener(text) or is_furniture(text, in_comments=True):
        return "boilerplate"
    return "comment"
