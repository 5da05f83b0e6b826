"""What the web UI reads: a small read interface (``Reader``) and its implementation over the
story store (``StoreReader``).

The handlers only ever call a ``Reader``; every method returns plain JSON-compatible dicts
(the shapes of the store's read API), so the pages and the JSON API render the same data and
tests can drive the app with any object that has these methods.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

__all__ = ["QueryRejected", "Reader", "StoreReader"]


class QueryRejected(ValueError):
    """A search the reader cannot run; ``str()`` is a one-line message for the user."""


class Reader(Protocol):
    """The read-only questions the web UI asks of a store."""

    def count_stories(self) -> int:
        """How many (live) stories there are."""
        ...

    def stories(self, limit: int, offset: int) -> list[dict[str, Any]]:
        """Stories by latest activity: ``id``, ``label``, ``first_date``, ``last_date``,
        ``size``, ``sources``, ``events``, ``documents`` (each with ``id``, ``title``, ``date``)."""
        ...

    def story(self, story_id: str) -> dict[str, Any] | None:
        """One story as in ``stories`` (``None`` when there is no such story)."""
        ...

    def stories_by_id(self, story_ids: list[str]) -> dict[str, dict[str, Any]]:
        """``story`` of each id at once (ids of no story left out)."""
        ...

    def brief(self, story_id: str, since: str | None = None) -> dict[str, Any] | None:
        """The story's brief (the ``brief --format json`` schema); with ``since``, the update
        brief of what is new after that date."""
        ...

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """One document: metadata, ``text``, ``blocks`` (``start``, ``end``, ``label``),
        ``story`` and ``event``."""
        ...

    def search(self, query: str, comments: bool, limit: int) -> list[dict[str, Any]]:
        """Matching documents, best first: ``id``, ``title``, ``date``, ``story``, ``snippet``
        (the match in ``[`` ``]``), ``start``/``end`` of the match. Raises ``QueryRejected``."""
        ...


class StoreReader:
    """A ``Reader`` over the store file at ``path``, opened read-only.

    Each server thread keeps its own read-only connection (SQLite connections are not shared
    across threads); every query is its own read transaction, so documents that ``ingest``
    commits while the UI runs appear on the next request.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()
        self._store()  # fail now, with the store's one-line error, not on the first request

    def _store(self) -> Any:
        store = getattr(self._local, "store", None)
        if store is None:
            from storybrief.store import open_reader

            store = open_reader(self.path)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                store.close()
            self._all.clear()

    def count_stories(self) -> int:
        from storybrief.store import query

        return query.count_stories(self._store())

    def stories(self, limit: int, offset: int) -> list[dict[str, Any]]:
        from storybrief.store import query

        return query.stories(self._store(), limit=limit, offset=offset)

    def story(self, story_id: str) -> dict[str, Any] | None:
        from storybrief.store import query

        return query.story(self._store(), story_id)

    def stories_by_id(self, story_ids: list[str]) -> dict[str, dict[str, Any]]:
        from storybrief.store import query

        return query.stories_by_id(self._store(), story_ids)

    def brief(self, story_id: str, since: str | None = None) -> dict[str, Any] | None:
        from storybrief.store import briefs

        try:
            return briefs.story_brief(self._store(), story_id, since=since)
        except briefs.StoryNotFound:
            return None

    def document(self, doc_id: str) -> dict[str, Any] | None:
        from storybrief.store import query

        return query.document(self._store(), doc_id)

    def search(self, query_text: str, comments: bool, limit: int) -> list[dict[str, Any]]:
        from storybrief.store import query

        try:
            return query.search(self._store(), query_text, comments=comments, limit=limit)
        except query.QueryError as exc:
            raise QueryRejected(str(exc)) from None
