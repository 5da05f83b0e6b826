"""Markdown and HTML renderers on a hand-written brief about the US–Russia talks.

The fixture ``data/brief_small.json`` carries hostile document text (a ``<script>`` comment, an
attribute-breaking ``"><img onerror>``, a quote containing ``</mark>`` and ``&``, a line starting
with ``#``, pipes and backticks). The schema is checked with a tiny validator for the subset of
JSON Schema the schema uses (``jsonschema`` is not a dependency of the project).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from storybrief.render.html import render_html, span_anchor
from storybrief.render.markdown import md_text, render_markdown

FIXTURE = Path(__file__).parent / "data" / "brief_small.json"


@pytest.fixture()
def brief() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


# --- schema -------------------------------------------------------------------------------------

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _schema_errors(value: Any, schema: dict[str, Any], root: dict[str, Any], where: str = "$") -> list[str]:
    """Validate against the JSON Schema keywords brief.schema.json uses; return the problems."""
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return _schema_errors(value, target, root, where)
    if "anyOf" in schema:
        options = [_schema_errors(value, option, root, where) for option in schema["anyOf"]]
        return [] if any(not o for o in options) else [f"{where}: matches no option"]
    errors: list[str] = []
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(
            (isinstance(value, int) and not isinstance(value, bool)) if n == "integer"
            else (isinstance(value, int | float) and not isinstance(value, bool)) if n == "number"
            else isinstance(value, _TYPES[n])
            for n in names
        )
        if not ok:
            return [f"{where}: {type(value).__name__} is not {names}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{where}: too short")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if numeric and not schema.get("minimum", value) <= value <= schema.get("maximum", value):
        errors.append(f"{where}: {value} out of range")
    if isinstance(value, dict):
        errors += [f"{where}: missing {key!r}" for key in schema.get("required", []) if key not in value]
        for key, item in value.items():
            if key in schema.get("properties", {}):
                errors += _schema_errors(item, schema["properties"][key], root, f"{where}.{key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += _schema_errors(item, schema["additionalProperties"], root, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += _schema_errors(item, schema["items"], root, f"{where}[{i}]")
    return errors


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    text = resources.files("storybrief.render").joinpath("brief.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def test_fixture_matches_schema(brief: dict[str, Any], schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert _schema_errors(brief, schema, schema) == []


def test_schema_check_rejects_broken_briefs(brief: dict[str, Any], schema: dict[str, Any]) -> None:
    missing = copy.deepcopy(brief)
    del missing["facts"]
    bad_kind = copy.deepcopy(brief)
    bad_kind["events"][0]["granularity"] = "fortnight"
    bad_date = copy.deepcopy(brief)
    bad_date["timeline"][0]["date"] = "Friday"
    bad_offset = copy.deepcopy(brief)
    bad_offset["summary"][0]["sources"][0]["start"] = -1
    for broken, expected in ((missing, "missing 'facts'"), (bad_kind, "fortnight"),
                             (bad_date, "Friday"), (bad_offset, "out of range")):
        errors = _schema_errors(broken, schema, schema)
        assert errors and expected in " ".join(errors)


def test_fixture_citations_are_verbatim(brief: dict[str, Any]) -> None:
    """The hand-written offsets point at the cited words (what the renderers then highlight)."""
    texts = {d["id"]: d["text"] for d in brief["documents"]}
    for item in brief["summary"] + brief["quotes"]:
        for span in item["sources"]:
            assert texts[span["document"]][span["start"]:span["end"]] == item["text"]
    for example in brief["reactions"]["representative"]:
        assert texts[example["document"]][example["start"]:example["end"]] == example["text"]


# --- markdown -----------------------------------------------------------------------------------

def test_md_text_neutralises_markdown() -> None:
    assert md_text("# 214 Comments") == "\\# 214 Comments"
    assert md_text("a | b `c` *d* [e](f)") == "a \\| b \\`c\\` \\*d\\* \\[e\\](f)"
    assert md_text("<script>x</script>") == "\\<script\\>x\\</script\\>"
    assert md_text("1. first\nsecond") == "1\\. first second"
    assert md_text("AT&amp;T & co") == "AT\\&amp;T & co"
    assert md_text("storybrief 0.1.0 - ok") == "storybrief 0.1.0 - ok"  # only line starts matter


def test_markdown_layout_and_escaping(brief: dict[str, Any]) -> None:
    text = render_markdown(brief)
    lines = text.splitlines()
    assert lines[0] == "# US–Russia talks on Ukraine security"
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == ["## What happened", "## Timeline", "## Who said what", "## People & organisations",
                        "## Corroboration", "## Where sources disagree", "## What readers said",
                        "## Sources", "## Citations", "## Errors"]
    assert "<script>" not in text and "\\<script\\>" in text
    assert "\\</mark\\> tricks & ultimatums" in text
    assert "\\`rm -rf\\` \\|" in text  # a comment's pipes cannot split a table or start code
    assert "2022-01-21 (inferred)" in text
    assert "likely misspelt as *Nate Price*" in text
    # Reader comments come after the reporting sections, under their own warning.
    assert text.index("What readers said") > text.index("Corroboration")
    assert "not reporting" in text[text.index("## What readers said"):]


def test_markdown_citations_resolve_to_the_cited_characters(brief: dict[str, Any]) -> None:
    text = render_markdown(brief)
    body, citations = text.split("## Citations")
    used = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    listed = dict(re.findall(r"^\[(\d+)\] (.+), characters \d+–\d+", citations, flags=re.M))
    assert used == {int(n) for n in listed} and len(used) >= 10
    first = brief["summary"][0]
    span = first["sources"][0]
    line = next(ln for ln in text.splitlines() if ln.startswith("- " + first["text"][:30]))
    number = re.search(r"\[(\d+)\]$", line)
    assert number is not None
    assert re.search(rf"^\[{number.group(1)}\] .*characters {span['start']}–{span['end']}", citations, re.M)


# --- html ---------------------------------------------------------------------------------------

class _Page(HTMLParser):
    """Collects what the assertions need: tags, attributes, ids, links and each mark's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: dict[str, str] = {}
        self.open_marks: list[str] = []
        self.mark_text: dict[str, str] = {}
        self.in_script = False
        self.script = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            assert attributes["id"] not in self.ids, f"duplicate id {attributes['id']}"
            self.ids[str(attributes["id"])] = tag
        if tag == "mark":
            self.open_marks.append(str(attributes.get("data-span")))
        self.in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.open_marks.pop()
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.script += data
        for span in self.open_marks:
            self.mark_text[span] = self.mark_text.get(span, "") + data


def _parse(html_text: str) -> _Page:
    page = _Page()
    page.feed(html_text)
    page.close()
    assert page.open_marks == []
    return page


def test_html_escapes_document_text(brief: dict[str, Any]) -> None:
    html_text = render_html(brief)
    page = _parse(html_text)
    assert [t for t, _ in page.tags].count("script") == 1  # ours, nothing from a document
    assert not any(t == "img" for t, _ in page.tags)
    assert not any("onerror" in attrs for _, attrs in page.tags)
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;" in html_text
    assert "&quot;&gt;&lt;img src=x onerror=" in html_text
    assert "We will not accept &lt;/mark&gt; tricks &amp; ultimatums." in html_text
    assert "<b>bold</b>" not in html_text and "&lt;b&gt;bold&lt;/b&gt;" in html_text


def test_html_makes_no_network_requests(brief: dict[str, Any]) -> None:
    html_text = render_html(brief)
    page = _parse(html_text)
    for tag, attrs in page.tags:
        assert "src" not in attrs, tag
        for name, value in attrs.items():
            if name == "href":
                assert value and value.startswith("#"), value
            assert "http" not in (value or "").lower() or name == "title", (tag, name, value)
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and "default-src 'none'" in csp and "img-src data:" in csp
    digest = base64.b64encode(hashlib.sha256(page.script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp  # only our own script may run
    # URLs appear only as text: the documents' own addresses and the link readers shared.
    assert "http://example.org/leak" in html_text
    assert not re.search(r"(src|href|action)=[\"']?(https?:)?//", html_text)


def test_every_citation_links_to_a_mark_around_the_cited_text(brief: dict[str, Any]) -> None:
    page = _parse(render_html(brief))
    texts = {d["id"]: d["text"] for d in brief["documents"]}
    links = [a["href"] for t, a in page.tags if t == "a" and "cite" in (a.get("class") or "")]
    spans = [s for group in ("summary", "facts", "quotes") for item in brief[group] for s in item["sources"]]
    spans += [s for c in brief["conflicts"] for v in c["values"] for s in v["sources"]]
    assert len(links) == len(spans) + 3  # + the reader comments cited in "What readers said"
    for span in spans:
        anchor = span_anchor(span["document"], span["start"], span["end"])
        assert f"#{anchor}" in links
        assert page.ids[anchor] == "mark"
        assert page.mark_text[anchor] == texts[span["document"]][span["start"]:span["end"]]
    for href in links:
        assert page.ids.get(str(href)[1:]) == "mark"


def test_html_timeline_picture(brief: dict[str, Any]) -> None:
    html_text = render_html(brief)
    svg = re.search(r"<svg.*?</svg>", html_text, flags=re.S)
    assert svg is not None
    picture = svg.group(0)
    assert picture.count('<g class="event">') == len(brief["events"])
    labels = re.findall(r'<text class="(ev-label[^"]*)"[^>]*>([^<]*)</text>', picture)
    assert ("ev-label inferred", "21 Jan · Blinken and Lavrov meet in Geneva (inferred)") in labels
    assert ("ev-label", "Dec 2021 · Russia announces its security demands") in labels
    # Stated day: filled marker; inferred day: hollow; month-level date: a band, not a point.
    assert re.search(r'<circle [^>]*fill="#ffffff"[^>]*stroke-dasharray', picture)
    assert re.search(r'<circle [^>]*fill="#0b5cad"', picture)
    assert '<rect x="' in picture
    # Each event links to its part of "What happened", and left-to-right order is time order.
    page = _parse(html_text)
    for event in brief["events"]:
        assert page.ids[f"ev-{event['id']}"] == "h3"
    xs = [float(x) for x in re.findall(r'<line class="stem" x1="([\d.]+)"', picture)]
    assert xs == sorted(xs)


def _inline_brief(text: str, spans: list[tuple[int, int]]) -> dict[str, Any]:
    doc = {"id": "doc1", "path": "inline.txt", "url": None, "title": "Inline", "site": None, "published": None,
           "date": None, "date_inferred": False, "language": "en", "format": "text", "duplicate_of": None,
           "event": None, "story": None, "text": text}
    facts = [{"text": text[s:e], "sources": [{"document": "doc1", "start": s, "end": e}], "support": 1}
             for s, e in spans]
    return {"storybrief": "0.1.0", "documents": [doc], "stories": [], "events": [], "summary": [],
            "facts": facts, "conflicts": [], "entities": [], "quotes": [], "timeline": [],
            "reactions": {"total": 0, "per_document": {}, "quoting_article": 0, "themes": [],
                          "representative": [], "links": []},
            "source_notes": [], "errors": []}


def test_crossing_and_nested_spans_are_all_highlighted() -> None:
    text = "Lavrov met Blinken in Geneva on Friday & talked <for> ninety minutes."
    spans = [(0, 28), (11, 38), (11, 18), (40, 69)]
    page = _parse(render_html(_inline_brief(text, spans)))
    for start, end in spans:
        anchor = span_anchor("doc1", start, end)
        assert page.ids[anchor] == "mark"
        assert page.mark_text[anchor] == text[start:end]


def test_bad_spans_and_empty_briefs_do_not_break_rendering() -> None:
    broken = _inline_brief("Short text.", [(0, 5)])
    broken["facts"].append({"text": "gone", "sources": [{"document": "doc1", "start": 3, "end": 99}], "support": 1})
    broken["facts"].append({"text": "elsewhere", "sources": [{"document": "nope", "start": 0, "end": 1}], "support": 1})
    html_text = render_html(broken)
    page = _parse(html_text)
    assert html_text.count('class="cite-bad"') == 2
    assert "#d-doc1-3-99" not in html_text and page.ids["d-doc1-0-5"] == "mark"
    assert render_markdown(broken).count("[?]") == 2
    empty = _inline_brief("", [])
    empty["documents"] = []
    assert "No summary" in render_markdown(empty)
    assert "<svg" not in render_html(empty)


def test_rendering_is_deterministic(brief: dict[str, Any]) -> None:
    assert render_html(brief) == render_html(copy.deepcopy(brief))
    assert render_markdown(brief) == render_markdown(copy.deepcopy(brief))
