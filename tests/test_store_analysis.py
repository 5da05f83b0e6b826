"""Each stored document's kept analysis (``store.analysis``) on real text: a story's brief
built with it is the brief built from the stored documents alone, a pile's entities with
the documents' own mentions are those found afresh, and rows of another storybrief version
are not used."""

from __future__ import annotations

from pathlib import Path

from storybrief.analyze.document_analysis import analyse_document
from storybrief.analyze.entities import extract_entities
from storybrief.analyze.entities_mentions import Vocabulary, document_mentions
from storybrief.brief import build_brief, masked_reporting_text
from storybrief.clean import clean_document
from storybrief.model import Document
from storybrief.read import read_source
from storybrief.store import analysis, open_reader, open_writer, query
from storybrief.store.briefs import story_brief
from storybrief.store.write import ingest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = str(ROOT / "examples")


def _story_ids(path: str) -> list[str]:
    with open_reader(path) as store:
        return [s["id"] for s in query.stories(store, limit=1000)]


def test_every_document_keeps_its_analysis(clean_store: str) -> None:
    with open_reader(clean_store) as store:
        conn = store.conn
        docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        kept = conn.execute(
            "SELECT count(*) FROM document_analysis WHERE format = ?", (analysis.format_tag(),)
        ).fetchone()[0]
    assert docs >= 9 and kept == docs


def test_a_stored_story_brief_with_the_kept_analysis_is_the_brief_without(
    clean_store: str,
) -> None:
    sizes = []
    with open_reader(clean_store) as store:
        for story_id in _story_ids(clean_store):
            ids = [d["id"] for d in query.story_documents(store, story_id)]
            docs = query.load_documents(store, ids)
            kept = query.load_analysis(store, docs)
            assert set(kept) == set(ids)
            afresh = build_brief(query.load_documents(store, ids), one_story=True)
            assert build_brief(docs, one_story=True, analysis=kept) == afresh
            assert story_brief(store, story_id) == {**afresh, "store_story": story_id}
            sizes.append(len(ids))
    assert max(sizes) >= 4  # the Blinken story: a pile whose vocabulary is not one page's


def _examples() -> list[Document]:
    docs = [
        doc for path in sorted(Path(EXAMPLES).glob("*.txt")) for doc in read_source(str(path))[0]
    ]
    for doc in docs:
        clean_document(doc)
    return docs


def test_a_pile_reuses_only_lines_its_vocabulary_answers_the_same() -> None:
    texts = [(doc.id, masked_reporting_text(doc)) for doc in _examples()]
    found = {doc_id: document_mentions(doc_id, text) for doc_id, text in texts}
    assert extract_entities(texts, found) == extract_entities(texts)
    # Some lines must be found again under the pile's vocabulary, or the test proves little.
    pile = Vocabulary.union(f.vocab for f in found.values())
    stale = [line for f in found.values() for line in f.lines if not line.holds_under(pile)]
    kept = [line for f in found.values() for line in f.lines if line.holds_under(pile)]
    assert stale and kept  # "US" read against "us" written in another page
    for doc_id, text in texts[3:4]:
        assert extract_entities([(doc_id, text)], found) == extract_entities([(doc_id, text)])


def test_the_kept_analysis_reads_back_as_it_was_found() -> None:
    doc = _examples()[3]
    found = analyse_document(doc, masked_reporting_text(doc))
    assert found.quotes and found.mentions.lines
    assert analysis.decode(analysis.encode(found), doc, found.sentences) == found


def test_analysis_kept_by_other_analysis_code_is_not_used(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    with open_writer(path) as store:
        ingest(store, [EXAMPLES], briefs=False)
        store.conn.execute("UPDATE document_analysis SET format = 'an older storybrief/1'")
    (story_id,) = _story_ids(path)
    with open_reader(path) as store:
        ids = [d["id"] for d in query.story_documents(store, story_id)]
        docs = query.load_documents(store, ids)
        assert query.load_analysis(store, docs) == {}
        brief = story_brief(store, story_id)
    with open_writer(str(tmp_path / "new.db")) as store:
        ingest(store, [EXAMPLES])
        assert story_brief(store, story_id) == brief
