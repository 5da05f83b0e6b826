"""The HTML pieces of the web UI that are computed rather than templated: a story's
documents-per-day picture, a document's labelled blocks with the linked span marked, search
snippets, and the brief's sections (from ``render.html``, with citations linked to the
document pages).

Every string that comes from a document or the store is escaped here (``_e``) before it
becomes markup; the results are ``Markup`` so the templates (autoescaping) keep them as they
are. URLs from documents are shown as text, never used as links.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from storybrief.render.html import SECTIONS, brief_sections, section_toc

__all__ = [
    "SECTIONS",
    "cite_href",
    "doc_href",
    "document_blocks",
    "marked_snippet",
    "sections",
    "sparkline",
    "span_id",
    "story_href",
    "toc",
]

#: The documents-per-day picture on the story list: at most this many bars (longer stories
#: are binned), each ``BAR_WIDTH`` wide in a ``SPARK_HEIGHT`` high picture.
MAX_BARS = 40
BAR_WIDTH = 4
SPARK_HEIGHT = 22

#: Block labels and how the document page shows them (reporting, comments, site furniture).
BLOCK_KINDS = {
    "title": "reporting",
    "heading": "reporting",
    "body": "reporting",
    "comment": "comment",
    "boilerplate": "furniture",
}


def _e(value: object) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


def doc_href(doc_id: str) -> str:
    return f"/documents/{quote(str(doc_id), safe='')}"


def story_href(story_id: str) -> str:
    return f"/stories/{quote(str(story_id), safe='')}"


def span_id(start: int, end: int) -> str:
    """The element id of a marked span on a document page (``#c-START-END``)."""
    return f"c-{start}-{end}"


def cite_href(doc_id: str, start: int, end: int) -> str:
    """A citation's link: the document page with the span marked and scrolled to."""
    return f"{doc_href(doc_id)}?start={start}&end={end}#{span_id(start, end)}"


def sections(brief: Mapping[str, Any]) -> list[Markup]:
    """The brief's sections, summary to reader reaction, citations linked to document pages."""
    return [Markup(part) for part in brief_sections(brief, cite_href, doc_href)]


def toc(brief: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The table of contents of a story page: the sections this brief has."""
    return section_toc(brief)


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def sparkline(documents: Sequence[Mapping[str, Any]]) -> Markup:
    """A small bar picture of a story's documents per day (binned when it spans many days)."""
    days = [d for d in (_day(doc.get("date")) for doc in documents) if d is not None]
    if not days:
        return Markup('<span class="muted">undated</span>')
    first, last = min(days), max(days)
    span = (last - first).days + 1
    bins = min(span, MAX_BARS)
    counts = Counter(((day - first).days * bins) // span for day in days)
    tallest = max(counts.values())
    bars = []
    for index in range(bins):
        count = counts.get(index, 0)
        height = 0 if not count else max(2, round(SPARK_HEIGHT * count / tallest))
        if height:
            bars.append(
                f'<rect x="{index * BAR_WIDTH}" y="{SPARK_HEIGHT - height}" '
                f'width="{BAR_WIDTH - 1}" height="{height}"/>'
            )
    per = "day" if bins == span else f"{span / bins:.1f} days"
    title = f"{len(days)} dated documents, {first} to {last} (one bar per {per})"
    width = bins * BAR_WIDTH
    return Markup(
        f'<svg class="spark" role="img" viewBox="0 0 {width} {SPARK_HEIGHT}" width="{width}" '
        f'height="{SPARK_HEIGHT}"><title>{_e(title)}</title>{"".join(bars)}</svg>'
    )


def valid_span(text: str, start: int | None, end: int | None) -> tuple[int, int] | None:
    if start is None or end is None or not 0 <= start < end <= len(text):
        return None
    return start, end


def _piece(text: str, lo: int, hi: int, span: tuple[int, int] | None, first: list[bool]) -> str:
    """``text[lo:hi]`` escaped, with the part inside ``span`` in a ``<mark>`` (the first piece
    of the span carries its id; every piece carries ``data-span`` for the script)."""
    if span is None or span[1] <= lo or span[0] >= hi:
        return _e(text[lo:hi])
    a, b = max(lo, span[0]), min(hi, span[1])
    anchor = span_id(*span)
    id_attr = f' id="{anchor}"' if first[0] else ""
    first[0] = False
    return (
        f'{_e(text[lo:a])}<mark class="span"{id_attr} data-span="{anchor}">{_e(text[a:b])}</mark>'
        f"{_e(text[b:hi])}"
    )


def document_blocks(doc: Mapping[str, Any], span: tuple[int, int] | None) -> Markup:
    """The document's text block by block, each labelled, with ``span`` marked."""
    text = str(doc.get("text") or "")
    blocks = sorted(
        (int(b["start"]), int(b["end"]), str(b.get("label") or "body"))
        for b in doc.get("blocks") or []
    )
    if not blocks and text:
        blocks = [(0, len(text), "body")]
    first = [True]
    out: list[str] = []
    position = 0
    for number, (start, end, label) in enumerate(blocks):
        start, end = max(start, position), min(end, len(text))
        if start > position and text[position:start].strip():  # text no block covers
            out.append(
                f'<div class="block unlabelled"><span class="tag">unlabelled</span>'
                f'<p>{_piece(text, position, start, span, first)}</p></div>'
            )
        if end <= start:
            continue
        kind = BLOCK_KINDS.get(label, "reporting")
        css = f"block {kind} {re.sub(r'[^a-z]', '', label)}"
        out.append(
            f'<div class="{css}" id="b-{number}" data-start="{start}" data-end="{end}">'
            f'<span class="tag">{_e(label)}</span><p>{_piece(text, start, end, span, first)}</p></div>'
        )
        position = end
    if text[position:].strip():
        out.append(
            f'<div class="block unlabelled"><span class="tag">unlabelled</span>'
            f'<p>{_piece(text, position, len(text), span, first)}</p></div>'
        )
    return Markup("".join(out))


_MATCH = re.compile(r"\[([^\[\]]+)\]")


def marked_snippet(snippet: object) -> Markup:
    """A search snippet escaped, with the store's ``[match]`` marks as ``<mark>``."""
    escaped = _e(snippet)
    return Markup(_MATCH.sub(lambda m: f"<mark>{m.group(1)}</mark>", escaped))


def block_counts(doc: Mapping[str, Any]) -> dict[str, int]:
    """How many blocks of each kind (reporting, comment, furniture) the document has."""
    counts = Counter(BLOCK_KINDS.get(str(b.get("label")), "reporting") for b in doc.get("blocks") or [])
    return {kind: counts.get(kind, 0) for kind in ("reporting", "comment", "furniture")}


def _share_bar(shares: Mapping[str, Any]) -> str:
    """Reporting / comment / boilerplate shares as a small SVG bar (no inline styles: CSP)."""
    x = 0.0
    rects = []
    for kind in ("reporting", "comment", "boilerplate"):
        value = shares.get(kind)
        width = max(0.0, min(100.0, float(value) * 100)) if isinstance(value, int | float) else 0.0
        if width:
            rects.append(f'<rect class="{kind}" x="{x:.1f}" y="0" width="{width:.1f}" height="8"/>')
        x += width
    return f'<svg class="shares" viewBox="0 0 100 8" preserveAspectRatio="none">{"".join(rects)}</svg>'


def source_rows(brief: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per document of the brief: the document, its source note and its share bar."""
    notes = {str(n.get("document")): n for n in brief.get("source_notes", [])}
    rows = []
    for doc in brief.get("documents", []):
        note = notes.get(str(doc.get("id")), {})
        shares = note.get("shares") or {}
        summary = ", ".join(
            f"{float(shares.get(k) or 0) * 100:.0f}% {k}" for k in ("reporting", "comment", "boilerplate")
        )
        rows.append({"doc": doc, "note": note, "bar": Markup(_share_bar(shares)), "shares": summary})
    return rows
