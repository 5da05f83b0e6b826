"""The stages of a run, wired in order from one ``Options`` object.

``clean`` (the foundation):

1. discover the inputs (directories expanded, missing paths reported);
2. read each source into documents (``read``); a bad source becomes a ``ReadError`` and the
   run goes on;
3. clean the documents (``clean``): labelled blocks, language, comments quoting the article,
   duplicates.

``brief`` runs those, then

4. analyze and summarize the cleaned documents into the brief (``brief.build_brief``: stories,
   events, entities, quotes, facts, summary, timeline, reactions, source notes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from storybrief.clean import clean_documents
from storybrief.isolation import ProgressCallback as ProgressCallback
from storybrief.model import Document, ReadError, ReadWarning
from storybrief.options import Options
from storybrief.read import discover, read_source

# ``ProgressCallback`` (``isolation.py``): ``progress(item, total, stage)``, called before each
# source is read (stage "reading", the source, the number of sources), then once per step of
# each later stage ("cleaning", "stories", "story briefs", "summary", "entities", ...).


@dataclass
class CleanResult:
    documents: list[Document] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)

    @property
    def warnings(self) -> list[ReadWarning]:
        """What the readers read past, document by document (``Document.warnings``)."""
        return [warning for doc in self.documents for warning in doc.warnings]

    def to_dict(self) -> dict[str, Any]:
        from storybrief import __version__

        return {
            "storybrief": __version__,
            "documents": [doc.to_dict() for doc in self.documents],
            "errors": [error.to_dict() for error in self.errors],
            "warnings": [warning.to_dict() for warning in self.warnings],
        }


def read_documents(
    paths: Sequence[str],
    stdin: BinaryIO | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[list[Document], list[ReadError]]:
    """Stages 1-2: every document the inputs hold, and every error met reading them."""
    sources, errors = discover(paths)
    documents: list[Document] = []
    for source in sources:
        if progress:
            progress(source, len(sources))
        docs, source_errors = read_source(source, stdin=stdin)
        documents.extend(docs)
        errors.extend(source_errors)
    return documents, errors


def clean(
    paths: Sequence[str],
    options: Options | None = None,
    stdin: BinaryIO | None = None,
    progress: ProgressCallback | None = None,
) -> CleanResult:
    """Stages 1-3: read and clean the inputs."""
    options = options or Options()
    documents, errors = read_documents(paths, stdin=stdin, progress=progress)
    if progress and documents:
        progress(f"{len(documents)} documents", 1, "cleaning")
    clean_documents(documents, duplicate_threshold=options.duplicate_threshold)
    return CleanResult(documents=documents, errors=errors)


def brief(
    paths: Sequence[str],
    options: Options | None = None,
    stdin: BinaryIO | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Stages 1-4: the brief of the inputs, as the documented JSON-compatible dict."""
    from storybrief.brief import build_brief

    options = options or Options()
    cleaned = clean(paths, options, stdin=stdin, progress=progress)
    return build_brief(cleaned.documents, cleaned.errors, options, progress=progress)
