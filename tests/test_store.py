"""The story store on real text: ingest, idempotence, crash safety, concurrency, migrations,
bad store files, stories, search and story briefs."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from storybrief.cli import main
from storybrief.store import open_reader, open_writer, query
from storybrief.store.briefs import story_brief
from storybrief.store.schema import APPLICATION_ID, SCHEMA_VERSION, migrate
from storybrief.store.write import ingest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = str(ROOT / "examples")
INPUTS = str(ROOT / "tests" / "data" / "inputs")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _snapshot(path: str) -> dict[str, object]:
    """What two runs must agree on: documents, copies, story membership, integrity."""
    with sqlite3.connect(path) as conn:
        docs = conn.execute(
            "SELECT d.id, d.duplicate_of, m.story_id FROM documents d "
            "LEFT JOIN memberships m ON m.doc_seq = d.seq ORDER BY d.id"
        ).fetchall()
        stories = conn.execute(
            "SELECT id, size, first_date, last_date FROM stories WHERE merged_into IS NULL "
            "ORDER BY id"
        ).fetchall()
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        fts = conn.execute("SELECT count(*) FROM reporting_fts").fetchone()[0]
        briefs = conn.execute("SELECT count(*) FROM story_briefs").fetchone()[0]
    return {"docs": docs, "stories": stories, "check": check, "fts": fts, "briefs": briefs}


def test_ingest_stores_every_document_with_its_analysis(clean_store: str) -> None:
    with open_reader(clean_store) as store:
        conn = store.conn
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] >= 9
        # Per-document analysis the brief needs is stored, offsets into the stored text.
        for table in ("blocks", "sentences", "mentions", "quotes", "date_mentions"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
        for text, start, end in conn.execute(
            'SELECT d.text, q.start, q."end" FROM quotes q JOIN documents d ON d.seq = q.doc_seq'
        ):
            assert 0 <= start < end <= len(text)
        doc = query.document(store, conn.execute("SELECT id FROM documents").fetchone()[0])
        assert doc is not None and all(
            doc["text"][b["start"] : b["end"]] == b["text"] for b in doc["blocks"]
        )


def test_ingest_twice_adds_nothing(clean_store: str, tmp_path: Path) -> None:
    path = str(tmp_path / "s.db")
    with open_writer(path) as store:
        first = ingest(store, [EXAMPLES, INPUTS], batch_size=3)
    before = _snapshot(path)
    with open_writer(path) as store:
        again = ingest(store, [EXAMPLES, INPUTS], batch_size=3)
    assert first.added > 0 and again.added == 0 and again.already_stored >= first.added
    assert not again.stories_new and not again.stories_updated
    assert _snapshot(path) == before == _snapshot(clean_store)


def test_same_text_from_another_source_is_kept_as_a_copy(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "001_e3bfd45d89a0bb3a.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("Geneva", "Geneva,", 1) + "\n", "utf-8")
    path = str(tmp_path / "s.db")
    with open_writer(path) as store:
        ingest(store, [str(tmp_path / "a.txt")])
        second = ingest(store, [str(tmp_path / "b.txt")])
        rows = store.conn.execute(
            "SELECT d.path, d.duplicate_of, m.story_id FROM documents d "
            "JOIN memberships m ON m.doc_seq = d.seq ORDER BY d.seq"
        ).fetchall()
    assert second.added == 1 and second.near_duplicates == 1
    assert rows[1][1] is not None and rows[0][2] == rows[1][2]  # a copy joins its original


_KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from storybrief.store import assign, briefs, open_writer
    from storybrief.store.write import ingest
    where, count = sys.argv[2], int(sys.argv[3])
    calls = {"n": 0}
    def die_after(function):
        def wrapped(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == count:
                os.kill(os.getpid(), signal.SIGKILL)
            return function(*args, **kwargs)
        return wrapped
    if where == "assign":  # inside a batch's transaction
        assign.assign_group = die_after(assign.assign_group)
    else:  # while refreshing the story briefs
        briefs.refresh_result = die_after(briefs.refresh_result)
    with open_writer(sys.argv[1]) as store:
        ingest(store, sys.argv[4:], batch_size=3)
    """
)


@pytest.mark.parametrize(("where", "count"), [("assign", 1), ("assign", 4), ("brief", 2)])
def test_sigkill_then_rerun_gives_the_clean_store(
    clean_store: str, tmp_path: Path, where: str, count: int
) -> None:
    path = str(tmp_path / "s.db")
    killed = subprocess.run(
        [sys.executable, "-c", _KILLER, path, where, str(count), EXAMPLES, INPUTS],
        env=ENV, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with open_writer(path) as store:
        ingest(store, [EXAMPLES, INPUTS], batch_size=3)
    assert _snapshot(path) == _snapshot(clean_store)
    assert _snapshot(path)["check"] == "ok"


def test_second_ingest_on_a_busy_store_says_busy(tmp_path: Path) -> None:
    path = str(tmp_path / "s.db")
    with open_writer(path) as store:
        ingest(store, [str(ROOT / "examples" / "000_14b6d52274cd5d96.txt")])
        other = subprocess.run(
            [sys.executable, "-m", "storybrief", "ingest", EXAMPLES, "--db", path, "-q"],
            env=ENV, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        # Readers are not blocked by the writer.
        with open_reader(path) as reader:
            assert len(query.stories(reader)) == 1
    assert other.returncode == 3
    assert "busy" in other.stderr and "Traceback" not in other.stderr
    assert len(other.stderr.strip().splitlines()) == 1
    with open_writer(path) as store:  # the lock went with its holder
        assert ingest(store, [EXAMPLES]).added == 4
    assert _snapshot(path)["check"] == "ok"


def test_a_version_1_store_upgrades_and_keeps_its_documents(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=1)  # the store as storybrief's first store version wrote it
    conn.execute(
        "INSERT INTO documents (id, path, format, text, added) "
        "VALUES ('0123456789abcdef', 'old.txt', 'text', 'An old document.', '2026-01-01')"
    )
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    assert main(["stories", "--db", path]) == 3  # readers do not upgrade; they say so
    with open_writer(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.conn.execute("SELECT count(*) FROM story_briefs").fetchone()[0] == 0
        assert ingest(store, [EXAMPLES]).added == 5
        ids = {row[0] for row in store.conn.execute("SELECT id FROM documents")}
    assert "0123456789abcdef" in ids and len(ids) == 6


def _story_postings(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """Each live story with one of its documents: (story, document's date, heaviest term)."""
    out = []
    for story_id, seq, date in conn.execute(
        "SELECT m.story_id, d.seq, d.date FROM memberships m JOIN documents d ON d.seq = "
        "m.doc_seq JOIN stories s ON s.id = m.story_id WHERE s.merged_into IS NULL AND "
        "d.duplicate_of IS NULL ORDER BY d.seq"
    ).fetchall():
        term = conn.execute(
            "SELECT term FROM term_postings WHERE doc_seq = ? ORDER BY term LIMIT 1", (seq,)
        ).fetchone()
        out.append((story_id, date, term[0] if term else ""))
    return out


def test_candidate_stories_are_found_by_terms_near_the_date(tmp_path: Path) -> None:
    """Every stored original posts its terms; a lookup near its date finds its story, one
    far outside the active window does not (unless the story's documents are undated)."""
    from storybrief.store import postings
    from storybrief.store.assign import ACTIVE_WINDOW_DAYS

    with open_writer(str(tmp_path / "s.db")) as store:
        ingest(store, [EXAMPLES], briefs=False)
        found = _story_postings(store.conn)
        assert found and all(term for _, _, term in found)
        for story_id, date, term in found:
            assert story_id in postings.candidates(store.conn, [term], date, ACTIVE_WINDOW_DAYS, 50)
            assert story_id in postings.candidates(store.conn, [term], None, ACTIVE_WINDOW_DAYS, 50)
            if date:
                far = f"{int(date[:4]) + 3}{date[4:]}"
                assert story_id not in postings.candidates(
                    store.conn, [term], far, ACTIVE_WINDOW_DAYS, 50
                )


def test_a_version_2_store_gets_postings_for_its_stories(tmp_path: Path) -> None:
    path = str(tmp_path / "v2.db")
    with open_writer(path) as store:
        ingest(store, [EXAMPLES], briefs=False)
        stories = {
            row[0]
            for row in store.conn.execute(
                "SELECT id FROM stories WHERE merged_into IS NULL AND size > 0"
            )
        }
        store.conn.execute("DROP TABLE term_postings")  # as version 2 wrote it
        store.conn.execute("DROP TABLE document_terms")
        store.conn.execute("DROP TABLE document_analysis")
        store.conn.execute("ALTER TABLE story_briefs DROP COLUMN kind")
        store.conn.execute("PRAGMA user_version = 2")
    with open_writer(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        posted = {row[0] for row in store.conn.execute("SELECT story_id FROM term_postings")}
        assert posted == stories
        assert ingest(store, [EXAMPLES]).already_stored == 5


def test_a_version_7_store_marks_its_outlines(tmp_path: Path) -> None:
    path = str(tmp_path / "v7.db")
    with open_writer(path) as store:
        ingest(store, [EXAMPLES])
        kinds = dict(store.conn.execute("SELECT story_id, kind FROM story_briefs"))
        store.conn.execute("ALTER TABLE story_briefs DROP COLUMN kind")  # as version 7 had it
        store.conn.execute("PRAGMA user_version = 7")
    with open_writer(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert dict(store.conn.execute("SELECT story_id, kind FROM story_briefs")) == kinds
    assert "outline" in kinds.values()


def _one_line_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(args) == 3
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


def test_bad_store_files_get_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("just some notes\n" * 100, encoding="utf-8")
    assert "not a storybrief store" in _one_line_error(["stories", "--db", str(text)], capsys)
    assert "not a storybrief store" in _one_line_error(
        ["ingest", EXAMPLES, "--db", str(text), "-q"], capsys
    )
    assert text.read_text(encoding="utf-8") == "just some notes\n" * 100  # untouched

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert "not a storybrief store" in _one_line_error(["search", "x", "--db", str(other)], capsys)

    newer = tmp_path / "newer.db"
    with open_writer(str(newer)):
        pass
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    assert "newer storybrief" in _one_line_error(["stories", "--db", str(newer)], capsys)
    assert "newer storybrief" in _one_line_error(
        ["ingest", EXAMPLES, "--db", str(newer), "-q"], capsys
    )

    missing = tmp_path / "missing.db"
    assert "no such store" in _one_line_error(["stories", "--db", str(missing)], capsys)
    assert not missing.exists()


def test_damaged_store_gets_a_one_line_error(
    clean_store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "damaged.db"
    with sqlite3.connect(clean_store) as source, sqlite3.connect(path) as target:
        source.backup(target)
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, 3 * page):
        data[offset : offset + 200] = b"\xff" * 200  # scribble over many pages
    path.write_bytes(bytes(data))
    err = _one_line_error(["search", "Lavrov", "--db", str(path)], capsys)
    assert "damaged" in err or "cannot be read" in err


HOSTILE = [
    '"',
    '"Lavrov',
    "NEAR(Lavrov Blinken",
    "NEAR(Lavrov, Blinken, 5)",
    "*",
    "Lav*",
    "Lavrov OR",
    "OR",
    "AND NOT",
    "Lavrov' OR 1=1; DROP TABLE documents; --",
    "title:Lavrov",
    "^Lavrov",
    "(((",
    "Geneva " * 700,  # 4,900 characters, one word
    " ".join(f"w{i}" for i in range(900))[:5000],
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_search_queries_never_traceback(
    clean_store: str, hostile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["search", hostile, "--db", clean_store, "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if code == 0:
        assert isinstance(json.loads(out), list)
    else:
        assert code == 2 and len(err.strip().splitlines()) == 1
    with open_reader(clean_store) as store:  # nothing was dropped
        assert store.conn.execute("SELECT count(*) FROM documents").fetchone()[0] > 0


def test_search_finds_quoted_and_operator_text_as_words(clean_store: str) -> None:
    with open_reader(clean_store) as store:
        plain = query.search(store, "Lavrov Geneva")
        # Quotes, NEAR( and * are not syntax: "near" is one more word to find.
        assert query.search(store, '"Lavrov" NEAR( Geneva*') == query.search(
            store, "lavrov near geneva"
        )
        assert plain and all("Lavrov" in h["snippet"] or "Geneva" in h["snippet"] for h in plain)
        doc = query.document(store, plain[0]["id"])
        assert doc is not None
        start, end = plain[0]["start"], plain[0]["end"]
        assert doc["text"][start:end].lower() in {"lavrov", "geneva"}
        assert query.search(store, "Geneva", comments=True) != plain


def test_stories_json_lists_documents(clean_store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stories", "--db", clean_store, "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found and sum(s["size"] for s in found) >= 9
    for story in found:
        assert story["label"] and story["documents"]
        assert {"id", "path", "url", "title", "date"} <= set(story["documents"][0])
    dates = [s["last_date"] or "" for s in found]
    assert dates == sorted(dates, reverse=True)
    assert main(["stories", "--db", clean_store, "--since", "2022-01-31"]) == 0
    out = capsys.readouterr().out
    assert "2022-02-01" in out and "2022-01-21 |" not in out


def test_story_brief_comes_from_the_store(
    clean_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_reader(clean_store) as store:
        biggest = max(query.stories(store), key=lambda s: s["size"])
        docs = {
            d["id"]: d["text"]
            for d in biggest["documents"]
            for d in [query.document(store, d["id"])]
        }
        cached = story_brief(store, biggest["id"])
        # The cached brief equals a fresh computation from the stored documents.
        from storybrief.store.briefs import _compute

        assert cached == _compute(store, biggest["id"], None)
    for item in cached["summary"]:
        span = item["sources"][0]
        assert docs[span["document"]][span["start"] : span["end"]] == item["text"]
    assert main(["brief", "--db", clean_store, "--story", biggest["id"], "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"] == cached["summary"]
    assert main(["brief", "--db", clean_store, "--story", "nope"]) == 3
    assert "no story" in capsys.readouterr().err


def test_small_stories_keep_outlines_and_are_briefed_when_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storybrief.store import outline
    from storybrief.store.briefs import _story_job, story_result

    # The examples' stories hold 43 to 2,275 words: with 1,000 some keep whole briefs.
    monkeypatch.setattr(outline, "BRIEF_ON_READ_MAX_WORDS", 1000)
    path = str(tmp_path / "s.db")
    with open_writer(path) as store:
        ingest(store, [EXAMPLES, INPUTS], batch_size=3)
    kinds = []
    with open_reader(path) as store:
        conn = store.conn
        for story in query.stories(store):
            full = story_result(*_story_job(store, story["id"]))
            (row,) = conn.execute(
                "SELECT brief, kind FROM story_briefs WHERE story_id = ?", (story["id"],)
            ).fetchall()
            kept = json.loads(row[0])
            small = outline.brief_on_read(_story_job(store, story["id"])[1])
            kinds.append((small, story["size"]))
            # A small story keeps its outline (the whole brief's labels and events), a
            # larger one its whole brief ...
            assert row[1] == ("outline" if small else "brief")
            if small:
                assert kept["outline"] is True
                assert [s["label"] for s in kept["stories"]] == [full["stories"][0]["label"]]
                assert sorted((e["id"], e["label"], e["documents"]) for e in kept["events"]) == (
                    sorted((e["id"], e["label"], e["documents"]) for e in full["events"])
                )
            else:
                assert kept == full
            # ... its label and its documents' events are its whole brief's either way ...
            assert story["label"] == full["stories"][0]["label"]
            stored = conn.execute(
                "SELECT m.event_id FROM memberships m WHERE m.story_id = ?", (story["id"],)
            ).fetchall()
            assert {e for (e,) in stored} == {f"{story['id']}-{e['id']}" for e in full["events"]}
            # ... and a reader gets the whole brief, built when read for a small story.
            assert story_brief(store, story["id"]) == full
    assert (True, 1) in kinds and (True, 2) in kinds and any(not small for small, _ in kinds)


def test_update_brief_cites_only_documents_after_the_date(clean_store: str) -> None:
    with open_reader(clean_store) as store:
        story = max(query.stories(store), key=lambda s: len({d["date"] for d in s["documents"]}))
        dates = sorted({d["date"] for d in story["documents"] if d["date"]})
        assert len(dates) >= 2
        since = dates[0]
        update = story_brief(store, story["id"], since=since)
    new = {d["id"] for d in story["documents"] if d["date"] and d["date"] > since}
    assert update["update"]["since"] == since and update["update"]["new_documents"] == len(new)
    cited = {s["document"] for item in update["summary"] for s in item["sources"]}
    cited |= {s["document"] for item in update["quotes"] for s in item["sources"]}
    assert cited and cited <= new


def test_writer_and_reader_connections(tmp_path: Path) -> None:
    path = str(tmp_path / "s.db")
    with open_writer(path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    with open_reader(path) as reader, pytest.raises(sqlite3.OperationalError):
        reader.conn.execute("DELETE FROM documents")


def test_ingest_json_summary_and_default_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STORYBRIEF_DB", raising=False)
    assert main(["ingest", EXAMPLES, "--format", "json", "-q"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["added"] == 5 and summary["stories_new"] >= 1
    assert (tmp_path / "storybrief.db").exists()
    monkeypatch.setenv("STORYBRIEF_DB", str(tmp_path / "other.db"))
    assert main(["ingest", EXAMPLES, "-q"]) == 0
    assert "5 added" in capsys.readouterr().out and (tmp_path / "other.db").exists()
    with open_reader(str(tmp_path / "other.db")) as store:
        labels = [s["label"] for s in query.stories(store)]
    assert labels and all(labels)


def test_ingest_warns_of_a_date_it_cannot_read_and_keeps_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(EXAMPLES).glob("*.txt"))[:2]]
    pile = tmp_path / "export.jsonl"
    records = [{"text": texts[0], "published": "June 10, 1998"}, {"text": texts[1], "date": "soon"}]
    pile.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    db = str(tmp_path / "w.db")
    assert main(["ingest", str(pile), "--db", db, "--format", "json", "-q"]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["added"] == 2 and summary["errors"] == []
    [warning] = summary["warnings"]
    assert warning["reason"].startswith("line 2: 'date' 'soon' is not a date")
    assert f"storybrief: warning: {pile}: line 2: 'date' 'soon'" in captured.err


@pytest.mark.parametrize("command", ["ingest", "stories", "search", "brief"])
def test_store_commands_have_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0 and "--db" in capsys.readouterr().out


def test_a_stored_story_is_briefed_as_one_story() -> None:
    """The store already grouped a story's documents: its brief does not split them again,
    even when they would form several stories as a loose pile (the examples plus an
    unrelated article)."""
    from storybrief.pipeline import clean
    from storybrief.store.briefs import story_result

    docs = clean([EXAMPLES, INPUTS]).documents
    assert len(story_result("s1", docs, None)["stories"]) == 1


def test_wire_furniture_titles_never_label_a_story(tmp_path: Path) -> None:
    """Archive title fields such as "&HT;" or a bare dateline are not headlines: the story's
    label is its readable headline."""
    text = (Path(EXAMPLES) / "002_aa70204ed8885158.txt").read_text(encoding="utf-8")
    records = [
        {"title": "&HT;", "text": text, "published": "2022-01-21"},
        {"title": "&UR; Friday, Jan. 21, 2022 &LR;", "text": text + "\nMore.", "published": "2022-01-21"},
        {"title": "Blinken and Lavrov meet in Geneva", "text": text + "\nEven more.",
         "published": "2022-01-21"},
    ]
    pile = tmp_path / "pile.jsonl"
    pile.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    path = str(tmp_path / "s.db")
    with open_writer(path) as store:
        ingest(store, [str(pile)])
    with open_reader(path) as store:
        labels = [s["label"] for s in query.stories(store)]
    assert labels == ["Blinken and Lavrov meet in Geneva"]
