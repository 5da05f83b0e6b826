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
    """The one set of trafilatura options storybrief uses (comments on, metadata on).

    The date search is htmldate's quick one: the extensive search (``dateparser`` over
    every text node in every locale) took about 80% of reading a Dragnet page, several times
    the extraction itself, and the brief finds dates in the text anyway (``dates``).
    """
    from trafilatura.settings import Extractor, set_date_params

    return Extractor(
        output_format="python",
        comments=True,
        tables=True,
        with_metadata=True,
        url=url,
        date_params=set_date_params(extensive=False),
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
    lines = list(_labelled(title, body, comments, headings, comment_headings))
    lines = comment_zone(lines, _dom_comment_lines(html))
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


# --- the comment zone: trafilatura's split revised by the DOM and the line structure -------

#: class/id names of the containers sites put reader comments in.
_COMMENT_CONTAINER_RE = re.compile(
    r"comment|respond|disqus|replies|reactions|discussion|talkback|dsq-", re.IGNORECASE
)
#: Block-level tags whose text is one line of a comment section.
_CONTAINER_XPATH = (
    "//*[re:test(@class, 'comment|respond|disqus|replies|reactions|discussion|talkback|dsq-', 'i')"
    " or re:test(@id, 'comment|respond|disqus|replies|reactions|discussion|talkback|dsq-', 'i')]"
)
_BLOCK_TAGS = frozenset(
    "p div li dd dt blockquote h1 h2 h3 h4 h5 h6 article section header footer td pre".split()
)
_SHINGLE = 5
#: A body line this much of whose 5-word shingles lie inside comment containers is a comment.
DOM_COMMENT_SHARE = 0.5
#: Comment containers holding more than this share of the article's shingles are the page
#: (a "comments-enabled" body class), not a comment section: their hint is ignored.
DOM_MAX_ARTICLE_SHARE = 0.5


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def _dom_comment_lines(html: str) -> list[str]:
    """Text lines inside the page's comment containers (outermost ones), in page order."""
    try:
        import lxml.html

        root = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - the hint is optional; trafilatura already parsed it
        return []
    lines: list[str] = []
    containers = root.xpath(_CONTAINER_XPATH, namespaces={"re": "http://exslt.org/regular-expressions"})
    chosen: set[Any] = set()
    for el in containers:
        if el.tag in ("script", "style", "form", "textarea", "body", "html"):
            continue
        if any(a in chosen for a in el.iterancestors()):
            continue  # an inner container: its outermost one is read already
        chosen.add(el)
        lines.extend(_block_lines(el))
    return lines


def _block_lines(el: Any) -> Iterator[str]:
    """One line per innermost block element under ``el``."""
    for node in el.iter():
        if not isinstance(node.tag, str) or node.tag not in _BLOCK_TAGS:
            continue
        if node.tag in ("script", "style", "form"):
            continue
        if any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in node):
            text = one_line(node.text or "")
        else:
            text = one_line(node.text_content())
        if text:
            yield text


def comment_zone(lines: list[tuple[str, BlockLabel]], dom_lines: list[str]) -> list[tuple[str, BlockLabel]]:
    """Move reader comments out of the reporting: body lines inside the DOM's comment
    containers, and body lines after a comment-section opener that the line model places in
    the comment zone; then add comment-container lines trafilatura dropped."""
    from storybrief.clean.furniture import is_furniture
    from storybrief.clean.line_features import is_comment_meta, is_comment_opener, page_features
    from storybrief.clean.lines import COMMENTS, LineModel

    dom = set().union(*(_shingles(t) for t in dom_lines)) if dom_lines else set()
    article = set().union(*(_shingles(t) for t, label in lines if label == "body"))
    if article and len(article & dom) > DOM_MAX_ARTICLE_SHARE * len(article):
        dom = set()
    texts = [t for t, _ in lines]
    if any(label in ("body", "heading") and is_comment_opener(t) for t, label in lines):
        zones, _ = LineModel.load().zones(page_features(texts))
    else:
        zones = [0] * len(lines)  # no opener: only the DOM hint can move lines
    out: list[tuple[str, BlockLabel]] = []
    in_comments = False
    for (text, label), zone in zip(lines, zones, strict=True):
        if label not in ("body", "heading"):
            out.append((text, label))
            continue
        sh = _shingles(text)
        in_dom = bool(sh) and len(sh & dom) >= DOM_COMMENT_SHARE * len(sh)
        if is_comment_opener(text) and label == "heading" or (is_comment_opener(text) and zone == COMMENTS):
            in_comments = True
            out.append((text, "boilerplate"))
            continue
        if in_dom:
            in_comments = True
        if in_dom or (in_comments and (zone == COMMENTS or not sh)):
            out.append((text, "comment"))
        else:
            out.append((text, label))
    found = set().union(*(_shingles(t) for t, _ in out))
    extra = [
        t
        for t in dom_lines
        if (sh := _shingles(t))
        and not sh & found
        and not (is_furniture(t, in_comments=True) or is_comment_meta(t) or is_comment_opener(t))
    ]
    for t in extra:
        found |= _shingles(t)
    return out + [(t, "comment") for t in _dedupe(extra)]


def _dedupe(texts: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for t in texts:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out
