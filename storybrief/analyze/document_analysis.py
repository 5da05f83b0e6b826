"""What the brief's stages find in one document on its own, computed once.

A stored story's brief (``store.briefs``) is built from documents that ``store.prepare``
already analysed one by one at ingest. The stages whose result for a document depends on that
document alone take it from a ``DocumentAnalysis`` instead of finding it again
(``brief.build_brief(..., analysis=...)``):

- its body sentences (``brief.body_sentences``);
- its quotes (``analyze.quotes.extract_quotes`` of its masked reporting text);
- its entity mentions under its own vocabulary (``entities_mentions.document_mentions``):
  entity finding judges words against the whole pile's vocabulary, so ``extract_entities``
  reuses them only where the pile's vocabulary answers what they relied on the same.

Everything else looks at several documents at once (the pile's dates, events and their dates,
facts, the summary, the merging of entities) and is computed for each brief.
"""

from __future__ import annotations

from dataclasses import dataclass

from storybrief.analyze.entities_mentions import DocumentMentions, document_mentions
from storybrief.analyze.quotes import Quote, extract_quotes
from storybrief.model import Document, Sentence

__all__ = ["DocumentAnalysis", "analyse_document"]


@dataclass
class DocumentAnalysis:
    """One document's own analysis (see the module docstring); offsets index its text."""

    sentences: list[Sentence]
    quotes: list[Quote]
    mentions: DocumentMentions


def analyse_document(doc: Document, masked: str) -> DocumentAnalysis:
    """The analysis of a cleaned document; ``masked``: ``brief.masked_reporting_text(doc)``."""
    from storybrief.brief import body_sentences

    return DocumentAnalysis(
        sentences=body_sentences(doc),
        quotes=extract_quotes(masked, doc.id),
        mentions=document_mentions(doc.id, masked),
    )
