"""Label every line of a plain-text page: title, heading, body, comment or boilerplate.

How a page is labelled, in order:

1. Split the text into non-blank lines, keeping each line's character span.
2. Decide where the *comment zone* starts: a logistic-regression model scores each line
   (features in ``line_features.py``), and one switch point per page is chosen
   (``switch_point``): reporting up to it, comments from it on. A candidate scores the
   lines' comment log-odds after it plus the page's structure, which outweighs style: a
   comment-section opener ("3 Responses to …", "Comments") just above it, the first
   comment's metadata line ("Posted by: NAME at DATE", "NAME says:", a poster's name that
   recurs) at or just after it, a cost for every metadata line it would leave inside the
   reporting and for every comment line well above the comment zone's first structure line.
   One chatty article sentence, a recipe's ingredient list or one formal comment therefore
   does not move the zone.
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


# The comment zone's start is one decision per page (see ``switch_point``). Structure counts
# for more than style there; the weights are in log-odds, like the lines' own scores.
# The first comment's name/date line may follow its text by this many lines.
META_LEAD = 3
# Lines at the top of a post where a name and date are its byline, not a comment's; marks
# there (a dateline, "Posted by NAME in News", a "trackback" link) never place the switch.
BYLINE_LINES = 3
# A single line's log-odds count at most this much, so that a few very sure lines of a chatty
# post do not outweigh the page.
MAX_LINE_LOG_ODDS = 4.0


@dataclass(frozen=True)
class SwitchCosts:
    """What the page's structure adds to a candidate switch point (log-odds units).

    ``opener`` and ``meta`` are bonuses: a comment-section opener just above the switch, the
    first comment's metadata line at or within ``META_LEAD`` lines after it. The rest are costs:
    ``body_meta`` per metadata line left inside the reporting (bar the byline lines and the
    post's closing line), and ``before_mark`` per comment-zone line before the zone's first
    structure line beyond ``META_LEAD`` (on pages with one below the switch): a comment zone
    opens at its first opener or name/date line, not many lines above it.
    """

    opener: float = 6.0
    meta: float = 4.0
    body_meta: float = 3.0
    before_mark: float = 0.0


# The shipped costs: the best mean of comment and body F1 over a 240-point grid
# (``line_training.SWITCH_COST_GRID``) on the out-of-fold line probabilities of the 295 Dragnet
# pages (5-fold, page-grouped). The optimum is flat: without their own pages, 3 of 5 folds
# chose this point, one body_meta 2, one (4, 2, 3, 3); held-out body F1 0.9395 with each
# fold's own choice, 0.9399 with these (bench/README.md, issue 12). With ``before_mark`` the
# first comment's metadata needs no bonus of its own (``meta`` 0).
SWITCH_COSTS = SwitchCosts(opener=8.0, meta=0.0, body_meta=3.0, before_mark=4.0)


@dataclass
class LineModel:
    """Linear scores for 'this line is a comment'; the zones follow from ``switch_point``."""

    weights: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)
    costs: SwitchCosts = SWITCH_COSTS

    def comment_probability(self, feats: Features) -> float:
        if feats.get("repeats_earlier") and feats.get("long_line"):
            # An article does not repeat its own sentences; a reader pasting one does. This
            # holds for any page, so it is a rule rather than a weight the data must teach.
            return PASTED_LINE_COMMENT_PROBABILITY
        score = sum(self.weights.get(name, 0.0) * value for name, value in feats.items())
        return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))

    def zones(self, feats: list[Features]) -> tuple[list[int], list[float]]:
        """Each line's zone (reporting up to the switch point, comments from it) and each
        line's comment probability."""
        probs = [self.comment_probability(f) for f in feats]
        k = switch_point(probs, structure_of(feats), self.costs)
        return [REPORTING] * k + [COMMENTS] * (len(probs) - k), probs

    def to_json(self) -> dict[str, Any]:
        return {"meta": self.meta, "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LineModel:
        return cls(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            meta=dict(data.get("meta", {})),
        )

    @classmethod
    def load(cls, path: str | Path | None = None) -> LineModel:
        if path is None:
            return _default_model()
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def structure_of(feats: list[Features]) -> list[int]:
    """Per line: 2 = comment-section opener, 1 = comment metadata, 0 = neither."""
    return [2 if "opener_here" in f else 1 if "meta_here" in f else 0 for f in feats]


def switch_point(probs: list[float], marks: list[int], costs: SwitchCosts = SWITCH_COSTS) -> int:
    """Index of the first comment line (``len(probs)`` if none): pages are reporting, then
    comments. Each candidate is scored by the lines' comment log-odds from it on, plus the
    structure around it (``SwitchCosts``); marks in the byline lines are not structure."""
    n = len(probs)
    marks = [0] * min(BYLINE_LINES, n) + list(marks[BYLINE_LINES:])
    suffix = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        suffix[i] = suffix[i + 1] + _capped_log_odds(probs[i])
    next_meta = [n] * (n + 1)  # the first metadata line at or after i
    next_mark = [n] * (n + 1)  # the first opener or metadata line at or after i
    metas_after = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        next_meta[i] = i if marks[i] == 1 else next_meta[i + 1]
        next_mark[i] = i if marks[i] else next_mark[i + 1]
        metas_after[i] = metas_after[i + 1] + (marks[i] == 1)
    best, best_score = n, -math.inf
    body_metas = 0  # metadata lines in [BYLINE_LINES, k - 1)
    for k in range(n + 1):
        if k >= 2 and marks[k - 2] == 1:
            body_metas += 1
        score = suffix[k] - costs.body_meta * body_metas
        if any(marks[j] == 2 for j in range(max(0, k - 2), min(k + 1, n))):
            score += costs.opener
        if k < n and metas_after[k] >= 2 and next_meta[k] - k <= META_LEAD:
            score += costs.meta
        if next_mark[k] < n:
            score -= costs.before_mark * max(0, next_mark[k] - k - META_LEAD)
        if score > best_score:
            best, best_score = k, score
    return best


def _capped_log_odds(p: float, eps: float = 1e-6) -> float:
    p = min(max(p, eps), 1 - eps)
    return max(-MAX_LINE_LOG_ODDS, min(MAX_LINE_LOG_ODDS, math.log(p / (1 - p))))


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
        # The line at the switch is checked as the post's own last line too: a post's
        # "Go deeper: …" link there is furniture, not a reader's first words.
        first_of_zone = in_comments and (i == 0 or zones[i - 1] == REPORTING)
        if is_furniture(line, in_comments=in_comments and not first_of_zone):
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
