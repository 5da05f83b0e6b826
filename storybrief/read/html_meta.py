"""Page metadata (title, author, date, url, site) from an already parsed HTML tree.

The same steps as ``trafilatura.metadata.extract_metadata``, with what storybrief does not use
left out: categories, tags, licence and image are not searched, and the date search is
htmldate's quick one (the extensive search runs ``dateparser`` over every text node in every
locale: it took about 80% of reading a Dragnet page, and the brief finds dates in the text
anyway). The tree is read, not changed; comment containers are cut from it before, so a
commenter's name or date is not taken for the article's.
"""

from __future__ import annotations

import logging
from typing import Any

LOGGER = logging.getLogger(__name__)


def page_metadata(tree: Any, url: str | None) -> dict[str, Any]:
    """``title``, ``author``, ``url``, ``hostname``, ``date`` and ``sitename`` of the page."""
    from htmldate import find_date
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_domain,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
        set_date_params,
    )

    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    try:
        meta = extract_meta_json(tree, meta)
    except Exception:  # noqa: BLE001 - trafilatura's JSON-LD reader on hostile input
        LOGGER.debug("JSON-LD metadata failed", exc_info=True)
    title = meta.title or extract_title(tree)
    author = meta.author or _author(tree)
    page_url = meta.url or extract_url(tree, url)
    hostname = extract_domain(page_url, fast=True) if page_url else None
    date_params = set_date_params(extensive=False)
    date_params["url"] = page_url
    date = find_date(tree, **date_params)
    sitename = meta.sitename or extract_sitename(tree)
    if sitename:
        sitename = sitename.lstrip("@")
        if sitename and "." not in sitename and not sitename[0].isupper():
            sitename = sitename.title()
    elif page_url and (match := META_URL.match(page_url)):
        sitename = match[1]
    found = {
        "title": title,
        "author": author,
        "url": page_url,
        "hostname": hostname,
        "date": date,
        "sitename": sitename,
    }
    return {key: _trimmed(value) for key, value in found.items()}


def _author(tree: Any) -> str | None:
    """trafilatura's ``extract_author`` without copying the tree: the elements its discard
    expressions would prune (dates, comment lists, sidebars, figures) are skipped instead."""
    from trafilatura.metadata import normalize_authors
    from trafilatura.utils import trim
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

    discarded: set[Any] | None = None  # found for a first candidate (a third of pages: none)
    for expression in AUTHOR_XPATHS:
        for el in expression(tree):
            if discarded is None:
                discarded = {node for xpath in AUTHOR_DISCARD_XPATHS for node in xpath(tree)}
            if el in discarded or any(a in discarded for a in el.iterancestors()):
                continue
            content = trim(" ".join(_text_outside(el, discarded)))
            if content and 2 < len(content) < 120:
                return normalize_authors(None, content) or None
    return None


def _text_outside(el: Any, discarded: set[Any]) -> list[str]:
    """The text nodes of ``el`` (as ``itertext``) outside the ``discarded`` subtrees; a
    discarded element's tail stays, as trafilatura's pruning keeps it."""
    from lxml import etree

    texts: list[str] = []
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        if event == "start":
            if node in discarded or not isinstance(node.tag, str):
                walker.skip_subtree()
            elif node.text:
                texts.append(node.text)
        elif node is not el and node.tail:
            texts.append(node.tail)
    return texts


def _trimmed(value: Any) -> Any:
    """As trafilatura's ``clean_and_trim``: entities decoded, spaces collapsed, length capped."""
    from html import unescape

    from trafilatura.utils import line_processing

    if not isinstance(value, str):
        return value
    return line_processing(unescape(value[:10000]))
