"""Reader-comment sections of an HTML page, found in its DOM.

Sites put reader comments in containers their templates name: ``class``/``id`` words such as
``comments``, ``commentlist``, ``comment-body``, ``respond``, ``disqus``/``dsq-``, ``replies``,
``talkback``; ``itemprop="comment"``/``itemtype=…/Comment``; ``role="comment"``. trafilatura
takes the first container that its own expressions match and misses the rest (a ``commentbody``
inside a layout table, a blogger ``comments-block``, a second list after the first page of
comments), so the reporting keeps them. Here every container is found, its text taken line by
line (one line per block element, form fields, scripts and styles left out) and the container
is cut from the tree before trafilatura reads the main text.

A container that holds the article itself is not a comment section: a ``comments-open``
``<body>``/wrapper class, a post ``<div class="post has-comments">``. Such candidates are kept
in the tree (their inner comment containers are still found): they hold the page's ``<h1>``,
an ``<article>`` or ``itemprop="articleBody"`` element that is not itself a comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from storybrief.read.document import one_line

#: Words of class/id names that mark reader-comment containers.
_COMMENT_NAME = re.compile(
    r"comment|respond|disqus|dsq-|replies|talkback|jomcomment|bbp-reply|_cmt|cmnt", re.IGNORECASE
)
#: Names of things *about* comments that are no comment section: counters and links in the
#: article's header, body/wrapper state classes, the comment form's own parts are fine to cut
#: (they hold no reporting) but these stand inside or around the article.
_NOT_A_SECTION = re.compile(
    r"^(?:.*comments?[-_]?(?:count|link|number|num|icon|bubble|total|enabled|open|closed|status|"
    r"rss|feed|button|btn|tab|toggle)s?|(?:has|no|show|with|allow|post|entry)[-_]?comments?|"
    r"comments?[-_]?(?:open|closed|on|off))$",
    re.IGNORECASE,
)
_SCHEMA_COMMENT = re.compile(r"schema\.org/(?:User)?Comments?\b", re.IGNORECASE)

#: Elements never read as comment text, and never taken as containers.
_SKIP = frozenset(
    "script style noscript form textarea input button select option label template svg iframe "
    "head title meta link".split()
)
#: Elements that end a line of text.
_BLOCK = frozenset(
    "p div li dd dt ul ol dl blockquote h1 h2 h3 h4 h5 h6 article section header footer aside "
    "nav table tr td th pre br hr figure figcaption address center main details summary".split()
)
_NOT_CONTAINERS = _SKIP | {"html", "body", "a", "span", "time", "img", "abbr", "b", "i", "em", "strong"}


#: The elements that have any of the attributes looked at (found in C; the names are then
#: matched in Python: XPath's translate()/contains() per word was slower than the parse).
_CANDIDATES = etree.XPath("//*[@class or @id or @itemprop or @role or @itemtype]")


def _names(el: Any) -> Iterator[str]:
    for attr in ("class", "id"):
        value = el.get(attr)
        if value:
            yield from value.split()


def is_comment_container(el: Any) -> bool:
    """Whether ``el``'s own markup names it a reader-comment container."""
    if not isinstance(el.tag, str) or el.tag in _NOT_CONTAINERS:
        return False
    attrs = el.attrib
    if not (
        _COMMENT_NAME.search(attrs.get("class", "") + " " + attrs.get("id", ""))
        or "itemprop" in attrs
        or "role" in attrs
        or "itemtype" in attrs
    ):
        return False
    if (el.get("itemprop") or "").lower() in ("comment", "comments") or (
        el.get("role") or ""
    ).lower() == "comment":
        return True
    if _SCHEMA_COMMENT.search(el.get("itemtype") or ""):
        return True
    names = [n for n in _names(el) if _COMMENT_NAME.search(n)]
    return bool(names) and not all(_NOT_A_SECTION.match(n) for n in names)


def _holds_article(el: Any) -> bool:
    """The candidate wraps the article: its heading or article element is inside it."""
    for node in el.iter("h1", "article", "main", "{*}h1"):
        if node is el:
            continue
        if not any(is_comment_container(a) for a in _between(node, el)):
            return True
    for node in el.iterfind(".//*[@itemprop]"):
        if (node.get("itemprop") or "").lower() in ("articlebody", "blogpost", "articlebody text"):
            return True
    return False


def _between(node: Any, top: Any) -> Iterator[Any]:
    """``node`` and its ancestors below ``top``."""
    while node is not None and node is not top:
        yield node
        node = node.getparent()


def comment_containers(tree: Any) -> list[Any]:
    """The outermost comment containers of ``tree`` that do not hold the article, page order."""
    chosen: list[Any] = []
    chosen_set: set[Any] = set()
    rejected: set[Any] = set()
    for el in _CANDIDATES(tree):
        if not is_comment_container(el):
            continue
        if any(a in chosen_set for a in el.iterancestors()):
            continue
        if any(a.tag in _SKIP for a in el.iterancestors()):
            continue
        if el in rejected or _holds_article(el):
            rejected.add(el)
            continue
        chosen.append(el)
        chosen_set.add(el)
    return chosen


def container_lines(el: Any) -> list[str]:
    """The text of ``el`` as lines: one per block element, without form fields or scripts."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = one_line("".join(buf))
        buf.clear()
        if text:
            lines.append(text)

    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        tag = node.tag if isinstance(node.tag, str) else None
        if event == "start":
            if tag is None:
                walker.skip_subtree()
                continue
            if tag in _SKIP:
                walker.skip_subtree()
                continue
            if tag in _BLOCK:
                flush()
            if node.text:
                buf.append(node.text)
            continue
        if tag in _BLOCK:
            flush()
        if node is not el and node.tail:
            buf.append(node.tail)
    flush()
    return lines


def cut_comment_sections(tree: Any) -> list[str]:
    """Remove the comment containers from ``tree``; return their lines, in page order.

    A container with no words of a comment (only a "Comments" heading, a counter, a form) is
    left in place: it holds nobody's comment, and a heading there still tells the line model
    where the comments that follow it begin.
    """
    from storybrief.clean.furniture import is_furniture
    from storybrief.clean.line_features import is_comment_opener

    lines: list[str] = []
    for el in comment_containers(tree):
        own = container_lines(el)
        if all(is_comment_opener(t) or is_furniture(t, in_comments=True) for t in own):
            continue
        lines.extend(own)
        parent = el.getparent()
        if parent is None:
            continue
        tail = el.tail
        previous = el.getprevious()
        parent.remove(el)
        if tail:  # keep the text that followed the container
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
    return lines
