"""Features of one line of a plain-text page, for telling reporting from reader comments.

Shared by the labeller (``lines.py``) and the training script, so that a model is always
scored on exactly the features it was trained on. Features are sparse ``name -> value``
dicts: a few word features (pronouns, chat words and reporting verbs are the strongest
lexical signals) plus the line's shape, where it stands, and whether it repeats text seen
earlier on the page (readers paste article sentences; articles do not repeat themselves).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storybrief.clean.furniture import is_furniture

Features = dict[str, float]

_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")
_URL_RE = re.compile(r"https?://|www\.", re.IGNORECASE)
_TIME_RE = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE)
_DATE_RE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(st|nd|rd|th)?,? \d{4}"
    r"|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b",
    re.IGNORECASE,
)
_CAPITALISED_RE = re.compile(r"\b[A-Z][a-z]+")
_SHINGLE = 4  # words per shingle when looking for text repeated from earlier lines
# Lines on each side whose words describe a line's surroundings ("ctx:" features): a
# comment thread's style shows over a few lines even when one line is neutral.
CONTEXT_WINDOW = 3
# A line this long that repeats earlier text is a paste, not a short stock phrase.
LONG_LINE_WORDS = 8


def _bucket(value: float, edges: Sequence[float]) -> int:
    for i, edge in enumerate(edges):
        if value < edge:
            return i
    return len(edges)


def _words(line: str) -> list[str]:
    return _WORD_RE.findall(line.lower().replace("’", "'"))


def _shingles(words: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def shape_features(line: str) -> Features:
    """Features of the line on its own: its words and its shape."""
    text = line.strip()
    words = _words(text)
    feats: Features = {"bias": 1.0}
    for word in set(words):
        feats["w=" + ("<num>" if word.isdigit() else word)] = 1.0
    n_words = len(text.split())
    if n_words >= LONG_LINE_WORDS:
        feats["long_line"] = 1.0
    feats[f"words_b{_bucket(n_words, (2, 4, 8, 16, 32, 64))}"] = 1.0
    last = text[-1] if text else ""
    if last in ".!?":
        feats["end=" + last] = 1.0
    elif last in "\"”’'":
        feats["end=quote"] = 1.0
    elif last == ":":
        feats["end=colon"] = 1.0
    elif last.isalnum():
        feats["end=alnum"] = 1.0
    else:
        feats["end=other"] = 1.0
    first = text[0] if text else ""
    if first.islower():
        feats["start=lower"] = 1.0
    elif first in "\"“‘'":
        feats["start=quote"] = 1.0
    elif first in "-•*–—":
        feats["start=bullet"] = 1.0
    if _URL_RE.search(text):
        feats["has_url"] = 1.0
        if len(text.split()) == 1:
            feats["only_url"] = 1.0
    if _TIME_RE.search(text):
        feats["has_time"] = 1.0
    if _DATE_RE.search(text):
        feats["has_date"] = 1.0
    if "?" in text:
        feats["has_question"] = 1.0
    if "!" in text:
        feats["has_exclaim"] = 1.0
    if "..." in text or "…" in text:
        feats["has_ellipsis"] = 1.0
    if n_words >= 4:
        caps = len(_CAPITALISED_RE.findall(text)) / n_words
        feats[f"caps_b{_bucket(caps, (0.1, 0.2, 0.35, 0.6))}"] = 1.0
    if is_furniture(text):
        feats["furniture"] = 1.0
    if n_words >= 3 and sum(1 for w in text.split() if w.isupper() and len(w) > 2) / n_words > 0.3:
        feats["shouting"] = 1.0
    return feats


def page_features(lines: Sequence[str]) -> list[Features]:
    """Features of every line of one page, including where it stands and what it repeats."""
    shapes = [shape_features(line) for line in lines]
    n = len(lines)
    seen: set[tuple[str, ...]] = set()
    out: list[Features] = []
    for i, line in enumerate(lines):
        feats = dict(shapes[i])
        feats[f"index_b{_bucket(i, (1, 3, 8, 20))}"] = 1.0
        shingles = _shingles(_words(line))
        if shingles:
            repeated = len(shingles & seen) / len(shingles)
            if repeated >= 0.5:
                feats["repeats_earlier"] = 1.0
            elif repeated > 0:
                feats["repeats_some"] = 1.0
        seen |= shingles
        # The neighbours' shape tells a lot about a short line ("Thank you.", a user name).
        for prefix, j in (("prev:", i - 1), ("next:", i + 1)):
            if 0 <= j < n:
                for key in shapes[j]:
                    if not key.startswith("w=") and key != "bias":
                        feats[prefix + key] = 1.0
                if len(lines[j].split()) <= 6:
                    for key in shapes[j]:
                        if key.startswith("w="):
                            feats[prefix + key] = 1.0
        out.append(feats)
    for i, feats in enumerate(out):
        window = [
            j for j in range(i - CONTEXT_WINDOW, i + CONTEXT_WINDOW + 1) if j != i and 0 <= j < n
        ]
        for j in window:
            for key in shapes[j]:
                if key != "bias":
                    name = "ctx:" + key
                    feats[name] = feats.get(name, 0.0) + 1.0 / len(window)
    return out
