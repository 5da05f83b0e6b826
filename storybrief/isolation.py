"""Per-document isolation and progress of the analysis stages.

One odd page must not cost the brief of the others. Every analysis stage runs through
:meth:`Isolation.run`: when a stage raises an unexpected exception over a group of documents,
each document is tried alone to find the ones that make it fail; those become errors in the
brief ("quotes: StopIteration ..." with the document's name), and the stage runs again
without them. Only the failing stage loses the document: the other stages keep it.

:class:`Steps` turns the stages into calls of the run's progress callback
(``progress(item, total, stage)``), so a progress bar shows the analysis, not only reading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from storybrief.model import Document, ReadError

T = TypeVar("T")


class ProgressCallback(Protocol):
    """Called once per step: ``item`` is what the step is about, ``total`` the number of steps
    of ``stage`` ("reading" for each source read; then the analysis stages)."""

    def __call__(self, item: str, total: int, stage: str = "reading", /) -> None: ...


def document_name(doc: Document) -> str:
    """How an error names a document: its path, else its URL, else its id."""
    return doc.path or doc.url or doc.id


class Isolation:
    """Runs stages so that an exception caused by one document becomes that document's error."""

    def __init__(self, errors: list[ReadError]) -> None:
        self.errors = errors
        self.failed: set[tuple[str, str]] = set()

    def run(
        self,
        stage: str,
        docs: Sequence[Document],
        function: Callable[[Sequence[Document]], T],
        empty: T,
    ) -> T:
        """``function(docs)``; on an exception, without the documents that make it fail."""
        try:
            return function(docs)
        except Exception as error:  # noqa: BLE001 - the point: any bug in one page is isolated
            failing = [d for d in docs if self._fails(stage, d, function)] if len(docs) > 1 else []
            if not failing:  # one document, or only failing together: the stage gives nothing
                for doc in docs:
                    self._record(stage, doc, error)
                return empty
            rest = [d for d in docs if d not in failing]
            return self.run(stage, rest, function, empty) if rest else empty

    def each(self, stage: str, doc: Document, function: Callable[[Document], T], empty: T) -> T:
        """A per-document stage: ``function(doc)``, or ``empty`` and an error."""
        try:
            return function(doc)
        except Exception as error:  # noqa: BLE001
            self._record(stage, doc, error)
            return empty

    def _fails(self, stage: str, doc: Document, function: Callable[[Sequence[Document]], Any]) -> bool:
        try:
            function([doc])
        except Exception as error:  # noqa: BLE001
            self._record(stage, doc, error)
            return True
        return False

    def _record(self, stage: str, doc: Document, error: Exception) -> None:
        if (stage, doc.id) in self.failed:
            return
        self.failed.add((stage, doc.id))
        message = " ".join(str(error).split())[:200]
        reason = f"{stage}: {type(error).__name__}" + (f": {message}" if message else "")
        self.errors.append(ReadError(document_name(doc), reason))


class Steps:
    """The analysis stages as progress steps (nothing when there is no callback)."""

    def __init__(self, progress: ProgressCallback | None) -> None:
        self.progress = progress

    def __call__(self, stage: str, item: str = "", total: int = 1) -> None:
        if self.progress is not None:
            self.progress(item or stage, total, stage)
