"""Assemble the brief from cleaned documents: the analysis stages, in order.

1. Reporting text: each document's title/heading/body blocks. Everything else (comments,
   furniture) is blanked to spaces in a *masked* copy of the text, which keeps every offset
   valid, so no later stage can cite a comment by accident.
2. Each document's own date from the whole pile's text (``analyze.pile_dates``: pages date
   each other, across stories), then stories (``analyze.stories``), then events inside each
   story with their dates (``analyze.events``), ordered in time.
3. Sentences of body blocks (``analyze.sentences``).
4. Entities with merged name variants (``analyze.entities``) over the masked texts.
5. Quotes with speakers (``analyze.quotes``), the same quote in several documents merged.
6. Facts, their independent support, and conflicts (``analyze.facts``); a duplicate counts once.
7. Summary (``summarize.extractive``) over body sentences of original documents, chosen for
   content and grouped by event in time order; each event's own line (``events[].summary``).
8. Timeline, reader reaction (``summarize.reactions``, comments only) and source notes.

A pile of several stories is briefed story by story (``_story``): events, quotes, facts and
a summary per story, largest story first, so no stage compares all pairs of a whole pile; the
top-level summary is the pile's. Every stage is isolated per document (``isolation.py``).

The result is the brief as a JSON-compatible dict: the documented contract that every renderer
takes (schema: ``render/brief.schema.json``).
"""

from __future__ import annotations

import datetime
import functools
import multiprocessing
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from storybrief.analyze.dates import DocumentDate
from storybrief.analyze.document_analysis import DocumentAnalysis
from storybrief.analyze.entities import Entity, extract_entities
from storybrief.analyze.events import Event, EventDoc, find_events
from storybrief.analyze.facts import Conflict, Fact, find_facts, source_roots
from storybrief.analyze.pile_dates import infer_pile_dates
from storybrief.analyze.quotes import Quote, extract_quotes, merge_quotes
from storybrief.analyze.sentences import split_sentences
from storybrief.analyze.source_notes import SourceNote, source_notes
from storybrief.analyze.stories import cluster_stories
from storybrief.isolation import Isolation, ProgressCallback, Steps
from storybrief.labels import document_name, event_label, story_label
from storybrief.links import has_link
from storybrief.model import REPORTING_LABELS, Document, ReadError, Sentence
from storybrief.options import Options
from storybrief.summarize.extractive import (
    SummaryInput,
    SummarySentence,
    group_sentences,
    sentence_candidates,
    summarize,
)
from storybrief.summarize.reactions import summarize_reactions

Brief = dict[str, Any]
T = TypeVar("T")

#: Facts supported by fewer independent sources are not listed (one source is not corroboration).
MIN_FACT_SUPPORT = 2
#: A quoted fragment shorter than this ("talked down", "next week") is a turn of phrase, not
#: something a source said worth listing under "who said what".
MIN_PARTIAL_QUOTE_WORDS = 4


#: From this many words of reporting, entity extraction runs in a forked worker process
#: beside the other stages (this machine class has 2 cores; a brief of 25 long articles then
#: stays within its 2 s). Below it, the fork costs more than it saves.
PARALLEL_MIN_WORDS = 8000


#: Whether a large brief may fork that worker. The worker processes of a parallel ingest turn
#: it off (``scale.pool``): every core already runs one of them.
FORK_FOR_LARGE_BRIEFS = True


def _is_large(texts: Sequence[tuple[str, str]]) -> bool:
    if not FORK_FOR_LARGE_BRIEFS:
        return False
    return sum(len(text.split()) for _, text in texts) >= PARALLEL_MIN_WORDS


def _start(function: Callable[[Any], T], argument: Any, large: bool) -> Callable[[], T]:
    """Run ``function(argument)`` in a forked worker when ``large`` (and fork exists), else
    inline; returns a function that gives the result. Results are the same either way.
    A daemonic process (a Dask worker) may not fork children: it runs everything inline."""
    daemon = multiprocessing.current_process().daemon
    if large and not daemon and "fork" in multiprocessing.get_all_start_methods():
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        future = pool.submit(function, argument)

        def result() -> T:
            try:
                return future.result()
            finally:
                pool.shutdown()

        return result
    value = function(argument)
    return lambda: value


def masked_reporting_text(doc: Document) -> str:
    """``doc.text`` with every non-reporting block blanked (same length, same offsets)."""
    chars = list(doc.text)
    for block in doc.blocks:
        if block.label not in REPORTING_LABELS:
            for i in range(block.start, block.end):
                if chars[i] != "\n":
                    chars[i] = " "
    return "".join(chars)


def _span(doc_id: str, start: int, end: int) -> dict[str, Any]:
    return {"document": doc_id, "start": start, "end": end}


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _published(doc: Document) -> datetime.date | None:
    if not doc.published:
        return None
    try:
        return datetime.date.fromisoformat(doc.published[:10])
    except ValueError:
        return None


def body_sentences(doc: Document) -> list[Sentence]:
    out: list[Sentence] = []
    for block in doc.blocks:
        if block.label == "body":
            out.extend(split_sentences(doc.text, doc.id, block.start, block.end))
    return out


def _summary_inputs(docs: Sequence[Document], events: Sequence[Event]) -> list[SummaryInput]:
    """Body text of every original document, dated by its event."""
    date_of = {doc_id: e.date for e in events for doc_id in e.doc_ids}
    return [
        SummaryInput(
            doc_id=d.id,
            text=d.text,
            spans=[_without_bullet(d.text, b.start, b.end) for b in d.blocks if b.label == "body"],
            date=date_of.get(d.id),
            title=d.title,
        )
        for d in docs
        if d.duplicate_of is None and any(b.label == "body" for b in d.blocks)
    ]


#: Summary sentences with their event, and each event's own line by event id.
_SummaryResult = tuple[list[tuple[SummarySentence, str | None]], dict[str, SummarySentence]]

#: A summary opens with every event's own line when its budget holds this many words per event
#: (3 events in the default 250 words): a brief of a few events then tells each one's news. A
#: pile of many events (DUC 2007 topic clusters: 16-25 events in 250 words) is summarized for
#: content alone; a line per event made such a summary a list of fragments (ROUGE-2 ~.104
#: against .131).
EVENT_LINE_WORDS = 60


def _summary(
    docs: Sequence[Document],
    events: Sequence[Event],
    options: Options,
    lines: dict[str, SummarySentence] | None = None,
    background: Sequence[Collection[str]] = (),
) -> _SummaryResult:
    """Summary sentences with their event, and each event's own line.

    The summary is chosen for content over the whole pile, then grouped by event in event
    order; only when the budget holds ``EVENT_LINE_WORDS`` per event does it open with each
    event's line (``events[].summary``, the event's best sentence on its own). ``lines``: the
    events' lines when already known (the pile of several stories), else found here.
    ``background``: see ``build_brief``.
    """
    event_of = {doc_id: e.id for e in events for doc_id in e.doc_ids}
    inputs = _summary_inputs(docs, events)
    shared = sentence_candidates(inputs)
    if lines is None:
        groups = [set(e.doc_ids) for e in events]
        found = group_sentences(inputs, groups, options.focus, shared=shared)
        lines = {e.id: line for e, line in zip(events, found, strict=True) if line is not None}
    include = []
    if events and len(events) * EVENT_LINE_WORDS <= options.words:
        include = [(s.doc_id, s.start, s.end) for e in events if (s := lines.get(e.id))]
    chosen = summarize(
        inputs,
        words=options.words,
        focus=options.focus,
        include=include,
        background=background,
        shared=shared,
    )
    order = {e.id: n for n, e in enumerate(events)}
    doc_order = {d.id: n for n, d in enumerate(docs)}
    chosen.sort(
        key=lambda s: (
            order.get(event_of.get(s.doc_id, ""), len(order)),
            doc_order[s.doc_id],
            s.start,
        )
    )
    return [(s, event_of.get(s.doc_id)) for s in chosen], lines


def _event_line(line: SummarySentence | None) -> dict[str, Any] | None:
    if line is None:
        return None
    return {"text": line.text, "sources": [_span(line.doc_id, line.start, line.end)]}


_BULLET_RE = re.compile(r"[-–—•*·]\s+")


def _without_bullet(text: str, start: int, end: int) -> tuple[int, int]:
    """A body block's span without a leading list bullet ("- Lavrov said ...")."""
    match = _BULLET_RE.match(text, start, end)
    return (match.end(), end) if match else (start, end)


@dataclass
class _Story:
    """One story's own brief: its events, summary, quotes, facts and conflicts."""

    id: str
    doc_ids: list[str]
    events: list[Event]
    summary: list[tuple[SummarySentence, str | None]]
    event_lines: dict[str, SummarySentence]
    quotes: list[list[Quote]]
    facts: list[Fact]
    conflicts: list[Conflict]
    label: str = ""


def _stories(
    docs: Sequence[Document], masked: dict[str, str], guard: Isolation, one_story: bool = False
) -> list[list[str]]:
    """Stories of the documents with reporting text, largest first (ties: first document)."""
    reporting = [d for d in docs if d.reporting_text.strip()]
    if one_story:
        return [[d.id for d in reporting]] if reporting else []

    def cluster(group: Sequence[Document]) -> list[list[str]]:
        return cluster_stories([(d.id, masked[d.id]) for d in group]) if group else []

    groups: list[list[str]] = guard.run("stories", reporting, cluster, [])
    return sorted(groups, key=lambda group: -len(group))  # stable: ties keep first-document order


_UNDATED = DocumentDate(None, True, "no usable date in the text")


def pile_dates(
    docs: Sequence[Document], masked: dict[str, str], guard: Isolation
) -> dict[str, DocumentDate]:
    """Each document's own date from the whole pile's reporting text, found before the
    stories are briefed so that every story sees what the other stories' pages state."""

    def infer(group: Sequence[Document]) -> dict[str, DocumentDate]:
        found = infer_pile_dates([masked[d.id] for d in group], [_published(d) for d in group])
        return {d.id: date for d, date in zip(group, found, strict=True)}

    return guard.run("dates", docs, infer, {})


def story_events(
    story_id: str,
    story_docs: Sequence[Document],
    masked: dict[str, str],
    guard: Isolation,
    dates: dict[str, DocumentDate] | None = None,
) -> list[Event]:
    """The events of a story's documents (``analyze.events``), ids prefixed by the story's."""

    def events_of(group: Sequence[Document]) -> list[Event]:
        own = None if dates is None else [dates.get(d.id, _UNDATED) for d in group]
        return find_events([EventDoc(d.id, masked[d.id], _published(d)) for d in group], own)

    events: list[Event] = guard.run("events", story_docs, events_of, [])
    for event in events:
        event.id = f"{story_id}-{event.id}"
    return events


def _story(
    story_id: str,
    story_docs: Sequence[Document],
    docs: Sequence[Document],
    masked: dict[str, str],
    sentences: dict[str, list[Sentence]],
    options: Options,
    guard: Isolation,
    dates: dict[str, DocumentDate] | None = None,
    background: Sequence[Collection[str]] = (),
    analysis: Mapping[str, DocumentAnalysis] | None = None,
) -> _Story:
    """The brief of one story's documents: every stage blocked to the story. ``dates``: the
    documents' own dates over the whole pile (``pile_dates``); ``analysis``: see
    ``build_brief``."""

    events = story_events(story_id, story_docs, masked, guard, dates)

    def quotes_of(doc: Document) -> list[Quote]:
        if analysis and doc.id in analysis:
            return analysis[doc.id].quotes
        return extract_quotes(masked[doc.id], doc.id)

    no_quotes: list[Quote] = []
    quotes = [
        q
        for d in story_docs
        for q in guard.each("quotes", d, quotes_of, no_quotes)
        if _worth_listing(q)
    ]
    duplicate_of = {d.id: d.duplicate_of for d in docs if d.duplicate_of}
    root = source_roots(duplicate_of)

    def facts_of(group: Sequence[Document]) -> tuple[list[Fact], list[Conflict]]:
        return find_facts([s for d in group for s in sentences[d.id]], duplicate_of)

    no_facts: tuple[list[Fact], list[Conflict]] = ([], [])
    # A fact's support counts independent sources, and conflicts are between them: the story
    # of one source (most stories of a store) has neither to list, so none are looked for.
    one_source = len({root(d.id) for d in story_docs}) < MIN_FACT_SUPPORT
    facts, conflicts = no_facts if one_source else guard.run("facts", story_docs, facts_of, no_facts)
    no_summary: _SummaryResult = ([], {})
    summary, event_lines = guard.run(
        "summary",
        story_docs,
        lambda group: _summary(group, events, options, None, background),
        no_summary,
    )
    return _Story(
        id=story_id,
        doc_ids=[d.id for d in story_docs],
        events=events,
        summary=summary,
        event_lines=event_lines,
        quotes=merge_quotes(quotes),
        facts=[f for f in facts if f.support >= MIN_FACT_SUPPORT and not has_link(f.text)],
        conflicts=conflicts,
    )


def _in_time_order(events: Sequence[Event]) -> list[Event]:
    """Events ordered by date (undated last, ties in their given order)."""
    undated = [e for e in events if e.date is None]
    dated = sorted(
        (e for e in events if e.date is not None), key=lambda e: e.date or datetime.date.min
    )
    return dated + undated


def _collect(pending: Callable[[], T], fallback: Callable[[], T]) -> T:
    """The worker's result; if the worker failed, the stage again inline and isolated."""
    try:
        return pending()
    except Exception:  # noqa: BLE001 - rerun where each document's failure is isolated
        return fallback()


def _label_stories(
    stories: Sequence[_Story], by_id: dict[str, Document], reporting: set[str]
) -> None:
    """Each story's label (``labels.story_label``), as the store's (``store.briefs``)."""
    for story in stories:
        story.label = story_label([by_id[i] for i in story.doc_ids], story.events, reporting)


def _entities_by_story(
    entities: Sequence[Entity], story_of: dict[str, str]
) -> dict[str, list[Entity]]:
    """Each story's view of the pile's entities: the mentions in its documents only."""
    views: dict[str, list[Entity]] = {}
    for entity in entities:
        by_story: dict[str, list[Any]] = {}
        for mention in entity.mentions:
            if mention.doc_id in story_of:
                by_story.setdefault(story_of[mention.doc_id], []).append(mention)
        for story_id, mentions in by_story.items():
            variants = Counter(m.text for m in mentions)
            views.setdefault(story_id, []).append(
                Entity(
                    name=entity.name,
                    type=entity.type,
                    variants=dict(variants.most_common()),
                    misspellings=[v for v in entity.misspellings if v in variants],
                    mentions=mentions,
                    roles=list(entity.roles),
                )
            )
    for story_entities in views.values():
        story_entities.sort(key=lambda e: (-len(e.mentions), e.name))
    return views


def _summary_json(summary: Sequence[tuple[SummarySentence, str | None]]) -> list[dict[str, Any]]:
    return [
        {"text": s.text, "sources": [_span(s.doc_id, s.start, s.end)], "event": event_id}
        for s, event_id in summary
    ]


def _facts_json(facts: Sequence[Fact]) -> list[dict[str, Any]]:
    return [
        {
            "text": f.text,
            "sources": [_span(src.doc_id, src.start, src.end) for src in f.sources],
            "support": f.support,
        }
        for f in facts
    ]


def _conflicts_json(conflicts: Sequence[Conflict]) -> list[dict[str, Any]]:
    return [
        {
            "kind": c.kind,
            "about": c.fact_text,
            "values": [
                {"value": value, "sources": [_span(x.doc_id, x.start, x.end) for x in spans]}
                for value, spans in c.values.items()
            ],
        }
        for c in conflicts
    ]


def _entity_json(e: Entity) -> dict[str, Any]:
    return {
        "name": e.name,
        "type": e.type,
        "variants": [
            {"text": t, "count": n}
            for t, n in sorted(e.variants.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "misspellings": list(e.misspellings),
        "roles": list(e.roles),
        "documents": sorted({m.doc_id for m in e.mentions}),
        "mentions": len(e.mentions),
    }


def _quote_json(
    group: Sequence[Quote], speaker_name: Callable[[Quote], str | None], texts: dict[str, str]
) -> dict[str, Any]:
    # Shown: the fullest attributed copy (not a headline excerpt of it), under the speaker
    # most copies name (ties: a name before a description, "Antony Blinken" before "the US
    # diplomat", then that copy's), so one copy read without its attribution does not unname
    # or misname the others.
    rep = max(
        enumerate(group), key=lambda item: (item[1].cue is not None, len(item[1].text), -item[0])
    )[1]
    named = [(name, q is rep) for q in group if (name := speaker_name(q))]
    votes = Counter(name for name, _is_rep in named)
    speaker = (
        max(named, key=lambda item: (votes[item[0]], item[0][:1].isupper(), item[1]))[0]
        if named
        else None
    )
    return {
        "speaker": speaker,
        "speaker_as_written": sorted({q.speaker for q in group if q.speaker}),
        "text": _quote_text(rep, texts[rep.doc_id]),
        "cue": rep.cue,
        "kind": group[0].kind,
        "documents": sorted({q.doc_id for q in group}),
        "sources": [_span(q.doc_id, q.start, q.end) for q in group],
    }


def build_brief(
    docs: Sequence[Document],
    errors: Sequence[ReadError] = (),
    options: Options | None = None,
    progress: ProgressCallback | None = None,
    one_story: bool = False,
    *,
    background: Sequence[Collection[str]] = (),
    analysis: Mapping[str, DocumentAnalysis] | None = None,
) -> Brief:
    """The whole brief of cleaned documents (see the module docstring for the stages).

    An exception in any analysis of one document becomes that document's error in
    ``errors`` (``isolation.Isolation``); ``progress`` is told each analysis stage.
    ``one_story``: the documents are known to be one story (a story of the store, grouped
    by its own assignment), so they are not split into stories again.
    ``background``: concept sets of other documents of the story that count towards the
    summary's concept weights but offer no sentence (``summarize``): the update brief's
    earlier reporting (``store/update.py``).
    ``analysis``: documents' own analysis by id (``analyze.document_analysis``, kept by the
    store), used instead of finding their sentences, quotes and mentions again; the brief is
    the same as without."""
    from storybrief import __version__

    options = options or Options()
    found_errors = list(errors)
    guard = Isolation(found_errors)
    step = Steps(progress)
    by_id = {d.id: d for d in docs}
    masked = {d.id: masked_reporting_text(d) for d in docs}
    originals = [d for d in docs if d.duplicate_of is None]
    known = analysis or {}
    found = {i: a.mentions for i, a in known.items()}

    def entities_of(group: Sequence[Document]) -> list[Entity]:
        return extract_entities([(d.id, masked[d.id]) for d in group], found)

    entity_texts = [(d.id, masked[d.id]) for d in originals]
    pending = _start(
        functools.partial(extract_entities, found=found), entity_texts, _is_large(entity_texts)
    )
    step("stories")
    dates = pile_dates(docs, masked, guard)
    groups = _stories(docs, masked, guard, one_story)
    step("sentences")
    no_sentences: list[Sentence] = []
    sentences = {
        d.id: known[d.id].sentences
        if d.id in known
        else guard.each("sentences", d, body_sentences, no_sentences)
        for d in docs
    }
    stories = []
    for n, doc_ids in enumerate(groups, start=1):
        many = "s" * (len(doc_ids) != 1)
        step("story briefs", f"s{n} ({len(doc_ids)} document{many})", len(groups))
        story_docs = [by_id[i] for i in doc_ids]
        stories.append(
            _story(
                f"s{n}",
                story_docs,
                docs,
                masked,
                sentences,
                options,
                guard,
                dates,
                background,
                known,
            )
        )
    events = _in_time_order([e for story in stories for e in story.events])
    step("summary")
    event_lines = {k: v for story in stories for k, v in story.event_lines.items()}
    no_summary: _SummaryResult = ([], {})
    summary = (
        # One story: its summary is the pile's (same documents with a body, same events).
        stories[0].summary
        if len(stories) == 1
        else guard.run(
            "summary",
            docs,
            lambda group: _summary(group, events, options, event_lines, background),
            no_summary,
        )[0]
    )
    step("entities")
    entities = _collect(pending, lambda: guard.run("entities", originals, entities_of, []))
    step("reactions")
    reactions = guard.run("reactions", docs, summarize_reactions, summarize_reactions([]))
    step("source notes")
    notes: list[SourceNote] = guard.run(
        "source notes", docs, lambda group: source_notes(group, entities), []
    )
    reporting_docs = {n.doc_id for n in notes if n.kind == "reporting"}
    for event in events:
        event.label = event_label(event, [by_id[i] for i in event.doc_ids], reporting_docs)
    _label_stories(stories, by_id, reporting_docs)
    first_sentence: dict[str | None, str] = {k: v.text for k, v in event_lines.items()}
    for sentence, event_id in summary:
        first_sentence.setdefault(event_id, sentence.text)
    speaker_name = _speaker_names(entities)
    story_of = {doc_id: s.id for s in stories for doc_id in s.doc_ids}
    event_of = {doc_id: e.id for e in events for doc_id in e.doc_ids}
    date_of = {doc_id: e for e in events for doc_id in e.doc_ids}
    position = {d.id: n for n, d in enumerate(docs)}
    entity_views = _entities_by_story(entities, story_of)
    texts = {d.id: d.text for d in docs}

    def quotes_json(groups: Sequence[list[Quote]]) -> list[dict[str, Any]]:
        return [_quote_json(group, speaker_name, texts) for group in groups]

    all_quotes = sorted(
        (g for story in stories for g in story.quotes), key=lambda g: _quote_rank(g, position)
    )
    for story in stories:
        story.quotes.sort(key=lambda g: _quote_rank(g, position))
    all_facts = sorted(
        (f for story in stories for f in story.facts),
        key=lambda f: (-f.support, position[f.sources[0].doc_id], f.sources[0].start),
    )
    return {
        "storybrief": __version__,
        "documents": [
            {
                "id": d.id,
                "name": document_name(d),
                "path": d.path,
                "url": d.url,
                "title": d.title,
                "site": d.site,
                "published": d.published,
                "date": _iso(date_of[d.id].date) if d.id in date_of else None,
                "date_inferred": bool(date_of[d.id].date_inferred) if d.id in date_of else False,
                "language": d.language,
                "format": d.format,
                "duplicate_of": d.duplicate_of,
                "event": event_of.get(d.id),
                "story": story_of.get(d.id),
                "text": d.text,
            }
            for d in docs
        ],
        "stories": [
            {
                "id": story.id,
                "label": story.label,
                "documents": list(story.doc_ids),
                "events": [e.id for e in story.events],
                "summary": _summary_json(story.summary),
                "quotes": quotes_json(story.quotes),
                "facts": _facts_json(story.facts),
                "conflicts": _conflicts_json(story.conflicts),
                "entities": [_entity_json(e) for e in entity_views.get(story.id, [])],
            }
            for story in stories
        ],
        "events": [
            {
                "id": e.id,
                "story": e.id.split("-")[0],
                "label": e.label,
                "date": _iso(e.date),
                "date_inferred": e.date_inferred,
                "granularity": e.granularity,
                "evidence": e.evidence,
                "documents": list(e.doc_ids),
                "summary": _event_line(event_lines.get(e.id)),
            }
            for e in events
        ],
        "summary": _summary_json(summary),
        "facts": _facts_json(all_facts),
        "conflicts": _conflicts_json([c for story in stories for c in story.conflicts]),
        "entities": [_entity_json(e) for e in entities],
        "quotes": quotes_json(all_quotes),
        "timeline": [
            {
                "date": _iso(e.date),
                "inferred": e.date_inferred,
                "text": first_sentence.get(e.id) or e.label,
                "documents": list(e.doc_ids),
                "event": e.id,
            }
            for e in events
        ],
        "reactions": {
            "total": reactions.total,
            "per_document": reactions.per_document,
            "quoting_article": reactions.quoting_article,
            "themes": [
                {
                    "label": t.label,
                    "terms": t.terms,
                    "comment_count": t.comment_count,
                    "examples": [_comment(c) for c in t.examples],
                }
                for t in reactions.themes
            ],
            "representative": [_comment(c) for c in reactions.representative],
            "links": [{"url": url, "count": n} for url, n in reactions.links],
        },
        "source_notes": [
            {
                "document": n.doc_id,
                "shares": n.shares,
                "counts": n.counts,
                "kind": n.kind,
                "opinion_signals": n.opinion_signals,
                "machine_translation": n.machine_translation,
                "duplicate_of": n.duplicate_of,
                "language": n.language,
            }
            for n in notes
        ],
        "errors": [e.to_dict() for e in found_errors],
        "warnings": [w.to_dict() for d in docs for w in d.warnings],
    }


def _speaker_names(entities: Sequence[Entity]) -> Callable[[Quote], str | None]:
    """A quote's speaker under the name of the entity it is, so that "Anthony Blingen" and
    "Mr Blinken" quotes are listed under one "Antony Blinken": by the speaker's name being a
    variant of one entity only, else by the entity mentioned where the speaker is named."""
    mentions: dict[str, list[tuple[int, int, str]]] = {}
    by_variant: dict[str, set[str]] = {}
    for entity in entities:
        for mention in entity.mentions:
            mentions.setdefault(mention.doc_id, []).append(
                (mention.start, mention.end, entity.name)
            )
        for variant in entity.variants:
            by_variant.setdefault(variant.casefold(), set()).add(entity.name)

    misspelt = {v.casefold() for entity in entities for v in entity.misspellings}

    def same_person(speaker: str, entity_name: str) -> bool:
        """Whether an entity's name can stand for the speaker: the same surname (or the
        speaker a misspelling of it), so that a name the entity finder ran on ("Elizabeth
        Warren Hammers Wells Fargo CEO") or a pronoun's mention never renames a speaker."""
        last = speaker.split()[-1].casefold()
        return entity_name.split()[-1].casefold() == last or speaker.casefold() in misspelt

    def name(quote: Quote) -> str | None:
        if not quote.speaker:
            return None
        names = by_variant.get(quote.speaker.casefold(), set())
        if len(names) == 1:
            only = next(iter(names))
            return only if same_person(quote.speaker, only) else quote.speaker
        start, end = quote.speaker_start, quote.speaker_end
        if start is None or end is None:
            return quote.speaker
        # The mention covering most of the speaker phrase; the later one on a tie, since the
        # name ends the phrase ("Britain's Foreign Secretary Liz Truss").
        overlaps = [
            (min(end, m_end) - max(start, m_start), m_start, entity_name)
            for m_start, m_end, entity_name in mentions.get(quote.doc_id, ())
            if m_start < end and start < m_end
        ]
        best = max(overlaps)[2] if overlaps else quote.speaker
        return best if same_person(quote.speaker, best) else quote.speaker

    return name


def _quote_rank(
    group: Sequence[Quote], position: dict[str, int]
) -> tuple[int, bool, bool, int, int]:
    """Quotes ranked for a reader: carried by more documents first, then those with a speaker,
    then direct before partial, then in order of appearance (the views show the top ones)."""
    first = group[0]
    documents = len({q.doc_id for q in group})
    unnamed = all(q.speaker is None for q in group)
    return (-documents, unnamed, first.kind != "direct", position[first.doc_id], first.start)


def _quote_text(quote: Any, text: str) -> str:
    """The quoted words; the verbatim parts of a quote split by its attribution are joined
    with an ellipsis, as a newspaper would print them."""
    if len(quote.parts) > 1:
        return " … ".join(text[s:e] for s, e in quote.parts)
    return str(quote.text)


def _worth_listing(quote: Any) -> bool:
    """Direct quotes, and partial ones long enough to say something, by a known speaker."""
    if quote.kind == "direct":
        return True
    return bool(quote.speaker) and len(quote.text.split()) >= MIN_PARTIAL_QUOTE_WORDS


def _comment(ref: Any) -> dict[str, Any]:
    return {"document": ref.doc_id, "start": ref.start, "end": ref.end, "text": ref.text}
