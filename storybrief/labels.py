"""How the brief names things to a reader: headlines as labels, event labels, documents.

Every name is text a reader sees in a list or a heading, so each reads as a headline or a
lead sentence, on one line, never a web address (``links.has_link``) nor archive furniture
(``terms.readable_headline``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storybrief.analyze.events import Event
from storybrief.links import has_link
from storybrief.model import REPORTING_LABELS, Document
from storybrief.terms import readable_headline

__all__ = ["document_name", "event_headline", "event_label", "headline", "story_label"]

#: A headline longer than this is a sentence, not a label.
MAX_HEADLINE_WORDS = 16
#: A title of fewer words is a section or site name ("World", "Live updates"), not a headline.
MIN_HEADLINE_WORDS = 3
#: A site name after a title's last dash or bar ("… - Axios", "… | The New York Times") has
#: at most this many words; a longer tail is the headline's own ("T - Mobile Confirms it Will
#: Carry BlackBerry Q10", as tokenised corpora write "T-Mobile").
MAX_SITE_SUFFIX_WORDS = 5
_SITE_SUFFIX_RE = re.compile(r"\s+[-|–—]\s+([^-|–—]{1,40})$")


def headline(title: str | None) -> str | None:
    """``title`` as a label: on one line, its site name trimmed ("… - Axios"), if it reads as
    a headline (``MIN_HEADLINE_WORDS`` to ``MAX_HEADLINE_WORDS`` words, no web address, not
    archive furniture or a bare dateline: ``terms.readable_headline``)."""
    if not title or has_link(title):
        return None
    text = " ".join(title.split())
    suffix = _SITE_SUFFIX_RE.search(text)
    if suffix and len(suffix[1].split()) <= MAX_SITE_SUFFIX_WORDS:
        trimmed = text[: suffix.start()]
        if len(trimmed.split()) >= MIN_HEADLINE_WORDS:
            text = trimmed
    fits = MIN_HEADLINE_WORDS <= len(text.split()) <= MAX_HEADLINE_WORDS
    return text if fits and readable_headline(text) else None


def event_label(event: Event, docs: Sequence[Document], reporting: set[str]) -> str:
    """An event's label reads as a headline or a lead: the shortest headline of its reporting
    documents, else the lead sentence of the first of them; the same over all its documents
    when none is reporting (an event of reviews or opinion pages); key terms only when no
    document has a headline or a sentence. Never a web address."""
    pools = [[d for d in docs if d.id in reporting], list(docs)]
    for pool in pools:
        label = event_headline(pool) or _event_lead(pool)
        if label:
            return label
    return event.label


def story_label(docs: Sequence[Document], events: Sequence[Event], reporting: set[str]) -> str:
    """A story's label reads as a headline: the shortest headline of its original reporting
    documents (an opinion post's headline does not name the story when a report's can), else
    of its originals, else the label of its first event (a headline or a lead). Not its most
    mentioned names: "Mobile USA, QWERTY BlackBerry, BlackBerry Curve" is a bag of terms, not
    what happened. ``reporting``: ids of the documents whose source note says reporting."""
    originals = [d for d in docs if d.duplicate_of is None]
    reports = [d for d in originals if d.id in reporting]
    return (
        event_headline(reports) or event_headline(originals) or next((e.label for e in events), "")
    )


def event_headline(docs: Sequence[Document]) -> str | None:
    """The shortest headline among ``docs`` (``headline``)."""
    titles = [title for doc in docs if (title := headline(doc.title))]
    return min(titles, key=lambda t: (len(t), t)) if titles else None


def _event_lead(docs: Sequence[Document]) -> str | None:
    """For an event without a headline: the lead sentence of the first of ``docs`` that has
    one (a lead says what happened better than key terms), cut to ``MAX_HEADLINE_WORDS``."""
    from storybrief.brief import body_sentences  # the brief imports this module

    for doc in docs:
        lead = next((s.text for s in body_sentences(doc) if not has_link(s.text)), None)
        if lead:
            return _headline_cut(lead)
    return None


def _headline_cut(text: str) -> str:
    """``text`` on one line, cut to ``MAX_HEADLINE_WORDS`` words (marked with " …")."""
    words = text.split()
    if len(words) <= MAX_HEADLINE_WORDS:
        return " ".join(words)
    return " ".join(words[:MAX_HEADLINE_WORDS]).rstrip(",;:") + " …"


#: Formats whose documents are records of one file: the file's path names none of them.
_RECORD_FORMATS = frozenset({"jsonl", "warc"})


def document_name(doc: Document) -> str:
    """How a reader sees a document named: its title, else its url; a record of a JSONL or
    WARC file without either by its first reporting line (the file's path is every record's;
    a record with no reporting, by its first line), any other document by its path; else its
    id. Never a web address."""
    title = doc.title if doc.title and not has_link(doc.title) else None
    if title or doc.url:
        return str(title or doc.url)
    if doc.format in _RECORD_FORMATS:
        lines = [b for b in doc.blocks if not has_link(b.text)]
        reporting = (b for b in lines if b.label in REPORTING_LABELS)
        first = next(reporting, None) or next(iter(lines), None)
        if first is not None:  # a page read as all comments: named by its first line
            return _headline_cut(first.text)
    return doc.path or doc.id
