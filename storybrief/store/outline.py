"""The outline of a story of one document: its label and its event, as its brief names them.

Most stories of a store hold one document (81 of the 118 stories of the 181 Scrapinghub
news pages). What a reader sees of such a story in a list, its label and its event, is
recorded at ingest from this outline; its brief, nothing in it compared across documents,
is built when it is read (``briefs.story_brief``, a few milliseconds). Building every brief
at ingest took about 40% of an ingest's brief refresh on those pages for stories of one
document alone.

The outline is what ``brief.build_brief(one_story=True)`` gives for the label and the
events, through the same functions. With one document, the choices that depend on the
other documents (which are reporting, ``source_notes``) change nothing: the story's label is
the document's headline, else its event's label (``labels.event_label`` tries the reporting
documents first, then all of them: the same single document).
"""

from __future__ import annotations

from typing import Any

from storybrief.model import Document

__all__ = ["story_outline"]


def story_outline(story_id: str, doc: Document) -> dict[str, Any]:
    """Label and events of the story of ``doc`` alone, in the brief's JSON shape, marked
    ``"outline": true``."""
    from storybrief.brief import masked_reporting_text, pile_dates, story_events
    from storybrief.isolation import Isolation
    from storybrief.labels import event_headline, event_label

    outline: dict[str, Any] = {
        "outline": True,
        "store_story": story_id,
        "stories": [],
        "events": [],
    }
    if not doc.reporting_text.strip():
        return outline  # no story in the brief either: nothing to label
    guard = Isolation([])
    masked = {doc.id: masked_reporting_text(doc)}
    # "s1": the brief's own id of its one story, which prefixes its events' ids.
    events = story_events("s1", [doc], masked, guard, pile_dates([doc], masked, guard))
    for event in events:
        event.label = event_label(event, [doc], {doc.id})
    originals = [doc] if doc.duplicate_of is None else []
    label = event_headline(originals) or next((e.label for e in events), "")
    outline["stories"] = [{"id": "s1", "label": label, "documents": [doc.id]}]
    outline["events"] = [
        {"id": e.id, "label": e.label, "documents": list(e.doc_ids)} for e in events
    ]
    return outline
