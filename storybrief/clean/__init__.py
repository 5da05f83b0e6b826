"""Cleaning: label each document's blocks, then language, quoting comments and duplicates.

``clean_document`` works on one document; ``clean_documents`` on a whole run, because
duplicates are a property of the set. Stages, in order:

1. plain-text documents (no blocks yet) get their lines labelled (``lines.label_lines``);
   documents whose reader already labelled them (HTML through trafilatura) keep those labels,
   but furniture lines inside their main text or comments are relabelled ``boilerplate``;
2. a document without a title takes the first ``title`` block's text;
3. language of the reporting text (``language.mark_language``);
4. comment blocks that paste article text get ``quotes_span`` (``quoting``);
5. exact and near-duplicate documents get ``duplicate_of`` (``duplicates``).
"""

from __future__ import annotations

from collections.abc import Sequence

from storybrief.clean.duplicates import DEFAULT_THRESHOLD, mark_duplicates
from storybrief.clean.furniture import is_furniture
from storybrief.clean.language import mark_language
from storybrief.clean.lines import LineModel, label_lines
from storybrief.clean.quoting import mark_quoted_comments
from storybrief.model import Document

__all__ = ["clean_document", "clean_documents", "label_lines"]


def clean_document(doc: Document, model: LineModel | None = None) -> Document:
    """Label ``doc``'s blocks (if its reader did not) and mark language and quoting comments."""
    if not doc.blocks:
        doc.blocks = label_lines(doc.text, model)
    else:
        for block in doc.blocks:
            in_comments = block.label == "comment"
            if block.label in ("body", "comment") and is_furniture(block.text, in_comments):
                block.label = "boilerplate"
    if not doc.title:
        doc.title = next((b.text for b in doc.blocks if b.label == "title"), None)
    mark_language(doc)
    mark_quoted_comments(doc)
    return doc


def clean_documents(
    docs: Sequence[Document],
    model: LineModel | None = None,
    duplicate_threshold: float = DEFAULT_THRESHOLD,
) -> list[Document]:
    """Clean every document, then mark duplicates across them (input order decides originals)."""
    cleaned = [clean_document(doc, model) for doc in docs]
    mark_duplicates(cleaned, threshold=duplicate_threshold)
    return cleaned
