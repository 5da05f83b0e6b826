"""Piles of many stories and many documents: story-by-story briefs, blocked analysis that
gives the all-pairs result, per-document isolation of failures, progress of the stages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_render import _schema_errors
from test_stories import QUAKE_CHILE, QUAKE_CHILE_2, QUAKE_JAPAN, QUAKE_JAPAN_2

import storybrief.brief as brief_module
from storybrief.analyze.entities import _CloseWords, similarity
from storybrief.analyze.stories import STORY_DISTANCE, cluster_stories, story_vectors
from storybrief.cli import EXIT_PARTIAL, main
from storybrief.pipeline import brief
from storybrief.render.html import render_html
from storybrief.render.markdown import render_markdown

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCHEMA = ROOT / "storybrief" / "render" / "brief.schema.json"


@pytest.fixture(scope="module")
def pile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five example crawls (one story) and two two-article earthquake stories."""
    where = tmp_path_factory.mktemp("pile")
    for path in EXAMPLES.glob("*.txt"):
        shutil.copy(path, where / path.name)
    for name, text in (("chile-1", QUAKE_CHILE), ("chile-2", QUAKE_CHILE_2),
                       ("japan-1", QUAKE_JAPAN), ("japan-2", QUAKE_JAPAN_2)):
        (where / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    return where


@pytest.fixture(scope="module")
def result(pile: Path) -> dict[str, Any]:
    return brief([str(pile)])


def _names(result: dict[str, Any], ids: list[str]) -> set[str]:
    paths = {d["id"]: Path(d["path"]).name for d in result["documents"]}
    return {paths[i][:5] for i in ids}


def test_a_pile_of_stories_is_briefed_story_by_story(result: dict[str, Any]) -> None:
    stories = result["stories"]
    assert [len(s["documents"]) for s in stories] == [5, 2, 2]  # largest first
    assert _names(result, stories[1]["documents"]) == {"chile"}
    assert _names(result, stories[2]["documents"]) == {"japan"}
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert _schema_errors(result, schema, schema) == []
    for story in stories:
        assert set(story) == {"id", "label", "documents", "events", "summary", "quotes", "facts",
                              "conflicts", "entities"}
        members = set(story["documents"])
        assert story["summary"], story["id"]
        assert all(src["document"] in members for s in story["summary"] for src in s["sources"])
        assert all(src["document"] in members for q in story["quotes"] for src in q["sources"])
        assert all(set(e["documents"]) <= members for e in story["entities"])
        assert {e["story"] for e in result["events"] if e["id"] in story["events"]} == {story["id"]}
    # The crawls' story holds its quotes and facts; the quake stories hold theirs.
    assert any("critical moment" in q["text"] for q in stories[0]["quotes"])
    assert any("100,000 troops" in f["text"] for f in stories[0]["facts"])
    assert any(e["name"] == "Iquique" for e in stories[1]["entities"])
    assert not any(e["name"] == "Iquique" for e in stories[2]["entities"])
    # The top-level lists hold every story's items.
    assert len(result["quotes"]) == sum(len(s["quotes"]) for s in stories)
    assert len(result["facts"]) == sum(len(s["facts"]) for s in stories)


def test_views_show_a_section_per_story(result: dict[str, Any]) -> None:
    markdown = render_markdown(result)
    assert "## Stories" in markdown and markdown.count("\n### ") >= 3
    assert "Iquique" in markdown.split("## Stories")[1].split("## Timeline")[0]
    page = render_html(result)
    assert 'id="stories"' in page and 'href="#stories"' in page


def test_blocked_story_clustering_gives_the_all_pairs_partition() -> None:
    """From 60 documents the clustering is blocked by an index; same partition as all pairs."""
    from scipy.cluster.hierarchy import fcluster, linkage

    paragraphs = [
        line
        for path in sorted(EXAMPLES.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if len(line.split()) >= 25
    ]
    docs = [(f"p{i}", text) for i, text in enumerate(paragraphs[:120])]
    docs += [("c1", QUAKE_CHILE), ("j1", QUAKE_JAPAN), ("c2", QUAKE_CHILE_2), ("j2", QUAKE_JAPAN_2)]
    assert len(docs) >= 64
    vectors = story_vectors([text for _, text in docs])
    distances = 1.0 - np.clip(vectors @ vectors.T, 0.0, 1.0)
    labels = fcluster(
        linkage(distances[np.triu_indices(len(docs), k=1)], method="average"),
        t=STORY_DISTANCE,
        criterion="distance",
    )
    expected: dict[int, list[str]] = {}
    for (doc_id, _), label in zip(docs, labels, strict=True):
        expected.setdefault(int(label), []).append(doc_id)
    found = cluster_stories(docs)
    assert found == list(expected.values())
    assert 2 < len(found) < len(docs)  # not a trivial partition


def test_close_words_finds_what_all_pairs_would() -> None:
    words = ["Blinken", "Blingen", "Biden", "Lavrov", "Lavrow", "Sergey", "Sergei", "Putin",
             "Price", "Prise", "Zelensky", "Zelenskyy", "Kim", "Truss"]
    index = _CloseWords(words)
    for word in words:
        for cutoff in (0.6, 0.8, 0.85, 1.0):
            brute = {w.casefold() for w in words if similarity(word, w) >= cutoff}
            assert index.find(word, cutoff) == brute, (word, cutoff)


def test_a_failing_analysis_of_one_document_is_that_documents_error(
    monkeypatch: pytest.MonkeyPatch, pile: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real_quotes = brief_module.extract_quotes
    real_facts = brief_module.find_facts

    def quotes(text: str, doc_id: str) -> Any:
        if "Iquique ran into the streets" in text:
            raise StopIteration
        return real_quotes(text, doc_id)

    def facts(sentences: Any, duplicate_of: Any = None) -> Any:
        if any("Fukushima Daini" in s.text for s in sentences):
            raise KeyError("boom")
        return real_facts(sentences, duplicate_of)

    monkeypatch.setattr(brief_module, "extract_quotes", quotes)
    monkeypatch.setattr(brief_module, "find_facts", facts)
    out = tmp_path / "brief.json"
    assert main(["brief", str(pile), "--format", "json", "-o", str(out), "-q"]) == EXIT_PARTIAL
    result = json.loads(out.read_text(encoding="utf-8"))
    reasons = {Path(e["source"]).name: e["reason"] for e in result["errors"]}
    assert reasons == {"chile-2.txt": "quotes: StopIteration", "japan-1.txt": "facts: KeyError: 'boom'"}
    assert "chile-2.txt: quotes: StopIteration" in capsys.readouterr().err
    assert len(result["documents"]) == 9 and len(result["stories"]) == 3
    # Only the failing stage loses the document; the rest of the brief is whole.
    assert any("critical moment" in q["text"] for q in result["quotes"])
    assert any("100,000 troops" in f["text"] for f in result["facts"])
    chile_2 = next(d["id"] for d in result["documents"] if d["path"].endswith("chile-2.txt"))
    assert chile_2 in result["stories"][1]["documents"]  # still in its story
    assert not any(src["document"] == chile_2 for q in result["quotes"] for src in q["sources"])
    japan = result["stories"][2]
    assert japan["summary"] and japan["facts"] == []  # only its facts are lost


def test_progress_reports_the_analysis_stages(pile: Path) -> None:
    calls: list[tuple[str, int, str]] = []

    def record(item: str, total: int, stage: str = "reading") -> None:
        calls.append((item, total, stage))

    brief([str(pile)], progress=record)
    stages = list(dict.fromkeys(stage for _, _, stage in calls))
    assert stages[:4] == ["reading", "cleaning", "stories", "sentences"]
    assert {"story briefs", "summary", "entities", "reactions", "source notes"} <= set(stages)
    assert [total for _, total, stage in calls if stage == "story briefs"] == [3, 3, 3]
    assert sum(stage == "reading" for _, _, stage in calls) == 9
