"""Stories of the store on real labelled news (ECB+, from the shared evaluation data, never
copied into the repository): ingested in shuffled batches, they agree with the one-shot
clustering ``brief`` does; ids of stories that change stay resolvable and briefs of stories
that do not change stay fresh.

The data is looked up in ``$STORYBRIEF_EVAL`` or ``../shared/eval`` next to the repository;
the tests are skipped where it is not available."""

from __future__ import annotations

import gzip
import json
import os
import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pytest

from storybrief.analyze.stories import cluster_stories
from storybrief.brief import masked_reporting_text
from storybrief.read.document import text_document
from storybrief.store import open_writer
from storybrief.store.assign import resolve_story
from storybrief.store.db import Store
from storybrief.store.prepare import PreparedDocument, prepare_document
from storybrief.store.write import add_batch

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("STORYBRIEF_EVAL", ROOT.parent / "shared" / "eval"))
ECB = EVAL / "stories" / "ecbplus-val.jsonl.gz"
#: Topics of the subset: each holds two different stories of one kind (two arrests, ...),
#: what a stream clustering merges when it goes wrong.
TOPICS = 3


def _bcubed_f1(clusters: Sequence[Sequence[str]], gold: dict[str, str]) -> float:
    """B-cubed F1 (Bagga & Baldwin 1998) of ``clusters`` of article ids against ``gold``."""
    precision = recall = 0.0
    size: dict[str, int] = defaultdict(int)
    for story in gold.values():
        size[story] += 1
    for cluster in clusters:
        for doc in cluster:
            same = sum(1 for other in cluster if gold[other] == gold[doc])
            precision += same / len(cluster)
            recall += same / size[gold[doc]]
    n = len(gold)
    precision, recall = precision / n, recall / n
    return 2 * precision * recall / (precision + recall)


@pytest.fixture(scope="module")
def articles() -> tuple[list[PreparedDocument], dict[str, str]]:
    if not ECB.exists():
        pytest.skip(f"evaluation data not available ({ECB.name})")
    with gzip.open(ECB, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    topics = list(dict.fromkeys(row["topic"] for row in rows))[:TOPICS]
    rows = [row for row in rows if row["topic"] in topics]
    prepared = [prepare_document(text_document(row["text"], row["id"])) for row in rows]
    return prepared, {row["id"]: row["story"] for row in rows}


def _stories(store: Store) -> dict[str, set[str]]:
    """Live story id → the article ids (document paths) it holds."""
    out: dict[str, set[str]] = defaultdict(set)
    for path, story in store.conn.execute(
        "SELECT d.path, m.story_id FROM documents d JOIN memberships m ON m.doc_seq = d.seq"
    ):
        out[story].add(path)
    return dict(out)


def _revisions(store: Store) -> dict[str, int]:
    return dict(store.conn.execute("SELECT id, revision FROM stories"))


def _ingest(store: Store, prepared: list[PreparedDocument], batches: int) -> None:
    size = -(-len(prepared) // batches)
    for i in range(0, len(prepared), size):
        before, revisions = _stories(store), _revisions(store)
        add_batch(store, prepared[i : i + size])
        after, now = _stories(store), _revisions(store)
        for story_id, docs in before.items():
            live = resolve_story(store.conn, story_id)
            # An id keeps resolving, to a story that holds some of its documents; a story
            # whose documents did not change keeps its revision (its cached brief is fresh).
            assert docs & after[live], story_id
            if after.get(story_id) == docs:
                assert now[story_id] == revisions[story_id], story_id
            else:
                assert live != story_id or now[story_id] > revisions[story_id], story_id


def test_shuffled_batches_agree_with_the_one_shot_clustering(
    articles: tuple[list[PreparedDocument], dict[str, str]], tmp_path: Path
) -> None:
    prepared, gold = articles
    one_shot = _bcubed_f1(
        cluster_stories([(p.id, masked_reporting_text(p.document)) for p in prepared]),
        {p.id: gold[p.document.path or ""] for p in prepared},
    )
    with open_writer(str(tmp_path / "one.db")) as store:
        add_batch(store, prepared)
        assert _bcubed_f1(list(_stories(store).values()), gold) >= one_shot - 0.005
    for seed in (0, 1, 2):
        shuffled = list(prepared)
        random.Random(seed).shuffle(shuffled)
        with open_writer(str(tmp_path / f"s{seed}.db")) as store:
            _ingest(store, shuffled, batches=5)
            f1 = _bcubed_f1(list(_stories(store).values()), gold)
            assert f1 >= one_shot - 0.03, (seed, f1, one_shot)
            sizes = store.conn.execute(
                "SELECT s.size, (SELECT count(*) FROM memberships m JOIN documents d ON "
                "d.seq = m.doc_seq WHERE m.story_id = s.id AND d.duplicate_of IS NULL) "
                "FROM stories s WHERE s.merged_into IS NULL"
            ).fetchall()
            assert all(size == members > 0 for size, members in sizes)
            check = store.conn.execute("PRAGMA integrity_check").fetchone()[0]
            assert check == "ok"
