"""Markdown view of a brief, for reading in a terminal or pasting into an issue.

The renderer reads the brief as the plain JSON-compatible dict that ``storybrief brief --format
json`` prints (its shape is ``brief.schema.json``), so it can also re-render a saved brief.

Document text is data, never markup: every string that comes from a document goes through
``md_text`` so that a leading ``#``, a ``|`` inside a table cell, backticks or raw HTML in a
reader comment cannot change the layout of the brief. Citations are footnote-like numbers
``[n]`` that resolve, in the *Citations* section, to "document, characters start–end", so a
reader can check every sentence against its source. The numbering helper ``CitationIndex`` is
shared with the HTML renderer so both views number the same span the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "CitationIndex",
    "citable_documents",
    "document_label",
    "md_text",
    "render_markdown",
    "span_is_valid",
    "undated_note",
    "update_note",
]

Brief = Mapping[str, Any]
SpanKey = tuple[str, int, int]

#: Characters CommonMark treats as inline syntax (emphasis, code, links, raw HTML, tables).
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>|~])")
#: ``&name;`` / ``&#123;`` would be decoded as an entity by a Markdown viewer.
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
#: What turns the start of a line into a heading, quote, list item or rule.
_BLOCK_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s|$)|\d{1,9}[.)](?=\s|$)|=+\s*$)")
_WHITESPACE = re.compile(r"\s+")
#: Summary and quote texts longer than this are cut in tables (full text stays in the sources).
MAX_CELL_CHARS = 160
#: The views list the top items only (JSON lists everything): so a brief of a large pile
#: stays a brief. Shared with the HTML view.
MAX_FACTS = 25
MAX_ENTITIES = 40
MAX_QUOTES = 30
#: A pile of several stories gets one section per story, largest first, for this many
#: stories (the rest are listed by label), each with its top items.
MAX_STORY_SECTIONS = 10
STORY_ITEMS = 3


def md_text(text: str | None) -> str:
    """Escape document text so it renders as the same text inside one Markdown line."""
    if not text:
        return ""
    flat = _WHITESPACE.sub(" ", "".join(ch if ch.isprintable() else " " for ch in text)).strip()
    flat = _INLINE_SPECIALS.sub(r"\\\1", flat)
    flat = _ENTITY_LIKE.sub(r"\\&", flat)
    return _BLOCK_START.sub(_escape_block_start, flat)


def _escape_block_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker[0].isdigit():  # "1." is escaped as "1\.": a backslash before a digit is literal
        return f"{match.group(1)}{marker[:-1]}\\{marker[-1]}"
    return f"{match.group(1)}\\{marker}"


def _clip(text: str, limit: int = MAX_CELL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def document_label(doc: Mapping[str, Any]) -> str:
    """How a document is named to a reader: its ``name`` (``labels.document_name``), else its
    title, URL, path or id (a stored document, or a brief from before names)."""
    return str(
        doc.get("name") or doc.get("title") or doc.get("url") or doc.get("path") or doc.get("id")
    )


def plural(count: int, word: str) -> str:
    """ "1 document", "2 documents" (regular English plurals only)."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def no_summary_reason(brief: Brief) -> str:
    """Why the summary is empty: no reporting sentence at all, or none within the budget."""
    if any(note.get("counts", {}).get("body") for note in brief.get("source_notes", [])):
        return "No summary: no reporting sentence fits within the word budget (--words)."
    return "No summary: no reporting sentences were found."


def undated_note(brief: Brief) -> str | None:
    """What a reader must know about the order of events when some are undated (None when
    every event has a date): undated events are listed after the dated ones, in no time
    order, and a brief whose documents are mostly undated says that first."""
    undated = sum(1 for event in brief.get("events", []) if not event.get("date"))
    if not undated:
        return None
    docs = [doc for doc in brief.get("documents", []) if doc.get("event")]
    undated_docs = sum(1 for doc in docs if not doc.get("date"))
    events = plural(undated, "undated event")
    if docs and 2 * undated_docs > len(docs):
        return (
            f"Most documents are undated ({undated_docs} of {len(docs)}): their text does not "
            f"say when they were written. The {events} are listed after any dated ones, in "
            "no time order; their order says nothing about when they happened."
        )
    return f"The {events} are listed after the dated ones, in no time order."


def span_is_valid(span: Mapping[str, Any], documents: Mapping[str, Mapping[str, Any]]) -> bool:
    """A citation can be shown only if its document is in the brief and its offsets fit the text."""
    doc = documents.get(str(span.get("document")))
    start, end = span.get("start"), span.get("end")
    if doc is None or not isinstance(start, int) or not isinstance(end, int):
        return False
    return 0 <= start < end <= len(doc.get("text") or "")


class CitationIndex:
    """Numbers cited spans in order of first use; the same span always gets the same number."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]]) -> None:
        self.documents = documents
        self.numbers: dict[SpanKey, int] = {}

    def number(self, span: Mapping[str, Any]) -> int | None:
        """The span's citation number, or ``None`` for a span that does not fit its document."""
        if not span_is_valid(span, self.documents):
            return None
        key = (str(span["document"]), int(span["start"]), int(span["end"]))
        return self.numbers.setdefault(key, len(self.numbers) + 1)

    def ordered(self) -> list[tuple[int, SpanKey]]:
        return sorted((n, key) for key, n in self.numbers.items())


def _documents(brief: Brief) -> dict[str, Mapping[str, Any]]:
    return {str(doc["id"]): doc for doc in brief.get("documents", [])}


def citable_documents(brief: Brief) -> dict[str, Mapping[str, Any]]:
    """The documents a citation may point into: the brief's, and in an update brief the
    earlier documents its ``update`` section cites as context."""
    context = (brief.get("update") or {}).get("context_documents", [])
    return {**{str(doc["id"]): doc for doc in context}, **_documents(brief)}


def _markers(spans: Iterable[Mapping[str, Any]], cites: CitationIndex) -> str:
    numbers = [cites.number(span) for span in spans]
    shown = "".join(f"[{n}]" for n in numbers if n is not None)
    if any(n is None for n in numbers):
        shown += "[?]"
    return shown


def _date_text(date: str | None, granularity: str = "day", inferred: bool = False) -> str:
    if not date:
        return "undated"
    shown = {"year": date[:4], "month": date[:7]}.get(granularity, date)
    if granularity == "week":
        shown = f"week of {date}"
    return f"{shown} (inferred)" if inferred else shown


def _doc_names(ids: Iterable[str], documents: Mapping[str, Mapping[str, Any]]) -> str:
    return "; ".join(md_text(document_label(documents[i])) for i in ids if i in documents)


def _summary(brief: Brief, cites: CitationIndex) -> list[str]:
    events = {str(e["id"]): e for e in brief.get("events", [])}
    out = ["## What happened"]
    note = undated_note(brief) if brief.get("summary") else None
    if note:
        out += ["", f"*{note}*"]
    current: object = object()
    for sentence in brief.get("summary", []):
        event_id = sentence.get("event")
        if event_id != current:
            current = event_id
            event = events.get(str(event_id))
            if event is not None:
                when = _date_text(event.get("date"), event.get("granularity", "day"), event.get("date_inferred", False))
                out += ["", f"**{md_text(when)} — {md_text(event.get('label'))}**", ""]
        out.append(f"- {md_text(sentence.get('text'))} {_markers(sentence.get('sources', []), cites)}")
    if not brief.get("summary"):
        out.append(f"*{no_summary_reason(brief)}*")
    return out


def _timeline(brief: Brief) -> list[str]:
    events = {str(e["id"]): e for e in brief.get("events", [])}
    rows = ["## Timeline", "", "| Date | What happened | Sources |", "|---|---|---|"]
    entries = brief.get("timeline") or [
        {"date": e.get("date"), "inferred": e.get("date_inferred"), "text": e.get("label"),
         "documents": e.get("documents", []), "event": e.get("id")}
        for e in brief.get("events", [])
    ]
    documents = _documents(brief)
    for entry in entries:
        granularity = events.get(str(entry.get("event")), {}).get("granularity", "day")
        when = _date_text(entry.get("date"), granularity, bool(entry.get("inferred")))
        rows.append(
            f"| {md_text(when)} | {md_text(_clip(str(entry.get('text') or '')))} "
            f"| {_doc_names(entry.get('documents', []), documents)} |"
        )
    if not entries:
        rows = ["## Timeline", "", "*No dated events.*"]
    elif note := undated_note(brief):
        rows[1:1] = ["", f"*{note}*"]
    return rows


def _quote_line(quote: Mapping[str, Any], cites: CitationIndex) -> str:
    speaker = f"**{md_text(quote['speaker'])}**" if quote.get("speaker") else "*unattributed*"
    cue = f" ({md_text(quote['cue'])})" if quote.get("cue") else ""
    return f"- {speaker}{cue}: “{md_text(quote.get('text'))}” {_markers(quote.get('sources', []), cites)}"


def _update(brief: Brief, cites: CitationIndex) -> list[str]:
    """An update brief's news beyond its summary: new quotes, facts that gained support, new
    conflicts; earlier reporting is cited as context ("earlier: [n]"), never as new."""
    update = brief.get("update")
    if not update:
        return []
    since = md_text(str(update.get("since") or ""))
    out = [f"## What is new since {since}", "", "### New quotes", ""]
    quotes = update.get("new_quotes", [])
    out += [_quote_line(q, cites) for q in quotes[:MAX_QUOTES]] or ["*No new quotes.*"]
    out += _more(quotes, MAX_QUOTES, "new quotes")
    out += ["", "### Facts that gained support", ""]
    for fact in update.get("gained_support", [])[:MAX_FACTS]:
        out.append(
            f"- {md_text(fact.get('text'))} — {fact.get('support_before', 0)} → "
            f"{plural(int(fact.get('support_after', 0)), 'source')} "
            f"{_markers(fact.get('sources', []), cites)} "
            f"(earlier: {_markers(fact.get('earlier_sources', []), cites)})"
        )
    if not update.get("gained_support"):
        out.append("*No earlier fact was reported again by a new source.*")
    out += _more(update.get("gained_support", []), MAX_FACTS, "facts that gained support")
    out += ["", "### New conflicts with earlier reporting", ""]
    for conflict in update.get("new_conflicts", []):
        values = " vs ".join(
            f"“{md_text(v.get('value'))}” "
            + " ".join(
                part
                for part in (
                    _markers(v.get("sources", []), cites),
                    f"(earlier: {_markers(v['earlier_sources'], cites)})"
                    if v.get("earlier_sources") else "",
                )
                if part
            )
            for v in conflict.get("values", [])
        )
        out.append(f"- **{md_text(conflict.get('about'))}** ({md_text(conflict.get('kind'))}): {values}")
    if not update.get("new_conflicts"):
        out.append("*No new reporting disagrees with earlier reporting.*")
    return out


def _quotes(brief: Brief, cites: CitationIndex) -> list[str]:
    if brief.get("update"):
        return []  # an update brief's quotes are its new quotes, shown in "What is new"
    out = ["## Who said what", ""]
    for quote in brief.get("quotes", [])[:MAX_QUOTES]:
        out.append(_quote_line(quote, cites))
    if not brief.get("quotes"):
        out.append("*No quotes found.*")
    return out + _more(brief.get("quotes", []), MAX_QUOTES, "quotes")


def _more(items: list[Any], shown: int, what: str) -> list[str]:
    """A line saying how many items the view leaves out (JSON lists them all)."""
    if len(items) <= shown:
        return []
    return ["", f"*… and {len(items) - shown} more {what} (all are in `--format json`).*"]


def _entities(brief: Brief) -> list[str]:
    out = ["## People & organisations", ""]
    for entity in brief.get("entities", [])[:MAX_ENTITIES]:
        name = str(entity.get("name") or "")
        roles = ", ".join(md_text(r) for r in entity.get("roles", []))
        kind = str(entity.get("type") or "")
        head = f"- **{md_text(name)}** ({md_text(kind)}{'; ' + roles if roles else ''})"
        docs = len(entity.get("documents", []))
        mentions = int(entity.get("mentions", 0))
        line = f"{head}: {mentions} mention{'s' * (mentions != 1)} in {docs} document{'s' * (docs != 1)}"
        variants = [v for v in entity.get("variants", []) if v.get("text") != name]
        if variants:
            line += "; also written " + ", ".join(f"“{md_text(v['text'])}” ×{v.get('count', 0)}" for v in variants)
        if entity.get("misspellings"):
            line += "; likely misspelt as " + ", ".join(f"*{md_text(m)}*" for m in entity["misspellings"])
        out.append(line)
    if not brief.get("entities"):
        out.append("*No people, organisations or places found.*")
    return out + _more(brief.get("entities", []), MAX_ENTITIES, "people, organisations and places")


def _facts(brief: Brief, cites: CitationIndex) -> list[str]:
    out = ["## Corroboration", ""]
    for fact in brief.get("facts", [])[:MAX_FACTS]:
        support = int(fact.get("support", 0))
        out.append(
            f"- {md_text(fact.get('text'))} — {support} source{'s' * (support != 1)} "
            f"{_markers(fact.get('sources', []), cites)}"
        )
    if not brief.get("facts"):
        out.append("*No facts reported by more than one source.*")
    return out + _more(brief.get("facts", []), MAX_FACTS, "facts")


def _stories(brief: Brief, cites: CitationIndex) -> list[str]:
    """One section per story of a pile of several, largest first, with its top items."""
    stories = brief.get("stories") or []
    if len(stories) < 2:
        return []
    out = ["## Stories", "", f"{len(stories)} stories, largest first."]
    for story in stories[:MAX_STORY_SECTIONS]:
        docs = len(story.get("documents", []))
        out += ["", f"### {md_text(str(story.get('label') or story.get('id')))} "
                    f"({docs} document{'s' * (docs != 1)})", ""]
        for sentence in story.get("summary", []):
            out.append(f"- {md_text(sentence.get('text'))} {_markers(sentence.get('sources', []), cites)}")
        for quote in story.get("quotes", [])[:STORY_ITEMS]:
            speaker = md_text(quote.get("speaker")) if quote.get("speaker") else "unattributed"
            out.append(f"- *{speaker}*: “{md_text(_clip(str(quote.get('text') or '')))}” "
                       f"{_markers(quote.get('sources', []), cites)}")
        for fact in story.get("facts", [])[:STORY_ITEMS]:
            out.append(f"- Corroborated ({fact.get('support', 0)} sources): {md_text(fact.get('text'))} "
                       f"{_markers(fact.get('sources', []), cites)}")
    rest = stories[MAX_STORY_SECTIONS:]
    if rest:
        out += ["", "Other stories: " + "; ".join(
            f"{md_text(str(s.get('label') or s.get('id')))} ({len(s.get('documents', []))})" for s in rest)]
    return out


def _conflicts(brief: Brief, cites: CitationIndex) -> list[str]:
    out = ["## Where sources disagree", ""]
    for conflict in brief.get("conflicts", []):
        values = " vs ".join(
            f"“{md_text(v.get('value'))}” {_markers(v.get('sources', []), cites)}"
            for v in conflict.get("values", [])
        )
        out.append(f"- **{md_text(conflict.get('about'))}** ({md_text(conflict.get('kind'))}): {values}")
    if not brief.get("conflicts"):
        out.append("*No disagreements found between sources.*")
    return out


def _reactions(brief: Brief, cites: CitationIndex) -> list[str]:
    reactions = brief.get("reactions") or {}
    documents = _documents(brief)
    total = int(reactions.get("total", 0))
    out = [
        "## What readers said",
        "",
        "> Reader comments, not reporting: nothing below is used in the summary or the facts above.",
        "",
    ]
    if not total:
        return [*out, "*No reader comments.*"]
    per_doc = ", ".join(
        f"{md_text(document_label(documents[d]))} ({n})"
        for d, n in reactions.get("per_document", {}).items() if d in documents and n
    )
    out.append(f"{total} comments ({reactions.get('quoting_article', 0)} quote the article back): {per_doc}.")
    for theme in reactions.get("themes", []):
        terms = ", ".join(md_text(t) for t in theme.get("terms", []))
        out += ["", f"- **{md_text(theme.get('label'))}** ({theme.get('comment_count', 0)} comments; {terms})"]
        for example in theme.get("examples", []):
            out.append(f"  - “{md_text(_clip(str(example.get('text') or '')))}” {_markers([example], cites)}")
    if reactions.get("representative"):
        out += ["", "Representative comments:", ""]
        for comment in reactions["representative"]:
            out.append(f"- “{md_text(_clip(str(comment.get('text') or '')))}” {_markers([comment], cites)}")
    if reactions.get("links"):
        out += ["", "Links readers shared (not visited):", ""]
        out += [f"- {md_text(link.get('url'))} ×{link.get('count', 0)}" for link in reactions["links"]]
    return out


def _percent(value: object) -> str:
    return f"{float(value) * 100:.0f}%" if isinstance(value, int | float) else "?"


def _sources(brief: Brief) -> list[str]:
    notes = {str(n.get("document")): n for n in brief.get("source_notes", [])}
    documents = _documents(brief)
    out = ["## Sources", ""]
    for doc_id, doc in documents.items():
        out.append(f"### {md_text(document_label(doc))}")
        out.append("")
        facts = [
            ("id", doc_id), ("path", doc.get("path")), ("url", doc.get("url")), ("site", doc.get("site")),
            ("date", _date_text(doc.get("date"), inferred=bool(doc.get("date_inferred"))) if doc.get("date") else None),
            ("language", doc.get("language")), ("format", doc.get("format")),
        ]
        out += [f"- {name}: {md_text(str(value))}" for name, value in facts if value]
        duplicate = doc.get("duplicate_of")
        if duplicate:
            original = documents.get(str(duplicate))
            out.append(f"- duplicate of: {md_text(document_label(original) if original else str(duplicate))}")
        note = notes.get(doc_id)
        if note:
            shares = note.get("shares", {})
            out.append(
                f"- kind: {md_text(note.get('kind'))}; {_percent(shares.get('reporting'))} reporting, "
                f"{_percent(shares.get('comment'))} comments, {_percent(shares.get('boilerplate'))} boilerplate"
            )
            if note.get("opinion_signals"):
                out.append("- opinion signals: " + "; ".join(md_text(s) for s in note["opinion_signals"]))
            if note.get("machine_translation"):
                out.append("- signs of machine translation: " + "; ".join(md_text(s) for s in note["machine_translation"]))
        out.append("")
    return out


def _citations(cites: CitationIndex, brief: Brief) -> list[str]:
    out = ["## Citations", ""]
    own = _documents(brief)
    for number, (doc_id, start, end) in cites.ordered():
        doc = cites.documents[doc_id]
        where = md_text(document_label(doc))
        if doc.get("path") and doc.get("path") != document_label(doc):
            where += f" ({md_text(doc['path'])})"
        if doc_id not in own:
            where += ", earlier reporting (context)"
        out.append(f"[{number}] {where}, characters {start}–{end}  ")
    return out if cites.numbers else []


def _errors(brief: Brief) -> list[str]:
    if not brief.get("errors"):
        return []
    out = ["## Errors", ""]
    out += [f"- {md_text(e.get('source'))}: {md_text(e.get('reason'))}" for e in brief["errors"]]
    return out


def _title(brief: Brief) -> str:
    stories = brief.get("stories") or []
    labels = [str(s.get("label")) for s in stories if s.get("label")]
    if not labels:
        return "Story brief"
    return labels[0] if len(labels) == 1 else f"{labels[0]} (+{len(labels) - 1} more stories)"


def update_note(brief: Brief) -> str | None:
    """What an update brief covers, in one line (plain text; ``None`` for other briefs)."""
    update = brief.get("update")
    if not update:
        return None
    new, earlier = int(update.get("new_documents", 0)), int(update.get("earlier_documents", 0))
    repeated = int(update.get("repeated_sentences", 0))
    return (
        f"Update since {update.get('since')}: only what {plural(new, 'new document')} "
        f"{'adds' if new == 1 else 'add'} to {plural(earlier, 'earlier document')} (the context, "
        f"never cited as new); {plural(repeated, 'sentence')} of the new documents that "
        f"{'repeats' if repeated == 1 else 'repeat'} earlier reporting left out."
    )


def render_markdown(brief: Brief) -> str:
    """The whole brief as Markdown: summary first, then the evidence, then where it came from."""
    documents = _documents(brief)
    cites = CitationIndex(citable_documents(brief))
    duplicates = sum(1 for d in documents.values() if d.get("duplicate_of"))
    byline = f"*{plural(len(documents), 'document')}"
    byline += f" ({duplicates} duplicate{'s' * (duplicates != 1)})" if duplicates else ""
    byline += f", {plural(len(brief.get('events', [])), 'event')} · storybrief {md_text(str(brief.get('storybrief', '')))}*"
    note = update_note(brief)
    sections = [
        [f"# {md_text(_title(brief))}", "", byline] + (["", f"*{md_text(note)}*"] if note else []),
        _summary(brief, cites),
        _update(brief, cites),
        _stories(brief, cites),
        _timeline(brief),
        _quotes(brief, cites),
        _entities(brief),
        _facts(brief, cites),
        _conflicts(brief, cites),
        _reactions(brief, cites),
        _sources(brief),
    ]
    sections += [_citations(cites, brief), _errors(brief)]  # after the rest: they list what was cited
    return "\n\n".join("\n".join(s).strip() for s in sections if s) + "\n"
