"""The brief of the bundled example crawls: what a reader of the five files would check."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from eval_data import eval_rows
from test_render import _schema_errors

from storybrief.cli import EXIT_OK, EXIT_PARTIAL, main
from storybrief.labels import headline
from storybrief.links import has_link
from storybrief.model import REPORTING_LABELS
from storybrief.options import Options
from storybrief.pipeline import brief, clean
from storybrief.render.html import render_html, span_anchor
from storybrief.render.markdown import render_markdown

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCHEMA = ROOT / "storybrief" / "render" / "brief.schema.json"


def doc_id(result: dict[str, Any], name: str) -> str:
    return next(d["id"] for d in result["documents"] if d["path"].endswith(name))


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return brief([str(EXAMPLES)])


@pytest.fixture(scope="module")
def blocks() -> dict[str, list[Any]]:
    return {d.id: d.blocks for d in clean([str(EXAMPLES)]).documents}


def all_spans(result: dict[str, Any]) -> list[dict[str, Any]]:
    spans = [src for item in result["summary"] for src in item["sources"]]
    spans += [src for item in result["facts"] for src in item["sources"]]
    spans += [src for item in result["quotes"] for src in item["sources"]]
    return spans


def test_matches_the_json_schema(result: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert _schema_errors(result, schema, schema) == []


def test_three_events_in_time_order(result: dict[str, Any]) -> None:
    events = result["events"]
    assert len(events) == 3
    members = [
        {Path(p["path"]).name[:3] for p in result["documents"] if p["id"] in e["documents"]}
        for e in events
    ]
    assert members == [{"001"}, {"002", "003"}, {"000", "004"}]
    dates = [e["date"] for e in events]
    assert dates[0].startswith("2021-12") and dates[1] == "2022-01-21" and dates[2] > "2022-01-21"
    assert all(e["date_inferred"] for e in events)  # none of the files is dated
    assert [t["date"] for t in result["timeline"]] == dates


def test_every_citation_is_verbatim_reporting(
    result: dict[str, Any], blocks: dict[str, list[Any]]
) -> None:
    texts = {d["id"]: d["text"] for d in result["documents"]}
    for item in result["summary"]:
        [src] = item["sources"]
        assert texts[src["document"]][src["start"] : src["end"]] == item["text"]
    for src in all_spans(result):
        inside = [
            b for b in blocks[src["document"]] if b.start <= src["start"] and src["end"] <= b.end
        ]
        assert inside, src
        assert all(b.label in REPORTING_LABELS for b in inside), (src, [b.label for b in inside])


def test_no_comment_text_in_the_reporting(
    result: dict[str, Any], blocks: dict[str, list[Any]]
) -> None:
    comments = [b.text for bs in blocks.values() for b in bs if b.label == "comment"]
    reporting = [i["text"] for i in result["summary"]] + [f["text"] for f in result["facts"]]
    reporting += [q["text"] for q in result["quotes"]]
    for text in reporting:
        assert not any(
            text in comment or comment in text for comment in comments if len(comment) > 30
        )
    assert "Clean up in aisle 4!" not in json.dumps(result["summary"] + result["facts"])


def test_summary_is_grouped_by_event_within_budget(result: dict[str, Any]) -> None:
    assert sum(len(i["text"].split()) for i in result["summary"]) <= Options().words
    order = [e["id"] for e in result["events"]]
    positions = [order.index(i["event"]) for i in result["summary"]]
    assert positions == sorted(positions)  # ordered by time
    assert len({i["text"] for i in result["summary"]}) == len(result["summary"])


def _cited_files(result: dict[str, Any], item: dict[str, Any]) -> set[str]:
    paths = {d["id"]: Path(d["path"]).name[:3] for d in result["documents"]}
    return {paths[src["document"]] for src in item["sources"]}


#: Each seed event's main news, as patterns its sentences must match, with its files.
SEED_NEWS = [
    # December: US officials (Donfried's briefing) said talks could begin in January.
    ({"001"}, [r"talks\b.*could begin in January"]),
    # 21 January: Blinken and Lavrov met in Geneva; the US promised written answers.
    ({"002", "003"}, [r"\bGeneva\b|\bmeeting\b|\bmet\b", r"\bwritten (?:answers|response)"]),
    # 25 January: Blinken and Lavrov's phone call.
    ({"000", "004"}, [r"Blinken spoke with .*Lavrov|phone call"]),
]


def test_each_event_has_its_main_news_as_its_line(result: dict[str, Any]) -> None:
    texts = {d["id"]: d["text"] for d in result["documents"]}
    lines = [e["summary"] for e in result["events"]]
    for line in lines:
        [src] = line["sources"]
        assert texts[src["document"]][src["start"] : src["end"]] == line["text"]
    for line, (files, patterns) in zip(lines, SEED_NEWS, strict=True):
        assert _cited_files(result, line) <= files
        for pattern in patterns:
            assert re.search(pattern, line["text"]), (pattern, line["text"])


def test_the_summary_tells_each_event_by_its_main_news(result: dict[str, Any]) -> None:
    """The top summary, not only the events section, says each event's news, cited to the
    event's own files and in the event's group."""
    events = [e["id"] for e in result["events"]]
    for event_id, (files, patterns) in zip(events, SEED_NEWS, strict=True):
        items = [i for i in result["summary"] if i["event"] == event_id]
        assert items and all(_cited_files(result, i) <= files for i in items)
        for pattern in patterns:
            assert any(re.search(pattern, i["text"]) for i in items), (pattern, items)
    # What the December article reports first: its news, not "Moscow is seeking…".
    december = [i["text"] for i in result["summary"] if i["event"] == events[0]]
    assert re.search(SEED_NEWS[0][1][0], december[0])


def test_timeline_tells_each_event_by_its_line(result: dict[str, Any]) -> None:
    assert [t["text"] for t in result["timeline"]] == [
        e["summary"]["text"] for e in result["events"]
    ]


def test_one_blinken_with_the_translation_misspellings(result: dict[str, Any]) -> None:
    blinkens = [e for e in result["entities"] if "Blinken" in e["name"] or "Blingen" in e["name"]]
    assert len(blinkens) == 1
    [blinken] = blinkens
    assert blinken["name"] == "Antony Blinken" and blinken["type"] == "person"
    variants = {v["text"] for v in blinken["variants"]}
    assert {"Mr Blinken", "Blingen", "Anthony J. Blingen"} <= variants
    assert "Blingen" in blinken["misspellings"] and "Mr Blinken" not in blinken["misspellings"]
    lavrovs = [e for e in result["entities"] if "Lavrov" in e["name"]]
    assert len(lavrovs) == 1 and {"Sergey Lavrov", "Lavrov"} <= {
        v["text"] for v in lavrovs[0]["variants"]
    }


def test_quotes_have_the_right_speakers(result: dict[str, Any]) -> None:
    def speaker_of(fragment: str) -> str | None:
        return next(q["speaker"] for q in result["quotes"] if fragment in q["text"])

    assert speaker_of("This is a critical moment") == "Antony Blinken"
    assert speaker_of("Imagine that Ukraine becomes a NATO member") == "Vladimir Putin"
    assert speaker_of("We will decide on a date together with Russia") == "Karen Donfried"
    assert speaker_of("There are no minor incursions") == "Volodymyr Zelensky"
    # A quote split by its attribution keeps its verbatim parts, joined by an ellipsis.
    assert any(
        "military operations … Should we fight NATO then?" in q["text"] for q in result["quotes"]
    )
    critical = next(q for q in result["quotes"] if "This is a critical moment" in q["text"])
    assert len(critical["sources"]) == 2  # said in the report and again in the glued post


def test_hundred_thousand_troops_has_two_independent_sources(result: dict[str, Any]) -> None:
    troops = [f for f in result["facts"] if "100,000 troops" in f["text"]]
    assert len(troops) == 1 and troops[0]["support"] == 2
    assert {s["document"] for s in troops[0]["sources"]} == {
        doc_id(result, "003_06a713c4930c40d3.txt"),
        doc_id(result, "004_e3dd5379f5f7fb89.txt"),
    }


def test_reader_reaction_and_source_notes(result: dict[str, Any]) -> None:
    reactions = result["reactions"]
    assert reactions["total"] > 70 and reactions["quoting_article"] >= 2
    assert reactions["per_document"][doc_id(result, "004_e3dd5379f5f7fb89.txt")] == 0
    assert any("thesaker.is" in link["url"] for link in reactions["links"])
    notes = {n["document"]: n for n in result["source_notes"]}
    assert notes[doc_id(result, "003_06a713c4930c40d3.txt")]["kind"] == "mixed"
    translated = notes[doc_id(result, "004_e3dd5379f5f7fb89.txt")]
    assert any("Blingen" in sign for sign in translated["machine_translation"])
    assert not notes[doc_id(result, "000_14b6d52274cd5d96.txt")]["machine_translation"]


def test_words_option_is_a_hard_budget() -> None:
    for words in (30, 60, 120):
        short = brief([str(EXAMPLES)], Options(words=words))
        assert 0 < sum(len(i["text"].split()) for i in short["summary"]) <= words


def test_markdown_and_html_of_the_real_brief(result: dict[str, Any]) -> None:
    markdown = render_markdown(result)
    assert "## What happened" in markdown and "Antony Blinken" in markdown
    page = render_html(result)
    for item in result["summary"]:
        src = item["sources"][0]
        anchor = span_anchor(src["document"], src["start"], src["end"])
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert "<svg" in page
    assert not re.search(r"""(src|href)=["']https?:""", page)


def test_document_text_cannot_run_in_the_report(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "Officials said on Monday that talks on Ukraine would continue in Geneva next week.\n"
        "The <script>document.title='pwned'</script> minister said the meeting was useful.\n",
        encoding="utf-8",
    )
    page = render_html(brief([str(hostile)]))
    assert "<script>document.title" not in page
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page


def test_cli_brief_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "brief.json"
    assert main(["brief", str(EXAMPLES), "--format", "json", "-o", str(out), "-q"]) == EXIT_OK
    assert len(json.loads(out.read_text("utf-8"))["events"]) == 3
    assert (
        main(["brief", str(EXAMPLES / "003_06a713c4930c40d3.txt"), "nope.txt", "-q"])
        == EXIT_PARTIAL
    )
    captured = capsys.readouterr()
    assert captured.out.startswith("# ") and "nope.txt: no such file or directory" in captured.err
    html_out = tmp_path / "brief.html"
    assert main(["brief", str(EXAMPLES), "--format", "html", "-o", str(html_out), "-q"]) == EXIT_OK
    assert html_out.read_text("utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.skipif(
    not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()), reason="no chromium"
)
def test_real_brief_in_a_headless_browser(result: dict[str, Any], tmp_path: Path) -> None:
    from test_html_browser import _run

    page = tmp_path / "brief.html"
    page.write_text(render_html(result), encoding="utf-8")
    first = result["summary"][0]["sources"][0]
    anchor = span_anchor(first["document"], first["start"], first["end"])
    dom = _run(["--dump-dom", f"{page.as_uri()}#{anchor}"], tmp_path)
    assert f'id="{anchor}"' in dom and "<svg" in dom
    assert "Antony Blinken" in dom


@pytest.mark.parametrize(
    ("focus", "word"), [("How many troops are near Ukraine?", "troops"), ("sanctions", "sanction")]
)
def test_focus_leans_the_summary_towards_the_question(focus: str, word: str) -> None:
    for words in (60, 250):
        plain = brief([str(EXAMPLES)], Options(words=words))
        focused = brief([str(EXAMPLES)], Options(words=words, focus=focus))
        count = [sum(word in i["text"].lower() for i in b["summary"]) for b in (plain, focused)]
        assert count[1] > count[0], (words, count)
        assert all(e["summary"] for e in focused["events"])


def test_forked_entity_worker_gives_the_same_brief(monkeypatch: pytest.MonkeyPatch) -> None:
    import storybrief.brief as brief_module

    docs = clean([str(EXAMPLES)]).documents
    monkeypatch.setattr(brief_module, "PARALLEL_MIN_WORDS", 10**9)
    inline = brief_module.build_brief(docs)
    monkeypatch.setattr(brief_module, "PARALLEL_MIN_WORDS", 0)
    forked = brief_module.build_brief(docs)
    assert forked == inline


def test_quote_speakers_use_the_merged_entity_names(result: dict[str, Any]) -> None:
    speakers = {q["speaker"] for q in result["quotes"]}
    assert not {"Anthony Blingen", "Sergey Lavrov", "Blinken"} & speakers
    translated = next(q for q in result["quotes"] if "territorial integrity" in q["text"])
    assert translated["speaker"] == "Antony Blinken"
    assert "Anthony Blingen" in translated["speaker_as_written"]
    truss = next(q for q in result["quotes"] if "desist and step back" in q["text"])
    assert truss["speaker"] == "Liz Truss"  # not "Britain", named in the same phrase


def test_event_labels_are_headlines_or_leads(result: dict[str, Any]) -> None:
    titles = {d["title"] for d in result["documents"] if d["title"]}
    texts = [d["text"] for d in result["documents"]]
    for event in result["events"]:
        label = event["label"]
        headline = any(label in title for title in titles)
        lead = any(label.removesuffix(" …") in text for text in texts)
        assert headline or lead, label
    first = result["events"][0]["label"]  # the December page has no headline: its lead
    assert first.startswith("A US State Department official said Tuesday that bilateral talks")


def _reads_as_headline_or_lead(label: str, docs: list[dict[str, Any]]) -> bool:
    if any(label == headline(d["title"]) for d in docs):
        return True
    opening = label.removesuffix(" …")
    flat = [" ".join(d["text"].split()) for d in docs]
    return len(opening.split()) >= 4 and any(opening in text for text in flat)


@pytest.fixture(scope="module")
def tokenised_pile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A real pile a new user briefed: ECB+ pages about T-Mobile's BlackBerry phones, tokenised
    ("T - Mobile"), most opening with their address ("http: / / www. tmonews. com / …"),
    as JSON Lines records without a title; every third one has its url."""
    rows = [r for r in eval_rows("stories/ecbplus-val.jsonl.gz") if r["topic"] == "42"]
    pile = tmp_path_factory.mktemp("pile") / "ecb.jsonl"
    records = [
        {"text": r["text"], **({"url": f"https://news.example/{n}"} if n % 3 == 0 else {})}
        for n, r in enumerate(rows)
    ]
    pile.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return pile, brief([str(pile)])


def test_labels_of_a_real_pile_read_as_headlines_or_leads(
    tokenised_pile: tuple[Path, dict[str, Any]],
) -> None:
    _, result = tokenised_pile
    docs = {d["id"]: d for d in result["documents"]}
    labelled = [(e["label"], e["documents"]) for e in result["events"]]
    labelled += [(s["label"], s["documents"]) for s in result["stories"]]
    assert len(labelled) >= 4
    for label, ids in labelled:
        assert not has_link(label), label
        assert _reads_as_headline_or_lead(label, [docs[i] for i in ids]), label  # not key terms


def test_no_web_address_reaches_a_summary_or_a_fact(
    tokenised_pile: tuple[Path, dict[str, Any]],
) -> None:
    _, result = tokenised_pile
    assert sum(d["text"].startswith("http") for d in result["documents"]) >= 10
    sentences = [s["text"] for s in result["summary"]]
    sentences += [s["text"] for story in result["stories"] for s in story["summary"]]
    assert sentences and result["facts"]
    assert not [t for t in sentences if has_link(t)]
    assert not [f["text"] for f in result["facts"] if has_link(f["text"])]


def test_records_are_named_by_their_url_or_first_reporting_line(
    tokenised_pile: tuple[Path, dict[str, Any]],
) -> None:
    pile, result = tokenised_pile
    for n, doc in enumerate(result["documents"]):
        assert doc["path"] == str(pile) and doc["name"] != doc["path"]
        if doc["title"]:
            assert doc["name"] == doc["title"]
        elif n % 3 == 0:
            assert doc["name"] == f"https://news.example/{n}"
        else:  # its first reporting line, after the address line the cleaner set aside
            assert not has_link(doc["name"]) and len(doc["name"].split()) <= 17
            assert doc["name"].removesuffix(" …") in " ".join(doc["text"].split())
    markdown = render_markdown(result)
    assert f"### {pile}" not in markdown and "### https://news.example/0" in markdown


def test_a_quoted_subheading_does_not_rename_the_quote(tmp_path: Path) -> None:
    # A sub-heading that repeats a quote follows another speaker's paragraph; the full quote,
    # attributed later, is one quote with the sub-heading and keeps its own speaker.
    (tmp_path / "coal.txt").write_text(
        "Coal Bankruptcies Leave Miners Waiting\n\n"
        "The state says the company could cover the costs of cleaning up its mines.\n\n"
        "\"These are strange days,\" said Peter Morgan, a lawyer for the Sierra Club. "
        "\"I am skeptical the company can pull it off.\"\n\n"
        "'Liability Dump in the Coal Fields.'\n\n"
        "Patriot took over many of the unionized mines, while Peabody kept its other mines.\n\n"
        "\"The story in the coal fields is that Patriot was a liability dump in the coal fields,\" "
        "said Kevin Barrett, a lawyer who represents the state in the bankruptcy cases.\n",
        encoding="utf-8",
    )
    result = brief([str(tmp_path)])
    (dump,) = [q for q in result["quotes"] if "liability dump" in q["text"].lower()]
    assert dump["speaker"] == "Kevin Barrett"
    assert dump["text"].startswith("The story in the coal fields")
    assert dump["cue"] == "said" and dump["kind"] == "direct"


def test_quotes_are_ranked_for_the_reader(result: dict[str, Any]) -> None:
    # Carried by more documents first, then with a speaker, direct before partial (in the
    # examples each quote is in one report: Putin's direct quotes come before his partial ones).
    quotes = result["quotes"]
    keys = [(-len(q["documents"]), q["speaker"] is None, q["kind"] != "direct") for q in quotes]
    assert keys == sorted(keys)
    assert {q["kind"] for q in quotes} == {"direct", "partial"}
    for story in result["stories"]:
        story_keys = [(-len(q["documents"]), q["speaker"] is None) for q in story["quotes"]]
        assert story_keys == sorted(story_keys)
