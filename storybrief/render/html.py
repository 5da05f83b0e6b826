"""A brief as ONE self-contained HTML page: readable offline, safe to open, every claim checkable.

Three promises shape this module:

1. **No network, ever.** CSS and JS are inlined, the timeline is inline SVG, nothing is loaded by
   URL, and a Content-Security-Policy ``<meta>`` forbids every fetch (``default-src 'none'``).
   URLs from documents (their own address, links readers shared) are shown as text, never as
   ``href``/``src``. The inline script is allowed by its SHA-256 hash rather than by
   ``'unsafe-inline'``, so even a markup injection that slipped past escaping could not run.
2. **Document text is data.** Every string that comes from a document or the brief goes through
   ``html.escape(..., quote=True)`` (``_e``) before it touches markup, including attributes.
3. **Every cited sentence links to its source span.** The *Sources* section prints each
   document's text with a ``<mark id="d-<doc>-<start>-<end>">`` around every cited span; the
   numbered citation links are plain ``#fragment`` anchors (they work without JS; CSS ``:target``
   highlights the span). Cited spans may overlap without nesting; such a span is split into
   pieces, the first carrying the ``id`` and all carrying ``data-span`` so the small script can
   light them up together.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from storybrief.render.markdown import (
    MAX_ENTITIES,
    MAX_FACTS,
    MAX_QUOTES,
    MAX_STORY_SECTIONS,
    STORY_ITEMS,
    CitationIndex,
    citable_documents,
    document_label,
    no_summary_reason,
    plural,
    undated_note,
    update_note,
)

__all__ = ["SECTIONS", "brief_sections", "render_html", "section_toc", "span_anchor"]

Brief = Mapping[str, Any]
Span = tuple[int, int]
#: Where a citation of ``(document, start, end)`` links to, and where a document name links to.
CiteHref = Callable[[str, int, int], str]
DocHref = Callable[[str], str]

_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Timeline picture geometry (SVG user units; the picture scales to the page width).
SVG_WIDTH = 900
SVG_MARGIN = 24
LANE_HEIGHT = 22
#: Average advance of a 12.5px system sans-serif glyph; measured on Chromium with DejaVu Sans
#: and Liberation Sans on the bundled examples' event labels (6.4–7.1), rounded up so labels
#: in one lane do not touch.
LABEL_CHAR_WIDTH = 7.0
LABEL_GAP = 14
#: Event labels longer than this are cut in the picture (the full label is in its tooltip and
#: in the "What happened" section it links to).
MAX_LABEL_CHARS = 46
#: At most this many tick labels on the time axis, so they never collide at 900 units wide.
MAX_TICKS = 8
_PALETTE = ("#0b5cad", "#b35900", "#1a7f37", "#8a3ffc", "#c9184a", "#4d5b6a")


def _e(value: object) -> str:
    """Escape anything for HTML text or a quoted attribute value."""
    return "" if value is None else html.escape(str(value), quote=True)


def _safe_id(value: object) -> str:
    return _UNSAFE_ID_CHARS.sub("_", str(value))


def span_anchor(doc_id: str, start: int, end: int) -> str:
    """The fragment id of the ``<mark>`` around ``text[start:end]`` of document ``doc_id``."""
    return f"d-{_safe_id(doc_id)}-{start}-{end}"


@cache
def _asset(name: str) -> str:
    return resources.files("storybrief.render").joinpath(name).read_text(encoding="utf-8")


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


class _Page:
    """What one rendering pass needs: documents by id, citation numbers, and which spans to mark."""

    def __init__(self, brief: Brief, cite_href: CiteHref | None = None,
                 doc_href: DocHref | None = None) -> None:
        self.brief = brief
        self.cite_href: CiteHref = cite_href or (lambda d, s, e: f"#{span_anchor(d, s, e)}")
        self.doc_href: DocHref = doc_href or (lambda d: f"#doc-{_safe_id(d)}")
        self.documents: dict[str, Mapping[str, Any]] = {
            str(d["id"]): d for d in brief.get("documents", [])
        }
        #: Earlier documents an update brief cites as context (shown after its own).
        self.context: dict[str, Mapping[str, Any]] = {
            k: v for k, v in citable_documents(brief).items() if k not in self.documents
        }
        self.documents.update(self.context)
        self.cites = CitationIndex(self.documents)
        #: Per document, the kind of each cited span: "reader" if only reader reactions cite it.
        self.marks: dict[str, dict[Span, str]] = defaultdict(dict)
        self.events = {str(e["id"]): e for e in brief.get("events", [])}

    def markers(self, spans: Iterable[Mapping[str, Any]], kind: str = "reporting") -> str:
        """Numbered citation links for ``spans``, each a plain anchor to its ``<mark>``."""
        links = []
        for span in spans:
            number = self.cites.number(span)
            if number is None:
                links.append(
                    '<span class="cite-bad" title="this citation does not fit its document">?</span>'
                )
                continue
            doc_id, start, end = str(span["document"]), int(span["start"]), int(span["end"])
            known = self.marks[doc_id].get((start, end))
            self.marks[doc_id][(start, end)] = "reporting" if known == "reporting" else kind
            where = f"{document_label(self.documents[doc_id])}, characters {start}–{end}"
            links.append(
                f'<a class="cite" href="{_e(self.cite_href(doc_id, start, end))}" '
                f'title="{_e(where)}">{number}</a>'
            )
        return f'<sup class="cites">{"".join(links)}</sup>' if links else ""

    def doc_link(self, doc_id: object) -> str:
        doc = self.documents.get(str(doc_id))
        if doc is None:
            return _e(doc_id)
        return f'<a href="{_e(self.doc_href(str(doc_id)))}">{_e(document_label(doc))}</a>'


def _when(day: str | None, granularity: str = "day", inferred: bool = False) -> str:
    if not day:
        return '<span class="when">undated</span>'
    shown = {"year": day[:4], "month": day[:7], "week": f"week of {day}"}.get(granularity, day)
    note = ' <span class="inferred">(inferred)</span>' if inferred else ""
    return f'<span class="when">{_e(shown)}</span>{note}'


def _summary(page: _Page) -> str:
    parts: list[str] = []
    current: object = object()
    for sentence in page.brief.get("summary", []):
        event_id = sentence.get("event")
        if event_id != current:
            if parts:
                parts.append("</ul>")
            current = event_id
            event = page.events.get(str(event_id))
            if event is not None:
                when = _when(event.get("date"), event.get("granularity", "day"), bool(event.get("date_inferred")))
                parts.append(f'<h3 id="ev-{_safe_id(event_id)}">{when} · {_e(event.get("label"))}</h3>')
            parts.append('<ul class="plain">')
        parts.append(f"<li>{_e(sentence.get('text'))}{page.markers(sentence.get('sources', []))}</li>")
    if parts:
        parts.append("</ul>")
        if note := undated_note(page.brief):
            parts.insert(0, f'<p class="undated-note">{_e(note)}</p>')
    else:
        parts.append(f"<p>{_e(no_summary_reason(page.brief))}</p>")
    return _section("summary", "What happened", "".join(parts))


def _parse_day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _period_end(start: date, granularity: str) -> date:
    if granularity == "week":
        return start + timedelta(days=7)
    if granularity == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    if granularity == "year":
        return start.replace(year=start.year + 1, month=1, day=1)
    return start


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Axis ticks: the finest of days, weeks or months that gives at most ``MAX_TICKS`` labels."""
    span = (last - first).days
    for step in (1, 2, 7, 14):
        if span // step < MAX_TICKS:
            day = first + timedelta(days=(-first.weekday()) % 7) if step >= 7 else first
            ticks = []
            while day <= last:
                ticks.append(day)
                day += timedelta(days=step)
            return [(t, f"{t.day} {_MONTHS[t.month - 1]}" + (f" {t.year}" if i == 0 or t.month == 1 and t.day <= step else ""))
                    for i, t in enumerate(ticks)]
    for months in (1, 2, 3, 6, 12, 24, 60, 120):
        if span // (months * 30) < MAX_TICKS:
            break
    tick = _add_months(first.replace(day=1), 0 if first.day == 1 else 1)
    out: list[tuple[date, str]] = []
    while tick <= last:
        label = _MONTHS[tick.month - 1] + (f" {tick.year}" if not out or tick.month == 1 else "")
        out.append((tick, label if months < 12 else str(tick.year)))
        tick = _add_months(tick, months)
    return out


def _timeline_svg(page: _Page) -> str:
    """Events on a time axis; stated dates filled, inferred dates hollow and labelled 'inferred'."""
    stories = {str(s.get("id")): i for i, s in enumerate(page.brief.get("stories", []))}
    items = []
    for event in page.brief.get("events", []):
        start = _parse_day(event.get("date"))
        if start is None:
            continue
        granularity = str(event.get("granularity") or "day")
        items.append((start, _period_end(start, granularity), granularity, event))
    if not items:
        return ""
    items.sort(key=lambda item: item[0])
    first, last = min(i[0] for i in items), max(i[1] for i in items)
    pad = timedelta(days=max(1, (last - first).days // 25))
    lo, hi = first - pad, last + pad
    usable = SVG_WIDTH - 2 * SVG_MARGIN

    def x_of(day: date) -> float:
        return SVG_MARGIN + usable * (day - lo).days / max(1, (hi - lo).days)

    placed = []
    lane_ends: list[float] = []
    for start, end, granularity, event in items:
        inferred = bool(event.get("date_inferred"))
        label = str(event.get("label") or "")
        short = label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1].rstrip() + "…"
        when = {"year": start.strftime("%Y"), "month": f"{_MONTHS[start.month - 1]} {start.year}"}.get(
            granularity, f"{start.day} {_MONTHS[start.month - 1]}"
        )
        text = f"{when} · {short}" + (" (inferred)" if inferred else "")
        width = len(text) * LABEL_CHAR_WIDTH
        left = min(max(x_of(start) - 6, SVG_MARGIN), SVG_WIDTH - SVG_MARGIN - width)
        lane = next((i for i, end_x in enumerate(lane_ends) if left >= end_x + LABEL_GAP), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(0.0)
        lane_ends[lane] = left + width
        placed.append((start, end, granularity, event, inferred, text, left, lane))

    axis_y = 16 + len(lane_ends) * LANE_HEIGHT + 14
    height = axis_y + 62
    out = [
        f'<svg role="img" aria-labelledby="tl-title" viewBox="0 0 {SVG_WIDTH} {height}" '
        f'width="{SVG_WIDTH}" height="{height}">',
        '<title id="tl-title">Timeline of events</title>',
        f'<line class="axis" x1="{SVG_MARGIN}" y1="{axis_y}" x2="{SVG_WIDTH - SVG_MARGIN}" y2="{axis_y}"/>',
    ]
    for tick, tick_label in _ticks(lo, hi):
        x = x_of(tick)
        half = len(tick_label) * LABEL_CHAR_WIDTH * 0.45  # tick labels are 11px, not 12.5px
        text_x = min(max(x, half), SVG_WIDTH - half)  # keep edge labels inside the picture
        out.append(f'<line class="tick" x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + 6}"/>')
        out.append(f'<text class="tick-label" x="{text_x:.1f}" y="{axis_y + 20}" text-anchor="middle">{_e(tick_label)}</text>')
    # Stems first, then markers and labels, each label on a white box that hides any stem
    # of another event passing behind it.
    groups = []
    for start, end, granularity, event, inferred, text, left, lane in placed:
        color = _PALETTE[stories.get(str(event.get("story")), 0) % len(_PALETTE)]
        x0 = x_of(start)
        label_y = axis_y - 18 - lane * LANE_HEIGHT
        out.append(f'<line class="stem" x1="{x0:.1f}" y1="{axis_y - 7}" x2="{x0:.1f}" y2="{label_y + 5}"/>')
        fill = "#ffffff" if inferred else color
        dash = ' stroke-dasharray="3 2"' if inferred else ""
        if granularity == "day":
            marker = f'<circle cx="{x0:.1f}" cy="{axis_y}" r="6" fill="{fill}" stroke="{color}" stroke-width="2.5"{dash}/>'
        else:
            width = max(8.0, x_of(end) - x0)
            opacity = "" if inferred else ' fill-opacity="0.45"'
            marker = (f'<rect x="{x0:.1f}" y="{axis_y - 6}" width="{width:.1f}" height="12" rx="6" '
                      f'fill="{fill}"{opacity} stroke="{color}" stroke-width="2"{dash}/>')
        css = "ev-label inferred" if inferred else "ev-label"
        groups.append(
            f'<a href="#ev-{_safe_id(event.get("id"))}"><g class="event">'
            f'<title>{_e(event.get("label"))}{" (date inferred)" if inferred else ""}</title>'
            f'{marker}<rect class="halo" x="{left - 3:.1f}" y="{label_y - 13}" '
            f'width="{len(text) * LABEL_CHAR_WIDTH + 6:.1f}" height="17" rx="3"/>'
            f'<text class="{css}" x="{left:.1f}" y="{label_y}">{_e(text)}</text></g></a>'
        )
    out += groups
    legend_y = axis_y + 46
    out.append(
        f'<g class="legend-row"><circle cx="{SVG_MARGIN + 6}" cy="{legend_y - 4}" r="5" fill="#4d5b6a"/>'
        f'<text class="legend" x="{SVG_MARGIN + 16}" y="{legend_y}">date stated in a source</text>'
        f'<circle cx="{SVG_MARGIN + 186}" cy="{legend_y - 4}" r="5" fill="#ffffff" stroke="#4d5b6a" stroke-width="2" stroke-dasharray="3 2"/>'
        f'<text class="legend" x="{SVG_MARGIN + 196}" y="{legend_y}">date inferred (e.g. from “Friday”)</text>'
        f'<rect x="{SVG_MARGIN + 420}" y="{legend_y - 9}" width="26" height="10" rx="5" fill="#4d5b6a" fill-opacity="0.45"/>'
        f'<text class="legend" x="{SVG_MARGIN + 452}" y="{legend_y}">known only to the week, month or year</text></g>'
    )
    out.append("</svg>")
    return "".join(out)


def _timeline(page: _Page) -> str:
    picture = _timeline_svg(page)
    parts = [f'<figure class="timeline">{picture}</figure>'] if picture else []
    undated = [e for e in page.brief.get("events", []) if _parse_day(e.get("date")) is None]
    if undated and (note := undated_note(page.brief)):
        parts.append(f'<p class="undated-note">{_e(note)}</p>')
    if undated:
        parts.append("<p>Undated: " + "; ".join(
            f'<a href="#ev-{_safe_id(e.get("id"))}">{_e(e.get("label"))}</a>' for e in undated) + "</p>")
    rows = []
    for entry in page.brief.get("timeline", []):
        granularity = page.events.get(str(entry.get("event")), {}).get("granularity", "day")
        docs = ", ".join(page.doc_link(d) for d in entry.get("documents", []))
        rows.append(f"<tr><td>{_when(entry.get('date'), granularity, bool(entry.get('inferred')))}</td>"
                    f"<td>{_e(entry.get('text'))}</td><td>{docs}</td></tr>")
    if rows:
        parts.append("<table><thead><tr><th>Date</th><th>What happened</th><th>Sources</th></tr></thead>"
                     f"<tbody>{''.join(rows)}</tbody></table>")
    return _section("timeline", "Timeline", "".join(parts) or "<p>No dated events.</p>")


def _quote(page: _Page, quote: Mapping[str, Any]) -> str:
    speaker = f"<strong>{_e(quote['speaker'])}</strong>" if quote.get("speaker") else "<em>unattributed</em>"
    cue = f" ({_e(quote['cue'])})" if quote.get("cue") else ""
    return (f'<blockquote class="quote">“{_e(quote.get("text"))}”'
            f'{page.markers(quote.get("sources", []))}<span class="who">— {speaker}{cue}</span></blockquote>')


def _earlier(page: _Page, spans: list[Mapping[str, Any]]) -> str:
    """Citations of earlier reporting, marked as context."""
    if not spans:
        return ""
    return f' <span class="earlier">earlier:{page.markers(spans, "earlier")}</span>'


def _update(page: _Page) -> str:
    """An update brief's news beyond its summary: new quotes, facts that gained support and new
    conflicts; earlier reporting is cited as context ("earlier"), never as new."""
    update = page.brief.get("update")
    if not update:
        return ""
    quotes = update.get("new_quotes", [])
    parts = ["<h3>New quotes</h3>"]
    parts += [_quote(page, q) for q in quotes[:MAX_QUOTES]] or ["<p>No new quotes.</p>"]
    parts.append(_more(quotes, MAX_QUOTES, "new quotes"))
    items = []
    for fact in update.get("gained_support", [])[:MAX_FACTS]:
        after = int(fact.get("support_after", 0))
        items.append(f"<li>{_e(fact.get('text'))}{page.markers(fact.get('sources', []))}"
                     f"{_earlier(page, fact.get('earlier_sources', []))} "
                     f'<span class="support">{_e(fact.get("support_before", 0))} → '
                     f'{_e(plural(after, "source"))}</span></li>')
    parts.append("<h3>Facts that gained support</h3>")
    parts.append(f'<ul class="plain">{"".join(items)}</ul>' if items
                 else "<p>No earlier fact was reported again by a new source.</p>")
    parts.append(_more(update.get("gained_support", []), MAX_FACTS, "facts that gained support"))
    items = []
    for conflict in update.get("new_conflicts", []):
        values = '<span class="vs">vs</span>'.join(
            f"“{_e(v.get('value'))}”{page.markers(v.get('sources', []))}"
            f"{_earlier(page, v.get('earlier_sources', []))}" for v in conflict.get("values", [])
        )
        items.append(f"<li><strong>{_e(conflict.get('about'))}</strong> "
                     f'<span class="badge">{_e(conflict.get("kind"))}</span>: {values}</li>')
    parts.append("<h3>New conflicts with earlier reporting</h3>")
    parts.append(f'<ul class="plain">{"".join(items)}</ul>' if items
                 else "<p>No new reporting disagrees with earlier reporting.</p>")
    return _section("update", f"What is new since {update.get('since')}", "".join(parts))


def _quotes(page: _Page) -> str:
    if page.brief.get("update"):
        return ""  # an update brief's quotes are its new quotes, shown in "What is new"
    parts = [_quote(page, quote) for quote in page.brief.get("quotes", [])[:MAX_QUOTES]]
    parts.append(_more(page.brief.get("quotes", []), MAX_QUOTES, "quotes"))
    return _section("quotes", "Who said what", "".join(parts) or "<p>No quotes found.</p>")


def _more(items: list[Any], shown: int, what: str) -> str:
    if len(items) <= shown:
        return ""
    return f'<p class="note">… and {len(items) - shown} more {_e(what)} (all are in the JSON output).</p>'


def _stories(page: _Page) -> str:
    """One section per story of a pile of several, largest first, with its top items."""
    stories = page.brief.get("stories") or []
    if len(stories) < 2:
        return ""
    parts = [f"<p>{len(stories)} stories, largest first.</p>"]
    for story in stories[:MAX_STORY_SECTIONS]:
        docs = len(story.get("documents", []))
        items = [f"<li>{_e(s.get('text'))}{page.markers(s.get('sources', []))}</li>"
                 for s in story.get("summary", [])]
        items += [f"<li><em>{_e(q.get('speaker') or 'unattributed')}</em>: “{_e(q.get('text'))}”"
                  f"{page.markers(q.get('sources', []))}</li>" for q in story.get("quotes", [])[:STORY_ITEMS]]
        items += [f"<li>{_e(f.get('text'))}{page.markers(f.get('sources', []))} "
                  f'<span class="support">{_e(f.get("support", 0))} sources</span></li>'
                  for f in story.get("facts", [])[:STORY_ITEMS]]
        parts.append(f"<h3>{_e(story.get('label') or story.get('id'))} "
                     f'<span class="badge">{docs} document{"s" * (docs != 1)}</span></h3>'
                     f'<ul class="plain">{"".join(items)}</ul>')
    rest = stories[MAX_STORY_SECTIONS:]
    if rest:
        parts.append("<p>Other stories: " + "; ".join(
            f"{_e(s.get('label') or s.get('id'))} ({len(s.get('documents', []))})" for s in rest) + "</p>")
    return _section("stories", "Stories", "".join(parts))


def _entities(page: _Page) -> str:
    rows = []
    for entity in page.brief.get("entities", [])[:MAX_ENTITIES]:
        name = str(entity.get("name") or "")
        misspelt = set(entity.get("misspellings", []))
        variants = ", ".join(
            (f'<span class="misspelt" title="likely misspelling">{_e(v.get("text"))}</span>'
             if v.get("text") in misspelt else _e(v.get("text"))) + f" ×{_e(v.get('count', 0))}"
            for v in entity.get("variants", []) if v.get("text") != name
        )
        extra = [m for m in entity.get("misspellings", []) if m not in {v.get("text") for v in entity.get("variants", [])}]
        if extra:
            variants += (", " if variants else "") + ", ".join(f'<span class="misspelt">{_e(m)}</span>' for m in extra)
        if misspelt:
            variants += ' <span class="badge mt">likely misspelling</span>'
        rows.append(
            f"<tr><td><strong>{_e(name)}</strong> <span class=\"badge\">{_e(entity.get('type'))}</span></td>"
            f"<td>{_e(', '.join(entity.get('roles', [])))}</td><td>{_e(entity.get('mentions', 0))} in "
            f"{_e(plural(len(entity.get('documents', [])), 'doc'))}</td><td>{variants}</td></tr>"
        )
    if not rows:
        return _section("entities", "People & organisations", "<p>None found.</p>")
    table = ("<table><thead><tr><th>Name</th><th>Role</th><th>Mentions</th><th>Also written as</th></tr>"
             f"</thead><tbody>{''.join(rows)}</tbody></table>")
    table += _more(page.brief.get("entities", []), MAX_ENTITIES, "people, organisations and places")
    return _section("entities", "People & organisations", table)


def _facts(page: _Page) -> str:
    items = []
    for fact in page.brief.get("facts", [])[:MAX_FACTS]:
        support = int(fact.get("support", 0))
        css = "support" if support > 1 else "support single"
        items.append(f"<li>{_e(fact.get('text'))}{page.markers(fact.get('sources', []))} "
                     f'<span class="{css}">{support} source{"s" * (support != 1)}</span></li>')
    body = f'<ul class="plain">{"".join(items)}</ul>' if items else "<p>No facts found.</p>"
    body += _more(page.brief.get("facts", []), MAX_FACTS, "facts")
    return _section("facts", "Corroboration", body)


def _conflicts(page: _Page) -> str:
    items = []
    for conflict in page.brief.get("conflicts", []):
        values = '<span class="vs">vs</span>'.join(
            f"“{_e(v.get('value'))}”{page.markers(v.get('sources', []))}" for v in conflict.get("values", [])
        )
        items.append(f"<li><strong>{_e(conflict.get('about'))}</strong> "
                     f'<span class="badge">{_e(conflict.get("kind"))}</span>: {values}</li>')
    body = f'<ul class="plain">{"".join(items)}</ul>' if items else "<p>No disagreements found.</p>"
    return _section("conflicts", "Where sources disagree", body)


def _reactions(page: _Page) -> str:
    reactions = page.brief.get("reactions") or {}
    parts = ['<p class="note">Reader comments, kept apart from the reporting: nothing here is used '
             "in the summary, facts or quotes above.</p>"]
    total = int(reactions.get("total", 0))
    if not total:
        parts.append("<p>No reader comments.</p>")
        return _section("reactions", "What readers said", "".join(parts), css="readers")
    # Only documents that have comments: a list of "(0)"s says nothing.
    per_doc = ", ".join(f"{page.doc_link(d)} ({_e(n)})"
                        for d, n in reactions.get("per_document", {}).items() if n)
    parts.append(f"<p>{total} comments, {_e(reactions.get('quoting_article', 0))} of them quoting "
                 f"the article back. {per_doc}</p>")
    for theme in reactions.get("themes", []):
        parts.append(f"<h3>{_e(theme.get('label'))} <span class=\"badge\">{_e(theme.get('comment_count', 0))} comments</span>"
                     f" <span class=\"badge\">{_e(', '.join(theme.get('terms', [])))}</span></h3>")
        parts += [f'<div class="reader-comment">{_e(c.get("text"))}{page.markers([c], "reader")}</div>'
                  for c in theme.get("examples", [])]
    if reactions.get("representative"):
        parts.append("<h3>Representative comments</h3>")
        parts += [f'<div class="reader-comment">{_e(c.get("text"))}{page.markers([c], "reader")}</div>'
                  for c in reactions["representative"]]
    if reactions.get("links"):
        parts.append("<h3>Links readers shared <span class=\"badge\">shown as text, not visited</span></h3><ul class=\"plain\">")
        parts += [f'<li><span class="url-text">{_e(link.get("url"))}</span> ×{_e(link.get("count", 0))}</li>'
                  for link in reactions["links"]]
        parts.append("</ul>")
    return _section("reactions", "What readers said", "".join(parts), css="readers")


def _marked_text(doc_id: str, text: str, spans: Mapping[Span, str], numbers: Mapping[Span, list[int]]) -> str:
    """``text`` escaped, with a ``<mark>`` around every cited span (split where spans cross)."""
    starting: dict[int, list[Span]] = defaultdict(list)
    for span in spans:
        starting[span[0]].append(span)
    points = sorted({0, len(text)} | {s for s, _ in spans} | {e for _, e in spans})

    def open_tag(span: Span, first: bool) -> str:
        anchor = span_anchor(doc_id, *span)
        cited = ", ".join(f"[{n}]" for n in numbers.get(span, []))
        id_attr = f' id="{anchor}"' if first else ""
        return f'<mark class="span {spans[span]}"{id_attr} data-span="{anchor}" title="cited {cited}">'

    out: list[str] = []
    stack: list[Span] = []
    position = 0
    for point in points:
        out.append(_e(text[position:point]))
        position = point
        if any(span[1] == point for span in stack):
            reopen = []
            while any(span[1] == point for span in stack):
                span = stack.pop()
                out.append("</mark>")
                if span[1] != point:
                    reopen.append(span)
            for span in reversed(reopen):
                out.append(open_tag(span, first=False))
                stack.append(span)
        for span in sorted(starting.get(point, []), key=lambda s: -s[1]):
            out.append(open_tag(span, first=True))
            stack.append(span)
    return "".join(out)


def _percent(value: object) -> float:
    return max(0.0, min(100.0, float(value) * 100)) if isinstance(value, int | float) else 0.0


def _sources(page: _Page) -> str:
    notes = {str(n.get("document")): n for n in page.brief.get("source_notes", [])}
    numbers: dict[str, dict[Span, list[int]]] = defaultdict(lambda: defaultdict(list))
    for number, (doc_id, start, end) in page.cites.ordered():
        numbers[doc_id][(start, end)].append(number)
    parts = []
    for doc_id, doc in page.documents.items():
        meta = [_e(x) for x in (doc.get("path"), doc.get("site"), doc.get("language"), doc.get("format")) if x]
        if doc.get("url"):
            meta.append(f'<span class="url-text">{_e(doc["url"])}</span>')
        if doc.get("date"):
            meta.append(_when(doc.get("date"), inferred=bool(doc.get("date_inferred"))))
        badges = ""
        note = notes.get(doc_id)
        shares = ""
        if note:
            badges += f' <span class="badge {_e(note.get("kind"))}">{_e(note.get("kind"))}</span>'
            if note.get("machine_translation"):
                badges += ' <span class="badge mt">machine translation?</span>'
            share = note.get("shares", {})
            bars = "".join(f'<span class="{k}" style="width:{_percent(share.get(k)):.1f}%"></span>'
                           for k in ("reporting", "comment", "boilerplate"))
            summary = ", ".join(f"{_percent(share.get(k)):.0f}% {k}" for k in ("reporting", "comment", "boilerplate"))
            shares = f'<div class="shares" title="{_e(summary)}">{bars}</div><div class="docmeta">{_e(summary)}</div>'
            for title, key in (("Opinion signals", "opinion_signals"), ("Signs of machine translation", "machine_translation")):
                if note.get(key):
                    shares += f'<div class="docmeta">{title}: {_e("; ".join(note[key]))}</div>'
        if doc.get("duplicate_of"):
            badges += f' <span class="badge">duplicate of {page.doc_link(doc["duplicate_of"])}</span>'
        if doc_id in page.context:
            badges += ' <span class="badge">earlier reporting (context)</span>'
        text = _marked_text(doc_id, str(doc.get("text") or ""), page.marks.get(doc_id, {}), numbers[doc_id])
        parts.append(
            f'<article class="doc" id="doc-{_safe_id(doc_id)}"><h3>{_e(document_label(doc))}{badges}</h3>'
            f'<div class="docmeta">{" · ".join(meta)}</div>{shares}<pre class="doctext">{text}</pre></article>'
        )
    return _section("sources", "Sources", "".join(parts) or "<p>No documents.</p>")


def _errors(page: _Page) -> str:
    errors = page.brief.get("errors", [])
    if not errors:
        return ""
    items = "".join(f"<li><strong>{_e(e.get('source'))}</strong>: {_e(e.get('reason'))}</li>" for e in errors)
    return _section("errors", "Errors", f'<ul class="plain errors">{items}</ul>')


def _section(anchor: str, title: str, body: str, css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f'<section id="{anchor}"{klass}><h2>{_e(title)}</h2>{body}</section>'


_TOC = (("summary", "What happened"), ("update", "What is new"), ("stories", "Stories"), ("timeline", "Timeline"),
        ("quotes", "Who said what"), ("entities", "People & organisations"), ("facts", "Corroboration"),
        ("conflicts", "Disagreements"), ("reactions", "Readers"), ("sources", "Sources"), ("errors", "Errors"))


#: The sections ``brief_sections`` returns, in order: (anchor, table-of-contents title).
SECTIONS = _TOC[:9]


def _shown(brief: Brief) -> dict[str, bool]:
    """Sections a brief may leave out (the others are always there)."""
    update = bool(brief.get("update"))
    return {"errors": bool(brief.get("errors")), "stories": len(brief.get("stories") or []) > 1,
            "update": update, "quotes": not update}


def section_toc(brief: Brief) -> list[tuple[str, str]]:
    """The (anchor, title) of the ``brief_sections`` this brief has, in order."""
    shown = _shown(brief)
    return [(anchor, title) for anchor, title in SECTIONS if shown.get(anchor, True)]


def brief_sections(brief: Brief, cite_href: CiteHref, doc_href: DocHref) -> list[str]:
    """The brief's sections before *Sources* (summary to reader reaction), as HTML, with
    citations linked by ``cite_href(document, start, end)`` and document names by
    ``doc_href(document)``: for pages that show the sources elsewhere (the web UI)."""
    return _reporting_sections(_Page(brief, cite_href, doc_href))


def _reporting_sections(page: _Page) -> list[str]:
    return [part for part in (_summary(page), _update(page), _stories(page), _timeline(page), _quotes(page),
                              _entities(page), _facts(page), _conflicts(page), _reactions(page)) if part]


def render_html(brief: Brief) -> str:
    """The brief as one self-contained, network-free HTML page (see the module docstring)."""
    page = _Page(brief)
    labels = [str(s.get("label")) for s in brief.get("stories", []) if s.get("label")]
    title = labels[0] if labels else "Story brief"
    if len(labels) > 1:
        title += f" (+{len(labels) - 1} more stories)"
    # Sources come last: they mark the spans every earlier section cited.
    body = _reporting_sections(page) + [_sources(page), _errors(page)]
    duplicates = sum(1 for d in brief.get("documents", []) if d.get("duplicate_of"))
    days = sorted(d for e in brief.get("events", []) if (d := _parse_day(e.get("date"))))
    byline = plural(len(brief.get("documents", [])), "document") + (f" ({duplicates} duplicate)" if duplicates == 1 else
                                                    f" ({duplicates} duplicates)" if duplicates else "")
    byline += f" · {plural(len(brief.get('events', [])), 'event')}"
    if days:
        byline += f" · {days[0].isoformat()} to {days[-1].isoformat()}"
    note = update_note(brief)
    update = f'<p class="update-note">{_e(note)}</p>' if note else ""
    shown = _shown(brief)
    toc = "".join(f'<a href="#{a}">{_e(t)}</a>' for a, t in _TOC if shown.get(a, True))
    script = _asset("report.js")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_csp(script))}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)} — storybrief</title><style>{_asset('report.css')}</style></head>\n<body>"
        f'<header class="top"><h1>{_e(title)}</h1><p>{_e(byline)}</p>{update}</header>'
        f'<nav class="toc" aria-label="Sections">{toc}</nav><main>{"".join(body)}</main>'
        f"<footer>Made offline by storybrief {_e(brief.get('storybrief', ''))}. "
        "This page loads nothing from the network.</footer>"
        f"<script>{script}</script></body></html>\n"
    )
