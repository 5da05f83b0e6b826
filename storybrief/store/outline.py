"""The outline of a small story: its label and its events, as its brief names them.

Most stories of a store are small: on the 181 Scrapinghub news pages, 81 of the 118 stories
hold one document and 28 more two or three. What a reader sees of a story in a list, its
label and its documents' events, is recorded at ingest for every story; the whole brief is
kept (``story_briefs``) only for a story whose brief takes long to build, one of
``BRIEF_ON_READ_MAX_WORDS`` words of reporting or more. A smaller story keeps this outline,
and its brief is built when it is read (``briefs.story_brief``): about 20–30 ms per 1,000
words in a warm process, at most ~0.1 s under that size (measured on Scrapinghub, Dragnet
and ECB+ stories). Building every small story's brief at ingest took most of the refresh.

The outline is what ``brief.build_brief(docs, one_story=True)`` gives for the labels and the
events, through the same functions: the same dates over the story's pages
(``brief.pile_dates``), the same events (``brief.story_events``), each labelled by
``labels.event_label``, and the story by ``labels.story_label``; which documents are
reporting is their source notes' ``kind`` (``source_notes``; a note's kind depends on its
document alone, not on the story's entities, which the outline does not look for).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storybrief.model import Document

__all__ = ["BRIEF_ON_READ_MAX_WORDS", "brief_on_read", "story_outline"]

#: A story with fewer words of reporting text (all its documents) is briefed when read.
BRIEF_ON_READ_MAX_WORDS = 3000


def brief_on_read(docs: Sequence[Document]) -> bool:
    """Whether the story of ``docs`` is small enough to be briefed when read."""
    words = 0
    for doc in docs:
        words += len(doc.reporting_text.split())
        if words >= BRIEF_ON_READ_MAX_WORDS:
            return False
    return True


def story_outline(story_id: str, docs: Sequence[Document]) -> dict[str, Any]:
    """Label and events of the story of ``docs``, in the brief's JSON shape, marked
    ``"outline": true``."""
    from storybrief.analyze.source_notes import source_notes
    from storybrief.brief import masked_reporting_text, pile_dates, story_events
    from storybrief.isolation import Isolation
    from storybrief.labels import event_label, story_label

    outline: dict[str, Any] = {
        "outline": True,
        "store_story": story_id,
        "stories": [],
        "events": [],
    }
    story_docs = [d for d in docs if d.reporting_text.strip()]
    if not story_docs:
        return outline  # no story in the brief either: nothing to label
    guard = Isolation([])
    by_id = {d.id: d for d in docs}
    masked = {d.id: masked_reporting_text(d) for d in docs}
    dates = pile_dates(docs, masked, guard)
    # "s1": the brief's own id of its one story, which prefixes its events' ids.
    events = story_events("s1", story_docs, masked, guard, dates)

    def reporting_of(group: Sequence[Document]) -> set[str]:
        return {n.doc_id for n in source_notes(group) if n.kind == "reporting"}

    # One document names the story alike whatever its kind: the labels fall back from the
    # reporting documents to all of them, the same one (its note would cost ~2 ms).
    reporting = {docs[0].id}
    if len(docs) > 1:
        reporting = guard.run("source notes", docs, reporting_of, set[str]())
    for event in events:
        event.label = event_label(event, [by_id[i] for i in event.doc_ids], reporting)
    label = story_label(story_docs, events, reporting)
    outline["stories"] = [{"id": "s1", "label": label, "documents": [d.id for d in story_docs]}]
    outline["events"] = [
        {"id": e.id, "label": e.label, "documents": list(e.doc_ids)} for e in events
    ]
    return outline
