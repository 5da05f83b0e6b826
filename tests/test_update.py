"""The update brief (``brief --db --story --since``) on real text: the earlier-sentence index
equals checking every pair; nothing earlier is cited as new (the bundled examples split at a
date, and a DUC 2007 update topic when the evaluation data is present); new quotes, facts
that gained support and new conflicts on a constructed case; the renderers show them."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest
from test_render import _schema_errors

from storybrief.analyze.facts import CONFLICT_SIMILARITY, similarity
from storybrief.analyze.novelty import EarlierSentences, EarlierWords, novel_figures
from storybrief.brief import body_sentences
from storybrief.cli import main
from storybrief.pipeline import clean
from storybrief.render.html import render_html
from storybrief.store import open_reader, open_writer, query
from storybrief.store.briefs import story_brief
from storybrief.store.update import (
    OLD_NEWS_SIMILARITY,
    document_concepts,
    split_documents,
    update_from_documents,
)
from storybrief.store.write import ingest
from storybrief.summarize.extractive import SummaryInput, summarize
from storybrief.summarize.scoring import concepts, tokens

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCHEMA = json.loads((ROOT / "storybrief" / "render" / "brief.schema.json").read_text("utf-8"))
#: The eval data lives beside the repository (../shared/eval; ../../shared/eval from a
#: worktree), never in it; the DUC test is skipped without it.
DUC_UPDATE = next(
    (
        path
        for base in (os.environ.get("STORYBRIEF_EVAL"), ROOT.parent / "shared" / "eval",
                     ROOT.parent.parent / "shared" / "eval")
        if base and (path := Path(base) / "summarization" / "duc2007-update.jsonl.gz").exists()
    ),
    Path("duc2007-update.jsonl.gz"),
)


def _cited(spans: list[dict[str, Any]]) -> set[str]:
    return {str(s["document"]) for s in spans}


def _new_side(brief: dict[str, Any]) -> set[str]:
    """Documents the brief cites as new: everything but ``earlier_sources``."""
    cited: set[str] = set()
    for key in ("summary", "quotes", "facts"):
        for item in brief[key]:
            cited |= _cited(item["sources"])
    for conflict in brief["conflicts"]:
        for value in conflict["values"]:
            cited |= _cited(value["sources"])
    update = brief["update"]
    for item in update["new_quotes"] + update["gained_support"]:
        cited |= _cited(item["sources"])
    for conflict in update["new_conflicts"]:
        for value in conflict["values"]:
            cited |= _cited(value["sources"])
    return cited


def _earlier_side(update: dict[str, Any]) -> set[str]:
    cited = {d for item in update["gained_support"] for d in _cited(item["earlier_sources"])}
    for conflict in update["new_conflicts"]:
        for value in conflict["values"]:
            cited |= _cited(value["earlier_sources"])
    return cited


@pytest.fixture(scope="module")
def example_sentences() -> list[Any]:
    docs = clean([str(EXAMPLES)]).documents
    return [s for d in docs for s in body_sentences(d)]


@pytest.mark.parametrize("threshold", [0.3, OLD_NEWS_SIMILARITY, CONFLICT_SIMILARITY])
def test_earlier_index_finds_what_every_pair_finds(
    example_sentences: list[Any], threshold: float
) -> None:
    half = len(example_sentences) // 2
    earlier, new = example_sentences[:half], example_sentences[half:]
    index = EarlierSentences(earlier, lowest=0.3)
    found = {(i, m.index) for i, s in enumerate(new) for m in index.matches(s.text, threshold)}
    every_pair = {
        (i, j)
        for i, s in enumerate(new)
        for j, e in enumerate(earlier)
        if similarity(s.text, e.text) >= threshold
    }
    assert found == every_pair and found  # the examples repeat one another: not vacuous
    with pytest.raises(ValueError):
        index.matches(new[0].text, 0.2)


def test_background_concepts_and_printed_words() -> None:
    first, second = "Moscow has 100,000 troops near the border.", "Troops near the border moved."
    assert document_concepts([first, second]) == concepts(tokens(first)) | concepts(tokens(second))
    printed = EarlierWords(["He said “we will decide on a date together with Russia” on Tuesday."])
    assert printed.share_printed("We will decide on a date together") == 1.0
    assert printed.share_printed("We will never decide anything with them") == 0.0


def test_background_documents_weigh_concepts() -> None:
    """Concepts of documents that offer no sentence still count: with the background, the
    summary picks the sentence about what the background documents report too."""
    inputs = [
        SummaryInput("a", "Rescuers found more survivors in the rubble of Izmit on Monday. "
                          "The football season will start later than planned this year."),
        SummaryInput("b", "Aid flights landed in Istanbul as rescuers searched the rubble of "
                          "Izmit. The football season will start later than planned."),
    ]
    alone = summarize(inputs, words=12)
    background = [concepts(tokens("Rescuers searched the rubble of Izmit for survivors."))] * 3
    with_background = summarize(inputs, words=12, background=background)
    assert [s.text for s in with_background] != [s.text for s in alone]
    assert "rubble of Izmit" in with_background[0].text


_NEW = [
    "Russia and the United States will hold security talks in Geneva on January 10, the State "
    "Department announced on Thursday.",
    # repeats the earlier article word for word: a fact that gained support, not news
    "Russia submitted its proposals to the US last week amid heightened tensions surrounding "
    "Ukraine.",
    # the same sentence with another figure: a new conflict, and news
    "Moscow has 130,000 troops near its borders with Ukraine, but denies planning to invade.",
    # a new sentence carrying a quote the earlier article printed: not a new quote
    "At a meeting with defence chiefs in Moscow on Thursday, the Kremlin's spokesman Dmitry "
    "Peskov repeated Putin's words about NATO missiles in Ukraine: “For us, it is the most "
    "serious challenge — a challenge to our security.”",
    "“We will not make any unilateral concessions in Geneva,” Deputy Foreign Minister Sergei "
    "Ryabkov told reporters on Thursday.",
    "NATO foreign ministers are due to meet by video link on Friday to prepare their own talks "
    "with Moscow.",
]


@pytest.fixture(scope="module")
def constructed(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A store of one story: a real article (example 001's reporting, plus a real sentence of
    example 003) on 2021-12-21, and a later article that repeats, updates and adds to it."""
    folder = tmp_path_factory.mktemp("update")
    lines = (EXAMPLES / "001_e3bfd45d89a0bb3a.txt").read_text("utf-8").splitlines()[:7]
    troops = next(
        line
        for line in (EXAMPLES / "003_06a713c4930c40d3.txt").read_text("utf-8").splitlines()
        if line.startswith("Moscow has 100,000 troops")
    )
    records = [
        {"text": "\n".join([*lines, troops]), "title": "US-Russia talks could begin in January",
         "published": "2021-12-21", "url": "https://example.org/a"},
        {"text": "\n".join(_NEW), "title": "US and Russia set Geneva talks",
         "published": "2021-12-30", "url": "https://example.org/b"},
    ]
    source = folder / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    db = str(folder / "s.db")
    with open_writer(db) as store:
        ingest(store, [str(source)])
        (story,) = query.stories(store)
    return db, str(story["id"])


def test_constructed_update(constructed: tuple[str, str]) -> None:
    db, story_id = constructed
    with open_reader(db) as store:
        brief = story_brief(store, story_id, since="2021-12-25")
        ids = {d["url"]: d["id"] for d in query.story_documents(store, story_id)}
    earlier, new = ids["https://example.org/a"], ids["https://example.org/b"]
    assert _schema_errors(brief, SCHEMA, SCHEMA) == []
    assert [d["id"] for d in brief["documents"]] == [new]
    assert _new_side(brief) == {new} and _earlier_side(brief["update"]) == {earlier}
    update = brief["update"]
    assert update["since"] == "2021-12-25" and update["new_documents"] == 1
    assert update["earlier_documents"] == 1 and update["repeated_sentences"] == 1
    summary = [s["text"] for s in brief["summary"]]
    assert _NEW[1] not in summary and _NEW[2] in summary  # the repeat left out, the update kept
    (gained,) = update["gained_support"]
    assert gained["text"] == _NEW[1]
    assert (gained["support_before"], gained["support_after"]) == (1, 2)
    (conflict,) = update["new_conflicts"]
    values = {v["value"]: v for v in conflict["values"]}
    assert conflict["kind"] == "number" and set(values) == {"130,000 troops", "100,000 troops"}
    assert _cited(values["130,000 troops"]["sources"]) == {new}
    assert _cited(values["100,000 troops"]["earlier_sources"]) == {earlier}
    assert not values["100,000 troops"]["sources"]
    quotes = [q["text"] for q in update["new_quotes"]]
    assert quotes == [q["text"] for q in brief["quotes"]]
    assert any("unilateral concessions" in q for q in quotes)
    assert not any("most serious challenge" in q for q in quotes)  # printed earlier
    assert [d["id"] for d in update["context_documents"]] == [earlier]
    text = {d["id"]: d["text"] for d in [*brief["documents"], *update["context_documents"]]}
    for span in gained["earlier_sources"] + gained["sources"]:  # both quote the same words
        assert text[span["document"]][span["start"] : span["end"]] == _NEW[1]


def test_renderers_show_the_update(
    constructed: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    db, story_id = constructed
    args = ["brief", "--db", db, "--story", story_id, "--since", "2021-12-25"]
    assert main(args) == 0
    markdown = capsys.readouterr().out
    assert "## What is new since 2021-12-25" in markdown
    assert "Ryabkov" in markdown and "1 → 2 sources" in markdown
    assert "“130,000 troops”" in markdown and "(earlier: [" in markdown
    assert "## Who said what" not in markdown  # the new quotes are the update's
    assert "earlier reporting (context)" in markdown  # the earlier span in the citations
    with open_reader(db) as store:
        page = render_html(story_brief(store, story_id, since="2021-12-25"))
    assert 'id="update"' in page and "What is new since 2021-12-25" in page
    assert "1 → 2 sources" in page and "earlier reporting (context)" in page
    assert 'class="span earlier"' in page  # the earlier span is marked in the sources


def test_examples_split_at_a_date(tmp_path: Path) -> None:
    """The bundled crawls stored and split at each date they have: the summary, quotes and
    facts cite documents after the date only, and no summary sentence repeats an earlier one."""
    db = str(tmp_path / "s.db")
    with open_writer(db) as store:
        ingest(store, [str(EXAMPLES)])
    with open_reader(db) as store:
        story = max(query.stories(store), key=lambda s: s["size"])
        rows = story["documents"]
        for since in sorted({r["date"] for r in rows if r["date"]})[:-1] or ["0000-00-00"]:
            brief = story_brief(store, story["id"], since=since)
            new = {r["id"] for r in rows if r["date"] and r["date"] > since}
            old = [r["id"] for r in rows if r["id"] not in new]
            assert new and _new_side(brief) <= new and _earlier_side(brief["update"]) <= set(old)
            earlier = [s.text for d in query.load_documents(store, old) for s in body_sentences(d)]
            for item in brief["summary"]:
                assert all(similarity(item["text"], e) < OLD_NEWS_SIMILARITY for e in earlier)


@pytest.mark.skipif(not DUC_UPDATE.exists(), reason="DUC 2007 update data not present")
def test_duc_update_topic(tmp_path: Path) -> None:
    """A DUC 2007 update topic (the file's last): set A stored, then the update brief of set
    B; the sentences it leaves out as repeats are those a check of every pair finds."""
    with gzip.open(DUC_UPDATE, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    topic = rows[-1]["id"].rsplit("-", 1)[0]
    sets = [next(r for r in rows if r["id"] == f"{topic}-{part}") for part in "AB"]
    paths = []
    for n, cluster in enumerate(sets):
        path = tmp_path / f"{n}.jsonl"
        path.write_text(
            "".join(json.dumps({"text": d["text"], "title": d.get("title"), "url": f"duc:{d['id']}"})
                    + "\n" for d in cluster["docs"]),
            "utf-8",
        )
        paths.append(str(path))
    with open_writer(str(tmp_path / "s.db")) as store:
        ingest(store, [paths[0]], briefs=False)
        old_ids = [r[0] for r in store.conn.execute("SELECT id FROM documents")]
        ingest(store, [paths[1]], briefs=False)
        new_ids = [r[0] for r in store.conn.execute("SELECT id FROM documents") if r[0] not in old_ids]
        old_docs = query.load_documents(store, old_ids)
        new_docs = query.load_documents(store, new_ids)
    brief = update_from_documents(new_docs, old_docs, "set A", None)
    assert _schema_errors(brief, SCHEMA, SCHEMA) == []
    assert brief["summary"] and _new_side(brief) <= set(new_ids)
    assert _earlier_side(brief["update"]) <= set(old_ids)
    earlier = [s.text for d in old_docs if not d.duplicate_of for s in body_sentences(d)]
    for item in brief["summary"]:  # none repeats A, unless it updates a figure ("12,040 dead")
        assert all(
            similarity(item["text"], e) < OLD_NEWS_SIMILARITY or novel_figures(item["text"], e)
            for e in earlier
        )
    repeats = [
        s.text
        for d in new_docs
        for s in body_sentences(d)
        if any(
            similarity(s.text, e) >= OLD_NEWS_SIMILARITY and not novel_figures(s.text, e)
            for e in earlier
        )
    ]
    assert brief["update"]["repeated_sentences"] == len(repeats)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_web_ui_story_page_since(constructed: tuple[str, str]) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from storybrief.serve import StoreReader, create_app

    db, story_id = constructed
    reader = StoreReader(db)
    try:
        client = TestClient(create_app(reader), base_url="http://127.0.0.1")
        api = client.get(f"/api/stories/{story_id}?since=2021-12-25").json()
        page = client.get(f"/stories/{story_id}?since=2021-12-25")
        whole = client.get(f"/stories/{story_id}").text
    finally:
        reader.close()
    assert page.status_code == 200
    (earlier,) = api["update"]["context_documents"]
    assert 'href="#update"' in page.text and "What is new since 2021-12-25" in page.text
    assert "1 → 2 sources" in page.text and "Ryabkov" in page.text
    assert f'href="/documents/{earlier["id"]}?start=' in page.text  # earlier span, as context
    assert 'href="#update"' not in whole and "Who said what" in whole


def test_split_at_the_date() -> None:
    rows = [
        {"id": "a", "date": "2021-12-20"},
        {"id": "b", "date": "2021-12-25"},
        {"id": "c", "date": "2021-12-26"},
        {"id": "d", "date": None},  # undated: nothing says it is new
    ]
    assert split_documents(rows, "2021-12-25") == (["c"], ["a", "b", "d"])
    assert split_documents(rows, "2022-01-01") == ([], ["a", "b", "c", "d"])
