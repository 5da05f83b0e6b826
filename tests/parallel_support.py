"""Real inputs for the parallel ingests' tests (local workers, Dask) and a store snapshot to
compare stores by: every document's story and event, stories, briefs, row counts."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
#: The eval data lives beside the repository (../shared/eval), never in it; without it the
#: JSONL input is made of the bundled examples' paragraphs (real text too).
EVAL_STORIES = [
    Path(os.environ.get("STORYBRIEF_EVAL", ROOT.parent / "shared" / "eval"))
    / "stories/ecbplus-val.jsonl.gz",
    ROOT.parent.parent / "shared" / "eval" / "stories/ecbplus-val.jsonl.gz",
]
#: Small parts, so that the JSONL and the WARC are each read as several tasks.
RECORDS = 4


def write_jsonl(path: Path) -> None:
    """24 real articles, ids from ``path:line`` (no url), a blank and a bad line inside."""
    found = next((p for p in EVAL_STORIES if p.exists()), None)
    if found is not None:
        with gzip.open(found, "rt", encoding="utf-8") as handle:
            texts = [json.loads(line)["text"] for _, line in zip(range(24), handle, strict=False)]
    else:
        texts = [
            para
            for p in sorted((ROOT / "examples").glob("*.txt"))
            for para in p.read_text(encoding="utf-8").split("\n\n")
            if len(para.split()) > 30
        ][:24]
    lines = [
        json.dumps({"text": t, "published": f"2021-12-{1 + i % 28:02d}"})
        for i, t in enumerate(texts)
    ]
    lines.insert(9, "")
    lines.insert(17, '{"text": "cut off')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def inputs_in(folder: Path) -> list[str]:
    """The examples, the test inputs, bad files and a JSONL of 24 real articles."""
    write_jsonl(folder / "articles.jsonl")
    return [
        str(ROOT / "examples"),
        str(DATA / "inputs"),
        str(DATA / "bad"),
        str(folder / "articles.jsonl"),
    ]


def snapshot(path: str) -> dict[str, object]:
    with sqlite3.connect(path) as conn:
        return {
            "docs": conn.execute(
                "SELECT d.id, d.path, d.date, d.language, d.duplicate_of, m.story_id, m.event_id "
                "FROM documents d LEFT JOIN memberships m ON m.doc_seq = d.seq ORDER BY d.id"
            ).fetchall(),
            "stories": conn.execute(
                "SELECT id, size, first_date, last_date, label, merged_into FROM stories "
                "ORDER BY id"
            ).fetchall(),
            "briefs": conn.execute(
                "SELECT story_id, revision, brief FROM story_briefs ORDER BY story_id"
            ).fetchall(),
            "rows": [
                conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("sentences", "mentions", "quotes", "lsh_bands", "reporting_fts")
            ],
            "check": conn.execute("PRAGMA integrity_check").fetchone()[0],
        }
