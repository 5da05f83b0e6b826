"""Fuzz: the whole brief (read, clean, analyze, summarize, all three renderers) on many
generated small texts must never raise.

The texts are built from the pieces that broke real runs (issue 10): quotes of every kind
next to URLs whose paths hold speech verbs ("how-we-said-it"), brackets, odd punctuation,
names and titles, dates, mixed scripts, emoji, empty lines. Kept to ~20 s of CI time.
"""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from storybrief.brief import build_brief
from storybrief.clean import clean_documents
from storybrief.options import Options
from storybrief.read import read_bytes
from storybrief.render.html import render_html
from storybrief.render.markdown import render_markdown

#: Examples per test; the whole file stays around 20 s on CI. A longer hunt:
#: ``STORYBRIEF_FUZZ_EXAMPLES=1000 python -m pytest tests/test_fuzz.py``.
FUZZ_EXAMPLES = int(os.environ.get("STORYBRIEF_FUZZ_EXAMPLES", "100"))

WORDS = (
    "The mayor said on Monday that the city budget would pass . "
    "Officials told reporters according to a spokesman , adding : "
    "Mr. Smith Dr. Jones President Biden Vladimir Putin Nato U.S. EU "
    "he she they it we who which said says told tweeted warned added noted "
    "pointed out according to continued insisted asked denied "
    "January 5 2022 last week on Tuesday yesterday tomorrow 2021-12-01 "
    "100 3.5% $1bn 12:30 No. 7"
).split()
PIECES = [
    '"', '"', "“", "”", "‘", "’", "'", "«", "»", "„", "(", ")", "[", "]", "{", "}", "<", ">",
    ",", ".", ";", ":", "!", "?", "…", "—", "–", "-", "/", "\\", "*", "#", "@", "&", "|",
    "http://example.com/how-we-said-it", "https://t.co/x?said=1&told=2", "www.example.org",
    "said-so", "well-told", "he’s", "O'Brien", "d'Estaing", "e.g.", "i.e.", "U.S.-Russia",
    "Москва", "сказал", "北京", "说", "Ελλάδα", "مرحبا", "שלום", "café", "naïve", "🙂", "👍🏽",
    "\u200b", "\u00a0", "\t", "\ufeff", "\u0301", "\ufffd",
]
token = st.one_of(st.sampled_from(WORDS), st.sampled_from(PIECES), st.text(max_size=6))
line = st.lists(token, max_size=25).map(" ".join) | st.lists(token, max_size=12).map("".join)
text = st.lists(line, min_size=1, max_size=12).map("\n".join)
SETTINGS = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    phases=[Phase.explicit, Phase.generate],  # shrinking a slow brief takes minutes
)


def _brief_and_render(pages: list[str], options: Options, suffix: str = "txt") -> None:
    docs = []
    for n, page in enumerate(pages):
        found, _errors = read_bytes(page.encode("utf-8", "surrogatepass"), f"page{n}.{suffix}")
        docs.extend(found)
    clean_documents(docs)
    result = build_brief(docs, [], options)
    json.dumps(result, ensure_ascii=False).encode("utf-8")  # the JSON output is valid UTF-8
    render_markdown(result).encode("utf-8")
    render_html(result).encode("utf-8")


@SETTINGS
@given(st.lists(text, min_size=1, max_size=3))
def test_brief_never_raises_on_generated_texts(pages: list[str]) -> None:
    _brief_and_render(pages, Options())


@SETTINGS
@given(text, st.integers(min_value=1, max_value=60), st.one_of(st.none(), line))
@example("The mayor\nwww.example.org12:30The\nThe mayor", 1, None)  # port "30The": ValueError
def test_brief_never_raises_with_odd_options(page: str, words: int, focus: str | None) -> None:
    _brief_and_render([page, page + "\nMore text said the mayor."], Options(words=words, focus=focus))


@settings(SETTINGS, max_examples=max(1, FUZZ_EXAMPLES // 3))
@given(st.lists(line, min_size=1, max_size=10))
def test_brief_never_raises_on_generated_html(lines: list[str]) -> None:
    from html import escape

    body = "".join(f"<p>{escape(x)}</p>" for x in lines)
    page = f"<html><head><title>{escape(lines[0])}</title></head><body><article>{body}</article></body></html>"
    _brief_and_render([page], Options(), suffix="html")
