"""Label every line of a plain-text page: title, heading, body, comment or boilerplate.

How a page is labelled, in order:

1. Split the text into non-blank lines, keeping each line's character span.
2. Decide for each line whether it belongs to the *reporting zone* or the *comment zone*:
   a logistic-regression model scores each line (features in ``line_features.py``), and a
   two-state Viterbi pass turns those scores into zones. Pages are reporting first, then
   comments; the transition costs make a switch rare, so one chatty article sentence or one
   formal comment does not flip a zone, while a second post glued after the comments can
   still start a new reporting zone.
3. Inside either zone, site furniture found by the rules in ``furniture.py`` becomes
   ``boilerplate``.
4. Inside the reporting zone, the first line of a post that reads like a headline becomes
   the ``title`` (a name-only line under it is a byline, ``boilerplate``), and short
   headline-like lines between paragraphs become ``heading``s.

The model's parameters are in ``line_model.json`` next to this file, written by
``scripts/train_line_model.py`` (see that script for the data and how it was trained).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from storybrief.clean.furniture import is_furniture, looks_like_byline
from storybrief.clean.line_features import Features, page_features
from storybrief.model import Block, BlockLabel

REPORTING, COMMENTS = 0, 1

# Headline shape: no sentence-final punctuation and not too long. Calibrated on the
# example crawls' titles (9-16 words) with room for longer wire headlines.
TITLE_MAX_WORDS = 25
HEADING_MAX_WORDS = 14
# How many lines under a title may hold its byline/date/category furniture.
BYLINE_WINDOW = 3

# Comment probability of a long line that repeats earlier text of the page (see above).
PASTED_LINE_COMMENT_PROBABILITY = 0.99

_SENTENCE_END_RE = re.compile(r"[.!?…][\"”’')\]]*$")


@dataclass
class LineModel:
    """Linear scores for 'this line is a comment' plus zone transition log-probabilities."""

    weights: dict[str, float]
    #: log P(zone_i | zone_{i-1}) as [[rep->rep, rep->com], [com->rep, com->com]].
    log_transitions: list[list[float]]
    #: log P(zone of the first line) as [reporting, comments].
    log_start: list[float]
    meta: dict[str, Any] = field(default_factory=dict)
    #: The same transitions into a line that is (or stands just above) a comment-section
    #: opener or a comment's metadata line, where real pages switch to their comments.
    log_transitions_marked: list[list[float]] | None = None

    def comment_probability(self, feats: Features) -> float:
        if feats.get("repeats_earlier") and feats.get("long_line"):
            # An article does not repeat its own sentences; a reader pasting one does. This
            # holds for any page, so it is a rule rather than a weight the data must teach.
            return PASTED_LINE_COMMENT_PROBABILITY
        score = sum(self.weights.get(name, 0.0) * value for name, value in feats.items())
        return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))

    def zones(self, feats: list[Features]) -> tuple[list[int], list[float]]:
        """The most likely zone of each line (Viterbi), and each line's comment probability."""
        probs = [self.comment_probability(f) for f in feats]
        if not probs:
            return [], []
        eps = 1e-6
        emit = [(math.log(max(1 - p, eps)), math.log(max(p, eps))) for p in probs]
        marks = marked_lines(feats)
        score = [self.log_start[z] + emit[0][z] for z in (REPORTING, COMMENTS)]
        back: list[tuple[int, int]] = []
        for i, e in enumerate(emit[1:], start=1):
            trans = self.transitions_into(marks[i])
            step = []
            new_score = []
            for z in (REPORTING, COMMENTS):
                from_reporting = score[REPORTING] + trans[REPORTING][z]
                from_comments = score[COMMENTS] + trans[COMMENTS][z]
                best_prev = REPORTING if from_reporting >= from_comments else COMMENTS
                step.append(best_prev)
                new_score.append(score[best_prev] + trans[best_prev][z] + e[z])
            back.append((step[0], step[1]))
            score = new_score
        zone = REPORTING if score[REPORTING] >= score[COMMENTS] else COMMENTS
        path = [zone]
        for step_back in reversed(back):
            zone = step_back[zone]
            path.append(zone)
        path.reverse()
        return path, probs

    def transitions_into(self, marked: bool) -> list[list[float]]:
        if marked and self.log_transitions_marked is not None:
            return self.log_transitions_marked
        return self.log_transitions

    def to_json(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "log_start": self.log_start,
            "log_transitions": self.log_transitions,
            "log_transitions_marked": self.log_transitions_marked,
            "weights": dict(sorted(self.weights.items())),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LineModel:
        return cls(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            log_transitions=[[float(x) for x in row] for row in data["log_transitions"]],
            log_start=[float(x) for x in data["log_start"]],
            meta=dict(data.get("meta", {})),
            log_transitions_marked=(
                [[float(x) for x in row] for row in data["log_transitions_marked"]]
                if data.get("log_transitions_marked")
                else None
            ),
        )

    @classmethod
    def load(cls, path: str | Path | None = None) -> LineModel:
        if path is None:
            return _default_model()
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def marked_lines(feats: list[Features]) -> list[bool]:
    """Lines where a switch to comments is structurally expected: an opener or metadata line
    itself, or the line just above a metadata line (many sites print the name after the text)."""

    def mark(f: Features) -> bool:
        return "opener_here" in f or "meta_here" in f

    n = len(feats)
    return [mark(feats[i]) or (i + 1 < n and "meta_here" in feats[i + 1]) for i in range(n)]


@lru_cache(maxsize=1)
def _default_model() -> LineModel:
    text = resources.files("storybrief.clean").joinpath("line_model.json").read_text("utf-8")
    return LineModel.from_json(json.loads(text))


def split_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines of ``text``, without surrounding white space."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def _headline_like(line: str, max_words: int) -> bool:
    words = line.split()
    return 0 < len(words) <= max_words and not _SENTENCE_END_RE.search(line)


def label_lines(text: str, model: LineModel | None = None) -> list[Block]:
    """Label each non-blank line of a plain-text page (see the module docstring)."""
    model = model or LineModel.load()
    spans = split_lines(text)
    lines = [text[s:e] for s, e in spans]
    zones, probs = model.zones(page_features(lines))
    labels: list[BlockLabel] = []
    confidences: list[float] = []
    for i, line in enumerate(lines):
        in_comments = zones[i] == COMMENTS
        confidences.append(probs[i] if in_comments else 1.0 - probs[i])
        if is_furniture(line, in_comments=in_comments):
            labels.append("boilerplate")
        else:
            labels.append("comment" if in_comments else "body")
    _mark_titles_and_headings(lines, zones, labels)
    return [
        Block(start=s, end=e, text=line, label=label, confidence=round(conf, 4))
        for (s, e), line, label, conf in zip(spans, lines, labels, confidences, strict=True)
    ]


def _mark_titles_and_headings(lines: list[str], zones: list[int], labels: list[BlockLabel]) -> None:
    """Within reporting zones: titles (and bylines under them) and section headings."""
    n = len(lines)
    for i in range(n):
        if zones[i] != REPORTING or labels[i] != "body":
            continue
        starts_post = (
            i == 0 or zones[i - 1] == COMMENTS or all(labels[j] == "boilerplate" for j in range(i))
        )
        next_is_byline = i + 1 < n and looks_like_byline(lines[i + 1])
        if (starts_post or next_is_byline) and _headline_like(lines[i], TITLE_MAX_WORDS):
            labels[i] = "title"
            for j in range(i + 1, min(i + 1 + BYLINE_WINDOW, n)):
                if labels[j] == "body" and looks_like_byline(lines[j]):
                    labels[j] = "boilerplate"
            continue
        followed_by_body = i + 1 < n and zones[i + 1] == REPORTING and labels[i + 1] == "body"
        if not starts_post and followed_by_body and _headline_like(lines[i], HEADING_MAX_WORDS):
            labels[i] = "heading"
