"""A story's brief from the store, and the update brief of what is new since a date.

``story_brief(store, id)`` builds the brief of a story's stored documents — cleaned text,
blocks and duplicate marks as the store keeps them, no file read or cleaned again — through
``brief.build_brief``. The brief with default options is cached per story in
``story_briefs`` and served from there while the story's ``revision`` is unchanged (what the
web UI shows); ``refresh_briefs`` (run at the end of every ingest) recomputes stale ones and
records each story's label and each document's event. A small story keeps only its outline
there (labels and events, ``outline.py``): its brief is built when it is read.

``story_brief(store, id, since=DATE)`` is the update brief (``update.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from storybrief.model import Document
from storybrief.options import Options
from storybrief.store import query
from storybrief.store.analysis import Kept
from storybrief.store.assign import resolve_story
from storybrief.store.db import Store

__all__ = [
    "BriefJob",
    "BriefMap",
    "StoryNotFound",
    "refresh_briefs",
    "refresh_result",
    "story_brief",
    "story_result",
]


class StoryNotFound(LookupError):
    def __init__(self, story_id: str) -> None:
        super().__init__(f"no story {story_id!r} in the store (see `storybrief stories`)")


def _default(options: Options | None) -> bool:
    return options is None or options == Options()


def story_brief(
    store: Store, story_id: str, options: Options | None = None, since: str | None = None
) -> dict[str, Any]:
    """The brief of a story (the cached one when fresh and ``options`` are the defaults)."""
    live = resolve_story(store.conn, story_id)
    row = store.conn.execute("SELECT revision FROM stories WHERE id = ?", (live,)).fetchone()
    if row is None:
        raise StoryNotFound(story_id)
    if since is not None:
        from storybrief.store.update import update_brief

        return update_brief(store, live, since, options)
    if _default(options):
        cached = store.conn.execute(
            "SELECT brief FROM story_briefs WHERE story_id = ? AND revision = ? "
            "AND kind = 'brief'",
            (live, row[0]),
        ).fetchone()
        if cached is not None:
            return dict(json.loads(cached[0]))
    return _compute(store, live, options)  # changed, asked with options, or a small story


def _compute(store: Store, story_id: str, options: Options | None) -> dict[str, Any]:
    _, docs, kept = _story_job(store, story_id)
    return story_result(story_id, docs, kept, options=options)


#: A story's brief to build: its id, its stored documents and their kept analysis as stored
#: (``store.analysis.Kept``: decoded where the brief is built, a Dask worker say).
BriefJob = tuple[str, list[Document], dict[str, Kept]]


def _story_job(store: Store, story_id: str) -> BriefJob:
    from storybrief.store.analysis import load_kept

    ids = [d["id"] for d in query.story_documents(store, story_id)]
    docs = query.load_documents(store, ids)
    return story_id, docs, load_kept(store.conn, docs)


def story_result(
    story_id: str,
    docs: list[Document],
    kept: Mapping[str, Kept] | None = None,
    *,
    options: Options | None = None,
) -> dict[str, Any]:
    """The brief of a story's stored documents: a pure function (it runs on a Dask worker).
    ``kept``: the documents' kept analysis (``store.analysis.load_kept``), not found again."""
    from storybrief.brief import build_brief
    from storybrief.store.analysis import decode_kept

    analysis = decode_kept(docs, kept) if kept else None
    result = build_brief(docs, [], options or Options(), one_story=True, analysis=analysis)
    result["store_story"] = story_id
    return result


def refresh_result(
    story_id: str, docs: list[Document], kept: Mapping[str, Kept] | None = None
) -> dict[str, Any]:
    """What the refresh keeps of a story: its brief (``story_result``), or for a small story
    its outline (``outline.story_outline``). A pure function, run on workers."""
    from storybrief.store.outline import brief_on_read, story_outline

    if brief_on_read(docs):
        return story_outline(story_id, docs)
    return story_result(story_id, docs, kept)


#: Maps ``BriefJob``s (how many: the second argument) to their ``refresh_result``s, in
#: order (in process by default; ``scale`` maps them over worker processes or Dask).
BriefMap = Callable[[Iterable[BriefJob], int], Iterable[dict[str, Any]]]


def _in_process(jobs: Iterable[BriefJob], total: int) -> Iterator[dict[str, Any]]:
    for story_id, docs, kept in jobs:
        yield refresh_result(story_id, docs, kept)


def refresh_briefs(
    store: Store, options: Options | None = None, build: BriefMap | None = None
) -> int:
    """Recompute the cached brief of every live story whose brief is stale; each story is its
    own transaction (an interrupted refresh resumes where it stopped). Returns how many.

    ``build`` computes the briefs (default: here, one after another); the stories' documents
    are loaded as it asks for them, and results are written in the order of the stories."""
    conn = store.conn
    stale = conn.execute(
        "SELECT s.id, s.revision FROM stories s LEFT JOIN story_briefs b ON b.story_id = s.id "
        "WHERE s.merged_into IS NULL AND s.size > 0 AND (b.revision IS NULL OR "
        "b.revision != s.revision) ORDER BY s.size DESC, s.created_seq"
    ).fetchall()  # largest first: on parallel workers, the long briefs do not come last
    jobs = (_story_job(store, story_id) for story_id, _ in stale)
    results = (build or _in_process)(jobs, len(stale))
    for (story_id, revision), result in zip(stale, results, strict=True):
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "INSERT INTO story_briefs (story_id, revision, brief, kind) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(story_id) DO UPDATE SET revision = excluded.revision, "
                "brief = excluded.brief, kind = excluded.kind",
                (
                    story_id,
                    revision,
                    json.dumps(result, ensure_ascii=False),
                    "outline" if result.get("outline") else "brief",
                ),
            )
            _record_events(conn, story_id, result)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    conn.execute(
        "DELETE FROM story_briefs WHERE story_id IN (SELECT id FROM stories WHERE merged_into "
        "IS NOT NULL)"
    )
    return len(stale)


def _record_events(conn: Any, story_id: str, result: dict[str, Any]) -> None:
    """Each document's event, from the brief (``<story>-<event>``), and the story's label."""
    conn.execute("UPDATE memberships SET event_id = NULL WHERE story_id = ?", (story_id,))
    for event in result.get("events", []):
        for doc_id in event["documents"]:
            conn.execute(
                "UPDATE memberships SET event_id = ? WHERE story_id = ? AND doc_seq = "
                "(SELECT seq FROM documents WHERE id = ?)",
                (f"{story_id}-{event['id']}", story_id, doc_id),
            )
    # The brief is of one story (``one_story``): its label is the story's (a headline of
    # its reporting, else of its documents, else its first event's headline or lead).
    stories = result.get("stories") or [{}]
    label = stories[0].get("label") or next(
        (e["label"] for e in result.get("events", []) if e.get("label")), None
    )
    conn.execute("UPDATE stories SET label = ? WHERE id = ?", (label, story_id))
