"""The update brief: what a story's documents dated after ``since`` add to what came before.

1. The story's documents split at ``since``: *earlier* (dated on or before it) and *new*
   (dated after it). Undated documents count as earlier (nothing says they are new).
2. Novelty: a new document's body sentence is *old news* when an earlier document has a
   sentence reporting the same thing (``analyze.facts.similarity`` at least
   ``OLD_NEWS_SIMILARITY``, the threshold at which ``find_facts`` groups sentences). Old news
   is relabelled ``boilerplate`` in the copies handed to the brief, so the summary, quotes and
   facts of the update brief can only come from what is new (offsets are unchanged, so every
   citation still points into the stored text).
3. The brief of the new documents (``brief.build_brief``), plus an ``update`` section: the
   date, how many earlier documents were context, facts of the whole story that gained
   support from new documents, and conflicts between new and earlier reporting.
"""

from __future__ import annotations

from typing import Any

from storybrief.model import Block, Document
from storybrief.options import Options
from storybrief.store import query
from storybrief.store.db import Store

__all__ = ["OLD_NEWS_SIMILARITY", "update_brief", "update_from_documents"]

#: Similarity (``facts.similarity``) from which a new sentence repeats an earlier one.
OLD_NEWS_SIMILARITY = 0.5


def update_brief(
    store: Store, story_id: str, since: str, options: Options | None = None
) -> dict[str, Any]:
    rows = query.story_documents(store, story_id)
    new_ids = [r["id"] for r in rows if r["date"] is not None and r["date"] > since]
    old_ids = [r["id"] for r in rows if r["id"] not in set(new_ids)]
    new_docs = query.load_documents(store, new_ids)
    old_docs = query.load_documents(store, old_ids)
    result = update_from_documents(new_docs, old_docs, since, options)
    result["store_story"] = story_id
    return result


def update_from_documents(
    new_docs: list[Document], old_docs: list[Document], since: str, options: Options | None
) -> dict[str, Any]:
    """The update brief of ``new_docs`` given the ``old_docs`` reported before ``since``."""
    from storybrief.brief import build_brief

    masked = [without_old_news(doc, old_docs) for doc in new_docs]
    result = build_brief(masked, [], options or Options())
    result["update"] = {
        "since": since,
        "new_documents": len(new_docs),
        "earlier_documents": len(old_docs),
    }
    return result


def without_old_news(
    doc: Document, earlier: list[Document], threshold: float = OLD_NEWS_SIMILARITY
) -> Document:
    """A copy of ``doc`` whose body sentences already reported by ``earlier`` are relabelled
    ``boilerplate`` (text and offsets unchanged)."""
    from storybrief.analyze.facts import similarity
    from storybrief.brief import body_sentences

    old = [s.text for d in earlier for s in body_sentences(d)]
    blocks: list[Block] = []
    for block in doc.blocks:
        if block.label != "body" or not old:
            blocks.append(block)
            continue
        pos = block.start
        tmp = Document(doc.id, doc.text, blocks=[block])
        for sentence in body_sentences(tmp):
            if any(similarity(sentence.text, o) >= threshold for o in old):
                if sentence.start > pos:
                    blocks.append(_block(doc.text, pos, sentence.start, "body"))
                blocks.append(_block(doc.text, sentence.start, sentence.end, "boilerplate"))
                pos = sentence.end
        if pos < block.end:
            blocks.append(_block(doc.text, pos, block.end, "body"))
    copy = Document(**{**doc.__dict__, "blocks": blocks})
    return copy


def _block(text: str, start: int, end: int, label: str) -> Block:
    return Block(start, end, text[start:end], label)  # type: ignore[arg-type]
