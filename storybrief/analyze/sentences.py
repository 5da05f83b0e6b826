"""Sentence segmentation that keeps character offsets (placeholder, being improved)."""

from __future__ import annotations

import re

from storybrief.model import Sentence

_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


def split_sentences(text: str, doc_id: str = "", start: int = 0, end: int | None = None) -> list[Sentence]:
    """Split ``text[start:end]`` into sentences whose offsets index ``text``."""
    end = len(text) if end is None else end
    sentences: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        line_start = start + line.start()
        pos = 0
        chunk = line.group()
        for match in _BOUNDARY.finditer(chunk):
            _append(sentences, text, doc_id, line_start + pos, line_start + match.start())
            pos = match.end()
        _append(sentences, text, doc_id, line_start + pos, line_start + len(chunk))
    return sentences


def _append(out: list[Sentence], text: str, doc_id: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append(Sentence(doc_id, s, e, text[s:e]))
