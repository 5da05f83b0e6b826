"""The update brief: what a story's documents dated after ``since`` add to what came before.

1. The story's documents split at ``since``: *earlier* (dated on or before it) and *new*
   (dated after it). Undated documents count as earlier (nothing says they are new).
2. Repeats: a new document's body sentence *repeats* an earlier sentence when
   ``analyze.facts.similarity`` reaches ``OLD_NEWS_SIMILARITY`` and it states no counted
   figure the earlier one lacks (a changed death toll is news). Earlier sentences are found
   through an index (``analyze.novelty.EarlierSentences``, prefix filtering), not by comparing
   every pair, so a story of hundreds of documents stays fast. Repeats are relabelled
   ``boilerplate`` in the copies handed to the brief, so the summary, quotes and facts of the
   update brief can only come from what is new (offsets are unchanged, so every citation
   still points into the stored text).
3. Background: the earlier documents' bigram concepts count towards the summary's concept
   weights (``summarize(..., background=)``) but offer no sentence: the summary says what is
   new, about what the whole story is about (a 100-word update of 8 articles judged on those
   8 alone picks side issues; DUC 2007 update, bench/README.md).
4. The brief of the new documents (``brief.build_brief``); its quotes are only those the
   earlier reporting did not print (``NEW_QUOTE_SHARE``).
5. The ``update`` section: the date and counts; ``new_quotes``; ``gained_support``: facts the
   earlier documents reported that new documents repeat, with the independent support before
   and after; ``new_conflicts``: new reporting that gives another value (number, date, name,
   place) than earlier reporting of the same fact. Earlier sentences appear there only as
   context (``earlier_sources``), never as new, and the earlier documents they cite are
   listed in ``context_documents``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storybrief.analyze.facts import CONFLICT_SIMILARITY, source_roots
from storybrief.analyze.facts_conflicts import SourceSpan, find_conflicts
from storybrief.analyze.novelty import (
    EarlierSentences,
    EarlierWords,
    Match,
    novel_figures,
)
from storybrief.model import Block, Document, Sentence
from storybrief.options import Options
from storybrief.store import query
from storybrief.store.db import Store
from storybrief.summarize import scoring

__all__ = [
    "NEW_QUOTE_SHARE",
    "OLD_NEWS_SIMILARITY",
    "document_concepts",
    "split_documents",
    "update_brief",
    "update_from_documents",
]

#: Similarity (``facts.similarity``) from which a new sentence repeats an earlier one. 0.5 is
#: stricter than ``find_facts``'s grouping (0.3): a sentence must say mostly the same words,
#: not merely be about the same fact, to be dropped as old news.
OLD_NEWS_SIMILARITY = 0.5
#: A quote is new unless at least this share of its word 3-grams was printed by the earlier
#: reporting (the containment at which ``analyze.quotes.merge_quotes`` calls two quotes one).
NEW_QUOTE_SHARE = 0.8


def update_brief(
    store: Store, story_id: str, since: str, options: Options | None = None
) -> dict[str, Any]:
    """The update brief of a stored story: what its documents dated after ``since`` add."""
    rows = query.story_documents(store, story_id)
    new_ids, old_ids = split_documents(rows, since)
    new_docs = query.load_documents(store, new_ids)
    old_docs = query.load_documents(store, old_ids)
    result = update_from_documents(new_docs, old_docs, since, options)
    result["store_story"] = story_id
    return result


def split_documents(rows: Sequence[Mapping[str, Any]], since: str) -> tuple[list[str], list[str]]:
    """Ids of the documents dated after ``since`` (new) and of the others (earlier), in order;
    ``rows`` have ``id`` and ``date`` (ISO, or ``None`` for an undated document)."""
    new = [str(r["id"]) for r in rows if r["date"] is not None and str(r["date"]) > since]
    chosen = set(new)
    return new, [str(r["id"]) for r in rows if str(r["id"]) not in chosen]


@dataclass
class _NewSentence:
    sentence: Sentence
    repeats: list[Match]  # earlier sentences it says again (no new figure)
    related: list[Match]  # earlier sentences close enough to compare details with


def update_from_documents(
    new_docs: Sequence[Document],
    old_docs: Sequence[Document],
    since: str,
    options: Options | None,
    *,
    leave_out_repeats: bool = True,
    earlier_background: bool = True,
) -> dict[str, Any]:
    """The update brief of ``new_docs`` given the ``old_docs`` reported before ``since``.

    ``leave_out_repeats`` (step 2) and ``earlier_background`` (step 3) are on in the product;
    switching one off measures what it does (``bench/bench_update.py --ablation``)."""
    from storybrief.brief import body_sentences, build_brief, masked_reporting_text

    earlier_docs = [d for d in old_docs if d.duplicate_of is None]
    earlier = {d.id: body_sentences(d) for d in earlier_docs}  # split once, used twice
    index = EarlierSentences(
        [s for d in earlier_docs for s in earlier[d.id]], lowest=OLD_NEWS_SIMILARITY
    )
    found = {d.id: _new_sentences(body_sentences(d), index) for d in new_docs}
    masked = [
        _without(doc, [n.sentence for n in found[doc.id] if n.repeats and leave_out_repeats])
        for doc in new_docs
    ]
    background = [
        document_concepts(s.text for s in earlier[d.id])
        for d in (earlier_docs if earlier_background else [])
    ]
    result = build_brief(masked, [], options or Options(), background=background)

    printed = EarlierWords(masked_reporting_text(d) for d in earlier_docs)

    def is_new(quote: Mapping[str, Any]) -> bool:
        return printed.share_printed(str(quote["text"])) < NEW_QUOTE_SHARE

    result["quotes"] = [q for q in result["quotes"] if is_new(q)]
    for story in result["stories"]:
        story["quotes"] = [q for q in story["quotes"] if is_new(q)]
    root = source_roots({d.id: d.duplicate_of for d in [*new_docs, *old_docs] if d.duplicate_of})
    sentences = [n for doc in new_docs for n in found[doc.id]]
    gained = _gained_support(sentences, index, root)
    conflicts = _new_conflicts(sentences, index, root)
    cited = {
        span["document"]
        for item in [*gained, *conflicts]
        for span in _earlier_spans(item)
    }
    result["update"] = {
        "since": since,
        "new_documents": len(new_docs),
        "earlier_documents": len(old_docs),
        "repeated_sentences": sum(1 for n in sentences if n.repeats),
        "new_quotes": result["quotes"],
        "gained_support": gained,
        "new_conflicts": conflicts,
        "context_documents": [_context(d) for d in old_docs if d.id in cited],
    }
    return result


def _new_sentences(sentences: Sequence[Sentence], index: EarlierSentences) -> list[_NewSentence]:
    out = []
    for sentence in sentences:
        close = index.matches(sentence.text, OLD_NEWS_SIMILARITY)
        earlier = index.sentences
        repeats = [m for m in close if not novel_figures(sentence.text, earlier[m.index].text)]
        related = [m for m in close if m.similarity >= CONFLICT_SIMILARITY]
        out.append(_NewSentence(sentence, repeats, related))
    return out


def _span(sentence: Sentence | SourceSpan) -> dict[str, Any]:
    return {"document": sentence.doc_id, "start": sentence.start, "end": sentence.end}


def _earlier_spans(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    if "earlier_sources" in item:
        return list(item["earlier_sources"])
    return [span for value in item["values"] for span in value["earlier_sources"]]


def _gained_support(
    sentences: Sequence[_NewSentence], index: EarlierSentences, root: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Earlier facts that new sentences repeat: each group of new and earlier sentences joined
    by repeats (connected), with its independent sources before and after."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(key: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for position, new in enumerate(sentences):
        for match in new.repeats:
            parent[find(("new", position))] = find(("earlier", match.index))
    groups: dict[tuple[str, int], tuple[list[int], set[int]]] = {}
    for position, new in enumerate(sentences):
        if new.repeats:
            news, earlier = groups.setdefault(find(("new", position)), ([], set()))
            news.append(position)
            earlier.update(m.index for m in new.repeats)
    out: list[dict[str, Any]] = []
    for news, earlier in groups.values():
        old = [index.sentences[i] for i in sorted(earlier)]
        before = {root(s.doc_id) for s in old}
        after = before | {root(sentences[p].sentence.doc_id) for p in news}
        if len(after) > len(before):
            out.append(
                {
                    "text": sentences[news[0]].sentence.text,
                    "sources": [_span(sentences[p].sentence) for p in news],
                    "earlier_sources": [_span(s) for s in old],
                    "support_before": len(before),
                    "support_after": len(after),
                }
            )
    out.sort(key=lambda item: (-item["support_after"], -item["support_before"]))
    return out


def _new_conflicts(
    sentences: Sequence[_NewSentence], index: EarlierSentences, root: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Details (numbers, dates, names, places) a new sentence gives otherwise than earlier
    sentences of the same fact (``facts.CONFLICT_SIMILARITY``); the same disagreement told by
    several new documents is one conflict."""
    merged: dict[tuple[str, frozenset[SourceSpan]], dict[str, Any]] = {}
    for new in sentences:
        if not new.related:
            continue
        group = [new.sentence] + [index.sentences[m.index] for m in new.related]
        roots = [root(s.doc_id) for s in group]
        for conflict in find_conflicts(group, roots, new.sentence.text, lambda i, j: i == 0):
            new_doc = new.sentence.doc_id
            earlier = frozenset(
                span for spans in conflict.values.values() for span in spans
                if span.doc_id != new_doc
            )
            item = merged.setdefault(
                (conflict.kind, earlier),
                {"kind": conflict.kind, "about": new.sentence.text, "values": {}},
            )
            for value, spans in conflict.values.items():
                entry = item["values"].setdefault(value, ([], []))
                for span in spans:
                    side = entry[0] if span.doc_id == new_doc else entry[1]
                    if span not in side:
                        side.append(span)
    return [
        {
            "kind": item["kind"],
            "about": item["about"],
            "values": [
                {
                    "value": value,
                    "sources": [_span(s) for s in new_spans],
                    "earlier_sources": [_span(s) for s in old_spans],
                }
                for value, (new_spans, old_spans) in item["values"].items()
            ],
        }
        for item in merged.values()
    ]


def document_concepts(sentences: Iterable[str]) -> frozenset[str]:
    """The bigram concepts (``summarize.scoring.concepts``) of a document's sentences: what an
    earlier document adds to the update summary's concept weights as background."""
    found: set[str] = set()
    for text in sentences:
        found |= scoring.concepts(scoring.tokens(text))
    return frozenset(found)


def _context(doc: Document) -> dict[str, Any]:
    """An earlier document cited as context, with what a renderer needs to show the span."""
    return {
        "id": doc.id,
        "path": doc.path,
        "url": doc.url,
        "title": doc.title,
        "site": doc.site,
        "published": doc.published,
        "duplicate_of": doc.duplicate_of,
        "text": doc.text,
    }


def _without(doc: Document, repeats: Sequence[Sentence]) -> Document:
    """A copy of ``doc`` with the ``repeats`` relabelled ``boilerplate`` (text and offsets
    unchanged): the rest of each body block stays body."""
    spans = sorted((s.start, s.end) for s in repeats)
    blocks: list[Block] = []
    for block in doc.blocks:
        inside = [(a, b) for a, b in spans if block.start <= a and b <= block.end]
        if block.label != "body" or not inside:
            blocks.append(block)
            continue
        pos = block.start
        for start, end in inside:
            if start > pos:
                blocks.append(_block(doc.text, pos, start, "body"))
            blocks.append(_block(doc.text, start, end, "boilerplate"))
            pos = end
        if pos < block.end:
            blocks.append(_block(doc.text, pos, block.end, "body"))
    return Document(**{**doc.__dict__, "blocks": blocks})


def _block(text: str, start: int, end: int, label: str) -> Block:
    return Block(start, end, text[start:end], label)  # type: ignore[arg-type]
